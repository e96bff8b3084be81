import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from tests.support.crawl import assert_each_request_logged_once
from werkbrug.collaboration.models import Referral, Signal
from werkbrug.collaboration.services import escalation_hours, referral_create, signal_create
from werkbrug.core.choices import DataCategory, OrganisationType
from werkbrug.trajectories.services import trajectory_close

pytestmark = pytest.mark.django_db


def test_client_reads_the_signals_page_logged_once_without_send_or_acknowledge(client, team, signal, client_user):
    signal(text="Let op: verhuizing kost energie.")
    client.force_login(client_user)
    url = reverse("collaboration:signals", kwargs={"trajectory_pk": team.trajectory.pk})
    assert_each_request_logged_once(client, [("get", url), ("get", f"/api/v1/trajectories/{team.trajectory.pk}/signals/")])
    page = client.get(url).content.decode()
    assert "verhuizing kost energie" in page
    assert "Nieuw signaal" not in page and "Ik heb dit gelezen" not in page
    response = client.post(url + "new/", {"category": "mood", "urgency": "normal", "text": "x", "whole_team": "on"})
    assert response.status_code == 404
    assert Signal.objects.count() == 1


def test_referral_to_an_organisation_in_another_region_is_refused(team, make_org, other_region):
    elsewhere = make_org(OrganisationType.DEBT_COUNSELLING, "Schuldhulp elders", in_region=other_region)
    with pytest.raises(ValidationError) as exc:
        referral_create(trajectory=team.trajectory, referred_by=team.jobcoach, organisation=elsewhere,
                        service="debt_counselling", question="Schulden")
    assert exc.value.error_dict["organisation"][0].code == "other_region"
    assert not Referral.objects.exists()


def test_closed_trajectory_takes_no_new_signals_or_referrals(team, debt_org, consent):
    consent(debt_org, DataCategory.PARTICIPATION)
    trajectory_close(trajectory=team.trajectory, closed_by=team.jobcoach, reason="work_found", outcome="paid_work")
    team.trajectory.refresh_from_db()
    # Closed: refused by the policy (no active team, 404) or, with the user's relation still cached
    # in this process, by the service's own check (`closed`). Either way nothing is written.
    with pytest.raises((ValidationError, Http404)):
        signal_create(trajectory=team.trajectory, author=team.jobcoach, category="mood", urgency="normal",
                      text="x", recipients=[team.labour_expert])
    with pytest.raises((ValidationError, Http404)):
        referral_create(trajectory=team.trajectory, referred_by=team.jobcoach, organisation=debt_org,
                        service="debt_counselling", question="Schulden")
    assert not Signal.objects.exists() and not Referral.objects.exists()


@pytest.mark.parametrize(
    ("region_value", "expected"),
    [
        (None, 24),  # no region setting: the default
        (6, 6),  # a region override
        ("12", 12),  # a number written as text
        ("morgen", 24),  # nonsense: the default
        (0, 24),  # zero or less: the default
    ],
)
def test_escalation_hours(team, region_value, expected):
    region = team.client.region
    region.settings = {} if region_value is None else {"SIGNAL_ESCALATION_HOURS": region_value}
    assert escalation_hours(region) == expected
