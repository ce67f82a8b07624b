"""All tables and the enumerations they use. The schema changes only through Alembic migrations."""

import enum
from datetime import UTC, date, datetime

import sqlalchemy as sa
from sqlmodel import Field, Relationship, SQLModel


# Named constraints, so migrations can alter them on SQLite (batch mode) and PostgreSQL alike.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


def _enum_column(enum_cls: type[enum.Enum], **kwargs) -> sa.Enum:
    """Store an enum by value as a plain string column (portable between SQLite and PostgreSQL)."""
    return sa.Enum(
        enum_cls,
        native_enum=False,
        length=32,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
        **kwargs,
    )


class ProgrammeStatus(str, enum.Enum):
    PLANNED = "planned"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    COMPLETED = "completed"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class AssistanceKind(str, enum.Enum):
    TRAINING = "training"
    NON_LETHAL_EQUIPMENT = "non_lethal_equipment"
    LETHAL_EQUIPMENT = "lethal_equipment"
    INFRASTRUCTURE = "infrastructure"
    ADVISORY = "advisory"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").replace("non lethal", "non-lethal").capitalize()


class FundingKind(str, enum.Enum):
    COMMITMENT = "commitment"
    DISBURSEMENT = "disbursement"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class SourceConfidence(str, enum.Enum):
    VERIFIED = "verified"
    UNVERIFIED = "unverified"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class Instrument(SQLModel, table=True):
    """A funding vehicle: EPF, E2I, US Section 333, FMF, IMET, UK CSSF, other."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=20, unique=True)
    name: str = Field(max_length=200)
    donor: str = Field(max_length=100)
    responsible_bodies: str = Field(default="", sa_type=sa.Text)
    description: str = Field(default="", sa_type=sa.Text)
    position: int = Field(default=0)


class Programme(SQLModel, table=True):
    """An assistance measure under oversight."""

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
        sa_column=sa.Column(_enum_column(ProgrammeStatus), nullable=False, index=True)
    )
    summary: str = Field(default="", sa_type=sa.Text)
    created_at: datetime = Field(default_factory=utcnow, sa_type=sa.DateTime(timezone=True))
    updated_at: datetime = Field(default_factory=utcnow, sa_type=sa.DateTime(timezone=True))

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


class ProgrammeKind(SQLModel, table=True):
    """One kind of assistance a programme provides (a programme usually has one to three)."""

    __tablename__ = "programme_kind"

    programme_id: int = Field(
        sa_column=sa.Column(
            sa.Integer, sa.ForeignKey("programme.id", ondelete="CASCADE"), primary_key=True
        )
    )
    kind: AssistanceKind = Field(
        sa_column=sa.Column(_enum_column(AssistanceKind), primary_key=True, index=True)
    )


class FundingLine(SQLModel, table=True):
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
    kind: FundingKind = Field(sa_column=sa.Column(_enum_column(FundingKind), nullable=False))
    # Minor units (cents) so sums are exact on every database.
    amount_cents: int = Field(sa_type=sa.BigInteger)
    currency: str = Field(max_length=3)
    note: str = Field(default="", max_length=500)


class Source(SQLModel, table=True):
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
        sa_column=sa.Column(_enum_column(SourceConfidence), nullable=False)
    )
    note: str = Field(default="", max_length=1000)
    position: int = Field(default=0)
