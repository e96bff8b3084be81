"""E-mail as a channel on top of the in-app notifications: one at a time, or one daily digest.

Mails carry the notification's title (kind and number, no health data), its time in
Europe/Amsterdam and an absolute link to the signed-in page; plain text and HTML, in the
person's language.

Someone without an account (an employer contact taking part in an appointment) is mailed
directly with `send_to_address`: the calling module brings its own templates (no health data, no
client names), the mail is in the region's language, and it may carry attachments (an .ics).
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Sequence

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from werkbrug.core.links import absolute_url, local_datetime

from .models import MailSettings, Notification

logger = logging.getLogger(__name__)


def language_of(person) -> str:
    chosen = MailSettings.objects.filter(person=person).values_list("language", flat=True).first()
    return chosen or settings.LANGUAGE_CODE


def _items(notifications: Sequence[Notification]) -> list[dict]:
    return [
        {"title": n.title, "when": local_datetime(n.created_at),
         "url": absolute_url(reverse("notifications:open", kwargs={"pk": n.pk})), "urgent": n.urgent,
         "due": local_datetime(n.due_at) if n.due_at else ""}
        for n in notifications
    ]


def _send(person, subject: str, template: str, context: dict) -> bool:
    context = {**context, "inbox_url": absolute_url(reverse("notifications:index")),
               "preferences_url": absolute_url(reverse("notifications:preferences"))}
    text = render_to_string(f"notifications/mail/{template}.txt", context)
    html = render_to_string(f"notifications/mail/{template}.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [person.email])
    message.attach_alternative(html, "text/html")
    try:
        message.send()
    except (OSError, smtplib.SMTPException):
        logger.warning("a notification mail could not be sent", exc_info=True)
        return False
    return True


def send_to_address(*, address: str, subject: str, template: str, context: dict,
                    attachments: Sequence[tuple[str, bytes, str]] = (), reply_to: Sequence[str] = ()) -> bool:
    """A mail to an address that has no account: `template` names a `.txt` and an `.html`
    template of the calling app; `attachments` are (file name, content, MIME type). In the
    region's language (LANGUAGE_CODE); False when it could not be sent (logged, not raised)."""
    with translation.override(settings.LANGUAGE_CODE):
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
        message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [address],
                                         reply_to=[r for r in reply_to if r] or None)
        message.attach_alternative(html, "text/html")
        for name, content, mimetype in attachments:
            message.attach(name, content, mimetype)
        try:
            message.send()
        except (OSError, smtplib.SMTPException):
            logger.warning("a mail to an address without an account could not be sent", exc_info=True)
            return False
    return True


def send_one(notification: Notification) -> bool:
    person = notification.recipient
    with translation.override(language_of(person)):
        subject = _("Werkbrug: %(title)s") % {"title": notification.title}
        return _send(person, subject, "notification", {"person": person, "item": _items([notification])[0]})


def send_digest(person, notifications: Sequence[Notification]) -> bool:
    with translation.override(language_of(person)):
        subject = _("Werkbrug: %(n)s new notifications") % {"n": len(notifications)}
        return _send(person, subject, "digest", {"person": person, "items": _items(notifications)})
