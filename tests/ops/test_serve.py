"""`oversight serve` as a real process: SIGTERM lets a request in flight finish and exits 0,
and every request leaves one JSON log line with its id, but no query string or secret."""

import json
import socket
import subprocess
from urllib.parse import urlencode

import pytest
from sqlmodel import select

from app.models import FundingLine, Programme
from tests.conftest import ACCOUNTS, http_client, sign_in
from tests.factories import programme_form
from tests.ops.conftest import data_folder
from tests.ops.serve_process import OVERSIGHT, ServeProcess, wait_for

SQLITE_ONLY = pytest.mark.parametrize(
    "migrated_url", [pytest.param("sqlite", marks=pytest.mark.sqlite_only)], indirect=True)


def served(migrated_url, tmp_path) -> ServeProcess:
    return ServeProcess(migrated_url, data_folder(tmp_path),
                        tmp_path / "server.log").wait_until_ready()


def log_entries(server: ServeProcess) -> list[dict]:
    return [json.loads(line) for line in server.log_lines()]


@SQLITE_ONLY
def test_sigterm_lets_a_save_in_flight_finish_then_the_server_exits_0(migrated_url, tmp_path,
                                                                       system):
    server = served(migrated_url, tmp_path)
    try:
        with http_client(server.url) as staff:
            sign_in(staff, ACCOUNTS["staff"][0])
            cookies = "; ".join(f"{name}={value}" for name, value in staff.cookies.items())
            token = staff.headers["X-CSRF-Token"]
        body = urlencode(programme_form(reference_code="EPF-INFLIGHT-1"), doseq=True).encode()
        head = (f"POST /programmes HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
                f"Content-Type: application/x-www-form-urlencoded\r\n"
                f"Content-Length: {len(body)}\r\nCookie: {cookies}\r\n"
                f"X-CSRF-Token: {token}\r\nConnection: close\r\n\r\n").encode()
        with socket.create_connection(("127.0.0.1", server.port), timeout=60) as connection:
            # The request has begun, but half its form is still on the way...
            connection.sendall(head + body[:len(body) // 2])
            server.process.send_signal(15)
            # ...when both workers have begun shutting down.
            wait_for(lambda: sum("Shutting down" in line for line in server.log_lines()) >= 2,
                     "both workers shutting down", server)
            connection.sendall(body[len(body) // 2:])
            answer = b""
            while chunk := connection.recv(65536):
                answer += chunk
        assert answer.startswith(b"HTTP/1.1 303 "), answer[:300]
        assert server.process.wait(timeout=60) == 0
    finally:
        server.kill()
    programme = system.exec(select(Programme).where(
        Programme.reference_code == "EPF-INFLIGHT-1")).one()
    assert f"location: /programmes/{programme.id}".encode() in answer.lower()
    assert len(system.exec(select(FundingLine).where(
        FundingLine.programme_id == programme.id)).all()) == 2


@SQLITE_ONLY
def test_each_request_is_one_json_line_with_its_id_and_no_query_or_secret(migrated_url,
                                                                           tmp_path):
    server = served(migrated_url, tmp_path)
    try:
        with http_client(server.url) as http:
            sign_in(http, ACCOUNTS["staff"][0])
            page = http.get("/programmes", params={"q": "hunter2-search"},
                            headers={"X-Request-ID": "proxy-id-0042"})
            forged = http.get("/programmes", headers={"X-Request-ID": 'x" injected\\n'})
            feed = http.get("/calendar/secret-feed-token-1234.ics")
    finally:
        assert server.terminate() == 0
    assert page.status_code == 200 and page.headers["X-Request-ID"] == "proxy-id-0042"
    assert forged.headers["X-Request-ID"] != 'x" injected\\n'
    assert feed.status_code == 404
    entries = log_entries(server)
    requests = [entry for entry in entries if entry["logger"] == "oversight.request"]
    by_id = {entry["request_id"]: entry for entry in requests}
    listed = by_id["proxy-id-0042"]
    assert listed["method"] == "GET" and listed["path"] == "/programmes"
    assert listed["status"] == 200 and listed["level"] == "info"
    assert isinstance(listed["duration_ms"], float) and isinstance(listed["pid"], int)
    assert listed["user_id"] > 0 and listed["time"].endswith("Z")
    assert by_id[forged.headers["X-Request-ID"]]["path"] == "/programmes"
    assert by_id[feed.headers["X-Request-ID"]]["path"] == "/calendar/[hidden].ics"
    log = "\n".join(server.log_lines())
    assert "hunter2" not in log and "secret-feed-token" not in log and "injected" not in log
    # No access log of uvicorn's own beside ours: one line per request.
    assert len(requests) == len(by_id) and '"uvicorn.access"' not in log
    # Two workers served, each named by its process id.
    started = [entry["pid"] for entry in entries if entry["message"].startswith(
        "Started server process")]
    assert len(set(started)) == 2


@SQLITE_ONLY
def test_one_worker_also_exits_0_on_sigterm_and_logs_readable_text(migrated_url, tmp_path):
    server = ServeProcess(migrated_url, data_folder(tmp_path), tmp_path / "server.log",
                          workers=1, log_format="text").wait_until_ready()
    with http_client(server.url) as http:
        http.get("/login", headers={"X-Request-ID": "text-log-0001"})
    assert server.terminate() == 0
    [line] = [line for line in server.log_lines() if "oversight.request" in line
              and "/login" in line]
    assert "GET /login 200 request_id=text-log-0001 method=GET" in line


def test_reload_with_several_workers_is_wrong_usage():
    ran = subprocess.run([OVERSIGHT, "serve", "--reload", "--workers", "2"],
                         capture_output=True, text=True, timeout=120)
    assert ran.returncode == 2 and "--reload runs one worker" in ran.stderr
