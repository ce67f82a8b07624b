"""The dashboard's sections, computed for one reader on one day. Session first; no HTTP.

Everything comes from ORM queries, so the clearance filter has removed what the reader may not
see before anything is counted. Only the inquiries the lists show are loaded in full; the rest
is counted by the database or read a few columns at a time. `today` is a parameter so the
figures can be checked for a fixed day.
"""

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from sqlmodel import Session, select

from app.clearance import note_marking
from app.derived import derived
from app.dashboard.ministries import MinistryReport, lead_ministry, ministry_report
from app.inquiries.deadlines import WorkingCalendar
from app.inquiries.listing import Listed, register_listed
from app.inquiries.service import InquiryState, inquiry_states
from app.inquiries.status import InquiryStatus
from app.models import (
    AgendaItem, Answer, Assessment, Hearing, Inquiry, Ministry, Programme, SafeguardCriterion,
)
from app.safeguards.service import programmes_without_evidence

# "Due this week" is a rolling week: today and the six days after it, so on a Friday it still
# shows what falls due early next week.
WEEK_DAYS = 7
RECENT_DAYS = 30
UPCOMING_HEARINGS = 5
# Rows shown in each inquiry list of the dashboard; a parliament answers a thousand inquiries a
# month, so beyond this the page says how many more there are and where to find them.
SHOWN = 20
NOT_ASSESSED = "not assessed"


@dataclass(frozen=True)
class OpenInquiry:
    """An inquiry still waiting for its answer; `days` overdue, or left until it is due."""

    state: InquiryState
    lead: Ministry | None
    days: int


@dataclass(frozen=True)
class AnsweredInquiry:
    state: InquiryState
    # (assessment in words, how many items) in the order of the scale, only those that occur.
    mix: list[tuple[str, int]]

    @property
    def mix_text(self) -> str:
        return " · ".join(f"{count} {label}" for label, count in self.mix)


@dataclass(frozen=True)
class UpcomingHearing:
    hearing: Hearing
    # Agenda items the reader may see (a programme above their clearance hides its item).
    agenda_size: int


@dataclass(frozen=True)
class Dashboard:
    today: date
    week_end: date
    recent_since: date
    overdue: list[OpenInquiry]
    due_this_week: list[OpenInquiry]
    recently_answered: list[AnsweredInquiry]
    hearings: list[UpcomingHearing]
    # Programmes with criteria rated "no evidence" explicitly, each with those criteria.
    programmes_without_evidence: list[tuple[Programme, list[SafeguardCriterion]]]
    ministries: MinistryReport
    # How many rows each list has in all (it shows at most SHOWN).
    totals: dict[str, int]


def build_dashboard(session: Session, calendar: WorkingCalendar, today: date) -> Dashboard:
    week_end = today + timedelta(days=WEEK_DAYS - 1)
    recent_since = today - timedelta(days=RECENT_DAYS)
    waiting = derived(session, ("waiting", calendar, today), lambda: _waiting(
        session, calendar, today))
    late = [row for row in waiting if row.status == InquiryStatus.OVERDUE]
    soon = [row for row in waiting
            if row.status.is_open and today <= row.due_date <= week_end]
    answered = _answered_since(session, recent_since, today)
    shown = [row.id for row in late[:SHOWN] + soon[:SHOWN]] + answered[1]
    states = inquiry_states(session, calendar, today, Inquiry.id.in_(shown))
    report = ministry_report(session, calendar, today)
    # The figures were counted from rows never loaded; the page shows them, so it is marked so.
    note_marking(session, report.marking)
    return Dashboard(
        today=today, week_end=week_end, recent_since=recent_since,
        overdue=overdue(states, today),
        due_this_week=due_between(states, today, week_end),
        recently_answered=answered_between(states, recent_since, today),
        hearings=upcoming_hearings(session, today),
        programmes_without_evidence=programmes_without_evidence(session, unrated=False),
        ministries=report,
        totals={"overdue": len(late), "due_this_week": len(soon),
                "recently_answered": answered[0]},
    )


def _waiting(session: Session, calendar: WorkingCalendar, today: date) -> tuple[Listed, ...]:
    """Submitted inquiries still waiting for an answer, that have a due date, soonest first."""
    rows = register_listed(session, calendar, today)
    return tuple(sorted((row for row in rows if row.status.is_open and row.due_date),
                        key=lambda row: (row.due_date, row.id)))


def _answered_since(session: Session, first: date, last: date) -> tuple[int, list[int]]:
    """How many inquiries (not withdrawn) had their answer from `first` to `last`, and the ids
    of the newest SHOWN."""
    answered = (sa.and_(Answer.inquiry_id == Inquiry.id, Inquiry.withdrawn_on.is_(None),
                        Answer.received_on >= first, Answer.received_on <= last))
    total = session.exec(select(sa.func.count(Inquiry.id)).join(Answer, answered)).one()
    newest = session.exec(
        select(Inquiry.id).join(Answer, answered)
        .order_by(Answer.received_on.desc(), Inquiry.id.desc()).limit(SHOWN)).all()
    return total, list(newest)


def overdue(states: list[InquiryState], today: date) -> list[OpenInquiry]:
    """Overdue inquiries, the longest overdue first."""
    found = [OpenInquiry(s, lead_ministry(s.inquiry), (today - s.due_date).days)
             for s in states if s.status == InquiryStatus.OVERDUE]
    return sorted(found, key=lambda o: (o.state.due_date, o.state.inquiry.id))


def due_between(states: list[InquiryState], first: date, last: date) -> list[OpenInquiry]:
    """Open inquiries due from `first` to `last` (both included), the soonest first."""
    found = [OpenInquiry(s, lead_ministry(s.inquiry), (s.due_date - first).days)
             for s in states
             if s.status.is_open and s.due_date is not None and first <= s.due_date <= last]
    return sorted(found, key=lambda o: (o.state.due_date, o.state.inquiry.id))


def answered_between(states: list[InquiryState], first: date,
                     last: date) -> list[AnsweredInquiry]:
    """Inquiries whose answer came from `first` to `last`, the newest answer first."""
    found = [AnsweredInquiry(s, assessment_mix(s)) for s in states
             if s.status in (InquiryStatus.ANSWERED, InquiryStatus.PARTIALLY_ANSWERED)
             and first <= s.inquiry.answer.received_on <= last]
    return sorted(found, key=lambda a: (a.state.inquiry.answer.received_on,
                                        a.state.inquiry.id), reverse=True)


def assessment_mix(state: InquiryState) -> list[tuple[str, int]]:
    """How the inquiry's items were answered: counts per assessment, in the scale's order, then
    the items without an assessed answer."""
    assessed = state.assessments()
    counts: dict[Assessment | None, int] = {}
    for item in state.inquiry.items:
        answer_item = assessed.get(item.id)
        key = answer_item.assessment if answer_item is not None else None
        counts[key] = counts.get(key, 0) + 1
    mix = [(a.label.lower(), counts[a]) for a in Assessment if a in counts]
    if None in counts:
        mix.append((NOT_ASSESSED, counts[None]))
    return mix


def upcoming_hearings(session: Session, today: date,
                      limit: int = UPCOMING_HEARINGS) -> list[UpcomingHearing]:
    """The next hearings from today on, with the size of their agenda as the reader sees it."""
    hearings = session.exec(
        select(Hearing).where(Hearing.held_on >= today)
        .order_by(Hearing.held_on, Hearing.starts_at.is_(None), Hearing.starts_at, Hearing.id)
        .limit(limit)
    ).all()
    # Joined to Programme so that the clearance filter drops items on hidden programmes.
    sizes = dict(session.exec(
        select(AgendaItem.hearing_id, sa.func.count(AgendaItem.id))
        .join(Programme, Programme.id == AgendaItem.programme_id)
        .where(AgendaItem.hearing_id.in_([h.id for h in hearings]))
        .group_by(AgendaItem.hearing_id)
    ).all())
    return [UpcomingHearing(h, sizes.get(h.id, 0)) for h in hearings]
