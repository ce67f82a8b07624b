"""How facts are shown: country names, money, dates and sanitised Markdown."""

from datetime import date
from functools import cache
from decimal import Decimal

import nh3
import pycountry
from babel.numbers import format_compact_decimal, format_decimal
from markdown_it import MarkdownIt
from markupsafe import Markup

LOCALE = "en_GB"

# Raw HTML in Markdown is switched off in the parser; nh3 is the second line of defence.
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
_ALLOWED_TAGS = {
    "p", "br", "strong", "em", "ul", "ol", "li", "blockquote", "code", "pre", "h3", "h4", "h5",
    "a", "table", "thead", "tbody", "tr", "th", "td", "hr",
}


def country_name(code: str | None) -> str:
    """The everyday English name of an ISO 3166-1 alpha-2 code ('MD' -> 'Moldova')."""
    if not code:
        return ""
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return getattr(country, "common_name", None) or country.name


@cache
def country_choices() -> tuple[tuple[str, str], ...]:
    """All ISO 3166-1 countries as (code, name), sorted by name (built once)."""
    return tuple(sorted(
        ((c.alpha_2, country_name(c.alpha_2)) for c in pycountry.countries), key=lambda c: c[1]
    ))


def countries_matching(text: str) -> list[str]:
    """Codes of countries whose name contains `text`, so free-text search finds 'Moldova'."""
    needle = text.strip().casefold()
    if len(needle) < 3:
        return []
    return [code for code, name in country_choices() if needle in name.casefold()]


def cents_to_decimal(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(Decimal("0.01"))


def money(cents: int, currency: str) -> str:
    """'EUR 40,000,000' (decimals shown only when there are any)."""
    amount = cents_to_decimal(cents)
    pattern = "#,##0" if amount == amount.to_integral_value() else "#,##0.00"
    return f"{currency} {format_decimal(amount, format=pattern, locale=LOCALE)}"


def money_compact(cents: int, currency: str) -> str:
    """'EUR 1.35bn' for totals and chart labels."""
    text = format_compact_decimal(cents_to_decimal(cents), locale=LOCALE, fraction_digits=2)
    return f"{currency} {text.replace('K', 'k').replace('M', 'm').replace('B', 'bn')}"


def long_date(value: date | None) -> str:
    return value.strftime("%-d %B %Y") if value else ""


def markdown(text: str | None) -> Markup:
    """Markdown rendered to HTML that is safe to place in a page."""
    if not text:
        return Markup("")
    html = _markdown.render(text)
    return Markup(
        nh3.clean(
            html,
            tags=_ALLOWED_TAGS,
            attributes={"a": {"href", "title"}},
            url_schemes={"http", "https", "mailto"},
            link_rel="noopener noreferrer nofollow",
        )
    )
