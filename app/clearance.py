"""Clearance applied inside every query, and the marking of what a request has read.

Each database session carries the reader's clearance in `session.info`. Every ORM SELECT on a
classified table gets `classification <= clearance` added to it, in subqueries, joins and
relationship loads too, so content above a reader's clearance never reaches a template, a count
or a total. A session without a reader is treated as `public`; system work (migrations, the
command line) says so with `read_as_system`.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

from app.models import Classification, classified_models

CLEARANCE_KEY = "clearance"
HIGHEST_KEY = "highest_marking"


def set_reader_clearance(session: Session, clearance: Classification) -> None:
    session.info[CLEARANCE_KEY] = Classification(clearance)


def read_as_system(session: Session) -> Session:
    """Let this session see everything: for the command line and other trusted, non-web work."""
    set_reader_clearance(session, Classification.CONFIDENTIAL)
    return session


@contextmanager
def reading_at(session: Session, level: Classification) -> Iterator[Session]:
    """Let the session read at `level` for a moment, without changing the page's marking: for
    checks whose rows no reader is shown (what a document made for a lower clearance would
    include; bookkeeping that must see every row)."""
    saved = {key: session.info.get(key) for key in (CLEARANCE_KEY, HIGHEST_KEY)}
    set_reader_clearance(session, level)
    try:
        yield session
    finally:
        for key, value in saved.items():
            if value is None:
                session.info.pop(key, None)
            else:
                session.info[key] = value


def reading_everything(session: Session):
    """Let the session read every row for a moment, without raising the page's marking: only
    for bookkeeping no reader sees (deleting, each with its audit event, rows the database
    would delete anyway; saying that hidden material exists, never what it is)."""
    return reading_at(session, Classification.CONFIDENTIAL)


def sees_everything(clearance: Classification) -> bool:
    """Whether a reader is cleared for every marking: what deleting a record together with all
    it holds needs, so nothing is destroyed that the person deleting could not see."""
    return clearance >= Classification.CONFIDENTIAL


def reader_clearance(session: Session) -> Classification:
    return session.info.get(CLEARANCE_KEY, Classification.PUBLIC)


def note_marking(session: Session, level: Classification | int | None) -> None:
    """Record that content at `level` was read, so the page can carry the right marking."""
    if level is None:
        return
    level = Classification(level)
    if level > session.info.get(HIGHEST_KEY, Classification.PUBLIC):
        session.info[HIGHEST_KEY] = level


def highest_marking(session: Session) -> Classification:
    return session.info.get(HIGHEST_KEY, Classification.PUBLIC)


@event.listens_for(Session, "do_orm_execute")
def _filter_by_clearance(state: ORMExecuteState) -> None:
    if not state.is_select:
        return
    clearance = int(reader_clearance(state.session))
    state.statement = state.statement.options(*[
        with_loader_criteria(model, model.classification <= clearance, include_aliases=True)
        for model in classified_models()
    ])


def _track_loaded(target, context) -> None:
    note_marking(context.session, target.classification)


for _model in classified_models():
    event.listen(_model, "load", _track_loaded)
    event.listen(_model, "refresh", lambda target, context, attrs: _track_loaded(target, context))
