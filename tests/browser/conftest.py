"""Real-browser fixtures: Debian's Chromium driven by Playwright, one browser for the whole test
session and a fresh context (cookies, storage) for each page a test opens."""

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.browser.screenshots import forget_failed_runs, save_screenshot
from tests.conftest import ACCOUNTS, PASSWORD, LiveServer

# The machine's Chromium (Debian's package, installed by .ci/run): Playwright never downloads one.
CHROMIUM = Path("/usr/bin/chromium")
# As root, headless, on a closed network: no sandbox (root cannot have one), no GPU, and none of
# the background traffic a browser makes to its vendor. Playwright's launch() gives every launch
# a fresh, temporary user data directory.
LAUNCH_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# A page waits this long for an element before a step fails (a busy 2-core CI machine is slow).
STEP_TIMEOUT_MS = 30_000
expect.set_options(timeout=STEP_TIMEOUT_MS)
EXPECTED_REFUSAL = re.compile(r"Failed to load resource: .* status of (403|404|409|422)\b")


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    assert CHROMIUM.exists(), f"{CHROMIUM} is missing: `apt-get install chromium` (.ci/run does)"
    forget_failed_runs()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                             args=LAUNCH_FLAGS)
        yield browser
        browser.close()


class BrowserPages:
    """Opens pages on a live server, each in its own browser context, signed in or not; keeps
    the errors the browser reports (scripts failing, resources refused) for the test to check."""

    def __init__(self, browser: Browser):
        self._browser = browser
        self._contexts = []
        self.console_errors: list[str] = []

    def open(self, live: LiveServer, account: str | None = None, *,
             for_scan: bool = False) -> Page:
        """A page on `live`, signed in through the form as the test account `account`.
        `for_scan`: the page may take the axe script, which the app's Content-Security-Policy
        (scripts from the app only) would otherwise refuse."""
        context = self._browser.new_context(base_url=live.url, accept_downloads=True,
                                            bypass_csp=for_scan,
                                            viewport={"width": 1280, "height": 900})
        context.set_default_timeout(STEP_TIMEOUT_MS)
        self._contexts.append(context)
        page = context.new_page()
        page.on("console", lambda message: self._console(page, message))
        page.on("pageerror", lambda error: self.console_errors.append(f"{page.url}: {error}"))
        if account:
            sign_in(page, ACCOUNTS[account][0])
        return page

    def _console(self, page: Page, message) -> None:
        # A refused form (422), a stale save (409) or a refused write (403, 404) is an answer
        # the app means to give; the browser logs it as a failed load all the same.
        if message.type == "error" and not EXPECTED_REFUSAL.search(message.text):
            self.console_errors.append(f"{page.url}: {message.text}")

    def keep_screenshots(self, test_name: str) -> None:
        """Full-page screenshots of every open page, to see where a failed test stopped."""
        for number, context in enumerate(self._contexts):
            for page in context.pages:
                save_screenshot(page, f"failed-{test_name}-{number}")

    def close(self) -> None:
        for context in self._contexts:
            context.close()


def sign_in(page: Page, email: str, password: str = PASSWORD) -> None:
    """Sign in as a person does: the form, then the dashboard."""
    page.goto("/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.browser_test_failed = report.failed
    return report


@pytest.fixture
def pages(request, chromium) -> Iterator[BrowserPages]:
    opened = BrowserPages(chromium)
    yield opened
    if getattr(request.node, "browser_test_failed", False):
        opened.keep_screenshots(request.node.name)
    opened.close()
