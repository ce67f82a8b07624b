"""Checks shared by every free-text field a person types into."""

import re

# Something a browser would take as markup: a tag, a comment, a CDATA section or a processing
# instruction. "a < b" and "x<y" are ordinary text; Markdown autolinks are allowed.
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:[\s/][^<>]*)?>|<!--|<!\[CDATA\[|<![A-Za-z]|<\?")
_AUTOLINK = re.compile(r"<(?:https?://|mailto:)[^<>\s]+>", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value: str, *, label: str, max_length: int, required: bool = False,
               multiline: bool = False, markdown: bool = False) -> str:
    """`value` stripped, or ValueError with a message a clerk can act on."""
    text = (value or "").replace("\r\n", "\n").strip()
    if not multiline:
        text = " ".join(text.split())
    if required and not text:
        raise ValueError(f"{label} is required.")
    if len(text) > max_length:
        raise ValueError(
            f"{label} is {len(text):,} characters long; the limit is {max_length:,}."
        )
    if _CONTROL.search(text):
        raise ValueError(f"{label} contains control characters; remove them.")
    if _TAG.search(_AUTOLINK.sub("", text)):
        hint = " Use Markdown for formatting." if markdown else " Plain text only."
        raise ValueError(f"{label} must not contain HTML tags such as <script>.{hint}")
    return text


def small_int(text: object, digits: int = 9) -> int | None:
    """A whole number typed in ASCII digits ("12"), or None ("²", "-1", "", "9" * 20)."""
    value = str(text or "")
    if value.isascii() and value.isdecimal() and len(value) <= digits:
        return int(value)
    return None


# Records' ids are INTEGER columns: 32-bit on PostgreSQL, so a larger number names no record (and
# must not reach a query, where PostgreSQL refuses it as out of range).
MAX_RECORD_ID = 2**31 - 1


def record_id(text: object) -> int | None:
    """A record's id typed in a URL parameter, or None for what can name no record."""
    value = small_int(text, 10)
    return value if value is not None and value <= MAX_RECORD_ID else None
