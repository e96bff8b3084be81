"""Notifications: the in-app record is the source of truth; e-mail is a channel on top of it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import kinds
from .kinds import Channel, Kind


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    # A neutral number (the question's, the trajectory's…) shown beside the kind: never free text.
    ref_number = models.PositiveBigIntegerField(_("reference"), null=True, blank=True)
    link = models.CharField(_("link"), max_length=500)
    object_type = models.CharField(_("object type"), max_length=60, blank=True)
    object_id = models.PositiveBigIntegerField(_("object id"), null=True, blank=True)
    urgent = models.BooleanField(_("urgent"), default=False)
    # A deadline the person must meet (an ambassador's answer), shown in local time.
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    mailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox"),
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return kinds.title(self.kind, f"#{self.ref_number}" if self.ref_number else "")

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class Preference(models.Model):
    """How a person wants one kind of notification mailed (absent: the kind's default)."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    channel = models.CharField(_("e-mail"), max_length=16, choices=Channel.choices)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [models.UniqueConstraint(fields=["person", "kind"], name="notification_preference_once")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.channel}"


class MailSettings(models.Model):
    """The language a person's mails are written in (absent: the site's language)."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE,
        related_name="mail_settings",
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="nl")

    class Meta:
        verbose_name = _("mail settings")
        verbose_name_plural = _("mail settings")

    def __str__(self) -> str:
        return self.language
