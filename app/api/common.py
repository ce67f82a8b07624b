"""What the API's areas share: paging parameters, and checking input with the forms' rules."""

from dataclasses import dataclass
from typing import Annotated, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel, ValidationError

from app.api.errors import field_problems
from app.errors import Conflict, ValidationFailed
from app.models import Classification
from app.paging import MAX_PAGE

MAX_PAGE_SIZE = 100
M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Paging:
    page: int
    page_size: int


def paging(page: Annotated[int, Query(ge=1, le=MAX_PAGE, description=(
               "From 1; a page past the last gives the last."))] = 1,
           page_size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 25) -> Paging:
    return Paging(page, page_size)


PagingDep = Annotated[Paging, Depends(paging)]


def page_fields(result) -> dict:
    """total, page, page_size and pages of an app.paging.Paged result."""
    return {"total": result.total, "page": result.page, "page_size": result.page_size,
            "pages": result.pages}


def checked(model: type[M], raw: dict, clearance: Classification, prefix: str = "",
            **context) -> M:
    """`raw` checked by a form's model, as the form checks it (nothing marked above the
    author's clearance); ValidationFailed naming each field (under `prefix`) otherwise."""
    try:
        return model.model_validate(raw, context={"clearance": clearance, **context})
    except ValidationError as exc:
        raise ValidationFailed(field_problems(exc, prefix)) from None


def check_all(checks) -> list:
    """Run each zero-argument check; all their ValidationFailed problems in one error."""
    problems: dict[str, str] = {}
    results = []
    for check in checks:
        try:
            results.append(check())
        except ValidationFailed as exc:
            problems.update(exc.errors)
    if problems:
        raise ValidationFailed(problems)
    return results


def require_version(what: str, stored: int, sent: int | None) -> None:
    """Conflict unless the change is based on the stored version. (The service checks again,
    and the version column catches a save racing this one; their message speaks of forms.)"""
    if sent != stored:
        raise Conflict(f"The {what} was changed since version {sent}; it is now at version "
                       f"{stored}. Nothing was saved: read it again, then send your change "
                       f"with the current version.")
