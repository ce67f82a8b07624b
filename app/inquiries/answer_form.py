"""The answer form as typed: the answer's own fields, one group of fields per question and the
pasted answer; checked into AnswerInput with a message at each field that is wrong."""

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Any

from pydantic import BeforeValidator, ValidationError, field_validator
from starlette.datastructures import FormData

from app.forms import problems
from app.inquiries.paste import split_numbered
from app.models import (
    Answer, AnswerItem, Assessment, Classification, Inquiry, InquiryItem, RefusalReason,
)
from app.programmes.schemas import Marked, required_date
from app.text import clean_text, small_int

ANSWER_FIELDS = ("received_on", "reference", "ministry_id", "classification",
                 "has_classified_annex", "notes", "version")
ITEM_FIELDS = ("text", "assessment", "refusal_reason", "assessment_note", "follow_up",
               "classification")
MAX_ANSWER_TEXT = 50_000
MAX_PASTE = 500_000
_CHECKED = {"on", "true", "1", "yes"}


def received_on_problem(submitted_on: date | None, received_on: date, today: date) -> str | None:
    """Why an answer cannot have been received on `received_on`, or None."""
    if submitted_on is None:
        return ("This inquiry is still a draft: it has no submitted date, so it cannot have been "
                "answered. Record when it was submitted first.")
    if received_on < submitted_on:
        return (f"The answer cannot have been received before the inquiry was submitted "
                f"({submitted_on.isoformat()}). Check both dates.")
    if received_on > today:
        return (f"The received date is in the future (today is {today.isoformat()}). Enter the "
                "day the answer arrived.")
    return None


def _checked(value: Any) -> bool:
    return str(value or "").strip().lower() in _CHECKED


# A checkbox: sent as "on" when ticked, not sent at all when not.
Checkbox = Annotated[bool, BeforeValidator(_checked)]


class AnswerItemInput(Marked):
    """The answer to one question and its assessment, checked."""

    text: str = ""
    assessment: Assessment | None = None
    # Declared after `assessment`: its check looks at the assessment.
    refusal_reason: RefusalReason | None = None
    assessment_note: str = ""
    follow_up: Checkbox = False

    @field_validator("text", mode="before")
    @classmethod
    def _text(cls, value: Any) -> str:
        return clean_text(str(value or ""), label="The answer", max_length=MAX_ANSWER_TEXT,
                          multiline=True)

    @field_validator("assessment", mode="before")
    @classmethod
    def _assessment(cls, value: Any) -> Assessment | None:
        text = str(value or "").strip()
        try:
            return Assessment(text) if text else None
        except ValueError:
            raise ValueError("Choose an assessment from the list.") from None

    @field_validator("refusal_reason", mode="before")
    @classmethod
    def _refusal_reason(cls, value: Any, info) -> RefusalReason | None:
        text = str(value or "").strip()
        try:
            reason = RefusalReason(text) if text else None
        except ValueError:
            raise ValueError("Choose a reason from the list.") from None
        if "assessment" not in info.data:
            return reason  # the assessment itself is wrong; that is the message to show
        refused = info.data["assessment"] == Assessment.REFUSED
        if refused and reason is None:
            raise ValueError("The item is assessed as refused: give the reason for the refusal.")
        if reason is not None and not refused:
            raise ValueError("A refusal reason goes only with the assessment “Refused”: choose "
                             "“Refused” or clear the reason.")
        return reason

    @field_validator("assessment_note", mode="before")
    @classmethod
    def _note(cls, value: Any) -> str:
        return clean_text(str(value or ""), label="The assessment note", max_length=2000)

    @property
    def blank(self) -> bool:
        """Nothing typed or chosen: no row is made for it."""
        return not (self.text or self.assessment or self.assessment_note or self.follow_up)


class AnswerInput(Marked):
    """The answer's own fields, checked against the inquiry (context: submitted_on, today,
    ministry_ids, floor) and the author's clearance."""

    received_on: date
    reference: str = ""
    ministry_id: int | None = None
    has_classified_annex: Checkbox = False
    notes: str = ""
    items: dict[int, AnswerItemInput] = {}

    @field_validator("classification", mode="after")
    @classmethod
    def _not_below_inquiry(cls, level: Classification, info) -> Classification:
        floor = (info.context or {}).get("floor", Classification.PUBLIC)
        if level < floor:
            raise ValueError(f"The answer cannot be marked lower than its inquiry "
                             f"({Classification(floor).label.lower()}).")
        return level

    @field_validator("received_on", mode="before")
    @classmethod
    def _received_on(cls, value: Any, info) -> date:
        received = required_date(value, "2024-03-15",
                                 "Enter the date the answer was received, as YYYY-MM-DD.")
        context = info.context or {}
        problem = received_on_problem(context.get("submitted_on"), received,
                                      context.get("today", date.max))
        if problem:
            raise ValueError(problem)
        return received

    @field_validator("reference", mode="before")
    @classmethod
    def _reference(cls, value: Any) -> str:
        return clean_text(str(value or ""), label="The reference", max_length=100)

    @field_validator("ministry_id", mode="before")
    @classmethod
    def _ministry(cls, value: Any, info) -> int | None:
        if not str(value or "").strip():
            return None
        ministry_id = small_int(value)
        if ministry_id is None or ministry_id not in (info.context or {}).get("ministry_ids", ()):
            raise ValueError("Choose a ministry from the list.")
        return ministry_id

    @field_validator("notes", mode="before")
    @classmethod
    def _notes(cls, value: Any) -> str:
        return clean_text(str(value or ""), label="The notes", max_length=20000, multiline=True)


class AttachmentInput(Marked):
    """The choices that go with an uploaded file (the file itself is checked by its content)."""

    is_annex: Checkbox = False


@dataclass(frozen=True)
class PasteReport:
    """What splitting a pasted answer did: the questions filled, the numbers that match none."""

    filled: list[int]
    unmatched: list[int]
    preamble_to_notes: bool


@dataclass
class AnswerForm:
    """What the person typed, exactly, so a refused form comes back with nothing lost.

    `items` holds one dict of raw values per question the editor may see, by InquiryItem id and
    in the order of the questions; questions above their clearance are not in the form at all."""

    values: dict[str, str]
    items: dict[int, dict[str, str]]
    numbers: dict[int, int]
    paste: str = ""
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_form_data(cls, form: FormData, questions: list[InquiryItem]) -> "AnswerForm":
        values = {name: str(form.get(name, "")) for name in ANSWER_FIELDS}
        items = {
            q.id: {name: str(form.get(item_field(q.id, name), "")) for name in ITEM_FIELDS}
            for q in questions
        }
        return cls(values=values, items=items, numbers={q.id: q.number for q in questions},
                   paste=str(form.get("paste", "")))

    @classmethod
    def from_inquiry(cls, inquiry: Inquiry) -> "AnswerForm":
        """The form filled from the stored answer, or blank for a new one."""
        answer: Answer | None = inquiry.answer
        stored = {a.item_id: a for a in answer.items} if answer else {}
        items = {q.id: _item_values(stored.get(q.id), q, answer, inquiry) for q in inquiry.items}
        numbers = {q.id: q.number for q in inquiry.items}
        if answer is None:
            lead = next((m.ministry_id for m in inquiry.ministries if m.lead), None)
            values = {"received_on": "", "reference": "",
                      "ministry_id": str(lead) if lead else "",
                      "classification": inquiry.classification.name.lower(),
                      "has_classified_annex": "", "notes": "", "version": ""}
        else:
            values = {"received_on": answer.received_on.isoformat(),
                      "reference": answer.reference,
                      "ministry_id": str(answer.ministry_id or ""),
                      "classification": answer.classification.name.lower(),
                      "has_classified_annex": "on" if answer.has_classified_annex else "",
                      "notes": answer.notes, "version": str(answer.version)}
        return cls(values=values, items=items, numbers=numbers)

    @property
    def version(self) -> int | None:
        return small_int(self.values.get("version", ""))

    def apply_paste(self) -> PasteReport | None:
        """Fill each question's answer from the pasted block, by number. Numbers that match no
        question stay in the box, so nothing typed is lost; text before the first number (the
        government's preliminary remark) goes to the notes."""
        if not self.paste.strip():
            return None
        split = split_numbered(self.paste)
        by_number = {number: item_id for item_id, number in self.numbers.items()}
        filled, left = [], []
        for pasted in split.items:
            item_id = by_number.get(pasted.number)
            if item_id is None:
                left.append(pasted)
            else:
                self.items[item_id]["text"] = pasted.text
                filled.append(pasted.number)
        moved = bool(split.preamble) and split.preamble not in self.values.get("notes", "")
        if moved:
            self.values["notes"] = "\n\n".join(
                part for part in (self.values.get("notes", "").strip(), split.preamble) if part)
        if split.items or moved:
            self.paste = "\n\n".join(f"{p.number}. {p.text}" for p in left)
        return PasteReport(filled=filled, unmatched=[p.number for p in left],
                           preamble_to_notes=moved)

    def validate(self, clearance: Classification, context: dict[str, Any]) -> AnswerInput | None:
        """The checked input, or None with `errors` filled in (keys are form field names)."""
        self.errors = {}
        context = {**context, "clearance": clearance}
        if len(self.paste) > MAX_PASTE:
            self.errors["paste"] = f"The pasted text is longer than {MAX_PASTE:,} characters."
        elif self.paste.strip():
            self.errors["paste"] = _unmatched_message(self.paste, self.numbers)
        items = {}
        for item_id, raw in self.items.items():
            try:
                items[item_id] = AnswerItemInput.model_validate(raw, context=context)
            except ValidationError as exc:
                for name, message in problems(exc).items():
                    self.errors.setdefault(item_field(item_id, name), message)
        raw = {name: self.values.get(name, "") for name in ANSWER_FIELDS if name != "version"}
        try:
            data = AnswerInput.model_validate(raw, context=context)
        except ValidationError as exc:
            for name, message in problems(exc).items():
                self.errors.setdefault(name, message)
            return None
        return None if self.errors else data.model_copy(update={"items": items})

    def chosen_markings(self) -> list[str]:
        """Every marking chosen in the form, for the page's marking when it is shown again."""
        return [self.values.get("classification", ""),
                *(raw.get("classification", "") for raw in self.items.values())]

    def error_list(self) -> list[tuple[str, str, str]]:
        """(field, label, message) for each error, in the order the fields appear on the page."""
        order = [*(n for n in ANSWER_FIELDS if n != "version"), "paste", "items"]
        for item_id in self.items:
            order.extend(item_field(item_id, name) for name in ITEM_FIELDS)
        return [(name, self.label(name), self.errors[name])
                for name in sorted(self.errors, key=lambda n: order.index(n) if n in order
                                   else len(order))]

    def label(self, name: str) -> str:
        match = re.fullmatch(r"item-([0-9]+)-([a-z_]+)", name)
        if match:
            number = self.numbers.get(int(match.group(1)), "?")
            return f"Question {number}, {ITEM_LABELS.get(match.group(2), match.group(2))}"
        return FIELD_LABELS.get(name, name)


FIELD_LABELS = {
    "received_on": "Received on", "reference": "Reference", "ministry_id": "Answering ministry",
    "classification": "Classification", "has_classified_annex": "Classified annex",
    "notes": "Notes", "paste": "Pasted answer", "items": "Questions",
}
ITEM_LABELS = {
    "text": "answer", "assessment": "assessment", "refusal_reason": "refusal reason",
    "assessment_note": "assessment note", "follow_up": "follow-up",
    "classification": "classification",
}


def item_field(item_id: int, name: str) -> str:
    """The form field name (and element id) of one part of one question's answer."""
    return f"item-{item_id}-{name}"


def _item_values(stored: AnswerItem | None, question: InquiryItem, answer: Answer | None,
                 inquiry: Inquiry) -> dict[str, str]:
    if stored is None:
        floor = max(question.classification, inquiry.classification,
                    answer.classification if answer else Classification.PUBLIC)
        return {"text": "", "assessment": "", "refusal_reason": "", "assessment_note": "",
                "follow_up": "", "classification": floor.name.lower()}
    return {
        "text": stored.text,
        "assessment": stored.assessment.value if stored.assessment else "",
        "refusal_reason": stored.refusal_reason.value if stored.refusal_reason else "",
        "assessment_note": stored.assessment_note,
        "follow_up": "on" if stored.follow_up else "",
        "classification": stored.classification.name.lower(),
    }


def _unmatched_message(paste: str, numbers: dict[int, int]) -> str:
    left = [p.number for p in split_numbered(paste).items]
    known = sorted(numbers.values())
    has = (f"its questions are numbered {known[0]}–{known[-1]}" if known
           else "it has no questions")
    if left:
        listed = ", ".join(str(n) for n in left)
        return (f"The pasted text has answers numbered {listed}, which match no question of this "
                f"inquiry ({has}). Remove them from the box, or clear it.")
    return ("The pasted text has no numbered answers (such as “1.” or “Zu Frage 1:”) to "
            "fill the questions with. Clear the box, or number the answers.")
