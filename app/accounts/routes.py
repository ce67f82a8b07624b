"""Sign in, sign out, and a person's own account page."""

import secrets
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from sqlmodel import Session

from app.access import AUTHENTICATED, FormDep, SESSION_COOKIE, ViewerDep
from app.accounts import service
from app.api.tokens import tokens_of
from app.calendar_feed.service import active_feed
from app.db import SessionDep
from app.errors import ValidationFailed
from app.models import User
from app.templating import render

# Sign-in must work without a session; everything else here needs one.
public_router = APIRouter()
router = APIRouter(dependencies=AUTHENTICATED)

LOGIN_COOKIE = "oversight_login"  # double-submit token that protects the sign-in form itself


def safe_next(target: str | None) -> str:
    """Only a path on this site: never another host, so sign-in cannot bounce people away."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target[:500]
    return "/"


def _client_address(request: Request) -> str:
    return request.client.host if request.client else ""


def _cookie_secure(request: Request) -> bool:
    return request.url.scheme == "https"


def _login_page(request: Request, *, email: str = "", next_url: str = "/", error: str = "",
                notice: str = "", status_code: int = 200):
    token = request.cookies.get(LOGIN_COOKIE) or secrets.token_urlsafe(32)
    response = render(request, "accounts/login.html", {
        "email": email, "next_url": next_url, "error": error, "notice": notice,
        "login_token": token,
    }, status_code=status_code)
    response.set_cookie(LOGIN_COOKIE, token, httponly=True, samesite="strict",
                        secure=_cookie_secure(request), max_age=3600, path="/login")
    return response


@public_router.get("/login", name="login")
def login_page(request: Request):
    notice = {"signed-out": "You have signed out.",
              "password-changed": "Your password was changed. Sign in with the new one.",
              "expired": "Your session has ended. Sign in again to continue."}.get(
        request.query_params.get("reason", ""), "")
    return _login_page(request, next_url=safe_next(request.query_params.get("next")),
                       notice=notice)


@public_router.post("/login", name="login_submit")
def login_submit(request: Request, session: SessionDep, submitted: FormDep):
    email = str(submitted.get("email", ""))[:254]
    password = str(submitted.get("password", ""))[:service.MAX_PASSWORD_LENGTH + 1]
    next_url = safe_next(str(submitted.get("next", "")))
    sent, expected = submitted.get("login_token"), request.cookies.get(LOGIN_COOKIE)
    if not expected or not isinstance(sent, str) or not secrets.compare_digest(sent, expected):
        return _login_page(request, email=email, next_url=next_url, status_code=400,
                           error="The sign-in form had expired. Please try again "
                                 "(your browser must accept cookies from this site).")
    try:
        user = service.authenticate(session, request.app.state.settings, email, password,
                                    _client_address(request))
    except service.SignInRefused as exc:  # the attempt was already recorded and committed
        return _login_page(request, email=email, next_url=next_url, error=str(exc),
                           status_code=401)
    # A fresh session id at every sign-in; any session this browser had is ended.
    service.end_session(session, request.cookies.get(SESSION_COOKIE))
    token = service.start_session(session, user, _client_address(request),
                                  request.headers.get("user-agent", ""))
    response = RedirectResponse(next_url, status_code=303)
    settings = request.app.state.settings
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="lax",
                        secure=_cookie_secure(request), max_age=settings.session_max_hours * 3600,
                        path="/")
    response.delete_cookie(LOGIN_COOKIE, path="/login")
    return response


@router.post("/logout", name="logout")
def logout(request: Request, session: SessionDep, viewer: ViewerDep):
    service.end_session(session, request.cookies.get(SESSION_COOKIE))
    response = RedirectResponse("/login?" + urlencode({"reason": "signed-out"}), status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def account_context(session: Session, viewer: service.Viewer,
                    errors: dict | None = None) -> dict:
    """What the account page shows besides the person: form errors, their calendar feed and
    their API tokens."""
    return {"errors": errors or {}, "calendar_feed": active_feed(session, viewer.user.id),
            "api_tokens": tokens_of(session, viewer.user.id), "token_errors": {}}


@router.get("/account", name="account")
def account_page(request: Request, session: SessionDep, viewer: ViewerDep):
    return render(request, "accounts/account.html", {
        **account_context(session, viewer),
        "feed_revoked": request.query_params.get("calendar") == "revoked",
        "token_revoked": request.query_params.get("token") == "revoked",
    })


@router.post("/account/password", name="account_password")
def change_password(request: Request, session: SessionDep, viewer: ViewerDep,
                    submitted: FormDep):
    current = str(submitted.get("current_password", ""))
    new = str(submitted.get("new_password", ""))
    repeat = str(submitted.get("repeat_password", ""))
    errors = {}
    user = session.get(User, viewer.user.id)
    if not service.password_matches(user, current):
        errors["current_password"] = "The current password is not correct."
    if new != repeat:
        errors["repeat_password"] = "The two new passwords are not the same."
    if not errors:
        try:
            service.set_password(session, user, new)
        except ValidationFailed as exc:
            errors["new_password"] = exc.errors["password"]
    if errors:
        return render(request, "accounts/account.html", account_context(session, viewer, errors),
                      status_code=422)
    # Changing the password ends every session, this one included: sign in again.
    response = RedirectResponse("/login?" + urlencode({"reason": "password-changed"}),
                                status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
