"""Creates the demo inquiries, answers, hearings and safeguard ratings of app/demo/inquiries.json
through the ORM (so the audit trail records each row), in the caller's transaction.

Demo examples are dated from the load day, so one is always overdue, one due soon, one a draft
and one recently answered, whatever day the demo is loaded.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session, select

from app.demo.inquiry_file import (
    DemoAnswer, DemoHearing, DemoInquiry, DemoInquiryFile, DemoRating, ExampleInquiry,
    RealInquiry, demo_inquiry_file,
)
from app.inquiries.deadlines import DeadlineRule, WorkingCalendar, compute_due_date
from app.inquiries.status import InquiryStatus, derive_status
from app.models import (
    AgendaItem, Answer, AnswerItem, Hearing, Inquiry, InquiryItem, InquiryMinistry,
    InquiryProgramme, InquiryType, Ministry, Programme, SafeguardCriterion, SafeguardEvidence,
    SafeguardRating, Source,
)

# Submitted this many days before the load day, the 14-day deadline of the due-soon example
# falls within the next three working days (14: it falls on the load day or the next working day).
_DUE_SOON_OFFSETS = (12, 13, 14)


@dataclass
class LoadedInquiries:
    real_inquiries: int = 0
    examples: int = 0
    items: int = 0
    answers: int = 0
    assessed_items: int = 0
    hearings: int = 0
    agenda_items: int = 0
    ratings: int = 0
    evidence: int = 0

    @property
    def inquiries(self) -> int:
        return self.real_inquiries + self.examples


def previous_working_day(calendar: WorkingCalendar, day: date) -> date:
    """`day` itself if it is a working day, else the last working day before it."""
    while not calendar.is_working_day(day):
        day -= timedelta(days=1)
    return day


class _Loader:
    """Looks up the seeded types, ministries and criteria by code, and creates the rows."""

    def __init__(self, session: Session, programmes: dict[str, Programme], today: date,
                 calendar: WorkingCalendar):
        self.session, self.programmes = session, programmes
        self.today, self.calendar = today, calendar
        self.types = {t.code: t for t in session.exec(select(InquiryType))}
        self.ministries = {m.code: m.id for m in session.exec(select(Ministry))}
        self.criteria = {c.code: c.id for c in session.exec(select(SafeguardCriterion))}
        self.inquiries: dict[str, Inquiry] = {}
        self.items: dict[str, dict[int, InquiryItem]] = {}
        self.answer_items: dict[tuple[str, int], AnswerItem] = {}
        self.loaded = LoadedInquiries()

    def days_ago(self, days: int) -> date:
        return previous_working_day(self.calendar, self.today - timedelta(days=days))

    def ministry(self, code: str | None) -> int | None:
        if code is None:
            return None
        if code not in self.ministries:
            raise ValueError(f"demo inquiries: unknown ministry code {code!r}")
        return self.ministries[code]

    def programme(self, code: str) -> Programme:
        if code not in self.programmes:
            raise ValueError(f"demo inquiries: no demo programme {code!r}")
        return self.programmes[code]

    def add_inquiry(self, spec: DemoInquiry, *, reference: str, preamble: str,
                    submitted_on: date | None, **dates) -> Inquiry:
        if spec.type not in self.types:
            raise ValueError(f"{spec.name}: unknown inquiry type {spec.type!r}")
        inquiry = Inquiry(
            inquiry_type_id=self.types[spec.type].id, reference=reference, title=spec.title,
            asked_by=spec.asked_by, faction=spec.faction, preamble=preamble,
            submitted_on=submitted_on, **dates,
        )
        self.session.add(inquiry)
        self.session.flush()
        for position, code in enumerate(spec.ministries):
            self.session.add(InquiryMinistry(inquiry_id=inquiry.id, lead=position == 0,
                                             ministry_id=self.ministry(code)))
        for code in spec.programmes:
            self.session.add(InquiryProgramme(inquiry_id=inquiry.id,
                                              programme_id=self.programme(code).id))
        items = self.items[spec.name] = {}
        for item in spec.items:
            items[item.number] = InquiryItem(inquiry_id=inquiry.id, number=item.number,
                                             text=item.text,
                                             classification=inquiry.classification)
            self.session.add(items[item.number])
        self.session.flush()
        self.inquiries[spec.name] = inquiry
        self.loaded.items += len(items)
        return inquiry

    def add_answer(self, spec: DemoInquiry, inquiry: Inquiry, answer: DemoAnswer,
                   received_on: date, notes: str) -> None:
        row = Answer(inquiry_id=inquiry.id, received_on=received_on,
                     reference=answer.reference, ministry_id=self.ministry(answer.ministry),
                     has_classified_annex=answer.has_classified_annex, notes=notes,
                     classification=inquiry.classification)
        self.session.add(row)
        self.session.flush()
        items = self.items[spec.name]
        for given in answer.items:
            answer_item = AnswerItem(
                answer_id=row.id, item_id=items[given.item].id, text=given.text,
                assessment=given.assessment, refusal_reason=given.refusal_reason,
                assessment_note=given.assessment_note, follow_up=given.follow_up,
                # Never below the answer it belongs to.
                classification=max(given.classification, row.classification),
            )
            self.session.add(answer_item)
            self.answer_items[(spec.name, given.item)] = answer_item
            self.loaded.assessed_items += given.assessment is not None
        self.session.flush()
        self.loaded.answers += 1

    def add_real(self, spec: RealInquiry) -> None:
        inquiry = self.add_inquiry(spec, reference=spec.reference, preamble=real_preamble(spec),
                                   submitted_on=spec.submitted_on)
        if spec.answer is not None:
            notes = spec.answer.notes
            if not any(item.text for item in spec.answer.items):
                notes += (" The content of the answer is not in the sources, so no item "
                          "answers are recorded here.")
            self.add_answer(spec, inquiry, spec.answer, spec.answer.received_on, notes.strip())
        self.loaded.real_inquiries += 1

    def add_example(self, spec: ExampleInquiry) -> None:
        preamble = f"Demo example: fictional, not a real question to government. {spec.summary}"
        dates: dict[str, object] = {}
        if spec.due_days_ago is not None:
            dates["set_due_date"] = self.calendar.next_working_day(
                self.today - timedelta(days=spec.due_days_ago))
        if spec.follow_up_of is not None:
            dates["follow_up_of_id"] = self.inquiries[spec.follow_up_of].id
        if spec.due_soon:
            submitted_on = due_soon_submission(DeadlineRule.of(self.types[spec.type]),
                                               self.calendar, self.today)
        elif spec.submitted_days_ago is not None:
            submitted_on = self.days_ago(spec.submitted_days_ago)
        else:
            submitted_on = None
        inquiry = self.add_inquiry(spec, reference="", preamble=preamble,
                                   submitted_on=submitted_on, **dates)
        if spec.answer is not None:
            received_on = max(self.days_ago(spec.answer.received_days_ago), submitted_on)
            self.add_answer(spec, inquiry, spec.answer, received_on, spec.answer.notes)
        self.loaded.examples += 1

    def add_hearing(self, spec: DemoHearing) -> None:
        held_on = self.calendar.next_working_day(self.today + timedelta(days=spec.in_days))
        hearing = Hearing(committee=spec.committee, held_on=held_on, starts_at=spec.starts_at,
                          title=spec.title, location=spec.location, notes=spec.notes)
        self.session.add(hearing)
        self.session.flush()
        for position, agenda in enumerate(spec.agenda, start=1):
            self.session.add(AgendaItem(hearing_id=hearing.id, position=position,
                                        programme_id=self.programme(agenda.programme).id,
                                        note=agenda.note))
        self.loaded.hearings += 1
        self.loaded.agenda_items += len(spec.agenda)

    def add_rating(self, spec: DemoRating) -> None:
        programme = self.programme(spec.programme)
        if spec.criterion not in self.criteria:
            raise ValueError(f"demo rating: unknown criterion {spec.criterion!r}")
        rating = SafeguardRating(programme_id=programme.id,
                                 criterion_id=self.criteria[spec.criterion], rating=spec.rating,
                                 rationale=spec.rationale,
                                 classification=max(spec.classification,
                                                    programme.classification))
        self.session.add(rating)
        self.session.flush()
        for evidence in spec.evidence:
            if evidence.source_url is not None:
                target = self.source(programme, evidence.source_url)
                link = {"source_id": target.id}
            else:
                target = self.answer_items[(evidence.answer.inquiry, evidence.answer.item)]
                link = {"answer_item_id": target.id}
            self.session.add(SafeguardEvidence(
                rating_id=rating.id, note=evidence.note, **link,
                # A link is never shown above its target's or its rating's marking.
                classification=max(evidence.classification, target.classification,
                                   rating.classification),
            ))
            self.loaded.evidence += 1
        self.loaded.ratings += 1

    def source(self, programme: Programme, url: str) -> Source:
        found = self.session.exec(select(Source).where(
            Source.programme_id == programme.id, Source.url == url)).first()
        if found is None:
            raise ValueError(f"demo rating: {programme.reference_code} has no source {url}")
        return found


def due_soon_submission(rule: DeadlineRule, calendar: WorkingCalendar, today: date) -> date:
    """A submission day (a working day if one fits) that makes an inquiry under `rule` due
    soon on `today`: not yet overdue, due within the next few working days."""
    fitting = []
    for offset in _DUE_SOON_OFFSETS:
        submitted = today - timedelta(days=offset)
        due = compute_due_date(submitted, rule, calendar).date
        status = derive_status(submitted_on=submitted, withdrawn_on=None, due_date=due,
                               answered=False, assessments=[], today=today, calendar=calendar)
        if status == InquiryStatus.DUE_SOON:
            fitting.append(submitted)
    if not fitting:
        raise ValueError(f"no submission day makes a {rule.name} due soon on {today}")
    return next((day for day in fitting if calendar.is_working_day(day)), fitting[0])


def real_preamble(spec: RealInquiry) -> str:
    """What is known about a real inquiry, and what the sources do not say."""
    parts = ["Real minor interpellation, recorded from public sources. Summary, paraphrased in "
             f"English from the sources (not the question's own text): {spec.summary}"]
    if spec.subquestions:
        parts.append(f"The original has {spec.subquestions} sub-questions; their wording is not "
                     "in the sources. The items below are topics named in the source summary, "
                     "paraphrased; they do not follow the original numbering.")
    else:
        parts.append("The items below are subjects named in the sources, paraphrased; they are "
                     "not the original sub-questions.")
    if spec.uncertainty:
        parts.append("Not found or uncertain in the sources:\n"
                     + "\n".join(f"- {line}" for line in spec.uncertainty))
    parts.append("Sources:\n" + "\n".join(f"- {url}" for url in spec.sources))
    return "\n\n".join(parts)


def load_demo_inquiries(session: Session, programmes: dict[str, Programme], *, today: date,
                        calendar: WorkingCalendar,
                        demo_file: DemoInquiryFile | None = None) -> LoadedInquiries:
    """Create every inquiry, answer, hearing and rating of the demo file; flushes, never
    commits. `programmes` maps reference codes to the demo programmes just created."""
    demo_file = demo_file or demo_inquiry_file()
    loader = _Loader(session, programmes, today, calendar)
    for real in demo_file.inquiries:
        loader.add_real(real)
    for example in demo_file.examples:
        loader.add_example(example)
    for hearing in demo_file.hearings:
        loader.add_hearing(hearing)
    for rating in demo_file.ratings:
        loader.add_rating(rating)
    session.flush()
    return loader.loaded
