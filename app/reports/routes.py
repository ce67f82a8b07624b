"""HTML routes for briefs and dossiers: asking for one, following its job, retrying a failed
one, and downloading the stored PDF."""


from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from app.access import AUTHENTICATED, EditorDep, FormDep, RecordId, ViewerDep
from app.db import SessionDep
from app.errors import NotFound, ValidationFailed
from app.hearings.service import get_hearing
from app.models import DocumentKind, Hearing, JobState, Programme
from app.programmes.service import get_programme
from app.reports import jobs, service
from app.reports.documents import DocumentStore, download_name, get_document
from app.templating import is_htmx, render

router = APIRouter(dependencies=AUTHENTICATED)


@router.post("/programmes/{programme_id}/briefs", name="brief_request")
def brief_request(request: Request, programme_id: RecordId, session: SessionDep,
                  editor: EditorDep, submitted: FormDep):
    programme = get_programme(session, programme_id)
    return _ask(request, session, editor, submitted, programme=programme)


@router.post("/hearings/{hearing_id}/dossiers", name="dossier_request")
def dossier_request(request: Request, hearing_id: RecordId, session: SessionDep,
                    editor: EditorDep, submitted: FormDep):
    hearing = get_hearing(session, hearing_id)
    return _ask(request, session, editor, submitted, hearing=hearing)


def _ask(request: Request, session, editor, submitted, *, programme: Programme | None = None,
         hearing: Hearing | None = None):
    """Queue the job and start its worker, or send the requester on to the job already making
    the same document; or the form again with the reason next to it."""
    chosen = submitted.get("clearance")
    timeout = _timeout(request)
    try:
        asked = (service.request_brief(session, editor, programme, chosen, timeout) if programme
                 else service.request_dossier(session, editor, hearing, chosen, timeout))
    except ValidationFailed as exc:
        panel = service.documents_panel(
            session, editor, timeout, programme=programme, hearing=hearing,
            chosen=str(chosen or ""), errors=exc.errors)
        return render(request, "reports/request.html", {
            "panel": panel, "programme": programme, "hearing": hearing,
        }, status_code=422)
    if not asked.new:
        return RedirectResponse(f"/documents/jobs/{asked.job_id}", status_code=303)
    return _start(request, session, asked.job_id)


def _start(request: Request, session, job_id: int) -> RedirectResponse:
    # The worker must find the job committed: commit now rather than after the response.
    session.commit()
    jobs.start_worker(request.app.state.settings, request.app.state.engine, job_id)
    return RedirectResponse(f"/documents/jobs/{job_id}", status_code=303)


@router.get("/documents/jobs/{job_id}", name="job_detail")
def job_detail(request: Request, job_id: RecordId, session: SessionDep, viewer: ViewerDep):
    job = jobs.get_job(session, job_id)
    status = jobs.status_of(job, _timeout(request))
    if is_htmx(request) and request.query_params.get("seen") == status.token:
        return Response(status_code=204)  # nothing new to show or announce
    document = None
    if status.state is JobState.DONE and job.document_id is not None:
        try:
            document = get_document(session, job.document_id)
        except NotFound:
            document = None
    subject = _subject(session, job)
    brief = job.kind is DocumentKind.BRIEF
    return render(request, "reports/job.html", {
        "job": job, "status": status, "document": document, "kind": job.kind,
        "noun": "brief" if brief else "dossier", "subject": subject,
        "subject_url": subject and f"/{'programmes' if brief else 'hearings'}/{subject.id}",
    }, block="status")


def _subject(session, job) -> Programme | Hearing | None:
    """The programme or hearing the job is for, if the reader may still see it."""
    try:
        if job.kind is DocumentKind.BRIEF:
            return get_programme(session, job.programme_id or 0)
        return get_hearing(session, job.hearing_id or 0)
    except NotFound:
        return None


@router.post("/documents/jobs/{job_id}/retry", name="job_retry")
def job_retry(request: Request, job_id: RecordId, session: SessionDep, editor: EditorDep):
    job = jobs.get_job(session, job_id)
    if jobs.retry(session, job, editor.user, _timeout(request)):
        return _start(request, session, job.id)
    # Not failed (a second press of Retry, say): the page shows how it stands.
    return RedirectResponse(f"/documents/jobs/{job.id}", status_code=303)


@router.get("/documents/{document_id}/download", name="document_download")
def document_download(request: Request, document_id: RecordId, session: SessionDep,
                      viewer: ViewerDep):
    document = get_document(session, document_id)
    return DocumentStore(request.app.state.settings.data_dir).download(
        document.stored_name, download_name(document), f"document {document.id}")


def _timeout(request: Request) -> int:
    return request.app.state.settings.render_timeout_seconds
