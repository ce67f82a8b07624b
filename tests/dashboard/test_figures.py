"""Every dashboard figure, for a fixed day, against values worked out by hand (world.EXPECTED).

Each reader gets a fresh session at their clearance, as a request would."""

from collections.abc import Iterator

import pytest

from app.clearance import set_reader_clearance
from app.dashboard.service import Dashboard, assessment_mix, build_dashboard
from app.inquiries.deadlines import WorkingCalendar
from app.inquiries.service import inquiry_states
from app.models import Classification, Inquiry
from app.dashboard.ministries import percent
from tests.conftest import system_session
from tests.dashboard.conftest import TODAY
from tests.dashboard.world import EXPECTED, PUBLIC, RESTRICTED

CALENDAR = WorkingCalendar("DE", "BE")


@pytest.fixture(params=[PUBLIC, RESTRICTED], ids=["public", "restricted"])
def reading(request, world_file) -> Iterator[tuple[Dashboard, dict, Classification]]:
    path, _ = world_file
    engine, session = system_session(path)
    with session:
        set_reader_clearance(session, request.param)
        yield build_dashboard(session, CALENDAR, TODAY), EXPECTED[request.param], request.param
    engine.dispose()


class TestLists:
    def test_overdue_inquiries_longest_overdue_first_with_days_overdue(self, reading):
        dashboard, expected, _ = reading
        assert [(o.state.inquiry.reference, o.days) for o in dashboard.overdue] == \
            expected["overdue"]

    def test_overdue_rows_name_the_lead_ministry(self, reading):
        dashboard, _, _ = reading
        leads = {o.state.inquiry.reference: o.lead.code for o in dashboard.overdue}
        assert leads["OVD-1"] == "AA" and leads["OVD-2"] == "BMVg"

    def test_due_this_week_is_today_and_the_six_days_after(self, reading):
        dashboard, expected, _ = reading
        assert dashboard.week_end == TODAY.replace(day=24)
        assert [(o.state.inquiry.reference, o.days) for o in dashboard.due_this_week] == \
            expected["due_this_week"]

    def test_recently_answered_newest_first_with_assessment_mix(self, reading):
        dashboard, expected, _ = reading
        assert [(a.state.inquiry.reference, a.mix_text)
                for a in dashboard.recently_answered] == expected["recently_answered"]

    def test_upcoming_hearings_with_agenda_size_as_the_reader_sees_it(self, reading):
        dashboard, expected, _ = reading
        assert [(h.hearing.title, h.agenda_size) for h in dashboard.hearings] == \
            expected["hearings"]

    def test_programmes_with_criteria_rated_no_evidence(self, reading):
        dashboard, expected, _ = reading
        assert [(programme.reference_code, len(criteria))
                for programme, criteria in dashboard.programmes_without_evidence] == \
            expected["no_evidence"]


class TestMinistryFigures:
    def test_on_time_median_days_and_share_complete_per_ministry(self, reading):
        dashboard, expected, _ = reading
        assert [(f.ministry.code, f.answered, f.on_time, f.with_due_date, f.on_time_percent,
                 f.median_days, f.items_complete, f.items, f.complete_percent)
                for f in dashboard.ministries.ministries] == expected["ministries"]

    def test_an_answer_with_no_ministry_anywhere_is_counted_apart(self, reading):
        dashboard, expected, _ = reading
        assert dashboard.ministries.unattributed == expected["unattributed"]

    def test_figures_are_marked_as_high_as_what_they_were_computed_from(self, reading):
        dashboard, _, clearance = reading
        assert dashboard.ministries.marking == clearance

    def test_percentages_round_halves_up_and_nothing_counted_is_no_percentage(self):
        assert (percent(2, 3), percent(1, 8), percent(1, 200), percent(0, 0)) == (67, 13, 1, None)


def test_assessment_mix_in_the_order_of_the_scale(world_file):
    """ANS-1 is not recent, so its mix is checked directly: 2 complete, 1 partial, 1 evasive."""
    path, ids = world_file
    engine, session = system_session(path)
    with session:
        [state] = inquiry_states(session, CALENDAR, TODAY, where=Inquiry.id == ids["A1"])
        assert assessment_mix(state) == [("complete", 2), ("partial", 1), ("evasive", 1)]
    engine.dispose()
