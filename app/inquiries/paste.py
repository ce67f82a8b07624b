"""Splitting a pasted block of numbered questions (or answers) into items.

Understands the ways Drucksachen number them: "1.", "1)", "(1)", "Frage 1:", "Zu Frage 1:",
"Zu 1.", "Question 1:", and sub-items like "1a." kept inside their item. Text before the first
number (a preamble) is returned apart.
"""

import re
from dataclasses import dataclass

# A number at the start of a line, in one of the usual forms.
_NUMBER = re.compile(
    r"^[ \t]*(?P<named>(?:zu[ \t]+)?(?:(?:frage|question|nr\.?|no\.?)[ \t]*)?)\(?(\d{1,3})"
    r"[ \t]*[.):-](?!\d)[ \t]*",
    re.IGNORECASE | re.MULTILINE,
)


@dataclass(frozen=True)
class PastedItem:
    number: int
    text: str


@dataclass(frozen=True)
class SplitText:
    preamble: str
    items: list[PastedItem]


def _tidy(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines()]
    # Keep paragraph breaks, join lines broken by the PDF's layout.
    paragraphs, current = [], []
    for line in lines:
        if line:
            current.append(line)
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return "\n\n".join(paragraphs)


def split_numbered(text: str) -> SplitText:
    """Items in the order they appear. A bare number counts as a new item only if it continues
    the sequence, so "15. März" at the start of a line does not split an answer in two; a named
    one ("Zu Frage 5:") may skip ahead."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    starts: list[tuple[int, int, int]] = []  # (number, start of marker, start of text)
    expected = None
    for match in _NUMBER.finditer(text):
        number = int(match.group(2))
        # A marker that names the question ("Zu Frage 5:") may skip numbers, as when questions
        # are answered together; a bare "5." must be the next number, or it is a date or a
        # list inside the text.
        named = bool(match.group("named").strip())
        if expected is None or number == expected or (named and number > expected):
            starts.append((number, match.start(), match.end()))
            expected = number + 1
    if not starts:
        return SplitText(preamble=_tidy(text), items=[])
    items = []
    for index, (number, _, begin) in enumerate(starts):
        end = starts[index + 1][1] if index + 1 < len(starts) else len(text)
        body = _tidy(text[begin:end])
        if body:
            items.append(PastedItem(number, body))
    return SplitText(preamble=_tidy(text[:starts[0][1]]), items=items)
