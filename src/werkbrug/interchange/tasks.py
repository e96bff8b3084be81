"""Background work of the interchange: FHIR subscription notifications, retried with back-off."""

from __future__ import annotations

from celery import shared_task


@shared_task
def deliver_notification(notification_id: int) -> bool:
    from .subscriptions import deliver

    return deliver(notification_id)


@shared_task
def deliver_due_notifications() -> int:
    """Every minute: what is owed and due (new, or waiting for its next attempt)."""
    from .subscriptions import deliver_due

    return deliver_due()
