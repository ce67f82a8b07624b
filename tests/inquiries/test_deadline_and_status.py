"""The inquiry page explains its due date; extensions only move it later; withdrawal and its
undoing change the derived status. Through the forms, as a clerk uses them."""

from sqlmodel import select

from app.models import DeadlineExtension, Inquiry
from tests.inquiries.inquiry_factories import add_answer, create, id_of, stored
from tests.programmes.test_create_edit_delete import field_error


def status_badge(page: str) -> str:
    import re
    return re.search(r'<span class="badge inquiry-status [^"]+">([^<]+)</span>', page).group(1)


class TestDueDate:
    def test_page_explains_how_the_due_date_was_computed(self, client):
        page = client.get(create(client, submitted_on="2026-03-01")).text
        assert "14 calendar days from Sunday 2026-03-01: Sunday 2026-03-15." in page
        assert ("That is a Sunday. The deadline moves to the next working day: "
                "Monday 2026-03-16.") in page
        assert "Rule: GO-BT § 104(2): answer within 14 days" in page
        assert "Due <strong>16 March 2026</strong> (Monday)" in page

    def test_a_holiday_is_named_in_the_explanation(self, client):
        # Written question, one week: Good Friday 2026 is 3 April.
        page = client.get(create(client, inquiry_type="written_question",
                                 submitted_on="2026-03-27")).text
        assert "That is Good Friday, a public holiday in DE-BE" in page
        assert "Easter Monday" in page and "Tuesday 2026-04-07" in page

    def test_a_type_without_deadline_says_so(self, client):
        page = client.get(create(client, inquiry_type="letter")).text
        assert "Letter: no fixed deadline" in page and "No due date." in page


class TestExtensions:
    def test_an_extension_moves_the_due_date_and_is_listed_with_its_reason(self, client, db):
        location = create(client, submitted_on="2026-03-01")
        response = client.post(f"{location}/extensions", data={
            "new_due_date": "2026-03-30", "reason": "Agreed with the askers on 2026-03-12"})
        assert response.status_code == 303
        assert response.headers["location"] == f"{location}?done=extended#deadline"
        page = client.get(response.headers["location"]).text
        assert "The deadline was extended." in page
        assert "Extended to Monday 2026-03-30: Agreed with the askers on 2026-03-12" in page
        assert "Due <strong>30 March 2026</strong>" in page

    def test_an_extension_never_moves_it_earlier(self, client, db):
        location = create(client, submitted_on="2026-03-01")
        for day in ("2026-03-10", "2026-03-16"):
            response = client.post(f"{location}/extensions",
                                   data={"new_due_date": day, "reason": "Earlier?"})
            assert response.status_code == 422
            assert ("An extension must be later than the current due date (2026-03-16)."
                    in field_error(response.text, "new_due_date"))
            assert f'value="{day}"' in response.text and 'value="Earlier?"' in response.text
        assert db.exec(select(DeadlineExtension)).all() == []

    def test_date_and_reason_are_both_required(self, client, db):
        location = create(client)
        response = client.post(f"{location}/extensions", data={"new_due_date": "", "reason": ""})
        assert response.status_code == 422
        assert "Enter the new due date." in field_error(response.text, "new_due_date")
        assert "The reason is required." in field_error(response.text, "reason")

    def test_a_draft_has_nothing_to_extend(self, client, db):
        location = create(client, submitted_on="")
        assert 'action="{}/extensions"'.format(location) not in client.get(location).text
        response = client.post(f"{location}/extensions",
                               data={"new_due_date": "2026-05-01", "reason": "x"})
        assert response.status_code == 422
        assert "A draft has no deadline to extend" in field_error(response.text, "new_due_date")
        assert db.exec(select(DeadlineExtension)).all() == []


class TestWithdrawal:
    def test_withdrawing_makes_the_status_withdrawn_and_undoing_restores_it(self, client, db):
        location = create(client, submitted_on="2026-03-01")
        response = client.post(f"{location}/withdraw", data={"withdrawn_on": "2026-03-05"})
        assert response.status_code == 303
        page = client.get(response.headers["location"]).text
        assert status_badge(page) == "Withdrawn"
        assert "The inquiry is marked withdrawn." in page and "5 March 2026" in page
        assert stored(db, id_of(location)).withdrawn_on.isoformat() == "2026-03-05"

        assert client.post(f"{location}/withdraw/undo").status_code == 303
        assert status_badge(client.get(location).text) != "Withdrawn"
        assert stored(db, id_of(location)).withdrawn_on is None

    def test_cannot_be_withdrawn_before_it_was_submitted(self, client, db):
        location = create(client, submitted_on="2026-03-01")
        response = client.post(f"{location}/withdraw", data={"withdrawn_on": "2026-02-27"})
        assert response.status_code == 422
        assert "cannot be withdrawn before it was submitted (2026-03-01)" in field_error(
            response.text, "withdrawn_on")
        assert stored(db, id_of(location)).withdrawn_on is None

    def test_a_draft_cannot_be_withdrawn(self, client, db):
        location = create(client, submitted_on="")
        response = client.post(f"{location}/withdraw", data={"withdrawn_on": "2026-03-05"})
        assert response.status_code == 422 and "delete it instead" in response.text
        assert stored(db, id_of(location)).withdrawn_on is None


class TestAnswerShown:
    def test_the_answer_and_each_assessment_are_shown_read_only(self, client, db):
        location = create(client, questions="1. Welche Einheiten?\n2. Welche Waffen?")
        add_answer(db, id_of(location), annex=True)
        page = client.get(location).text
        assert status_badge(page) == "Partially answered"
        assert "Drucksache 20/4600" in page and "14 March 2026" in page
        assert "part of the answer is in a classified annex" in page
        assert '<a href="/attachments/' in page and "2004600.pdf" in page
        assert "12 pages, 2.1 MB" in page
        assert "Antwort zu Frage 1." in page and "Antwort zu Frage 2." in page
        assert ">Complete</span>" in page and ">Refused</span>" in page
        assert "Reason: Classified / state interest" in page and "Follow-up needed" in page
        assert "Note: Refers to the annex." in page
        assert f'href="{location}/answer">Edit the answer and assessments' in page
        assert f'action="{location}/follow-up"' in page
        # No deadline to extend once answered.
        assert f'action="{location}/extensions"' not in page

    def test_an_open_inquiry_offers_to_log_the_answer(self, client, server, client_for):
        location = create(client)
        page = client.get(location).text
        assert f'href="{location}/answer">Log the answer' in page
        assert f'action="{location}/follow-up"' not in page
        assert "Log the answer" not in client_for(server, "member").get(location).text


class TestDelete:
    def test_deleting_removes_every_part_and_unlinks_follow_ups(self, client, db):
        location = create(client, questions="1. Eins?\n2. Zwei?")
        client.post(f"{location}/extensions", data={"new_due_date": "2026-04-30", "reason": "x"})
        add_answer(db, id_of(location))
        follow_up = id_of(create(client, title="Nachfrage"))
        db.get(Inquiry, follow_up).follow_up_of_id = id_of(location)
        db.commit()
        page = client.get(location).text
        assert "Follow-ups" in page and "Nachfrage" in page
        confirm = client.get(f"{location}/delete").text
        assert "2 items" in confirm and "1 follow-up inquiry will stay" in confirm

        response = client.post(f"{location}/delete")
        assert response.status_code == 303
        assert response.headers["location"] == "/inquiries?deleted=1"
        assert stored(db, id_of(location)) is None
        assert stored(db, follow_up).follow_up_of_id is None
        assert client.get(location).status_code == 404
        # (every part's delete event is checked after each test by conftest)

    def test_deleting_needs_full_clearance(self, client, server, client_for, db):
        location = create(client)
        public_staff = client_for(server, "staff_public")
        assert public_staff.get(f"{location}/delete").status_code == 403
        assert public_staff.post(f"{location}/delete").status_code == 403
        assert f'href="{location}/delete"' not in public_staff.get(location).text
        assert stored(db, id_of(location)) is not None
