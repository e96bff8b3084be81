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
