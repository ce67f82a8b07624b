"""Fixtures of the tests of briefs and dossiers: the PDF world (tests.reports.pdf_world) shared
by a module's tests that only read it, and the register of tests.reports.jobs_world served with
the default render settings."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session

from app import clock
from tests.conftest import LiveServer, system_session
from tests.reports.jobs_world import make_register, render_settings
from tests.reports.pdf_world import World, build_world


@pytest.fixture(scope="module")
def pdf_world(tmp_path_factory, templates) -> Iterator[tuple[Session, World, Path]]:
    """(session, world, directory for the part cache); the session sees everything until a
    test sets a clearance (pdf_world helpers set it for each document)."""
    folder = tmp_path_factory.mktemp("pdf-world")
    engine, session = system_session(templates.new_copy(templates.migrated, folder))
    with session:
        world = build_world(session, clock.today())
        yield session, world, folder
    engine.dispose()


@pytest.fixture
def register(empty_db) -> dict[str, int]:
    return make_register(empty_db)


@pytest.fixture
def live(data_dir, register):
    with LiveServer(render_settings(data_dir)) as server:
        yield server
