"""Exports: what each reader gets (canary strings only for the cleared), the marking in the file
name and the JSON, and a programme export that imports again as all unchanged."""

import json
from collections.abc import Iterator

import pytest
from sqlmodel import select

from app.models import Assessment, Classification, Programme
from app.programmes import service as programmes
from app.programmes.schemas import ProgrammeInput
from tests.conftest import LiveServer, _settings_for, system_session
from tests.imports.helpers import csv_bytes, programme_row
from tests.inquiries.answer_world import store_answer, store_inquiry
from tests.test_cli import run

CANARY = "CANARY-EXPORT-5d1e"
EXPORTS = [f"{dataset}.{fmt}" for dataset in ("programmes", "inquiries", "answers")
           for fmt in ("csv", "json")]


@pytest.fixture
def world(data_dir, empty_db) -> Iterator[LiveServer]:
    """A public programme with a restricted funding line, a restricted programme, a public
    inquiry with a restricted item, and a public answer with a restricted item's answer."""
    engine, session = system_session(empty_db)
    with session:
        base = {"instrument": "EPF", "recipient_country": "MD", "kinds": ["training"],
                "status": "active"}
        programmes.create_programme(session, ProgrammeInput.model_validate({
            **base, "reference_code": "PUB-1", "title": "Public programme",
            "funding": [{"year": "2024", "kind": "commitment", "amount": "10", "currency": "EUR"},
                        {"year": "2025", "kind": "commitment", "amount": "20", "currency": "EUR",
                         "note": f"{CANARY} line", "classification": "restricted"}]}))
        programmes.create_programme(session, ProgrammeInput.model_validate({
            **base, "reference_code": "RES-1", "title": f"{CANARY} programme",
            "classification": "restricted"}))
        session.commit()
    engine.dispose()
    inquiry = store_inquiry(empty_db, items=2, title="Public inquiry",
                            item_levels={2: Classification.RESTRICTED})
    store_answer(empty_db, inquiry, assessments={
        1: ("Public answer text.", Assessment.COMPLETE, None, Classification.PUBLIC),
        2: (f"{CANARY} answer", Assessment.PARTIAL, None, Classification.RESTRICTED)})
    with LiveServer(_settings_for(data_dir)) as live:
        yield live


@pytest.mark.parametrize("name", EXPORTS)
def test_restricted_content_is_absent_for_public_readers_and_marked_for_cleared(
        world, client_for, name):
    public = client_for(world, "member").get(f"/exports/{name}")
    assert public.status_code == 200
    assert CANARY not in public.text and "Question text 2" not in public.text
    dataset, fmt = name.split(".")
    assert f'filename="{dataset}-public.{fmt}"' in public.headers["content-disposition"]
    cleared = client_for(world, "member_restricted").get(f"/exports/{name}")
    if name == "answers.csv":  # one row per answer: the restricted item shows in the counts
        assert ",public,1,1,0," in public.text and ",public,2,1,1," in cleared.text
    else:
        assert CANARY in cleared.text
    assert f'filename="{dataset}-restricted.{fmt}"' in cleared.headers["content-disposition"]
    if fmt == "json":
        assert cleared.text.startswith('{"marking": "restricted"')
        assert json.loads(public.text)["marking"] == "public"


def test_the_public_inquiry_export_holds_the_public_item_and_its_answer(world, client_for):
    exported = json.loads(client_for(world, "member").get("/exports/inquiries.json").text)
    [inquiry] = exported["inquiries"]
    assert [item["number"] for item in inquiry["items"]] == [1]
    assert inquiry["items"][0]["answer"]["text"] == "Public answer text."
    assert inquiry["ministries"] == [{"code": "AA", "lead": True}, {"code": "BMVg", "lead": False}]


def test_the_export_page_offers_every_file(world, client_for):
    page = client_for(world, "member").get("/exports").text
    assert all(f'href="/exports/{name}"' in page for name in EXPORTS)
    assert client_for(world, "member").get("/exports/secrets.csv").status_code == 404


def test_a_programme_export_imports_again_as_all_unchanged(demo_server, client_for, db):
    staff = client_for(demo_server, "staff")
    exported = staff.get("/exports/programmes.csv").content
    location = staff.post("/imports", data={"kind": "csv"},
                          files={"file": ("programmes.csv", exported)}).headers["location"]
    page = staff.get(location).text
    count = len(db.exec(select(Programme.id)).all())
    assert f"Unchanged: <strong>{count}</strong>" in page and "Created: <strong>0</strong>" in page
    assert "Updated: <strong>0</strong>" in page and count > 50


def test_the_export_command_leaves_out_what_the_clearance_does_not_cover(world, data_dir):
    public = run("export", "programmes", "--format", "csv", "--clearance", "public",
                 data_dir=data_dir)
    assert public.returncode == 0 and "PUB-1" in public.stdout and CANARY not in public.stdout
    out = data_dir / "p.json"
    written = run("export", "inquiries", "--format", "json", "--clearance", "restricted",
                  "-o", str(out), data_dir=data_dir)
    assert written.returncode == 0 and "marked RESTRICTED" in written.stderr
    assert CANARY in out.read_text() and oct(out.stat().st_mode)[-3:] == "600"
    assert run("export", "programmes", "--format", "csv", "--clearance", "secret",
               data_dir=data_dir).returncode == 2


def test_a_public_programme_with_only_restricted_lines_round_trips(world, client_for):
    staff = client_for(world, "staff")
    blank = dict.fromkeys(("funding_year", "funding_kind", "funding_amount", "funding_currency",
                           "funding_note"), "")
    rows = [programme_row(reference_code="PUB-2", **blank),
            programme_row(reference_code="PUB-2", classification="restricted")]

    def import_csv(content: bytes) -> str:
        location = staff.post("/imports", data={"kind": "csv"},
                              files={"file": ("p.csv", content)}).headers["location"]
        staff.post(f"{location}/commit")
        return staff.get(location).text

    assert "1 created" in import_csv(csv_bytes(rows))
    exported = staff.get("/exports/programmes.csv").text
    # The programme's own (public) marking gets a row of its own, beside its restricted line.
    assert exported.count("PUB-2,") == 2 and ",public,,,,,\r\n" in exported
    assert "0 created, 0 updated, 3 unchanged" in import_csv(exported.encode())


def test_helpers_build_a_valid_row():
    assert csv_bytes([programme_row()]).count(b"\r\n") == 2
