"""Search in the browser: choosing a filter updates the results in place (htmx), keeps the
choice in the address, and the page reports no script error."""

import re

from playwright.sync_api import expect

from tests.browser.walk import heading


def test_choosing_a_filter_updates_the_results_in_place(demo_server, pages):
    page = pages.open(demo_server, "staff")
    page.goto("/search?q=Mali")
    expect(heading(page)).to_have_text("Search")
    kinds = page.locator(".search-hit .badge:first-child")
    expect(kinds.first).to_be_visible()
    assert set(kinds.all_inner_texts()) != {"Programme"}, "the test needs more than programmes"

    page.evaluate("window.stayedOnPage = true")
    page.get_by_label("Type of record").select_option("programme")  # no button pressed
    expect(page).to_have_url(re.compile(r"kind=programme"))
    expect(kinds.first).to_have_text("Programme")
    assert set(kinds.all_inner_texts()) == {"Programme"}
    assert page.evaluate("window.stayedOnPage === true"), "the page was reloaded, not updated"
    assert not pages.console_errors, pages.console_errors
