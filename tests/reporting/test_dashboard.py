"""The regional dashboard: aggregates only, small numbers suppressed, managers only."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from werkbrug.core.choices import OrganisationType, Role
from werkbrug.core.models import AccessLogRecord
from werkbrug.employment.services import job_start, phase_change
from werkbrug.reporting.selectors import region_dashboard, suppress


@pytest.fixture
def manager(make_person, make_org):
    return make_person(make_org(OrganisationType.MUNICIPALITY, "Gemeente Dashboard"), Role.MANAGER)


@pytest.mark.parametrize(("count", "shown"), [(0, 0), (1, "<5"), (4, "<5"), (5, 5), (120, 120)])
def test_small_numbers_are_suppressed(count, shown):
    assert suppress(count) == shown


def test_figures_match_a_hand_computed_region(team, region):
    today = timezone.localdate()
    start = today - timedelta(days=30)
    phase_change(trajectory=team.trajectory, changed_by=team.jobcoach, phase="job_search", changed_on=today)
    job_start(trajectory=team.trajectory, recorded_by=team.jobcoach, employer_name="Bakkerij Test",
              job_title="Inpakker", start=today, hours_per_week=24, contract_type="fixed_term",
              competitive=True, hourly_wage=15)
    dashboard = region_dashboard(region=region, start=start, end=today)
    assert dashboard.active == 1
    assert sum(n for _l, n in dashboard.phases) == 1 and len([n for _l, n in dashboard.phases if n]) == 1
    assert dashboard.outcomes.clients == 1 and dashboard.outcomes.ever_employed == 1
    assert dashboard.outcomes.works_20_hours_or_more == 1
    assert sum(n for _m, n in dashboard.job_starts_per_month) == 1
    assert sum(n for _m, n in dashboard.started_per_month) == 1


def test_manager_sees_the_dashboard_without_any_client_identity(client, team, manager):
    client.force_login(manager)
    before = AccessLogRecord.objects.count()
    page = client.get("/reports/")
    assert page.status_code == 200
    text = page.content.decode()
    assert team.client.last_name not in text and team.client.pseudonym not in text
    assert "&lt;5" in text  # one trajectory: suppressed
    assert AccessLogRecord.objects.count() == before  # no client-level data was read
    pdf = client.get("/reports/pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_casework_roles_and_clients_cannot_open_it(client, team, client_user):
    for user in (team.jobcoach, client_user):
        client.force_login(user)
        assert client.get("/reports/").status_code == 404  # refused about the region: looks missing


def test_a_bad_period_is_a_clear_error_not_a_crash(client, manager):
    client.force_login(manager)
    page = client.get("/reports/?start=2026-05-01&end=2026-01-01")
    assert page.status_code == 200
    assert "De einddatum ligt voor de begindatum." in page.content.decode()
    assert date(2026, 1, 1)  # the period falls back to the last twelve months


@pytest.mark.parametrize(
    ("kind", "allowed"),
    [
        (OrganisationType.GGZ, True),
        (OrganisationType.UWV, True),
        (OrganisationType.MUNICIPALITY, True),
        (OrganisationType.REINTEGRATION, True),
        (OrganisationType.EMPLOYER, False),
        (OrganisationType.RESEARCH, False),
        (OrganisationType.CLIENT_ORGANISATION, False),
    ],
)
def test_only_managers_of_the_networks_organisations_see_the_dashboard(client, make_person, make_org, kind, allowed):
    manager = make_person(make_org(kind), Role.MANAGER)
    client.force_login(manager)
    assert client.get("/reports/").status_code == (200 if allowed else 404)
    assert client.get("/reports/pdf/").status_code == (200 if allowed else 404)
    from werkbrug.web.navigation import items_for

    assert any(item["url"] == "/reports/" for item in items_for(manager, "/")) is allowed
