"""The access log partitioned by month on PostgreSQL: placement, partitions ahead, retention, plans.

PostgreSQL only (SQLite keeps one table). Records are written with `demo_national._write_sealed`,
the national demo's writer: ids, own seals and chain seals made by the access log's own functions.
"""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from werkbrug.core.access_log import (
    access_log_for_client,
    access_log_seal,
    access_log_search,
    access_log_verify,
)
from werkbrug.core.access_log_partitions import (
    access_log_partitions,
    access_log_partitions_ensure,
    access_log_retention,
    latest_cut,
    month_start,
    retention_before,
)
from werkbrug.core.demo_national import _write_sealed
from werkbrug.core.models import AccessLogRecord, AccessLogRetentionCut

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        "connection.vendor != 'postgresql'", reason="partitions exist on PostgreSQL only"
    ),
]

NOW = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)


def _row(at: datetime, pseudonym: str = "CPARTITION1", region: int = 1) -> dict:
    return {
        "occurred_at": at,
        "code": "R",
        "action": "client.view",
        "granted": True,
        "region_id_snapshot": region,
        "actor_id_snapshot": 7,
        "actor_name": "Anouk Jansen",
        "actor_organisation": "GGZ",
        "actor_role": "jobcoach",
        "on_behalf_of": "",
        "client_pseudonym": pseudonym,
        "data_category": "participation",
        "object_type": "clients.client",
        "object_id": "1",
        "purpose": "team member",
        "check_authorised": True,
        "check_relation": True,
        "check_consent": True,
        "check_emergency": False,
        "request_id": "",
        "ip_address": None,
    }


def _partition_of(record_id: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tableoid::regclass::text FROM core_accesslogrecord WHERE id = %s", [record_id]
        )
        return cursor.fetchone()[0]


def _months_back(n: int) -> datetime:
    return month_start(timezone.now(), -n) + timedelta(days=3, hours=5)


def test_the_table_is_partitioned_by_month_with_months_ahead_and_a_default():
    names = [p.name for p in access_log_partitions()]
    this_month = month_start(timezone.now())
    assert f"core_accesslogrecord_p{this_month:%Y%m}" in names
    assert f"core_accesslogrecord_p{month_start(this_month, 3):%Y%m}" in names
    assert names[-1] == "core_accesslogrecord_default"
    # Created ahead once: a second run finds nothing to do.
    assert access_log_partitions_ensure() == []
    created = access_log_partitions_ensure(months_ahead=5)
    assert created == [f"core_accesslogrecord_p{month_start(this_month, m):%Y%m}" for m in (4, 5)]


def test_records_land_in_the_partition_of_their_month():
    access_log_partitions_ensure(start=_months_back(14))
    rows = [
        _row(_months_back(14)),
        _row(_months_back(2)),
        _row(timezone.now() - timedelta(minutes=5)),
    ]
    _write_sealed(rows)
    for row in rows:
        assert _partition_of(row["id"]) == f"core_accesslogrecord_p{row['occurred_at']:%Y%m}"
    # A month without a partition of its own falls into the default one: writing never fails.
    stray = [_row(month_start(timezone.now(), -40))]
    _write_sealed(stray)
    assert _partition_of(stray[0]["id"]) == "core_accesslogrecord_default"
    # Ids stay unique over all partitions (one sequence): the application's insert goes on after them.
    assert AccessLogRecord.objects.filter(id=stray[0]["id"]).count() == 1


def _history(years: int = 7) -> list[dict]:
    """A record every two months over `years` years, in time order, sealed."""
    start = month_start(timezone.now(), -12 * years)
    access_log_partitions_ensure(start=start)
    rows = [_row(month_start(start, m) + timedelta(days=9)) for m in range(0, 12 * years, 2)]
    _write_sealed(rows)
    return rows


def test_retention_detaches_the_months_past_the_legal_period_and_the_chain_still_verifies(tmp_path):
    rows = _history()
    before = retention_before()
    old = [r for r in rows if r["occurred_at"] < before]
    kept = [r for r in rows if r["occurred_at"] >= before]
    assert old and kept
    assert access_log_verify().ok

    result = access_log_retention(archive_dir=tmp_path, drop=True)

    assert not result.refused
    assert result.records == len(old)
    remaining = {p.name for p in access_log_partitions()}
    assert not remaining & set(result.detached)
    assert not AccessLogRecord.objects.filter(occurred_at__lt=before).exists()
    assert AccessLogRecord.objects.filter(id__in=[r["id"] for r in kept]).count() == len(kept)
    # Five years plus the current month stay: nothing younger than five years went.
    assert before <= month_start(timezone.now()).replace(year=month_start(timezone.now()).year - 5)
    cut = latest_cut()
    assert cut.first_record_id == kept[0]["id"]
    verification = access_log_verify()
    assert verification.ok, verification.problems
    assert verification.checked == len(kept)
    assert any("detached by retention" in note for note in verification.notes)
    # Archived as CSV (one file per detached month with records), then dropped.
    archived = sum(len(gzip.open(path, "rt").read().splitlines()) - 1 for path in result.archived)
    assert archived == len(old)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_class WHERE relname = ANY(%s)", [result.detached])
        assert cursor.fetchone()[0] == 0
    # Run again: nothing more is past retention.
    assert access_log_retention().detached == []


def test_retention_keeps_a_detached_table_by_default_and_handles_a_record_written_across_the_month_end():
    start = month_start(timezone.now(), -12 * 6)
    access_log_partitions_ensure(start=start)
    before = retention_before()
    # Two requests at the turn of the month: the later record got the lower id.
    rows = [
        _row(start + timedelta(days=2)),
        _row(before),
        _row(before - timedelta(seconds=1)),
        _row(before + timedelta(days=40)),
    ]
    _write_sealed(rows)

    result = access_log_retention()

    assert not result.refused and not result.dropped
    cut = latest_cut()
    assert cut.first_record_id == rows[1]["id"]
    assert cut.detached_ids == [rows[2]["id"]]
    verification = access_log_verify()
    assert verification.ok, verification.problems
    assert verification.checked == 2
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_class WHERE relname = ANY(%s)", [result.detached])
        assert cursor.fetchone()[0] == len(result.detached)


def test_a_forged_retention_cut_is_found():
    _history(6)
    assert not access_log_retention().refused
    AccessLogRetentionCut.objects.update(first_record_id=1)
    problems = access_log_verify().problems
    assert any("retention cut" in p for p in problems)


def test_retention_refuses_when_the_chain_does_not_verify():
    rows = _history(6)
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE core_accesslogseal DISABLE TRIGGER USER")
        cursor.execute(
            "UPDATE core_accesslogseal SET hash = %s WHERE record_id = %s",
            ["f" * 64, rows[3]["id"]],
        )
        cursor.execute("ALTER TABLE core_accesslogseal ENABLE TRIGGER USER")
    names = {p.name for p in access_log_partitions()}
    result = access_log_retention()
    assert result.refused.startswith("the access log does not verify")
    assert {p.name for p in access_log_partitions()} == names
    assert not AccessLogRetentionCut.objects.exists()


# --- Query plans ----------------------------------------------------------------------------------
# With a handful of rows per partition PostgreSQL rightly prefers reading a tiny table whole, so
# these tests switch sequential scans off (`enable_seqscan = off`): a plan that still reads a log
# partition sequentially then has no usable index (or no pruning) for that query. What the planner
# chooses with national statistics is printed by `bench/national.py --plans` (docs/benchmarks.md).


def _plan_nodes(plan: dict) -> list[dict]:
    nodes = [plan]
    for child in plan.get("Plans", []):
        nodes += _plan_nodes(child)
    return nodes


def _log_scans(sql: str, params) -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
        cursor.execute("SET LOCAL enable_seqscan = on")
    if isinstance(plan, str):
        plan = json.loads(plan)
    return [
        (node["Node Type"], node["Relation Name"])
        for node in _plan_nodes(plan[0]["Plan"])
        if node.get("Relation Name", "").startswith("core_accesslogrecord")
    ]


def _assert_index_scans(queryset) -> None:
    scans = _log_scans(*queryset.query.sql_with_params())
    assert scans, "the query reads no log partition"
    assert not [s for s in scans if s[0] == "Seq Scan"], scans


@pytest.fixture
def five_years():
    _history(6)
    _write_sealed(
        [_row(_months_back(m), pseudonym="CSEARCHED01", region=3) for m in range(0, 60, 7)]
    )


def test_privacy_officers_five_year_search_for_one_client_uses_indexes(five_years):
    queryset = access_log_search(
        region_id=3, client_pseudonym="CSEARCHED01", since=timezone.now() - timedelta(days=5 * 366)
    )
    assert queryset.count() == 9
    _assert_index_scans(queryset[:50])
    # The months before the search's start are not read at all (partition pruning).
    scans = _log_scans(*queryset[:50].query.sql_with_params())
    oldest = month_start(timezone.now() - timedelta(days=5 * 366))
    assert f"core_accesslogrecord_p{month_start(oldest, -2):%Y%m}" not in {
        name for _, name in scans
    }


def test_clients_own_log_uses_indexes(five_years):
    _assert_index_scans(access_log_for_client("CSEARCHED01")[:50])


def test_sealing_job_uses_indexes(five_years):
    AccessLogRecord.objects.create(
        **{k: v for k, v in _row(timezone.now() - timedelta(minutes=5)).items()}
    )
    with CaptureQueriesContext(connection) as queries:
        access_log_seal(grace_seconds=0)
    on_log = [
        q["sql"]
        for q in queries.captured_queries
        if "core_accesslogrecord" in q["sql"] and q["sql"].lstrip().upper().startswith("SELECT")
    ]
    assert len(on_log) >= 2  # the first record too young, and the batch to seal
    for sql in on_log:
        scans = _log_scans(sql, None)
        assert not [s for s in scans if s[0] == "Seq Scan"], (sql, scans)


@pytest.mark.django_db(transaction=True)
def test_a_filled_log_is_converted_without_copying_and_keeps_its_ids_and_chain():
    from django.db.migrations.executor import MigrationExecutor

    from werkbrug.core.access_log import access_log_write

    before, after = (
        ("core", "0004_access_log_keyed_seals"),
        ("core", "0006_access_log_retention_cut_e"),
    )
    executor = MigrationExecutor(connection)
    executor.migrate([before])
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT relkind FROM pg_class WHERE relname = 'core_accesslogrecord'")
            assert cursor.fetchone()[0] == "r"  # one plain table again
        _write_sealed([_row(_months_back(m)) for m in (30, 20, 1)])
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate([after, *executor.loader.graph.leaf_nodes()])

    names = [p.name for p in access_log_partitions()]
    assert names[0] == "core_accesslogrecord_before_partitioning"
    assert names[1] == f"core_accesslogrecord_p{month_start(timezone.now(), 1):%Y%m}"
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM core_accesslogrecord_before_partitioning")
        assert cursor.fetchone()[0] == 3
    # The sequence goes on after the old ids; the chain verifies across the conversion.
    highest = AccessLogRecord.objects.order_by("-id").values_list("id", flat=True).first()
    access_log_write(
        actor=None, code="R", action="client.view", granted=True, client_pseudonym="CAFTER0001"
    )
    assert AccessLogRecord.objects.filter(client_pseudonym="CAFTER0001").get().id > highest
    access_log_seal(grace_seconds=0)
    assert access_log_verify().ok

    # Leave the test database as a new installation has it (an empty log, month partitions).
    from werkbrug.core import db_triggers

    db_triggers.suspend(connection)
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE core_accesslogrecord, core_accesslogseal")
    db_triggers.resume(connection)
    for target in (before, after):
        executor = MigrationExecutor(connection)
        executor.migrate([target])
    # Going back to `before` also unapplied what came later on other branches (the portfolio
    # holder's role, the merge): leave every app at its latest migration, as the other tests expect.
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    executor = MigrationExecutor(connection)
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []
    assert (
        access_log_partitions()[0].name
        == f"core_accesslogrecord_p{month_start(timezone.now()):%Y%m}"
    )
