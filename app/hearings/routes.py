"""HTML routes for hearings: list, page, create, edit, delete, and the agenda edited in place."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData

from app import clock
from app.access import (
    AUTHENTICATED, EditorDep, FormDep, RecordId, ViewerDep, full_clearance_to_delete,
)
from app.db import SessionDep
from app.forms import marking_choices, note_typed_markings
from app.errors import Conflict, ValidationFailed
from app.hearings import forms, service
from app.models import Classification, Hearing
from app.paging import typed_words
from app.reports.service import documents_panel
from app.templating import is_htmx, render
from app.text import clean_text, record_id, small_int

router = APIRouter(dependencies=AUTHENTICATED)


@router.get("/hearings", name="hearing_list")
def hearing_list(request: Request, session: SessionDep, viewer: ViewerDep):
    return render(request, "hearings/list.html", {
        "hearings": service.list_hearings(session, clock.today()),
        "deleted": request.query_params.get("deleted") == "1",
    })


@router.get("/hearings/new", name="hearing_new")
def hearing_new(request: Request, session: SessionDep, editor: EditorDep):
    return _render_form(request, session, None, forms.blank_values(), {})


@router.post("/hearings", name="hearing_create")
def hearing_create(request: Request, session: SessionDep, editor: EditorDep, submitted: FormDep):
    return _save(request, session, editor, None, submitted)


@router.get("/hearings/{hearing_id}", name="hearing_detail")
def hearing_detail(request: Request, hearing_id: RecordId, session: SessionDep, viewer: ViewerDep):
    hearing = service.get_hearing(session, hearing_id)
    return _render_page(request, session, hearing)


@router.get("/hearings/{hearing_id}/edit", name="hearing_edit")
def hearing_edit(request: Request, hearing_id: RecordId, session: SessionDep, editor: EditorDep):
    hearing = service.get_hearing(session, hearing_id)
    return _render_form(request, session, hearing, forms.values_of(hearing), {})


@router.post("/hearings/{hearing_id}/edit", name="hearing_update")
def hearing_update(request: Request, hearing_id: RecordId, session: SessionDep, editor: EditorDep,
                   submitted: FormDep):
    hearing = service.get_hearing(session, hearing_id)
    return _save(request, session, editor, hearing, submitted)


# Deleting a hearing deletes its agenda, with items naming programmes a reader may not see.
DeleterDep = Annotated[object, Depends(full_clearance_to_delete("hearing", "its whole agenda"))]


@router.get("/hearings/{hearing_id}/delete", name="hearing_delete_confirm")
def hearing_delete_confirm(request: Request, hearing_id: RecordId, session: SessionDep,
                           editor: DeleterDep):
    hearing = service.get_hearing(session, hearing_id)
    return render(request, "hearings/delete.html", {
        "hearing": hearing, "agenda": service.agenda(session, hearing),
    })


@router.post("/hearings/{hearing_id}/delete", name="hearing_delete")
def hearing_delete(hearing_id: RecordId, session: SessionDep, editor: DeleterDep):
    hearing = service.get_hearing(session, hearing_id)
    service.delete_hearing(session, hearing)
    return RedirectResponse("/hearings?deleted=1", status_code=303)


# --- agenda ---------------------------------------------------------------------------------

@router.post("/hearings/{hearing_id}/agenda", name="agenda_add")
def agenda_add(request: Request, hearing_id: RecordId, session: SessionDep, editor: EditorDep,
               submitted: FormDep):
    hearing = service.get_hearing(session, hearing_id)
    typed = {"programme_id": str(submitted.get("programme_id", "")),
             "note": str(submitted.get("note", ""))}
    try:
        note = clean_text(typed["note"], label="The note", max_length=1000)
    except ValueError as exc:
        return _agenda_refused(request, session, hearing, typed, {"note": str(exc)})
    try:
        service.add_to_agenda(session, hearing, small_int(typed["programme_id"]), note)
    except ValidationFailed as exc:
        session.rollback()
        return _agenda_refused(request, session, hearing, typed, exc.errors)
    return _agenda_changed(request, session, hearing, "The programme was added to the agenda.",
                           focus="programme_id")


@router.post("/hearings/{hearing_id}/agenda/{agenda_item_id}/move", name="agenda_move")
def agenda_move(request: Request, hearing_id: RecordId, agenda_item_id: RecordId,
                session: SessionDep,
                editor: EditorDep, submitted: FormDep):
    hearing = service.get_hearing(session, hearing_id)
    item = service.get_agenda_item(session, hearing, agenda_item_id)
    direction = str(submitted.get("direction", ""))
    if direction not in ("up", "down"):
        return _agenda_refused(request, session, hearing, {},
                               {"__all__": "Choose to move the item up or down."})
    service.move_agenda_item(session, hearing, item, up=direction == "up")
    return _agenda_changed(request, session, hearing, f"The item was moved {direction}.",
                           moved=item.id, focus=f"move-{direction}-{item.id}")


@router.post("/hearings/{hearing_id}/agenda/{agenda_item_id}/delete", name="agenda_remove")
def agenda_remove(request: Request, hearing_id: RecordId, agenda_item_id: RecordId,
                  session: SessionDep,
                  editor: EditorDep):
    hearing = service.get_hearing(session, hearing_id)
    service.remove_agenda_item(session, service.get_agenda_item(session, hearing, agenda_item_id))
    return _agenda_changed(request, session, hearing,
                           "The programme was removed from the agenda.")


def _agenda_changed(request, session, hearing: Hearing, announcement: str,
                    moved: int | None = None, focus: str = "agenda-heading"):
    """htmx gets the new agenda, with the keyboard focus on what the person will want next (the
    swap replaces the button they pressed); a plain form goes back to the hearing page."""
    if is_htmx(request):
        return _render_page(request, session, hearing, announcement=announcement, focus=focus)
    anchor = f"#agenda-item-{moved}" if moved else "#agenda"
    return RedirectResponse(f"/hearings/{hearing.id}{anchor}", status_code=303)


def _agenda_refused(request, session, hearing: Hearing, typed: dict, errors: dict):
    # htmx swaps only successful answers, so the agenda with its message comes back as 200;
    # without JavaScript the whole page comes back as 422.
    return _render_page(request, session, hearing, typed=typed, errors=errors,
                        status_code=200 if is_htmx(request) else 422)


def _focus_on_rendered(focus: str | None, agenda: list, choices: list) -> str | None:
    """The element to focus, if it is on the new agenda: a move button gone because the item
    reached an end hands over to the other one; the heading takes what is left."""
    if focus is None:
        return None
    if focus == "programme_id":
        return focus if choices else "agenda-heading"
    if focus.startswith("move-"):
        _, direction, item_id = focus.split("-")
        ids = [entry.item.id for entry in agenda]
        if len(ids) < 2 or int(item_id) not in ids:
            return "agenda-heading"
        if ids.index(int(item_id)) == (0 if direction == "up" else len(ids) - 1):
            return f"move-{'down' if direction == 'up' else 'up'}-{item_id}"
    return focus


def _render_page(request, session, hearing: Hearing, *, typed=None, errors=None,
                 announcement: str = "", status_code: int = 200, focus: str | None = None):
    agenda = service.agenda(session, hearing)
    choices = None
    if request.state.viewer.can_edit:
        choices = service.agenda_choices(
            session, hearing, typed_words(request.query_params.get("find"), 100),
            keep=record_id((typed or {}).get("programme_id")))
    # The dossier section is not part of the agenda block that htmx swaps.
    panel = None if is_htmx(request) else documents_panel(
        session, request.state.viewer, request.app.state.settings.render_timeout_seconds,
        hearing=hearing)
    return render(request, "hearings/detail.html", {
        "hearing": hearing,
        "panel": panel,
        "agenda": agenda,
        "choices": choices,
        "focus": _focus_on_rendered(focus, agenda, choices.shown if choices else []),
        "announcement": announcement,
        "typed": typed or {},
        "errors": errors or {},
    }, block="agenda", status_code=status_code)


# --- the hearing form -----------------------------------------------------------------------

def _save(request, session, editor, hearing: Hearing | None, submitted: FormData):
    """Save, or show the form again with what was typed and a message at each bad field."""
    values = forms.typed_values(submitted)
    data, errors = forms.check(values, editor.user.clearance)
    if data is None:
        return _render_form(request, session, hearing, values, errors, status_code=422)
    try:
        if hearing is None:
            hearing = service.create_hearing(session, data)
        else:
            service.update_hearing(session, hearing, data, small_int(values["version"]))
    except Conflict as exc:
        # Keep what they typed; the form now carries the current version, so saving again
        # replaces the other person's changes knowingly.
        hearing = service.get_hearing(session, hearing.id)
        values["version"] = str(hearing.version)
        return _render_form(request, session, hearing, values, {}, status_code=409,
                            conflict=exc.message)
    return RedirectResponse(f"/hearings/{hearing.id}", status_code=303)


def _render_form(request, session, hearing: Hearing | None, values: dict[str, str],
                 errors: dict[str, str], *, status_code: int = 200, conflict: str | None = None):
    ceiling = request.state.viewer.user.clearance
    note_typed_markings(session, [values.get("classification")], ceiling)
    return render(request, "hearings/form.html", {
        "hearing": hearing, "values": values, "errors": errors, "conflict": conflict,
        "marking_options": marking_choices(Classification.PUBLIC, ceiling),
    }, status_code=status_code)
