"""Fixtures: the shared `team` (a GGZ jobcoach and a UWV labour expert) with the client in the
portal, and a helper that plans an appointment through the real service."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

AMS = ZoneInfo("Europe/Amsterdam")


def at(year, month, day, hour, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=AMS)


@pytest.fixture
def plan(team, client_user):
    from werkbrug.appointments.services import appointment_plan

    def make(**extra):
        fields = {
            "planned_by": team.jobcoach, "trajectory": team.trajectory, "kind": "three_way",
            "starts_at": at(2026, 3, 30, 10), "ends_at": at(2026, 3, 30, 11), "place": "UWV Tiel, spreekkamer 2",
            "with_client": True, "participants": [team.labour_expert],
            "now": at(2026, 3, 20, 9),
        }
        fields.update(extra)
        return appointment_plan(**fields)

    return make
