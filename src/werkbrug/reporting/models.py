"""The region's targets for the dashboard's figures, and who receives the monthly report."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from werkbrug.core.models import Region


class Figure(models.TextChoices):
    """The dashboard's headline figures: each can have a target and a trend."""

    RUNNING = "running", _("Trajectories running in the period")
    STARTED = "started", _("Trajectories started")
    ACTIVE = "active", _("Active trajectories at the end of the period")
    CLIENTS = "clients", _("Clients in the period")
    EMPLOYED_SHARE = "employed_share", _("Share with paid work (%)")
    WORKS_20_SHARE = "works_20_share", _("Share working 20 hours a week or more (%)")
    MEDIAN_DAYS = "median_days", _("Median days to the first job")
    MEAN_HOURS = "mean_hours", _("Mean hours per week (in work)")
    TOTAL_HOURS = "total_hours", _("Total hours worked")
    JOB_STARTS = "job_starts", _("Job starts")


# Figures that are a percentage (a target of at most 100).
PERCENT_FIGURES = frozenset({Figure.EMPLOYED_SHARE, Figure.WORKS_20_SHARE})
# Figures that do not grow with the number of clients: a region's target for them applies to
# one organisation too (the drill-down); a target for a count is the whole region's.
SCALE_FREE_FIGURES = frozenset({Figure.EMPLOYED_SHARE, Figure.WORKS_20_SHARE, Figure.MEDIAN_DAYS, Figure.MEAN_HOURS})
# Figures where a lower value is better (the arrow and the target read the other way round).
LOWER_IS_BETTER = frozenset({Figure.MEDIAN_DAYS})


class Target(models.Model):
    """The region's target for one figure, set by the region administrator."""

    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.CASCADE,
                               related_name="report_targets")
    figure = models.CharField(_("figure"), max_length=32, choices=Figure.choices)
    value = models.DecimalField(_("target"), max_digits=9, decimal_places=1)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("set by"), on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(_("set at"), auto_now=True)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["region", "figure"]
        constraints = [models.UniqueConstraint(fields=["region", "figure"], name="reporting_target_one_per_figure")]

    def __str__(self) -> str:
        return f"{self.get_figure_display()}: {self.value}"


class ReportSubscription(models.Model):
    """A person who receives the monthly regional report (a notification with the PDF's link)."""

    person = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE,
                                  related_name="report_subscription")
    created_at = models.DateTimeField(_("subscribed at"), auto_now_add=True)
    # The first day of the last month reported to this person: a month is never sent twice.
    last_month_sent = models.DateField(_("last month sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("monthly report subscription")
        verbose_name_plural = _("monthly report subscriptions")

    def __str__(self) -> str:
        return str(self.person)
