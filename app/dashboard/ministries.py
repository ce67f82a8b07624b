"""How each ministry answers: on time, how fast, how completely. Counted by the database over
every answered inquiry; each query goes through the clearance filter, so the figures only hold
what the reader may see."""

import statistics
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, select

from app.derived import derived
from app.inquiries.deadlines import WorkingCalendar
from app.inquiries.listing import deadline_rules, due_date, latest_extension_sql
from app.models import (
    Answer, AnswerItem, Assessment, Classification, Inquiry, InquiryItem, InquiryMinistry,
    Ministry,
)


def percent(part: int, whole: int) -> int | None:
    """A whole percentage, halves rounded up (2 of 3 -> 67); None when there is nothing to count."""
    if whole == 0:
        return None
    return (200 * part + whole) // (2 * whole)


@dataclass
class MinistryFigures:
    """One ministry's answers to the inquiries the reader may see."""

    ministry: Ministry
    answered: int = 0
    # Answered inquiries that had a due date, and how many of them were answered by it.
    with_due_date: int = 0
    on_time: int = 0
    days_to_answer: list[int] = field(default_factory=list)
    # Items of the answered inquiries, and how many of them were answered completely.
    items: int = 0
    items_complete: int = 0

    @property
    def on_time_percent(self) -> int | None:
        return percent(self.on_time, self.with_due_date)

    @property
    def median_days(self) -> float | None:
        return statistics.median(self.days_to_answer) if self.days_to_answer else None

    @property
    def complete_percent(self) -> int | None:
        return percent(self.items_complete, self.items)


@dataclass(frozen=True)
class MinistryReport:
    ministries: list[MinistryFigures]
    # Answered inquiries with neither an answering nor a lead ministry: counted nowhere.
    unattributed: int
    # The highest classification of anything the figures were computed from.
    marking: Classification


def lead_ministry(inquiry: Inquiry) -> Ministry | None:
    return next((link.ministry for link in inquiry.ministries if link.lead), None)


def _ministry_key():
    """The ministry the answer came from, else the inquiry's lead ministry (the first lead, as
    Inquiry.ministries orders them)."""
    lead = (select(sa.func.min(InquiryMinistry.ministry_id))
            .where(InquiryMinistry.inquiry_id == Inquiry.id, InquiryMinistry.lead)
            .scalar_subquery())
    return sa.func.coalesce(Answer.ministry_id, lead)


def _answered():
    """Inquiries with an answer the reader may see, not withdrawn: ANSWERED or PARTIALLY_ANSWERED
    by derive_status."""
    return (Answer, sa.and_(Answer.inquiry_id == Inquiry.id, Inquiry.withdrawn_on.is_(None)))


def ministry_report(session: Session, calendar: WorkingCalendar, today: date) -> MinistryReport:
    """Every answered inquiry the reader may see, counted by ministry; kept until the register
    changes (app.derived)."""
    return derived(session, ("ministries", calendar, today),
                   lambda: _count(session, calendar))


def _count(session: Session, calendar: WorkingCalendar) -> MinistryReport:
    """Dates per answered inquiry (its due date is derived), items by SQL aggregates; nothing
    loaded as a whole record."""
    rules = deadline_rules(session)
    by_ministry: dict[int, MinistryFigures] = {}
    ministries = {m.id: m for m in session.exec(select(Ministry))}
    unattributed = 0
    marking = Classification.PUBLIC
    key = _ministry_key()
    rows = session.exec(
        select(key, Inquiry.inquiry_type_id, Inquiry.submitted_on, Inquiry.set_due_date,
               latest_extension_sql(), Answer.received_on, Inquiry.classification,
               Answer.classification)
        .select_from(Inquiry).join(*_answered()))
    for ministry_id, type_id, submitted_on, set_due, extended, received_on, *levels in rows:
        if ministry_id is None:
            unattributed += 1
            continue
        figures = by_ministry.setdefault(ministry_id, MinistryFigures(ministries[ministry_id]))
        figures.answered += 1
        due = due_date(submitted_on, rules[type_id], calendar, set_due, extended)
        if due is not None:
            figures.with_due_date += 1
            figures.on_time += received_on <= due
        if submitted_on is not None:  # a demo row may not know when it was tabled
            figures.days_to_answer.append((received_on - submitted_on).days)
        marking = max(marking, *levels)
    complete = sa.case((AnswerItem.assessment == Assessment.COMPLETE, 1), else_=0)
    for ministry_id, items, items_complete, *levels in session.exec(
        select(key, sa.func.count(InquiryItem.id), sa.func.sum(complete),
               sa.func.max(InquiryItem.classification), sa.func.max(AnswerItem.classification))
        .select_from(InquiryItem).join(Inquiry, Inquiry.id == InquiryItem.inquiry_id)
        .join(*_answered())
        .outerjoin(AnswerItem, sa.and_(AnswerItem.item_id == InquiryItem.id,
                                       AnswerItem.answer_id == Answer.id))
        .group_by(key)
    ):
        if ministry_id is None:
            continue
        figures = by_ministry[ministry_id]
        figures.items, figures.items_complete = items, int(items_complete or 0)
        marking = max(marking, *(level for level in levels if level is not None))
    ordered = sorted(by_ministry.values(), key=lambda f: (f.ministry.position, f.ministry.code))
    return MinistryReport(ordered, unattributed, Classification(marking))
