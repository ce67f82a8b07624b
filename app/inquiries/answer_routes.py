"""HTML routes for an inquiry's answer: the answer form (log, edit, fill from a pasted answer),
removing the answer, its files (upload, download, delete) and the follow-up inquiry."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from starlette.datastructures import UploadFile

from app import clock
from app.access import (
    AUTHENTICATED, EditorDep, FormDep, RecordId, ViewerDep, full_clearance_to_delete,
)
from app.clearance import sees_everything
from app.db import SessionDep
from app.errors import Conflict, ValidationFailed
from app.forms import marking_choices, note_typed_markings, problems
from app.inquiries import answers, attachments
from app.inquiries.answer_form import AnswerForm, AttachmentInput, PasteReport
from app.files import safe_filename
from app.inquiries.attachments import AttachmentStore, UploadRefused
from app.inquiries.follow_up import create_follow_up, unsatisfactory_items
from app.inquiries.service import get_inquiry, state_of
from app.models import Inquiry
from app.templating import render

router = APIRouter(dependencies=AUTHENTICATED)


# Removing an answer removes every item and file of it, seen or not.
DeleterDep = Annotated[object, Depends(full_clearance_to_delete(
    "answer", "every part of it"))]


def _store(request: Request) -> AttachmentStore:
    return AttachmentStore(request.app.state.settings.data_dir)


@router.get("/inquiries/{inquiry_id}/answer", name="answer_form")
def answer_form(request: Request, inquiry_id: RecordId, session: SessionDep, editor: EditorDep):
    inquiry = get_inquiry(session, inquiry_id)
    return _render(request, session, inquiry, AnswerForm.from_inquiry(inquiry))


@router.post("/inquiries/{inquiry_id}/answer", name="answer_save")
def answer_save(request: Request, inquiry_id: RecordId, session: SessionDep, editor: EditorDep,
                submitted: FormDep):
    """Save everything or nothing; the "split" action only fills the questions from the pasted
    answer and shows the form again (the whole form, or for htmx the form's block)."""
    inquiry = get_inquiry(session, inquiry_id)
    form = AnswerForm.from_form_data(submitted, inquiry.items)
    report = form.apply_paste()
    if str(submitted.get("action", "save")) == "split":
        return _render(request, session, inquiry, form, paste_report=report, block="answer_form")
    today = clock.today()
    data = form.validate(editor.user.clearance, {
        "submitted_on": inquiry.submitted_on, "today": today, "floor": inquiry.classification,
        "ministry_ids": {m.id for m in answers.ministries(session)},
    })
    conflict = None
    if data is not None:
        try:
            answers.save_answer(session, inquiry, data, form.version, today)
        except (ValidationFailed, Conflict) as exc:
            session.rollback()  # nothing half-saved
            inquiry = get_inquiry(session, inquiry_id)
            if isinstance(exc, ValidationFailed):
                form.errors.update(exc.errors)
            else:
                # Keep what they typed; the form now carries the current version, so saving
                # again replaces the other person's changes knowingly.
                conflict = exc.message
                form.values["version"] = str(inquiry.answer.version) if inquiry.answer else ""
        else:
            return RedirectResponse(f"/inquiries/{inquiry.id}", status_code=303)
    return _render(request, session, inquiry, form, paste_report=report, conflict=conflict,
                   status_code=409 if conflict else 422)


@router.get("/inquiries/{inquiry_id}/answer/delete", name="answer_delete_confirm")
def answer_delete_confirm(request: Request, inquiry_id: RecordId, session: SessionDep,
                          editor: DeleterDep):
    inquiry = get_inquiry(session, inquiry_id)
    return render(request, "inquiries/answer_delete.html",
                  {"inquiry": inquiry, "answer": answers.require_answer(inquiry)})


@router.post("/inquiries/{inquiry_id}/answer/delete", name="answer_delete")
def answer_delete(request: Request, inquiry_id: RecordId, session: SessionDep, editor: DeleterDep):
    inquiry = get_inquiry(session, inquiry_id)
    answers.delete_answer(session, answers.require_answer(inquiry), _store(request))
    return RedirectResponse(f"/inquiries/{inquiry.id}", status_code=303)


@router.post("/inquiries/{inquiry_id}/answer/attachments", name="attachment_upload")
def attachment_upload(request: Request, inquiry_id: RecordId, session: SessionDep,
                      editor: EditorDep,
                      submitted: FormDep):
    inquiry = get_inquiry(session, inquiry_id)
    answer = answers.require_answer(inquiry)
    values = {"classification": str(submitted.get("classification", "")),
              "is_annex": str(submitted.get("is_annex", ""))}
    errors: dict[str, str] = {}
    try:
        typed = AttachmentInput.model_validate(
            values, context={"clearance": editor.user.clearance})
    except ValidationError as exc:
        typed = None
        errors = problems(exc)
    upload = submitted.get("file")
    if not isinstance(upload, UploadFile) or not (upload.filename or upload.size):
        errors.setdefault("file", "Choose the PDF file of the answer to upload.")
    if typed is not None and not errors:
        try:
            attachment = attachments.add_attachment(
                session, _store(request), answer, upload.file,
                safe_filename(upload.filename),
                classification=typed.classification, is_annex=typed.is_annex,
                limit_bytes=request.app.state.settings.max_upload_mb * 1024 * 1024,
            )
        except UploadRefused as exc:
            errors.update(exc.errors)
        else:
            return RedirectResponse(
                f"/inquiries/{inquiry.id}/answer#attachment-{attachment.id}", status_code=303)
    return _render(request, session, inquiry, AnswerForm.from_inquiry(inquiry),
                   upload=(values, errors), status_code=422)


@router.get("/attachments/{attachment_id}", name="attachment_download")
def attachment_download(request: Request, attachment_id: RecordId, session: SessionDep,
                        viewer: ViewerDep):
    attachment = attachments.get_attachment(session, attachment_id)
    return _store(request).download(attachment.stored_name, attachment.filename,
                                    f"attachment {attachment.id}")


@router.post("/attachments/{attachment_id}/delete", name="attachment_delete")
def attachment_delete(request: Request, attachment_id: RecordId, session: SessionDep,
                      editor: EditorDep):
    attachment = attachments.get_attachment(session, attachment_id)
    inquiry_id = attachments.inquiry_id_of(session, attachment)
    attachments.delete_attachment(session, _store(request), attachment)
    return RedirectResponse(f"/inquiries/{inquiry_id}/answer#attachments", status_code=303)


@router.post("/inquiries/{inquiry_id}/follow-up", name="follow_up_create")
def follow_up_create(request: Request, inquiry_id: RecordId, session: SessionDep,
                     editor: EditorDep):
    inquiry = get_inquiry(session, inquiry_id)
    try:
        draft = create_follow_up(session, inquiry)
    except ValidationFailed as exc:
        return render(request, "inquiries/follow_up_refused.html",
                      {"inquiry": inquiry, "message": exc.errors["follow_up"]}, status_code=422)
    return RedirectResponse(f"/inquiries/{draft.id}", status_code=303)


def _render(request: Request, session, inquiry: Inquiry, form: AnswerForm, *,
            paste_report: PasteReport | None = None, conflict: str | None = None,
            upload: tuple[dict[str, str], dict[str, str]] | None = None, block: str | None = None,
            status_code: int = 200):
    # What is shown again includes what was typed: the page is marked as high as any marking
    # chosen in it (never above the viewer's own clearance, which the form cannot offer).
    ceiling = request.state.viewer.user.clearance
    upload_values, upload_errors = upload or (
        {"classification": inquiry.answer.classification.name.lower() if inquiry.answer
         else "", "is_annex": ""}, {})
    note_typed_markings(session, [*form.chosen_markings(), upload_values["classification"]],
                        ceiling)
    settings = request.app.state.settings
    return render(request, "inquiries/answer_form.html", {
        "inquiry": inquiry,
        "state": state_of(inquiry, settings.working_calendar, clock.today()),
        "form": form,
        "paste_report": paste_report,
        "conflict": conflict,
        "ministry_options": [(str(m.id), f"{m.code} – {m.name}")
                             for m in answers.ministries(session)],
        "answer_markings": marking_choices(inquiry.classification, ceiling),
        "item_markings": {
            q.id: marking_choices(max(q.classification, inquiry.classification), ceiling)
            for q in inquiry.items
        },
        "upload_values": upload_values,
        "upload_errors": upload_errors,
        "upload_markings": marking_choices(
            inquiry.answer.classification if inquiry.answer else inquiry.classification, ceiling),
        "max_upload_mb": settings.max_upload_mb,
        "follow_up_items": unsatisfactory_items(inquiry),
        "can_delete": sees_everything(ceiling),
    }, block=block, status_code=status_code)
