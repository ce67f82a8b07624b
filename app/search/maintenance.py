"""Keeps the search index in step with every write, in the same transaction.

Like the audit trail (app.audit.recorder) it listens to every flush of every session, so routes,
commands, the demo loader and future importers need no code of their own. A record that is
created, changed or deleted is re-indexed with everything under it: a parent made restricted
raises its children's entries at once, and children the database deletes by cascade lose theirs.
"""

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, object_session

from app.search.indexer import KIND_OF_MODEL, Affected, rebuild, reindex

AFFECTED_KEY = "search_affected"


def _affected(session: Session) -> Affected:
    return session.info.setdefault(AFFECTED_KEY, Affected())


# Bookkeeping no entry holds: a save that changes only these leaves the index as it is.
UNINDEXED = {"version", "updated_at"}


def _note(target, with_descendants: bool = True) -> None:
    session = object_session(target)
    if session is not None:
        _affected(session).add(KIND_OF_MODEL[type(target)].name, target.id,
                               with_descendants=with_descendants)


def _note_changed(mapper, connection, target) -> None:
    # Called for every dirty object, also those whose columns did not change. Entries under the
    # record (an inquiry's questions, an answer's files, with their text to stem again) are
    # rebuilt only when a column they copy changed.
    state = inspect(target)
    changed = {a.key for a in mapper.column_attrs if state.attrs[a.key].history.has_changes()}
    if changed - UNINDEXED:
        _note(target, with_descendants=bool(changed & KIND_OF_MODEL[type(target)].inherited))


@event.listens_for(Session, "after_flush")
def _reindex_affected(session: Session, flush_context) -> None:
    affected = session.info.pop(AFFECTED_KEY, None)
    if affected:
        reindex(session.connection(), affected)


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(AFFECTED_KEY, None)


for _model in KIND_OF_MODEL:
    event.listen(_model, "after_insert", lambda mapper, connection, target: _note(target))
    event.listen(_model, "after_update", _note_changed)
    event.listen(_model, "after_delete", lambda mapper, connection, target: _note(target))


def rebuild_index(session: Session) -> dict[str, int]:
    """Fill the index afresh from every record (after a bulk load); the caller commits."""
    session.flush()
    return rebuild(session.connection())
