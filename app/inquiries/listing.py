"""Status and due date of many inquiries at once, from a few columns each: what lists and the
dashboard sort, filter and count by, without loading every inquiry with its items and answer.

The rule stays app.inquiries.status.derive_status and app.inquiries.deadlines; this module only
reads their inputs in one query. Due dates repeat (the same type, day and override give the same
date), so they are computed once per distinct input.
"""

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import sqlalchemy as sa
from sqlmodel import Session, select

from app.derived import derived
from app.inquiries.deadlines import DeadlineRule, Extension, WorkingCalendar, compute_due_date
from app.inquiries.service import InquiryState, inquiry_states
from app.inquiries.status import InquiryStatus, derive_status
from app.models import (
    Answer, AnswerItem, Assessment, DeadlineExtension, Inquiry, InquiryItem, InquiryType,
)


@dataclass(frozen=True, slots=True)
class Listed:
    """An inquiry's place in a list: what it is sorted and filtered by."""

    id: int
    status: InquiryStatus
    due_date: date | None
    submitted_on: date | None
    reference: str
    title: str


@lru_cache(maxsize=100_000)
def due_date(submitted_on: date | None, rule: DeadlineRule, calendar: WorkingCalendar,
         set_due_date: date | None, latest_extension: date | None) -> date | None:
    # Extensions only ever move the date later, so the latest one decides the final date.
    extensions = [Extension(latest_extension, "")] if latest_extension else []
    return compute_due_date(submitted_on, rule, calendar, set_due_date=set_due_date,
                            extensions=extensions).date


def deadline_rules(session: Session) -> dict[int, DeadlineRule]:
    return {t.id: DeadlineRule.of(t) for t in session.exec(select(InquiryType))}


def answered_sql():
    """Whether the inquiry has an answer the reader may see (the clearance filter applies)."""
    return sa.exists(select(Answer.id).where(Answer.inquiry_id == Inquiry.id))


def latest_extension_sql():
    return (select(sa.func.max(DeadlineExtension.new_due_date))
            .where(DeadlineExtension.inquiry_id == Inquiry.id).scalar_subquery())


def incomplete_sql():
    """Whether an item the reader may see lacks an answer assessed complete (that they may
    see): derive_status's test of a partial answer, in SQL."""
    complete = sa.exists(
        select(AnswerItem.id).join(Answer, Answer.id == AnswerItem.answer_id)
        .where(AnswerItem.item_id == InquiryItem.id, Answer.inquiry_id == Inquiry.id,
               AnswerItem.assessment == Assessment.COMPLETE))
    return sa.exists(select(InquiryItem.id).where(InquiryItem.inquiry_id == Inquiry.id,
                                                  ~complete))


def listed(session: Session, calendar: WorkingCalendar, today: date,
           where=None) -> list[Listed]:
    """Every inquiry the reader may see (narrowed by `where`), in id order."""
    rules = deadline_rules(session)
    query = select(Inquiry.id, Inquiry.inquiry_type_id, Inquiry.submitted_on,
                   Inquiry.set_due_date, Inquiry.withdrawn_on, Inquiry.reference, Inquiry.title,
                   latest_extension_sql(), answered_sql(), incomplete_sql()).order_by(Inquiry.id)
    if where is not None:
        query = query.where(where)
    found = []
    for row in session.exec(query):
        due = due_date(row[2], rules[row[1]], calendar, row[3], row[7])
        status = derive_status(
            submitted_on=row[2], withdrawn_on=row[4], due_date=due, answered=bool(row[8]),
            # derive_status asks only whether every item was answered completely.
            assessments=(None,) if row[9] else (),
            today=today, calendar=calendar)
        found.append(Listed(row[0], status, due, row[2], row[5], row[6]))
    return found


def states_of(session: Session, calendar: WorkingCalendar, today: date,
              ids: list[int]) -> list[InquiryState]:
    """The full states of these inquiries (as loaded for their rows), in the order given."""
    if not ids:
        return []
    by_id = {s.inquiry.id: s for s in inquiry_states(session, calendar, today,
                                                      Inquiry.id.in_(ids))}
    return [by_id[i] for i in ids if i in by_id]


def register_listed(session: Session, calendar: WorkingCalendar,
                    today: date) -> tuple[Listed, ...]:
    """Every inquiry the reader may see, as listed, in id order; kept until the register
    changes (app.derived), for every list and filter to start from."""
    return derived(session, ("inquiries listed", calendar, today),
                   lambda: tuple(listed(session, calendar, today)))
