"""Stored records the scorecard tests start from: programmes, and answered inquiries about them."""

from datetime import date

from sqlmodel import Session, select

from app.models import (
    Answer, AnswerItem, Assessment, Classification, Inquiry, InquiryItem, InquiryProgramme,
    InquiryType, SafeguardCriterion,
)
from app.programmes import service as programmes
from app.programmes.schemas import ProgrammeInput


def programme(session: Session, code: str, level: Classification = Classification.PUBLIC,
              sources: list[dict] | None = None) -> int:
    data = ProgrammeInput.model_validate({
        "reference_code": code, "title": f"Programme {code}", "instrument": "EPF",
        "recipient_country": "MD", "kinds": ["training"], "status": "active",
        "classification": level.name.lower(), "sources": sources or [],
    })
    return programmes.create_programme(session, data).id


def answered_inquiry(session: Session, programme_id: int, reference: str,
                     assessments: list[Assessment | None],
                     level: Classification = Classification.PUBLIC) -> Inquiry:
    """A minor interpellation about the programme, its items numbered from 1, answered and
    assessed as given; everything marked `level`."""
    minor = session.exec(
        select(InquiryType).where(InquiryType.code == "minor_interpellation")).one()
    inquiry = Inquiry(inquiry_type_id=minor.id, reference=reference,
                      title=f"Inquiry {reference}", submitted_on=date(2026, 3, 2),
                      classification=level)
    session.add(inquiry)
    session.flush()
    session.add(InquiryProgramme(inquiry_id=inquiry.id, programme_id=programme_id))
    answer = Answer(inquiry_id=inquiry.id, received_on=date(2026, 3, 16), classification=level)
    session.add(answer)
    session.flush()
    for number, assessment in enumerate(assessments, start=1):
        item = InquiryItem(inquiry_id=inquiry.id, number=number,
                           text=f"Question {number} of {reference}?", classification=level)
        session.add(item)
        session.flush()
        session.add(AnswerItem(answer_id=answer.id, item_id=item.id, text=f"Answer {number}.",
                               assessment=assessment, classification=level))
    session.flush()
    return inquiry


def answer_item_id(session: Session, inquiry: Inquiry, number: int) -> int:
    return session.exec(
        select(AnswerItem.id).join(InquiryItem, InquiryItem.id == AnswerItem.item_id)
        .where(InquiryItem.inquiry_id == inquiry.id, InquiryItem.number == number)).one()


def criterion_id(session: Session, code: str) -> int:
    return session.exec(select(SafeguardCriterion.id).where(SafeguardCriterion.code == code)).one()
