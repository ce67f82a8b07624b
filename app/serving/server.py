"""`oversight serve`: uvicorn with production settings, one process or several.

Several workers run under uvicorn's own supervisor (it restarts a worker that dies and passes
SIGTERM on to every worker); gunicorn would add nothing this needs. On SIGTERM each worker stops
accepting, finishes the requests in flight (for at most the graceful timeout) and exits.
"""

import signal

import uvicorn

from app.config import Settings
from app.serving.logs import logging_config


def serve(settings: Settings, *, host: str, port: int, workers: int, reload: bool,
          graceful_timeout: int, keep_alive: int, security_options: dict) -> None:
    # uvicorn ends by raising the SIGTERM it caught again; exiting 0 afterwards tells a process
    # supervisor that the shutdown was the clean one it asked for.
    signal.signal(signal.SIGTERM, _exit_cleanly)
    uvicorn.run(
        "app.main:create_app", factory=True, host=host, port=port, reload=reload,
        workers=None if reload else workers,
        timeout_graceful_shutdown=graceful_timeout, timeout_keep_alive=keep_alive,
        access_log=False, log_level=settings.log_level.lower(),
        log_config=logging_config(settings.log_level, settings.log_format, settings.log_file),
        # A worker that does not answer its supervisor's ping for this long is replaced; the
        # default 5 s replaces busy workers on a loaded machine.
        timeout_worker_healthcheck=30, server_header=False, **security_options)


def _exit_cleanly(_signal, _frame) -> None:
    raise SystemExit(0)
