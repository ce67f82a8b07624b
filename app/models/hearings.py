"""Committee hearings and their agendas: the programmes to be discussed, in order."""

from datetime import date, datetime, time

import sqlalchemy as sa
from sqlmodel import Field, Relationship, SQLModel

from app.models.base import Classified, UTCDateTime, utcnow

_hearing_version = sa.Column("version", sa.Integer, nullable=False, default=1)


class Hearing(Classified, table=True):
    """A committee session on security assistance; the dossier is built from its agenda."""

    __mapper_args__ = {"version_id_col": _hearing_version}

    id: int | None = Field(default=None, primary_key=True)
    committee: str = Field(max_length=200)
    held_on: date = Field(index=True)
    starts_at: time | None = None
    title: str = Field(max_length=300)
    location: str = Field(default="", max_length=200)
    notes: str = Field(default="", sa_type=sa.Text)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    version: int = Field(default=1, sa_column=_hearing_version)

    agenda: list["AgendaItem"] = Relationship(
        sa_relationship_kwargs={
            "lazy": "raise", "cascade": "all, delete-orphan", "passive_deletes": True,
            "order_by": "AgendaItem.position",
        }
    )


class AgendaItem(SQLModel, table=True):
    """A programme on a hearing's agenda. A programme above the reader's clearance hides it."""

    __tablename__ = "agenda_item"
    __table_args__ = (
        sa.UniqueConstraint("hearing_id", "programme_id", name="uq_agenda_item_programme"),
    )

    id: int | None = Field(default=None, primary_key=True)
    hearing_id: int = Field(
        sa_column=sa.Column(sa.Integer, sa.ForeignKey("hearing.id", ondelete="CASCADE"),
                            nullable=False, index=True)
    )
    programme_id: int = Field(
        sa_column=sa.Column(sa.Integer, sa.ForeignKey("programme.id", ondelete="CASCADE"),
                            nullable=False, index=True)
    )
    position: int = Field(default=0)
    note: str = Field(default="", max_length=1000)
