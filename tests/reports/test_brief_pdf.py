"""A programme brief read back from the PDF: what it says at each clearance, its marking on every
page, its references, the committee's issues, its metadata and its tags."""

import re

import pytest

from app.models import Classification
from tests.reports.pdf_world import (
    CANARY, PUBLIC, RESTRICTED, brief_at, every_byte, figure_alt_texts, pages_text, reader_of,
)
from tests.reports.tagged import tagging_problems


@pytest.fixture(scope="module")
def briefs(pdf_world):
    session, world, _ = pdf_world
    return {level: brief_at(session, world.pub, level) for level in (PUBLIC, RESTRICTED)}


def text_of(produced) -> str:
    return " ".join(pages_text(produced.pdf))


class TestClearance:
    def test_public_brief_leaves_restricted_material_out_and_says_only_that_it_exists(
            self, briefs):
        produced = briefs[PUBLIC]
        text = text_of(produced)
        assert CANARY not in text
        assert "Drucksache 21/1003" not in text and "VS-NfD 7" not in text
        assert ("Some material on this programme is above the clearance this brief was made "
                "for (PUBLIC) and is left out.") in text
        assert produced.marking == Classification.PUBLIC
        assert CANARY.encode() not in every_byte(produced.pdf)  # nor in metadata, bookmarks

    def test_restricted_brief_includes_it_and_is_marked_restricted(self, briefs):
        produced = briefs[RESTRICTED]
        text = text_of(produced)
        assert f"Restricted question {CANARY}?" in text
        assert f"Restricted answer {CANARY}." in text
        assert f"Embassy cable {CANARY}" in text and f"Rationale {CANARY}" in text
        assert produced.marking == Classification.RESTRICTED
        assert "is above the clearance" not in text

    @pytest.mark.parametrize("level", [PUBLIC, RESTRICTED])
    def test_every_page_carries_marking_title_and_page_x_of_y(self, briefs, level):
        pages = pages_text(briefs[level].pdf)
        assert len(pages) == briefs[level].page_count >= 2
        for number, text in enumerate(pages, start=1):
            assert text.count(level.marking) >= 2, f"page {number}: marking top and bottom"
            assert "Brief: Programme PUB-1" in text
            assert f"Page {number} of {len(pages)}" in text
            assert f"for {level.marking} clearance" in text


class TestContent:
    def test_money_committed_against_disbursed_at_each_clearance(self, briefs):
        public, restricted = text_of(briefs[PUBLIC]), text_of(briefs[RESTRICTED])
        assert "EUR 40,000,000 EUR 12,500,000 31 %" in public
        # The restricted 2025 commitment counts only for a reader cleared for it.
        assert "EUR 47,000,000 EUR 12,500,000 27 %" in restricted
        # the chart is a figure, described to screen readers
        assert figure_alt_texts(briefs[PUBLIC].pdf) == [
            "Bar chart of money committed and disbursed per year in EUR: 2024 committed EUR 40m, "
            "disbursed EUR 12.5m."]
        assert ("Source: funding lines recorded in the register; EUR: Council Decision (CFSP) "
                "2021/509, Art. 2; see also the sources below.") in public

    def test_each_item_with_its_assessment_and_references(self, briefs):
        text = text_of(briefs[PUBLIC])
        assert "Drucksache 21/1002: Vetting of units" in text
        assert "Were the units vetted?" in text and "The government does not comment." in text
        for label in ("Evasive", "Refused", "Complete", "Classified / state interest"):
            assert label in text
        assert "(Drucksache 21/1100)" in text
        assert "[1] Council Decision (CFSP) 2021/509, https://eur-lex.europa.eu/x" in text

    def test_issues_for_the_committee_with_the_reason_each_was_raised(self, briefs):
        text = text_of(briefs[PUBLIC])
        issues = text[text.index("Issues for the committee"):text.index("Sources", text.index(
            "Issues for the committee"))]
        assert "Answer to Drucksache 21/1001 is overdue" in issues
        # submitted 40 days ago, due 14 calendar days later (or the next working day)
        assert re.search(r"It was due on \d{4}-\d\d-\d\d; no answer is recorded 2[4-6] days "
                         r"later\.", issues)
        assert "Drucksache 21/1002, question 1: evasive answer" in issues
        assert "Ask again, precisely: Were the units vetted?" in issues
        assert "Drucksache 21/1002, question 2: answer refused" in issues
        assert "Ask for the answer to be given in a classified setting" in issues
        assert "C2 Human-rights vetting of recipient units: serious concern" in issues
        assert "Rated serious concern: Units were never vetted." in issues
        assert "C4 End-use monitoring and anti-diversion: no evidence" in issues
        assert "No evidence on 12 safeguards" in issues
        assert issues.count("Why raised:") == issues.count("Ask:") == 6
        # the restricted reader sees the restricted rating, so one fewer is unrated
        assert "No evidence on 11 safeguards" in text_of(briefs[RESTRICTED])

    def test_overdue_and_evaded_are_listed_together(self, briefs):
        text = text_of(briefs[PUBLIC])
        section = text[text.index("Overdue and evaded"):text.index("Issues for the committee")]
        assert "Drucksache 21/1001 Answer overdue" in section
        assert "Drucksache 21/1002, question 1 Evasive" in section
        assert "Drucksache 21/1002, question 2 Refused (Classified / state interest)" in section

    def test_a_programme_with_no_questions_still_gets_a_brief(self, pdf_world):
        session, world, _ = pdf_world
        text = text_of(brief_at(session, world.empty, PUBLIC))
        assert "No questions about this programme have been put to the government yet." in text
        assert "No funding is recorded for this programme." in text
        assert "No evidence on 14 safeguards" in text


class TestDocument:
    def test_metadata_names_title_author_subject_and_date(self, briefs):
        info = reader_of(briefs[PUBLIC].pdf).metadata
        assert info.title == "Brief: Programme PUB-1"
        assert info.author == "Clerk Tester"
        assert "made for PUBLIC clearance; marked PUBLIC" in info.subject
        assert info.creation_date.isoformat().startswith("2026-11-24T09:30:00")

    def test_bookmarks_name_the_programme_and_its_sections(self, briefs):
        reader = reader_of(briefs[PUBLIC].pdf)
        [top, sections] = reader.outline
        assert top.title == "Programme PUB-1"
        assert [s.title for s in sections] == [
            "Key facts", "Money", "Safeguards scorecard", "Questions and answers",
            "Overdue and evaded", "Issues for the committee", "Sources"]

    @pytest.mark.parametrize("level", [PUBLIC, RESTRICTED])
    def test_tagged_for_accessibility(self, briefs, level):
        assert tagging_problems(briefs[level].pdf) == []

    def test_the_page_count_is_the_pdfs_own(self, briefs):
        produced = briefs[PUBLIC]
        assert len(reader_of(produced.pdf).pages) == produced.page_count
