"""Inquiry forms as typed and as checked: the inquiry, an item, an extension, a withdrawal."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import BaseModel, ValidationError, field_validator
from starlette.datastructures import FormData


from app.forms import problems
from app.inquiries.paste import SplitText, split_numbered
from app.models import Classification, Inquiry
from app.programmes.schemas import Marked, parse_date, required_date
from app.text import clean_text, small_int

MAX_ITEM_NUMBER = 999
MAX_LINKS = 200
NO_NUMBERED_QUESTIONS = ("No numbered questions were found. Start each question on a new line "
                         "with its number, e.g. “1.” or “Frage 1:”.")


EXAMPLE_DAY = "2026-03-02"


def _codes(value: Any, what: str) -> list[str]:
    values = value if isinstance(value, list) else [value] if value else []
    codes = list(dict.fromkeys(str(v).strip() for v in values if str(v).strip()))
    if len(codes) > MAX_LINKS:
        raise ValueError(f"At most {MAX_LINKS} {what}.")
    return codes


class InquiryInput(Marked):
    """An inquiry as the service accepts it. Codes are checked against the database there."""

    inquiry_type: str
    reference: str = ""
    title: str
    asked_by: str = ""
    faction: str = ""
    ministries: list[str] = []
    lead_ministry: str = ""
    submitted_on: date | None = None
    set_due_date: date | None = None
    preamble: str = ""
    programmes: list[str] = []

    @field_validator("inquiry_type", mode="before")
    @classmethod
    def _type(cls, value: Any) -> str:
        code = str(value or "").strip()
        if not code:
            raise ValueError("Choose the type of inquiry.")
        return code

    @field_validator("reference", mode="before")
    @classmethod
    def _reference(cls, value: Any) -> str:
        return clean_text(str(value or ""), label="The reference", max_length=100)

    @field_validator("title", mode="before")
    @classmethod
    def _title(cls, value: Any) -> str:
        return clean_text(str(value or ""), label="The title", max_length=300, required=True)

    @field_validator("asked_by", mode="before")
    @classmethod
    def _asked_by(cls, value: Any) -> str:
        return clean_text(str(value or ""), label="Asked by", max_length=1000)

    @field_validator("faction", mode="before")
    @classmethod
    def _faction(cls, value: Any) -> str:
        return clean_text(str(value or ""), label="The faction", max_length=100)

    @field_validator("preamble", mode="before")
    @classmethod
    def _preamble(cls, value: Any) -> str:
        return clean_text(str(value or ""), label="The preamble", max_length=20000,
                          multiline=True)

    @field_validator("ministries", mode="before")
    @classmethod
    def _ministries(cls, value: Any) -> list[str]:
        return _codes(value, "ministries")

    @field_validator("programmes", mode="before")
    @classmethod
    def _programmes(cls, value: Any) -> list[str]:
        return _codes(value, "linked programmes")

    @field_validator("lead_ministry", mode="before")
    @classmethod
    def _lead(cls, value: Any) -> str:
        return str(value or "").strip()

    @field_validator("submitted_on", "set_due_date", mode="before")
    @classmethod
    def _date(cls, value: Any) -> date | None:
        return parse_date(value, EXAMPLE_DAY)

    @field_validator("set_due_date", mode="after")
    @classmethod
    def _due_after_submission(cls, value: date | None, info) -> date | None:
        submitted = info.data.get("submitted_on")
        if value and submitted and value < submitted:
            raise ValueError(f"The due date is before the submitted date "
                             f"({submitted.isoformat()}).")
        return value

    @field_validator("lead_ministry", mode="after")
    @classmethod
    def _lead_is_addressed(cls, value: str, info) -> str:
        addressed = info.data.get("ministries") or []
        if not value and len(addressed) == 1:
            return addressed[0]  # one ministry is the lead
        if not value and len(addressed) > 1:
            raise ValueError("Choose which of the ministries is the lead.")
        return value

    def addressed(self) -> list[str]:
        """The ministries addressed, the lead among them even if its box was not ticked."""
        if self.lead_ministry and self.lead_ministry not in self.ministries:
            return [self.lead_ministry, *self.ministries]
        return self.ministries


# In the order the fields appear on the page.
FIELD_LABELS = {
    "version": "Version", "inquiry_type": "Type", "reference": "Reference", "title": "Title",
    "asked_by": "Asked by", "faction": "Faction", "ministries": "Addressed to",
    "lead_ministry": "Lead ministry", "submitted_on": "Submitted on",
    "set_due_date": "Due date set by the committee", "classification": "Classification",
    "programmes": "Linked programmes", "preamble": "Preamble", "questions": "Questions",
}
SCALAR_FIELDS = ("inquiry_type", "reference", "title", "asked_by", "faction", "lead_ministry",
                 "submitted_on", "set_due_date", "preamble", "classification", "version",
                 "questions")


@dataclass
class InquiryForm:
    """What the person typed, exactly, so a refused form comes back with nothing lost."""

    values: dict[str, str] = field(default_factory=dict)
    ministries: list[str] = field(default_factory=list)
    programmes: list[str] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_form_data(cls, form: FormData) -> "InquiryForm":
        values = {name: str(form.get(name, "") or "") for name in SCALAR_FIELDS}
        return cls(values=values,
                   ministries=[str(v) for v in form.getlist("ministries")],
                   programmes=[str(v) for v in form.getlist("programmes")])

    @classmethod
    def blank(cls, default_type: str) -> "InquiryForm":
        return cls(values={"inquiry_type": default_type, "classification": "public"})

    @classmethod
    def of(cls, inquiry: Inquiry, programme_codes: list[str]) -> "InquiryForm":
        """The edit form, filled from the stored inquiry (and the programmes the editor sees)."""
        lead = next((m.ministry.code for m in inquiry.ministries if m.lead), "")
        values = {
            "inquiry_type": inquiry.inquiry_type.code, "reference": inquiry.reference,
            "title": inquiry.title, "asked_by": inquiry.asked_by, "faction": inquiry.faction,
            "lead_ministry": lead, "preamble": inquiry.preamble,
            "submitted_on": inquiry.submitted_on.isoformat() if inquiry.submitted_on else "",
            "set_due_date": inquiry.set_due_date.isoformat() if inquiry.set_due_date else "",
            "classification": inquiry.classification.name.lower(),
            "version": str(inquiry.version),
        }
        return cls(values=values, ministries=[m.ministry.code for m in inquiry.ministries],
                   programmes=programme_codes)

    @property
    def version(self) -> int | None:
        return small_int(self.values.get("version", ""))

    def validate(self, clearance: Classification) -> InquiryInput | None:
        """The checked input, or None with `errors` filled in (keys are form field names)."""
        raw = dict(self.values, ministries=self.ministries, programmes=self.programmes)
        try:
            data = InquiryInput.model_validate(raw, context={"clearance": clearance})
        except ValidationError as exc:
            self.merge_errors(problems(exc))
            return None
        return None if self.errors else data

    def merge_errors(self, errors: dict[str, str]) -> None:
        for name, message in errors.items():
            self.errors.setdefault(name, message)

    def pasted_questions(self) -> SplitText:
        """The questions pasted on the create form, split into items (none if nothing was
        pasted); a problem with them goes into `errors`."""
        text = self.values.get("questions", "")
        if not text.strip():
            return SplitText("", [])
        try:
            text = clean_text(text, label="The pasted questions", max_length=100_000,
                              multiline=True)
        except ValueError as exc:
            self.errors["questions"] = str(exc)
            return SplitText("", [])
        split = split_numbered(text)
        if not split.items:
            self.errors["questions"] = NO_NUMBERED_QUESTIONS
        return split

    def error_list(self) -> list[tuple[str, str, str]]:
        """(field, label, message) for each error, in the order the fields appear on the page."""
        order = list(FIELD_LABELS)
        return [(name, FIELD_LABELS.get(name, name), self.errors[name])
                for name in sorted(self.errors,
                                   key=lambda n: order.index(n) if n in order else len(order))]


class ItemInput(Marked):
    """One numbered question. Its marking is raised to the inquiry's by the service."""

    number: int
    text: str

    @field_validator("number", mode="before")
    @classmethod
    def _number(cls, value: Any) -> int:
        number = small_int(str(value or "").strip(), 3)
        if number is None or not 1 <= number <= MAX_ITEM_NUMBER:
            raise ValueError(f"Enter a whole number from 1 to {MAX_ITEM_NUMBER}.")
        return number

    @field_validator("text", mode="before")
    @classmethod
    def _text(cls, value: Any) -> str:
        return clean_text(str(value or ""), label="The question", max_length=10000,
                          required=True, multiline=True)


class PasteInput(Marked):
    questions: str

    @field_validator("questions", mode="before")
    @classmethod
    def _questions(cls, value: Any) -> str:
        return clean_text(str(value or ""), label="The pasted questions", max_length=100000,
                          required=True, multiline=True)


class ExtensionInput(BaseModel):
    new_due_date: date
    reason: str

    @field_validator("new_due_date", mode="before")
    @classmethod
    def _date(cls, value: Any) -> date:
        return required_date(value, EXAMPLE_DAY, "Enter the new due date.")

    @field_validator("reason", mode="before")
    @classmethod
    def _reason(cls, value: Any) -> str:
        return clean_text(str(value or ""), label="The reason", max_length=1000, required=True)


class WithdrawalInput(BaseModel):
    withdrawn_on: date

    @field_validator("withdrawn_on", mode="before")
    @classmethod
    def _date(cls, value: Any) -> date:
        return required_date(value, EXAMPLE_DAY, "Enter the date the inquiry was withdrawn.")
