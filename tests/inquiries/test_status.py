"""An inquiry's status on a given day (the clock is passed in as `today`), for every status."""

from collections.abc import Iterable
from datetime import date, timedelta

import pytest

from app.inquiries.deadlines import compute_due_date
from app.inquiries.status import InquiryStatus, derive_status
from app.models.inquiries import Assessment
from tests.inquiries.rules import BERLIN, MINOR_INTERPELLATION, on

SUBMITTED = on("Mon 2026-03-02")
DUE = on("Mon 2026-03-16")  # a minor interpellation's 14 days


def status(*, today: date, submitted_on: date | None = SUBMITTED, due_date: date | None = DUE,
           withdrawn_on: date | None = None, answered: bool = False,
           assessments: Iterable[Assessment | None] = ()) -> InquiryStatus:
    return derive_status(submitted_on=submitted_on, withdrawn_on=withdrawn_on, due_date=due_date,
                         answered=answered, assessments=assessments, today=today,
                         calendar=BERLIN)


def test_inquiry_not_submitted_is_a_draft():
    assert status(today=on("Wed 2026-03-04"), submitted_on=None, due_date=None) == \
        InquiryStatus.DRAFT


def test_inquiry_submitted_with_time_left_is_submitted():
    assert status(today=on("Wed 2026-03-04")) == InquiryStatus.SUBMITTED


def test_exactly_three_working_days_before_the_due_date_is_due_soon():
    # Due Friday 2026-03-13; left after Tuesday: Wed, Thu, Fri.
    assert status(today=on("Tue 2026-03-10"), due_date=on("Fri 2026-03-13")) == \
        InquiryStatus.DUE_SOON


def test_four_working_days_before_the_due_date_is_still_submitted():
    assert status(today=on("Mon 2026-03-09"), due_date=on("Fri 2026-03-13")) == \
        InquiryStatus.SUBMITTED


def test_due_soon_counts_working_days_only_across_a_weekend():
    # Due Monday 2026-03-16: on Wednesday, five calendar days but three working days are left
    # (Thu, Fri, Mon); on Tuesday four working days are left.
    assert status(today=on("Wed 2026-03-11")) == InquiryStatus.DUE_SOON
    assert status(today=on("Tue 2026-03-10")) == InquiryStatus.SUBMITTED


def test_due_soon_counts_working_days_only_across_easter():
    # Due Tuesday 2026-04-07: on Tuesday 2026-03-31, seven calendar days but only three
    # working days are left (Wed 1, Thu 2, Tue 7; Good Friday and Easter Monday are holidays).
    due = on("Tue 2026-04-07")
    assert status(today=on("Tue 2026-03-31"), due_date=due) == InquiryStatus.DUE_SOON
    assert status(today=on("Mon 2026-03-30"), due_date=due) == InquiryStatus.SUBMITTED


def test_inquiry_due_today_is_due_soon():
    assert status(today=DUE) == InquiryStatus.DUE_SOON


def test_inquiry_is_overdue_the_day_after_its_due_date():
    assert status(today=DUE + timedelta(days=1)) == InquiryStatus.OVERDUE


def test_inquiry_unanswered_long_after_its_due_date_is_overdue():
    assert status(today=on("Thu 2027-03-18")) == InquiryStatus.OVERDUE


def test_answer_with_every_item_complete_is_answered():
    assert status(today=on("Fri 2026-03-13"), answered=True,
                  assessments=[Assessment.COMPLETE] * 10) == InquiryStatus.ANSWERED


def test_late_answer_with_every_item_complete_is_answered_not_overdue():
    assert status(today=on("Mon 2026-04-20"), answered=True,
                  assessments=[Assessment.COMPLETE, Assessment.COMPLETE]) == \
        InquiryStatus.ANSWERED


def test_answer_to_an_inquiry_without_items_is_answered():
    assert status(today=on("Fri 2026-03-13"), answered=True, assessments=[]) == \
        InquiryStatus.ANSWERED


@pytest.mark.parametrize("short_item", [
    pytest.param(Assessment.PARTIAL, id="partial"),
    pytest.param(Assessment.EVASIVE, id="evasive"),
    pytest.param(Assessment.REFUSED, id="refused"),
    pytest.param(Assessment.NOT_ANSWERED, id="not_answered"),
    pytest.param(None, id="not_yet_assessed"),
])
def test_answer_with_any_item_not_complete_is_partially_answered(short_item):
    assessments = [Assessment.COMPLETE, short_item, Assessment.COMPLETE]
    assert status(today=on("Fri 2026-03-13"), answered=True, assessments=assessments) == \
        InquiryStatus.PARTIALLY_ANSWERED


def test_assessments_may_be_given_as_a_generator():
    items = (a for a in [Assessment.COMPLETE, Assessment.EVASIVE])
    assert status(today=on("Fri 2026-03-13"), answered=True, assessments=items) == \
        InquiryStatus.PARTIALLY_ANSWERED


@pytest.mark.parametrize("situation", [
    pytest.param({"submitted_on": None, "due_date": None}, id="draft"),
    pytest.param({"today": on("Wed 2026-03-04")}, id="submitted"),
    pytest.param({"today": DUE}, id="due_soon"),
    pytest.param({"today": on("Thu 2027-03-18")}, id="overdue"),
    pytest.param({"answered": True, "assessments": [Assessment.COMPLETE]}, id="answered"),
    pytest.param({"answered": True, "assessments": [Assessment.REFUSED]},
                 id="partially_answered"),
    pytest.param({"due_date": None}, id="no_deadline"),
])
def test_withdrawal_wins_over_everything_else(situation):
    arguments = {"today": on("Wed 2026-03-04"), **situation}
    assert status(withdrawn_on=on("Tue 2026-03-03"), **arguments) == InquiryStatus.WITHDRAWN


@pytest.mark.parametrize("today", [
    pytest.param(on("Tue 2026-03-03"), id="next_day"),
    pytest.param(on("Mon 2026-03-16"), id="two_weeks_later"),
    pytest.param(on("Mon 2036-03-03"), id="ten_years_later"),
])
def test_inquiry_without_deadline_stays_submitted_forever(today):
    assert status(today=today, due_date=None) == InquiryStatus.SUBMITTED


def test_minor_interpellation_over_easter_2026_day_by_day():
    """Submitted Friday 2026-03-20, due Tuesday 2026-04-07 (Good Friday and Easter Monday
    skipped): submitted until four working days are left, due soon from three, then overdue."""
    submitted = on("Fri 2026-03-20")
    due = compute_due_date(submitted, MINOR_INTERPELLATION, BERLIN).date
    assert due == on("Tue 2026-04-07")
    timeline = {submitted + timedelta(days=n): status(today=submitted + timedelta(days=n),
                                                      submitted_on=submitted, due_date=due)
                for n in range(0, 21)}
    due_soon_from, overdue_from = on("Tue 2026-03-31"), on("Wed 2026-04-08")
    for day, found in timeline.items():
        expected = (InquiryStatus.SUBMITTED if day < due_soon_from
                    else InquiryStatus.DUE_SOON if day < overdue_from
                    else InquiryStatus.OVERDUE)
        assert found == expected, f"{day:%a %Y-%m-%d}: {found.value}, expected {expected.value}"


LABELS = {
    InquiryStatus.DRAFT: "Draft",
    InquiryStatus.SUBMITTED: "Submitted",
    InquiryStatus.DUE_SOON: "Due soon",
    InquiryStatus.OVERDUE: "Overdue",
    InquiryStatus.ANSWERED: "Answered",
    InquiryStatus.PARTIALLY_ANSWERED: "Partially answered",
    InquiryStatus.WITHDRAWN: "Withdrawn",
}
WAITING_FOR_GOVERNMENT = {InquiryStatus.SUBMITTED, InquiryStatus.DUE_SOON, InquiryStatus.OVERDUE}


@pytest.mark.parametrize("inquiry_status", list(InquiryStatus), ids=lambda s: s.value)
def test_every_status_has_a_label_and_only_those_waiting_for_government_are_open(
        inquiry_status):
    assert inquiry_status.label == LABELS[inquiry_status]
    assert inquiry_status.is_open == (inquiry_status in WAITING_FOR_GOVERNMENT)
