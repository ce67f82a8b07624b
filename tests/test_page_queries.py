"""The main pages send the same number of SQL statements on a small register as on one several
times larger (no query per row), and the statements loading a list's records are bounded."""

import re
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from app import clock
from app.audit.recorder import Actor, set_actor
from app.models import (
    AgendaItem, Answer, AnswerItem, Assessment, Classification, Hearing, Inquiry, InquiryItem, InquiryMinistry,
    InquiryProgramme, InquiryType, Instrument, Ministry, Programme, ProgrammeNote,
)
from tests.conftest import counting

ASSESSMENTS = [Assessment.COMPLETE, Assessment.PARTIAL, None, Assessment.REFUSED]


def _grow(db: Session, start: int, count: int) -> None:
    """`count` more programmes, each with notes, inquiries in every state (items, answers,
    assessments, lead ministry, link), and a hearing with the programme on its agenda; the
    first programme and hearing gain parts each time, so their pages grow too."""
    set_actor(db, Actor(None, "test set-up"))
    instrument = db.exec(select(Instrument.id)).first()
    types = list(db.exec(select(InquiryType.id)))
    ministries = list(db.exec(select(Ministry.id)))
    today = clock.today()
    for n in range(start, start + count):
        programme = Programme(reference_code=f"SCALE-{n:03d}", title=f"Programme {n}",
                              instrument_id=instrument, recipient_country="MD", status="active",
                              classification=Classification(n % 3 == 2))
        db.add(programme)
        db.flush()
        first = db.exec(select(Programme.id).order_by(Programme.id)).first()
        for target in {first, programme.id}:
            db.add(ProgrammeNote(programme_id=target, title=f"Note {n}", body="Seen on site."))
        for k in range(4):
            inquiry = Inquiry(inquiry_type_id=types[(n + k) % len(types)],
                              reference=f"20/{n}-{k}", title=f"Question {n}-{k}",
                              submitted_on=today - timedelta(days=[3, 40, 90, 10][k]) if k
                              else None)
            db.add(inquiry)
            db.flush()
            db.add(InquiryMinistry(inquiry_id=inquiry.id, lead=True,
                                   ministry_id=ministries[n % len(ministries)]))
            db.add(InquiryProgramme(inquiry_id=inquiry.id, programme_id=first))
            items = [InquiryItem(inquiry_id=inquiry.id, number=i, text=f"Item {i}?")
                     for i in range(1, 4)]
            db.add_all(items)
            db.flush()
            if k == 2:
                answer = Answer(inquiry_id=inquiry.id, received_on=today - timedelta(days=5),
                                ministry_id=ministries[0])
                db.add(answer)
                db.flush()
                db.add_all([AnswerItem(answer_id=answer.id, item_id=item.id, text="Answer.",
                                       assessment=ASSESSMENTS[(n + i) % len(ASSESSMENTS)])
                            for i, item in enumerate(items)])
        hearing = Hearing(committee="Foreign Affairs", title=f"Sitting {n}",
                          held_on=today + timedelta(days=n - 3))
        db.add(hearing)
        db.flush()
        first_hearing = db.exec(select(Hearing.id).order_by(Hearing.id)).first()
        for target in {first_hearing, hearing.id}:
            db.add(AgendaItem(hearing_id=target, programme_id=programme.id, position=n))
    db.commit()


def _pages(db: Session) -> dict[str, str]:
    """Each page once; lists in an order that shows rows of every kind at both sizes (which
    parts are loaded depends on the rows shown: a page without answers loads none)."""
    def first(model) -> int:
        return db.exec(select(model.id).order_by(model.id)).first()
    return {
        "dashboard": "/", "programme list": "/programmes", "inquiry list": "/inquiries?sort=reference",
        "inquiry list overdue": "/inquiries?status=overdue",
        "inquiry list partial": "/inquiries?status=partially_answered&sort=title",
        "hearing list": "/hearings", "search": "/search?q=Question",
        "programme detail": f"/programmes/{first(Programme)}",
        "inquiry detail": f"/inquiries/{first(Inquiry) + 2}",
        "hearing detail": f"/hearings/{first(Hearing)}",
    }


def _statements(server, http, pages: dict[str, str]) -> dict[str, list[str]]:
    found = {}
    for name, path in pages.items():
        with counting(server.app.state.engine) as statements:
            response = http.get(path)
            assert response.status_code == 200, (name, response.text[:300])
        found[name] = list(statements)
    return found


# Loads of a list's whole records: a SELECT of the record's columns (its marking among them) from
# its table. The inquiry list also reads a few columns of every match to sort by derived status
# and due date (app.inquiries.listing); that read is not a record load.
RECORD_LOADS = {"programme list": "programme", "inquiry list": "inquiry",
                "inquiry list overdue": "inquiry", "inquiry list partial": "inquiry",
                "search": "search_entry"}


def _bounded(statement: str) -> bool:
    """A statement is bounded if it has a LIMIT, only takes the ids of a page's rows, or
    groups (one row per country, kind...)."""
    return ("LIMIT" in statement or "GROUP BY" in statement
            or re.search(r"\.id IN \(", statement) is not None)


@pytest.fixture
def grown(server, db, client_for):
    http = client_for(server, "staff")
    _grow(db, 0, 3)
    pages = _pages(db)
    small = _statements(server, http, pages)
    _grow(db, 3, 12)
    return small, _statements(server, http, pages)


def test_each_page_sends_as_many_statements_on_a_larger_register(grown):
    small, large = grown
    assert {name: len(s) for name, s in large.items()} == {
        name: len(s) for name, s in small.items()}


def test_the_record_loads_of_list_pages_are_bounded(grown):
    _, large = grown
    for name, table in RECORD_LOADS.items():
        loads = [s for s in large[name]
                 if re.search(rf"FROM {table}\b", s) and f"{table}.classification" in s.split(
                     "FROM")[0] and "count(" not in s]
        assert loads, name
        assert all(_bounded(s) for s in loads), (name, [s for s in loads if not _bounded(s)])


def test_the_inquiry_list_filters_by_derived_status_on_a_larger_register(server, db,
                                                                         client_for):
    http = client_for(server, "staff")
    _grow(db, 0, 15)
    partial = http.get("/inquiries?status=partially_answered").text
    # Every answer generated leaves an item not answered completely.
    assert all(f"Question {n}-2<" in partial for n in range(15))
    assert "Question 0-1<" not in partial
    answered = http.get("/inquiries?status=answered").text
    assert "Question 0-2<" not in answered
    by_reference = http.get("/inquiries?sort=reference&page=3").text
    assert "20/9-3" in by_reference and "20/0-0" not in by_reference
