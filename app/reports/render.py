"""HTML from the print templates in `reports/`, and PDF parts from that HTML: data in, bytes out.

A document is made of parts (a cover with contents, one brief per programme, an annex), each
laid out on its own by WeasyPrint as tagged PDF (PDF/UA-1), then put together by
app.reports.assemble. A part carries no page numbers or running header, so the same brief can
be reused, unchanged, in any dossier: only what changed is laid out again.
"""

import hashlib
import json
import logging
from dataclasses import asdict, dataclass, field
from functools import cache

import weasyprint
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from app.formatting import country_name, long_date, markdown, money, money_compact
from app.reports.fetcher import REPORTS_DIR, ReportAssetFetcher

PDF_VARIANT = "pdf/ua-1"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Bookmark:
    """A heading of a part: its outline level (1 = the part's title), text and page (0-based
    within the part)."""

    level: int
    label: str
    page: int


@dataclass(frozen=True)
class RenderedPart:
    pdf: bytes
    page_count: int
    bookmarks: tuple[Bookmark, ...] = ()
    refused_urls: tuple[str, ...] = field(default=(), compare=False)

    def meta_json(self) -> str:
        return json.dumps({"page_count": self.page_count,
                           "bookmarks": [asdict(b) for b in self.bookmarks]})

    @classmethod
    def from_stored(cls, pdf: bytes, meta_json: str) -> "RenderedPart":
        meta = json.loads(meta_json)
        return cls(pdf, meta["page_count"], tuple(Bookmark(**b) for b in meta["bookmarks"]))


def css_string(text: object) -> Markup:
    """`text` as a quoted CSS string for `content:` in a <style> element: quotes, backslashes,
    angle brackets and control characters escaped, so no title can end the string or the
    element."""
    escaped = "".join(
        f"\\{ord(c):x} " if c in '"\\<>&' or not c.isprintable() else c for c in str(text))
    return Markup(f'"{escaped}"')


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(REPORTS_DIR),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        money=money, money_compact=money_compact, long_date=long_date,
        country_name=country_name, markdown=markdown, css_string=css_string,
    )
    return env


def part_html(template: str, **context) -> str:
    return environment().get_template(template).render(**context)


@cache
def renderer_fingerprint() -> str:
    """What else than the HTML decides how a part looks: the stylesheet, the fonts' renderer."""
    digest = hashlib.sha256(weasyprint.__version__.encode())
    for path in sorted(REPORTS_DIR.glob("*")):
        if path.suffix in (".css", ".svg"):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def part_key(html: str, drawn: dict[str, bytes], tagged: bool = True) -> str:
    """The cache key of a part: equal keys lay out to the same pages."""
    digest = hashlib.sha256(renderer_fingerprint().encode() + (b"tagged" if tagged else b""))
    digest.update(html.encode())
    for name in sorted(drawn):
        digest.update(name.encode() + b"\0" + drawn[name])
    return digest.hexdigest()


def render_part(html: str, drawn: dict[str, bytes] | None = None,
                tagged: bool = True) -> RenderedPart:
    """Lay out one part. `drawn` holds charts the HTML links as `report:NAME`. Untagged is for
    the running header and footer only, which are stamped on as artifacts."""
    fetcher = ReportAssetFetcher(drawn)
    variant = PDF_VARIANT if tagged else None
    document = weasyprint.HTML(string=html, base_url="report:", url_fetcher=fetcher).render(
        pdf_variant=variant)
    # The levels the stylesheet gives (h1 1, h2 2), not the depth within this part: a part that
    # opens with an h2 (the annex continued) belongs under the h1 of the part before it.
    bookmarks = tuple(Bookmark(level, label, number)
                      for number, page in enumerate(document.pages)
                      for level, label, _position, _state in page.bookmarks)
    pdf = document.write_pdf(pdf_variant=variant)
    if fetcher.refused:
        log.warning("refused to load %d address(es) while laying out a part: %s",
                    len(fetcher.refused), ", ".join(u[:80] for u in fetcher.refused[:5]))
    return RenderedPart(pdf, len(document.pages), bookmarks, tuple(fetcher.refused))
