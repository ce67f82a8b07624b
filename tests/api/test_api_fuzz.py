"""Generated requests (schemathesis, from the served /openapi.json) against the live app on the
demo register, with a staff token and with a member's, valid and invalid (negative) ones: no
server error, and every answer is one the description lists, of the type and shape it
describes."""

import itertools

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance, response_schema_conformance, status_code_conformance,
)

from tests.api.tokens import store_tokens

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]
# Bounded so the whole run stays well under two minutes.
EXAMPLES_PER_OPERATION = 25


def _fuzz(base_url: str, secret: str) -> list[str]:
    schema = schemathesis.openapi.from_url(f"{base_url}/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    headers = {"Authorization": f"Bearer {secret}"}
    for operation, mode in itertools.product(operations, GenerationMode):
        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy(generation_mode=mode))
        def check(case):
            case.call_and_validate(base_url=base_url, headers=headers, checks=CHECKS)

        check()
    return [operation.label for operation in operations]


@pytest.mark.parametrize("caller", ["staff", "member"])
def test_generated_requests_get_no_server_error(demo_server, caller):
    secret = store_tokens(demo_server.settings.resolved_database_url)[caller]
    tested = _fuzz(demo_server.url, secret)
    assert "PATCH /api/v1/programmes/{programme_id}" in tested
    assert "PUT /api/v1/inquiries/{inquiry_id}/answer" in tested
    assert len(tested) == 15
