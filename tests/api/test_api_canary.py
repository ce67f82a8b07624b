"""Canary: restricted content never reaches an API caller without clearance, by any route.

A unique string is stored only in restricted content: a programme, a funding line and a source
of a public programme, an inquiry, an item of a public inquiry, an answer item. A restricted
amount is on a public programme's funding line, so a total that counted it would show it.
Every API list, detail and total is fetched with public and restricted tokens.
"""

from collections.abc import Iterator

import pytest

from app.inquiries import service as inquiries
from app.inquiries.forms import ItemInput
from app.inquiries.items import add_item
from app.inquiries.status import InquiryStatus
from app.models import Assessment, Classification
from app.programmes import service as programmes
from app.programmes.schemas import ProgrammeInput
from tests.api.tokens import store_tokens
from tests.conftest import LiveServer, _settings_for, system_session
from tests.inquiries.answer_world import store_answer, store_inquiry

CANARY = "CANARY-api-5e21"
CANARY_CENTS = 98_765_432_100  # EUR 987,654,321 on a restricted line
RESTRICTED = Classification.RESTRICTED


def _programmes(db_path) -> dict[str, int]:
    base = {"instrument": "EPF", "recipient_country": "MD", "kinds": ["training"],
            "status": "active"}
    engine, session = system_session(db_path)
    with session:
        public = programmes.create_programme(session, ProgrammeInput.model_validate({
            **base, "reference_code": "PUB-API", "title": "Public programme",
            "funding": [
                {"year": "2024", "kind": "commitment", "amount": "1000", "currency": "EUR"},
                {"year": "2025", "kind": "commitment", "amount": "987654321",
                 "currency": "EUR", "note": f"{CANARY} line", "classification": "restricted"},
            ],
            "sources": [{"title": "Public source"},
                        {"title": f"{CANARY} source", "classification": "restricted"}],
        }))
        secret = programmes.create_programme(session, ProgrammeInput.model_validate({
            **base, "reference_code": "RES-API", "title": f"{CANARY} programme",
            "summary": f"{CANARY} summary", "classification": "restricted",
        }))
        session.commit()
        found = {"public": public.id, "secret": secret.id}
    engine.dispose()
    return found


def _restricted_question(db_path, inquiry_id: int) -> None:
    engine, session = system_session(db_path)
    with session:
        inquiry = inquiries.get_inquiry(session, inquiry_id)
        add_item(session, inquiry, ItemInput.model_validate(
            {"number": "2", "text": f"{CANARY} question", "classification": "restricted"}))
        session.commit()
    engine.dispose()


@pytest.fixture
def world(data_dir, empty_db) -> Iterator[tuple[LiveServer, dict, dict]]:
    ids = _programmes(empty_db)
    ids["inquiry"] = store_inquiry(empty_db, items=1, title="Public inquiry")
    _restricted_question(empty_db, ids["inquiry"])
    # The answer is public; its answer to item 1 is restricted.
    store_answer(empty_db, ids["inquiry"], assessments={
        1: (f"{CANARY} answer text", Assessment.REFUSED, None, RESTRICTED)})
    ids["secret_inquiry"] = store_inquiry(empty_db, items=1, classification=RESTRICTED,
                                          title=f"{CANARY} inquiry", reference=f"{CANARY} ref")
    tokens = store_tokens(empty_db)
    with LiveServer(_settings_for(data_dir)) as live:
        yield live, ids, tokens


def answers(http, ids) -> dict[str, str]:
    """Every API answer a caller can ask for, keyed by what was asked."""
    asks = {
        "programmes": "/api/v1/programmes",
        "programmes searched": f"/api/v1/programmes?q={CANARY}",
        "programmes page 2": "/api/v1/programmes?page=2&page_size=1",
        "public programme": f"/api/v1/programmes/{ids['public']}",
        "secret programme": f"/api/v1/programmes/{ids['secret']}",
        "inquiries": "/api/v1/inquiries",
        "inquiries searched": f"/api/v1/inquiries?q={CANARY}",
        "inquiries answered": "/api/v1/inquiries?status=partially_answered",
        "public inquiry": f"/api/v1/inquiries/{ids['inquiry']}",
        "public answer": f"/api/v1/inquiries/{ids['inquiry']}/answer",
        "secret inquiry": f"/api/v1/inquiries/{ids['secret_inquiry']}",
        "secret answer": f"/api/v1/inquiries/{ids['secret_inquiry']}/answer",
        "hearings": "/api/v1/hearings",
        "searched": f"/api/v1/search?q={CANARY}",
        "searched for the public words": "/api/v1/search?q=public",
        "searched in the public programme": f"/api/v1/search?q={CANARY}&programme={ids['public']}",
        "searched in the secret programme": f"/api/v1/search?q={CANARY}&programme={ids['secret']}",
    }
    return {what: http.get(path).text for what, path in asks.items()}


def test_public_tokens_never_get_restricted_content(world, api_for):
    live, ids, tokens = world
    for caller in ("member", "staff_public"):
        found = answers(api_for(live, tokens[caller]), ids)
        leaks = [what for what, body in found.items()
                 if CANARY in body or str(CANARY_CENTS) in body or "98876543" in body]
        assert leaks == [], (caller, leaks)
        http = api_for(live, tokens[caller])
        listed = http.get("/api/v1/programmes").json()
        assert listed["total"] == 1
        assert listed["totals"] == [{"currency": "EUR", "committed_cents": 100_000,
                                     "disbursed_cents": 0}]
        inquiry = http.get(f"/api/v1/inquiries/{ids['inquiry']}").json()
        assert [item["number"] for item in inquiry["items"]] == [1]
        # The answer is public; its restricted answer to item 1 is not there for them.
        assert http.get(f"/api/v1/inquiries/{ids['inquiry']}/answer").json()["items"] == []
        assert http.get(f"/api/v1/inquiries/{ids['secret_inquiry']}").status_code == 404
        assert http.get("/api/v1/inquiries").json()["total"] == 1
        assert http.get(f"/api/v1/search?q={CANARY}").json()["total"] == 0


def test_cleared_tokens_get_it_with_its_marking(world, api_for):
    live, ids, tokens = world
    for caller in ("member_restricted", "staff"):
        http = api_for(live, tokens[caller])
        found = answers(http, ids)
        for what in ("programmes searched", "public programme", "secret programme",
                     "inquiries searched", "public inquiry", "public answer", "secret inquiry",
                     "searched", "searched in the public programme",
                     "searched in the secret programme"):
            assert CANARY in found[what], (caller, what)
        public = http.get(f"/api/v1/programmes/{ids['public']}").json()
        line = next(f for f in public["funding_lines"] if f["note"] == f"{CANARY} line")
        assert (line["amount_cents"], line["classification"]) == (CANARY_CENTS, "restricted")
        assert public["totals"][0]["committed_cents"] == CANARY_CENTS + 100_000
        answer = http.get(f"/api/v1/inquiries/{ids['inquiry']}/answer").json()
        assert answer["items"][0]["classification"] == "restricted"
        inquiry = http.get(f"/api/v1/inquiries/{ids['inquiry']}").json()
        assert inquiry["status"] == InquiryStatus.PARTIALLY_ANSWERED.value
        assert {i["number"]: i["classification"] for i in inquiry["items"]} == {
            1: "public", 2: "restricted"}
        hits = http.get(f"/api/v1/search?q={CANARY}").json()["items"]
        # Every restricted record holding the canary is found, with its marking (funding lines
        # are not searched).
        assert {(h["kind"], h["classification"]) for h in hits} >= {
            ("programme", "restricted"), ("source", "restricted"), ("item", "restricted"),
            ("answer_item", "restricted"), ("inquiry", "restricted")}
        assert all("<mark>" in h["title_html"] + h["snippet_html"] for h in hits)
