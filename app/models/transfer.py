"""Imports from other systems: which of our records each outside identifier (an IATI activity,
a DIP Drucksache) became, and one row per uploaded import file."""

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.models.base import LabelledEnum, UTCDateTime, enum_column, utcnow


class ImportKind(LabelledEnum):
    CSV = "csv"
    DIP = "dip"
    IATI = "iati"

    @property
    def label(self) -> str:
        return {"csv": "Programmes and funding lines (CSV)",
                "dip": "Bundestag DIP questions and answers (JSON)",
                "iati": "IATI activities (XML 2.03)"}[self.value]


class ExternalId(SQLModel, table=True):
    """An identifier another system gives a record, so importing the same file again finds the
    record instead of making a second one. One record per identifier and source."""

    __tablename__ = "external_id"
    __table_args__ = (
        sa.UniqueConstraint("source", "external_id", name="uq_external_id_source_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # "iati" (iati-identifier), "dip" (a Drucksache's id), "dip-vorgang" (a Vorgang's id).
    source: str = Field(max_length=20)
    external_id: str = Field(max_length=200)
    record_type: str = Field(max_length=40)  # the audit trail's name: "programme", "inquiry"...
    record_id: int = Field(index=True)


class ImportRun(SQLModel, table=True):
    """One uploaded file: previewed, then perhaps imported. The file is kept under
    DATA_DIR/imports/`stored_name` until it is imported, so any worker can import it."""

    __tablename__ = "import_run"

    id: int | None = Field(default=None, primary_key=True)
    kind: ImportKind = Field(sa_column=sa.Column(enum_column(ImportKind), nullable=False))
    filename: str = Field(max_length=255)
    stored_name: str = Field(default="", max_length=64)
    size_bytes: int = 0
    sha256: str = Field(max_length=64)
    user_id: int | None = Field(
        default=None,
        sa_column=sa.Column(sa.Integer, sa.ForeignKey("user_account.id", ondelete="SET NULL"),
                            nullable=True, index=True),
    )
    user_name: str = Field(default="", max_length=200)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # Set once the plan was applied; the counts are then what was applied.
    imported_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: int = 0
