"""Writes an audit event for every create, update and delete, in the same transaction.

It listens to every flush of every session, so no route, command or service can change an
audited record without leaving a trace. Who did it comes from `session.info` (set_actor).
"""

import enum
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy import Connection, event, inspect, or_, select, text
from sqlalchemy.orm import Session, object_session

from app.clearance import reading_everything

from app.models import (
    AgendaItem, Answer, AnswerItem, ApiToken, Attachment, AuditAction, AuditEvent, Classification,
    DeadlineExtension, Document, FundingLine, Hearing, ImportRun, Inquiry, InquiryItem,
    InquiryMinistry, InquiryProgramme, Programme, ProgrammeKind, ProgrammeNote, RegisterVersion,
    SafeguardEvidence, SafeguardRating, Source, User, utcnow,
)

ACTOR_KEY = "actor"
DELETED_KEY = "audit_deleted_rows"
CHANGED_KEY = "audit_register_changed"
# Bookkeeping that changes on every save and says nothing to a reader of the history.
IGNORED_FIELDS = {"id", "version", "created_at", "updated_at", "last_sign_in_at", "last_used_at"}
SECRET_FIELDS = {"password_hash", "token_hash"}
# Derived from a stored file, and up to megabytes long: the trail says how much, not what.
SUMMARISED_FIELDS = {(Attachment, "text")}


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    name: str


SYSTEM = Actor(None, "system")


def set_actor(session: Session, actor: Actor) -> None:
    session.info[ACTOR_KEY] = actor


@dataclass(frozen=True)
class AuditedType:
    name: str
    label: Any  # record -> short text
    parent: tuple[str, str] | None = None  # (parent record type, attribute holding its id)
    # (connection, record) -> the parent's id, where the record does not hold it itself.
    parent_lookup: Callable[[Connection, Any], int | None] | None = None
    # (connection, record) -> a marking the event needs beyond the record's own: a link to a
    # classified programme is as classified as the programme.
    marking: Callable[[Connection, Any], int] | None = None
    # (connection, record) -> the label, where it needs more than the record (a criterion's
    # code); used instead of `label`.
    label_lookup: Callable[[Connection, Any], str] | None = None
    # record -> (parent record type, its id), where the kind of parent differs from record to
    # record (a document belongs to a programme or to a hearing); used instead of `parent`.
    parent_of: Callable[[Any], tuple[str | None, int | None]] | None = None


def _scalar(sql: str):
    def lookup(connection: Connection, value) -> Any:
        return connection.execute(text(sql), {"id": value}).scalar()
    return lookup


_inquiry_of_answer = _scalar("SELECT inquiry_id FROM answer WHERE id = :id")
_programme_marking = _scalar("SELECT classification FROM programme WHERE id = :id")
_programme_of_rating = _scalar("SELECT programme_id FROM safeguard_rating WHERE id = :id")
# Criterion codes ("C4") are not classified: they are the same for every programme.
_criterion_code = _scalar("SELECT code FROM safeguard_criterion WHERE id = :id")
_criterion_code_of_rating = _scalar(
    "SELECT c.code FROM safeguard_rating r JOIN safeguard_criterion c ON c.id = r.criterion_id "
    "WHERE r.id = :id")


def _rating_label(connection: Connection, rating) -> str:
    code = _criterion_code(connection, rating.criterion_id) or f"Criterion {rating.criterion_id}"
    return f"{code}: {rating.rating.label}"


def _evidence_label(connection: Connection, evidence) -> str:
    code = _criterion_code_of_rating(connection, evidence.rating_id) or "Safeguard"
    target = (f"answer item {evidence.answer_item_id}" if evidence.answer_item_id is not None
              else f"source {evidence.source_id}")
    return f"{code} evidence: {target}"


AUDITED: dict[type, AuditedType] = {
    Programme: AuditedType("programme", lambda p: p.reference_code),
    FundingLine: AuditedType(
        "funding_line", lambda f: f"{f.year} {_value(f.kind)} {f.currency}",
        ("programme", "programme_id"),
    ),
    Source: AuditedType("source", lambda s: s.title[:200], ("programme", "programme_id")),
    ProgrammeNote: AuditedType("note", lambda n: n.title[:200], ("programme", "programme_id")),
    User: AuditedType("user", lambda u: u.email),
    ApiToken: AuditedType("api_token", lambda t: t.name, ("user", "user_id")),
    Inquiry: AuditedType("inquiry", lambda i: i.reference or i.title[:200]),
    InquiryItem: AuditedType("inquiry_item", lambda i: f"Item {i.number}",
                             ("inquiry", "inquiry_id")),
    InquiryMinistry: AuditedType("inquiry_ministry", lambda m: f"Ministry {m.ministry_id}",
                                 ("inquiry", "inquiry_id")),
    InquiryProgramme: AuditedType(
        "inquiry_programme", lambda p: f"Programme {p.programme_id}", ("inquiry", "inquiry_id"),
        marking=lambda c, p: _programme_marking(c, p.programme_id) or 0,
    ),
    DeadlineExtension: AuditedType("extension", lambda e: f"Due {e.new_due_date.isoformat()}",
                                   ("inquiry", "inquiry_id")),
    Answer: AuditedType("answer", lambda a: a.reference or f"Answer of {a.received_on}",
                        ("inquiry", "inquiry_id")),
    AnswerItem: AuditedType(
        "answer_item", lambda a: f"Answer to item {a.item_id}", ("inquiry", ""),
        parent_lookup=lambda c, a: _inquiry_of_answer(c, a.answer_id),
    ),
    Attachment: AuditedType(
        "attachment", lambda a: a.filename[:200], ("inquiry", ""),
        parent_lookup=lambda c, a: _inquiry_of_answer(c, a.answer_id),
    ),
    Hearing: AuditedType("hearing", lambda h: f"{h.held_on.isoformat()} {h.title}"[:200]),
    AgendaItem: AuditedType(
        "agenda_item", lambda a: f"Programme {a.programme_id}", ("hearing", "hearing_id"),
        marking=lambda c, a: _programme_marking(c, a.programme_id) or 0,
    ),
    SafeguardRating: AuditedType(
        "safeguard_rating", lambda r: f"Criterion {r.criterion_id}: {_value(r.rating)}",
        ("programme", "programme_id"), label_lookup=_rating_label,
    ),
    SafeguardEvidence: AuditedType(
        "safeguard_evidence", lambda e: "Evidence", ("programme", ""),
        parent_lookup=lambda c, e: _programme_of_rating(c, e.rating_id),
        label_lookup=_evidence_label,
    ),
    Document: AuditedType(
        "document", lambda d: d.title[:200],
        parent_of=lambda d: ("hearing", d.hearing_id) if d.hearing_id is not None
        else ("programme", d.programme_id),
    ),
    # Who imported which file when, and what it did (each imported record has its own events).
    ImportRun: AuditedType("import_run", lambda r: f"{r.kind.value} import of {r.filename}"[:200]),
}


def _value(value: Any) -> Any:
    """A value as JSON can hold it."""
    if isinstance(value, Classification):
        return value.name.lower()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _fields(obj) -> list[str]:
    return [a.key for a in inspect(obj).mapper.column_attrs if a.key not in IGNORED_FIELDS]


def _shown(obj, key: str, value: Any) -> Any:
    if key in SECRET_FIELDS and value is not None:
        return "(hidden)"
    if (type(obj), key) in SUMMARISED_FIELDS and value is not None:
        return f"({len(value)} characters extracted)"
    return _value(value)


def _snapshot(obj, side: str) -> dict[str, dict[str, Any]]:
    return {
        key: {"before": None, "after": _shown(obj, key, getattr(obj, key))} if side == "after"
        else {"before": _shown(obj, key, getattr(obj, key)), "after": None}
        for key in _fields(obj)
    }


def _diff(obj) -> dict[str, dict[str, Any]]:
    state = inspect(obj)
    changes = {}
    for key in _fields(obj):
        history = state.attrs[key].history
        if not history.has_changes():
            continue
        before = history.deleted[0] if history.deleted else None
        after = history.added[0] if history.added else None
        if before != after:
            changes[key] = {"before": _shown(obj, key, before),
                            "after": _shown(obj, key, after)}
    return changes


def _classification(obj, changes) -> int:
    levels = [getattr(obj, "classification", Classification.PUBLIC)]
    change = changes.get("classification")
    if change and change["before"]:
        levels.append(Classification[change["before"].upper()])
    return int(max(levels))


@event.listens_for(Session, "after_flush")
def _record(session: Session, flush_context) -> None:
    actor: Actor = session.info.get(ACTOR_KEY, SYSTEM)
    events: dict[tuple[str, int], dict] = {}

    def add(obj, action: AuditAction, changes: dict) -> None:
        kind = AUDITED[type(obj)]
        parent_type, parent_attr = kind.parent or (None, None)
        if kind.parent_of is not None:
            parent_type, parent_id = kind.parent_of(obj)
        elif kind.parent_lookup is not None:
            parent_id = kind.parent_lookup(session.connection(), obj)
        else:
            parent_id = getattr(obj, parent_attr) if parent_attr else None
        marking = _classification(obj, changes)
        if kind.marking is not None:
            marking = max(marking, int(kind.marking(session.connection(), obj)))
        events[(kind.name, obj.id)] = {
            "at": utcnow(), "user_id": actor.user_id, "actor": actor.name[:200],
            "action": action.value, "record_type": kind.name, "record_id": obj.id,
            "record_label": str(kind.label_lookup(session.connection(), obj)
                                if kind.label_lookup else kind.label(obj))[:200],
            "record_version": getattr(obj, "version", None),
            "parent_type": parent_type,
            "parent_id": parent_id,
            "changes": changes, "classification": marking,
        }

    for obj in session.new:
        if type(obj) in AUDITED:
            add(obj, AuditAction.CREATE, _snapshot(obj, "after"))
    for obj in session.dirty:
        if type(obj) in AUDITED:
            changes = _diff(obj)
            if changes:
                add(obj, AuditAction.UPDATE, changes)
    # Rows deleted as orphans (dropped from a collection) are not in session.deleted; the
    # after_delete hook below collects every row the flush deleted.
    deleted = {id(obj): obj for obj in session.deleted}
    deleted.update((id(obj), obj) for obj in session.info.pop(DELETED_KEY, []))
    for obj in deleted.values():
        if type(obj) in AUDITED:
            add(obj, AuditAction.DELETE, _snapshot(obj, "before"))
    _record_kinds(session, list(deleted.values()), events, add)

    if events:
        session.connection().execute(AuditEvent.__table__.insert(), list(events.values()))
        session.info[CHANGED_KEY] = True


@event.listens_for(Session, "before_commit")
def _count_the_change(session: Session) -> None:
    """Raise the register's version as the last statement of a transaction that wrote audit
    events: the row is locked only from here to the commit, and nothing is locked after it, so
    writers wait briefly for each other and can never deadlock over it."""
    session.flush()  # the commit's own flush comes after this hook; its events count too
    if session.info.pop(CHANGED_KEY, False):
        session.connection().execute(
            sa.update(RegisterVersion).where(RegisterVersion.id == 1)
            .values(version=RegisterVersion.version + 1))


@event.listens_for(Session, "after_rollback")
def _forget_the_change(session: Session) -> None:
    session.info.pop(CHANGED_KEY, None)


def _record_kinds(session: Session, deleted: list, events: dict, add) -> None:
    """Kinds of assistance are rows of their own; the history shows them as a programme field."""
    added: dict[int, set[str]] = {}
    removed: dict[int, set[str]] = {}
    for obj in session.new:
        if isinstance(obj, ProgrammeKind):
            added.setdefault(obj.programme_id, set()).add(_value(obj.kind))
    for obj in deleted:
        if isinstance(obj, ProgrammeKind):
            removed.setdefault(obj.programme_id, set()).add(_value(obj.kind))
    # New programmes reach the identity map only after this hook; look in the flush first.
    in_flush = {obj.id: obj for obj in (*session.new, *session.dirty, *session.deleted)
                if isinstance(obj, Programme)}
    for programme_id in set(added) | set(removed):
        plus, minus = added.get(programme_id, set()), removed.get(programme_id, set())
        if plus == minus:
            continue
        programme = in_flush.get(programme_id) or session.identity_map.get(
            session.identity_key(Programme, programme_id))
        if programme is None:
            continue
        key = ("programme", programme_id)
        if programme in session.deleted:
            events[key]["changes"]["kinds"] = {"before": sorted(minus), "after": None}
            continue
        current = {_value(k.kind) for k in programme.__dict__.get("kinds", [])} or plus
        change = {"before": sorted((current - plus) | minus) or None, "after": sorted(current)}
        if key in events:
            events[key]["changes"]["kinds"] = change
        else:
            add(programme, AuditAction.UPDATE, {"kinds": change})


@event.listens_for(Session, "before_flush")
def _evidence_goes_with_its_target(session: Session, flush_context, instances) -> None:
    """Safeguard evidence pointing to a source or answer item that is being deleted goes with
    it: the database would delete it too (ON DELETE CASCADE), but silently. Deleted here it gets
    its audit event, also when it is above the clearance of the person deleting the target."""
    doomed = [obj for obj in session.deleted if isinstance(obj, Source | AnswerItem)]
    # Rows dropped from a collection are deleted as orphans by this flush, not yet in `deleted`.
    for parent, collection in ((Programme, "sources"), (Answer, "items")):
        for obj in session.dirty:
            if isinstance(obj, parent) and collection in obj.__dict__:
                doomed.extend(inspect(obj).attrs[collection].history.deleted)
    sources = [obj.id for obj in doomed if isinstance(obj, Source) and obj.id is not None]
    items = [obj.id for obj in doomed if isinstance(obj, AnswerItem) and obj.id is not None]
    if not sources and not items:
        return
    with reading_everything(session):
        evidence = session.scalars(select(SafeguardEvidence).where(or_(
            SafeguardEvidence.source_id.in_(sources),
            SafeguardEvidence.answer_item_id.in_(items)))).all()
    for row in evidence:
        session.delete(row)


def _collect_deleted(mapper, connection, target) -> None:
    session = object_session(target)
    if session is not None:
        session.info.setdefault(DELETED_KEY, []).append(target)


for _model in (*AUDITED, ProgrammeKind):
    event.listen(_model, "after_delete", _collect_deleted)
