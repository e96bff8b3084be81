from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from werkbrug.trajectories.models import Trajectory


class IPSPhase(models.TextChoices):
    REGISTRATION = "registration", _("Registration")
    INTAKE = "intake", _("Intake")
    VOCATIONAL_PROFILE = "vocational_profile", _("Vocational profile")
    JOB_SEARCH = "job_search", _("Job search")
    PLACEMENT = "placement", _("Placement")
    JOB_SUPPORT = "job_support", _("Job support")
    CLOSED = "closed", _("Closed")


class PhaseChange(models.Model):
    """Append-only: the IPS phase of a trajectory from `changed_on`; the latest row is current."""

    trajectory = models.ForeignKey(
        Trajectory, verbose_name=_("trajectory"), on_delete=models.CASCADE, related_name="ips_phase_changes"
    )
    phase = models.CharField(_("phase"), max_length=24, choices=IPSPhase.choices)
    changed_on = models.DateField(_("from date"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("IPS phase change")
        verbose_name_plural = _("IPS phase changes")
        ordering = ["changed_on", "recorded_at", "id"]
        indexes = [models.Index(fields=["trajectory", "-changed_on", "-id"])]

    def __str__(self) -> str:
        return f"{self.get_phase_display()} ({self.changed_on:%Y-%m-%d})"


class EmployerContactKind(models.TextChoices):
    FIRST_CONTACT = "first_contact", _("First contact")
    FOLLOW_UP = "follow_up", _("Follow-up")
    JOB_DEVELOPMENT = "job_development", _("Job development")
    PLACEMENT_TALK = "placement_talk", _("Placement talk")
    JOB_SUPPORT = "job_support", _("Support talk with employer")
    OTHER = "other", _("Other")


class EmployerContact(models.Model):
    trajectory = models.ForeignKey(
        Trajectory, verbose_name=_("trajectory"), on_delete=models.CASCADE, related_name="employer_contacts"
    )
    contacted_on = models.DateField(_("date"))
    employer_name = models.CharField(_("employer"), max_length=200)
    kind = models.CharField(_("kind of contact"), max_length=20, choices=EmployerContactKind.choices)
    note = models.CharField(_("note"), max_length=1000, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("employer contact")
        verbose_name_plural = _("employer contacts")
        ordering = ["-contacted_on", "-id"]

    def __str__(self) -> str:
        return f"{self.employer_name} ({self.contacted_on:%Y-%m-%d})"


class ContractType(models.TextChoices):
    PERMANENT = "permanent", _("Permanent contract")
    FIXED_TERM = "fixed_term", _("Fixed-term contract")
    ON_CALL = "on_call", _("On-call contract")
    TEMP_AGENCY = "temp_agency", _("Temping agency")
    SELF_EMPLOYED = "self_employed", _("Self-employed")
    TRIAL_PLACEMENT = "trial_placement", _("Trial placement (unpaid)")
    OTHER = "other", _("Other")


class JobEndReason(models.TextChoices):
    CONTRACT_ENDED = "contract_ended", _("Contract ended")
    RESIGNED = "resigned", _("Client resigned")
    DISMISSED = "dismissed", _("Dismissed")
    HEALTH = "health", _("Health reasons")
    BETTER_JOB = "better_job", _("Moved to another job")
    OTHER = "other", _("Other")


class Job(models.Model):
    """A job start, and later its ending. Competitive: a regular job, paid at least minimum wage,
    open to anyone (the IPS definition), not reserved for people with a disability."""

    trajectory = models.ForeignKey(Trajectory, verbose_name=_("trajectory"), on_delete=models.CASCADE, related_name="jobs")
    employer_name = models.CharField(_("employer"), max_length=200)
    job_title = models.CharField(_("job title"), max_length=200)
    start = models.DateField(_("start date"))
    hours_per_week = models.DecimalField(_("hours per week"), max_digits=4, decimal_places=1)
    hourly_wage = models.DecimalField(_("hourly wage (€)"), max_digits=6, decimal_places=2, null=True, blank=True)
    contract_type = models.CharField(_("contract type"), max_length=20, choices=ContractType.choices)
    competitive = models.BooleanField(_("competitive job"), help_text=_("A regular job open to anyone, paid at least the minimum wage."))
    end = models.DateField(_("end date"), null=True, blank=True, help_text=_("The last working day."))
    end_reason = models.CharField(_("reason for ending"), max_length=20, choices=JobEndReason.choices, blank=True)
    end_note = models.CharField(_("note on the ending"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"))
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("ending recorded by"), on_delete=models.PROTECT,
                                 null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ["-start", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(hours_per_week__gt=0), name="job_hours_positive"),
            models.CheckConstraint(condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                                   name="job_end_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.job_title} — {self.employer_name}"

    @property
    def client_id(self) -> int:
        return self.trajectory.client_id
