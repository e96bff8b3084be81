"""An appointment (afspraak): a date, a time, a place or video link, and who takes part.

An appointment of a client belongs to the client's trajectory; a support-group meeting or an
expert's deployment for a group has none. A change never edits history away: every plan,
reschedule, change and cancellation adds an `AppointmentChange` row and raises the iCalendar
`sequence`, so calendars that imported the appointment replace their copy.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from werkbrug.core.models import Region


class AppointmentKind(models.TextChoices):
    THREE_WAY = "three_way", _("Three-way talk")
    CONVERSATION = "conversation", _("Conversation")
    DEPLOYMENT = "deployment", _("Experience-expert deployment")
    SUPPORT_GROUP = "support_group", _("Support-group meeting")
    EMPLOYER = "employer", _("Meeting with an employer")


class AppointmentStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    # No longer made (an accepted deployment gets the time the expert chose); kept for older appointments.
    TENTATIVE = "tentative", _("To be confirmed")
    CANCELLED = "cancelled", _("Cancelled")


class Appointment(models.Model):
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    trajectory = models.ForeignKey(
        "trajectories.Trajectory", verbose_name=_("trajectory"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="appointments",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AppointmentKind.choices)
    status = models.CharField(_("status"), max_length=12, choices=AppointmentStatus.choices,
                              default=AppointmentStatus.PLANNED)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200, blank=True,
                             help_text=_("An address or room; no names or health details."))
    video_link = models.URLField(_("video link"), max_length=500, blank=True)
    with_client = models.BooleanField(_("the client takes part"), default=False)
    participants = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("team members"), blank=True,
                                          related_name="appointments")
    expert = models.ForeignKey(
        "experience_experts.ExpertProfile", verbose_name=_("experience expert"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )
    employer_contact_name = models.CharField(_("employer contact"), max_length=120, blank=True)
    employer_contact_email = models.EmailField(_("employer contact's e-mail"), blank=True)
    plan_action = models.ForeignKey(
        "plans.Action", verbose_name=_("plan action"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    deployment_request = models.ForeignKey(
        "experience_experts.DeploymentRequest", verbose_name=_("deployment request"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+",
    )
    support_group_meeting = models.ForeignKey(
        "experience_experts.SupportGroupMeeting", verbose_name=_("support-group meeting"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+",
    )
    organiser = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("planned by"), on_delete=models.PROTECT,
                                  related_name="+")
    # iCalendar: the UID never changes, SEQUENCE rises with every change calendars must follow.
    uid = models.UUIDField(_("calendar id"), default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(_("version"), default=0)
    created_at = models.DateTimeField(_("planned at"))
    updated_at = models.DateTimeField(_("changed at"))

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["trajectory", "starts_at"]), models.Index(fields=["region", "starts_at"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")),
                                   name="appointment_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_cancelled(self) -> bool:
        return self.status == AppointmentStatus.CANCELLED


class ChangeKind(models.TextChoices):
    PLANNED = "planned", _("Planned")
    RESCHEDULED = "rescheduled", _("Moved to another time")
    CHANGED = "changed", _("Changed")
    CANCELLED = "cancelled", _("Cancelled")


class AppointmentChange(models.Model):
    """One step in an appointment's history (append-only)."""

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(_("what happened"), max_length=12, choices=ChangeKind.choices)
    sequence = models.PositiveIntegerField(_("version"))
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    previous_starts_at = models.DateTimeField(_("previously starting at"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    changed_at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("appointment change")
        verbose_name_plural = _("appointment changes")
        ordering = ["appointment", "sequence", "id"]

    def __str__(self) -> str:
        return f"{self.appointment_id} v{self.sequence}: {self.kind}"
