"""The national demo loader: regions, clients spread over them, and a sealed five-year access log.

Runs on SQLite (batched bulk_create) and on PostgreSQL (COPY, monthly partitions) alike.
"""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from django.utils import timezone

from werkbrug.clients.models import Client
from werkbrug.core.access_log import access_log_verify
from werkbrug.core.demo import load_region
from werkbrug.core.demo_national import national_access_log, national_clients, national_regions
from werkbrug.core.models import AccessLogRecord, AccessLogSeal, Region

pytestmark = pytest.mark.django_db


def test_national_demo_adds_regions_clients_and_a_sealed_log_and_a_second_run_adds_nothing():
    load_region(seed=1)
    messages: list[str] = []
    regions = national_regions(3, seed=1, progress=messages.append)
    assert [r.slug for r in regions[1:]] == ["demo-regio-02", "demo-regio-03"]
    assert all(r.organisations.count() == 12 for r in regions)

    assert national_clients(regions, 90, seed=1, progress=messages.append) == 90
    counts = sorted(Client.objects.values_list("region_id", flat=True))
    assert {counts.count(r.pk) for r in regions} == {30}

    assert national_access_log(600, seed=1, progress=messages.append) == 600
    records = AccessLogRecord.objects.all()
    assert records.count() == 600 and AccessLogSeal.objects.count() == 600
    oldest = records.order_by("occurred_at").first().occurred_at
    assert timezone.now() - oldest > timedelta(days=4 * 365)  # spread over five years
    assert timezone.now() - records.order_by("-occurred_at").first().occurred_at >= timedelta(
        minutes=59
    )
    # Each record's region is its client's and its professional's.
    pseudonyms = dict(Client.objects.values_list("pseudonym", "region_id"))
    assert all(
        pseudonyms[p] == r for p, r in records.values_list("client_pseudonym", "region_id_snapshot")
    )
    # Ids follow time, so a month past retention is one block of ids.
    times = list(records.order_by("id").values_list("occurred_at", flat=True))
    assert times == sorted(times)
    result = access_log_verify()
    assert result.ok, result.problems
    assert result.checked == 600

    # Idempotent: what is there is counted, nothing is added twice.
    assert len(national_regions(3, seed=1, progress=messages.append)) == 3
    assert Region.objects.count() == 3
    assert national_clients(regions, 90, seed=1, progress=messages.append) == 0
    assert national_access_log(600, seed=1, progress=messages.append) == 0
    # A larger target adds only the difference, and the chain goes on.
    assert national_access_log(650, seed=2, progress=messages.append) == 50
    assert access_log_verify().ok


def test_bulk_clients_keeps_pseudonyms_unique_across_regions():
    from werkbrug.clients.demo import bulk_clients

    load_region(seed=1)
    regions = national_regions(2, seed=1, progress=lambda m: None)
    taken: set[str] = set()
    for region in regions:
        bulk_clients(region, 40, random.Random(1), taken=taken)  # the same seed twice
    assert Client.objects.count() == 80 == Client.objects.values("pseudonym").distinct().count()
