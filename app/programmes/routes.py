"""HTML routes of the programme register: list, page, chart, create, edit, delete."""

import re
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from app import clock
from app.access import (
    AUTHENTICATED, EditorDep, FormDep, RecordId, ViewerDep, full_clearance_to_delete,
)
from app.config import Settings
from app.db import SessionDep
from app.forms import marking_choices, note_typed_markings
from app.errors import Conflict, NotFound, ValidationFailed
from app.formatting import cents_to_decimal, country_choices, country_name
from app.inquiries.service import inquiries_about
from app.models import Classification, Programme
from app.programmes import search, service
from app.programmes.chart import funding_chart_svg
from app.programmes.forms import ProgrammeForm, blank_funding_row, blank_source_row
from app.reports.service import documents_panel
from app.safeguards import service as safeguards
from app.templating import keep_list_url, render
from app.text import small_int

router = APIRouter(dependencies=AUTHENTICATED)


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


SettingsDep = Annotated[Settings, Depends(get_settings)]


@router.get("/programmes", name="programme_list")
def programme_list(request: Request, session: SessionDep, settings: SettingsDep,
                   viewer: ViewerDep):
    instruments = search.list_instruments(session)
    filters = search.ProgrammeFilters.from_query(
        request.query_params, search.instrument_codes(instruments)
    )
    page = search.search_programmes(session, filters, settings.page_size)
    countries = set(search.countries_in_register(session))
    if filters.country:
        countries.add(filters.country)
    context = {
        "filters": filters,
        "page": page,
        "instruments": instruments,
        "countries": sorted(((c, country_name(c)) for c in countries), key=lambda c: c[1]),
        "url_for_filters": lambda **changes: _list_url(filters, **changes),
        "deleted": request.query_params.get("deleted") == "1",
    }
    response = render(request, "programmes/list.html", context, block="results")
    return keep_list_url(request, response, _list_url(filters))


def _list_url(filters: search.ProgrammeFilters, **changes) -> str:
    params = filters.query_params(**changes)
    return "/programmes" + (f"?{urlencode(params)}" if params else "")


@router.get("/programmes/new", name="programme_new")
def programme_new(request: Request, session: SessionDep, editor: EditorDep):
    return _render_form(request, session, ProgrammeForm.blank(), programme=None)


@router.post("/programmes", name="programme_create")
def programme_create(request: Request, session: SessionDep, editor: EditorDep,
                     submitted: FormDep):
    return _save(request, session, editor, submitted, programme=None)


@router.get("/programmes/{programme_id}", name="programme_detail")
def programme_detail(request: Request, programme_id: RecordId, session: SessionDep,
                     settings: SettingsDep, viewer: ViewerDep):
    programme = service.get_programme(session, programme_id, notes=True)
    totals = service.programme_totals(programme)
    return render(request, "programmes/detail.html", {
        "programme": programme,
        "totals": totals,
        "chart_currencies": [t.currency for t in totals],
        "has_unverified": any(s.confidence.value == "unverified" for s in programme.sources),
        "history": service.programme_history(session, programme.id),
        "scorecard": safeguards.scorecard(session, programme),
        "inquiries": inquiries_about(session, programme.id,
                                     request.app.state.settings.working_calendar, clock.today()),
        "panel": documents_panel(session, viewer, settings.render_timeout_seconds,
                                 programme=programme),
    })


@router.get("/programmes/{programme_id}/funding.svg", name="programme_funding_chart")
def programme_funding_chart(programme_id: RecordId, session: SessionDep, viewer: ViewerDep,
                            currency: str = "EUR"):
    if not re.fullmatch(r"[A-Z]{3}", currency):
        raise NotFound("Chart")
    programme = service.get_programme(session, programme_id)
    rows = service.funding_by_year(programme, currency)
    if not rows:  # no lines in this currency that the reader may see
        raise NotFound("Chart")
    marking = max(line.classification for line in programme.funding_lines
                  if line.currency == currency)
    return Response(funding_chart_svg(rows, currency, marking), media_type="image/svg+xml")


@router.get("/programmes/{programme_id}/edit", name="programme_edit")
def programme_edit(request: Request, programme_id: RecordId, session: SessionDep,
                   editor: EditorDep):
    programme = service.get_programme(session, programme_id)
    return _render_form(request, session, _form_from(programme), programme=programme)


@router.post("/programmes/{programme_id}/edit", name="programme_update")
def programme_update(request: Request, programme_id: RecordId, session: SessionDep,
                     editor: EditorDep, submitted: FormDep):
    programme = service.get_programme(session, programme_id)
    return _save(request, session, editor, submitted, programme=programme)


DeleterDep = Annotated[object, Depends(full_clearance_to_delete(
    "programme", "everything the programme holds"))]


@router.get("/programmes/{programme_id}/delete", name="programme_delete_confirm")
def programme_delete_confirm(request: Request, programme_id: RecordId, session: SessionDep,
                             editor: DeleterDep):
    programme = service.get_programme(session, programme_id, notes=True)
    return render(request, "programmes/delete.html", {"programme": programme})


@router.post("/programmes/{programme_id}/delete", name="programme_delete")
def programme_delete(programme_id: RecordId, session: SessionDep, editor: DeleterDep):
    programme = service.get_programme(session, programme_id)
    service.delete_programme(session, programme)
    return RedirectResponse("/programmes?deleted=1", status_code=303)


def _save(request: Request, session, editor, submitted: FormData, programme: Programme | None):
    """Save the form, or show it again with what was typed and a message at each bad field.

    The buttons that add or remove a funding line or source submit the same form with an
    `action`; they re-render it (the whole page, or only the changed fieldset for htmx).
    """
    form = ProgrammeForm.from_form_data(submitted)
    action = str(submitted.get("action", "save"))
    if action != "save":
        return _edit_rows(request, session, form, programme, action)

    data = form.validate(editor.user.clearance)
    # Checked every time, so every problem is reported in one round.
    form.merge_errors(service.reference_problems(
        session, form.values.get("reference_code", "").strip(),
        form.values.get("instrument", "").strip(), programme.id if programme else None,
    ))
    conflict = None
    if data is not None and not form.errors:
        try:
            if programme is None:
                programme = service.create_programme(session, data)
            else:
                service.update_programme(session, programme, data, form.version)
        except ValidationFailed as exc:
            session.rollback()  # nothing half-saved
            form.merge_errors(exc.errors)
        except Conflict as exc:
            # Keep what they typed; the form now carries the current version, so saving again
            # replaces the other person's changes knowingly.
            conflict = exc.message
            programme = service.get_programme(session, programme.id)
            form.values["version"] = str(programme.version)
        else:
            return RedirectResponse(f"/programmes/{programme.id}", status_code=303)
    return _render_form(request, session, form, programme=programme, status_code=409 if conflict
                        else 422, conflict=conflict)


def _edit_rows(request, session, form: ProgrammeForm, programme, action: str):
    block = new_row = None
    if action == "add-funding":
        form.funding.append(blank_funding_row())
        block, new_row = "funding_lines", f"funding-{len(form.funding) - 1}-year"
    elif action == "add-source":
        form.sources.append(blank_source_row())
        block, new_row = "sources", f"source-{len(form.sources) - 1}-title"
    elif action.startswith("remove-funding-"):
        _remove(form.funding, action.removeprefix("remove-funding-"))
        block = "funding_lines"
    elif action.startswith("remove-source-"):
        _remove(form.sources, action.removeprefix("remove-source-"))
        block = "sources"
    return _render_form(request, session, form, programme=programme, block=block,
                        new_row=new_row)


def _remove(rows: list, index: str) -> None:
    position = small_int(index, 4)
    if position is not None and position < len(rows):
        del rows[position]


def _render_form(request, session, form: ProgrammeForm, programme, *, block=None,
                 new_row=None, status_code=200, conflict=None):
    ceiling = request.state.viewer.user.clearance
    note_typed_markings(session, form.typed_markings(), ceiling)
    context = {
        "form": form,
        "programme": programme,
        "editing": programme is not None,
        "form_action": f"/programmes/{programme.id}/edit" if programme else "/programmes",
        "instrument_options": [(i.code, i.name) for i in search.list_instruments(session)],
        "country_choices": country_choices(),
        "new_row": new_row,
        "conflict": conflict,
        "marking_options": marking_choices(Classification.PUBLIC, ceiling),
    }
    return render(request, "programmes/form.html", context, block=block,
                  status_code=status_code)


def _form_from(programme: Programme) -> ProgrammeForm:
    """The edit form, filled from the stored programme."""
    values = {
        "reference_code": programme.reference_code,
        "title": programme.title,
        "instrument": programme.instrument.code,
        "recipient_country": programme.recipient_country,
        "recipient_units": programme.recipient_units,
        "legal_basis": programme.legal_basis,
        "implementing_bodies": programme.implementing_bodies,
        "start_date": programme.start_date.isoformat() if programme.start_date else "",
        "end_date": programme.end_date.isoformat() if programme.end_date else "",
        "status": programme.status.value,
        "summary": programme.summary,
        "classification": programme.classification.name.lower(),
        "version": str(programme.version),
    }
    funding = [
        {"year": str(line.year), "kind": line.kind.value,
         "amount": _plain_amount(cents_to_decimal(line.amount_cents)),
         "currency": line.currency, "note": line.note,
         "classification": line.classification.name.lower()}
        for line in programme.funding_lines
    ]
    sources = [
        {"id": str(s.id), "title": s.title, "url": s.url, "confidence": s.confidence.value,
         "note": s.note,
         "classification": s.classification.name.lower()}
        for s in programme.sources
    ]
    return ProgrammeForm(
        values=values, kinds=[k.kind.value for k in programme.kinds],
        funding=funding or [blank_funding_row()], sources=sources or [blank_source_row()],
    )


def _plain_amount(amount) -> str:
    return str(amount.quantize(1)) if amount == amount.to_integral_value() else str(amount)
