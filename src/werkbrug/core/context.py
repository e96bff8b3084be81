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
    # Another organisation's system acting for a person (FHIR interface): logged with each record.
    system: str = ""


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


# Access granted in this request, as (actor, action, object type, object id). A write view checks
# access before it reads its input, and the service it then calls checks again (a service is also
# called from commands and tasks); the second, identical, granted check writes no second record,
# so that one request still leaves one record. Set by `RequestIdMiddleware`; None outside requests.
granted_checks: contextvars.ContextVar[set[tuple] | None] = contextvars.ContextVar(
    "werkbrug_granted_checks", default=None
)
