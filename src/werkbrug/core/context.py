"""Per-request context (request id, network address, user) for the access log.

Set by `RequestIdMiddleware`; commands and tasks run without it and log their own actor.
"""

from __future__ import annotations

import contextvars
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    request_id: str = ""
    ip_address: str | None = None


EMPTY = RequestContext()
current: contextvars.ContextVar[RequestContext] = contextvars.ContextVar(
    "werkbrug_request_context", default=EMPTY  # noqa: B039 — frozen dataclass, immutable
)


# Access-log records of denied attempts made inside a transaction. The denial usually ends that
# transaction with an exception, which would roll the record back with it; so the record waits
# here and the request middleware writes it once the view has finished.
pending_denials: contextvars.ContextVar[list[dict] | None] = contextvars.ContextVar(
    "werkbrug_pending_denials", default=None
)
