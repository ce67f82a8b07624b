"""The OpenAPI description at /openapi.json: the API's routes only (pages are left out of the
schema where they are included), as FastAPI builds it, without FastAPI's default 422 answer.

FastAPI documents a 422 of its own shape on every route with parameters; ours refuse input with
RefusedOut (documented where it can happen), and a bad record id in a path is answered 404.
"""

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

DEFAULT_REFUSAL = "#/components/schemas/HTTPValidationError"


def install(app: FastAPI) -> None:
    def build() -> dict:
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version,
                                 description=app.description, routes=app.routes)
            for operations in schema.get("paths", {}).values():
                for operation in operations.values():
                    refused = operation["responses"].get("422", {})
                    if DEFAULT_REFUSAL in str(refused):
                        del operation["responses"]["422"]
            for name in ("HTTPValidationError", "ValidationError"):
                schema.get("components", {}).get("schemas", {}).pop(name, None)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = build
