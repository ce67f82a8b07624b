"""`oversight serve` as a real process group, the way an init system runs it, for the tests of
shutdown and of crashes."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.conftest import http_client

OVERSIGHT = str(Path(sys.executable).with_name("oversight"))
START_SECONDS = 90  # a stuck start fails the test; on a quiet machine it takes about 3 s


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ServeProcess:
    """`oversight serve --workers N` on a database, in its own process group (so it can be
    killed whole), logging to `log_file`."""

    def __init__(self, database_url: str, data_dir: Path, log_file: Path, workers: int = 2,
                 log_format: str = "json"):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_file = log_file
        environment = {name: value for name, value in os.environ.items()
                       if not name.startswith("OVERSIGHT_")}
        environment |= {"OVERSIGHT_DATABASE_URL": database_url,
                        "OVERSIGHT_DATA_DIR": str(data_dir), "OVERSIGHT_LOG_FORMAT": log_format,
                        "OVERSIGHT_LOG_FILE": str(log_file)}
        self.process = subprocess.Popen(
            [OVERSIGHT, "serve", "--port", str(self.port), "--workers", str(workers)],
            env=environment, start_new_session=True, stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def wait_until_ready(self) -> "ServeProcess":
        deadline = time.monotonic() + START_SECONDS
        with http_client(self.url) as http:
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    raise RuntimeError(f"oversight serve exited with {self.process.returncode}: "
                                       f"{self.process.stderr.read().decode()[-2000:]}")
                try:
                    if http.get("/health").status_code == 200:
                        return self
                except httpx.TransportError:
                    pass
                time.sleep(0.1)
        self.kill()
        raise RuntimeError("oversight serve did not become ready")

    def log_lines(self) -> list[str]:
        return self.log_file.read_text().splitlines() if self.log_file.exists() else []

    def terminate(self, timeout: float = 60) -> int:
        """SIGTERM, as an init system stops a service; the exit status."""
        self.process.send_signal(signal.SIGTERM)
        status = self.process.wait(timeout=timeout)
        self.process.stderr.close()
        return status

    def kill(self) -> None:
        """SIGKILL to the whole process group: the supervisor and every worker at once."""
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=30)
        self.process.stderr.close()


def wait_for(condition, what: str, server: ServeProcess | None = None) -> None:
    """Until `condition` holds; a stuck server fails the test (with its log's end)."""
    deadline = time.monotonic() + 120
    while not condition():
        assert time.monotonic() < deadline, (f"never happened: {what}",
                                             server and server.log_lines()[-20:])
        time.sleep(0.05)
