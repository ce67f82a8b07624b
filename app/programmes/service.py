"""Queries and rules for the programme register. Session first; no HTTP, no templates."""

import math
from dataclasses import dataclass, field
from enum import Enum

import pycountry
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.orm import selectinload
from sqlmodel import Session, select

from app.errors import Conflict, NotFound, ValidationFailed
from app.formatting import countries_matching
from app.clearance import note_marking
from app.models import (
    AssistanceKind, AuditEvent, Classification, FundingKind, FundingLine, Instrument, Programme,
    ProgrammeKind, ProgrammeNote, ProgrammeStatus, Source, utcnow,
)
from app.programmes.schemas import ProgrammeInput


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
        def enum_or(enum_cls, value, default=None):
            try:
                return enum_cls(value) if value else default
            except ValueError:
                return default

        try:
            page = max(1, min(int(params.get("page") or 1), 100_000))
        except ValueError:
            page = 1
        return cls(
            q=" ".join(str(params.get("q") or "").split())[:200],
            instrument=_known(str(params.get("instrument") or "").upper(), instrument_codes),
            country=_known(str(params.get("country") or "").upper(), COUNTRY_CODES),
            status=enum_or(ProgrammeStatus, params.get("status")),
            kind=enum_or(AssistanceKind, params.get("kind")),
            sort=enum_or(SortKey, params.get("sort"), SortKey.REFERENCE),
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
        values.update({k: ("" if v is None else str(v)) for k, v in changes.items()})
        return {k: v for k, v in values.items() if v}

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
class ProgrammePage:
    programmes: list[Programme]
    total: int
    page: int
    page_size: int
    totals: list[MoneyTotal]
    row_totals: dict[int, list[MoneyTotal]] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.page_size))

    @property
    def first_row(self) -> int:
        return 0 if not self.total else (self.page - 1) * self.page_size + 1

    @property
    def last_row(self) -> int:
        return min(self.total, self.page * self.page_size)


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
    pages = max(1, math.ceil(total / page_size))
    page = min(filters.page, pages)

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


def _add_up(rows) -> dict[str, MoneyTotal]:
    totals: dict[str, MoneyTotal] = {}
    for _, currency, kind, cents in rows:
        entry = totals.setdefault(currency, MoneyTotal(currency))
        if kind == FundingKind.COMMITMENT:
            entry.committed_cents += int(cents or 0)
        else:
            entry.disbursed_cents += int(cents or 0)
    return totals


def _ordered(totals: dict[str, MoneyTotal]) -> list[MoneyTotal]:
    return sorted(totals.values(), key=lambda t: (-t.committed_cents, t.currency))


def _money_totals(session: Session, condition) -> list[MoneyTotal]:
    return _ordered(_add_up(_money_rows(session, condition)))


def _money_by_programme(session: Session, programme_ids: list[int]) -> dict[int, list[MoneyTotal]]:
    if not programme_ids:
        return {}
    by_programme: dict[int, list] = {}
    for row in _money_rows(session, FundingLine.programme_id.in_(programme_ids)):
        by_programme.setdefault(row[0], []).append(row)
    return {pid: _ordered(_add_up(rows)) for pid, rows in by_programme.items()}


def get_programme(session: Session, programme_id: int, *, notes: bool = False) -> Programme:
    """A programme with its parts (and its notes if asked: they are often classified, and
    loading them raises the page's marking), or NotFound, also when above the reader's
    clearance."""
    options = [
        selectinload(Programme.instrument), selectinload(Programme.kinds),
        selectinload(Programme.funding_lines), selectinload(Programme.sources),
    ]
    if notes:
        options.append(selectinload(Programme.notes))
    programme = session.exec(
        select(Programme).where(Programme.id == programme_id).options(*options)
    ).first()
    if programme is None:
        raise NotFound("Programme")
    return programme


def funding_by_year(programme: Programme, currency: str) -> list[tuple[int, int, int]]:
    """(year, committed cents, disbursed cents) for every year with a line in `currency`."""
    years: dict[int, list[int]] = {}
    for line in programme.funding_lines:
        if line.currency == currency:
            entry = years.setdefault(line.year, [0, 0])
            entry[0 if line.kind == FundingKind.COMMITMENT else 1] += line.amount_cents
    return [(year, c, d) for year, (c, d) in sorted(years.items())]


def programme_totals(programme: Programme) -> list[MoneyTotal]:
    return _ordered(_add_up(
        (programme.id, line.currency, line.kind, line.amount_cents)
        for line in programme.funding_lines
    ))


def create_programme(session: Session, data: ProgrammeInput) -> Programme:
    programme = Programme(
        reference_code=data.reference_code, title=data.title, instrument_id=0,
        recipient_country=data.recipient_country, status=data.status,
    )
    _apply(session, programme, data)
    session.add(programme)
    _flush_unique(session, data)
    return programme


def update_programme(session: Session, programme: Programme, data: ProgrammeInput,
                     opened_version: int | None) -> Programme:
    """Save changes made on an edit form opened at `opened_version`.

    Conflict if someone saved in between; the version column also catches a save that races
    this one between the check and the write.
    """
    if opened_version != programme.version:
        raise Conflict(changed_since_message(session, "programme", programme.id))
    _apply(session, programme, data)
    # Notes are parts too: never less classified than their programme. (Notes above the
    # editor's clearance are not loaded, and are already above any level they can choose.)
    for note in session.exec(select(ProgrammeNote).where(ProgrammeNote.programme_id == programme.id)):
        if note.classification < programme.classification:
            note.classification = programme.classification
    programme.updated_at = utcnow()  # also raises the version when only rows changed
    try:
        _flush_unique(session, data)
    except StaleDataError:
        session.rollback()
        raise Conflict(changed_since_message(session, "programme", programme.id)) from None
    return programme


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


def delete_programme(session: Session, programme: Programme) -> None:
    """Delete a programme and everything it holds, each part with its own audit event.

    Only a reader who sees everything may do this (the route requires confidential clearance),
    so nothing is destroyed that the person deleting could not see."""
    notes = session.exec(select(ProgrammeNote).where(ProgrammeNote.programme_id == programme.id))
    for part in (*programme.funding_lines, *programme.sources, *notes):
        session.delete(part)
    session.delete(programme)
    session.flush()


def reference_problems(
    session: Session, reference_code: str, instrument_code: str, programme_id: int | None
) -> dict[str, str]:
    """Checks that need the database: the instrument exists, the reference code is free."""
    problems = {}
    if instrument_code and session.exec(
        select(Instrument.id).where(Instrument.code == instrument_code)
    ).first() is None:
        problems["instrument"] = "Choose an instrument from the list."
    if reference_code and session.exec(
        select(Programme.id).where(
            Programme.reference_code == reference_code, Programme.id != (programme_id or 0)
        )
    ).first() is not None:
        problems["reference_code"] = _duplicate_message(reference_code)
    return problems


def _apply(session: Session, programme: Programme, data: ProgrammeInput) -> None:
    """Copy validated input onto `programme` and bring its kinds, funding lines and sources in
    line with it. Rows are updated in place where they still exist, so the audit trail shows
    what really changed. Rows above the editor's clearance were never loaded and stay as they are.
    """
    problems = reference_problems(session, data.reference_code, data.instrument, programme.id)
    if problems:
        raise ValidationFailed(problems)
    instrument_id = session.exec(
        select(Instrument.id).where(Instrument.code == data.instrument)
    ).one()
    for name in ("reference_code", "title", "recipient_country", "recipient_units",
                 "legal_basis", "implementing_bodies", "start_date", "end_date", "status",
                 "summary", "classification"):
        setattr(programme, name, getattr(data, name))
    programme.instrument_id = instrument_id

    wanted_kinds = set(data.kinds)
    kept = [k for k in programme.kinds if k.kind in wanted_kinds]
    have = {k.kind for k in kept}
    programme.kinds = kept + [ProgrammeKind(kind=k) for k in data.kinds if k not in have]

    # A part of a classified programme is at least as classified as the programme.
    floor = data.classification
    programme.funding_lines = _reconcile(
        programme.funding_lines, [line.model_dump() for line in data.funding], FundingLine, floor
    )
    programme.sources = _reconcile(
        programme.sources,
        [dict(source.model_dump(), position=i) for i, source in enumerate(data.sources)],
        Source, floor,
    )


def _reconcile(existing: list, wanted: list[dict], model, floor: Classification) -> list:
    """`existing` rows updated to `wanted` by position; extra rows dropped, missing ones made."""
    rows = []
    for index, values in enumerate(wanted):
        values["classification"] = max(values["classification"], floor)
        row = existing[index] if index < len(existing) else model()
        for name, value in values.items():
            if getattr(row, name, None) != value:
                setattr(row, name, value)
        rows.append(row)
    return rows


def _flush_unique(session: Session, data: ProgrammeInput) -> None:
    """Flush, turning a reference-code race with another worker into a field error.

    The duplicate check in _apply catches the usual case; this catches two workers saving the
    same code at once. Nothing of the request is kept: the transaction is rolled back.
    """
    try:
        session.flush()
    except IntegrityError as exc:
        session.rollback()
        if "reference_code" in str(exc.orig):
            message = _duplicate_message(data.reference_code)
            raise ValidationFailed({"reference_code": message}) from exc
        raise


def _duplicate_message(code: str) -> str:
    return f"Another programme already has the reference code “{code}”."


def count_programmes(session: Session) -> int:
    return session.exec(select(sa.func.count()).select_from(Programme)).one()


# --- notes ----------------------------------------------------------------------------------

def get_note(session: Session, programme: Programme, note_id: int) -> ProgrammeNote:
    note = session.exec(
        select(ProgrammeNote).where(ProgrammeNote.id == note_id,
                                    ProgrammeNote.programme_id == programme.id)
    ).first()
    if note is None:
        raise NotFound("Note")
    return note


def save_note(session: Session, programme: Programme, note: ProgrammeNote | None, *, title: str,
              body: str, classification: Classification,
              opened_version: int | None = None) -> ProgrammeNote:
    if note is None:
        note = ProgrammeNote(programme_id=programme.id)
        session.add(note)
    elif opened_version != note.version:
        raise Conflict(changed_since_message(session, "note", note.id))
    note.title, note.body = title, body
    note.classification = max(classification, programme.classification)
    note.updated_at = utcnow()
    try:
        session.flush()
    except StaleDataError:
        session.rollback()
        raise Conflict(changed_since_message(session, "note", note.id)) from None
    return note


def delete_note(session: Session, note: ProgrammeNote) -> None:
    session.delete(note)
    session.flush()


# --- history --------------------------------------------------------------------------------

def programme_history(session: Session, programme_id: int, limit: int = 100) -> list[AuditEvent]:
    """Events on the programme and on its parts, newest first, as far as the reader may see."""
    from app.audit.service import visible_events

    events = list(session.exec(
        visible_events(session)
        .where(sa.or_(
            sa.and_(AuditEvent.record_type == "programme", AuditEvent.record_id == programme_id),
            sa.and_(AuditEvent.parent_type == "programme", AuditEvent.parent_id == programme_id),
        ))
        .order_by(AuditEvent.id.desc())
        .limit(limit)
    ))
    return events
