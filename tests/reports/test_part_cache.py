"""Regenerating a dossier after a small edit lays out only what changed; laying out in several
processes gives the same document as one; progress is told step by step."""

from collections.abc import Iterator

import pytest
from sqlmodel import Session

from app import clock
from app.clearance import set_reader_clearance
from app.models import Programme
from app.reports.produce import produce_brief, produce_dossier
from tests.conftest import system_session
from tests.reports.pdf_world import (
    RESTRICTED, World, build_world, dossier_at, occasion, pages_text, reader_of,
)


@pytest.fixture
def own_world(empty_db) -> Iterator[tuple[Session, World]]:
    engine, session = system_session(empty_db)
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


def test_a_brief_made_on_its_own_is_reused_in_the_dossier(own_world, tmp_path):
    session, world = own_world
    set_reader_clearance(session, RESTRICTED)
    brief = produce_brief(session, world.pub, occasion(tmp_path))
    assert (brief.parts_rendered, brief.parts_cached) == (1, 0)
    dossier = dossier_at(session, world.sahel, RESTRICTED, tmp_path)
    assert (dossier.parts_rendered, dossier.parts_cached) == (3, 1)


def test_several_processes_lay_out_the_same_document_as_one(own_world):
    session, world = own_world
    one = dossier_at(session, world.sahel, RESTRICTED, processes=1)
    two = dossier_at(session, world.sahel, RESTRICTED, processes=2)
    assert two.parts_rendered == 4
    assert pages_text(two.pdf) == pages_text(one.pdf)


def test_progress_moves_forward_through_one_total_and_names_each_step(own_world):
    session, world = own_world
    seen: list[tuple[int, int, str]] = []
    set_reader_clearance(session, RESTRICTED)
    produce_dossier(session, world.sahel, occasion(), lambda *step: seen.append(step))
    assert {total for _, total, _ in seen} == {8}  # 3 programmes read, 4 parts, 1 to finish
    done = [d for d, _, _ in seen]
    assert done == sorted(done) and done[-1] == 7
    said = [what for _, _, what in seen]
    assert said[:3] == ["Reading programme 1 of 3: PUB-1", "Reading programme 2 of 3: RES-1",
                        "Reading programme 3 of 3: EMPTY-1"]
    assert "Laying out Programme PUB-1" in said and "Laying out Annex: open questions" in said
    assert said[-1] == "Laying out the cover and contents, and putting the dossier together"


def test_annex_and_running_header_in_small_parts_number_every_page_right(
        own_world, tmp_path, monkeypatch):
    """With an annex part per programme and a running header laid out three pages at a time,
    the pages still count through, and an edit lays out one annex part, not all."""
    import app.reports.produce as produce

    monkeypatch.setattr(produce, "ANNEX_PROGRAMMES_PER_PART", 1)
    monkeypatch.setattr(produce, "RUNNING_PAGES_PER_PART", 3)
    session, world = own_world
    first = dossier_at(session, world.sahel, RESTRICTED, tmp_path)
    assert (first.parts_rendered, first.parts_cached) == (6, 0)  # 3 briefs, 3 annex parts
    pages = pages_text(first.pdf)
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text
        assert text.count("RESTRICTED") >= 2
    annex_starts = [n for n, text in enumerate(pages, start=1)
                    if "Annex: open questions Questions put" in text]
    continued = [n for n, text in enumerate(pages, start=1)
                 if "ANNEX: OPEN QUESTIONS (CONTINUED)" in text]
    assert len(annex_starts) == 1 and len(continued) == 2
    assert f"Annex: open questions {annex_starts[0]}" in pages[1]  # the contents page

    reader = reader_of(first.pdf)
    outline = [item for item in reader.outline]
    annex_at = [n for n, item in enumerate(outline)
                if not isinstance(item, list) and item.title == "Annex: open questions"]
    assert annex_at == [len(outline) - 2]  # the last entry, followed by its children
    assert [child.title for child in outline[-1]] == [
        "PUB-1: Programme PUB-1", "RES-1: Programme RES-1", "EMPTY-1: Programme EMPTY-1"]

    session.get(Programme, world.empty).title = "Programme EMPTY-1, renamed"
    session.commit()
    edited = dossier_at(session, world.sahel, RESTRICTED, tmp_path)
    assert (edited.parts_rendered, edited.parts_cached) == (2, 4)
