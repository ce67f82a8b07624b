"""HTML routes for imports (staff: upload, preview, import) and exports (everyone signed in)."""

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, RedirectResponse, StreamingResponse
from sqlmodel import Session
from starlette.datastructures import UploadFile

from app.access import AUTHENTICATED, EditorDep, FormDep, RecordId, ViewerDep
from app.clearance import set_reader_clearance
from app.db import SessionDep
from app.errors import NotFound, ValidationFailed
from app.files import content_disposition, safe_filename
from app.models import ImportKind, ImportRun
from app.templating import render
from app.transfer import service
from app.transfer.columns import template_csv
from app.transfer.exports import DATASETS, FORMATS, export
from app.transfer.plan import Action, Plan

router = APIRouter(dependencies=AUTHENTICATED)

CHUNK_BYTES = 1024 * 1024
KIND_OPTIONS = [(k.value, k.label) for k in ImportKind]


def _store(request: Request) -> service.ImportStore:
    return service.ImportStore(request.app.state.settings.data_dir)


def _index(request: Request, session: Session, editor, errors=None, values=None,
           status_code: int = 200):
    return render(request, "imports/index.html", {
        "kind_options": KIND_OPTIONS, "errors": errors or {}, "values": values or {},
        "runs": service.recent_runs(session, editor.user.id),
    }, status_code=status_code)


@router.get("/imports", name="import_page")
def import_page(request: Request, session: SessionDep, editor: EditorDep):
    return _index(request, session, editor)


@router.get("/imports/template.csv", name="import_template")
def import_template(editor: EditorDep):
    return PlainTextResponse(template_csv(), media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": content_disposition("programmes-template.csv", ".csv")})


@router.post("/imports", name="import_upload")
def import_upload(request: Request, session: SessionDep, editor: EditorDep, submitted: FormDep):
    """Keep the file and show its plan (303 to the run's page); nothing is imported yet."""
    kind_text = str(submitted.get("kind", ""))
    upload = submitted.get("file")
    errors = {}
    if kind_text not in {k.value for k in ImportKind}:
        errors["kind"] = "Choose what the file holds."
    if not isinstance(upload, UploadFile) or not (upload.filename or upload.size):
        errors["file"] = "Choose the file to import."
    if errors:
        return _index(request, session, editor, errors, {"kind": kind_text}, 422)
    kind, store = ImportKind(kind_text), _store(request)
    limit = request.app.state.settings.max_import_mb * 1024 * 1024
    try:
        received = service.receive(store, iter(lambda: upload.file.read(CHUNK_BYTES), b""),
                                   limit)
    except ValidationFailed as exc:
        return _index(request, session, editor, exc.errors, {"kind": kind_text}, 422)
    try:
        plan = service.preview(session, kind, received.path, editor.user.clearance)
        run = service.start_run(session, store, received, kind,
                                safe_filename(upload.filename, "import"), editor.user.id,
                                editor.user.name, plan)
    finally:
        received.path.unlink(missing_ok=True)  # gone already once kept
    return RedirectResponse(f"/imports/{run.id}", status_code=303)


def _run_page(request: Request, run: ImportRun, plan: Plan | None, message: str = "",
              status_code: int = 200):
    return render(request, "imports/run.html", {
        "run": run, "plan": plan, "message": message, "actions": list(Action),
    }, status_code=status_code)


@router.get("/imports/{run_id}", name="import_run")
def import_run(request: Request, run_id: RecordId, session: SessionDep, editor: EditorDep):
    """The plan of a file not yet imported (read again: the register may have changed), or
    what an import did."""
    run = service.get_run(session, run_id, editor.user.id)
    if run.imported_at is not None:
        return _run_page(request, run, None)
    plan = service.preview(session, run.kind, _store(request).path(run.stored_name),
                           editor.user.clearance)
    if plan.figures() != service.expected(run):
        service.replan(run, plan)
    return _run_page(request, run, plan)


@router.post("/imports/{run_id}/commit", name="import_commit")
def import_commit(request: Request, run_id: RecordId, session: SessionDep, editor: EditorDep):
    """Import everything the preview showed, in one transaction, or nothing."""
    run = service.get_run(session, run_id, editor.user.id)
    if not service.claim(session, run):  # imported already, or being imported just now
        return RedirectResponse(f"/imports/{run.id}", status_code=303)
    store, clearance = _store(request), editor.user.clearance
    path = store.path(run.stored_name)
    try:
        plan = service.commit(session, run.kind, path, clearance, service.expected(run))
    except service.PlanChanged as exc:
        session.rollback()
        run = service.get_run(session, run_id, editor.user.id)
        plan = service.preview(session, run.kind, path, clearance)
        if not plan.refused:  # the register refused a change the preview could not foresee
            for problem in exc.plan.problems:
                plan.add(problem)
        service.replan(run, plan)
        return _run_page(request, run, plan, "The register changed since the preview, so "
                         "nothing was imported. This is the plan now: check it and import "
                         "again.", 409)
    if plan.refused:
        session.rollback()
        run = service.get_run(session, run_id, editor.user.id)
        return _run_page(request, run, plan, "Nothing was imported.", 422)
    service.finish_run(session, store, run, plan)
    return RedirectResponse(f"/imports/{run.id}", status_code=303)


@router.get("/exports", name="export_page")
def export_page(request: Request, viewer: ViewerDep):
    return render(request, "imports/exports.html", {"datasets": DATASETS, "formats": FORMATS})


@router.get("/exports/{export_name}", name="export_download")
def export_download(request: Request, export_name: str, viewer: ViewerDep):
    """The export streamed from its own session (the request's is closed before the body is
    sent), read at the viewer's clearance."""
    dataset, _, file_format = export_name.partition(".")
    if dataset not in DATASETS or file_format not in FORMATS:
        raise NotFound("Export")
    session = Session(request.app.state.engine)
    set_reader_clearance(session, viewer.user.clearance)
    try:
        made = export(session, dataset, file_format)
    except BaseException:
        session.close()
        raise

    def body():
        try:
            for chunk in made.chunks:
                yield chunk.encode("utf-8")
        finally:
            session.close()

    return StreamingResponse(body(), media_type=made.media_type, headers={
        "Content-Disposition": content_disposition(made.filename, f".{file_format}"),
        "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store",
        "X-Marking": made.marking.marking})
