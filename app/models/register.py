"""The programme register: instruments, programmes, their kinds, funding lines, sources, notes."""

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, Relationship, SQLModel

from app.models.base import Classified, LabelledEnum, UTCDateTime, enum_column, utcnow


class ProgrammeStatus(LabelledEnum):
    PLANNED = "planned"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    COMPLETED = "completed"


class AssistanceKind(str, enum.Enum):
    TRAINING = "training"
    NON_LETHAL_EQUIPMENT = "non_lethal_equipment"
    LETHAL_EQUIPMENT = "lethal_equipment"
    INFRASTRUCTURE = "infrastructure"
    ADVISORY = "advisory"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").replace("non lethal", "non-lethal").capitalize()


class FundingKind(LabelledEnum):
    COMMITMENT = "commitment"
    DISBURSEMENT = "disbursement"


class SourceConfidence(LabelledEnum):
    VERIFIED = "verified"
    UNVERIFIED = "unverified"


class Instrument(SQLModel, table=True):
    """A funding vehicle: EPF, E2I, US Section 333, FMF, IMET, UK CSSF, other."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=20, unique=True)
    name: str = Field(max_length=200)
    donor: str = Field(max_length=100)
    responsible_bodies: str = Field(default="", sa_type=sa.Text)
    description: str = Field(default="", sa_type=sa.Text)
    position: int = Field(default=0)


_programme_version = sa.Column("version", sa.Integer, nullable=False, default=1)


class Programme(Classified, table=True):
    """An assistance measure under oversight. A classified programme is hidden whole."""

    __mapper_args__ = {"version_id_col": _programme_version}

    id: int | None = Field(default=None, primary_key=True)
    reference_code: str = Field(max_length=40, unique=True)
    title: str = Field(max_length=200, index=True)
    instrument_id: int = Field(
        sa_column=sa.Column(
            sa.Integer, sa.ForeignKey("instrument.id", ondelete="RESTRICT"), nullable=False,
            index=True,
        )
    )
    recipient_country: str = Field(max_length=2, index=True)
    recipient_units: str = Field(default="", sa_type=sa.Text)
    legal_basis: str = Field(default="", max_length=300)
    implementing_bodies: str = Field(default="", sa_type=sa.Text)
    start_date: date | None = Field(default=None, index=True)
    end_date: date | None = None
    status: ProgrammeStatus = Field(
        sa_column=sa.Column(enum_column(ProgrammeStatus), nullable=False, index=True)
    )
    summary: str = Field(default="", sa_type=sa.Text)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # Raised by every save (optimistic locking): an edit form opened on an older version is refused.
    version: int = Field(default=1, sa_column=_programme_version)

    instrument: Instrument = Relationship(sa_relationship_kwargs={"lazy": "raise"})
    kinds: list["ProgrammeKind"] = Relationship(
        sa_relationship_kwargs={
            "lazy": "raise", "cascade": "all, delete-orphan", "passive_deletes": True,
            "order_by": "ProgrammeKind.kind",
        }
    )
    funding_lines: list["FundingLine"] = Relationship(
        sa_relationship_kwargs={
            "lazy": "raise", "cascade": "all, delete-orphan", "passive_deletes": True,
            "order_by": "(FundingLine.year, FundingLine.kind, FundingLine.id)",
        }
    )
    sources: list["Source"] = Relationship(
        sa_relationship_kwargs={
            "lazy": "raise", "cascade": "all, delete-orphan", "passive_deletes": True,
            "order_by": "(Source.position, Source.id)",
        }
    )
    notes: list["ProgrammeNote"] = Relationship(
        sa_relationship_kwargs={
            "lazy": "raise", "cascade": "all, delete-orphan", "passive_deletes": True,
            "order_by": "ProgrammeNote.id",
        }
    )


class ProgrammeKind(SQLModel, table=True):
    """One kind of assistance a programme provides (a programme usually has one to three)."""

    __tablename__ = "programme_kind"

    programme_id: int = Field(
        sa_column=sa.Column(
            sa.Integer, sa.ForeignKey("programme.id", ondelete="CASCADE"), primary_key=True
        )
    )
    kind: AssistanceKind = Field(
        sa_column=sa.Column(enum_column(AssistanceKind), primary_key=True, index=True)
    )


class FundingLine(Classified, table=True):
    """Money for a programme in one year: a commitment or a disbursement, in one currency."""

    __tablename__ = "funding_line"
    __table_args__ = (sa.CheckConstraint("amount_cents >= 0", name="amount_not_negative"),)

    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(
        sa_column=sa.Column(
            sa.Integer, sa.ForeignKey("programme.id", ondelete="CASCADE"), nullable=False,
            index=True,
        )
    )
    year: int
    kind: FundingKind = Field(sa_column=sa.Column(enum_column(FundingKind), nullable=False))
    # Minor units (cents) so sums are exact on every database.
    amount_cents: int = Field(sa_type=sa.BigInteger)
    currency: str = Field(max_length=3)
    note: str = Field(default="", max_length=500)


class Source(Classified, table=True):
    """A document a programme's facts come from."""

    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(
        sa_column=sa.Column(
            sa.Integer, sa.ForeignKey("programme.id", ondelete="CASCADE"), nullable=False,
            index=True,
        )
    )
    title: str = Field(max_length=300)
    url: str = Field(default="", max_length=2000)
    confidence: SourceConfidence = Field(
        sa_column=sa.Column(enum_column(SourceConfidence), nullable=False)
    )
    note: str = Field(default="", max_length=1000)
    position: int = Field(default=0)


_note_version = sa.Column("version", sa.Integer, nullable=False, default=1)


class ProgrammeNote(Classified, table=True):
    """A committee assessment or working note on a programme; often restricted."""

    __tablename__ = "programme_note"
    __mapper_args__ = {"version_id_col": _note_version}

    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(
        sa_column=sa.Column(
            sa.Integer, sa.ForeignKey("programme.id", ondelete="CASCADE"), nullable=False,
            index=True,
        )
    )
    title: str = Field(max_length=200)
    body: str = Field(default="", sa_type=sa.Text)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    version: int = Field(default=1, sa_column=_note_version)
