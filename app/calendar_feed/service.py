"""Calendar feeds: a secret address per person, and the iCalendar file it serves. Session first;
no HTTP.

The address holds a random token; only its SHA-256 is stored, so a copy of the database does not
open anyone's calendar. The file is computed at its owner's clearance, set on the session by
`feed_calendar` before it reads anything.
"""

import hashlib
import re
import secrets
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event
from sqlmodel import Session, select

from app.clearance import set_reader_clearance
from app.inquiries.deadlines import WorkingCalendar
from app.inquiries.listing import register_listed, states_of
from app.models import CalendarFeed, Classification, Hearing, User, utcnow

# Hearings are held in the Bundestag, in Berlin; their stored start time is local time there.
HEARING_TIMEZONE = ZoneInfo("Europe/Berlin")
UID_DOMAIN = "oversight-desk"
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,100}$")


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def active_feed(session: Session, user_id: int) -> CalendarFeed | None:
    return session.exec(
        select(CalendarFeed)
        .where(CalendarFeed.user_id == user_id, CalendarFeed.revoked_at.is_(None))
        .order_by(CalendarFeed.created_at.desc())
    ).first()


def revoke_feeds(session: Session, user_id: int) -> int:
    """Stop every address of this person from working; returns how many were live."""
    feeds = session.exec(
        select(CalendarFeed)
        .where(CalendarFeed.user_id == user_id, CalendarFeed.revoked_at.is_(None))
    ).all()
    now = utcnow()
    for feed in feeds:
        feed.revoked_at = now
    session.flush()
    return len(feeds)


def create_feed(session: Session, user_id: int) -> str:
    """A new secret address for this person, replacing any earlier one. Returns the token: it
    is shown once and cannot be recovered."""
    revoke_feeds(session, user_id)
    token = secrets.token_urlsafe(32)
    session.add(CalendarFeed(user_id=user_id, token_hash=_token_hash(token)))
    session.flush()
    return token


def feed_owner(session: Session, token: str) -> User | None:
    """The active account a live address belongs to; None for an unknown or revoked address or
    a deactivated account, which all answer alike."""
    if not _TOKEN.match(token):
        return None
    return session.exec(
        select(User)
        .join(CalendarFeed, CalendarFeed.user_id == User.id)
        .where(CalendarFeed.token_hash == _token_hash(token), CalendarFeed.revoked_at.is_(None),
               User.active.is_(True))
    ).first()


def feed_calendar(session: Session, owner: User, calendar: WorkingCalendar, today: date,
                  site_url: str) -> bytes:
    """Due dates of open inquiries and all hearings the feed's owner may see, as iCalendar.
    `site_url` (no trailing slash) makes the links in each event."""
    # From here on the session reads as the owner, whoever asks: the address is the sign-in.
    set_reader_clearance(session, owner.clearance)
    cal = Calendar()
    cal.add("prodid", "-//Oversight Desk//Calendar feed//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "Oversight Desk")
    stamp = datetime.now(UTC)
    # Only the open inquiries with a due date are loaded in full.
    waiting = [row.id for row in register_listed(session, calendar, today)
               if row.status.is_open and row.due_date is not None]
    for state in states_of(session, calendar, today, waiting):
        inquiry = state.inquiry
        url = f"{site_url}/inquiries/{inquiry.id}"
        event = _event(f"inquiry-{inquiry.id}", stamp, inquiry.classification,
                       " ".join(filter(None, ["Due:", inquiry.reference, inquiry.title])))
        event.add("dtstart", state.due_date)  # a date: an all-day event
        event.add("description", f"Status: {state.status.label}\n{url}")
        event.add("url", url)
        cal.add_component(event)
    for hearing in session.exec(select(Hearing).order_by(Hearing.held_on, Hearing.id)).all():
        url = f"{site_url}/hearings/{hearing.id}"
        event = _event(f"hearing-{hearing.id}", stamp, hearing.classification,
                       f"Hearing: {hearing.title}")
        if hearing.starts_at is not None:
            event.add("dtstart", datetime.combine(hearing.held_on, hearing.starts_at,
                                                  HEARING_TIMEZONE))
        else:
            event.add("dtstart", hearing.held_on)
        if hearing.location:
            event.add("location", hearing.location)
        event.add("description", f"{hearing.committee}\n{url}")
        event.add("url", url)
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()


def _event(uid: str, stamp: datetime, level: Classification, summary: str) -> Event:
    """An event with a stable UID; classified content carries its marking in the title, since a
    calendar program shows it far from any page marking."""
    event = Event()
    event.add("uid", f"{uid}@{UID_DOMAIN}")
    event.add("dtstamp", stamp)
    if level > Classification.PUBLIC:
        summary = f"[{level.marking}] {summary}"
        event.add("class", "CONFIDENTIAL")
    event.add("summary", summary)
    return event

