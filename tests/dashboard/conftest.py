"""A dashboard world on its own migrated database, for the service tests."""

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import system_session
from tests.dashboard.world import build_world

# A Wednesday; every date of the world is counted from it.
TODAY = date(2026, 3, 18)


@pytest.fixture(scope="module")
def world_file(tmp_path_factory, migrated_db_file) -> Iterator[tuple[Path, dict[str, int]]]:
    """The world dated around TODAY, built once per test module (the tests only read it)."""
    path = tmp_path_factory.mktemp("dashboard") / "oversight.db"
    shutil.copy(migrated_db_file, path)
    engine, session = system_session(path)
    with session:
        ids = build_world(session, TODAY)
    engine.dispose()
    yield path, ids
