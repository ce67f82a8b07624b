"""Logging an answer over HTTP: the form, assessments item by item, a pasted answer split into
items, everything refused with a clear message and nothing half-saved, stale saves, clearance."""

import re
from datetime import timedelta

import pytest
from sqlmodel import select

from app import clock
from app.models import Answer, AnswerItem, Assessment, AuditEvent, Classification, RefusalReason
from tests.inquiries.answer_world import (
    SUBMITTED, answer_fields, answer_form, item_ids, item_values, store_answer, store_inquiry,
    stored_answer, stored_answer_items,
)

RECEIVED = (SUBMITTED + timedelta(days=12)).isoformat()


@pytest.fixture
def inquiry_id(empty_db) -> int:
    return store_inquiry(empty_db, items=3)


def save(client, inquiry_id, fields):
    return client.post(f"/inquiries/{inquiry_id}/answer", data=fields)


def error_of(html: str, field: str) -> str:
    """The message shown next to a field (empty if none)."""
    match = re.search(rf'id="{re.escape(field)}-error"><span class="visually-hidden">Error:</span>'
                      r"\s*([^<]*)</p>", html)
    return match.group(1).strip() if match else ""


class TestLoggingAnAnswer:
    def test_the_form_shows_every_question_with_the_fields_of_its_answer(self, client,
                                                                          inquiry_id):
        page = client.get(f"/inquiries/{inquiry_id}/answer").text
        assert "Log the answer" in page
        for number in (1, 2, 3):
            assert f"Question text {number}: which units were trained?" in page
        assert page.count(">Not assessed yet<") == 3
        assert "Classified / state interest" in page
        # The lead ministry is proposed as the one answering.
        assert re.search(r'<option value="\d+" selected>AA – Auswärtiges Amt', page)

    def test_an_assessed_answer_is_stored_item_by_item(self, client, inquiry_id, db):
        ids = item_ids(db, inquiry_id)
        fields = answer_form(
            client, inquiry_id, received_on=RECEIVED, reference="Drucksache 20/5700",
            has_classified_annex="on", notes="Answer came late in the afternoon.",
            **item_values(ids, 1, text="Police units of the G5 states.", assessment="complete"),
            **item_values(ids, 2, text="We do not comment.", assessment="refused",
                          refusal_reason="classified", assessment_note="Annex promised",
                          follow_up="on"),
        )
        response = save(client, inquiry_id, fields)
        assert response.status_code == 303, response.text
        assert response.headers["location"] == f"/inquiries/{inquiry_id}"
        answer = stored_answer(db, inquiry_id)
        assert (answer.received_on.isoformat(), answer.reference, answer.has_classified_annex,
                answer.notes) == (RECEIVED, "Drucksache 20/5700", True,
                                  "Answer came late in the afternoon.")
        assert answer.ministry_id is not None
        items = stored_answer_items(db, inquiry_id)
        assert set(items) == {1, 2}  # nothing typed for question 3: no row
        assert items[1].assessment == Assessment.COMPLETE and items[1].refusal_reason is None
        assert (items[2].assessment, items[2].refusal_reason, items[2].assessment_note,
                items[2].follow_up) == (Assessment.REFUSED, RefusalReason.CLASSIFIED,
                                        "Annex promised", True)

    def test_editing_changes_the_stored_items_in_place(self, client, inquiry_id, db):
        ids = item_ids(db, inquiry_id)
        save(client, inquiry_id, answer_form(client, inquiry_id, received_on=RECEIVED,
             **item_values(ids, 1, text="First version.", assessment="partial")))
        first = stored_answer_items(db, inquiry_id)[1].id
        page = client.get(f"/inquiries/{inquiry_id}/answer").text
        assert "Edit the answer" in page and "First version." in page
        response = save(client, inquiry_id, answer_form(
            client, inquiry_id, **item_values(ids, 1, text="Second version.",
                                              assessment="evasive")))
        assert response.status_code == 303
        items = stored_answer_items(db, inquiry_id)
        assert (items[1].id, items[1].text, items[1].assessment) == (
            first, "Second version.", Assessment.EVASIVE)
        assert stored_answer(db, inquiry_id).version == 2
        assert {e.action.value for e in db.exec(select(AuditEvent).where(
            AuditEvent.record_type == "answer_item"))} == {"create", "update"}


class TestPastedAnswer:
    PASTED = ("Vorbemerkung der Bundesregierung: Die Bundesregierung beantwortet die Fragen im "
              "Zusammenhang.\n\nZu Frage 1:\nDie Polizei der G5-Staaten.\n\nZu Frage 2:\nKeine "
              "Angaben.\n\nZu Frage 3:\nSeit 2021.\n\nZu Frage 4:\nDiese Nummer gibt es nicht.")

    def test_filling_from_the_pasted_text_matches_numbers_and_keeps_strays(self, client,
                                                                          inquiry_id, db):
        ids = item_ids(db, inquiry_id)
        fields = answer_form(client, inquiry_id, paste=self.PASTED, action="split",
                             **item_values(ids, 3, text="Typed by hand."))
        page = save(client, inquiry_id, fields)
        assert page.status_code == 200
        assert "Filled the answers to questions 1, 2, 3 from the pasted text." in page.text
        assert "Number 4 matches no question of this inquiry." in page.text
        assert "preliminary remark) was added to the notes" in page.text
        refilled = answer_fields(page.text)
        assert refilled[f"item-{ids[1]}-text"] == "Die Polizei der G5-Staaten."
        assert refilled[f"item-{ids[2]}-text"] == "Keine Angaben."
        assert refilled[f"item-{ids[3]}-text"] == "Seit 2021."  # the pasted text wins
        assert refilled["notes"].startswith("Vorbemerkung der Bundesregierung")
        assert refilled["paste"] == "4. Diese Nummer gibt es nicht."
        assert stored_answer(db, inquiry_id) is None  # filling saves nothing

    def test_htmx_gets_only_the_form_back(self, client, inquiry_id):
        fields = answer_form(client, inquiry_id, paste="1. Yes.", action="split")
        page = client.post(f"/inquiries/{inquiry_id}/answer", data=fields,
                           headers={"HX-Request": "true"})
        assert page.status_code == 200
        assert 'id="answer-form-block"' in page.text and "<header" not in page.text
        assert "Filled the answer to question 1" in page.text

    def test_saving_with_numbers_that_match_no_question_saves_nothing(self, client,
                                                                     inquiry_id, db):
        fields = answer_form(client, inquiry_id, received_on=RECEIVED, paste=self.PASTED)
        response = save(client, inquiry_id, fields)
        assert response.status_code == 422
        assert "answers numbered 4, which match no question" in error_of(response.text, "paste")
        assert "its questions are numbered 1–3" in response.text
        assert stored_answer(db, inquiry_id) is None

    def test_saving_a_pasted_answer_fills_the_questions(self, client, inquiry_id, db):
        fields = answer_form(client, inquiry_id, received_on=RECEIVED,
                             paste="1. Die Polizei.\n2. Keine Angaben.\n3. Seit 2021.")
        assert save(client, inquiry_id, fields).status_code == 303
        items = stored_answer_items(db, inquiry_id)
        assert [items[n].text for n in (1, 2, 3)] == ["Die Polizei.", "Keine Angaben.",
                                                      "Seit 2021."]


class TestBadInput:
    def test_received_before_the_inquiry_was_submitted(self, client, inquiry_id, db):
        before = (SUBMITTED - timedelta(days=1)).isoformat()
        response = save(client, inquiry_id, answer_form(client, inquiry_id, received_on=before))
        assert response.status_code == 422
        assert ("The answer cannot have been received before the inquiry was submitted "
                f"({SUBMITTED.isoformat()})") in error_of(response.text, "received_on")
        assert "There is a problem with this form" in response.text
        assert stored_answer(db, inquiry_id) is None

    def test_an_answer_to_a_draft_inquiry(self, client, empty_db, db):
        draft = store_inquiry(empty_db, submitted_on=None, reference="")
        page = client.get(f"/inquiries/{draft}/answer").text
        assert "This inquiry is still a draft" in page
        response = save(client, draft, answer_form(client, draft, received_on=RECEIVED))
        assert response.status_code == 422
        assert "This inquiry is still a draft" in error_of(response.text, "received_on")
        assert stored_answer(db, draft) is None

    def test_received_in_the_future(self, client, inquiry_id, db):
        tomorrow = (clock.today() + timedelta(days=1)).isoformat()
        response = save(client, inquiry_id, answer_form(client, inquiry_id,
                                                        received_on=tomorrow))
        assert response.status_code == 422
        assert "The received date is in the future" in error_of(response.text, "received_on")
        assert stored_answer(db, inquiry_id) is None

    @pytest.mark.parametrize("typed", ["", "15.03.2024", "2024-02-30"])
    def test_a_missing_or_unreal_date(self, client, inquiry_id, typed):
        response = save(client, inquiry_id, answer_form(client, inquiry_id, received_on=typed))
        assert response.status_code == 422
        assert "YYYY-MM-DD" in error_of(response.text, "received_on")

    def test_refused_without_a_reason(self, client, inquiry_id, db):
        ids = item_ids(db, inquiry_id)
        response = save(client, inquiry_id, answer_form(
            client, inquiry_id, received_on=RECEIVED,
            **item_values(ids, 2, text="No comment.", assessment="refused")))
        assert response.status_code == 422
        message = "The item is assessed as refused: give the reason for the refusal."
        assert error_of(response.text, f"item-{ids[2]}-refusal_reason") == message
        assert f"Question 2, refusal reason: {message}" in response.text
        assert "No comment." in response.text  # what was typed comes back
        assert stored_answer(db, inquiry_id) is None

    def test_a_reason_without_refused(self, client, inquiry_id, db):
        ids = item_ids(db, inquiry_id)
        response = save(client, inquiry_id, answer_form(
            client, inquiry_id, received_on=RECEIVED,
            **item_values(ids, 1, text="Police units.", assessment="complete",
                          refusal_reason="third_party_rights")))
        assert response.status_code == 422
        assert error_of(response.text, f"item-{ids[1]}-refusal_reason").startswith(
            "A refusal reason goes only with the assessment “Refused”")
        assert stored_answer(db, inquiry_id) is None

    def test_every_problem_is_reported_at_once_and_nothing_is_saved(self, client, inquiry_id,
                                                                    db):
        ids = item_ids(db, inquiry_id)
        response = save(client, inquiry_id, answer_form(
            client, inquiry_id, received_on="", reference="<b>bold</b>",
            **item_values(ids, 1, text="Fine.", assessment="complete"),
            **item_values(ids, 2, assessment="refused"),
            **item_values(ids, 3, assessment="brilliant")))
        assert response.status_code == 422
        assert "There are 4 problems with this form" in response.text
        assert error_of(response.text, f"item-{ids[3]}-assessment") == (
            "Choose an assessment from the list.")
        assert "must not contain HTML tags" in error_of(response.text, "reference")
        assert stored_answer(db, inquiry_id) is None
        assert db.exec(select(AnswerItem)).all() == []

    def test_no_marking_above_the_authors_clearance(self, server, client_for, inquiry_id, db):
        uncleared = client_for(server, "staff_public")
        response = save(uncleared, inquiry_id, answer_form(
            uncleared, inquiry_id, received_on=RECEIVED, classification="restricted"))
        assert response.status_code == 422
        assert "above your own clearance" in error_of(response.text, "classification")
        assert stored_answer(db, inquiry_id) is None

    def test_an_answer_is_never_marked_below_its_inquiry(self, client, empty_db, db):
        restricted = store_inquiry(empty_db, classification=Classification.RESTRICTED)
        page = client.get(f"/inquiries/{restricted}/answer").text
        assert '<option value="public"' not in page.split('id="classification"')[1].split(
            "</select>")[0]
        response = save(client, restricted, answer_form(
            client, restricted, received_on=RECEIVED, classification="public"))
        assert response.status_code == 422
        assert error_of(response.text, "classification") == (
            "The answer cannot be marked lower than its inquiry (restricted).")


class TestStaleSaves:
    def test_a_save_on_an_outdated_form_is_refused_and_keeps_what_was_typed(self, client,
                                                                           inquiry_id, db):
        ids = item_ids(db, inquiry_id)
        save(client, inquiry_id, answer_form(client, inquiry_id, received_on=RECEIVED))
        mine = answer_form(client, inquiry_id, **item_values(ids, 1, text="My careful text."))
        theirs = answer_form(client, inquiry_id, **item_values(ids, 1, text="Their text."))
        assert save(client, inquiry_id, theirs).status_code == 303
        response = save(client, inquiry_id, mine)
        assert response.status_code == 409
        assert "Not saved: someone else changed this answer" in response.text
        assert "My careful text." in response.text
        assert stored_answer_items(db, inquiry_id)[1].text == "Their text."
        # The form now carries the current version: saving again replaces theirs knowingly.
        again = answer_fields(response.text)
        assert save(client, inquiry_id, again).status_code == 303
        assert stored_answer_items(db, inquiry_id)[1].text == "My careful text."

    def test_two_people_logging_the_same_answer(self, client, inquiry_id, db):
        first = answer_form(client, inquiry_id, received_on=RECEIVED, reference="First")
        second = answer_form(client, inquiry_id, received_on=RECEIVED, reference="Second")
        assert save(client, inquiry_id, first).status_code == 303
        response = save(client, inquiry_id, second)
        assert response.status_code == 409
        assert 'value="Second"' in response.text
        db.expire_all()
        assert [a.reference for a in db.exec(select(Answer))] == ["First"]


class TestClearance:
    def test_items_above_the_editors_clearance_are_not_shown_and_stay_untouched(
            self, server, client_for, empty_db, db):
        inquiry = store_inquiry(empty_db, item_levels={2: Classification.RESTRICTED})
        store_answer(empty_db, inquiry, assessments={
            1: ("Public answer.", Assessment.PARTIAL, None, Classification.PUBLIC),
            2: ("HIDDEN-ANSWER", Assessment.REFUSED, RefusalReason.CLASSIFIED,
                Classification.RESTRICTED),
        })
        uncleared = client_for(server, "staff_public")
        page = uncleared.get(f"/inquiries/{inquiry}/answer").text
        assert "Question text 2" not in page and "HIDDEN-ANSWER" not in page
        ids = item_ids(db, inquiry)
        response = save(uncleared, inquiry, answer_form(
            uncleared, inquiry, notes="Edited without clearance.",
            **item_values(ids, 1, text="Public answer, corrected.", assessment="complete"),
            **{f"item__{ids[2]}__text": "Overwritten?"}))
        assert response.status_code == 303
        items = stored_answer_items(db, inquiry)
        assert items[1].text == "Public answer, corrected."
        assert (items[2].text, items[2].assessment, items[2].classification) == (
            "HIDDEN-ANSWER", Assessment.REFUSED, Classification.RESTRICTED)

    def test_typing_into_a_question_whose_answer_is_held_above_clearance_saves_nothing(
            self, server, client_for, empty_db, db):
        inquiry = store_inquiry(empty_db)
        store_answer(empty_db, inquiry, assessments={
            2: ("HIDDEN-ANSWER", Assessment.EVASIVE, None, Classification.RESTRICTED)})
        uncleared = client_for(server, "staff_public")
        ids = item_ids(db, inquiry)
        response = save(uncleared, inquiry, answer_form(
            uncleared, inquiry, notes="Changed?",
            **item_values(ids, 2, text="A second answer?", assessment="complete")))
        assert response.status_code == 422
        assert "already has an answer held above your clearance" in error_of(response.text,
                                                                              "items")
        assert "HIDDEN-ANSWER" not in response.text
        assert stored_answer(db, inquiry).notes == ""
        assert stored_answer_items(db, inquiry)[2].text == "HIDDEN-ANSWER"

    def test_logging_an_answer_where_one_is_held_above_clearance_saves_nothing(
            self, server, client_for, inquiry_id, db):
        store_answer(server.settings.resolved_database_url, inquiry_id,
                     classification=Classification.RESTRICTED)
        uncleared = client_for(server, "staff_public")
        assert "Log the answer" in uncleared.get(f"/inquiries/{inquiry_id}/answer").text
        response = save(uncleared, inquiry_id, answer_form(
            uncleared, inquiry_id, received_on=RECEIVED, reference="Mine"))
        assert response.status_code == 409
        assert "Someone else has logged an answer to this inquiry" in response.text
        assert 'value="Mine"' in response.text
        answer = stored_answer(db, inquiry_id)
        assert (answer.reference, answer.classification) == ("Drucksache 20/5700",
                                                            Classification.RESTRICTED)

    def test_raising_the_answers_marking_raises_its_items(self, client, inquiry_id, db):
        ids = item_ids(db, inquiry_id)
        save(client, inquiry_id, answer_form(client, inquiry_id, received_on=RECEIVED,
             **item_values(ids, 1, text="Answer.", assessment="complete")))
        response = save(client, inquiry_id, answer_form(client, inquiry_id,
                                                        classification="confidential"))
        assert response.status_code == 303
        assert stored_answer(db, inquiry_id).classification == Classification.CONFIDENTIAL
        assert stored_answer_items(db, inquiry_id)[1].classification == (
            Classification.CONFIDENTIAL)

    def test_a_refused_form_is_marked_as_high_as_what_it_shows_again(self, client, inquiry_id):
        response = save(client, inquiry_id, answer_form(
            client, inquiry_id, received_on="", classification="restricted"))
        assert response.status_code == 422
        assert 'class="marking marking-restricted"' in response.text
