"""What the inquiry tests share: the Berlin calendar, the seeded Bundestag deadline rules and
dates written with their weekday, checked, so a table of cases reads like a calendar."""

from datetime import date

from app.inquiries.deadlines import DeadlineRule, WorkingCalendar
from app.models.inquiries import DayCount

BERLIN = WorkingCalendar("DE", "BE")

# As seeded by migration 0003.
MINOR_INTERPELLATION = DeadlineRule(
    "Minor interpellation (Kleine Anfrage)", DayCount.CALENDAR, 14,
    source="GO-BT § 104(2): answer within 14 days; extendable by agreement with the askers")
WRITTEN_QUESTION = DeadlineRule("Written question", DayCount.CALENDAR, 7,
                                source="GO-BT Anlage 4: answer within one week of receipt")
MAJOR_INTERPELLATION = DeadlineRule("Major interpellation (Große Anfrage)", DayCount.NONE,
                                    source="GO-BT §§ 100-103: no fixed deadline")

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def on(day: str) -> date:
    """'Fri 2026-04-03' -> the date, checking the weekday written next to it is right."""
    weekday, iso = day.split()
    parsed = date.fromisoformat(iso)
    assert WEEKDAYS[parsed.weekday()] == weekday, f"{iso} is not a {weekday}"
    return parsed
