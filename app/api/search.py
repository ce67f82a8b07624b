"""API: full-text search (app.search.service), the same search as the page, at the token's
clearance: no hit, snippet or count includes anything above it."""

from dataclasses import replace
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request

from app.api.auth import ApiViewerDep
from app.api.common import PagingDep, page_fields
from app.api.schemas import SearchResults, errors
from app.db import SessionDep
from app.inquiries import service as inquiries
from app.models import Assessment
from app.search.routes import programme_visible, query_from
from app.search.service import search
from app.search.words import MAX_QUERY_CHARS
from app.text import MAX_RECORD_ID

router = APIRouter(tags=["search"])

Kind = Literal["programme", "note", "source", "inquiry", "item", "answer", "answer_item",
               "attachment"]


@router.get("/search", response_model=SearchResults, name="api_search",
            responses=errors(401, 422))
def search_records(
    request: Request, session: SessionDep, viewer: ApiViewerDep, paging: PagingDep,
    q: Annotated[str, Query(max_length=MAX_QUERY_CHARS, description=(
        "Words, German or English; the last is also matched as the start of a word."))] = "",
    kind: Kind | None = None,
    ministry: Annotated[str, Query(max_length=20, description="A ministry's code.")] = "",
    programme: Annotated[int | None, Query(ge=1, le=MAX_RECORD_ID,
                                           description="A programme's id.")] = None,
    date_from: Annotated[date | None, Query(alias="from")] = None,
    date_to: Annotated[date | None, Query(alias="to")] = None,
    assessment: Assessment | None = None,
    type: Annotated[str, Query(max_length=40, description="An inquiry type's code.")] = "",
):
    """Ranked hits with highlighted snippets (`<mark>` around the words found, the rest
    escaped HTML) and the same text without markup."""
    # The parameters above document and check the query; the search page's own parsing reads it.
    query = query_from(request.query_params,
                       {t.code for t in inquiries.inquiry_types(session)},
                       {m.code for m in inquiries.ministries(session)})
    if query.programme is not None and not programme_visible(session, query.programme):
        # A programme above the clearance narrows to nothing, like one that does not exist.
        return SearchResults(items=[], total=0, page=1, page_size=paging.page_size, pages=1)
    page = search(session, replace(query, page=paging.page, page_size=paging.page_size))
    return SearchResults(items=[{
        "kind": hit.kind, "record_id": hit.record_id, "programme_id": hit.programme_id,
        "inquiry_id": hit.inquiry_id, "title": hit.title_html.striptags(),
        "title_html": str(hit.title_html), "snippet": hit.snippet_html.striptags(),
        "snippet_html": str(hit.snippet_html), "url": hit.url, "rank": hit.rank,
        "date": hit.happened_on, "classification": hit.classification,
        "assessment": hit.assessment,
    } for hit in page.hits], **page_fields(page))
