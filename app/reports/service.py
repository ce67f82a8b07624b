"""Asking for a brief or dossier, and what a programme or hearing page shows of its documents.
Session first; no HTTP, no templates."""

from dataclasses import dataclass, field

from sqlmodel import Session

from app.accounts.service import Viewer
from app.clearance import reader_clearance, reading_at
from app.errors import ValidationFailed
from app.forms import marking_choices
from app.models import (
    Classification, Document, DocumentKind, Hearing, Programme, RenderJob,
)
from app.reports.documents import documents_of
from app.reports.jobs import WAITING, ActiveJob, active_jobs, earlier_alike
from app.reports.subjects import agenda_refusal


def chosen_clearance(value: object, floor: Classification, ceiling: Classification
                     ) -> Classification:
    """The clearance picked on the form: at least the marking of the programme or hearing (a
    document made for less could not include it), at most the requester's own."""
    try:
        level = Classification.parse(value) if value else None
    except ValueError:
        level = None
    if level is None or not floor <= level <= ceiling:
        raise ValidationFailed({"clearance": "Choose a clearance from the list."})
    return level


@dataclass(frozen=True)
class Asked:
    """What a request for a document led to."""

    job_id: int
    new: bool  # False: the same document was already being made, and this is its job


def request_brief(session: Session, viewer: Viewer, programme: Programme, chosen: object,
                  timeout_seconds: int) -> Asked:
    """A job for the programme's brief at the chosen clearance, or ValidationFailed."""
    clearance = chosen_clearance(chosen, programme.classification, viewer.user.clearance)
    return _queue(session, viewer, DocumentKind.BRIEF, clearance, timeout_seconds,
                  programme_id=programme.id)


def request_dossier(session: Session, viewer: Viewer, hearing: Hearing, chosen: object,
                    timeout_seconds: int) -> Asked:
    """A job for the hearing's dossier at the chosen clearance, or ValidationFailed, also when
    there would be nothing in it (checked here, so no worker is started for a document that
    cannot be made)."""
    clearance = chosen_clearance(chosen, hearing.classification, viewer.user.clearance)
    # what a dossier made for that clearance would include (never more than the reader's own)
    with reading_at(session, min(clearance, reader_clearance(session))):
        refusal = agenda_refusal(session, hearing)
    if refusal:
        raise ValidationFailed({"document": refusal})
    return _queue(session, viewer, DocumentKind.DOSSIER, clearance, timeout_seconds,
                  hearing_id=hearing.id)


def _queue(session: Session, viewer: Viewer, kind: DocumentKind, clearance: Classification,
           timeout_seconds: int, **subject: int) -> Asked:
    """A new job; or, while the same document is already being made, that job (a second
    press of the button, or two people at once). The row is written before looking for an
    earlier one: SQLite lets one writer in at a time, so of two requests at once the later
    sees the earlier and takes it back. (PostgreSQL at READ COMMITTED would let both stay: it
    would need a lock or a partial unique index.)"""
    job = RenderJob(kind=kind, clearance=clearance, classification=clearance,
                    requested_by_id=viewer.user.id, requested_by_name=viewer.user.name,
                    section=WAITING, **subject)
    session.add(job)
    session.flush()
    earlier = earlier_alike(session, job, timeout_seconds)
    if earlier is None:
        return Asked(job.id, new=True)
    session.delete(job)
    session.flush()
    return Asked(earlier.id, new=False)


@dataclass(frozen=True)
class DocumentsPanel:
    """The briefs section of a programme page, or the dossier section of a hearing page."""

    kind: DocumentKind
    action: str  # where the form to generate one posts
    documents: list[Document]
    jobs: list[ActiveJob]
    # Clearances the reader may generate for; none for a reader who may not generate.
    clearances: list[tuple[str, str]]
    chosen: str
    errors: dict[str, str] = field(default_factory=dict)

    def may_make_again(self, document: Document) -> bool:
        """Whether the reader may ask for `document` anew, for the clearance it was made for
        (not if that is now above their own, or below the programme's or hearing's marking)."""
        return any(value == document.clearance.name.lower() for value, _label in self.clearances)


def documents_panel(session: Session, viewer: Viewer, timeout_seconds: int, *,
                    programme: Programme | None = None, hearing: Hearing | None = None,
                    chosen: str | None = None, errors: dict[str, str] | None = None
                    ) -> DocumentsPanel:
    subject = programme or hearing
    if programme is not None:
        kind, action = DocumentKind.BRIEF, f"/programmes/{programme.id}/briefs"
        where = {"programme_id": programme.id}
    else:
        kind, action = DocumentKind.DOSSIER, f"/hearings/{hearing.id}/dossiers"
        where = {"hearing_id": hearing.id}
    ceiling = viewer.user.clearance
    return DocumentsPanel(
        kind=kind, action=action,
        documents=documents_of(session, **where),
        jobs=active_jobs(session, timeout_seconds, **where),
        clearances=marking_choices(subject.classification, ceiling) if viewer.can_edit else [],
        chosen=chosen or ceiling.name.lower(),
        errors=errors or {},
    )
