from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from werkbrug.core.choices import DataCategory
from werkbrug.core.models import Organisation

from .clients import Client


class ConsentMethod(models.TextChoices):
    PORTAL = "portal", _("By the client in the portal")
    VERBAL = "verbal", _("Verbally, recorded by a professional")
    PAPER = "paper", _("On paper, recorded by a professional")


class ConsentEvent(models.Model):
    """The full, append-only history of consent: every grant and every withdrawal is a row."""

    class Kind(models.TextChoices):
        GRANT = "grant", _("Given")
        WITHDRAW = "withdraw", _("Withdrawn")

    client = models.ForeignKey(
        Client, verbose_name=_("client"), on_delete=models.CASCADE, related_name="consent_events"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    category = models.CharField(_("data category"), max_length=32, choices=DataCategory.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    method = models.CharField(_("how"), max_length=10, choices=ConsentMethod.choices)
    given_on = models.DateField(_("given on"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("consent event")
        verbose_name_plural = _("consent events")
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["client", "organisation", "category"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.category} → {self.organisation_id} ({self.recorded_at:%Y-%m-%d})"


class ConsentState(models.Model):
    """The current consent per client × organisation × category, kept with every event.

    The policy reads this one row per decision; the history is in `ConsentEvent`.
    """

    client = models.ForeignKey(
        Client, verbose_name=_("client"), on_delete=models.CASCADE, related_name="consents"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    category = models.CharField(_("data category"), max_length=32, choices=DataCategory.choices)
    granted = models.BooleanField(_("given"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    last_event = models.ForeignKey(ConsentEvent, on_delete=models.PROTECT, related_name="+")
    # Optimistic-locking counter: a stale form (an older version) cannot overwrite a newer choice.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.UniqueConstraint(
                fields=["client", "organisation", "category"], name="consent_state_unique"
            )
        ]
        # On PostgreSQL, migration 0003 adds a covering index (client, organisation, category)
        # INCLUDE (granted, valid_until): the policy's per-row question is answered from the index.
        indexes = [models.Index(fields=["organisation", "category", "granted"])]

    def __str__(self) -> str:
        return f"{self.category} → {self.organisation_id}: {'yes' if self.granted else 'no'}"
