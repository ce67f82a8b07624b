"""Canary: restricted content never reaches a reader without clearance, by any route.

Unique strings (and a currency and a country used nowhere else) are stored only in restricted
content. Every page, fragment, chart and total is fetched as readers with and without clearance.
"""

import re
from collections.abc import Iterator

import pytest
from sqlmodel import select

from app.accounts.service import create_user
from app.models import Classification, FundingLine, Programme, Role
from app.programmes import service as programmes
from app.programmes.schemas import ProgrammeInput
from tests.conftest import PASSWORD, LiveServer, _settings_for, system_session

CANARY = "CANARY-7f3a9c"
CANARY_CURRENCY = "CHF"    # only on a restricted funding line
CANARY_COUNTRY = "IS"      # only the restricted programme goes to Iceland
CANARY_COUNTRY_NAME = "Iceland"
CANARY_AMOUNT = "987,654,321"


def _input(**values) -> ProgrammeInput:
    base = {"instrument": "EPF", "recipient_country": "MD", "kinds": ["training"],
            "status": "active"}
    return ProgrammeInput.model_validate({**base, **values})


@pytest.fixture
def world(data_dir, demo_db) -> Iterator[tuple[LiveServer, dict]]:
    engine, session = system_session(demo_db)
    with session:
        public = programmes.create_programme(session, _input(
            reference_code="PUB-CANARY", title="Public programme with secrets inside",
            funding=[
                {"year": "2024", "kind": "commitment", "amount": "1000", "currency": "EUR"},
                {"year": "2025", "kind": "commitment", "amount": "987654321",
                 "currency": "EUR", "note": f"{CANARY} line", "classification": "restricted"},
                {"year": "2025", "kind": "disbursement", "amount": "5", "currency": "CHF",
                 "classification": "restricted"},
            ],
            sources=[
                {"title": "Public source", "url": "https://example.org/public"},
                {"title": f"{CANARY} source", "url": "https://example.org/canary",
                 "classification": "restricted"},
            ],
        ))
        programmes.save_note(session, public, None, title=f"{CANARY} note title",
                             body=f"{CANARY} note body", classification=Classification.RESTRICTED)
        secret = programmes.create_programme(session, _input(
            reference_code="RES-CANARY", title=f"{CANARY} restricted programme",
            recipient_country=CANARY_COUNTRY, summary=f"{CANARY} summary",
            classification="restricted",
            funding=[{"year": "2023", "kind": "commitment", "amount": "42", "currency": "EUR"}],
        ))
        create_user(session, email="admin.public@test.example", name="Public admin",
                    role=Role.ADMIN, clearance=Classification.PUBLIC, password=PASSWORD)
        session.commit()
        ids = {"public": public.id, "secret": secret.id}
    engine.dispose()
    with LiveServer(_settings_for(data_dir)) as live:
        yield live, ids


def responses(http, ids) -> dict[str, str]:
    """Every page and fragment a reader can ask for, keyed by what was asked."""
    p, s = ids["public"], ids["secret"]
    fragment = {"HX-Request": "true"}
    asks = {
        "list": ("/programmes", {}),
        "list page 2": ("/programmes?page=2", {}),
        "list page 3": ("/programmes?page=3", {}),
        "list fragment": ("/programmes?sort=title", fragment),
        "search canary": (f"/programmes?q={CANARY}", fragment),
        "search country name": (f"/programmes?q={CANARY_COUNTRY_NAME}", fragment),
        "filter country": (f"/programmes?country={CANARY_COUNTRY}", fragment),
        "filter EPF": ("/programmes?instrument=EPF", fragment),
        "public programme": (f"/programmes/{p}", {}),
        "public chart EUR": (f"/programmes/{p}/funding.svg?currency=EUR", {}),
        "public chart CHF": (f"/programmes/{p}/funding.svg?currency={CANARY_CURRENCY}", {}),
        "public edit": (f"/programmes/{p}/edit", {}),
        "public delete": (f"/programmes/{p}/delete", {}),
        "secret programme": (f"/programmes/{s}", {}),
        "secret chart": (f"/programmes/{s}/funding.svg", {}),
        "secret edit": (f"/programmes/{s}/edit", {}),
        "account": ("/account", {}),
        "audit": ("/admin/audit", {}),
        "audit notes": ("/admin/audit?type=note", {}),
        "audit lines": ("/admin/audit?type=funding_line", {}),
        "users": ("/admin/users", {}),
    }
    return {name: http.get(url, headers=headers).text for name, (url, headers) in asks.items()}


def leaks(name: str, text: str) -> list[str]:
    found = [s for s in (CANARY, CANARY_AMOUNT) if s in text]
    # Forms list every country; the list's country filter offers only countries in the register.
    if name.startswith(("list", "filter", "search")) and CANARY_COUNTRY_NAME in text:
        found.append(CANARY_COUNTRY_NAME)
    if re.search(rf"\b{CANARY_CURRENCY}\b", text):
        found.append(CANARY_CURRENCY)
    return found


@pytest.mark.parametrize("account", ["member", "staff_public", "admin.public@test.example"])
def test_nothing_restricted_reaches_a_reader_without_clearance(world, client_for, account):
    live, ids = world
    pages = responses(client_for(live, account), ids)
    for name, text in pages.items():
        assert leaks(name, text) == [], name
        assert 'class="marking marking-restricted"' not in text, name
    assert "No programmes match" in pages["search canary"]
    assert "No programmes match" in pages["search country name"]
    # The pages were there to leak: the public parts of the programme did reach this reader.
    assert "Public programme with secrets inside" in pages["public programme"]
    assert "Public source" in pages["public programme"]
    assert "PUB-CANARY" in pages["list"] + pages["list page 2"] + pages["list page 3"]


@pytest.mark.parametrize("account", ["member_restricted", "staff", "admin"])
def test_cleared_readers_see_it_marked(world, client_for, account):
    live, ids = world
    pages = responses(client_for(live, account), ids)
    assert CANARY in pages["public programme"] and CANARY_AMOUNT in pages["public programme"]
    assert 'class="marking marking-restricted"' in pages["public programme"]
    assert CANARY in pages["secret programme"]
    assert CANARY in pages["search canary"]
    assert CANARY_CURRENCY in pages["list"]  # the restricted line counts in the totals
    assert 'class="marking marking-restricted"' in pages["list"]
    if account == "admin":
        assert CANARY in pages["audit notes"]


def test_editing_without_clearance_keeps_the_hidden_lines(world, client_for, db):
    live, ids = world
    http = client_for(live, "staff_public")
    page = http.get(f"/programmes/{ids['public']}/edit").text
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', page))
    assert "funding-1-year" not in fields  # only the public line is in the form
    form = {k: v for k, v in fields.items() if k not in ("login_token",)}
    form.update(action="save", kinds="training", title="Public programme, retitled",
                instrument="EPF", recipient_country="MD", status="active",
                classification="public", **{"funding-0-kind": "commitment",
                                            "source-0-confidence": "verified"})
    response = http.post(f"/programmes/{ids['public']}/edit", data=form)
    assert response.status_code == 303, response.text
    db.expire_all()
    lines = db.exec(select(FundingLine).where(FundingLine.programme_id == ids["public"])).all()
    assert len(lines) == 3
    assert {l.classification for l in lines} == {Classification.PUBLIC,
                                                 Classification.RESTRICTED}
    assert db.get(Programme, ids["public"]).title == "Public programme, retitled"


def test_content_cannot_be_marked_above_the_authors_clearance(world, client_for, db):
    live, ids = world
    http = client_for(live, "staff_public")
    response = http.post(f"/programmes/{ids['public']}/notes",
                         data={"title": "Try", "classification": "restricted"})
    assert response.status_code == 422
    assert "above your own clearance" in response.text
