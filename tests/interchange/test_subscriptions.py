"""FHIR Subscriptions (rest-hook, no payload): created by a system, owed on changes it may read,
sent by the worker, retried with back-off."""

from __future__ import annotations

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.utils import timezone

from werkbrug.clients.models import ConsentMethod
from werkbrug.clients.services import consent_withdraw
from werkbrug.collaboration.services import signal_create
from werkbrug.core.choices import DataCategory
from werkbrug.interchange.models import (
    FhirSubscription,
    SubscriptionNotification,
    SubscriptionStatus,
    all_scopes,
)
from werkbrug.interchange.services import system_register
from werkbrug.interchange.subscriptions import MAX_ATTEMPTS, backoff, deliver_due

pytestmark = pytest.mark.django_db


class Receiver:
    """A system's endpoint on loopback that records what it is sent (or answers 500)."""

    def __init__(self, status: int = 200):
        received = self.received = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 — http.server's name
                length = int(self.headers.get("Content-Length") or 0)
                received.append({"path": self.path, "headers": dict(self.headers), "body": self.rfile.read(length)})
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/notify"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


@pytest.fixture
def failing():
    r = Receiver(status=500)
    yield r
    r.close()


@pytest.fixture
def post(client, system, get_token):
    token = get_token(system)

    def send(method: str, path: str, body=None, bearer: str | None = None):
        return client.generic(method, f"/fhir/R4/{path}", json.dumps(body) if body is not None else "",
                              content_type="application/fhir+json", HTTP_AUTHORIZATION=f"Bearer {bearer or token}")

    return send


def subscription_body(url: str, criteria: str = "Communication", **channel) -> dict:
    return {"resourceType": "Subscription", "status": "requested", "criteria": criteria, "reason": "EPD",
            "channel": {"type": "rest-hook", "endpoint": url, "header": ["Authorization: Bearer abc"], **channel}}


def test_a_system_subscribes_and_is_notified_without_payload(post, receiver, team, django_capture_on_commit_callbacks):
    created = post("POST", "Subscription", subscription_body(receiver.url))
    assert created.status_code == 201, created.content
    assert created.json()["status"] == "active" and created["Location"].endswith(f"/Subscription/{created.json()['id']}")
    with django_capture_on_commit_callbacks(execute=True):
        signal_create(trajectory=team.trajectory, author=team.labour_expert, category="mood", urgency="normal",
                      text="Gaat slechter.", recipients=[team.jobcoach])
    owed = SubscriptionNotification.objects.get()
    assert owed.event_number == 1 and owed.delivered_at is None
    assert deliver_due() == 1
    (sent,) = receiver.received
    assert sent["body"] == b"" and sent["path"] == "/notify"
    assert sent["headers"]["Authorization"] == "Bearer abc"
    assert sent["headers"]["X-Werkbrug-Subscription"] == created.json()["id"]
    owed.refresh_from_db()
    assert owed.delivered_at is not None and owed.attempts == 1
    assert deliver_due() == 0  # nothing is sent twice


def test_only_what_the_acting_person_may_read_is_owed(team, receiver, region_admin, system,
                                                       django_capture_on_commit_callbacks):
    """Both organisations' systems subscribe; the client withdrew the UWV's signals consent: only
    the GGZ's system is owed a notification of the next signal."""
    from werkbrug.core.choices import Role
    from werkbrug.trajectories.services import team_member_add

    uwv_system = system_register(actor=region_admin, organisation=team.uwv, name="UWV-systeem",
                                 scopes=all_scopes(), acting_person=team.labour_expert)[0]
    FhirSubscription.objects.create(system=uwv_system, criteria="Communication", endpoint=receiver.url)
    FhirSubscription.objects.create(system=system.client, criteria="Communication", endpoint=receiver.url)
    consent_withdraw(client=team.client, organisation=team.uwv, category=DataCategory.SIGNALS,
                     recorded_by=team.labour_expert, method=ConsentMethod.VERBAL)
    team_member_add(trajectory=team.trajectory, person=team.outsider, role=Role.THERAPIST, added_by=team.jobcoach)
    with django_capture_on_commit_callbacks(execute=True):
        signal_create(trajectory=team.trajectory, author=team.jobcoach, category="mood", urgency="normal",
                      text="Alleen voor de GGZ.", recipients=[team.outsider])
    owed = list(SubscriptionNotification.objects.values_list("subscription__system__name", flat=True))
    assert owed == ["GGZ-dossier"]


def test_plan_versions_and_consent_changes_are_owed_to_their_subscribers(post, receiver, team,
                                                                          django_capture_on_commit_callbacks):
    from tests.plans.conftest import goals_for
    from werkbrug.plans.services import plan_save

    post("POST", "Subscription", subscription_body(receiver.url, criteria="CarePlan"))
    post("POST", "Subscription", subscription_body(receiver.url, criteria="Consent"))
    with django_capture_on_commit_callbacks(execute=True):
        plan_save(trajectory=team.trajectory, actor=team.jobcoach, based_on=0, goals=goals_for(team))
    with django_capture_on_commit_callbacks(execute=True):
        consent_withdraw(client=team.client, organisation=team.uwv, category=DataCategory.PLAN,
                         recorded_by=team.labour_expert, method=ConsentMethod.VERBAL)
    kinds = sorted(SubscriptionNotification.objects.values_list("subscription__criteria", flat=True))
    assert kinds == ["CarePlan", "Consent"]


def test_a_failing_endpoint_is_retried_with_back_off_then_set_to_error(post, failing, team,
                                                                      django_capture_on_commit_callbacks):
    post("POST", "Subscription", subscription_body(failing.url))
    with django_capture_on_commit_callbacks(execute=True):
        signal_create(trajectory=team.trajectory, author=team.labour_expert, category="work", urgency="normal",
                      text="x", recipients=[team.jobcoach])
    owed = SubscriptionNotification.objects.get()
    now = timezone.now()
    assert deliver_due(now) == 0
    owed.refresh_from_db()
    assert owed.attempts == 1 and owed.next_attempt_at == now + timedelta(seconds=30)
    assert deliver_due(now + timedelta(seconds=29)) == 0 and len(failing.received) == 1  # not due yet
    for _ in range(MAX_ATTEMPTS - 1):
        owed.refresh_from_db()
        deliver_due(owed.next_attempt_at)
    owed.refresh_from_db()
    assert owed.attempts == MAX_ATTEMPTS and owed.next_attempt_at is None
    assert len(failing.received) == MAX_ATTEMPTS
    assert FhirSubscription.objects.get().status == SubscriptionStatus.ERROR
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 8, 9)] == [30, 60, 120, 3600, 3600]


@pytest.mark.parametrize("change", [
    {"criteria": "Patient"},
    {"channel": {"type": "websocket", "endpoint": "https://example.org/x"}},
    {"channel": {"type": "rest-hook", "endpoint": "ftp://example.org/x"}},
    {"channel": {"type": "rest-hook", "endpoint": "https://example.org/x", "payload": "application/fhir+json"}},
    {"channel": {"type": "rest-hook", "endpoint": "https://example.org/x", "header": ["X-A: b\r\nInjected: 1"]}},
    {"channel": {"type": "rest-hook", "endpoint": "https://example.org/x", "header": ["a: b"] * 6}},
])
def test_invalid_subscriptions_are_refused(post, change):
    body = {**subscription_body("https://example.org/x"), **change}
    response = post("POST", "Subscription", body)
    assert response.status_code == 422, response.content
    assert not FhirSubscription.objects.exists()


def test_production_refuses_loopback_and_plain_http(post, settings):
    settings.FHIR_SUBSCRIPTION_ALLOW_HTTP = False
    settings.FHIR_SUBSCRIPTION_ALLOW_PRIVATE = False
    assert post("POST", "Subscription", subscription_body("http://example.org/x")).status_code == 422
    assert post("POST", "Subscription", subscription_body("https://127.0.0.1/x")).status_code == 422
    assert post("POST", "Subscription", subscription_body("https://10.1.2.3/x")).status_code == 422


def test_a_system_sees_only_its_own_subscriptions(post, receiver, team, region_admin):
    theirs = system_register(actor=region_admin, organisation=team.ggz, name="Ander systeem",
                             scopes=all_scopes(), acting_person=team.outsider)[0]
    other = FhirSubscription.objects.create(system=theirs, criteria="Communication", endpoint=receiver.url)
    own = post("POST", "Subscription", subscription_body(receiver.url)).json()
    assert post("GET", f"Subscription/{other.pk}").status_code == 404
    assert post("DELETE", f"Subscription/{other.pk}").status_code == 404
    assert post("PUT", f"Subscription/{other.pk}", {"resourceType": "Subscription"}).status_code == 404
    listed = post("GET", "Subscription").json()
    assert [e["resource"]["id"] for e in listed["entry"]] == [own["id"]]
    renewed = post("PUT", f"Subscription/{own['id']}", {**subscription_body(receiver.url), "id": own["id"],
                                                         "status": "off"})
    assert renewed.status_code == 200 and renewed.json()["status"] == "off"
    assert post("DELETE", f"Subscription/{own['id']}").status_code == 204
    assert FhirSubscription.objects.filter(pk=other.pk).exists()
