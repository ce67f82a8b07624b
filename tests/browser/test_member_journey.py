"""An MP in the browser: reads the dashboard, a programme, an inquiry and a brief, downloads the
brief, sees no control that would change anything, and is refused when trying to all the same."""

import io
import re

from playwright.sync_api import Page, expect
from pypdf import PdfReader
from sqlmodel import select

from app.models import Programme
from tests.browser.walk import follow_first, heading

# Words on a control that changes something: none may be offered to a reader.
EDITING = re.compile(r"^(Edit|Delete|Remove|Add|New|Log|Save|Generate|Make again|Import|Upload|"
                     r"Draft|Extend|Mark as|Move)\b")


def assert_read_only(page: Page) -> None:
    """No editing link or button, and no form that would write except signing out."""
    for role in ("link", "button"):
        offered = page.get_by_role(role, name=EDITING)
        expect(offered, f"a {role} that edits, on {page.url}").to_have_count(0)
    writing = page.locator("form").evaluate_all(
        "forms => forms.filter(form => form.method === 'post').map(form => form.action)")
    assert [re.sub(r"^https?://[^/]+", "", action) for action in writing] == ["/logout"], writing
    assert page.locator("[hx-post], [hx-put], [hx-patch], [hx-delete]").count() == 0


def make_public_brief(pages, live, programme_url: str) -> None:
    """Committee staff make the programme's brief for public clearance, for MPs to read."""
    staff = pages.open(live, "staff")
    staff.goto(programme_url)
    staff.get_by_label("Made for clearance").select_option("public")
    staff.get_by_role("button", name="Generate brief (PDF)").click()
    expect(staff.locator("#job-status")).to_contain_text("Status: Ready", timeout=180_000)


def read_brief(page: Page, code: str) -> None:
    """From the programme page: the stored brief, downloaded, is a PDF about the programme."""
    with page.expect_download() as download:
        page.locator("#documents").get_by_role("link", name=re.compile("^Download")).first.click()
    body = download.value.path().read_bytes()
    assert body.startswith(b"%PDF-")
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages).split())
    assert code in text


def test_member_reads_and_downloads_but_cannot_change_anything(demo_server, pages, db):
    page = pages.open(demo_server, "member")
    expect(page.get_by_role("heading", name="Overdue inquiries")).to_be_visible()
    assert_read_only(page)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Programmes").click()
    expect(page.get_by_role("link", name="Add a programme")).to_have_count(0)
    programme_url = follow_first(page, r"/programmes/\d+")
    code = page.locator("nav.breadcrumbs [aria-current=page]").inner_text()
    title = heading(page).inner_text()
    assert_read_only(page)

    make_public_brief(pages, demo_server, programme_url)
    page.reload()
    expect(page.locator("#documents table")).to_contain_text("Public clearance")
    assert_read_only(page)
    read_brief(page, code)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Inquiries").click()
    expect(page.get_by_role("link", name="Log an inquiry")).to_have_count(0)
    follow_first(page, r"/inquiries/\d+")
    expect(page.get_by_role("heading", name="Questions")).to_be_visible()
    assert_read_only(page)

    # The edit page, asked for by its address, is refused with a page that says so.
    response = page.goto(f"{programme_url}/edit")
    assert response.status == 403
    expect(heading(page)).to_contain_text("but not change")

    # A forged write with the page's own CSRF token is refused too, and changes nothing.
    page.goto(programme_url)
    token = re.search(r'"X-CSRF-Token": "([^"]+)"', page.locator("body").get_attribute(
        "hx-headers")).group(1)
    refused = page.request.post(f"{programme_url}/edit", form={
        "csrf_token": token, "title": "Changed by an MP", "reference_code": code})
    assert refused.status == 403 and "but not change" in refused.text()
    page.reload()
    expect(heading(page)).to_have_text(title)
    stored = db.exec(select(Programme).where(Programme.reference_code == code)).one()
    assert stored.title == title
    assert not pages.console_errors, pages.console_errors
