"""Questions put to government and the answers: inquiry types with their deadline rules,
ministries, inquiries with numbered items, answers assessed item by item, attachments."""

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, Relationship, SQLModel

from app.models.base import Classified, LabelledEnum, UTCDateTime, enum_column, utcnow


class DayCount(str, enum.Enum):
    """How a deadline rule counts: calendar days, working days, or no fixed deadline."""

    CALENDAR = "calendar"
    WORKING = "working"
    NONE = "none"

    @property
    def label(self) -> str:
        return {"calendar": "Calendar days", "working": "Working days",
                "none": "No fixed deadline"}[self.value]


class Assessment(LabelledEnum):
    """How good the government's answer to one item is."""

    COMPLETE = "complete"
    PARTIAL = "partial"
    EVASIVE = "evasive"
    REFUSED = "refused"
    NOT_ANSWERED = "not_answered"


class RefusalReason(str, enum.Enum):
    CLASSIFIED = "classified"
    THIRD_PARTY_RIGHTS = "third_party_rights"
    NOT_RESPONSIBLE = "not_responsible"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            "classified": "Classified / state interest",
            "third_party_rights": "Third-party rights",
            "not_responsible": "Not the government's responsibility",
            "other": "Other",
        }[self.value]


class InquiryType(SQLModel, table=True):
    """A kind of question to government and its deadline rule. Rules are data, seeded from the
    Bundestag's rules of procedure, so a committee can adapt them."""

    __tablename__ = "inquiry_type"
    __table_args__ = (
        sa.CheckConstraint("days IS NULL OR (days >= 1 AND days <= 366)", name="days_in_range"),
    )

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=40, unique=True)
    name: str = Field(max_length=100)
    day_count: DayCount = Field(sa_column=sa.Column(enum_column(DayCount), nullable=False))
    days: int | None = None
    # A calendar-day deadline that falls on a weekend or public holiday moves to the next
    # working day (as under § 193 BGB); with False it stays where it falls.
    roll_to_working_day: bool = Field(default=True)
    rule_source: str = Field(default="", max_length=300)
    position: int = Field(default=0)


class Ministry(SQLModel, table=True):
    """A government department questions are addressed to and answers come from."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=20, unique=True)
    name: str = Field(max_length=200)
    position: int = Field(default=0)


_inquiry_version = sa.Column("version", sa.Integer, nullable=False, default=1)


class Inquiry(Classified, table=True):
    """A question put to government: a written question, a minor interpellation, a letter...

    Its status (draft, submitted, due soon, overdue, answered, partially answered, withdrawn)
    is derived from the dates and the answer (app.inquiries.status), never stored."""

    __mapper_args__ = {"version_id_col": _inquiry_version}

    id: int | None = Field(default=None, primary_key=True)
    inquiry_type_id: int = Field(
        sa_column=sa.Column(sa.Integer, sa.ForeignKey("inquiry_type.id", ondelete="RESTRICT"),
                            nullable=False, index=True)
    )
    reference: str = Field(default="", max_length=100, index=True)
    title: str = Field(max_length=300, index=True)
    asked_by: str = Field(default="", max_length=1000)
    faction: str = Field(default="", max_length=100)
    preamble: str = Field(default="", sa_type=sa.Text)
    # None while the inquiry is a draft.
    submitted_on: date | None = Field(default=None, index=True)
    # A deadline the committee set, used instead of the type's rule.
    set_due_date: date | None = None
    withdrawn_on: date | None = None
    follow_up_of_id: int | None = Field(
        default=None,
        sa_column=sa.Column(sa.Integer, sa.ForeignKey("inquiry.id", ondelete="SET NULL"),
                            nullable=True, index=True),
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    version: int = Field(default=1, sa_column=_inquiry_version)

    inquiry_type: InquiryType = Relationship(sa_relationship_kwargs={"lazy": "raise"})
    items: list["InquiryItem"] = Relationship(
        sa_relationship_kwargs={
            "lazy": "raise", "cascade": "all, delete-orphan", "passive_deletes": True,
            "order_by": "InquiryItem.number",
        }
    )
    ministries: list["InquiryMinistry"] = Relationship(
        sa_relationship_kwargs={
            "lazy": "raise", "cascade": "all, delete-orphan", "passive_deletes": True,
            "order_by": "(InquiryMinistry.lead.desc(), InquiryMinistry.ministry_id)",
        }
    )
    programme_links: list["InquiryProgramme"] = Relationship(
        sa_relationship_kwargs={
            "lazy": "raise", "cascade": "all, delete-orphan", "passive_deletes": True,
        }
    )
    extensions: list["DeadlineExtension"] = Relationship(
        sa_relationship_kwargs={
            "lazy": "raise", "cascade": "all, delete-orphan", "passive_deletes": True,
            "order_by": "DeadlineExtension.id",
        }
    )
    answer: "Answer" = Relationship(
        sa_relationship_kwargs={"lazy": "raise", "uselist": False, "passive_deletes": True}
    )


class InquiryMinistry(SQLModel, table=True):
    """A ministry an inquiry is addressed to; one of them may be the lead."""

    __tablename__ = "inquiry_ministry"
    __table_args__ = (
        sa.UniqueConstraint("inquiry_id", "ministry_id", name="uq_inquiry_ministry_pair"),
    )

    id: int | None = Field(default=None, primary_key=True)
    inquiry_id: int = Field(
        sa_column=sa.Column(sa.Integer, sa.ForeignKey("inquiry.id", ondelete="CASCADE"),
                            nullable=False, index=True)
    )
    ministry_id: int = Field(
        sa_column=sa.Column(sa.Integer, sa.ForeignKey("ministry.id", ondelete="RESTRICT"),
                            nullable=False, index=True)
    )
    lead: bool = Field(default=False)

    ministry: Ministry = Relationship(sa_relationship_kwargs={"lazy": "raise"})


class InquiryProgramme(SQLModel, table=True):
    """A programme an inquiry is about. The programme's own clearance hides the link."""

    __tablename__ = "inquiry_programme"
    __table_args__ = (
        sa.UniqueConstraint("inquiry_id", "programme_id", name="uq_inquiry_programme_pair"),
    )

    id: int | None = Field(default=None, primary_key=True)
    inquiry_id: int = Field(
        sa_column=sa.Column(sa.Integer, sa.ForeignKey("inquiry.id", ondelete="CASCADE"),
                            nullable=False, index=True)
    )
    programme_id: int = Field(
        sa_column=sa.Column(sa.Integer, sa.ForeignKey("programme.id", ondelete="CASCADE"),
                            nullable=False, index=True)
    )


class InquiryItem(Classified, table=True):
    """One numbered sub-question of an inquiry."""

    __tablename__ = "inquiry_item"
    __table_args__ = (
        sa.UniqueConstraint("inquiry_id", "number", name="uq_inquiry_item_number"),
        sa.CheckConstraint("number >= 1", name="number_positive"),
    )

    id: int | None = Field(default=None, primary_key=True)
    inquiry_id: int = Field(
        sa_column=sa.Column(sa.Integer, sa.ForeignKey("inquiry.id", ondelete="CASCADE"),
                            nullable=False, index=True)
    )
    number: int
    text: str = Field(sa_type=sa.Text)


class DeadlineExtension(SQLModel, table=True):
    """A later due date agreed for an inquiry, with the reason. Never earlier than before."""

    __tablename__ = "deadline_extension"

    id: int | None = Field(default=None, primary_key=True)
    inquiry_id: int = Field(
        sa_column=sa.Column(sa.Integer, sa.ForeignKey("inquiry.id", ondelete="CASCADE"),
                            nullable=False, index=True)
    )
    new_due_date: date
    reason: str = Field(max_length=1000)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


_answer_version = sa.Column("version", sa.Integer, nullable=False, default=1)


class Answer(Classified, table=True):
    """The government's answer to an inquiry (one per inquiry), assessed item by item."""

    __mapper_args__ = {"version_id_col": _answer_version}

    id: int | None = Field(default=None, primary_key=True)
    inquiry_id: int = Field(
        sa_column=sa.Column(sa.Integer, sa.ForeignKey("inquiry.id", ondelete="CASCADE"),
                            nullable=False, unique=True)
    )
    received_on: date = Field(index=True)
    reference: str = Field(default="", max_length=100)
    ministry_id: int | None = Field(
        default=None,
        sa_column=sa.Column(sa.Integer, sa.ForeignKey("ministry.id", ondelete="RESTRICT"),
                            nullable=True, index=True),
    )
    # Part of the answer was given in a classified annex (held by the Bundestag's secret
    # registry, or uploaded here with its own marking).
    has_classified_annex: bool = Field(default=False)
    notes: str = Field(default="", sa_type=sa.Text)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    version: int = Field(default=1, sa_column=_answer_version)

    ministry: Ministry | None = Relationship(sa_relationship_kwargs={"lazy": "raise"})
    items: list["AnswerItem"] = Relationship(
        sa_relationship_kwargs={
            "lazy": "raise", "cascade": "all, delete-orphan", "passive_deletes": True,
        }
    )
    attachments: list["Attachment"] = Relationship(
        sa_relationship_kwargs={
            "lazy": "raise", "cascade": "all, delete-orphan", "passive_deletes": True,
            "order_by": "Attachment.id",
        }
    )


class AnswerItem(Classified, table=True):
    """The answer to one numbered item, and the committee's assessment of it."""

    __tablename__ = "answer_item"
    __table_args__ = (
        sa.UniqueConstraint("answer_id", "item_id", name="uq_answer_item_item"),
        sa.CheckConstraint(
            "refusal_reason IS NULL OR assessment = 'refused'", name="reason_only_if_refused"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    answer_id: int = Field(
        sa_column=sa.Column(sa.Integer, sa.ForeignKey("answer.id", ondelete="CASCADE"),
                            nullable=False, index=True)
    )
    item_id: int = Field(
        sa_column=sa.Column(sa.Integer, sa.ForeignKey("inquiry_item.id", ondelete="CASCADE"),
                            nullable=False, index=True)
    )
    text: str = Field(default="", sa_type=sa.Text)
    # None: not assessed yet.
    assessment: Assessment | None = Field(
        default=None, sa_column=sa.Column(enum_column(Assessment), nullable=True, index=True)
    )
    refusal_reason: RefusalReason | None = Field(
        default=None, sa_column=sa.Column(enum_column(RefusalReason), nullable=True)
    )
    assessment_note: str = Field(default="", max_length=2000)
    follow_up: bool = Field(default=False)


class Attachment(Classified, table=True):
    """A file of the answer (the government's PDF, a classified annex). The bytes live in
    DATA_DIR/attachments under `stored_name`, outside the static files."""

    id: int | None = Field(default=None, primary_key=True)
    answer_id: int = Field(
        sa_column=sa.Column(sa.Integer, sa.ForeignKey("answer.id", ondelete="CASCADE"),
                            nullable=False, index=True)
    )
    filename: str = Field(max_length=255)
    stored_name: str = Field(max_length=64, unique=True)
    size_bytes: int
    sha256: str = Field(max_length=64)
    page_count: int
    # Extracted with pypdf, for search.
    text: str = Field(default="", sa_type=sa.Text)
    is_annex: bool = Field(default=False)
    uploaded_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
