"""Fixtures for the API tests: clients holding each caller's token."""

import pytest

from tests.api.tokens import api_client


@pytest.fixture
def api_for(open_clients):
    """api_for(server, secret) -> a client that sends that token."""
    def make(live, secret: str | None):
        http = api_client(live.url, secret)
        open_clients.append(http)
        return http
    return make
