"""An employer contact taking part in an appointment has no account: they get a direct mail with
the .ics attached when invited, when the appointment moves, and when it is cancelled (or they are
taken off) — in Dutch, Europe/Amsterdam time, without the client's name or anything about health."""

from __future__ import annotations

import icalendar
import pytest
from django.core import mail

from werkbrug.appointments.services import appointment_cancel, appointment_update

from .conftest import at

EMPLOYER = {"employer_contact_name": "Ria de Werkgever", "employer_contact_email": "ria@example.org"}


def _for(address: str) -> list:
    return [m for m in mail.outbox if m.to == [address]]


def _ics(message) -> icalendar.Calendar:
    (name, content, mimetype), = message.attachments
    assert name.endswith(".ics") and mimetype.startswith("text/calendar")
    return icalendar.Calendar.from_ical(content)


def _update(appointment, team, **changes):
    fields = {
        "kind": appointment.kind, "starts_at": appointment.starts_at, "ends_at": appointment.ends_at,
        "place": appointment.place, "video_link": appointment.video_link, "with_client": appointment.with_client,
        "participants": list(appointment.participants.all()), "expert": appointment.expert,
        "employer_contact_name": appointment.employer_contact_name,
        "employer_contact_email": appointment.employer_contact_email, "plan_action": appointment.plan_action,
        "now": at(2026, 3, 21, 9),
    }
    fields.update(changes)
    return appointment_update(appointment=appointment, changed_by=team.jobcoach, **fields)


@pytest.fixture
def outbox(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    return mail.outbox


def test_the_employer_contact_is_invited_told_of_the_move_and_of_the_cancellation(
        team, plan, outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        appointment = plan(kind="three_way", **EMPLOYER)
    invitation, = _for("ria@example.org")
    assert invitation.subject == "Uitnodiging: Driegesprek op 30 maart 2026, 10:00"
    body = invitation.body
    assert "Beste Ria de Werkgever" in body and "30 maart 2026, 10:00 – 11:00" in body
    assert "UWV Tiel, spreekkamer 2" in body
    assert "Jet Coach" in body
    for private in (team.client.first_name, team.client.last_name, "GGZ", "/appointments/"):
        assert private not in body and private not in invitation.subject, private
    event = _ics(invitation).walk("VEVENT")[0]
    assert event["dtstart"].dt == at(2026, 3, 30, 10) and str(event["status"]) == "CONFIRMED"
    assert "url" not in event and str(event["location"]) == "UWV Tiel, spreekkamer 2"

    outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _update(appointment, team, starts_at=at(2026, 4, 1, 14), ends_at=at(2026, 4, 1, 15))
    moved, = _for("ria@example.org")
    assert moved.subject == "Gewijzigd: Driegesprek, nu op 1 april 2026, 14:00"
    assert _ics(moved).walk("VEVENT")[0]["sequence"] == 1

    outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        appointment_cancel(appointment=appointment, cancelled_by=team.jobcoach, reason="Ziek", now=at(2026, 3, 22, 9))
    cancelled, = _for("ria@example.org")
    assert cancelled.subject.startswith("Geannuleerd: Driegesprek")
    assert "Ziek" not in cancelled.body  # the reason may say something about the client
    assert str(_ics(cancelled).walk("VEVENT")[0]["status"]) == "CANCELLED"


def test_a_replaced_employer_contact_is_told_it_is_off_and_the_new_one_is_invited(
        team, plan, outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        appointment = plan(**EMPLOYER)
    outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        appointment = _update(appointment, team, employer_contact_name="Piet Baas",
                              employer_contact_email="piet@example.org")
    assert _for("ria@example.org")[0].subject.startswith("Geannuleerd:")
    assert _for("piet@example.org")[0].subject.startswith("Uitnodiging:")
    # A change the employer does not see (who else takes part) sends them nothing.
    outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _update(appointment, team, participants=[team.jobcoach])
    assert _for("piet@example.org") == [] and _for("ria@example.org") == []


def test_no_mail_without_an_employer_contact_or_about_the_past(team, plan, outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        plan()
        plan(starts_at=at(2026, 3, 1, 10), ends_at=at(2026, 3, 1, 11), **EMPLOYER)  # already past
    assert _for("ria@example.org") == []
