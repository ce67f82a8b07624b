"""The committee's "today": the one date every deadline, status and "upcoming" is counted from.

Read it through `today()` only, so that counting in the committee's time zone rather than the
server's would be a change to this one function."""

from datetime import date


def today() -> date:
    """Today's date (the server's local date)."""
    return date.today()
