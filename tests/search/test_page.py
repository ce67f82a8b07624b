"""The search page over real HTTP: the plain form without JavaScript, the htmx fragment, filters,
pages, and hostile input that never makes a server error."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.inquiries.answer_world import store_inquiry
from tests.search.corpus import build_corpus
from tests.conftest import counting

FTS_SYNTAX = ['"', "*", "NEAR(", "-", "OR", "AND", "NOT", "(", ")", ":", "^", "+", "{", "}",
              "\x00", "'", "\\", "%", "_", ":*", "&", "|", "!", "<mark>", "<script>", "ä", " "]


def test_the_plain_form_works_without_javascript(client, database_url):
    build_corpus(database_url)
    page = client.get("/")
    assert '<a href="/search"' in page.text  # in the main navigation
    empty = client.get("/search")
    assert empty.status_code == 200
    assert 'method="get" action="/search"' in empty.text and "Type a few words" in empty.text
    found = client.get("/search", params={"q": "Endverbleibskontrolle"})
    assert found.status_code == 200
    assert "Showing 1–3 of 3 records." in found.text
    assert '<a href="/inquiries/' in found.text
    assert "<mark>Endverbleibskontrolle</mark>" in found.text
    assert 'value="Endverbleibskontrolle"' in found.text  # what was typed comes back
    assert 'hx-trigger="input changed delay:300ms, search"' in found.text
    assert 'aria-live="polite"' in found.text


def test_htmx_gets_only_the_results_and_the_live_count(client, database_url):
    build_corpus(database_url)
    fragment = client.get("/search", params={"q": "Mali"}, headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert "<html" not in fragment.text and 'id="search-form"' not in fragment.text
    assert 'hx-swap-oob="true"' in fragment.text and "of 3 records" in fragment.text
    assert fragment.headers["Vary"] == "HX-Request"


def test_filters_and_links_from_the_page(client, database_url):
    corpus = build_corpus(database_url)
    ids = corpus.ids
    answers = client.get("/search", params={"q": "Government", "assessment": "evasive"}).text
    assert "1 record matching the filters" in answers
    assert f'href="/inquiries/{ids["I1"]}#item-{ids["I1.2"]}"' in answers
    assert "Answer to a question" in answers and "Evasive" in answers
    files = client.get("/search", params={"q": "Bataillone", "kind": "attachment"}).text
    assert f'href="/attachments/{ids["F2"]}"' in files
    by_programme = client.get("/search", params={"q": "night", "programme": ids["P2"]}).text
    assert f'href="/programmes/{ids["P2"]}"' in by_programme
    assert f'href="/programmes/{ids["P2"]}#sources-heading"' in by_programme
    dated = client.get("/search", params={"q": "Mali", "from": "2023-01-01", "to": "2023-12-31",
                                          "ministry": "BMVg", "type": "written_question"}).text
    assert "of 2 records matching the filters" in dated  # I2 and its first question
    nonsense = client.get("/search", params={"q": "Mali", "kind": "x", "from": "yesterday",
                                             "programme": "99999999", "assessment": "?"})
    assert nonsense.status_code == 200 and "of 3 records." in nonsense.text


def test_results_come_in_pages_of_twenty(client, database_url):
    for n in range(2):
        store_inquiry(database_url, items=12, reference=f"Drucksache 20/{900 + n}")
    first = client.get("/search", params={"q": "Question units"}).text
    assert "Showing 1–20 of 24 records." in first
    assert 'href="/search?q=Question+units&amp;page=2"' in first
    second = client.get("/search", params={"q": "Question units", "page": "2"}).text
    assert "Showing 21–24 of 24 records." in second
    beyond = client.get("/search", params={"q": "Question units", "page": "99"}).text
    assert "Showing 21–24 of 24 records." in beyond


@settings(max_examples=60, deadline=None, suppress_health_check=[
    HealthCheck.function_scoped_fixture])
@given(words=st.lists(st.sampled_from(FTS_SYNTAX) | st.text(max_size=12), max_size=12),
       long=st.booleans())
def test_hostile_queries_never_give_a_server_error(client, words, long):
    query = ("".join(words) * (300 if long else 1))[:3000]  # encoded, the URL stays below 64 KB
    for headers in ({}, {"HX-Request": "true"}):
        response = client.get("/search", params={"q": query, "kind": query[:100]}, headers=headers)
        assert response.status_code == 200, response.text[:500]
        assert "<script>" not in response.text.split('id="results-status"')[-1]


@settings(max_examples=30, deadline=None, suppress_health_check=[
    HealthCheck.function_scoped_fixture])
@given(words=st.lists(st.sampled_from(FTS_SYNTAX) | st.text(max_size=12), min_size=1,
                      max_size=12))
def test_hostile_queries_never_give_a_server_error_on_postgresql(pg_server, client_for, words):
    staff = client_for(pg_server, "staff")
    response = staff.get("/search", params={"q": "".join(words)},
                         headers={"HX-Request": "true"})
    assert response.status_code == 200, response.text[:500]


def test_a_keystroke_does_not_list_every_programme_again(server, client, database_url):
    build_corpus(database_url)
    engine = server.app.state.engine
    with counting(engine) as whole_page:
        assert "EPF-MLI-1" in client.get("/search", params={"q": "Mali"}).text
    with counting(engine) as keystroke:
        fragment = client.get("/search", params={"q": "Mali"}, headers={"HX-Request": "true"})
    assert "of 3 records" in fragment.text
    listing = [s for s in whole_page if "ORDER BY programme.reference_code" in s]
    assert len(listing) == 1  # the filter's choices, for the whole page only
    assert [s for s in keystroke if "ORDER BY programme.reference_code" in s] == []
