"""The longitudinal schedule of a study: events relative to randomisation (baseline, 6, 12, 18
months…), each with the questionnaires asked per respondent type, an answering window and a
reminder; and the record of what the worker sent to whom for which event."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .questionnaires import Invitation, Questionnaire, RespondentKind
from .studies import Participant, Study


class ScheduleEvent(models.Model):
    """One time point: due `offset_months` calendar months plus `offset_days` days after the
    participant's randomisation date (31 January + 1 month = 28/29 February)."""

    study = models.ForeignKey(Study, verbose_name=_("study"), on_delete=models.CASCADE, related_name="schedule")
    name = models.CharField(_("name"), max_length=80)
    offset_months = models.PositiveSmallIntegerField(_("months after randomisation"), default=0)
    offset_days = models.PositiveSmallIntegerField(_("days after randomisation"), default=0)
    window_days = models.PositiveSmallIntegerField(
        _("window (days)"), default=28, help_text=_("Invitations go out until this many days after the due date."),
    )
    reminder_after_days = models.PositiveSmallIntegerField(
        _("reminder after (days)"), null=True, blank=True,
        help_text=_("Empty: no reminder."),
    )

    class Meta:
        verbose_name = _("schedule event")
        verbose_name_plural = _("schedule events")
        ordering = ["offset_months", "offset_days", "id"]
        constraints = [models.UniqueConstraint(fields=["study", "name"], name="schedule_event_unique_name")]

    def __str__(self) -> str:
        return self.name


class ScheduleItem(models.Model):
    """A questionnaire asked at an event of one respondent type."""

    event = models.ForeignKey(ScheduleEvent, on_delete=models.CASCADE, related_name="items")
    questionnaire = models.ForeignKey(Questionnaire, verbose_name=_("questionnaire"), on_delete=models.CASCADE,
                                      related_name="schedule_items")
    respondent = models.CharField(_("respondent"), max_length=12, choices=RespondentKind.choices)

    class Meta:
        verbose_name = _("scheduled questionnaire")
        verbose_name_plural = _("scheduled questionnaires")
        ordering = ["event", "respondent", "questionnaire_id"]
        constraints = [models.UniqueConstraint(fields=["event", "questionnaire", "respondent"],
                                               name="schedule_item_once")]

    def __str__(self) -> str:
        return f"{self.event_id}:{self.questionnaire_id}:{self.respondent}"


class ScheduledInvitation(models.Model):
    """What the worker sent: once per participant × event × questionnaire × respondent."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="scheduled_invitations")
    item = models.ForeignKey(ScheduleItem, on_delete=models.CASCADE, related_name="sent")
    invitation = models.OneToOneField(Invitation, on_delete=models.CASCADE, related_name="scheduled")
    due_on = models.DateField(_("due on"))
    window_ends_on = models.DateField(_("window ends on"))
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("scheduled invitation")
        verbose_name_plural = _("scheduled invitations")
        ordering = ["due_on", "id"]
        constraints = [models.UniqueConstraint(fields=["participant", "item"], name="scheduled_invitation_once")]

    def __str__(self) -> str:
        return f"{self.participant_id}:{self.item_id}"


class PortalInvitation(models.Model):
    """A client participant asked by mail to make their portal account (once per client)."""

    participant = models.OneToOneField(Participant, on_delete=models.CASCADE, related_name="portal_invitation")
    sent_at = models.DateTimeField(_("sent at"))

    class Meta:
        verbose_name = _("portal account invitation")
        verbose_name_plural = _("portal account invitations")

    def __str__(self) -> str:
        return str(self.participant_id)


class EmployerContact(models.Model):
    """The person at a participant's employer whom the study may ask to answer the employer
    questionnaires of the schedule, recorded only with the client's permission (in IPS the client
    decides whether their employer may be contacted at all). With it the worker sends employer
    invitations and reminders by mail; without it they are sent by hand. Never exported."""

    participant = models.OneToOneField(Participant, on_delete=models.CASCADE, related_name="employer_contact")
    name = models.CharField(_("contact person"), max_length=120)
    email = models.EmailField(_("e-mail address"))
    permission_given_on = models.DateField(_("client's permission given on"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("employer research contact")
        verbose_name_plural = _("employer research contacts")

    def __str__(self) -> str:
        return str(self.participant_id)
