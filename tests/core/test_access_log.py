"""The access log: one record per access, append-only in the database, sealed into a hash chain."""

from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from werkbrug.core import db_triggers, policy
from werkbrug.core.access_log import access_log_for_client, access_log_seal, access_log_verify
from werkbrug.core.models import AccessLogRecord, AccessLogSeal


def _raw(sql: str, params=()) -> None:
    """Change the table behind the application's back, as an intruder with database access would."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _drop_triggers() -> None:
    db_triggers.suspend(connection)


def test_authorize_writes_one_record_granted_and_one_denied(team):
    policy.authorize(team.jobcoach, "client.view", team.client)
    with pytest.raises(Exception):  # noqa: B017 — Http404
        policy.authorize(team.outsider, "client.view", team.client)
    granted, denied = AccessLogRecord.objects.order_by("id").filter(action="client.view")
    assert granted.granted and granted.check_relation and granted.check_consent
    assert granted.client_pseudonym == team.client.pseudonym
    assert granted.actor_organisation == team.ggz.name and granted.purpose == "team member"
    assert granted.occurred_at.microsecond == 0
    assert not denied.granted and not denied.check_relation
    assert denied.actor_name == str(team.outsider)


def test_log_holds_no_bsn(team, make_client):
    client = make_client(team.jobcoach, bsn="111222333")
    policy.authorize(team.jobcoach, "client.view", team.client)
    for row in AccessLogRecord.objects.values():
        assert "111222333" not in " ".join(str(v) for v in row.values())
    assert client.bsn_encrypted and "111222333" not in client.bsn_encrypted


@pytest.mark.parametrize("statement", ["UPDATE core_accesslogrecord SET actor_name = 'x'", "DELETE FROM core_accesslogrecord"])
def test_database_refuses_update_and_delete(team, statement):
    policy.authorize(team.jobcoach, "client.view", team.client)
    with pytest.raises(DatabaseError), transaction.atomic():
        _raw(statement)
    assert AccessLogRecord.objects.filter(actor_name="x").count() == 0


def test_database_refuses_truncate_on_postgresql(team):
    if connection.vendor != "postgresql":
        pytest.skip("TRUNCATE exists on PostgreSQL only")
    policy.authorize(team.jobcoach, "client.view", team.client)
    with pytest.raises(DatabaseError), transaction.atomic():
        _raw("TRUNCATE core_accesslogrecord CASCADE")


def test_verifier_accepts_an_untouched_chain_and_catches_altered_and_removed_rows(team):
    for _ in range(5):
        policy.authorize(team.jobcoach, "client.view", team.client)
    assert access_log_seal(grace_seconds=0) == AccessLogRecord.objects.count()
    assert access_log_seal(grace_seconds=0) == 0  # nothing new to seal
    result = access_log_verify()
    assert result.ok and result.checked == AccessLogRecord.objects.count() and result.unsealed == 0

    ids = list(AccessLogRecord.objects.order_by("id").values_list("id", flat=True))
    _drop_triggers()
    _raw("UPDATE core_accesslogrecord SET purpose = 'curiosity' WHERE id = %s", [ids[1]])
    _raw("DELETE FROM core_accesslogrecord WHERE id = %s", [ids[3]])
    problems = access_log_verify().problems
    assert f"record {ids[1]} was altered" in problems
    assert f"record {ids[3]} was removed" in problems
    with pytest.raises(Exception, match="tampered"):
        call_command("verify_access_log")


def test_verifier_catches_a_removed_record_and_its_seal(team):
    for _ in range(4):
        policy.authorize(team.jobcoach, "client.view", team.client)
    access_log_seal(grace_seconds=0)
    ids = list(AccessLogRecord.objects.order_by("id").values_list("id", flat=True))
    _drop_triggers()
    _raw("DELETE FROM core_accesslogrecord WHERE id = %s", [ids[2]])
    _raw("DELETE FROM core_accesslogseal WHERE record_id = %s", [ids[2]])
    problems = access_log_verify().problems
    assert any("chain broken" in p for p in problems)


def test_unsealed_records_are_counted_not_reported(team):
    before = AccessLogRecord.objects.count()
    policy.authorize(team.jobcoach, "client.view", team.client)
    result = access_log_verify()
    assert result.ok and result.unsealed == before + 1
    assert AccessLogSeal.objects.count() == 0


def test_client_sees_who_looked_but_not_denied_attempts(team):
    policy.authorize(team.jobcoach, "client.view", team.client)
    with pytest.raises(Exception):  # noqa: B017
        policy.authorize(team.outsider, "client.view", team.client)
    names = [r.actor_name for r in access_log_for_client(team.client.pseudonym).filter(action="client.view")]
    assert names == [str(team.jobcoach)]


def test_young_records_wait_for_the_grace_period_so_none_is_skipped(team):

    policy.authorize(team.jobcoach, "client.view", team.client)
    assert access_log_seal(grace_seconds=60) == 0
    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        assert access_log_seal(grace_seconds=60) == AccessLogRecord.objects.count()
    assert access_log_verify().ok


def test_a_denial_inside_a_failing_transaction_is_still_logged(client, team):
    """A service that authorizes inside its transaction and is refused rolls back; the denial
    record must survive that."""
    from django.http import Http404
    from django.test import RequestFactory

    from werkbrug.core.middleware import RequestIdMiddleware

    def view(request):
        with transaction.atomic():
            policy.authorize(team.outsider, "team.change", team.trajectory)
        return None  # never reached

    def get_response(request):
        try:
            return view(request)
        except Http404:
            from django.http import HttpResponseNotFound

            return HttpResponseNotFound()

    before = AccessLogRecord.objects.filter(granted=False).count()
    response = RequestIdMiddleware(get_response)(RequestFactory().post("/x"))
    assert response.status_code == 404
    denied = AccessLogRecord.objects.filter(granted=False)
    assert denied.count() == before + 1
    assert denied.latest("id").request_id == response["X-Request-ID"]


def test_the_canonical_time_is_utc_to_the_second_as_strftime_writes_it():
    from datetime import UTC, datetime, timedelta
    from zoneinfo import ZoneInfo

    from werkbrug.core.access_log import utc_text

    amsterdam = ZoneInfo("Europe/Amsterdam")
    moments = [
        datetime(2026, 12, 4, 9, 15, 0, tzinfo=amsterdam),
        datetime(2024, 3, 31, 2, 30, 15, 999_999, tzinfo=amsterdam),  # the spring's missing hour
        datetime(2025, 10, 26, 2, 30, 0, fold=1, tzinfo=amsterdam),  # the autumn's double hour
        datetime(2021, 12, 31, 23, 59, 59, 500_000, tzinfo=UTC),  # microseconds cut, not rounded
    ]
    moments += [moments[0] + timedelta(seconds=7919 * i) for i in range(1, 400)]
    for moment in moments:
        assert utc_text(moment) == moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert utc_text(moments[0]) == "2026-12-04T08:15:00Z"
    assert utc_text(moments[3]) == "2021-12-31T23:59:59Z"
