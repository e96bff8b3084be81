import pytest
import time_machine
from django.urls import reverse

from tests.support.crawl import assert_each_request_logged_once
from werkbrug.collaboration.models import Referral, Signal, SignalRecipient
from werkbrug.collaboration.services import signal_acknowledge, signals_escalate
from werkbrug.core.choices import DataCategory
from werkbrug.core.models import AccessLogRecord

pytestmark = pytest.mark.django_db


def test_every_client_data_page_and_endpoint_logs_once(client, team, signal, referral, debt_counsellor):
    s = signal()
    t = team.trajectory.pk
    client.force_login(team.jobcoach)
    assert_each_request_logged_once(client, [
        ("get", reverse("collaboration:signals", kwargs={"trajectory_pk": t})),
        ("get", reverse("collaboration:signal_create", kwargs={"trajectory_pk": t})),
        ("get", reverse("collaboration:referrals", kwargs={"trajectory_pk": t})),
        ("get", reverse("collaboration:referral_create", kwargs={"trajectory_pk": t})),
        ("get", reverse("collaboration:referral", kwargs={"pk": referral.pk})),
        ("get", f"/api/v1/trajectories/{t}/signals/"),
        ("get", f"/api/v1/signals/{s.pk}/"),
        ("get", f"/api/v1/trajectories/{t}/referrals/"),
        ("get", f"/api/v1/referrals/{referral.pk}/"),
    ])
    client.force_login(team.labour_expert)
    assert_each_request_logged_once(client, [
        ("post", reverse("collaboration:signal_acknowledge", kwargs={"trajectory_pk": t, "pk": s.pk})),
    ], expect_status=(302,))
    s2 = signal()
    assert_each_request_logged_once(client, [("post", f"/api/v1/signals/{s2.pk}/acknowledge/")])
    client.force_login(debt_counsellor)
    assert_each_request_logged_once(client, [
        ("get", reverse("collaboration:index")),
        ("get", reverse("collaboration:referral", kwargs={"pk": referral.pk})),
        ("get", "/api/v1/referrals/incoming/"),
        ("get", f"/api/v1/referrals/{referral.pk}/"),
    ])
    assert_each_request_logged_once(client, [
        ("post", reverse("collaboration:referral_accept", kwargs={"pk": referral.pk})),
        ("post", reverse("collaboration:referral_join", kwargs={"pk": referral.pk})),
    ], expect_status=(302,))


def test_outsider_gets_404_on_pages_and_problem_json_on_the_api(client, team, signal, referral):
    s = signal()
    t = team.trajectory.pk
    client.force_login(team.outsider)
    for url in (reverse("collaboration:signals", kwargs={"trajectory_pk": t}),
                reverse("collaboration:referrals", kwargs={"trajectory_pk": t}),
                reverse("collaboration:referral", kwargs={"pk": referral.pk})):
        assert client.get(url).status_code == 404
    response = client.get(f"/api/v1/signals/{s.pk}/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    # The denied attempt is logged too.
    assert AccessLogRecord.objects.filter(granted=False, actor_id_snapshot=team.outsider.pk).count() == 4


def test_uwv_loses_signals_the_moment_consent_is_withdrawn(client, team, signal, withdraw):
    signal()
    client.force_login(team.labour_expert)
    url = reverse("collaboration:signals", kwargs={"trajectory_pk": team.trajectory.pk})
    assert client.get(url).status_code == 200
    withdraw(team.uwv, DataCategory.SIGNALS)
    assert client.get(url).status_code == 404
    assert client.get(f"/api/v1/trajectories/{team.trajectory.pk}/signals/").status_code == 404


def test_send_signal_through_the_page_and_acknowledge(client, team):
    client.force_login(team.jobcoach)
    url = reverse("collaboration:signal_create", kwargs={"trajectory_pk": team.trajectory.pk})
    page = client.get(url)
    assert "Deskundige" in page.content.decode()  # the team member to choose
    response = client.post(url, {"category": "debts", "urgency": "urgent", "text": "Beslag op loon",
                                 "recipients": [team.labour_expert.pk]})
    assert response.status_code == 302
    s = Signal.objects.get()
    client.force_login(team.labour_expert)
    page = client.get(reverse("collaboration:signals", kwargs={"trajectory_pk": team.trajectory.pk})).content.decode()
    assert "Beslag op loon" in page and "Ik heb dit gelezen" in page
    client.post(reverse("collaboration:signal_acknowledge", kwargs={"trajectory_pk": team.trajectory.pk, "pk": s.pk}))
    assert SignalRecipient.objects.get(signal=s).acknowledged_at is not None


def test_signal_form_errors_are_shown_and_nothing_is_written(client, team):
    client.force_login(team.jobcoach)
    url = reverse("collaboration:signal_create", kwargs={"trajectory_pk": team.trajectory.pk})
    before = AccessLogRecord.objects.count()
    response = client.post(url, {"category": "debts", "urgency": "urgent", "text": "Let op"})
    assert response.status_code == 200
    assert "Kies minstens één ontvanger" in response.content.decode()
    assert AccessLogRecord.objects.count() == before + 1
    assert not Signal.objects.exists()


def test_api_signal_errors_are_problem_json(client, team):
    client.force_login(team.jobcoach)
    url = f"/api/v1/trajectories/{team.trajectory.pk}/signals/"
    response = client.post(url, {"category": "debts", "urgency": "urgent", "text": "Let op",
                                 "recipients": [team.outsider.pk]}, content_type="application/json")
    assert response.status_code == 400
    body = response.json()
    assert response["Content-Type"] == "application/problem+json"
    assert body["errors"][0]["field"] == "recipients" and body["errors"][0]["code"] == "not_member"
    # Neutral: never the name of whoever the id belongs to (changed on purpose; it named them).
    assert body["errors"][0]["message"] == "Kies leden van dit team."
    assert team.outsider.last_name not in response.content.decode()
    response = client.post(url, {"category": "weather", "text": "x"}, content_type="application/json")
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "category"
    response = client.post(url, {"category": "debts", "urgency": "normal", "text": "Hallo",
                                 "recipients": [team.labour_expert.pk]}, content_type="application/json")
    assert response.status_code == 201 and response.json()["recipients"][0]["person"] == team.labour_expert.pk
    assert Signal.objects.count() == 1


def test_api_referral_flow_and_errors(client, team, debt_org, debt_counsellor, consent):
    client.force_login(team.jobcoach)
    url = f"/api/v1/trajectories/{team.trajectory.pk}/referrals/"
    data = {"organisation": debt_org.pk, "service": "debt_counselling", "question": "Hulp bij schulden"}
    response = client.post(url, data, content_type="application/json")
    assert response.status_code == 400 and response.json()["errors"][0]["code"] == "no_consent"
    consent(debt_org, DataCategory.PARTICIPATION)
    response = client.post(url, data, content_type="application/json")
    assert response.status_code == 201
    pk = response.json()["id"]
    client.force_login(debt_counsellor)
    response = client.post(f"/api/v1/referrals/{pk}/reject/", {"reason": ""}, content_type="application/json")
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "reason"
    response = client.post(f"/api/v1/referrals/{pk}/complete/", {"outcome": "successful", "reason": "x"},
                           content_type="application/json")
    assert response.status_code == 400 and response.json()["errors"][0]["code"] == "invalid_transition"
    assert "kan niet naar afgerond" in response.json()["detail"]
    assert client.post(f"/api/v1/referrals/{pk}/accept/", {}, content_type="application/json").status_code == 200
    response = client.post(f"/api/v1/referrals/{pk}/complete/", {"outcome": "not_successful", "reason": "Cliënt kwam niet"},
                           content_type="application/json")
    assert response.status_code == 200
    body = response.json()
    assert body["state"] == "completed" and [e["to_state"] for e in body["events"]] == ["requested", "accepted", "completed"]
    assert Referral.objects.get(pk=pk).outcome == "not_successful"


def test_referral_pages_for_receiver(client, team, referral, debt_counsellor):
    client.force_login(debt_counsellor)
    page = client.get(reverse("collaboration:index")).content.decode()
    assert team.client.full_name in page
    detail = client.get(reverse("collaboration:referral", kwargs={"pk": referral.pk})).content.decode()
    assert "Hulp bij betalingsachterstanden." in detail and "Accepteren" in detail
    response = client.post(reverse("collaboration:referral_reject", kwargs={"pk": referral.pk}), {"reject-reason": ""})
    assert response.status_code == 302
    assert Referral.objects.get(pk=referral.pk).state == "requested"
    client.post(reverse("collaboration:referral_reject", kwargs={"pk": referral.pk}), {"reject-reason": "Vol"})
    assert Referral.objects.get(pk=referral.pk).state == "rejected"


def test_escalated_signal_shows_on_the_page(client, team, signal):
    with time_machine.travel("2026-03-02 09:00 +0000", tick=False):
        s = signal()
    with time_machine.travel("2026-03-03 10:00 +0000", tick=False):
        signals_escalate()
    client.force_login(team.jobcoach)
    page = client.get(reverse("collaboration:signals", kwargs={"trajectory_pk": team.trajectory.pk})).content.decode()
    assert "Doorgezet naar de planregisseur" in page
    signal_acknowledge(signal=s, person=team.jobcoach)  # the plan director is now a recipient


def test_signal_list_query_count_does_not_grow(client, team, signal, django_assert_max_num_queries):
    for _ in range(3):
        signal()
    client.force_login(team.jobcoach)
    url = reverse("collaboration:signals", kwargs={"trajectory_pk": team.trajectory.pk})
    with django_assert_max_num_queries(20):
        client.get(url)
    for _ in range(10):
        signal()
    with django_assert_max_num_queries(20):
        client.get(url)


def test_incoming_list_query_count(client, referral, debt_counsellor, django_assert_max_num_queries):
    client.force_login(debt_counsellor)
    with django_assert_max_num_queries(15):
        assert client.get(reverse("collaboration:index")).status_code == 200
