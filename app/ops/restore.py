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
            _refuse_if_open(_sqlite_path(url))
        else:
            _refuse_tables_left_over(url, staging / DATABASE_MEMBER[kind])
        swapped = _swap_folders(settings.data_dir, staging / FILES, staging / "replaced")
        try:
            _replace_database(url, kind, staging / DATABASE_MEMBER[kind])
        except BaseException:
            _swap_folders(settings.data_dir, staging / "replaced", staging / "unused",
                          only=swapped)
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


def _swap_folders(data_dir: Path, new: Path, old: Path, only: list[str] | None = None
                  ) -> list[str]:
    """Move each stored folder of `data_dir` into `old` and the one in `new` (if any) into its
    place; the folders moved, for swapping back."""
    old.mkdir(mode=0o700, exist_ok=True)
    moved = []
    for name in only if only is not None else STORED_FOLDERS:
        if (data_dir / name).exists():
            os.replace(data_dir / name, old / name)
        if (new / name).exists():
            os.replace(new / name, data_dir / name)
        moved.append(name)
    return moved


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
