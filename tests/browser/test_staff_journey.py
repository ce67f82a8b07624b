"""A committee staffer's day in the browser, from signing in to the hearing's dossier: each step
through the pages and forms a person uses, checked by what the page then shows."""

import io
from datetime import timedelta

from playwright.sync_api import Page, expect
from pypdf import PdfReader
from sqlmodel import select

from app import clock
from app.models import AgendaItem, Answer, AnswerItem, Assessment, Hearing, Inquiry
from tests.browser.screenshots import save_screenshot
from tests.browser.walk import choose, follow_first, heading

QUESTIONS = """1. How many units trained under the measure have since been deployed?
2. Which end-use checks did the Federal Government carry out in 2025?
3. Were any deliveries suspended, and on what grounds?"""
ANSWERS = {1: ("Eleven units have been deployed.", "complete"),
           2: ("Checks were carried out as planned.", "evasive"),
           3: ("One delivery was paused pending review.", "partial")}
INQUIRY_TITLE = "Browser journey: deployment of trained units"
HEARING_TITLE = "Browser journey: hearing on security assistance"


def open_programme(page: Page) -> tuple[str, str]:
    """From the dashboard to a programme's page; its reference code and title."""
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Programmes").click()
    expect(heading(page)).to_have_text("Programme register")
    follow_first(page, r"/programmes/\d+")
    code = page.locator("nav.breadcrumbs [aria-current=page]").inner_text()
    title = heading(page).inner_text()
    expect(page.locator(".eyebrow")).to_contain_text(code)
    return code, title


def log_inquiry(page: Page, code: str) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Inquiries").click()
    page.get_by_role("link", name="Log an inquiry").click()
    expect(heading(page)).to_have_text("Log an inquiry")
    page.get_by_label("Type").select_option("written_question")
    page.get_by_label("Title").fill(INQUIRY_TITLE)
    page.get_by_label("Asked by").fill("A. Member")
    page.locator("input[name=ministries][value=AA]").check()
    page.locator("input[name=lead_ministry][value=AA]").check()
    page.get_by_label("Submitted on").fill(clock.today().isoformat())
    page.get_by_label("Linked programmes").select_option(code)
    page.get_by_role("button", name="Save inquiry").click()
    expect(heading(page)).to_contain_text(INQUIRY_TITLE)
    expect(page.locator("#items-heading")).to_contain_text("(0 items)")


def paste_questions(page: Page) -> None:
    """The paste splitter turns the numbered text into items, in place (htmx)."""
    page.get_by_label("Questions", exact=True).fill(QUESTIONS)
    page.get_by_role("button", name="Add the pasted questions").click()
    expect(page.locator("#items-heading")).to_contain_text("(3 items)")
    items = page.locator("ol.items > li")
    expect(items).to_have_count(3)
    expect(items.nth(0)).to_contain_text("1.")
    expect(items.nth(0)).to_contain_text("How many units trained")
    expect(items.nth(2)).to_contain_text("Were any deliveries suspended")


def record_answer(page: Page) -> None:
    page.get_by_role("link", name="Log the answer").click()
    expect(heading(page)).to_have_text("Log the answer")
    page.get_by_label("Received on").fill(clock.today().isoformat())
    choose(page.get_by_label("Answering ministry"), "Auswärtiges Amt")
    for number, (text, assessment) in ANSWERS.items():
        question = page.locator("fieldset.answer-item", has_text=f"Question {number}")
        question.get_by_label(f"Answer to question {number}").fill(text)
        question.get_by_label("Assessment", exact=True).select_option(assessment)
    page.get_by_role("button", name="Log the answer").click()
    expect(heading(page)).to_contain_text(INQUIRY_TITLE)
    answers = page.locator("ol.items > li .item-answer")
    expect(answers).to_have_count(3)
    for index, (text, assessment) in enumerate(ANSWERS.values()):
        expect(answers.nth(index)).to_contain_text(text)
        expect(answers.nth(index).locator(".badge.assessment")).to_have_text(
            Assessment(assessment).label)
    save_screenshot(page, "journey-staff-inquiry-answered")


def hold_hearing(page: Page, code: str) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Hearings").click()
    page.get_by_role("link", name="Add a hearing").click()
    page.get_by_label("Committee").fill("Committee on Foreign Affairs")
    page.get_by_label("Title").fill(HEARING_TITLE)
    page.get_by_label("Date").fill((clock.today() + timedelta(days=14)).isoformat())
    page.get_by_label("Starts at").fill("10:00")
    page.get_by_role("button", name="Add hearing").click()
    expect(heading(page)).to_contain_text(HEARING_TITLE)
    choose(page.get_by_role("combobox", name="Programme", exact=True), code)
    page.get_by_role("button", name="Add to the agenda").click()
    expect(page.locator("ol.agenda > li")).to_have_count(1)
    expect(page.locator("ol.agenda")).to_contain_text(code)


def make_dossier(page: Page) -> None:
    """Ask for the dossier and watch its progress bar, polled by htmx, reach the end."""
    page.get_by_role("button", name="Generate dossier (PDF)").click()
    expect(heading(page)).to_contain_text(HEARING_TITLE)
    progress = page.get_by_label("Progress of the dossier")
    expect(progress).to_be_visible()
    # Note every value the bar shows as htmx swaps the status block in; a page reload would
    # lose the list, so finding it at the end also proves the page was updated in place.
    page.evaluate("""() => {
        window.progressSeen = [];
        const note = () => {
            const bar = document.getElementById('job-progress');
            if (bar && bar.hasAttribute('value')) window.progressSeen.push(Number(bar.value));
        };
        note();
        new MutationObserver(note).observe(document.body, {subtree: true, childList: true});
    }""")
    expect(page.locator("#job-status")).to_contain_text("Status: Ready", timeout=180_000)
    expect(progress).to_have_attribute("value", "100")
    expect(page.locator("#job-section")).to_have_text("Ready.")
    seen = page.evaluate("window.progressSeen")
    assert seen and seen[-1] == 100, f"progress seen: {seen}"
    assert seen == sorted(seen), f"progress went back: {seen}"
    save_screenshot(page, "journey-staff-dossier-ready")


def download_dossier(page: Page, code: str, title: str) -> None:
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the dossier (PDF)").click()
    body = download.value.path().read_bytes()
    assert download.value.suggested_filename.endswith(".pdf")
    assert body.startswith(b"%PDF-")
    text = " ".join(sheet.extract_text() for sheet in PdfReader(io.BytesIO(body)).pages)
    flat = " ".join(text.split())
    assert code in flat, f"{code} not in the dossier"
    assert HEARING_TITLE in flat
    assert " ".join(title.split()[:4]) in flat


def test_staff_journey_from_sign_in_to_the_hearing_dossier(demo_server, pages, db):
    page = pages.open(demo_server, "staff")
    code, title = open_programme(page)
    log_inquiry(page, code)
    paste_questions(page)
    record_answer(page)
    hold_hearing(page, code)
    make_dossier(page)
    download_dossier(page, code, title)
    assert not pages.console_errors, pages.console_errors

    inquiry = db.exec(select(Inquiry).where(Inquiry.title == INQUIRY_TITLE)).one()
    answer = db.exec(select(Answer).where(Answer.inquiry_id == inquiry.id)).one()
    stored = db.exec(select(AnswerItem).where(AnswerItem.answer_id == answer.id)).all()
    assert sorted(item.assessment.value for item in stored) == ["complete", "evasive", "partial"]
    hearing = db.exec(select(Hearing).where(Hearing.title == HEARING_TITLE)).one()
    assert len(db.exec(select(AgendaItem).where(AgendaItem.hearing_id == hearing.id)).all()) == 1
