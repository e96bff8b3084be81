from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .trajectories import Trajectory


class IntakeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    COMPLETE = "complete", _("Complete")


class Intake(models.Model):
    """The integrated intake: care and work & income in one conversation, one record.

    No diagnosis is asked for or stored. Each group of fields is a section with a data category
    (see `werkbrug.trajectories.intake.SECTIONS`); the policy shows a section only to team members
    whose organisation the client consented to for that category.
    """

    trajectory = models.OneToOneField(
        Trajectory, verbose_name=_("trajectory"), on_delete=models.CASCADE, related_name="intake"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=IntakeStatus.choices, default=IntakeStatus.DRAFT
    )
    # Support needs (care)
    support_needs = models.TextField(
        _("support needs"), blank=True,
        help_text=_("What help does the client want, in daily life and at work? No diagnosis."),
    )
    # Work history, education, wishes, income (work and income)
    work_history = models.TextField(_("work history"), blank=True)
    education = models.TextField(_("education"), blank=True)
    wished_hours_per_week = models.PositiveSmallIntegerField(
        _("hours per week wished"), null=True, blank=True
    )
    wished_sector = models.CharField(_("sector or kind of work wished"), max_length=200, blank=True)
    wished_conditions = models.TextField(
        _("conditions"), blank=True,
        help_text=_("For example: quiet workplace, fixed hours, close to home."),
    )
    income_and_benefit = models.TextField(_("income and benefit"), blank=True)
    # Debts
    has_debts = models.BooleanField(_("has debts"), null=True, blank=True)
    debts = models.TextField(_("debts"), blank=True)
    # Living situation and network (care context)
    living_situation = models.TextField(_("living situation"), blank=True)
    social_network = models.TextField(_("social network"), blank=True)
    # Participation: shared with the whole team
    own_goal = models.TextField(
        _("the client's own goal"), blank=True, help_text=_("In the client's own words.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("last changed by"), on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("last changed at"), auto_now=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    # Optimistic locking: a form saved on an older version is refused, nothing is lost.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("intake")
        verbose_name_plural = _("intakes")

    def __str__(self) -> str:
        return f"{self.trajectory_id} ({self.status})"
