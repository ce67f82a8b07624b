"""The programme form: raw values as typed (to show again) and validated input for the service."""

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

import pycountry
from babel.numbers import get_currency_precision
from pydantic import BaseModel, ValidationError, field_validator, model_validator
from starlette.datastructures import FormData

from app.models import AssistanceKind, FundingKind, ProgrammeStatus, SourceConfidence
from app.text import clean_text

MIN_YEAR, MAX_YEAR = 1945, 2100
MAX_LINES = 200
_AMOUNT = re.compile(r"^\d+(\.\d+)?$")
_THOUSANDS = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")
# "1.000,50" or "40.000": a German-style number, refused rather than read as 40.00.
_CONTINENTAL = re.compile(r"^\d{1,3}(\.\d{3})*(,\d+)$|^\d{1,3}(\.\d{3})+$")
_REFERENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")
_ROW_FIELD = re.compile(r"^(funding|source)-(\d{1,4})-([a-z_]+)$")

FUNDING_FIELDS = ("year", "kind", "amount", "currency", "note")
SOURCE_FIELDS = ("title", "url", "confidence", "note")


def parse_amount_cents(raw: str, currency: str | None = None) -> int:
    """'40000000', '40,000,000' or '1250.50' as cents; a clear ValueError for anything else."""
    text = (raw or "").strip().replace(" ", "").replace("\u202f", "").replace("\u00a0", "")
    if not text:
        raise ValueError("Enter an amount.")
    if text.startswith("-"):
        raise ValueError("The amount cannot be negative.")
    if _CONTINENTAL.match(text):
        plain = text.replace(".", "").replace(",", ".")
        raise ValueError(
            f"Write “{raw.strip()}” as {plain}: a point for decimals and no thousands separators."
        )
    if _THOUSANDS.match(text):
        text = text.replace(",", "")
    if not _AMOUNT.match(text):
        raise ValueError(
            "Enter the amount as a number in whole currency units, e.g. 40000000 or 1250.50 "
            "(a point for decimals; no currency sign)."
        )
    try:
        amount = Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - the pattern above admits only numbers
        raise ValueError("The amount is not a number.") from exc
    precision = get_currency_precision(currency) if currency else 2
    if amount != amount.quantize(Decimal(1).scaleb(-min(precision, 2))):
        unit = "no decimals" if precision == 0 else "at most 2 decimals"
        raise ValueError(f"The amount can have {unit}.")
    cents = int(amount * 100)
    if cents > 10**17:
        raise ValueError("The amount is too large.")
    return cents


class FundingLineInput(BaseModel):
    year: int
    kind: FundingKind
    currency: str
    amount_cents: int
    note: str = ""

    @model_validator(mode="before")
    @classmethod
    def _from_form(cls, raw: dict[str, Any]) -> dict[str, Any]:
        # Amount depends on currency (decimals allowed); checked once the currency is known.
        raw = dict(raw)
        if "amount" in raw:
            raw["amount_cents"] = raw.pop("amount")
        return raw

    @field_validator("year", mode="before")
    @classmethod
    def _year(cls, value: Any) -> int:
        text = str(value if value is not None else "").strip()
        if not text.isdigit():
            raise ValueError("Enter a year such as 2024.")
        year = int(text)
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise ValueError(f"The year must be between {MIN_YEAR} and {MAX_YEAR}.")
        return year

    @field_validator("kind", mode="before")
    @classmethod
    def _kind(cls, value: Any) -> FundingKind:
        try:
            return FundingKind(str(value or "").strip())
        except ValueError:
            raise ValueError("Choose commitment or disbursement.") from None

    @field_validator("currency", mode="before")
    @classmethod
    def _currency(cls, value: Any) -> str:
        code = str(value or "").strip().upper()
        if not code:
            raise ValueError("Enter a currency code such as EUR.")
        if len(code) != 3 or pycountry.currencies.get(alpha_3=code) is None:
            raise ValueError(
                f"Unknown currency “{code[:10]}”; use an ISO 4217 code such as EUR, USD or GBP."
            )
        return code

    @field_validator("amount_cents", mode="before")
    @classmethod
    def _amount(cls, value: Any, info) -> int:
        if isinstance(value, int):
            return value
        return parse_amount_cents(str(value or ""), info.data.get("currency"))

    @field_validator("note", mode="before")
    @classmethod
    def _note(cls, value: Any) -> str:
        return clean_text(str(value or ""), label="The note", max_length=500)


class SourceInput(BaseModel):
    title: str
    url: str = ""
    confidence: SourceConfidence = SourceConfidence.VERIFIED
    note: str = ""

    @field_validator("title", mode="before")
    @classmethod
    def _title(cls, value: Any) -> str:
        return clean_text(str(value or ""), label="The source title", max_length=300,
                          required=True)

    @field_validator("url", mode="before")
    @classmethod
    def _url(cls, value: Any) -> str:
        url = clean_text(str(value or ""), label="The address", max_length=2000)
        if url and not re.match(r"^https?://[^\s/]+\.[^\s]+$", url, re.IGNORECASE):
            raise ValueError("Enter a web address starting with https:// or http://.")
        return url

    @field_validator("confidence", mode="before")
    @classmethod
    def _confidence(cls, value: Any) -> SourceConfidence:
        try:
            return SourceConfidence(str(value or "verified").strip())
        except ValueError:
            raise ValueError("Choose verified or unverified.") from None

    @field_validator("note", mode="before")
    @classmethod
    def _note(cls, value: Any) -> str:
        return clean_text(str(value or ""), label="The note", max_length=1000)


class ProgrammeInput(BaseModel):
    """A programme as the service accepts it: every field checked and normalised."""

    reference_code: str
    title: str
    instrument: str
    recipient_country: str
    recipient_units: str = ""
    kinds: list[AssistanceKind]
    legal_basis: str = ""
    implementing_bodies: str = ""
    start_date: date | None = None
    end_date: date | None = None
    status: ProgrammeStatus
    summary: str = ""
    funding: list[FundingLineInput] = []
    sources: list[SourceInput] = []

    @field_validator("reference_code", mode="before")
    @classmethod
    def _reference(cls, value: Any) -> str:
        code = clean_text(str(value or ""), label="The reference code", max_length=40,
                          required=True)
        if not _REFERENCE.match(code):
            raise ValueError(
                "Use letters, digits and - . / _ only, starting with a letter or digit "
                "(e.g. EPF-MOZ-2021-2032)."
            )
        return code

    @field_validator("title", mode="before")
    @classmethod
    def _title(cls, value: Any) -> str:
        return clean_text(str(value or ""), label="The title", max_length=200, required=True)

    @field_validator("instrument", mode="before")
    @classmethod
    def _instrument(cls, value: Any) -> str:
        code = str(value or "").strip()
        if not code:
            raise ValueError("Choose an instrument.")
        return code  # existence is checked by the service against the instrument table

    @field_validator("recipient_country", mode="before")
    @classmethod
    def _country(cls, value: Any) -> str:
        code = str(value or "").strip().upper()
        if not code:
            raise ValueError("Choose the recipient country.")
        if len(code) != 2 or pycountry.countries.get(alpha_2=code) is None:
            raise ValueError(
                f"Unknown country code “{code[:10]}”; choose a country from the list "
                "(ISO 3166-1)."
            )
        return code

    @field_validator("recipient_units", "implementing_bodies", mode="before")
    @classmethod
    def _long_text(cls, value: Any, info) -> str:
        label = {"recipient_units": "Recipient units",
                 "implementing_bodies": "Implementing bodies"}[info.field_name]
        return clean_text(str(value or ""), label=label, max_length=2000, multiline=True)

    @field_validator("legal_basis", mode="before")
    @classmethod
    def _legal_basis(cls, value: Any) -> str:
        return clean_text(str(value or ""), label="The legal basis", max_length=300)

    @field_validator("summary", mode="before")
    @classmethod
    def _summary(cls, value: Any) -> str:
        return clean_text(str(value or ""), label="The summary", max_length=20000,
                          multiline=True, markdown=True)

    @field_validator("kinds", mode="before")
    @classmethod
    def _kinds(cls, value: Any) -> list[AssistanceKind]:
        values = value if isinstance(value, list) else [value] if value else []
        try:
            kinds = sorted({AssistanceKind(v) for v in values}, key=lambda k: k.value)
        except ValueError:
            raise ValueError("Choose from the listed kinds of assistance.") from None
        if not kinds:
            raise ValueError("Choose at least one kind of assistance.")
        return kinds

    @field_validator("start_date", "end_date", mode="before")
    @classmethod
    def _date(cls, value: Any) -> date | None:
        if isinstance(value, date) or value is None:
            return value
        text = str(value).strip()
        if not text:
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise ValueError("Enter a date as YYYY-MM-DD, e.g. 2021-11-19.") from None

    @field_validator("status", mode="before")
    @classmethod
    def _status(cls, value: Any) -> ProgrammeStatus:
        try:
            return ProgrammeStatus(str(value or "").strip())
        except ValueError:
            raise ValueError("Choose a status.") from None

    @field_validator("end_date", mode="after")
    @classmethod
    def _end_after_start(cls, value: date | None, info) -> date | None:
        start = info.data.get("start_date")
        if value and start and value < start:
            raise ValueError(f"The end date is before the start date ({start.isoformat()}).")
        return value


@dataclass
class ProgrammeForm:
    """What the person typed, exactly, so a refused form comes back with nothing lost."""

    values: dict[str, str] = field(default_factory=dict)
    kinds: list[str] = field(default_factory=list)
    funding: list[dict[str, str]] = field(default_factory=list)
    sources: list[dict[str, str]] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)

    SCALAR_FIELDS = (
        "reference_code", "title", "instrument", "recipient_country", "recipient_units",
        "legal_basis", "implementing_bodies", "start_date", "end_date", "status", "summary",
    )

    @classmethod
    def from_form_data(cls, form: FormData) -> "ProgrammeForm":
        values = {name: str(form.get(name, "")) for name in cls.SCALAR_FIELDS}
        rows: dict[str, dict[int, dict[str, str]]] = {"funding": {}, "source": {}}
        for key, value in form.multi_items():
            match = _ROW_FIELD.match(key)
            if match and isinstance(value, str):
                group, index, name = match.group(1), int(match.group(2)), match.group(3)
                rows[group].setdefault(index, {})[name] = value
        funding = [_row(rows["funding"][i], FUNDING_FIELDS) for i in sorted(rows["funding"])]
        sources = [_row(rows["source"][i], SOURCE_FIELDS) for i in sorted(rows["source"])]
        kinds = [str(v) for v in form.getlist("kinds")]
        return cls(values=values, kinds=kinds, funding=funding[:MAX_LINES],
                   sources=sources[:MAX_LINES])

    @classmethod
    def blank(cls) -> "ProgrammeForm":
        return cls(values={"status": ProgrammeStatus.ACTIVE.value},
                   funding=[blank_funding_row()], sources=[blank_source_row()])

    def filled_funding(self) -> list[tuple[int, dict[str, str]]]:
        return [(i, r) for i, r in enumerate(self.funding) if any(v.strip() for v in r.values())]

    def filled_sources(self) -> list[tuple[int, dict[str, str]]]:
        return [(i, r) for i, r in enumerate(self.sources) if any(
            r.get(k, "").strip() for k in ("title", "url", "note"))]

    def validate(self) -> ProgrammeInput | None:
        """The checked input, or None with `errors` filled in (keys are form field names)."""
        self.errors = {}
        funding_rows = self.filled_funding()
        source_rows = self.filled_sources()
        raw = dict(self.values, kinds=self.kinds,
                   funding=[r for _, r in funding_rows], sources=[r for _, r in source_rows])
        try:
            return ProgrammeInput.model_validate(raw)
        except ValidationError as exc:
            for error in exc.errors():
                self.errors.setdefault(*_error_field(error, funding_rows, source_rows))
            return None

    def error_labels(self) -> dict[str, str]:
        """A readable name for each field with an error, for the summary at the top."""
        return {name: field_label(name) for name in self.errors}


FIELD_LABELS = {
    "reference_code": "Reference code", "title": "Title", "instrument": "Instrument",
    "recipient_country": "Recipient country", "recipient_units": "Recipient units",
    "kinds": "Kinds of assistance", "legal_basis": "Legal basis",
    "implementing_bodies": "Implementing bodies", "start_date": "Start date",
    "end_date": "End date", "status": "Status", "summary": "Summary",
}


def field_label(name: str) -> str:
    match = _ROW_FIELD.match(name)
    if match:
        group, index, part = match.groups()
        what = "Funding line" if group == "funding" else "Source"
        return f"{what} {int(index) + 1}, {part}"
    return FIELD_LABELS.get(name, name)


def blank_funding_row() -> dict[str, str]:
    return {"year": "", "kind": FundingKind.COMMITMENT.value, "amount": "", "currency": "EUR",
            "note": ""}


def blank_source_row() -> dict[str, str]:
    return {"title": "", "url": "", "confidence": SourceConfidence.VERIFIED.value, "note": ""}


def _row(values: dict[str, str], names: tuple[str, ...]) -> dict[str, str]:
    return {name: values.get(name, "") for name in names}


def _error_field(error: dict, funding_rows, source_rows) -> tuple[str, str]:
    """A pydantic error as (form field name, message)."""
    message = str(error.get("msg", "Invalid value."))
    message = message.removeprefix("Value error, ")
    loc = list(error.get("loc", ()))
    if not loc:
        return "__all__", message
    if loc[0] in ("funding", "sources") and len(loc) >= 3:
        rows = funding_rows if loc[0] == "funding" else source_rows
        original_index = rows[loc[1]][0]
        name = "amount" if loc[2] == "amount_cents" else str(loc[2])
        prefix = "funding" if loc[0] == "funding" else "source"
        return f"{prefix}-{original_index}-{name}", message
    if error.get("type") == "missing":
        return str(loc[0]), "This field is required."
    return str(loc[0]), message
