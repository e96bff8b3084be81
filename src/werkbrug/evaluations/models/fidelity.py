"""IPS fidelity reviews on the 25-item IPS fidelity scale (each item 1–5)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from werkbrug.core.models import Organisation, Region


class FidelityReview(models.Model):
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="fidelity_reviews")
    organisation = models.ForeignKey(Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+")
    team_name = models.CharField(_("team"), max_length=200)
    reviewed_on = models.DateField(_("review date"))
    reviewers = models.CharField(_("reviewers"), max_length=300, blank=True)
    scores = models.JSONField(_("item scores"), help_text=_("25 scores, item 1 to 25, each 1–5."))
    total = models.PositiveSmallIntegerField(_("total score"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("IPS fidelity review")
        verbose_name_plural = _("IPS fidelity reviews")
        ordering = ["team_name", "reviewed_on"]

    def __str__(self) -> str:
        return f"{self.team_name} {self.reviewed_on}"
