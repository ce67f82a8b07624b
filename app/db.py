"""Database engine and the per-request session that commits once, on success."""

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

# Installs the search index upkeep on every session, so every write path keeps it in step.
from app.search import maintenance  # noqa: F401

SQLITE_BUSY_TIMEOUT_MS = 5000


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """An engine for `url`; SQLite gets WAL, foreign keys and a busy timeout on every connection."""
    if url.startswith("sqlite"):
        engine = create_engine(
            url, echo=echo, connect_args={"check_same_thread": False, "timeout": 5}
        )
        event.listen(engine, "connect", _configure_sqlite)
        return engine
    return create_engine(url, echo=echo, pool_pre_ping=True)


def _configure_sqlite(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def get_session(request: Request) -> Iterator[Session]:
    """One session per request: committed if the handler succeeds, rolled back otherwise."""
    with Session(request.app.state.engine, expire_on_commit=False) as session:
        request.state.db = session  # for the page marking (app.templating.render)
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


# scope="function": the commit happens before the response leaves, so a failed commit is
# never reported to the user as saved.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
