"""`oversight backup` and `oversight restore` as an administrator runs them, on SQLite and
PostgreSQL: backup, wipe, restore gives back every row of every table and every stored file;
a damaged archive, an archive of a newer version, a target in use or holding records is refused
with nothing changed; a backup taken while staff write is consistent."""

import hashlib
import io
import json
import re
import sqlite3
import stat
import tarfile
import threading
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

from app.cli import alembic_config
from app.config import Settings
from app.ops.archive import MANIFEST
from app.ops.backup import STORED_FOLDERS
from tests.conftest import sqlite_url
from tests.demo_sites import DATABASES
from tests.factories import programme_form
from tests.ops.backup_site import (
    Site, every_file, every_row, nothing_stored, store_a_file_of_each_kind, wipe,
)


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def backup(site, archive: Path) -> dict:
    made = site.oversight("backup", "-o", str(archive))
    assert made.returncode == 0, made.stderr
    assert f"Wrote {archive}: {site.kind} database at revision" in made.stdout
    with tarfile.open(archive) as tar:
        return json.loads(tar.extractfile(MANIFEST).read())


def test_backup_wipe_restore_gives_back_every_row_and_every_file(site, client_for, tmp_path):
    store_a_file_of_each_kind(site, client_for)
    rows, files = every_row(site.url), every_file(site.data_dir)
    assert {"audit_event", "search_entry", "alembic_version", "attachment", "document",
            "import_run"} <= set(rows)
    assert all(rows[name] for name in ("audit_event", "search_entry", "alembic_version"))

    archive = tmp_path / "nightly.tar.gz"
    manifest = backup(site, archive)
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    assert (manifest["database"], manifest["alembic_revision"]) == (site.kind, head_revision())
    assert manifest["app_version"] and manifest["created_at"]
    listed = {entry["path"]: entry["sha256"] for entry in manifest["files"]}
    assert {f"files/{path}": digest for path, digest in files.items()}.items() <= listed.items()
    assert len(listed) == len(files) + 1  # and the database
    assert not [p for p in site.data_dir.iterdir() if p.name.startswith(".backup")]

    wipe(site)
    restored = site.oversight("restore", str(archive))
    assert restored.returncode == 0, restored.stderr
    assert f"{len(files)} stored files" in restored.stdout

    assert every_row(site.url) == rows
    assert every_file(site.data_dir) == files
    assert not [p for p in site.data_dir.iterdir() if p.name.startswith(".restore")]


def test_a_target_holding_records_is_replaced_only_with_force(site, client_for, tmp_path):
    archive = tmp_path / "before.tar"  # uncompressed
    backup(site, archive)
    rows = every_row(site.url)
    store_a_file_of_each_kind(site, client_for)
    changed_rows, changed_files = every_row(site.url), every_file(site.data_dir)

    refused = site.oversight("restore", str(archive))
    assert refused.returncode == 1
    assert "already holds records; restore with --force" in refused.stderr
    assert "Nothing was restored." in refused.stderr
    assert (every_row(site.url), every_file(site.data_dir)) == (changed_rows, changed_files)

    forced = site.oversight("restore", "--force", str(archive))
    assert forced.returncode == 0, forced.stderr
    assert every_row(site.url) == rows
    assert every_file(site.data_dir) == {}


def test_a_damaged_archive_is_refused_before_anything_changes(site, tmp_path):
    archive = tmp_path / "backup.tar"
    backup(site, archive)
    rows = every_row(site.url)
    content = bytearray(archive.read_bytes())
    database_at = content.index(b"PGDMP" if site.kind == "postgresql" else b"SQLite format 3")
    content[database_at + 5000] ^= 0xFF
    damaged = tmp_path / "damaged.tar"
    damaged.write_bytes(bytes(content))

    refused = site.oversight("restore", "--force", str(damaged))
    assert refused.returncode == 1
    assert "does not match its checksum in the manifest: the archive is damaged" in refused.stderr
    assert every_row(site.url) == rows

    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(b"\x1f\x8b" + bytes(content[:3000]))
    refused = site.oversight("restore", "--force", str(truncated))
    assert refused.returncode == 1 and "is not a readable backup archive" in refused.stderr
    assert every_row(site.url) == rows


def with_manifest(archive: Path, into: Path, dump: bytes | None = None, **changes) -> Path:
    """A copy of `archive` whose manifest says something else, or with another database
    member (`dump`) listed with its right checksum."""
    with tarfile.open(archive) as source, tarfile.open(into, "w") as target:
        members = [(info, source.extractfile(info).read()) for info in source]
        manifest = {**json.loads(members[0][1]), **changes}
        if dump is not None:
            members[1] = (members[1][0], dump)
            manifest["files"][0].update(size=len(dump), sha256=hashlib.sha256(dump).hexdigest())
        members[0] = (members[0][0], json.dumps(manifest).encode())
        for info, data in members:
            info.size = len(data)
            target.addfile(info, io.BytesIO(data))
    return into


def test_a_database_that_cannot_be_restored_leaves_everything_as_it_was(site, client_for,
                                                                       tmp_path):
    """The files are swapped in before the database is replaced: when that fails (pg_restore
    refuses the dump), they are swapped back."""
    archive = tmp_path / "backup.tar"
    backup(site, archive)
    store_a_file_of_each_kind(site, client_for)
    rows, files = every_row(site.url), every_file(site.data_dir)
    broken = with_manifest(archive, tmp_path / "broken.tar", dump=b"PGDMP" + b"\0" * 4096
                           if site.kind == "postgresql" else b"SQLite format 3\0" + b"\1" * 4096)
    refused = site.oversight("restore", "--force", str(broken))
    assert refused.returncode == 1, refused.stdout
    assert "Nothing was restored." in refused.stderr
    assert every_row(site.url) == rows
    assert every_file(site.data_dir) == files
    assert [p.name for p in site.data_dir.iterdir() if p.name.startswith(".")] == []


def test_an_archive_of_a_newer_version_is_refused(site, tmp_path):
    archive = tmp_path / "backup.tar"
    backup(site, archive)
    wipe(site)
    newer = with_manifest(archive, tmp_path / "newer.tar", alembic_revision="0099")
    refused = site.oversight("restore", str(newer))
    assert refused.returncode == 1
    assert ("archive is at database revision '0099', which this version of Oversight Desk does "
            "not know") in refused.stderr
    assert nothing_stored(site)


@pytest.mark.parametrize("kind", DATABASES)
def test_an_archive_of_an_older_version_is_upgraded_after_the_restore(kind, request, tmp_path):
    data_dir = tmp_path / "data"
    if kind == "sqlite":
        url = sqlite_url(data_dir / "oversight.db")
    else:
        postgres = request.getfixturevalue("postgres_server")
        url = postgres.url(postgres.database())
    site = Site(kind, Settings(data_dir=data_dir, database_url=url))
    older = site.oversight("db", "upgrade", "0006")
    assert older.returncode == 0, older.stderr
    archive = tmp_path / "old.tar.gz"
    assert backup(site, archive)["alembic_revision"] == "0006"
    if kind == "postgresql":  # a database already at the newest schema keeps newer tables
        newer = Site(kind, Settings(data_dir=tmp_path / "new",
                                    database_url=postgres.url(postgres.database())))
        assert newer.oversight("db", "upgrade").returncode == 0
        tables = every_row(newer.url)
        refused = newer.oversight("restore", str(archive))
        assert refused.returncode == 1
        assert "holds tables the archive does not (" in refused.stderr
        assert "api_token" in refused.stderr
        assert "restore into a new, empty database" in refused.stderr
        assert every_row(newer.url) == tables
    wipe(site)
    restored = site.oversight("restore", str(archive))
    assert restored.returncode == 0, restored.stderr
    assert f"Upgraded the database from 0006 to {head_revision()}." in restored.stdout
    assert every_row(url)["alembic_version"] == [(head_revision(),)]


def test_an_archive_of_the_other_database_kind_is_refused(site, tmp_path):
    archive = tmp_path / "backup.tar"
    backup(site, archive)
    other = "postgresql" if site.kind == "sqlite" else "sqlite"
    refused = site.oversight("restore", "--force", str(
        with_manifest(archive, tmp_path / "other.tar", database=other)))
    assert refused.returncode == 1 and f"holds a {other} database" in refused.stderr


def test_usage_errors_and_a_missing_archive(site, tmp_path):
    assert site.oversight("restore").returncode == 2
    assert site.oversight("backup", "--frobnicate").returncode == 2
    missing = site.oversight("restore", str(tmp_path / "nothing.tar.gz"))
    assert missing.returncode == 1 and "there is no file" in missing.stderr


def test_the_default_archive_is_named_by_the_utc_time_in_the_working_folder(site, tmp_path):
    here = tmp_path / "backups"
    here.mkdir()
    made = site.oversight("backup", cwd=here)
    assert made.returncode == 0, made.stderr
    [archive] = here.iterdir()
    assert re.fullmatch(r"oversight-backup-\d{8}T\d{6}Z\.tar\.gz", archive.name)
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    with tarfile.open(archive, "r:gz") as tar:
        assert tar.getnames()[0] == MANIFEST


@pytest.mark.sqlite_only
def test_restoring_under_a_running_sqlite_server_is_refused(demo_server, client_for, tmp_path):
    site = Site("sqlite", demo_server.settings)
    archive = tmp_path / "backup.tar"
    backup(site, archive)
    client_for(demo_server, "staff").get("/programmes")  # the server holds the database open
    rows = every_row(site.url)
    refused = site.oversight("restore", "--force", str(archive))
    assert refused.returncode == 1
    assert "is in use" in refused.stderr and "stop the service" in refused.stderr
    assert every_row(site.url) == rows


@pytest.mark.sqlite_only
def test_a_backup_taken_while_staff_write_is_consistent(demo_server, client_for, tmp_path):
    """Programmes are saved continuously while the backup runs: the copy passes SQLite's
    integrity check, and each programme in it came with its audit event (one transaction)."""

    site = Site("sqlite", demo_server.settings)
    writers, stop, saved = [], threading.Event(), []

    def write(number: int) -> None:
        staff = client_for(demo_server, "staff")
        count = 0
        while not stop.is_set():
            count += 1
            response = staff.post("/programmes", data=programme_form(
                reference_code=f"BUSY-{number}-{count}"))
            assert response.status_code == 303, response.text
            saved.append(count)

    for number in range(3):
        writers.append(threading.Thread(target=write, args=(number,)))
        writers[-1].start()
    try:
        while len(saved) < 3:
            threading.Event().wait(0.05)
        archive = tmp_path / "busy.tar"
        backup(site, archive)
    finally:
        stop.set()
        for writer in writers:
            writer.join()
    with tarfile.open(archive) as tar:
        tar.extract("database/oversight.sqlite3", tmp_path, filter="data")
    copy = sqlite3.connect(tmp_path / "database" / "oversight.sqlite3")
    assert copy.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert copy.execute("PRAGMA foreign_key_check").fetchall() == []
    busy = {row[0] for row in copy.execute(
        "SELECT id FROM programme WHERE reference_code LIKE 'BUSY-%'")}
    audited = {row[0] for row in copy.execute(
        "SELECT record_id FROM audit_event WHERE record_type = 'programme' AND action = 'create'")}
    copy.close()
    assert busy and busy <= audited


def test_every_folder_of_stored_files_is_backed_up(tmp_path):
    from app.inquiries.attachments import AttachmentStore
    from app.reports.documents import DocumentStore
    from app.transfer.service import ImportStore

    assert sorted(store(tmp_path).directory.name for store in (
        AttachmentStore, DocumentStore, ImportStore)) == sorted(STORED_FOLDERS)
