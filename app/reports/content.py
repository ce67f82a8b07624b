"""What a brief says about a programme, read at the clearance the document is made for.

The session's clearance filter decides what is read; everything the brief shows is copied into
plain frozen dataclasses here, with its marking, so the templates and the committee issues work
on data alone and the document's marking is the highest level actually included.
"""

from dataclasses import dataclass
from functools import cached_property
from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, select

from app.clearance import reader_clearance, reading_everything
from app.formatting import country_name
from app.inquiries.deadlines import WorkingCalendar
from app.inquiries.service import InquiryState, inquiries_about
from app.inquiries.status import InquiryStatus
from app.models import (
    Answer, AnswerItem, Assessment, Classification, FundingLine, Inquiry, InquiryItem,
    InquiryProgramme, Rating, RefusalReason, SafeguardEvidence, SafeguardRating, Source,
)
from app.programmes.service import funding_by_year, get_programme, programme_totals
from app.safeguards.service import scorecard


# The criterion on political conditionality and suspension triggers, as seeded by migration 0003.
SUSPENSION_CRITERION = "C12"


@dataclass(frozen=True)
class SourceLine:
    number: int
    title: str
    url: str
    verified: bool
    note: str


@dataclass(frozen=True)
class MoneyLine:
    currency: str
    committed_cents: int
    disbursed_cents: int
    years: tuple[tuple[int, int, int], ...]  # (year, committed, disbursed)
    references: tuple[str, ...] = ()  # the funding lines' notes: where each figure comes from

    @property
    def disbursed_share(self) -> int | None:
        if not self.committed_cents:
            return None
        return round(100 * self.disbursed_cents / self.committed_cents)


@dataclass(frozen=True)
class SafeguardLine:
    code: str
    title: str
    rating: Rating
    rated: bool  # False: nobody has rated it (which counts as no evidence)
    rationale: str
    evidence: tuple[str, ...]
    check_questions: str

    @property
    def about_suspension(self) -> bool:
        return self.code == SUSPENSION_CRITERION


@dataclass(frozen=True)
class ItemLine:
    number: int
    question: str
    answer: str
    assessment: Assessment | None
    refusal: RefusalReason | None
    note: str
    follow_up: bool

    @property
    def refusal_reason(self) -> str:
        return self.refusal.label if self.refusal else ""


@dataclass(frozen=True)
class QuestionLine:
    reference: str  # "Drucksache 20/4473", or the title where there is no reference yet
    title: str
    kind: str
    asked_by: str
    submitted_on: date | None
    due_date: date | None
    status: InquiryStatus
    answered_on: date | None
    answer_reference: str
    answer_ministry: str
    has_annex: bool
    items: tuple[ItemLine, ...]
    days_overdue: int = 0

    @property
    def answer_cited(self) -> str:
        return self.answer_reference or (f"answer of {self.answered_on.isoformat()}"
                                          if self.answered_on else "")


@dataclass(frozen=True)
class CommitteeIssue:
    kind: str  # overdue, evasive, refused, no_evidence, serious_concern, suspension
    title: str
    reason: str
    ask: str
    references: tuple[str, ...]


@dataclass(frozen=True)
class Brief:
    programme_id: int
    reference_code: str
    title: str
    instrument: str
    donor: str
    legal_basis: str
    recipient: str
    recipient_units: str
    implementing_bodies: str
    kinds: tuple[str, ...]
    status: str
    suspended: bool
    start_date: date | None
    end_date: date | None
    summary: str
    money: tuple[MoneyLine, ...]
    safeguards: tuple[SafeguardLine, ...]
    questions: tuple[QuestionLine, ...]
    sources: tuple[SourceLine, ...]
    clearance: Classification
    marking: Classification
    withheld: bool  # material above `clearance` exists and is left out

    @cached_property
    def issues(self) -> tuple[CommitteeIssue, ...]:
        """What the committee should raise: derived from the rest of the brief."""
        from app.reports.issues import committee_issues

        return tuple(committee_issues(self))

    @property
    def overdue(self) -> list[QuestionLine]:
        return [q for q in self.questions if q.status == InquiryStatus.OVERDUE]

    @property
    def evaded(self) -> list[tuple[QuestionLine, ItemLine]]:
        """Items the government answered evasively or refused to answer."""
        return [(q, item) for q in self.questions for item in q.items
                if item.assessment in (Assessment.EVASIVE, Assessment.REFUSED)]

    @property
    def open_questions(self) -> list[tuple[QuestionLine, ItemLine]]:
        """Items still waiting for a satisfactory answer: unanswered, or not answered in full."""
        return [(q, item) for q in self.questions
                if q.status not in (InquiryStatus.WITHDRAWN, InquiryStatus.DRAFT)
                for item in q.items if item.assessment != Assessment.COMPLETE]


def gather_brief(session: Session, programme_id: int, calendar: WorkingCalendar,
                 today: date) -> Brief:
    """The brief of a programme as the session's reader may see it (NotFound if they may not)."""
    programme = get_programme(session, programme_id)
    marking = programme.classification
    money = []
    for total in programme_totals(programme):
        notes = dict.fromkeys(line.note.strip() for line in programme.funding_lines
                              if line.currency == total.currency and line.note.strip())
        money.append(MoneyLine(total.currency, total.committed_cents, total.disbursed_cents,
                               tuple(funding_by_year(programme, total.currency)), tuple(notes)))
    marking = max([marking] + [line.classification for line in programme.funding_lines])
    sources = tuple(SourceLine(n, s.title, s.url, s.confidence.value == "verified", s.note)
                    for n, s in enumerate(programme.sources, start=1))
    marking = max([marking] + [s.classification for s in programme.sources])
    safeguards = []
    for row in scorecard(session, programme):
        rating = row.rating
        if rating is not None:
            marking = max([marking, rating.classification]
                          + [link.evidence.classification for link in row.evidence]
                          + [link.target.classification for link in row.evidence])
        safeguards.append(SafeguardLine(
            row.criterion.code, row.criterion.title, row.level, rating is not None,
            rating.rationale if rating else "",
            tuple(link.target.text for link in row.evidence), row.criterion.check_questions,
        ))
    states = inquiries_about(session, programme.id, calendar, today)
    questions = []
    for state in states:
        line, level = _question_line(state, today)
        questions.append(line)
        marking = max(marking, level)
    return Brief(
        programme_id=programme.id, reference_code=programme.reference_code,
        title=programme.title, instrument=f"{programme.instrument.name} "
        f"({programme.instrument.code})", donor=programme.instrument.donor,
        legal_basis=programme.legal_basis,
        recipient=country_name(programme.recipient_country),
        recipient_units=programme.recipient_units,
        implementing_bodies=programme.implementing_bodies,
        kinds=tuple(k.kind.label for k in programme.kinds),
        status=programme.status.label, suspended=programme.status.value == "suspended",
        start_date=programme.start_date, end_date=programme.end_date,
        summary=programme.summary, money=tuple(money), safeguards=tuple(safeguards),
        questions=tuple(questions), sources=sources,
        clearance=reader_clearance(session), marking=Classification(marking),
        withheld=material_withheld(session, programme.id),
    )


def _question_line(state: InquiryState, today: date) -> tuple[QuestionLine, Classification]:
    inquiry = state.inquiry
    answer = inquiry.answer
    level = inquiry.classification
    by_item = state.assessments()
    items = []
    for item in inquiry.items:
        answered = by_item.get(item.id)
        level = max(level, item.classification)
        if answered is not None:
            level = max(level, answered.classification)
        items.append(ItemLine(
            item.number, item.text, answered.text if answered else "",
            answered.assessment if answered else None,
            answered.refusal_reason if answered else None,
            answered.assessment_note if answered else "",
            bool(answered and answered.follow_up),
        ))
    if answer is not None:
        level = max(level, answer.classification)
    ministries = [m.ministry.code for m in inquiry.ministries]
    overdue = (today - state.due_date).days if state.status == InquiryStatus.OVERDUE else 0
    return QuestionLine(
        reference=inquiry.reference or inquiry.title, title=inquiry.title,
        kind=inquiry.inquiry_type.name,
        asked_by=", ".join(p for p in (inquiry.asked_by, inquiry.faction) if p),
        submitted_on=inquiry.submitted_on, due_date=state.due_date, status=state.status,
        answered_on=answer.received_on if answer else None,
        answer_reference=answer.reference if answer else "",
        answer_ministry=(answer.ministry.code if answer and answer.ministry
                         else (ministries[0] if ministries else "")),
        has_annex=bool(answer and answer.has_classified_annex), items=tuple(items),
        days_overdue=overdue,
    ), Classification(level)


def material_withheld(session: Session, programme_id: int) -> bool:
    """Whether anything about the programme is above the reader's clearance: the brief may say
    that such material exists, never what it is or how much."""
    clearance = int(reader_clearance(session))
    linked = select(InquiryProgramme.inquiry_id).where(
        InquiryProgramme.programme_id == programme_id)
    checks = [
        select(FundingLine.id).where(FundingLine.programme_id == programme_id,
                                     FundingLine.classification > clearance),
        select(Source.id).where(Source.programme_id == programme_id,
                                Source.classification > clearance),
        select(SafeguardRating.id).where(SafeguardRating.programme_id == programme_id,
                                         SafeguardRating.classification > clearance),
        select(SafeguardEvidence.id).join(
            SafeguardRating, SafeguardRating.id == SafeguardEvidence.rating_id).where(
            SafeguardRating.programme_id == programme_id,
            SafeguardEvidence.classification > clearance),
        select(Inquiry.id).where(Inquiry.id.in_(linked), Inquiry.classification > clearance),
        select(InquiryItem.id).where(InquiryItem.inquiry_id.in_(linked),
                                     InquiryItem.classification > clearance),
        select(Answer.id).where(Answer.inquiry_id.in_(linked),
                                Answer.classification > clearance),
        select(AnswerItem.id).join(Answer, Answer.id == AnswerItem.answer_id).where(
            Answer.inquiry_id.in_(linked), AnswerItem.classification > clearance),
    ]
    with reading_everything(session):
        return bool(session.exec(select(sa.or_(*[sa.exists(check) for check in checks]))).one())

