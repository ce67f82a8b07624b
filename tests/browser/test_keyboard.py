"""The keyboard alone: the main navigation, a whole form from the first field to its submit
button, and a refused form whose error summary takes the focus and leads to the field."""

from playwright.sync_api import Page, expect
from sqlmodel import select

from app.models import Hearing
from tests.browser.walk import heading

# More Tab presses than any page here needs to reach what a test looks for.
MOST_TABS = 40


def focused(page: Page) -> dict:
    """What has the keyboard focus: its tag, id, name, text and link address."""
    return page.evaluate("""() => {
        const el = document.activeElement;
        return {tag: el.tagName.toLowerCase(), id: el.id, name: el.getAttribute('name'),
                text: (el.innerText || '').trim(), href: el.getAttribute('href')};
    }""")


def tab_to(page: Page, matches) -> list[dict]:
    """Press Tab until the focused element `matches`; every element focused on the way."""
    passed = []
    for _ in range(MOST_TABS):
        page.keyboard.press("Tab")
        passed.append(focused(page))
        if matches(passed[-1]):
            return passed
    raise AssertionError(f"Tab never reached it; focus went through {passed}")


def test_main_navigation_works_from_the_keyboard(demo_server, pages):
    page = pages.open(demo_server, "staff")
    page.goto("/")
    # The first Tab reaches the skip link, and Enter on it moves the focus to the content.
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Skip to content"
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main"

    page.goto("/")
    passed = tab_to(page, lambda el: el["tag"] == "a" and el["text"] == "Hearings")
    assert [el["text"] for el in passed[:2]] == ["Skip to content", "Oversight Desk"]
    page.keyboard.press("Enter")
    expect(heading(page)).to_have_text("Hearings")
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Hearings")
           ).to_have_attribute("aria-current", "page")


def test_a_form_is_filled_and_sent_with_the_keyboard_alone(demo_server, pages, db):
    page = pages.open(demo_server, "staff")
    page.goto("/hearings/new")
    typed = {"committee": "Committee on Defence", "title": "Hearing typed at the keyboard",
             "held_on": "2031-05-06", "starts_at": "09:30", "location": "Room 2.100"}
    order = []
    for _ in range(MOST_TABS):
        page.keyboard.press("Tab")
        now = focused(page)
        if now["name"] in typed:
            order.append(now["name"])
            page.keyboard.type(typed[now["name"]])
        if now["tag"] == "button" and now["text"] == "Add hearing":
            break
    else:
        raise AssertionError("Tab never reached the submit button")
    # The fields come in the order they are shown, and the submit button after them.
    assert order == list(typed)
    page.keyboard.press("Enter")
    expect(heading(page)).to_have_text("Hearing typed at the keyboard")
    stored = db.exec(select(Hearing).where(Hearing.title == "Hearing typed at the keyboard")).one()
    assert (stored.committee, stored.held_on.isoformat()) == ("Committee on Defence", "2031-05-06")


def test_a_refused_form_announces_its_problems_and_leads_to_the_field(demo_server, pages):
    page = pages.open(demo_server, "staff")
    page.goto("/hearings/new")
    page.get_by_label("Title").focus()
    page.keyboard.type("A hearing with no committee or date")
    page.keyboard.press("Enter")  # Enter in a text field sends the form

    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    # Announced (an alert) and focused, so a screen reader reads it out first.
    expect(summary).to_have_attribute("role", "alert")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_contain_text("There is a problem")

    # Each problem links to its field; following the link by keyboard puts the focus there.
    expect(summary.locator("a[href='#committee']")).to_have_text("The committee is required.")
    tab_to(page, lambda el: el["href"] == "#committee")
    page.keyboard.press("Enter")
    committee = page.locator("#committee")
    expect(committee).to_be_focused()
    # The field says it is wrong, and its message is read with it.
    expect(committee).to_have_attribute("aria-invalid", "true")
    described = committee.get_attribute("aria-describedby").split()
    assert "committee-error" in described
    expect(page.locator("#committee-error")).to_contain_text("Error:")
    # What was typed is still there.
    expect(page.get_by_label("Title")).to_have_value("A hearing with no committee or date")
