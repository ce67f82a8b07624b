"""Test fixtures: a real database migrated by Alembic, and the app served over real HTTP.

The suite runs on SQLite (the default) or, with OVERSIGHT_TEST_DATABASE=postgresql, on a real
PostgreSQL server the tests start themselves (tests/postgres.py): each test gets a fresh database
copied from a template. A test's database is named by `database_url`; `empty_db`/`demo_db` fill
it and give a handle that `system_session` and the helpers accept (an SQLite file's Path, or the
PostgreSQL URL).
"""

import os
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import httpx
import pytest
import uvicorn
from alembic import command
from sqlalchemy import event, text
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from app import clock
from app.accounts import service as accounts
from app.audit.recorder import Actor, set_actor
from app.cli import alembic_config, uvicorn_options
from app.clearance import read_as_system
from app.config import Settings
from app.db import make_engine
from app.main import create_app
from app.models import Classification, Role
from tests.postgres import PostgresServer, drop_databases


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


TEST_DATABASES = ("sqlite", "postgresql")
TEST_DATABASE = os.environ.get("OVERSIGHT_TEST_DATABASE", "sqlite") or "sqlite"
if TEST_DATABASE not in TEST_DATABASES:
    raise RuntimeError(f"OVERSIGHT_TEST_DATABASE={TEST_DATABASE!r}: use one of {TEST_DATABASES}")
ON_POSTGRESQL = TEST_DATABASE == "postgresql"

# A test's database: an SQLite file (Path) or a database URL (str).
Database = Path | str


def url_of(database: Database) -> str:
    """The SQLAlchemy URL of a test database handle."""
    return database if isinstance(database, str) else sqlite_url(database)


PASSWORD = "correct horse battery staple"

# Tests time nothing: a request only fails for taking too long when the server is stuck. A slow
# CI machine running the whole suite once stalled a loopback request past httpx's 5 s default.
HTTP_TIMEOUT = 60


def http_client(base_url: str = "", **kwargs) -> httpx.Client:
    """The one way tests open an HTTP client (the caller closes it)."""
    return httpx.Client(base_url=base_url, timeout=HTTP_TIMEOUT, **kwargs)

# One account per role and clearance that the access rules tell apart.
ACCOUNTS = {
    "admin": ("admin@test.example", Role.ADMIN, Classification.CONFIDENTIAL),
    "staff": ("staff@test.example", Role.STAFF, Classification.CONFIDENTIAL),
    "staff_public": ("staff.public@test.example", Role.STAFF, Classification.PUBLIC),
    "member": ("mp@test.example", Role.MEMBER, Classification.PUBLIC),
    "member_restricted": ("mp.restricted@test.example", Role.MEMBER, Classification.RESTRICTED),
    "member_confidential": ("mp.confidential@test.example", Role.MEMBER,
                            Classification.CONFIDENTIAL),
}


def system_session(database: Database):
    """A session on the database (file or URL) that sees everything, as the command line does."""
    engine = make_engine(url_of(database))
    session = read_as_system(Session(engine))
    set_actor(session, Actor(None, "test set-up"))
    return engine, session


def add_test_accounts(session: Session) -> None:
    """One account of each role and clearance (ACCOUNTS), all with PASSWORD; committed."""
    for email, role, clearance in ACCOUNTS.values():
        accounts.create_user(session, email=email, name=email.split("@")[0], role=role,
                             clearance=clearance, password=PASSWORD)
    session.commit()


def pytest_collection_modifyitems(config, items):
    """On PostgreSQL, tests about SQLite itself (marker sqlite_only) are deselected."""
    if not ON_POSTGRESQL:
        return
    about_sqlite = [item for item in items if item.get_closest_marker("sqlite_only")]
    if about_sqlite:
        config.hook.pytest_deselected(items=about_sqlite)
        items[:] = [item for item in items if not item.get_closest_marker("sqlite_only")]
        config.stash[_DESELECTED] = len(about_sqlite)


_DESELECTED = pytest.StashKey[int]()


def pytest_report_header(config):
    return f"test database: {TEST_DATABASE} (OVERSIGHT_TEST_DATABASE)"


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if deselected := config.stash.get(_DESELECTED, 0):
        terminalreporter.write_line(
            f"{deselected} tests deselected on PostgreSQL: they are about SQLite itself "
            "(marker sqlite_only) and run in the SQLite run.")


@pytest.fixture(scope="session")
def migrated_db_file(tmp_path_factory) -> Path:
    """A database built once with `alembic upgrade head`, holding the test accounts and no
    programmes; tests get copies of it."""
    path = tmp_path_factory.mktemp("template") / "oversight.db"
    command.upgrade(alembic_config(sqlite_url(path)), "head")
    engine, session = system_session(path)
    with session:
        add_test_accounts(session)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def demo_loaded_on() -> date:
    """The day the demo database was loaded as of: its examples are dated from it (a test that
    runs past midnight still compares with the day the demo was made)."""
    return clock.today()


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


@pytest.fixture(scope="session")
def templates(request, tmp_path_factory) -> Templates:
    return Templates(request, tmp_path_factory)


@pytest.fixture(scope="session")
def demo_db_file(templates) -> Database:
    """A migrated database with the demo register loaded through `load_demo_register` (an SQLite
    file, or a PostgreSQL template database's name)."""
    return templates.demo


class LiveServer:
    """The app served by uvicorn on a loopback port, in a thread, for one test."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.app = create_app(settings)
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._socket.getsockname()[1]}"
        config = uvicorn.Config(self.app, log_level="warning", lifespan="off",
                                **uvicorn_options(settings))
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, daemon=True
        )

    def __enter__(self) -> "LiveServer":
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("test server did not start")
            time.sleep(0.005)
        return self

    def __exit__(self, *exc) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._socket.close()
        self.app.state.engine.dispose()


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
        raise LookupError(f"{data_dir} is no test's data_dir (use the database_url fixture)")


def register_database(data_dir: Path, url: str) -> None:
    """Names `url` as the database of the data folder `data_dir` (PostgreSQL)."""
    _DATABASE_OF[data_dir] = url


def command_env(data_dir: Path) -> dict[str, str]:
    """The environment of an `oversight` process on this data folder and its database; no
    OVERSIGHT_* setting of the machine leaks in. (A folder without a test database, for --help
    and usage errors, gets the SQLite default.)"""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OVERSIGHT_")}
    env["OVERSIGHT_DATA_DIR"] = str(data_dir)
    if data_dir in _DATABASE_OF:
        env["OVERSIGHT_DATABASE_URL"] = _DATABASE_OF[data_dir]
    return env


def _settings_for(data_dir: Path, database: Database | None = None) -> Settings:
    return Settings(data_dir=data_dir, database_url=url_of(database or database_in(data_dir)))


@pytest.fixture
def data_dir(tmp_path) -> Path:
    path = tmp_path / "data"
    path.mkdir()
    return path


@pytest.fixture
def used_databases() -> Iterator[list[str]]:
    """The URLs of the databases this test used: checked by `every_change_is_audited`, then
    dropped (PostgreSQL)."""
    urls: list[str] = []
    yield urls
    if on_postgresql := [url for url in urls if url.startswith("postgresql")]:
        drop_databases(on_postgresql)


@pytest.fixture
def database_url(data_dir, used_databases, request) -> Iterator[str]:
    """The URL of this test's database: `data_dir/oversight.db` on SQLite, or a PostgreSQL
    database of its own. `empty_db` or `demo_db` fill it; alone, it names a database that is
    there and empty (PostgreSQL) or not yet made (SQLite), for commands that migrate it."""
    if not ON_POSTGRESQL:
        used_databases.append(sqlite_url(data_dir / "oversight.db"))
        yield used_databases[-1]
        return
    server = request.getfixturevalue("postgres_server")
    url = server.url(server.new_name())
    used_databases.append(url)
    register_database(data_dir, url)
    yield url
    _DATABASE_OF.pop(data_dir, None)


@pytest.fixture
def empty_db(database_url, templates) -> Database:
    """This test's database, migrated, with the test accounts and no programmes."""
    return templates.copy_to(templates.migrated, database_url)


@pytest.fixture
def demo_db(database_url, templates) -> Database:
    """This test's database holding the demo register."""
    return templates.copy_to(templates.demo, database_url)


@pytest.fixture
def blank_db(database_url, request) -> str:
    """This test's database before any migration: an empty PostgreSQL database, or no SQLite
    file yet (for `oversight db upgrade`)."""
    if ON_POSTGRESQL:
        request.getfixturevalue("postgres_server").create(database_name(database_url))
    return database_url


@pytest.fixture
def server(data_dir, empty_db) -> Iterator[LiveServer]:
    """The app over HTTP on an empty, migrated register."""
    with LiveServer(_settings_for(data_dir, empty_db)) as live:
        yield live


@pytest.fixture
def demo_server(data_dir, demo_db) -> Iterator[LiveServer]:
    """The app over HTTP on the demo register."""
    with LiveServer(_settings_for(data_dir, demo_db)) as live:
        yield live


@contextmanager
def counting(engine) -> Iterator[list[str]]:
    """The SQL statements `engine` sends while the block runs (to count a page's queries)."""
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def csrf_token_of(html: str) -> str:
    match = re.search(r'"X-CSRF-Token": "([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def sign_in(http: httpx.Client, email: str, password: str = PASSWORD) -> httpx.Client:
    """Sign in through the real form; afterwards the client sends the CSRF token as htmx does."""
    page = http.get("/login")
    token = re.search(r'name="login_token" value="([^"]+)"', page.text).group(1)
    response = http.post("/login", data={"email": email, "password": password,
                                          "login_token": token, "next": "/account"})
    assert response.status_code == 303, response.text
    http.headers["X-CSRF-Token"] = csrf_token_of(http.get("/account").text)
    return http


@pytest.fixture
def open_clients() -> Iterator[list]:
    clients: list[httpx.Client] = []
    yield clients
    for http in clients:
        http.close()


@pytest.fixture
def client_for(open_clients):
    """client_for(server, "member") -> an HTTP client signed in with that test account, or
    with the account of that e-mail address (None: not signed in)."""
    def make(live: LiveServer, account: str | None = "staff") -> httpx.Client:
        http = http_client(live.url)
        open_clients.append(http)
        if not account:
            return http
        return sign_in(http, account if "@" in account else ACCOUNTS[account][0])
    return make


@pytest.fixture
def client(server, client_for) -> httpx.Client:
    """Staff with confidential clearance, on an empty register."""
    return client_for(server, "staff")


@pytest.fixture
def demo_client(demo_server, client_for) -> httpx.Client:
    """Staff with confidential clearance, on the demo register."""
    return client_for(demo_server, "staff")


@pytest.fixture
def anonymous(server, client_for) -> httpx.Client:
    return client_for(server, None)


@pytest.fixture
def db(database_url) -> Iterator[Session]:
    """A session on the test's database that sees everything, to check what was stored."""
    engine = make_engine(database_url)
    with read_as_system(Session(engine)) as session:
        yield session
    engine.dispose()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A real PostgreSQL server for this test session (tests/postgres.py)."""
    server = PostgresServer.in_temporary_folder().start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def pg_template(postgres_server) -> str:
    """A PostgreSQL database built once by `alembic upgrade head` with the test accounts;
    tests get copies of it."""
    name = postgres_server.migrated_database()
    engine = make_engine(postgres_server.url(name))
    with read_as_system(Session(engine)) as session:
        set_actor(session, Actor(None, "test set-up"))
        add_test_accounts(session)
    engine.dispose()
    return name


@pytest.fixture
def pg_url(postgres_server, pg_template, used_databases) -> str:
    """The URL of a fresh copy of the migrated PostgreSQL database, for one test."""
    url = postgres_server.url(postgres_server.database(template=pg_template))
    used_databases.append(url)
    return url


@pytest.fixture
def pg_server(tmp_path, pg_url) -> Iterator[LiveServer]:
    """The app over HTTP on an empty, migrated register in PostgreSQL."""
    folder = tmp_path / "pg-data"
    folder.mkdir()
    with LiveServer(Settings(data_dir=folder, database_url=pg_url)) as live:
        yield live


def audited_tables() -> dict[str, str]:
    """Table name -> audit record type, for every audited model."""
    from app.audit.recorder import AUDITED
    return {model.__tablename__: kind.name for model, kind in AUDITED.items()}


AUDITED_TABLES = audited_tables()


@pytest.fixture(autouse=True)
def every_change_is_audited(request, used_databases):
    """After each test that used a database: every stored record has its 'create' event, and
    every record with a 'delete' event is gone. No mutation a test makes escapes the trail.
    Runs after the test's servers and sessions are closed, before its databases are dropped."""
    data_dir = request.getfixturevalue("data_dir") if "data_dir" in request.fixturenames else None
    yield
    urls = list(used_databases)
    if data_dir and (data_dir / "oversight.db").exists():
        urls.append(sqlite_url(data_dir / "oversight.db"))
    for url in dict.fromkeys(urls):
        assert_every_change_is_audited(url)


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
