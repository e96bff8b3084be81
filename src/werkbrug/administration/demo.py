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
    # A professional who left: invited, then deactivated (nothing to hand over); and one who came
    # back: deactivated and reactivated, without the old roles.
    uiterwaard = Organisation.objects.filter(region=region, short_name="Uiterwaard").first()
    if uiterwaard is not None:
        left = services.person_invite(
            actor=admin, first_name="Thijs", last_name="Vertrokken", email="thijs.vertrokken@example.org",
            organisation=uiterwaard, job_title="Jobcoach", roles=[Role.JOBCOACH])
        services.person_deactivate(person=left, actor=admin, reason="Vertrokken naar een andere werkgever.")
        back = services.person_invite(
            actor=admin, first_name="Fenna", last_name="Terug", email="fenna.terug@example.org",
            organisation=uiterwaard, job_title="Consulent", roles=[Role.JOBCOACH])
        services.person_deactivate(person=back, actor=admin, reason="Ouderschapsverlof.")
        services.person_reactivate(person=back, actor=admin, reason="Terug van verlof.")
        services.role_give(person=back, role=Role.JOBCOACH, actor=admin)
