"""Laid-out parts kept on disk by content: a brief whose HTML has not changed is not laid out
again. Files live under DATA_DIR/cache/parts, each written whole (app.files.write_private, so
several workers can share the directory), and can be deleted at any time."""

from pathlib import Path

from app.files import write_private
from app.reports.render import RenderedPart


class PartCache:
    def __init__(self, root: Path):
        self.root = root

    def _paths(self, key: str) -> tuple[Path, Path]:
        folder = self.root / key[:2]
        return folder / f"{key}.pdf", folder / f"{key}.json"

    def get(self, key: str) -> RenderedPart | None:
        pdf, meta = self._paths(key)
        try:
            return RenderedPart.from_stored(pdf.read_bytes(), meta.read_text(encoding="utf-8"))
        except (OSError, ValueError, KeyError):
            return None

    def put(self, key: str, part: RenderedPart) -> None:
        pdf, meta = self._paths(key)
        # Parts can hold classified content: readable by the service's user only. The PDF
        # first: a reader finds a part by its metadata file, which comes last.
        pdf.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        write_private(pdf, [part.pdf])
        write_private(meta, [part.meta_json().encode()])
