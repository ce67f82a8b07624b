"""Every API error as JSON: `{"detail": ...}`, and for refused input the field of each problem.

app.main routes errors on /api/ paths here instead of to the error pages. A record above the
caller's clearance raises the same NotFound as a missing one, so both get the same body.
"""

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.errors import Conflict, Forbidden, NotAuthenticated, NotFound, ValidationFailed

API_PREFIX = "/api/"
NO_TOKEN = ("A valid API token is needed: send it as `Authorization: Bearer <token>`. Tokens "
            "are made on your account page.")
REFUSED = "The input was refused; nothing was saved."
SERVER_ERROR = "Something went wrong on our side; nothing was saved. The error was logged."


def is_api(request: Request) -> bool:
    return request.url.path.startswith(API_PREFIX)


def _json(status: int, detail: str, **extra) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse({"detail": detail, **extra}, status_code=status, headers=headers)


def field_name(loc) -> str:
    """A pydantic error location as a dotted field name: ("funding", 0, "amount")."""
    parts = [str(part) for part in loc if part not in ("body", "query", "path", "header")]
    return ".".join("amount" if part == "amount_cents" else part for part in parts) or "body"


def field_problems(exc: ValidationError | RequestValidationError,
                   prefix: str = "") -> dict[str, str]:
    """Dotted field name (under `prefix`, e.g. "items.2") -> the first message about it."""
    found: dict[str, str] = {}
    for error in exc.errors():
        message = str(error.get("msg", "Invalid value.")).removeprefix("Value error, ")
        if error.get("type") == "missing":
            message = "This field is required."
        name = field_name(error.get("loc", ()))
        if error.get("type") == "json_invalid":  # its location is a position in the text
            name, message = "body", "The body is not valid JSON."
        if name == "body" and prefix:  # a problem with the whole part, e.g. items.2
            name = ""
        found.setdefault(".".join(part for part in (prefix, name) if part), message)
    return found


def _refused(problems: dict[str, str]) -> JSONResponse:
    return _json(422, REFUSED, errors=[{"field": field, "message": message}
                                       for field, message in problems.items()])


def api_error(request: Request, exc: Exception) -> JSONResponse:
    """The JSON answer for an error raised while serving an API request."""
    if isinstance(exc, NotAuthenticated):
        return _json(401, NO_TOKEN)
    if isinstance(exc, Forbidden):
        return _json(403, exc.message)
    if isinstance(exc, NotFound):
        return _json(404, f"{exc.what} was not found.")
    if isinstance(exc, ValidationFailed):
        return _refused(exc.errors)
    if isinstance(exc, Conflict):
        return _json(409, exc.message)
    if isinstance(exc, RequestValidationError):
        if any(error.get("loc", ("",))[0] == "path" for error in exc.errors()):
            # /programmes/abc names no record: "not found", as on the pages.
            return _json(404, "Not found.")
        return _refused(field_problems(exc))
    if isinstance(exc, StarletteHTTPException):
        return _json(exc.status_code, "Not found." if exc.status_code == 404 else str(exc.detail))
    return _json(500, SERVER_ERROR)
