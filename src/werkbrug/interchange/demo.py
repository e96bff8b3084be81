"""Demo: the record system of one GGZ organisation, connected through the FHIR interface.

Its secret is fixed and documented (docs/interchange.md), so that the FHIR interface can be
tried on the loopback demo with curl; a real system's secret is random and shown only once.
"""

from __future__ import annotations

import random

from django.utils import timezone

from werkbrug.core.choices import OrganisationType, Role
from werkbrug.core.models import Organisation, Region, User

from .models import SystemClient, all_scopes
from .services import digest

DEMO_CLIENT_ID = "wb-demo-ggz-epd"
DEMO_SECRET = "demo-fhir-secret-2026"  # noqa: S105 — a made-up system on a loopback demo


def load(region: Region, rng: random.Random) -> None:
    organisation = Organisation.objects.filter(region=region, type=OrganisationType.GGZ).order_by("pk").first()
    admin = User.objects.filter(region=region, role_assignments__role=Role.REGION_ADMIN).order_by("pk").first()
    person = (User.objects.filter(organisation=organisation, is_active=True, role_assignments__role=Role.JOBCOACH)
              .order_by("pk").first()) if organisation else None
    if organisation is None or admin is None or person is None:
        return
    SystemClient.objects.create(
        region=region, organisation=organisation, name=f"Dossiersysteem {organisation.short_name or organisation.name}",
        client_id=DEMO_CLIENT_ID, secret_digest=digest(DEMO_SECRET),
        scopes=" ".join(s for s in all_scopes() if s.endswith(".read")),
        acting_person=person, created_by=admin, created_at=timezone.now(),
    )
