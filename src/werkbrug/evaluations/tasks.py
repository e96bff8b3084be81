"""Background work for evaluation research: the longitudinal schedule's invitations and reminders,
and the mails with a personal link to a participant's employer research contact."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="werkbrug.evaluations.tasks.send_scheduled_questionnaires")
def send_scheduled_questionnaires() -> dict[str, int]:
    """Each half hour (beat); acts inside each region's office hours. Idempotent."""
    from .services.schedules import schedule_run

    return schedule_run()


@shared_task(name="werkbrug.evaluations.tasks.mail_employer_questionnaire")
def mail_employer_questionnaire(invitation_id: int, reminder: bool = False) -> bool:
    """Mail the employer research contact of a scheduled invitation their personal link (or a
    reminder). Read as things are now: nothing when the invitation was answered meanwhile or the
    contact was removed. The mail names no client, study or health matter: only that a
    questionnaire for research about work waits, the link (absolute) and the date to answer by."""
    from django.conf import settings
    from django.urls import reverse
    from django.utils import translation
    from django.utils.translation import gettext as _

    from werkbrug.core.links import absolute_url
    from werkbrug.notifications.mail import send_to_address

    from .models import EmployerContact, RespondentKind, ScheduledInvitation

    scheduled = (ScheduledInvitation.objects.select_related("invitation")
                 .filter(invitation_id=invitation_id, invitation__kind=RespondentKind.EMPLOYER).first())
    if scheduled is None or scheduled.invitation.responded_at is not None:
        return False
    contact = EmployerContact.objects.filter(participant_id=scheduled.participant_id).first()
    if contact is None:
        return False
    link = absolute_url(reverse("evaluations:token_questionnaire", kwargs={"token": scheduled.invitation.token}))
    with translation.override(settings.LANGUAGE_CODE):
        subject = (_("Reminder: a short questionnaire for research about work") if reminder
                   else _("A short questionnaire for research about work"))
    return send_to_address(
        address=contact.email, subject=subject, template="evaluations/mail/employer_questionnaire",
        context={"name": contact.name, "link": link, "reminder": reminder, "answer_by": scheduled.window_ends_on},
    )
