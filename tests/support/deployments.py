"""Test helper: the day, time and place an expert chooses when accepting a deployment request."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

AMS = ZoneInfo("Europe/Amsterdam")


def first_day(request, *, start: time = time(10, 0), end: time = time(11, 0), place: str = "Spreekkamer 3"):
    """The request's first day, 10:00–11:00 Amsterdam time, in room 3."""
    from werkbrug.experience_experts.services import DeploymentSchedule

    return DeploymentSchedule(datetime.combine(request.period_start, start, tzinfo=AMS),
                              datetime.combine(request.period_start, end, tzinfo=AMS), place)
