"""What every paged, filtered list shares: its pages, and its filters as URL parameters."""

import math
import re
from dataclasses import dataclass
from enum import Enum
from typing import TypeVar

from app.text import small_int

MAX_PAGE = 100_000
E = TypeVar("E", bound=Enum)


class Paged:
    """Mixed into a page of results that has `total`, `page` (from 1) and `page_size`."""

    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.page_size))

    @property
    def first_row(self) -> int:
        return 0 if not self.total else (self.page - 1) * self.page_size + 1

    @property
    def last_row(self) -> int:
        return min(self.total, self.page * self.page_size)


@dataclass(frozen=True)
class PageNumbers(Paged):
    """Which page of how many rows, for a list whose rows are handed over apart."""

    total: int
    page: int
    page_size: int


def page_asked(value: object) -> int:
    """The page number in a URL parameter; 1 for anything that is not a plain whole number."""
    return max(1, min(small_int(value, 6) or 1, MAX_PAGE))


def page_within(asked: int, total: int, page_size: int) -> int:
    """The page asked for, or the last page when the list has become shorter than that."""
    return min(asked, max(1, math.ceil(total / page_size)))


def typed_words(value: object, limit: int) -> str:
    """What someone typed into a filter's text box, spaces collapsed, at most `limit` characters.
    Control characters are no words: they become spaces (PostgreSQL refuses a NUL in any text,
    so one in a URL would otherwise be a server error there)."""
    return " ".join(_CONTROL.sub(" ", str(value or "")).split())[:limit]


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

# A choice list longer than this is no help to anyone: past it, a page asks for part of a
# reference code or title instead (a whole parliament's register holds thousands of programmes).
CHOICES_SHOWN = 200


def choice_or(choices: type[E], value: object, default: E | None = None) -> E | None:
    """The choice named in a URL parameter, or `default` for one that means nothing."""
    try:
        return choices(value) if value else default
    except ValueError:
        return default


def url_params(values: dict[str, str], changes: dict) -> dict[str, str]:
    """A list's filters as URL parameters, with `changes` applied (None or "" removes one);
    empty values, the defaults, are left out so addresses stay short."""
    values = dict(values, **{k: ("" if v is None else str(v)) for k, v in changes.items()})
    return {k: v for k, v in values.items() if v}
