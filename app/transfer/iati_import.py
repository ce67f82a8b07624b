"""Importing programmes from IATI activity XML (version 2.x; the 2.03 codes).

Parsed with defusedxml: a DOCTYPE, an entity declaration or an external reference refuses the
file (no entity bombs, no file or network reads); the size limit is checked before parsing
(app.transfer.service.check_size). Each activity becomes a programme found again by its
iati-identifier: title, description (summary, with the sector codes appended), the recipient
country with the largest share, start (actual, else planned) and end dates, status, the
implementing organisations (role 4, else 3), and funding lines summed per year, kind and
currency from commitments (transaction type 2) and disbursements (type 3). IATI records no
instrument and no kind of assistance: a new programme gets OTHER and advisory, and a re-import
keeps whatever the committee set since, as it keeps the legal basis, units and sources.
"""

import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

import pycountry
import sqlalchemy as sa
from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml import ElementTree as SafeTree
from pydantic import ValidationError
from sqlalchemy.orm import selectinload
from sqlmodel import Session, select

from app.clearance import reading_everything
from app.forms import problems as form_problems
from app.models import Classification, Programme
from app.programmes import service as programmes
from app.programmes.schemas import ProgrammeInput
from app.transfer.csv_import import differences, with_sources
from app.transfer.external import find_record_id, remember
from app.transfer.plan import Action, Change, Problem

STATUS = {"1": "planned", "2": "active", "3": "active", "4": "completed", "5": "completed",
          "6": "suspended"}
KIND = {"2": "commitment", "3": "disbursement"}
TRANSACTION_TYPES = {str(n) for n in range(1, 14)}
DATE_TYPES = {"1", "2", "3", "4"}
ROLES = {"1", "2", "3", "4"}
_ISO_DATE = re.compile(r"^([0-9]{4})-[0-9]{2}-[0-9]{2}")
LANGUAGE = "{http://www.w3.org/XML/1998/namespace}lang"


def plan_iati(session: Session, path: Path, clearance: Classification
              ) -> Iterator[Change | Problem]:
    root, problem = _parse(path)
    if problem:
        yield Problem("file", "", problem)
        return
    version = root.get("version", "").strip()
    if not version.startswith("2."):
        yield Problem("file", "version", f"IATI version {version or '(none given)'} is not "
                      "supported: its codes differ. Export the activities as IATI 2.03.")
        return
    for number, activity in enumerate(root.findall("iati-activity"), start=1):
        yield from _plan_activity(session, number, activity)


def _parse(path: Path) -> tuple[Element | None, str | None]:
    try:
        root = SafeTree.parse(path, forbid_dtd=True, forbid_entities=True,
                              forbid_external=True).getroot()
    except DTDForbidden:
        return None, ("The file has a DOCTYPE declaration. IATI files have none, and one is "
                      "refused for safety (it can read other files or expand without end).")
    except (EntitiesForbidden, ExternalReferenceForbidden):
        return None, "The file declares XML entities or external references; refused for safety."
    except ParseError as exc:
        return None, f"The file is not well-formed XML ({exc})."
    if root.tag != "iati-activities":
        return None, (f"Expected an IATI activity file (<iati-activities version=\"2.03\">); "
                      f"found <{root.tag[:50]}>.")
    return root, None


def _text(element: Element | None) -> str:
    """The English narrative of an element, else its first one."""
    if element is None:
        return ""
    narratives = element.findall("narrative")
    chosen = next((n for n in narratives if n.get(LANGUAGE, "en") == "en"),
                  narratives[0] if narratives else None)
    return " ".join((chosen.text or "").split()) if chosen is not None else ""


def _plan_activity(session: Session, number: int, activity: Element
                   ) -> Iterator[Change | Problem]:
    identifier = (activity.findtext("iati-identifier") or "").strip()
    where = f"activity {number}" + (f" ({identifier})" if identifier else "")
    found: list[Problem] = []
    if not identifier:
        yield Problem(where, "iati-identifier", "The activity has no iati-identifier.")
        return
    values = {"reference_code": identifier, "title": _title(activity),
              "recipient_country": _country(activity, where, found),
              "status": _status(activity, where, found), "summary": _summary(activity),
              "implementing_bodies": _organisations(activity, where, found),
              "classification": "public"}
    values.update(_dates(activity, where, found))
    values["funding"] = _funding(activity, where, found)
    programme = _existing(session, identifier)
    if programme is None and _held_above(session, identifier):
        # Said as the programme form and the CSV import say it, and at the preview: the
        # commit could only fail on the unique reference code.
        yield Problem(where, "iati-identifier", "Another programme already has the reference "
                      f"code “{identifier}”.")
        return
    if programme is not None:
        values.update(instrument=programme.instrument.code,
                      kinds=[k.kind.value for k in programme.kinds],
                      legal_basis=programme.legal_basis,
                      recipient_units=programme.recipient_units,
                      classification=programme.classification)
    else:
        values.update(instrument="OTHER", kinds=["advisory"])
    if found:  # the specific messages say it better than the general ones would
        yield from found
        return
    try:
        data = ProgrammeInput.model_validate(values, context={
            "clearance": Classification.CONFIDENTIAL})
    except ValidationError as exc:
        found += [Problem(where, name, message) for name, message in
                  form_problems(exc).items()]
    if found:
        yield from found
        return
    yield from _change(where, identifier, programme, data)


def _title(activity: Element) -> str:
    title = _text(activity.find("title"))
    return title if len(title) <= 200 else title[:199] + "…"


def _summary(activity: Element) -> str:
    parts = [_text(d) for d in activity.findall("description")
             if d.get("type", "1") in ("1", "2", "3")]
    sectors = [f"{s.get('code', '')} (vocabulary {s.get('vocabulary', '1')}"
               + (f", {s.get('percentage')} %" if s.get("percentage") else "") + ")"
               for s in activity.findall("sector")]
    if sectors:
        parts.append("IATI sectors: " + "; ".join(sectors))
    return "\n\n".join(p for p in parts if p)


def _country(activity: Element, where: str, found: list[Problem]) -> str:
    countries = activity.findall("recipient-country")
    if not countries:
        found.append(Problem(where, "recipient-country", "The activity names no "
                             "recipient-country (a region is not enough: the register needs "
                             "a country)."))
        return ""
    share = max(countries, key=lambda c: _decimal(c.get("percentage") or "100") or 0)
    code = (share.get("code") or "").strip().upper()
    if pycountry.countries.get(alpha_2=code) is None:
        found.append(Problem(where, "recipient-country", f"Unknown country code “{code[:10]}”; "
                             "IATI uses ISO 3166-1 alpha-2 codes such as MZ."))
    return code


def _decimal(value: str) -> Decimal | None:
    """A finite number of sensible size, else None. (NaN cannot be compared or added, and
    1e999999999 would be written out digit by digit.)"""
    try:
        number = Decimal(value)
    except InvalidOperation:
        return None
    return number if number.is_finite() and number.adjusted() < 20 else None


def _status(activity: Element, where: str, found: list[Problem]) -> str:
    code = (activity.find("activity-status").get("code", "") if activity.find(
        "activity-status") is not None else "").strip()
    if code not in STATUS:
        found.append(Problem(where, "activity-status", f"Unknown activity-status code "
                             f"“{code[:20]}”; IATI 2.03 uses 1 to 6."))
    return STATUS.get(code, "")


def _dates(activity: Element, where: str, found: list[Problem]) -> dict[str, str]:
    dates = {}
    for element in activity.findall("activity-date"):
        kind = element.get("type", "")
        if kind not in DATE_TYPES:
            found.append(Problem(where, "activity-date", f"Unknown activity-date type "
                                 f"“{kind[:20]}” (IATI 1.x used words such as start-planned; "
                                 "2.03 uses 1 to 4)."))
            continue
        dates[kind] = element.get("iso-date", "")
    return {"start_date": dates.get("2") or dates.get("1") or "",
            "end_date": dates.get("4") or dates.get("3") or ""}


def _organisations(activity: Element, where: str, found: list[Problem]) -> str:
    by_role: dict[str, list[str]] = {}
    for org in activity.findall("participating-org"):
        role = org.get("role", "")
        if role not in ROLES:
            found.append(Problem(where, "participating-org", f"Unknown role “{role[:20]}”; IATI "
                                 "2.03 uses 1 (funding) to 4 (implementing)."))
            continue
        name = _text(org) or org.get("ref", "")
        if name:
            by_role.setdefault(role, []).append(name)
    return "\n".join(by_role.get("4") or by_role.get("3") or [])


def _funding(activity: Element, where: str, found: list[Problem]) -> list[dict]:
    default_currency = activity.get("default-currency", "")
    totals: dict[tuple[int, str, str], Decimal] = {}
    for number, transaction in enumerate(activity.findall("transaction"), start=1):
        at = f"{where}, transaction {number}"
        element = transaction.find("transaction-type")
        code = element.get("code", "") if element is not None else ""
        if code not in TRANSACTION_TYPES:
            found.append(Problem(at, "transaction-type", f"Unknown transaction type “{code[:20]}”"
                                 " (IATI 1.x used letters such as C and D; 2.03 uses 1 to 13)."))
            continue
        if code not in KIND:
            continue  # incoming funds, expenditure...: not a commitment or a disbursement
        value = transaction.find("value")
        day = (transaction.find("transaction-date").get("iso-date", "") if transaction.find(
            "transaction-date") is not None else "") or (
            value.get("value-date", "") if value is not None else "")
        year = _ISO_DATE.match(day)
        currency = (value.get("currency") if value is not None else None) or default_currency
        amount = _decimal((value.text or "").strip()) if value is not None else None
        if not year or not currency or amount is None:
            found.append(Problem(at, "value", "A transaction needs a date (YYYY-MM-DD), a "
                                 "currency (or the activity's default-currency) and a value."))
            continue
        key = (int(year.group(1)), KIND[code], currency.upper())
        totals[key] = totals.get(key, Decimal(0)) + amount
    return [{"year": str(year), "kind": kind, "currency": currency, "amount": f"{total:.2f}",
             "note": ""} for (year, kind, currency), total in sorted(totals.items())]


def _existing(session: Session, identifier: str) -> Programme | None:
    programme_id = find_record_id(session, "iati", identifier)
    query = select(Programme).options(
        selectinload(Programme.instrument), selectinload(Programme.kinds),
        selectinload(Programme.funding_lines), selectinload(Programme.sources))
    query = query.where(Programme.id == programme_id) if programme_id else query.where(
        Programme.reference_code == identifier)
    return session.exec(query).first()


def _held_above(session: Session, identifier: str) -> bool:
    """Whether the activity is in the register above the reader's clearance."""
    programme_id = find_record_id(session, "iati", identifier)
    with reading_everything(session):
        return session.exec(select(Programme.id).where(sa.or_(
            Programme.reference_code == identifier, Programme.id == (programme_id or 0)))
        ).first() is not None


def _change(where: str, identifier: str, programme: Programme | None, data: ProgrammeInput
            ) -> Iterator[Change]:
    label = f"{identifier}: {data.title}"
    if programme is None:
        def create(session: Session) -> None:
            made = programmes.create_programme(session, data)
            remember(session, "iati", identifier, "programme", made.id)
        yield Change(Action.CREATE, "programme", identifier,
                     f"{label} ({len(data.funding)} funding lines)", create)
    elif changed := differences(programme, data):
        def update(session: Session) -> None:
            programmes.update_programme(session, programme, with_sources(programme, data),
                                        programme.version)
            remember(session, "iati", identifier, "programme", programme.id)
        yield Change(Action.UPDATE, "programme", identifier,
                     f"{label} (changed: {', '.join(changed)})", update)
    else:
        yield Change(Action.UNCHANGED, "programme", identifier, label)
