from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from werkbrug.clients.models import Client
from werkbrug.core.models import Organisation, Region

from .choices import DeploymentKind, Setting
from .profiles import LivedExperienceDomain


class RequestStatus(models.TextChoices):
    OPEN = "open", _("Looking for an expert")
    OFFERED = "offered", _("Waiting for the expert")
    ACCEPTED = "accepted", _("Accepted")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Expired: the period has passed")


class DeploymentRequest(models.Model):
    """A professional asks for an experience expert: for a client, or for a group or topic."""

    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation served"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=DeploymentKind.choices)
    setting = models.CharField(_("where"), max_length=16, choices=Setting.choices, default=Setting.OWN_OFFICE)
    client = models.ForeignKey(
        Client, verbose_name=_("client"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    trajectory = models.ForeignKey(
        "trajectories.Trajectory", verbose_name=_("trajectory"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    topic = models.CharField(_("group or topic"), max_length=200, blank=True)
    domains = models.ManyToManyField(LivedExperienceDomain, verbose_name=_("wanted lived experience"), blank=True)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    minutes = models.PositiveIntegerField(_("expected minutes"), default=60)
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=RequestStatus.choices, default=RequestStatus.OPEN)
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("experience expert"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="+",
    )
    created_at = models.DateTimeField(_("requested at"))
    # Set when the request is cancelled (by whom, why) or expires (by nobody: the daily task).
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("cancelled by"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    close_reason = models.CharField(_("reason for cancelling"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("deployment request")
        verbose_name_plural = _("deployment requests")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["region", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.period_start})"


class OfferOutcome(models.TextChoices):
    PENDING = "pending", _("Waiting")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn: the request was cancelled or expired")


class RequestOffer(models.Model):
    """The request put to one expert. Append-only: a decline leaves the row and frees the request."""

    request = models.ForeignKey(DeploymentRequest, verbose_name=_("request"), on_delete=models.CASCADE, related_name="offers")
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("experience expert"), on_delete=models.PROTECT, related_name="+"
    )
    offered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    offered_at = models.DateTimeField(_("offered at"))
    reasons = models.JSONField(_("why this expert"), default=list, blank=True)
    outcome = models.CharField(_("answer"), max_length=10, choices=OfferOutcome.choices, default=OfferOutcome.PENDING)
    decided_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("offer to an expert")
        verbose_name_plural = _("offers to experts")
        ordering = ["offered_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["request"], condition=models.Q(outcome="pending"), name="ee_one_pending_offer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.request_id} → {self.expert_id}: {self.outcome}"


class ClientWish(models.Model):
    """The client said they would like to talk with an experience expert."""

    trajectory = models.ForeignKey("trajectories.Trajectory", on_delete=models.CASCADE, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("client's wish for an experience expert")
        verbose_name_plural = _("clients' wishes for an experience expert")

    def __str__(self) -> str:
        return f"{self.trajectory_id} ({self.recorded_at:%Y-%m-%d})"
