"""The app on a real PostgreSQL server: migrations, both ways, and pages over HTTP."""

import sqlalchemy as sa
from alembic import command

from app.cli import alembic_config
from app.db import make_engine


def test_migrations_run_down_and_up_again_on_postgresql(postgres_server):
    url = postgres_server.url(postgres_server.migrated_database())
    command.downgrade(alembic_config(url), "base")
    command.upgrade(alembic_config(url), "head")
    engine = make_engine(url)
    with engine.connect() as connection:
        tables = set(sa.inspect(connection).get_table_names())
    engine.dispose()
    assert {"programme", "inquiry", "answer_item", "audit_event", "document"} <= tables


def test_signed_in_staff_read_pages_served_from_postgresql(pg_server, client_for):
    staff = client_for(pg_server, "staff")
    for page in ("/", "/programmes", "/inquiries", "/hearings"):
        response = staff.get(page)
        assert response.status_code == 200, (page, response.text[:300])
    created = staff.post("/programmes", data={})
    assert created.status_code == 422
