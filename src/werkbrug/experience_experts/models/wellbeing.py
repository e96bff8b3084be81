from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CheckIn(models.Model):
    """The expert's weekly check-in. Private: only the expert and their coordinator see it."""

    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    week = models.DateField(_("week (Monday)"))
    energy = models.PositiveSmallIntegerField(_("energy (1 low – 5 high)"))
    load = models.PositiveSmallIntegerField(_("load (1 light – 5 heavy)"))
    note = models.TextField(_("note on limits"), blank=True)
    created_at = models.DateTimeField(_("filled in at"))

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["-week"]
        constraints = [
            models.UniqueConstraint(fields=["expert", "week"], name="ee_checkin_once_a_week"),
            models.CheckConstraint(condition=models.Q(energy__gte=1, energy__lte=5), name="ee_checkin_energy_1_5"),
            models.CheckConstraint(condition=models.Q(load__gte=1, load__lte=5), name="ee_checkin_load_1_5"),
        ]

    def __str__(self) -> str:
        return f"{self.expert_id} {self.week}"


class SignalKind(models.TextChoices):
    OUT_OF_BALANCE = "out_of_balance", _("Out of balance two months running")
    OVER_CONTRACT = "over_contract", _("More hours than the contract in a week")
    OVER_LIMIT = "over_limit", _("More client contact than the own limit in a week")
    LOW_ENERGY = "low_energy", _("Low energy three weeks in a row")


class ExpertSignal(models.Model):
    """A signal to the coordinator (and the expert). One per expert, kind and period."""

    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=SignalKind.choices)
    period = models.DateField(_("period"), help_text=_("The week (Monday) or month (first day) it is about."))
    detail = models.CharField(_("detail"), max_length=300)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("expert signal")
        verbose_name_plural = _("expert signals")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["expert", "kind", "period"], name="ee_signal_once")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.period})"
