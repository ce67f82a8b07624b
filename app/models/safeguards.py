"""The safeguards scorecard: criteria (data a committee can adapt), and each programme's rating
of each criterion with a rationale and the evidence behind it."""

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, Relationship, SQLModel

from app.models.base import Classified, LabelledEnum, UTCDateTime, enum_column, utcnow
from app.models.inquiries import AnswerItem
from app.models.register import Source


class Rating(LabelledEnum):
    NO_CONCERN = "no_concern"
    SOME_CONCERN = "some_concern"
    SERIOUS_CONCERN = "serious_concern"
    NO_EVIDENCE = "no_evidence"


class SafeguardCriterion(SQLModel, table=True):
    """One oversight criterion (do no harm, vetting of units, end-use monitoring, ...)."""

    __tablename__ = "safeguard_criterion"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=10, unique=True)
    title: str = Field(max_length=200)
    anchor: str = Field(default="", sa_type=sa.Text)
    check_questions: str = Field(default="", sa_type=sa.Text)
    position: int = Field(default=0)


_rating_version = sa.Column("version", sa.Integer, nullable=False, default=1)


class SafeguardRating(Classified, table=True):
    """A programme's rating on one criterion. A criterion without a rating has no evidence."""

    __tablename__ = "safeguard_rating"
    __mapper_args__ = {"version_id_col": _rating_version}
    __table_args__ = (
        sa.UniqueConstraint("programme_id", "criterion_id", name="uq_safeguard_rating_criterion"),
    )

    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(
        sa_column=sa.Column(sa.Integer, sa.ForeignKey("programme.id", ondelete="CASCADE"),
                            nullable=False, index=True)
    )
    criterion_id: int = Field(
        sa_column=sa.Column(sa.Integer, sa.ForeignKey("safeguard_criterion.id",
                                                      ondelete="RESTRICT"),
                            nullable=False, index=True)
    )
    rating: Rating = Field(sa_column=sa.Column(enum_column(Rating), nullable=False, index=True))
    rationale: str = Field(default="", sa_type=sa.Text)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    version: int = Field(default=1, sa_column=_rating_version)

    criterion: SafeguardCriterion = Relationship(sa_relationship_kwargs={"lazy": "raise"})
    evidence: list["SafeguardEvidence"] = Relationship(
        sa_relationship_kwargs={
            "lazy": "raise", "cascade": "all, delete-orphan", "passive_deletes": True,
            "order_by": "SafeguardEvidence.id",
        }
    )


class SafeguardEvidence(Classified, table=True):
    """What supports a rating: an assessed answer item or a programme source. Marked at least as
    high as what it points to, so a link never shows above its target's clearance."""

    __tablename__ = "safeguard_evidence"
    __table_args__ = (
        sa.CheckConstraint(
            "(answer_item_id IS NULL) != (source_id IS NULL)", name="one_target"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    rating_id: int = Field(
        sa_column=sa.Column(sa.Integer, sa.ForeignKey("safeguard_rating.id", ondelete="CASCADE"),
                            nullable=False, index=True)
    )
    answer_item_id: int | None = Field(
        default=None,
        sa_column=sa.Column(sa.Integer, sa.ForeignKey("answer_item.id", ondelete="CASCADE"),
                            nullable=True, index=True),
    )
    source_id: int | None = Field(
        default=None,
        sa_column=sa.Column(sa.Integer, sa.ForeignKey("source.id", ondelete="CASCADE"),
                            nullable=True, index=True),
    )
    note: str = Field(default="", max_length=1000)

    # Never loaded: declared so that a flush deleting a target together with the evidence citing
    # it (app.audit.recorder) deletes the evidence first, not after the database already has.
    answer_item: AnswerItem | None = Relationship(sa_relationship_kwargs={"lazy": "raise"})
    source: Source | None = Relationship(sa_relationship_kwargs={"lazy": "raise"})
