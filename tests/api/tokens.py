"""API tokens for the tests: one per test account, stored as `oversight token create` stores
them, plus a revoked one and one of a deactivated account; and clients that send them."""

from pathlib import Path

import httpx
from sqlmodel import select

from app.accounts.service import create_user, deactivate
from app.api.tokens import create_token, revoke_token
from app.models import Classification, Role, User
from tests.conftest import ACCOUNTS, PASSWORD, http_client, system_session

# Who calls: the test accounts, nobody, and holders of tokens that no longer work.
NOT_ADMITTED = ["no_token", "revoked", "deactivated"]
CALLERS = [*NOT_ADMITTED, "member", "member_restricted", "member_confidential",
           "staff_public", "staff", "admin"]


def store_tokens(db_path: Path) -> dict[str, str | None]:
    """Caller -> the secret their client sends (None: no Authorization header)."""
    engine, session = system_session(db_path)
    with session:
        secrets: dict[str, str | None] = {"no_token": None}
        for role, (email, _, _) in ACCOUNTS.items():
            user = session.exec(select(User).where(User.email == email)).one()
            secrets[role] = create_token(session, user, f"{role} script").secret
            if role == "staff":
                revoked = create_token(session, user, "revoked script")
                revoke_token(session, revoked.token.id)
                secrets["revoked"] = revoked.secret
        gone = create_user(session, email="gone@test.example", name="Gone", role=Role.STAFF,
                           clearance=Classification.CONFIDENTIAL, password=PASSWORD)
        secrets["deactivated"] = create_token(session, gone, "left behind").secret
        deactivate(session, gone)
        session.commit()
    engine.dispose()
    return secrets


def api_client(base_url: str, secret: str | None) -> httpx.Client:
    """A client sending `secret` as a bearer token, and no cookies (the caller closes it)."""
    headers = {"Authorization": f"Bearer {secret}"} if secret else {}
    return http_client(base_url, headers=headers)
