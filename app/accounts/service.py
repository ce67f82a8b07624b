"""Accounts and sessions: password hashing, sign-in with throttling, server-side sessions."""

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, select

from app.config import Settings
from app.errors import NotFound, ValidationFailed
from app.models import Classification, LoginAttempt, Role, User, UserSession, utcnow
from app.text import clean_text

_hasher = PasswordHasher()
# Verified against when the e-mail is unknown, so a wrong address takes as long as a wrong
# password and timing does not tell whether an account exists.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024
_EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")

SIGN_IN_REFUSED = "The e-mail address or password is not correct."


class SignInRefused(Exception):
    """Sign-in failed; the message never says whether the account exists."""


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def password_problem(password: str) -> str | None:
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Use at least {MIN_PASSWORD_LENGTH} characters."
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"Use at most {MAX_PASSWORD_LENGTH} characters."
    if password.strip() != password or not password.strip():
        return "The password must not start or end with spaces."
    return None


def generate_password() -> str:
    """A random password a person can type: four groups of five letters and digits."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(5)) for _ in range(4))


def account_problems(session: Session, email: str, name: str,
                     exclude_user_id: int | None = None) -> dict[str, str]:
    problems = {}
    email = normalise_email(email)
    if not _EMAIL.match(email) or len(email) > 254:
        problems["email"] = "Enter an e-mail address such as name@bundestag.de."
    elif session.exec(select(User.id).where(User.email == email,
                                            User.id != (exclude_user_id or 0))).first():
        problems["email"] = "Another account already uses this e-mail address."
    try:
        clean_text(name, label="The name", max_length=200, required=True)
    except ValueError as exc:
        problems["name"] = str(exc)
    return problems


def create_user(session: Session, *, email: str, name: str, role: Role,
                clearance: Classification, password: str) -> User:
    problems = account_problems(session, email, name)
    if (problem := password_problem(password)) is not None:
        problems["password"] = problem
    if problems:
        raise ValidationFailed(problems)
    user = User(email=normalise_email(email), name=" ".join(name.split()), role=Role(role),
                clearance=Classification(clearance), password_hash=hash_password(password))
    session.add(user)
    session.flush()
    return user


def set_password(session: Session, user: User, password: str) -> None:
    if (problem := password_problem(password)) is not None:
        raise ValidationFailed({"password": problem})
    user.password_hash = hash_password(password)
    end_all_sessions(session, user)
    session.flush()


def user_by_email(session: Session, email: str) -> User:
    user = session.exec(select(User).where(User.email == normalise_email(email))).first()
    if user is None:
        raise NotFound("Account")
    return user


def deactivate(session: Session, user: User) -> None:
    user.active = False
    end_all_sessions(session, user)
    session.flush()


def list_users(session: Session) -> list[User]:
    return list(session.exec(select(User).order_by(User.active.desc(), User.name, User.id)))


# --- sign-in and throttling ------------------------------------------------------------------

def throttle_wait(session: Session, settings: Settings, email: str, address: str) -> int:
    """Minutes to wait before this try may go on, or 0. Counts the recorded attempts per e-mail
    and per address, the current one included (see authenticate)."""
    since = utcnow() - timedelta(minutes=settings.login_window_minutes)
    recent = select(sa.func.count(), sa.func.min(LoginAttempt.at)).where(LoginAttempt.at >= since)
    for condition, limit in (
        (LoginAttempt.email == normalise_email(email), settings.login_failures_per_account),
        (LoginAttempt.address == address, settings.login_failures_per_address),
    ):
        count, oldest = session.exec(recent.where(condition)).one()
        if count > limit:
            remaining = oldest + timedelta(minutes=settings.login_window_minutes) - utcnow()
            return max(1, int(remaining.total_seconds() // 60) + 1)
    return 0


def authenticate(session: Session, settings: Settings, email: str, password: str,
                 address: str) -> User:
    """The user, or SignInRefused with the same message for every kind of failure.

    The attempt is recorded and committed before the password is checked, so requests racing
    each other all count: at most the allowed number get as far as a password check.
    """
    email = normalise_email(email)[:254]
    session.add(LoginAttempt(email=email, address=address[:64]))
    _forget_old_attempts(session, settings)
    session.commit()
    wait = throttle_wait(session, settings, email, address)
    if wait:
        raise SignInRefused(
            f"Too many failed sign-ins. Wait {wait} minute{'s' if wait != 1 else ''} and try again."
        )
    user = session.exec(select(User).where(User.email == email)).first()
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password or "")
        ok = user is not None and user.active
    except (VerificationError, InvalidHashError):
        ok = False
    if not ok:
        raise SignInRefused(SIGN_IN_REFUSED)
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    # A bookkeeping write: not a change to the account (no new version, no audit event).
    session.exec(sa.update(User).where(User.id == user.id).values(last_sign_in_at=utcnow()))
    session.exec(sa.delete(LoginAttempt).where(LoginAttempt.email == email))
    return user


def password_matches(user: User, password: str) -> bool:
    """Check a signed-in person's current password (no sign-in bookkeeping)."""
    try:
        return _hasher.verify(user.password_hash, password or "")
    except (VerificationError, InvalidHashError):
        return False


def unlock(session: Session, email: str) -> int:
    """Forget the failed sign-ins for an e-mail address; returns how many there were."""
    result = session.exec(sa.delete(LoginAttempt).where(LoginAttempt.email == normalise_email(email)))
    return result.rowcount


def _forget_old_attempts(session: Session, settings: Settings) -> None:
    cutoff = utcnow() - timedelta(minutes=settings.login_window_minutes * 4)
    session.exec(sa.delete(LoginAttempt).where(LoginAttempt.at < cutoff))


# --- sessions -------------------------------------------------------------------------------

def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class SignedInUser:
    """A copy of the account's facts, usable after the database session has closed (e.g. when
    an error page is rendered)."""

    id: int
    email: str
    name: str
    role: Role
    clearance: Classification


@dataclass(frozen=True)
class Viewer:
    """The signed-in person on this request."""

    user: SignedInUser
    csrf_token: str

    @property
    def can_edit(self) -> bool:
        return self.user.role.can_edit

    @property
    def is_admin(self) -> bool:
        return self.user.role == Role.ADMIN


def start_session(session: Session, user: User, address: str, user_agent: str) -> str:
    """A new session for `user`; returns the token for the cookie (stored only as a hash)."""
    token = secrets.token_urlsafe(32)
    session.add(UserSession(
        token_hash=_token_hash(token), user_id=user.id, csrf_token=secrets.token_urlsafe(32),
        address=address[:64], user_agent=user_agent[:300],
    ))
    session.flush()
    return token


def resolve_session(session: Session, settings: Settings, token: str | None) -> Viewer | None:
    """The live session for a cookie token, or None if it is unknown, ended, idle or too old."""
    if not token or len(token) > 100:
        return None
    row = session.exec(
        select(UserSession, User)
        .join(User, User.id == UserSession.user_id)
        .where(UserSession.token_hash == _token_hash(token), UserSession.ended_at.is_(None))
    ).first()
    if row is None:
        return None
    user_session, user = row
    now = utcnow()
    expired = (
        not user.active
        or now - user_session.last_seen_at > timedelta(minutes=settings.session_idle_minutes)
        or now - user_session.created_at > timedelta(hours=settings.session_max_hours)
    )
    if expired:
        user_session.ended_at = now
        return None
    if now - user_session.last_seen_at > timedelta(minutes=1):
        user_session.last_seen_at = now  # at most one write a minute per session
    return Viewer(
        user=SignedInUser(id=user.id, email=user.email, name=user.name, role=user.role,
                          clearance=user.clearance),
        csrf_token=user_session.csrf_token,
    )


def end_session(session: Session, token: str | None) -> None:
    if token:
        session.exec(
            sa.update(UserSession)
            .where(UserSession.token_hash == _token_hash(token), UserSession.ended_at.is_(None))
            .values(ended_at=utcnow())
        )


def end_all_sessions(session: Session, user: User) -> None:
    session.exec(
        sa.update(UserSession)
        .where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )
