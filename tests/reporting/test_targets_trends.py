"""Trends against the previous period, the region's targets (page and API), drill-down by
organisation, CSV of what is shown, and the monthly report."""

import csv
import io
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from werkbrug.core.choices import OrganisationType, Role
from werkbrug.notifications.kinds import Kind
from werkbrug.notifications.models import Notification
from werkbrug.reporting import services
from werkbrug.reporting.models import Figure, ReportSubscription, Target
from werkbrug.reporting.presentation import figure_rows, tables
from werkbrug.reporting.selectors import region_dashboard

# --- trends ------------------------------------------------------------------------------------


def test_trend_arrow_and_difference_in_dutch():
    rows = {r.figure: r for r in figure_rows(
        {Figure.RUNNING: 12, Figure.STARTED: "<5", Figure.EMPLOYED_SHARE: Decimal("38.5"), Figure.MEDIAN_DAYS: Decimal(90)},
        {Figure.RUNNING: 9, Figure.STARTED: 7, Figure.EMPLOYED_SHARE: Decimal("40.0"), Figure.MEDIAN_DAYS: Decimal(120)},
        {Figure.EMPLOYED_SHARE: Decimal("41.0"), Figure.MEDIAN_DAYS: Decimal("100.0")},
    )}
    assert (rows[Figure.RUNNING].trend, rows[Figure.RUNNING].difference, rows[Figure.RUNNING].better) == ("up", "+3", True)
    share = rows[Figure.EMPLOYED_SHARE]
    assert share.shown == "38,5 %" and share.difference == "\u22121,5 procentpunt" and share.better is False
    assert share.target == "41,0 %" and share.target_met is False
    days = rows[Figure.MEDIAN_DAYS]  # fewer days is better
    assert days.trend == "down" and days.better is True and days.target_met is True
    assert rows[Figure.STARTED].trend == "" and rows[Figure.STARTED].difference == ""  # a hidden count: no trend


def test_the_page_shows_this_and_the_previous_period(client, manager, region, make_org, make_trajectories):
    today = timezone.localdate()
    org = make_org(OrganisationType.GGZ, "GGZ Trend")
    make_trajectories(5, org, started_on=today - timedelta(days=45))
    make_trajectories(8, org, started_on=today - timedelta(days=5))
    client.force_login(manager)
    response = client.get(f"/reports/?start={today - timedelta(days=29)}&end={today}")
    started = next(r for r in response.context["figures"] if r.figure == Figure.STARTED)
    assert (started.shown, started.previous, started.difference, started.trend) == ("8", "5", "+3", "up")
    assert "▲" in response.content.decode()


# --- targets -----------------------------------------------------------------------------------


def test_the_region_administrator_sets_targets_shown_beside_the_figures(client, region_admin, manager, region):
    client.force_login(region_admin)
    assert client.get("/reports/targets/").status_code == 200
    response = client.post("/reports/targets/", {Figure.EMPLOYED_SHARE: "41,5", Figure.STARTED: "20"})
    assert response.status_code == 302
    assert Target.objects.get(region=region, figure=Figure.EMPLOYED_SHARE).value == Decimal("41.5")
    response = client.post("/reports/targets/", {Figure.EMPLOYED_SHARE: "140"})
    assert "Een percentage ligt tussen 0 en 100." in response.content.decode()
    client.post("/reports/targets/", {Figure.STARTED: "20"})  # the empty share removes its target
    assert not Target.objects.filter(region=region, figure=Figure.EMPLOYED_SHARE).exists()
    client.force_login(manager)
    html = client.get("/reports/").content.decode()
    assert re.search(r"Gestarte trajecten</th>.*?<td class=\"num\">20", html, re.S)
    assert client.get("/reports/targets/").status_code == 404  # managers read, never set
    assert client.post("/reports/targets/", {Figure.STARTED: "1"}).status_code == 404
    assert Target.objects.get(region=region, figure=Figure.STARTED).value == 20


def test_targets_api(client, region_admin, manager, region, other_region, make_org, make_person):
    client.force_login(region_admin)
    response = client.put("/api/v1/reports/targets/", {"figure": "employed_share", "value": "50.0"},
                          content_type="application/json")
    assert response.status_code == 200
    assert {r["figure"]: r["value"] for r in response.json()}["employed_share"] == "50.0"
    bad = client.put("/api/v1/reports/targets/", {"figure": "nope", "value": 1}, content_type="application/json")
    assert bad.status_code == 400
    client.force_login(manager)
    assert client.get("/api/v1/reports/targets/").status_code == 200
    assert client.put("/api/v1/reports/targets/", {"figure": "employed_share", "value": None},
                      content_type="application/json").status_code == 404
    outsider = make_person(make_org(OrganisationType.GGZ, in_region=other_region), Role.REGION_ADMIN)
    client.force_login(outsider)
    values = {r["figure"]: r["value"] for r in client.get("/api/v1/reports/targets/").json()}
    assert values["employed_share"] is None  # another region's targets are its own
    client.force_login(region_admin)
    client.put("/api/v1/reports/targets/", {"figure": "employed_share", "value": None}, content_type="application/json")
    assert not Target.objects.filter(region=region).exists()


# --- drill-down and CSV ------------------------------------------------------------------------


@pytest.fixture
def three_organisations(region, make_org, make_trajectories):
    today = timezone.localdate()
    orgs = [make_org(OrganisationType.GGZ, "=HYPERLINK(\"x\") GGZ"), make_org(OrganisationType.UWV, "UWV Drill"),
            make_org(OrganisationType.MUNICIPALITY, "Gemeente Drill")]
    for org, n in zip(orgs, (9, 6, 2), strict=True):
        make_trajectories(n, org, started_on=today - timedelta(days=20))
    return orgs


def test_drill_down_by_organisation_with_small_number_suppression(region, three_organisations):
    today = timezone.localdate()
    d = region_dashboard(region=region, start=today - timedelta(days=60), end=today)
    rows = {name: cells for name, *cells in tables(d)["organisations"]}
    assert rows["UWV Drill"][0] in (6, "x") and rows["Gemeente Drill"][0] == "<5"
    # With the region's total (17) shown, the 2 may not be worked out: a second cell is hidden.
    running = [cells[0] for cells in rows.values()]
    assert running.count("<5") == 1 and "x" in running and 2 not in running
    assert tables(d)["organisation_totals"][0] == 17


def _csv(response):
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:]), delimiter=";"))


def test_csv_of_every_table_as_shown(client, manager, three_organisations):
    client.force_login(manager)
    rows = _csv(client.get("/reports/csv/?table=organisations"))
    assert rows[1][0] == "Organisatie"
    by_name = {r[0]: r for r in rows[2:]}
    assert "'=HYPERLINK(\"x\") GGZ" in by_name  # formula-escaped
    assert by_name["Gemeente Drill"][1] == "<5"
    figures = _csv(client.get("/reports/csv/?table=figures"))
    assert figures[1][:3] == ["Cijfer", "Waarde", "Vorige periode"]
    assert any(r[0] == "Lopende trajecten in de periode" and r[1] == "17" for r in figures)
    for table in ("started", "phases", "plans", "jobs"):
        response = client.get(f"/reports/csv/?table={table}")
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert client.get("/reports/csv/?table=secrets").status_code == 404


def test_csv_numbers_use_the_decimal_comma(client, manager, team):
    from werkbrug.employment.services import job_start
    from werkbrug.trajectories.models import Trajectory

    today = timezone.localdate()
    Trajectory.objects.filter(pk=team.trajectory.pk).update(started_on=today - timedelta(days=30))
    team.trajectory.refresh_from_db()
    job_start(trajectory=team.trajectory, recorded_by=team.jobcoach, employer_name="Bakkerij", job_title="Inpakker",
              start=today - timedelta(days=2), hours_per_week=Decimal("22.5"), contract_type="permanent",
              competitive=True, hourly_wage=15)
    d = region_dashboard(region=team.trajectory.region, start=today - timedelta(days=10), end=today)
    assert d.outcomes.mean_hours_per_week == Decimal("22.5")
    from werkbrug.reporting.views import _cell

    assert _cell(Decimal("22.5")) == "22,5" and _cell(1234) == "1234" and _cell("<5") == "<5"


def test_csv_and_pages_refuse_casework_roles_first(client, team):
    client.force_login(team.jobcoach)
    for url in ("/reports/csv/?table=organisations", "/reports/targets/", "/api/v1/reports/targets/"):
        assert client.get(url).status_code in (403, 404)
    assert client.post("/reports/subscription/", {"subscribe": "1"}).status_code == 404
    assert not ReportSubscription.objects.exists()


# --- the monthly report ------------------------------------------------------------------------


def test_the_monthly_report_is_a_notice_with_an_absolute_link_and_no_figures(
    client, manager, team, settings, django_capture_on_commit_callbacks,
):
    settings.WERKBRUG_BASE_URL = "https://werkbrug.example.nl"
    manager.email = "manager@example.org"
    manager.save(update_fields=["email"])
    client.force_login(manager)
    assert client.post("/reports/subscription/", {"subscribe": "1"}).status_code == 302
    assert ReportSubscription.objects.filter(person=manager).exists()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.monthly_reports_send(today=date(2026, 11, 1)) == 1
    notice = Notification.objects.get(recipient=manager, kind=Kind.MONTHLY_REPORT)
    assert notice.link == "/reports/pdf/?start=2026-10-01&end=2026-10-31"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    body = message.body + str(message.alternatives)
    assert "https://werkbrug.example.nl/" in body and team.client.last_name not in body
    assert "Maandrapportage van de regio" in message.subject
    assert services.monthly_reports_send(today=date(2026, 11, 20)) == 0  # one notice per month
    assert services.monthly_reports_send(today=date(2026, 12, 1)) == 1
    client.post("/reports/subscription/", {"subscribe": "0"})
    assert services.monthly_reports_send(today=date(2027, 1, 1)) == 0


def test_a_subscriber_who_lost_the_right_gets_nothing(manager, make_person, make_org):
    employer_manager = make_person(make_org(OrganisationType.EMPLOYER), Role.MANAGER)
    ReportSubscription.objects.create(person=employer_manager)
    ReportSubscription.objects.create(person=manager)
    assert services.monthly_reports_send(today=date(2026, 11, 1)) == 1
    assert not Notification.objects.filter(recipient=employer_manager).exists()


def test_the_monthly_report_is_scheduled_like_the_other_tasks(db):
    from celery.schedules import crontab

    from werkbrug.operations.scheduler import DemoScheduler

    entry = settings.CELERY_BEAT_SCHEDULE["monthly-region-report"]
    assert entry["task"] == "werkbrug.reporting.tasks.send_monthly_reports"
    assert isinstance(entry["schedule"], crontab) and entry["schedule"].day_of_month == {1}
    assert "monthly-region-report" in [e.name for e in DemoScheduler().entries]
    from werkbrug.celery import app

    app.loader.import_default_modules()
    assert "werkbrug.reporting.tasks.send_monthly_reports" in app.tasks


def test_the_dashboard_reads_in_a_fixed_number_of_queries(client, manager, region, make_org, make_trajectories):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    today = timezone.localdate()
    org = make_org(OrganisationType.GGZ, "GGZ Queries")
    client.force_login(manager)
    make_trajectories(3, org, started_on=today - timedelta(days=20))
    client.get("/reports/")
    with CaptureQueriesContext(connection) as few:
        client.get("/reports/")
    make_trajectories(9, make_org(OrganisationType.UWV, "UWV Queries"), started_on=today - timedelta(days=40))
    with CaptureQueriesContext(connection) as many:
        html = client.get("/reports/").content.decode()
    assert len(many) == len(few)  # not per trajectory, client or organisation
    assert re.search(r'href="/experience-experts/reports/\?start=\d{4}-\d\d-\d\d&amp;end=', html)
    assert re.search(r'href="/ambassadors/report/\?start=', html)
