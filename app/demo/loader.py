"""Loads the demo register (app/demo/register.json), example notes, demo accounts, and the
demo inquiries, answers, hearings and safeguard ratings (app/demo/inquiries.json).

Programmes go through the same checks as the programme form, and everything is created in one
transaction: all or nothing.
"""

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlmodel import Session, select

from app import clock
from app.accounts import service as accounts
from app.demo.inquiries import LoadedInquiries, load_demo_inquiries
from app.inquiries.deadlines import WorkingCalendar
from app.models import Classification, Role, User
from app.programmes import service
from app.programmes.schemas import ProgrammeInput

REGISTER_FILE = Path(__file__).resolve().parent / "register.json"
NOTES_FILE = Path(__file__).resolve().parent / "notes.json"

DEMO_ACCOUNTS = [
    ("admin@demo.oversight.example", "Demo Administrator", Role.ADMIN, Classification.CONFIDENTIAL),
    ("staff@demo.oversight.example", "Demo Committee Clerk", Role.STAFF,
     Classification.CONFIDENTIAL),
    ("mp.restricted@demo.oversight.example", "Demo MP (restricted clearance)", Role.MEMBER,
     Classification.RESTRICTED),
    ("mp@demo.oversight.example", "Demo MP (no clearance)", Role.MEMBER, Classification.PUBLIC),
]


class RegisterNotEmpty(Exception):
    pass


@dataclass
class Loaded:
    programmes: int = 0
    notes: int = 0
    accounts: list[tuple[str, str, str, str]] = field(default_factory=list)
    inquiries: LoadedInquiries = field(default_factory=LoadedInquiries)


def demo_programmes(path: Path = REGISTER_FILE) -> list[ProgrammeInput]:
    """Every programme in the demo file, validated; a bad row is a ValueError naming it."""
    document = json.loads(path.read_text(encoding="utf-8"))
    programmes = []
    for number, row in enumerate(document["programmes"], start=1):
        row = dict(row)
        row["funding"] = [
            {**line, "year": str(line["year"]), "amount": str(line["amount"])}
            for line in row.get("funding", [])
        ]
        try:
            programmes.append(ProgrammeInput.model_validate(row))
        except ValueError as exc:
            raise ValueError(f"demo programme {number} ({row.get('reference_code')}): {exc}")
    return programmes


def demo_notes(path: Path = NOTES_FILE) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["notes"]


def load_demo_register(session: Session, *, today: date | None = None,
                       calendar: WorkingCalendar | None = None) -> Loaded:
    """Create the demo programmes, notes, inquiries, hearings, safeguard ratings and any missing
    demo accounts, then commit. Demo examples are dated from `today` (default: the real today)
    over `calendar`'s working days (default: Germany with Berlin, as the settings' default).

    Refuses if any programme exists. The session must see everything (read_as_system)."""
    programmes = demo_programmes()
    existing = service.count_programmes(session)
    if existing:
        raise RegisterNotEmpty(f"the register already holds {existing} programmes")
    loaded = Loaded()
    by_reference = {}
    for data in programmes:
        by_reference[data.reference_code] = service.create_programme(session, data)
        loaded.programmes += 1
    for note in demo_notes():
        service.save_note(session, by_reference[note["programme"]], None, title=note["title"],
                          body=note["body"],
                          classification=Classification.parse(note["classification"]))
        loaded.notes += 1
    loaded.inquiries = load_demo_inquiries(session, by_reference, today=today or clock.today(),
                                           calendar=calendar or WorkingCalendar())
    for email, name, role, clearance in DEMO_ACCOUNTS:
        if session.exec(select(User.id).where(User.email == email)).first() is None:
            password = accounts.generate_password()
            accounts.create_user(session, email=email, name=name, role=role,
                                 clearance=clearance, password=password)
            loaded.accounts.append((email, role.value, clearance.name.lower(), password))
    session.commit()
    return loaded
