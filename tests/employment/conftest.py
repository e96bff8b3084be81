from datetime import date

import pytest
import time_machine

from werkbrug.trajectories.models import Trajectory

STARTED = date(2026, 1, 5)
TODAY = "2026-06-01 12:00 +0200"


@pytest.fixture
def ips_team(team):
    """The shared team, its trajectory started on 5 January 2026, the clock on 1 June 2026."""
    Trajectory.objects.filter(pk=team.trajectory.pk).update(started_on=STARTED)
    team.trajectory.refresh_from_db()
    with time_machine.travel(TODAY, tick=False):
        yield team
