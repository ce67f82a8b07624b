"""A hearing dossier read back from the PDF: cover, contents whose page numbers are right,
bookmarks, one brief per agenda programme, the annex, markings, and pages that print."""

import re
import subprocess

import pytest
from PIL import Image, ImageStat

from app.models import Classification
from app.reports.subjects import NothingToRender
from tests.reports.pdf_world import CANARY, PUBLIC, RESTRICTED, dossier_at, pages_text, reader_of
from tests.reports.tagged import tagging_problems


@pytest.fixture(scope="module")
def dossiers(pdf_world):
    session, world, _ = pdf_world
    return {level: dossier_at(session, world.sahel, level) for level in (PUBLIC, RESTRICTED)}


def contents(pages: list[str]) -> list[tuple[str, int]]:
    """(entry, page) rows of the contents page."""
    page = next(p for p in pages if "Contents PROGRAMME BRIEF PAGE" in p)
    table = page[page.index("BRIEF PAGE") + len("BRIEF PAGE"):page.index("Dossier: ")]
    return [(m.group(1).strip(), int(m.group(2)))
            for m in re.finditer(r"(\d+\. [A-Z0-9-]+: .+?|Annex: open questions) (\d+)(?= |$)",
                                 table)]


def first_page_with(pages: list[str], text: str) -> int:
    return next(n for n, page in enumerate(pages, start=1) if text in page)


class TestStructure:
    def test_cover_names_committee_hearing_date_classification_and_maker(self, dossiers):
        cover = pages_text(dossiers[RESTRICTED].pdf)[0]
        assert "Committee on Foreign Affairs" in cover and "Sahel programmes" in cover
        assert "HEARING DOSSIER" in cover
        assert ("Classification RESTRICTED: the highest marking of anything this dossier "
                "contains. Made for readers cleared RESTRICTED.") in cover
        assert "By Clerk Tester on 24 November 2026 at 09:30 UTC" in cover
        assert "3 programme briefs and an annex of open questions." in cover

    @pytest.mark.parametrize("level", [PUBLIC, RESTRICTED])
    def test_contents_page_numbers_are_the_pages_where_each_brief_starts(self, dossiers,
                                                                          level):
        pages = pages_text(dossiers[level].pdf)
        rows = contents(pages)
        briefs = [(entry, page) for entry, page in rows if entry[0].isdigit()]
        assert len(briefs) == (3 if level == RESTRICTED else 2)
        for entry, page in briefs:
            code = entry.split(" ", 1)[1].split(":", 1)[0]
            # a brief's first page: its kicker and its subtitle line, "CODE · instrument · ..."
            assert first_page_with(pages, f"{code} · European Peace Facility") == page, entry
            assert "OVERSIGHT BRIEF" in pages[page - 1]
        assert rows[-1] == ("Annex: open questions", first_page_with(
            pages, "Annex: open questions Questions put to the government"))

    def test_bookmarks_lead_to_the_same_pages_as_the_contents(self, dossiers):
        reader = reader_of(dossiers[RESTRICTED].pdf)
        top = {item.title: reader.get_destination_page_number(item) + 1
               for item in reader.outline if not isinstance(item, list)}
        expected = {"Sahel programmes": 1, "Contents": 2}
        for entry, page in contents(pages_text(dossiers[RESTRICTED].pdf)):
            expected[entry.split(": ", 1)[1] if entry[0].isdigit() else entry] = page
        assert top == expected
        sections = [child.title for group in reader.outline if isinstance(group, list)
                    for child in group]
        assert sections.count("Issues for the committee") == 3

    @pytest.mark.parametrize("level", [PUBLIC, RESTRICTED])
    def test_every_page_is_marked_and_numbered(self, dossiers, level):
        pages = pages_text(dossiers[level].pdf)
        assert len(pages) == dossiers[level].page_count
        for number, text in enumerate(pages, start=1):
            assert text.count(level.marking) >= 2, f"page {number}"
            assert f"Page {number} of {len(pages)}" in text
            assert "Dossier: Sahel programmes" in text

    def test_tagged_for_accessibility(self, dossiers):
        assert tagging_problems(dossiers[RESTRICTED].pdf) == []

    def test_metadata(self, dossiers):
        info = reader_of(dossiers[PUBLIC].pdf).metadata
        assert info.title == "Dossier: Sahel programmes" and info.author == "Clerk Tester"
        assert "2 programme briefs, made for PUBLIC clearance; marked PUBLIC" in info.subject


class TestClearance:
    def test_public_dossier_leaves_out_the_restricted_programme_and_says_so(self, dossiers):
        produced = dossiers[PUBLIC]
        text = " ".join(pages_text(produced.pdf))
        assert "RES-1" not in text and CANARY not in text
        assert ("Some programmes on this hearing's agenda are above PUBLIC clearance and are "
                "left out of this dossier.") in text
        assert produced.marking == Classification.PUBLIC

    def test_restricted_dossier_holds_everything_and_is_marked_restricted(self, dossiers):
        produced = dossiers[RESTRICTED]
        text = " ".join(pages_text(produced.pdf))
        assert "RES-1" in text and f"Restricted question {CANARY}?" in text
        assert "are left out of this dossier" not in text
        assert produced.marking == Classification.RESTRICTED


class TestAnnex:
    def test_lists_every_question_without_a_complete_answer(self, dossiers):
        pages = pages_text(dossiers[PUBLIC].pdf)
        annex = " ".join(pages[first_page_with(pages, "Annex: open questions Questions") - 1:])
        assert "Drucksache 21/1001 1 Which units were trained? Overdue" in annex
        assert "Drucksache 21/1002 1 Were the units vetted? Evasive" in annex
        assert "Drucksache 21/1002 2 Who monitors end use? Refused" in annex
        assert "How much was spent?" not in annex  # answered completely
        assert "EMPTY-1: Programme EMPTY-1 No open questions." in annex


class TestPrinting:
    def test_pages_render_to_images_that_are_not_blank(self, dossiers, tmp_path):
        pdf = tmp_path / "dossier.pdf"
        pdf.write_bytes(dossiers[RESTRICTED].pdf)
        subprocess.run(["pdftoppm", "-r", "30", "-png", str(pdf), str(tmp_path / "page")],
                       check=True, timeout=120)
        images = sorted(tmp_path.glob("page-*.png"))
        assert len(images) == dossiers[RESTRICTED].page_count
        for path in images:
            with Image.open(path) as image:
                grey = image.convert("L")
                dark = sum(grey.histogram()[:128])
                assert dark > 200, f"{path.name} is blank"
                assert ImageStat.Stat(grey).stddev[0] > 10, f"{path.name} is one flat colour"

    def test_a_hearing_without_an_agenda_is_refused_with_a_reason(self, pdf_world):
        session, world, _ = pdf_world
        with pytest.raises(NothingToRender) as refused:
            dossier_at(session, world.nothing, RESTRICTED)
        assert refused.value.message == ("This hearing has no programmes on its agenda: add "
                                         "programmes to the agenda first.")

