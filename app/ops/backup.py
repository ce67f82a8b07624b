"""`oversight backup` and `oversight restore`: the whole service in one archive file.

The archive (app.ops.archive) holds the database and every file the service keeps beside its
records under DATA_DIR: answers' attachments, generated briefs and dossiers, and uploaded import
files awaiting their commit. Not in it: the part cache and the render logs (both may be deleted
at any time), files being written (".…part"), and the generated secret key (restoring without it
only ends everyone's sessions; a signing key is not copied into archives that travel).

A backup may be taken while the service runs. Stored files are never rewritten in place (each
is written aside and moved in), so they are hard-linked into a staging folder before and after
the database snapshot: every file a record in the snapshot names is caught, unless it was both
created and deleted while the snapshot ran.
"""

import importlib.metadata
import os
import secrets
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

from app.config import Settings
from app.ops import postgres
from app.ops.archive import ArchiveRefused, Member, write_archive

# The folders of DATA_DIR whose files belong to records (see the FileStore subclasses:
# AttachmentStore, DocumentStore, ImportStore); a test checks this list against them.
STORED_FOLDERS = ("attachments", "documents", "imports")
FILES = "files"
DATABASE_MEMBER = {"sqlite": "database/oversight.sqlite3",
                   "postgresql": "database/oversight.pgdump"}
# Rows in any of these mean the target is in use: a restore needs --force to replace it.
RECORD_TABLES = ("user", "programme", "inquiry", "hearing")


@dataclass(frozen=True)
class Summary:
    path: Path
    database: str
    revision: str
    files: int
    size_bytes: int


def default_name(now: datetime | None = None) -> str:
    return f"oversight-backup-{(now or datetime.now(UTC)):%Y%m%dT%H%M%SZ}.tar.gz"


def database_kind(url: str) -> str:
    backend = make_url(url).get_backend_name()
    if backend not in DATABASE_MEMBER:
        raise ArchiveRefused(f"backups support SQLite and PostgreSQL, not {backend}")
    return backend


def take_backup(settings: Settings, output: Path) -> Summary:
    """Write the archive of the configured database and DATA_DIR's stored files to `output`."""
    url = settings.resolved_database_url
    kind = database_kind(url)
    with _staging(settings.data_dir, "backup") as staging:
        _link_stored_files(settings.data_dir, staging / FILES)
        snapshot = staging / DATABASE_MEMBER[kind]
        snapshot.parent.mkdir(mode=0o700)
        if kind == "sqlite":
            _sqlite_snapshot(_sqlite_path(url), snapshot)
            revision = _revision_of(f"sqlite:///{snapshot}")
        else:
            revision = _revision_of(url)
            postgres.dump(url, snapshot)
        _link_stored_files(settings.data_dir, staging / FILES)  # files added meanwhile
        members = [Member(DATABASE_MEMBER[kind], snapshot)] + [
            Member(path.relative_to(staging).as_posix(), path)
            for path in sorted((staging / FILES).rglob("*")) if path.is_file()]
        facts = {"created_at": datetime.now(UTC).isoformat(timespec="seconds"),
                 "app_version": _app_version(), "alembic_revision": revision,
                 "database": kind}
        output.parent.mkdir(parents=True, exist_ok=True)
        write_archive(output, facts, members)
    return Summary(output, kind, revision, len(members) - 1, output.stat().st_size)


def _app_version() -> str:
    try:
        return importlib.metadata.version("oversight-desk")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


@contextmanager
def _staging(data_dir: Path, what: str) -> Iterator[Path]:
    """A private folder in DATA_DIR (on the same file system, so files link and move into
    place), removed afterwards whatever happens."""
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    folder = data_dir / f".{what}-{secrets.token_hex(8)}"
    folder.mkdir(mode=0o700)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def stored_files(data_dir: Path) -> Iterator[Path]:
    """Every kept file under DATA_DIR's stored folders (not the ones being written)."""
    for folder in STORED_FOLDERS:
        directory = data_dir / folder
        if directory.is_dir():
            yield from (path for path in sorted(directory.iterdir())
                        if path.is_file() and not path.name.startswith("."))


def _link_stored_files(data_dir: Path, into: Path) -> None:
    for path in stored_files(data_dir):
        target = into / path.parent.name / path.name
        if target.exists():
            continue
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            os.link(path, target)
        except FileNotFoundError:
            continue  # deleted with its record since it was listed
        except OSError:
            shutil.copy2(path, target)  # a stored folder on another file system


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise ArchiveRefused("the SQLite database is not a file")
    return Path(database)


def _sqlite_snapshot(source: Path, copy: Path) -> None:
    """A consistent copy through SQLite's online backup API. In one step: in WAL mode it reads
    one snapshot while writers go on, so it never restarts however busy the service is."""
    if not source.is_file():
        raise ArchiveRefused(f"there is no database at {source}")
    with _closing(sqlite3.connect(source, timeout=30)) as live, \
            _closing(sqlite3.connect(copy)) as target:
        live.backup(target)
        target.execute("PRAGMA journal_mode=DELETE")  # one file, no -wal beside it
        problems = target.execute("PRAGMA quick_check").fetchone()[0]
    if problems != "ok":
        raise ArchiveRefused(f"the database copy failed its check: {problems}")


@contextmanager
def _closing(connection: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    try:
        yield connection
    finally:
        connection.close()


def _revision_of(url: str) -> str:
    from app.db import make_engine

    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    except Exception as exc:
        raise ArchiveRefused(f"the database has no migration revision; is it migrated? ({exc})"
                             ) from exc
    finally:
        engine.dispose()
