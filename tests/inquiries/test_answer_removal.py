"""Removing an answer, or the inquiry or item it answers: every row and file goes, each row
with its audit event, the safeguard evidence citing it too; only with full clearance."""

from datetime import timedelta

import pytest
from sqlmodel import select

from app.audit.recorder import SYSTEM, set_actor
from app.models import AuditEvent, Assessment, Classification, SafeguardEvidence
from tests.factories import cite_as_evidence
from tests.inquiries.answer_world import (
    SUBMITTED, answer_form, files_in, item_ids, item_values, make_pdf, store_answer,
    store_inquiry, store_programme, stored_answer, stored_answer_items, stored_attachments,
)

RECEIVED = (SUBMITTED + timedelta(days=12)).isoformat()


@pytest.fixture
def inquiry_id(empty_db) -> int:
    return store_inquiry(empty_db, items=3)


def cite_in_a_safeguard_rating(db, db_path, answer_item_id: int) -> None:
    """A programme's safeguard rating with the answer item as its evidence."""
    set_actor(db, SYSTEM)
    cite_as_evidence(db, store_programme(db_path, "EPF-EVIDENCE"), answer_item_id=answer_item_id)


def _answer_with_a_file(client, inquiry_id: int, data_dir, db) -> None:
    ids = item_ids(db, inquiry_id)
    client.post(f"/inquiries/{inquiry_id}/answer", data=answer_form(
        client, inquiry_id, received_on=RECEIVED,
        **item_values(ids, 1, text="Answer.", assessment="complete")))
    client.post(f"/inquiries/{inquiry_id}/answer/attachments", data={"classification":
                "public"}, files={"file": ("answer.pdf", make_pdf(), "application/pdf")})
    assert len(files_in(data_dir)) == 1


class TestRemovingAnAnswer:
    def test_removal_deletes_items_and_files_each_with_an_audit_event(self, client, inquiry_id,
                                                                      data_dir, db):
        _answer_with_a_file(client, inquiry_id, data_dir, db)
        page = client.get(f"/inquiries/{inquiry_id}/answer/delete").text
        assert "with its 1 answered question" in page and "answer.pdf" in page
        response = client.post(f"/inquiries/{inquiry_id}/answer/delete")
        assert response.status_code == 303
        assert response.headers["location"] == f"/inquiries/{inquiry_id}"
        assert stored_answer(db, inquiry_id) is None
        assert stored_attachments(db) == [] and files_in(data_dir) == []
        deleted = {e.record_type for e in db.exec(
            select(AuditEvent).where(AuditEvent.action == "delete"))}
        assert deleted == {"answer", "answer_item", "attachment"}

    def test_deleting_the_inquiry_removes_its_answer_files_too(self, client, inquiry_id,
                                                               data_dir, db):
        _answer_with_a_file(client, inquiry_id, data_dir, db)
        assert client.post(f"/inquiries/{inquiry_id}/delete").status_code == 303
        assert stored_attachments(db) == [] and files_in(data_dir) == []

    def test_removal_takes_the_safeguard_evidence_citing_it_along(self, client, empty_db, db):
        inquiry = store_inquiry(empty_db, items=1)
        store_answer(empty_db, inquiry, assessments={
            1: ("Vetting was done.", Assessment.COMPLETE, None, Classification.PUBLIC)})
        cite_in_a_safeguard_rating(db, empty_db, stored_answer_items(db, inquiry)[1].id)
        assert client.post(f"/inquiries/{inquiry}/answer/delete").status_code == 303
        db.expire_all()
        assert db.exec(select(SafeguardEvidence)).all() == []
        assert db.exec(select(AuditEvent).where(AuditEvent.record_type == "safeguard_evidence",
                                                AuditEvent.action == "delete")).one()

    @pytest.mark.parametrize("removed", ["the inquiry", "the item"])
    def test_deleting_what_was_answered_takes_the_evidence_citing_the_answer_along(
            self, client, empty_db, db, removed):
        inquiry = store_inquiry(empty_db, items=1)
        store_answer(empty_db, inquiry, assessments={
            1: ("Vetting was done.", Assessment.COMPLETE, None, Classification.PUBLIC)})
        answer_item = stored_answer_items(db, inquiry)[1]
        cite_in_a_safeguard_rating(db, empty_db, answer_item.id)
        path = (f"/inquiries/{inquiry}/delete" if removed == "the inquiry"
                else f"/inquiries/{inquiry}/items/{answer_item.item_id}/delete")
        assert client.post(path).status_code == 303
        db.expire_all()
        assert db.exec(select(SafeguardEvidence)).all() == []
        assert db.exec(select(AuditEvent).where(AuditEvent.record_type == "safeguard_evidence",
                                                AuditEvent.action == "delete")).one()

    def test_staff_without_full_clearance_cannot_remove_an_answer(self, server, client_for,
                                                                  inquiry_id, db):
        store_answer(server.settings.resolved_database_url, inquiry_id)
        uncleared = client_for(server, "staff_public")
        assert uncleared.get(f"/inquiries/{inquiry_id}/answer/delete").status_code == 403
        assert uncleared.post(f"/inquiries/{inquiry_id}/answer/delete").status_code == 403
        assert "Remove this answer" not in uncleared.get(f"/inquiries/{inquiry_id}/answer").text
        assert stored_answer(db, inquiry_id) is not None
