"""What the tests of background generation share: a register to generate from, servers with
chosen render settings, and following a job page until the job has finished."""

import re
import time
from pathlib import Path

from app.config import Settings
from app.hearings import service as hearings
from app.hearings.forms import HearingInput
from app.models import Classification
from app.programmes import service as programmes
from app.programmes.schemas import ProgrammeInput
from tests.conftest import Database, database_in, system_session, url_of

TITLE = "Border guard mentoring for the Republic of Testland"
# A brief is laid out in a few seconds; the limit only stops a test whose worker is stuck.
POLLS, POLL_SECONDS = 600, 0.5


def render_settings(data_dir: Path, **overrides) -> Settings:
    return Settings(data_dir=data_dir, database_url=url_of(database_in(data_dir)), **overrides)


def make_register(db_path: Database) -> dict[str, int]:
    """{p}: a public programme with a restricted funding line (so a brief made for restricted
    clearance is marked RESTRICTED); {h}: a public hearing with {p} on its agenda; {empty}: a
    hearing with no agenda; {hidden}: a public hearing whose agenda holds only the restricted
    programme {x}."""
    engine, session = system_session(db_path)
    with session:
        ids = {"p": _programme(session, "TST-1", TITLE, Classification.PUBLIC,
                               restricted_line=True),
               "x": _programme(session, "TST-X", "A restricted programme",
                               Classification.RESTRICTED)}
        ids["h"] = _hearing(session, "Hearing on Testland", [ids["p"]])
        ids["empty"] = _hearing(session, "Hearing without an agenda", [])
        ids["hidden"] = _hearing(session, "Hearing on restricted matters", [ids["x"]])
        session.commit()
    engine.dispose()
    return ids


def _programme(session, code: str, title: str, level: Classification,
               restricted_line: bool = False) -> int:
    funding = [{"year": "2024", "kind": "commitment", "amount": "1000000", "currency": "EUR"}]
    if restricted_line:
        funding.append({"year": "2025", "kind": "disbursement", "amount": "250000",
                        "currency": "EUR", "classification": "restricted"})
    data = ProgrammeInput.model_validate({
        "reference_code": code, "title": title, "instrument": "EPF",
        "recipient_country": "MD", "kinds": ["training"], "status": "active",
        "classification": level.name.lower(), "funding": funding,
    })
    return programmes.create_programme(session, data).id


def _hearing(session, title: str, agenda: list[int]) -> int:
    hearing = hearings.create_hearing(session, HearingInput.model_validate({
        "committee": "Defence Committee", "title": title, "held_on": "2026-03-19"}))
    for programme_id in agenda:
        hearings.add_to_agenda(session, hearing, programme_id)
    return hearing.id


def job_path(response) -> str:
    """The job page a request for a document was sent on to."""
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    assert re.fullmatch(r"/documents/jobs/\d+", location), location
    return location


def until_finished(http, path: str) -> str:
    """Poll the job page as htmx does until the job is done or failed; its status block."""
    for _ in range(POLLS):
        page = http.get(path, headers={"HX-Request": "true"})
        assert page.status_code == 200, page.text
        if "is ready" in page.text or "could not be made" in page.text:
            return page.text
        time.sleep(POLL_SECONDS)
    raise AssertionError(f"the job at {path} did not finish")


def download_path(status_block: str) -> str:
    match = re.search(r'href="(/documents/\d+/download)"', status_block)
    assert match, status_block
    return match.group(1)
