"""The one shared plan of a trajectory: versions of goals and actions, and everyone's answer.

A `Plan` belongs to one trajectory and points at its current `PlanVersion`. Every save makes a
new version (rows are never edited afterwards, except an action's progress status and the
version's denormalised agreement facts); goals and actions are copied into each version and
keep a stable `key` across versions, which is what the diff matches on.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from werkbrug.trajectories.models import Trajectory


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class ResponseKind(models.TextChoices):
    AGREE = "agree", _("Agrees")
    DISAGREE = "disagree", _("Does not agree")


class Plan(models.Model):
    trajectory = models.OneToOneField(
        Trajectory, verbose_name=_("trajectory"), on_delete=models.CASCADE, related_name="plan"
    )
    current_version = models.ForeignKey(
        "PlanVersion", verbose_name=_("current version"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Bumped by every change (a new version, an action's status): an edit form carries the revision
    # it was based on, so a save never silently reverts a change its editor has not seen.
    revision = models.PositiveIntegerField(
        _("revision"), default=0, help_text=_("Counts every change to the plan, for edit conflicts.")
    )

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")

    def __str__(self) -> str:
        return f"plan {self.trajectory_id}"


class PlanVersion(models.Model):
    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("made by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("made at"))
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    # Agreement facts, set by the services only (see workflow.py for the states they give).
    submitted_at = models.DateTimeField(_("asked for agreement at"), null=True, blank=True)
    client_agreed = models.BooleanField(_("client agrees"), default=False)
    disagreed = models.BooleanField(_("someone does not agree"), default=False)
    agreed_at = models.DateTimeField(_("agreed by everyone at"), null=True, blank=True)

    class Meta:
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        ordering = ["plan", "-number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plan_version_number_once")]
        # "Plans waiting for my agreement" (web/my_work.py): the waiting versions in the order shown,
        # so the first ten are found without sorting every waiting version of a large caseload.
        indexes = [models.Index(fields=["submitted_at", "id"], name="plan_version_waiting",
                                condition=models.Q(submitted_at__isnull=False, agreed_at__isnull=True))]

    def __str__(self) -> str:
        return f"v{self.number}"


class Goal(models.Model):
    version = models.ForeignKey(PlanVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="goals")
    key = models.UUIDField(_("key"), default=uuid.uuid4)
    position = models.PositiveIntegerField(_("position"), default=0)
    title = models.CharField(_("goal"), max_length=200)
    description = models.TextField(_("explanation"), blank=True)

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["version", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="goal_key_once_per_version")]

    def __str__(self) -> str:
        return self.title


class Action(models.Model):
    version = models.ForeignKey(PlanVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="actions")
    goal = models.ForeignKey(Goal, verbose_name=_("goal"), on_delete=models.CASCADE, related_name="actions")
    key = models.UUIDField(_("key"), default=uuid.uuid4)
    position = models.PositiveIntegerField(_("position"), default=0)
    title = models.CharField(_("action"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("who does it"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )
    owner_is_client = models.BooleanField(_("the client does it"), default=False)
    due_on = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN)

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["version", "due_on", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="action_key_once_per_version"),
            models.CheckConstraint(
                condition=models.Q(owner__isnull=False) | models.Q(owner_is_client=True), name="action_has_owner"
            ),
        ]
        indexes = [
            models.Index(fields=["version", "status", "due_on"]),
            # "My open plan actions" (web/my_work.py): a person's open actions in the order shown.
            models.Index(fields=["owner", "due_on", "id"], name="action_open_by_owner",
                         condition=models.Q(status="open")),
        ]

    def __str__(self) -> str:
        return self.title


class PlanResponse(models.Model):
    """One answer to one version: agree, or disagree with a comment. Append-only.

    `for_client` marks the client's answer: given in the portal by the client's own account, or
    recorded by a team member (`person`) when the client answered in a conversation or on paper.
    """

    version = models.ForeignKey(PlanVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="responses")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("who"), on_delete=models.PROTECT, related_name="plan_responses"
    )
    for_client = models.BooleanField(_("answer of the client"), default=False)
    kind = models.CharField(_("answer"), max_length=10, choices=ResponseKind.choices)
    comment = models.TextField(_("comment"), blank=True)
    responded_at = models.DateTimeField(_("answered at"))

    class Meta:
        verbose_name = _("answer to a plan")
        verbose_name_plural = _("answers to a plan")
        ordering = ["responded_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "person"], condition=models.Q(for_client=False),
                                    name="plan_response_once_per_person"),
            models.UniqueConstraint(fields=["version"], condition=models.Q(for_client=True),
                                    name="plan_response_client_once"),
        ]
        indexes = [models.Index(fields=["version", "person", "kind"])]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_kind_display()}"


class ActionStatusChange(models.Model):
    """Append-only history of an action's progress (open → done / cancelled)."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="status_changes")
    previous = models.CharField(max_length=10, choices=ActionStatus.choices)
    new = models.CharField(max_length=10, choices=ActionStatus.choices)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("action status change")
        verbose_name_plural = _("action status changes")
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.previous} → {self.new}"
