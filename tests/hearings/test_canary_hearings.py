"""Canary for hearings and the scorecard: restricted content never reaches a reader without
clearance, by any page, fragment or count; cleared readers see it, marked.

A unique string is stored only in restricted content: a restricted hearing, a restricted
programme on a public hearing's agenda, a restricted rating's rationale and a restricted
evidence note on a public programme.
"""

from collections.abc import Iterator

import pytest
from sqlmodel import select

from app.accounts.service import create_user
from app.hearings import service as hearings
from app.hearings.forms import HearingInput
from app.models import (
    Classification, Rating, Role, SafeguardEvidence, SafeguardRating, Source,
)
from tests.conftest import PASSWORD, LiveServer, _settings_for, system_session
from tests.safeguards.builders import criterion_id, programme

CANARY = "CANARY-h34r1ng"
RESTRICTED_MARKING = 'class="marking marking-restricted"'


def _hearing(session, title: str, level: Classification, notes: str = ""):
    return hearings.create_hearing(session, HearingInput.model_validate({
        "committee": "Committee on Foreign Affairs", "title": title, "held_on": "2099-03-19",
        "notes": notes, "classification": level}))


@pytest.fixture
def world(data_dir, empty_db) -> Iterator[tuple[LiveServer, dict]]:
    engine, session = system_session(empty_db)
    with session:
        public = programme(session, "PUB-CANARY", sources=[
            {"title": "Public decision", "url": "https://example.org/public"},
            {"title": "Restricted field report", "url": "https://example.org/field",
             "classification": "restricted"}])
        secret = programme(session, f"RES-{CANARY}", Classification.RESTRICTED)
        open_hearing = _hearing(session, "Open hearing", Classification.PUBLIC)
        for programme_id in (public, secret):
            hearings.add_to_agenda(session, open_hearing, programme_id)
        closed = _hearing(session, f"{CANARY} closed hearing", Classification.RESTRICTED,
                          notes=f"{CANARY} notes")
        c2, c4 = criterion_id(session, "C2"), criterion_id(session, "C4")
        session.add(SafeguardRating(programme_id=public, criterion_id=c2,
                                    rating=Rating.SERIOUS_CONCERN, rationale=f"{CANARY} vetting",
                                    classification=Classification.RESTRICTED))
        rating = SafeguardRating(programme_id=public, criterion_id=c4, rating=Rating.SOME_CONCERN,
                                 rationale="Public rationale")
        session.add(rating)
        session.flush()
        sources = {s.title: s.id for s in session.exec(
            select(Source).where(Source.programme_id == public))}
        session.add(SafeguardEvidence(rating_id=rating.id, source_id=sources["Public decision"],
                                      note="Public note"))
        session.add(SafeguardEvidence(rating_id=rating.id,
                                      source_id=sources["Restricted field report"],
                                      note=f"{CANARY} evidence note",
                                      classification=Classification.RESTRICTED))
        create_user(session, email="admin.public@test.example", name="Public admin",
                    role=Role.ADMIN, clearance=Classification.PUBLIC, password=PASSWORD)
        session.commit()
        ids = {"public": public, "secret": secret, "open": open_hearing.id,
               "closed": closed.id, "c2": c2, "c4": c4}
    engine.dispose()
    with LiveServer(_settings_for(data_dir)) as live:
        yield live, ids


def responses(http, ids) -> dict[str, str]:
    """Every page and fragment about hearings and the scorecard a reader can ask for."""
    p, fragment = ids["public"], {"HX-Request": "true"}
    asks = {
        "hearings": "/hearings",
        "open hearing": f"/hearings/{ids['open']}",
        "closed hearing": f"/hearings/{ids['closed']}",
        "closed hearing edit": f"/hearings/{ids['closed']}/edit",
        "open hearing edit": f"/hearings/{ids['open']}/edit",
        "programme": f"/programmes/{p}",
        "scorecard C2": f"/programmes/{p}/safeguards/{ids['c2']}",
        "scorecard C4": f"/programmes/{p}/safeguards/{ids['c4']}",
        "audit hearings": "/admin/audit?type=hearing",
        "audit agenda": "/admin/audit?type=agenda_item",
        "audit ratings": "/admin/audit?type=safeguard_rating",
        "audit evidence": "/admin/audit?type=safeguard_evidence",
    }
    pages = {name: http.get(url).text for name, url in asks.items()}
    # The agenda fragment an editor gets back from a refused change.
    pages["agenda fragment"] = http.post(f"/hearings/{ids['open']}/agenda",
                                         data={"programme_id": ""}, headers=fragment).text
    return pages


@pytest.mark.parametrize("account", ["member", "staff_public", "admin.public@test.example"])
def test_nothing_restricted_reaches_a_reader_without_clearance(world, client_for, account):
    live, ids = world
    pages = responses(client_for(live, account), ids)
    for name, text in pages.items():
        assert CANARY not in text, name
        assert RESTRICTED_MARKING not in text, name
    # What they may see is there: the open hearing counts one item, the public evidence shows.
    assert "Open hearing" in pages["hearings"] and '<td class="num">1</td>' in pages["hearings"]
    assert "PUB-CANARY" in pages["open hearing"]
    assert "Public note" in pages["programme"]
    c2_row = pages["programme"].split('id="safeguard-C2"')[1].split("</tr>")[0]
    assert "not yet rated" in c2_row  # the restricted rating is, for them, no rating
    if account == "staff_public":
        assert "this criterion has not been rated yet" in pages["scorecard C2"]
    if account != "member":  # an editor: the refused change did come back as the agenda
        assert "Choose a programme from the list." in pages["agenda fragment"]
        assert "PUB-CANARY" in pages["agenda fragment"]


@pytest.mark.parametrize("account", ["member_restricted", "staff", "admin"])
def test_cleared_readers_see_it_marked(world, client_for, account):
    live, ids = world
    pages = responses(client_for(live, account), ids)
    for name in ("hearings", "closed hearing", "open hearing", "programme"):
        assert CANARY in pages[name], name
        assert RESTRICTED_MARKING in pages[name], name
    assert '<td class="num">2</td>' in pages["hearings"]
    assert f"{CANARY} vetting" in pages["programme"]
    assert f"{CANARY} evidence note" in pages["programme"]
    if account != "member_restricted":
        assert f"{CANARY} vetting" in pages["scorecard C2"]
        assert RESTRICTED_MARKING in pages["scorecard C2"]
        assert f"{CANARY} evidence note" in pages["scorecard C4"]
        assert f"RES-{CANARY}" in pages["agenda fragment"]  # the editors' fragment shows it too
    if account == "admin":
        assert CANARY in pages["audit hearings"] and CANARY in pages["audit ratings"]
        assert CANARY in pages["audit evidence"]


def test_a_public_editor_rating_a_criterion_held_above_their_clearance_learns_nothing_of_it(
        world, client_for):
    """The restricted rating of C2 is not shown to them; their own rating is refused (one rating
    per criterion), with no word of what the hidden rating says."""
    live, ids = world
    http = client_for(live, "staff_public")
    url = f"/programmes/{ids['public']}/safeguards/{ids['c2']}"
    response = http.post(url, data={"rating": "no_concern", "classification": "public"})
    assert response.status_code == 409
    assert CANARY not in response.text and RESTRICTED_MARKING not in response.text
