"""The trial's own record: the study's audit trail (start, amendments, close, unblinding,
imports, auditors) and the screening log that feeds CONSORT's first box."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from werkbrug.clients.models import Client

from .studies import Participant, Study


class StudyEventKind(models.TextChoices):
    STARTED = "started", _("Study started")
    AMENDED = "amended", _("Protocol amended")
    CLOSED = "closed", _("Study closed")
    UNBLINDED = "unblinded", _("Allocation sequence unblinded")
    AUDITOR_ADDED = "auditor_added", _("Auditor added")
    IMPORTED = "imported", _("Data imported")


class StudyEvent(models.Model):
    """Append-only audit trail of a study: one row per lifecycle step, amendment or import, with
    who, when, why and (for amendments) the values before and after."""

    study = models.ForeignKey(Study, verbose_name=_("study"), on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("what"), max_length=16, choices=StudyEventKind.choices)
    at = models.DateTimeField(_("when"))
    effective_on = models.DateField(_("effective date"), null=True, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"), blank=True)
    before = models.JSONField(_("before"), default=dict, blank=True)
    after = models.JSONField(_("after"), default=dict, blank=True)

    class Meta:
        verbose_name = _("study event")
        verbose_name_plural = _("study events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.at:%Y-%m-%d %H:%M})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("a study event is written once")
        super().save(*args, **kwargs)


class ScreeningOutcome(models.TextChoices):
    ELIGIBLE = "eligible", _("Eligible")
    NOT_ELIGIBLE = "not_eligible", _("Not eligible")
    DECLINED = "declined", _("Declined to participate")


class Screening(models.Model):
    """One client assessed for eligibility. Only an eligible, enrolled client is linked (researchers
    know clients only as consenting participants); a client who is not eligible or declined is
    counted with the reason but stays anonymous."""

    study = models.ForeignKey(Study, verbose_name=_("study"), on_delete=models.CASCADE, related_name="screenings")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    participant = models.OneToOneField(
        Participant, on_delete=models.CASCADE, null=True, blank=True, related_name="screening",
    )
    outcome = models.CharField(_("outcome"), max_length=12, choices=ScreeningOutcome.choices)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    screened_on = models.DateField(_("assessed on"))
    screened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("screening")
        verbose_name_plural = _("screenings")
        ordering = ["screened_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["study", "client"], condition=models.Q(client__isnull=False),
                                    name="screening_once_per_client"),
        ]

    def __str__(self) -> str:
        return f"{self.study_id}: {self.outcome}"
