"""Generated briefs and dossiers kept as files: stored under DATA_DIR/documents with their record,
listed per programme and hearing, and read back only by readers cleared for their marking."""

import re
from pathlib import Path

from sqlalchemy.orm import Session
from sqlmodel import select

from app.errors import NotFound
from app.files import FileStore, safe_filename
from app.models import Document


class DocumentStore(FileStore):
    """DATA_DIR/documents: each PDF under a random name, kept with its record (app.files)."""

    def __init__(self, data_dir: Path):
        super().__init__(data_dir, "documents", what="Document file", suffix=".pdf")


def add_document(session: Session, store: DocumentStore, document: Document,
                 pdf: bytes) -> Document:
    """Keep `pdf` as the file of `document` (not yet added), under a new name, in the
    session's transaction."""
    document.stored_name = store.new_name()
    aside = store.write_aside([pdf])
    try:
        session.add(document)
        session.flush()
        store.keep(session, aside, document.stored_name)
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


def download_name(document: Document) -> str:
    """A file name that says what the document is and when it was made."""
    made = document.created_at.strftime("%Y-%m-%d %H%M")
    # A title may hold a slash ("Drucksache 20/4473"), which safe_filename takes for a folder.
    title = re.sub(r"[\\/]", "-", document.title[:150])
    return safe_filename(f"{title} {made}")
