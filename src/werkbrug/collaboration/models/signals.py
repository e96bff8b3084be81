from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from werkbrug.trajectories.models import Trajectory


class SignalCategory(models.TextChoices):
    MOOD = "mood", _("Mood")
    DEBTS = "debts", _("Debts")
    HEALTH = "health", _("Health")
    HOUSING = "housing", _("Housing")
    WORK = "work", _("Work")
    OTHER = "other", _("Other")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")


class Signal(models.Model):
    """A warning from one team member to others about something that affects the route to work."""

    trajectory = models.ForeignKey(
        Trajectory, verbose_name=_("trajectory"), on_delete=models.CASCADE, related_name="signals"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("from"), on_delete=models.PROTECT, related_name="+"
    )
    category = models.CharField(_("about"), max_length=16, choices=SignalCategory.choices)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    text = models.TextField(_("message"), max_length=4000)
    whole_team = models.BooleanField(_("to the whole team"), default=False)
    created_at = models.DateTimeField(_("sent at"), db_index=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    escalated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("escalated to"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )

    class Meta:
        verbose_name = _("signal")
        verbose_name_plural = _("signals")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["urgency", "escalated_at", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_category_display()} ({self.created_at:%Y-%m-%d})"


class SignalRecipient(models.Model):
    """One addressee of a signal; acknowledging is per recipient and timestamped."""

    signal = models.ForeignKey(Signal, verbose_name=_("signal"), on_delete=models.CASCADE, related_name="recipients")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.PROTECT, related_name="signals_received"
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    # Added by escalation (the plan director), not chosen by the author.
    by_escalation = models.BooleanField(_("added by escalation"), default=False)

    class Meta:
        verbose_name = _("signal recipient")
        verbose_name_plural = _("signal recipients")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["signal", "person"], name="signal_recipient_once")]
        indexes = [models.Index(fields=["person", "acknowledged_at"])]

    def __str__(self) -> str:
        return str(self.person)
