"""The search index: one row per searchable record, kept in step by app.search.maintenance.

Derived data, never edited by hand: `oversight search reindex` rebuilds it from the records.
Each entry carries the HIGHEST classification of its record and of everything the record hangs
under (an answer item under a restricted inquiry is restricted), so a search filters by clearance
on this one table, in the same query that matches, ranks and counts. The full-text structures
(an FTS5 table on SQLite, a tsvector column with a GIN index on PostgreSQL) are created by
migration 0005 and are not part of the model.
"""

from datetime import date

import sqlalchemy as sa
from sqlmodel import Field

from app.models.base import Classified


class SearchEntry(Classified, table=True):
    """A searchable record: its words, what it belongs to (for links and filters), its date."""

    __tablename__ = "search_entry"
    __table_args__ = (sa.UniqueConstraint("kind", "record_id", name="uq_search_entry_record"),)

    id: int | None = Field(default=None, primary_key=True)
    # programme, note, source, inquiry, item, answer, answer_item, attachment
    kind: str = Field(max_length=20)
    record_id: int
    # The ancestors, so a change or deletion of one re-indexes or removes its descendants.
    programme_id: int | None = Field(default=None, index=True)
    inquiry_id: int | None = Field(default=None, index=True)
    answer_id: int | None = Field(default=None, index=True)
    item_id: int | None = Field(default=None, index=True)
    title: str = Field(default="", sa_type=sa.Text)
    body: str = Field(default="", sa_type=sa.Text)
    # German and English stems of the words (SQLite only; PostgreSQL stems itself).
    title_stems: str = Field(default="", sa_type=sa.Text)
    body_stems: str = Field(default="", sa_type=sa.Text)
    # SQLite only: the marking, the clearances that may read it, the kind, assessment and
    # inquiry type as words, so the full-text index itself filters by them (app.search.backends).
    tags: str = Field(default="", max_length=200)
    happened_on: date | None = Field(default=None, index=True)
    # Filters: the assessment of an answer item, the type code of an inquiry's records.
    assessment: str | None = Field(default=None, max_length=32)
    inquiry_type: str | None = Field(default=None, max_length=40)
