"""The history of a registered deployment: every correction and a withdrawal, append-only."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .deployments import Deployment


class VersionChange(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    CORRECTED = "corrected", _("Corrected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class DeploymentVersion(models.Model):
    """One version of a registration: the figures as they were after the change, who, when, why.

    Version 1 is the registration as first made (written when the first correction comes, from the
    row itself); every correction or the withdrawal adds the next. Rows are never changed or removed.
    """

    deployment = models.ForeignKey(Deployment, verbose_name=_("deployment"), on_delete=models.PROTECT,
                                   related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    change = models.CharField(_("change"), max_length=12, choices=VersionChange.choices)
    data = models.JSONField(_("figures"), default=dict)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("changed by"), on_delete=models.PROTECT,
                                   related_name="+")
    changed_at = models.DateTimeField(_("changed at"))

    class Meta:
        verbose_name = _("version of a registration")
        verbose_name_plural = _("versions of registrations")
        ordering = ["deployment", "number"]
        constraints = [models.UniqueConstraint(fields=["deployment", "number"], name="ee_deployment_version_once")]

    def __str__(self) -> str:
        return f"{self.deployment_id} v{self.number} ({self.change})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("versions of a registration are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("versions of a registration are append-only")
