"""Pages for personal API tokens: make and revoke one's own on the account page; administrators
review and revoke everyone's."""

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from app.access import AUTHENTICATED, AdminDep, FormDep, RecordId, ViewerDep
from app.accounts.routes import account_context
from app.api import tokens
from app.db import SessionDep
from app.errors import ValidationFailed
from app.models import User
from app.paging import PageNumbers, page_asked, page_within
from app.templating import render

router = APIRouter(dependencies=AUTHENTICATED)
admin_router = APIRouter(prefix="/admin", dependencies=AUTHENTICATED)
ADMIN_PAGE_SIZE = 50


@router.post("/account/tokens", name="api_token_create")
def token_create(request: Request, session: SessionDep, viewer: ViewerDep, submitted: FormDep):
    """A new token, shown this once on the account page, like a generated password."""
    name = str(submitted.get("token_name", ""))
    try:
        new = tokens.create_token(session, session.get(User, viewer.user.id), name)
    except ValidationFailed as exc:
        return render(request, "accounts/account.html", {
            **account_context(session, viewer), "token_name": name,
            "token_errors": {"token_name": exc.errors.get("name", "")},
        }, status_code=422)
    return render(request, "accounts/account.html", {
        **account_context(session, viewer), "new_token": new,
    })


@router.post("/account/tokens/{token_id}/revoke", name="api_token_revoke")
def token_revoke(token_id: RecordId, session: SessionDep, viewer: ViewerDep):
    # Only one's own: another person's token is not found, as if it did not exist.
    tokens.revoke_token(session, token_id, owner_id=viewer.user.id)
    return RedirectResponse("/account?token=revoked#api-tokens", status_code=303)


@admin_router.get("/tokens", name="admin_tokens")
def admin_tokens(request: Request, session: SessionDep, admin: AdminDep):
    asked = page_asked(request.query_params.get("page"))
    total = tokens.count_live_tokens(session)
    page = page_within(asked, total, ADMIN_PAGE_SIZE)
    rows = tokens.live_tokens(session, (page - 1) * ADMIN_PAGE_SIZE, ADMIN_PAGE_SIZE)
    return render(request, "admin/tokens.html", {
        "page": PageNumbers(total, page, ADMIN_PAGE_SIZE), "rows": rows,
        "revoked": request.query_params.get("done") == "revoked",
        "page_url": lambda page: f"/admin/tokens?page={page}",
    })


@admin_router.post("/tokens/{token_id}/revoke", name="admin_token_revoke")
def admin_token_revoke(token_id: RecordId, session: SessionDep, admin: AdminDep):
    """Any account's token: revoking only takes access away, so no clearance rule applies."""
    tokens.revoke_token(session, token_id)
    return RedirectResponse("/admin/tokens?done=revoked", status_code=303)
