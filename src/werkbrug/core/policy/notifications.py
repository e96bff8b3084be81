"""Rules for notifications: a person reads and marks only their own."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import ALLOW, Decision, rule

if TYPE_CHECKING:
    from werkbrug.notifications.models import Notification

    from ..models import User


@rule("notification.view", "notification.change")
def own_notification(user: User, notification: Notification) -> Decision:
    if notification is None:
        return ALLOW  # one's own inbox as a whole
    if notification.recipient_id == user.pk:
        return ALLOW
    return Decision(False, reason="not your notification")
