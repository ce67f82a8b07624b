"""The programme list: filters from the URL, one page of results, and money totals."""

from dataclasses import dataclass, field
from enum import Enum

import pycountry
import sqlalchemy as sa
from sqlalchemy.orm import selectinload
from sqlmodel import Session, select

from app.clearance import note_marking
from app.formatting import countries_matching
from app.paging import Paged, choice_or, page_within, typed_words, url_params
from app.models import (
    AssistanceKind, FundingKind, FundingLine, Instrument, Programme, ProgrammeKind,
    ProgrammeStatus,
)


class SortKey(str, Enum):
    REFERENCE = "reference"
    TITLE = "title"
    INSTRUMENT = "instrument"
    STATUS = "status"
    START = "start"


SORT_COLUMNS = {
    SortKey.REFERENCE: Programme.reference_code,
    SortKey.TITLE: Programme.title,
    SortKey.INSTRUMENT: Instrument.code,
    SortKey.STATUS: Programme.status,
    SortKey.START: Programme.start_date,
}


@dataclass(frozen=True)
class ProgrammeFilters:
    """What the list is narrowed to; each field maps to one URL query parameter."""

    q: str = ""
    instrument: str = ""
    country: str = ""
    status: ProgrammeStatus | None = None
    kind: AssistanceKind | None = None
    sort: SortKey = SortKey.REFERENCE
    descending: bool = False
    page: int = 1

    @classmethod
    def from_query(cls, params, instrument_codes: set[str]) -> "ProgrammeFilters":
        """Filters from query parameters; values that mean nothing are dropped, never an error."""
        try:
            page = max(1, min(int(params.get("page") or 1), 100_000))
        except ValueError:
            page = 1
        return cls(
            q=typed_words(params.get("q"), 200),
            instrument=_known(str(params.get("instrument") or "").upper(), instrument_codes),
            country=_known(str(params.get("country") or "").upper(), COUNTRY_CODES),
            status=choice_or(ProgrammeStatus, params.get("status")),
            kind=choice_or(AssistanceKind, params.get("kind")),
            sort=choice_or(SortKey, params.get("sort"), SortKey.REFERENCE),
            descending=params.get("dir") == "desc",
            page=page,
        )

    def query_params(self, **changes) -> dict[str, str]:
        """These filters as URL parameters (defaults left out), with `changes` applied."""
        values = {
            "q": self.q, "instrument": self.instrument, "country": self.country,
            "status": self.status.value if self.status else "",
            "kind": self.kind.value if self.kind else "",
            "sort": self.sort.value if self.sort != SortKey.REFERENCE else "",
            "dir": "desc" if self.descending else "",
            "page": str(self.page) if self.page > 1 else "",
        }
        return url_params(values, changes)

    @property
    def active(self) -> bool:
        return bool(self.q or self.instrument or self.country or self.status or self.kind)


COUNTRY_CODES = frozenset(c.alpha_2 for c in pycountry.countries)


def _known(value: str, allowed) -> str:
    return value if value in allowed else ""


@dataclass
class MoneyTotal:
    currency: str
    committed_cents: int = 0
    disbursed_cents: int = 0


@dataclass
class ProgrammePage(Paged):
    programmes: list[Programme]
    total: int
    page: int
    page_size: int
    totals: list[MoneyTotal]
    row_totals: dict[int, list[MoneyTotal]] = field(default_factory=dict)


def list_instruments(session: Session) -> list[Instrument]:
    return list(session.exec(select(Instrument).order_by(Instrument.position, Instrument.id)))


def instrument_codes(instruments: list[Instrument]) -> set[str]:
    return {i.code for i in instruments}


def countries_in_register(session: Session) -> list[str]:
    rows = session.exec(
        select(Programme.recipient_country, sa.func.max(Programme.classification))
        .group_by(Programme.recipient_country)
    ).all()
    note_marking(session, max((level for _, level in rows), default=None))
    return [country for country, _ in rows]


def _filtered_ids(filters: ProgrammeFilters):
    """A SELECT of the ids of programmes matching `filters`, for reuse in other queries."""
    query = select(Programme.id).join(Instrument, Instrument.id == Programme.instrument_id)
    if filters.instrument:
        query = query.where(Instrument.code == filters.instrument)
    if filters.country:
        query = query.where(Programme.recipient_country == filters.country)
    if filters.status:
        query = query.where(Programme.status == filters.status)
    if filters.kind:
        query = query.where(
            Programme.id.in_(
                select(ProgrammeKind.programme_id).where(ProgrammeKind.kind == filters.kind)
            )
        )
    for word in filters.q.split()[:8]:
        matches = [
            column.icontains(word, autoescape=True)
            for column in (
                Programme.reference_code, Programme.title, Programme.recipient_units,
                Programme.legal_basis, Programme.implementing_bodies, Programme.summary,
            )
        ]
        codes = countries_matching(word)
        if codes:
            matches.append(Programme.recipient_country.in_(codes))
        query = query.where(sa.or_(*matches))
    return query


def search_programmes(session: Session, filters: ProgrammeFilters, page_size: int) -> ProgrammePage:
    """One page of programmes matching `filters`, with money totals for the whole filtered set."""
    ids = _filtered_ids(filters)
    matching = ids.add_columns(Programme.classification).subquery()
    total, highest = session.exec(
        select(sa.func.count(), sa.func.max(matching.c.classification))
    ).one()
    note_marking(session, highest)  # the count tells that classified programmes exist
    page = page_within(filters.page, total, page_size)

    column = SORT_COLUMNS[filters.sort]
    order = [column.desc() if filters.descending else column.asc()]
    if filters.sort == SortKey.START:
        order.insert(0, column.is_(None))  # undated programmes last, either direction
    order.append(Programme.id)
    programmes = list(
        session.exec(
            select(Programme)
            .join(Instrument, Instrument.id == Programme.instrument_id)
            .where(Programme.id.in_(ids))
            .options(selectinload(Programme.instrument), selectinload(Programme.kinds))
            .order_by(*order)
            .offset((page - 1) * page_size)
            .limit(page_size)
        )
    )
    row_totals = _money_by_programme(session, [p.id for p in programmes])
    return ProgrammePage(
        programmes=programmes, total=total, page=page, page_size=page_size,
        totals=_money_totals(session, FundingLine.programme_id.in_(ids)),
        row_totals=row_totals,
    )


def _money_rows(session: Session, condition):
    """(programme id, currency, kind, sum) rows. Summed per programme in SQL, where a
    programme's lines are bounded; across programmes the sum is done in Python, where integers
    cannot overflow as SQLite's 64-bit SUM can."""
    rows = session.exec(
        select(FundingLine.programme_id, FundingLine.currency, FundingLine.kind,
               sa.func.sum(FundingLine.amount_cents), sa.func.max(FundingLine.classification))
        .where(condition)
        .group_by(FundingLine.programme_id, FundingLine.currency, FundingLine.kind)
    ).all()
    # A total built from restricted lines is restricted information.
    note_marking(session, max((row[4] for row in rows), default=None))
    return [row[:4] for row in rows]


def add_up(rows) -> dict[str, MoneyTotal]:
    totals: dict[str, MoneyTotal] = {}
    for _, currency, kind, cents in rows:
        entry = totals.setdefault(currency, MoneyTotal(currency))
        if kind == FundingKind.COMMITMENT:
            entry.committed_cents += int(cents or 0)
        else:
            entry.disbursed_cents += int(cents or 0)
    return totals


def ordered_totals(totals: dict[str, MoneyTotal]) -> list[MoneyTotal]:
    return sorted(totals.values(), key=lambda t: (-t.committed_cents, t.currency))


def _money_totals(session: Session, condition) -> list[MoneyTotal]:
    return ordered_totals(add_up(_money_rows(session, condition)))


def _money_by_programme(session: Session, programme_ids: list[int]) -> dict[int, list[MoneyTotal]]:
    if not programme_ids:
        return {}
    by_programme: dict[int, list] = {}
    for row in _money_rows(session, FundingLine.programme_id.in_(programme_ids)):
        by_programme.setdefault(row[0], []).append(row)
    return {pid: ordered_totals(add_up(rows)) for pid, rows in by_programme.items()}
