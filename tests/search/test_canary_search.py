"""Canary: text above a reader's clearance never reaches a search result, a snippet, a count or
the htmx fragment, on SQLite and PostgreSQL; cleared readers find it, marked."""

from datetime import date

from sqlmodel import select

from app.models import AnswerItem, Classification, Inquiry, ProgrammeNote, Source
from tests.search.corpus import (
    RESTRICTED, add_answer, add_attachment, add_inquiry, add_programme, open_session,
)

CANARY = "Kanarienvogel"
PLACES = 6  # records holding the canary, all restricted or under something restricted


def results_of(html: str) -> str:
    """What the search found: the count and the results (the form above echoes the query)."""
    return html[html.index('id="results-status"'):]


def store_canaries(url: str) -> None:
    with open_session(url) as session:
        programme = add_programme(session, "EPF-CAN-1", "Public programme on border police")
        session.add_all([
            ProgrammeNote(programme_id=programme.id, title="Working note",
                          body=f"{CANARY} appears in a restricted note.",
                          classification=RESTRICTED),
            Source(programme_id=programme.id, title="Restricted source", confidence="verified",
                   note=f"{CANARY} in a source note.", classification=RESTRICTED),
        ])
        inquiry, items = add_inquiry(
            session, reference="Drucksache 20/1", title="Public inquiry on border police",
            items=["A public question.", f"{CANARY}: a restricted question?"])
        items[1].classification = RESTRICTED
        answer = add_answer(session, inquiry, items, [
            (f"{CANARY} in a restricted answer.", None), ("Public answer.", None)])
        first = session.exec(select(AnswerItem).where(AnswerItem.answer_id == answer.id)
                             .order_by(AnswerItem.id)).first()
        first.classification = RESTRICTED
        add_attachment(session, answer, "annex.pdf", f"Annex: {CANARY} in the extracted text.",
                       classification=RESTRICTED)
        # A public item under a restricted inquiry is as restricted as the inquiry.
        add_inquiry(session, reference="Drucksache 20/2", title="Restricted inquiry",
                    classification=RESTRICTED, items=[f"{CANARY} in a public item?"],
                    submitted_on=date(2024, 1, 10))
        session.commit()


def test_public_readers_never_see_the_canary_cleared_readers_do(site, client_for):
    store_canaries(site.url)
    public = client_for(site.server, "member")
    for url in (f"/search?q={CANARY}", f"/search?q={CANARY[:6]}", "/search?q=border+police",
                f"/search?q={CANARY}&kind=attachment", f"/search?q=restricted+{CANARY}"):
        page = public.get(url)
        fragment = public.get(url, headers={"HX-Request": "true"})
        for response in (page, fragment):
            assert response.status_code == 200
            assert CANARY.lower() not in results_of(response.text).lower()
            assert "Restricted" not in response.text and "RESTRICTED" not in response.text
    assert "No records found" in public.get(f"/search?q={CANARY}").text

    cleared = client_for(site.server, "member_restricted")
    page = cleared.get(f"/search?q={CANARY}")
    assert f"of {PLACES} records" in page.text
    assert page.text.count(f"<mark>{CANARY}</mark>") >= PLACES
    assert "RESTRICTED" in page.text  # the page marking
    assert page.text.count("marking-badge-restricted") >= PLACES


def test_a_parent_made_restricted_hides_its_childrens_entries_at_once(site, client_for):
    with open_session(site.url) as session:
        inquiry, _ = add_inquiry(session, reference="Drucksache 20/3", title="Open at first",
                                 items=["Which Schützenpanzer were delivered?"])
        session.commit()
        inquiry_id = inquiry.id
    public = client_for(site.server, "member")
    assert "Schützenpanzer" in public.get("/search?q=Schützenpanzer").text
    with open_session(site.url) as session:
        inquiry = session.get(Inquiry, inquiry_id)
        inquiry.classification = Classification.RESTRICTED
        session.commit()
    page = public.get("/search?q=Schützenpanzer").text
    assert "Schützenpanzer" not in results_of(page) and "No records found" in page
