"""Files the service keeps under its data directory, readable by its own user only (folders 0700,
files 0600), and how they are offered for download.

A file kept beside a record (an answer's PDF, a generated brief) is written aside, moved into
place once its record is flushed, removed again if that transaction rolls back, and removed
after the commit that deletes its record. A process killed between moving a file into place and
the commit still leaves a file no record names: never listed nor served, since every read goes
through a record; such files may be deleted by hand.
"""

import logging
import os
import re
import secrets
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import quote

from fastapi.responses import FileResponse
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.errors import NotFound

log = logging.getLogger("oversight")

_REMOVE_ON_COMMIT = "files_remove_on_commit"
_REMOVE_ON_ROLLBACK = "files_remove_on_rollback"
_UNSAFE = re.compile(r"[\x00-\x1f\x7f]")


def write_private(path: Path, chunks: Iterable[bytes]) -> None:
    """Write a file readable by the service's user only, in one piece: written aside and moved
    into place, so no reader ever finds it half-written. Nothing is left on failure; the folder
    must exist."""
    aside = path.with_name(f".{path.name}.{secrets.token_hex(8)}.part")
    _write_new(aside, chunks)
    try:
        os.replace(aside, path)
    finally:
        aside.unlink(missing_ok=True)  # gone already once moved into place


def _write_new(path: Path, chunks: Iterable[bytes]) -> None:
    """Create `path` (0600; it must not exist) holding `chunks`; nothing is left on failure."""
    try:
        with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
            for chunk in chunks:
                out.write(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise


class FileStore:
    """The folder DATA_DIR/`folder`, whose files are named by random hex (plus `suffix`) and
    each belong to one record."""

    def __init__(self, data_dir: Path, folder: str, *, what: str, suffix: str = ""):
        self.directory = Path(data_dir) / folder
        self.what = what  # "Attachment file": what NotFound says
        self.suffix = suffix
        self._names = re.compile(rf"^[0-9a-f]{{32}}{re.escape(suffix)}$")

    def new_name(self) -> str:
        return secrets.token_hex(16) + self.suffix

    def path(self, stored_name: str) -> Path:
        if not self._names.match(stored_name):  # never a path a stored value could steer
            raise NotFound(self.what)
        return self.directory / stored_name

    def write_aside(self, chunks: Iterable[bytes]) -> Path:
        """A private temporary file in the folder holding `chunks`, to be kept or unlinked by
        the caller. If `chunks` raises, nothing is left behind."""
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        aside = self.directory / f".{secrets.token_hex(16)}.part"
        _write_new(aside, chunks)
        return aside

    def keep(self, session: Session, aside: Path, stored_name: str) -> None:
        """Move a file written aside into place for a flushed record, in the session's
        transaction: a rollback removes it again."""
        final = self.path(stored_name)
        os.replace(aside, final)
        session.info.setdefault(_REMOVE_ON_ROLLBACK, []).append(final)

    def remove_after_commit(self, session: Session, stored_names: Iterable[str]) -> None:
        session.info.setdefault(_REMOVE_ON_COMMIT, []).extend(
            self.path(name) for name in stored_names)

    def download(self, stored_name: str, filename: str, record: str) -> FileResponse:
        """The stored PDF as a download named `filename` (NotFound if the file is missing;
        `record` says whose, in the log)."""
        path = self.path(stored_name)
        if not path.is_file():
            log.error("%s has no file %s", record, path)
            raise NotFound(self.what)
        return FileResponse(path, media_type="application/pdf", headers={
            "Content-Disposition": content_disposition(filename),
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "no-store",
        })


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    session.info.pop(_REMOVE_ON_ROLLBACK, None)
    for path in session.info.pop(_REMOVE_ON_COMMIT, []):
        path.unlink(missing_ok=True)


@event.listens_for(Session, "after_rollback")
def _rolled_back(session: Session) -> None:
    session.info.pop(_REMOVE_ON_COMMIT, None)
    for path in session.info.pop(_REMOVE_ON_ROLLBACK, []):
        path.unlink(missing_ok=True)


def safe_filename(name: str | None, default: str = "answer.pdf") -> str:
    """A name for showing or offering, never for use as a path: no folders, no control
    characters, at most 255 characters."""
    # Browsers send a double quote in a file name as %22 (HTML's multipart encoding).
    name = unicodedata.normalize("NFC", name or "").replace("%22", '"')
    base = re.split(r"[\\/]", name)[-1]
    base = " ".join(_UNSAFE.sub(" ", base).split())
    return base[-255:] or default


def content_disposition(filename: str, suffix: str = ".pdf") -> str:
    """`attachment` with the file name (ending in `suffix`), ASCII for old clients and UTF-8
    for the others."""
    name = filename if filename.lower().endswith(suffix) else f"{filename}{suffix}"
    ascii_name = re.sub(r"[^A-Za-z0-9._() -]", "_", name)
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"
