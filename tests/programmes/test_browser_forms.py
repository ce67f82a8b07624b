"""Forms submitted exactly as a browser sends them, blank rows and pre-filled selects included."""

import re

from sqlmodel import select

from app.models import Programme
from tests.factories import row_counts
from tests.forms import as_form_data, form_fields, with_values


def test_new_form_as_a_browser_fills_it_saves(client, db):
    page = client.get("/programmes/new").text
    fields = with_values(
        form_fields(page, "/programmes") + [("action", "save")],
        reference_code="UK-CSSF-TEST", title="Test programme", instrument="UK_CSSF",
        recipient_country="UA", kinds=["advisory"],
    )
    response = client.post("/programmes", data=as_form_data(fields))
    assert response.status_code == 303, _errors(response.text)
    assert row_counts(db) == {"Programme": 1, "FundingLine": 0, "Source": 0}


def test_every_demo_programme_saves_unchanged_from_its_edit_form(demo_client, db):
    ids = db.exec(select(Programme.id)).all()
    for programme_id in ids:
        page = demo_client.get(f"/programmes/{programme_id}/edit").text
        fields = form_fields(page, f"/programmes/{programme_id}/edit") + [("action", "save")]
        response = demo_client.post(f"/programmes/{programme_id}/edit", data=as_form_data(fields))
        assert response.status_code == 303, (programme_id, _errors(response.text))
    before = row_counts(db)
    assert before["Programme"] == len(ids)


def test_added_blank_row_does_not_block_saving(client, db):
    page = client.get("/programmes/new").text
    fields = with_values(
        form_fields(page, "/programmes") + [("action", "add-funding")],
        reference_code="X-1", title="T", instrument="EPF", recipient_country="GE",
        kinds=["training"])
    page = client.post("/programmes", data=as_form_data(fields)).text
    fields = form_fields(page, "/programmes") + [("action", "save")]
    assert sum(1 for name, _ in fields if name.endswith("-currency")) == 2
    response = client.post("/programmes", data=as_form_data(fields))
    assert response.status_code == 303, _errors(response.text)


def _errors(html: str) -> list[str]:
    return re.findall(r'<p class="field-error" id="([^"]+)">', html)
