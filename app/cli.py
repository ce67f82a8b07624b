"""The `oversight` command: how administrators and other tools drive the service.

Exit status: 0 done, 1 refused (the message says why), 2 wrong usage.
"""

import enum
import sys
from pathlib import Path

import typer
from alembic import command
from alembic.config import Config

from app.api.token_cli import token_app
from app.commands import ClearanceChoice, account, command_session, refuse, refuse_problems
from app.config import Settings
from app.ops.cli import backup, restore
from app.scale.cli import benchmark_load
from app.transfer.cli import export_data, import_file


class RoleChoice(str, enum.Enum):
    admin = "admin"
    staff = "staff"
    member = "member"


PROJECT_DIR = Path(__file__).resolve().parent.parent

app = typer.Typer(
    help="Oversight Desk: case tracking for parliamentary oversight of security assistance.",
    no_args_is_help=True,
    add_completion=False,
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
demo_app = typer.Typer(help="Demo data.", no_args_is_help=True)
user_app = typer.Typer(help="Accounts: add, list, deactivate, reset password.",
                       no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(demo_app, name="demo")
app.add_typer(user_app, name="user")
benchmark_app = typer.Typer(help="Benchmarks: commands that print figures.", no_args_is_help=True)
app.add_typer(benchmark_app, name="benchmark")
app.add_typer(token_app, name="token")
search_app = typer.Typer(help="The full-text search index.", no_args_is_help=True)
app.add_typer(search_app, name="search")


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
    from app.demo.loader import RegisterNotEmpty, load_demo_register

    with command_session("demo load") as session:
        try:
            loaded = load_demo_register(session, calendar=Settings().working_calendar)
        except RegisterNotEmpty as exc:
            if if_empty:
                typer.echo(f"Demo data not loaded: {exc}.")
                typer.echo("Demo accounts keep the passwords printed when they were created; "
                           "`oversight user password EMAIL` sets a new one.")
                return
            refuse(f"{exc}. Use an empty database.")
    _reindex("demo load")
    typer.echo(f"Loaded {loaded.programmes} demo programmes and {loaded.notes} notes.")
    found = loaded.inquiries
    typer.echo(f"Loaded {found.inquiries} inquiries ({found.real_inquiries} real minor "
               f"interpellations, {found.examples} demo examples) with {found.items} items, "
               f"{found.answers} answers ({found.assessed_items} items assessed), "
               f"{found.hearings} hearings ({found.agenda_items} agenda items) and "
               f"{found.ratings} safeguard ratings ({found.evidence} pieces of evidence).")
    if loaded.accounts:
        typer.echo("\nDemo accounts (passwords are shown this once; write them down):")
        for email, role, clearance, password in loaded.accounts:
            typer.echo(f"  {email:<38} {role:<7} {clearance:<13} {password}")
        typer.echo("Sign in at /login. `oversight user password EMAIL` sets a new password.")


def _reindex(what: str) -> dict[str, int]:
    from app.search.maintenance import rebuild_index

    with command_session(what) as session:
        counts = rebuild_index(session)
        session.commit()
    return counts


@search_app.command("reindex")
def search_reindex() -> None:
    """Rebuild the search index from every record (after a bulk load or a restore). Writes in
    the database keep the index in step by themselves; this is never needed for them."""
    import time

    started = time.perf_counter()
    counts = _reindex("search reindex")
    listed = ", ".join(f"{count} {kind}" for kind, count in counts.items())
    typer.echo(f"Indexed {sum(counts.values())} records ({listed}) in "
               f"{time.perf_counter() - started:.1f} s.")


@user_app.command("add")
def user_add(
    email: str = typer.Option(..., "--email", help="E-mail address; the sign-in name."),
    name: str = typer.Option(..., "--name", help="Full name, as shown in the audit trail."),
    role: RoleChoice = typer.Option(..., "--role", help="admin, staff or member."),
    clearance: ClearanceChoice = typer.Option(
        ClearanceChoice.public, "--clearance", help="public, restricted or confidential."
    ),
) -> None:
    """Create an account. The password is asked for (or read from standard input)."""
    from app.accounts import service
    from app.errors import ValidationFailed
    from app.models import Classification, Role

    password = _read_password()
    with command_session("user add") as session:
        try:
            user = service.create_user(
                session, email=email, name=name, role=Role(role.value),
                clearance=Classification.parse(clearance.value), password=password,
            )
        except ValidationFailed as exc:
            refuse_problems(exc.errors)
        session.commit()
        typer.echo(f"Created {user.role.value} account {user.email} "
                   f"(clearance {user.clearance.name.lower()}).")


@user_app.command("list")
def user_list() -> None:
    """List every account with its role, clearance and whether it is active."""
    from app.accounts import service

    with command_session("user list") as session:
        users = service.list_users(session)
    typer.echo(f"{'E-MAIL':<36} {'NAME':<28} {'ROLE':<7} {'CLEARANCE':<13} STATUS")
    for user in users:
        status = "active" if user.active else "deactivated"
        typer.echo(f"{user.email:<36} {user.name[:28]:<28} {user.role.value:<7} "
                   f"{user.clearance.name.lower():<13} {status}")


@user_app.command("deactivate")
def user_deactivate(email: str = typer.Argument(..., help="The account's e-mail address.")) -> None:
    """Deactivate an account: it can no longer sign in and its sessions end at once."""
    from app.accounts import service

    with command_session("user deactivate") as session:
        service.deactivate(session, account(session, email))
        session.commit()
    typer.echo(f"Deactivated {email}; its sessions have ended.")


@user_app.command("unlock")
def user_unlock(email: str = typer.Argument(..., help="The account's e-mail address.")) -> None:
    """Forget failed sign-ins for an e-mail address, so it may try again at once."""
    from app.accounts import service

    with command_session("user unlock") as session:
        count = service.unlock(session, email)
        session.commit()
    typer.echo(f"Forgot {count} failed sign-in{'s' if count != 1 else ''} for {email}.")


@user_app.command("password")
def user_password(email: str = typer.Argument(..., help="The account's e-mail address.")) -> None:
    """Set a new password for an account (asked for, or read from standard input)."""
    from app.accounts import service
    from app.errors import ValidationFailed

    password = _read_password()
    with command_session("user password") as session:
        user = account(session, email)
        try:
            service.set_password(session, user, password)
        except ValidationFailed as exc:
            refuse(f"password: {exc.errors['password']}")
        session.commit()
    typer.echo(f"New password set for {email}; its sessions have ended.")


def _read_password() -> str:
    """From a hidden prompt (asked twice) on a terminal, else the first line of standard input."""
    if sys.stdin.isatty():
        return typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return sys.stdin.readline().rstrip("\n")


# Shared by `brief` and `dossier`.
_CLEARANCE = typer.Option(
    ..., "--clearance", case_sensitive=False,
    help="Who the document is for: PUBLIC, RESTRICTED or CONFIDENTIAL. Content above it is left "
    "out.")
_OUTPUT = typer.Option(..., "-o", "--output", help="The PDF file to write.")


@app.command("brief")
def brief(
    programme: str = typer.Argument(..., help="The programme: its id or its reference code."),
    clearance: ClearanceChoice = _CLEARANCE,
    output: Path = _OUTPUT,
) -> None:
    """Write a programme's oversight brief as PDF, as a reader with CLEARANCE would get it."""
    _write_document("brief", programme, clearance, output)


@app.command("dossier")
def dossier(
    hearing: int = typer.Argument(..., help="The hearing's id (shown in its address)."),
    clearance: ClearanceChoice = _CLEARANCE,
    output: Path = _OUTPUT,
) -> None:
    """Write a hearing's dossier as PDF: cover, contents, a brief per agenda programme and an
    annex of open questions."""
    _write_document("dossier", str(hearing), clearance, output)


def _write_document(kind: str, target: str, clearance: ClearanceChoice, output: Path) -> None:
    import getpass

    from app.clearance import set_reader_clearance
    from app.errors import NotFound
    from app.files import write_private
    from app.models import Classification
    from app.reports.produce import Occasion, produce_brief, produce_dossier
    from app.reports.subjects import NothingToRender, find_programme_id

    settings = Settings()
    level = Classification.parse(clearance.value)
    occasion = Occasion.now(settings, f"command line ({getpass.getuser()})")
    with command_session(kind) as session:
        set_reader_clearance(session, level)
        try:
            if kind == "brief":
                programme_id = find_programme_id(session, target)
                produced = produce_brief(session, programme_id, occasion)
            else:
                produced = produce_dossier(session, int(target), occasion)
        except NotFound as exc:
            refuse(f"no {exc.what.lower()} {target} at {level.marking} clearance.")
        except NothingToRender as exc:
            refuse(exc.message)
    try:
        # Readable by its owner only, like the stored documents: it may be classified.
        write_private(output, [produced.pdf])
    except OSError as exc:
        refuse(f"cannot write {output}: {exc.strerror}.")
    typer.echo(f"Wrote {output}: {produced.title}, {produced.page_count} page"
               f"{'s' if produced.page_count != 1 else ''}, marked {produced.marking.marking}, "
               f"sha256 {produced.sha256} ({produced.parts_rendered} parts laid out, "
               f"{produced.parts_cached} from the cache).")


@benchmark_app.command("reports")
def benchmark_reports(
    programmes: int = typer.Option(50, min=1, max=500, help="Programmes on the dossier's agenda "
                                   "(a brief of about six pages each)."),
    processes: int = typer.Option(2, min=1, max=16, help="Processes laying out parts."),
    chromium: str = typer.Option("", help="Chromium to print the same HTML with (default: "
                                 "`chromium` on the PATH; `none` to skip)."),
) -> None:
    """Time a brief, a dossier and its regeneration after one edit, on a throw-away register;
    print wall time, pages per second and peak memory, beside Chromium printing the same HTML."""
    import shutil

    from app.reports.benchmark import run

    browser = None if chromium == "none" else (chromium or shutil.which("chromium"))
    run(programmes, processes, browser, typer.echo)


@benchmark_app.command("search")
def benchmark_search(
    inquiries: int = typer.Option(100_000, min=10, max=2_000_000,
                                  help="Inquiries in the throw-away database."),
    items: int = typer.Option(5, min=1, max=50, help="Questions (each with an answer) per "
                              "inquiry."),
    repeats: int = typer.Option(10, min=1, max=1000, help="Runs of each query per clearance."),
    database_url: str = typer.Option("", "--database-url", help="An EMPTY PostgreSQL database "
                                     "to use instead of a temporary SQLite file; it is filled."),
) -> None:
    """Time full-text search on a throw-away database of INQUIRIES inquiries with ITEMS
    questions and answers each: index build time, database size, and the median and 95th
    percentile latency of about twenty realistic queries at each clearance."""
    from app.search.benchmark import run

    run(inquiries, items, repeats, database_url or None, typer.echo)


# Commands whose code lives with the part of the app they drive.
benchmark_app.command("load")(benchmark_load)
app.command("import")(import_file)
app.command("export")(export_data)
app.command("backup")(backup)
app.command("restore")(restore)


@app.command("serve")
def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
    workers: int = typer.Option(1, min=1, max=64, help="Worker processes (about two per core "
                                "on PostgreSQL; SQLite writes one at a time whatever this is)."),
    graceful_timeout: int = typer.Option(
        20, "--graceful-timeout", min=0, max=3600,
        help="On SIGTERM, seconds the requests in flight get to finish before they are cut."),
    keep_alive: int = typer.Option(
        65, "--keep-alive", min=1, max=3600,
        help="Seconds an idle connection is kept open (longer than the proxy's own, so the "
        "proxy never reuses a connection the server is closing)."),
    reload: bool = typer.Option(False, help="Restart on code changes (development only; one "
                                "worker)."),
) -> None:
    """Serve the web application (migrate first with `oversight db upgrade`)."""
    from app.serving.server import serve as run_server

    if reload and workers > 1:
        raise typer.BadParameter("--reload runs one worker; leave out --workers.")
    settings = Settings()
    _ = settings.resolved_secret_key  # generated now, before workers start
    typer.echo(f"Oversight Desk on http://{host}:{port} with {workers} worker"
               f"{'s' if workers != 1 else ''}  (database: {_safe_url(settings)})")
    run_server(settings, host=host, port=port, workers=workers, reload=reload,
               graceful_timeout=graceful_timeout, keep_alive=keep_alive,
               security_options=uvicorn_options(settings))


def uvicorn_options(settings: Settings) -> dict:
    """Server options that matter for security, shared by `serve` and the test server.

    Forwarded headers are believed only from proxies named in OVERSIGHT_TRUSTED_PROXIES, so
    nobody can pick the address the sign-in throttle counts."""
    return {"proxy_headers": bool(settings.trusted_proxies),
            "forwarded_allow_ips": settings.trusted_proxies or ""}


def _safe_url(settings: Settings) -> str:
    """The database URL without its password, for messages."""
    from sqlalchemy.engine import make_url

    return make_url(settings.resolved_database_url).render_as_string(hide_password=True)


def main() -> None:
    app()
