"""The search's programme filter at a whole parliament's size: up to CHOICES_SHOWN programmes
are a list; past that the filter is a reference code, resolved within the reader's clearance
(a code the reader may not see is answered exactly like an unknown one)."""

import pytest

from app.paging import CHOICES_SHOWN
from app.models import Classification
from tests.safeguards.builders import programme


@pytest.fixture
def many(server, db) -> None:
    for n in range(CHOICES_SHOWN + 1):
        programme(db, f"BULK-{n:04d}")
    programme(db, "EPF-MALI-1")
    programme(db, "RES-MALI-2", Classification.RESTRICTED)
    db.commit()


def test_a_few_programmes_are_a_list(server, db, client_for):
    programme(db, "EPF-MALI-1")
    db.commit()
    page = client_for(server, "staff").get("/search", params={"q": "Programme"}).text
    assert '<select id="search-programme" name="programme">' in page
    assert ">EPF-MALI-1</option>" in page


def test_past_the_limit_the_filter_is_a_reference_code(server, many, client_for):
    staff = client_for(server, "staff")
    page = staff.get("/search", params={"q": "Programme"}).text
    assert 'name="programme_code"' in page and "<option value=\"1\"" not in page
    narrowed = staff.get("/search", params={"q": "Programme", "programme_code": "epf-mali-1"})
    assert "Showing 1–1 of 1 record" in narrowed.text, narrowed.text[-3000:]
    assert 'value="EPF-MALI-1"' in narrowed.text  # the field shows the programme's code
    restricted = staff.get("/search", params={"q": "Programme", "programme_code": "RES-MALI-2"})
    assert "Showing 1–1 of 1 record" in restricted.text
    fragment = staff.get("/search", params={"q": "Programme", "programme_code": "NOPE-1"},
                         headers={"HX-Request": "true"})
    assert "No programme you can see has the reference code “NOPE-1”" in fragment.text


def test_a_code_above_the_readers_clearance_is_answered_like_an_unknown_one(
        server, many, client_for):
    public = client_for(server, "staff_public")

    def answer(code: str) -> str:
        text = public.get("/search", params={"q": "Programme", "programme_code": code}).text
        return text.replace(code, "CODE")

    hidden, unknown = answer("RES-MALI-2"), answer("RES-MALI-3")
    assert "No programme you can see has the reference code" in hidden
    assert hidden == unknown
