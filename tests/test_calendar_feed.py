"""The calendar feed: a secret address made on the account page, fetched without signing in,
holding due dates and hearings at its owner's clearance; replaced and revoked for good."""

import hashlib
import re
from collections.abc import Iterator
from datetime import date, datetime, time

import httpx
import pytest
from icalendar import Calendar
from sqlmodel import select

from app.accounts import service as accounts
from app.inquiries.status import InquiryStatus
from app.models import CalendarFeed, User
from tests.conftest import ACCOUNTS, LiveServer, http_client
from tests.dashboard.world import CANARY, serving_world
from tests.forms import form_fields

FEED_URL = re.compile(r'id="new-feed-url" value="(http://[^"]+/calendar/([A-Za-z0-9_-]+)\.ics)"')


@pytest.fixture
def world(data_dir, empty_db) -> Iterator[tuple[LiveServer, dict[str, int]]]:
    with serving_world(data_dir, empty_db) as served:
        yield served


def create_feed(http: httpx.Client) -> tuple[str, str, str]:
    """Press the button on the account page, as a browser without JavaScript does; returns
    (page shown, feed URL, token)."""
    account = http.get("/account").text
    fields = form_fields(account, "/account/calendar")
    assert ("csrf_token", http.headers["X-CSRF-Token"]) in fields
    page = http.post("/account/calendar", data=dict(fields))
    assert page.status_code == 200
    match = FEED_URL.search(page.text)
    assert match, "the new address is shown"
    return page.text, match.group(1), match.group(2)


def fetch(url: str) -> httpx.Response:
    """A calendar program: no cookie, no session."""
    with http_client() as program:
        return program.get(url)


def events(response: httpx.Response) -> dict[str, object]:
    """Events of a feed by UID."""
    calendar = Calendar.from_ical(response.content)
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


class TestAddress:
    def test_shown_once_and_stored_only_as_a_hash(self, world, client_for, db):
        live, _ = world
        http = client_for(live, "member")
        assert "You have no calendar address" in http.get("/account").text
        page, url, token = create_feed(http)
        assert "This is the only time it is shown" in page
        assert url.startswith(live.url + "/calendar/")
        user = db.exec(select(User).where(User.email == ACCOUNTS["member"][0])).one()
        [feed] = db.exec(select(CalendarFeed).where(CalendarFeed.user_id == user.id)).all()
        assert feed.token_hash == hashlib.sha256(token.encode()).hexdigest()
        assert feed.revoked_at is None
        later = http.get("/account").text
        assert token not in later and "You have a calendar address" in later

    def test_replacing_it_stops_the_old_address(self, world, client_for, db):
        live, _ = world
        http = client_for(live, "member")
        _, old_url, _ = create_feed(http)
        _, new_url, _ = create_feed(http)  # the page now offers "Replace the address"
        assert old_url != new_url
        assert fetch(old_url).status_code == 404
        assert fetch(new_url).status_code == 200
        feeds = db.exec(select(CalendarFeed)).all()
        assert len(feeds) == 2 and sum(f.revoked_at is None for f in feeds) == 1

    def test_revoked_address_answers_not_found(self, world, client_for, db):
        live, _ = world
        http = client_for(live, "member")
        _, url, _ = create_feed(http)
        fields = form_fields(http.get("/account").text, "/account/calendar/revoke")
        response = http.post("/account/calendar/revoke", data=dict(fields))
        assert response.status_code == 303
        assert "was revoked" in http.get(response.headers["location"]).text
        assert fetch(url).status_code == 404
        assert db.exec(select(CalendarFeed)).one().revoked_at is not None
        assert "You have no calendar address" in http.get("/account").text

    def test_a_deactivated_account_has_no_feed(self, world, client_for, db):
        live, _ = world
        _, url, _ = create_feed(client_for(live, "member"))
        accounts.deactivate(db, accounts.user_by_email(db, ACCOUNTS["member"][0]))
        db.commit()
        assert fetch(url).status_code == 404

    @pytest.mark.parametrize("token", ["x" * 43, "short", "a" * 101, "..%2F..%2Fetc"])
    def test_unknown_or_malformed_addresses_answer_not_found(self, world, token):
        live, _ = world
        assert fetch(f"{live.url}/calendar/{token}.ics").status_code == 404


class TestFeed:
    def test_due_dates_of_open_inquiries_as_all_day_events(self, world, client_for):
        live, ids = world
        _, url, _ = create_feed(client_for(live, "member"))
        response = fetch(url)
        assert response.headers["content-type"].startswith("text/calendar")
        assert response.headers["cache-control"] == "no-store"
        found = events(response)
        inquiries = {uid for uid in found if uid.startswith("inquiry-")}
        # Open with a due date: overdue, due soon, submitted; ANS-5's answer is restricted, so
        # for a public reader it is still open. Drafts, withdrawn, answered: none.
        assert inquiries == {f"inquiry-{ids[k]}@oversight-desk"
                             for k in ("O1", "O2", "O4", "W1", "W2", "W3", "W4", "A5")}
        event = found[f"inquiry-{ids['O1']}@oversight-desk"]
        assert str(event["SUMMARY"]) == "Due: OVD-1 Inquiry OVD-1"
        start = event.decoded("DTSTART")
        assert isinstance(start, date) and not isinstance(start, datetime)
        assert f"Status: {InquiryStatus.OVERDUE.label}" in str(event["DESCRIPTION"])
        assert str(event["URL"]).endswith(f"/inquiries/{ids['O1']}")
        assert "DTSTAMP" in event

    def test_hearings_with_date_time_and_place(self, world, client_for):
        live, ids = world
        _, url, _ = create_feed(client_for(live, "member"))
        found = events(fetch(url))
        hearing = found[f"hearing-{ids['H1']}@oversight-desk"]
        start = hearing.decoded("DTSTART")
        assert start.time() == time(10, 0) and str(start.tzinfo) == "Europe/Berlin"
        assert str(hearing["LOCATION"]) == "Room E 700"
        assert str(hearing["SUMMARY"]) == "Hearing: Hearing on training missions"
        all_day = found[f"hearing-{ids['H4']}@oversight-desk"].decoded("DTSTART")
        assert not isinstance(all_day, datetime)
        assert f"hearing-{ids['H2']}@oversight-desk" in found  # past hearings stay listed

    def test_uids_are_stable_between_fetches(self, world, client_for):
        live, _ = world
        _, url, _ = create_feed(client_for(live, "member"))
        assert set(events(fetch(url))) == set(events(fetch(url)))


class TestClearance:
    def test_a_public_readers_feed_holds_nothing_restricted(self, world, client_for):
        live, ids = world
        _, url, _ = create_feed(client_for(live, "member"))
        response = fetch(url)
        assert CANARY not in response.text
        assert f"inquiry-{ids['O3']}@" not in response.text
        assert f"hearing-{ids['H3']}@" not in response.text

    def test_a_cleared_readers_feed_marks_restricted_events(self, world, client_for):
        live, ids = world
        _, url, _ = create_feed(client_for(live, "member_restricted"))
        found = events(fetch(url))
        event = found[f"inquiry-{ids['O3']}@oversight-desk"]
        assert str(event["SUMMARY"]) == \
            f"[RESTRICTED] Due: OVD-R {CANARY} restricted overdue inquiry"
        assert str(event["CLASS"]) == "CONFIDENTIAL"
        assert f"hearing-{ids['H3']}@oversight-desk" in found
        # With the restricted answer visible, ANS-5 is answered: no longer due.
        assert f"inquiry-{ids['A5']}@oversight-desk" not in found

    def test_the_feed_reads_at_its_owners_clearance_whoever_fetches_it(self, world, client_for):
        """Fetched by a signed-in confidential reader's browser, a public member's feed still
        holds only what the member may see."""
        live, _ = world
        _, url, _ = create_feed(client_for(live, "member"))
        cleared_browser = client_for(live, "staff")
        response = cleared_browser.get(url.replace(live.url, ""))
        assert response.status_code == 200 and CANARY not in response.text
