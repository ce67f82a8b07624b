"""HTML routes of the programme register: list, page, chart, create, edit, delete."""

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from app.config import Settings
from app.db import SessionDep
from app.errors import ValidationFailed
from app.formatting import cents_to_decimal, country_choices, country_name
from app.models import Programme
from app.programmes import service
from app.programmes.chart import funding_chart_svg
from app.programmes.schemas import ProgrammeForm, blank_funding_row, blank_source_row
from app.templating import is_htmx, render

router = APIRouter()


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


SettingsDep = Annotated[Settings, Depends(get_settings)]


@router.get("/programmes", name="programme_list")
def programme_list(request: Request, session: SessionDep, settings: SettingsDep):
    filters = service.ProgrammeFilters.from_query(request.query_params)
    page = service.search_programmes(session, filters, settings.page_size)
    countries = sorted(
        service.countries_in_register(session) + ([filters.country] if filters.country else []),
    )
    context = {
        "filters": filters,
        "page": page,
        "instruments": service.list_instruments(session),
        "countries": sorted({(c, country_name(c)) for c in countries}, key=lambda c: c[1]),
        "url_for_filters": lambda **changes: _list_url(filters, **changes),
        "deleted": request.query_params.get("deleted", "")[:40],
    }
    return render(request, "programmes/list.html", context, block="results")


def _list_url(filters: service.ProgrammeFilters, **changes) -> str:
    params = filters.query_params(**changes)
    return "/programmes" + (f"?{urlencode(params)}" if params else "")


@router.get("/programmes/new", name="programme_new")
def programme_new(request: Request, session: SessionDep):
    return _render_form(request, session, ProgrammeForm.blank(), programme=None)


@router.post("/programmes", name="programme_create")
async def programme_create(request: Request, session: SessionDep):
    submitted = await request.form()
    form = ProgrammeForm.from_form_data(submitted)
    return _save(request, session, form, None, str(submitted.get("action", "save")))


@router.get("/programmes/{programme_id}", name="programme_detail")
def programme_detail(request: Request, programme_id: int, session: SessionDep):
    programme = service.get_programme(session, programme_id)
    totals = service.programme_totals(programme)
    return render(request, "programmes/detail.html", {
        "programme": programme,
        "totals": totals,
        "chart_currencies": [t.currency for t in totals],
        "has_unverified": any(s.confidence.value == "unverified" for s in programme.sources),
    })


@router.get("/programmes/{programme_id}/funding.svg", name="programme_funding_chart")
def programme_funding_chart(programme_id: int, session: SessionDep, currency: str = "EUR"):
    programme = service.get_programme(session, programme_id)
    rows = service.funding_by_year(programme, currency.upper()[:3])
    return Response(
        funding_chart_svg(rows, currency.upper()[:3]), media_type="image/svg+xml",
    )


@router.get("/programmes/{programme_id}/edit", name="programme_edit")
def programme_edit(request: Request, programme_id: int, session: SessionDep):
    programme = service.get_programme(session, programme_id)
    return _render_form(request, session, _form_from(programme), programme=programme)


@router.post("/programmes/{programme_id}/edit", name="programme_update")
async def programme_update(request: Request, programme_id: int, session: SessionDep):
    programme = service.get_programme(session, programme_id)
    submitted = await request.form()
    form = ProgrammeForm.from_form_data(submitted)
    return _save(request, session, form, programme, str(submitted.get("action", "save")))


@router.get("/programmes/{programme_id}/delete", name="programme_delete_confirm")
def programme_delete_confirm(request: Request, programme_id: int, session: SessionDep):
    programme = service.get_programme(session, programme_id)
    return render(request, "programmes/delete.html", {"programme": programme})


@router.post("/programmes/{programme_id}/delete", name="programme_delete")
def programme_delete(programme_id: int, session: SessionDep):
    programme = service.get_programme(session, programme_id)
    reference = programme.reference_code
    service.delete_programme(session, programme)
    return RedirectResponse(f"/programmes?{urlencode({'deleted': reference})}", status_code=303)


def _save(request: Request, session, form: ProgrammeForm, programme: Programme | None,
          action: str):
    """Save the form, or show it again with what was typed and a message at each bad field.

    The buttons that add or remove a funding line or source submit the same form with an
    `action`; they re-render it (the whole page, or only the changed fieldset for htmx).
    """
    if action != "save":
        return _edit_rows(request, session, form, programme, action)

    data = form.validate()
    if data is not None:
        try:
            if programme is None:
                programme = service.create_programme(session, data)
            else:
                service.update_programme(session, programme, data)
        except ValidationFailed as exc:
            session.rollback()  # nothing half-saved
            form.errors.update(exc.errors)
        else:
            return RedirectResponse(f"/programmes/{programme.id}", status_code=303)
    return _render_form(request, session, form, programme=programme, status_code=422)


def _edit_rows(request, session, form: ProgrammeForm, programme, action: str):
    block = None
    if action == "add-funding":
        form.funding.append(blank_funding_row())
        block = "funding_lines"
    elif action == "add-source":
        form.sources.append(blank_source_row())
        block = "sources"
    elif action.startswith("remove-funding-"):
        _remove(form.funding, action.removeprefix("remove-funding-"))
        block = "funding_lines"
    elif action.startswith("remove-source-"):
        _remove(form.sources, action.removeprefix("remove-source-"))
        block = "sources"
    return _render_form(request, session, form, programme=programme, block=block)


def _remove(rows: list, index: str) -> None:
    if index.isdigit() and int(index) < len(rows):
        del rows[int(index)]


def _render_form(request, session, form: ProgrammeForm, programme, *, block=None,
                 status_code=200):
    context = {
        "form": form,
        "programme": programme,
        "editing": programme is not None,
        "form_action": f"/programmes/{programme.id}/edit" if programme else "/programmes",
        "instrument_options": [(i.code, i.name) for i in service.list_instruments(session)],
        "country_choices": country_choices(),
    }
    return render(request, "programmes/form.html", context, block=block,
                  status_code=status_code if not (block and is_htmx(request)) else 200)


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
    }
    funding = [
        {"year": str(line.year), "kind": line.kind.value,
         "amount": _plain_amount(cents_to_decimal(line.amount_cents)),
         "currency": line.currency, "note": line.note}
        for line in programme.funding_lines
    ]
    sources = [
        {"title": s.title, "url": s.url, "confidence": s.confidence.value, "note": s.note}
        for s in programme.sources
    ]
    return ProgrammeForm(
        values=values, kinds=[k.kind.value for k in programme.kinds],
        funding=funding or [blank_funding_row()], sources=sources or [blank_source_row()],
    )


def _plain_amount(amount) -> str:
    return str(amount.quantize(1)) if amount == amount.to_integral_value() else str(amount)
