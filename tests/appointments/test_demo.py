"""The demo region has appointments: talks in trajectories, from deployments, a group meeting."""

from __future__ import annotations

import pytest
from icalendar import Calendar

from werkbrug.appointments import ical
from werkbrug.appointments.models import Appointment

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_demo_has_appointments_of_every_origin(demo_region):
    appointments = Appointment.objects.filter(region=demo_region)
    assert appointments.filter(kind="three_way", status="planned", trajectory__isnull=False).exists()
    assert appointments.filter(deployment_request__isnull=False).exists()
    assert appointments.filter(support_group_meeting__isnull=False).exists()
    assert appointments.filter(status="cancelled").exists()
    assert appointments.filter(changes__kind="rescheduled").exists()
    assert appointments.filter(plan_action__isnull=False).exists()
    for appointment in appointments[:20]:
        assert Calendar.from_ical(ical.appointment_ics(appointment)).walk("VEVENT")


def test_demo_archive_shows_a_closed_files_appointments_and_signals(demo_region, client):
    """A closed trajectory of the demo holds a past talk, a signal and an employer contact, and a
    member of its former team reads them (the archive)."""
    from django.urls import reverse

    from werkbrug.collaboration.models import Signal
    from werkbrug.employment.models import EmployerContact
    from werkbrug.trajectories.models import Trajectory

    closed = Trajectory.objects.filter(region=demo_region, status="closed", appointments__isnull=False,
                                       signals__isnull=False).distinct().first()
    assert closed is not None
    assert Signal.objects.filter(trajectory=closed).exists()
    assert EmployerContact.objects.filter(trajectory__region=demo_region, trajectory__status="closed").exists()
    client.force_login(closed.plan_director)
    assert client.get(reverse("appointments:trajectory", args=[closed.pk])).status_code == 200
    assert client.get(reverse("collaboration:signals", args=[closed.pk])).status_code == 200
