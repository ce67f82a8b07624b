"""A real PostgreSQL server for the tests: the machine's PostgreSQL, initialised into a temporary
folder, listening only on a Unix socket there, stopped when the test session ends.

`.ci/run` installs the server package; a machine without it fails these tests with a message
that says so (they are never skipped). As root, the server runs as the `postgres` account the
package creates, since PostgreSQL refuses to run as root.
"""

import glob
import os
import re
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

from alembic import command

from app.cli import alembic_config

SUPERUSER = "oversight"


def server_binaries() -> Path:
    """The folder with initdb and pg_ctl: $OVERSIGHT_PG_BIN, or Debian's newest PostgreSQL."""
    configured = os.environ.get("OVERSIGHT_PG_BIN")
    candidates = [configured] if configured else sorted(
        glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]))[::-1]
    for folder in candidates:
        if folder and Path(folder, "initdb").exists() and Path(folder, "pg_ctl").exists():
            return Path(folder)
    on_path = shutil.which("initdb")
    if on_path and shutil.which("pg_ctl"):
        return Path(on_path).resolve().parent
    raise RuntimeError(
        "These tests need a PostgreSQL server (initdb and pg_ctl) and found none. On Debian: "
        "apt-get install postgresql (.ci/run does this), or set OVERSIGHT_PG_BIN to the folder "
        "holding initdb.")


class PostgresServer:
    """One throw-away cluster; `database()` gives each caller a fresh, empty database."""

    def __init__(self, folder: Path):
        self.bin = server_binaries()
        self.folder = folder
        self.data = folder / "data"
        self.socket_dir = folder
        self._as_owner: list[str] = []
        self._major_version: int | None = None
        if os.geteuid() == 0:
            self._as_owner = ["runuser", "-u", "postgres", "--"]
            shutil.chown(folder, "postgres")
        folder.chmod(0o700)

    @classmethod
    def in_temporary_folder(cls) -> "PostgresServer":
        """A server in a new folder of the system's temporary directory (pytest's own folders
        are closed to the `postgres` account the server runs as under root)."""
        return cls(Path(tempfile.mkdtemp(prefix="oversight-pg-")))

    def _run(self, *args: str) -> None:
        done = subprocess.run([*self._as_owner, *args], capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"{args[0]} failed: {done.stdout}{done.stderr}")

    def start(self) -> "PostgresServer":
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", SUPERUSER,
                  "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8")
        # Durability is not under test here (issue 7's crash test runs with fsync on).
        options = (f"-k {self.socket_dir} -c listen_addresses='' -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", options,
                  "-l", str(self.folder / "server.log"), "-w", "start")
        return self

    def stop(self) -> None:
        try:
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w",
                      "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{SUPERUSER}@/{database}?host={self.socket_dir}"

    def database(self, template: str | None = None) -> str:
        """A new database (a copy of `template` if given); its name."""
        return self.create(self.new_name(), template)

    @staticmethod
    def new_name() -> str:
        return "t_" + uuid.uuid4().hex[:16]

    def create(self, name: str, template: str | None = None) -> str:
        """Creates database `name` (a copy of `template` if given); its name."""
        copy = f" TEMPLATE {template}{self._copy_strategy()}" if template else ""
        self._psql(f"CREATE DATABASE {name}{copy}")
        return name

    def _copy_strategy(self) -> str:
        """FILE_COPY where there is a choice (PostgreSQL 15+): copying the template's files is
        faster than WAL-logging a small database block by block, and durability (what WAL_LOG
        saves a checkpoint for) is not under test."""
        if self._major_version is None:
            done = subprocess.run([str(self.bin / "pg_ctl"), "--version"], capture_output=True,
                                  text=True, check=True)
            self._major_version = int(re.search(r"\) (\d+)", done.stdout).group(1))
        return " STRATEGY FILE_COPY" if self._major_version >= 15 else ""

    def migrated_database(self) -> str:
        """A new database built by `alembic upgrade head`; its name."""
        name = self.database()
        command.upgrade(alembic_config(self.url(name)), "head")
        return name

    def _psql(self, sql: str) -> None:
        _run_sql(str(self.socket_dir), sql)


def _run_sql(host: str, *statements: str) -> None:
    import psycopg

    with psycopg.connect(host=host, user=SUPERUSER, dbname="postgres",
                         autocommit=True) as connection:
        for sql in statements:
            connection.execute(sql)


def drop_databases(urls: list[str]) -> None:
    """Drops the databases of these URLs (made by `PostgresServer.database`), closing any
    connection a test left open, so a whole run does not fill the disk."""
    by_host: dict[str, list[str]] = {}
    for url in urls:
        path, _, query = url.partition("?host=")
        by_host.setdefault(query, []).append(path.rsplit("/", 1)[1])
    for host, names in by_host.items():
        _run_sql(host, *(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)" for name in names))
