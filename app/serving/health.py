"""Health checks for load balancers and process supervisors: public, and telling no secrets.

/health/live: the process answers. /health: it can serve, i.e. the database answers and its
schema is the one this code expects (Alembic's head), so a worker on an unmigrated database is
taken out of the pool rather than failing requests.
"""

import logging
from functools import cache
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

MIGRATIONS = Path(__file__).resolve().parent.parent.parent / "migrations"

log = logging.getLogger("oversight.health")
router = APIRouter()


@cache
def expected_revisions() -> frozenset[str]:
    """The head revision(s) of the migrations shipped with this code."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return frozenset(ScriptDirectory.from_config(config).get_heads())


@router.get("/health/live")
def live() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/health")
def ready(request: Request) -> JSONResponse:
    try:
        with request.app.state.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            revisions = set(connection.execute(
                text("SELECT version_num FROM alembic_version")).scalars())
    except SQLAlchemyError as exc:
        log.warning("health check: the database failed: %s", type(exc).__name__)
        return _unavailable("the database does not answer, or has no schema")
    if revisions != expected_revisions():
        return _unavailable("the database schema is not the one this version expects; run "
                            "`oversight db upgrade`")
    return JSONResponse({"status": "ok", "database": "ok"})


def _unavailable(reason: str) -> JSONResponse:
    return JSONResponse({"status": "unavailable", "database": reason}, status_code=503)
