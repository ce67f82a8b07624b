"""One log line per request, and the request id that ties it to the error it may have caused.

The id comes from an incoming X-Request-ID (a proxy's) when it looks like an id, else it is
made here; it is sent back as X-Request-ID and shown on the error page, so a clerk can quote it.
"""

import logging
import re
import secrets
import time

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.serving.logs import current_request_id

REQUEST_ID_HEADER = "X-Request-ID"
# Letters, digits and a few separators, as proxies make them (UUIDs, hex): nothing that could
# forge a log line or smuggle markup into the error page.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{8,64}")
# Path parameters that are secrets (the calendar feed's address is its password).
SECRET_PARAMETERS = {"token"}

log = logging.getLogger("oversight.request")


def request_id_of(scope: Scope) -> str:
    return scope.get("state", {}).get("request_id", "")


class RequestLogMiddleware:
    """Gives each request its id and logs it when its answer has been sent (or has failed)."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _incoming_id(scope) or secrets.token_hex(8)
        scope.setdefault("state", {})["request_id"] = request_id
        current_request_id.set(request_id)
        started = time.perf_counter()
        status = 500  # unless an answer starts: an error escaped every handler in between

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = request_id
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            _log_request(scope, status, time.perf_counter() - started)


def _incoming_id(scope: Scope) -> str:
    for name, value in scope["headers"]:
        if name == b"x-request-id":
            text = value.decode("latin-1")
            return text if SANE_REQUEST_ID.fullmatch(text) else ""
    return ""


def _log_request(scope: Scope, status: int, seconds: float) -> None:
    viewer = scope.get("state", {}).get("viewer")
    path = loggable_path(scope)
    log.log(logging.ERROR if status >= 500 else logging.INFO,
            "%s %s %s", scope["method"], path, status,
            extra={"request_id": request_id_of(scope), "method": scope["method"],
                   "path": path, "status": status,
                   "duration_ms": round(seconds * 1000, 1),
                   "user_id": viewer.user.id if viewer else None})


def loggable_path(scope: Scope) -> str:
    """The path without its query, and with secret path parameters blanked."""
    parameters = scope.get("path_params", {})
    route_format = getattr(scope.get("route"), "path_format", None)
    if route_format and SECRET_PARAMETERS & parameters.keys():
        return route_format.format_map({name: "[hidden]" if name in SECRET_PARAMETERS else value
                                        for name, value in parameters.items()})
    return scope["path"]
