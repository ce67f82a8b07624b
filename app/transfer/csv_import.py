"""Importing programmes and their funding lines from the programme CSV (app.transfer.columns).

Read line by line, never whole: rows of one programme must be next to each other, and
programmes are checked against the register in batches, so 100,000 rows take little memory.
Decisions, each with its message: UTF-8 only (a BOM is fine; Latin-1 and other encodings are
refused with the line), commas only (a semicolon or tab separated file is refused, naming its
separator), amounts with a point for decimals (German "1.000,50" is refused with the way to
write it), dates as YYYY-MM-DD, countries as ISO 3166-1 alpha-2 or alpha-3.
"""

import codecs
import csv
from collections.abc import Iterator
from pathlib import Path

import pycountry
from pydantic import ValidationError
from sqlalchemy.orm import selectinload
from sqlmodel import Session, select

from app.clearance import reading_everything
from app.forms import problems as form_problems
from app.models import (
    AssistanceKind, Classification, Instrument, Programme, ProgrammeStatus,
)
from app.programmes import service as programmes
from app.programmes.schemas import (
    FundingLineInput, ProgrammeInput, SourceInput, parse_classification,
)
from app.transfer.columns import COLUMNS, FUNDING_COLUMNS, KIND_SEPARATOR, PROGRAMME_COLUMNS
from app.transfer.plan import Action, Change, Problem

BATCH = 200
NOT_UTF8 = ("The file is not UTF-8 (this line has bytes of another encoding, such as Latin-1). "
            "Save it as UTF-8, e.g. in Excel “CSV UTF-8 (comma delimited)”, and upload it again.")
# Input field -> the CSV column it came from.
COLUMN_OF = {"kinds": "assistance_kinds", "year": "funding_year", "kind": "funding_kind",
             "amount_cents": "funding_amount", "amount": "funding_amount",
             "currency": "funding_currency", "note": "funding_note"}
SCALARS = ("title", "recipient_country", "recipient_units", "legal_basis", "implementing_bodies",
           "start_date", "end_date", "status", "summary", "classification")


class NotUtf8(Exception):
    def __init__(self, line: int):
        self.line = line


def plan_csv(session: Session, path: Path, clearance: Classification
             ) -> Iterator[Change | Problem]:
    with open(path, "rb") as raw:
        try:
            yield from _plan(session, csv.reader(_text_lines(raw)), clearance)
        except NotUtf8 as exc:
            yield Problem(f"line {exc.line}", "", NOT_UTF8)
        except csv.Error as exc:
            yield Problem("file", "", f"The file is not readable as CSV ({exc}).")


def _text_lines(raw) -> Iterator[str]:
    """The file's lines as text, a byte-order mark dropped; NotUtf8 names the first bad line.
    (Line by line, so the line number is exact: a UTF-8 character never holds a newline byte.)"""
    for number, line in enumerate(raw, start=1):
        if number == 1 and line.startswith(codecs.BOM_UTF8):
            line = line[len(codecs.BOM_UTF8):]
        try:
            yield line.decode("utf-8")
        except UnicodeDecodeError:
            raise NotUtf8(number) from None


def _plan(session: Session, reader, clearance: Classification) -> Iterator[Change | Problem]:
    header = next(reader, None)
    if header is None:
        yield Problem("file", "", "The file is empty. Start with the header row of the "
                                  "template (GET /imports/template.csv).")
        return
    header = [name.strip() for name in header]
    header_problem = _header_problem(header)
    if header_problem:
        yield header_problem
        return
    instruments = set(session.exec(select(Instrument.code)).all())
    seen: dict[str, int] = {}
    group: list[tuple[int, dict[str, str]]] = []
    batch: list[tuple[int, ProgrammeInput]] = []
    for row in reader:
        line = reader.line_num
        if not any(field.strip() for field in row):
            continue
        if len(row) != len(header):
            yield Problem(f"line {line}", "", f"The row has {len(row)} fields; the header has "
                          f"{len(header)}. Check for a stray comma or an unclosed quote.")
            continue
        values = dict(zip(header, row))
        code = values["reference_code"].strip()
        if group and code != group[0][1]["reference_code"].strip():
            yield from _finish(session, group, batch, clearance, instruments)
            group = []
        if not group and code in seen:
            yield Problem(f"line {line}", "reference_code", f"The rows of programme “{code}” "
                          f"must be next to each other; its first row is line {seen[code]}.")
            continue
        seen.setdefault(code, line)
        group.append((line, values))
        if len(batch) >= BATCH:
            yield from _compare(session, batch)
            batch.clear()
    if group:
        yield from _finish(session, group, batch, clearance, instruments)
    if batch:
        yield from _compare(session, batch)


def _header_problem(header: list[str]) -> Problem | None:
    if len(header) == 1:
        for separator, name in ((";", "semicolons"), ("\t", "tabs")):
            if separator in header[0]:
                return Problem("line 1", "", f"The columns are separated by {name}; the import "
                               "expects commas. Save the file as “CSV UTF-8 (comma delimited)”.")
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        return Problem("line 1", missing[0], "The header lacks the column"
                       f"{'s' if len(missing) > 1 else ''} {', '.join(missing)}. Use the "
                       "columns of the template (GET /imports/template.csv).")
    extra = [name for name in header if name not in COLUMNS]
    if extra:
        return Problem("line 1", extra[0], f"Unknown column{'s' if len(extra) > 1 else ''} "
                       f"{', '.join(extra)}; use exactly the columns of the template.")
    doubled = sorted({name for name in header if header.count(name) > 1})
    if doubled:
        return Problem("line 1", doubled[0], f"The column {doubled[0]} appears twice.")
    return None


def _finish(session, group, batch, clearance, instruments) -> Iterator[Problem]:
    """Check one programme's rows; a valid one joins the batch compared with the register."""
    found, data = _read_programme(group, clearance, instruments)
    yield from found
    if data is not None and not found:
        batch.append((group[0][0], data))


def _read_programme(group: list[tuple[int, dict[str, str]]], clearance: Classification,
                    instruments: set[str]) -> tuple[list[Problem], ProgrammeInput | None]:
    first_line, first = group[0]
    found: list[Problem] = []
    for line, row in group[1:]:
        for column in PROGRAMME_COLUMNS[:-1]:
            if row[column].strip() != first[column].strip():
                found.append(Problem(f"line {line}", column, f"Differs from line {first_line} "
                                     "of the same programme; a programme's columns must be the "
                                     "same on each of its rows."))
    levels, lines, seen = [], [], {}
    for line, row in group:
        try:
            level = parse_classification(row["classification"] or "public")
        except ValueError:
            found.append(Problem(f"line {line}", "classification",
                                 "Use public, restricted or confidential."))
            continue
        if level > clearance:
            found.append(Problem(f"line {line}", "classification", f"You cannot import content "
                                 f"marked {level.label.lower()}: it is above your own clearance "
                                 f"({clearance.label.lower()})."))
            continue
        levels.append(level)
        funding = {name: row[name].strip() for name in FUNDING_COLUMNS}
        key = tuple(funding[name].upper() for name in FUNDING_COLUMNS if name != "funding_amount")
        if key in seen:
            found.append(Problem(f"line {line}", "", "Duplicate row: the same funding line "
                                 f"(year, kind, currency and note) as line {seen[key]}."))
            continue
        seen[key] = line
        if any(funding.values()):
            lines.append(_funding_line(line, funding, level, clearance, found))
    data = _programme_input(first_line, first, levels, lines, clearance, instruments, found)
    return found, data


def _funding_line(line: int, funding: dict[str, str], level: Classification,
                  clearance: Classification, found: list[Problem]) -> FundingLineInput | None:
    try:
        return FundingLineInput.model_validate({
            "year": funding["funding_year"], "kind": funding["funding_kind"],
            "currency": funding["funding_currency"], "amount": funding["funding_amount"],
            "note": funding["funding_note"], "classification": level,
        }, context={"clearance": clearance})
    except ValidationError as exc:
        for name, message in form_problems(exc).items():
            found.append(Problem(f"line {line}", COLUMN_OF.get(name, name), message))
        return None


def _programme_input(line: int, row: dict[str, str], levels, lines, clearance, instruments,
                     found: list[Problem]) -> ProgrammeInput | None:
    where = f"line {line}"
    instrument = row["instrument"].strip()
    if instrument and instrument not in instruments:
        found.append(Problem(where, "instrument", f"Unknown instrument “{instrument[:20]}”; use "
                             f"one of {', '.join(sorted(instruments))}."))
    country = _country(row["recipient_country"])
    if country is None:
        found.append(Problem(where, "recipient_country", f"Unknown country "
                             f"“{row['recipient_country'].strip()[:10]}”; use an ISO 3166-1 "
                             "code such as MZ or MOZ."))
    status = row["status"].strip()
    if status not in {s.value for s in ProgrammeStatus}:
        found.append(Problem(where, "status", f"Unknown status “{status[:20]}”; use "
                             f"{', '.join(s.value for s in ProgrammeStatus)}."))
    kinds = [k.strip() for k in row["assistance_kinds"].split(KIND_SEPARATOR) if k.strip()]
    unknown = [k for k in kinds if k not in {a.value for a in AssistanceKind}]
    if unknown:
        found.append(Problem(where, "assistance_kinds", f"Unknown kind “{unknown[0][:30]}”; use "
                             f"{', '.join(a.value for a in AssistanceKind)}, separated by "
                             f"“{KIND_SEPARATOR}”."))
    if found:
        return None
    raw = {name: row[name] for name in PROGRAMME_COLUMNS if name != "assistance_kinds"}
    raw.update(recipient_country=country, kinds=kinds, funding=[f for f in lines if f],
               classification=min(levels, default=Classification.PUBLIC))
    try:
        return ProgrammeInput.model_validate(raw, context={"clearance": clearance})
    except ValidationError as exc:
        for name, message in form_problems(exc).items():
            found.append(Problem(where, COLUMN_OF.get(name, name), message))
        return None


def _country(value: str) -> str | None:
    code = value.strip().upper()
    if len(code) == 2 and pycountry.countries.get(alpha_2=code):
        return code
    if len(code) == 3 and (country := pycountry.countries.get(alpha_3=code)):
        return country.alpha_2
    return None


def _compare(session: Session, batch: list[tuple[int, ProgrammeInput]]
             ) -> Iterator[Change | Problem]:
    """Each programme of the batch as a create, an update or unchanged: a few queries per
    batch, whatever its size."""
    codes = [data.reference_code for _, data in batch]
    existing = {p.reference_code: p for p in session.exec(
        select(Programme).where(Programme.reference_code.in_(codes)).options(
            selectinload(Programme.instrument), selectinload(Programme.kinds),
            selectinload(Programme.funding_lines), selectinload(Programme.sources)))}
    with reading_everything(session):
        hidden = set(session.exec(select(Programme.reference_code).where(
            Programme.reference_code.in_([c for c in codes if c not in existing]))).all())
    for line, data in batch:
        code = data.reference_code
        label = f"{code}: {data.title}"
        programme = existing.get(code)
        if code in hidden:
            yield Problem(f"line {line}", "reference_code",
                          f"Another programme already has the reference code “{code}”.")
        elif programme is None:
            yield Change(Action.CREATE, "programme", code,
                         f"{label} ({_lines(len(data.funding))})",
                         lambda s, d=data: programmes.create_programme(s, d))
        elif changed := differences(programme, data):
            yield Change(Action.UPDATE, "programme", code,
                         f"{label} (changed: {', '.join(changed)})",
                         lambda s, p=programme, d=data: programmes.update_programme(
                             s, p, with_sources(p, d), p.version))
        else:
            yield Change(Action.UNCHANGED, "programme", code, label)


def _lines(count: int) -> str:
    return f"{count} funding line{'' if count == 1 else 's'}"


def differences(programme: Programme, data: ProgrammeInput) -> list[str]:
    """The columns in which the file differs from the stored programme (as far as the reader
    may see it: funding lines above their clearance are neither compared nor changed)."""
    changed = [name for name in SCALARS if getattr(programme, name) != getattr(data, name)]
    if programme.instrument.code != data.instrument:
        changed.append("instrument")
    if sorted(k.kind for k in programme.kinds) != sorted(data.kinds):
        changed.append("assistance_kinds")
    stored = sorted((f.year, f.kind.value, f.amount_cents, f.currency, f.note,
                     int(f.classification)) for f in programme.funding_lines)
    wanted = sorted((f.year, f.kind.value, f.amount_cents, f.currency, f.note,
                     int(max(f.classification, data.classification))) for f in data.funding)
    if stored != wanted:
        changed.append("funding lines")
    return changed


def with_sources(programme: Programme, data: ProgrammeInput) -> ProgrammeInput:
    """The input with the programme's sources as they are: the file does not carry them."""
    sources = [SourceInput.model_validate({
        "id": s.id, "title": s.title, "url": s.url, "confidence": s.confidence.value,
        "note": s.note, "classification": s.classification}) for s in programme.sources]
    return data.model_copy(update={"sources": sources})
