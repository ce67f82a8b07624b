"""Validated programme input: every field checked and normalised, with messages a clerk can act on."""

import re
from datetime import date
from decimal import Decimal
from typing import Any

import pycountry
from babel.numbers import get_currency_precision
from pydantic import BaseModel, field_validator, model_validator

from app.models import (
    AssistanceKind, Classification, FundingKind, ProgrammeStatus, SourceConfidence,
)
from app.text import clean_text, small_int

MIN_YEAR, MAX_YEAR = 1945, 2100
MAX_LINES = 200
# A trillion currency units per line is far above any programme and keeps sums in 64 bits.
MAX_AMOUNT_UNITS = 10**12
# Not money: precious metals, IMF units, test and "no currency" codes of ISO 4217.
NOT_CURRENCIES = {"XAG", "XAU", "XBA", "XBB", "XBC", "XBD", "XDR", "XPD", "XPT", "XSU", "XTS",
                  "XUA", "XXX"}

_PLAIN = re.compile(r"^[0-9]+(\.[0-9]+)?$")
_THOUSANDS = re.compile(r"^[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?$")
# "1.000,50", "40.000" or "1250,50": German-style numbers, refused rather than misread.
_CONTINENTAL = re.compile(r"^[1-9][0-9]{0,2}(\.[0-9]{3})+(,[0-9]+)?$|^[0-9]+,[0-9]{1,2}$")
_REFERENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")
_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")

FUNDING_FIELDS = ("year", "kind", "amount", "currency", "note", "classification")
SOURCE_FIELDS = ("id", "title", "url", "confidence", "note", "classification")


def parse_amount_cents(raw: str, currency: str | None = None) -> int:
    """'40000000', '40,000,000' or '1250.50' as cents; a clear ValueError for anything else."""
    text = (raw or "").strip()
    for space in (" ", "\u202f", "\u00a0"):
        text = text.replace(space, "")
    if not text:
        raise ValueError("Enter an amount.")
    if text.startswith("-"):
        raise ValueError("The amount cannot be negative.")
    if _THOUSANDS.match(text):
        text = text.replace(",", "")
    elif _CONTINENTAL.match(text):
        plain = text.replace(".", "").replace(",", ".")
        raise ValueError(
            f"Write “{raw.strip()}” as {plain}: a point for decimals and no thousands separators."
        )
    if not _PLAIN.match(text):
        raise ValueError(
            "Enter the amount as a number in whole currency units, e.g. 40000000 or 1250.50 "
            "(a point for decimals; no currency sign)."
        )
    units, _, decimals = text.partition(".")
    if len(units.lstrip("0")) > len(str(MAX_AMOUNT_UNITS)) or Decimal(units) > MAX_AMOUNT_UNITS:
        raise ValueError(f"The amount is too large (at most {MAX_AMOUNT_UNITS:,}).")
    allowed = min(get_currency_precision(currency) if currency else 2, 2)
    if len(decimals.rstrip("0")) > allowed:
        raise ValueError("The amount can have no decimals." if allowed == 0
                         else f"The amount can have at most {allowed} decimals.")
    return int(units) * 100 + int((decimals + "00")[:2])


def parse_classification(value: Any) -> Classification:
    """A marking from a form ("restricted") or from code; a clear error for anything else."""
    if isinstance(value, Classification):
        return value
    text = str(value or "public").strip()
    try:
        return Classification.parse(text)
    except ValueError:
        raise ValueError("Choose public, restricted or confidential.") from None


def parse_date(value: Any, example: str) -> date | None:
    """A date typed as YYYY-MM-DD (None if left empty); a clear ValueError for anything else."""
    if isinstance(value, date) or value is None:
        return value
    text = str(value).strip()
    if not text:
        return None
    try:
        if not _ISO_DATE.match(text):
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"Enter a real date as YYYY-MM-DD, e.g. {example}.") from None


def required_date(value: Any, example: str, missing: str) -> date:
    """Like `parse_date`, with the message `missing` when nothing was typed."""
    day = parse_date(value, example)
    if day is None:
        raise ValueError(missing)
    return day


class Marked(BaseModel):
    """Input that carries a classification; checked against the author's own clearance."""

    classification: Classification = Classification.PUBLIC

    @field_validator("classification", mode="before")
    @classmethod
    def _classification(cls, value: Any, info) -> Classification:
        level = parse_classification(value)
        ceiling = (info.context or {}).get("clearance", Classification.CONFIDENTIAL)
        if level > ceiling:
            raise ValueError(
                f"You cannot mark content {level.label.lower()}: it is above your own clearance "
                f"({Classification(ceiling).label.lower()})."
            )
        return level


class FundingLineInput(Marked):
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
        if not re.fullmatch(r"[0-9]{4}", text):
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
        if (len(code) != 3 or code in NOT_CURRENCIES
                or pycountry.currencies.get(alpha_3=code) is None):
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


class SourceInput(Marked):
    # The stored source a form row edits (empty for a new one), so that removing a source from
    # the middle does not shift the others, and the evidence that cites them, onto other rows.
    id: int | None = None
    title: str
    url: str = ""
    confidence: SourceConfidence = SourceConfidence.VERIFIED
    note: str = ""

    @field_validator("id", mode="before")
    @classmethod
    def _id(cls, value: Any) -> int | None:
        return small_int(value) if value not in (None, "") else None

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


class ProgrammeInput(Marked):
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
        return parse_date(value, example="2021-11-19")

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
