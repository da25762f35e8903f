"""Structured logs: one JSON object per line on stderr, each carrying its request's id.

The HTTP side (app/observability.py) sets the request id in a context variable for the length
of a request, so every record logged while it runs (by Eventry, SQLAlchemy or a library) says
which request it belongs to. gunicorn's own messages use the same formatter
(app/cli/gunicorn_config.py), so a log shipper reads one format from the whole process tree.
This module imports no Flask: gunicorn's master loads it before any app exists.
"""

from __future__ import annotations

import json
import logging
import sys
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

# The id of the request being answered in this thread (None outside a request).
REQUEST_ID: ContextVar[str | None] = ContextVar("eventry_request_id", default=None)
# Extra attributes a record may carry (`logger.info(..., extra={...})`), in output order.
FIELDS = ("request_id", "method", "path", "route", "status", "duration_ms", "remote", "db")
APP_LOGGER = "app"  # Flask's app.logger, and the parent of every app.* module's logger


class JsonFormatter(logging.Formatter):
    """time, level, message, the request's fields, and the traceback when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": _utc(record.created),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None) or REQUEST_ID.get()
        for name in FIELDS:
            value = request_id if name == "request_id" else getattr(record, name, None)
            if value is not None:
                entry[name] = value
        if record.exc_info:
            entry["traceback"] = self.formatException(record.exc_info)
        elif record.stack_info:
            entry["traceback"] = self.formatStack(record.stack_info)
        # default=str: a log line must never fail because an extra was not JSON.
        return json.dumps(entry, ensure_ascii=False, default=str)


class _StderrHandler(logging.StreamHandler):
    """Writes to the process's own stderr (file descriptor 2), whatever sys.stderr is swapped
    for: a CLI runner capturing one thread's output must not get a server thread's logs."""

    def __init__(self) -> None:
        super().__init__()
        self.setFormatter(JsonFormatter())

    @property
    def stream(self):  # type: ignore[override]
        return sys.__stderr__ or sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass


def configure(level: int = logging.INFO) -> logging.Logger:
    """Give the app's logger one JSON handler on stderr (however often the app is created)."""
    logger = logging.getLogger(APP_LOGGER)
    for handler in list(logger.handlers):
        if isinstance(handler, _StderrHandler):
            logger.removeHandler(handler)
    logger.addHandler(_StderrHandler())
    logger.setLevel(level)
    # One line per record: under gunicorn the root logger has a JSON handler of its own.
    logger.propagate = False
    return logger


def _utc(timestamp: float) -> str:
    """RFC 3339 in UTC with milliseconds: 2026-01-31T12:00:00.123Z."""
    moment = datetime.fromtimestamp(timestamp, UTC).isoformat(timespec="milliseconds")
    return moment.replace("+00:00", "Z")
