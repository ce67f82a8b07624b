"""All tables and the enumerations they use. The schema changes only through Alembic migrations."""

from app.models.accounts import LoginAttempt, Role, User, UserSession
from app.models.audit import AuditAction, AuditEvent
from app.models.base import Classification, Classified, classified_models, utcnow
from app.models.register import (
    AssistanceKind, FundingKind, FundingLine, Instrument, Programme, ProgrammeKind,
    ProgrammeNote, ProgrammeStatus, Source, SourceConfidence,
)

__all__ = [
    "AssistanceKind", "AuditAction", "AuditEvent", "Classification", "Classified", "FundingKind",
    "FundingLine", "Instrument", "LoginAttempt", "Programme", "ProgrammeKind", "ProgrammeNote",
    "ProgrammeStatus", "Role", "Source", "SourceConfidence", "User", "UserSession",
    "classified_models", "utcnow",
]
