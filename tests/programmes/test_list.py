"""The programme list on the demo register: filters, htmx fragments, sorting, paging, totals."""

import re
from urllib.parse import parse_qs, urlparse

from sqlmodel import select

from app.formatting import money_compact
from app.models import (
    AssistanceKind, FundingKind, FundingLine, Instrument, Programme, ProgrammeKind,
)


def references(html: str) -> list[str]:
    return re.findall(r'<td class="ref">([^<]+)</td>', html)


def total_shown(html: str) -> int:
    match = re.search(r"Showing \d+–\d+ of (\d+) programme", html)
    return int(match.group(1)) if match else 0


class TestFullPage:
    def test_lists_demo_programmes(self, demo_client, db):
        page = demo_client.get("/programmes")
        assert page.status_code == 200
        count = len(db.exec(select(Programme)).all())
        assert count >= 30
        assert total_shown(page.text) == count
        assert len(references(page.text)) == 25  # first page
        assert "<html" in page.text
        assert page.headers["vary"] == "HX-Request"

    def test_home_is_the_dashboard_which_leads_to_the_register(self, demo_client):
        response = demo_client.get("/")
        assert response.status_code == 200 and "<h1>Dashboard</h1>" in response.text
        assert 'href="/programmes"' in response.text

    def test_filter_form_works_without_javascript(self, demo_client):
        page = demo_client.get("/programmes", params={"instrument": "E2I", "country": "TN"})
        assert 'role="search"' in page.text
        assert 'method="get" action="/programmes"' in page.text
        assert '<option value="E2I" selected>' in page.text
        assert '<option value="TN" selected>Tunisia</option>' in page.text
        refs = references(page.text)
        assert refs and all(r.startswith("E2I-TUN") or "TUN" in r for r in refs)


class TestHtmxFilters:
    def test_instrument_and_country_return_only_the_table_fragment(self, demo_client, db):
        response = demo_client.get(
            "/programmes", params={"instrument": "EPF", "country": "UA"},
            headers={"HX-Request": "true"},
        )
        assert response.status_code == 200
        assert response.headers["vary"] == "HX-Request"
        assert "<html" not in response.text and "<form" not in response.text
        assert '<div id="results"' in response.text
        # the count is announced from the live region that stays in the page
        assert re.search(r'<p id="results-status"[^>]*hx-swap-oob="true">Showing', response.text)
        # the address bar gets the clean, bookmarkable URL of this view
        assert response.headers["HX-Replace-Url"] == "/programmes?instrument=EPF&country=UA"

        expected = db.exec(
            select(Programme.reference_code).join(Instrument)
            .where(Instrument.code == "EPF", Programme.recipient_country == "UA")
        ).all()
        assert expected
        assert sorted(references(response.text)) == sorted(expected)
        assert total_shown(response.text) == len(expected)

    def test_history_restore_gets_the_whole_page(self, demo_client):
        response = demo_client.get("/programmes", params={"country": "UA"}, headers={
            "HX-Request": "true", "HX-History-Restore-Request": "true"})
        assert "<html" in response.text

    def test_filter_form_pushes_its_url_so_views_can_be_bookmarked(self, demo_client):
        page = demo_client.get("/programmes").text
        form = re.search(r'<form class="filters"[^>]*>', page).group(0)
        assert 'hx-get="/programmes"' in form
        assert 'hx-target="#results"' in form
        assert "input changed delay:350ms from:#filter-q" in form  # typing is debounced

    def test_sorting_and_paging_links_add_to_history(self, demo_client):
        response = demo_client.get("/programmes", params={"sort": "title", "page": "2"},
                                   headers={"HX-Request": "true", "HX-Boosted": "true"})
        assert response.headers["HX-Push-Url"] == "/programmes?sort=title&page=2"

    def test_sort_order_travels_with_the_filter_form(self, demo_client):
        fragment = demo_client.get("/programmes", params={"sort": "title", "dir": "desc"},
                                   headers={"HX-Request": "true", "HX-Boosted": "true"}).text
        assert '<input type="hidden" name="sort" value="title" form="programme-filters">' in fragment
        assert '<input type="hidden" name="dir" value="desc" form="programme-filters">' in fragment


class TestFilters:
    def test_each_filter_narrows_the_list(self, demo_client, db):
        everything = total_shown(demo_client.get("/programmes").text)
        for params in ({"status": "suspended"}, {"kind": "lethal_equipment"},
                       {"instrument": "E2I"}, {"country": "MD"}):
            shown = total_shown(demo_client.get("/programmes", params=params).text)
            assert 0 < shown < everything, params

    def test_kind_filter_matches_database(self, demo_client, db):
        page = demo_client.get("/programmes", params={"kind": "lethal_equipment"}).text
        expected = db.exec(
            select(Programme.reference_code).join(ProgrammeKind)
            .where(ProgrammeKind.kind == AssistanceKind.LETHAL_EQUIPMENT)
        ).all()
        assert sorted(references(page)) == sorted(expected)

    def test_free_text_searches_title_and_country_name(self, demo_client):
        by_word = demo_client.get("/programmes", params={"q": "ammunition"}).text
        assert total_shown(by_word) >= 1
        by_name = set(references(demo_client.get("/programmes", params={"q": "moldova"}).text))
        by_code = set(references(demo_client.get("/programmes", params={"country": "MD"}).text))
        assert by_code and by_code <= by_name

    def test_no_match_says_so(self, demo_client):
        page = demo_client.get("/programmes", params={"q": "zzzz-no-such-thing"}).text
        assert "No programmes match these filters." in page
        assert references(page) == []

    def test_wildcards_in_search_are_literal(self, demo_client):
        page = demo_client.get("/programmes", params={"q": "%"}).text
        assert "No programmes match these filters." in page

    def test_unknown_filter_values_are_dropped(self, demo_client):
        everything = total_shown(demo_client.get("/programmes").text)
        for params in ({"instrument": "NOPE"}, {"country": "ZZ"}, {"status": "x"}):
            page = demo_client.get("/programmes", params=params).text
            assert total_shown(page) == everything, params
            # The page's random CSRF token may hold "ZZ" by chance; the filter must not echo it.
            assert "ZZ" not in re.sub(r'"X-CSRF-Token": "[^"]+"|name="csrf_token" value="[^"]+"',
                                      "", page)
        lower = demo_client.get("/programmes", params={"instrument": "e2i"}).text
        assert '<option value="E2I" selected>' in lower

    def test_deleted_notice_names_no_programme(self, demo_client, db):
        existing = db.exec(select(Programme.reference_code)).first()
        page = demo_client.get("/programmes", params={"deleted": existing}).text
        assert "was deleted" not in page

    def test_nonsense_parameters_are_ignored_not_errors(self, demo_client):
        for params in ({"page": "abc"}, {"page": "-3"}, {"sort": "drop table"},
                       {"status": "nope"}, {"kind": "x"}, {"country": "<script>"},
                       {"instrument": "<b>"}, {"dir": "sideways"}, {"page": "999999999999"}):
            response = demo_client.get("/programmes", params=params)
            assert response.status_code == 200, params
            assert "<script>" not in response.text.split("</head>")[1], params


class TestSortingAndPaging:
    def test_sort_by_title_both_ways(self, demo_client, db):
        ascending = references(demo_client.get("/programmes", params={"sort": "title"}).text)
        descending = references(
            demo_client.get("/programmes", params={"sort": "title", "dir": "desc"}).text)
        titles = db.exec(select(Programme.reference_code).order_by(Programme.title, Programme.id)).all()
        assert ascending == list(titles[:25])
        assert descending[0] == db.exec(
            select(Programme.reference_code).order_by(Programme.title.desc())).first()

    def test_sort_headers_announce_their_order(self, demo_client):
        page = demo_client.get("/programmes", params={"sort": "start", "dir": "desc"}).text
        assert 'aria-sort="descending"' in page

    def test_undated_programmes_sort_last(self, demo_client, db):
        undated = set(db.exec(select(Programme.reference_code).where(Programme.start_date.is_(None))).all())
        assert undated
        for direction in ("", "desc"):
            page = demo_client.get("/programmes", params={"sort": "start", "dir": direction}).text
            assert not undated & set(references(page))

    def test_pages_cover_every_programme_once(self, demo_client, db):
        seen = []
        url = "/programmes?sort=reference"
        while url:
            page = demo_client.get(url).text
            seen += references(page)
            match = re.search(r'<a id="page-next" href="([^"]+)" rel="next">', page)
            url = match.group(1).replace("&amp;", "&") if match else None
        assert sorted(seen) == sorted(db.exec(select(Programme.reference_code)).all())
        assert len(seen) == len(set(seen))

    def test_paging_links_keep_the_filters(self, demo_client):
        page = demo_client.get("/programmes", params={"instrument": "EPF", "sort": "title"}).text
        link = re.search(r'<a id="page-next" href="([^"]+)" rel="next">', page).group(1).replace("&amp;", "&")
        query = parse_qs(urlparse(link).query)
        assert query == {"instrument": ["EPF"], "sort": ["title"], "page": ["2"]}


class TestTotals:
    def test_totals_cover_the_whole_filtered_set_not_just_the_page(self, demo_client, db):
        page = demo_client.get("/programmes", params={"instrument": "EPF"}).text
        committed = db.exec(
            select(FundingLine.amount_cents).join(Programme).join(Instrument)
            .where(Instrument.code == "EPF", FundingLine.kind == FundingKind.COMMITMENT,
                   FundingLine.currency == "EUR")
        ).all()
        assert money_compact(sum(committed), "EUR") in page
