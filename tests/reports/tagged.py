"""Checks of a PDF's accessibility structure (the machine-checkable part of PDF/UA-1): tagged,
every page's marked content tied to the structure tree, fonts embedded, title shown, language
set, and the PDF/UA identification in the metadata."""

import io
import re

import pikepdf


def tagging_problems(pdf: bytes) -> list[str]:
    problems = []
    with pikepdf.open(io.BytesIO(pdf)) as document:
        root = document.Root
        if not root.get("/MarkInfo", {}).get("/Marked", False):
            problems.append("not marked as tagged")
        if str(root.get("/Lang", "")) == "":
            problems.append("no document language")
        if not root.get("/ViewerPreferences", {}).get("/DisplayDocTitle", False):
            problems.append("viewers are not told to show the title")
        with document.open_metadata() as meta:
            if meta.get("pdfuaid:part") != "1":
                problems.append("no PDF/UA-1 identification in the metadata")
            if not meta.get("dc:title"):
                problems.append("no title in the metadata")
        tree = root.get("/StructTreeRoot")
        if tree is None:
            return problems + ["no structure tree"]
        numbers = tree.ParentTree.Nums
        parents = {int(numbers[i]): numbers[i + 1] for i in range(0, len(numbers), 2)}
        if len(parents) * 2 != len(numbers):
            problems.append("parent tree keys are not unique")
        pages = {page.obj.objgen for page in document.pages}
        for index, page in enumerate(document.pages, start=1):
            content = b"".join(c.read_bytes() for c in (
                page.obj.Contents if isinstance(page.obj.Contents, pikepdf.Array)
                else [page.obj.Contents]))
            mcids = {int(m) for m in re.findall(rb"/MCID (\d+)", content)}
            if mcids:
                key = page.obj.get("/StructParents")
                if key is None or int(key) not in parents:
                    problems.append(f"page {index}: marked content without a parent entry")
                elif len(parents[int(key)]) <= max(mcids):
                    problems.append(f"page {index}: MCID beyond its parent entry")
            for element in (parents.get(int(page.obj.get("/StructParents", -1))) or []):
                if "/Pg" in element and element.Pg.objgen not in pages:
                    problems.append(f"page {index}: structure element on a missing page")
                    break
        for page in document.pages:
            forms = [form.read_bytes() for form in _forms(page.obj.get("/Resources", {}))]
            if any(b"/MCID" in form for form in forms):
                problems.append("marked content in a form XObject is not in the tree")
            # The stamped running header and footer: drawn whole as a pagination artifact.
            if not any(form.startswith(b"/Artifact <</Type /Pagination>> BDC") for form in forms):
                problems.append("a page has no running header marked as an artifact")
            for font in _fonts(page.obj.get("/Resources", {})):
                descriptor = font.get("/FontDescriptor") or (
                    font.DescendantFonts[0].get("/FontDescriptor")
                    if "/DescendantFonts" in font else None)
                if descriptor is not None and not any(
                        k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                    problems.append(f"font {font.get('/BaseFont')} is not embedded")
    return sorted(set(problems))


def _forms(resources, seen=None):
    """The form XObjects a resource dictionary draws, nested ones included."""
    seen = seen if seen is not None else set()
    for xobject in resources.get("/XObject", {}).values():
        if xobject.objgen in seen or xobject.get("/Subtype") != "/Form":
            continue
        seen.add(xobject.objgen)
        yield xobject
        yield from _forms(xobject.get("/Resources", {}), seen)


def _fonts(resources, seen=None):
    """Fonts of a resource dictionary and of the form XObjects it draws (the stamped header)."""
    seen = seen if seen is not None else set()
    for font in resources.get("/Font", {}).values():
        yield font
    for xobject in resources.get("/XObject", {}).values():
        if xobject.objgen in seen or xobject.get("/Subtype") != "/Form":
            continue
        seen.add(xobject.objgen)
        yield from _fonts(xobject.get("/Resources", {}), seen)
