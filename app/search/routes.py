"""The search page: a plain GET form, and live results as you type (htmx renders the results
block alone)."""

from dataclasses import replace
from datetime import date
from urllib.parse import urlencode

import sqlalchemy as sa
from fastapi import APIRouter, Request
from sqlmodel import Session, select

from app.access import AUTHENTICATED, ViewerDep
from app.db import SessionDep
from app.inquiries import service as inquiries
from app.models import Assessment, Programme
from app.paging import CHOICES_SHOWN, choice_or, page_asked, typed_words
from app.search.service import KIND_LABELS, SearchQuery, search
from app.search.words import MAX_QUERY_CHARS
from app.templating import is_htmx, keep_list_url, render
from app.text import record_id

router = APIRouter(dependencies=AUTHENTICATED)


def _day(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value or "")[:10]) if value else None
    except ValueError:
        return None


def query_from(params, type_codes: set[str], ministry_codes: set[str]) -> SearchQuery:
    """The search asked for in the URL; values that mean nothing are dropped, never an error."""
    kind, ministry, kind_of_inquiry = (str(params.get(k) or "") for k in ("kind", "ministry",
                                                                          "type"))
    return SearchQuery(
        text=typed_words(params.get("q"), MAX_QUERY_CHARS),
        kind=kind if kind in KIND_LABELS else "",
        ministry=ministry if ministry in ministry_codes else "",
        programme=record_id(params.get("programme")),
        date_from=_day(params.get("from")), date_to=_day(params.get("to")),
        assessment=choice_or(Assessment, params.get("assessment")),
        inquiry_type=kind_of_inquiry if kind_of_inquiry in type_codes else "",
        page=page_asked(params.get("page")),
    )


def programme_code(session: Session, programme_id: int) -> str:
    """The reference code of the programme a search is narrowed to, or "" if the reader may
    not see it (one query)."""
    return session.exec(select(Programme.reference_code)
                        .where(Programme.id == programme_id)).first() or ""


def programme_visible(session: Session, programme_id: int) -> bool:
    return bool(programme_code(session, programme_id))


def programme_by_code(session: Session, code: str):
    """(id, reference code) of the programme with this code (any case) the reader may see."""
    return session.exec(select(Programme.id, Programme.reference_code).where(
        sa.func.upper(Programme.reference_code) == code.upper())).first()


def programme_choices(session: Session) -> list[Programme] | None:
    """Every programme the reader may see, by reference code; None when there are more than a
    list can usefully offer (the page then asks for a reference code)."""
    if session.exec(select(sa.func.count(Programme.id))).one() > CHOICES_SHOWN:
        return None
    return list(session.exec(select(Programme).order_by(Programme.reference_code)))


def search_url(query: SearchQuery, **changes) -> str:
    values = {
        "q": query.text, "kind": query.kind, "ministry": query.ministry,
        "programme": query.programme or "", "from": query.date_from or "",
        "to": query.date_to or "", "assessment": query.assessment.value if query.assessment
        else "", "type": query.inquiry_type, "page": query.page if query.page > 1 else "",
    }
    values.update(changes)
    params = {k: str(v) for k, v in values.items() if v not in ("", None)}
    return "/search" + (f"?{urlencode(params)}" if params else "")


@router.get("/search", name="search")
def search_page(request: Request, session: SessionDep, viewer: ViewerDep):
    types, ministries = inquiries.inquiry_types(session), inquiries.ministries(session)
    query = query_from(request.query_params, {t.code for t in types}, {m.code for m in ministries})
    # A programme above the reader's clearance is dropped like a missing one.
    shown_code = programme_code(session, query.programme) if query.programme else ""
    if not shown_code:
        query = replace(query, programme=None)
    # A programme may also be named by its reference code: the filter's own field once there
    # are too many programmes to list. An unknown code (or one the reader may not see) is said.
    code = typed_words(request.query_params.get("programme_code"), 40)
    code_unknown = ""
    if code:
        found = programme_by_code(session, code)
        query = replace(query, programme=found.id if found else None)
        shown_code, code_unknown = (found.reference_code, "") if found else (code, code)
    # The programmes to choose from, only for the whole page: a keystroke's htmx request gets
    # the results alone, without the form.
    programmes = None if is_htmx(request) else programme_choices(session)
    page = search(session, query)
    filtered = any((query.kind, query.ministry, query.programme, query.date_from, query.date_to,
                    query.assessment, query.inquiry_type))
    response = render(request, "search/index.html", {
        "query": query, "page": page, "types": types, "ministries": ministries,
        "programmes": programmes, "programme_code": shown_code, "code_unknown": code_unknown,
        "kind_labels": KIND_LABELS, "filtered": filtered,
        "url_for_filters": lambda **changes: search_url(query, **changes),
    }, block="results")
    return keep_list_url(request, response, search_url(query))
