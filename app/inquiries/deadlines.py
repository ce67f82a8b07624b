"""Due dates of inquiries: counted by the type's rule, over a jurisdiction's working days.

Pure functions (no database): a rule, a submission date and a calendar in, a due date and a
plain-language explanation of how it was reached out.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

import holidays

from app.models.inquiries import DayCount

# Far enough for any deadline; a loop that runs longer means the calendar has no working days.
_MAX_SEARCH_DAYS = 366


@lru_cache(maxsize=16)
def _holidays_for(country: str, subdivision: str | None) -> holidays.HolidayBase:
    return holidays.country_holidays(country, subdiv=subdivision, language="en_US")


def _day(d: date) -> str:
    return f"{d:%A} {d.isoformat()}"


def _days(count: int, unit: str) -> str:
    """'1 working day', '14 calendar days'."""
    return f"{count} {unit}{'' if count == 1 else 's'}"


@dataclass(frozen=True)
class WorkingCalendar:
    """Working days: Monday to Friday, except the public holidays of a jurisdiction (a country
    and optionally a subdivision, e.g. Germany's federal holidays plus Berlin's)."""

    country: str = "DE"
    subdivision: str | None = "BE"

    @property
    def _holidays(self) -> holidays.HolidayBase:
        return _holidays_for(self.country, self.subdivision)

    @property
    def jurisdiction(self) -> str:
        return f"{self.country}-{self.subdivision}" if self.subdivision else self.country

    def holiday_name(self, day: date) -> str | None:
        return self._holidays.get(day)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self._holidays

    def why_not_working(self, day: date) -> str:
        """'a Sunday' or 'Easter Monday, a public holiday in DE-BE'."""
        name = self.holiday_name(day)
        if name:
            return f"{name}, a public holiday in {self.jurisdiction}"
        return f"a {day:%A}"

    def next_working_day(self, day: date) -> date:
        """`day` itself if it is a working day, else the first working day after it."""
        for _ in range(_MAX_SEARCH_DAYS):
            if self.is_working_day(day):
                return day
            day += timedelta(days=1)
        raise ValueError("no working day within a year")

    def add_working_days(self, start: date, count: int) -> date:
        """The `count`-th working day after `start` (start itself is not counted)."""
        day = start
        for _ in range(count):
            day = self.next_working_day(day + timedelta(days=1))
        return day

    def working_days_until(self, today: date, due: date) -> int:
        """Working days left after today up to and including the due date (0 if it has come)."""
        count, day = 0, today
        while day < due:
            day += timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count

    def holidays_between(self, start: date, end: date) -> list[tuple[date, str]]:
        """Public holidays on weekdays after `start` up to and including `end`."""
        return [
            (start + timedelta(days=n), self.holiday_name(start + timedelta(days=n)))
            for n in range(1, (end - start).days + 1)
            if (start + timedelta(days=n)).weekday() < 5
            and self.holiday_name(start + timedelta(days=n))
        ]


@dataclass(frozen=True)
class DeadlineRule:
    """How an inquiry type's deadline is counted (the stored InquiryType, without the database)."""

    name: str
    day_count: DayCount
    days: int | None = None
    roll_to_working_day: bool = True
    source: str = ""

    @classmethod
    def of(cls, inquiry_type) -> "DeadlineRule":
        return cls(name=inquiry_type.name, day_count=inquiry_type.day_count,
                   days=inquiry_type.days, roll_to_working_day=inquiry_type.roll_to_working_day,
                   source=inquiry_type.rule_source)

    def describe(self) -> str:
        if self.day_count == DayCount.NONE or not self.days:
            return "No fixed deadline"
        text = _days(self.days,
                     "calendar day" if self.day_count == DayCount.CALENDAR else "working day")
        if self.day_count == DayCount.CALENDAR:
            text += (", moved to the next working day if it falls on a weekend or holiday"
                     if self.roll_to_working_day else ", even if it falls on a weekend or holiday")
        return text


@dataclass(frozen=True)
class Extension:
    new_due_date: date
    reason: str


@dataclass(frozen=True)
class DueDate:
    """The due date (None: no deadline), the date before any extension, and how it was found."""

    date: date | None
    original: date | None
    explanation: list[str] = field(default_factory=list)


def compute_due_date(
    submitted_on: date | None, rule: DeadlineRule, calendar: WorkingCalendar, *,
    set_due_date: date | None = None, extensions: Iterable[Extension] = (),
) -> DueDate:
    """When the answer to an inquiry submitted on `submitted_on` is due, and why.

    A deadline the committee set replaces the rule. Extensions only ever move the date later:
    one that would not is listed and ignored.
    """
    if submitted_on is None:
        return DueDate(None, None, ["Not submitted yet: the due date is computed from the date "
                                    "the inquiry is submitted."])
    steps: list[str] = []
    if set_due_date is not None:
        due: date | None = set_due_date
        steps.append(f"Deadline set by the committee: {_day(set_due_date)}.")
    elif rule.day_count == DayCount.NONE or not rule.days:
        due = None
        steps.append(f"{rule.name}: no fixed deadline" + (f" ({rule.source})." if rule.source
                                                          else "."))
    elif rule.day_count == DayCount.CALENDAR:
        due = submitted_on + timedelta(days=rule.days)
        steps.append(f"{_days(rule.days, 'calendar day')} from {_day(submitted_on)}: {_day(due)}.")
        if not calendar.is_working_day(due):
            if rule.roll_to_working_day:
                moved = calendar.next_working_day(due)
                also = [f"{_day(day)} is {calendar.why_not_working(day)}"
                        for day in (due + timedelta(days=n) for n in range(1, (moved - due).days))
                        if calendar.holiday_name(day)]
                steps.append(f"That is {calendar.why_not_working(due)}"
                             + "".join(f"; {text}" for text in also)
                             + f". The deadline moves to the next working day: {_day(moved)}.")
                due = moved
            else:
                steps.append(f"That is {calendar.why_not_working(due)}; the rule keeps it there.")
    else:
        due = calendar.add_working_days(submitted_on, rule.days)
        steps.append(f"{_days(rule.days, 'working day')} from {_day(submitted_on)}, not counting "
                     f"weekends and public holidays in {calendar.jurisdiction}: {_day(due)}.")
        skipped = calendar.holidays_between(submitted_on, due)
        if skipped:
            steps.append("Holidays skipped: " + "; ".join(
                f"{name} ({day.isoformat()})" for day, name in skipped) + ".")
    if rule.source and set_due_date is None and due is not None:
        steps.append(f"Rule: {rule.source}.")

    original = due
    for extension in extensions:
        if due is None or extension.new_due_date > due:
            due = extension.new_due_date
            steps.append(f"Extended to {_day(due)}: {extension.reason}")
        else:
            steps.append(f"An extension to {extension.new_due_date.isoformat()} was ignored: "
                         f"it is not later than {due.isoformat()}.")
    return DueDate(due, original, steps)
