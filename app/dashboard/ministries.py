"""How each ministry answers: on time, how fast, how completely. Pure: inquiry states in, figures
out, so the figures can only hold what the reader was allowed to load."""

import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field

from app.inquiries.service import InquiryState
from app.inquiries.status import InquiryStatus
from app.models import Assessment, Classification, Inquiry, Ministry

ANSWERED = (InquiryStatus.ANSWERED, InquiryStatus.PARTIALLY_ANSWERED)


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


def answering_ministry(inquiry: Inquiry) -> Ministry | None:
    """The ministry the answer came from, else the inquiry's lead ministry."""
    if inquiry.answer is not None and inquiry.answer.ministry is not None:
        return inquiry.answer.ministry
    return lead_ministry(inquiry)


def lead_ministry(inquiry: Inquiry) -> Ministry | None:
    return next((link.ministry for link in inquiry.ministries if link.lead), None)


def ministry_report(states: Iterable[InquiryState]) -> MinistryReport:
    by_ministry: dict[int, MinistryFigures] = {}
    unattributed = 0
    marking = Classification.PUBLIC
    for state in states:
        if state.status not in ANSWERED:
            continue
        inquiry, answer = state.inquiry, state.inquiry.answer
        ministry = answering_ministry(inquiry)
        if ministry is None:
            unattributed += 1
            continue
        figures = by_ministry.setdefault(ministry.id, MinistryFigures(ministry))
        figures.answered += 1
        if state.due_date is not None:
            figures.with_due_date += 1
            figures.on_time += answer.received_on <= state.due_date
        if inquiry.submitted_on is not None:  # a demo row may not know when it was tabled
            figures.days_to_answer.append((answer.received_on - inquiry.submitted_on).days)
        assessed = state.assessments()
        for item in inquiry.items:
            figures.items += 1
            answer_item = assessed.get(item.id)
            if answer_item is not None and answer_item.assessment == Assessment.COMPLETE:
                figures.items_complete += 1
        marking = max([marking, inquiry.classification, answer.classification,
                       *(item.classification for item in inquiry.items),
                       *(a.classification for a in assessed.values())])
    ministries = sorted(by_ministry.values(),
                        key=lambda f: (f.ministry.position, f.ministry.code))
    return MinistryReport(ministries, unattributed, marking)
