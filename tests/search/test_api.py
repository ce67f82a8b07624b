"""API search (GET /api/v1/search): the page's search as JSON, on SQLite and PostgreSQL; its
filters checked."""

import pytest
from sqlmodel import select

from app.api.tokens import create_token
from app.models import User
from tests.api.tokens import api_client
from tests.conftest import ACCOUNTS
from tests.search.corpus import build_corpus, open_session


def _search(http, **params):
    response = http.get("/api/v1/search", params=params)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture
def searched(site, client_for, open_clients):
    """(API client with a staff token, page client as staff) on the search corpus."""
    build_corpus(site.url)
    with open_session(site.url) as session:
        staff = session.exec(select(User).where(User.email == ACCOUNTS["staff"][0])).one()
        secret = create_token(session, staff, "search script").secret
        session.commit()
    api = api_client(site.server.url, secret)
    open_clients.append(api)
    return api, client_for(site.server, "staff")


def test_the_api_finds_what_the_page_finds_in_the_same_order(searched):
    api, page = searched
    found = _search(api, q="Endverbleibskontrolle")
    assert found["total"] == 3
    html = page.get("/search", params={"q": "Endverbleibskontrolle"}).text
    positions = [html.index(f'href="{hit["url"]}"') for hit in found["items"]]
    assert len(set(positions)) == 3 and positions == sorted(positions)
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
