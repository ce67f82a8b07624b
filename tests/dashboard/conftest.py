"""Dashboard worlds on their own migrated databases, built once per test module."""

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import Session

from tests.conftest import Database, Templates, system_session
from tests.dashboard.world import build_world

# A Wednesday; every date of the service tests' world is counted from it.
TODAY = date(2026, 3, 18)


def built_copy(directory: Path, templates: Templates, build: Callable[[Session], dict]):
    """A copy of the migrated template database with `build` run on it; (its handle, what
    `build` returned)."""
    database = templates.new_copy(templates.migrated, directory)
    engine, session = system_session(database)
    with session:
        made = build(session)
    engine.dispose()
    return database, made


@pytest.fixture(scope="module")
def world_file(tmp_path_factory, templates) -> tuple[Database, dict[str, int]]:
    """The world dated around TODAY (the tests only read it)."""
    return built_copy(tmp_path_factory.mktemp("dashboard"), templates,
                      lambda session: build_world(session, TODAY))
