"""/metrics: Prometheus text, open to loopback, to the allowed networks and to the bearer token."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from werkbrug.operations import metrics


def _samples(response) -> dict[tuple[str, tuple], float]:
    found = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


@pytest.mark.django_db
def test_loopback_reads_the_metrics(client):
    response = client.get("/metrics", REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    assert "werkbrug_access_log_sealing_lag_seconds" in response.content.decode()
    assert client.get("/metrics", REMOTE_ADDR="::1").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("address", ["192.0.2.10", "10.1.2.3", "2001:db8::1"])
def test_another_address_gets_404(client, address):
    assert client.get("/metrics", REMOTE_ADDR=address).status_code == 404


@pytest.mark.django_db
def test_an_allowed_network_reads_the_metrics(client, settings):
    settings.WERKBRUG_METRICS_ALLOW = ["10.0.0.0/8", "2001:db8::/32"]
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="2001:db8::1").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="192.0.2.10").status_code == 404


@pytest.mark.django_db
def test_behind_a_proxy_the_client_address_counts_not_the_proxys(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The proxy runs on the same machine; the client beyond it is a stranger.
    response = client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.10")
    assert response.status_code == 404


@pytest.mark.django_db
def test_the_bearer_token_reads_the_metrics_from_anywhere(client, settings):
    settings.WERKBRUG_METRICS_TOKEN = "s3cret-scrape-token-0123456789"
    ok = client.get("/metrics", REMOTE_ADDR="192.0.2.10", HTTP_AUTHORIZATION="Bearer s3cret-scrape-token-0123456789")
    assert ok.status_code == 200
    wrong = client.get("/metrics", REMOTE_ADDR="192.0.2.10", HTTP_AUTHORIZATION="Bearer s3cret-scrape-token-01234567")
    assert wrong.status_code == 404
    assert client.get("/metrics", REMOTE_ADDR="192.0.2.10", HTTP_AUTHORIZATION="Basic x").status_code == 404


@pytest.mark.django_db
def test_without_a_token_setting_no_bearer_is_accepted(client, settings):
    settings.WERKBRUG_METRICS_TOKEN = ""
    response = client.get("/metrics", REMOTE_ADDR="192.0.2.10", HTTP_AUTHORIZATION="Bearer ")
    assert response.status_code == 404


@pytest.mark.django_db
def test_requests_are_counted_by_view_method_and_status(client):
    before = _samples(client.get("/metrics"))
    client.get("/health/live")
    client.get("/health/live")
    client.post("/health/live")
    client.get("/no/such/page/")
    after = _samples(client.get("/metrics"))

    def delta(name, **labels):
        key = (name, tuple(sorted(labels.items())))
        return after.get(key, 0) - before.get(key, 0)

    assert delta("werkbrug_http_requests_total", view="operations:live", method="GET", status="200") == 2
    assert delta("werkbrug_http_requests_total", view="operations:live", method="POST", status="405") == 1
    assert delta("werkbrug_http_requests_total", view="unresolved", method="GET", status="404") == 1
    assert delta("werkbrug_http_request_duration_seconds_count", view="operations:live", method="GET") == 2


def test_an_unknown_method_does_not_become_a_label():
    metrics.observe_request(view="x", method="BREW", status=405, seconds=0.01)
    assert metrics.REQUESTS.labels(view="x", method="other", status="405")._value.get() >= 1


def test_task_failures_are_counted_by_task():
    from celery import shared_task

    @shared_task(name="werkbrug.tests.always_fails")
    def always_fails():
        raise RuntimeError("boom")

    counter = metrics.TASK_FAILURES.labels(task="werkbrug.tests.always_fails")
    before = counter._value.get()
    result = always_fails.apply(throw=False)  # in this process, as a worker runs it
    assert result.failed()
    assert counter._value.get() == before + 1


@pytest.mark.django_db
def test_sealing_lag_is_the_age_of_the_oldest_unsealed_record(client):
    from werkbrug.core.access_log import access_log_seal, access_log_write
    from werkbrug.core.models import AccessLogRecord
    from werkbrug.core.models.access_log import AccessCode

    assert metrics.sealing_lag_seconds() == 0.0
    now = timezone.now()
    access_log_write(actor=None, code=AccessCode.READ, action="test.read", granted=True, purpose="test")
    record = AccessLogRecord.objects.latest("id")
    assert 0 <= metrics.sealing_lag_seconds(now=record.occurred_at + timedelta(minutes=5)) - 300 < 1
    access_log_seal(grace_seconds=0)
    assert metrics.sealing_lag_seconds(now=now + timedelta(hours=1)) == 0.0
    page = _samples(client.get("/metrics"))
    assert page[("werkbrug_access_log_sealing_lag_seconds", ())] == 0.0
    assert page[("werkbrug_metrics_source_up", (("source", "database"),))] == 1.0


@pytest.mark.django_db
def test_queue_length_is_read_from_the_redis_broker(client, settings):
    import redis

    url = "redis://127.0.0.1:6379/14"
    server = redis.Redis.from_url(url)
    try:
        server.ping()
    except redis.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = url
    server.delete("celery")
    server.rpush("celery", "a", "b", "c")
    try:
        page = _samples(client.get("/metrics"))
    finally:
        server.delete("celery")
    assert page[("werkbrug_celery_queue_length", (("queue", "celery"),))] == 3
    assert page[("werkbrug_metrics_source_up", (("source", "broker"),))] == 1.0
