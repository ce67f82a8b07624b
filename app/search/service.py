"""Full-text search over the register and the question-and-answer record, at the reader's
clearance: `search(session, SearchQuery) -> SearchPage`, for the search page and the JSON API.

The clearance condition is written once, in `search`, and every statement that matches, ranks
and counts applies it (app.search.backends); snippets and highlighted titles are made only from
the rows those statements return. So no snippet, title or count ever holds text above the
reader's clearance.
"""

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from markupsafe import Markup
from sqlalchemy.orm import Session

from app.clearance import note_marking, reader_clearance
from app.models import (
    Assessment, Classification, InquiryMinistry, InquiryProgramme, Ministry, SearchEntry,
)
from app.paging import Paged
from app.search.backends import plan_for
from app.search.words import Highlighter, query_words

PAGE_SIZE = 20
# Snippets are cut from this much of a long body (an attachment's extracted text).
SNIPPET_SOURCE_CHARS = 200_000

KIND_LABELS = {
    "programme": "Programme", "note": "Programme note", "source": "Source",
    "inquiry": "Inquiry", "item": "Question", "answer": "Answer",
    "answer_item": "Answer to a question", "attachment": "Answer file",
}


@dataclass(frozen=True)
class SearchQuery:
    """What a reader asked for; filters narrow it, `page` counts from 1."""

    text: str = ""
    kind: str = ""
    ministry: str = ""
    programme: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    assessment: Assessment | None = None
    inquiry_type: str = ""
    page: int = 1
    page_size: int = PAGE_SIZE


@dataclass(frozen=True)
class SearchHit:
    kind: str
    kind_label: str
    record_id: int
    programme_id: int | None
    inquiry_id: int | None
    title_html: Markup
    snippet_html: Markup
    url: str
    rank: float
    happened_on: date | None
    classification: Classification
    assessment: Assessment | None


@dataclass
class SearchPage(Paged):
    hits: list[SearchHit]
    total: int
    page: int
    page_size: int
    words: list[str] = field(default_factory=list)


def _url(row) -> str:
    links = {
        "programme": f"/programmes/{row.record_id}",
        "note": f"/programmes/{row.programme_id}#note-{row.record_id}",
        "source": f"/programmes/{row.programme_id}#sources-heading",
        "inquiry": f"/inquiries/{row.record_id}",
        "item": f"/inquiries/{row.inquiry_id}#item-{row.record_id}",
        "answer": f"/inquiries/{row.inquiry_id}#answer",
        "answer_item": f"/inquiries/{row.inquiry_id}#item-{row.item_id}",
        "attachment": f"/attachments/{row.record_id}",
    }
    return links[row.kind]


def _filters(query: SearchQuery) -> list[sa.ColumnElement[bool]]:
    """Conditions for the filters. The caller has checked that a programme filtered by is one
    the reader may see (its links would otherwise tell what is asked about it)."""
    conditions = []
    if query.kind:
        conditions.append(SearchEntry.kind == query.kind)
    if query.ministry:
        conditions.append(SearchEntry.inquiry_id.in_(
            sa.select(InquiryMinistry.inquiry_id)
            .join(Ministry, Ministry.id == InquiryMinistry.ministry_id)
            .where(Ministry.code == query.ministry)))
    if query.programme is not None:
        conditions.append(sa.or_(
            SearchEntry.programme_id == query.programme,
            SearchEntry.inquiry_id.in_(sa.select(InquiryProgramme.inquiry_id)
                                       .where(InquiryProgramme.programme_id == query.programme))))
    if query.date_from:
        conditions.append(SearchEntry.happened_on >= query.date_from)
    if query.date_to:
        conditions.append(SearchEntry.happened_on <= query.date_to)
    if query.assessment:
        conditions.append(SearchEntry.assessment == query.assessment.value)
    if query.inquiry_type:
        conditions.append(SearchEntry.inquiry_type == query.inquiry_type)
    return conditions


def search(session: Session, query: SearchQuery) -> SearchPage:
    """One page of the records matching `query` at the session's clearance, best first."""
    words = query_words(query.text)
    if not words:
        return SearchPage(hits=[], total=0, page=1, page_size=query.page_size)
    clearance = int(reader_clearance(session))
    plan = plan_for(
        session, words=words, clearance=clearance,
        # The one place the clearance enters a search: every statement of the plan applies it.
        visible=[SearchEntry.classification <= clearance, *_filters(query)],
        tagged={name: value for name, value in (
            ("kind", query.kind), ("assessment", query.assessment.value if query.assessment
                                   else ""), ("type", query.inquiry_type)) if value},
        needs_entries=bool(query.ministry or query.programme is not None or query.date_from
                           or query.date_to),
    )
    total, highest = plan.count(session)
    # A count of restricted matches already tells that such records exist.
    note_marking(session, highest)
    page = min(query.page, max(1, -(-total // query.page_size)))
    rows = plan.ranked(session, [
        SearchEntry.kind, SearchEntry.record_id, SearchEntry.programme_id,
        SearchEntry.inquiry_id, SearchEntry.item_id, SearchEntry.title,
        sa.func.substr(SearchEntry.body, 1, SNIPPET_SOURCE_CHARS).label("body"),
        SearchEntry.happened_on, SearchEntry.classification, SearchEntry.assessment,
    ], total, (page - 1) * query.page_size, query.page_size) if total else []
    highlighter = Highlighter(words)
    hits = [SearchHit(
        kind=row.kind, kind_label=KIND_LABELS[row.kind], record_id=row.record_id,
        programme_id=row.programme_id, inquiry_id=row.inquiry_id,
        title_html=highlighter.mark(row.title), snippet_html=highlighter.snippet(row.body or ""),
        url=_url(row), rank=float(row.rank), happened_on=row.happened_on,
        classification=Classification(row.classification),
        assessment=Assessment(row.assessment) if row.assessment else None,
    ) for row in rows]
    return SearchPage(hits=hits, total=total, page=page, page_size=query.page_size, words=words)
