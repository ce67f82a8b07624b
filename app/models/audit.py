"""The audit trail: one append-only row per create, update or delete of a record."""

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.models.base import Classified, UTCDateTime, enum_column, utcnow


class AuditAction(str, enum.Enum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"

    @property
    def label(self) -> str:
        return {"create": "Created", "update": "Changed", "delete": "Deleted"}[self.value]


class AuditEvent(Classified, table=True):
    """Who changed which record when, field by field. Classified like the record it describes,
    so a history never shows a reader what the record itself would not.

    The database refuses UPDATE and DELETE on this table (triggers in the migration)."""

    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    # No foreign key: the trail outlives what it describes, and user ids are never reused.
    user_id: int | None = Field(default=None, index=True)
    actor: str = Field(max_length=200)  # the person's name, or e.g. "command line"
    action: AuditAction = Field(sa_column=sa.Column(enum_column(AuditAction), nullable=False))
    record_type: str = Field(max_length=40)
    record_id: int
    record_label: str = Field(default="", max_length=200)
    record_version: int | None = None
    # The record this one belongs to (a funding line's programme), for its history panel.
    parent_type: str | None = Field(default=None, max_length=40)
    parent_id: int | None = None
    changes: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)

    __table_args__ = (
        sa.Index("ix_audit_event_record", "record_type", "record_id"),
        sa.Index("ix_audit_event_parent", "parent_type", "parent_id"),
    )


class RegisterVersion(SQLModel, table=True):
    """One row counting the transactions that changed the register: it goes up, in the same
    transaction, with every commit that writes audit events, so it changes exactly when the
    register does and is seen to change only when that commit is visible (unlike the newest
    audit event's id: ids are handed out before their transactions commit, in any order).
    Figures derived from the whole register are kept while it is unchanged (app.derived)."""

    __tablename__ = "register_version"

    id: int = Field(primary_key=True)
    version: int = Field(default=0, sa_type=sa.BigInteger)
