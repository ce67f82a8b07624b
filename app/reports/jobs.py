"""Briefs and dossiers generated in the background: a job row per request, its state kept only in
the database (so any app worker can show or retry it), and the detached worker process started
for it. What that process does is in app.reports.worker; asking for a document is in
app.reports.service. This module stays light: the worker's supervisor imports it.

Every change of state is one UPDATE guarded by the state it expects (and by the attempt it
belongs to), so two app workers, or a late worker and a retry, can never both win.
"""

import hashlib
import os
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from app.config import Settings
from app.errors import NotFound
from app.models import Classification, JobState, RenderJob, utcnow

if TYPE_CHECKING:  # the worker's supervisor has no use for the accounts code
    from app.accounts.service import SignedInUser

JOBS = RenderJob.__table__
WAITING = "Waiting for a worker process to start"
WAITING_TURN = "Waiting for another document to finish"
# A queued or running job whose heartbeat is older than the time limit and this grace was
# interrupted: a live worker beats every few seconds, and stops a job at the time limit.
GRACE = timedelta(seconds=60)
INTERRUPTED = "interrupted: the server stopped while it was running"
NEVER_STARTED = "interrupted: the server stopped before a worker process could start it"
START_SECONDS = 30  # for the process that starts the supervisor and exits


@dataclass(frozen=True)
class JobStatus:
    """A job as it stands now. An interruption is derived from a heartbeat that stopped, so no
    sweeper has to find and mark interrupted jobs."""

    job: RenderJob
    state: JobState
    cause: str

    @property
    def finished(self) -> bool:
        return not self.state.active

    @property
    def percent(self) -> int | None:
        """How far it is, or None while the amount of work is not yet known."""
        if self.state is JobState.DONE:
            return 100
        if not self.job.progress_total:
            return None
        return min(100, round(100 * self.job.progress_done / self.job.progress_total))

    @property
    def token(self) -> str:
        """Changes whenever what the job page shows changes: a poll that brings nothing new is
        answered with no content, so screen readers do not hear the same words every second."""
        job = self.job
        shown = (self.state.value, self.cause, job.progress_done, job.progress_total,
                 job.section, job.document_id, job.attempts)
        return hashlib.sha256(repr(shown).encode()).hexdigest()[:16]


def status_of(job: RenderJob, timeout_seconds: int, now: datetime | None = None) -> JobStatus:
    now = now or utcnow()
    if job.state.active and job.heartbeat_at < _stale_before(timeout_seconds, now):
        cause = INTERRUPTED if job.state is JobState.RUNNING else NEVER_STARTED
        return JobStatus(job, JobState.FAILED, cause)
    return JobStatus(job, job.state, job.error)


def _stale_before(timeout_seconds: int, now: datetime) -> datetime:
    return now - timedelta(seconds=timeout_seconds) - GRACE


ACTIVE = [JobState.QUEUED.value, JobState.RUNNING.value]


def get_job(session: Session, job_id: int) -> RenderJob:
    """The job, or NotFound, also when it runs at a clearance above the reader's."""
    job = session.exec(select(RenderJob).where(RenderJob.id == job_id)).first()
    if job is None:
        raise NotFound("Job")
    return job


@dataclass(frozen=True)
class ActiveJob:
    """A job under way, for the list on a programme or hearing page: no progress text, which
    can name titles at the job's clearance."""

    id: int
    state: JobState
    clearance: Classification
    requested_by_name: str
    created_at: datetime


def active_jobs(session: Session, timeout_seconds: int, *, programme_id: int | None = None,
                hearing_id: int | None = None) -> list[ActiveJob]:
    """Jobs of a programme or hearing still under way (not interrupted), newest first."""
    subject = (RenderJob.programme_id == programme_id if programme_id is not None
               else RenderJob.hearing_id == hearing_id)
    rows = session.exec(
        select(RenderJob.id, RenderJob.state, RenderJob.clearance, RenderJob.requested_by_name,
               RenderJob.created_at)
        .where(subject, _under_way(JOBS, ACTIVE, timeout_seconds))
        .order_by(RenderJob.id.desc())
    ).all()
    return [ActiveJob(*row) for row in rows]


def earlier_alike(session: Session, job: RenderJob, timeout_seconds: int) -> RenderJob | None:
    """A job asked for before `job` and still under way (not interrupted) that makes the same
    document: the same kind, programme or hearing, and clearance."""
    return session.exec(
        select(RenderJob).where(
            RenderJob.id < job.id, RenderJob.kind == job.kind,
            RenderJob.programme_id == job.programme_id, RenderJob.hearing_id == job.hearing_id,
            RenderJob.clearance == job.clearance,
            _under_way(JOBS, ACTIVE, timeout_seconds))
        .order_by(RenderJob.id)
    ).first()


def _under_way(table: sa.Table, states: list[str], timeout_seconds: int):
    """Rows of `table` in one of `states` whose worker is still heard from (the others in
    those states were interrupted: status_of)."""
    return sa.and_(table.c.state.in_(states), _heard_from(table, timeout_seconds))


def _heard_from(table: sa.Table, timeout_seconds: int):
    return table.c.heartbeat_at >= _stale_before(timeout_seconds, utcnow())


def retry(session: Session, job: RenderJob, requester: "SignedInUser",
          timeout_seconds: int) -> bool:
    """Queue a failed (or interrupted) job again, as the requester's; False if it is not
    failed, e.g. a second press of Retry while the first one's worker runs."""
    now = utcnow()
    failed = sa.or_(JOBS.c.state == JobState.FAILED.value,
                    sa.and_(JOBS.c.state.in_(ACTIVE), ~_heard_from(JOBS, timeout_seconds)))
    result = session.execute(
        sa.update(JOBS).where(JOBS.c.id == job.id, failed).values(
            state=JobState.QUEUED.value, attempts=JOBS.c.attempts + 1, error="",
            progress_done=0, progress_total=0, section=WAITING, started_at=None,
            finished_at=None, heartbeat_at=now, document_id=None,
            requested_by_id=requester.id, requested_by_name=requester.name))
    session.expire(job)
    return result.rowcount == 1


def worker_environment(settings: Settings) -> dict[str, str]:
    """The app's settings as OVERSIGHT_* variables, so the worker works on the same database and
    files with the same limits as the app worker that started it."""
    environment = {name: value for name, value in os.environ.items()
                   if not name.startswith("OVERSIGHT_")}
    for name in Settings.model_fields:
        if name == "secret_key":  # the worker signs nothing
            continue
        value = getattr(settings, name)
        if name == "data_dir":
            value = Path(value).resolve()
        elif name == "database_url":
            value = settings.resolved_database_url
        environment[f"OVERSIGHT_{name.upper()}"] = str(value)
    return environment


def start_worker(settings: Settings, engine: Engine, job_id: int) -> None:
    """Start the detached process that runs a committed job. If it cannot be started the job
    fails, saying why, and can be retried."""
    logs = Path(settings.data_dir) / "logs"
    try:
        logs.mkdir(parents=True, exist_ok=True, mode=0o700)
        with open(logs / f"render-job-{job_id}.log", "ab") as log:
            # `start` forks the supervisor into its own session and exits at once (reaped here,
            # so no zombie is left in this app worker): neither a signal to the app's process
            # group nor the app worker stopping ends the supervisor.
            status = subprocess.run(
                [sys.executable, "-m", "app.reports.worker", "start", str(job_id)],
                start_new_session=True, env=worker_environment(settings),
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                timeout=START_SECONDS).returncode
    except OSError as exc:
        fail(engine, job_id, None, f"could not start a worker process ({exc.strerror or exc})")
    except subprocess.TimeoutExpired:
        fail(engine, job_id, None, "could not start a worker process (it did not start in time)")
    else:
        if status != 0:
            fail(engine, job_id, None, f"could not start a worker process (exit status {status})")


# --- the worker's side ----------------------------------------------------------------------

def claim(engine: Engine, job_id: int, limit: int, timeout_seconds: int) -> int | None:
    """Take a queued job for this worker if fewer than `limit` jobs are running (not counting
    interrupted ones): the attempt it is now running, or None if the others leave no room, or
    another worker took it first (or it is not queued).

    The count and the change are one UPDATE guarded by the job's state, so a job is taken
    once, and claims are made one at a time (`_one_claim_at_a_time`), so two workers cannot
    both see room for one more and both start."""
    others = JOBS.alias("others")
    running = (sa.select(sa.func.count()).select_from(others)
               .where(_under_way(others, [JobState.RUNNING.value], timeout_seconds))
               .scalar_subquery())
    with engine.begin() as connection:
        _one_claim_at_a_time(connection)
        taken = connection.execute(
            sa.update(JOBS).where(JOBS.c.id == job_id, JOBS.c.state == JobState.QUEUED.value,
                                  running < limit)
            .values(state=JobState.RUNNING.value, section="Starting")).rowcount
        if taken != 1:
            return None
        # Stamped once this transaction holds the write lock, so after the end of the job
        # that made room (its UPDATE may have waited for that job's commit).
        now = utcnow()
        connection.execute(sa.update(JOBS).where(JOBS.c.id == job_id).values(
            started_at=now, heartbeat_at=now))
        return connection.execute(
            sa.select(JOBS.c.attempts).where(JOBS.c.id == job_id)).scalar_one()


# Any constant: the lock claims take on PostgreSQL. (Advisory locks are the application's own;
# nothing else in this database takes one.)
CLAIM_LOCK = 0x0D0C5


def _one_claim_at_a_time(connection: sa.Connection) -> None:
    """Until this transaction ends, no other claim runs. SQLite takes its one write lock when
    the UPDATE starts, before it counts, so UPDATEs there count what the last one committed.
    PostgreSQL at READ COMMITTED would let two UPDATEs count the same committed rows at once;
    a transaction-scoped advisory lock, taken first, puts them in a row (each statement after
    it sees what the claim before committed)."""
    if connection.dialect.name == "postgresql":
        connection.execute(sa.select(sa.func.pg_advisory_xact_lock(CLAIM_LOCK)))


def _running(job_id: int, attempt: int | None):
    condition = sa.and_(JOBS.c.id == job_id, JOBS.c.state.in_(ACTIVE))
    return condition if attempt is None else sa.and_(condition, JOBS.c.attempts == attempt)


def report_progress(engine: Engine, job_id: int, attempt: int, done: int, total: int,
                    section: str) -> None:
    with engine.begin() as connection:
        connection.execute(sa.update(JOBS).where(_running(job_id, attempt)).values(
            progress_done=max(0, done), progress_total=max(0, total), section=section[:500],
            heartbeat_at=utcnow()))


def wait_turn(engine: Engine, job_id: int) -> bool:
    """Say that the queued job waits for another to finish, and keep it from counting as
    interrupted while it does; False once it is no longer queued (taken, failed, removed)."""
    with engine.begin() as connection:
        return connection.execute(
            sa.update(JOBS).where(JOBS.c.id == job_id, JOBS.c.state == JobState.QUEUED.value)
            .values(section=WAITING_TURN, heartbeat_at=utcnow())).rowcount == 1


def beat(engine: Engine, job_id: int, attempt: int) -> None:
    with engine.begin() as connection:
        connection.execute(sa.update(JOBS).where(_running(job_id, attempt)).values(
            heartbeat_at=utcnow()))


def fail(engine: Engine, job_id: int, attempt: int | None, cause: str) -> bool:
    """Mark the job failed with its cause, unless it has finished or been retried since."""
    now = utcnow()
    with engine.begin() as connection:
        return connection.execute(sa.update(JOBS).where(_running(job_id, attempt)).values(
            state=JobState.FAILED.value, error=cause[:2000], finished_at=now,
            heartbeat_at=now)).rowcount == 1


def finish(session: Session, job_id: int, attempt: int, document_id: int) -> bool:
    """Mark the job done with its document, in the transaction that stores the document."""
    now = utcnow()
    return session.execute(sa.update(JOBS).where(_running(job_id, attempt)).values(
        state=JobState.DONE.value, document_id=document_id,
        progress_done=JOBS.c.progress_total, section="Finished", error="", finished_at=now,
        heartbeat_at=now)).rowcount == 1
