"""Loads app/demo/register.json through the same checks as the programme form, all or nothing."""

import json
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.programmes import service
from app.programmes.schemas import ProgrammeInput

REGISTER_FILE = Path(__file__).resolve().parent / "register.json"


class RegisterNotEmpty(Exception):
    pass


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


def load_demo_register(engine: Engine) -> int:
    """Create the demo programmes in one transaction; refuse if any programme exists."""
    programmes = demo_programmes()
    with Session(engine) as session:
        existing = service.count_programmes(session)
        if existing:
            raise RegisterNotEmpty(f"the register already holds {existing} programmes")
        for data in programmes:
            service.create_programme(session, data)
        session.commit()
    return len(programmes)
