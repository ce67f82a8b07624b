"""The schema comes only from Alembic, goes both ways, and matches the models."""

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import app.models  # noqa: F401  (every table in SQLModel.metadata)
from app.cli import alembic_config
from app.db import make_engine
from app.search.backends import is_engine_table
from tests.conftest import sqlite_url, url_of

# Every table of every model: each migration's upgrade and downgrade is exercised.
TABLES = set(SQLModel.metadata.tables)


def table_names(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        names = set(sa.inspect(engine).get_table_names()) - {"alembic_version"}
        return {name for name in names if not is_engine_table(name)}
    finally:
        engine.dispose()


def is_engine_part(name: str, kind: str) -> bool:
    """What a full-text engine adds beside the models (migration 0005): SQLite's FTS5 tables,
    PostgreSQL's generated tsvector column on search_entry and its GIN index."""
    return ((kind == "table" and is_engine_table(name))
            or (kind, name) in {("column", "document"), ("index", "ix_search_entry_document")})


@pytest.mark.sqlite_only  # tests/test_postgres.py does the same on PostgreSQL
def test_upgrade_to_head_then_downgrade_to_base_and_back(tmp_path):
    url = sqlite_url(tmp_path / "m.db")
    config = alembic_config(url)
    command.upgrade(config, "head")
    assert table_names(url) == TABLES
    command.downgrade(config, "base")
    assert table_names(url) == set()
    command.upgrade(config, "head")
    assert table_names(url) == TABLES


def test_models_match_the_migrations(empty_db):
    engine = make_engine(url_of(empty_db))
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={
            "compare_type": True,
            "include_name": lambda name, kind, _: not is_engine_part(name, kind),
        })
        differences = compare_metadata(context, SQLModel.metadata)
    engine.dispose()
    assert differences == []


def test_instruments_are_seeded_by_the_migration(empty_db):
    engine = make_engine(url_of(empty_db))
    with engine.connect() as connection:
        codes = connection.execute(sa.text("SELECT code FROM instrument ORDER BY position")).scalars().all()
    engine.dispose()
    assert codes == ["EPF", "E2I", "US_333", "FMF", "IMET", "UK_CSSF", "OTHER"]


@pytest.mark.sqlite_only
def test_sqlite_connections_use_wal_foreign_keys_and_busy_timeout(migrated_db_file):
    engine = make_engine(sqlite_url(migrated_db_file))
    with engine.connect() as connection:
        assert connection.execute(sa.text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(sa.text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(sa.text("PRAGMA busy_timeout")).scalar() >= 1000
    engine.dispose()


def test_foreign_keys_are_enforced(empty_db):
    engine = make_engine(url_of(empty_db))
    with engine.connect() as connection:
        try:
            connection.execute(sa.text(
                "INSERT INTO funding_line (programme_id, year, kind, amount_cents, currency, note)"
                " VALUES (999, 2024, 'commitment', 1, 'EUR', '')"))
        except sa.exc.IntegrityError:
            refused = True
        else:
            refused = False
        connection.rollback()
    engine.dispose()
    assert refused
