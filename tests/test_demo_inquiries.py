"""The demo inquiries, answers, hearings and safeguard ratings: real questions cite their
Drucksache and say what the sources lack; demo examples keep the dashboard alive on any day."""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy.orm import selectinload
from sqlmodel import Session, select

from app.clearance import set_reader_clearance
from app.demo.inquiries import due_soon_submission
from app.demo.inquiry_file import DEMO_LABEL, demo_inquiry_file
from app.inquiries.deadlines import DeadlineRule, WorkingCalendar, compute_due_date
from app.inquiries.status import InquiryStatus, derive_status
from app.models import (
    AgendaItem, Answer, AnswerItem, Assessment, AuditEvent, Classification, DayCount, Hearing,
    Inquiry, InquiryItem, InquiryMinistry, InquiryProgramme, Programme, Rating, RefusalReason,
    SafeguardCriterion, SafeguardEvidence, SafeguardRating, Source,
)

# The settings' default jurisdiction: Germany's federal holidays plus Berlin's.
CALENDAR = WorkingCalendar("DE", "BE")
# Rows of the sourced table of minor interpellations the demo file was written from.
SOURCE_ROWS = 19
MINOR_INTERPELLATION = DeadlineRule("Minor interpellation", DayCount.CALENDAR, 14)


def _inquiries(db: Session) -> list[Inquiry]:
    return list(db.exec(select(Inquiry).options(
        selectinload(Inquiry.inquiry_type), selectinload(Inquiry.items),
        selectinload(Inquiry.ministries).selectinload(InquiryMinistry.ministry),
        selectinload(Inquiry.answer).selectinload(Answer.items),
        selectinload(Inquiry.answer).selectinload(Answer.ministry),
    )))


def _status(inquiry: Inquiry, today: date) -> InquiryStatus:
    due = compute_due_date(inquiry.submitted_on, DeadlineRule.of(inquiry.inquiry_type), CALENDAR,
                           set_due_date=inquiry.set_due_date)
    answered = {a.item_id: a.assessment for a in inquiry.answer.items} if inquiry.answer else {}
    return derive_status(submitted_on=inquiry.submitted_on, withdrawn_on=inquiry.withdrawn_on,
                         due_date=due.date, answered=inquiry.answer is not None,
                         assessments=[answered.get(item.id) for item in inquiry.items],
                         today=today, calendar=CALENDAR)


def _real(inquiries: list[Inquiry]) -> list[Inquiry]:
    return [i for i in inquiries if not i.title.startswith(DEMO_LABEL)]


class TestDemoFile:
    def test_validates_and_accounts_for_every_source_row(self):
        demo = demo_inquiry_file()
        assert len(demo.inquiries) >= 15
        assert len(demo.inquiries) + len(demo.not_loaded) == SOURCE_ROWS
        assert all(reason.reason for reason in demo.not_loaded)

    def test_real_items_are_marked_as_paraphrases(self):
        for inquiry in demo_inquiry_file().inquiries:
            for item in inquiry.items:
                assert re.match(r"^\[(Topic|Subject) from the .+, paraphrased\] ", item.text), \
                    (inquiry.reference, item.number)

    def test_examples_and_hearings_are_labelled_demo(self):
        demo = demo_inquiry_file()
        assert all(e.title.startswith(DEMO_LABEL) for e in demo.examples)
        assert all(h.title.startswith(DEMO_LABEL) for h in demo.hearings)
        assert all(r.rationale.startswith("Demo rating") for r in demo.ratings)

    def test_an_unexplained_gap_is_refused(self):
        document = demo_inquiry_file().model_dump(mode="json")
        undated = next(i for i in document["inquiries"] if i["submitted_on"] is None)
        undated["uncertainty"] = []
        with pytest.raises(ValueError, match="date it was tabled"):
            type(demo_inquiry_file()).model_validate(document)

    def test_an_assessment_not_labelled_demo_is_refused(self):
        document = demo_inquiry_file().model_dump(mode="json")
        example = next(e for e in document["examples"] if e["answer"])
        example["answer"]["items"][0]["assessment_note"] = "Evasive."
        with pytest.raises(ValueError, match="demo assessment"):
            type(demo_inquiry_file()).model_validate(document)


class TestLoadedInquiries:
    def test_every_real_inquiry_is_loaded_citing_its_drucksache(self, demo_db, db):
        inquiries = _inquiries(db)
        real = _real(inquiries)
        assert len(real) == len(demo_inquiry_file().inquiries)
        for inquiry in real:
            assert re.fullmatch(r"Drucksache [0-9]{2}/[0-9]+", inquiry.reference)
            assert inquiry.inquiry_type.code == "minor_interpellation"
            assert "Sources:\n- https://" in inquiry.preamble
        assert {i.reference for i in real} >= {"Drucksache 19/5546", "Drucksache 19/113"}
        evaluation = next(i for i in real if i.reference == "Drucksache 19/5546")
        assert evaluation.submitted_on == date(2018, 11, 7)
        assert "The original has 18 sub-questions" in evaluation.preamble
        assert evaluation.answer.reference == "Drucksache 19/6338"
        assert evaluation.answer.received_on == date(2018, 12, 7)
        assert [m.ministry.code for m in evaluation.ministries if m.lead] == ["AA"]

    def test_what_the_sources_lack_is_said_not_invented(self, demo_db, db):
        real = _real(_inquiries(db))
        unnumbered = [i for i in real if i.answer and not i.answer.reference]
        assert {i.reference for i in unnumbered} == {"Drucksache 20/14734", "Drucksache 20/7998"}
        for inquiry in unnumbered:
            assert "Not found in the sources: the Drucksache number" in inquiry.answer.notes
            assert "Not found in the sources: the Drucksache number" in inquiry.preamble
        undated = [i for i in real if i.submitted_on is None]
        assert undated
        for inquiry in undated:
            assert "the date the question was tabled" in inquiry.preamble
        no_ministry = next(i for i in real if i.reference == "Drucksache 19/22683")
        assert no_ministry.answer.ministry is None and not no_ministry.ministries
        assert "which ministry answered" in no_ministry.preamble

    def test_answered_real_inquiries_are_never_drafts(self, demo_db, db, demo_loaded_on):
        for inquiry in _real(_inquiries(db)):
            assert _status(inquiry, demo_loaded_on) in (
                InquiryStatus.ANSWERED, InquiryStatus.PARTIALLY_ANSWERED), inquiry.reference

    def test_the_dashboard_has_something_in_every_state_today(self, demo_db, db, demo_loaded_on):
        today = demo_loaded_on
        inquiries = _inquiries(db)
        statuses = {_status(i, today) for i in inquiries}
        assert {InquiryStatus.OVERDUE, InquiryStatus.DUE_SOON, InquiryStatus.DRAFT,
                InquiryStatus.SUBMITTED, InquiryStatus.PARTIALLY_ANSWERED} <= statuses
        recent = [i for i in inquiries if i.answer and today - i.answer.received_on
                  <= timedelta(days=14)]
        assert recent and all(i.title.startswith(DEMO_LABEL) for i in recent)

    def test_the_draft_follows_up_the_answered_example(self, demo_db, db):
        inquiries = {i.id: i for i in _inquiries(db)}
        draft = next(i for i in inquiries.values() if i.submitted_on is None and i.answer is None)
        original = inquiries[draft.follow_up_of_id]
        assert original.answer is not None
        assert "Follow-up to item 2" in draft.items[0].text

    def test_items_are_assessed_in_a_realistic_mix(self, demo_db, db):
        items = db.exec(select(AnswerItem).where(AnswerItem.assessment.is_not(None))).all()
        assert {item.assessment for item in items} == set(Assessment)
        assert all("Demo assessment by the committee staff" in item.assessment_note
                   for item in items)
        refused = [item for item in items if item.assessment == Assessment.REFUSED]
        assert refused and all(i.refusal_reason == RefusalReason.CLASSIFIED for i in refused)
        assert sum(item.follow_up for item in items) >= 2

    def test_inquiries_are_linked_to_demo_programmes(self, demo_db, db):
        inquiry = next(i for i in _inquiries(db) if i.reference == "Drucksache 19/133")
        codes = db.exec(select(Programme.reference_code).join(
            InquiryProgramme, InquiryProgramme.programme_id == Programme.id,
        ).where(InquiryProgramme.inquiry_id == inquiry.id)).all()
        assert set(codes) == {"E2I-TUN-BORDER-2017", "E2I-TUN-SURVEILLANCE-DTRA"}


class TestClassifiedAnnex:
    def test_the_annex_answers_are_restricted(self, demo_db, db):
        annexed = db.exec(select(Answer).where(Answer.has_classified_annex)).all()
        assert len(annexed) == 1
        items = db.exec(select(AnswerItem).where(AnswerItem.answer_id == annexed[0].id)).all()
        restricted = [i for i in items if i.classification == Classification.RESTRICTED]
        assert len(restricted) == 2
        assert all("classified annex" in i.text for i in restricted)
        assert annexed[0].classification == Classification.PUBLIC

    def test_a_public_reader_does_not_get_the_annex_answers(self, demo_db, db):
        annexed = db.exec(select(Answer).where(Answer.has_classified_annex)).one()
        cleared = db.exec(select(AnswerItem.id).where(AnswerItem.answer_id == annexed.id)).all()
        with Session(db.get_bind()) as public:
            set_reader_clearance(public, Classification.PUBLIC)
            seen = public.exec(select(AnswerItem).where(
                AnswerItem.answer_id == annexed.id)).all()
        assert len(seen) == len(cleared) - 2
        assert all("classified annex" not in item.text for item in seen)


class TestHearings:
    def test_an_upcoming_hearing_has_an_ordered_agenda(self, demo_db, db, demo_loaded_on):
        today = demo_loaded_on
        hearings = db.exec(select(Hearing).options(selectinload(Hearing.agenda))
                           .order_by(Hearing.held_on)).all()
        upcoming = [h for h in hearings if h.held_on > today]
        assert len(upcoming) >= 1 and any(h.held_on < today for h in hearings)
        first = upcoming[0]
        assert first.committee == "Committee on Foreign Affairs (Auswärtiger Ausschuss)"
        assert today + timedelta(days=9) <= first.held_on <= today + timedelta(days=14)
        assert CALENDAR.is_working_day(first.held_on)
        codes = [db.get(Programme, a.programme_id).reference_code for a in first.agenda]
        assert codes == ["EPF-NER-2022-1236", "EPF-NER-2023", "EPF-MLI-2021-2137"]
        assert [a.position for a in first.agenda] == [1, 2, 3]

    def test_the_audit_trail_records_the_start_time(self, demo_db, db):
        hearing = db.exec(select(Hearing).where(Hearing.starts_at.is_not(None))).first()
        event = db.exec(select(AuditEvent).where(
            AuditEvent.record_type == "hearing", AuditEvent.record_id == hearing.id)).one()
        assert event.changes["starts_at"]["after"] == hearing.starts_at.isoformat()
        assert db.exec(select(AgendaItem)).first() is not None


class TestSafeguardRatings:
    def test_ratings_cover_several_programmes_with_every_rating(self, demo_db, db):
        ratings = db.exec(select(SafeguardRating)).all()
        assert len({r.programme_id for r in ratings}) >= 3
        assert {r.rating for r in ratings} == set(Rating)
        assert all(r.rationale for r in ratings)

    def test_suspension_in_niger_is_rated_with_its_source(self, demo_db, db):
        niger = db.exec(select(Programme).where(
            Programme.reference_code == "EPF-NER-2022-1236")).one()
        c12 = db.exec(select(SafeguardCriterion).where(SafeguardCriterion.code == "C12")).one()
        rating = db.exec(select(SafeguardRating).options(selectinload(SafeguardRating.evidence))
                         .where(SafeguardRating.programme_id == niger.id,
                                SafeguardRating.criterion_id == c12.id)).one()
        assert "coup" in rating.rationale
        sources = [db.get(Source, e.source_id) for e in rating.evidence]
        assert any("spokesman.com" in s.url for s in sources)

    def test_evidence_is_marked_at_least_as_its_target_and_rating(self, demo_db, db):
        evidence = db.exec(select(SafeguardEvidence)).all()
        assert any(e.answer_item_id for e in evidence) and any(e.source_id for e in evidence)
        assert any(e.classification == Classification.RESTRICTED for e in evidence)
        for link in evidence:
            target = (db.get(AnswerItem, link.answer_item_id) if link.answer_item_id
                      else db.get(Source, link.source_id))
            rating = db.get(SafeguardRating, link.rating_id)
            assert link.classification >= max(target.classification, rating.classification)
            if link.source_id:
                assert target.programme_id == rating.programme_id


def test_an_answered_inquiry_whose_tabling_date_is_unknown_is_not_a_draft():
    status = derive_status(submitted_on=None, withdrawn_on=None, due_date=None, answered=True,
                           assessments=[Assessment.COMPLETE], today=date(2026, 3, 2),
                           calendar=CALENDAR)
    assert status == InquiryStatus.ANSWERED


def test_the_due_soon_example_is_due_soon_on_every_day_of_two_years():
    day = date(2026, 1, 1)
    while day < date(2028, 1, 1):
        submitted = due_soon_submission(MINOR_INTERPELLATION, CALENDAR, day)
        due = compute_due_date(submitted, MINOR_INTERPELLATION, CALENDAR).date
        assert derive_status(submitted_on=submitted, withdrawn_on=None, due_date=due,
                             answered=False, assessments=[], today=day,
                             calendar=CALENDAR) == InquiryStatus.DUE_SOON, day
        day += timedelta(days=1)


def test_item_rows_are_never_marked_below_their_inquiry(demo_db, db):
    for item in db.exec(select(InquiryItem)).all():
        assert item.classification >= db.get(Inquiry, item.inquiry_id).classification
