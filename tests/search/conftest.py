"""Search tests run on both databases: `site` is the app over HTTP on SQLite or PostgreSQL,
with the URL of its database."""

from dataclasses import dataclass

import pytest

from tests.conftest import LiveServer, sqlite_url


@dataclass
class Site:
    server: LiveServer
    url: str
    engine_name: str


@pytest.fixture(params=["sqlite", "postgresql"])
def site(request) -> Site:
    if request.param == "sqlite":
        server = request.getfixturevalue("server")
        return Site(server, sqlite_url(request.getfixturevalue("data_dir") / "oversight.db"),
                    "sqlite")
    return Site(request.getfixturevalue("pg_server"), request.getfixturevalue("pg_url"),
                "postgresql")


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request) -> str:
    """A migrated, empty database (with the test accounts) on either engine."""
    if request.param == "sqlite":
        return sqlite_url(request.getfixturevalue("empty_db"))
    return request.getfixturevalue("pg_url")
