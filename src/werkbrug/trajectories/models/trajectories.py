from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from werkbrug.clients.models import Client
from werkbrug.core.choices import Role
from werkbrug.core.models import Organisation, Region


class TrajectoryStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")


class CloseReason(models.TextChoices):
    """Why a trajectory ends (asked when it is closed)."""

    WORK_FOUND = "work_found", _("Work found")
    MOVED = "moved", _("Moved out of the region")
    STOPPED_BY_CLIENT = "stopped_by_client", _("Stopped by the client")
    REFERRED_ELSEWHERE = "referred_elsewhere", _("Referred elsewhere")
    DECEASED = "deceased", _("Deceased")


class CloseOutcome(models.TextChoices):
    """Where the client stands when the trajectory ends."""

    PAID_WORK = "paid_work", _("Paid work")
    EDUCATION = "education", _("Education or training")
    VOLUNTEER_WORK = "volunteer_work", _("Voluntary work or day activities")
    NO_WORK = "no_work", _("No work or activity")
    UNKNOWN = "unknown", _("Unknown")


class Trajectory(models.Model):
    """A client's route to paid work: one team, one plan, one plan director."""

    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="trajectories"
    )
    client = models.ForeignKey(
        Client, verbose_name=_("client"), on_delete=models.PROTECT, related_name="trajectories"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=TrajectoryStatus.choices, default=TrajectoryStatus.ACTIVE
    )
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    plan_director = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("plan director"),
        on_delete=models.PROTECT,
        related_name="directed_trajectories",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # The current closing (empty while active); every close and reopen is a `TrajectoryEvent`.
    close_reason = models.CharField(_("reason for closing"), max_length=24, choices=CloseReason.choices, blank=True)
    outcome = models.CharField(_("outcome"), max_length=24, choices=CloseOutcome.choices, blank=True)
    outcome_note = models.CharField(_("outcome, in words"), max_length=500, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # Set by the retention job (`retention.py`) when the file's retention period has passed and
    # its data was erased; such a file is never reopened.
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True)

    class Meta:
        verbose_name = _("trajectory")
        verbose_name_plural = _("trajectories")
        ordering = ["-started_on", "-id"]
        indexes = [
            models.Index(fields=["region", "status"]),
            # The caseload sorted by start date, read in that order for a large caseload.
            models.Index(fields=["region", "started_on", "id"], condition=models.Q(status="active"),
                         name="trajectory_active_started"),
        ]
        constraints = [
            # One active trajectory per client, also under concurrent starts.
            models.UniqueConstraint(
                fields=["client"], condition=models.Q(status="active"), name="trajectory_one_active_per_client"
            )
        ]

    def __str__(self) -> str:
        return f"{self.client.pseudonym} ({self.started_on:%Y-%m-%d})"

    @property
    def is_open(self) -> bool:
        """`workflow.trajectory_is_open`, for templates (write buttons only on an open file)."""
        from werkbrug.trajectories.workflow import trajectory_is_open

        return trajectory_is_open(self)


class TeamMembership(models.Model):
    """A professional in a client's team, with their role in this trajectory."""

    trajectory = models.ForeignKey(
        Trajectory, verbose_name=_("trajectory"), on_delete=models.CASCADE, related_name="team"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("professional"),
        on_delete=models.PROTECT,
        related_name="team_memberships",
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("role in this trajectory"), max_length=32, choices=Role.choices)
    joined_at = models.DateTimeField(_("joined at"))
    left_at = models.DateTimeField(_("left at"), null=True, blank=True)
    # A copy of the client's name and id, kept by the database itself (`caseload_sync.py`): the
    # caseload walks a person's memberships in name order through one index and stops after a
    # page, however many clients the person has. Never set by the application.
    client_first_name = models.CharField(_("client's first name"), max_length=100, default="", db_default="", editable=False)
    client_last_name = models.CharField(_("client's last name"), max_length=150, default="", db_default="", editable=False)
    client_pseudonym = models.CharField(_("client id"), max_length=16, default="", db_default="", editable=False)

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["joined_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["trajectory", "person"],
                condition=models.Q(left_at__isnull=True),
                name="team_member_once",
            )
        ]
        indexes = [
            models.Index(fields=["person", "left_at"]),
            # The caseload: a person's current memberships, read without touching the table.
            models.Index(
                fields=["person", "trajectory"], condition=models.Q(left_at__isnull=True),
                name="team_current_by_person",
            ),
            # The caseload by name: a person's current memberships in the client's name order,
            # with what a search and the role filter test, so the walk never reads the table.
            models.Index(
                fields=["person", "client_last_name", "client_first_name", "trajectory", "client_pseudonym", "role"],
                condition=models.Q(left_at__isnull=True),
                name="team_caseload_by_name",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()})"


class PlanDirectorChange(models.Model):
    """Append-only history of who was plan director, and who handed it over."""

    trajectory = models.ForeignKey(
        Trajectory, on_delete=models.CASCADE, related_name="plan_director_changes"
    )
    previous = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("previous plan director"), on_delete=models.PROTECT,
        null=True, related_name="+",
    )
    new = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("new plan director"), on_delete=models.PROTECT, related_name="+"
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("changed by"), on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed at"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("plan director change")
        verbose_name_plural = _("plan director changes")
        ordering = ["changed_at"]

    def __str__(self) -> str:
        return f"{self.previous_id} → {self.new_id} ({self.changed_at:%Y-%m-%d})"


class TrajectoryEventKind(models.TextChoices):
    CLOSED = "closed", _("Closed")
    REOPENED = "reopened", _("Reopened")
    ERASED = "erased", _("Erased after the retention period")


class TrajectoryEvent(models.Model):
    """Append-only history of a trajectory's closings, reopenings and erasure (never edited)."""

    trajectory = models.ForeignKey(Trajectory, verbose_name=_("trajectory"), on_delete=models.CASCADE,
                                   related_name="events")
    kind = models.CharField(_("what"), max_length=12, choices=TrajectoryEventKind.choices)
    close_reason = models.CharField(_("reason for closing"), max_length=24, choices=CloseReason.choices, blank=True)
    outcome = models.CharField(_("outcome"), max_length=24, choices=CloseOutcome.choices, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    # None: the retention job.
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, null=True,
                           blank=True, related_name="+")
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("trajectory event")
        verbose_name_plural = _("trajectory events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} ({self.at:%Y-%m-%d})"
