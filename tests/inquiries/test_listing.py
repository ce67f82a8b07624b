"""The lists' status and due date, read a few columns at a time (app.inquiries.listing), agree
with those of the fully loaded inquiry (app.inquiries.service.state_of) for every inquiry at
every clearance: drafts, deadlines set or extended, withdrawals, no-deadline types, answers
complete or not, items and answers above the reader's clearance."""

from datetime import timedelta

import pytest
from sqlmodel import select

from app import clock
from app.audit.recorder import Actor, set_actor
from app.clearance import set_reader_clearance
from app.inquiries.deadlines import WorkingCalendar
from app.inquiries.listing import listed
from app.inquiries.service import inquiry_states
from app.models import (
    Answer, AnswerItem, Assessment, Classification, DeadlineExtension, Inquiry, InquiryItem,
    InquiryType,
)
from tests.register_growth import grow

CALENDAR = WorkingCalendar()
PUBLIC, RESTRICTED, CONFIDENTIAL = (Classification.PUBLIC, Classification.RESTRICTED,
                                    Classification.CONFIDENTIAL)


def _edge_cases(db) -> None:
    """Inquiries whose status turns on what the reader may see or on overrides of the rule."""
    set_actor(db, Actor(None, "test set-up"))
    today = clock.today()
    for n, type_id in enumerate(db.exec(select(InquiryType.id))):
        for case in range(9):
            submitted = today - timedelta(days=[1, 5, 12, 30, 45, 2, 20, 60, 15][case] + n)
            inquiry = Inquiry(inquiry_type_id=type_id, title=f"Edge {n}-{case}",
                              submitted_on=submitted,
                              set_due_date=today + timedelta(days=2) if case == 1 else None,
                              withdrawn_on=today if case == 7 else None)
            db.add(inquiry)
            db.flush()
            if case in (2, 3):
                db.add(DeadlineExtension(inquiry_id=inquiry.id, reason="Asked for time",
                                         new_due_date=today + timedelta(days=case * 3 - 7)))
            items = [InquiryItem(inquiry_id=inquiry.id, number=i, text="Why?",
                                 classification=RESTRICTED if (case, i) == (4, 2) else PUBLIC)
                     for i in (1, 2)]
            db.add_all(items)
            db.flush()
            if case >= 4:
                answer = Answer(inquiry_id=inquiry.id, received_on=today,
                                classification=CONFIDENTIAL if case == 6 else PUBLIC)
                db.add(answer)
                db.flush()
                # Case 4: the answers are restricted (and so is item 2); case 5 answers one of
                # two items; case 6's answer is confidential; case 8 answers all, in public.
                for item in items[: 1 if case == 5 else 2]:
                    db.add(AnswerItem(answer_id=answer.id, item_id=item.id, text="Because.",
                                      assessment=Assessment.COMPLETE,
                                      classification=RESTRICTED if case == 4 else PUBLIC))
    db.commit()


@pytest.mark.parametrize("clearance", list(Classification))
def test_listed_status_and_due_date_agree_with_the_loaded_inquiry(db, empty_db, clearance):
    grow(db, 0, 4)
    _edge_cases(db)
    set_reader_clearance(db, clearance)
    today = clock.today()
    full = {s.inquiry.id: (s.status, s.due_date) for s in inquiry_states(db, CALENDAR, today)}
    light = {row.id: (row.status, row.due_date) for row in listed(db, CALENDAR, today)}
    assert light == full
    # Every status occurs, so each branch of the rule was compared.
    assert {status for status, _ in full.values()} >= {
        "draft", "submitted", "overdue", "answered", "partially_answered", "withdrawn"}


def test_a_change_shows_at_once_in_the_lists_and_on_the_dashboard(server, db, client_for):
    """Lists are kept between requests until the register changes: a change made anywhere
    (here by another connection, as another server process would) shows on the next page."""
    http = client_for(server, "staff")
    grow(db, 0, 2)
    assert "Fresh overdue" not in http.get("/inquiries?status=overdue").text
    assert "Fresh overdue" not in http.get("/").text
    set_actor(db, Actor(None, "test set-up"))
    type_id = db.exec(select(InquiryType.id).where(InquiryType.code == "written_question")).one()
    fresh = Inquiry(inquiry_type_id=type_id, title="Fresh overdue",
                    submitted_on=clock.today() - timedelta(days=60))
    db.add(fresh)
    db.commit()
    assert "Fresh overdue" in http.get("/inquiries?status=overdue").text
    assert "Fresh overdue" in http.get("/").text
    fresh.withdrawn_on = clock.today()
    db.commit()
    assert "Fresh overdue" not in http.get("/inquiries?status=overdue").text
    assert "Fresh overdue" in http.get("/inquiries?status=withdrawn").text
    assert "Fresh overdue" not in http.get("/").text
