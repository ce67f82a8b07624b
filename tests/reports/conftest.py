"""Fixtures of the tests of briefs and dossiers: the register of tests.reports.jobs_world, served
with the default render settings."""

import pytest

from tests.conftest import LiveServer
from tests.reports.jobs_world import make_register, render_settings


@pytest.fixture
def register(empty_db) -> dict[str, int]:
    return make_register(empty_db)


@pytest.fixture
def live(data_dir, register):
    with LiveServer(render_settings(data_dir)) as server:
        yield server
