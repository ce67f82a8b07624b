"""Holes found in a security review of the inquiry workflow, each pinned by a test: what an
editor without full clearance may destroy, and what a follow-up may carry below its marking."""

from sqlmodel import select

from app.models import (
    AnswerItem, Assessment, AuditEvent, Classification, Inquiry, InquiryItem,
)
from tests.inquiries.answer_world import store_answer, store_attachment, store_inquiry

HIDDEN_ANSWER = "RESTRICTED-ANSWER-TEXT"
ANSWER_REFERENCE = "Drucksache 20/5700"  # the reference store_answer gives


def test_an_editor_without_clearance_cannot_remove_an_item_whose_hidden_answer_goes_with_it(
        server, client_for, empty_db, db):
    # Answered, but its tabling date is not known: the page calls it a draft for a reader who
    # cannot see the answer. Removing the item would take the restricted answer with it,
    # deleted by the database with no audit event.
    inquiry = store_inquiry(empty_db, items=2, submitted_on=None)
    store_answer(empty_db, inquiry, assessments={
        1: (HIDDEN_ANSWER, Assessment.EVASIVE, None, Classification.RESTRICTED)})
    [item_id] = db.exec(select(AnswerItem.item_id)).all()

    response = client_for(server, "staff_public").post(
        f"/inquiries/{inquiry}/items/{item_id}/delete")

    assert response.status_code == 403
    assert HIDDEN_ANSWER not in response.text
    db.expire_all()
    assert [a.text for a in db.exec(select(AnswerItem))] == [HIDDEN_ANSWER]
    assert not db.exec(select(AuditEvent).where(AuditEvent.action == "delete")).all()


def test_a_follow_up_of_a_restricted_answer_does_not_quote_it_below_its_marking(
        server, client_for, empty_db, db):
    # A public inquiry whose answer (reference, date received) is restricted.
    inquiry = store_inquiry(empty_db, items=1)
    store_answer(empty_db, inquiry, classification=Classification.RESTRICTED, assessments={
        1: ("Partly.", Assessment.PARTIAL, None, Classification.RESTRICTED)})
    assert client_for(server, "staff").post(
        f"/inquiries/{inquiry}/follow-up").status_code == 303
    db.expire_all()
    draft = db.exec(select(Inquiry).where(Inquiry.follow_up_of_id == inquiry)).one()
    assert ANSWER_REFERENCE in draft.preamble  # it quotes the answer...

    member = client_for(server, "member")  # ...so a reader without clearance never sees it
    for path in (f"/inquiries/{draft.id}", "/inquiries", f"/inquiries?q={draft.title[:20]}"):
        assert ANSWER_REFERENCE not in member.get(path).text, path
    assert draft.classification >= Classification.RESTRICTED


def test_pasted_questions_are_numbered_after_items_the_editor_cannot_see(
        server, client_for, empty_db, db):
    # Items 1 and 2 are public, item 3 restricted: the next free number is 4 for everyone.
    inquiry = store_inquiry(empty_db, items=3, submitted_on=None,
                            item_levels={3: Classification.RESTRICTED})
    response = client_for(server, "staff_public").post(
        f"/inquiries/{inquiry}/items/paste", data={"questions": "1. Who?\n2. When?"})
    assert response.status_code == 303, response.text
    db.expire_all()
    numbers = sorted(db.exec(select(InquiryItem.number).where(
        InquiryItem.inquiry_id == inquiry)).all())
    assert numbers == [1, 2, 3, 4, 5]


def test_the_audit_trail_says_how_much_text_a_file_had_not_what(server, client, empty_db, db,
                                                              data_dir):
    inquiry = store_inquiry(empty_db, items=1)
    store_answer(empty_db, inquiry)
    store_attachment(data_dir, inquiry, text="Extracted words of the answer.")
    [event] = db.exec(select(AuditEvent).where(AuditEvent.record_type == "attachment")).all()
    shown = event.changes["text"]["after"]
    assert shown.endswith("characters extracted)") and "Extracted words" not in shown
