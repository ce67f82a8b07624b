"""Stored documents and render jobs made directly, without a worker: for tests of the pages and
of who may see what."""

import hashlib
import io
from datetime import datetime
from pathlib import Path

from pypdf import PdfWriter

from app.models import Classification, Document, DocumentKind, JobState, RenderJob, utcnow
from app.reports.documents import DocumentStore, add_document
from tests.conftest import database_in, system_session


def one_page_pdf(title: str) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": title})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def store_document(data_dir: Path, *, programme_id: int | None = None,
                   hearing_id: int | None = None, title: str = "Brief: a test",
                   classification: Classification = Classification.PUBLIC,
                   clearance: Classification | None = None) -> int:
    """A stored document with its file, as a worker would leave it (its audit event included);
    made for `clearance` (its marking unless given)."""
    pdf = one_page_pdf(title)
    engine, session = system_session(database_in(data_dir))
    with session:
        document = add_document(session, DocumentStore(data_dir), Document(
            kind=DocumentKind.BRIEF if hearing_id is None else DocumentKind.DOSSIER,
            title=title, programme_id=programme_id, hearing_id=hearing_id,
            clearance=clearance or classification, classification=classification, parameters={},
            sha256=hashlib.sha256(pdf).hexdigest(), page_count=1, size_bytes=len(pdf),
            created_by_name="Test Clerk", render_seconds=0.1,
            parts_rendered=1, parts_cached=0), pdf)
        session.commit()
        document_id = document.id
    engine.dispose()
    return document_id


def store_job(db_path: Path, *, programme_id: int | None = None, hearing_id: int | None = None,
              clearance: Classification = Classification.PUBLIC,
              state: JobState = JobState.QUEUED, heartbeat_at: datetime | None = None,
              document_id: int | None = None, section: str = "Waiting", error: str = "",
              progress: tuple[int, int] = (0, 0)) -> int:
    engine, session = system_session(db_path)
    with session:
        job = RenderJob(
            kind=DocumentKind.BRIEF if hearing_id is None else DocumentKind.DOSSIER,
            programme_id=programme_id, hearing_id=hearing_id, clearance=clearance,
            classification=clearance, requested_by_name="Test Clerk", state=state,
            section=section, error=error, document_id=document_id,
            progress_done=progress[0], progress_total=progress[1],
            heartbeat_at=heartbeat_at or utcnow())
        session.add(job)
        session.commit()
        job_id = job.id
    engine.dispose()
    return job_id
