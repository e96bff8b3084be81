"""The demo loader: deterministic synthetic data that shows every part of the module."""

import pytest
from django.db.models import Count

from werkbrug.core.models import User
from werkbrug.experience_experts.models import (
    Deployment,
    DeploymentKind,
    ExpertProfile,
    ExpertSignal,
    SupportGroup,
)

pytestmark = pytest.mark.django_db


def test_demo_region_has_experts_a_year_of_deployments_and_a_support_group(demo_region):
    profiles = ExpertProfile.objects.filter(region=demo_region).select_related("person__organisation", "buddy__person")
    assert profiles.count() == 5
    uwv = [p for p in profiles if p.person.organisation.short_name == "UWV"]
    assert len(uwv) == 2 and all(p.contract_hours == 18 for p in uwv)  # 0.5 fte
    assert uwv[0].buddy == uwv[1] and uwv[1].buddy == uwv[0]
    kinds = set(Deployment.objects.filter(region=demo_region).values_list("kind", flat=True))
    assert kinds == set(DeploymentKind.values)
    dates = Deployment.objects.filter(region=demo_region).values_list("date", flat=True)
    assert (max(dates) - min(dates)).days > 330
    out = ExpertSignal.objects.filter(kind="out_of_balance").values("expert").annotate(n=Count("id"))
    assert len(out) >= 1
    group = SupportGroup.objects.get(region=demo_region)
    assert group.meetings.count() == 6 and group.participants.exists()
    assert User.objects.filter(pk__in=[p.person_id for p in profiles], team_memberships__isnull=False).exists()


def test_demo_has_a_corrected_registration_a_cancelled_and_an_expired_request(demo_region):
    from werkbrug.experience_experts.models import DeploymentRequest, DeploymentVersion

    corrected = DeploymentVersion.objects.filter(deployment__region=demo_region, change="corrected").get()
    assert corrected.reason and corrected.deployment.versions.count() == 2
    cancelled = DeploymentRequest.objects.get(region=demo_region, status="cancelled")
    assert cancelled.close_reason and cancelled.offers.get().outcome == "withdrawn"
    assert DeploymentRequest.objects.filter(region=demo_region, status="expired").count() == 1
