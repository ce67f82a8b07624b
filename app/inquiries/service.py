"""Reading inquiries with everything their page and status need. Session first; no HTTP.

Status and due date are derived (app.inquiries.status, app.inquiries.deadlines) from what the
reader may see: an answer above their clearance is, for them, no answer.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import selectinload
from sqlmodel import Session, select

from app.errors import NotFound
from app.inquiries.deadlines import DeadlineRule, DueDate, Extension, WorkingCalendar, \
    compute_due_date
from app.inquiries.status import InquiryStatus, derive_status
from app.models import (
    Answer, AnswerItem, Assessment, Inquiry, InquiryMinistry, InquiryProgramme, Programme,
)


def _full_load():
    return [
        selectinload(Inquiry.inquiry_type),
        selectinload(Inquiry.items),
        selectinload(Inquiry.ministries).selectinload(InquiryMinistry.ministry),
        selectinload(Inquiry.extensions),
        selectinload(Inquiry.answer).selectinload(Answer.items),
        selectinload(Inquiry.answer).selectinload(Answer.attachments),
        selectinload(Inquiry.answer).selectinload(Answer.ministry),
    ]


def get_inquiry(session: Session, inquiry_id: int) -> Inquiry:
    """An inquiry with its type, items, ministries, extensions and answer (as far as the reader
    may see), or NotFound, also when it is above the reader's clearance."""
    inquiry = session.exec(
        select(Inquiry).where(Inquiry.id == inquiry_id).options(*_full_load())
    ).first()
    if inquiry is None:
        raise NotFound("Inquiry")
    return inquiry


def linked_programmes(session: Session, inquiry_ids: list[int]) -> dict[int, list[Programme]]:
    """Programmes each inquiry is about, that the reader may see, by inquiry id."""
    rows = session.exec(
        select(InquiryProgramme.inquiry_id, Programme)
        .join(Programme, Programme.id == InquiryProgramme.programme_id)
        .where(InquiryProgramme.inquiry_id.in_(inquiry_ids))
        .order_by(Programme.reference_code)
    ).all()
    found: dict[int, list[Programme]] = {i: [] for i in inquiry_ids}
    for inquiry_id, programme in rows:
        found[inquiry_id].append(programme)
    return found


@dataclass(frozen=True)
class InquiryState:
    """An inquiry with its derived due date and status on a given day."""

    inquiry: Inquiry
    due: DueDate
    status: InquiryStatus

    @property
    def due_date(self) -> date | None:
        return self.due.date

    def assessments(self) -> dict[int, AnswerItem]:
        """Answer items by inquiry item id."""
        answer = self.inquiry.answer
        return {a.item_id: a for a in answer.items} if answer is not None else {}


def due_date_of(inquiry: Inquiry, calendar: WorkingCalendar) -> DueDate:
    return compute_due_date(
        inquiry.submitted_on, DeadlineRule.of(inquiry.inquiry_type), calendar,
        set_due_date=inquiry.set_due_date,
        extensions=[Extension(e.new_due_date, e.reason) for e in inquiry.extensions],
    )


def state_of(inquiry: Inquiry, calendar: WorkingCalendar, today: date) -> InquiryState:
    """Due date and status of a fully loaded inquiry (get_inquiry / inquiry_states)."""
    due = due_date_of(inquiry, calendar)
    answer = inquiry.answer
    by_item: dict[int, Assessment | None] = (
        {a.item_id: a.assessment for a in answer.items} if answer is not None else {}
    )
    status = derive_status(
        submitted_on=inquiry.submitted_on, withdrawn_on=inquiry.withdrawn_on, due_date=due.date,
        answered=answer is not None,
        assessments=[by_item.get(item.id) for item in inquiry.items],
        today=today, calendar=calendar,
    )
    return InquiryState(inquiry, due, status)


def inquiry_states(session: Session, calendar: WorkingCalendar, today: date,
                   where=None) -> list[InquiryState]:
    """Every inquiry the reader may see (optionally filtered by a WHERE clause on Inquiry), with
    its due date and status; a handful of queries whatever the number of inquiries."""
    query = select(Inquiry).options(*_full_load()).order_by(Inquiry.id)
    if where is not None:
        query = query.where(where)
    return [state_of(inquiry, calendar, today) for inquiry in session.exec(query).all()]
