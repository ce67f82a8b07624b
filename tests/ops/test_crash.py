"""The crash test: `oversight serve --workers 2` is killed (SIGKILL, the whole process group)
while eight clients write through the forms; after a restart on the same database every write
that was acknowledged is there with its audit event, nothing is half-saved, and the database
passes its integrity checks. Three kill cycles on SQLite and on PostgreSQL.

The PostgreSQL test server runs with fsync off: that is fine here, because the app server is
killed, not the database server; what a commit acknowledged to the app is safe in the database
server's memory and files. SQLite runs in WAL mode with synchronous=NORMAL: a commit is in the
WAL file (in the operating system's cache) before the app answers, so it survives the process
being killed (not a power cut: README, "Running in production")."""

from app.db import make_engine
from tests.ops.conftest import data_folder
from tests.ops.crash_checks import (
    half_saved, integrity_problems, missing_writes, records_without_create_event,
)
from tests.ops.crash_writers import Writer
from tests.ops.serve_process import ServeProcess, wait_for

WRITERS = 8
CYCLES = 3
# Writes acknowledged in a cycle before the kill: every writer is well under way by then.
BEFORE_THE_KILL = WRITERS * 4


def test_acknowledged_writes_survive_the_server_being_killed_repeatedly(
        migrated_url, tmp_path, system):
    acknowledged, problems = [], []
    for cycle in range(CYCLES):
        server = ServeProcess(migrated_url, data_folder(tmp_path),
                              tmp_path / f"server-{cycle}.log").wait_until_ready()
        try:
            already = len(acknowledged)
            writers = [Writer(server.url, f"{cycle}-{number}", acknowledged, problems)
                       for number in range(WRITERS)]
            for writer in writers:
                writer.start()
            wait_for(lambda: len(acknowledged) - already >= BEFORE_THE_KILL or problems,
                     f"{BEFORE_THE_KILL} writes acknowledged")
        finally:
            server.kill()  # mid-stream: the writers are still writing
        for writer in writers:
            writer.join(timeout=120)
        assert not problems, problems
        assert all(writer.cut_off and not writer.is_alive() for writer in writers)

    # Restarted on the same database, the server is ready (its health check reads it).
    server = ServeProcess(migrated_url, data_folder(tmp_path),
                          tmp_path / "server-after.log").wait_until_ready()
    assert server.terminate() == 0
    system.expire_all()
    assert len(acknowledged) >= CYCLES * BEFORE_THE_KILL
    assert missing_writes(system, acknowledged) == []
    assert records_without_create_event(system) == {}
    assert half_saved(system) == []
    engine = make_engine(migrated_url)
    try:
        assert integrity_problems(engine) == []
    finally:
        engine.dispose()
