"""API: the programme register. Lists with the HTML list's filters (app.programmes.search);
create and change with the form's rules (ProgrammeInput) and its optimistic locking."""

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from sqlmodel import Session

from app.access import RecordId
from app.api.auth import ApiEditorDep, ApiViewerDep
from app.api.common import PagingDep, checked, page_fields, require_version
from app.api.schemas import (
    ProgrammeCreate, ProgrammePage, ProgrammeRead, ProgrammeUpdate, errors,
)
from app.db import SessionDep
from app.models import AssistanceKind, Programme, ProgrammeStatus
from app.programmes import search, service
from app.programmes.schemas import ProgrammeInput

router = APIRouter(tags=["programmes"])


def summary(programme: Programme, totals) -> dict:
    return {
        "id": programme.id, "reference_code": programme.reference_code,
        "title": programme.title, "classification": programme.classification,
        "instrument": programme.instrument.code,
        "recipient_country": programme.recipient_country, "status": programme.status,
        "kinds": [k.kind for k in programme.kinds], "start_date": programme.start_date,
        "end_date": programme.end_date, "totals": totals,
    }


def programme_read(session: Session, programme_id: int) -> ProgrammeRead:
    """The programme as stored now, with everything the reader may see of it."""
    programme = service.get_programme(session, programme_id)
    return ProgrammeRead.model_validate({
        **summary(programme, service.programme_totals(programme)),
        **{name: getattr(programme, name) for name in (
            "recipient_units", "legal_basis", "implementing_bodies", "summary", "version",
            "created_at", "updated_at", "funding_lines", "sources")},
    })


@router.get("/programmes", response_model=ProgrammePage, name="api_programme_list",
            responses=errors(401, 422))
def programme_list(
    request: Request, session: SessionDep, viewer: ApiViewerDep, paging: PagingDep,
    q: Annotated[str, Query(max_length=200, description="Words in codes, titles, text.")] = "",
    instrument: Annotated[str, Query(max_length=20, description="Instrument code.")] = "",
    country: Annotated[str, Query(max_length=2, description="ISO 3166-1 alpha-2.")] = "",
    status: ProgrammeStatus | None = None,
    kind: AssistanceKind | None = None,
    sort: search.SortKey = search.SortKey.REFERENCE,
    dir: Literal["asc", "desc"] = "asc",
):
    # The parameters above document and check the query; the list page's own parsing reads it.
    filters = search.ProgrammeFilters.from_query(
        request.query_params, search.instrument_codes(search.list_instruments(session)))
    page = search.search_programmes(session, filters, paging.page_size)
    return ProgrammePage(
        items=[summary(p, page.row_totals.get(p.id, [])) for p in page.programmes],
        totals=page.totals, **page_fields(page))


@router.get("/programmes/{programme_id}", response_model=ProgrammeRead,
            name="api_programme_detail", responses=errors(401, 404))
def programme_detail(programme_id: RecordId, session: SessionDep, viewer: ApiViewerDep):
    return programme_read(session, programme_id)


@router.post("/programmes", response_model=ProgrammeRead, status_code=201,
             name="api_programme_create", responses=errors(400, 401, 403, 422))
def programme_create(body: ProgrammeCreate, session: SessionDep, editor: ApiEditorDep):
    data = checked(ProgrammeInput, body.model_dump(mode="json"), editor.user.clearance)
    programme = service.create_programme(session, data)
    session.expire(programme)  # read back as stored, with its instrument
    return programme_read(session, programme.id)


@router.patch("/programmes/{programme_id}", response_model=ProgrammeRead,
              name="api_programme_update", responses=errors(400, 401, 403, 404, 409, 422))
def programme_update(programme_id: RecordId, body: ProgrammeUpdate, session: SessionDep,
                     editor: ApiEditorDep):
    programme = service.get_programme(session, programme_id)
    changes = body.model_dump(mode="json", exclude_unset=True)
    version = changes.pop("version")
    require_version("programme", programme.version, version)
    data = checked(ProgrammeInput, {**stored_input(programme), **changes},
                   editor.user.clearance)
    service.update_programme(session, programme, data, version)
    session.expire(programme)
    return programme_read(session, programme.id)


def stored_input(programme: Programme) -> dict:
    """The programme as input, to apply a partial change to: what the caller can see of it.
    Funding lines and sources above their clearance were never loaded and stay as they are."""
    def plain(value):
        if hasattr(value, "isoformat"):
            return value.isoformat()
        return getattr(value, "value", value)

    values = {name: plain(getattr(programme, name)) for name in (
        "reference_code", "title", "recipient_country", "recipient_units", "legal_basis",
        "implementing_bodies", "start_date", "end_date", "status", "summary")}
    marking = {"classification": programme.classification.name.lower()}
    return {
        **values, **marking, "instrument": programme.instrument.code,
        "kinds": [k.kind.value for k in programme.kinds],
        "funding": [{"year": line.year, "kind": line.kind.value,
                     "amount_cents": line.amount_cents, "currency": line.currency,
                     "note": line.note, "classification": line.classification}
                    for line in programme.funding_lines],
        "sources": [{"id": s.id, "title": s.title, "url": s.url, "confidence": s.confidence.value,
                     "note": s.note, "classification": s.classification}
                    for s in programme.sources],
    }
