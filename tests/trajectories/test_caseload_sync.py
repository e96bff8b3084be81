"""The client's name copied onto team memberships by the database (`caseload_sync.py`), which the
caseload's name-ordered page reads. Every way a name or a membership can change keeps the copy."""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils import timezone

from werkbrug.clients.models import Client
from werkbrug.clients.services import client_update
from werkbrug.core.choices import Role
from werkbrug.trajectories import caseload_sync
from werkbrug.trajectories.caseload import CaseloadSearch
from werkbrug.trajectories.models import TeamMembership
from werkbrug.trajectories.services import team_member_add, team_member_remove


def _copies(trajectory) -> set[tuple[str, str, str]]:
    return set(
        TeamMembership.objects.filter(trajectory=trajectory).values_list(
            "client_first_name", "client_last_name", "client_pseudonym"
        )
    )


def test_the_triggers_are_there_after_the_migrations(db):
    assert caseload_sync.installed(connection)


def test_a_new_membership_carries_the_clients_name(team):
    client = team.client
    assert _copies(team.trajectory) == {(client.first_name, client.last_name, client.pseudonym)}
    assert client.pseudonym  # not an empty copy of an empty value


def test_a_name_change_through_the_service_reaches_every_membership(team):
    client_update(client=team.client, changed_by=team.jobcoach, first_name="Roos", last_name="Achternaam")
    assert _copies(team.trajectory) == {("Roos", "Achternaam", team.client.pseudonym)}


def test_a_name_change_in_raw_sql_reaches_every_membership(team):
    Client.objects.filter(pk=team.client.pk).update(last_name="Bulkwijziging")
    assert {last for _, last, _ in _copies(team.trajectory)} == {"Bulkwijziging"}


def test_saving_a_membership_does_not_wipe_the_copy(team, make_person):
    therapist = make_person(team.ggz, Role.THERAPIST, first_name="Tess", last_name="Therapeut")
    member = team_member_add(trajectory=team.trajectory, person=therapist, role=Role.THERAPIST, added_by=team.jobcoach)
    # the object in memory never saw the copy; saving it all must not blank the row
    member.client_first_name = member.client_last_name = ""
    member.save()
    team_member_remove(membership=member, removed_by=team.jobcoach)
    row = TeamMembership.objects.get(pk=member.pk)
    assert (row.client_first_name, row.client_last_name) == (team.client.first_name, team.client.last_name)
    assert row.left_at is not None


def test_a_bulk_insert_gets_the_copy_too(team, make_person):
    therapist = make_person(team.ggz, Role.THERAPIST, first_name="Bo", last_name="Bulk")
    TeamMembership.objects.bulk_create(
        [TeamMembership(trajectory=team.trajectory, person=therapist, organisation=team.ggz, role=Role.THERAPIST,
                        joined_at=timezone.now())]
    )
    row = TeamMembership.objects.get(trajectory=team.trajectory, person=therapist)
    assert row.client_last_name == team.client.last_name


def test_the_name_ordered_caseload_follows_a_rename(team, make_client):
    from werkbrug.clients.models import ConsentMethod
    from werkbrug.trajectories.services import trajectory_start

    second = make_client(team.jobcoach, first_name="Ada", last_name="Aardig")
    trajectory_start(client=second, started_by=team.jobcoach, role=Role.JOBCOACH, consent_method=ConsentMethod.VERBAL)
    client_update(client=team.client, changed_by=team.jobcoach, last_name="Aaa-eerst")

    def names(**params):
        search = CaseloadSearch(user=team.jobcoach, **params)
        assert search.by_name
        return [t.client.last_name for t in search.page(1, 25).items]

    assert names(sort="name") == ["Aaa-eerst", "Aardig"]
    assert names(sort="-name") == ["Aardig", "Aaa-eerst"]
    assert names(sort="name", q="eerst") == ["Aaa-eerst"]
    assert names(sort="name", q=second.pseudonym) == ["Aardig"]


@pytest.mark.django_db(transaction=True)
def test_install_is_idempotent_and_remove_undoes_it(team):
    caseload_sync.install(connection)
    caseload_sync.install(connection)
    assert caseload_sync.installed(connection)
    caseload_sync.remove(connection)
    try:
        assert not caseload_sync.installed(connection)
        Client.objects.filter(pk=team.client.pk).update(last_name="Zonder")
        assert "Zonder" not in {last for _, last, _ in _copies(team.trajectory)}
    finally:
        caseload_sync.install(connection)
    assert caseload_sync.installed(connection)


def test_a_raw_insert_without_the_copy_gets_it(team, make_person):
    """As a bulk loader might write a membership: the columns left out get the client's name."""
    therapist = make_person(team.ggz, Role.THERAPIST, first_name="Ria", last_name="Rauw")
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {caseload_sync.TEAM} (trajectory_id, person_id, organisation_id, role, joined_at) "  # noqa: S608
            "VALUES (%s, %s, %s, %s, %s)",
            [team.trajectory.pk, therapist.pk, team.ggz.pk, Role.THERAPIST, timezone.now()],
        )
    row = TeamMembership.objects.get(trajectory=team.trajectory, person=therapist)
    assert (row.client_last_name, row.client_pseudonym) == (team.client.last_name, team.client.pseudonym)
