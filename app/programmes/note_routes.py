"""Notes on a programme: committee assessments and working notes, usually classified."""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from pydantic import ValidationError, field_validator
from starlette.datastructures import FormData

from app.access import AUTHENTICATED, EditorDep, FormDep, RecordId
from app.db import SessionDep
from app.forms import marking_choices, note_typed_markings
from app.errors import Conflict
from app.models import Classification, ProgrammeNote
from app.programmes import service
from app.programmes.schemas import Marked
from app.templating import render
from app.text import clean_text, small_int

router = APIRouter(dependencies=AUTHENTICATED)


class NoteInput(Marked):
    title: str
    body: str = ""

    @field_validator("title", mode="before")
    @classmethod
    def _title(cls, value: Any) -> str:
        return clean_text(str(value or ""), label="The title", max_length=200, required=True)

    @field_validator("body", mode="before")
    @classmethod
    def _body(cls, value: Any) -> str:
        return clean_text(str(value or ""), label="The note", max_length=20000, multiline=True,
                          markdown=True)


def _note_form(request, programme, note, values: dict[str, str], errors: dict[str, str],
               status_code: int = 200, conflict: str | None = None):
    ceiling = request.state.viewer.user.clearance
    note_typed_markings(request.state.db, [values.get("classification")], ceiling)
    return render(request, "programmes/note_form.html", {
        "programme": programme, "note": note, "values": values, "errors": errors,
        "conflict": conflict,
        "marking_options": marking_choices(Classification.PUBLIC, ceiling),
    }, status_code=status_code)


def _values(note: ProgrammeNote | None, programme) -> dict[str, str]:
    if note is None:
        default = max(Classification.RESTRICTED, programme.classification)
        return {"title": "", "body": "", "classification": default.name.lower(), "version": ""}
    return {"title": note.title, "body": note.body,
            "classification": note.classification.name.lower(), "version": str(note.version)}


def _programme_and_note(session, programme_id: int, note_id: int):
    """Both, or NotFound if either is missing or above the reader's clearance."""
    programme = service.get_programme(session, programme_id)
    return programme, service.get_note(session, programme, note_id)


@router.get("/programmes/{programme_id}/notes/new", name="note_new")
def note_new(request: Request, programme_id: RecordId, session: SessionDep, editor: EditorDep):
    programme = service.get_programme(session, programme_id)
    return _note_form(request, programme, None, _values(None, programme), {})


@router.post("/programmes/{programme_id}/notes", name="note_create")
def note_create(request: Request, programme_id: RecordId, session: SessionDep, editor: EditorDep,
                submitted: FormDep):
    programme = service.get_programme(session, programme_id)
    return _save(request, session, editor, programme, None, submitted)


@router.get("/programmes/{programme_id}/notes/{note_id}/edit", name="note_edit")
def note_edit(request: Request, programme_id: RecordId, note_id: RecordId, session: SessionDep,
              editor: EditorDep):
    programme, note = _programme_and_note(session, programme_id, note_id)
    return _note_form(request, programme, note, _values(note, programme), {})


@router.post("/programmes/{programme_id}/notes/{note_id}/edit", name="note_update")
def note_update(request: Request, programme_id: RecordId, note_id: RecordId, session: SessionDep,
                editor: EditorDep, submitted: FormDep):
    programme, note = _programme_and_note(session, programme_id, note_id)
    return _save(request, session, editor, programme, note, submitted)


@router.get("/programmes/{programme_id}/notes/{note_id}/delete", name="note_delete_confirm")
def note_delete_confirm(request: Request, programme_id: RecordId, note_id: RecordId,
                        session: SessionDep,
                        editor: EditorDep):
    programme, note = _programme_and_note(session, programme_id, note_id)
    return render(request, "programmes/note_delete.html", {"programme": programme, "note": note})


@router.post("/programmes/{programme_id}/notes/{note_id}/delete", name="note_delete")
def note_delete(programme_id: RecordId, note_id: RecordId, session: SessionDep, editor: EditorDep):
    programme, note = _programme_and_note(session, programme_id, note_id)
    service.delete_note(session, note)
    return RedirectResponse(f"/programmes/{programme.id}#notes", status_code=303)


def _save(request, session, editor, programme, note, submitted: FormData):
    values = {name: str(submitted.get(name, "")) for name in
              ("title", "body", "classification", "version")}
    try:
        data = NoteInput.model_validate(values, context={"clearance": editor.user.clearance})
    except ValidationError as exc:
        errors = {}
        for error in exc.errors():
            errors.setdefault(str(error["loc"][0]), error["msg"].removeprefix("Value error, "))
        return _note_form(request, programme, note, values, errors, status_code=422)
    version = small_int(values["version"])
    try:
        note = service.save_note(session, programme, note, title=data.title, body=data.body,
                                 classification=data.classification, opened_version=version)
    except Conflict as exc:
        note = service.get_note(session, programme, note.id)
        values["version"] = str(note.version)
        return _note_form(request, programme, note, values, {}, status_code=409,
                          conflict=exc.message)
    return RedirectResponse(f"/programmes/{programme.id}#note-{note.id}", status_code=303)
