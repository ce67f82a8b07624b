"""`oversight import` as administrators run it: a real process, real exit codes."""

import shutil
from pathlib import Path

from sqlmodel import select

from app.models import ImportRun, Programme
from tests.imports.helpers import csv_bytes, programme_row, write
from tests.test_cli import run

IATI = Path(__file__).parent / "files" / "iati_activities.xml"


def test_a_clean_file_imports_with_exit_0_and_records_the_run(tmp_path, data_dir, empty_db, db):
    path = write(tmp_path, "register.csv", csv_bytes([programme_row()]))
    dry = run("import", "csv", str(path), "--dry-run", data_dir=data_dir)
    assert dry.returncode == 0 and "Dry run: nothing was imported." in dry.stdout
    assert db.exec(select(Programme)).first() is None
    done = run("import", "csv", str(path), "--as", "staff@test.example", data_dir=data_dir)
    assert done.returncode == 0, done.stderr
    assert "register.csv: 1 created, 0 updated, 0 unchanged, 0 skipped; 0 problems" in done.stdout
    run_row = db.exec(select(ImportRun)).one()
    assert (run_row.kind.value, run_row.created, run_row.user_name) == ("csv", 1, "staff")


def test_problems_are_printed_with_line_and_field_and_exit_1(tmp_path, data_dir, empty_db, db):
    path = write(tmp_path, "bad.csv", csv_bytes([programme_row(status="ongoing")]))
    result = run("import", "csv", str(path), data_dir=data_dir)
    assert result.returncode == 1
    assert "line 2, status: Unknown status “ongoing”" in result.stdout
    assert "Refused: nothing was imported." in result.stderr
    assert db.exec(select(Programme)).first() is None


def test_a_50_mb_file_is_refused_before_it_is_read(tmp_path, data_dir, empty_db):
    path = tmp_path / "huge.xml"
    with open(path, "wb") as out:
        out.write(IATI.read_bytes())
        out.truncate(50 * 1024 * 1024)
    result = run("import", "iati", str(path), data_dir=data_dir)
    assert result.returncode == 1
    assert "larger than the import limit of 40 MB (OVERSIGHT_MAX_IMPORT_MB)" in result.stderr


def test_a_member_may_not_import_and_usage_errors_exit_2(tmp_path, data_dir, empty_db):
    shutil.copy(IATI, tmp_path / "a.xml")
    member = run("import", "iati", str(tmp_path / "a.xml"), "--as", "mp@test.example",
                 data_dir=data_dir)
    assert member.returncode == 1 and "may not change records" in member.stderr
    assert run("import", "xml", str(tmp_path / "a.xml"), data_dir=data_dir).returncode == 2
    missing = run("import", "iati", str(tmp_path / "none.xml"), data_dir=data_dir)
    assert missing.returncode == 1 and "no such file" in missing.stderr
