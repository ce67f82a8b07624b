"""Background jobs with several app workers at once, on SQLite and PostgreSQL: each job is
taken by one worker only, the limit of jobs running at once holds when claims race, and a job
whose worker died can be taken again (after Retry) while the dead attempt cannot write."""

import threading
from datetime import timedelta

from app.accounts.service import SignedInUser
from app.db import make_engine
from app.models import Classification, DocumentKind, JobState, RenderJob, Role, utcnow
from app.reports import jobs

TIMEOUT = 300
RACERS = 6


def queue_jobs(session, count: int, **fields) -> list[int]:
    queued = [RenderJob(kind=DocumentKind.BRIEF, clearance=Classification.PUBLIC,
                        requested_by_name="Test Clerk", **fields) for _ in range(count)]
    session.add_all(queued)
    session.commit()
    return [job.id for job in queued]


def race(migrated_url: str, claims: list[tuple[int, int]]) -> list[int | None]:
    """Run each (job id, limit) claim in its own thread with its own engine (as separate
    worker processes would), all released at the same moment; what each claim returned."""
    engines = [make_engine(migrated_url) for _ in claims]
    start = threading.Barrier(len(claims))
    results: list[int | None] = [None] * len(claims)

    def claim(index: int, job_id: int, limit: int) -> None:
        with engines[index].connect():  # connected before the start, so they truly race
            pass
        start.wait()
        results[index] = jobs.claim(engines[index], job_id, limit, TIMEOUT)

    threads = [threading.Thread(target=claim, args=(index, job_id, limit))
               for index, (job_id, limit) in enumerate(claims)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    for engine in engines:
        engine.dispose()
    return results


def states(session, ids: list[int]) -> list[JobState]:
    session.expire_all()
    return [session.get(RenderJob, job_id).state for job_id in ids]


def test_each_job_is_taken_by_one_worker_when_workers_race(migrated_url, system):
    ids = queue_jobs(system, 3)
    claims = [(job_id, 100) for job_id in ids for _ in range(RACERS // 3)]
    results = race(migrated_url, claims)
    for job_id in ids:
        outcomes = [result for (claimed, _), result in zip(claims, results) if claimed == job_id]
        assert outcomes.count(1) == 1 and outcomes.count(None) == len(outcomes) - 1
    assert states(system, ids) == [JobState.RUNNING] * 3


def test_the_limit_of_jobs_running_at_once_holds_when_claims_race(migrated_url, system):
    ids = queue_jobs(system, RACERS)
    results = race(migrated_url, [(job_id, 2) for job_id in ids])
    assert sum(result is not None for result in results) == 2
    assert states(system, ids).count(JobState.RUNNING) == 2


def test_a_job_whose_worker_died_is_taken_again_after_retry_and_the_dead_attempt_is_shut_out(
        migrated_url, system):
    [job_id] = queue_jobs(system, 1)
    engine = make_engine(migrated_url)
    try:
        first = jobs.claim(engine, job_id, 1, TIMEOUT)
        assert first == 1
        # Its worker died: no heartbeat for longer than the time limit and the grace.
        job = system.get(RenderJob, job_id)
        job.heartbeat_at = utcnow() - timedelta(seconds=TIMEOUT) - jobs.GRACE * 2
        system.commit()
        assert jobs.status_of(job, TIMEOUT).cause == jobs.INTERRUPTED
        # It no longer takes a place: another job may run meanwhile.
        [other] = queue_jobs(system, 1)
        assert jobs.claim(engine, other, 1, TIMEOUT) == 1
        assert jobs.fail(engine, other, 1, "done with the test")
        clerk = SignedInUser(1, "clerk@test.example", "Clerk", Role.STAFF,
                             Classification.CONFIDENTIAL)
        assert jobs.retry(system, system.get(RenderJob, job_id), clerk, TIMEOUT)
        system.commit()
        assert race(migrated_url, [(job_id, 1)] * 3).count(2) == 1  # attempt 2, taken once
        assert not jobs.fail(engine, job_id, first, "the dead worker's last word")
        assert states(system, [job_id]) == [JobState.RUNNING]
    finally:
        engine.dispose()
