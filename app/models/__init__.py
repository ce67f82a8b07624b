"""All tables and the enumerations they use. The schema changes only through Alembic migrations."""

from app.models.accounts import ApiToken, CalendarFeed, LoginAttempt, Role, User, UserSession
from app.models.audit import AuditAction, AuditEvent, RegisterVersion
from app.models.base import Classification, Classified, classified_models, utcnow
from app.models.hearings import AgendaItem, Hearing
from app.models.inquiries import (
    Answer, AnswerItem, Assessment, Attachment, DayCount, DeadlineExtension, Inquiry,
    InquiryItem, InquiryMinistry, InquiryProgramme, InquiryType, Ministry, RefusalReason,
)
from app.models.register import (
    AssistanceKind, FundingKind, FundingLine, Instrument, Programme, ProgrammeKind,
    ProgrammeNote, ProgrammeStatus, Source, SourceConfidence,
)
from app.models.reports import Document, DocumentKind, JobState, RenderJob
from app.models.safeguards import Rating, SafeguardCriterion, SafeguardEvidence, SafeguardRating
from app.models.search import SearchEntry
from app.models.transfer import ExternalId, ImportKind, ImportRun

__all__ = [
    "AgendaItem", "Answer", "ApiToken", "AnswerItem", "Assessment", "AssistanceKind", "Attachment",
    "AuditAction", "AuditEvent", "CalendarFeed", "Classification", "Classified", "DayCount",
    "DeadlineExtension", "Document", "DocumentKind", "ExternalId", "FundingKind", "FundingLine",
    "Hearing", "ImportKind", "ImportRun",
    "Inquiry", "InquiryItem", "InquiryMinistry", "InquiryProgramme", "InquiryType",
    "Instrument", "JobState", "LoginAttempt", "Ministry", "Programme", "ProgrammeKind",
    "ProgrammeNote", "ProgrammeStatus", "Rating", "RefusalReason", "RegisterVersion", "RenderJob",
    "Role",
    "SafeguardCriterion", "SafeguardEvidence", "SafeguardRating", "SearchEntry", "Source",
    "SourceConfidence", "User", "UserSession", "classified_models", "utcnow",
]
