"""Logs with the request id: one JSON object per line in production, plain text elsewhere.

`RequestIdMiddleware` (core) takes the request id from X-Request-ID or makes one and keeps it in
a context variable (`core.context.current`); `RequestIdFilter` copies it onto every log record
made while the request runs, in whatever thread of the request's context. `JsonFormatter` writes
a record as one JSON line: time (UTC), level, logger, message, request id, the exception if any,
and the `extra={...}` fields given to the call. This module imports nothing from Django's
settings: the settings themselves build LOGGING with `logging_config()`.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

# The attributes every LogRecord has; anything else on a record came from `extra=`.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "request_id"}


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        from werkbrug.core.context import current

        if not getattr(record, "request_id", ""):
            record.request_id = current.get().request_id or "-"
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


def logging_config(*, json_lines: bool, level: str) -> dict[str, Any]:
    """The LOGGING setting: every record to standard error, with its request id."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "werkbrug.operations.logs.RequestIdFilter"}},
        "formatters": {
            "json": {"()": "werkbrug.operations.logs.JsonFormatter"},
            "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "filters": ["request_id"],
                "formatter": "json" if json_lines else "plain",
            }
        },
        "root": {"handlers": ["console"], "level": level},
    }
