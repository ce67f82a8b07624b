"""The inquiry list: filters from the URL, sorting and one page of results.

Status is derived, not stored, so the status filter and the default order (overdue first) are
applied to the derived states in Python, after the database has narrowed the rows by what it
stores. Only a few columns of each match are read for that (app.inquiries.listing), and the order
found is kept until the register changes (app.derived); the rows of the page shown are loaded
in full.
"""

from dataclasses import dataclass, replace
from datetime import date
from enum import Enum

import sqlalchemy as sa
from sqlmodel import Session, select

from app.derived import derived
from app.inquiries.deadlines import WorkingCalendar
from app.inquiries.listing import Listed, register_listed, states_of
from app.inquiries.service import InquiryState
from app.inquiries.status import InquiryStatus
from app.paging import Paged, choice_or, page_asked, page_within, typed_words, url_params
from app.models import Inquiry, InquiryMinistry, InquiryProgramme, InquiryType, Ministry, Programme
from app.text import record_id


class SortKey(str, Enum):
    DUE = "due"
    REFERENCE = "reference"
    TITLE = "title"
    SUBMITTED = "submitted"


# The default order: what needs chasing first, then what is still open, then the rest.
_URGENCY = {
    InquiryStatus.OVERDUE: 0, InquiryStatus.DUE_SOON: 1, InquiryStatus.SUBMITTED: 1,
    InquiryStatus.DRAFT: 2, InquiryStatus.PARTIALLY_ANSWERED: 3, InquiryStatus.ANSWERED: 3,
    InquiryStatus.WITHDRAWN: 4,
}


@dataclass(frozen=True)
class InquiryFilters:
    """What the list is narrowed to; each field maps to one URL query parameter."""

    q: str = ""
    status: InquiryStatus | None = None
    type: str = ""
    ministry: str = ""
    programme: int | None = None
    sort: SortKey = SortKey.DUE
    descending: bool = False
    page: int = 1

    @classmethod
    def from_query(cls, params, type_codes: set[str], ministry_codes: set[str]) -> "InquiryFilters":
        """Filters from query parameters; values that mean nothing are dropped, never an error."""
        kind = str(params.get("type") or "")
        ministry = str(params.get("ministry") or "")
        return cls(
            q=typed_words(params.get("q"), 200),
            status=choice_or(InquiryStatus, params.get("status")),
            type=kind if kind in type_codes else "",
            ministry=ministry if ministry in ministry_codes else "",
            programme=record_id(params.get("programme")),
            sort=choice_or(SortKey, params.get("sort"), SortKey.DUE),
            descending=params.get("dir") == "desc",
            page=page_asked(params.get("page")),
        )

    def query_params(self, **changes) -> dict[str, str]:
        """These filters as URL parameters (defaults left out), with `changes` applied."""
        values = {
            "q": self.q, "status": self.status.value if self.status else "",
            "type": self.type, "ministry": self.ministry,
            "programme": str(self.programme) if self.programme else "",
            "sort": self.sort.value if self.sort != SortKey.DUE else "",
            "dir": "desc" if self.descending else "",
            "page": str(self.page) if self.page > 1 else "",
        }
        return url_params(values, changes)

    @property
    def active(self) -> bool:
        return bool(self.q or self.status or self.type or self.ministry or self.programme)


@dataclass
class InquiryPage(Paged):
    rows: list[InquiryState]
    total: int
    page: int
    page_size: int


def filter_programme(session: Session, filters: InquiryFilters
                     ) -> tuple[InquiryFilters, Programme | None]:
    """The programme filtered by, if the reader may see it. A programme above their clearance
    is dropped like one that does not exist: its links must not show which inquiries are about
    it."""
    if filters.programme is None:
        return filters, None
    programme = session.exec(select(Programme).where(Programme.id == filters.programme)).first()
    return (filters, programme) if programme else (replace(filters, programme=None), None)


def _where(filters: InquiryFilters):
    conditions = []
    if filters.type:
        conditions.append(Inquiry.inquiry_type_id.in_(
            select(InquiryType.id).where(InquiryType.code == filters.type)))
    if filters.ministry:
        conditions.append(Inquiry.id.in_(
            select(InquiryMinistry.inquiry_id)
            .join(Ministry, Ministry.id == InquiryMinistry.ministry_id)
            .where(Ministry.code == filters.ministry)))
    if filters.programme:
        conditions.append(Inquiry.id.in_(
            select(InquiryProgramme.inquiry_id)
            .where(InquiryProgramme.programme_id == filters.programme)))
    for word in filters.q.split()[:8]:
        conditions.append(sa.or_(*[
            column.icontains(word, autoescape=True)
            for column in (Inquiry.reference, Inquiry.title, Inquiry.asked_by, Inquiry.faction)
        ]))
    return sa.and_(*conditions) if conditions else None


def _order(rows: list[Listed], sort: SortKey, descending: bool) -> list[Listed]:
    if sort == SortKey.DUE:
        rows = sorted(rows, key=lambda s: (_URGENCY[s.status], s.due_date or date.max, s.id))
        return rows[::-1] if descending else rows
    if sort == SortKey.SUBMITTED:
        # Drafts (no date) last, either direction.
        dated = sorted((s for s in rows if s.submitted_on),
                       key=lambda s: (s.submitted_on, s.id), reverse=descending)
        return dated + [s for s in rows if not s.submitted_on]
    field = "reference" if sort == SortKey.REFERENCE else "title"
    return sorted(rows, key=lambda s: (getattr(s, field).casefold(), s.id), reverse=descending)


def search_inquiries(session: Session, filters: InquiryFilters, calendar: WorkingCalendar,
                     today: date, page_size: int) -> InquiryPage:
    """One page of the inquiries matching `filters`, with their derived status and due date.
    Every match is sorted by a few columns; only the page's rows are loaded in full."""
    order = derived(session, ("inquiry list", replace(filters, page=1), calendar, today),
                    lambda: _matching(session, filters, calendar, today))
    page = page_within(filters.page, len(order), page_size)
    shown = list(order[(page - 1) * page_size: page * page_size])
    return InquiryPage(rows=states_of(session, calendar, today, shown), total=len(order),
                       page=page, page_size=page_size)


def _matching(session: Session, filters: InquiryFilters, calendar: WorkingCalendar,
              today: date) -> tuple[int, ...]:
    """The ids of every inquiry matching `filters`, in the list's order: the register's
    inquiries as listed (kept), narrowed by what the database stores, then by status."""
    rows = register_listed(session, calendar, today)
    where = _where(filters)
    if where is not None:
        wanted = set(session.exec(select(Inquiry.id).where(where)))
        rows = [s for s in rows if s.id in wanted]
    if filters.status:
        rows = [s for s in rows if s.status == filters.status]
    return tuple(s.id for s in _order(rows, filters.sort, filters.descending))
