"""The audit trail of region administration: one row per change, never edited or removed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from werkbrug.core.models import Organisation, Region


class EventAction(models.TextChoices):
    ORGANISATION_ADDED = "organisation_added", _("Organisation added")
    ORGANISATION_CHANGED = "organisation_changed", _("Organisation changed")
    PERSON_INVITED = "person_invited", _("Person invited")
    PERSON_CHANGED = "person_changed", _("Person changed")
    INVITATION_RESENT = "invitation_resent", _("Invitation sent again")
    PASSWORD_SET = "password_set", _("Password set through the invitation")
    ROLE_GIVEN = "role_given", _("Role given")
    ROLE_TAKEN = "role_taken", _("Role taken")
    IDENTITY_LINKED = "identity_linked", _("Sign-in identity linked")
    IDENTITY_UNLINKED = "identity_unlinked", _("Sign-in identity unlinked")
    HANDED_OVER = "handed_over", _("Client teams handed over")
    PERSON_DEACTIVATED = "person_deactivated", _("Account deactivated")
    SYSTEM_REGISTERED = "system_registered", _("Connected system registered")
    SYSTEM_SECRET_RENEWED = "system_secret_renewed", _("Secret of a connected system renewed")
    SYSTEM_REVOKED = "system_revoked", _("Connected system revoked")
    SYSTEM_CHANGED = "system_changed", _("Persons or keys of a connected system changed")
    PERSON_REACTIVATED = "person_reactivated", _("Account reactivated")


class AppendOnly(Exception):
    """An audit event is written once; a change is a new event."""


class AdministrationEvent(models.Model):
    """Who changed what in the region's administration, when, with the values before and after."""

    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("when"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+",
    )
    action = models.CharField(_("what"), max_length=32, choices=EventAction.choices)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="administration_events",
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    before = models.JSONField(_("before"), default=dict, blank=True)
    after = models.JSONField(_("after"), default=dict, blank=True)

    class Meta:
        verbose_name = _("administration event")
        verbose_name_plural = _("administration events")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["region", "at"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.at:%Y-%m-%d %H:%M})"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise AppendOnly("an administration event is never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("an administration event is never removed")
