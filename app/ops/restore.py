"""Restore an archive written by `oversight backup` (app.ops.backup): check all of it first,
then replace the database and the stored files together, or change nothing.

Order: unpack and verify every checksum into a staging folder in DATA_DIR; refuse an archive of
another database kind or of a migration revision this code does not know (a newer version's);
refuse a target that holds records unless forced; for SQLite, make sure no process has the
database open (the service must be stopped). Then the stored folders are swapped with the
staged ones (renames), and the database replaced in one step (SQLite: a copy written beside it
and renamed over it; PostgreSQL: pg_restore in one transaction). If that fails, the folders are
swapped back. An archive older than the code is then upgraded to the newest revision.
"""

import os
import secrets
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import func, inspect, select, table

from app.config import Settings
from app.ops import postgres
from app.ops.archive import ArchiveRefused, unpack_verified
from app.ops.backup import (
    DATABASE_MEMBER, FILES, RECORD_TABLES, STORED_FOLDERS, _sqlite_path, _staging,
    database_kind, stored_files,
)


@dataclass(frozen=True)
class Restored:
    created_at: str
    revision: str
    upgraded_to: str | None
    files: int


def restore(settings: Settings, archive: Path, *, force: bool = False) -> Restored:
    url = settings.resolved_database_url
    kind = database_kind(url)
    if not archive.is_file():
        raise ArchiveRefused(f"there is no file {archive}")
    with _staging(settings.data_dir, "restore") as staging:
        manifest = unpack_verified(archive, staging)
        if manifest.get("database") != kind:
            raise ArchiveRefused(f"the archive holds a {manifest.get('database')} database; the "
                                 f"configured one is {kind} (use export and import to move "
                                 "between them)")
        revision, head = manifest["alembic_revision"], _known(url, manifest["alembic_revision"])
        if not force and _holds_records(url, kind, settings.data_dir):
            raise ArchiveRefused("the configured database or data folder already holds "
                                 "records; restore with --force to replace them")
        if kind == "sqlite":
            _check_sqlite_copy(staging / DATABASE_MEMBER[kind], revision)
            _refuse_if_open(_sqlite_path(url))
        else:
            _refuse_tables_left_over(url, staging / DATABASE_MEMBER[kind])
        swapped: list[str] = []
        try:
            for name in STORED_FOLDERS:
                swapped.append(name)  # before the swap: a half-done one is undone too
                _swap(settings.data_dir / name, staging / FILES / name, staging / "replaced")
            _replace_database(url, kind, staging / DATABASE_MEMBER[kind])
        except BaseException:
            for name in reversed(swapped):
                _swap(settings.data_dir / name, staging / "replaced" / name, staging / "unused")
            raise
    upgraded = None
    if revision != head:
        _upgrade(url)
        upgraded = head
    return Restored(manifest["created_at"], revision, upgraded,
                    len(manifest["files"]) - 1)


def _known(url: str, revision: str) -> str:
    """The code's newest revision; refused if the archive's revision is not one of ours."""
    from app.cli import alembic_config

    scripts = ScriptDirectory.from_config(alembic_config(url))
    try:
        known = scripts.get_revision(revision) is not None
    except CommandError:
        known = False
    if not known:
        raise ArchiveRefused(f"the archive is at database revision {revision!r}, which this "
                             "version of Oversight Desk does not know (it was made by a newer "
                             "version): install that version to restore it")
    return scripts.get_current_head()


def _holds_records(url: str, kind: str, data_dir: Path) -> bool:
    if next(stored_files(data_dir), None) is not None:
        return True
    if kind == "sqlite" and not _sqlite_path(url).exists():
        return False
    from app.db import make_engine

    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            present = set(inspect(connection).get_table_names())
            return any(connection.execute(select(func.count()).select_from(table(name)))
                       .scalar_one() for name in RECORD_TABLES if name in present)
    finally:
        engine.dispose()


def _check_sqlite_copy(copy: Path, revision: str) -> None:
    """The archive's database opens, passes SQLite's check and is at the manifest's revision
    (a renamed file is not checked by anything afterwards)."""
    try:
        connection = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
        try:
            checked = connection.execute("PRAGMA quick_check").fetchone()[0]
            stored = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        raise ArchiveRefused(f"the archive's database cannot be read ({exc})") from exc
    if checked != "ok" or stored != (revision,):
        raise ArchiveRefused(f"the archive's database is damaged or not at revision {revision}"
                             f" ({checked})")


def _refuse_if_open(path: Path) -> None:
    """Leave WAL mode (which needs the only connection): fails while a server has it open, and
    afterwards no -wal file is left to be replayed onto the restored database."""
    if not path.exists():
        return
    connection = sqlite3.connect(path, timeout=1)
    try:
        connection.execute("PRAGMA journal_mode=DELETE").fetchone()
    except sqlite3.OperationalError as exc:
        raise ArchiveRefused(f"the database {path} is in use ({exc}): stop the service (every "
                             "worker) before restoring") from exc
    finally:
        connection.close()


def _refuse_tables_left_over(url: str, dump_file: Path) -> None:
    """pg_restore --clean replaces only the tables the dump holds: a table of a newer schema
    (say, after `oversight db upgrade` on the new server) would be left over and break the
    upgrade of an older archive. Refused before anything changed."""
    from app.db import make_engine

    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            present = set(inspect(connection).get_table_names())
    finally:
        engine.dispose()
    extra = sorted(present - postgres.tables_in(dump_file))
    if extra:
        raise ArchiveRefused(f"the configured database holds tables the archive does not "
                             f"({', '.join(extra[:5])}{', …' if len(extra) > 5 else ''}): "
                             "restore into a new, empty database (without `oversight db "
                             "upgrade` first)")


def _swap(current: Path, new: Path, old: Path) -> None:
    """Move the folder `current` (if there) into `old`, and `new` (if there) into its place."""
    old.mkdir(mode=0o700, exist_ok=True)
    if current.exists():
        os.replace(current, old / current.name)
    if new.exists():
        os.replace(new, current)


def _replace_database(url: str, kind: str, staged: Path) -> None:
    if kind == "postgresql":
        postgres.restore(url, staged)
        return
    target = _sqlite_path(url)
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    aside = target.with_name(f".{target.name}.{secrets.token_hex(8)}.part")
    try:
        shutil.copyfile(staged, aside)
        aside.chmod(0o600)
        with open(aside, "rb+") as stream:
            os.fsync(stream.fileno())
        for leftover in (f"{target}-wal", f"{target}-shm", f"{target}-journal"):
            Path(leftover).unlink(missing_ok=True)
        os.replace(aside, target)
    finally:
        aside.unlink(missing_ok=True)


def _upgrade(url: str) -> None:
    from alembic import command

    from app.cli import alembic_config

    try:
        command.upgrade(alembic_config(url), "head")
    except Exception as exc:
        raise ArchiveRefused(f"the archive was restored, but upgrading it to this version's "
                             f"schema failed ({exc}); run `oversight db upgrade`") from exc
