"""Reading the audit trail: filtered, newest first, never above the reader's clearance."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, UTC

import sqlalchemy as sa
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, select

from app.clearance import reader_clearance
from app.errors import Conflict
from app.models import AuditEvent
from app.paging import Paged, page_asked, page_within
from app.text import small_int

RECORD_TYPES = {
    "programme": "Programme", "funding_line": "Funding line", "source": "Source",
    "note": "Note", "safeguard_rating": "Safeguard rating",
    "safeguard_evidence": "Safeguard evidence", "inquiry": "Inquiry",
    "inquiry_item": "Inquiry item", "inquiry_ministry": "Addressed ministry",
    "inquiry_programme": "Inquiry–programme link", "extension": "Deadline extension",
    "answer": "Answer", "answer_item": "Answer to an item", "attachment": "Attachment",
    "hearing": "Hearing", "agenda_item": "Agenda item", "user": "Account",
    "import_run": "Import",
    "api_token": "API token",
}


@dataclass(frozen=True)
class AuditFilters:
    user_id: int | None = None
    record_type: str = ""
    date_from: date | None = None
    date_to: date | None = None
    page: int = 1

    @classmethod
    def from_query(cls, params) -> "AuditFilters":
        def day(value):
            try:
                parsed = date.fromisoformat(str(value)) if value else None
            except ValueError:
                return None
            return parsed if parsed is None or 1900 <= parsed.year <= 9000 else None

        record_type = str(params.get("type") or "")
        return cls(
            user_id=small_int(params.get("user")),
            record_type=record_type if record_type in RECORD_TYPES else "",
            date_from=day(params.get("from")),
            date_to=day(params.get("to")),
            page=page_asked(params.get("page")),
        )


@dataclass
class AuditPage(Paged):
    events: list[AuditEvent]
    total: int
    page: int
    page_size: int


def visible_events(session: Session):
    """SELECT of the audit events this reader may see.

    An event keeps the classification it was written with, and the trail is append-only; so
    once a record (or the programme, inquiry or hearing it belongs to) has any event above the
    reader's clearance, every event about it is hidden: its earlier, public-looking history
    included.
    """
    other = sa.alias(AuditEvent.__table__, "other")  # a plain table: not clearance-filtered
    clearance = int(reader_clearance(session))
    same_record = sa.and_(other.c.record_type == AuditEvent.record_type,
                          other.c.record_id == AuditEvent.record_id)
    its_parent = sa.and_(other.c.record_type == AuditEvent.parent_type,
                         other.c.record_id == AuditEvent.parent_id)
    above = sa.exists().where(sa.or_(same_record, its_parent),
                              other.c.classification > clearance)
    return select(AuditEvent).where(~above)


def search_events(session: Session, filters: AuditFilters, page_size: int = 50) -> AuditPage:
    query = visible_events(session)
    if filters.user_id is not None:
        query = query.where(AuditEvent.user_id == filters.user_id)
    if filters.record_type:
        query = query.where(AuditEvent.record_type == filters.record_type)
    if filters.date_from:
        query = query.where(AuditEvent.at >= datetime.combine(filters.date_from, time(), UTC))
    if filters.date_to:
        end = datetime.combine(filters.date_to + timedelta(days=1), time(), UTC)
        query = query.where(AuditEvent.at < end)
    total = session.exec(select(sa.func.count()).select_from(query.subquery())).one()
    page = page_within(filters.page, total, page_size)
    events = list(session.exec(
        query.order_by(AuditEvent.id.desc()).offset((page - 1) * page_size).limit(page_size)
    ))
    return AuditPage(events=events, total=total, page=page, page_size=page_size)


def changed_since_message(session: Session, record_type: str, record_id: int) -> str:
    """'Changed by Anna Weber at 2026-03-02 14:05 UTC since you opened it.'"""
    last = session.exec(
        select(AuditEvent)
        .where(AuditEvent.record_type == record_type, AuditEvent.record_id == record_id)
        .order_by(AuditEvent.id.desc())
    ).first()
    who = f" by {last.actor} at {last.at:%Y-%m-%d %H:%M} UTC" if last else ""
    return (f"This record was changed{who} since you opened it. Your changes have not been "
            "saved; they are still in the form below. Check the current version, then save "
            "again to replace it with yours.")


@contextmanager
def conflict_if_changed(session: Session, record_type: str, record_id: int) -> Iterator[None]:
    """Around the flush of an edit carrying the version its form was opened at: if someone saved
    the record since, undo the whole request's changes and raise Conflict saying who."""
    try:
        yield
    except StaleDataError:
        session.rollback()
        raise Conflict(changed_since_message(session, record_type, record_id)) from None


def history_of(session: Session, record_type: str, record_id: int,
               limit: int = 100) -> list[AuditEvent]:
    """Events on a record (a programme, an inquiry) and on its parts, newest first, as far as
    the reader may see."""
    return list(session.exec(
        visible_events(session)
        .where(sa.or_(
            sa.and_(AuditEvent.record_type == record_type, AuditEvent.record_id == record_id),
            sa.and_(AuditEvent.parent_type == record_type, AuditEvent.parent_id == record_id),
        ))
        .order_by(AuditEvent.id.desc())
        .limit(limit)
    ))
