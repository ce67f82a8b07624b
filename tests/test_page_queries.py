"""The main pages send the same number of SQL statements on a small register as on one several
times larger (no query per row), and the statements loading a list's records are bounded."""

import re

import pytest
from sqlmodel import Session, select

from app.clearance import read_as_system
from app.dashboard import service as dashboard_service
from app.db import make_engine
from app.models import Hearing, Inquiry, Programme
from tests.conftest import counting
from tests.register_growth import grow as _grow


def _pages(db: Session) -> dict[str, str]:
    """Each page once; lists in an order that shows rows of every kind at both sizes (which
    parts are loaded depends on the rows shown: a page without answers loads none)."""
    def first(model) -> int:
        return db.exec(select(model.id).order_by(model.id)).first()
    return {
        "dashboard": "/", "programme list": "/programmes",
        "inquiry list": "/inquiries?sort=reference",
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


def test_the_dashboard_shows_the_first_rows_of_a_long_list_and_counts_them_all(
        server, db, client_for, monkeypatch):
    # Fewer rows shown than the register's overdue inquiries (50 in use), not thousands built.
    monkeypatch.setattr(dashboard_service, "SHOWN", 2)
    http = client_for(server, "staff")
    _grow(db, 0, 8)
    overdue = http.get("/inquiries?status=overdue").text
    total = int(re.search(r"Showing [\d,]+–[\d,]+ of ([\d,]+)", overdue).group(1))
    assert total > 2
    page = http.get("/").text
    assert f'<a href="#overdue">{total}</a>' in page
    assert f"2 of {total} shown" in page
    section = page.split('id="overdue"')[1].split("</section>")[0]
    assert section.count('href="/inquiries/') == 2


def test_the_lists_and_figures_on_postgresql(pg_server, pg_url, client_for):
    engine = make_engine(pg_url)
    with read_as_system(Session(engine)) as session:
        _grow(session, 0, 4)
    engine.dispose()
    http = client_for(pg_server, "staff")
    partial = http.get("/inquiries?status=partially_answered").text
    assert all(f"Question {n}-2<" in partial for n in range(4))
    dashboard = http.get("/")
    assert dashboard.status_code == 200 and 'id="ministry-figures"' in dashboard.text
    assert http.get("/dashboard/ministries.svg").status_code == 200
