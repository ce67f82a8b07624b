"""What every form shares: a refused input's pydantic errors as one message per form field, the
markings a form may offer, and the page marking of what a refused form shows again."""

from collections.abc import Iterable

from pydantic import ValidationError
from sqlalchemy.orm import Session

from app.clearance import note_marking
from app.models import Classification


def problems(exc: ValidationError) -> dict[str, str]:
    """Form field -> the first message about it ("__all__" for the whole form)."""
    errors: dict[str, str] = {}
    for error in exc.errors():
        name = str(error["loc"][0]) if error.get("loc") else "__all__"
        message = str(error.get("msg", "Invalid value.")).removeprefix("Value error, ")
        if error.get("type") == "missing":
            message = "This field is required."
        errors.setdefault(name, message)
    return errors


def marking_choices(floor: Classification, ceiling: Classification) -> list[tuple[str, str]]:
    """Markings a form may offer: never below the parent's (`floor`), never above the
    author's own clearance (they could not see it afterwards)."""
    return [(c.name.lower(), c.label) for c in Classification if floor <= c <= ceiling]


def note_typed_markings(session: Session, typed: Iterable[str | None],
                        ceiling: Classification) -> None:
    """A form shown again shows what was typed: mark the page as high as each marking chosen
    in it, never above the author's own clearance (which the form cannot offer)."""
    for text in typed:
        try:
            level = Classification.parse(text or "public")
        except ValueError:
            continue
        note_marking(session, min(level, ceiling))
