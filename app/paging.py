"""What every paged, filtered list shares: its pages, and its filters as URL parameters."""

import math


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


def url_params(values: dict[str, str], changes: dict) -> dict[str, str]:
    """A list's filters as URL parameters, with `changes` applied (None or "" removes one);
    empty values, the defaults, are left out so addresses stay short."""
    values = dict(values, **{k: ("" if v is None else str(v)) for k, v in changes.items()})
    return {k: v for k, v in values.items() if v}
