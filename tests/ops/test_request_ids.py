"""The request id on every answer, and on the error page a clerk can quote it from, tied to the
logged traceback; the health checks say whether the database can serve."""

import logging

from sqlalchemy import text

from tests.conftest import LiveServer, _settings_for, http_client


def test_a_server_error_shows_the_request_id_that_its_logged_traceback_carries(
        data_dir, empty_db, caplog):
    live = LiveServer(_settings_for(data_dir))

    @live.app.get("/boom")
    def boom():
        raise RuntimeError("secret internal detail")

    caplog.set_level(logging.INFO, logger="oversight")
    with live:
        # One connection each: the server closes the one an error escaped on.
        with http_client(live.url) as http:
            response = http.get("/boom")
        with http_client(live.url) as http:
            api = http.get("/api/v1/nothing-here", headers={"X-Request-ID": "api-call-00017"})
    request_id = response.headers["X-Request-ID"]
    assert response.status_code == 500
    assert f"this reference: <strong><code>{request_id}</code>" in response.text
    assert "secret internal detail" not in response.text
    [trace] = [record for record in caplog.records if record.exc_info]
    assert trace.request_id == request_id and "secret internal detail" in str(trace.exc_info[1])
    [line] = [record for record in caplog.records if record.name == "oversight.request"
              and record.path == "/boom"]
    assert (line.status, line.levelname, line.request_id) == (500, "ERROR", request_id)
    assert api.headers["X-Request-ID"] == "api-call-00017"


def test_health_says_ok_for_a_migrated_database_and_503_with_a_reason_otherwise(
        server, anonymous, db):
    assert anonymous.get("/health/live").json() == {"status": "ok"}
    assert anonymous.get("/health").json() == {"status": "ok", "database": "ok"}
    head = db.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    db.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    db.commit()
    try:
        response = anonymous.get("/health")
        assert response.status_code == 503
        assert response.json() == {
            "status": "unavailable", "database": "the database schema is not the one this "
            "version expects; run `oversight db upgrade`"}
        assert anonymous.get("/health/live").status_code == 200  # the process is alive
    finally:
        db.execute(text("UPDATE alembic_version SET version_num = :head"), {"head": head})
        db.commit()


def test_health_is_503_when_the_database_does_not_answer(data_dir, blank_db):
    # A database without the schema: the check fails, saying so, without a trace or a path.
    with LiveServer(_settings_for(data_dir, blank_db)) as live, http_client(live.url) as http:
        response = http.get("/health")
    assert response.status_code == 503
    assert response.json()["database"] == "the database does not answer, or has no schema"
