"""Personal API tokens: made, listed, revoked, and resolved to the person on a request. Session
first; no HTTP.

A token is `od_` and 43 random URL-safe characters (256 bits); the prefix lets secret scanners
and people recognise one. Only its SHA-256 is stored, so a copy of the database opens nothing.
The person a token acts for is read afresh on every request: their current role and clearance
apply, and a deactivated account's tokens stop working at once.
"""

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from sqlmodel import Session, select

from app.accounts.service import SignedInUser, Viewer
from app.errors import NotFound, ValidationFailed
from app.models import ApiToken, User, utcnow
from app.text import clean_text

PREFIX = "od_"
_SHAPE = re.compile(r"^od_[A-Za-z0-9_-]{43}$")
# last_used_at is written at most this often per token: a busy script is not a write per call.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def _token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class NewToken:
    """A token just made: the stored row, and the secret, shown this once."""

    token: ApiToken
    secret: str


def label_problem(name: str) -> str | None:
    try:
        clean_text(name, label="The label", max_length=100, required=True)
    except ValueError as exc:
        return str(exc)
    return None


def create_token(session: Session, user: User, name: str) -> NewToken:
    """A new token for `user`, labelled `name` (what it is for). ValidationFailed for a bad
    label or a deactivated account."""
    if (problem := label_problem(name)) is not None:
        raise ValidationFailed({"name": problem})
    if not user.active:
        raise ValidationFailed({"email": "The account is deactivated: it cannot have tokens."})
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=" ".join(name.split()), token_hash=_token_hash(secret))
    session.add(token)
    session.flush()
    return NewToken(token, secret)


def tokens_of(session: Session, user_id: int) -> list[ApiToken]:
    """A person's live tokens, newest first."""
    return list(session.exec(
        select(ApiToken).where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    ))


def count_live_tokens(session: Session) -> int:
    return session.exec(select(sa.func.count()).select_from(ApiToken)
                        .where(ApiToken.revoked_at.is_(None))).one()


def live_tokens(session: Session, offset: int, limit: int) -> list[tuple[ApiToken, User]]:
    """One page of every account's live tokens with their owner, newest first: what an
    administrator reviews."""
    return list(session.exec(
        select(ApiToken, User).join(User, User.id == ApiToken.user_id)
        .where(ApiToken.revoked_at.is_(None))
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc()).offset(offset).limit(limit)
    ).all())


def revoke_token(session: Session, token_id: int, owner_id: int | None = None) -> ApiToken:
    """Stop a token from working. With `owner_id`, only that person's token: anyone else's is
    NotFound, as if it did not exist. Revoking a revoked token changes nothing."""
    query = select(ApiToken).where(ApiToken.id == token_id)
    if owner_id is not None:
        query = query.where(ApiToken.user_id == owner_id)
    token = session.exec(query).first()
    if token is None:
        raise NotFound("Token")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        session.flush()
    return token


def resolve_token(session: Session, secret: str | None) -> Viewer | None:
    """The person a live token acts for, with their role and clearance as they are now; None
    for a malformed, unknown or revoked token or a deactivated account, which all answer alike."""
    if not secret or not _SHAPE.match(secret):
        return None
    row = session.exec(
        select(ApiToken, User).join(User, User.id == ApiToken.user_id)
        .where(ApiToken.token_hash == _token_hash(secret), ApiToken.revoked_at.is_(None))
    ).first()
    if row is None or not row[1].active:
        return None
    token, user = row
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        # Bookkeeping, not a change to the token: no version, no audit event.
        session.exec(sa.update(ApiToken).where(ApiToken.id == token.id).values(last_used_at=now))
    # No CSRF token: the API takes no cookies, so a browser cannot be tricked into using it.
    return Viewer(user=SignedInUser(id=user.id, email=user.email, name=user.name, role=user.role,
                                    clearance=user.clearance), csrf_token="")
