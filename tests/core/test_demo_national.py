"""The national demo loader: regions, clients spread over them, and a sealed five-year access log.

Runs on SQLite (batched bulk_create) and on PostgreSQL (COPY, monthly partitions) alike.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from django.db import connection  # noqa: F401 — read by the skipif conditions
from django.db.models import F
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


def test_a_regions_clients_are_written_whole_or_not_at_all():
    """A job that fails half-way (here: its team ids already taken) leaves none of its rows, so a
    second run counts the region as it was and adds all of it."""
    from werkbrug.clients.demo import _next_id, bulk_clients, bulk_ids_needed
    from werkbrug.trajectories.models import TeamMembership, Trajectory

    load_region(seed=1)
    region = national_regions(2, seed=1, progress=lambda m: None)[1]
    first = {model: _next_id(model) for model in bulk_ids_needed(0)}
    bulk_clients(region, 5, random.Random(1), pseudonyms=[f"CTEST{i:05d}" for i in range(5)], first_ids=first)
    before = (Client.objects.count(), Trajectory.objects.count(), TeamMembership.objects.count())
    # The next block of ids, but the team's ids those of the first five: its clients and
    # trajectories go in, then its team members collide.
    ids = {model: first[model] + count for model, count in bulk_ids_needed(5).items()}
    ids[TeamMembership] = first[TeamMembership]
    with pytest.raises(Exception, match=r"(?i)unique"):  # COPY's own error on PostgreSQL
        bulk_clients(region, 5, random.Random(2), pseudonyms=[f"CTEST{i:05d}" for i in range(5, 10)], first_ids=ids)
    assert (Client.objects.count(), Trajectory.objects.count(), TeamMembership.objects.count()) == before
    assert not Client.objects.filter(pseudonym="CTEST00007").exists()


def test_a_records_seal_parts_are_byte_for_byte_what_record_mac_and_record_hash_give():
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from werkbrug.core.access_log import (
        GENESIS,
        MAC_FIELDS,
        chain_link,
        record_hash,
        record_mac,
        record_seal_parts,
    )

    record = {name: "" for name in MAC_FIELDS}
    record.update(
        id=41,
        # Not in UTC, with microseconds: the canonical form is UTC to the second.
        occurred_at=datetime(2024, 3, 31, 2, 30, 15, 999, tzinfo=ZoneInfo("Europe/Amsterdam")),
        actor_name='Zoë "de Wit"\t\\ Ünal',
        granted=True,
        region_id_snapshot=3,
        actor_id_snapshot=None,
        check_emergency=False,
        ip_address="192.0.2.1",
    )
    mac, chained = record_seal_parts(record)
    assert mac == record_mac(record)
    assert chain_link(GENESIS, chained) == record_hash(GENESIS, {**record, "mac": mac})
    assert record_seal_parts({**record, "mac": "stale"}) == (mac, chained)  # its own `mac` unread
    # A different id changes the chain's bytes, not the record's own seal.
    other_mac, other_chained = record_seal_parts({**record, "id": 42})
    assert other_mac == mac and other_chained != chained
    assert record["occurred_at"].astimezone(UTC).second == 15


def test_the_log_chunks_are_the_same_whatever_makes_them():
    """A chunk is a pure function of the plan and its number: workers make the same records."""
    from werkbrug.core import demo_national

    load_region(seed=1)
    regions = national_regions(2, seed=1, progress=lambda m: None)
    national_clients(regions, 20, seed=1, progress=lambda m: None)
    ids = [r.pk for r in regions]
    pseudonyms = demo_national._pseudonyms_by_region(ids)
    actors = demo_national._actors_by_region(ids)
    end = timezone.now().replace(microsecond=0)
    plans = [
        demo_national._LogPlan(
            seed="1:log:0", wanted=120, first_id=7, start=end - timedelta(days=1800),
            seconds=1800 * 86400, regions=ids,
            actors={r: [demo_national._actor_copy_text(a) for a in actors[r]] for r in ids},
            pseudonyms=pseudonyms, key=b"k", copy=copy,
        )
        for copy in (False, True)
    ]
    made = []
    for plan in plans:
        demo_national._PLAN = plan
        try:
            made.append([demo_national._log_chunk(0), demo_national._log_chunk(0)])
        finally:
            demo_national._PLAN = None
    (rows, chained), again = made[0]
    assert again == (rows, chained)
    assert len(rows) == len(chained) == 120
    (copy_text, copy_chained), _ = made[1]
    assert copy_chained == chained  # the same records, as tuples or as COPY text
    lines = copy_text.decode().splitlines()
    assert len(lines) == len(rows)
    first = lines[0].split("\t")
    assert first[0] == str(rows[0]["id"]) == "7"
    assert first[-1] == rows[0]["mac"] and first[-2] == "\\N"
    assert [row["occurred_at"] for row in rows] == sorted(row["occurred_at"] for row in rows)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="COPY and worker processes: PostgreSQL only"
)
def test_on_postgresql_a_load_with_workers_verifies_and_a_second_run_adds_nothing():
    from werkbrug.core.access_log import record_hash, record_mac
    from werkbrug.trajectories.models import TeamMembership

    load_region(seed=1)
    messages: list[str] = []
    regions = national_regions(3, seed=1, progress=messages.append)
    # Two worker processes load the three regions side by side, each on its own connection.
    assert national_clients(regions, 300, seed=1, progress=messages.append, workers=2) == 300
    assert sorted(m.split(":")[0] for m in messages if "clients added" in m) == sorted(
        r.name for r in regions
    )
    have = AccessLogRecord.objects.count()
    assert national_access_log(5000, seed=1, progress=messages.append, workers=2) == 5000 - have
    assert AccessLogRecord.objects.count() == 5000 == AccessLogSeal.objects.count()
    result = access_log_verify()
    assert result.ok and not result.gaps, (result.problems, result.gaps)
    assert result.checked == 5000

    # Each seal is the access log's own: the record's seal and its link in the chain.
    seals = dict(AccessLogSeal.objects.values_list("record_id", "previous_hash"))
    hashes = dict(AccessLogSeal.objects.values_list("record_id", "hash"))
    from werkbrug.core.access_log import CHAIN_FIELDS

    for row in AccessLogRecord.objects.order_by("id").values(*CHAIN_FIELDS)[have:have + 200]:
        assert row["mac"] == record_mac(row)
        assert hashes[row["id"]] == record_hash(seals[row["id"]], row)

    # The team members carry their client's name, as the caseload's triggers would copy it.
    wrong = TeamMembership.objects.exclude(
        client_first_name=F("trajectory__client__first_name"),
        client_last_name=F("trajectory__client__last_name"),
        client_pseudonym=F("trajectory__client__pseudonym"),
    )
    assert TeamMembership.objects.count() >= 300 and not wrong.exists()

    # The statistics, gathered on two connections side by side: the log as a whole and its
    # partitions, and the other tables.
    from werkbrug.core.demo_national import national_statistics

    national_statistics()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FILTER (WHERE inherited), count(DISTINCT tablename) FILTER (WHERE NOT inherited) "
            "FROM pg_stats WHERE tablename LIKE 'core_accesslogrecord%%' AND attname = 'client_pseudonym'"
        )
        whole, partitions = cursor.fetchone()
        cursor.execute(
            "SELECT count(*) FROM pg_stats WHERE tablename = 'clients_client' AND attname = 'last_name'"
        )
        assert whole == 1 and partitions >= 60 and cursor.fetchone()[0] == 1

    # The regions' rows, loaded side by side: unique pseudonyms, ids that never collided, each
    # consent state on its own client's event, and sequences past them all.
    from werkbrug.clients.models import ConsentState

    assert Client.objects.values("pseudonym").distinct().count() == Client.objects.count()
    counts = sorted(Client.objects.values_list("region_id", flat=True))
    assert {counts.count(r.pk) for r in regions} == {100}
    assert not ConsentState.objects.exclude(
        client_id=F("last_event__client_id"), organisation_id=F("last_event__organisation_id"),
        category=F("last_event__category"),
    ).exists()
    newest = Client.objects.order_by("-id").first()
    fresh = Client.objects.create(
        region=regions[1], pseudonym="CZZZZZZZZZ", first_name="Nieuw", last_name="Sequentie",
        date_of_birth=date(1990, 1, 1),
    )
    assert fresh.pk > newest.pk

    # A second run adds nothing; a larger target only the rest, and the chain goes on.
    assert national_clients(regions, 300, seed=1, progress=messages.append, workers=2) == 0
    assert national_access_log(5000, seed=1, progress=messages.append, workers=2) == 0
    assert national_access_log(5100, seed=2, progress=messages.append, workers=0) == 100
    assert access_log_verify().ok
