"""Response headers every page carries, and a same-origin check on every state-changing request."""

from urllib.parse import urlsplit

from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import HTMLResponse, JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}

PAGE_POLICY = "; ".join([
    "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self'",
    "font-src 'self'", "connect-src 'self'", "form-action 'self'", "frame-ancestors 'none'",
    "base-uri 'none'", "object-src 'none'",
])
# A chart opened on its own: its inline styles may apply, nothing else may load or run.
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"

COMMON_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}


class SecurityMiddleware:
    """Refuses cross-site writes and adds security headers to every response."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["method"] not in SAFE_METHODS and not is_same_origin(Headers(scope=scope)):
            if scope["path"].startswith("/api/"):
                response = JSONResponse({"detail": "A web page of another site may not change "
                                                   "anything here."}, status_code=403)
            else:
                response = HTMLResponse(
                    "<!doctype html><title>Refused</title><h1>Request refused</h1>"
                    "<p>This change did not come from an Oversight Desk page, so it was not "
                    "made.</p>",
                    status_code=403,
                )
            await response(scope, receive, self._with_headers(scope, send))
            return
        await self.app(scope, receive, self._with_headers(scope, send))

    @staticmethod
    def _with_headers(scope: Scope, send: Send) -> Send:
        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                add_security_headers(MutableHeaders(scope=message), scope)
            await send(message)

        return send_with_headers


def add_security_headers(headers: MutableHeaders, scope: Scope) -> None:
    """The headers every response carries (also error pages made outside the middleware)."""
    for name, value in COMMON_HEADERS.items():
        headers.setdefault(name, value)
    svg = headers.get("content-type", "").startswith("image/svg+xml")
    headers.setdefault("Content-Security-Policy", SVG_POLICY if svg else PAGE_POLICY)
    if scope.get("scheme") == "https":
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    if not scope["path"].startswith("/static/"):
        # Pages may hold restricted material: never keep them in a cache.
        headers.setdefault("Cache-Control", "no-store")


def is_same_origin(headers: Headers) -> bool:
    """True unless the browser says the request came from another site.

    Browsers send Sec-Fetch-Site and Origin on form posts and fetches; a request carrying
    neither does not come from a web page (a script or command-line client).
    """
    site = headers.get("sec-fetch-site")
    if site is not None:
        return site in ("same-origin", "none")
    origin = headers.get("origin")
    if origin is None:
        return True
    return origin != "null" and urlsplit(origin).netloc == headers.get("host", "")
