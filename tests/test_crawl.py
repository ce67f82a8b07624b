"""Crawl: every page a reader can reach by following links on the demo register renders cleanly.

For each role, start at the dashboard and follow every same-site link breadth-first (GET only),
visiting each new kind of page (its path with numbers blanked out) before more pages of a kind
already seen, so the page limit cuts repeats rather than whole kinds of page.
No link may lead the reader to an error (a page they are shown a link to opens for them), and
every HTML page must have one <h1>, a <title>, the classification band, no traceback, no Python
`None` shown as text and no unrendered template syntax. Every image on those pages must load.
"""

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest

# Enough to reach every kind of page in the demo many times over, bounded so the crawl stays fast.
PAGE_LIMIT = 400
SKIPPED_PREFIXES = ("/logout", "/static")
SKIPPED_SUFFIXES = (".ics",)
NONE_AS_TEXT = re.compile(r">\s*None\s*<")
NUMBER = re.compile(r"\d+")


class _PageReader(HTMLParser):
    """Collects the links, images and headings of one page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.images: list[str] = []
        self.h1_count = 0
        self.title = ""
        self.has_band = False
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "img" and a.get("src"):
            self.images.append(a["src"])
        elif tag == "h1":
            self.h1_count += 1
        elif tag == "title":
            self._in_title = True
        elif tag == "div" and "marking" in (a.get("class") or "").split() and a.get("role") == "note":
            self.has_band = True

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def _same_site_path(base: str, href: str) -> str | None:
    """The path and query of a link if it stays on this site and is worth following."""
    url, _fragment = urldefrag(urljoin(base, href))
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or parts.netloc != urlsplit(base).netloc:
        return None
    if parts.path.startswith(SKIPPED_PREFIXES) or parts.path.endswith(SKIPPED_SUFFIXES):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _kind_of(path: str) -> str:
    """/inquiries/12/items/3/edit?sort=x&page=2 -> /inquiries/N/items/N/edit?page&sort"""
    route, _, query = path.partition("?")
    names = sorted(pair.partition("=")[0] for pair in query.split("&") if pair)
    return NUMBER.sub("N", route) + "?" + "&".join(names)


class _Frontier:
    """Pages still to visit: a new kind of page first, then further pages of known kinds."""

    def __init__(self, start: str):
        self.seen, self.kinds = {start}, {_kind_of(start)}
        self._new_kinds, self._repeats = deque([start]), deque()

    def add(self, path: str) -> None:
        if path in self.seen:
            return
        self.seen.add(path)
        kind = _kind_of(path)
        if kind in self.kinds:
            self._repeats.append(path)
        else:
            self.kinds.add(kind)
            self._new_kinds.append(path)

    def next(self) -> str | None:
        for queue in (self._new_kinds, self._repeats):
            if queue:
                return queue.popleft()
        return None


def _problems_of(path: str, html: str, page: _PageReader) -> list[str]:
    problems = []
    if page.h1_count != 1:
        problems.append(f"{path}: {page.h1_count} <h1> elements")
    if not page.title.strip():
        problems.append(f"{path}: no <title>")
    if not page.has_band:
        problems.append(f"{path}: no classification band")
    if "Traceback" in html:
        problems.append(f"{path}: shows a traceback")
    if NONE_AS_TEXT.search(html):
        problems.append(f"{path}: shows 'None' as text")
    for syntax in ("{{", "{%"):
        if syntax in html:
            problems.append(f"{path}: unrendered template syntax {syntax!r}")
    return problems


@pytest.mark.parametrize("role", ["member", "member_restricted", "staff_public", "staff", "admin"])
def test_every_reachable_page_renders_cleanly(demo_server, client_for, role):
    http = client_for(demo_server, role)
    base = demo_server.url + "/"
    frontier, images_checked = _Frontier("/"), set()
    problems: list[str] = []
    pages = 0
    while pages < PAGE_LIMIT and (path := frontier.next()):
        response = http.get(path)
        pages += 1
        if response.status_code >= 400:  # a link a reader is shown must open for them
            problems.append(f"{path}: status {response.status_code}")
            continue
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        reader = _PageReader()
        reader.feed(response.text)
        problems += _problems_of(path, response.text, reader)
        for src in reader.images:
            image = _same_site_path(base, src)
            if image and image not in images_checked:
                images_checked.add(image)
                status = http.get(image).status_code
                if status != 200:
                    problems.append(f"{path}: image {image} answers {status}")
        for href in reader.links:
            if target := _same_site_path(base, href):
                frontier.add(target)
    assert pages > 20, f"the crawl as {role} reached only {pages} pages"
    assert not problems, "\n".join(problems)
