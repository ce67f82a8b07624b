"""Getting about the app as a reader does: following the links a page shows."""

import re

from playwright.sync_api import Page


def follow_first(page: Page, pattern: str) -> str:
    """Open the first link in the page's main content whose address matches `pattern` (a regular
    expression the whole path must match, such as r"/programmes/\\d+"); its address."""
    links = page.locator("main a[href]")
    for href in links.evaluate_all("links => links.map(link => link.getAttribute('href'))"):
        if re.fullmatch(pattern, href):
            page.goto(href)
            return href
    raise AssertionError(f"no link matching {pattern} on {page.url}")


def heading(page: Page):
    """The page's main heading."""
    return page.get_by_role("heading", level=1)


def choose(select, text: str) -> None:
    """Choose the first option of a <select> (a locator) whose words contain `text`."""
    value = select.locator("option", has_text=text).first.get_attribute("value")
    select.select_option(value)
