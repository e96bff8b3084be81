"""Closing with a reason and an outcome, the read-only archive of the former team, reopening.

Closing used to end on a 404 (the closed trajectory was nobody's any more); now the file opens
read-only for the team it had when it closed, and every write refuses it.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from werkbrug.clients.models import ConsentMethod
from werkbrug.clients.services import consent_withdraw
from werkbrug.core.choices import DataCategory
from werkbrug.core.models import AccessLogRecord
from werkbrug.notifications.kinds import Kind
from werkbrug.notifications.models import Notification
from werkbrug.trajectories import selectors
from werkbrug.trajectories.models import Trajectory, TrajectoryEvent
from werkbrug.trajectories.services import (
    client_register_and_start,
    intake_save,
    team_member_add,
    trajectory_close,
    trajectory_reopen,
)
from werkbrug.trajectories.workflow import ALLOWED_TRANSITIONS, ensure_open, trajectory_is_open

CLOSE = {"reason": "work_found", "outcome": "paid_work", "note": "Werkt 24 uur bij de kwekerij."}


def _codes(exc: ValidationError) -> set[str]:
    if hasattr(exc, "error_dict"):
        return {e.code for errors in exc.error_dict.values() for e in errors}
    return {e.code for e in exc.error_list}


def _close(team, **extra):
    return trajectory_close(trajectory=team.trajectory, closed_by=team.jobcoach, **{**CLOSE, **extra})


def test_the_workflow_table():
    assert ALLOWED_TRANSITIONS == {"active": frozenset({"closed"}), "closed": frozenset({"active"})}


def test_close_records_reason_outcome_history_and_tells_the_team(team):
    trajectory = _close(team)
    assert (trajectory.status, trajectory.close_reason, trajectory.outcome) == ("closed", "work_found", "paid_work")
    assert trajectory.closed_at is not None and trajectory.ended_on is not None
    event = TrajectoryEvent.objects.get()
    assert (event.kind, event.close_reason, event.by) == ("closed", "work_found", team.jobcoach)
    told = Notification.objects.filter(kind=Kind.TRAJECTORY_CLOSED)
    assert list(told.values_list("recipient", flat=True)) == [team.labour_expert.pk]  # not the one who closed
    assert team.client.last_name not in told.get().title
    assert not trajectory_is_open(trajectory)
    with pytest.raises(ValidationError) as info:
        ensure_open(trajectory)
    assert _codes(info.value) == {"closed"}


@pytest.mark.parametrize(("fields", "code"), [
    ({"reason": "bored"}, "reason"),
    ({"reason": ""}, "reason"),
    ({"outcome": "rich"}, "outcome"),
    ({"ended_on": date(2000, 1, 1)}, "end_before_start"),
    ({"ended_on": date(2999, 1, 1)}, "future"),
])
def test_close_refuses_bad_input_and_changes_nothing(team, fields, code):
    with pytest.raises(ValidationError) as info:
        _close(team, **fields)
    assert code in _codes(info.value)
    assert Trajectory.objects.get().status == "active" and not TrajectoryEvent.objects.exists()


def test_only_the_plan_director_closes(team):
    from django.http import Http404

    with pytest.raises(Http404):
        trajectory_close(trajectory=team.trajectory, closed_by=team.labour_expert, **CLOSE)


def test_closing_through_the_page_opens_the_file_read_only(team, as_user):
    c = as_user(team.jobcoach)
    url = reverse("trajectories:close", args=[team.trajectory.pk])
    assert c.get(url).status_code == 200
    response = c.post(url, CLOSE, follow=True)
    assert response.status_code == 200  # was a 404
    text = response.content.decode()
    assert "alleen-lezen" in text and "Werk gevonden" in text and "Betaald werk" in text
    # No write form on the archived file.
    for write in ("team_add", "hand_over", "close"):
        assert reverse(f"trajectories:{write}", args=[team.trajectory.pk]) not in text
    assert 'method="post"' not in text.split("<main", 1)[1]
    assert reverse("trajectories:reopen", args=[team.trajectory.pk]) in text


def test_the_former_team_finds_it_in_the_archive_and_others_do_not(team, as_user, django_assert_max_num_queries):
    _close(team)
    archive = reverse("trajectories:archive")
    for person in (team.jobcoach, team.labour_expert):
        c = as_user(person)
        with django_assert_max_num_queries(12):
            text = c.get(archive).content.decode()
        assert team.client.last_name in text
        assert c.get(archive + "?q=" + team.client.pseudonym).content.decode().count(team.client.last_name) == 1
        assert team.client.last_name not in c.get(archive + "?q=Nobody").content.decode()
        assert team.client.last_name not in c.get(archive + "?reason=deceased").content.decode()
        assert c.get(reverse("trajectories:detail", args=[team.trajectory.pk])).status_code == 200
        assert c.get(reverse("trajectories:intake", args=[team.trajectory.pk])).status_code == 200
    outsider = as_user(team.outsider)
    assert team.client.last_name not in outsider.get(archive).content.decode()
    assert outsider.get(reverse("trajectories:detail", args=[team.trajectory.pk])).status_code == 404
    # The closed trajectory has left the caseload.
    assert not selectors.caseload_trajectories(user=team.jobcoach).exists()


def test_a_member_who_left_before_closing_is_not_in_the_former_team(team):
    from werkbrug.trajectories.models import TeamMembership
    from werkbrug.trajectories.services import team_member_remove

    team_member_remove(membership=TeamMembership.objects.get(person=team.labour_expert), removed_by=team.jobcoach)
    _close(team)
    assert not selectors.archive_search(user=team.labour_expert).exists()
    assert list(selectors.archive_search(user=team.jobcoach)) == [Trajectory.objects.get()]


def test_withdrawn_participation_ends_the_reading_of_the_archive(team):
    _close(team)
    consent_withdraw(client=team.client, organisation=team.uwv, category=DataCategory.PARTICIPATION,
                     recorded_by=team.labour_expert, method=ConsentMethod.VERBAL)
    assert not selectors.archive_search(user=team.labour_expert).exists()
    assert selectors.archive_search(user=team.jobcoach).exists()


def test_the_archive_logs_one_record_per_request(team, as_user):
    _close(team)
    before = AccessLogRecord.objects.count()
    as_user(team.labour_expert).get(reverse("trajectories:archive"))
    records = list(AccessLogRecord.objects.order_by("pk")[before:])
    assert [(r.action, r.granted, r.purpose) for r in records] == [("archive.search", True, "archive")]
    before = AccessLogRecord.objects.count()
    as_user(team.labour_expert).get(reverse("trajectories:detail", args=[team.trajectory.pk]))
    records = list(AccessLogRecord.objects.order_by("pk")[before:])
    assert [(r.action, r.client_pseudonym, r.purpose) for r in records] == [
        ("trajectory.view", team.client.pseudonym, "archive")]


@pytest.mark.parametrize("path", ["intake", "team/add", "plan-director", "close"])
def test_write_pages_refuse_a_closed_trajectory(team, as_user, path):
    _close(team)
    c = as_user(team.jobcoach)
    before = Trajectory.objects.values_list("status", "close_reason").get()
    response = c.post(f"/trajectories/{team.trajectory.pk}/{path}/", {"own_goal": "x", "reason": "moved"})
    assert response.status_code == 404
    assert Trajectory.objects.values_list("status", "close_reason").get() == before


def test_services_refuse_writes_to_a_closed_trajectory(team, make_person):
    from django.http import Http404

    from werkbrug.core.policy.clients import forget

    _close(team)
    # Even within the request that closed it (the per-request facts still say "team member"), the
    # policy refuses a write to a closed trajectory (`trajectory_write`) …
    with pytest.raises(Http404):
        team_member_add(trajectory=team.trajectory, person=team.outsider, role="therapist", added_by=team.jobcoach)
    forget(team.jobcoach)
    # … and in a later request (a closed trajectory is nobody's active team) …
    with pytest.raises(Http404):
        intake_save(trajectory=team.trajectory, saved_by=team.jobcoach, data={"own_goal": "x"})
    with pytest.raises(Http404):
        team_member_add(trajectory=team.trajectory, person=team.outsider, role="therapist", added_by=team.jobcoach)
    # … and the one workflow rule stands behind it in every service.
    from werkbrug.collaboration.services import _active_trajectory

    with pytest.raises(ValidationError) as info:
        _active_trajectory(Trajectory.objects.get())
    assert _codes(info.value) == {"closed"}


def test_reopen_with_a_reason_keeps_the_history_and_the_team(team, as_user):
    _close(team)
    c = as_user(team.labour_expert)  # any member of the former team
    url = reverse("trajectories:reopen", args=[team.trajectory.pk])
    empty = c.post(url, {"reason": ""})
    assert empty.status_code == 200 and Trajectory.objects.get().status == "closed"
    response = c.post(url, {"reason": "De cliënt verloor het werk en wil verder."})
    assert response.status_code == 302
    trajectory = Trajectory.objects.get()
    assert (trajectory.status, trajectory.close_reason, trajectory.ended_on) == ("active", "", None)
    assert [e.kind for e in selectors.trajectory_events(trajectory=trajectory)] == ["closed", "reopened"]
    assert selectors.trajectory_events(trajectory=trajectory).last().note.startswith("De cliënt")
    assert selectors.caseload_trajectories(user=team.jobcoach).get() == trajectory
    assert Notification.objects.filter(kind=Kind.TRAJECTORY_REOPENED, recipient=team.jobcoach).exists()


def test_reopen_refused_while_another_trajectory_is_active_or_when_open(team):
    from django.http import Http404

    from werkbrug.trajectories.services import trajectory_start

    with pytest.raises(Http404):  # not closed: refused by the policy
        trajectory_reopen(trajectory=team.trajectory, reopened_by=team.jobcoach, reason="x")
    _close(team)
    trajectory_start(client=team.client, started_by=team.jobcoach, role="jobcoach", consent_method=ConsentMethod.VERBAL)
    with pytest.raises(ValidationError) as info:
        trajectory_reopen(trajectory=team.trajectory, reopened_by=team.jobcoach, reason="Toch verder")
    assert _codes(info.value) == {"already_active"}


def test_reopen_refused_to_outsiders_and_to_the_client(team, client_user):
    from django.http import Http404

    _close(team)
    for person in (team.outsider, client_user):
        with pytest.raises(Http404):
            trajectory_reopen(trajectory=team.trajectory, reopened_by=person, reason="x")


def test_the_api_closes_lists_the_archive_and_reopens(team, client):
    client.force_login(team.jobcoach)
    base = f"/api/v1/trajectories/{team.trajectory.pk}"
    bad = client.post(f"{base}/close/", {"reason": "whatever", "outcome": "paid_work"}, content_type="application/json")
    assert bad.status_code == 400
    closed = client.post(f"{base}/close/", CLOSE, content_type="application/json")
    assert closed.status_code == 200 and closed.json()["outcome"] == "paid_work"
    assert client.get(f"{base}/").json()["status"] == "closed"  # the archived file reads
    listed = client.get("/api/v1/trajectories/archive/").json()["results"]
    assert [(t["id"], t["close_reason"]) for t in listed] == [(team.trajectory.pk, "work_found")]
    assert client.put(f"{base}/intake/", {"data": {"own_goal": "x"}}, content_type="application/json").status_code == 404
    missing = client.post(f"{base}/reopen/", {}, content_type="application/json")
    assert missing.status_code == 400
    reopened = client.post(f"{base}/reopen/", {"reason": "Verder"}, content_type="application/json")
    assert reopened.status_code == 200 and reopened.json()["status"] == "active"
    assert [e["kind"] for e in reopened.json()["events"]] == ["closed", "reopened"]
    client.force_login(team.outsider)
    assert client.get("/api/v1/trajectories/archive/").json()["results"] == []


def test_register_start_close_and_register_again_finds_the_archive(jobcoach):
    trajectory = client_register_and_start(registered_by=jobcoach, role="jobcoach", consent_method=ConsentMethod.VERBAL,
                                           first_name="Noor", last_name="Bakker", date_of_birth=date(1988, 2, 3))
    trajectory_close(trajectory=trajectory, closed_by=jobcoach, reason="moved", outcome="unknown")
    assert list(selectors.archive_search(user=jobcoach, q="Bakker")) == [trajectory]
    assert list(selectors.archive_search(user=jobcoach, reason="moved")) == [trajectory]


def test_the_former_team_reads_the_closed_plan_and_nobody_else(team, as_user, make_person):
    """The plan of a closed file is read by the team it had (`trajectory_data`), read-only: not by
    an outsider, and not by whoever is in the client's next trajectory."""
    from werkbrug.core.choices import Role
    from werkbrug.plans.services import GoalInput, plan_save
    from werkbrug.trajectories.services import trajectory_start

    plan_save(trajectory=team.trajectory, actor=team.jobcoach, based_on=0,
              goals=[GoalInput(title="Betaald werk in de groenvoorziening")], submit=True)
    _close(team)
    plan = reverse("plans:plan", args=[team.trajectory.pk])
    pdf = reverse("plans:pdf", args=[team.trajectory.pk])
    for person in (team.jobcoach, team.labour_expert):
        c = as_user(person)
        response = c.get(plan)
        assert response.status_code == 200
        assert "groenvoorziening" in response.content.decode()
        assert reverse("plans:edit", args=[team.trajectory.pk]) not in response.content.decode()
        assert c.get(pdf)["Content-Type"] == "application/pdf"
    assert as_user(team.outsider).get(plan).status_code == 404
    # The client's next trajectory, with another jobcoach: the closed file stays its old team's.
    newcomer = make_person(team.jobcoach.organisation, Role.JOBCOACH)
    trajectory_start(client=team.client, started_by=newcomer, role=Role.JOBCOACH, consent_method=ConsentMethod.VERBAL)
    assert as_user(newcomer).get(plan).status_code == 404
    assert as_user(newcomer).get(pdf).status_code == 404
    # Nobody writes to the closed plan: not the former team, not the client's next team
    # (`trajectory_write`; `client_data` alone would let the next team through).
    edit = reverse("plans:edit", args=[team.trajectory.pk])
    for person in (team.jobcoach, newcomer):
        assert as_user(person).get(edit).status_code == 404
        assert as_user(person).post(edit, {"based_on": "1"}).status_code == 404
