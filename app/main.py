"""The web application: routers, static files, error pages."""

import logging
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.config import Settings
from app.db import make_engine
from app import clearance  # noqa: F401  (installs the clearance filter on every session)
from app.access import SESSION_COOKIE
from app.accounts.routes import public_router as sign_in_router
from app.accounts.routes import router as account_router
from app.admin.routes import router as admin_router
from app.api import openapi
from app.api.errors import api_error, is_api
from app.api.router import api_router
from app.api.token_routes import admin_router as admin_token_router
from app.api.token_routes import router as token_router
from app.audit import recorder  # noqa: F401  (installs the audit trail on every session)
from app.calendar_feed.routes import public_router as calendar_feed_router
from app.calendar_feed.routes import router as calendar_account_router
from app.dashboard.routes import router as dashboard_router
from app.errors import Conflict, Forbidden, NotAuthenticated, NotFound, ValidationFailed
from app.hearings.routes import router as hearing_router
from app.inquiries.answer_routes import router as answer_router
from app.inquiries.item_routes import router as inquiry_item_router
from app.inquiries.routes import router as inquiry_router
from app.programmes.note_routes import router as note_router
from app.programmes.routes import router as programme_router
from app.reports.routes import router as report_router
from app.safeguards.routes import router as safeguard_router
from app.search.routes import router as search_router
from app.security import SecurityMiddleware, add_security_headers
from app.serving.health import router as health_router
from app.serving.request_log import REQUEST_ID_HEADER, RequestLogMiddleware, request_id_of
from app.transfer.routes import router as transfer_router
from app.templating import STATIC_DIR, render

log = logging.getLogger("oversight")


PAGE_ROUTERS = [
    sign_in_router, account_router, token_router, calendar_account_router, calendar_feed_router,
    dashboard_router, programme_router, note_router, hearing_router, safeguard_router,
    inquiry_router, inquiry_item_router, answer_router, report_router, search_router,
    transfer_router, admin_router, admin_token_router,
]
API_DESCRIPTION = (
    "The register, inquiries, answers and hearings of Oversight Desk as JSON. Send a personal "
    "API token as `Authorization: Bearer <token>`; it acts with its account's current role "
    "and clearance. Records above that clearance do not exist for it (404).")


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    # The OpenAPI description covers the JSON API only; pages are left out of it.
    app = FastAPI(title="Oversight Desk", version="1", docs_url=None, redoc_url=None,
                  openapi_url="/openapi.json", description=API_DESCRIPTION,
                  max_body_size=settings.max_body_mb * 1024 * 1024)
    app.state.settings = settings
    app.state.engine = make_engine(settings.resolved_database_url)

    app.add_middleware(SecurityMiddleware)
    app.add_middleware(RequestLogMiddleware)  # the outermost: it times and logs everything
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for router in PAGE_ROUTERS:
        app.include_router(router, include_in_schema=False)
    app.include_router(api_router)
    openapi.install(app)

    app.include_router(health_router, include_in_schema=False)
    _install_error_pages(app)
    return app


def _install_error_pages(app: FastAPI) -> None:
    """Each error as a page, or as JSON on /api/ paths (app.api.errors)."""
    def handle(exc_class: type[Exception], page) -> None:
        async def handler(request: Request, exc: Exception):
            if is_api(request):
                response = api_error(request, exc)
                if exc_class is Exception:
                    _log_server_error(request)
                    _outside_middleware(request, response)
                return response
            return await page(request, exc)
        app.add_exception_handler(exc_class, handler)

    async def not_signed_in(request: Request, exc: NotAuthenticated):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        had_session = SESSION_COOKIE in request.cookies
        query = {"next": target if request.method == "GET" else "/"}
        if had_session:
            query["reason"] = "expired"
        location = f"/login?{urlencode(query)}"
        if request.headers.get("HX-Request"):
            # htmx would swap the sign-in page into a fragment; make it load the whole page.
            response = Response(status_code=401, headers={"HX-Redirect": location})
        else:
            response = RedirectResponse(location, status_code=303)
        if had_session:
            response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    async def forbidden(request: Request, exc: Forbidden):
        return render(request, "errors/error.html", {"status": 403, "message": exc.message},
                      status_code=403)

    async def not_found(request: Request, exc: NotFound):
        return render(request, "errors/404.html", {"what": exc.what}, status_code=404)

    async def http_error(request: Request, exc: StarletteHTTPException):
        if exc.status_code == 404:
            return render(request, "errors/404.html", {"what": "Page"}, status_code=404)
        return render(request, "errors/error.html", {"status": exc.status_code,
                      "message": exc.detail}, status_code=exc.status_code)

    async def bad_request(request: Request, exc: RequestValidationError):
        if any(error.get("loc", ("",))[0] == "path" for error in exc.errors()):
            # /programmes/abc names no record: that is "not found", not a malformed request.
            return render(request, "errors/404.html", {"what": "Page"}, status_code=404)
        if request.url.path.endswith(".svg"):
            return JSONResponse({"detail": "Bad request"}, status_code=400)
        return render(request, "errors/error.html", {
            "status": 400, "message": "The address or form was not understood.",
        }, status_code=400)

    async def server_error(request: Request, exc: Exception):
        # The trace goes to the log, never to the person; the request id ties the two.
        _log_server_error(request)
        response = render(request, "errors/500.html", {"request_id": request_id_of(
            request.scope)}, status_code=500)
        _outside_middleware(request, response)
        return response

    handle(NotAuthenticated, not_signed_in)
    handle(Forbidden, forbidden)
    handle(NotFound, not_found)
    handle(StarletteHTTPException, http_error)
    handle(RequestValidationError, bad_request)
    # Page routes catch these themselves and show the form again; the API answers them here.
    handle(ValidationFailed, server_error)
    handle(Conflict, server_error)
    handle(Exception, server_error)


def _log_server_error(request: Request) -> None:
    log.exception("unhandled error on %s %s", request.method, request.url.path,
                  extra={"request_id": request_id_of(request.scope)})


def _outside_middleware(request: Request, response: Response) -> None:
    """Starlette answers unhandled errors outside all middleware: add their headers here."""
    add_security_headers(response.headers, request.scope)
    response.headers[REQUEST_ID_HEADER] = request_id_of(request.scope)
