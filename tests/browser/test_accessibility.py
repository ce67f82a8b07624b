"""Every main page, as staff, as an administrator and as an MP, checked by axe-core (WCAG 2.1 A
and AA) in the browser: no serious or critical violation. Each page is also kept as a full-page
screenshot in test-artifacts/screenshots/."""

from collections.abc import Callable

from playwright.sync_api import Page, expect

from tests.browser.accessibility import blocking_violations
from tests.browser.screenshots import save_screenshot
from tests.browser.walk import follow_first, heading

Visit = Callable[[Page], None]


def go(path: str) -> Visit:
    return lambda page: page.goto(path)


def first_of(listing: str, *patterns: str) -> Visit:
    """From `listing`, follow the first link matching each pattern in turn."""
    def visit(page: Page) -> None:
        page.goto(listing)
        for pattern in patterns:
            follow_first(page, pattern)
    return visit


def refused_programme_form(page: Page) -> None:
    page.goto("/programmes/new")
    page.get_by_role("button", name="Add programme").click()
    expect(page.locator("#error-summary")).to_be_visible()


def answer_form(page: Page) -> None:
    first_of("/inquiries?status=partially_answered", r"/inquiries/\d+")(page)
    page.get_by_role("link", name="Edit the answer and assessments").click()
    expect(heading(page)).to_have_text("Edit the answer")


def brief_made(page: Page) -> None:
    """The page that follows a brief being made, once it is ready."""
    first_of("/programmes", r"/programmes/\d+")(page)
    page.get_by_role("button", name="Generate brief (PDF)").click()
    expect(page.locator("#job-status")).to_contain_text("Status: Ready", timeout=180_000)


STAFF_PAGES: list[tuple[str, Visit]] = [
    ("dashboard", go("/")),
    ("programme-list", go("/programmes")),
    ("programme-detail", first_of("/programmes", r"/programmes/\d+")),
    ("programme-form-refused", refused_programme_form),
    ("brief-ready", brief_made),
    ("inquiry-list", go("/inquiries")),
    ("inquiry-detail", first_of("/inquiries", r"/inquiries/\d+")),
    ("inquiry-form", go("/inquiries/new")),
    ("inquiry-edit-form", first_of("/inquiries", r"/inquiries/\d+", r"/inquiries/\d+/edit")),
    ("answer-form", answer_form),
    ("hearing-list", go("/hearings")),
    ("hearing-detail", first_of("/hearings", r"/hearings/\d+")),
    ("hearing-form", go("/hearings/new")),
    ("safeguard-rating-form",
     first_of("/programmes", r"/programmes/\d+", r"/programmes/\d+/safeguards/\d+")),
    ("programme-delete-confirmation",
     first_of("/programmes", r"/programmes/\d+", r"/programmes/\d+/delete")),
    ("not-found", go("/programmes/999999999")),
    ("search-results", go("/search?q=EPF")),
    ("imports", go("/imports")),
    ("exports", go("/exports")),
    ("account", go("/account")),
]
ADMIN_PAGES: list[tuple[str, Visit]] = [
    ("admin-users", go("/admin/users")),
    ("admin-user-form", go("/admin/users/new")),
    ("admin-audit", go("/admin/audit")),
    ("admin-tokens", go("/admin/tokens")),
]
MEMBER_PAGES: list[tuple[str, Visit]] = [
    ("dashboard", go("/")),
    ("programme-list", go("/programmes")),
    ("programme-detail", first_of("/programmes", r"/programmes/\d+")),
    ("inquiry-list", go("/inquiries")),
    ("inquiry-detail", first_of("/inquiries", r"/inquiries/\d+")),
    ("hearing-list", go("/hearings")),
    ("hearing-detail", first_of("/hearings", r"/hearings/\d+")),
    ("search-results", go("/search?q=EPF")),
    ("account", go("/account")),
]


def scan(page: Page, role: str, visits: list[tuple[str, Visit]]) -> list[str]:
    """Visit each page, keep its screenshot, and return what axe found wrong on each."""
    problems = []
    for name, visit in visits:
        visit(page)
        expect(heading(page)).to_be_visible()
        save_screenshot(page, f"{role}-{name}")
        found = blocking_violations(page)
        if found:
            problems.append(f"{role} {name} ({page.url}):\n    " + "\n    ".join(found))
    return problems


def test_staff_pages_have_no_serious_accessibility_violation(demo_server, pages):
    sign_in_page = pages.open(demo_server, for_scan=True)
    problems = scan(sign_in_page, "anonymous", [("sign-in", go("/login"))])
    page = pages.open(demo_server, "staff", for_scan=True)
    problems += scan(page, "staff", STAFF_PAGES)
    assert not problems, "\n".join(problems)
    assert not pages.console_errors, pages.console_errors


def test_admin_pages_have_no_serious_accessibility_violation(demo_server, pages):
    page = pages.open(demo_server, "admin", for_scan=True)
    problems = scan(page, "admin", ADMIN_PAGES)
    assert not problems, "\n".join(problems)
    assert not pages.console_errors, pages.console_errors


def test_member_pages_have_no_serious_accessibility_violation(demo_server, pages):
    page = pages.open(demo_server, "member", for_scan=True)
    problems = scan(page, "member", MEMBER_PAGES)
    assert not problems, "\n".join(problems)
    assert not pages.console_errors, pages.console_errors


def test_the_check_finds_what_it_looks_for(chromium):
    """The scan is not vacuous: a page with an unlabelled field, an image without a text and
    faint text fails it, each problem named with its rule and element."""
    context = chromium.new_context()
    try:
        page = context.new_page()
        page.set_content('<html lang="en"><title>Sample</title><main><img src="seal.png">'
                         '<p style="color:#bbb;background:#fff">Faint</p><input id="q"></main>')
        found = "\n".join(blocking_violations(page))
    finally:
        context.close()
    assert "critical image-alt" in found and " img" in found
    assert "critical label" in found and "#q" in found
    assert "serious color-contrast" in found
