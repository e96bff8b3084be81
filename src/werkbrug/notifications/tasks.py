"""Background work: one mail per notification that is wanted at once, and the daily digest."""

from __future__ import annotations

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from .kinds import Channel
from .mail import send_digest, send_one
from .models import Notification
from .services import channel_for


@shared_task
def send_notification_mail(notification_id: int) -> bool:
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update().select_related("recipient")
            .filter(pk=notification_id, mailed_at__isnull=True).first()
        )
        if notification is None or not notification.recipient.email:
            return False
        if send_one(notification):
            notification.mailed_at = timezone.now()
            notification.save(update_fields=["mailed_at"])
            return True
    return False


@shared_task
def send_digests() -> int:
    """One mail per person with the unread, not yet mailed notifications they want as a digest."""
    sent = 0
    pending = (
        Notification.objects.filter(read_at__isnull=True, mailed_at__isnull=True, recipient__is_active=True)
        .exclude(recipient__email="").select_related("recipient").order_by("recipient_id", "created_at")
    )
    by_person: dict[int, list[Notification]] = {}
    for notification in pending.iterator(chunk_size=2000):
        by_person.setdefault(notification.recipient_id, []).append(notification)
    for notifications in by_person.values():
        person = notifications[0].recipient
        wanted = [n for n in notifications if channel_for(person, n.kind) == Channel.DIGEST]
        if wanted and send_digest(person, wanted):
            Notification.objects.filter(pk__in=[n.pk for n in wanted]).update(mailed_at=timezone.now())
            sent += 1
    return sent
