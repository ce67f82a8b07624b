"""Generated briefs and dossiers kept as files: stored under DATA_DIR/documents with their record,
listed per programme and hearing, and read back only by readers cleared for their marking."""

import os
import re
import secrets
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.orm import Session
from sqlmodel import select

from app.errors import NotFound
from app.inquiries.attachments import content_disposition, safe_filename
from app.models import Document

_STORED_NAME = re.compile(r"^[0-9a-f]{32}\.pdf$")
# Files moved into place in this transaction: removed again if it rolls back.
_PLACED = "documents_placed"


class DocumentStore:
    """The directory the PDFs live in (0700, each file 0600), outside the static files. A file
    is written aside and moved into place only once its record is flushed; if the transaction
    then rolls back, the session removes it again. A process killed between the move and the
    commit (or while writing aside) still leaves a file without a record (or a `.part` file):
    never listed nor served, since every read goes through a record, only space taken. Such
    files are those whose name no `document.stored_name` holds; they may be deleted by hand
    while no document is being made."""

    def __init__(self, data_dir: Path):
        self.directory = Path(data_dir) / "documents"

    def path(self, stored_name: str) -> Path:
        if not _STORED_NAME.match(stored_name):  # never a path a stored value could steer
            raise NotFound("Document file")
        return self.directory / stored_name

    def write_aside(self, pdf: bytes) -> Path:
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        aside = self.directory / f".document-{secrets.token_hex(16)}.part"
        try:
            with open(aside, "xb") as out:
                os.chmod(aside, 0o600)
                out.write(pdf)
        except BaseException:
            aside.unlink(missing_ok=True)
            raise
        return aside

    def move_into_place(self, session: Session, aside: Path, stored_name: str) -> None:
        final = self.path(stored_name)
        os.replace(aside, final)
        session.info.setdefault(_PLACED, []).append(final)


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    session.info.pop(_PLACED, None)


@event.listens_for(Session, "after_rollback")
def _rolled_back(session: Session) -> None:
    for path in session.info.pop(_PLACED, []):
        path.unlink(missing_ok=True)


def new_stored_name() -> str:
    return secrets.token_hex(16) + ".pdf"


def add_document(session: Session, store: DocumentStore, document: Document,
                 pdf: bytes) -> Document:
    """Keep `pdf` as the file of `document` (not yet added), in the session's transaction."""
    aside = store.write_aside(pdf)
    try:
        session.add(document)
        session.flush()
        store.move_into_place(session, aside, document.stored_name)
    finally:
        aside.unlink(missing_ok=True)  # gone already once moved into place
    return document


def documents_of(session: Session, *, programme_id: int | None = None,
                 hearing_id: int | None = None) -> list[Document]:
    """A programme's briefs or a hearing's dossiers that the reader may see, newest first."""
    query = select(Document)
    if programme_id is not None:
        query = query.where(Document.programme_id == programme_id, Document.hearing_id.is_(None))
    else:
        query = query.where(Document.hearing_id == hearing_id)
    return list(session.exec(query.order_by(Document.created_at.desc(), Document.id.desc())))


def get_document(session: Session, document_id: int) -> Document:
    """The document, or NotFound, also when its marking is above the reader's clearance."""
    document = session.exec(select(Document).where(Document.id == document_id)).first()
    if document is None:
        raise NotFound("Document")
    return document


def download_disposition(document: Document) -> str:
    """`attachment` with a name that says what it is and when it was made."""
    made = document.created_at.strftime("%Y-%m-%d %H%M")
    # A title may hold a slash ("Drucksache 20/4473"), which safe_filename takes for a folder.
    title = re.sub(r"[\\/]", "-", document.title[:150])
    return content_disposition(safe_filename(f"{title} {made}"))
