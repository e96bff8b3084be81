"""What the access log says: times in Dutch time with the zone named, a refused write logged as
refused, and every data category of the intake logged as itself."""

from __future__ import annotations

from datetime import UTC, datetime

import time_machine

from werkbrug.core import policy
from werkbrug.core.choices import DataCategory
from werkbrug.core.models import AccessLogRecord


def _new_records(before: int) -> list[AccessLogRecord]:
    return list(AccessLogRecord.objects.filter(id__gt=before).order_by("id"))


def _last_id() -> int:
    return AccessLogRecord.objects.order_by("-id").values_list("id", flat=True).first() or 0


# --- Times -----------------------------------------------------------------------------------


def test_privacy_officer_sees_dutch_time_with_the_zone_named(client, team, privacy_officer):
    with time_machine.travel(datetime(2026, 7, 1, 10, 0, 5, tzinfo=UTC), tick=False):
        policy.authorize(team.jobcoach, "client.view", team.client)
    with time_machine.travel(datetime(2026, 1, 15, 10, 0, 5, tzinfo=UTC), tick=False):
        policy.authorize(team.jobcoach, "client.view", team.client)
    client.force_login(privacy_officer)
    html = client.get("/access-log/").content.decode()
    assert "Tijd (UTC)" not in html and "Tijd (Europe/Amsterdam)" in html
    assert "2026-07-01 12:00:05 CEST" in html  # summer: UTC+2
    assert "2026-01-15 11:00:05 CET" in html  # winter: UTC+1


def test_client_sees_dutch_time_with_the_zone_named(client, team, client_user):
    with time_machine.travel(datetime(2026, 7, 1, 10, 0, 5, tzinfo=UTC), tick=False):
        policy.authorize(team.jobcoach, "client.view", team.client)
    client.force_login(client_user)
    html = client.get("/portal/access-log/").content.decode()
    assert "1 juli 2026 12:00 CEST" in html and "Nederlandse tijd" in html


# --- A refused write is logged as refused --------------------------------------------------


def test_an_intake_write_to_a_section_without_consent_is_logged_as_refused(client, team):
    """The UWV has no consent for care data. Before, the save logged a granted `U` record and
    was refused afterwards."""
    client.force_login(team.labour_expert)
    before = _last_id()
    response = client.put(f"/api/v1/trajectories/{team.trajectory.pk}/intake/",
                          {"data": {"support_needs": "x", "work_history": "y"}}, content_type="application/json")
    assert response.status_code == 400 and "not_consented" in response.content.decode()
    records = _new_records(before)
    assert [(r.code, r.granted, r.data_category) for r in records] == [("U", False, DataCategory.CARE)]
    assert records[0].check_relation and not records[0].check_consent
    assert records[0].object_type == "trajectories.trajectory" and records[0].object_id == str(team.trajectory.pk)


def test_an_allowed_intake_write_logs_each_category_written(client, team):
    client.force_login(team.jobcoach)
    before = _last_id()
    response = client.put(f"/api/v1/trajectories/{team.trajectory.pk}/intake/",
                          {"data": {"support_needs": "x", "work_history": "y", "own_goal": "werk"}},
                          content_type="application/json")
    assert response.status_code == 200, response.content
    written = [(r.code, r.granted, r.data_category) for r in _new_records(before) if r.code == "U"]
    assert written == [("U", True, DataCategory.PARTICIPATION), ("U", True, DataCategory.CARE),
                       ("U", True, DataCategory.WORK_INCOME)]


# --- Every intake section under its own category ---------------------------------------------


def test_reading_the_intake_logs_each_category_shown(client, team):
    """Before, the whole intake (care and debts too) was logged as `participation`."""
    for person, shown in (
        (team.jobcoach, {DataCategory.PARTICIPATION, DataCategory.CARE, DataCategory.WORK_INCOME}),
        (team.labour_expert, {DataCategory.PARTICIPATION, DataCategory.WORK_INCOME}),
    ):
        client.force_login(person)
        for url in (f"/trajectories/{team.trajectory.pk}/intake/", f"/api/v1/trajectories/{team.trajectory.pk}/intake/"):
            before = _last_id()
            assert client.get(url).status_code == 200
            records = _new_records(before)
            assert {r.data_category for r in records} == shown, (person, url)
            assert len(records) == len(shown) and all(r.granted and r.code == "R" for r in records)
            assert {r.action for r in records} == {"intake.view"}


def test_debts_are_logged_as_debts(client, team):
    from werkbrug.clients.models import ConsentMethod
    from werkbrug.clients.services import consent_grant

    consent_grant(client=team.client, organisation=team.ggz, category=DataCategory.DEBTS,
                  recorded_by=team.jobcoach, method=ConsentMethod.PAPER, evidence="Getekend formulier")
    client.force_login(team.jobcoach)
    before = _last_id()
    client.get(f"/trajectories/{team.trajectory.pk}/intake/")
    assert DataCategory.DEBTS in {r.data_category for r in _new_records(before)}
