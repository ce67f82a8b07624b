"""API search: the page's search as JSON, on SQLite and PostgreSQL; filters checked."""

import pytest

from tests.api.tokens import store_tokens
from tests.conftest import sqlite_url
from tests.search.corpus import build_corpus


def _search(http, **params):
    response = http.get("/api/v1/search", params=params)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture(params=["sqlite", "postgresql"])
def searched(request, api_for, client_for, data_dir, empty_db):
    """(api client with a staff token, page client as staff) on the search corpus."""
    if request.param == "sqlite":
        live, url, db_file = request.getfixturevalue("server"), sqlite_url(empty_db), empty_db
    else:
        live = request.getfixturevalue("pg_server")
        url = request.getfixturevalue("pg_url")
        db_file = None
    build_corpus(url)
    token = store_tokens(db_file)["staff"] if db_file else _pg_token(url)
    return api_for(live, token), client_for(live, "staff")


def _pg_token(url: str) -> str:
    from sqlmodel import Session, select

    from app.api.tokens import create_token
    from app.clearance import read_as_system
    from app.db import make_engine
    from app.models import User

    engine = make_engine(url)
    with read_as_system(Session(engine)) as session:
        user = session.exec(select(User).where(User.email == "staff@test.example")).one()
        secret = create_token(session, user, "search script").secret
        session.commit()
    engine.dispose()
    return secret


def test_the_api_finds_what_the_page_finds_in_the_same_order(searched):
    api, page = searched
    found = _search(api, q="Endverbleibskontrolle")
    assert found["total"] == 3
    html = page.get("/search", params={"q": "Endverbleibskontrolle"}).text
    positions = [html.index(f'href="{hit["url"]}"') for hit in found["items"]]
    assert positions == sorted(positions)  # the page lists them in the API's order
    first = found["items"][0]
    assert "<mark>" in first["title_html"] + first["snippet_html"]
    assert "<mark>" not in first["title"] + first["snippet"]


def test_filters_narrow_and_unknown_values_are_refused(searched):
    api, _ = searched
    everything = _search(api, q="Mali")
    items_only = _search(api, q="Mali", kind="item")
    assert 0 < items_only["total"] < everything["total"]
    assert {hit["kind"] for hit in items_only["items"]} == {"item"}
    assert _search(api, q="Mali", page_size=1, page=2)["items"][0] == everything["items"][1]
    refused = api.get("/api/v1/search", params={"q": "Mali", "kind": "everything"})
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "kind"
    assert api.get("/api/v1/search", params={"from": "yesterday"}).status_code == 422
    assert _search(api, q="Mali", programme=999_999)["total"] == 0
