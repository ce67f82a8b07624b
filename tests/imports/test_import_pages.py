"""The import pages over real HTTP: upload, preview, import, the result; refused files; who may."""

import re
import threading

from sqlmodel import Session, select

from app.clearance import read_as_system
from app.db import make_engine

from app.models import AuditEvent, ImportRun, Programme
from tests.imports.helpers import csv_bytes, programme_row


def upload(http, kind: str, name: str, content: bytes):
    return http.post("/imports", data={"kind": kind}, files={"file": (name, content)})


def test_preview_then_import_over_http(server, client, db, data_dir):
    content = csv_bytes([programme_row(), programme_row(reference_code="EPF-2", title="Second")])
    response = upload(client, "csv", "register.csv", content)
    assert response.status_code == 303
    page = client.get(response.headers["location"])
    assert "Created: <strong>2</strong>" in page.text and "EPF-2: Second" in page.text
    assert db.exec(select(Programme)).first() is None  # a preview imports nothing
    assert len(list((data_dir / "imports").iterdir())) == 1  # kept for any worker to import

    run_id = int(re.search(r"/imports/([0-9]+)/commit", page.text).group(1))
    done = client.post(f"/imports/{run_id}/commit")
    assert done.status_code == 303
    result = client.get(done.headers["location"]).text
    assert "2 created, 0 updated, 0 unchanged" in result
    db.expire_all()
    assert len(db.exec(select(Programme)).all()) == 2
    run = db.get(ImportRun, run_id)
    assert (run.filename, run.created, run.user_name) == ("register.csv", 2, "staff")
    assert run.sha256 and run.imported_at is not None
    events = db.exec(select(AuditEvent).where(AuditEvent.record_type == "import_run")).all()
    assert {e.action.value for e in events} == {"create", "update"}
    assert list((data_dir / "imports").iterdir()) == []  # the file goes once imported
    assert client.post(f"/imports/{run_id}/commit").status_code == 303  # nothing twice


def test_a_file_with_a_problem_shows_it_and_imports_nothing(server, client, db):
    content = csv_bytes([programme_row(), programme_row(reference_code="BAD",
                                                       recipient_country="XY")])
    page = client.get(upload(client, "csv", "bad.csv", content).headers["location"])
    assert "This file cannot be imported: 1 problem" in page.text
    assert "Unknown country “XY”" in page.text and 'action="/imports/' not in page.text.split(
        "error-summary")[1]
    run_id = db.exec(select(ImportRun.id)).one()
    refused = client.post(f"/imports/{run_id}/commit")
    assert refused.status_code == 422 and "Nothing was imported." in refused.text
    assert db.exec(select(Programme)).first() is None


def test_a_plan_changed_since_the_preview_is_not_imported(server, client, db):
    content = csv_bytes([programme_row()])
    location = upload(client, "csv", "a.csv", content).headers["location"]
    assert client.post(f"{location}/commit").status_code == 303
    second = upload(client, "csv", "again.csv", content).headers["location"]
    # Someone imports the same programme (now changed) between this preview and its import.
    changed = csv_bytes([programme_row(title="Renamed meanwhile")])
    other = upload(client, "csv", "other.csv", changed).headers["location"]
    client.post(f"{other}/commit")
    response = client.post(f"{second}/commit")
    assert response.status_code == 409 and "The register changed since the preview" in response.text
    assert "Updated: <strong>1</strong>" in response.text


def test_an_upload_over_the_size_limit_is_refused_before_reading(server, client, db):
    limit = server.settings.max_import_mb * 1024 * 1024
    response = upload(client, "iati", "huge.xml", b"<" * (limit + 1))
    assert response.status_code == 422
    assert "larger than the import limit of 40 MB" in response.text
    assert db.exec(select(ImportRun)).first() is None


def test_the_template_has_the_columns_and_one_example(server, client):
    response = client.get("/imports/template.csv")
    lines = response.text.splitlines()
    assert lines[0].startswith("reference_code,title,instrument") and len(lines) == 2
    assert 'filename="programmes-template.csv"' in response.headers["content-disposition"]


def test_members_may_not_import_and_nobody_sees_anothers_file(server, client_for, db):
    member = client_for(server, "member")
    assert member.get("/imports").status_code == 403
    staff = client_for(server, "staff")
    location = upload(staff, "csv", "mine.csv", csv_bytes([programme_row()])).headers["location"]
    assert client_for(server, "admin").get(location).status_code == 404


def test_an_import_the_register_refuses_when_applied_shows_why(server, client_for, db):
    """The DIP answer is held above the importer's clearance: the preview cannot know, the
    commit is refused, and the page says why instead of offering the same import again."""
    from pathlib import Path

    from app.models import Answer, AnswerItem, Classification

    dip = (Path(__file__).parent / "files" / "dip_drucksachen.json").read_bytes()
    staff = client_for(server, "staff")
    assert staff.post(upload(staff, "dip", "dip.json", dip).headers["location"]
                      + "/commit").status_code == 303
    for row in (*db.exec(select(Answer)), *db.exec(select(AnswerItem))):
        row.classification = Classification.CONFIDENTIAL
    db.commit()
    public = client_for(server, "staff_public")
    location = upload(public, "dip", "again.json", dip).headers["location"]
    response = public.post(f"{location}/commit")
    assert response.status_code == 409
    assert "Someone else has logged an answer to this inquiry" in response.text
    assert "This file cannot be imported: 1 problem" in response.text
    assert f'action="{location}/commit"' not in response.text


def _commit_twice_at_once(live, client_for, content: bytes) -> list[int]:
    """Two requests to import the same previewed file, sent at the same moment (a double click,
    or two app workers)."""
    staff = client_for(live, "staff")
    location = upload(staff, "csv", "twice.csv", content).headers["location"]
    second = client_for(live, "staff")
    start = threading.Barrier(2)

    def post(http, answers):
        start.wait()
        answers.append(http.post(f"{location}/commit").status_code)

    answers: list[int] = []
    threads = [threading.Thread(target=post, args=(http, answers)) for http in (staff, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def test_a_file_imported_twice_at_once_is_imported_once(server, client_for, db):
    content = csv_bytes([programme_row(), programme_row(reference_code="EPF-2", title="Second")])
    assert _commit_twice_at_once(server, client_for, content) == [303, 303]
    assert len(db.exec(select(Programme)).all()) == 2
    run = db.exec(select(ImportRun)).one()
    assert run.imported_at is not None and run.created == 2


def test_a_file_imported_twice_at_once_is_imported_once_on_postgresql(pg_server, client_for,
                                                                      pg_url):
    content = csv_bytes([programme_row(), programme_row(reference_code="EPF-2", title="Second")])
    assert _commit_twice_at_once(pg_server, client_for, content) == [303, 303]
    engine = make_engine(pg_url)
    with read_as_system(Session(engine)) as session:
        assert len(session.exec(select(Programme)).all()) == 2
        assert session.exec(select(ImportRun)).one().created == 2
    engine.dispose()
