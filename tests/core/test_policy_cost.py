"""What the policy and the access log cost per request, and that the lean versions mean the same.

The facts under a client-data decision (team role, consents) are read with one small SQL query;
the access-log record is written with one plain INSERT. These tests pin the query counts and
check the answers against the ORM reading of the same rules, and the record field by field.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from werkbrug.clients.models import ConsentMethod, ConsentState
from werkbrug.clients.services import consent_grant, consent_withdraw
from werkbrug.core import policy
from werkbrug.core.access_log import access_log_seal, access_log_verify, access_log_write
from werkbrug.core.choices import DataCategory, Role
from werkbrug.core.models import AccessLogRecord, User
from werkbrug.core.policy.clients import (
    _membership_role,
    client_with_facts,
    consented_categories,
    forget,
)
from werkbrug.trajectories.models import TeamMembership
from werkbrug.trajectories.services import team_member_remove, trajectory_close


def _orm_role(user, client):
    roles = TeamMembership.objects.filter(
        person=user, left_at__isnull=True, trajectory__client_id=client.pk, trajectory__status="active"
    ).values_list("role", flat=True)
    return min(roles, default=None)


def _orm_consents(client, organisation_id):
    today = timezone.localdate()
    return frozenset(
        ConsentState.objects.filter(client_id=client.pk, organisation_id=organisation_id, granted=True)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .values_list("category", flat=True)
    )


def _facts(user, client):
    user = User.objects.get(pk=user.pk)  # a fresh object: nothing cached on it
    role = _membership_role(user, client)
    return role, consented_categories(client, user.organisation_id, user)


def _facts_with_client(user, client):
    """The same facts as read together with the client (`client_with_facts`), then from the cache."""
    user = User.objects.get(pk=user.pk)
    read = client_with_facts(user, client.pk)
    assert read is not None and read.pk == client.pk
    assert (read.pseudonym, read.date_of_birth, read.region_id) == (client.pseudonym, client.date_of_birth, client.region_id)
    return _membership_role(user, read), consented_categories(read, user.organisation_id, user)


def _assert_facts_as_orm(user, client):
    expected = (_orm_role(user, client), _orm_consents(client, user.organisation_id))
    assert _facts(user, client) == expected
    assert _facts_with_client(user, client) == expected


def test_facts_match_the_orm_reading_through_every_change(team, make_person, ggz):
    client = team.client
    for person in (team.jobcoach, team.labour_expert, team.outsider):
        _assert_facts_as_orm(person, client)
    assert _facts(team.jobcoach, client)[0] == Role.JOBCOACH
    assert _facts(team.labour_expert, client) == (
        Role.LABOUR_EXPERT,
        {DataCategory.PARTICIPATION, DataCategory.PLAN, DataCategory.SIGNALS, DataCategory.WORK_INCOME},
    )
    assert _facts(team.outsider, client)[0] is None

    # Withdrawn, expiring today (still valid) and expired yesterday.
    consent_withdraw(client=client, organisation=team.uwv, category=DataCategory.PLAN, recorded_by=team.labour_expert,
                     method=ConsentMethod.VERBAL)
    today = timezone.localdate()
    ConsentState.objects.filter(client=client, organisation=team.uwv, category=DataCategory.SIGNALS).update(valid_until=today)
    ConsentState.objects.filter(client=client, organisation=team.uwv, category=DataCategory.WORK_INCOME).update(
        valid_until=today - timedelta(days=1))
    _assert_facts_as_orm(team.labour_expert, client)
    assert _facts(team.labour_expert, client)[1] == {DataCategory.PARTICIPATION, DataCategory.SIGNALS}

    # Leaving the team; a person without an organisation; a closed trajectory.
    team_member_remove(membership=TeamMembership.objects.get(person=team.labour_expert), removed_by=team.jobcoach)
    _assert_facts_as_orm(team.labour_expert, client)
    assert _facts(team.labour_expert, client)[0] is None
    loose = make_person(ggz, Role.JOBCOACH)
    User.objects.filter(pk=loose.pk).update(organisation=None)
    assert _facts(loose, client) == (None, frozenset())
    assert _facts_with_client(loose, client) == (None, frozenset())
    trajectory_close(trajectory=team.trajectory, closed_by=team.jobcoach, reason="work_found", outcome="paid_work")
    _assert_facts_as_orm(team.jobcoach, client)
    assert _facts(team.jobcoach, client)[0] is None


def test_consent_for_another_organisation_does_not_count(team, client_user, make_org, make_person):
    from werkbrug.core.choices import OrganisationType

    other = make_org(OrganisationType.MUNICIPALITY, "Gemeente Elders")
    consent_grant(client=team.client, organisation=other, category=DataCategory.DEBTS, recorded_by=client_user,
                  method=ConsentMethod.PORTAL)
    assert DataCategory.DEBTS not in _facts(team.jobcoach, team.client)[1]
    assert consented_categories(team.client, other.pk) == {DataCategory.DEBTS}


def test_reading_the_client_with_its_facts_is_one_query_and_the_decisions_none(team, django_assert_num_queries,
                                                                            policy_memo):
    user = User.objects.select_related("organisation").get(pk=team.jobcoach.pk)
    user.roles  # noqa: B018 — loaded with the user, per request
    with django_assert_num_queries(2) as queries:  # the client with the facts, the record
        read = client_with_facts(user, team.client.pk)
        policy.authorize(user, "client.view", read)
        assert policy.can(user, "client.view_bsn", read)
        assert policy.can(user, "client.change", read)
    assert queries.captured_queries[1]["sql"].startswith("INSERT INTO")
    with django_assert_num_queries(1):
        assert client_with_facts(user, 987_654_321) is None
    with django_assert_num_queries(0):  # an id no column holds: nothing to ask
        assert client_with_facts(user, 10**30) is None


def test_a_client_id_too_large_for_the_database_is_not_found(team, as_user):
    web = as_user(team.jobcoach)
    assert web.get(f"/clients/{10**30}/").status_code == 404
    assert web.get(f"/api/v1/clients/{10**30}/").status_code == 404


def test_a_client_reads_their_own_file_without_the_professionals_facts(client_user, team, policy_memo):
    read = client_with_facts(client_user, team.client.pk)
    assert read.pk == team.client.pk
    assert policy_memo.size() == 0
    assert policy.can(client_user, "client.view", read)


def test_both_decisions_of_the_client_record_cost_one_query_and_one_insert(team, django_assert_num_queries,
                                                                           policy_memo):
    user = User.objects.select_related("organisation").get(pk=team.jobcoach.pk)  # as a request has it
    user.roles  # noqa: B018 — loaded with the user, per request
    with django_assert_num_queries(2) as queries:  # the facts, the record
        policy.authorize(user, "client.view", team.client)
        assert policy.can(user, "client.view_bsn", team.client)
        assert policy.can(user, "client.view", team.client)
    assert queries.captured_queries[1]["sql"].startswith("INSERT INTO")
    forget(user)
    with django_assert_num_queries(1):  # a team or consent change in between: asked again
        assert policy.can(user, "client.view", team.client)


def test_the_api_client_record_is_the_selects_it_needs_plus_one_insert(client, team, django_assert_max_num_queries):
    client.force_login(team.jobcoach)
    url = f"/api/v1/clients/{team.client.pk}/"
    client.get(url)
    baseline = _request_baseline(client)
    before = AccessLogRecord.objects.count()
    with django_assert_max_num_queries(baseline + 3) as queries:  # client with the facts, record, trajectory ids
        response = client.get(url)
    assert response.status_code == 200 and response.json()["pseudonym"] == team.client.pseudonym
    assert AccessLogRecord.objects.count() == before + 1
    assert sum(q["sql"].startswith("INSERT") for q in queries.captured_queries) == 1


def _request_baseline(c) -> int:
    """Queries every signed-in API request makes before its view (session, user …)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        c.get("/api/v1/regions/")
    return max(len(queries.captured_queries) - 1, 0)


def test_the_record_of_an_api_read_holds_every_field(client, team):
    client.force_login(team.jobcoach)
    moment = datetime(2026, 3, 4, 5, 6, 7, 891011, tzinfo=UTC)
    with time_machine.travel(moment, tick=False):
        response = client.get(f"/api/v1/clients/{team.client.pk}/", HTTP_X_REQUEST_ID="abcdef0123456789",
                              REMOTE_ADDR="192.0.2.17")
    assert response.status_code == 200
    record = AccessLogRecord.objects.get(action="client.view")
    assert record.occurred_at == moment.replace(microsecond=0)
    assert (record.code, record.granted, record.data_category, record.purpose) == ("R", True, "participation", "team member")
    assert record.region_id_snapshot == team.client.region_id
    assert record.actor_id_snapshot == team.jobcoach.pk and record.actor_name == "Jet Coach"
    assert record.actor_organisation == team.ggz.name and record.actor_role == Role.JOBCOACH
    assert record.on_behalf_of == ""
    assert record.client_pseudonym == team.client.pseudonym
    assert (record.object_type, record.object_id) == ("clients.client", str(team.client.pk))
    assert (record.check_authorised, record.check_relation, record.check_consent, record.check_emergency) == (
        True, True, True, False)
    assert (record.request_id, record.ip_address) == ("abcdef0123456789", "192.0.2.17")


def test_a_denied_api_read_is_recorded_too(client, team):
    client.force_login(team.outsider)
    response = client.get(f"/api/v1/clients/{team.client.pk}/")
    assert response.status_code == 404
    record = AccessLogRecord.objects.get(action="client.view")
    assert not record.granted and not record.check_authorised and not record.check_relation
    assert record.actor_id_snapshot == team.outsider.pk and record.client_pseudonym == team.client.pseudonym


def test_the_writer_commits_alone_and_rolls_back_with_its_transaction(team):
    last = AccessLogRecord.objects.order_by("id").last().pk  # the team's own records

    def write(action):
        access_log_write(actor=team.jobcoach, code="E", action=action, granted=True, on_behalf_of="x" * 300,
                         purpose="export", role="jobcoach", relation=True, consent=True)

    with transaction.atomic():
        write("inside")
        transaction.set_rollback(True)
    write("outside")
    assert list(AccessLogRecord.objects.filter(id__gt=last).values_list("action", flat=True)) == ["outside"]
    record = AccessLogRecord.objects.get(id__gt=last)
    assert len(record.on_behalf_of) == 200 and record.region_id_snapshot == team.jobcoach.region_id
    assert record.object_type == "" and record.client_pseudonym == "" and record.ip_address is None


def test_system_records_and_the_hash_chain(team):
    access_log_write(actor=None, code="E", action="export.nightly", granted=True)
    policy.authorize(team.jobcoach, "client.view", team.client)
    system = AccessLogRecord.objects.get(action="export.nightly")
    assert system.actor_name == "system" and system.actor_id_snapshot is None and system.region_id_snapshot is None
    total = AccessLogRecord.objects.count()
    assert access_log_seal(grace_seconds=0) == total
    result = access_log_verify()
    assert result.ok and result.checked == total and result.unsealed == 0


@pytest.mark.parametrize("action", ["client.view", "consent.view"])
def test_every_client_record_endpoint_still_logs_once(client, team, action):
    from tests.support.crawl import assert_each_request_logged_once

    client.force_login(team.jobcoach)
    last = AccessLogRecord.objects.order_by("id").last().pk
    url = f"/api/v1/clients/{team.client.pk}/" + ("consents/" if action == "consent.view" else "")
    assert_each_request_logged_once(client, [("GET", url), ("GET", url)])
    assert list(AccessLogRecord.objects.filter(id__gt=last).values_list("action", flat=True)) == [action, action]
