"""Hearings through the forms, over HTTP: create, list, edit, validation, conflicts, delete."""

import re
from datetime import date, time, timedelta

from sqlmodel import select

from app import clock
from app.models import AgendaItem, Classification, Hearing
from tests.factories import programme_form
from tests.forms import as_form_data, form_fields, with_values


def browser_form(fields, **values):
    return as_form_data(with_values(fields, **values))


def hearing_form(**overrides) -> dict[str, str]:
    form = {"committee": "Committee on Foreign Affairs",
            "title": "Security assistance in the Sahel", "held_on": "2026-03-19",
            "starts_at": "09:30", "location": "E 400", "notes": "Bring the **dossier**.",
            "classification": "public"}
    form.update(overrides)
    return form


def create_hearing(client, **overrides) -> str:
    response = client.post("/hearings", data=hearing_form(**overrides))
    assert response.status_code == 303, response.text
    return response.headers["location"]


def stored_hearings(db) -> list[Hearing]:
    db.expire_all()
    return list(db.exec(select(Hearing).order_by(Hearing.id)))


class TestCreate:
    def test_new_form_has_labelled_fields(self, client):
        page = client.get("/hearings/new")
        assert page.status_code == 200
        for name in ("committee", "title", "held_on", "starts_at", "location", "notes",
                     "classification"):
            assert f'<label for="{name}">' in page.text and f'id="{name}"' in page.text

    def test_a_hearing_filled_in_as_a_browser_does_is_stored_and_shown(self, client, db):
        fields = form_fields(client.get("/hearings/new").text, "/hearings")
        response = client.post("/hearings", data=browser_form(fields, **hearing_form()))
        assert response.status_code == 303
        location = response.headers["location"]
        assert re.fullmatch(r"/hearings/\d+", location)
        [hearing] = stored_hearings(db)
        assert (hearing.committee, hearing.held_on, hearing.starts_at, hearing.location) == (
            "Committee on Foreign Affairs", date(2026, 3, 19), time(9, 30), "E 400")
        page = client.get(location).text
        assert "Security assistance in the Sahel" in page
        assert "19 March 2026" in page and "09:30" in page and "E 400" in page
        assert "<strong>dossier</strong>" in page

    def test_the_time_is_optional(self, client, db):
        create_hearing(client, starts_at="")
        assert stored_hearings(db)[0].starts_at is None

    def test_every_problem_is_reported_at_once_and_nothing_is_saved(self, client, db):
        response = client.post("/hearings", data=hearing_form(
            committee=" ", title="", held_on="2026-02-30", starts_at="25:00",
            location="<script>x</script>"))
        assert response.status_code == 422
        text = response.text
        assert "There is a problem with this hearing" in text
        assert "The committee is required." in text and "The title is required." in text
        assert "Enter a real date as YYYY-MM-DD" in text
        assert "Enter the time as HH:MM" in text
        assert "must not contain HTML tags" in text
        assert 'value="2026-02-30"' in text and 'value="25:00"' in text  # typed input kept
        assert 'aria-describedby="held_on-hint held_on-error"' in text
        assert stored_hearings(db) == []

    def test_a_date_written_the_german_way_is_refused(self, client, db):
        response = client.post("/hearings", data=hearing_form(held_on="19.03.2026"))
        assert response.status_code == 422 and "YYYY-MM-DD" in response.text
        assert stored_hearings(db) == []

    def test_nobody_marks_a_hearing_above_their_clearance(self, client_for, server, db):
        http = client_for(server, "staff_public")
        assert 'value="restricted"' not in http.get("/hearings/new").text
        response = http.post("/hearings", data=hearing_form(classification="restricted"))
        assert response.status_code == 422 and "above your own clearance" in response.text
        assert stored_hearings(db) == []

    def test_members_cannot_add_hearings(self, client_for, server, db):
        http = client_for(server, "member_confidential")
        assert http.post("/hearings", data=hearing_form()).status_code == 403
        assert "Add a hearing" not in http.get("/hearings").text
        assert stored_hearings(db) == []


class TestList:
    def test_upcoming_hearings_come_first_soonest_first_then_past_latest_first(self, client):
        today = clock.today()
        for days, title in ((-30, "Long ago"), (20, "Later"), (0, "Today"), (-1, "Yesterday"),
                            (3, "Soon")):
            create_hearing(client, title=title, held_on=(today + timedelta(days)).isoformat())
        page = client.get("/hearings").text
        upcoming, past = page.split('id="past-heading"')
        assert re.findall(r">(Today|Soon|Later)</a>", upcoming) == ["Today", "Soon", "Later"]
        assert re.findall(r">(Yesterday|Long ago)</a>", past) == ["Yesterday", "Long ago"]

    def test_each_hearing_shows_its_agenda_count(self, client):
        location = create_hearing(client, title="Counted", held_on="2099-01-01")
        for code in ("EPF-A", "EPF-B"):
            programme = client.post("/programmes", data=programme_form(reference_code=code))
            programme_id = programme.headers["location"].rsplit("/", 1)[1]
            client.post(f"{location}/agenda", data={"programme_id": programme_id})
        row = re.search(r">Counted</a>.*?</tr>", client.get("/hearings").text, re.S).group(0)
        assert re.search(r'<td class="num">2</td>', row)


class TestEdit:
    def test_edit_form_carries_the_stored_values_and_saves_changes(self, client, db):
        location = create_hearing(client)
        page = client.get(f"{location}/edit").text
        fields = form_fields(page, f"{location}/edit")
        assert ("starts_at", "09:30") in fields and ("held_on", "2026-03-19") in fields
        response = client.post(f"{location}/edit",
                               data=browser_form(fields, title="Retitled", starts_at="14:00"))
        assert response.status_code == 303
        [hearing] = stored_hearings(db)
        assert hearing.title == "Retitled" and hearing.starts_at == time(14, 0)
        assert hearing.committee == "Committee on Foreign Affairs"

    def test_a_refused_edit_changes_nothing(self, client, db):
        location = create_hearing(client)
        fields = form_fields(client.get(f"{location}/edit").text, f"{location}/edit")
        response = client.post(f"{location}/edit", data=browser_form(fields, held_on="soon",
                                                                    title="Kept typing"))
        assert response.status_code == 422 and 'value="Kept typing"' in response.text
        assert stored_hearings(db)[0].title == "Security assistance in the Sahel"

    def test_a_second_save_over_a_newer_version_is_refused_keeping_what_was_typed(
            self, client, client_for, server, db):
        location = create_hearing(client)
        other = client_for(server, "admin")
        mine = form_fields(client.get(f"{location}/edit").text, f"{location}/edit")
        theirs = form_fields(other.get(f"{location}/edit").text, f"{location}/edit")
        assert client.post(f"{location}/edit",
                           data=browser_form(mine, title="Clerk's title")).status_code == 303
        refused = other.post(f"{location}/edit",
                             data=browser_form(theirs, title="Administrator's title"))
        assert refused.status_code == 409
        assert "Not saved: someone else changed this hearing" in refused.text
        assert re.search(r"changed by staff at \d{4}-\d\d-\d\d \d\d:\d\d UTC", refused.text)
        assert 'value="Administrator&#39;s title"' in refused.text
        assert stored_hearings(db)[0].title == "Clerk's title"
        # The refused form carries the current version: saving again overwrites knowingly.
        again = form_fields(refused.text, f"{location}/edit")
        assert other.post(f"{location}/edit", data=as_form_data(again)).status_code == 303
        assert stored_hearings(db)[0].title == "Administrator's title"


class TestDelete:
    def test_deleting_removes_the_hearing_and_its_agenda_with_a_trace(self, client, db):
        location = create_hearing(client)
        programme = client.post("/programmes", data=programme_form()).headers["location"]
        client.post(f"{location}/agenda", data={"programme_id": programme.rsplit("/", 1)[1]})
        confirm = client.get(f"{location}/delete")
        assert confirm.status_code == 200 and "agenda of\n  1 item" in confirm.text
        response = client.post(f"{location}/delete")
        assert response.status_code == 303 and response.headers["location"] == "/hearings?deleted=1"
        assert stored_hearings(db) == [] and db.exec(select(AgendaItem)).all() == []
        assert "The hearing was deleted" in client.get("/hearings?deleted=1").text
        assert client.get(location).status_code == 404

    def test_deleting_needs_confidential_clearance(self, client, client_for, server, db):
        location = create_hearing(client)
        http = client_for(server, "staff_public")
        assert "/delete" not in http.get(location).text
        assert http.post(f"{location}/delete").status_code == 403
        assert len(stored_hearings(db)) == 1


def test_a_restricted_hearing_is_marked_and_hidden_from_public_readers(client, client_for,
                                                                       server, db):
    location = create_hearing(client, title="Closed session", classification="restricted")
    assert stored_hearings(db)[0].classification == Classification.RESTRICTED
    page = client.get(location).text
    assert 'class="marking marking-restricted"' in page
    member = client_for(server, "member")
    assert member.get(location).status_code == 404
    assert "Closed session" not in member.get("/hearings").text
