"""The rating form of one criterion: what was typed, and the checked change."""

from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError, field_validator
from starlette.datastructures import FormData

from app.forms import problems
from app.models import Classification, Rating, SafeguardRating
from app.programmes.schemas import Marked
from app.safeguards.service import EvidenceLink, RatingChange
from app.text import clean_text


class RatingInput(Marked):
    rating: Rating
    rationale: str = ""

    @field_validator("rating", mode="before")
    @classmethod
    def _rating(cls, value: Any) -> Rating:
        try:
            return Rating(str(value or "").strip())
        except ValueError:
            raise ValueError("Choose a rating.") from None

    @field_validator("rationale", mode="before")
    @classmethod
    def _rationale(cls, value: Any) -> str:
        return clean_text(str(value or ""), label="The rationale", max_length=10000,
                          multiline=True, markdown=True)


@dataclass
class RatingForm:
    """The form as typed, so a refused form comes back with nothing lost."""

    values: dict[str, str]
    chosen: list[str]  # evidence keys ticked
    notes: dict[str, str] = field(default_factory=dict)  # evidence key -> note typed
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_form_data(cls, submitted: FormData) -> "RatingForm":
        values = {name: str(submitted.get(name, ""))
                  for name in ("rating", "rationale", "classification", "version")}
        chosen = [str(v) for v in submitted.getlist("evidence")]
        notes = {key.removeprefix("note-"): str(value) for key, value in submitted.multi_items()
                 if key.startswith("note-") and isinstance(value, str)}
        return cls(values, chosen, notes)

    @classmethod
    def of(cls, rating: SafeguardRating | None, links: list[EvidenceLink],
           default: Classification) -> "RatingForm":
        """The form filled from the stored rating (or blank, marked `default`)."""
        if rating is None:
            return cls({"rating": "", "rationale": "", "classification": default.name.lower(),
                        "version": ""}, [])
        return cls(
            {"rating": rating.rating.value, "rationale": rating.rationale,
             "classification": rating.classification.name.lower(),
             "version": str(rating.version)},
            [link.target.key for link in links],
            {link.target.key: link.evidence.note for link in links},
        )

    def check(self, clearance: Classification) -> RatingChange | None:
        """The checked change, or None with `errors` filled in."""
        try:
            data = RatingInput.model_validate(self.values, context={"clearance": clearance})
        except ValidationError as exc:
            self.errors = problems(exc)
            data = None
        notes = {}
        for key in dict.fromkeys(self.chosen):
            try:
                notes[key] = clean_text(self.notes.get(key, ""), label="The note",
                                        max_length=1000)
            except ValueError as exc:
                self.errors.setdefault(f"note-{key}", str(exc))
        if data is None or self.errors:
            return None
        return RatingChange(data.rating, data.rationale, data.classification, notes)

