"""Every API route, for every caller: the test accounts' tokens, no token, a revoked token and
the token of a deactivated account. The table is the API's access policy; a route missing from
it fails `test_every_api_route_has_a_decided_access`.

The records are those of tests/test_access.py's `world`, with the same placeholders.
"""

import pytest

from tests.api.tokens import CALLERS, NOT_ADMITTED, store_tokens
from tests.conftest import ACCOUNTS
from app.models import Classification
from tests.test_access import _canonical, _template, app_routes, world  # noqa: F401


def expect(members: int, staff: int | None = None) -> dict[str, int]:
    """Expected status per caller: 401 for every token that does not work."""
    staff = members if staff is None else staff
    return {**{caller: 401 for caller in NOT_ADMITTED},
            "member": members, "member_restricted": members, "member_confidential": members,
            "staff_public": staff, "staff": staff, "admin": staff}


READ = expect(200)
# An empty body is refused (422) for staff; members may not write at all (403).
WRITE = expect(403, 422)
# A change based on a version that was never stored: someone else saved since (409).
STALE = expect(403, 409)

# (method, path template) -> (JSON body, expected status per caller). {ai}: a public inquiry
# with a public answer (stands for {i} in the route's path).
API_POLICY: dict[tuple[str, str], tuple[dict | None, dict]] = {
    ("GET", "/api/v1/programmes"): (None, READ),
    ("GET", "/api/v1/programmes/{p}"): (None, READ),
    ("POST", "/api/v1/programmes"): ({}, WRITE),
    ("PATCH", "/api/v1/programmes/{p}"): ({"version": 999}, STALE),
    ("GET", "/api/v1/inquiries"): (None, READ),
    ("GET", "/api/v1/inquiries/{i}"): (None, READ),
    ("POST", "/api/v1/inquiries"): ({}, WRITE),
    ("GET", "/api/v1/inquiries/{ai}/answer"): (None, READ),
    ("PUT", "/api/v1/inquiries/{ai}/answer"): ({"received_on": "2026-01-01", "version": 999},
                                               STALE),
    ("GET", "/api/v1/hearings"): (None, READ),
    ("GET", "/api/v1/hearings/{h}"): (None, READ),
    ("GET", "/api/v1/instruments"): (None, READ),
    ("GET", "/api/v1/ministries"): (None, READ),
    ("GET", "/api/v1/inquiry-types"): (None, READ),
    ("GET", "/api/v1/search"): (None, READ),
}

# Records above a caller's clearance answer exactly as missing ones: status and body.
CLASSIFIED = {
    ("GET", "/api/v1/programmes/{x}"): None,
    ("PATCH", "/api/v1/programmes/{x}"): {"version": 1},
    ("GET", "/api/v1/inquiries/{xi}"): None,
    ("GET", "/api/v1/inquiries/{xai}/answer"): None,
    ("PUT", "/api/v1/inquiries/{xai}/answer"): {"received_on": "2026-01-01", "version": 1},
    ("GET", "/api/v1/hearings/{xh}"): None,
}
MISSING = {"x": 999_999, "xi": 999_995, "xai": 999_992, "xh": 999_997}


def call(http, method: str, path: str, body: dict | None):
    return http.request(method, path, json=body) if body is not None else http.request(
        method, path)


def test_every_api_route_has_a_decided_access():
    routes = {(method, _template(path)) for method, path in app_routes()
              if path.startswith("/api/")}
    decided = {(method, _canonical(path)) for method, path in API_POLICY}
    assert routes - decided == set(), "API routes without an access decision in API_POLICY"
    assert decided - routes == set(), "API_POLICY lists routes the app does not have"


@pytest.fixture
def tokens(world):
    live, ids = world
    return store_tokens(live.settings.resolved_database_url)


@pytest.mark.parametrize("caller", CALLERS)
def test_each_api_route_answers_each_caller_as_the_policy_says(world, tokens, api_for, caller):
    live, ids = world
    http = api_for(live, tokens[caller])
    actual, expected = {}, {}
    for (method, template), (body, answers) in API_POLICY.items():
        response = call(http, method, template.format(**ids), body)
        actual[(method, template)] = response.status_code
        expected[(method, template)] = answers[caller]
        assert response.headers["content-type"] == "application/json", (method, template)
        if response.status_code == 401:
            assert response.headers["www-authenticate"] == "Bearer"
            assert "token" in response.json()["detail"]
    assert actual == expected


@pytest.mark.parametrize("caller", [c for c in CALLERS if c not in NOT_ADMITTED])
def test_records_above_clearance_answer_as_if_they_did_not_exist(world, tokens, api_for,
                                                                 caller):
    live, ids = world
    http = api_for(live, tokens[caller])
    cleared = ACCOUNTS[caller][2] >= Classification.RESTRICTED
    for (method, template), body in CLASSIFIED.items():
        there = call(http, method, template.format(**ids), body)
        absent = call(http, method, template.format(**{**ids, **MISSING}), body)
        if cleared:
            assert there.status_code != 404, (method, template)
        else:
            assert there.status_code in (403, 404), (method, template)
            assert (there.status_code, there.json()) == (absent.status_code, absent.json())


def test_a_session_cookie_does_not_open_the_api(world, client_for):
    """The API reads no cookies: a signed-in browser gets 401 there, so no page of another
    site can make it act for its user."""
    live, _ = world
    http = client_for(live, "staff")
    response = http.get("/api/v1/programmes")
    assert response.status_code == 401
    assert response.json()["detail"].startswith("A valid API token is needed")
