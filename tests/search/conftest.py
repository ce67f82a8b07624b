"""Search tests run on both databases: `site` is the app over HTTP on SQLite or PostgreSQL,
with the URL of its database. Their SQLite half is marked sqlite_only: the PostgreSQL run of the
suite has its PostgreSQL half already."""

from dataclasses import dataclass

import pytest

from tests.conftest import LiveServer
from tests.databases import BOTH_DATABASES


@dataclass
class Site:
    server: LiveServer
    url: str
    engine_name: str


@pytest.fixture(params=BOTH_DATABASES)
def site(request) -> Site:
    if request.param == "sqlite":
        server = request.getfixturevalue("server")
        return Site(server, request.getfixturevalue("database_url"), "sqlite")
    return Site(request.getfixturevalue("pg_server"), request.getfixturevalue("pg_url"),
                "postgresql")


@pytest.fixture(params=BOTH_DATABASES)
def engine_url(request) -> str:
    """A migrated, empty database (with the test accounts) on either engine."""
    if request.param == "sqlite":
        request.getfixturevalue("empty_db")
        return request.getfixturevalue("database_url")
    return request.getfixturevalue("pg_url")
