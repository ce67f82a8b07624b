"""One PDF from laid-out parts: pages in order, their tags joined into one structure tree, the
running header and footer stamped on every page, bookmarks and metadata. Bytes in, bytes out.

Each part is tagged PDF from WeasyPrint. Joining keeps it tagged: every part's structure
elements go under one Document element, and the numbers that tie marked content on a page to
its structure element (StructParents, the parent tree) are shifted so that they stay unique.
The running header and footer come from a second, page-for-page PDF and are drawn as
artifacts (WeasyPrint marks page-margin boxes so), which is what PDF/UA asks of them.
"""

import io
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime

import pikepdf
from pikepdf import Array, Dictionary, Name, OutlineItem

from app.reports.render import RenderedPart


@dataclass(frozen=True)
class DocumentInfo:
    title: str
    author: str
    subject: str
    created: datetime
    language: str = "en"
    keywords: str = ""


@dataclass(frozen=True)
class OutlineEntry:
    level: int
    label: str
    page: int  # 0-based in the whole document


def outline_of(parts: list[RenderedPart], starts: list[int]) -> list[OutlineEntry]:
    """Every part's own headings, at their place in the whole document."""
    return [OutlineEntry(b.level, b.label, start + b.page)
            for part, start in zip(parts, starts) for b in part.bookmarks]


def part_starts(parts: list[RenderedPart]) -> list[int]:
    """The 0-based page on which each part starts."""
    starts, page = [], 0
    for part in parts:
        starts.append(page)
        page += part.page_count
    return starts


def assemble(parts: list[RenderedPart], running: RenderedPart, info: DocumentInfo,
             outline: list[OutlineEntry]) -> bytes:
    total = sum(part.page_count for part in parts)
    if running.page_count != total:
        raise ValueError(f"running header has {running.page_count} pages for {total}")
    with ExitStack() as opened:
        out = opened.enter_context(pikepdf.new())
        tree = out.make_indirect(Dictionary(Type=Name.StructTreeRoot))
        document = out.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, P=tree,
                                                K=Array()))
        tree.K = Array([document])
        parents = Array()
        next_key = 0
        for part in parts:
            source = opened.enter_context(pikepdf.open(io.BytesIO(part.pdf)))
            first = len(out.pages)
            out.pages.extend(source.pages)
            next_key = _join_structure(out, source, document, parents, next_key, first)
        tree.ParentTree = out.make_indirect(Dictionary(Nums=parents))
        tree.ParentTreeNextKey = next_key
        out.Root.StructTreeRoot = tree
        stamps = opened.enter_context(pikepdf.open(io.BytesIO(running.pdf)))
        for page, stamp in zip(out.pages, stamps.pages):
            _as_pagination_artifact(stamps, stamp)
            page.add_overlay(stamp)
        _catalogue(out, info)
        _outline(out, outline)
        buffer = io.BytesIO()
        # PDF/UA-1 is defined on PDF 1.7.
        out.save(buffer, min_version="1.7", object_stream_mode=pikepdf.ObjectStreamMode.generate,
                 compress_streams=True)
    return buffer.getvalue()


def join_pages(pdfs: list[bytes]) -> bytes:
    """Untagged PDFs one after the other (the stretches of a running header)."""
    buffer = io.BytesIO()
    with ExitStack() as opened:
        out = opened.enter_context(pikepdf.new())
        for pdf in pdfs:
            out.pages.extend(opened.enter_context(pikepdf.open(io.BytesIO(pdf))).pages)
        out.save(buffer)
    return buffer.getvalue()


def _join_structure(out: pikepdf.Pdf, source: pikepdf.Pdf, document: Dictionary,
                    parents: Array, offset: int, first_page: int) -> int:
    """Hang the source's structure under `document`, shifting its parent-tree keys by
    `offset`; returns the next free key."""
    tree = source.Root.get("/StructTreeRoot")
    if tree is None:
        return offset
    for element in tree.K if isinstance(tree.K, Array) else [tree.K]:
        copied = out.copy_foreign(element)
        if copied.get("/S") == Name.Document:
            copied.S = Name.Part  # one Document per file: each part becomes a Part of it
        copied.P = document
        document.K.append(copied)
    top = offset
    numbers = tree.ParentTree.Nums
    for index in range(0, len(numbers), 2):
        key, value = int(numbers[index]), numbers[index + 1]
        parents.append(key + offset)
        parents.append(Array([out.copy_foreign(v) for v in value])
                       if isinstance(value, Array) else out.copy_foreign(value))
        top = max(top, key + offset + 1)
    for page in out.pages[first_page:]:
        if "/StructParents" in page.obj:
            page.obj.StructParents = int(page.obj.StructParents) + offset
        for annotation in page.obj.get("/Annots", []):
            if "/StructParent" in annotation:
                annotation.StructParent = int(annotation.StructParent) + offset
    return top


def _as_pagination_artifact(pdf: pikepdf.Pdf, page: pikepdf.Page) -> None:
    """Mark everything the (untagged) running-header page draws as a pagination artifact, so
    screen readers skip it and every piece of content is either tagged or an artifact."""
    contents = page.obj.Contents
    body = b"\n".join(c.read_bytes() for c in contents) if isinstance(contents, Array) \
        else contents.read_bytes()
    page.obj.Contents = pdf.make_stream(
        b"/Artifact <</Type /Pagination>> BDC\n" + body + b"\nEMC\n")


def _catalogue(out: pikepdf.Pdf, info: DocumentInfo) -> None:
    out.Root.MarkInfo = Dictionary(Marked=True)
    out.Root.Lang = pikepdf.String(info.language)
    out.Root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
    out.Root.PageMode = Name.UseOutlines
    with out.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["dc:title"] = info.title
        meta["dc:creator"] = [info.author]
        meta["dc:description"] = info.subject
        meta["pdf:Producer"] = "Oversight Desk (WeasyPrint, pikepdf)"
        meta["pdf:Keywords"] = info.keywords
        meta["xmp:CreateDate"] = info.created.isoformat()
        meta["xmp:CreatorTool"] = "Oversight Desk"
        meta["pdfuaid:part"] = "1"
    out.docinfo[Name.Title] = info.title
    out.docinfo[Name.Author] = info.author
    out.docinfo[Name.Subject] = info.subject
    out.docinfo[Name.Keywords] = info.keywords
    out.docinfo[Name.Creator] = "Oversight Desk"
    out.docinfo[Name.CreationDate] = pikepdf.String(_pdf_date(info.created))


def _pdf_date(moment: datetime) -> str:
    stamp = moment.strftime("D:%Y%m%d%H%M%S")
    offset = moment.strftime("%z")
    return stamp + (f"{offset[:3]}'{offset[3:]}'" if offset else "Z")


def _outline(out: pikepdf.Pdf, entries: list[OutlineEntry]) -> None:
    with out.open_outline() as outline:
        stack: list[tuple[int, list[OutlineItem]]] = [(0, outline.root)]
        for entry in entries:
            while stack[-1][0] >= entry.level:
                stack.pop()
            item = OutlineItem(entry.label, entry.page)
            stack[-1][1].append(item)
            stack.append((entry.level, item.children))


