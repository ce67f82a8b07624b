"""Due dates of inquiries: a table of real cases on the German federal + Berlin calendar, the
explanation staff read, and properties that hold for any submission date."""

from datetime import date, timedelta

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.inquiries.deadlines import DeadlineRule, Extension, WorkingCalendar, compute_due_date
from app.models.inquiries import DayCount
from tests.inquiries.rules import (
    BERLIN, MAJOR_INTERPELLATION, MINOR_INTERPELLATION, WRITTEN_QUESTION, on,
)

GERMANY_WITHOUT_SUBDIVISION = WorkingCalendar("DE", None)

# Rules a committee might configure besides the seeded ones.
TEN_WORKING_DAYS = DeadlineRule("Committee request for a report", DayCount.WORKING, 10)
FIVE_WORKING_DAYS = DeadlineRule("Letter", DayCount.WORKING, 5)
ONE_WORKING_DAY = DeadlineRule("Letter", DayCount.WORKING, 1)
FOURTEEN_DAYS_NOT_MOVED = DeadlineRule("Letter", DayCount.CALENDAR, 14,
                                       roll_to_working_day=False)


def case(name: str, rule: DeadlineRule, submitted: str, due: str,
         calendar: WorkingCalendar = BERLIN):
    return pytest.param(rule, on(submitted), on(due), calendar, id=name)


# Every expected date checked by hand against calendar.month() and the holidays library.
# Easter Sunday: 2025-04-20, 2026-04-05, 2027-03-28.
REAL_CASES = [
    # Weekend boundaries
    case("minor_interpellation_monday_to_monday_no_move",
         MINOR_INTERPELLATION, "Mon 2026-03-02", "Mon 2026-03-16"),
    case("minor_interpellation_due_saturday_moves_to_monday",
         MINOR_INTERPELLATION, "Sat 2026-03-07", "Mon 2026-03-23"),
    case("minor_interpellation_due_sunday_moves_to_monday",
         MINOR_INTERPELLATION, "Sun 2026-03-01", "Mon 2026-03-16"),
    case("written_question_7_days_monday_to_monday",
         WRITTEN_QUESTION, "Mon 2026-03-02", "Mon 2026-03-09"),
    case("written_question_due_saturday_moves_to_monday",
         WRITTEN_QUESTION, "Sat 2026-03-14", "Mon 2026-03-23"),
    # Easter across years
    case("minor_interpellation_due_good_friday_2025_moves_past_easter_monday",
         MINOR_INTERPELLATION, "Fri 2025-04-04", "Tue 2025-04-22"),
    case("minor_interpellation_due_easter_monday_2025_moves_to_tuesday",
         MINOR_INTERPELLATION, "Mon 2025-04-07", "Tue 2025-04-22"),
    case("minor_interpellation_due_good_friday_2026_moves_past_easter_monday",
         MINOR_INTERPELLATION, "Fri 2026-03-20", "Tue 2026-04-07"),
    case("minor_interpellation_due_easter_monday_2026_moves_to_tuesday",
         MINOR_INTERPELLATION, "Mon 2026-03-23", "Tue 2026-04-07"),
    case("written_question_due_easter_monday_2026_moves_to_tuesday",
         WRITTEN_QUESTION, "Mon 2026-03-30", "Tue 2026-04-07"),
    case("minor_interpellation_due_good_friday_2027_moves_past_easter_monday",
         MINOR_INTERPELLATION, "Fri 2027-03-12", "Tue 2027-03-30"),
    case("minor_interpellation_due_easter_monday_2027_moves_to_tuesday",
         MINOR_INTERPELLATION, "Mon 2027-03-15", "Tue 2027-03-30"),
    # Other federal holidays
    case("minor_interpellation_due_labour_day_2026_moves_over_weekend",
         MINOR_INTERPELLATION, "Fri 2026-04-17", "Mon 2026-05-04"),
    case("minor_interpellation_due_ascension_day_2026_moves_to_friday",
         MINOR_INTERPELLATION, "Thu 2026-04-30", "Fri 2026-05-15"),
    case("minor_interpellation_due_whit_monday_2026_moves_to_tuesday",
         MINOR_INTERPELLATION, "Mon 2026-05-11", "Tue 2026-05-26"),
    case("minor_interpellation_due_german_unity_day_2025_moves_over_weekend",
         MINOR_INTERPELLATION, "Fri 2025-09-19", "Mon 2025-10-06"),
    # Berlin-only holidays, and the same dates on a calendar without a subdivision
    case("minor_interpellation_due_womens_day_2027_in_berlin_moves_to_tuesday",
         MINOR_INTERPELLATION, "Mon 2027-02-22", "Tue 2027-03-09"),
    case("minor_interpellation_due_womens_day_2027_without_berlin_stays",
         MINOR_INTERPELLATION, "Mon 2027-02-22", "Mon 2027-03-08",
         GERMANY_WITHOUT_SUBDIVISION),
    case("minor_interpellation_due_8_may_2025_berlin_one_off_holiday_moves_to_friday",
         MINOR_INTERPELLATION, "Thu 2025-04-24", "Fri 2025-05-09"),
    case("five_working_days_skip_womens_day_2027_in_berlin",
         FIVE_WORKING_DAYS, "Tue 2027-03-02", "Wed 2027-03-10"),
    case("five_working_days_count_womens_day_2027_without_berlin",
         FIVE_WORKING_DAYS, "Tue 2027-03-02", "Tue 2027-03-09", GERMANY_WITHOUT_SUBDIVISION),
    # Year end: Christmas Eve and New Year's Eve are working days; no substitute holidays
    case("minor_interpellation_due_christmas_day_2025_moves_past_second_day",
         MINOR_INTERPELLATION, "Thu 2025-12-11", "Mon 2025-12-29"),
    case("minor_interpellation_due_second_day_of_christmas_2025_moves_over_weekend",
         MINOR_INTERPELLATION, "Fri 2025-12-12", "Mon 2025-12-29"),
    case("minor_interpellation_due_christmas_eve_2025_stays",
         MINOR_INTERPELLATION, "Wed 2025-12-10", "Wed 2025-12-24"),
    case("minor_interpellation_submitted_mid_december_due_new_years_eve_stays",
         MINOR_INTERPELLATION, "Wed 2025-12-17", "Wed 2025-12-31"),
    case("minor_interpellation_submitted_mid_december_due_new_years_day_2026_moves_to_friday",
         MINOR_INTERPELLATION, "Thu 2025-12-18", "Fri 2026-01-02"),
    case("minor_interpellation_due_christmas_day_2026_moves_over_weekend",
         MINOR_INTERPELLATION, "Fri 2026-12-11", "Mon 2026-12-28"),
    case("written_question_due_christmas_day_2026_moves_over_weekend",
         WRITTEN_QUESTION, "Fri 2026-12-18", "Mon 2026-12-28"),
    case("written_question_due_christmas_day_2027_on_saturday_moves_to_monday_27th",
         WRITTEN_QUESTION, "Sat 2027-12-18", "Mon 2027-12-27"),
    # Working-day rules across Easter and Christmas
    case("ten_working_days_across_easter_2026_skip_good_friday_and_easter_monday",
         TEN_WORKING_DAYS, "Wed 2026-03-25", "Fri 2026-04-10"),
    case("ten_working_days_from_mid_december_2025_skip_christmas_and_new_year",
         TEN_WORKING_DAYS, "Wed 2025-12-17", "Mon 2026-01-05"),
    case("ten_working_days_across_christmas_2026_into_january",
         TEN_WORKING_DAYS, "Fri 2026-12-18", "Tue 2027-01-05"),
    case("one_working_day_from_maundy_thursday_2026_is_the_tuesday_after_easter",
         ONE_WORKING_DAY, "Thu 2026-04-02", "Tue 2026-04-07"),
    case("one_working_day_from_a_saturday_is_monday",
         ONE_WORKING_DAY, "Sat 2026-03-07", "Mon 2026-03-09"),
    # A rule that keeps the raw date
    case("calendar_rule_without_moving_keeps_a_sunday",
         FOURTEEN_DAYS_NOT_MOVED, "Sun 2026-03-01", "Sun 2026-03-15"),
    case("calendar_rule_without_moving_keeps_good_friday",
         FOURTEEN_DAYS_NOT_MOVED, "Fri 2026-03-20", "Fri 2026-04-03"),
]


@pytest.mark.parametrize(("rule", "submitted", "expected", "calendar"), REAL_CASES)
def test_due_date_follows_the_rule_over_the_real_calendar(rule, submitted, expected, calendar):
    due = compute_due_date(submitted, rule, calendar)
    assert due.date == expected
    assert due.original == expected


ONE_CALENDAR_DAY = DeadlineRule("Letter", DayCount.CALENDAR, 1)
MINOR_INTERPELLATION_RULE = (
    "Rule: GO-BT § 104(2): answer within 14 days; extendable by agreement with the askers.")

EXPLAINED_CASES = [
    pytest.param(MINOR_INTERPELLATION, "Mon 2026-03-02", [
        "14 calendar days from Monday 2026-03-02: Monday 2026-03-16.",
        MINOR_INTERPELLATION_RULE,
    ], id="minor_interpellation_14_calendar_days_from_monday_and_its_rule"),
    pytest.param(MINOR_INTERPELLATION, "Fri 2026-03-20", [
        "14 calendar days from Friday 2026-03-20: Friday 2026-04-03.",
        "That is Good Friday, a public holiday in DE-BE; Monday 2026-04-06 is Easter Monday, "
        "a public holiday in DE-BE. The deadline moves to the next working day: "
        "Tuesday 2026-04-07.",
        MINOR_INTERPELLATION_RULE,
    ], id="minor_interpellation_due_good_friday_names_both_holidays_and_the_tuesday"),
    pytest.param(MINOR_INTERPELLATION, "Sun 2026-03-01", [
        "14 calendar days from Sunday 2026-03-01: Sunday 2026-03-15.",
        "That is a Sunday. The deadline moves to the next working day: Monday 2026-03-16.",
        MINOR_INTERPELLATION_RULE,
    ], id="minor_interpellation_due_sunday_moved_to_monday"),
    pytest.param(FOURTEEN_DAYS_NOT_MOVED, "Sun 2026-03-01", [
        "14 calendar days from Sunday 2026-03-01: Sunday 2026-03-15.",
        "That is a Sunday; the rule keeps it there.",
    ], id="calendar_rule_without_moving_keeps_the_sunday"),
    pytest.param(ONE_CALENDAR_DAY, "Thu 2026-04-30", [
        "1 calendar day from Thursday 2026-04-30: Friday 2026-05-01.",
        "That is Labor Day, a public holiday in DE-BE. The deadline moves to the next working "
        "day: Monday 2026-05-04.",
    ], id="one_calendar_day_in_the_singular_moved_past_labour_day"),
    # The Second Day of Christmas 2026 is a Saturday: skipped as a weekend, not listed.
    pytest.param(TEN_WORKING_DAYS, "Fri 2026-12-18", [
        "10 working days from Friday 2026-12-18, not counting weekends and public holidays in "
        "DE-BE: Tuesday 2027-01-05.",
        "Holidays skipped: Christmas Day (2026-12-25); New Year's Day (2027-01-01).",
    ], id="ten_working_days_over_christmas_2026_list_only_weekday_holidays"),
    pytest.param(ONE_WORKING_DAY, "Thu 2026-04-02", [
        "1 working day from Thursday 2026-04-02, not counting weekends and public holidays in "
        "DE-BE: Tuesday 2026-04-07.",
        "Holidays skipped: Good Friday (2026-04-03); Easter Monday (2026-04-06).",
    ], id="one_working_day_over_easter_2026_in_the_singular"),
    pytest.param(MAJOR_INTERPELLATION, "Mon 2026-03-02", [
        "Major interpellation (Große Anfrage): no fixed deadline "
        "(GO-BT §§ 100-103: no fixed deadline).",
    ], id="major_interpellation_has_no_deadline_and_names_its_rule"),
]


@pytest.mark.parametrize(("rule", "submitted", "explanation"), EXPLAINED_CASES)
def test_explanation_says_how_the_due_date_was_reached(rule, submitted, explanation):
    assert compute_due_date(on(submitted), rule, BERLIN).explanation == explanation


def test_womens_day_is_named_as_a_berlin_holiday():
    due = compute_due_date(on("Mon 2027-02-22"), MINOR_INTERPELLATION, BERLIN)
    assert "Women's Day, a public holiday in DE-BE" in due.explanation[1]
    assert due.explanation[1].endswith("Tuesday 2027-03-09.")


def test_major_interpellation_has_no_due_date():
    due = compute_due_date(on("Mon 2026-03-02"), MAJOR_INTERPELLATION, BERLIN)
    assert (due.date, due.original) == (None, None)


def test_inquiry_not_yet_submitted_has_no_due_date():
    due = compute_due_date(None, MINOR_INTERPELLATION, BERLIN)
    assert (due.date, due.original) == (None, None)
    assert due.explanation[0].startswith("Not submitted yet")


def test_deadline_set_by_the_committee_replaces_the_rule():
    due = compute_due_date(on("Mon 2026-03-02"), MINOR_INTERPELLATION, BERLIN,
                           set_due_date=on("Tue 2026-03-31"))
    assert (due.date, due.original) == (on("Tue 2026-03-31"), on("Tue 2026-03-31"))
    assert due.explanation == ["Deadline set by the committee: Tuesday 2026-03-31."]


def test_deadline_set_by_the_committee_gives_a_no_deadline_type_a_due_date():
    due = compute_due_date(on("Mon 2026-03-02"), MAJOR_INTERPELLATION, BERLIN,
                           set_due_date=on("Thu 2026-04-30"))
    assert due.date == on("Thu 2026-04-30")


def test_extension_to_a_later_date_moves_the_deadline_and_keeps_the_original():
    due = compute_due_date(on("Mon 2026-03-02"), MINOR_INTERPELLATION, BERLIN,
                           extensions=[Extension(on("Mon 2026-03-30"), "Agreed with the askers.")])
    assert (due.date, due.original) == (on("Mon 2026-03-30"), on("Mon 2026-03-16"))
    assert due.explanation[-1] == "Extended to Monday 2026-03-30: Agreed with the askers."


def test_extension_to_an_earlier_or_the_same_date_is_ignored_and_explained():
    extensions = [Extension(on("Tue 2026-03-10"), "Typed the wrong date."),
                  Extension(on("Mon 2026-03-16"), "Same day.")]
    due = compute_due_date(on("Mon 2026-03-02"), MINOR_INTERPELLATION, BERLIN,
                           extensions=extensions)
    assert (due.date, due.original) == (on("Mon 2026-03-16"), on("Mon 2026-03-16"))
    assert due.explanation[-2:] == [
        "An extension to 2026-03-10 was ignored: it is not later than 2026-03-16.",
        "An extension to 2026-03-16 was ignored: it is not later than 2026-03-16.",
    ]


def test_a_second_extension_earlier_than_the_first_is_ignored():
    extensions = [Extension(on("Mon 2026-03-30"), "First request."),
                  Extension(on("Fri 2026-03-20"), "Second request.")]
    due = compute_due_date(on("Mon 2026-03-02"), MINOR_INTERPELLATION, BERLIN,
                           extensions=extensions)
    assert due.date == on("Mon 2026-03-30")
    assert due.explanation[-1] == (
        "An extension to 2026-03-20 was ignored: it is not later than 2026-03-30.")


def test_extension_gives_an_inquiry_without_deadline_a_due_date():
    due = compute_due_date(on("Mon 2026-03-02"), MAJOR_INTERPELLATION, BERLIN,
                           extensions=[Extension(on("Wed 2026-04-15"), "Government's promise.")])
    assert (due.date, due.original) == (on("Wed 2026-04-15"), None)


@pytest.mark.parametrize(("rule", "description"), [
    pytest.param(MINOR_INTERPELLATION, "14 calendar days, moved to the next working day if it "
                 "falls on a weekend or holiday", id="calendar_days_moved"),
    pytest.param(FOURTEEN_DAYS_NOT_MOVED, "14 calendar days, even if it falls on a weekend or "
                 "holiday", id="calendar_days_kept"),
    pytest.param(ONE_WORKING_DAY, "1 working day", id="one_working_day"),
    pytest.param(MAJOR_INTERPELLATION, "No fixed deadline", id="no_deadline"),
])
def test_rule_describes_itself_in_plain_words(rule, description):
    assert rule.describe() == description


# Properties, against the holidays library directly rather than through WorkingCalendar.
BERLIN_HOLIDAYS = holidays.country_holidays("DE", subdiv="BE")
PROPERTIES = settings(deadline=None, database=None, max_examples=200)
submission_dates = st.dates(date(2000, 1, 1), date(2100, 12, 31))
day_counts = st.integers(1, 60)


def is_day_off(day: date) -> bool:
    return day.weekday() >= 5 or day in BERLIN_HOLIDAYS


def days_after(start: date, through: date) -> list[date]:
    """The days after `start` up to and including `through` (none if `through` <= `start`)."""
    return [start + timedelta(days=n) for n in range(1, (through - start).days + 1)]


def working_days_after(start: date, through: date) -> int:
    return sum(not is_day_off(day) for day in days_after(start, through))


@PROPERTIES
@given(submitted=submission_dates, days=day_counts)
def test_working_day_rule_never_lands_on_a_weekend_or_holiday(submitted, days):
    due = compute_due_date(submitted, DeadlineRule("Any", DayCount.WORKING, days), BERLIN).date
    assert due > submitted
    assert not is_day_off(due)
    assert working_days_after(submitted, due) == days


@PROPERTIES
@given(submitted=submission_dates, days=day_counts)
def test_calendar_rule_moves_only_over_days_off_to_the_first_working_day(submitted, days):
    due = compute_due_date(submitted, DeadlineRule("Any", DayCount.CALENDAR, days), BERLIN).date
    raw = submitted + timedelta(days=days)
    assert due > submitted
    assert due >= raw
    assert not is_day_off(due)
    assert all(is_day_off(day) for day in [raw, *days_after(raw, due)][:-1])


@PROPERTIES
@given(submitted=submission_dates, days=day_counts)
def test_calendar_rule_without_moving_is_exactly_the_days_later(submitted, days):
    rule = DeadlineRule("Any", DayCount.CALENDAR, days, roll_to_working_day=False)
    assert compute_due_date(submitted, rule, BERLIN).date == submitted + timedelta(days=days)


@PROPERTIES
@given(submitted=submission_dates, days=day_counts,
       day_count=st.sampled_from([DayCount.CALENDAR, DayCount.WORKING]),
       offsets=st.lists(st.integers(-90, 120), max_size=6))
def test_extensions_never_move_the_due_date_earlier(submitted, days, day_count, offsets):
    rule = DeadlineRule("Any", day_count, days)
    extensions = [Extension(submitted + timedelta(days=n), "Agreed") for n in offsets]
    # The due date after each extension in turn, starting with none.
    results = [compute_due_date(submitted, rule, BERLIN, extensions=extensions[:k]).date
               for k in range(len(extensions) + 1)]
    original = results[0]
    assert results == sorted(results)
    assert results[-1] == max([original, *(e.new_due_date for e in extensions)])
    assert compute_due_date(submitted, rule, BERLIN, extensions=extensions).original == original


@PROPERTIES
@given(today=submission_dates, offset=st.integers(-60, 60))
def test_working_days_until_is_zero_once_due_and_otherwise_the_working_days_left(today, offset):
    due = today + timedelta(days=offset)
    left = BERLIN.working_days_until(today, due)
    assert left == working_days_after(today, due)
    if due <= today:
        assert left == 0


@PROPERTIES
@given(start=submission_dates, count=st.integers(0, 60))
def test_add_working_days_passes_exactly_that_many_working_days(start, count):
    result = BERLIN.add_working_days(start, count)
    assert working_days_after(start, result) == count
    if count == 0:
        assert result == start
    else:
        assert not is_day_off(result)
    assert BERLIN.working_days_until(start, result) == count
