"""The `oversight` command as administrators run it: a real process, real exit codes."""

import json
import re
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa

from app.db import make_engine
from tests.conftest import command_env, database_in, url_of

OVERSIGHT = str(Path(sys.executable).parent / "oversight")


def run(*args: str, data_dir: Path) -> subprocess.CompletedProcess:
    return subprocess.run([OVERSIGHT, *args], env=command_env(data_dir), capture_output=True,
                          text=True, timeout=120)


def programme_count(data_dir: Path) -> int:
    engine = make_engine(url_of(database_in(data_dir)))
    with engine.connect() as connection:
        count = connection.execute(sa.text("SELECT count(*) FROM programme")).scalar()
    engine.dispose()
    return count


def test_help_explains_each_command(tmp_path):
    result = run("--help", data_dir=tmp_path)
    assert result.returncode == 0
    for command in ("db", "demo", "serve"):
        assert command in result.stdout
    assert "Apply database migrations" in run("db", "upgrade", "--help", data_dir=tmp_path).stdout
    assert "empty database" in run("demo", "load", "--help", data_dir=tmp_path).stdout


def test_unknown_command_is_a_usage_error(tmp_path):
    assert run("frobnicate", data_dir=tmp_path).returncode == 2


def test_upgrade_then_demo_load_then_refuse_a_second_load(data_dir, blank_db):
    upgrade = run("db", "upgrade", data_dir=data_dir)
    assert upgrade.returncode == 0, upgrade.stderr
    assert run("db", "upgrade", data_dir=data_dir).returncode == 0  # safe to repeat

    load = run("demo", "load", data_dir=data_dir)
    assert load.returncode == 0, load.stderr
    count = programme_count(data_dir)
    assert f"Loaded {count} demo programmes" in load.stdout
    assert re.search(r"Loaded [0-9]+ inquiries \([0-9]+ real minor interpellations, [0-9]+ demo "
                     r"examples\) with [0-9]+ items", load.stdout)
    assert re.search(r"[0-9]+ hearings \([0-9]+ agenda items\) and [0-9]+ safeguard ratings",
                     load.stdout)
    demo_file = Path("app/demo/register.json")
    assert count == len(json.loads(demo_file.read_text())["programmes"])

    again = run("demo", "load", data_dir=data_dir)
    assert again.returncode == 1
    assert "already holds" in again.stderr
    if_empty = run("demo", "load", "--if-empty", data_dir=data_dir)
    assert if_empty.returncode == 0
    assert programme_count(data_dir) == count
