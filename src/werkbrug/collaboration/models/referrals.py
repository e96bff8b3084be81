from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from werkbrug.core.models import Organisation
from werkbrug.trajectories.models import Trajectory


class ReferralService(models.TextChoices):
    DEBT_COUNSELLING = "debt_counselling", _("Debt counselling")
    IPS = "ips", _("IPS job support")
    WORK_FOCUSED_CBT = "work_focused_cbt", _("Work-focused CBT")
    WORK_COMPANY = "work_company", _("Work company")
    EXPERIENCE_EXPERT = "experience_expert", _("Experience expert")
    REINTEGRATION = "reintegration", _("Re-integration programme")
    OTHER = "other", _("Other service")


class ReferralState(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    COMPLETED = "completed", _("Completed")


class ReferralOutcome(models.TextChoices):
    SUCCESSFUL = "successful", _("Successful")
    NOT_SUCCESSFUL = "not_successful", _("Not successful")


class Referral(models.Model):
    """A team member refers the client to another organisation's service."""

    trajectory = models.ForeignKey(
        Trajectory, verbose_name=_("trajectory"), on_delete=models.CASCADE, related_name="referrals"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("to organisation"), on_delete=models.PROTECT, related_name="referrals_received"
    )
    service = models.CharField(_("service"), max_length=32, choices=ReferralService.choices)
    question = models.TextField(
        _("question"), max_length=2000,
        help_text=_("What the client needs from this service. Share only what the referral needs."),
    )
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("referred by"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(_("state"), max_length=12, choices=ReferralState.choices, default=ReferralState.REQUESTED)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("handled by"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=ReferralOutcome.choices, blank=True)
    reason = models.CharField(_("reason"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("referred at"), db_index=True)
    changed_at = models.DateTimeField(_("last change"))

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "state"])]

    def __str__(self) -> str:
        return f"{self.get_service_display()} → {self.organisation}"


class ReferralEvent(models.Model):
    """Append-only history of a referral: every step with who, when and why."""

    referral = models.ForeignKey(Referral, verbose_name=_("referral"), on_delete=models.CASCADE, related_name="events")
    from_state = models.CharField(_("from"), max_length=12, choices=ReferralState.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=12, choices=ReferralState.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"))
    reason = models.CharField(_("reason"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("referral step")
        verbose_name_plural = _("referral steps")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_state or '-'} → {self.to_state} ({self.at:%Y-%m-%d})"
