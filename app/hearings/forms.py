"""The hearing form: what was typed, checked into a HearingInput, with a message per field."""

import re
from datetime import date, time
from typing import Any

from pydantic import ValidationError, field_validator
from starlette.datastructures import FormData

from app.forms import problems
from app.models import Classification, Hearing
from app.programmes.schemas import Marked, required_date
from app.text import clean_text

FIELDS = ("committee", "title", "held_on", "starts_at", "location", "notes", "classification",
          "version")
# 24-hour clock; a browser's time input sends "09:30", people type "9:30" too.
_CLOCK = re.compile(r"^([01]?[0-9]|2[0-3]):([0-5][0-9])$")
FIRST_YEAR, LAST_YEAR = 1949, 2100  # the Bundestag's first sitting; beyond that a typo


class HearingInput(Marked):
    committee: str
    title: str
    held_on: date
    starts_at: time | None = None
    location: str = ""
    notes: str = ""

    @field_validator("committee", mode="before")
    @classmethod
    def _committee(cls, value: Any) -> str:
        return clean_text(str(value or ""), label="The committee", max_length=200, required=True)

    @field_validator("title", mode="before")
    @classmethod
    def _title(cls, value: Any) -> str:
        return clean_text(str(value or ""), label="The title", max_length=300, required=True)

    @field_validator("held_on", mode="before")
    @classmethod
    def _held_on(cls, value: Any) -> date:
        day = required_date(value, "2026-03-19", "Enter the date of the hearing.")
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise ValueError(f"The year must be between {FIRST_YEAR} and {LAST_YEAR}.")
        return day

    @field_validator("starts_at", mode="before")
    @classmethod
    def _starts_at(cls, value: Any) -> time | None:
        text = str(value or "").strip()
        if not text:
            return None
        match = _CLOCK.match(text)
        if not match:
            raise ValueError("Enter the time as HH:MM on the 24-hour clock, e.g. 09:30 or 14:00.")
        return time(int(match.group(1)), int(match.group(2)))

    @field_validator("location", mode="before")
    @classmethod
    def _location(cls, value: Any) -> str:
        return clean_text(str(value or ""), label="The room", max_length=200)

    @field_validator("notes", mode="before")
    @classmethod
    def _notes(cls, value: Any) -> str:
        return clean_text(str(value or ""), label="The notes", max_length=5000, multiline=True,
                          markdown=True)


def typed_values(submitted: FormData) -> dict[str, str]:
    return {name: str(submitted.get(name, "")) for name in FIELDS}


def blank_values() -> dict[str, str]:
    return {name: "" for name in FIELDS} | {"classification": "public"}


def values_of(hearing: Hearing) -> dict[str, str]:
    """The edit form, filled from the stored hearing."""
    return {
        "committee": hearing.committee, "title": hearing.title,
        "held_on": hearing.held_on.isoformat(),
        "starts_at": hearing.starts_at.strftime("%H:%M") if hearing.starts_at else "",
        "location": hearing.location, "notes": hearing.notes,
        "classification": hearing.classification.name.lower(), "version": str(hearing.version),
    }


Checked = tuple[HearingInput | None, dict[str, str]]


def check(values: dict[str, str], clearance: Classification) -> Checked:
    """The checked input, or None and a message per field (keys are form field names)."""
    try:
        return HearingInput.model_validate(values, context={"clearance": clearance}), {}
    except ValidationError as exc:
        return None, problems(exc)

