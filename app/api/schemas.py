"""The API's shapes: what it answers (XRead, pages of XSummary) and what it accepts (XCreate,
XUpdate, XWrite). The accepted shapes only describe the JSON; the rules are those of the forms
(ProgrammeInput, InquiryInput, ItemInput, AnswerInput), applied by the routes after them.
"""

from datetime import date, datetime, time
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from app.inquiries.status import InquiryStatus
from app.models import (
    Assessment, AssistanceKind, Classification, DayCount, FundingKind, ProgrammeStatus,
    RefusalReason, SourceConfidence,
)


def _marking_name(value: object) -> object:
    return Classification(value).name.lower() if isinstance(value, int) else value


# Classifications are written and read as words, like the forms' choices.
Marking = Annotated[Literal["public", "restricted", "confidential"],
                    BeforeValidator(_marking_name)]


def _hours_and_minutes(value: object) -> object:
    return value.strftime("%H:%M") if isinstance(value, time) else value


# A time of day without a zone (JSON Schema's "time" format demands one): "09:30".
LocalTime = Annotated[str, BeforeValidator(_hours_and_minutes)]


class Read(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class Write(BaseModel):
    # A misspelt field is an error, not silently ignored.
    model_config = ConfigDict(extra="forbid")


# --- errors ----------------------------------------------------------------------------------

class ErrorOut(BaseModel):
    detail: str


class FieldProblem(BaseModel):
    field: str = Field(description="Dotted path of the field, e.g. `funding.0.amount`.")
    message: str


class RefusedOut(BaseModel):
    detail: str
    errors: list[FieldProblem]


def errors(*statuses: int) -> dict:
    """The documented error answers of a route."""
    described = {
        400: "The body is not JSON.",
        401: "No token, or one that is unknown, revoked or of a deactivated account.",
        403: "The token's account may not do this (members of parliament only read).",
        404: "No such record, or one above the token's clearance (the same answer for both).",
        409: "Someone saved the record since the given `version`; nothing was saved.",
        422: "The input was refused, with a message for each field; nothing was saved.",
    }
    return {status: {"model": RefusedOut if status == 422 else ErrorOut,
                     "description": described[status]} for status in statuses}


# --- reference lists -------------------------------------------------------------------------

class InstrumentRead(Read):
    code: str
    name: str
    donor: str
    description: str


class MinistryRead(Read):
    code: str
    name: str


class InquiryTypeRead(Read):
    code: str
    name: str
    day_count: DayCount
    days: int | None
    roll_to_working_day: bool
    rule_source: str


# --- programmes ------------------------------------------------------------------------------

class MoneyTotalRead(Read):
    currency: str
    committed_cents: int
    disbursed_cents: int


class FundingLineRead(Read):
    id: int
    year: int
    kind: FundingKind
    amount_cents: int
    currency: str
    note: str
    classification: Marking


class SourceRead(Read):
    id: int
    title: str
    url: str
    confidence: SourceConfidence
    note: str
    classification: Marking


class ProgrammeLink(Read):
    id: int
    reference_code: str
    title: str
    classification: Marking


class ProgrammeSummary(ProgrammeLink):
    instrument: str
    recipient_country: str
    status: ProgrammeStatus
    kinds: list[AssistanceKind]
    start_date: date | None
    end_date: date | None
    totals: list[MoneyTotalRead]


class ProgrammeRead(ProgrammeSummary):
    recipient_units: str
    legal_basis: str
    implementing_bodies: str
    summary: str
    version: int
    created_at: datetime
    updated_at: datetime
    funding_lines: list[FundingLineRead]
    sources: list[SourceRead]


class ListPage(BaseModel):
    total: int
    page: int
    page_size: int
    pages: int


class ProgrammePage(ListPage):
    items: list[ProgrammeSummary]
    totals: list[MoneyTotalRead] = Field(description="Money of every matching programme.")


class FundingLineWrite(Write):
    year: int
    kind: FundingKind
    amount: str = Field(description="Whole currency units, a point for decimals: `1250.50`.",
                        examples=["40000000"])
    currency: str = Field(examples=["EUR"])
    note: str = ""
    classification: Marking = "public"


class SourceWrite(Write):
    id: int | None = Field(None, description="The stored source this row replaces, if any.")
    title: str
    url: str = ""
    confidence: SourceConfidence = SourceConfidence.VERIFIED
    note: str = ""
    classification: Marking = "public"


class ProgrammeCreate(Write):
    reference_code: str = Field(examples=["EPF-MOZ-2021-2032"])
    title: str
    instrument: str = Field(description="An instrument's code (see /api/v1/instruments).")
    recipient_country: str = Field(description="ISO 3166-1 alpha-2 code.", examples=["MZ"])
    recipient_units: str = ""
    kinds: list[AssistanceKind]
    legal_basis: str = ""
    implementing_bodies: str = ""
    start_date: date | None = None
    end_date: date | None = None
    status: ProgrammeStatus
    summary: str = ""
    classification: Marking = "public"
    funding: list[FundingLineWrite] = []
    sources: list[SourceWrite] = []


class ProgrammeUpdate(Write):
    """The fields to change; the others keep their stored values. `funding` and `sources`,
    when given, replace the lists the caller can see."""

    version: int = Field(description="The `version` the change is based on.")
    reference_code: str | None = None
    title: str | None = None
    instrument: str | None = None
    recipient_country: str | None = None
    recipient_units: str | None = None
    kinds: list[AssistanceKind] | None = None
    legal_basis: str | None = None
    implementing_bodies: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    status: ProgrammeStatus | None = None
    summary: str | None = None
    classification: Marking | None = None
    funding: list[FundingLineWrite] | None = None
    sources: list[SourceWrite] | None = None

    @model_validator(mode="after")
    def _null_only_clears_what_may_be_empty(self) -> "ProgrammeUpdate":
        # null clears a date or a text; a marking or a title cannot be cleared (a null marking
        # must not silently mean "public").
        for name in ("reference_code", "title", "instrument", "recipient_country", "kinds",
                     "status", "classification", "funding", "sources"):
            if name in self.model_fields_set and getattr(self, name) is None:
                raise ValueError(f"{name} cannot be null: give a value, or leave it out.")
        return self


# --- inquiries -------------------------------------------------------------------------------

class InquiryItemRead(Read):
    id: int
    number: int
    text: str
    classification: Marking


class AddressedMinistry(BaseModel):
    code: str
    name: str
    lead: bool


class InquirySummary(BaseModel):
    id: int
    reference: str
    title: str
    inquiry_type: str
    status: InquiryStatus
    submitted_on: date | None
    due_date: date | None
    withdrawn_on: date | None
    lead_ministry: str | None
    classification: Marking


class InquiryRead(InquirySummary):
    asked_by: str
    faction: str
    preamble: str
    set_due_date: date | None
    due_date_explanation: str
    answered: bool
    version: int
    ministries: list[AddressedMinistry]
    programmes: list[ProgrammeLink]
    items: list[InquiryItemRead]


class InquiryPage(ListPage):
    items: list[InquirySummary]


class ItemWrite(Write):
    number: int = Field(ge=1, le=999)
    text: str


class InquiryCreate(Write):
    inquiry_type: str = Field(description="A type's code (see /api/v1/inquiry-types).")
    reference: str = ""
    title: str
    asked_by: str = ""
    faction: str = ""
    ministries: list[str] = Field([], description="Ministry codes (see /api/v1/ministries).")
    lead_ministry: str = ""
    submitted_on: date | None = None
    set_due_date: date | None = None
    preamble: str = ""
    programmes: list[str] = Field([], description="Reference codes of linked programmes.")
    classification: Marking = "public"
    items: list[ItemWrite] = Field([], description="The numbered questions; they take the "
                                                   "inquiry's classification.")


# --- answers ---------------------------------------------------------------------------------

class AnswerItemRead(BaseModel):
    item_id: int
    number: int
    text: str
    assessment: Assessment | None
    refusal_reason: RefusalReason | None
    assessment_note: str
    follow_up: bool
    classification: Marking


class AnswerRead(BaseModel):
    id: int
    inquiry_id: int
    received_on: date
    reference: str
    ministry: str | None
    has_classified_annex: bool
    notes: str
    classification: Marking
    version: int
    items: list[AnswerItemRead]


class AnswerItemWrite(Write):
    number: int = Field(description="The number of the question answered.")
    text: str = ""
    assessment: Assessment | None = None
    refusal_reason: RefusalReason | None = Field(
        None, description="Only with the assessment `refused`, and then required.")
    assessment_note: str = ""
    follow_up: bool = False
    classification: Marking = "public"


class AnswerWrite(Write):
    """The whole answer: made if the inquiry has none, else replacing the stored one (give its
    `version` then). Questions not listed in `items` keep what they have."""

    received_on: date
    reference: str = ""
    ministry: str | None = Field(None, description="The answering ministry's code.")
    has_classified_annex: bool = False
    notes: str = ""
    classification: Marking | None = Field(
        None, description="Defaults to the inquiry's; never lower than it.")
    version: int | None = Field(None, description="The stored answer's `version`, if any.")
    items: list[AnswerItemWrite] = []


# --- hearings --------------------------------------------------------------------------------

class HearingSummary(BaseModel):
    id: int
    committee: str
    title: str
    held_on: date
    starts_at: LocalTime | None = Field(description="Local time in Berlin, HH:MM.")
    location: str
    agenda_count: int
    classification: Marking


class AgendaEntryRead(BaseModel):
    id: int
    position: int
    note: str
    programme: ProgrammeLink
    totals: list[MoneyTotalRead]


class HearingRead(HearingSummary):
    notes: str
    version: int
    agenda: list[AgendaEntryRead]


class HearingPage(ListPage):
    items: list[HearingSummary]


# --- search ----------------------------------------------------------------------------------

class SearchHitRead(BaseModel):
    kind: str = Field(description="programme, note, source, inquiry, item, answer, answer_item "
                                  "or attachment.")
    record_id: int
    programme_id: int | None
    inquiry_id: int | None
    title: str
    title_html: str = Field(description="The title, escaped, with `<mark>` around words found.")
    snippet: str
    snippet_html: str = Field(description="A passage, escaped, with `<mark>` around words found.")
    url: str = Field(description="The page of the record (a path on this site).")
    rank: float
    date: date | None
    classification: Marking
    assessment: Assessment | None


class SearchResults(ListPage):
    items: list[SearchHitRead]
