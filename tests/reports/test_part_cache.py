"""Regenerating a dossier after a small edit lays out only what changed; laying out in several
processes gives the same document as one."""

import shutil
from collections.abc import Iterator

import pytest
from sqlmodel import Session

from app import clock
from app.models import Programme
from tests.conftest import system_session
from tests.reports.pdf_world import RESTRICTED, World, build_world, dossier_at, pages_text


@pytest.fixture
def own_world(tmp_path, migrated_db_file) -> Iterator[tuple[Session, World]]:
    shutil.copy(migrated_db_file, tmp_path / "oversight.db")
    engine, session = system_session(tmp_path / "oversight.db")
    with session:
        yield session, build_world(session, clock.today())
    engine.dispose()


def test_unchanged_briefs_come_from_the_cache_and_an_edit_lays_out_only_its_brief(
        own_world, tmp_path):
    session, world = own_world
    first = dossier_at(session, world.sahel, RESTRICTED, tmp_path)
    assert (first.parts_rendered, first.parts_cached) == (4, 0)  # three briefs and the annex
    again = dossier_at(session, world.sahel, RESTRICTED, tmp_path)
    assert (again.parts_rendered, again.parts_cached) == (0, 4)
    assert pages_text(again.pdf) == pages_text(first.pdf)

    session.get(Programme, world.pub).title = "Programme PUB-1, renamed"
    session.commit()
    edited = dossier_at(session, world.sahel, RESTRICTED, tmp_path)
    # its brief and the annex (which names it) change; the other two briefs do not
    assert (edited.parts_rendered, edited.parts_cached) == (2, 2)
    assert "Programme PUB-1, renamed" in " ".join(pages_text(edited.pdf))


def test_several_processes_lay_out_the_same_document_as_one(own_world):
    session, world = own_world
    one = dossier_at(session, world.sahel, RESTRICTED, processes=1)
    two = dossier_at(session, world.sahel, RESTRICTED, processes=2)
    assert two.parts_rendered == 4
    assert pages_text(two.pdf) == pages_text(one.pdf)
