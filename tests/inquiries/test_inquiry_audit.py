"""The audit trail of inquiries: parts are filed under their inquiry, links under the marking of
what they point to, and a classified inquiry hides its parts' history."""

from datetime import date

from sqlmodel import select

from app.audit.service import visible_events
from app.clearance import set_reader_clearance
from app.models import (
    Answer, AnswerItem, Assessment, AuditEvent, Classification, Inquiry, InquiryItem,
    InquiryProgramme, InquiryType,
)
from app.programmes import service as programmes
from app.programmes.schemas import ProgrammeInput
from tests.conftest import system_session


def _inquiry(session, title: str, level=Classification.PUBLIC) -> Inquiry:
    minor = session.exec(select(InquiryType).where(InquiryType.code == "minor_interpellation")).one()
    inquiry = Inquiry(inquiry_type_id=minor.id, title=title, submitted_on=date(2026, 3, 2),
                      classification=level)
    inquiry.items = [InquiryItem(number=1, text="Which units were vetted?", classification=level)]
    session.add(inquiry)
    session.flush()
    return inquiry


def _events(session, record_type: str) -> list[AuditEvent]:
    return list(session.exec(select(AuditEvent).where(AuditEvent.record_type == record_type)))


def test_answer_items_are_filed_under_their_inquiry(empty_db):
    engine, session = system_session(empty_db)
    with session:
        inquiry = _inquiry(session, "Vetting in Niger")
        answer = Answer(inquiry_id=inquiry.id, received_on=date(2026, 3, 16))
        answer.items = [AnswerItem(item_id=inquiry.items[0].id, text="None.",
                                   assessment=Assessment.EVASIVE)]
        session.add(answer)
        session.commit()
        [event] = _events(session, "answer_item")
        assert (event.parent_type, event.parent_id) == ("inquiry", inquiry.id)
        [item_event] = _events(session, "inquiry_item")
        assert (item_event.parent_type, item_event.parent_id) == ("inquiry", inquiry.id)
        assert event.changes["assessment"] == {"before": None, "after": "evasive"}
    engine.dispose()


def test_a_link_to_a_restricted_programme_is_audited_as_restricted(empty_db):
    engine, session = system_session(empty_db)
    with session:
        secret = programmes.create_programme(session, ProgrammeInput.model_validate({
            "reference_code": "RES-1", "title": "Restricted programme", "instrument": "EPF",
            "recipient_country": "NE", "kinds": ["training"], "status": "active",
            "classification": "restricted",
        }))
        inquiry = _inquiry(session, "A public question")
        session.add(InquiryProgramme(inquiry_id=inquiry.id, programme_id=secret.id))
        session.commit()
        [event] = _events(session, "inquiry_programme")
        assert event.classification == Classification.RESTRICTED
    engine.dispose()


def test_a_restricted_inquiry_hides_the_history_of_its_parts(empty_db):
    engine, session = system_session(empty_db)
    with session:
        # Public when its item was written; re-marked restricted later.
        inquiry = _inquiry(session, "Question re-marked restricted")
        session.commit()
        inquiry.classification = Classification.RESTRICTED
        session.commit()
        set_reader_clearance(session, Classification.PUBLIC)
        shown = session.exec(visible_events(session).where(
            AuditEvent.parent_type == "inquiry", AuditEvent.parent_id == inquiry.id)).all()
        assert shown == []
        set_reader_clearance(session, Classification.RESTRICTED)
        shown = session.exec(visible_events(session).where(
            AuditEvent.parent_type == "inquiry", AuditEvent.parent_id == inquiry.id)).all()
        assert [e.record_type for e in shown] == ["inquiry_item"]
    engine.dispose()
