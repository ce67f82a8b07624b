"""A hearing's "add to the agenda" choice at a whole parliament's size: up to CHOICES_SHOWN
programmes are offered in one list; past that the clerk finds the programme by part of its
reference code or title first (without JavaScript too), and counts and matches never include a
programme above the reader's clearance."""

import re

import pytest

from app.hearings import service as hearings
from app.hearings.forms import HearingInput
from app.models import Classification
from app.paging import CHOICES_SHOWN
from tests.safeguards.builders import programme


@pytest.fixture
def big(server, db) -> int:
    """A hearing and CHOICES_SHOWN + 5 public programmes, plus two restricted ones whose codes
    and titles match the searches below."""
    hearing = hearings.create_hearing(db, HearingInput.model_validate({
        "committee": "Committee on Foreign Affairs", "title": "Whole register",
        "held_on": "2026-03-19"}))
    for n in range(CHOICES_SHOWN + 5):
        programme(db, f"BULK-{n:04d}")
    programme(db, "EPF-MALI-1")
    programme(db, "SECRET-MALI-9", Classification.RESTRICTED)
    programme(db, "SECRET-BULK-9", Classification.RESTRICTED)
    db.commit()
    return hearing.id


def options(html: str) -> list[str]:
    select = re.search(r'<select[^>]*name="programme_id".*?</select>', html, re.S)
    return re.findall(r'<option value="\d+"[^>]*>([A-Z0-9-]+) —', select.group(0)) if select else []


def test_a_small_register_is_offered_whole(server, db, client_for):
    hearing = hearings.create_hearing(db, HearingInput.model_validate({
        "committee": "Committee on Foreign Affairs", "title": "Small", "held_on": "2026-03-19"}))
    for code in ("ONE-1", "TWO-2"):
        programme(db, code)
    db.commit()
    page = client_for(server, "staff").get(f"/hearings/{hearing.id}").text
    assert options(page) == ["ONE-1", "TWO-2"]
    assert 'name="find"' not in page


def test_past_the_limit_the_clerk_finds_the_programme_first(server, big, client_for):
    staff = client_for(server, "staff")
    page = staff.get(f"/hearings/{big}").text
    assert options(page) == []
    assert f"{CHOICES_SHOWN + 8} programmes can be added" in page
    assert 'name="find"' in page and 'form="agenda-find-form"' in page

    found = staff.get(f"/hearings/{big}", params={"find": "mali"}).text
    assert options(found) == ["EPF-MALI-1", "SECRET-MALI-9"]
    assert "2 of them match “mali”" in found
    # The page is marked for the restricted title shown, though only columns were read.
    assert 'class="marking marking-restricted"' in found
    assert 'class="marking marking-public"' in page

    chosen = [o for o in re.findall(r'<option value="(\d+)"[^>]*>EPF-MALI-1', found)][0]
    added = staff.post(f"/hearings/{big}/agenda", data={"programme_id": chosen, "note": ""})
    assert added.status_code == 303
    assert "EPF-MALI-1" in staff.get(f"/hearings/{big}").text.split('id="agenda-add"')[0]

    many = staff.get(f"/hearings/{big}", params={"find": "BULK"}).text
    assert len(options(many)) == CHOICES_SHOWN
    assert "the first 200 shown" in many
    none = staff.get(f"/hearings/{big}", params={"find": "100%_\x00nothing"})
    assert none.status_code == 200
    assert "No programme that can be added matches" in none.text


def test_a_reader_without_clearance_gets_no_count_or_match_of_hidden_programmes(
        server, big, client_for):
    staff = client_for(server, "staff_public")
    page = staff.get(f"/hearings/{big}").text
    assert f"{CHOICES_SHOWN + 6} programmes can be added" in page
    found = staff.get(f"/hearings/{big}", params={"find": "mali"}).text
    assert options(found) == ["EPF-MALI-1"]
    assert "SECRET" not in found
    assert "1 of them match" in found


def test_a_refused_choice_keeps_the_programme_chosen(server, big, client_for, db):
    staff = client_for(server, "staff")
    found = staff.get(f"/hearings/{big}", params={"find": "EPF-MALI"}).text
    chosen = re.findall(r'<option value="(\d+)"[^>]*>EPF-MALI-1', found)[0]
    refused = staff.post(f"/hearings/{big}/agenda",
                         data={"programme_id": chosen, "note": "<b>bold</b>"})
    assert refused.status_code == 422
    assert options(refused.text) == ["EPF-MALI-1"]
    assert re.search(rf'<option value="{chosen}"[^>]*selected', refused.text)
