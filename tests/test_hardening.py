"""Defences found by review: history after re-marking, complete deletes, racing guesses,
forwarded headers, error-page headers, body size, an append-only trail that REPLACE can't beat."""

import re
import threading

import pytest
import sqlalchemy as sa
from sqlmodel import select

from app.accounts.service import create_user
from app.models import AuditEvent, Classification, LoginAttempt, ProgrammeNote, Role
from tests.conftest import (
    ACCOUNTS, PASSWORD, LiveServer, _settings_for, http_client, sign_in, system_session,
)
from tests.factories import edit_form, programme_form

SECRET_NOTE = "LINE-NOW-SECRET"


def create(client, **overrides) -> str:
    return client.post("/programmes", data=programme_form(**overrides)).headers["location"]


class TestRemarkingHidesEarlierHistory:
    def test_a_line_raised_to_confidential_vanishes_from_public_history(self, client,
                                                                        client_for, server):
        location = create(client, **{"funding-0-note": SECRET_NOTE})
        form = edit_form(client, location, **{"funding-0-note": SECRET_NOTE,
                                              "funding-0-classification": "confidential"})
        assert client.post(f"{location}/edit", data=form).status_code == 303
        member_page = client_for(server, "member").get(location).text
        assert SECRET_NOTE not in member_page
        assert "7,000,000" not in member_page
        assert SECRET_NOTE in client.get(location).text

    def test_a_programme_raised_to_confidential_leaves_no_public_trail(self, client, client_for,
                                                                      server, db):
        location = create(client, title="Soon secret programme")
        client.post(f"{location}/notes", data={"title": "Public note", "classification": "public"})
        form = edit_form(client, location, title="Soon secret programme",
                         classification="confidential")
        assert client.post(f"{location}/edit", data=form).status_code == 303
        db.expire_all()
        assert db.exec(select(ProgrammeNote)).one().classification == Classification.CONFIDENTIAL
        # an administrator without clearance sees nothing of it in the audit trail
        engine, session = system_session(server.settings.resolved_database_url)
        with session:
            create_user(session, email="admin.public@test.example", name="Public admin",
                        role=Role.ADMIN, clearance=Classification.PUBLIC, password=PASSWORD)
            session.commit()
        engine.dispose()
        with http_client(server.url) as http:
            audit = sign_in(http, "admin.public@test.example").get("/admin/audit").text
        assert "Soon secret programme" not in audit and "Public note" not in audit
        assert "Soon secret programme" in client_for(server, "admin").get("/admin/audit").text
        assert client_for(server, "member").get(location).status_code == 404


class TestDeleteRecordsEveryPart:
    def test_lines_sources_and_notes_each_get_a_delete_event(self, client, db):
        location = create(client)
        client.post(f"{location}/notes", data={"title": "Assessment", "classification": "restricted"})
        assert client.post(f"{location}/delete").status_code == 303
        db.expire_all()
        deleted = {e.record_type for e in db.exec(
            select(AuditEvent).where(AuditEvent.action == "delete"))}
        assert deleted == {"programme", "funding_line", "source", "note"}

    def test_staff_without_full_clearance_cannot_delete(self, client, client_for, server, db):
        location = create(client)
        uncleared = client_for(server, "staff_public")
        assert uncleared.get(f"{location}/delete").status_code == 403
        assert uncleared.post(f"{location}/delete").status_code == 403
        assert "Delete" not in uncleared.get(location).text.split("Key facts")[0]


class TestSignInThrottle:
    def test_parallel_guesses_all_count(self, server, db):
        url, email = server.url, ACCOUNTS["member"][0]
        results: list[str] = []

        def guess():
            with http_client(url) as http:
                page = http.get("/login").text
                token = re.search(r'name="login_token" value="([^"]+)"', page).group(1)
                response = http.post("/login", data={"email": email, "password": "wrong guess",
                                                      "login_token": token})
                results.append(response.text)

        threads = [threading.Thread(target=guess) for _ in range(20)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        checked = sum("password is not correct" in text for text in results)
        assert checked <= 5 and len(results) == 20
        assert sum("Too many failed sign-ins" in text for text in results) == 20 - checked

    def test_forwarded_for_is_not_believed_by_default(self, server, db):
        with http_client(server.url) as http:
            for n in range(3):
                page = http.get("/login").text
                token = re.search(r'name="login_token" value="([^"]+)"', page).group(1)
                http.post("/login", data={"email": f"x{n}@test.example", "password": "x",
                                          "login_token": token},
                          headers={"X-Forwarded-For": f"203.0.113.{n}"})
        db.expire_all()
        assert {a.address for a in db.exec(select(LoginAttempt))} == {"127.0.0.1"}


class TestLimits:
    def test_far_dates_in_the_audit_filter_are_harmless(self, client_for, server):
        admin = client_for(server, "admin")
        for params in ({"to": "9999-12-31"}, {"from": "0001-01-01"}, {"to": "31.12.2024"}):
            assert admin.get("/admin/audit", params=params).status_code == 200

    def test_a_nul_in_a_filter_or_an_id_past_the_id_columns_is_no_server_error(self, client):
        # Found on PostgreSQL, which refuses a NUL in text and numbers past a 32-bit id column.
        for path in ("/programmes", "/inquiries", "/search"):
            page = client.get(path, params={"q": "night\x00vision"})
            assert page.status_code == 200, path
        assert client.get("/inquiries", params={"programme": 2**31}).status_code == 200
        assert client.get("/search", params={"q": "x", "programme": 2**31}).status_code == 200
        assert client.get(f"/programmes/{2**31}").status_code == 404

    def test_oversized_bodies_are_refused_before_sign_in(self, data_dir, empty_db):
        settings = _settings_for(data_dir).model_copy(update={"max_body_mb": 1})
        with LiveServer(settings) as live, http_client(live.url) as http:
            response = http.post("/login", content=b"x" * (2 * 1024 * 1024),
                                 headers={"content-type": "application/x-www-form-urlencoded"})
        assert response.status_code == 413

    def test_insert_or_replace_cannot_overwrite_an_event(self, client, db):
        create(client)
        # Each database's way of writing over a row by inserting one with the same id.
        overwrite = {"sqlite": ("INSERT OR REPLACE INTO", ""),
                     "postgresql": ("INSERT INTO", " ON CONFLICT (id) DO UPDATE SET actor = "
                                    "excluded.actor")}[db.get_bind().dialect.name]
        with pytest.raises(sa.exc.DatabaseError, match="append-only"):
            db.exec(sa.text(
                f"{overwrite[0]} audit_event (id, at, actor, action, record_type, "
                "record_id, record_label, changes, classification) SELECT id, at, 'forged', "
                "action, record_type, record_id, record_label, changes, classification "
                f"FROM audit_event LIMIT 1{overwrite[1]}"))
        db.rollback()

    def test_a_chart_of_classified_lines_is_marked(self, client):
        location = create(client, **{"funding-0-classification": "restricted",
                                     "funding-1-classification": "restricted"})
        svg = client.get(f"{location}/funding.svg?currency=EUR").text
        assert "Funding by year (EUR) · RESTRICTED" in svg


class TestOddNumbersAndShownBackInput:
    def test_unicode_digits_are_not_server_errors(self, client, client_for, server):
        location = create(client)
        admin = client_for(server, "admin")
        assert admin.get("/admin/audit", params={"user": "²"}).status_code == 200
        assert admin.get("/admin/audit", params={"page": "²"}).status_code == 200
        assert client.post(f"{location}/edit", data=programme_form(version="²")).status_code == 409
        assert client.post("/programmes", data=programme_form(
            action="remove-funding-²")).status_code == 200
        client.post(f"{location}/notes", data={"title": "N", "classification": "public"})
        note_edit = re.search(r'href="(/programmes/\d+/notes/\d+/edit)"', client.get(location).text)
        response = client.post(note_edit.group(1), data={"title": "N", "version": "²"})
        assert response.status_code == 409

    def test_a_refused_form_is_marked_as_high_as_what_it_shows_again(self, client):
        location = create(client)
        note = client.post(f"{location}/notes", data={"title": "", "body": "Secret assessment",
                                                      "classification": "confidential"})
        assert note.status_code == 422
        assert 'class="marking marking-confidential"' in note.text
        programme = client.post("/programmes", data=programme_form(
            reference_code="", classification="restricted"))
        assert programme.status_code == 422
        assert 'class="marking marking-restricted"' in programme.text

    def test_typos_in_the_current_password_do_not_lock_the_account(self, client_for, server, db):
        member = client_for(server, "member")
        for _ in range(6):
            response = member.post("/account/password", data={
                "current_password": "typo", "new_password": "x" * 12, "repeat_password": "x" * 12})
            assert "The current password is not correct." in response.text
        db.expire_all()
        assert db.exec(select(LoginAttempt)).all() == []
