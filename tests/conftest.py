"""Test fixtures: a real database migrated by Alembic, and the app served over real HTTP.

The suite runs on SQLite (the default) or, with OVERSIGHT_TEST_DATABASE=postgresql, on a real
PostgreSQL server the tests start themselves (tests/postgres.py): each test gets a fresh database
copied from a template. A test's database is named by `database_url`; `empty_db`/`demo_db` fill
it and give a handle that `system_session` and the helpers accept (an SQLite file's Path, or the
PostgreSQL URL).
"""

import re
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
from sqlalchemy import event
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
from tests.databases import (  # noqa: F401  (some re-exported: tests import them from here)
    AUDITED_TABLES, ON_POSTGRESQL, TEST_DATABASE, Database, Templates,
    assert_every_change_is_audited, command_env, database_in, database_name, forget_database,
    register_database, sqlite_url, system_session, url_of,
)
from tests.postgres import PostgresServer, drop_databases


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
    forget_database(data_dir)


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
