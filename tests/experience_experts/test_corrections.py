"""Corrections and withdrawals of registrations (with history), cancelling requests, expired requests."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from tests.support.deployments import first_day
from werkbrug.appointments.models import Appointment, AppointmentStatus
from werkbrug.core.models import AccessLogRecord
from werkbrug.experience_experts import selectors, services, workflow
from werkbrug.experience_experts.models import (
    Deployment,
    DeploymentStatus,
    DeploymentVersion,
    OfferOutcome,
    RequestOffer,
    RequestStatus,
)
from werkbrug.experience_experts.tasks import expire_requests
from werkbrug.notifications.models import Notification

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")
MARCH_20 = time_machine.travel(datetime(2026, 3, 20, 12, tzinfo=AMS), tick=False)


def _group_deployment(ee, expert=None, **kw):
    args = dict(expert=expert or ee.anna, date=date(2026, 3, 18), kind="network", minutes=60, setting="external",
                organisation_served=ee.org, topic="GGZ-overleg")
    args.update(kw)
    return services.deployment_register(**args)


def _client_deployment(ee):
    """Anna accepts a request for the team's client and registers the deployment."""
    request = services.request_create(requested_by=ee.team.jobcoach, kind="one_on_one", trajectory=ee.team.trajectory,
                                      period_start=date(2026, 3, 16), period_end=date(2026, 3, 27))
    services.request_offer(request=request, expert=ee.anna, offered_by=ee.team.jobcoach)
    planned = services.request_accept(request=request, expert=ee.anna, schedule=first_day(request))
    return services.deployment_complete(deployment=planned, expert=ee.anna, date=date(2026, 3, 19), minutes=60,
                                        setting="own_office")


# --- corrections and withdrawals -----------------------------------------------------------


@MARCH_20
def test_a_correction_keeps_the_first_registration_and_says_who_when_why(ee):
    deployment = _group_deployment(ee)
    services.deployment_correct(deployment=deployment, changed_by=ee.anna, reason="Was 90 minuten", minutes=90)
    services.deployment_correct(deployment=deployment, changed_by=ee.coordinator, reason="Datum klopte niet",
                                date=date(2026, 3, 17))
    deployment.refresh_from_db()
    assert (deployment.minutes, deployment.date) == (90, date(2026, 3, 17))
    versions = list(selectors.registration_history(deployment=deployment))
    assert [(v.number, v.change, v.data["minutes"], v.data["date"], v.changed_by, v.reason) for v in versions] == [
        (1, "registered", 60, "2026-03-18", ee.anna, ""),
        (2, "corrected", 90, "2026-03-18", ee.anna, "Was 90 minuten"),
        (3, "corrected", 90, "2026-03-17", ee.coordinator, "Datum klopte niet"),
    ]
    with pytest.raises(ValueError):
        versions[0].save()  # append-only
    with pytest.raises(ValueError):
        versions[0].delete()


@MARCH_20
@pytest.mark.parametrize(
    ("kw", "field", "code"),
    [
        ({"reason": "", "minutes": 90}, "reason", "reason_required"),  # a correction always says why
        ({"reason": "x" * 501, "minutes": 90}, "reason", "reason_too_long"),
        ({"reason": "Te lang", "minutes": 0}, "minutes", "minutes"),
        ({"reason": "Later", "date": date(2026, 3, 21)}, "date", "future"),  # tomorrow has not taken place
        ({"reason": "Niets", "minutes": 60}, None, "unchanged"),  # the same figures: no new version
        ({"reason": "Geen onderwerp", "topic": ""}, "topic", "required"),
    ],
)
def test_bad_corrections_are_refused_and_leave_no_version(ee, kw, field, code):
    deployment = _group_deployment(ee)
    with pytest.raises(ValidationError) as exc:
        services.deployment_correct(deployment=deployment, changed_by=ee.anna, **kw)
    if field:
        assert exc.value.error_dict[field][0].code == code
    else:
        assert exc.value.code == code
    assert not DeploymentVersion.objects.exists()


@MARCH_20
def test_a_withdrawn_registration_stays_on_record_and_no_figure_counts_it(ee):
    kept = _group_deployment(ee, minutes=45)
    gone = _group_deployment(ee, minutes=120)
    services.deployment_withdraw(deployment=gone, withdrawn_by=ee.coordinator, reason="Dubbel geregistreerd")
    gone.refresh_from_db()
    assert gone.status == DeploymentStatus.WITHDRAWN
    assert [v.change for v in gone.versions.all()] == ["registered", "withdrawn"]
    balance = selectors.expert_balance(profile=ee.profiles["Anna"], today=date(2026, 3, 20), months=1)
    assert balance.months[-1].total_minutes == 45
    report = selectors.report(region_id=ee.org.region_id, start=date(2026, 3, 1), end=date(2026, 3, 31), viewer=None)
    assert report.total_minutes == 45
    assert Deployment.objects.filter(pk=kept.pk, status=DeploymentStatus.REGISTERED).exists()
    with pytest.raises(ValidationError) as exc:  # nothing more to correct
        services.deployment_correct(deployment=gone, changed_by=ee.anna, reason="Toch", minutes=60)
    assert exc.value.code == "not_registered"


@MARCH_20
@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("anna", True),                # the expert who registered it
        ("coordinator", True),         # the coordinator named on her profile
        ("other_coordinator", False),  # a coordinator, but not hers
        ("bert", False),               # her buddy
        ("manager", False),            # the organisation's manager
        ("admin", False),              # the region administrator
    ],
)
def test_who_corrects_a_registration(ee, who, allowed):
    deployment = _group_deployment(ee)
    person = getattr(ee, who)
    if allowed:
        services.deployment_correct(deployment=deployment, changed_by=person, reason="Minuten", minutes=30)
        assert Deployment.objects.get(pk=deployment.pk).minutes == 30
    else:
        with pytest.raises(Http404):
            services.deployment_correct(deployment=deployment, changed_by=person, reason="Minuten", minutes=30)
        with pytest.raises(Http404):
            services.deployment_withdraw(deployment=deployment, withdrawn_by=person, reason="Weg")
        assert Deployment.objects.get(pk=deployment.pk).minutes == 60


def test_another_regions_coordinator_gets_404(ee, stranger):
    with time_machine.travel(datetime(2026, 3, 20, 12, tzinfo=AMS), tick=False):
        deployment = _group_deployment(ee)
    with pytest.raises(Http404):
        services.deployment_withdraw(deployment=deployment, withdrawn_by=stranger, reason="Weg")


def test_a_client_registration_is_corrected_with_one_access_log_record(ee):
    with time_machine.travel(datetime(2026, 3, 10, 12, tzinfo=AMS), tick=False):
        request = services.request_create(requested_by=ee.team.jobcoach, kind="one_on_one",
                                          trajectory=ee.team.trajectory, period_start=date(2026, 3, 16),
                                          period_end=date(2026, 3, 27))
        services.request_offer(request=request, expert=ee.anna, offered_by=ee.team.jobcoach)
        planned = services.request_accept(request=request, expert=ee.anna, schedule=first_day(request))
    with time_machine.travel(datetime(2026, 3, 20, 12, tzinfo=AMS), tick=False):
        deployment = services.deployment_complete(deployment=planned, expert=ee.anna, date=date(2026, 3, 19),
                                                  minutes=60, setting="own_office")
        before = AccessLogRecord.objects.count()
        services.deployment_correct(deployment=deployment, changed_by=ee.coordinator, reason="75 minuten", minutes=75)
        record = AccessLogRecord.objects.order_by("-id").first()
        assert AccessLogRecord.objects.count() - before == 1
        assert record.granted and record.client_pseudonym == ee.team.client.pseudonym


# --- pages and API -------------------------------------------------------------------------


@MARCH_20
def test_the_coordinator_corrects_and_withdraws_on_the_pages_without_seeing_the_client(client, ee):
    deployment = _group_deployment(ee)
    client.force_login(ee.coordinator)
    listing = client.get(reverse("experience_experts:registrations", args=[ee.profiles["Anna"].pk]))
    assert listing.status_code == 200 and "GGZ-overleg" in listing.content.decode()
    url = reverse("experience_experts:deployment_correct", args=[deployment.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Reden voor de correctie" in page.content.decode()
    bad = client.post(url, {"date": "2026-03-18", "kind": "network", "minutes": "-5", "setting": "external",
                            "organisation_served": ee.org.pk, "topic": "GGZ-overleg", "reason": "Fout"})
    assert bad.status_code == 200 and 'class="field-error"' in bad.content.decode()
    ok = client.post(url, {"date": "2026-03-18", "kind": "network", "minutes": "75", "setting": "external",
                           "organisation_served": ee.org.pk, "topic": "GGZ-overleg", "reason": "Was langer"})
    assert ok.status_code == 302
    assert Deployment.objects.get(pk=deployment.pk).minutes == 75
    gone = client.post(reverse("experience_experts:deployment_withdraw", args=[deployment.pk]), {"reason": "Dubbel"})
    assert gone.status_code == 302
    assert Deployment.objects.get(pk=deployment.pk).status == DeploymentStatus.WITHDRAWN
    history = client.get(reverse("experience_experts:deployment_history", args=[deployment.pk])).content.decode()
    assert "Dubbel" in history and "Was langer" in history
    client.force_login(ee.other_coordinator)
    assert client.get(url).status_code == 404
    assert client.get(reverse("experience_experts:registrations", args=[ee.profiles["Anna"].pk])).status_code == 404


@MARCH_20
def test_api_correct_withdraw_history_and_list(api, ee):
    deployment = _group_deployment(ee)
    api.force_authenticate(ee.anna)
    base = f"/api/v1/ee-deployments/{deployment.pk}/"
    assert api.post(base + "correct/", {"minutes": 80}, format="json").status_code == 400  # no reason
    response = api.post(base + "correct/", {"minutes": 80, "reason": "Uitloop"}, format="json")
    assert response.status_code == 200 and response.json()["minutes"] == 80 and response.json()["for_client"] is False
    assert api.post(base + "correct/", {"organisation_served": 999999, "reason": "Org"}, format="json").status_code == 400
    assert api.post(base + "withdraw/", {"reason": "Geen inzet"}, format="json").json()["status"] == "withdrawn"
    history = api.get(base + "history/").json()
    assert [v["change"] for v in history] == ["registered", "corrected", "withdrawn"]
    api.force_authenticate(ee.coordinator)
    listed = api.get(f"/api/v1/ee-profiles/{ee.profiles['Anna'].pk}/registrations/").json()
    assert [(r["id"], r["status"]) for r in listed["results"]] == [(deployment.pk, "withdrawn")]
    api.force_authenticate(ee.bert)
    assert api.get(base + "history/").status_code == 404
    assert api.post(base + "correct/", {"minutes": 10, "reason": "x"}, format="json").status_code == 404


# --- cancelling a request ------------------------------------------------------------------


@MARCH_20
def test_the_requester_cancels_with_a_reason_and_the_offered_expert_is_told(ee):
    request = services.request_create(requested_by=ee.team.jobcoach, kind="one_on_one", trajectory=ee.team.trajectory,
                                      period_start=date(2026, 3, 23), period_end=date(2026, 3, 27))
    services.request_offer(request=request, expert=ee.anna, offered_by=ee.team.jobcoach)
    with pytest.raises(ValidationError) as exc:
        services.request_cancel(request=request, cancelled_by=ee.team.jobcoach, reason=" ")
    assert exc.value.error_dict["reason"][0].code == "reason_required"
    services.request_cancel(request=request, cancelled_by=ee.team.jobcoach, reason="Cliënt is verhuisd")
    request.refresh_from_db()
    assert (request.status, request.closed_by, request.close_reason) == (RequestStatus.CANCELLED, ee.team.jobcoach,
                                                                         "Cliënt is verhuisd")
    assert RequestOffer.objects.get(request=request).outcome == OfferOutcome.WITHDRAWN
    told = Notification.objects.get(recipient=ee.anna, kind="deployment_cancelled")
    assert ee.team.client.last_name not in told.title
    with pytest.raises(ValidationError) as exc:
        services.request_cancel(request=request, cancelled_by=ee.team.jobcoach, reason="Nog eens")
    assert exc.value.code == "closed"


@MARCH_20
def test_cancelling_an_accepted_request_cancels_its_planned_deployment(ee):
    request = services.request_create(requested_by=ee.team.labour_expert, kind="presentation", topic="Teamoverleg",
                                      period_start=date(2026, 3, 23), period_end=date(2026, 3, 27))
    services.request_offer(request=request, expert=ee.carla, offered_by=ee.team.labour_expert)
    planned = services.request_accept(request=request, expert=ee.carla, schedule=first_day(request))
    services.request_cancel(request=request, cancelled_by=ee.coordinator, reason="Overleg gaat niet door")
    planned.refresh_from_db()
    assert planned.status == DeploymentStatus.CANCELLED
    assert {n.recipient for n in Notification.objects.filter(kind="deployment_cancelled")} == {ee.carla,
                                                                                              ee.team.labour_expert}
    # its appointment (pencilled in at the acceptance) is cancelled too, and its calendars say so
    appointment = Appointment.objects.get(deployment_request=request)
    assert appointment.status == AppointmentStatus.CANCELLED
    assert appointment.sequence == 1
    assert Notification.objects.filter(kind="appointment_cancelled", recipient=ee.carla).exists()


@MARCH_20
@pytest.mark.parametrize(
    ("who", "group", "allowed"),
    [
        ("requester", False, True),
        ("requester", True, True),
        ("coordinator", True, True),     # a coordinator of the region, for a group request
        ("coordinator", False, True),    # … and a client's request put to an expert she coordinates (logged)
        ("other_coordinator", False, False),  # not the coordinator of the expert it was put to
        ("other_coordinator", True, True),    # any coordinator of the region, for a group request
        ("anna", True, False),           # the expert it was put to answers, she does not cancel
        ("outsider", False, False),      # not in the client's team
        ("manager", True, False),
    ],
)
def test_who_cancels_a_request(ee, who, group, allowed):
    if group:
        request = services.request_create(requested_by=ee.team.jobcoach, kind="presentation", topic="Teamoverleg",
                                          period_start=date(2026, 3, 23), period_end=date(2026, 3, 27))
    else:
        request = services.request_create(requested_by=ee.team.jobcoach, kind="one_on_one",
                                          trajectory=ee.team.trajectory, period_start=date(2026, 3, 23),
                                          period_end=date(2026, 3, 27))
    services.request_offer(request=request, expert=ee.anna, offered_by=ee.team.jobcoach)
    person = {"requester": ee.team.jobcoach, "coordinator": ee.coordinator, "anna": ee.anna,
              "other_coordinator": ee.other_coordinator,
              "outsider": ee.team.outsider, "manager": ee.manager}[who]
    if allowed:
        services.request_cancel(request=request, cancelled_by=person, reason="Niet meer nodig")
        request.refresh_from_db()
        assert request.status == RequestStatus.CANCELLED
    else:
        with pytest.raises(Http404):
            services.request_cancel(request=request, cancelled_by=person, reason="Niet meer nodig")


@MARCH_20
def test_cancel_page_and_api(client, api, ee):
    request = services.request_create(requested_by=ee.team.jobcoach, kind="presentation", topic="Teamoverleg",
                                      period_start=date(2026, 3, 23), period_end=date(2026, 3, 27))
    client.force_login(ee.team.jobcoach)
    detail = client.get(reverse("experience_experts:request", args=[request.pk])).content.decode()
    assert reverse("experience_experts:request_cancel", args=[request.pk]) in detail
    url = reverse("experience_experts:request_cancel", args=[request.pk])
    assert client.post(url, {"reason": ""}).status_code == 200  # the form says a reason is needed
    assert client.post(url, {"reason": "Geen behoefte meer"}).status_code == 302
    assert client.get(url).status_code == 404  # closed: nothing to cancel
    second = services.request_create(requested_by=ee.team.jobcoach, kind="presentation", topic="Overleg",
                                     period_start=date(2026, 3, 23), period_end=date(2026, 3, 27))
    api.force_authenticate(ee.manager)
    assert api.post(f"/api/v1/ee-requests/{second.pk}/cancel/", {"reason": "x"}, format="json").status_code == 404
    api.force_authenticate(ee.team.jobcoach)
    response = api.post(f"/api/v1/ee-requests/{second.pk}/cancel/", {"reason": "Dubbel"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    again = api.post(f"/api/v1/ee-requests/{second.pk}/cancel/", {"reason": "Dubbel"}, format="json")
    assert again.status_code == 400 and again.json()["errors"][0]["code"] == "closed"


# --- expired requests ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "period_end", "today", "expired"),
    [
        ("open", date(2026, 3, 13), date(2026, 3, 14), True),      # the day after the period
        ("open", date(2026, 3, 13), date(2026, 3, 13), False),     # the last day still counts
        ("offered", date(2026, 3, 13), date(2026, 4, 1), True),    # put to an expert who never answered
        ("accepted", date(2026, 3, 13), date(2026, 4, 1), False),  # someone said yes: not expired
        ("cancelled", date(2026, 3, 13), date(2026, 4, 1), False),
    ],
)
def test_what_expired_means(status, period_end, today, expired):
    assert workflow.is_expired(status=status, period_end=period_end, today=today) is expired


def test_a_request_for_a_past_period_closes_itself(ee):
    with time_machine.travel(datetime(2026, 3, 10, 12, tzinfo=AMS), tick=False):
        waiting = services.request_create(requested_by=ee.team.jobcoach, kind="presentation", topic="Overleg",
                                          period_start=date(2026, 3, 11), period_end=date(2026, 3, 13))
        offered = services.request_create(requested_by=ee.team.jobcoach, kind="presentation", topic="Training",
                                          period_start=date(2026, 3, 11), period_end=date(2026, 3, 13))
        services.request_offer(request=offered, expert=ee.anna, offered_by=ee.team.jobcoach)
        later = services.request_create(requested_by=ee.team.jobcoach, kind="presentation", topic="Later",
                                        period_start=date(2026, 3, 11), period_end=date(2026, 3, 31))
    with time_machine.travel(datetime(2026, 3, 14, 9, tzinfo=AMS), tick=False):
        # before the daily task has run, the expert can no longer accept
        with pytest.raises(ValidationError) as exc:
            services.request_accept(request=offered, expert=ee.anna, schedule=first_day(offered))
        assert exc.value.code == "expired"
        assert expire_requests() == 2
        assert expire_requests() == 0  # idempotent
    statuses = {r.topic: r.status for r in [waiting, offered, later] if r.refresh_from_db() is None}
    assert statuses == {"Overleg": "expired", "Training": "expired", "Later": "open"}
    assert RequestOffer.objects.get(request=offered).outcome == OfferOutcome.WITHDRAWN


def test_pages_on_a_clients_registration_and_request_are_logged_once(client, ee):
    from tests.support.crawl import assert_each_request_logged_once

    with time_machine.travel(datetime(2026, 3, 10, 12, tzinfo=AMS), tick=False):
        request = services.request_create(requested_by=ee.team.jobcoach, kind="one_on_one",
                                          trajectory=ee.team.trajectory, period_start=date(2026, 3, 16),
                                          period_end=date(2026, 3, 27))
        services.request_offer(request=request, expert=ee.anna, offered_by=ee.team.jobcoach)
        planned = services.request_accept(request=request, expert=ee.anna, schedule=first_day(request))
    with time_machine.travel(datetime(2026, 3, 20, 12, tzinfo=AMS), tick=False):
        deployment = services.deployment_complete(deployment=planned, expert=ee.anna, date=date(2026, 3, 19),
                                                  minutes=60, setting="own_office")
        pages = [("GET", reverse(f"experience_experts:deployment_{name}", args=[deployment.pk]))
                 for name in ("correct", "withdraw", "history")]
        for person in (ee.anna, ee.coordinator):
            client.force_login(person)
            assert_each_request_logged_once(client, pages)
        client.force_login(ee.coordinator)
        assert ee.team.client.last_name not in client.get(pages[0][1]).content.decode()  # the figures, not the client
        client.force_login(ee.team.jobcoach)
        assert_each_request_logged_once(client, [("GET", reverse("experience_experts:request_cancel", args=[request.pk]))])
        before = AccessLogRecord.objects.count()
        response = client.post(reverse("experience_experts:request_cancel", args=[request.pk]), {"reason": "Verhuisd"})
        assert response.status_code == 302 and AccessLogRecord.objects.count() - before == 1
