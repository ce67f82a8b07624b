"""Dashboard worlds on their own migrated databases, built once per test module."""

import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import Session

from tests.conftest import system_session
from tests.dashboard.world import build_world

# A Wednesday; every date of the service tests' world is counted from it.
TODAY = date(2026, 3, 18)


def built_copy(directory: Path, template: Path, build: Callable[[Session], dict]):
    """A copy of the migrated template database with `build` run on it; (path, what it
    returned)."""
    path = directory / "oversight.db"
    shutil.copy(template, path)
    engine, session = system_session(path)
    with session:
        made = build(session)
    engine.dispose()
    return path, made


@pytest.fixture(scope="module")
def world_file(tmp_path_factory, migrated_db_file) -> tuple[Path, dict[str, int]]:
    """The world dated around TODAY (the tests only read it)."""
    return built_copy(tmp_path_factory.mktemp("dashboard"), migrated_db_file,
                      lambda session: build_world(session, TODAY))
