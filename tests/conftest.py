"""Test fixtures: a real SQLite file migrated by Alembic, and the app served over real HTTP."""

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from alembic import command
from sqlmodel import Session

from app.cli import alembic_config
from app.config import Settings
from app.db import make_engine
from app.main import create_app


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


@pytest.fixture(scope="session")
def migrated_db_file(tmp_path_factory) -> Path:
    """An empty database built once with `alembic upgrade head`; tests get copies of it."""
    path = tmp_path_factory.mktemp("template") / "oversight.db"
    command.upgrade(alembic_config(sqlite_url(path)), "head")
    return path


@pytest.fixture(scope="session")
def demo_db_file(tmp_path_factory, migrated_db_file) -> Path:
    """A migrated database with the demo register loaded through `load_demo_register`."""
    from app.demo.loader import load_demo_register

    path = tmp_path_factory.mktemp("demo") / "oversight.db"
    shutil.copy(migrated_db_file, path)
    engine = make_engine(sqlite_url(path))
    load_demo_register(engine)
    engine.dispose()
    return path


class LiveServer:
    """The app served by uvicorn on a loopback port, in a thread, for one test."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.app = create_app(settings)
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._socket.getsockname()[1]}"
        config = uvicorn.Config(self.app, log_level="warning", lifespan="off")
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


def _settings_for(data_dir: Path) -> Settings:
    return Settings(data_dir=data_dir, database_url=sqlite_url(data_dir / "oversight.db"))


@pytest.fixture
def data_dir(tmp_path) -> Path:
    path = tmp_path / "data"
    path.mkdir()
    return path


@pytest.fixture
def empty_db(data_dir, migrated_db_file) -> Path:
    shutil.copy(migrated_db_file, data_dir / "oversight.db")
    return data_dir / "oversight.db"


@pytest.fixture
def demo_db(data_dir, demo_db_file) -> Path:
    shutil.copy(demo_db_file, data_dir / "oversight.db")
    return data_dir / "oversight.db"


@pytest.fixture
def server(data_dir, empty_db) -> Iterator[LiveServer]:
    """The app over HTTP on an empty, migrated register."""
    with LiveServer(_settings_for(data_dir)) as live:
        yield live


@pytest.fixture
def demo_server(data_dir, demo_db) -> Iterator[LiveServer]:
    """The app over HTTP on the demo register."""
    with LiveServer(_settings_for(data_dir)) as live:
        yield live


@pytest.fixture
def client(server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=10) as http:
        yield http


@pytest.fixture
def demo_client(demo_server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=demo_server.url, timeout=10) as http:
        yield http


@pytest.fixture
def db(data_dir) -> Iterator[Session]:
    """A session on the test's database file, to check what was (not) stored."""
    engine = make_engine(sqlite_url(data_dir / "oversight.db"))
    with Session(engine) as session:
        yield session
    engine.dispose()
