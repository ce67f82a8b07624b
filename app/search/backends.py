"""The two full-text engines behind one small interface: what to search in, the condition that
matches the words, and a relevance score (higher is better, the title above the body).

SQLite: an FTS5 table over the entries' German and English stems (external content, kept in step
by triggers from migration 0005), ranked by bm25. PostgreSQL: a tsvector column built from the
title (weight A) and body (weight D) with the `german`, `english` and `simple` configurations, a
GIN index, ranked by ts_rank_cd. In both, the last word typed also matches as a prefix.
"""

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.models import SearchEntry
from app.search.words import MIN_PREFIX_CHARS, fts5_match

FTS_TABLE = "search_fts"
# bm25 weights of the FTS5 columns: title stems count ten times the body's.
TITLE_WEIGHT, BODY_WEIGHT = 10.0, 1.0


@dataclass(frozen=True)
class Matching:
    source: sa.FromClause
    condition: sa.ColumnElement[bool]
    score: sa.ColumnElement[float]


def sqlite_matching(words: list[str]) -> Matching:
    fts = sa.table(FTS_TABLE, sa.column("rowid"))
    table = sa.literal_column(FTS_TABLE)
    return Matching(
        source=sa.join(SearchEntry, fts, fts.c.rowid == SearchEntry.id),
        condition=table.op("MATCH")(sa.bindparam("fts_match", fts5_match(words))),
        # bm25 is negative, more so for better matches.
        score=-sa.func.bm25(table, TITLE_WEIGHT, BODY_WEIGHT),
    )


def _config(name: str):
    return sa.literal_column(f"'{name}'::regconfig")


def _tsquery(words: list[str]):
    groups = []
    for position, word in enumerate(words):
        value = sa.bindparam(f"word_{position}", word)
        alternatives = [sa.func.plainto_tsquery(_config(name), value)
                        for name in ("german", "english", "simple")]
        if position == len(words) - 1 and len(word) >= MIN_PREFIX_CHARS:
            # Words hold letters and digits only, so nothing here is tsquery syntax.
            alternatives.append(sa.func.to_tsquery(
                _config("simple"), sa.bindparam("prefix", f"{word}:*")))
        group = alternatives[0]
        for alternative in alternatives[1:]:
            group = group.op("||")(alternative)
        groups.append(sa.Grouping(group))
    query = groups[0]
    for group in groups[1:]:
        query = query.op("&&")(group)
    return query


def postgresql_matching(words: list[str]) -> Matching:
    document = sa.literal_column("search_entry.document")
    query = _tsquery(words)
    return Matching(
        source=SearchEntry.__table__,
        condition=document.op("@@")(query),
        score=sa.func.ts_rank_cd(document, query),
    )


def matching_for(session: Session, words: list[str]) -> Matching:
    dialect = session.get_bind().dialect.name
    return sqlite_matching(words) if dialect == "sqlite" else postgresql_matching(words)


def is_engine_table(name: str) -> bool:
    """Whether a table belongs to SQLite's full-text engine (migration 0005), not to a model."""
    return name == FTS_TABLE or name.startswith(f"{FTS_TABLE}_")
