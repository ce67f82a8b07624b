"""A hearing's agenda edited in place: with plain forms and with htmx, and with programmes some
readers may not see."""

import re
from dataclasses import dataclass

import pytest
from sqlmodel import select

from app.hearings import service as hearings
from app.hearings.forms import HearingInput
from app.models import AgendaItem, Classification, Hearing
from tests.forms import as_form_data, form_fields, with_values
from tests.safeguards.builders import programme

HTMX = {"HX-Request": "true"}


@dataclass
class Scene:
    hearing: int
    public: list[int]   # three public programmes, PUB-A, PUB-B, PUB-C
    hidden: int         # a restricted programme, RES-HIDDEN

    @property
    def url(self) -> str:
        return f"/hearings/{self.hearing}"


@pytest.fixture
def scene(server, db) -> Scene:
    hearing = hearings.create_hearing(db, HearingInput.model_validate({
        "committee": "Committee on Foreign Affairs", "title": "Sahel programmes",
        "held_on": "2026-03-19"}))
    found = Scene(hearing.id, [programme(db, f"PUB-{x}") for x in "ABC"],
                  programme(db, "RES-HIDDEN", Classification.RESTRICTED))
    db.commit()
    return found


def add(http, scene: Scene, programme_id: int, headers=None, **extra):
    return http.post(f"{scene.url}/agenda", data={"programme_id": str(programme_id), **extra},
                     headers=headers or {})


def agenda_codes(html: str) -> list[str]:
    section = html.split('id="agenda"', 1)[1]
    return re.findall(r'<span class="ref">([A-Z-]+)</span>', section)


def autofocused(html: str) -> list[str]:
    return re.findall(r'<[^>]*\bid="([^"]+)"[^>]*\sautofocus\b', html)


def stored_items(db) -> list[AgendaItem]:
    db.expire_all()
    return list(db.exec(select(AgendaItem).order_by(AgendaItem.position, AgendaItem.id)))


def item_of(db, programme_id: int) -> int:
    return next(i.id for i in stored_items(db) if i.programme_id == programme_id)


class TestWithoutJavaScript:
    def test_programmes_are_added_in_order_with_their_figures(self, client, scene, db):
        for programme_id in scene.public:
            response = add(client, scene, programme_id)
            assert response.status_code == 303
            assert response.headers["location"] == f"{scene.url}#agenda"
        page = client.get(scene.url).text
        assert agenda_codes(page) == ["PUB-A", "PUB-B", "PUB-C"]
        assert f'href="/programmes/{scene.public[0]}"' in page
        assert "Active" in page and "European Peace Facility" in page
        assert [i.position for i in stored_items(db)] == [1, 2, 3]

    def test_the_choice_lists_only_programmes_not_yet_on_the_agenda(self, client, scene):
        add(client, scene, scene.public[0])
        fields = form_fields(client.get(scene.url).text, f"{scene.url}/agenda")
        assert ("programme_id", "") in fields
        choices = client.get(scene.url).text.split('id="programme_id"')[1].split("</select>")[0]
        assert "PUB-B" in choices and "PUB-A" not in choices

    def test_an_agenda_note_is_kept(self, client, scene):
        add(client, scene, scene.public[0], note="Ask about end-use checks")
        assert "Ask about end-use checks" in client.get(scene.url).text

    def test_a_programme_already_on_the_agenda_is_refused_clearly(self, client, scene, db):
        add(client, scene, scene.public[0])
        response = add(client, scene, scene.public[0])
        assert response.status_code == 422
        assert "PUB-A is already on this hearing&#39;s agenda." in response.text
        assert len(stored_items(db)) == 1

    def test_no_programme_chosen_or_one_that_does_not_exist_is_refused(self, client, scene, db):
        for chosen in ("", "999999", "abc"):
            response = client.post(f"{scene.url}/agenda", data={"programme_id": chosen})
            assert response.status_code == 422
            assert "Choose a programme from the list." in response.text
        assert stored_items(db) == []

    def test_items_move_up_and_down_and_stay_put_at_the_ends(self, client, scene, db):
        for programme_id in scene.public:
            add(client, scene, programme_id)
        c = item_of(db, scene.public[2])
        response = client.post(f"{scene.url}/agenda/{c}/move", data={"direction": "up"})
        assert response.status_code == 303
        assert response.headers["location"] == f"{scene.url}#agenda-item-{c}"
        assert agenda_codes(client.get(scene.url).text) == ["PUB-A", "PUB-C", "PUB-B"]
        a = item_of(db, scene.public[0])
        client.post(f"{scene.url}/agenda/{a}/move", data={"direction": "down"})
        assert agenda_codes(client.get(scene.url).text) == ["PUB-C", "PUB-A", "PUB-B"]
        client.post(f"{scene.url}/agenda/{c}/move", data={"direction": "up"})  # already first
        page = client.get(scene.url).text
        assert agenda_codes(page) == ["PUB-C", "PUB-A", "PUB-B"]
        assert f'id="move-up-{c}"' not in page and f'id="move-down-{c}"' in page

    def test_an_item_is_removed_and_the_programme_stays_in_the_register(self, client, scene, db):
        add(client, scene, scene.public[0])
        add(client, scene, scene.public[1])
        response = client.post(f"{scene.url}/agenda/{item_of(db, scene.public[0])}/delete")
        assert response.status_code == 303
        assert agenda_codes(client.get(scene.url).text) == ["PUB-B"]
        assert client.get(f"/programmes/{scene.public[0]}").status_code == 200

    def test_an_item_of_another_hearing_is_not_found_here(self, client, scene, db):
        add(client, scene, scene.public[0])
        other = client.post("/hearings", data={"committee": "C", "title": "Other",
                                               "held_on": "2026-04-01", "classification": "public"})
        item = item_of(db, scene.public[0])
        other_url = other.headers["location"]
        assert client.post(f"{other_url}/agenda/{item}/delete").status_code == 404
        assert len(stored_items(db)) == 1

    def test_members_cannot_change_the_agenda(self, client_for, server, scene, db):
        http = client_for(server, "member_confidential")
        assert add(http, scene, scene.public[0]).status_code == 403
        assert 'id="agenda-add"' not in http.get(scene.url).text
        assert stored_items(db) == []


class TestWithHtmx:
    def test_adding_answers_with_the_new_agenda_only(self, client, scene, db):
        response = add(client, scene, scene.public[0], headers=HTMX)
        assert response.status_code == 200
        assert response.text.lstrip().startswith('<p id="agenda-status"')
        assert "The programme was added to the agenda." in response.text
        assert agenda_codes(response.text) == ["PUB-A"]
        assert "<html" not in response.text and len(stored_items(db)) == 1

    def test_a_refused_addition_comes_back_in_the_fragment_with_its_message(self, client, scene,
                                                                            db):
        add(client, scene, scene.public[0])
        response = add(client, scene, scene.public[0], headers=HTMX, note="typed note")
        # htmx swaps only successful answers; the message is in the swapped agenda.
        assert response.status_code == 200 and "<html" not in response.text
        assert "is already on this hearing&#39;s agenda" in response.text
        assert 'value="typed note"' in response.text
        assert len(stored_items(db)) == 1

    def test_moving_and_removing_answer_with_the_agenda(self, client, scene, db):
        for programme_id in scene.public[:2]:
            add(client, scene, programme_id)
        b = item_of(db, scene.public[1])
        moved = client.post(f"{scene.url}/agenda/{b}/move", data={"direction": "up"},
                            headers=HTMX)
        assert moved.status_code == 200 and agenda_codes(moved.text) == ["PUB-B", "PUB-A"]
        removed = client.post(f"{scene.url}/agenda/{b}/delete", headers=HTMX)
        assert removed.status_code == 200 and agenda_codes(removed.text) == ["PUB-A"]

    def test_the_focus_stays_where_the_keyboard_user_will_want_it(self, client, scene, db):
        # The swap replaces the button pressed: the new agenda says where the focus goes.
        for programme_id in scene.public:
            added = add(client, scene, programme_id, headers=HTMX)
            assert autofocused(added.text) == ["programme_id"]  # ready to add another
        a, c = item_of(db, scene.public[0]), item_of(db, scene.public[2])

        def move(item: int, direction: str) -> list[str]:
            return autofocused(client.post(f"{scene.url}/agenda/{item}/move",
                                           data={"direction": direction}, headers=HTMX).text)

        assert move(a, "down") == [f"move-down-{a}"]
        assert move(a, "up") == [f"move-down-{a}"]   # first again: only "down" is left
        assert move(c, "down") == [f"move-up-{c}"]   # already last
        removed = client.post(f"{scene.url}/agenda/{c}/delete", headers=HTMX)
        assert autofocused(removed.text) == ["agenda-heading"]
        assert autofocused(client.get(scene.url).text) == []  # a page load leaves focus alone

    def test_the_agenda_forms_carry_htmx_and_plain_form_attributes(self, client, scene):
        add(client, scene, scene.public[0])
        page = client.get(scene.url).text
        assert f'method="post" action="{scene.url}/agenda"' in page
        assert f'hx-post="{scene.url}/agenda" hx-target="#agenda" hx-swap="outerHTML"' in page
        assert page.count('name="csrf_token"') >= 3  # add, move down... and remove


class TestHiddenProgrammes:
    def test_an_item_naming_a_hidden_programme_is_neither_shown_nor_counted(
            self, client, client_for, server, scene):
        add(client, scene, scene.public[0])
        add(client, scene, scene.hidden)
        assert agenda_codes(client.get(scene.url).text) == ["PUB-A", "RES-HIDDEN"]
        member = client_for(server, "member")
        page = member.get(scene.url).text
        assert agenda_codes(page) == ["PUB-A"] and "RES-HIDDEN" not in page
        row = re.search(r">Sahel programmes</a>.*?</tr>", member.get("/hearings").text, re.S)
        assert '<td class="num">1</td>' in row.group(0)
        row = re.search(r">Sahel programmes</a>.*?</tr>", client.get("/hearings").text, re.S)
        assert '<td class="num">2</td>' in row.group(0)

    def test_a_hidden_item_answers_as_if_it_did_not_exist(self, client, client_for, server,
                                                          scene, db):
        add(client, scene, scene.hidden)
        hidden = item_of(db, scene.hidden)
        http = client_for(server, "staff_public")
        for action, data in (("move", {"direction": "up"}), ("delete", {})):
            assert http.post(f"{scene.url}/agenda/{hidden}/{action}", data=data).status_code \
                == http.post(f"{scene.url}/agenda/999999/{action}", data=data).status_code == 404
        assert len(stored_items(db)) == 1

    def test_a_public_editor_keeps_hidden_items_and_their_places(self, client, client_for,
                                                                 server, scene, db):
        for programme_id in (scene.public[0], scene.hidden, scene.public[1]):
            add(client, scene, programme_id)
        http = client_for(server, "staff_public")
        # Edit the hearing itself...
        fields = form_fields(http.get(f"{scene.url}/edit").text, f"{scene.url}/edit")
        response = http.post(f"{scene.url}/edit",
                             data=as_form_data(with_values(fields, title="Renamed")))
        assert response.status_code == 303, response.text
        # ...and reorder and extend the agenda as far as they see it.
        b = item_of(db, scene.public[1])
        assert http.post(f"{scene.url}/agenda/{b}/move", data={"direction": "up"}
                         ).status_code == 303
        assert add(http, scene, scene.public[2]).status_code == 303
        assert agenda_codes(http.get(scene.url).text) == ["PUB-B", "PUB-A", "PUB-C"]
        by_programme = {i.programme_id: i.position for i in stored_items(db)}
        assert by_programme[scene.hidden] == 2  # untouched
        assert agenda_codes(client.get(scene.url).text) == ["PUB-B", "RES-HIDDEN", "PUB-A",
                                                            "PUB-C"]
        db.expire_all()
        assert db.get(Hearing, scene.hearing).title == "Renamed"

    def test_the_hidden_programme_is_not_offered_to_a_public_editor(self, client_for, server,
                                                                    scene):
        page = client_for(server, "staff_public").get(scene.url).text
        assert "RES-HIDDEN" not in page and "PUB-A" in page
