from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from werkbrug.clients.models import Client
from werkbrug.core.models import Organisation, Region

from .choices import DeploymentKind, Setting
from .requests import DeploymentRequest


class DeploymentStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    REGISTERED = "registered", _("Registered")
    # A registration taken back by the expert or their coordinator (a recorded withdrawal, never
    # a delete): figures count only REGISTERED.
    WITHDRAWN = "withdrawn", _("Withdrawn")
    # A planned deployment whose request was cancelled before it took place.
    CANCELLED = "cancelled", _("Cancelled")


class Deployment(models.Model):
    """One deployment, registered the same way whatever its kind (inzet)."""

    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("experience expert"), on_delete=models.PROTECT,
        related_name="deployments",
    )
    request = models.ForeignKey(
        DeploymentRequest, verbose_name=_("request"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="deployments",
    )
    status = models.CharField(_("status"), max_length=12, choices=DeploymentStatus.choices, default=DeploymentStatus.REGISTERED)
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=32, choices=DeploymentKind.choices)
    minutes = models.PositiveIntegerField(_("minutes"))
    setting = models.CharField(_("where"), max_length=16, choices=Setting.choices)
    client = models.ForeignKey(Client, verbose_name=_("client"), on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    topic = models.CharField(_("group or topic"), max_length=200, blank=True)
    organisation_served = models.ForeignKey(
        Organisation, verbose_name=_("organisation served"), on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(_("short outcome"), max_length=500, blank=True)
    registered_at = models.DateTimeField(_("registered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("deployment")
        verbose_name_plural = _("deployments")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["expert", "date"]), models.Index(fields=["region", "date"])]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} ({self.minutes} min)"
