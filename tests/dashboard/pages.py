"""Reading the dashboard's HTML as a person does: a section's text, a table's rows."""

import html
import re


def section(page: str, heading_id: str) -> str:
    """The HTML of the section labelled by the heading with this id."""
    match = re.search(rf'<section aria-labelledby="{heading_id}">(.*?)</section>', page, re.S)
    assert match, f"no section {heading_id}"
    return match.group(1)


def text_of(fragment: str) -> str:
    """Visible text with tags removed and white space collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def rows(fragment: str) -> list[list[str]]:
    """The body rows of the first table in `fragment`, cell by cell, as text."""
    body = re.search(r"<tbody>(.*?)</tbody>", fragment, re.S)
    assert body, "no table"
    return [[text_of(cell) for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", body.group(1), re.S)]


def list_items(fragment: str) -> list[str]:
    """The text of each <li> in `fragment`, in order."""
    return [text_of(item) for item in re.findall(r"<li>(.*?)</li>", fragment, re.S)]
