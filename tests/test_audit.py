"""The audit trail: an event for every create, update and delete, field by field, append-only."""

import re
import warnings

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from app.audit.recorder import Actor, set_actor
from app.audit.service import conflict_if_changed
from app.clearance import read_as_system
from app.db import make_engine
from app.errors import Conflict
from app.models import AuditEvent, Classification, Programme, SafeguardEvidence, Source
from tests.factories import cite_as_evidence, edit_form, programme_form


def events(db, **where) -> list[AuditEvent]:
    db.expire_all()
    query = select(AuditEvent).order_by(AuditEvent.id)
    for name, value in where.items():
        query = query.where(getattr(AuditEvent, name) == value)
    return list(db.exec(query))


def create(client) -> tuple[str, int]:
    location = client.post("/programmes", data=programme_form()).headers["location"]
    return location, int(location.rsplit("/", 1)[1])


class TestEventsForEveryChange:
    def test_create_records_who_and_every_value(self, client, db):
        _, programme_id = create(client)
        [event] = events(db, record_type="programme", record_id=programme_id)
        assert event.action.value == "create"
        assert event.actor == "staff" and event.user_id is not None
        assert event.changes["title"] == {"before": None,
                                          "after": "EPF assistance measure for the Test Defence Forces"}
        assert event.changes["kinds"]["after"] == ["non_lethal_equipment", "training"]
        lines = events(db, record_type="funding_line", parent_id=programme_id)
        assert len(lines) == 2 and {e.action.value for e in lines} == {"create"}
        assert events(db, record_type="source", parent_id=programme_id)[0].record_label \
            == "Council Decision (CFSP) 2021/2136"

    def test_update_records_only_what_changed_before_and_after(self, client, db):
        location, programme_id = create(client)
        before = len(events(db))
        form = edit_form(client, location, title="Renamed", **{"funding-0-amount": "8000000"})
        assert client.post(f"{location}/edit", data=form).status_code == 303
        new = events(db)[before:]
        by_type = {e.record_type: e for e in new}
        assert set(by_type) == {"programme", "funding_line"}  # unchanged rows leave no trace
        assert by_type["programme"].changes == {
            "title": {"before": "EPF assistance measure for the Test Defence Forces",
                      "after": "Renamed"}}
        assert by_type["funding_line"].changes == {
            "amount_cents": {"before": 700_000_000, "after": 800_000_000}}
        assert by_type["programme"].record_version == 2

    def test_kinds_added_and_removed_show_as_a_programme_field(self, client, db):
        location, programme_id = create(client)
        form = edit_form(client, location, kinds=["training", "advisory"])
        assert client.post(f"{location}/edit", data=form).status_code == 303
        update = events(db, record_type="programme", record_id=programme_id, action="update")[-1]
        assert update.changes["kinds"] == {"before": ["non_lethal_equipment", "training"],
                                           "after": ["advisory", "training"]}

    def test_delete_records_what_was_lost(self, client, db):
        location, programme_id = create(client)
        assert client.post(f"{location}/delete").status_code == 303
        [event] = events(db, record_type="programme", record_id=programme_id, action="delete")
        assert event.changes["reference_code"] == {"before": "EPF-TEST-2021-1", "after": None}

    def test_deleting_a_cited_source_deletes_its_evidence_first_with_its_event(self, client, db):
        # The recorder adds the evidence's deletion to the flush; were it ordered after the
        # source's, the database would already have removed the row (SQLAlchemy warns).
        _, programme_id = create(client)
        source = db.exec(select(Source)).one()
        cite_as_evidence(db, programme_id, source_id=source.id)
        [evidence] = db.exec(select(SafeguardEvidence)).all()
        db.delete(source)
        with warnings.catch_warnings():
            warnings.simplefilter("error", sa.exc.SAWarning)
            db.commit()
        assert db.exec(select(SafeguardEvidence)).all() == []
        [event] = events(db, record_type="safeguard_evidence", action="delete")
        assert event.record_id == evidence.id

    def test_notes_are_audited_and_classified_like_the_note(self, client, db):
        location, programme_id = create(client)
        client.post(f"{location}/notes", data={"title": "Assessment", "body": "Evasive.",
                                               "classification": "restricted"})
        [event] = events(db, record_type="note")
        assert event.parent_id == programme_id
        assert event.classification == Classification.RESTRICTED
        assert event.changes["body"]["after"] == "Evasive."

    def test_password_changes_never_store_the_hash(self, client_for, server, db):
        admin = client_for(server, "admin")
        page = admin.post("/admin/users", data={"email": "new@test.example", "name": "New MP",
                                                "role": "member", "clearance": "public"})
        assert page.status_code == 200
        [created] = events(db, record_type="user", record_label="new@test.example")
        assert created.changes["password_hash"]["after"] == "(hidden)"
        admin.post(f"/admin/users/{created.record_id}/password")
        [update] = events(db, record_type="user", record_id=created.record_id, action="update")
        assert update.changes["password_hash"] == {"before": "(hidden)", "after": "(hidden)"}
        assert "$argon2" not in str([e.changes for e in events(db)])


class TestSavesThatRace:
    def test_a_flush_that_lost_the_race_is_a_conflict_naming_who_saved(self, client, database_url):
        # The form's version check passed, then someone saved before this flush: the version
        # column catches it, and conflict_if_changed turns it into the usual Conflict.
        location, programme_id = create(client)
        engine = make_engine(database_url)
        with read_as_system(Session(engine, expire_on_commit=False)) as session:
            set_actor(session, Actor(None, "late editor"))
            programme = session.get(Programme, programme_id)
            session.commit()  # ends the read; the programme keeps the version it was loaded at
            form = edit_form(client, location, title="Saved first")
            assert client.post(f"{location}/edit", data=form).status_code == 303
            programme.title = "Saved second"
            with pytest.raises(Conflict) as refused:
                with conflict_if_changed(session, "programme", programme_id):
                    session.flush()
            assert "This record was changed by staff at " in refused.value.message
            assert session.get(Programme, programme_id).title == "Saved first"
        engine.dispose()


class TestHistoryPanel:
    def test_programme_page_shows_field_level_changes(self, client):
        location, _ = create(client)
        client.post(f"{location}/edit", data=edit_form(client, location, title="Renamed"))
        page = client.get(location).text
        history = page[page.index('id="history-heading"'):]
        assert "Changed</strong> programme" in history
        assert re.search(r"<dt>title</dt>\s*<dd><del>EPF assistance measure for the Test "
                         r"Defence Forces</del> → <ins>Renamed</ins>", history)
        assert "Created</strong> funding line" in history

    def test_history_hides_events_above_the_readers_clearance(self, client, client_for, server):
        location, _ = create(client)
        client.post(f"{location}/notes", data={"title": "Secret assessment", "body": "x",
                                               "classification": "confidential"})
        page = client_for(server, "member").get(location).text
        assert "Secret assessment" not in page
        assert "Secret assessment" in client.get(location).text


class TestAdminAuditPage:
    def test_lists_and_filters_events(self, client, client_for, server, db):
        create(client)
        admin = client_for(server, "admin")
        page = admin.get("/admin/audit").text
        assert "EPF-TEST-2021-1" in page
        staff_id = db.exec(sa.text("SELECT id FROM user_account WHERE email='staff@test.example'")).scalar()
        only_staff = admin.get("/admin/audit", params={"user": staff_id, "type": "source"}).text
        assert "Council Decision (CFSP) 2021/2136" in only_staff and "EPF-TEST" not in only_staff
        future = admin.get("/admin/audit", params={"from": "2999-01-01"}).text
        assert "No events match." in future
        today = admin.get("/admin/audit", params={"from": "2000-01-01", "to": "2999-12-31",
                                                   "type": "programme"}).text
        assert "EPF-TEST-2021-1" in today

    def test_staff_cannot_read_the_audit_page(self, client):
        assert client.get("/admin/audit").status_code == 403


class TestAppendOnly:
    @pytest.mark.parametrize("statement", [
        "UPDATE audit_event SET actor = 'someone else'",
        "DELETE FROM audit_event",
    ])
    def test_database_refuses_to_change_or_delete_events(self, client, db, statement):
        create(client)
        with pytest.raises(sa.exc.DatabaseError, match="append-only"):
            db.exec(sa.text(statement))
        db.rollback()
        assert len(events(db)) > 0

    def test_no_route_or_code_changes_an_event(self):
        from pathlib import Path

        from tests.test_access import app_routes

        writes = [path for method, path in app_routes() if method != "GET" and "audit" in path]
        assert writes == []
        # Only the recorder touches the table, and only to insert.
        source = {p: p.read_text() for p in Path("app").rglob("*.py")}
        for path, text in source.items():
            assert not re.search(r"(update|delete)\(\s*AuditEvent", text), path
            if "AuditEvent.__table__" in text:
                assert path.name in ("recorder.py", "service.py"), path
        assert ".insert()" in source[Path("app/audit/recorder.py")]
