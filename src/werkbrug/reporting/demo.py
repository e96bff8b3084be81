"""Demo data for the dashboard: the region's targets (the IPS benchmarks' average) and the
network's managers and the portfolio holders subscribed to the monthly report. Made through the real services."""

from __future__ import annotations

import random
from decimal import Decimal

from werkbrug.core import policy
from werkbrug.core.choices import Role
from werkbrug.core.models import Region, User

from . import services
from .models import Figure

TARGETS = {
    Figure.EMPLOYED_SHARE: Decimal("41"),  # IPS: 31 % minimal, 41 % average, 50 % excellent
    Figure.WORKS_20_SHARE: Decimal("25"),
    Figure.MEDIAN_DAYS: Decimal("120"),
    Figure.STARTED: Decimal("20"),
    Figure.JOB_STARTS: Decimal("10"),
}


def load(region: Region, rng: random.Random) -> None:
    admin = (User.objects.filter(region=region, is_active=True, role_assignments__role=Role.REGION_ADMIN)
             .order_by("pk").first())
    if admin is not None:
        for figure, value in TARGETS.items():
            services.target_set(region=region, by=admin, figure=figure, value=value)
    managers = User.objects.filter(region=region, is_active=True,
                                   role_assignments__role__in=[Role.MANAGER, Role.PORTFOLIO_HOLDER]).distinct()
    for manager in managers.order_by("pk"):
        if policy.can(manager, "region_dashboard.view", region):
            services.subscription_set(person=manager, subscribed=True)
