"""Making one job's document, inside the render process: read at the job's clearance, produce
the PDF, then store it with its record and mark the job done in one transaction, as the person
who asked for it."""

import time

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from app.audit.recorder import Actor, set_actor
from app.clearance import read_as_system, set_reader_clearance
from app.config import Settings
from app.errors import NotFound
from app.models import Document, DocumentKind, Programme, RenderJob, User
from app.reports import jobs
from app.reports.documents import DocumentStore, add_document
from app.reports.produce import Occasion, Produced, produce_brief, produce_dossier
from app.reports.subjects import NothingToRender


def generate(settings: Settings, engine: Engine, job_id: int, attempt: int) -> str | None:
    """Make and store the job's document; or the reason it cannot be made (other failures
    raise)."""
    job, email = _job(engine, job_id)
    occasion = Occasion.now(
        settings, f"{job.requested_by_name} <{email}>" if email else job.requested_by_name)

    def progress(done: int, total: int, what: str) -> None:
        jobs.report_progress(engine, job_id, attempt, done, total, what)

    started = time.monotonic()
    with Session(engine) as session:
        set_reader_clearance(session, job.clearance)
        try:
            if job.kind is DocumentKind.BRIEF:
                produced = produce_brief(session, job.programme_id, occasion, progress)
                code = session.exec(select(Programme.reference_code)
                                    .where(Programme.id == job.programme_id)).one()
                parameters = {"programme": code}
            else:
                produced = produce_dossier(session, job.hearing_id, occasion, progress)
                parameters = {"hearing": job.hearing_id}
        except NotFound as exc:
            return (f"The {exc.what.lower()} is no longer visible at {job.clearance.marking} "
                    "clearance (it was deleted, or marked higher since)")
        except NothingToRender as exc:
            return exc.message
    jobs.report_progress(engine, job_id, attempt, 1, 1, "Storing the document")
    _store(settings, engine, job, attempt, produced, parameters, time.monotonic() - started)
    return None


def _job(engine: Engine, job_id: int) -> tuple[RenderJob, str | None]:
    """The job and the e-mail address of whoever asked for it (for the PDF's author)."""
    with read_as_system(Session(engine)) as session:
        job = session.exec(select(RenderJob).where(RenderJob.id == job_id)).one()
        email = session.exec(select(User.email).where(User.id == job.requested_by_id)).first()
    return job, email


def _store(settings: Settings, engine: Engine, job: RenderJob, attempt: int,
           produced: Produced, parameters: dict, seconds: float) -> None:
    with Session(engine) as session:
        set_reader_clearance(session, job.clearance)
        set_actor(session, Actor(job.requested_by_id, job.requested_by_name))
        document = add_document(session, DocumentStore(settings.data_dir), Document(
            kind=job.kind, title=produced.title[:400], programme_id=job.programme_id,
            hearing_id=job.hearing_id, clearance=job.clearance,
            classification=produced.marking, parameters=parameters, sha256=produced.sha256,
            page_count=produced.page_count, size_bytes=len(produced.pdf),
            created_by_id=job.requested_by_id,
            created_by_name=job.requested_by_name, render_seconds=round(seconds, 3),
            parts_rendered=produced.parts_rendered, parts_cached=produced.parts_cached,
        ), produced.pdf)
        if not jobs.finish(session, job.id, attempt, document.id):
            # Retried or removed while this attempt ran: its document is not wanted (the
            # rollback removes the file too).
            session.rollback()
            return
        session.commit()

