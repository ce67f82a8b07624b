"""The only way WeasyPrint may load anything: the print stylesheet and fonts the app ships.

Every stylesheet and image comes from `reports/`, or is a chart the renderer drew for this
document, and is addressed as `report:NAME`. Anything else (a `file:` path, an `http(s):`
address, a `data:` URL, a relative link in pasted HTML) is refused before any byte is read, so
content typed into an answer can neither read the server's files nor reach the network.
"""

from pathlib import Path

from weasyprint.urls import URLFetcher, URLFetcherResponse

REPORTS_DIR = Path(__file__).resolve().parent.parent.parent / "reports"
SCHEME = "report:"
MEDIA_TYPES = {".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png"}


class RefusedURL(ValueError):
    """An address the renderer will not load."""


class ReportAssetFetcher(URLFetcher):
    """Serves `report:NAME` from the reports directory and refuses every other address."""

    def __init__(self, drawn: dict[str, bytes] | None = None, assets_dir: Path = REPORTS_DIR):
        super().__init__(allowed_protocols=(), allow_redirects=False)
        self.assets_dir = assets_dir.resolve()
        self.drawn = drawn or {}  # name -> bytes: charts made for this document
        self.refused: list[str] = []

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        name, body = self.resolve(url)
        return URLFetcherResponse(url, body, {"Content-Type": MEDIA_TYPES[Path(name).suffix]})

    def resolve(self, url: str) -> tuple[str, bytes]:
        """The name and bytes a `report:` address stands for, or RefusedURL (noted)."""
        try:
            if not url.startswith(SCHEME):
                raise RefusedURL(
                    f"only the app's own report assets may be loaded, not {url[:80]!r}")
            name = url[len(SCHEME):]
            if name in self.drawn and Path(name).suffix in MEDIA_TYPES:
                return name, self.drawn[name]
            path = (self.assets_dir / name).resolve()
            if path.parent != self.assets_dir or path.suffix not in MEDIA_TYPES \
                    or not path.is_file():
                raise RefusedURL(f"no report asset {name[:80]!r}")
        except RefusedURL:
            self.refused.append(url)
            raise
        return name, path.read_bytes()

