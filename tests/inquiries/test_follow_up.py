"""The staff journey (an inquiry with 10 items, an answer with mixed assessments, the status it
leads to, the follow-up draft quoting what was unsatisfactory) and the follow-up's rules."""

from datetime import timedelta

import pytest
from sqlmodel import select

from app import clock
from app.clearance import read_as_system
from app.inquiries.service import get_inquiry, state_of
from app.inquiries.status import InquiryStatus
from app.models import (
    Assessment, Classification, Inquiry, InquiryItem, InquiryMinistry, InquiryProgramme,
    RefusalReason,
)
from tests.inquiries.answer_world import (
    REFERENCE, SUBMITTED, answer_fields, answer_form, item_ids, item_values, store_answer,
    store_inquiry, store_programme,
)

RECEIVED = (SUBMITTED + timedelta(days=13)).isoformat()
PASTED = "\n\n".join(
    ["Vorbemerkung der Bundesregierung: Die Fragen werden im Zusammenhang beantwortet."]
    + [f"Zu Frage {n}:\nAntwort der Bundesregierung auf Frage {n}." for n in range(1, 11)]
)
# Question number -> (assessment, refusal reason) as the clerk judges the answer.
JUDGED = {1: ("complete", ""), 2: ("complete", ""), 3: ("complete", ""), 4: ("complete", ""),
          5: ("complete", ""), 6: ("partial", ""), 7: ("evasive", ""),
          8: ("refused", "third_party_rights"), 9: ("not_answered", ""), 10: ("complete", "")}


def status_of(db, server, inquiry_id: int) -> InquiryStatus:
    db.expire_all()
    inquiry = get_inquiry(read_as_system(db), inquiry_id)
    return state_of(inquiry, server.settings.working_calendar, clock.today()).status


def follow_up_of(db, inquiry_id: int) -> Inquiry:
    db.expire_all()
    return db.exec(select(Inquiry).where(Inquiry.follow_up_of_id == inquiry_id)).one()


def follow_up_items(db, draft_id: int) -> list[InquiryItem]:
    return list(db.exec(select(InquiryItem).where(InquiryItem.inquiry_id == draft_id)
                        .order_by(InquiryItem.number)))


def test_staff_journey_ten_questions_mixed_answer_and_a_follow_up(server, client, empty_db, db):
    programme = store_programme(empty_db, "EPF-MLI-2024")
    inquiry_id = store_inquiry(empty_db, items=10, programme_ids=(programme,))
    assert status_of(db, server, inquiry_id) == InquiryStatus.OVERDUE  # 20 days, rule is 14

    # The clerk pastes the whole answer, has it split into the ten questions...
    split = client.post(f"/inquiries/{inquiry_id}/answer", data=answer_form(
        client, inquiry_id, paste=PASTED, action="split"))
    assert split.status_code == 200
    assert "Filled the answers to questions 1, 2, 3, 4, 5, 6, 7, 8, 9, 10" in split.text
    # ...then dates it and judges each answer on the same form, and saves.
    ids = item_ids(db, inquiry_id)
    fields = answer_fields(split.text)
    fields.update(received_on=RECEIVED, reference="Drucksache 20/5700")
    for number, (assessment, reason) in JUDGED.items():
        fields[f"item-{ids[number]}-assessment"] = assessment
        fields[f"item-{ids[number]}-refusal_reason"] = reason
    saved = client.post(f"/inquiries/{inquiry_id}/answer", data=fields)
    assert saved.status_code == 303, saved.text
    assert saved.headers["location"] == f"/inquiries/{inquiry_id}"
    assert status_of(db, server, inquiry_id) == InquiryStatus.PARTIALLY_ANSWERED

    page = client.get(f"/inquiries/{inquiry_id}/answer").text
    assert "4 questions are assessed partial, evasive, refused or not answered" in page
    assert "(questions 6, 7, 8, 9)" in page

    response = client.post(f"/inquiries/{inquiry_id}/follow-up")
    assert response.status_code == 303
    draft = follow_up_of(db, inquiry_id)
    assert response.headers["location"] == f"/inquiries/{draft.id}"
    assert status_of(db, server, draft.id) == InquiryStatus.DRAFT
    assert (draft.title, draft.submitted_on, draft.classification) == (
        "Follow-up: Training of the Sahel police units", None, Classification.PUBLIC)
    assert draft.preamble.startswith(
        f"Follow-up to {REFERENCE} («Training of the Sahel police units»), answered on "
        f"{RECEIVED} (Drucksache 20/5700).")
    original = db.get(Inquiry, inquiry_id)
    assert (draft.inquiry_type_id, draft.asked_by, draft.faction) == (
        original.inquiry_type_id, original.asked_by, original.faction)
    assert {(m.ministry_id, m.lead) for m in db.exec(select(InquiryMinistry).where(
        InquiryMinistry.inquiry_id == draft.id))} == {
        (m.ministry_id, m.lead) for m in db.exec(select(InquiryMinistry).where(
            InquiryMinistry.inquiry_id == inquiry_id))}
    assert db.exec(select(InquiryProgramme.programme_id).where(
        InquiryProgramme.inquiry_id == draft.id)).all() == [programme]

    items = follow_up_items(db, draft.id)
    assert [item.number for item in items] == [1, 2, 3, 4]
    assert items[0].text == (
        f"Follow-up to question 6 of {REFERENCE} («Question text 6: which units were "
        "trained?»), answered «Antwort der Bundesregierung auf Frage 6.» (assessed partial): "
        "Please answer the question in full.")
    assert "Follow-up to question 7 of" in items[1].text and "(assessed evasive)" in items[1].text
    assert "(assessed refused: third-party rights)" in items[2].text
    assert "Follow-up to question 9 of" in items[3].text
    assert "(assessed not answered)" in items[3].text


class TestWhatIsAskedAgain:
    def test_a_question_marked_for_follow_up_is_asked_again_though_complete(self, client,
                                                                          inquiry_id, db):
        ids = item_ids(db, inquiry_id)
        client.post(f"/inquiries/{inquiry_id}/answer", data=answer_form(
            client, inquiry_id, received_on=RECEIVED,
            **item_values(ids, 1, text="Yes.", assessment="complete"),
            **item_values(ids, 2, text="Forty officers.", assessment="complete",
                          follow_up="on")))
        assert client.post(f"/inquiries/{inquiry_id}/follow-up").status_code == 303
        [item] = follow_up_items(db, follow_up_of(db, inquiry_id).id)
        assert item.text.startswith("Follow-up to question 2 of")
        assert "(assessed complete, marked for follow-up)" in item.text

    def test_nothing_unsatisfactory_means_no_follow_up(self, client, inquiry_id, db):
        ids = item_ids(db, inquiry_id)
        client.post(f"/inquiries/{inquiry_id}/answer", data=answer_form(
            client, inquiry_id, received_on=RECEIVED,
            **item_values(ids, 1, text="Yes.", assessment="complete")))
        response = client.post(f"/inquiries/{inquiry_id}/follow-up")
        assert response.status_code == 422
        assert "so there is nothing to ask again" in response.text
        db.expire_all()
        assert len(db.exec(select(Inquiry)).all()) == 1

    def test_no_answer_means_no_follow_up(self, client, inquiry_id, db):
        response = client.post(f"/inquiries/{inquiry_id}/follow-up")
        assert response.status_code == 422
        assert "This inquiry has no answer yet" in response.text
        db.expire_all()
        assert len(db.exec(select(Inquiry)).all()) == 1

    def test_a_long_answer_is_quoted_shortened(self, empty_db, client, db):
        inquiry = store_inquiry(empty_db, items=1)
        store_answer(empty_db, inquiry, assessments={
            1: ("Lorem ipsum " * 200, Assessment.EVASIVE, None, Classification.PUBLIC)})
        client.post(f"/inquiries/{inquiry}/follow-up")
        [item] = follow_up_items(db, follow_up_of(db, inquiry).id)
        quoted = item.text.split("answered «")[1].split("»")[0]
        assert len(quoted) == 600 and quoted.endswith("…")

    def test_quotes_are_as_classified_as_what_they_quote(self, server, client_for, empty_db,
                                                         db):
        inquiry = store_inquiry(empty_db, items=2, item_levels={2: Classification.RESTRICTED})
        store_answer(empty_db, inquiry, assessments={
            1: ("Public evasion.", Assessment.EVASIVE, None, Classification.PUBLIC),
            2: ("Restricted refusal.", Assessment.REFUSED, RefusalReason.CLASSIFIED,
                Classification.RESTRICTED),
        })
        assert client_for(server, "staff").post(
            f"/inquiries/{inquiry}/follow-up").status_code == 303
        items = follow_up_items(db, follow_up_of(db, inquiry).id)
        assert [(i.number, i.classification) for i in items] == [
            (1, Classification.PUBLIC), (2, Classification.RESTRICTED)]
        assert "(assessed refused: classified / state interest)" in items[1].text

    def test_an_editor_without_clearance_quotes_only_what_they_see(self, server, client_for,
                                                                   empty_db, db):
        inquiry = store_inquiry(empty_db, items=2)
        store_answer(empty_db, inquiry, assessments={
            1: ("Public evasion.", Assessment.EVASIVE, None, Classification.PUBLIC),
            2: ("RESTRICTED-REFUSAL", Assessment.REFUSED, RefusalReason.CLASSIFIED,
                Classification.RESTRICTED),
        })
        assert client_for(server, "staff_public").post(
            f"/inquiries/{inquiry}/follow-up").status_code == 303
        [item] = follow_up_items(db, follow_up_of(db, inquiry).id)
        assert "RESTRICTED-REFUSAL" not in item.text and "question 1 of" in item.text

    def test_a_follow_up_keeps_the_originals_marking(self, client, empty_db, db):
        inquiry = store_inquiry(empty_db, items=1, classification=Classification.RESTRICTED)
        store_answer(empty_db, inquiry, classification=Classification.RESTRICTED, assessments={
            1: ("Partly.", Assessment.PARTIAL, None, Classification.RESTRICTED)})
        assert client.post(f"/inquiries/{inquiry}/follow-up").status_code == 303
        assert follow_up_of(db, inquiry).classification == Classification.RESTRICTED

    def test_members_cannot_draft_a_follow_up(self, server, client_for, empty_db, db):
        inquiry = store_inquiry(empty_db, items=1)
        store_answer(empty_db, inquiry, assessments={
            1: ("Partly.", Assessment.PARTIAL, None, Classification.PUBLIC)})
        assert client_for(server, "member").post(
            f"/inquiries/{inquiry}/follow-up").status_code == 403
        db.expire_all()
        assert len(db.exec(select(Inquiry)).all()) == 1


@pytest.fixture
def inquiry_id(empty_db) -> int:
    return store_inquiry(empty_db, items=3)
