"""Notifications: one service that every module calls for an event that needs someone.

`notify` writes the in-app notification (the source of truth) in the caller's transaction and,
once that commits, hands the e-mail to the background worker when the person wants it at once
(or the notification is urgent). Titles are made from the kind and a number only, so no client
name or health data can reach a title or a mail; the link leads to the signed-in page.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from werkbrug.core import policy

from .kinds import INFO, Channel
from .models import MailSettings, Notification, Preference

if TYPE_CHECKING:
    from werkbrug.core.models import User

__all__ = [
    "notify", "notify_many", "notification_mark_read", "notifications_mark_all_read",
    "notification_mark_done", "preference_set", "mail_language_set", "channel_for",
]


def channel_for(person: User, kind: str) -> str:
    chosen = Preference.objects.filter(person=person, kind=kind).values_list("channel", flat=True).first()
    return chosen or INFO[kind].default_channel


def notify(
    *, recipient: User, kind: str, link: str, obj: Any = None, ref_number: int | None = None,
    urgent: bool = False, due_at: datetime | None = None,
) -> Notification | None:
    """Tell `recipient` about `obj`. Nobody is told of their own act: callers pass the actor out."""
    if recipient is None or not recipient.is_active:
        return None
    if hasattr(obj, "_meta"):  # one unread notice per person, kind and object: no bursts
        waiting = Notification.objects.filter(recipient=recipient, kind=kind, object_type=obj._meta.label_lower,
                                              object_id=obj.pk, read_at__isnull=True).first()
        if waiting is not None:
            return waiting
    notification = Notification.objects.create(
        recipient=recipient, kind=kind, link=link, urgent=urgent and INFO[kind].urgent_capable,
        ref_number=ref_number if ref_number is not None else getattr(obj, "pk", None),
        object_type=obj._meta.label_lower if hasattr(obj, "_meta") else "",
        object_id=getattr(obj, "pk", None), due_at=due_at,
    )
    if recipient.email and (notification.urgent or channel_for(recipient, kind) == Channel.IMMEDIATE):
        from .tasks import send_notification_mail

        transaction.on_commit(lambda: send_notification_mail.delay(notification.pk))
    return notification


def notify_many(*, recipients: Iterable[User], actor: User | None = None, **fields: Any) -> list[Notification]:
    """`notify` for each recipient once, leaving out the person who acted."""
    seen: set[int] = set()
    made = []
    for person in recipients:
        if person is None or person.pk in seen or (actor is not None and person.pk == actor.pk):
            continue
        seen.add(person.pk)
        made_one = notify(recipient=person, **fields)
        if made_one is not None:
            made.append(made_one)
    return made


def notification_mark_read(*, user: User, notification: Notification, now: datetime | None = None) -> Notification:
    policy.authorize(user, "notification.change", notification)
    if notification.read_at is None:
        notification.read_at = now or timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notification_mark_done(*, user: User, notification: Notification, now: datetime | None = None) -> Notification:
    policy.authorize(user, "notification.change", notification)
    moment = now or timezone.now()
    notification.done_at = notification.done_at or moment
    notification.read_at = notification.read_at or moment
    notification.save(update_fields=["done_at", "read_at"])
    return notification


def notifications_mark_all_read(*, user: User, kind: str = "", now: datetime | None = None) -> int:
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if kind:
        unread = unread.filter(kind=kind)
    return unread.update(read_at=now or timezone.now())


@transaction.atomic
def preference_set(*, user: User, kind: str, channel: str) -> None:
    if channel == INFO[kind].default_channel:
        Preference.objects.filter(person=user, kind=kind).delete()
    else:
        Preference.objects.update_or_create(person=user, kind=kind, defaults={"channel": channel})


def mail_language_set(*, user: User, language: str) -> None:
    MailSettings.objects.update_or_create(person=user, defaults={"language": language})
