"""Background work: the mails to an employer contact taking part in an appointment.

An employer contact has no account, so nothing reaches them through the in-app notifications:
they get a direct mail (`notifications.mail.send_to_address`) with the appointment as an .ics
attached — an invitation when they are added, a change when it is moved or its place changes, a
cancellation when it is cancelled or they are taken off. The mail names the kind, the time
(Europe/Amsterdam, Dutch), the place or video link and who planned it; never the client or
anything about their health.
"""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from werkbrug.core.links import local_datetime
from werkbrug.notifications.mail import send_to_address

from . import ical
from .models import Appointment, AppointmentStatus

INVITED, CHANGED, CANCELLED = "invited", "changed", "cancelled"
EVENTS = (INVITED, CHANGED, CANCELLED)


def _subject(event: str, appointment: Appointment, when: str) -> str:
    kind = appointment.get_kind_display()
    if event == INVITED:
        return _("Invitation: %(kind)s on %(when)s") % {"kind": kind, "when": when}
    if event == CHANGED:
        return _("Changed: %(kind)s, now on %(when)s") % {"kind": kind, "when": when}
    return _("Cancelled: %(kind)s on %(when)s") % {"kind": kind, "when": when}


@shared_task
def mail_employer_contact(appointment_id: int, address: str, event: str) -> bool:
    """Mail `address` (an employer contact) that the appointment was planned, changed or
    cancelled (`event`), with its .ics. Reads the appointment as it is now."""
    appointment = Appointment.objects.select_related("organiser").filter(pk=appointment_id).first()
    if appointment is None or not address or event not in EVENTS:
        return False
    if appointment.status == AppointmentStatus.CANCELLED:
        event = CANCELLED
    zone = timezone.get_default_timezone()
    with translation.override(settings.LANGUAGE_CODE):
        when = local_datetime(appointment.starts_at)
        context = {
            "event": event, "kind": appointment.get_kind_display(), "when": when,
            "ends": formats.time_format(timezone.localtime(appointment.ends_at, zone), "H:i"),
            "place": appointment.place, "video_link": appointment.video_link,
            "name": appointment.employer_contact_name if address == appointment.employer_contact_email else "",
            "organiser": appointment.organiser.get_full_name(),
        }
        subject = _subject(event, appointment, when)
        content = ical.appointment_ics(appointment, guest=True,
                                      status=AppointmentStatus.CANCELLED if event == CANCELLED else None)
        return send_to_address(
            address=address, subject=subject, template="appointments/mail/employer_contact", context=context,
            attachments=[(f"werkbrug-afspraak-{appointment.pk}.ics", content, "text/calendar; charset=utf-8")],
            reply_to=[appointment.organiser.email],
        )
