"""Studies, their arms and research team, participants, recruitment stages and allocations."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from werkbrug.clients.models import Client
from werkbrug.core.models import Organisation, Region

STUDY_PSEUDONYM_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_seed() -> int:
    return secrets.randbelow(2**31)


class Design(models.TextChoices):
    ACTION_RESEARCH = "action_research", _("Action research")
    RCT = "rct", _("Randomised trial")
    PRE_POST = "pre_post", _("Pre–post")
    DESCRIPTIVE = "descriptive", _("Descriptive")


class StudyStatus(models.TextChoices):
    DRAFT = "draft", _("In preparation")
    RUNNING = "running", _("Running")
    CLOSED = "closed", _("Closed")


class Stratifier(models.TextChoices):
    ORGANISATION = "organisation", _("Organisation")
    BENEFIT = "benefit", _("Benefit")


class Study(models.Model):
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="studies")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("research organisation"), on_delete=models.PROTECT, related_name="studies",
        help_text=_("Clients enter only with research consent for this organisation."),
    )
    title = models.CharField(_("title"), max_length=200)
    research_question = models.TextField(_("research question"))
    design = models.CharField(_("design"), max_length=20, choices=Design.choices)
    eligibility = models.TextField(_("eligibility criteria"), blank=True)
    eligible_benefits = models.JSONField(
        _("eligible benefits"), default=list, blank=True,
        help_text=_("Only clients with one of these benefits are eligible; empty means all."),
    )
    starts_on = models.DateField(_("start date"))
    ends_on = models.DateField(_("end date"))
    status = models.CharField(_("status"), max_length=10, choices=StudyStatus.choices, default=StudyStatus.DRAFT)
    # Auditors (a trial monitor, the independent statistician): researchers outside the team who
    # read the full allocation log, sequence included. The team sees the sequence once unblinded.
    auditors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("auditors"), related_name="audited_studies", blank=True
    )
    unblinded_at = models.DateTimeField(_("unblinded at"), null=True, blank=True)
    researchers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("research team"), related_name="studies", blank=True
    )
    # Randomisation settings. The seed is never shown: with it the sequence could be foreseen.
    seed = models.BigIntegerField(_("randomisation seed"), default=new_seed, editable=False)
    block_multipliers = models.JSONField(
        _("block size multipliers"), default=list, blank=True,
        help_text=_("Block sizes are these multiples of the sum of the allocation ratio, chosen at random."),
    )
    stratify_by = models.JSONField(_("stratify by"), default=list, blank=True)
    follow_up_days = models.JSONField(_("follow-up time points (days)"), default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("study")
        verbose_name_plural = _("studies")
        ordering = ["-starts_on", "title"]

    def __str__(self) -> str:
        return self.title


class Arm(models.Model):
    study = models.ForeignKey(Study, verbose_name=_("study"), on_delete=models.CASCADE, related_name="arms")
    name = models.CharField(_("name"), max_length=120)
    code = models.SlugField(_("code"), max_length=30)
    description = models.TextField(_("description"), blank=True)
    ratio = models.PositiveSmallIntegerField(_("allocation ratio"), default=1)
    is_control = models.BooleanField(_("control arm"), default=False)
    # Empty: open to every stratum. Otherwise the stratum values ("benefit=wajong", "organisation=12")
    # in which this arm is offered.
    strata = models.JSONField(_("only in strata"), default=list, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("arm")
        verbose_name_plural = _("arms")
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["study", "code"], name="arm_unique_code")]

    def __str__(self) -> str:
        return self.name


class Stage(models.TextChoices):
    ELIGIBLE = "eligible", _("Eligible")
    INFORMED = "informed", _("Informed")
    CONSENTED = "consented", _("Consented")
    RANDOMISED = "randomised", _("Randomised")
    STARTED = "started", _("Started")
    FOLLOWED_UP = "followed_up", _("Followed up")
    ANALYSED = "analysed", _("Analysed")
    EXCLUDED = "excluded", _("Excluded")
    DROPPED_OUT = "dropped_out", _("Dropped out")


def new_study_pseudonym() -> str:
    return "P-" + "".join(secrets.choice(STUDY_PSEUDONYM_ALPHABET) for _ in range(6))


class Participant(models.Model):
    """A client in a study. Researchers know them only by `study_pseudonym`."""

    study = models.ForeignKey(Study, verbose_name=_("study"), on_delete=models.PROTECT, related_name="participants")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="study_participations")
    study_pseudonym = models.CharField(_("participant"), max_length=12, default=new_study_pseudonym)
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices, default=Stage.ELIGIBLE)
    stage_reason = models.CharField(_("reason"), max_length=300, blank=True)
    stratum = models.CharField(_("stratum"), max_length=120, blank=True)
    enrolled_at = models.DateTimeField(_("enrolled at"))
    # The CONSORT flow after allocation (services.participant_flow_set; only for a randomised
    # participant, each with its reason): did not receive the allocated intervention, lost to
    # follow-up, excluded from analysis (the last also leaves the analysed set).
    not_received = models.BooleanField(_("did not receive allocated intervention"), default=False)
    not_received_reason = models.CharField(_("reason not received"), max_length=300, blank=True)
    lost_to_follow_up = models.BooleanField(_("lost to follow-up"), default=False)
    lost_to_follow_up_reason = models.CharField(_("reason lost to follow-up"), max_length=300, blank=True)
    excluded_from_analysis = models.BooleanField(_("excluded from analysis"), default=False)
    excluded_from_analysis_reason = models.CharField(_("reason excluded from analysis"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["study_pseudonym"]
        constraints = [
            models.UniqueConstraint(fields=["study", "client"], name="participant_once_per_study"),
            models.UniqueConstraint(fields=["study", "study_pseudonym"], name="participant_unique_pseudonym"),
        ]

    def __str__(self) -> str:
        return self.study_pseudonym


class StageEvent(models.Model):
    """Append-only history of a participant's recruitment stages."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="stage_events")
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    occurred_on = models.DateField(_("date"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        ordering = ["recorded_at", "id"]

    def __str__(self) -> str:
        return f"{self.participant_id}: {self.stage}"


class Allocation(models.Model):
    """The arm a participant was randomised to. Never changed or deleted (database triggers)."""

    study = models.ForeignKey(Study, on_delete=models.PROTECT, related_name="allocations")
    participant = models.OneToOneField(Participant, on_delete=models.PROTECT, related_name="allocation")
    arm = models.ForeignKey(Arm, verbose_name=_("arm"), on_delete=models.PROTECT, related_name="allocations")
    stratum = models.CharField(_("stratum"), max_length=120, blank=True)
    sequence_number = models.PositiveIntegerField(_("number in stratum"))
    block_number = models.PositiveIntegerField(_("block"))
    block_size = models.PositiveSmallIntegerField(_("block size"))
    randomised_on = models.DateField(_("randomised on"))
    randomised_at = models.DateTimeField(_("randomised at"))
    randomised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # An allocation made elsewhere (a finished trial entered afterwards): the arm was given, not
    # drawn here; numbered apart from the drawn ones (block 0) so the sequence is not used up.
    imported_in = models.ForeignKey(
        "evaluations.StudyEvent", verbose_name=_("imported in"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        ordering = ["randomised_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["study", "stratum", "sequence_number"], condition=models.Q(imported_in__isnull=True),
                name="allocation_unique_position",
            ),
            models.UniqueConstraint(
                fields=["study", "stratum", "sequence_number"], condition=models.Q(imported_in__isnull=False),
                name="allocation_unique_imported_position",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} → {self.arm_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("An allocation can never be changed."), code="immutable")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("An allocation can never be deleted."), code="immutable")


class RecordedJob(models.Model):
    """A job a researcher recorded at follow-up (for participants whose job data is not in Werkbrug)."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="recorded_jobs")
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), null=True, blank=True)
    hours_per_week = models.DecimalField(_("hours per week"), max_digits=5, decimal_places=1)
    hourly_wage = models.DecimalField(_("hourly wage"), max_digits=7, decimal_places=2, null=True, blank=True)
    competitive = models.BooleanField(_("competitive job"), default=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    imported_in = models.ForeignKey(
        "evaluations.StudyEvent", verbose_name=_("imported in"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("recorded job")
        verbose_name_plural = _("recorded jobs")
        ordering = ["start"]

    def __str__(self) -> str:
        return f"{self.participant_id}: {self.start}"
