"""The demo register on SQLite or on PostgreSQL, with its own data folder, for tests that run
on both (backups, form fuzzing)."""

import pytest
from sqlmodel import Session

from app.audit.recorder import Actor, set_actor
from app.clearance import read_as_system
from app.config import Settings
from app.db import make_engine
from tests.conftest import sqlite_url
from tests.databases import BOTH_DATABASES

DATABASES = BOTH_DATABASES


def demo_settings(request: pytest.FixtureRequest, kind: str) -> Settings:
    """SQLite: a copy of the session's demo file in the test's data folder. PostgreSQL: the
    demo loaded into a fresh migrated database (with the test accounts), and a new folder."""
    if kind == "sqlite":
        request.getfixturevalue("demo_db")
        data_dir = request.getfixturevalue("data_dir")
        return Settings(data_dir=data_dir, database_url=sqlite_url(data_dir / "oversight.db"))
    from app.demo.loader import load_demo_register

    url = request.getfixturevalue("pg_url")
    engine = make_engine(url)
    with read_as_system(Session(engine)) as session:
        set_actor(session, Actor(None, "test set-up"))
        load_demo_register(session, today=request.getfixturevalue("demo_loaded_on"))
    engine.dispose()
    data_dir = request.getfixturevalue("tmp_path") / "pg-data"
    data_dir.mkdir()
    return Settings(data_dir=data_dir, database_url=url)
