"""The worker processes that generate a brief or dossier, away from every web worker.

    python -m app.reports.worker start JOB           starts `supervise` detached, exits at once
    python -m app.reports.worker supervise JOB       claims the job, runs `render` under caps
    python -m app.reports.worker render JOB ATTEMPT  generates and stores the document

The supervisor runs the render process with an address-space limit (OVERSIGHT_RENDER_MEMORY_MB)
and a wall-clock limit (OVERSIGHT_RENDER_TIMEOUT_SECONDS), and says why the job failed if that
process dies without saying so itself. Only the standard library is imported before the limits
apply, so that running out of memory while importing counts as running out of memory.
"""

import os
import resource
import signal
import subprocess
import sys
import time
import traceback

# The render process exits with this when it ran out of memory: it may be unable to say so in
# the database, so the supervisor says it.
EXIT_OUT_OF_MEMORY = 86
BEAT_SECONDS = 5
POLL_SECONDS = 1  # how often a job waiting for its turn asks again
CRASH_SIGNALS = {signal.SIGABRT, signal.SIGTRAP, signal.SIGSEGV, signal.SIGBUS, signal.SIGKILL}
# A failure while the process's address space was this close to its limit counts as running out
# of memory, whatever a library called it (a failed mmap surfaces as ImportError, SystemError...).
NEAR_LIMIT = 0.85


def start(job_id: int) -> int:
    """Run the supervisor in a child of this process, in its own session, and return at once:
    the app worker that started this process reaps it straight away, and the supervisor, left
    without a parent, is reaped by init when it ends, never a zombie of a web worker."""
    if os.fork() > 0:
        return 0
    os.setsid()
    return supervise(job_id)


def supervise(job_id: int) -> int:
    from app.config import Settings
    from app.db import make_engine
    from app.reports import jobs

    settings = Settings()
    engine = make_engine(settings.resolved_database_url)
    try:
        attempt = _claim_in_turn(engine, job_id, settings)
        if attempt is None:
            return 0  # another worker took it, or it is no longer queued
        command = [sys.executable, "-m", "app.reports.worker", "render", str(job_id),
                   str(attempt)]
        cause = run_capped(command, settings.render_memory_mb, settings.render_timeout_seconds,
                           lambda: jobs.beat(engine, job_id, attempt))
        if cause:
            jobs.fail(engine, job_id, attempt, cause)
        return 0
    finally:
        engine.dispose()


def _claim_in_turn(engine, job_id: int, settings) -> int | None:
    """Claim the job as soon as fewer than OVERSIGHT_RENDER_JOBS are running, beating while it
    waits; None if it stops being queued meanwhile."""
    from app.reports import jobs

    beaten = None
    while True:
        attempt = jobs.claim(engine, job_id, settings.render_jobs,
                             settings.render_timeout_seconds)
        if attempt is not None:
            return attempt
        if beaten is None or time.monotonic() - beaten >= BEAT_SECONDS:
            if not jobs.wait_turn(engine, job_id):
                return None
            beaten = time.monotonic()
        time.sleep(POLL_SECONDS)


def run_capped(command: list[str], memory_mb: int, timeout_seconds: int, beat) -> str | None:
    """Run `command` under the caps, calling `beat` every few seconds while it runs. Returns
    why it failed if it died or was stopped; None if it ended normally (having recorded its
    outcome, done or failed, itself)."""
    limit = memory_mb * 1024 * 1024

    def cap_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    # Its own process group, so the parallel layout processes it starts are stopped with it.
    child = subprocess.Popen(command, preexec_fn=cap_memory, start_new_session=True,
                             stdin=subprocess.DEVNULL)
    deadline = time.monotonic() + timeout_seconds
    while True:
        left = deadline - time.monotonic()
        try:
            status = child.wait(timeout=max(0.05, min(BEAT_SECONDS, left)))
            break
        except subprocess.TimeoutExpired:
            if time.monotonic() >= deadline:
                _stop_group(child)
                return f"took longer than {timeout_seconds} s and was stopped"
            beat()
    if status == 0:
        return None
    if status == EXIT_OUT_OF_MEMORY:
        return f"ran out of memory (limit {memory_mb} MB)"
    if status < 0:
        name = signal.Signals(-status).name if -status in signal.valid_signals() else -status
        # Libraries that cannot allocate memory often abort (GLib traps) rather than raise.
        hint = (f"; it may have run out of memory, limit {memory_mb} MB"
                if -status in CRASH_SIGNALS else "")
        return f"stopped unexpectedly (killed by signal {name}{hint})"
    return f"stopped unexpectedly (exit status {status})"


def _stop_group(child: subprocess.Popen) -> None:
    try:
        os.killpg(child.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    child.wait()


def render(job_id: int, attempt: int) -> int:
    """Generate the job's document at the job's clearance, store it, and mark the job done; or
    mark it failed with the cause. Returns 0 once the outcome is recorded."""
    from app.config import Settings
    from app.db import make_engine
    from app.reports import jobs
    from app.reports.generate import generate

    settings = Settings()
    backstop(settings.render_timeout_seconds + 30)
    engine = make_engine(settings.resolved_database_url)
    try:
        try:
            cause = generate(settings, engine, job_id, attempt)
        except Exception as exc:
            if out_of_memory(exc):
                raise  # main() logs it and exits saying so
            traceback.print_exc()  # to the job's log, for whoever looks into it
            cause = f"failed: {type(exc).__name__}: {str(exc)[:300]}"
        if cause:
            jobs.fail(engine, job_id, attempt, cause)
        return 0
    finally:
        engine.dispose()


def backstop(seconds: int) -> None:
    """Should the supervisor itself be killed, this process still ends after `seconds`, and
    with it the layout processes it forked: it leads its own process group (run_capped starts
    it so), and the alarm kills that whole group. Started any other way (by hand, from a
    shell), it ends only itself, never the group it was started in."""
    if os.getpgrp() == os.getpid():
        signal.signal(signal.SIGALRM, lambda _signum, _frame: os.killpg(0, signal.SIGKILL))
    signal.alarm(seconds)


def out_of_memory(exc: BaseException) -> bool:
    seen = exc
    while seen is not None:
        if isinstance(seen, MemoryError) or getattr(seen, "errno", None) == 12:  # ENOMEM
            return True
        seen = seen.__cause__ or seen.__context__
    return _near_memory_limit()


def _near_memory_limit() -> bool:
    soft, _hard = resource.getrlimit(resource.RLIMIT_AS)
    if soft == resource.RLIM_INFINITY:
        return False
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmPeak:"):
                    return int(line.split()[1]) * 1024 >= NEAR_LIMIT * soft
    except (OSError, ValueError):
        pass
    return False


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] in ("start", "supervise") and argv[1].isdigit():
        return (start if argv[0] == "start" else supervise)(int(argv[1]))
    if len(argv) == 3 and argv[0] == "render" and argv[1].isdigit() and argv[2].isdigit():
        try:
            return render(int(argv[1]), int(argv[2]))
        except BaseException as exc:
            if isinstance(exc, SystemExit):
                raise
            if out_of_memory(exc):
                _log_traceback()
                os._exit(EXIT_OUT_OF_MEMORY)  # nothing more can be done safely
            raise
    print(__doc__, file=sys.stderr)
    return 2


def _log_traceback() -> None:
    """The traceback to the job's log, if there is memory enough left to write it."""
    try:
        traceback.print_exc()
        sys.stderr.flush()
    except BaseException:  # noqa: BLE001 - the exit code still says what happened
        pass


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
