"""Importing questions and answers from the Bundestag's DIP API (search.dip.bundestag.de/api/v1).

Accepted: a Drucksache list response {"numFound", "documents": [...], "cursor"} from /drucksache
or /drucksache-text, a single Drucksache, or a JSON array of them. A "Kleine Anfrage" becomes a
minor interpellation, a "Schriftliche Frage" a written question, each referenced by its
Drucksache number ("20/1234"); an "Antwort" becomes the answer of the question that shares its
Vorgang (in the file, or imported before). A `text` (drucksache-text) is split into numbered
items. Ministries come from `ressort` (federführend = lead); one the register does not know
refuses the file. Other Drucksache types are skipped; a file of Vorgänge or Aktivitäten is
refused (they carry neither the Drucksache number nor the answer). Re-importing finds each
inquiry by its Drucksache id and changes only what differs; items are made on the first
import only, so the committee's edits to them stay.
"""

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pydantic import ValidationError
from sqlmodel import Session, select

from app import clock
from app.clearance import reading_everything
from app.errors import NotFound
from app.forms import problems as form_problems
from app.inquiries import answers, service as inquiries
from app.inquiries.answer_form import AnswerInput, AnswerItemInput
from app.inquiries.forms import InquiryForm, InquiryInput
from app.inquiries.paste import split_numbered
from app.models import Classification, Inquiry, Ministry
from app.transfer.external import find_record_id, remember
from app.transfer.plan import Action, Change, Problem

QUESTION_TYPES = {"Kleine Anfrage": "minor_interpellation",
                  "Schriftliche Frage": "written_question",
                  "Schriftliche Fragen": "written_question"}
ANSWER_TYPE = "Antwort"
# Fields DIP gives as lists of objects; another shape would be read as something else.
LIST_FIELDS = ("vorgangsbezug", "ressort", "autoren_anzeige", "urheber")
EXPECTED = ("Expected a DIP API response: a list of Drucksachen ({\"numFound\": …, \"documents\": "
            "[…], \"cursor\": …} from /api/v1/drucksache or /drucksache-text), one Drucksache "
            "({\"typ\": \"Dokument\", \"dokumentart\": \"Drucksache\", …}) or an array of them")


@dataclass
class Unit:
    """A question and (if there is one) its answer: what becomes one inquiry."""

    where: str
    question: dict
    answer: dict | None = None
    vorgaenge: list[str] = field(default_factory=list)


def plan_dip(session: Session, path: Path, clearance: Classification
             ) -> Iterator[Change | Problem]:
    try:
        document = json.loads(path.read_bytes())
    except UnicodeDecodeError:
        yield Problem("file", "", "The file is not UTF-8 text; DIP answers in UTF-8 JSON.")
        return
    except json.JSONDecodeError as exc:
        yield Problem("file", "", f"The file is not JSON: {exc.msg} at line {exc.lineno}, "
                                  f"column {exc.colno}. {EXPECTED}.")
        return
    except (RecursionError, ValueError) as exc:  # nested without end; a number of 5000 digits
        reason = "it is nested too deeply" if isinstance(exc, RecursionError) else str(exc)
        yield Problem("file", "", f"The file is not JSON DIP gives: {reason[:120]}. {EXPECTED}.")
        return
    records, shape_problem = _records(document)
    if shape_problem:
        yield Problem("file", "", shape_problem)
        return
    units, entries = _units(session, records)
    yield from entries
    ministries = {m.name.split(" (")[0]: m for m in session.exec(select(Ministry))}
    ministries.update({m.code: m for m in ministries.values()})
    for unit in units:
        yield from _plan_unit(session, unit, ministries, clearance)


def _records(document) -> tuple[list[dict], str | None]:
    if isinstance(document, dict) and isinstance(document.get("documents"), list):
        records = document["documents"]
    elif isinstance(document, dict) and "typ" in document:
        records = [document]
    elif isinstance(document, list):
        records = document
    else:
        found = f"an object with the fields {', '.join(list(document)[:6])}" if isinstance(
            document, dict) else f"a JSON {type(document).__name__}"
        return [], f"{EXPECTED}; found {found}."
    if not all(isinstance(r, dict) for r in records):
        return [], f"{EXPECTED}; the list holds something other than objects."
    kinds = {str(r.get("typ", "")) for r in records}
    if records and kinds <= {"Vorgang", "Aktivität", "Vorgangsposition"}:
        return [], (f"The file holds {'/'.join(sorted(kinds))} records, which carry neither the "
                    "Drucksache number nor the answer. Fetch the Drucksachen of these Vorgänge "
                    "(/api/v1/drucksache?f.vorgang=ID) and import those.")
    return records, None


def _units(session: Session, records: list[dict]) -> tuple[list[Unit], list[Change | Problem]]:
    """Questions with their answers (matched by Vorgang), and what becomes of the rest."""
    units: list[Unit] = []
    by_vorgang: dict[str, Unit] = {}
    loose: list[tuple[str, dict]] = []
    entries: list[Change | Problem] = []
    for number, record in enumerate(records, start=1):
        where = f"record {number} (Drucksache {record.get('dokumentnummer', '?')})"
        kind = record.get("drucksachetyp")
        missing = [name for name in ("id", "dokumentnummer", "drucksachetyp", "titel", "datum")
                   if not str(record.get(name) or "").strip()]
        if record.get("typ") != "Dokument" or record.get("dokumentart") != "Drucksache":
            entries.append(Change(Action.SKIP, "record", where, f"{where}: a "
                                  f"{record.get('typ', 'record')}, not a Drucksache"))
        elif missing:
            entries.append(Problem(where, missing[0], f"The Drucksache lacks “{missing[0]}”."))
        elif shapes := _shape_problems(where, record):
            entries.extend(shapes)
        elif kind in QUESTION_TYPES:
            unit = Unit(where, record, vorgaenge=_vorgaenge(record))
            units.append(unit)
            by_vorgang.update({v: unit for v in unit.vorgaenge})
        elif kind == ANSWER_TYPE:
            loose.append((where, record))
        else:
            entries.append(Change(Action.SKIP, "record", where,
                                  f"{where}: a {kind}, neither a question nor an answer"))
    for where, record in loose:
        unit = next((by_vorgang[v] for v in _vorgaenge(record) if v in by_vorgang), None)
        if unit is not None:
            unit.answer = record
            continue
        known = next((find_record_id(session, "dip-vorgang", v) for v in _vorgaenge(record)
                      if find_record_id(session, "dip-vorgang", v)), None)
        if known is None:
            entries.append(Problem(where, "vorgangsbezug", "This answer's question is neither in "
                                   "the file nor imported before; include its Kleine Anfrage."))
            continue
        units.append(Unit(where, {"_inquiry_id": known}, record, _vorgaenge(record)))
    return units, entries


def _shape_problems(where: str, record: dict) -> list[Problem]:
    found = []
    for name in LIST_FIELDS:
        value = record.get(name)
        if value is None or (isinstance(value, list) and all(isinstance(v, dict) for v in value)):
            continue
        what = "a list holding other values" if isinstance(value, list) else (
            f"a JSON {type(value).__name__}")
        found.append(Problem(where, name, f"Expected a list of objects, as DIP gives it; found "
                                          f"{what}."))
    return found


def _vorgaenge(record: dict) -> list[str]:
    return [str(v.get("id")) for v in record.get("vorgangsbezug") or []
            if isinstance(v, dict) and v.get("id")]


def _plan_unit(session: Session, unit: Unit, ministries: dict[str, Ministry],
               clearance: Classification) -> Iterator[Change | Problem]:
    question = unit.question
    inquiry = _existing(session, unit)
    if inquiry is False:
        yield Problem(unit.where, "id", "Already imported as an inquiry you cannot see.")
        return
    if inquiry is None and "_inquiry_id" in question:
        yield Problem(unit.where, "vorgangsbezug", "The inquiry this answers is not visible.")
        return
    if inquiry is not None:
        values = InquiryForm.of(inquiry, inquiries.programme_codes(session, inquiry.id)).values
        wanted = dict(values, ministries=[m.ministry.code for m in inquiry.ministries])
    else:
        wanted = {"inquiry_type": QUESTION_TYPES[question["drucksachetyp"]],
                  "classification": "public", "ministries": []}
    found: list[Problem] = []
    if "_inquiry_id" not in question:
        wanted.update(_question_fields(question))
    ressorts = _ressorts(unit, ministries, found)
    if ressorts:
        wanted["ministries"], wanted["lead_ministry"] = ressorts
    try:
        # New inquiries are public (DIP publishes them); one marked higher since keeps its
        # marking, which the importer can see and so may keep.
        data = InquiryInput.model_validate(wanted, context={"clearance": clearance})
    except ValidationError as exc:
        found += [Problem(unit.where, name, message)
                  for name, message in form_problems(exc).items()]
    answer = _answer_input(unit, data.submitted_on if not found else None, ministries, found)
    if found:
        yield from found
        return
    yield from _change(unit, inquiry, data, answer)


def _existing(session: Session, unit: Unit):
    """The inquiry imported before from this question (None if never; False if hidden)."""
    inquiry_id = unit.question.get("_inquiry_id") or find_record_id(
        session, "dip", str(unit.question["id"]))
    if inquiry_id is None:
        return None
    try:
        return inquiries.get_inquiry(session, inquiry_id)
    except NotFound:
        with reading_everything(session):
            exists = session.exec(select(Inquiry.id).where(Inquiry.id == inquiry_id)).first()
        return False if exists else None


def _question_fields(question: dict) -> dict:
    authors = [str(a.get("autor_titel") or a.get("titel") or "")
               for a in question.get("autoren_anzeige") or [] if isinstance(a, dict)]
    factions = [_faction(u) for u in question.get("urheber") or [] if isinstance(u, dict)]
    text = question.get("text")
    return {"reference": question["dokumentnummer"], "title": str(question["titel"])[:300],
            "asked_by": ", ".join(a for a in authors if a)[:1000],
            "faction": ", ".join(f for f in factions if f)[:100],
            "submitted_on": question["datum"],
            "preamble": split_numbered(text).preamble if isinstance(text, str) else ""}


def _faction(urheber: dict) -> str:
    name = str(urheber.get("titel") or urheber.get("bezeichnung") or "")
    for prefix in ("Fraktion der ", "Fraktion "):
        name = name.removeprefix(prefix)
    return name.strip()


def _ressorts(unit: Unit, ministries: dict[str, Ministry], found: list[Problem]):
    """(ministry codes, lead code) from the ressorts of the answer (or the question)."""
    source = unit.answer if unit.answer and unit.answer.get("ressort") else unit.question
    codes, lead = [], ""
    for ressort in source.get("ressort") or []:
        title = str(ressort.get("titel", "")).strip() if isinstance(ressort, dict) else ""
        ministry = ministries.get(title)
        if ministry is None:
            found.append(Problem(unit.where, "ressort", f"Unknown ministry “{title[:100]}”; "
                                 "the register knows " + ", ".join(
                                     sorted({m.code for m in ministries.values()})) + "."))
            continue
        codes.append(ministry.code)
        if ressort.get("federfuehrend"):
            lead = ministry.code
    if not codes:
        return None
    return codes, lead or codes[0]


def _answer_input(unit: Unit, submitted_on: date | None, ministries, found: list[Problem]):
    record = unit.answer
    if record is None or submitted_on is None:
        return None
    lead = next((ministries.get(str(r.get("titel", "")).strip()) for r in
                 record.get("ressort") or [] if isinstance(r, dict) and r.get("federfuehrend")),
                None)
    try:
        return AnswerInput.model_validate(
            {"received_on": record["datum"], "reference": record["dokumentnummer"],
             "ministry_id": lead.id if lead else None},
            context={"submitted_on": submitted_on, "today": clock.today(),
                     "ministry_ids": {lead.id} if lead else set()})
    except ValidationError as exc:
        found += [Problem(unit.where, f"answer {name}", message)
                  for name, message in form_problems(exc).items()]
        return None


def _change(unit: Unit, inquiry: Inquiry | None, data: InquiryInput, answer: AnswerInput | None
            ) -> Iterator[Change]:
    label = f"{data.reference}: {data.title}"
    if inquiry is None:
        text = unit.question.get("text")
        items = split_numbered(text).items if isinstance(text, str) else []
        extra = f"{len(items)} items" + (", with its answer" if answer else "")
        yield Change(Action.CREATE, "inquiry", data.reference, f"{label} ({extra})",
                     lambda s: _create(s, unit, data, items, answer))
        return
    changed = [name for name in ("reference", "title", "asked_by", "faction", "submitted_on")
               if getattr(inquiry, name) != getattr(data, name)]
    if sorted(m.ministry.code for m in inquiry.ministries) != sorted(data.addressed()):
        changed.append("ministries")
    stored = inquiry.answer
    if answer is not None and (stored is None or (stored.received_on, stored.reference) != (
            answer.received_on, answer.reference)):
        changed.append("answer")
    if not changed:
        yield Change(Action.UNCHANGED, "inquiry", data.reference, label)
        return
    yield Change(Action.UPDATE, "inquiry", data.reference,
                 f"{label} (changed: {', '.join(changed)})",
                 lambda s: _update(s, inquiry, data, answer, "answer" in changed, unit))


def _create(session: Session, unit: Unit, data: InquiryInput, items, answer) -> None:
    inquiry = inquiries.create_inquiry(session, data, items)
    remember(session, "dip", str(unit.question["id"]), "inquiry", inquiry.id)
    _remember_answer(session, unit, inquiry, answer, stored=None)


def _update(session: Session, inquiry: Inquiry, data: InquiryInput, answer, answer_changed,
            unit: Unit) -> None:
    inquiries.update_inquiry(session, inquiry, data, inquiry.version)
    if answer_changed:
        inquiry = inquiries.get_inquiry(session, inquiry.id, fresh=True)
        _remember_answer(session, unit, inquiry, answer, stored=inquiry.answer)


def _remember_answer(session: Session, unit: Unit, inquiry: Inquiry, answer, stored) -> None:
    for vorgang in unit.vorgaenge:
        remember(session, "dip-vorgang", vorgang, "inquiry", inquiry.id)
    if answer is None:
        return
    if stored is not None:  # keep what the committee added to the answer
        answer = answer.model_copy(update={"notes": stored.notes,
                                           "has_classified_annex": stored.has_classified_annex})
    text = unit.answer.get("text") if unit.answer else None
    if isinstance(text, str) and stored is None:
        numbers = {item.number: item.id for item in
                   inquiries.get_inquiry(session, inquiry.id, fresh=True).items}
        answer = answer.model_copy(update={"items": {
            numbers[part.number]: AnswerItemInput(text=part.text[:20000])
            for part in split_numbered(text).items if part.number in numbers}})
        inquiry = inquiries.get_inquiry(session, inquiry.id, fresh=True)
    saved = answers.save_answer(session, inquiry, answer,
                                stored.version if stored else None, clock.today())
    remember(session, "dip", str(unit.answer["id"]), "answer", saved.id)
