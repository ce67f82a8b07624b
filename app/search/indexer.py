"""Builds search entries from the records: what each kind of record contributes, and the
re-indexing of records together with everything that hangs under them.

This is bookkeeping no reader sees, so it reads the tables directly (every row, whatever its
classification); what a reader may find is decided when searching, by the classification each
entry carries: the highest of the record's own and its ancestors'.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy import Connection

from app.models import (
    Answer, AnswerItem, Attachment, Inquiry, InquiryItem, InquiryType, Programme, ProgrammeNote,
    SearchEntry, Source,
)
from app.search.words import stems_of, tags_of

ENTRY = SearchEntry.__table__
BATCH = 2000
# Attachments can hold megabytes of text; the index and the snippets use the first part.
MAX_BODY_CHARS = 500_000

# Ancestor kind -> the entry column that names it.
ANCESTOR_COLUMNS = {
    "programme": ENTRY.c.programme_id, "inquiry": ENTRY.c.inquiry_id,
    "answer": ENTRY.c.answer_id, "item": ENTRY.c.item_id,
}


@dataclass
class Affected:
    """Records whose entries must be rebuilt, by kind: `under` with everything that hangs under
    them, `alone` without (a change no entry under the record copies)."""

    under: dict[str, set[int]] = field(default_factory=dict)
    alone: dict[str, set[int]] = field(default_factory=dict)

    def add(self, kind: str, record_id: int | None, *, with_descendants: bool = True) -> None:
        if record_id is not None:
            (self.under if with_descendants else self.alone).setdefault(kind, set()).add(
                record_id)

    def records(self, kind: str) -> set[int]:
        return self.under.get(kind, set()) | self.alone.get(kind, set())

    def with_descendants(self, kind: str) -> set[int]:
        return self.under.get(kind, set())

    def __bool__(self) -> bool:
        return any(self.under.values()) or any(self.alone.values())


def _text(*parts: object) -> str:
    return "\n".join(str(p) for p in parts if p)


def _highest(*levels) -> int:
    return max(int(level) for level in levels if level is not None)


def _day(value: date | datetime | None) -> date | None:
    return value.date() if isinstance(value, datetime) else value


@dataclass(frozen=True)
class RecordKind:
    """One kind of searchable record: the SELECT of its rows (with what it hangs under), the
    column of each ancestor kind in that SELECT, how a row becomes an entry, and the columns
    of this record that the entries under it copy (a change elsewhere re-indexes it alone)."""

    name: str
    model: type
    select: Callable[[], sa.Select]
    ancestors: Callable[[], dict[str, sa.ColumnElement]]
    entry: Callable[[sa.Row], dict]
    inherited: frozenset[str] = frozenset()


P, N, S = Programme.__table__, ProgrammeNote.__table__, Source.__table__
I, IT, T = Inquiry.__table__, InquiryItem.__table__, InquiryType.__table__
A, AI, AT = Answer.__table__, AnswerItem.__table__, Attachment.__table__


def _inquiry_label(row) -> str:
    return row.inquiry_reference or row.inquiry_title


def _inquiry_columns():
    return (I.c.reference.label("inquiry_reference"), I.c.title.label("inquiry_title"),
            I.c.classification.label("inquiry_marking"), I.c.submitted_on,
            T.c.code.label("type_code"))


def _with_inquiry(select: sa.Select, inquiry_id) -> sa.Select:
    return (select.join(I, I.c.id == inquiry_id)
            .join(T, T.c.id == I.c.inquiry_type_id))


KINDS: list[RecordKind] = [
    RecordKind(
        "programme", Programme,
        lambda: sa.select(P.c.id, P.c.reference_code, P.c.title, P.c.summary, P.c.recipient_units,
                          P.c.legal_basis, P.c.implementing_bodies, P.c.start_date,
                          P.c.classification),
        lambda: {"programme": P.c.id},
        lambda r: dict(programme_id=r.id, title=f"{r.reference_code} {r.title}",
                       body=_text(r.legal_basis, r.recipient_units, r.implementing_bodies,
                                  r.summary),
                       happened_on=r.start_date, classification=int(r.classification)),
        frozenset({"classification"}),
    ),
    RecordKind(
        "note", ProgrammeNote,
        lambda: sa.select(N.c.id, N.c.programme_id, N.c.title, N.c.body, N.c.created_at,
                          N.c.classification, P.c.classification.label("parent_marking"))
        .join(P, P.c.id == N.c.programme_id),
        lambda: {"programme": N.c.programme_id},
        lambda r: dict(programme_id=r.programme_id, title=r.title, body=r.body,
                       happened_on=_day(r.created_at),
                       classification=_highest(r.classification, r.parent_marking)),
    ),
    RecordKind(
        "source", Source,
        lambda: sa.select(S.c.id, S.c.programme_id, S.c.title, S.c.note, S.c.classification,
                          P.c.classification.label("parent_marking"))
        .join(P, P.c.id == S.c.programme_id),
        lambda: {"programme": S.c.programme_id},
        lambda r: dict(programme_id=r.programme_id, title=r.title, body=r.note,
                       classification=_highest(r.classification, r.parent_marking)),
    ),
    RecordKind(
        "inquiry", Inquiry,
        lambda: sa.select(I.c.id, I.c.asked_by, I.c.faction, I.c.preamble, *_inquiry_columns())
        .select_from(I).join(T, T.c.id == I.c.inquiry_type_id),
        lambda: {"inquiry": I.c.id},
        lambda r: dict(inquiry_id=r.id, title=_text(r.inquiry_reference, r.inquiry_title),
                       body=_text(r.asked_by, r.faction, r.preamble), happened_on=r.submitted_on,
                       inquiry_type=r.type_code, classification=int(r.inquiry_marking)),
        frozenset({"reference", "title", "classification", "submitted_on", "inquiry_type_id"}),
    ),
    RecordKind(
        "item", InquiryItem,
        lambda: _with_inquiry(sa.select(IT.c.id, IT.c.inquiry_id, IT.c.number, IT.c.text,
                                        IT.c.classification, *_inquiry_columns()),
                              IT.c.inquiry_id),
        lambda: {"inquiry": IT.c.inquiry_id, "item": IT.c.id},
        lambda r: dict(inquiry_id=r.inquiry_id, item_id=r.id,
                       title=f"{_inquiry_label(r)}, question {r.number}", body=r.text,
                       happened_on=r.submitted_on, inquiry_type=r.type_code,
                       classification=_highest(r.classification, r.inquiry_marking)),
        frozenset({"number", "classification"}),
    ),
    RecordKind(
        "answer", Answer,
        lambda: _with_inquiry(sa.select(A.c.id, A.c.inquiry_id, A.c.reference, A.c.notes,
                                        A.c.received_on, A.c.classification,
                                        *_inquiry_columns()), A.c.inquiry_id),
        lambda: {"inquiry": A.c.inquiry_id, "answer": A.c.id},
        lambda r: dict(inquiry_id=r.inquiry_id, answer_id=r.id,
                       title=f"Answer to {_inquiry_label(r)}", body=_text(r.reference, r.notes),
                       happened_on=r.received_on, inquiry_type=r.type_code,
                       classification=_highest(r.classification, r.inquiry_marking)),
        frozenset({"classification", "received_on"}),
    ),
    RecordKind(
        "answer_item", AnswerItem,
        lambda: _with_inquiry(
            sa.select(AI.c.id, AI.c.answer_id, AI.c.item_id, AI.c.text, AI.c.assessment,
                      AI.c.assessment_note, AI.c.classification, A.c.inquiry_id,
                      A.c.received_on, A.c.classification.label("answer_marking"),
                      IT.c.number, IT.c.classification.label("item_marking"),
                      *_inquiry_columns())
            .join(A, A.c.id == AI.c.answer_id).join(IT, IT.c.id == AI.c.item_id),
            A.c.inquiry_id),
        lambda: {"inquiry": A.c.inquiry_id, "answer": AI.c.answer_id, "item": AI.c.item_id},
        lambda r: dict(inquiry_id=r.inquiry_id, answer_id=r.answer_id, item_id=r.item_id,
                       title=f"{_inquiry_label(r)}, answer to question {r.number}",
                       body=_text(r.text, r.assessment_note), happened_on=r.received_on,
                       assessment=r.assessment, inquiry_type=r.type_code,
                       classification=_highest(r.classification, r.answer_marking,
                                               r.item_marking, r.inquiry_marking)),
    ),
    RecordKind(
        "attachment", Attachment,
        lambda: _with_inquiry(
            sa.select(AT.c.id, AT.c.answer_id, AT.c.filename,
                      sa.func.substr(AT.c.text, 1, MAX_BODY_CHARS).label("text"),
                      AT.c.classification, A.c.inquiry_id, A.c.received_on,
                      A.c.classification.label("answer_marking"), *_inquiry_columns())
            .join(A, A.c.id == AT.c.answer_id), A.c.inquiry_id),
        lambda: {"inquiry": A.c.inquiry_id, "answer": AT.c.answer_id},
        lambda r: dict(inquiry_id=r.inquiry_id, answer_id=r.answer_id, title=r.filename,
                       body=r.text, happened_on=r.received_on, inquiry_type=r.type_code,
                       classification=_highest(r.classification, r.answer_marking,
                                               r.inquiry_marking)),
    ),
]
KIND_OF_MODEL = {kind.model: kind for kind in KINDS}
KIND_NAMES = [kind.name for kind in KINDS]


def _entry(kind: RecordKind, row, with_stems: bool) -> dict:
    values = {"programme_id": None, "inquiry_id": None, "answer_id": None, "item_id": None,
              "happened_on": None, "assessment": None, "inquiry_type": None,
              **kind.entry(row)}
    values["assessment"] = getattr(values["assessment"], "value", values["assessment"])
    values["body"] = (values["body"] or "")[:MAX_BODY_CHARS]
    values.update(kind=kind.name, record_id=row.id, title_stems="", body_stems="", tags="")
    if with_stems:
        values.update(title_stems=stems_of(values["title"]), body_stems=stems_of(values["body"]),
                      tags=tags_of(values["classification"], kind.name, values["assessment"],
                                   values["inquiry_type"]))
    return values


def _rows(connection: Connection, select: sa.Select) -> Iterator[list]:
    result = connection.execute(select.execution_options(yield_per=BATCH))
    for rows in result.partitions(BATCH):
        yield rows


def _write(connection: Connection, kind: RecordKind, select: sa.Select) -> int:
    with_stems = connection.dialect.name == "sqlite"
    written = 0
    for rows in _rows(connection, select.order_by(kind.model.__table__.c.id)):
        connection.execute(ENTRY.insert(), [_entry(kind, row, with_stems) for row in rows])
        written += len(rows)
    return written


def reindex(connection: Connection, affected: Affected) -> None:
    """Rebuild the entries of the affected records and of everything under them; records that
    are gone (also those the database deleted by cascade) lose their entries."""
    if not affected:
        return
    stale = [sa.and_(ENTRY.c.kind == name, ENTRY.c.record_id.in_(affected.records(name)))
             for name in KIND_NAMES if affected.records(name)]
    stale += [column.in_(affected.with_descendants(kind))
              for kind, column in ANCESTOR_COLUMNS.items() if affected.with_descendants(kind)]
    connection.execute(ENTRY.delete().where(sa.or_(*stale)))
    for kind in KINDS:
        own = affected.records(kind.name)
        conditions = [kind.model.__table__.c.id.in_(own)] if own else []
        conditions += [column.in_(affected.with_descendants(ancestor))
                       for ancestor, column in kind.ancestors().items()
                       if affected.with_descendants(ancestor)]
        if conditions:
            _write(connection, kind, kind.select().where(sa.or_(*conditions)))


def rebuild(connection: Connection) -> dict[str, int]:
    """Empty the index and fill it from every record; returns how many entries of each kind."""
    connection.execute(ENTRY.delete())
    return {kind.name: _write(connection, kind, kind.select()) for kind in KINDS}
