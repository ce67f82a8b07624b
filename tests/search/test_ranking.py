"""The right records, ranked, for German and English queries, on SQLite and PostgreSQL."""

from datetime import date

import pytest

from app.clearance import set_reader_clearance
from app.models import Assessment, Classification
from app.search.service import SearchQuery, search
from tests.search.corpus import build_corpus, open_session

KIND_PREFIX = {"programme": "P", "note": "N", "source": "S", "inquiry": "I", "item": "I",
               "answer": "A", "answer_item": "A", "attachment": "F"}


def names(corpus, page) -> list[str]:
    """The corpus names of the hits, in order."""
    by_record = {}
    for name, record_id in corpus.ids.items():
        by_record.setdefault(record_id, []).append(name)
    found = []
    for hit in page.hits:
        candidates = [n for n in by_record.get(hit.record_id, [])
                      if n.startswith(KIND_PREFIX[hit.kind])
                      and ("." in n) == (hit.kind in ("item", "answer_item"))]
        found.append(candidates[0] if candidates else f"?{hit.kind}{hit.record_id}")
    return found


def run(url, corpus, text, **filters):
    with open_session(url) as session:
        set_reader_clearance(session, Classification.CONFIDENTIAL)
        return names(corpus, search(session, SearchQuery(text=text, **filters)))


# query -> (records expected first, in this order; every record expected)
QUERIES = {
    "Endverbleibskontrolle": (["I1"], {"I1", "I1.1", "P2"}),
    "night vision": (["P2", "S1"], {"P2", "S1"}),
    "Mali": ([], {"P1", "I2", "I2.1"}),
    "Ausbildung": (["P1"], {"P1"}),
    "controls": ([], {"I1.2", "I2.2"}),
    "Vor-Ort-Kontrollen": (["A1.1"], {"A1.1"}),
    "Bataillone": (["F2"], {"F2"}),
    "4473": ([], {"I1", "I1.1", "I1.2", "A1", "A1.1", "A1.2"}),
    "Grenzpolizei Nachtsichtgeräte": (["I1"], {"I1"}),
}


@pytest.mark.parametrize("text", QUERIES)
def test_queries_find_the_expected_records_in_order(engine_url, text):
    corpus = build_corpus(engine_url)
    first, every = QUERIES[text]
    found = run(engine_url, corpus, text)
    assert found[:len(first)] == first
    assert set(found) == every


def test_title_matches_rank_above_body_matches(engine_url):
    corpus = build_corpus(engine_url)
    found = run(engine_url, corpus, "Mali")
    # P1 and I2 have Mali in their titles; I2.1 only in its text.
    assert set(found[:2]) == {"P1", "I2"} and found[2] == "I2.1"


def test_filters_narrow_the_results(engine_url):
    corpus = build_corpus(engine_url)
    url = engine_url
    assert set(run(url, corpus, "Mali", kind="item")) == {"I2.1"}
    assert set(run(url, corpus, "controls", ministry="BMVg")) == {"I2.2"}
    assert set(run(url, corpus, "controls", inquiry_type="minor_interpellation")) == {"I1.2"}
    assert set(run(url, corpus, "Government", assessment=Assessment.EVASIVE)) == {"A1.2"}
    assert set(run(url, corpus, "4473", programme=corpus.ids["P2"])) == {
        "I1", "I1.1", "I1.2", "A1", "A1.1", "A1.2"}
    assert set(run(url, corpus, "night vision", programme=corpus.ids["P1"])) == set()
    assert set(run(url, corpus, "vetting", date_from=date(2023, 5, 10),
                   date_to=date(2023, 5, 31))) == {"A2.1"}


def test_pages_of_twenty_with_the_total(engine_url):
    corpus = build_corpus(engine_url)
    with open_session(engine_url) as session:
        first = search(session, SearchQuery(text="4473", page_size=4))
        second = search(session, SearchQuery(text="4473", page=2, page_size=4))
    assert (first.total, len(first.hits), second.total, len(second.hits)) == (6, 4, 6, 2)
    assert {(h.kind, h.record_id) for h in first.hits}.isdisjoint(
        (h.kind, h.record_id) for h in second.hits)
    inquiries = {h.record_id for h in first.hits + second.hits if h.kind == "inquiry"}
    assert corpus.ids["I1"] in inquiries


def test_snippets_mark_the_words_and_escape_the_text(engine_url):
    corpus = build_corpus(engine_url)
    with open_session(engine_url) as session:
        set_reader_clearance(session, Classification.CONFIDENTIAL)
        page = search(session, SearchQuery(text="partner inspections"))
    assert [hit.record_id for hit in page.hits] == [corpus.ids["A1.2"]]
    assert str(page.hits[0].snippet_html) == (
        "The Government refers to the <mark>partner</mark>&#39;s own "
        "<mark>inspections</mark>.")
