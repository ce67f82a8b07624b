"""The server's log: one line per record, JSON (for a log collector) or text (for a person),
on standard error or in OVERSIGHT_LOG_FILE. Uvicorn applies this configuration in each worker
process, so the app's and uvicorn's own lines come out alike."""

import contextvars
import json
import logging
from datetime import datetime, timezone

# The request being served by this task or thread (sync routes run in a copy of the context).
current_request_id: contextvars.ContextVar[str] = contextvars.ContextVar(
    "request_id", default="")

# Attributes every LogRecord has; anything else on a record was passed as `extra`.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "color_message"}


class RequestIdFilter(logging.Filter):
    """Stamps each record with the id of the request it was logged for, if any."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            record.request_id = current_request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """A record as one JSON object: time, level, logger, message, worker pid, request id, the
    fields passed as `extra`, and the traceback if there is one."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, timezone.utc)
            .isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "pid": record.process,
        }
        for name, value in vars(record).items():
            if name not in _STANDARD and value not in ("", None):
                line[name] = value
        if record.exc_info:
            line["traceback"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """A record as a line a person reads: the request's fields after the message."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)-7s [%(process)d] %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        fields = {name: value for name, value in vars(record).items()
                  if name not in _STANDARD and value not in ("", None)}
        if fields:
            first, _, rest = text.partition("\n")
            listed = " ".join(f"{name}={value}" for name, value in fields.items())
            text = f"{first} {listed}" + (f"\n{rest}" if rest else "")
        return text


def logging_config(level: str, format_: str, file: str = "") -> dict:
    """A logging.config.dictConfig for uvicorn's `log_config`. Uvicorn's access log is off:
    the request log (app.serving.request_log) replaces it."""
    # Watched: reopened when logrotate has moved the file away.
    handler = ({"class": "logging.handlers.WatchedFileHandler", "filename": file,
                "encoding": "utf-8"}
               if file else {"class": "logging.StreamHandler", "stream": "ext://sys.stderr"})
    handler |= {"formatter": format_, "filters": ["request_id"]}
    logger = {"handlers": ["default"], "level": level.upper(), "propagate": False}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": RequestIdFilter}},
        "formatters": {"json": {"()": JsonFormatter}, "text": {"()": TextFormatter}},
        "handlers": {"default": handler},
        "loggers": {"oversight": logger, "uvicorn": logger, "uvicorn.error": logger,
                    "uvicorn.access": {"handlers": [], "propagate": False}},
    }
