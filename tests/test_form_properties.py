"""Property-based tests of the main write forms: each form, as a browser would submit it from
its page, with generated changes (any unicode text, control characters, huge values, fields
left out, one field sent several times, unknown fields) posted over real HTTP to a live server.
Never a server error: always 303 (or the page a saved form shows once), or a 4xx; a 422 says
what is wrong at the top and next to the field; and after any refusal not a row was added or
removed in any table."""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, inspect, select, table
from sqlmodel import Session

from app.clearance import read_as_system
from app.db import make_engine
from app.models import Answer, Programme
from tests.conftest import LiveServer
from tests.demo_sites import DATABASES, demo_settings
from tests.factories import programme_form
from tests.forms import as_form_data, form_fields

EXAMPLES = 60

ODD_VALUES = [
    "", " ", "0", "-1", "1e309", "NaN", "inf", "99999999999999999999999999", "2024-02-30",
    "0000-00-00", "9999-12-31", "31.12.2024", "<b>bold</b>", "<script>alert(1)</script>",
    "../../etc/passwd", "public", "RESTRICTED", "confidential", "ｃｏｎｆｉｄｅｎｔｉａｌ", "\x00",
    "\u202e", "\ufeff", "a\r\nb", "%00", "' OR 1=1 --", "null", "[]", "{}", "true",
    "x" * 100_000, "9" * 5_000, "ä" * 2_000,
]
TEXT = st.text(max_size=60)
CONTROL = st.text(st.characters(max_codepoint=0x1f), min_size=1, max_size=8)
VALUE = st.one_of(st.sampled_from(ODD_VALUES), TEXT, CONTROL, st.integers().map(str),
                  st.floats().map(str))
# None: the field is left out; a list: the field is sent that many times.
CHANGE = st.one_of(st.none(), VALUE, st.lists(VALUE, min_size=2, max_size=3))


@dataclass
class WriteForm:
    """A form: the page that offers it, where it posts, who uses it, and what makes it valid."""

    page: str
    action: str
    account: str = "staff"
    valid: dict = field(default_factory=dict)  # values that make the page's form saveable
    only: str = ""  # change only the fields whose names start with this
    extra_names: tuple[str, ...] = ("unexpected",)
    saved: int = 303  # the status of a saved form: its redirect, or a page shown once


def demo_ids(live) -> dict[str, int]:
    engine = make_engine(live.settings.resolved_database_url)
    with read_as_system(Session(engine)) as session:
        ids = {"p": session.exec(select(Programme.id).order_by(Programme.id)).scalars().first(),
               "a": session.exec(select(Answer.inquiry_id).order_by(Answer.id)).scalars().first()}
    engine.dispose()
    return ids


FORMS = {
    "programme create": WriteForm("/programmes/new", "/programmes", valid=programme_form()),
    "programme edit": WriteForm("/programmes/{p}/edit", "/programmes/{p}/edit",
                                valid={"action": "save"}),
    "funding lines": WriteForm("/programmes/{p}/edit", "/programmes/{p}/edit",
                               valid={"action": "save"}, only="funding-",
                               extra_names=("funding-40-amount", "funding-x-year")),
    "sources": WriteForm("/programmes/{p}/edit", "/programmes/{p}/edit",
                         valid={"action": "save"}, only="source-",
                         extra_names=("source-40-url", "source--1-title")),
    "note": WriteForm("/programmes/{p}/notes/new", "/programmes/{p}/notes",
                      valid={"title": "Site visit", "body": "The depot was inspected."}),
    "inquiry with items": WriteForm("/inquiries/new", "/inquiries", valid={
        "title": "Training of units", "questions": "1. Which units?\n2. How many?"}),
    "answer with assessments": WriteForm("/inquiries/{a}/answer", "/inquiries/{a}/answer",
                                         valid={"action": "save"}),
    "hearing": WriteForm("/hearings/new", "/hearings", valid={
        "committee": "Defence", "title": "Annual review", "held_on": "2025-03-12"}),
    "user admin": WriteForm("/admin/users/new", "/admin/users", account="admin", valid={
        "name": "New Clerk", "email": "clerk@test.example", "role": "staff",
        "clearance": "public"}, saved=200),  # the new password is shown once, not redirected
}


def row_counts(engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {name: connection.execute(select(func.count()).select_from(table(name)))
                .scalar_one() for name in inspect(connection).get_table_names()}


def refusal_is_explained(html: str) -> None:
    """A 422 page: the summary at the top, and each field it links to carries its message."""
    assert 'class="error-summary' in html, html[:2000]
    summary = html.split('class="error-summary', 1)[1].split("</div>", 1)[0]
    for name in re.findall(r'<a href="#([^"]+)">', summary):
        assert f'id="{name}-error"' in html, name


@pytest.fixture(params=DATABASES)
def demo_site(request) -> Iterator[LiveServer]:
    """The app over HTTP on the demo register, in SQLite or PostgreSQL."""
    with LiveServer(demo_settings(request, request.param)) as live:
        yield live


@pytest.mark.parametrize("name", list(FORMS))
def test_no_generated_submission_gives_a_server_error(name, demo_site, client_for):
    demo_server, form = demo_site, FORMS[name]
    ids = demo_ids(demo_server)
    page, action = form.page.format(**ids), form.action.format(**ids)
    http = client_for(demo_server, form.account)
    engine = make_engine(demo_server.settings.resolved_database_url)
    base = form_fields(http.get(page).text, action)
    assert base, f"no form posting to {action} on {page}"
    names = sorted({n for n, _ in base if n != "csrf_token" and n.startswith(form.only)}
                   | set(form.extra_names))
    statuses: set[int] = set()
    posted: list[int] = []

    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture,
                                     HealthCheck.too_slow])
    @given(changes=st.dictionaries(st.sampled_from(names), CHANGE, min_size=1, max_size=6))
    def submit(changes):
        # Read again each time: an edit form carries the record's current version.
        fields = dict(as_form_data(form_fields(http.get(page).text, action)))
        fields.update(form.valid)
        for key, value in changes.items():
            if value is None:
                fields.pop(key, None)
            else:
                fields[key] = value
        before = row_counts(engine)
        response = http.post(action, data=fields, follow_redirects=False)
        statuses.add(response.status_code)
        posted.append(response.status_code)
        assert response.status_code == form.saved or 400 <= response.status_code < 500, (
            response.status_code, response.text[-3000:])
        if response.status_code != form.saved:
            assert row_counts(engine) == before
        if response.status_code == 422:
            refusal_is_explained(response.text)

    try:
        submit()
    finally:
        engine.dispose()
    assert len(posted) >= EXAMPLES
    assert 422 in statuses  # the generated values did reach the checks


def test_a_nul_character_is_refused_next_to_its_field(demo_site, client_for):
    """PostgreSQL cannot even compare a NUL in text: it once gave a server error on a
    reference code, and on every code chosen from a list."""
    staff = client_for(demo_site, "staff")
    engine = make_engine(demo_site.settings.resolved_database_url)
    before = row_counts(engine)
    response = staff.post("/programmes", data=programme_form(
        reference_code="EPF-\x00-1", title="Nul\x00", instrument="EPF\x00"))
    assert response.status_code == 422
    for name in ("reference_code", "title", "instrument"):
        assert f'id="{name}-error"' in response.text, name
    assert row_counts(engine) == before
    engine.dispose()
