"""Reading and changing programmes and their notes, and their history. Session first; no HTTP,
no templates. The list page's queries are in app.programmes.search."""

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from sqlmodel import Session, select

from app.audit.service import changed_since_message, conflict_if_changed, history_of
from app.errors import Conflict, NotFound, ValidationFailed
from app.models import (
    AuditEvent, Classification, FundingKind, FundingLine, InquiryProgramme, Instrument, Programme,
    ProgrammeKind, ProgrammeNote, Source, utcnow,
)
from app.hearings import service as hearings
from app.programmes.schemas import ProgrammeInput
from app.safeguards import service as safeguards
from app.programmes.search import MoneyTotal, add_up, ordered_totals


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
    return ordered_totals(add_up(
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
    with conflict_if_changed(session, "programme", programme.id):
        _flush_unique(session, data)
    return programme


def delete_programme(session: Session, programme: Programme) -> None:
    """Delete a programme and everything it holds, each part with its own audit event.

    Only a reader who sees everything may do this (the route requires confidential clearance),
    so nothing is destroyed that the person deleting could not see."""
    # Parts kept in other tables, deleted one by one so each leaves its audit event (the
    # database would otherwise remove them silently with the programme).
    safeguards.delete_programme_ratings(session, programme.id)
    hearings.take_off_agendas(session, programme.id)
    notes = session.exec(select(ProgrammeNote).where(ProgrammeNote.programme_id == programme.id))
    inquiry_links = session.exec(
        select(InquiryProgramme).where(InquiryProgramme.programme_id == programme.id))
    for part in (*programme.funding_lines, *programme.sources, *notes, *inquiry_links):
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
    """`existing` rows updated to `wanted`; extra rows dropped, missing ones made.

    Where the wanted rows name their stored rows (`id`, as the form's sources do: evidence
    cites them), each updates its own row, a row without an id is new, and an id not among
    `existing` (another programme's, or one the editor cannot see) makes a new row too. Where
    none names one (funding lines; a client that sends no ids), rows are matched by position."""
    by_id = {row.id: row for row in existing}
    use_ids = any(values.get("id") for values in wanted)
    rows = []
    for index, values in enumerate(wanted):
        values["classification"] = max(values["classification"], floor)
        wanted_id = values.pop("id", None)
        if use_ids:
            row = by_id.pop(wanted_id, None) or model()
        else:
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
    with conflict_if_changed(session, "note", note.id):
        session.flush()
    return note


def delete_note(session: Session, note: ProgrammeNote) -> None:
    session.delete(note)
    session.flush()


# --- history --------------------------------------------------------------------------------

def programme_history(session: Session, programme_id: int, limit: int = 100) -> list[AuditEvent]:
    """Events on the programme and on its parts, newest first, as far as the reader may see."""
    return history_of(session, "programme", programme_id, limit)
