"""Canary: restricted inquiries, answers, hearings and programmes never reach the dashboard of a
reader without clearance: not in a list, a count, a figure or the chart. Cleared readers see
them, and the page and chart are marked.
"""

import re
from collections.abc import Iterator

import pytest

from app import clock
from app.models import Rating
from tests.conftest import LiveServer, _settings_for
from tests.dashboard.conftest import built_copy
from tests.dashboard.pages import rows, section, text_of
from tests.dashboard.world import C, CANARY, P, RESTRICTED, Builder

UNCLEARED = ["member", "staff_public"]
CLEARED = ["member_restricted", "staff"]


def build_canary_world(session) -> dict:
    b = Builder(session, clock.today())
    b.inquiry("PUB-OVD", submitted=-20, due=-6, lead="AA")
    b.inquiry("RES-OVD", submitted=-30, due=-10, lead="BMVg", level=RESTRICTED,
              title=f"{CANARY} overdue inquiry")
    answered = b.inquiry("PUB-ANS", submitted=-20, due=-6, lead="AA", items=2)
    b.answer(answered, received=-10, assessments=[C, P])
    # A public question whose answer is restricted: without a due date, so for a reader
    # without clearance it is simply still waiting (not overdue).
    secret = b.inquiry("PUB-Q", submitted=-40, lead="BMVg", items=2, kind="major_interpellation")
    b.answer(secret, received=-5, assessments=[C, C], ministry="BMVg", level=RESTRICTED,
             text=f"{CANARY} answer")
    hidden = b.programme("RES-CAN", f"{CANARY} programme", level=RESTRICTED)
    b.ratings(hidden, (Rating.NO_EVIDENCE, RESTRICTED))
    public = b.programme("PUB-CAN", "Public programme")
    b.hearing(f"{CANARY} hearing", on=3, level=RESTRICTED)
    b.hearing("Public hearing", on=4, agenda=(public, hidden))
    session.commit()
    return {}


@pytest.fixture(scope="module")
def canary_file(tmp_path_factory, templates):
    database, _ = built_copy(tmp_path_factory.mktemp("canary-dashboard"), templates,
                             build_canary_world)
    return database


@pytest.fixture
def live(data_dir, canary_file, templates, database_url) -> Iterator[LiveServer]:
    copy = templates.copy_to(canary_file, database_url)
    with LiveServer(_settings_for(data_dir, copy)) as server:
        yield server


def counts(page: str) -> dict[str, int]:
    """The at-a-glance counts at the top of the dashboard."""
    return {label: int(n) for label, n in
            re.findall(r"<dt>([^<]+)</dt><dd><a [^>]*>(\d+)</a></dd>", page)}


def fetch_all(http) -> dict[str, str]:
    return {
        "page": http.get("/").text,
        "fragment": http.get("/", headers={"HX-Request": "true"}).text,
        "chart": http.get("/dashboard/ministries.svg").text,
    }


@pytest.mark.parametrize("account", UNCLEARED)
def test_nothing_restricted_reaches_a_reader_without_clearance(live, client_for, account):
    got = fetch_all(client_for(live, account))
    for name, text in got.items():
        assert CANARY not in text, name
    page = got["page"]
    assert counts(page) == {"Overdue": 1, "Due in the next 7 days": 0,
                            "Answered in the last 30 days": 1, "Upcoming hearings": 1}
    assert [r[0] for r in rows(section(page, "overdue"))] == ["PUB-OVD"]
    assert [r[0] for r in rows(section(page, "recently-answered"))] == ["PUB-ANS"]
    assert "1 agenda item" in text_of(section(page, "hearings"))
    assert "No programme has a safeguard rated" in page
    assert [r[0] for r in rows(section(page, "ministries"))] == ["AA"]
    assert ">BMVg<" not in got["chart"] and "RESTRICTED" not in got["chart"]
    assert 'marking-public' in page and "marking-restricted" not in page


@pytest.mark.parametrize("account", CLEARED)
def test_cleared_readers_see_it_marked(live, client_for, account):
    got = fetch_all(client_for(live, account))
    page = got["page"]
    assert CANARY in page
    assert counts(page) == {"Overdue": 2, "Due in the next 7 days": 0,
                            "Answered in the last 30 days": 2, "Upcoming hearings": 2}
    assert [r[0] for r in rows(section(page, "overdue"))] == ["RES-OVD", "PUB-OVD"]
    assert "2 agenda items" in text_of(section(page, "hearings"))
    assert "RES-CAN" in text_of(section(page, "no-evidence"))
    assert [r[0] for r in rows(section(page, "ministries"))] == ["AA", "BMVg"]
    assert 'class="marking marking-restricted"' in page
    assert "Restricted</span>" in section(page, "overdue")  # the row's own badge
    assert ">BMVg<" in got["chart"] and "How ministries answer (%) · RESTRICTED" in got["chart"]
