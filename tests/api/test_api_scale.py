"""Lists cost a fixed number of queries, however many rows they show; and the API runs on
PostgreSQL as on SQLite."""

from datetime import timedelta

from sqlmodel import Session, select

from app import clock
from app.accounts.service import user_by_email
from app.api.tokens import create_token
from app.clearance import read_as_system
from app.db import make_engine
from app.models import ApiToken
from tests.api.tokens import store_tokens
from tests.conftest import ACCOUNTS, counting, http_client

LISTS = ("/api/v1/programmes?page_size=100", "/api/v1/inquiries?page_size=100",
         "/api/v1/hearings?page_size=100")


def _add(http, n: int, start: int) -> None:
    for i in range(start, start + n):
        made = http.post("/api/v1/programmes", json={
            "reference_code": f"SCALE-{i}", "title": f"Programme {i}", "instrument": "EPF",
            "recipient_country": "MD", "kinds": ["training", "advisory"], "status": "active",
            "funding": [{"year": 2024, "kind": "commitment", "amount": "10", "currency": "EUR"}],
            "sources": [{"title": f"Source {i}"}]})
        assert made.status_code == 201, made.text
        inquiry = http.post("/api/v1/inquiries", json={
            "inquiry_type": "written_question", "title": f"Question {i}", "ministries": ["AA"],
            "submitted_on": (clock.today() - timedelta(days=2)).isoformat(),
            "programmes": [f"SCALE-{i}"], "items": [{"number": 1, "text": "Why?"}]})
        assert inquiry.status_code == 201, inquiry.text


def _queries(server, http) -> dict[str, int]:
    found = {}
    for path in LISTS:
        with counting(server.app.state.engine) as statements:
            assert http.get(path).status_code == 200
        found[path] = len(statements)
    return found


def test_list_queries_do_not_grow_with_the_rows_shown(server, api_for):
    http = api_for(server, store_tokens(server.settings.resolved_database_url)["staff"])
    _add(http, 2, 0)
    few = _queries(server, http)
    _add(http, 20, 2)
    assert http.get(LISTS[0]).json()["total"] == 22
    assert _queries(server, http) == few


def test_the_api_reads_and_writes_on_postgresql(pg_server, pg_url):
    engine = make_engine(pg_url)
    with read_as_system(Session(engine)) as session:
        secret = create_token(session, user_by_email(session, ACCOUNTS["staff"][0]),
                              "pg").secret
        session.commit()
    with http_client(pg_server.url, headers={"Authorization": f"Bearer {secret}"}) as http:
        _add(http, 1, 0)
        for path in LISTS:
            assert http.get(path).status_code == 200, path
        listed = http.get("/api/v1/inquiries?q=Question").json()
        assert [row["title"] for row in listed["items"]] == ["Question 0"]
    with read_as_system(Session(engine)) as session:
        assert session.exec(select(ApiToken.last_used_at)).one() is not None
    engine.dispose()
