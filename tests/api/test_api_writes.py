"""Writing through the API under the forms' rules: programmes made and changed (with optimistic
locking), inquiries made with their questions, answers recorded with per-item assessments.
Refused input names each field and saves nothing."""

from datetime import timedelta

import pytest
from sqlmodel import select

from app import clock
from app.models import (
    Answer, AnswerItem, Classification, FundingLine, Inquiry, InquiryItem, Programme,
)
from tests.api.tokens import store_tokens

PROGRAMME = {
    "reference_code": "API-MOZ-1", "title": "Training for Mozambican units",
    "instrument": "EPF", "recipient_country": "MZ", "kinds": ["training"], "status": "active",
    "funding": [{"year": 2024, "kind": "commitment", "amount": "1250.50", "currency": "EUR"}],
    "sources": [{"title": "Council decision", "url": "https://example.org/decision"}],
}


@pytest.fixture
def api(server, api_for):
    """caller -> a client holding that test account's token."""
    secrets = store_tokens(server.settings.resolved_database_url)
    return lambda caller="staff": api_for(server, secrets[caller])


def problems(response) -> dict[str, str]:
    assert response.status_code == 422, response.text
    return {p["field"]: p["message"] for p in response.json()["errors"]}


def test_staff_create_a_programme_and_read_it_back(api, db):
    made = api().post("/api/v1/programmes", json=PROGRAMME)
    assert made.status_code == 201, made.text
    body = made.json()
    assert body["reference_code"] == "API-MOZ-1" and body["version"] == 1
    assert body["funding_lines"][0]["amount_cents"] == 125_050
    assert body["totals"] == [{"currency": "EUR", "committed_cents": 125_050,
                               "disbursed_cents": 0}]
    assert db.exec(select(Programme.title)).one() == "Training for Mozambican units"
    assert api("member").get(f"/api/v1/programmes/{body['id']}").json()["title"] == body["title"]


def test_refused_programme_lists_every_field_and_saves_nothing(api, db):
    bad = {**PROGRAMME, "recipient_country": "XX", "title": "<script>x</script>",
           "funding": [{"year": 2024, "kind": "commitment", "amount": "1.000,50",
                        "currency": "EUR"}]}
    found = problems(api().post("/api/v1/programmes", json=bad))
    assert found["recipient_country"].startswith("Unknown country code")
    assert "HTML tags" in found["title"]
    assert found["funding.0.amount"].startswith("Write “1.000,50” as 1000.50")
    # A number where the amount's text belongs: refused, never read as cents.
    numeric = {**PROGRAMME, "funding": [{**PROGRAMME["funding"][0], "amount": 1250}]}
    assert "funding.0.amount" in problems(api().post("/api/v1/programmes", json=numeric))
    assert "colour" in problems(api().post("/api/v1/programmes", json={**PROGRAMME,
                                                                       "colour": "red"}))
    assert db.exec(select(Programme)).all() == []


def test_nobody_marks_content_above_their_own_clearance(api, db):
    restricted = {**PROGRAMME, "classification": "restricted"}
    found = problems(api("staff_public").post("/api/v1/programmes", json=restricted))
    assert "above your own clearance" in found["classification"]
    assert db.exec(select(Programme)).all() == []


def test_a_change_applies_to_the_version_it_was_based_on(api, db):
    made = api().post("/api/v1/programmes", json=PROGRAMME).json()
    path = f"/api/v1/programmes/{made['id']}"
    changed = api().patch(path, json={"version": 1, "title": "Renamed", "status": "suspended"})
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert (body["title"], body["status"]) == ("Renamed", "suspended")
    assert body["version"] > 1
    # What the change did not name stays as it was.
    assert body["funding_lines"][0]["amount_cents"] == 125_050
    assert body["sources"][0]["title"] == "Council decision"

    # A null marking is refused, never read as "public".
    assert "classification cannot be null" in problems(api().patch(path, json={
        "version": body["version"], "classification": None}))["body"]
    cleared = api().patch(path, json={"version": body["version"], "summary": None})
    assert cleared.status_code == 200 and cleared.json()["summary"] == ""
    body = cleared.json()

    stale = api().patch(path, json={"version": 1, "title": "Lost update"})
    assert stale.status_code == 409
    assert f"now at version {body['version']}" in stale.json()["detail"]
    db.expire_all()
    assert db.exec(select(Programme.title)).one() == "Renamed"


def test_a_public_editor_keeps_restricted_lines_they_cannot_see(api, db):
    made = api().post("/api/v1/programmes", json={**PROGRAMME, "funding": [
        *PROGRAMME["funding"],
        {"year": 2025, "kind": "commitment", "amount": "99", "currency": "EUR",
         "classification": "restricted"}]}).json()
    path = f"/api/v1/programmes/{made['id']}"
    seen = api("staff_public").get(path).json()
    assert len(seen["funding_lines"]) == 1
    changed = api("staff_public").patch(path, json={"version": seen["version"], "funding": [
        {"year": 2024, "kind": "commitment", "amount": "2000", "currency": "EUR"}]})
    assert changed.status_code == 200, changed.text
    db.expire_all()
    assert sorted(db.exec(select(FundingLine.amount_cents)).all()) == [9_900, 200_000]


def test_staff_create_an_inquiry_with_its_questions(api, db):
    made = api().post("/api/v1/inquiries", json={
        "inquiry_type": "minor_interpellation", "title": "Police training in Niger",
        "ministries": ["AA", "BMVg"], "lead_ministry": "AA",
        "submitted_on": (clock.today() - timedelta(days=3)).isoformat(),
        "classification": "restricted",
        "items": [{"number": 1, "text": "Which units?"}, {"number": 2, "text": "How many?"}],
    })
    assert made.status_code == 201, made.text
    body = made.json()
    assert body["status"] == "submitted" and body["due_date"] is not None
    assert [m["code"] for m in body["ministries"] if m["lead"]] == ["AA"]
    stored = db.exec(select(InquiryItem).order_by(InquiryItem.number)).all()
    assert [(i.text, i.classification) for i in stored] == [
        ("Which units?", Classification.RESTRICTED), ("How many?", Classification.RESTRICTED)]


def test_refused_inquiry_names_each_field_and_saves_nothing(api, db):
    found = problems(api().post("/api/v1/inquiries", json={
        "inquiry_type": "no_such_type", "title": "", "ministries": ["AA", "BMVg"],
        "items": [{"number": 1, "text": "One?"}, {"number": 1, "text": "Again?"}],
    }))
    assert found["title"] == "The title is required."
    assert found["lead_ministry"] == "Choose which of the ministries is the lead."
    twice = problems(api().post("/api/v1/inquiries", json={
        "inquiry_type": "minor_interpellation", "title": "T", "ministries": ["XX"],
        "items": [{"number": 1, "text": "One?"}, {"number": 1, "text": "Again?"}],
    }))
    assert twice == {"items.1.number": "Two questions have the number 1."}
    unknown = problems(api().post("/api/v1/inquiries", json={
        "inquiry_type": "minor_interpellation", "title": "T", "ministries": ["AA", "XX"],
        "lead_ministry": "AA"}))
    assert unknown["ministries"].startswith("Unknown ministry")
    assert db.exec(select(Inquiry)).all() == []


def _inquiry(api) -> int:
    return api().post("/api/v1/inquiries", json={
        "inquiry_type": "written_question", "title": "Runway in Mali", "ministries": ["AA"],
        "submitted_on": (clock.today() - timedelta(days=10)).isoformat(),
        "items": [{"number": 1, "text": "Who built it?"}, {"number": 2, "text": "Cost?"}],
    }).json()["id"]


def test_staff_record_an_answer_with_per_item_assessments(api, db):
    inquiry_id = _inquiry(api)
    path = f"/api/v1/inquiries/{inquiry_id}/answer"
    received = (clock.today() - timedelta(days=2)).isoformat()
    saved = api().put(path, json={"received_on": received, "ministry": "AA", "items": [
        {"number": 1, "text": "A contractor.", "assessment": "evasive", "follow_up": True},
        {"number": 2, "assessment": "refused", "refusal_reason": "classified"}]})
    assert saved.status_code == 200, saved.text
    body = saved.json()
    assert [(i["number"], i["assessment"]) for i in body["items"]] == [
        (1, "evasive"), (2, "refused")]
    assert body["items"][0]["follow_up"] is True
    assert api("member").get(f"/api/v1/inquiries/{inquiry_id}").json()["status"] == \
        "partially_answered"

    stale = api().put(path, json={"received_on": received, "version": 7})
    assert stale.status_code == 409
    again = api().put(path, json={"received_on": received, "version": body["version"],
                                  "items": [{"number": 1, "assessment": "complete"}]})
    assert again.status_code == 200
    db.expire_all()
    assessed = {row.assessment.value for row in db.exec(select(AnswerItem)).all()}
    assert assessed == {"complete", "refused"}


def test_refused_answer_names_each_item_and_saves_nothing(api, db):
    inquiry_id = _inquiry(api)
    future = (clock.today() + timedelta(days=5)).isoformat()
    found = problems(api().put(f"/api/v1/inquiries/{inquiry_id}/answer", json={
        "received_on": future, "items": [
            {"number": 2, "assessment": "refused"}, {"number": 9, "text": "?"}]}))
    assert found["received_on"].startswith("The received date is in the future")
    assert found["items.0.refusal_reason"].startswith("The item is assessed as refused")
    assert found["items.1.number"] == "The inquiry has no question 9."
    assert db.exec(select(Answer)).all() == []
