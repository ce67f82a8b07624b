"""A source keeps its identity through edits: removing one from the middle does not shift the
others (and the safeguard evidence citing them) onto different rows."""

from sqlmodel import select

from app.models import AuditEvent, SafeguardEvidence, SafeguardRating, Source
from tests.factories import cite_as_evidence, edit_form, programme_form, stored_programme
from tests.forms import form_fields


def _three_sources() -> dict[str, str]:
    sources = {}
    for i, title in enumerate(["First decision", "Second decision", "Third decision"]):
        sources.update({f"source-{i}-title": title, f"source-{i}-url": f"https://example.org/{i}",
                        f"source-{i}-confidence": "verified", f"source-{i}-note": ""})
    return sources


def test_removing_a_middle_source_keeps_the_evidence_on_its_own_source(client, db):
    assert client.post("/programmes", data=programme_form(**_three_sources())).status_code == 303
    programme = stored_programme(db, "EPF-TEST-2021-1")
    third = db.exec(select(Source).where(Source.title == "Third decision")).one()
    cite_as_evidence(db, programme.id, source_id=third.id)

    location = f"/programmes/{programme.id}"
    page = client.get(f"{location}/edit").text
    fields = dict(form_fields(page, f"{location}/edit"))
    assert fields["source-2-id"] == str(third.id)
    # Save with the second source gone: the third moves up to row 1 of the form.
    form = edit_form(client, location, **{
        "source-0-id": fields["source-0-id"], "source-0-title": "First decision",
        "source-0-url": "https://example.org/0",
        "source-1-id": str(third.id), "source-1-title": "Third decision",
        "source-1-url": "https://example.org/2", "source-1-confidence": "verified",
        "source-1-note": ""})
    assert client.post(f"{location}/edit", data=form).status_code == 303

    db.expire_all()
    titles = {s.id: s.title for s in db.exec(select(Source))}
    assert sorted(titles.values()) == ["First decision", "Third decision"]
    [evidence] = db.exec(select(SafeguardEvidence)).all()
    assert titles[evidence.source_id] == "Third decision"


def test_removing_a_cited_source_removes_its_evidence_on_the_record(client, db):
    assert client.post("/programmes", data=programme_form(**_three_sources())).status_code == 303
    programme = stored_programme(db, "EPF-TEST-2021-1")
    second = db.exec(select(Source).where(Source.title == "Second decision")).one()
    rating = cite_as_evidence(db, programme.id, source_id=second.id)
    evidence_id = db.exec(select(SafeguardEvidence.id)).one()

    location = f"/programmes/{programme.id}"
    fields = dict(form_fields(client.get(f"{location}/edit").text, f"{location}/edit"))
    form = edit_form(client, location, **{
        "source-0-id": fields["source-0-id"], "source-0-title": "First decision",
        "source-0-url": "https://example.org/0",
        "source-1-id": fields["source-2-id"], "source-1-title": "Third decision",
        "source-1-url": "https://example.org/2", "source-1-confidence": "verified",
        "source-1-note": ""})
    assert client.post(f"{location}/edit", data=form).status_code == 303
    db.expire_all()
    assert db.exec(select(SafeguardEvidence)).all() == []
    # The rating stays, and the trail records the evidence's deletion under its programme.
    assert db.get(SafeguardRating, rating.id) is not None
    [event] = db.exec(select(AuditEvent).where(AuditEvent.record_type == "safeguard_evidence",
                                               AuditEvent.record_id == evidence_id,
                                               AuditEvent.action == "delete")).all()
    assert (event.parent_type, event.parent_id) == ("programme", programme.id)
