"""The portfolio holder (an alderman): the regional dashboard and its reports, aggregated and
suppressed, and the monthly report; never a client, a trajectory or a person (404)."""

from __future__ import annotations

from datetime import date

import pytest

from werkbrug.core import policy
from werkbrug.core.choices import CLIENT_DATA_ROLES, TWO_FACTOR_ROLES, OrganisationType, Role
from werkbrug.core.models import AccessLogRecord, User
from werkbrug.reporting.models import ReportSubscription

pytestmark = pytest.mark.django_db


@pytest.fixture
def alderman(make_person, make_org):
    return make_person(
        make_org(OrganisationType.MUNICIPALITY, "Gemeente Wethouders"),
        Role.PORTFOLIO_HOLDER,
        first_name="Wendy",
        last_name="Wethouder",
    )


def test_the_role_sees_no_client_data_and_needs_no_second_factor():
    assert Role.PORTFOLIO_HOLDER not in CLIENT_DATA_ROLES
    assert Role.PORTFOLIO_HOLDER not in TWO_FACTOR_ROLES


def test_the_portfolio_holder_sees_the_dashboard_its_pdf_and_csv_without_client_identity(
    client, team, alderman
):
    client.force_login(alderman)
    before = AccessLogRecord.objects.count()
    page = client.get("/reports/")
    assert page.status_code == 200
    text = page.content.decode()
    assert team.client.last_name not in text and team.client.pseudonym not in text
    assert "&lt;5" in text  # one trajectory: suppressed for them as for everyone
    # The ambassador report is not theirs: not linked.
    assert "/ambassadors/report" not in text
    pdf = client.get("/reports/pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    csv = client.get("/reports/csv/", {"table": "figures"})
    assert csv.status_code == 200 and "<5" in csv.content.decode("utf-8-sig")
    assert client.get("/api/v1/reports/targets/").status_code == 200
    # Reading aggregates is no access to client-level data.
    assert AccessLogRecord.objects.count() == before
    # The menu offers the dashboard.
    assert 'href="/reports/"' in client.get("/").content.decode()


def test_the_portfolio_holder_may_not_set_targets(client, alderman):
    client.force_login(alderman)
    assert client.get("/reports/targets/").status_code in (403, 404)
    assert client.put(
        "/api/v1/reports/targets/",
        {"figure": "started", "value": "3"},
        content_type="application/json",
    ).status_code in (403, 404)


@pytest.mark.parametrize(
    "url",
    [
        "/clients/{c}/",
        "/clients/{c}/consents/",
        "/trajectories/{t}/",
        "/trajectories/{t}/intake/",
        "/plans/{t}/",
        "/employment/trajectories/{t}/",
        "/api/v1/clients/{c}/",
        "/api/v1/trajectories/{t}/",
        "/api/v1/plans/{t}/",
        "/api/v1/trajectories/{t}/ips/",
        "/api/v1/trajectories/{t}/signals/",
    ],
)
def test_the_portfolio_holder_gets_404_on_client_pages_and_api(client, team, alderman, url):
    client.force_login(alderman)
    response = client.get(url.format(c=team.client.pk, t=team.trajectory.pk))
    assert response.status_code == 404


def test_the_portfolio_holder_sees_no_client_list(client, team, alderman):
    client.force_login(alderman)
    response = client.get("/api/v1/clients/")
    assert (
        response.status_code in (403, 404) or team.client.pseudonym not in response.content.decode()
    )
    assert not policy.can(alderman, "client.view", team.client)


def test_the_portfolio_holder_of_another_region_does_not_see_ours(
    region, other_region, make_org, make_person
):
    far = make_person(
        make_org(OrganisationType.MUNICIPALITY, "Gemeente Ver", in_region=other_region),
        Role.PORTFOLIO_HOLDER,
    )
    assert not policy.can(far, "region_dashboard.view", region)
    assert policy.can(far, "region_dashboard.view", other_region)


def test_the_portfolio_holder_subscribes_and_is_told_of_the_monthly_report(client, alderman):
    from werkbrug.notifications.models import Notification
    from werkbrug.reporting.services import monthly_reports_send

    client.force_login(alderman)
    response = client.post("/reports/subscription/", {"subscribe": "1"})
    assert response.status_code == 302
    assert ReportSubscription.objects.filter(person=alderman).exists()
    assert monthly_reports_send(today=date(2026, 3, 1)) == 1
    notice = Notification.objects.get(recipient=alderman)
    assert "start=2026-02-01" in notice.link and "end=2026-02-28" in notice.link
    client.force_login(alderman)
    assert client.get(notice.link).status_code == 200  # the PDF the notice links to


def test_the_region_administrator_gives_the_role(client, make_person, make_org, region):
    admin = make_person(
        make_org(OrganisationType.MUNICIPALITY, "Gemeente Beheer"), Role.REGION_ADMIN
    )
    person = make_person(
        make_org(OrganisationType.MUNICIPALITY, "Gemeente Raad"), first_name="Rik", last_name="Raad"
    )
    client.force_login(admin)
    page = client.get(f"/administration/people/{person.pk}/").content.decode()
    assert 'value="portfolio_holder"' in page and "Portefeuillehouder" in page
    client.post(
        f"/administration/people/{person.pk}/", {"do": "give", "give-role": Role.PORTFOLIO_HOLDER}
    )
    person = User.objects.get(pk=person.pk)
    assert person.roles == {Role.PORTFOLIO_HOLDER}
    assert policy.can(person, "region_dashboard.view", region)
    client.force_login(person)
    assert client.get("/reports/").status_code == 200
