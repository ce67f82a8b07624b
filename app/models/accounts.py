"""People who use Oversight Desk, their sign-in sessions and failed sign-ins."""

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.models.base import Classification, ClassificationType, UTCDateTime, enum_column, utcnow


class Role(str, enum.Enum):
    ADMIN = "admin"    # accounts and the audit trail, and everything staff do
    STAFF = "staff"    # committee staff: edit everything
    MEMBER = "member"  # an MP: read and download only

    @property
    def label(self) -> str:
        return {"admin": "Administrator", "staff": "Committee staff", "member": "Member (MP)"}[
            self.value
        ]

    @property
    def can_edit(self) -> bool:
        return self in (Role.ADMIN, Role.STAFF)


_user_version = sa.Column("version", sa.Integer, nullable=False, default=1)


class User(SQLModel, table=True):
    __tablename__ = "user_account"
    __mapper_args__ = {"version_id_col": _user_version}

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True)  # stored lower-case
    name: str = Field(max_length=200)
    role: Role = Field(sa_column=sa.Column(enum_column(Role), nullable=False))
    clearance: Classification = Field(
        default=Classification.PUBLIC, sa_column=sa.Column(ClassificationType, nullable=False)
    )
    password_hash: str = Field(max_length=255)
    active: bool = Field(default=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_sign_in_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    version: int = Field(default=1, sa_column=_user_version)


class UserSession(SQLModel, table=True):
    """A signed-in browser. The cookie holds a random token; only its SHA-256 is stored here."""

    __tablename__ = "user_session"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    user_id: int = Field(
        sa_column=sa.Column(sa.Integer, sa.ForeignKey("user_account.id"), nullable=False,
                            index=True)
    )
    csrf_token: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_seen_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    address: str = Field(default="", max_length=64)
    user_agent: str = Field(default="", max_length=300)


class LoginAttempt(SQLModel, table=True):
    """A sign-in attempt, counted per e-mail and per address to slow down guessing. Recorded
    before the password is checked; a successful sign-in removes its e-mail's rows."""

    __tablename__ = "login_attempt"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, index=True)
    address: str = Field(max_length=64, index=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)


class CalendarFeed(SQLModel, table=True):
    """A user's secret calendar address. Only a sha256 of the token is kept; revoking sets
    `revoked_at`, and a new address is a new row."""

    __tablename__ = "calendar_feed"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(
        sa_column=sa.Column(sa.Integer, sa.ForeignKey("user_account.id", ondelete="CASCADE"),
                            nullable=False, index=True)
    )
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ApiToken(SQLModel, table=True):
    """A personal API token: the holder acts as its user, with the user's current role and
    clearance. Only a sha256 of the secret is kept; the secret is shown once, when made.
    Revoking sets `revoked_at`; a revoked token never works again."""

    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(
        sa_column=sa.Column(sa.Integer, sa.ForeignKey("user_account.id", ondelete="CASCADE"),
                            nullable=False, index=True)
    )
    name: str = Field(max_length=100)  # the holder's label: "DIP sync script"
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
