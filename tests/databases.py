"""The test databases: which engine the suite runs on (OVERSIGHT_TEST_DATABASE), the handle a
test's database is known by (an SQLite file's Path or a URL), the templates tests copy, and the
audit check run on each database after a test. The fixtures using these are in tests/conftest.py.
"""

import os
import shutil
from pathlib import Path

import pytest

from sqlalchemy import inspect as sa_inspect
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from app.audit.recorder import Actor, set_actor
from app.clearance import read_as_system
from app.db import make_engine


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


TEST_DATABASES = ("sqlite", "postgresql")
TEST_DATABASE = os.environ.get("OVERSIGHT_TEST_DATABASE", "sqlite") or "sqlite"
if TEST_DATABASE not in TEST_DATABASES:
    raise RuntimeError(f"OVERSIGHT_TEST_DATABASE={TEST_DATABASE!r}: use one of {TEST_DATABASES}")
ON_POSTGRESQL = TEST_DATABASE == "postgresql"

# For tests that run on both databases themselves: their SQLite half is left out of the
# PostgreSQL run, which would repeat it on SQLite (their PostgreSQL half runs in both).
BOTH_DATABASES = [pytest.param("sqlite", marks=pytest.mark.sqlite_only), "postgresql"]

# A test's database: an SQLite file (Path) or a database URL (str).
Database = Path | str


def url_of(database: Database) -> str:
    """The SQLAlchemy URL of a test database handle."""
    return database if isinstance(database, str) else sqlite_url(database)


def system_session(database: Database):
    """A session on the database (file or URL) that sees everything, as the command line does."""
    engine = make_engine(url_of(database))
    session = read_as_system(Session(engine))
    set_actor(session, Actor(None, "test set-up"))
    return engine, session


class Templates:
    """The databases tests start from, built once per session: `migrated` (the test accounts, no
    programmes) and `demo` (the demo register loaded). `copy_to(template, url)` makes the
    database at `url` a copy (an SQLite file copy, or PostgreSQL's CREATE DATABASE ... TEMPLATE)
    and returns its handle."""

    def __init__(self, request, tmp_path_factory):
        self._tmp = tmp_path_factory
        self._today = request.getfixturevalue("demo_loaded_on")
        self.server = request.getfixturevalue("postgres_server") if ON_POSTGRESQL else None
        self.migrated: Database = request.getfixturevalue(
            "pg_template" if ON_POSTGRESQL else "migrated_db_file")
        self._demo: Database | None = None

    @property
    def demo(self) -> Database:
        if self._demo is None:
            self._demo = self._build_demo()
        return self._demo

    def _build_demo(self) -> Database:
        from app.demo.loader import load_demo_register

        if self.server:
            name = self.server.database(template=self.migrated)
            target: Database = self.server.url(name)
        else:
            target = self._tmp.mktemp("demo") / "oversight.db"
            shutil.copy(self.migrated, target)
            name = target
        engine, session = system_session(target)
        with session:
            load_demo_register(session, today=self._today)
        engine.dispose()
        return name

    def copy_to(self, template: Database, url: str) -> Database:
        if self.server:
            self.server.create(database_name(url), template=database_name(str(template)))
            return url
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(template, path)
        return path

    def new_copy(self, template: Database, folder: Path) -> Database:
        """A new database copied from `template`, outside any test's database_url (a module's
        shared world): `folder/oversight.db`, or a new PostgreSQL database's URL (then the
        database of `folder` for `database_in`)."""
        if self.server:
            url = self.copy_to(template, self.server.url(self.server.new_name()))
            register_database(folder, url)  # for commands run on `folder`
            return url
        return self.copy_to(template, sqlite_url(folder / "oversight.db"))


def database_name(url: str) -> str:
    """The database name in a PostgreSQL URL (or a bare name)."""
    return url.partition("?")[0].rsplit("/", 1)[-1]


# data_dir -> the URL of its test's database, while the test runs (PostgreSQL databases live
# outside the folder; helpers given only the folder find the database here).
_DATABASE_OF: dict[Path, str] = {}


def database_in(data_dir: Path) -> Database:
    """The database of the test whose data folder this is: its SQLite file, or its URL."""
    if not ON_POSTGRESQL:
        return data_dir / "oversight.db"
    try:
        return _DATABASE_OF[data_dir]
    except KeyError:
        raise LookupError(
            f"{data_dir} is no test's data_dir (use the database_url fixture)") from None


def register_database(data_dir: Path, url: str) -> None:
    """Names `url` as the database of the data folder `data_dir` (PostgreSQL)."""
    _DATABASE_OF[data_dir] = url


def forget_database(data_dir: Path) -> None:
    _DATABASE_OF.pop(data_dir, None)


def command_env(data_dir: Path) -> dict[str, str]:
    """The environment of an `oversight` process on this data folder and its database; no
    OVERSIGHT_* setting of the machine leaks in. (A folder without a test database, for --help
    and usage errors, gets the SQLite default.)"""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OVERSIGHT_")}
    env["OVERSIGHT_DATA_DIR"] = str(data_dir)
    if data_dir in _DATABASE_OF:
        env["OVERSIGHT_DATABASE_URL"] = _DATABASE_OF[data_dir]
    return env


def audited_tables() -> dict[str, str]:
    """Table name -> audit record type, for every audited model."""
    from app.audit.recorder import AUDITED
    return {model.__tablename__: kind.name for model, kind in AUDITED.items()}


AUDITED_TABLES = audited_tables()


def assert_every_change_is_audited(url: str) -> None:
    if url.startswith("sqlite") and not Path(url.removeprefix("sqlite:///")).exists():
        return  # named by database_url, never made
    engine = make_engine(url)
    try:
        try:
            connection = engine.connect()
        except OperationalError as error:
            if "does not exist" in str(error):
                return  # named by database_url, never made: the test used no database
            raise
        with connection:
            tables = set(sa_inspect(connection).get_table_names())
            if "audit_event" not in tables:
                return  # never migrated (a command refused before it made the schema)
            for table, record_type in AUDITED_TABLES.items():
                if table not in tables:
                    continue
                stored = set(connection.execute(text(f"SELECT id FROM {table}")).scalars())
                created, deleted = (set(connection.execute(text(
                    "SELECT record_id FROM audit_event WHERE record_type = :kind "
                    "AND action = :action"), {"kind": record_type, "action": action}).scalars())
                    for action in ("create", "delete"))
                assert stored <= created, f"{table} rows without a create event"
                assert not (stored & deleted), f"{table} rows still there after a delete event"
                assert created - stored <= deleted, f"{table} rows gone without a delete event"
    finally:
        engine.dispose()
