"""What must hold after the server was killed: every acknowledged write is stored with its
audit event, nothing is half-saved, and the database passes its own integrity checks."""

from collections import Counter
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, func, select

from app.audit.recorder import AUDITED
from app.models import (
    AuditEvent, FundingLine, Inquiry, InquiryItem, InquiryMinistry, Programme, ProgrammeNote,
    Source,
)
from app.models.audit import AuditAction

# What each write creates together, in one request (see tests.ops.crash_writers).
FUNDING_LINES, SOURCES, QUESTIONS, MINISTRIES = 2, 1, 3, 2


@dataclass(frozen=True)
class Acknowledged:
    """A write the server answered 303 to: what it made, and its id from the address."""

    kind: str  # programme, note, inquiry
    record_id: int


MODELS = {"programme": Programme, "note": ProgrammeNote, "inquiry": Inquiry}


def missing_writes(session: Session, acknowledged: list[Acknowledged]) -> list[Acknowledged]:
    """Acknowledged writes whose record, or whose create event, is not there."""
    missing = []
    for write in acknowledged:
        model = MODELS[write.kind]
        stored = session.get(model, write.record_id) is not None
        if not stored or not _created_events(session, model, {write.record_id}):
            missing.append(write)
    return missing


def _created_events(session: Session, model, ids: set[int]) -> set[int]:
    return set(session.exec(select(AuditEvent.record_id).where(
        AuditEvent.record_type == AUDITED[model].name,
        AuditEvent.action == AuditAction.CREATE, AuditEvent.record_id.in_(ids))).all())


def records_without_create_event(session: Session) -> dict[str, int]:
    """Audited table -> how many of its rows have no create event (should be none anywhere)."""
    found = {}
    for model in AUDITED:
        ids = set(session.exec(select(model.id)).all())
        lacking = ids - _created_events(session, model, ids) if ids else set()
        if lacking:
            found[model.__tablename__] = len(lacking)
    return found


def half_saved(session: Session) -> list[str]:
    """Records stored without all that was saved with them in the same request."""
    problems = []
    for what, parent, child, expected in (
            ("funding lines", Programme, FundingLine, FUNDING_LINES),
            ("sources", Programme, Source, SOURCES),
            ("questions", Inquiry, InquiryItem, QUESTIONS),
            ("ministries", Inquiry, InquiryMinistry, MINISTRIES)):
        counts = Counter(dict(session.exec(
            select(child.__table__.c[f"{parent.__tablename__}_id"], func.count())
            .group_by(child.__table__.c[f"{parent.__tablename__}_id"])).all()))
        for parent_id in session.exec(select(parent.id)).all():
            if counts[parent_id] != expected:
                problems.append(f"{parent.__tablename__} {parent_id} has {counts[parent_id]} "
                                f"{what}, not {expected}")
    leads = Counter(session.exec(select(InquiryMinistry.inquiry_id).where(
        InquiryMinistry.lead)).all())
    problems += [f"inquiry {inquiry_id} has {leads[inquiry_id]} lead ministries"
                 for inquiry_id in session.exec(select(Inquiry.id)).all()
                 if leads[inquiry_id] != 1]
    return problems


def integrity_problems(engine: sa.Engine) -> list[str]:
    """SQLite: integrity_check and foreign_key_check. PostgreSQL: amcheck's bt_index_check
    (with every heap row looked up in its index) on every B-tree index, and verify_heapam on
    every table."""
    with engine.begin() as connection:
        if engine.dialect.name == "sqlite":
            problems = [row[0] for row in connection.exec_driver_sql("PRAGMA integrity_check")
                        if row[0] != "ok"]
            return problems + [repr(tuple(row)) for row in
                               connection.exec_driver_sql("PRAGMA foreign_key_check")]
        connection.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS amcheck")
        indexes = connection.exec_driver_sql(
            "SELECT c.oid, c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "JOIN pg_am am ON am.oid = c.relam JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE am.amname = 'btree' AND n.nspname = 'public'").all()
        assert indexes, "no indexes found to check"
        for oid, _name in indexes:
            connection.execute(sa.text("SELECT bt_index_check(:oid, true)"), {"oid": oid})
        return [f"{table}: {row}" for table in sa.inspect(connection).get_table_names()
                for row in connection.execute(sa.text(
                    "SELECT * FROM verify_heapam(CAST(:table AS regclass))"),
                    {"table": table}).all()]
