"""pg_dump and pg_restore for a PostgreSQL database named by the app's SQLAlchemy URL.

The URL is turned into libpq connection parameters by SQLAlchemy's own psycopg dialect (so a
Unix-socket `?host=/run/postgresql`, a port or `sslmode` mean what they mean to the app); the
password goes in the PGPASSWORD environment variable, never on a command line others can read.
The tools are found in $OVERSIGHT_PG_BIN, on the PATH, or in Debian's newest
/usr/lib/postgresql/*/bin; pg_dump must be of the server's major version or newer."""

import glob
import os
import re
import shutil
import subprocess
from pathlib import Path

from psycopg.conninfo import make_conninfo
from sqlalchemy.engine import make_url

from app.ops.archive import ArchiveRefused


def tool(name: str) -> str:
    configured = os.environ.get("OVERSIGHT_PG_BIN")
    if configured:
        candidate = Path(configured, name)
        if candidate.exists():
            return str(candidate)
        raise ArchiveRefused(f"OVERSIGHT_PG_BIN={configured} holds no {name}")
    on_path = shutil.which(name)
    if on_path:
        return on_path
    folders = sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                     key=lambda p: int(p.split("/")[-2]), reverse=True)
    for folder in folders:
        if Path(folder, name).exists():
            return str(Path(folder, name))
    raise ArchiveRefused(f"{name} was not found (install the PostgreSQL client of the server's "
                         "version, or set OVERSIGHT_PG_BIN to the folder holding it)")


def connection(url: str) -> tuple[str, dict[str, str]]:
    """The libpq connection string (without the password) and the environment to run a tool
    with (PGPASSWORD added when the URL has one)."""
    parsed = make_url(url)
    _args, params = parsed.get_dialect()().create_connect_args(parsed)
    password = params.pop("password", None)
    params = {key: str(value) for key, value in params.items() if value is not None}
    environment = dict(os.environ)
    if password:
        environment["PGPASSWORD"] = str(password)
    return make_conninfo(**params), environment


def dump(url: str, output: Path) -> None:
    """A custom-format dump of the whole database into `output` (one consistent snapshot: pg_dump
    reads in one repeatable-read transaction while the app goes on writing)."""
    conninfo, environment = connection(url)
    _run([tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(output),
          "--dbname", conninfo], environment, "pg_dump")


def restore(url: str, dump_file: Path) -> None:
    """Replace the database's objects by those of the dump in one transaction: on failure
    nothing changed."""
    conninfo, environment = connection(url)
    _run([tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
          "--exit-on-error", "--dbname", conninfo, str(dump_file)], environment, "pg_restore")


def tables_in(dump_file: Path) -> set[str]:
    """The names of the tables a dump holds (from its table of contents)."""
    listing = _run([tool("pg_restore"), "--list", str(dump_file)], dict(os.environ),
                   "pg_restore --list")
    return {match.group(1) for match in re.finditer(r"^\d+; \d+ \d+ TABLE \S+ (\S+) ",
                                                   listing, re.MULTILINE)}


def _run(command: list[str], environment: dict[str, str], what: str) -> str:
    done = subprocess.run(command, env=environment, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL)
    if done.returncode != 0:
        raise ArchiveRefused(f"{what} failed (exit status {done.returncode}): "
                             f"{(done.stderr or done.stdout).strip()[:2000]}")
    return done.stdout
