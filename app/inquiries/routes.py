"""HTML routes of inquiries: list, page, create, edit, extensions, withdrawal, delete.
The numbered items are changed in place by app.inquiries.item_routes."""

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from starlette.datastructures import FormData

from app import clock
from app.access import (
    AUTHENTICATED, EditorDep, FormDep, RecordId, ViewerDep, full_clearance_to_delete,
)
from app.audit.service import RECORD_TYPES
from app.clearance import sees_everything
from app.db import SessionDep
from app.errors import Conflict, ValidationFailed
from app.forms import marking_choices, note_typed_markings, problems
from app.inquiries.attachments import AttachmentStore
from app.inquiries import items, search, service
from app.inquiries.deadlines import DeadlineRule
from app.inquiries.forms import (
    ExtensionInput, InquiryForm, WithdrawalInput,
)
from app.models import Classification, Inquiry
from app.templating import is_htmx, keep_list_url, render
from app.text import small_int

router = APIRouter(dependencies=AUTHENTICATED)


# What a change to the items did, for the notice after a plain (no-JavaScript) redirect and the
# live region after an htmx swap. Only these fixed texts are ever shown, with a number.
ITEM_MESSAGES = {
    "added": "Item {n} was added.", "saved": "Item {n} was saved.",
    "moved": "The item is now number {n}.", "removed": "Item {n} was removed.",
    "pasted": "{n} items were added from the pasted text.",
}


def item_message(done: str, number: int) -> str:
    """The notice for what a change to the items did; a single pasted item reads as one."""
    if (done, number) == ("pasted", 1):
        return "1 item was added from the pasted text."
    return ITEM_MESSAGES[done].format(n=number)

PAGE_MESSAGES = {
    "extended": "The deadline was extended.", "withdrawn": "The inquiry is marked withdrawn.",
    "restored": "The withdrawal was undone.",
}


@router.get("/inquiries", name="inquiry_list")
def inquiry_list(request: Request, session: SessionDep, viewer: ViewerDep):
    settings = request.app.state.settings
    types, ministries = service.inquiry_types(session), service.ministries(session)
    filters = search.InquiryFilters.from_query(
        request.query_params, {t.code for t in types}, {m.code for m in ministries})
    filters, programme = search.filter_programme(session, filters)
    page = search.search_inquiries(session, filters, settings.working_calendar, clock.today(),
                                   settings.page_size)
    response = render(request, "inquiries/list.html", {
        "filters": filters, "page": page, "types": types, "ministries": ministries,
        "programme": programme,
        "url_for_filters": lambda **changes: _list_url(filters, **changes),
        "deleted": request.query_params.get("deleted") == "1",
    }, block="results")
    return keep_list_url(request, response, _list_url(filters))


def _list_url(filters: search.InquiryFilters, **changes) -> str:
    params = filters.query_params(**changes)
    return "/inquiries" + (f"?{urlencode(params)}" if params else "")


@router.get("/inquiries/new", name="inquiry_new")
def inquiry_new(request: Request, session: SessionDep, editor: EditorDep):
    types = service.inquiry_types(session)
    return _render_form(request, session, InquiryForm.blank(types[0].code if types else ""),
                        inquiry=None)


@router.post("/inquiries", name="inquiry_create")
def inquiry_create(request: Request, session: SessionDep, editor: EditorDep,
                   submitted: FormDep):
    return _save(request, session, editor, submitted, inquiry=None)


@router.get("/inquiries/{inquiry_id}", name="inquiry_detail")
def inquiry_detail(request: Request, inquiry_id: RecordId, session: SessionDep,
                   viewer: ViewerDep):
    params = request.query_params
    done, number = params.get("done", ""), small_int(params.get("n"), 4)
    context = detail_context(request, session, inquiry_id, full=True)
    if done in ITEM_MESSAGES and number is not None:
        context["items_message"] = item_message(done, number)
    context["page_message"] = PAGE_MESSAGES.get(done)
    return render(request, "inquiries/detail.html", context)


def detail_context(request: Request, session, inquiry_id: int, *, full: bool | None = None,
                   **extra) -> dict:
    """What the inquiry page shows. The items block alone (for htmx) needs only the inquiry,
    its items and answers; the rest is read for the whole page (`full`)."""
    settings = request.app.state.settings
    viewer = request.state.viewer
    inquiry = service.get_inquiry(session, inquiry_id, fresh=True)
    state = service.state_of(inquiry, settings.working_calendar, clock.today())
    context = {
        "inquiry": inquiry, "state": state, "answers": state.assessments(),
        "next_number": items.next_number(session, inquiry),
        "can_remove_items": not items.removal_needs_clearance(inquiry, viewer.user.clearance),
        # An item is never marked below its inquiry, nor above its author's clearance.
        "item_marking_options": marking_choices(inquiry.classification,
                                                viewer.user.clearance),
        "add_form": {"values": {}, "errors": {}}, "paste_form": {"values": {}, "errors": {}},
        "item_form": None, "editing_item_id": None, "items_message": "", "focus": "",
        "extension": {"values": {}, "errors": {}}, "withdrawal": {"values": {}, "errors": {}},
    }
    if full or (full is None and not is_htmx(request)):
        context.update(
            rule=DeadlineRule.of(inquiry.inquiry_type),
            programmes=service.linked_programmes(session, [inquiry.id])[inquiry.id],
            follow_up_of=service.follow_up_of(session, inquiry),
            follow_ups=service.follow_ups(session, inquiry.id),
            history=service.inquiry_history(session, inquiry.id),
            can_delete=sees_everything(viewer.user.clearance),
            today=clock.today(), record_types=RECORD_TYPES,
        )
    context.update(extra)
    return context


@router.get("/inquiries/{inquiry_id}/edit", name="inquiry_edit")
def inquiry_edit(request: Request, inquiry_id: RecordId, session: SessionDep,
                 editor: EditorDep):
    inquiry = service.get_inquiry(session, inquiry_id)
    form = InquiryForm.of(inquiry, service.programme_codes(session, inquiry.id))
    return _render_form(request, session, form, inquiry=inquiry)


@router.post("/inquiries/{inquiry_id}/edit", name="inquiry_update")
def inquiry_update(request: Request, inquiry_id: RecordId, session: SessionDep,
                   editor: EditorDep, submitted: FormDep):
    inquiry = service.get_inquiry(session, inquiry_id)
    return _save(request, session, editor, submitted, inquiry=inquiry)


def _save(request: Request, session, editor, submitted: FormData, inquiry: Inquiry | None):
    """Save the form, or show it again with what was typed and a message at each bad field."""
    form = InquiryForm.from_form_data(submitted)
    data = form.validate(editor.user.clearance)
    pasted = form.pasted_questions() if inquiry is None else None
    if pasted is not None and data is not None and not data.preamble:
        data.preamble = pasted.preamble[:20000]  # the text before the first question
    conflict = None
    if data is not None and not form.errors:
        try:
            if inquiry is None:
                inquiry = service.create_inquiry(session, data, pasted.items)
            else:
                service.update_inquiry(session, inquiry, data, form.version)
        except ValidationFailed as exc:
            session.rollback()  # nothing half-saved
            form.merge_errors(exc.errors)
        except Conflict as exc:
            # Keep what they typed; the form now carries the current version, so saving again
            # replaces the other person's changes knowingly.
            conflict = exc.message
            inquiry = service.get_inquiry(session, inquiry.id, fresh=True)
            form.values["version"] = str(inquiry.version)
        else:
            return RedirectResponse(f"/inquiries/{inquiry.id}", status_code=303)
    return _render_form(request, session, form, inquiry=inquiry,
                        status_code=409 if conflict else 422, conflict=conflict)


def _render_form(request, session, form: InquiryForm, inquiry, *, status_code=200,
                 conflict=None):
    ceiling = request.state.viewer.user.clearance
    note_typed_markings(session, [form.values.get("classification", "")], ceiling)
    return render(request, "inquiries/form.html", {
        "form": form, "inquiry": inquiry, "editing": inquiry is not None,
        "form_action": f"/inquiries/{inquiry.id}/edit" if inquiry else "/inquiries",
        "type_options": [(t.code, t.name) for t in service.inquiry_types(session)],
        "ministries": service.ministries(session),
        "programme_options": [(p.reference_code, p.title)
                              for p in service.programme_choices(session)],
        "conflict": conflict,
        "marking_options": marking_choices(Classification.PUBLIC, ceiling),
    }, status_code=status_code)


# --- deadline and withdrawal -----------------------------------------------------------------

@router.post("/inquiries/{inquiry_id}/extensions", name="inquiry_extend")
def inquiry_extend(request: Request, inquiry_id: RecordId, session: SessionDep,
                   editor: EditorDep, submitted: FormDep):
    inquiry = service.get_inquiry(session, inquiry_id)
    calendar = request.app.state.settings.working_calendar
    return _page_form(request, session, inquiry_id, submitted, ExtensionInput, "extension",
                      "extended", lambda data: service.grant_extension(session, inquiry,
                                                                       calendar, data))


@router.post("/inquiries/{inquiry_id}/withdraw", name="inquiry_withdraw")
def inquiry_withdraw(request: Request, inquiry_id: RecordId, session: SessionDep,
                     editor: EditorDep, submitted: FormDep):
    inquiry = service.get_inquiry(session, inquiry_id)
    return _page_form(request, session, inquiry_id, submitted, WithdrawalInput, "withdrawal",
                      "withdrawn", lambda data: service.set_withdrawal(session, inquiry,
                                                                       data.withdrawn_on))


def _page_form(request, session, inquiry_id: int, submitted: FormData, model, form_key: str,
               done: str, apply):
    """A small form on the inquiry page: checked and applied, then back to the page with a
    notice; or the page again with what was typed and the messages next to the fields."""
    values = {name: str(submitted.get(name, "")) for name in model.model_fields}
    try:
        apply(model.model_validate(values))
    except ValidationError as exc:
        errors = problems(exc)
    except ValidationFailed as exc:
        session.rollback()
        errors = exc.errors
    else:
        return RedirectResponse(f"/inquiries/{inquiry_id}?done={done}#deadline", status_code=303)
    return _refused(request, session, inquiry_id, **{form_key: {"values": values,
                                                               "errors": errors}})


@router.post("/inquiries/{inquiry_id}/withdraw/undo", name="inquiry_withdraw_undo")
def inquiry_withdraw_undo(request: Request, inquiry_id: RecordId, session: SessionDep,
                          editor: EditorDep):
    inquiry = service.get_inquiry(session, inquiry_id)
    try:
        service.set_withdrawal(session, inquiry, None)
    except ValidationFailed as exc:
        session.rollback()
        return _refused(request, session, inquiry_id,
                        withdrawal={"values": {}, "errors": exc.errors})
    return RedirectResponse(f"/inquiries/{inquiry_id}?done=restored#deadline",
                            status_code=303)


def _refused(request, session, inquiry_id: int, **forms):
    """The inquiry page again, with the refused form's input and the message at its fields."""
    return render(request, "inquiries/detail.html",
                  detail_context(request, session, inquiry_id, full=True, **forms),
                  status_code=422)


# --- delete ----------------------------------------------------------------------------------

DeleterDep = Annotated[object, Depends(full_clearance_to_delete(
    "inquiry", "its items and answer too"))]


@router.get("/inquiries/{inquiry_id}/delete", name="inquiry_delete_confirm")
def inquiry_delete_confirm(request: Request, inquiry_id: RecordId, session: SessionDep,
                           editor: DeleterDep):
    inquiry = service.get_inquiry(session, inquiry_id)
    return render(request, "inquiries/delete.html", {
        "inquiry": inquiry, "follow_ups": service.follow_ups(session, inquiry.id)})


@router.post("/inquiries/{inquiry_id}/delete", name="inquiry_delete")
def inquiry_delete(request: Request, inquiry_id: RecordId, session: SessionDep,
                   editor: DeleterDep):
    service.delete_inquiry(session, service.get_inquiry(session, inquiry_id),
                           AttachmentStore(request.app.state.settings.data_dir))
    return RedirectResponse("/inquiries?deleted=1", status_code=303)
