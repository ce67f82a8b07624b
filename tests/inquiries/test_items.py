"""Numbered items changed in place: add, edit, move, remove, paste; as plain forms and as htmx
fragments. A refused change shows its message next to the field and leaves nothing behind."""

import re

import pytest
from sqlmodel import select

from app.models import AnswerItem, AuditEvent, Classification, InquiryItem
from tests.inquiries.inquiry_factories import add_answer, create, id_of, items_of
from tests.programmes.test_create_edit_delete import field_error

HTMX = {"HX-Request": "true"}


@pytest.fixture
def inquiry(client) -> str:
    """A submitted inquiry with items 1 and 2."""
    return create(client, questions="1. Erste Frage?\n2. Zweite Frage?")


def item_ids(db, inquiry_id: int) -> dict[int, int]:
    """Item id by number."""
    db.expire_all()
    return {i.number: i.id for i in db.exec(
        select(InquiryItem).where(InquiryItem.inquiry_id == inquiry_id))}


def is_items_block(html: str) -> bool:
    """Only the items block of the page: the list, its forms and the live region's update."""
    return ("<html" not in html and '<div id="items">' in html
            and 'id="items-status"' in html and 'hx-swap-oob="true"' in html)


def autofocused(html: str) -> list[str]:
    return re.findall(r'<[^>]*\bid="([^"]+)"[^>]*\sautofocus\b', html)


class TestAdd:
    def test_plain_form_adds_the_next_number_and_says_so(self, client, db, inquiry):
        page = client.get(inquiry).text
        assert re.search(r'id="new-item-number" name="number" value="3"', page)
        response = client.post(f"{inquiry}/items", data={"number": "3", "text": "Dritte Frage?",
                                                         "classification": "public"})
        assert response.status_code == 303
        new_id = item_ids(db, id_of(inquiry))[3]
        assert response.headers["location"] == f"{inquiry}?done=added&n=3#item-{new_id}"
        page = client.get(response.headers["location"]).text
        assert "Item 3 was added." in page and "Dritte Frage?" in page
        assert items_of(db, id_of(inquiry))[-1] == (3, "Dritte Frage?")

    def test_htmx_gets_the_items_block_announced_with_focus_on_the_next_question(
            self, client, db, inquiry):
        response = client.post(f"{inquiry}/items", headers=HTMX,
                               data={"number": "3", "text": "Dritte Frage?"})
        assert response.status_code == 200 and is_items_block(response.text)
        assert "Item 3 was added." in response.text and "Dritte Frage?" in response.text
        assert autofocused(response.text) == ["new-item-text"]
        assert re.search(r'id="new-item-number" name="number" value="4"', response.text)

    def test_duplicate_number_is_refused_next_to_the_field_and_nothing_saved(self, client, db,
                                                                            inquiry):
        response = client.post(f"{inquiry}/items", headers=HTMX,
                               data={"number": "2", "text": "Noch eine Frage?"})
        assert response.status_code == 422 and is_items_block(response.text)
        assert "Another item already has number 2" in field_error(response.text, "new-item-number")
        assert "Noch eine Frage?" in response.text  # what was typed
        assert autofocused(response.text) == ["new-item-number"]
        assert items_of(db, id_of(inquiry)) == [(1, "Erste Frage?"), (2, "Zweite Frage?")]

    @pytest.mark.parametrize(("form", "field", "message"), [
        ({"number": "zwei", "text": "x"}, "number", "Enter a whole number from 1 to 999."),
        ({"number": "0", "text": "x"}, "number", "Enter a whole number from 1 to 999."),
        ({"number": "5", "text": " "}, "text", "The question is required."),
        ({"number": "5", "text": "<b>x</b>"}, "text", "must not contain HTML tags"),
    ])
    def test_bad_items_are_refused_on_the_plain_page(self, client, db, inquiry, form, field,
                                                     message):
        response = client.post(f"{inquiry}/items", data=form)
        assert response.status_code == 422 and "<html" in response.text
        assert message in field_error(response.text, f"new-item-{field}")
        assert len(items_of(db, id_of(inquiry))) == 2

    def test_an_item_is_never_marked_below_its_inquiry(self, client, db):
        location = create(client, classification="restricted")
        client.post(f"{location}/items", data={"number": "1", "text": "Frage?",
                                               "classification": "public"})
        db.expire_all()
        assert db.exec(select(InquiryItem)).one().classification == Classification.RESTRICTED
        assert '<option value="public"' not in client.get(location).text.split('id="new-item"')[1]

    def test_nor_above_its_authors_clearance(self, server, client_for, client, db, inquiry):
        response = client_for(server, "staff_public").post(
            f"{inquiry}/items",
            data={"number": "3", "text": "Frage?", "classification": "restricted"})
        assert response.status_code == 422
        assert "above your own clearance" in field_error(response.text, "new-item-classification")


class TestEdit:
    def test_htmx_swaps_the_row_for_its_form_and_back(self, client, db, inquiry):
        first = item_ids(db, id_of(inquiry))[1]
        form = client.get(f"{inquiry}/items/{first}/edit", headers=HTMX)
        assert form.status_code == 200 and "<html" not in form.text
        assert form.text.strip().startswith(f'<li id="item-{first}"')
        assert autofocused(form.text) == [f"item-{first}-number"]
        assert "Erste Frage?</textarea>" in form.text

        saved = client.post(f"{inquiry}/items/{first}/edit", headers=HTMX, data={
            "number": "1", "text": "Erste Frage, genauer?", "classification": "public"})
        assert saved.status_code == 200 and is_items_block(saved.text)
        assert "Item 1 was saved." in saved.text
        assert autofocused(saved.text) == [f"edit-item-{first}"]
        assert items_of(db, id_of(inquiry))[0] == (1, "Erste Frage, genauer?")

    def test_without_javascript_the_form_opens_in_the_page(self, client, db, inquiry):
        first = item_ids(db, id_of(inquiry))[1]
        page = client.get(f"{inquiry}/items/{first}/edit")
        assert "<html" in page.text and "<legend>Edit item 1</legend>" in page.text
        assert "Zweite Frage?" in page.text  # the other items are still shown
        response = client.post(f"{inquiry}/items/{first}/edit",
                               data={"number": "7", "text": "Erste Frage?"})
        assert response.status_code == 303
        assert items_of(db, id_of(inquiry)) == [(2, "Zweite Frage?"), (7, "Erste Frage?")]

    def test_duplicate_number_is_refused_and_nothing_changes(self, client, db, inquiry):
        first = item_ids(db, id_of(inquiry))[1]
        response = client.post(f"{inquiry}/items/{first}/edit", headers=HTMX,
                               data={"number": "2", "text": "Geänderter Text"})
        assert response.status_code == 422 and is_items_block(response.text)
        assert "Another item already has number 2" in field_error(response.text,
                                                                  f"item-{first}-number")
        assert "Geänderter Text</textarea>" in response.text
        assert items_of(db, id_of(inquiry)) == [(1, "Erste Frage?"), (2, "Zweite Frage?")]

    def test_cancel_returns_to_the_row(self, client, db, inquiry):
        first = item_ids(db, id_of(inquiry))[1]
        response = client.post(f"{inquiry}/items/{first}/edit", headers=HTMX,
                               data={"action": "cancel", "number": "x"})
        assert response.status_code == 200 and autofocused(response.text) == [f"edit-item-{first}"]
        assert client.post(f"{inquiry}/items/{first}/edit",
                           data={"action": "cancel"}).status_code == 303

    def test_an_item_of_another_inquiry_is_not_found(self, client, db, inquiry):
        other = create(client, questions="1. Fremd?")
        foreign = item_ids(db, id_of(other))[1]
        assert client.get(f"{inquiry}/items/{foreign}/edit").status_code == 404


class TestMove:
    def test_moving_swaps_numbers_and_keeps_the_focus_on_the_button(self, client, db, inquiry):
        ids = item_ids(db, id_of(inquiry))
        response = client.post(f"{inquiry}/items/{ids[2]}/move", headers=HTMX,
                               data={"direction": "up"})
        assert response.status_code == 200 and is_items_block(response.text)
        assert "The item is now number 1." in response.text
        # At the top it cannot go further up: the focus moves to its other button.
        assert autofocused(response.text) == [f"move-down-{ids[2]}"]
        assert items_of(db, id_of(inquiry)) == [(1, "Zweite Frage?"), (2, "Erste Frage?")]
        assert f'id="move-up-{ids[2]}"' not in response.text

        response = client.post(f"{inquiry}/items/{ids[2]}/move", data={"direction": "down"})
        assert response.status_code == 303
        assert items_of(db, id_of(inquiry)) == [(1, "Erste Frage?"), (2, "Zweite Frage?")]

    def test_moving_past_the_end_changes_nothing(self, client, db, inquiry):
        ids = item_ids(db, id_of(inquiry))
        assert client.post(f"{inquiry}/items/{ids[1]}/move",
                           data={"direction": "up"}).status_code == 303
        assert client.post(f"{inquiry}/items/{ids[1]}/move",
                           data={"direction": "sideways"}).status_code == 303
        assert items_of(db, id_of(inquiry)) == [(1, "Erste Frage?"), (2, "Zweite Frage?")]


class TestRemove:
    def test_removing_keeps_the_other_numbers(self, client, db):
        location = create(client, questions="1. Eins?\n2. Zwei?\n3. Drei?")
        ids = item_ids(db, id_of(location))
        response = client.post(f"{location}/items/{ids[2]}/delete", headers=HTMX)
        assert response.status_code == 200 and is_items_block(response.text)
        assert "Item 2 was removed." in response.text
        assert autofocused(response.text) == ["items-heading"]
        assert items_of(db, id_of(location)) == [(1, "Eins?"), (3, "Drei?")]

    def test_removing_an_answered_item_removes_its_answer_and_records_both(self, client, db,
                                                                          inquiry):
        add_answer(db, id_of(inquiry))
        ids = item_ids(db, id_of(inquiry))
        assert client.post(f"{inquiry}/items/{ids[2]}/delete").status_code == 303
        db.expire_all()
        assert [a.item_id for a in db.exec(select(AnswerItem))] == [ids[1]]
        deleted = {e.record_type for e in db.exec(select(AuditEvent).where(
            AuditEvent.action == "delete"))}
        assert deleted == {"inquiry_item", "answer_item"}

    def test_editors_without_full_clearance_remove_items_of_drafts_only(self, server, client_for,
                                                                       client, db, inquiry):
        public_staff = client_for(server, "staff_public")
        ids = item_ids(db, id_of(inquiry))
        assert public_staff.post(f"{inquiry}/items/{ids[1]}/delete").status_code == 403
        assert "Remove<span" not in public_staff.get(inquiry).text
        draft = create(client, submitted_on="", questions="1. Entwurf?")
        draft_item = item_ids(db, id_of(draft))[1]
        assert public_staff.post(f"{draft}/items/{draft_item}/delete").status_code == 303
        assert items_of(db, id_of(draft)) == []


class TestPaste:
    def test_pasted_questions_are_appended_in_order(self, client, db, inquiry):
        response = client.post(f"{inquiry}/items/paste", headers=HTMX, data={
            "questions": "1. Wer?\n2. Wann?\n3) Wo\nund warum?", "classification": "public"})
        assert response.status_code == 200 and is_items_block(response.text)
        assert "3 items were added from the pasted text." in response.text
        assert items_of(db, id_of(inquiry)) == [
            (1, "Erste Frage?"), (2, "Zweite Frage?"), (3, "Wer?"), (4, "Wann?"),
            (5, "Wo und warum?")]
        assert autofocused(response.text) == [f"edit-item-{item_ids(db, id_of(inquiry))[3]}"]

    def test_plain_form_redirects_with_the_count(self, client, db, inquiry):
        response = client.post(f"{inquiry}/items/paste", data={"questions": "1. Wer?"})
        assert response.status_code == 303
        assert "1 item was added from the pasted text." in client.get(response.headers["location"]).text

    def test_text_without_numbers_is_refused_and_kept(self, client, db, inquiry):
        response = client.post(f"{inquiry}/items/paste", headers=HTMX,
                               data={"questions": "Keine Nummern hier."})
        assert response.status_code == 422
        assert "No numbered questions were found" in field_error(response.text, "paste-questions")
        assert "Keine Nummern hier.</textarea>" in response.text
        assert len(items_of(db, id_of(inquiry))) == 2
