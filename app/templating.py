"""Jinja2 set-up and the one way routes render a page or, for htmx, a fragment of it."""

import logging
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2_fragments.fastapi import Jinja2Blocks

from app import formatting
from app.clearance import highest_marking, sees_everything
from app.inquiries.status import InquiryStatus
from app.models import (
    Assessment, AssistanceKind, Classification, DayCount, FundingKind, ProgrammeStatus, Rating,
    RefusalReason, Role, SourceConfidence,
)

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"
STATIC_DIR = Path(__file__).resolve().parent / "static"


def _htmx_url() -> str | None:
    """URL of the htmx build `make` fetched; its version is pinned in the Makefile, which
    removes older builds when it fetches a new one."""
    builds = sorted((STATIC_DIR / "vendor").glob("htmx-*.min.js"))
    if not builds:
        logging.getLogger("oversight").warning(
            "htmx is missing from %s/vendor; run `make setup`. Pages work without it.", STATIC_DIR
        )
        return None
    return f"/static/vendor/{builds[-1].name}"


templates = Jinja2Blocks(directory=str(TEMPLATE_DIR))
templates.env.filters.update(
    country=formatting.country_name,
    money=formatting.money,
    money_compact=formatting.money_compact,
    long_date=formatting.long_date,
    markdown=formatting.markdown,
)
templates.env.globals.update(
    htmx_url=_htmx_url(),
    sees_everything=sees_everything,
    status_options=[(s.value, s.label) for s in ProgrammeStatus],
    funding_kind_options=[(k.value, k.label) for k in FundingKind],
    confidence_options=[(c.value, c.label) for c in SourceConfidence],
    classification_options=[(c.name.lower(), c.label) for c in Classification],
    role_options=[(r.value, r.label) for r in Role],
    assessment_options=[(a.value, a.label) for a in Assessment],
    refusal_reason_options=[(r.value, r.label) for r in RefusalReason],
    rating_options=[(r.value, r.label) for r in Rating],
    inquiry_status_options=[(s.value, s.label) for s in InquiryStatus],
    Assessment=Assessment,
    RefusalReason=RefusalReason,
    Rating=Rating,
    InquiryStatus=InquiryStatus,
    DayCount=DayCount,
    Classification=Classification,
    ProgrammeStatus=ProgrammeStatus,
    AssistanceKind=AssistanceKind,
    FundingKind=FundingKind,
    SourceConfidence=SourceConfidence,
)


def is_htmx(request: Request) -> bool:
    """True for an htmx swap; a history restore wants the whole page even though htmx asks."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    block: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """The whole page, or only `block` when htmx asks for it. Vary tells caches the difference."""
    kwargs: dict[str, Any] = {}
    fragment = bool(block and is_htmx(request))
    if fragment:
        kwargs["block_name"] = block
    viewer = getattr(request.state, "viewer", None)
    session = getattr(request.state, "db", None)
    page_context = {
        "fragment": fragment,
        "viewer": viewer,
        "csrf_token": viewer.csrf_token if viewer else "",
        # The highest classification of anything this request read from the database.
        "marking": highest_marking(session) if session is not None else Classification.PUBLIC,
    }
    response = templates.TemplateResponse(
        request, template, {**(context or {}), **page_context}, status_code=status_code,
        **kwargs,
    )
    response.headers["Vary"] = "HX-Request"
    return response


def keep_list_url(request: Request, response: HTMLResponse, url: str) -> HTMLResponse:
    """After an htmx update of a list, show its clean address for bookmarking. Sorting and
    paging add to the history; each keystroke or filter change only replaces the current entry."""
    if is_htmx(request):
        header = "HX-Push-Url" if request.headers.get("HX-Boosted") else "HX-Replace-Url"
        response.headers[header] = url
    return response
