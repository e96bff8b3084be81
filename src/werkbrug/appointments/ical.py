"""iCalendar (RFC 5545) for appointments: one file per appointment, and a person's feed.

What leaves Werkbrug in a calendar must be safe on a phone's lock screen and in a shared agenda:
SUMMARY and DESCRIPTION say "Werkbrug-afspraak", the kind and the link to the appointment's
page, never a client's name, a participant's name or any health detail. The feed leaves the
place out as well (it is read without signing in, by whatever holds the secret address); the
file a signed-in participant downloads carries the place or video link as LOCATION. The file
mailed to an employer contact (who has no account) carries the place too, but no link into
Werkbrug (`guest=True`).

Times are written with TZID Europe/Amsterdam and the matching VTIMEZONE, so calendars place an
appointment right on both sides of a daylight-saving change. UID is stable; SEQUENCE is the
appointment's own counter, raised by every change and cancellation.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from werkbrug.core.links import absolute_url

from .models import Appointment, AppointmentStatus

PRODID = "-//Werkbrug//Afspraken//NL"
UID_DOMAIN = "werkbrug"
_STATUS = {
    AppointmentStatus.PLANNED: "CONFIRMED",
    AppointmentStatus.TENTATIVE: "TENTATIVE",
    AppointmentStatus.CANCELLED: "CANCELLED",
}


def uid(appointment: Appointment) -> str:
    return f"{appointment.uid}@{UID_DOMAIN}"


def summary(appointment: Appointment) -> str:
    """"Werkbrug-afspraak: Driegesprek" — the kind only."""
    return _("Werkbrug appointment: %(kind)s") % {"kind": appointment.get_kind_display()}


def _event(appointment: Appointment, *, with_location: bool, stamp: datetime, guest: bool = False,
           status: str | None = None) -> Event:
    zone = timezone.get_default_timezone()
    link = absolute_url(reverse("appointments:detail", kwargs={"pk": appointment.pk}))
    event = Event()
    event.add("uid", uid(appointment))
    event.add("sequence", appointment.sequence)
    event.add("dtstamp", stamp)
    event.add("last-modified", appointment.updated_at)
    event.add("dtstart", timezone.localtime(appointment.starts_at, zone))
    event.add("dtend", timezone.localtime(appointment.ends_at, zone))
    event.add("summary", summary(appointment))
    if guest:
        event.add("description", _("Planned through Werkbrug. Questions? Reply to the invitation mail."))
    else:
        event.add("description", _("Details in Werkbrug: %(link)s") % {"link": link})
        event.add("url", link)
    event.add("status", _STATUS[status or appointment.status])
    if with_location:
        location = appointment.video_link or appointment.place
        if appointment.video_link and appointment.place:
            location = f"{appointment.place} / {appointment.video_link}"
        if location:
            event.add("location", location)
    return event


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    return calendar


def appointment_ics(appointment: Appointment, *, now: datetime | None = None, guest: bool = False,
                    status: str | None = None) -> bytes:
    """The .ics of one appointment, for a signed-in participant (with its place), or for a guest
    without an account (`guest`: no link into Werkbrug); `status` overrides the appointment's
    (a guest taken off an appointment gets it as cancelled)."""
    calendar = _calendar(_("Werkbrug"))
    calendar.add_component(_event(appointment, with_location=True, stamp=now or timezone.now(), guest=guest,
                                  status=status))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def feed_ics(appointments: Iterable[Appointment], *, now: datetime | None = None) -> bytes:
    """A person's feed, in the region's language (it is read without a session)."""
    stamp = now or timezone.now()
    with translation.override(settings.LANGUAGE_CODE):
        calendar = _calendar(_("Werkbrug appointments"))
        for appointment in appointments:
            calendar.add_component(_event(appointment, with_location=False, stamp=stamp))
    calendar.add_missing_timezones()
    return calendar.to_ical()
