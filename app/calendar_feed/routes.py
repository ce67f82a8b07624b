"""The calendar feed: create, replace and revoke one's secret address (account page), and the
feed itself, which a calendar program fetches without a session cookie."""

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import RedirectResponse, Response

from app import clock
from app.access import AUTHENTICATED, ViewerDep
from app.accounts.routes import account_context
from app.calendar_feed import service
from app.db import SessionDep
from app.errors import NotFound
from app.templating import render

router = APIRouter(dependencies=AUTHENTICATED)
# No session: the secret in the address says whose calendar it is.
public_router = APIRouter()

FeedToken = Annotated[str, Path(max_length=100)]


def feed_url(request: Request, token: str) -> str:
    return str(request.url_for("calendar_feed", token=token))


@router.post("/account/calendar", name="calendar_feed_create")
def create_feed(request: Request, session: SessionDep, viewer: ViewerDep):
    """A new address, replacing any earlier one; shown this once, like a generated password."""
    token = service.create_feed(session, viewer.user.id)
    return render(request, "accounts/account.html", {
        **account_context(session, viewer), "new_feed_url": feed_url(request, token),
    })


@router.post("/account/calendar/revoke", name="calendar_feed_revoke")
def revoke_feed(session: SessionDep, viewer: ViewerDep):
    service.revoke_feeds(session, viewer.user.id)
    return RedirectResponse("/account?calendar=revoked#calendar-feed", status_code=303)


@public_router.get("/calendar/{token}.ics", name="calendar_feed")
def calendar_feed(request: Request, token: FeedToken, session: SessionDep):
    owner = service.feed_owner(session, token)
    if owner is None:
        raise NotFound("Calendar")
    site_url = str(request.base_url).rstrip("/")
    body = service.feed_calendar(session, owner, request.app.state.settings.working_calendar,
                                 clock.today(), site_url)
    return Response(body, media_type="text/calendar; charset=utf-8", headers={
        "Cache-Control": "no-store",
        "Content-Disposition": 'inline; filename="oversight-desk.ics"',
    })
