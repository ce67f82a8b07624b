"""The programme form as typed: raw values to show again, rows added and removed, errors by field."""

import re
from dataclasses import dataclass, field

from pydantic import ValidationError
from starlette.datastructures import FormData

from app.text import small_int
from app.models import Classification, FundingKind, ProgrammeStatus, SourceConfidence
from app.programmes.schemas import (
    FUNDING_FIELDS, MAX_LINES, SOURCE_FIELDS, ProgrammeInput,
)

_ROW_FIELD = re.compile(r"^(funding|source)-([0-9]{1,6})-([a-z_]+)$")


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
        "classification", "version",
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
        return cls(values=values, kinds=kinds, funding=funding, sources=sources)

    @property
    def version(self) -> int | None:
        return small_int(self.values.get("version", ""))

    @classmethod
    def blank(cls) -> "ProgrammeForm":
        return cls(values={"status": ProgrammeStatus.ACTIVE.value, "classification": "public"},
                   funding=[blank_funding_row()], sources=[blank_source_row()])

    def filled_funding(self) -> list[tuple[int, dict[str, str]]]:
        # Type and currency come pre-filled in a blank row, so they alone do not make it filled.
        return [(i, r) for i, r in enumerate(self.funding) if any(
            r.get(k, "").strip() for k in ("year", "amount", "note"))]

    def filled_sources(self) -> list[tuple[int, dict[str, str]]]:
        return [(i, r) for i, r in enumerate(self.sources) if any(
            r.get(k, "").strip() for k in ("title", "url", "note"))]

    def validate(self, clearance: Classification) -> ProgrammeInput | None:
        """The checked input, or None with `errors` filled in (keys are form field names).

        Nothing may be marked above `clearance`, the author's own: they could not see it."""
        self.errors = {}
        funding_rows = self.filled_funding()
        source_rows = self.filled_sources()
        if len(funding_rows) > MAX_LINES:
            self.errors["funding-lines"] = f"At most {MAX_LINES} funding lines per programme."
        if len(source_rows) > MAX_LINES:
            self.errors["sources"] = f"At most {MAX_LINES} sources per programme."
        raw = dict(self.values, kinds=self.kinds,
                   funding=[r for _, r in funding_rows], sources=[r for _, r in source_rows])
        try:
            data = ProgrammeInput.model_validate(raw, context={"clearance": clearance})
        except ValidationError as exc:
            for error in exc.errors():
                self.errors.setdefault(*_error_field(error, funding_rows, source_rows))
            return None
        return None if self.errors else data

    def merge_errors(self, errors: dict[str, str]) -> None:
        for name, message in errors.items():
            self.errors.setdefault(name, message)

    def typed_markings(self) -> list[str]:
        """Every marking chosen in the form, for the page's own marking when it is shown again."""
        return [self.values.get("classification", ""), *(
            row.get("classification", "") for row in (*self.funding, *self.sources))]

    def error_list(self) -> list[tuple[str, str, str]]:
        """(field, label, message) for each error, in the order the fields appear on the page."""
        order = list(FIELD_LABELS)

        def position(name: str) -> tuple[int, int, int, int]:
            match = _ROW_FIELD.match(name)
            if match:
                group, index, part = match.groups()
                names = FUNDING_FIELDS if group == "funding" else SOURCE_FIELDS
                fieldset = order.index("funding-lines" if group == "funding" else "sources")
                return fieldset, 1, int(index), names.index(part) if part in names else 0
            return (order.index(name) if name in order else len(order)), 0, 0, 0

        return [(name, field_label(name), self.errors[name])
                for name in sorted(self.errors, key=position)]


# In the order the fields appear on the page.
FIELD_LABELS = {
    "version": "Version", "reference_code": "Reference code", "status": "Status", "title": "Title",
    "instrument": "Instrument", "recipient_country": "Recipient country",
    "recipient_units": "Recipient units", "kinds": "Kinds of assistance",
    "legal_basis": "Legal basis", "implementing_bodies": "Implementing bodies",
    "start_date": "Start date", "end_date": "End date", "summary": "Summary",
    "classification": "Classification", "funding-lines": "Funding lines", "sources": "Sources",
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
            "note": "", "classification": "public"}


def blank_source_row() -> dict[str, str]:
    return {"id": "", "title": "", "url": "", "confidence": SourceConfidence.VERIFIED.value,
            "note": "", "classification": "public"}


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
