"""The two full-text engines behind one small interface: count the visible matches (and their
highest marking), and fetch one ranked page of them. Both are given the `visible` conditions of
app.search.service (the clearance condition and the filters) and apply them in the statement.

SQLite: an FTS5 table over the entries' German and English stems (external content, kept in step
by triggers from migration 0005), ranked by bm25 with the title ten times the body. The entry's
tags (marking, clearances that may read it, kind, assessment, inquiry type) are indexed too, so
counting and ranking run inside the index; the clearance is applied there as well as in SQL.
PostgreSQL: a tsvector column built from the title (weight A) and body (weight D) with the
`german`, `english` and `simple` configurations, a GIN index, ranked by ts_rank_cd.
In both, the last word typed also matches as a prefix.
"""

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.models import SearchEntry
from app.search.words import MIN_PREFIX_CHARS, fts5_match, tag

FTS_TABLE = "search_fts"
# bm25 weights of the FTS5 columns: title stems count ten times the body's; tags nothing.
BM25_WEIGHTS = (10.0, 1.0, 0.0)
# Beyond this many matches, SQLite ranks the newest this many (more words narrow the search).
RANK_WINDOW = 5_000
FTS = sa.table(FTS_TABLE, sa.column("rowid"))


def is_engine_table(name: str) -> bool:
    """Whether a table belongs to SQLite's full-text engine (migration 0005), not to a model."""
    return name == FTS_TABLE or name.startswith(f"{FTS_TABLE}_")


@dataclass
class SearchPlan:
    """One search on one engine: `visible` holds the clearance condition and the filters."""

    words: list[str]
    visible: list[sa.ColumnElement[bool]]
    clearance: int
    # Filters the SQLite index holds as tags: kind, assessment, inquiry type (name -> value).
    tagged: dict[str, str]
    # Whether some filter needs the entry table itself (ministry, programme, dates).
    needs_entries: bool

    def count(self, session: Session) -> tuple[int, int | None]:
        raise NotImplementedError

    def ranked(self, session: Session, columns: list, total: int, offset: int,
               limit: int) -> list[sa.Row]:
        raise NotImplementedError


class SqlitePlan(SearchPlan):
    def _match(self, *, tagged: bool = True, extra_tags: tuple[str, ...] = ()) -> sa.BindParameter:
        expression = f"{{title_stems body_stems}} : ({fts5_match(self.words)})"
        if tagged:
            # Records above the clearance left out by their marking (a short list to skip).
            hidden = [tag("marking", level) for level in range(self.clearance + 1, 3)]
            wanted = [*(tag(k, v) for k, v in self.tagged.items()), *extra_tags]
            if wanted:
                expression += " AND tags : (" + " AND ".join(f'"{t}"' for t in wanted) + ")"
            if hidden:
                expression += " NOT tags : (" + " OR ".join(f'"{t}"' for t in hidden) + ")"
        return sa.bindparam("fts_match", expression)

    def _select(self, columns, *, tagged: bool = True, extra_tags: tuple[str, ...] = (),
                entries: bool | None = None) -> sa.Select:
        select = sa.select(*columns).select_from(FTS).where(
            sa.literal_column(FTS_TABLE).op("MATCH")(self._match(tagged=tagged,
                                                                extra_tags=extra_tags)))
        if self.needs_entries if entries is None else entries:
            select = select.join(SearchEntry, SearchEntry.id == FTS.c.rowid).where(*self.visible)
        return select

    def count(self, session: Session) -> tuple[int, int | None]:
        total = session.execute(self._select([sa.func.count()])).scalar()
        highest = None
        # The highest marking among the matches: the first level down from the clearance that
        # has a match (each is a cheap lookup in the index).
        for level in range(self.clearance, -1, -1):
            if total and session.execute(self._select(
                    [sa.literal(1)], extra_tags=(tag("marking", level),)).limit(1)).first():
                highest = level
                break
        return total, highest

    def ranked(self, session, columns, total, offset, limit):
        # bm25 weighs every phrase of the MATCH over the whole index, so the ranking matches
        # the words alone and filters in SQL, over the newest RANK_WINDOW matches at most.
        score = -sa.func.bm25(sa.literal_column(FTS_TABLE), *BM25_WEIGHTS)
        inner = self._select([FTS.c.rowid.label("entry_id"), score.label("rank")], tagged=False,
                             entries=True)
        if total > RANK_WINDOW:
            cutoff = session.execute(self._select([FTS.c.rowid]).order_by(FTS.c.rowid.desc())
                                     .offset(RANK_WINDOW - 1).limit(1)).scalar()
            inner = inner.where(FTS.c.rowid >= cutoff)
        page = inner.order_by(sa.literal_column("rank").desc(), FTS.c.rowid).offset(offset) \
            .limit(limit).subquery()
        return session.execute(
            sa.select(*columns, page.c.rank).join(page, page.c.entry_id == SearchEntry.id)
            .where(*self.visible).order_by(page.c.rank.desc(), SearchEntry.id)).all()


def _config(name: str):
    return sa.literal_column(f"'{name}'::regconfig")


class PostgresqlPlan(SearchPlan):
    def _tsquery(self):
        groups = []
        for position, word in enumerate(self.words):
            value = sa.bindparam(f"word_{position}", word)
            alternatives = [sa.func.plainto_tsquery(_config(name), value)
                            for name in ("german", "english", "simple")]
            if position == len(self.words) - 1 and len(word) >= MIN_PREFIX_CHARS:
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

    def _select(self, columns) -> sa.Select:
        document = sa.literal_column("search_entry.document")
        return (sa.select(*columns).select_from(SearchEntry)
                .where(document.op("@@")(self._tsquery()), *self.visible))

    def count(self, session):
        return tuple(session.execute(self._select(
            [sa.func.count(), sa.func.max(SearchEntry.classification)])).one())

    def ranked(self, session, columns, total, offset, limit):
        rank = sa.func.ts_rank_cd(sa.literal_column("search_entry.document"),
                                  self._tsquery()).label("rank")
        return session.execute(self._select([*columns, rank])
                               .order_by(rank.desc(), SearchEntry.id)
                               .offset(offset).limit(limit)).all()


def plan_for(session: Session, **fields) -> SearchPlan:
    sqlite = session.get_bind().dialect.name == "sqlite"
    return (SqlitePlan if sqlite else PostgresqlPlan)(**fields)
