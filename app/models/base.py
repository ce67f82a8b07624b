"""What every table shares: constraint names, timestamps, enum columns and classification."""

import enum
from functools import cache
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

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


def enum_column(enum_cls: type[enum.Enum], **kwargs) -> sa.Enum:
    """Store an enum by value as a plain string column (portable between SQLite and PostgreSQL)."""
    return sa.Enum(
        enum_cls,
        native_enum=False,
        length=32,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
        **kwargs,
    )


class LabelledEnum(str, enum.Enum):
    """An enumeration stored by value whose label is the value in words: "no_concern" is shown
    as "No concern". Enums whose labels are other words say so in their own `label`."""

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class UTCDateTime(sa.TypeDecorator):
    """A timestamp that always comes back timezone-aware in UTC (SQLite forgets the zone)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given for a UTC column")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class Classification(enum.IntEnum):
    """How sensitive content is. A reader sees content at or below their clearance."""

    PUBLIC = 0
    RESTRICTED = 1
    CONFIDENTIAL = 2

    @property
    def label(self) -> str:
        return self.name.capitalize()

    @property
    def marking(self) -> str:
        return self.name

    @classmethod
    def parse(cls, value: object) -> "Classification":
        if isinstance(value, cls):
            return value
        try:
            return cls[str(value).strip().upper()]
        except KeyError:
            raise ValueError(f"unknown classification {value!r}") from None


class ClassificationType(sa.TypeDecorator):
    """Stored as a small integer, so "at or below" is `<=` and the highest is MAX()."""

    impl = sa.SmallInteger
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else int(Classification(value))

    def process_result_value(self, value, dialect):
        return None if value is None else Classification(value)


class Classified(SQLModel):
    """Inherit from this (as well as `table=True`) and a table's rows are filtered by the
    reader's clearance in every query (app.clearance), with no further code."""

    classification: Classification = Field(
        default=Classification.PUBLIC, sa_type=ClassificationType, index=True
    )


@cache
def classified_models() -> tuple[type[Classified], ...]:
    """Every table class that carries a classification (asked on every query, so cached; all
    models are imported with app.models before the first query)."""
    found, queue = [], list(Classified.__subclasses__())
    while queue:
        cls = queue.pop()
        queue.extend(cls.__subclasses__())
        if getattr(cls, "__table__", None) is not None:
            found.append(cls)
    return tuple(found)
