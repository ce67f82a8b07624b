"""The `oversight` command: how administrators and other tools drive the service.

Exit status: 0 done, 1 refused (the message says why), 2 wrong usage.
"""

from pathlib import Path

import typer
import uvicorn
from alembic import command
from alembic.config import Config

from app.config import Settings

PROJECT_DIR = Path(__file__).resolve().parent.parent

app = typer.Typer(
    help="Oversight Desk: case tracking for parliamentary oversight of security assistance.",
    no_args_is_help=True,
    add_completion=False,
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
demo_app = typer.Typer(help="Demo data.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(demo_app, name="demo")


def alembic_config(database_url: str) -> Config:
    config = Config(str(PROJECT_DIR / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_DIR / "migrations"))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


@db_app.command("upgrade")
def db_upgrade(revision: str = typer.Argument("head", help="Target revision.")) -> None:
    """Apply database migrations up to REVISION (default: the newest). Safe to run again."""
    settings = Settings()
    command.upgrade(alembic_config(settings.resolved_database_url), revision)
    typer.echo(f"Database is at revision {revision}: {_safe_url(settings)}")


@demo_app.command("load")
def demo_load(
    if_empty: bool = typer.Option(
        False, "--if-empty", help="Do nothing (and succeed) when the register already has data."
    ),
) -> None:
    """Load the demo register (real, sourced programmes) into an empty database."""
    from app.db import make_engine
    from app.demo.loader import RegisterNotEmpty, load_demo_register

    settings = Settings()
    engine = make_engine(settings.resolved_database_url)
    try:
        count = load_demo_register(engine)
    except RegisterNotEmpty as exc:
        if if_empty:
            typer.echo(f"Demo data not loaded: {exc}")
            return
        typer.echo(f"Refused: {exc}. Use an empty database.", err=True)
        raise typer.Exit(1) from None
    finally:
        engine.dispose()
    typer.echo(f"Loaded {count} demo programmes.")


@app.command("serve")
def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
    reload: bool = typer.Option(False, help="Restart on code changes (development only)."),
) -> None:
    """Serve the web application (migrate first with `oversight db upgrade`)."""
    settings = Settings()
    _ = settings.resolved_secret_key  # generated now, before workers start
    typer.echo(f"Oversight Desk on http://{host}:{port}  (database: {_safe_url(settings)})")
    uvicorn.run("app.main:create_app", factory=True, host=host, port=port, reload=reload,
                proxy_headers=True, log_level="info")


def _safe_url(settings: Settings) -> str:
    """The database URL without its password, for messages."""
    from sqlalchemy.engine import make_url

    return make_url(settings.resolved_database_url).render_as_string(hide_password=True)


def main() -> None:
    app()
