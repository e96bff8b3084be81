"""Reads of a person's own notifications."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from django.db.models import Max, QuerySet
from django.http import Http404

from werkbrug.core import policy

from .models import Notification

if TYPE_CHECKING:
    from werkbrug.core.models import User


def inbox(*, user: User, kind: str = "", unread: bool = False) -> QuerySet[Notification]:
    policy.authorize(user, "notification.view", None)
    items = Notification.objects.filter(recipient=user)
    if kind:
        items = items.filter(kind=kind)
    if unread:
        items = items.filter(read_at__isnull=True)
    return items


def unread(*, user: User) -> QuerySet[Notification]:
    """The person's unread notifications (the header's badge counts these)."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True)


def unread_count(*, user: User) -> int:
    return unread(user=user).count()


def last_notified(*, kind: str, recipient_ids: Iterable[int]) -> dict[int, datetime]:
    """When each of these people was last told of `kind` (absent: never), for reminders told once."""
    rows = (Notification.objects.filter(kind=kind, recipient_id__in=list(recipient_ids)).values("recipient_id")
            .order_by().annotate(last=Max("created_at")))
    return {row["recipient_id"]: row["last"] for row in rows}


def notification_get(*, user: User, pk: int, action: str = "notification.view") -> Notification:
    """The person's own notification, or 404 (someone else's looks the same as a missing one)."""
    notification = Notification.objects.filter(pk=pk).first() if 0 < pk < 2**63 else None
    if notification is None:
        raise Http404
    policy.authorize(user, action, notification)
    return notification
