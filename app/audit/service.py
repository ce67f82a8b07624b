"""Reading the audit trail: filtered, newest first, never above the reader's clearance."""

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, UTC

import sqlalchemy as sa
from sqlmodel import Session, select

from app.models import AuditEvent

RECORD_TYPES = {
    "programme": "Programme", "funding_line": "Funding line", "source": "Source",
    "note": "Note", "user": "Account",
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
                return date.fromisoformat(str(value)) if value else None
            except ValueError:
                return None

        user = str(params.get("user") or "")
        page = str(params.get("page") or "1")
        record_type = str(params.get("type") or "")
        return cls(
            user_id=int(user) if user.isdigit() and len(user) < 12 else None,
            record_type=record_type if record_type in RECORD_TYPES else "",
            date_from=day(params.get("from")),
            date_to=day(params.get("to")),
            page=max(1, min(int(page), 100_000)) if page.isdigit() and len(page) < 7 else 1,
        )


@dataclass
class AuditPage:
    events: list[AuditEvent]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.page_size))


def search_events(session: Session, filters: AuditFilters, page_size: int = 50) -> AuditPage:
    query = select(AuditEvent)
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
    page = min(filters.page, max(1, math.ceil(total / page_size)))
    events = list(session.exec(
        query.order_by(AuditEvent.id.desc()).offset((page - 1) * page_size).limit(page_size)
    ))
    return AuditPage(events=events, total=total, page=page, page_size=page_size)
