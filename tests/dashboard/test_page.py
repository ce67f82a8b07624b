"""The dashboard over real HTTP, on the known world dated around the real today: the figures
worked out by hand (world.EXPECTED) are what a reader sees."""

import re
from collections.abc import Iterator

import pytest

from tests.conftest import LiveServer
from tests.dashboard.pages import list_items, rows, section, text_of
from tests.dashboard.world import EXPECTED, PUBLIC, RESTRICTED, serving_world


@pytest.fixture
def world(data_dir, empty_db) -> Iterator[tuple[LiveServer, dict[str, int]]]:
    with serving_world(data_dir, empty_db) as served:
        yield served


@pytest.fixture
def pages(world, client_for) -> dict:
    """The dashboard as a public member and as staff cleared for everything."""
    live, _ = world
    return {PUBLIC: client_for(live, "member").get("/").text,
            RESTRICTED: client_for(live, "staff").get("/").text}


@pytest.mark.parametrize("clearance", [PUBLIC, RESTRICTED], ids=["public", "cleared"])
class TestWhatTheReaderSees:
    def test_overdue_table_oldest_due_date_first_with_days_overdue(self, pages, clearance):
        table = rows(section(pages[clearance], "overdue"))
        assert [(r[0], r[4]) for r in table] == [
            (ref, f"{days} days") for ref, days in EXPECTED[clearance]["overdue"]]

    def test_due_this_week_lists_the_next_seven_days(self, pages, clearance):
        part = section(pages[clearance], "due-this-week")
        assert [r[0] for r in rows(part)] == [
            ref for ref, _ in EXPECTED[clearance]["due_this_week"]]
        assert "(today)" in text_of(part) and "in 6 days" in text_of(part)

    def test_recently_answered_with_assessment_mix(self, pages, clearance):
        table = rows(section(pages[clearance], "recently-answered"))
        assert [(r[0], r[3]) for r in table] == EXPECTED[clearance]["recently_answered"]

    def test_ministry_table(self, pages, clearance):
        table = rows(section(pages[clearance], "ministries"))
        assert table == [
            [code, str(answered), f"{pct}% ({on_time} of {due})", f"{median:g}",
             f"{share}% ({complete} of {items})"]
            for code, answered, on_time, due, pct, median, complete, items, share
            in EXPECTED[clearance]["ministries"]]
        assert "1 answered inquiry names no ministry" in text_of(
            section(pages[clearance], "ministries"))

    def test_hearings_and_programmes_without_evidence(self, pages, clearance):
        # Each list item as a whole, in order: a title and a count of the row next to it.
        hearings = list_items(section(pages[clearance], "hearings"))
        assert len(hearings) == len(EXPECTED[clearance]["hearings"])
        for item, (title, size) in zip(hearings, EXPECTED[clearance]["hearings"]):
            assert item.startswith(title)
            assert item.endswith(f"· {size} agenda item{'' if size == 1 else 's'}")
        assert "Past hearing" not in " ".join(hearings)
        programmes = list_items(section(pages[clearance], "no-evidence"))
        assert [re.fullmatch(r"(\S+) — .* · (\d+) criteri(?:on|a) without evidence", item)
                .groups() for item in programmes] == [
            (code, str(count)) for code, count in EXPECTED[clearance]["no_evidence"]]
        assert "· 2 criteria without evidence" in programmes[0]
        assert all("· 1 criterion without evidence" in item for item in programmes[1:])


def test_rows_link_to_the_inquiry_hearing_and_programme_pages(world, client_for):
    live, ids = world
    page = client_for(live, "member").get("/").text
    for link in (f'/inquiries/{ids["O1"]}"', f'/inquiries/{ids["W1"]}"',
                 f'/inquiries/{ids["A3"]}"', f'/hearings/{ids["H1"]}"',
                 f'/programmes/{ids["P1"]}"', 'src="/dashboard/ministries.svg"'):
        assert link in page, link


def test_chart_prints_each_measure_in_words_and_has_no_script(world, client_for):
    live, _ = world
    response = client_for(live, "member").get("/dashboard/ministries.svg")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    svg = response.text
    assert "<script" not in svg
    for label in ("on time 67%", "complete 50%", "on time 100%", ">AA<", ">BMVg<"):
        assert label in svg, label


def test_empty_register_explains_each_section(client):
    page = client.get("/").text
    for text in ("No inquiry is overdue", "Nothing falls due in the next 7 days",
                 "No answer was received in the last 30 days", "No hearing is scheduled",
                 "No programme has a safeguard rated", "No answers yet"):
        assert text in page
    assert 'src="/dashboard/ministries.svg"' not in page
    svg = client.get("/dashboard/ministries.svg").text
    assert "No answers yet" in svg


def test_signed_out_visitors_are_sent_to_sign_in(anonymous):
    response = anonymous.get("/", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
