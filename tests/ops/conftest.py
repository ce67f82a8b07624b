"""Fixtures of the operations tests: a migrated database on SQLite and on PostgreSQL, and
`oversight serve` run as a real process on it."""

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session

from app.audit.recorder import Actor, set_actor
from app.clearance import read_as_system
from app.db import make_engine
from tests.conftest import sqlite_url
from tests.databases import BOTH_DATABASES


@pytest.fixture(params=BOTH_DATABASES)
def migrated_url(request, tmp_path, migrated_db_file) -> str:
    """A migrated database with the test accounts: an SQLite file in the test's own folder
    (where the app would keep it: DATA_DIR/oversight.db) or a fresh PostgreSQL database."""
    if request.param == "postgresql":
        return request.getfixturevalue("pg_url")
    folder = tmp_path / "sqlite-data"
    folder.mkdir()
    shutil.copy(migrated_db_file, folder / "oversight.db")
    return sqlite_url(folder / "oversight.db")


@pytest.fixture
def system(migrated_url) -> Iterator[Session]:
    """A session on the database that sees everything, as the command line does."""
    engine = make_engine(migrated_url)
    with read_as_system(Session(engine)) as session:
        set_actor(session, Actor(None, "test set-up"))
        yield session
    engine.dispose()


def data_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "app-data"
    folder.mkdir(exist_ok=True)
    return folder


# The backup tests' site fixture lives with the helpers it uses.
from tests.ops.backup_site import site  # noqa: E402,F401
