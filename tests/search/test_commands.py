"""`oversight search reindex` and `oversight benchmark search`, as real processes."""

import pytest
import sqlalchemy as sa

from app.db import make_engine
from tests.test_cli import run


@pytest.mark.sqlite_only  # reads SQLite's FTS5 table itself
def test_reindex_rebuilds_the_index_from_the_records(data_dir, empty_db):
    assert run("demo", "load", data_dir=data_dir).returncode == 0
    engine = make_engine(f"sqlite:///{empty_db}")
    with engine.begin() as connection:  # as after a restore that lost the index
        connection.execute(sa.text("DELETE FROM search_entry"))
    engine.dispose()
    with_index = run("search", "reindex", data_dir=data_dir)
    assert with_index.returncode == 0, with_index.stderr
    assert "programme" in with_index.stdout and "Indexed" in with_index.stdout
    engine = make_engine(f"sqlite:///{empty_db}")
    with engine.connect() as connection:
        inquiries = connection.execute(sa.text(
            "SELECT count(*) FROM search_entry WHERE kind = 'inquiry'")).scalar()
        stored = connection.execute(sa.text("SELECT count(*) FROM inquiry")).scalar()
        found = connection.execute(sa.text(
            "SELECT count(*) FROM search_fts WHERE search_fts MATCH 'mali'")).scalar()
    engine.dispose()
    assert inquiries == stored > 0 and found > 0


def test_the_search_benchmark_prints_its_figures(tmp_path):
    result = run("benchmark", "search", "--inquiries", "200", "--items", "2", "--repeats", "2",
                 data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    for line in ("Index build:", "Database size:", "Endverbleibskontrolle Mali", "ALL QUERIES"):
        assert line in result.stdout
