"""Structured logs: one JSON object per line, carrying the story and job ids of whatever job is running.

``job_context(job=..., story=...)`` binds ids for the code it wraps (the task and ``jobs.run_job``);
``ContextFilter`` copies them onto every record logged meanwhile, from any logger (ours, Celery's, the pipeline's);
``JsonFormatter`` writes the record as one line. Settings wire them into LOGGING.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

_context: ContextVar[dict[str, object]] = ContextVar("sverka_log_context", default={})

# Attributes every LogRecord has; anything else on a record came from ``extra=`` and is written out too.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "taskName"}


@contextmanager
def job_context(**ids: object) -> Iterator[None]:
    """Add ``ids`` (job=..., story=...) to every record logged inside the block."""
    token = _context.set({**_context.get(), **{k: v for k, v in ids.items() if v is not None}})
    try:
        yield
    finally:
        _context.reset(token)


class ContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        for key, value in _context.get().items():
            if not hasattr(record, key):
                setattr(record, key, value)
        return True


class JsonFormatter(logging.Formatter):
    """One line per event: time, level, logger, message, the bound ids and any ``extra=`` fields, and the
    traceback (as one string) when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        event = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "process": record.process,
        }
        event.update({k: v for k, v in vars(record).items() if k not in _STANDARD and not k.startswith("_")})
        if record.exc_info:
            event["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            event["stack"] = self.formatStack(record.stack_info)
        return json.dumps(event, ensure_ascii=False, default=str)
