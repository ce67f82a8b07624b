"""The worker's supervisor and the job's states, with real processes: a render is stopped at its
time limit with every process it started (by the supervisor, or by its own backstop), a death
is reported with its cause, starting a worker leaves no zombie in the app worker, a job is
taken by one worker only, and a late worker cannot overwrite a retried job."""

import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest

from app.accounts.service import SignedInUser
from app.config import Settings
from app.db import make_engine
from app.models import Classification, DocumentKind, JobState, RenderJob, Role, utcnow
from app.reports import jobs
from app.reports.worker import EXIT_OUT_OF_MEMORY, run_capped
from tests.conftest import system_session, url_of
from tests.reports.factories import store_job


def python(code: str) -> list[str]:
    return [sys.executable, "-c", code]


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A killed child of a killed process may linger as a zombie until init reaps it.
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().split(") ", 1)[1][0] != "Z"


def children_of(pid: int) -> set[int]:
    """Every process whose parent is `pid`, zombies included."""
    found = set()
    for entry in Path("/proc").iterdir():
        try:
            fields = (entry / "stat").read_text().rsplit(") ", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.add(int(entry.name))
    return found


def gone(pid: int) -> bool:
    for _ in range(100):  # the kill is sent; give the kernel a moment to deliver it
        if not alive(pid):
            return True
        time.sleep(0.05)
    return False


# Like a layout pool: the render process starts a child, and both would sleep on.
START_GRANDCHILD = (
    "import subprocess, sys, time\n"
    "p = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(120)'])\n"
    "open({pid_file!r}, 'w').write(str(p.pid))\n")


class TestCaps:
    def test_a_render_past_its_time_limit_is_stopped_with_the_processes_it_started(
            self, tmp_path: Path):
        pid_file = tmp_path / "grandchild"
        code = START_GRANDCHILD.format(pid_file=str(pid_file)) + "time.sleep(120)"
        # 4 s: time for the grandchild to start even on a slow, busy machine
        cause = run_capped(python(code), 1536, 4, beat=lambda: None)
        assert cause == "took longer than 4 s and was stopped"
        assert gone(int(pid_file.read_text()))

    def test_the_render_backstop_ends_the_processes_it_started_if_the_supervisor_cannot(
            self, tmp_path: Path):
        pid_file = tmp_path / "grandchild"
        code = (START_GRANDCHILD.format(pid_file=str(pid_file))
                + "from app.reports.worker import backstop\nbackstop(1)\ntime.sleep(120)")
        cause = run_capped(python(code), 1536, 60, beat=lambda: None)
        assert cause.startswith("stopped unexpectedly (killed by signal SIGKILL")
        assert gone(int(pid_file.read_text()))

    def test_a_render_that_exits_with_an_error_is_reported_with_its_exit_status(self):
        assert run_capped(python("import sys; sys.exit(3)"), 1536, 60, beat=lambda: None) == \
            "stopped unexpectedly (exit status 3)"

    def test_a_render_killed_by_a_signal_may_have_run_out_of_memory(self):
        cause = run_capped(python("import os, signal; os.kill(os.getpid(), signal.SIGKILL)"),
                           700, 60, beat=lambda: None)
        assert cause == ("stopped unexpectedly (killed by signal SIGKILL; it may have run out "
                         "of memory, limit 700 MB)")

    def test_a_render_out_of_memory_logs_its_traceback_and_exits_saying_so(self):
        code = ("from app.reports import worker\n"
                "def render(job_id, attempt):\n"
                "    raise MemoryError('no room for the annex')\n"
                "worker.render = render\n"
                "worker.main(['render', '1', '1'])\n")
        ran = subprocess.run(python(code), capture_output=True, text=True, timeout=60)
        assert ran.returncode == EXIT_OUT_OF_MEMORY
        assert "Traceback" in ran.stderr and "MemoryError: no room for the annex" in ran.stderr

    def test_the_memory_limit_applies_to_the_render_process(self):
        code = ("import resource, sys; "
                "sys.exit(0 if resource.getrlimit(resource.RLIMIT_AS)[0] == 300 * 2**20 else 5)")
        assert run_capped(python(code), 300, 60, beat=lambda: None) is None


@pytest.fixture
def engine(empty_db):
    engine = make_engine(url_of(empty_db))
    yield engine
    engine.dispose()


def job_row(db_path: Path, job_id: int) -> RenderJob:
    engine, session = system_session(db_path)
    with session:
        job = session.get(RenderJob, job_id)
    engine.dispose()
    return job


def claim(engine, job_id: int, limit: int = 1) -> int | None:
    return jobs.claim(engine, job_id, limit, timeout_seconds=300)


class TestStates:
    def test_a_queued_job_is_taken_by_one_worker_only(self, engine, empty_db):
        job = store_job(empty_db)
        assert claim(engine, job) == 1
        assert claim(engine, job) is None
        assert job_row(empty_db, job).state is JobState.RUNNING

    def test_a_job_waits_while_the_limit_of_jobs_is_running_and_says_so(self, engine, empty_db):
        running = store_job(empty_db, state=JobState.RUNNING)
        # Interrupted long ago: it no longer takes a place.
        store_job(empty_db, state=JobState.RUNNING, heartbeat_at=utcnow() - timedelta(hours=1))
        job = store_job(empty_db, heartbeat_at=utcnow() - timedelta(seconds=300))
        assert claim(engine, job) is None
        assert jobs.wait_turn(engine, job)
        row = job_row(empty_db, job)
        assert (row.state, row.section) == (JobState.QUEUED, jobs.WAITING_TURN)
        # Its beat keeps it from counting as interrupted (it would, 100 s on, without).
        later = utcnow() + timedelta(seconds=100)
        assert jobs.status_of(row, 300, now=later).state is JobState.QUEUED
        assert claim(engine, job, limit=2) == 1  # room for two
        assert jobs.fail(engine, running, 1, "stopped")
        other = store_job(empty_db)
        assert claim(engine, other, limit=2) == 1  # the failed job left room
        assert not jobs.wait_turn(engine, job)  # taken: the waiting is over

    def test_a_late_worker_cannot_overwrite_a_retried_job(self, engine, empty_db):
        job = store_job(empty_db)
        first = claim(engine, job)
        assert jobs.fail(engine, job, first, "stopped unexpectedly (exit status 1)")
        clerk = SignedInUser(1, "clerk@test.example", "Clerk", Role.STAFF,
                             Classification.CONFIDENTIAL)
        web_engine, session = system_session(empty_db)
        with session:
            assert jobs.retry(session, session.get(RenderJob, job), clerk, 300)
            # A second press while the retry waits for its worker does nothing.
            assert not jobs.retry(session, session.get(RenderJob, job), clerk, 300)
            session.commit()
        web_engine.dispose()
        jobs.report_progress(engine, job, first, 3, 4, "from the first attempt")
        assert not jobs.fail(engine, job, first, "too late")
        row = job_row(empty_db, job)
        assert (row.state, row.attempts, row.section, row.error) == \
            (JobState.QUEUED, 2, jobs.WAITING, "")
        assert row.requested_by_name == "Clerk"


def test_the_same_document_under_way_is_found_by_kind_subject_and_clearance(empty_db, register):
    restricted = Classification.RESTRICTED
    brief = {"programme_id": register["p"], "clearance": restricted}
    stale = utcnow() - timedelta(hours=1)
    for other in ({"programme_id": register["x"]}, {"clearance": Classification.PUBLIC},
                  {"heartbeat_at": stale}, {"state": JobState.DONE}, {"state": JobState.FAILED}):
        store_job(empty_db, **brief | other)
    under_way = store_job(empty_db, **brief, state=JobState.RUNNING)
    engine, session = system_session(empty_db)
    with session:
        def earlier(**other) -> int | None:
            job = RenderJob(**{"kind": DocumentKind.BRIEF, **brief} | other,
                            requested_by_name="Clerk", id=10**6)
            found = jobs.earlier_alike(session, job, 300)
            return found and found.id

        assert earlier() == under_way
        assert earlier(clearance=Classification.CONFIDENTIAL) is None
        assert earlier(programme_id=register["x"], clearance=Classification.PUBLIC) is None
        assert earlier(kind=DocumentKind.DOSSIER, programme_id=None,
                       hearing_id=register["h"]) is None
    engine.dispose()


def test_starting_a_worker_leaves_no_process_behind_in_the_app_worker(engine, data_dir):
    before = children_of(os.getpid())
    # No such job: its supervisor starts, finds nothing to do and ends.
    jobs.start_worker(Settings(data_dir=data_dir, database_url=str(engine.url)), engine, 999999)
    assert children_of(os.getpid()) <= before  # neither the supervisor nor a zombie of it


def test_the_worker_gets_the_apps_settings_but_not_its_secret(tmp_path):
    settings = Settings(data_dir=tmp_path, render_memory_mb=700, render_timeout_seconds=9,
                        secret_key="s" * 40)
    environment = jobs.worker_environment(settings)
    assert environment["OVERSIGHT_RENDER_MEMORY_MB"] == "700"
    assert environment["OVERSIGHT_DATA_DIR"] == str(tmp_path.resolve())
    assert environment["OVERSIGHT_DATABASE_URL"] == settings.resolved_database_url
    assert "OVERSIGHT_SECRET_KEY" not in environment
    names = {f"OVERSIGHT_{name.upper()}" for name in Settings.model_fields} - {
        "OVERSIGHT_SECRET_KEY"}
    assert names <= set(environment)
