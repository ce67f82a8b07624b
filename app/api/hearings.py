"""API: committee hearings and their agendas (app.hearings.service); an agenda item shows only
when the reader may see its programme."""

from fastapi import APIRouter

from app import clock
from app.access import RecordId
from app.api.auth import ApiViewerDep
from app.api.common import PagingDep, page_fields
from app.api.schemas import HearingPage, HearingRead, errors
from app.db import SessionDep
from app.hearings import service
from app.models import Hearing
from app.paging import PageNumbers, page_within

router = APIRouter(tags=["hearings"])


def summary(hearing: Hearing, agenda_count: int) -> dict:
    return {**{name: getattr(hearing, name) for name in (
        "id", "committee", "title", "held_on", "starts_at", "location", "classification")},
        "agenda_count": agenda_count}


@router.get("/hearings", response_model=HearingPage, name="api_hearing_list",
            responses=errors(401, 422))
def hearing_list(session: SessionDep, viewer: ApiViewerDep, paging: PagingDep):
    """Upcoming hearings, soonest first, then past ones, latest first (as on the page)."""
    listed = service.list_hearings(session, clock.today())
    # A committee holds a few dozen hearings a year: the service lists them all.
    every = [*listed.upcoming, *listed.past]
    page = PageNumbers(len(every), page_within(paging.page, len(every), paging.page_size),
                       paging.page_size)
    shown = every[(page.page - 1) * page.page_size: page.page * page.page_size]
    return HearingPage(items=[summary(s.hearing, s.agenda_count) for s in shown],
                       **page_fields(page))


@router.get("/hearings/{hearing_id}", response_model=HearingRead, name="api_hearing_detail",
            responses=errors(401, 404))
def hearing_detail(hearing_id: RecordId, session: SessionDep, viewer: ApiViewerDep):
    hearing = service.get_hearing(session, hearing_id)
    agenda = service.agenda(session, hearing)
    return HearingRead.model_validate({
        **summary(hearing, len(agenda)), "notes": hearing.notes, "version": hearing.version,
        "agenda": [{"id": entry.item.id, "position": entry.item.position,
                    "note": entry.item.note, "programme": entry.programme,
                    "totals": entry.totals} for entry in agenda],
    })
