from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from werkbrug.clients.models import Client
from werkbrug.core.models import Organisation, Region

DEFAULT_MEETINGS = 6
# The Trimbos study's themes, chosen with the group after getting to know it — not a programme.
DEFAULT_THEMES = [
    _("Introduction: mental complaints and re-integration"),
    _("Grief, meaning and acceptance"),
    _("Dealing with yourself and your surroundings"),
    _("How open do you want to be with your employer?"),
    _("Free choice"),
    _("Free choice"),
]


class SupportGroup(models.Model):
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=120)
    facilitators = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("facilitators"), related_name="+")
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("support group")
        verbose_name_plural = _("support groups")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name


class SupportGroupMeeting(models.Model):
    group = models.ForeignKey(SupportGroup, on_delete=models.CASCADE, related_name="meetings")
    number = models.PositiveSmallIntegerField(_("number"))
    theme = models.CharField(_("theme"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["group", "number"]
        constraints = [models.UniqueConstraint(fields=["group", "number"], name="ee_meeting_number_unique")]

    def __str__(self) -> str:
        return f"{self.number}. {self.theme}"


class SupportGroupParticipant(models.Model):
    group = models.ForeignKey(SupportGroup, on_delete=models.CASCADE, related_name="participants")
    client = models.ForeignKey(Client, verbose_name=_("client"), on_delete=models.PROTECT, related_name="+")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField()

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [models.UniqueConstraint(fields=["group", "client"], name="ee_participant_once")]

    def __str__(self) -> str:
        return f"{self.group_id}: {self.client_id}"


class Attendance(models.Model):
    meeting = models.ForeignKey(SupportGroupMeeting, on_delete=models.CASCADE, related_name="attendance")
    participant = models.ForeignKey(SupportGroupParticipant, on_delete=models.CASCADE, related_name="attendance")
    present = models.BooleanField(_("present"))

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [models.UniqueConstraint(fields=["meeting", "participant"], name="ee_attendance_once")]

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.participant_id} {self.present}"
