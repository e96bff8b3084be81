"""States of a deployment request as a transition table, and the one definition of "expired".

open → offered (put to an expert) → accepted (the expert said yes), offered → open (declined).
The requester or a coordinator cancels a request that is open, offered or accepted — with a
reason; the expert it was put to is told. A request whose period has ended while nobody had
accepted it (open or offered) is *expired*: it closes itself (the daily task
`werkbrug.experience_experts.tasks.expire_requests`), and until the task has run the services
refuse to offer or accept it. Pages, the API and the counts read the stored state; the task and
the services decide with `is_expired`/`expired_q` below, so "expired" is written down once.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q

from .models import RequestStatus

ALLOWED_REQUEST_CHANGES: dict[str, frozenset[str]] = {
    RequestStatus.OPEN: frozenset({RequestStatus.OFFERED, RequestStatus.CANCELLED, RequestStatus.EXPIRED}),
    RequestStatus.OFFERED: frozenset({RequestStatus.ACCEPTED, RequestStatus.OPEN, RequestStatus.CANCELLED,
                                      RequestStatus.EXPIRED}),
    RequestStatus.ACCEPTED: frozenset({RequestStatus.CANCELLED}),
    RequestStatus.CANCELLED: frozenset(),
    RequestStatus.EXPIRED: frozenset(),
}

# Waiting for an expert: the states that expire when the period has passed.
WAITING = frozenset({RequestStatus.OPEN, RequestStatus.OFFERED})
CLOSED = frozenset({RequestStatus.CANCELLED, RequestStatus.EXPIRED})


def can_change(current: str, new: str) -> bool:
    return new in ALLOWED_REQUEST_CHANGES.get(current, frozenset())


def is_expired(*, status: str, period_end: date, today: date) -> bool:
    """Still waiting for an expert on a day after the requested period ended."""
    return status in WAITING and period_end < today


def expired_q(today: date) -> Q:
    """`is_expired` as a queryset filter (the daily task and any count of expired requests)."""
    return Q(status__in=list(WAITING), period_end__lt=today)
