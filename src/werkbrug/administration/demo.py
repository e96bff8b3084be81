"""Demo data for region administration: a few changes by the region administrator, so the
audit trail and the people pages have something to show. Made through the real services."""

from __future__ import annotations

import random

from werkbrug.core.choices import OrganisationType, Role
from werkbrug.core.models import Organisation, Region, User

from . import services


def load(region: Region, rng: random.Random) -> None:
    admin = (User.objects.filter(region=region, is_active=True, role_assignments__role=Role.REGION_ADMIN)
             .order_by("pk").first())
    if admin is None:
        return
    services.organisation_create(
        actor=admin, name="Leerwerkbedrijf De Uiterwaard (fictief)", short_name="Uiterwaard",
        type=OrganisationType.REINTEGRATION, website="https://example.org/uiterwaard",
    )
    brug = Organisation.objects.filter(region=region, short_name="De Brug").first()
    if brug is not None:
        services.person_invite(
            actor=admin, first_name="Merel", last_name="Nieuwenhuis", email="merel.nieuwenhuis@example.org",
            organisation=brug, job_title="Jobcoach", roles=[Role.JOBCOACH],
        )
    coach = (User.objects.filter(region=region, is_active=True, role_assignments__role=Role.JOBCOACH)
             .exclude(role_assignments__role=Role.AMBASSADOR).order_by("pk").first())
    if coach is not None:
        services.role_give(person=coach, role=Role.AMBASSADOR, actor=admin)
        services.role_take(person=coach, role=Role.AMBASSADOR, actor=admin)
        services.identity_link(person=coach, subject=f"demo-{rng.randrange(10**8):08d}", label="Inlogdienst (demo)",
                               actor=admin)
