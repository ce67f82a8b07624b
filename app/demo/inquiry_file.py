"""The demo file of questions to government, hearings and safeguard ratings (inquiries.json),
read and checked: a bad entry is a ValueError that names it.

Real minor interpellations carry fixed dates and must say what the sources do not give; demo
examples are labelled as such and carry dates counted from the day the demo is loaded.
"""

import re
from datetime import date, time
from pathlib import Path
from typing import Annotated

from pydantic import (
    AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo,
    model_validator,
)

from app.models import Assessment, Classification, Rating, RefusalReason
from app.programmes.schemas import parse_classification
from app.text import clean_text

INQUIRIES_FILE = Path(__file__).resolve().parent / "inquiries.json"

DEMO_LABEL = "Demo example"
DEMO_ASSESSMENT = "demo assessment"
_DRUCKSACHE = re.compile(r"^Drucksache [0-9]{2}/[0-9]+$")


def _text(max_length: int, *, required: bool = False, multiline: bool = False):
    """A text field checked like one a clerk types (length, no markup)."""
    def check(value: str, info: ValidationInfo) -> str:
        return clean_text(value, label=info.field_name or "text", max_length=max_length,
                          required=required, multiline=multiline)
    return Annotated[str, AfterValidator(check)]


Marking = Annotated[Classification, BeforeValidator(parse_classification)]


class _Strict(BaseModel):
    # A misspelt key would otherwise be dropped silently and its fact lost.
    model_config = ConfigDict(extra="forbid")


class DemoItem(_Strict):
    number: int = Field(ge=1)
    text: _text(10_000, required=True, multiline=True)


class DemoAnswerItem(_Strict):
    item: int = Field(ge=1)
    text: _text(20_000, multiline=True) = ""
    assessment: Assessment | None = None
    refusal_reason: RefusalReason | None = None
    assessment_note: _text(2000) = ""
    follow_up: bool = False
    classification: Marking = Classification.PUBLIC

    @model_validator(mode="after")
    def _assessment_is_labelled(self) -> "DemoAnswerItem":
        if self.refusal_reason is not None and self.assessment != Assessment.REFUSED:
            raise ValueError(f"item {self.item}: a refusal reason needs the assessment 'refused'")
        if self.assessment is not None and DEMO_ASSESSMENT not in self.assessment_note.lower():
            raise ValueError(f"item {self.item}: the assessment note must say it is a "
                             f"'{DEMO_ASSESSMENT}'")
        return self


class DemoAnswer(_Strict):
    reference: _text(100) = ""
    ministry: str | None = None
    notes: _text(5000, multiline=True) = ""
    has_classified_annex: bool = False
    items: list[DemoAnswerItem] = []


class RealAnswer(DemoAnswer):
    received_on: date

    @model_validator(mode="after")
    def _missing_reference_is_explained(self) -> "RealAnswer":
        if not self.reference and "not found" not in self.notes.lower():
            raise ValueError("an answer without a Drucksache number must say it was not found")
        return self


class ExampleAnswer(DemoAnswer):
    received_days_ago: int = Field(ge=0)


class DemoInquiry(_Strict):
    type: str = "minor_interpellation"
    title: _text(300, required=True)
    asked_by: _text(1000) = ""
    faction: _text(100) = ""
    ministries: list[str] = []
    summary: _text(10_000, required=True, multiline=True)
    programmes: list[str] = Field(default=[], max_length=3)
    items: list[DemoItem] = Field(min_length=1)

    def check_items(self, answer: DemoAnswer | None) -> None:
        numbers = [item.number for item in self.items]
        if len(set(numbers)) != len(numbers):
            raise ValueError(f"{self.name}: item numbers repeat")
        if len(set(self.ministries)) != len(self.ministries):
            raise ValueError(f"{self.name}: a ministry is named twice")
        if answer is not None:
            answered = [a.item for a in answer.items]
            if len(set(answered)) != len(answered) or not set(answered) <= set(numbers):
                raise ValueError(f"{self.name}: answer items must name distinct items asked")

    @property
    def name(self) -> str:
        raise NotImplementedError


class RealInquiry(DemoInquiry):
    """A real minor interpellation; what the sources lack is said in `uncertainty`."""

    reference: str = Field(pattern=_DRUCKSACHE.pattern)
    submitted_on: date | None
    subquestions: int | None = Field(ge=1)
    uncertainty: list[_text(1000)] = []
    sources: list[str] = Field(min_length=1)
    answer: RealAnswer | None = None

    @property
    def name(self) -> str:
        return self.reference

    @model_validator(mode="after")
    def _gaps_are_said(self) -> "RealInquiry":
        self.check_items(self.answer)
        said = " ".join(self.uncertainty).lower()
        if self.type != "minor_interpellation" or self.title.startswith(DEMO_LABEL):
            raise ValueError(f"{self.reference}: real entries are minor interpellations")
        if self.submitted_on is None and "tabled" not in said:
            raise ValueError(f"{self.reference}: say that the date it was tabled is not known")
        if self.subquestions is None and "number of sub-questions" not in said:
            raise ValueError(f"{self.reference}: say that the number of sub-questions is not known")
        if not self.answer or not self.answer.ministry:
            if "ministry" not in said:
                raise ValueError(f"{self.reference}: say that the answering ministry is not known")
        if self.answer and self.submitted_on and self.answer.received_on < self.submitted_on:
            raise ValueError(f"{self.reference}: answered before it was tabled")
        if any(not url.startswith("https://") for url in self.sources):
            raise ValueError(f"{self.reference}: sources are web addresses")
        return self


class ExampleInquiry(DemoInquiry):
    """A fictional inquiry whose dates count back from the day the demo is loaded."""

    key: str = Field(pattern=r"^[a-z0-9-]+$")
    submitted_days_ago: int | None = Field(default=None, ge=0)
    # Submitted so that its deadline falls within the next few working days.
    due_soon: bool = False
    # A deadline the committee set, this many days before the load date.
    due_days_ago: int | None = None
    follow_up_of: str | None = None
    answer: ExampleAnswer | None = None

    @property
    def name(self) -> str:
        return self.key

    @model_validator(mode="after")
    def _dates_fit(self) -> "ExampleInquiry":
        self.check_items(self.answer)
        if not self.title.startswith(DEMO_LABEL):
            raise ValueError(f"{self.key}: the title must start with '{DEMO_LABEL}'")
        if self.due_soon and self.submitted_days_ago is not None:
            raise ValueError(f"{self.key}: a due-soon example gets its submitted date computed")
        submitted = self.submitted_days_ago
        if submitted is None and (self.answer or self.due_days_ago is not None) \
                and not self.due_soon:
            raise ValueError(f"{self.key}: a draft has no deadline and no answer")
        if self.due_days_ago is not None and submitted is not None \
                and self.due_days_ago > submitted:
            raise ValueError(f"{self.key}: due before it was submitted")
        if self.answer and submitted is not None and self.answer.received_days_ago > submitted:
            raise ValueError(f"{self.key}: answered before it was submitted")
        return self


class DemoAgendaItem(_Strict):
    programme: str
    note: _text(1000) = ""


class DemoHearing(_Strict):
    committee: _text(200, required=True)
    # Days from the load date; moved to the next working day.
    in_days: int
    starts_at: time | None = None
    title: _text(300, required=True)
    location: _text(200) = ""
    notes: _text(5000, multiline=True) = ""
    agenda: list[DemoAgendaItem] = []

    @model_validator(mode="after")
    def _labelled_and_distinct(self) -> "DemoHearing":
        if not self.title.startswith(DEMO_LABEL):
            raise ValueError(f"hearing {self.title!r}: the title must start with '{DEMO_LABEL}'")
        codes = [a.programme for a in self.agenda]
        if len(set(codes)) != len(codes):
            raise ValueError(f"hearing {self.title!r}: a programme is on the agenda twice")
        return self


class AnswerItemRef(_Strict):
    inquiry: str  # a real inquiry's reference or an example's key
    item: int


class DemoEvidence(_Strict):
    source_url: str | None = None
    answer: AnswerItemRef | None = None
    note: _text(1000) = ""
    classification: Marking = Classification.PUBLIC

    @model_validator(mode="after")
    def _one_target(self) -> "DemoEvidence":
        if (self.source_url is None) == (self.answer is None):
            raise ValueError("evidence points to exactly one source or one answer item")
        return self


class DemoRating(_Strict):
    programme: str
    criterion: str = Field(pattern=r"^C[0-9]+$")
    rating: Rating
    classification: Marking = Classification.PUBLIC
    rationale: _text(5000, required=True, multiline=True)
    evidence: list[DemoEvidence] = []


class NotLoaded(_Strict):
    reference: str = Field(pattern=_DRUCKSACHE.pattern)
    reason: _text(1000, required=True)


class DemoInquiryFile(_Strict):
    about: str
    not_loaded: list[NotLoaded] = []
    inquiries: list[RealInquiry]
    examples: list[ExampleInquiry]
    hearings: list[DemoHearing]
    ratings: list[DemoRating]

    @model_validator(mode="after")
    def _references_resolve(self) -> "DemoInquiryFile":
        names = [i.reference for i in self.inquiries] + [e.key for e in self.examples]
        if len(set(names)) != len(names):
            raise ValueError("inquiry references and example keys must be unique")
        if {n.reference for n in self.not_loaded} & set(names):
            raise ValueError("an inquiry is both loaded and listed as not loaded")
        earlier: set[str] = set()
        for example in self.examples:
            if example.follow_up_of is not None and example.follow_up_of not in earlier:
                raise ValueError(f"{example.key}: follows up an unknown or later example")
            earlier.add(example.key)
        answered = {
            (inquiry.name, item.item)
            for inquiry in [*self.inquiries, *self.examples] if inquiry.answer
            for item in inquiry.answer.items
        }
        pairs = [(r.programme, r.criterion) for r in self.ratings]
        if len(set(pairs)) != len(pairs):
            raise ValueError("a programme is rated twice on one criterion")
        for rating in self.ratings:
            for evidence in rating.evidence:
                target = evidence.answer
                if target and (target.inquiry, target.item) not in answered:
                    raise ValueError(f"{rating.programme} {rating.criterion}: evidence names "
                                     f"no answered item ({target.inquiry} item {target.item})")
        return self


def demo_inquiry_file(path: Path = INQUIRIES_FILE) -> DemoInquiryFile:
    return DemoInquiryFile.model_validate_json(path.read_text(encoding="utf-8"))
