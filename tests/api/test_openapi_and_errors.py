"""The OpenAPI description covers the API and only the API; every API error is JSON."""

import json

from tests.api.tokens import store_tokens
from tests.conftest import http_client


def test_the_description_lists_only_api_routes_with_bearer_auth_and_their_answers(server):
    with http_client(server.url) as http:
        response = http.get("/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    assert spec["paths"] and all(path.startswith("/api/v1/") for path in spec["paths"])
    assert spec["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http", "scheme": "bearer", "description": spec["components"][
            "securitySchemes"]["bearerAuth"]["description"]}
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            where = f"{method.upper()} {path}"
            assert operation["security"] == [{"bearerAuth": []}], where
            assert "401" in operation["responses"], where
            ok = next(code for code in operation["responses"] if code.startswith("2"))
            assert operation["responses"][ok]["content"]["application/json"]["schema"], where
    # Refused input is described by our own shape, never FastAPI's default.
    assert "HTTPValidationError" not in json.dumps(spec)
    assert {"ProgrammeRead", "InquiryRead", "AnswerRead", "HearingRead", "RefusedOut",
            "ErrorOut"} <= set(spec["components"]["schemas"])


def test_every_api_error_is_json(server, api_for):
    http = api_for(server, store_tokens(server.settings.resolved_database_url)["staff"])
    answers = {
        "unknown address": (http.get("/api/v1/no-such-thing"), 404),
        "not a record id": (http.get("/api/v1/programmes/abc"), 404),
        "missing record": (http.get("/api/v1/programmes/4242"), 404),
        "wrong method": (http.delete("/api/v1/programmes"), 405),
        "bad query": (http.get("/api/v1/programmes?page_size=1000"), 422),
        "not json": (http.post("/api/v1/programmes", content=b"{not json",
                               headers={"Content-Type": "application/json"}), 422),
        "another site": (http.post("/api/v1/programmes", json={},
                                   headers={"Origin": "https://evil.example"}), 403),
    }
    for what, (response, status) in answers.items():
        assert response.status_code == status, what
        assert response.headers["content-type"] == "application/json", what
        assert isinstance(response.json()["detail"], str), what
    refused = answers["bad query"][0].json()["errors"]
    assert refused == [{"field": "page_size",
                        "message": "Input should be less than or equal to 100"}]
    assert answers["missing record"][0].json() == {"detail": "Programme was not found."}
    assert answers["not json"][0].json()["errors"] == [
        {"field": "body", "message": "The body is not valid JSON."}]


def test_pages_keep_their_html_errors(client):
    response = client.get("/programmes/abc")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
