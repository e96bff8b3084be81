"""Saving the plan: bad input, optimistic locking (sequential and two racing writers), diff."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from werkbrug.plans.diff import diff, version_diff
from werkbrug.plans.models import ActionStatus, ActionStatusChange, PlanVersion
from werkbrug.plans.services import (
    ActionInput,
    GoalInput,
    PlanConflict,
    action_status_set,
    plan_save,
)

from .conftest import goals_for, goals_from

pytestmark = pytest.mark.django_db


def _codes(exc: ValidationError) -> set[str]:
    return {e.code for e in exc.error_list}


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (lambda team, goals: setattr(goals[0].actions[0], "due_on", team.trajectory.started_on - timedelta(days=1)), "due_before_start"),
        (lambda team, goals: setattr(goals[0].actions[0], "owner", str(team.outsider.pk)), "owner_not_in_team"),
        (lambda team, goals: setattr(goals[0].actions[0], "owner", "nobody"), "owner_not_in_team"),
        (lambda team, goals: setattr(goals[0], "title", "  "), "goal_title"),
        (lambda team, goals: setattr(goals[0].actions[1], "title", ""), "action_title"),
        (lambda team, goals: goals.clear(), "no_goals"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(team, change, code):
    goals = goals_for(team)
    change(team, goals)
    with pytest.raises(ValidationError) as exc:
        plan_save(trajectory=team.trajectory, actor=team.jobcoach, based_on=0, goals=goals)
    assert code in _codes(exc.value)
    assert not PlanVersion.objects.exists()


def test_stale_version_gets_a_conflict_and_nothing_is_lost(team, plan_v1):
    # Two people opened version 1. The first saves version 2 ...
    first = goals_from(plan_v1)
    first[0].title = "Betaald werk in de zorg"
    plan_save(trajectory=team.trajectory, actor=team.jobcoach, based_on=1, goals=first)
    # ... the second, still based on version 1, is refused with the numbers to show both changes.
    second = goals_from(plan_v1)
    second[0].actions.append(ActionInput(title="Sollicitatietraining", owner="client", due_on=team.trajectory.started_on))
    with pytest.raises(PlanConflict) as exc:
        plan_save(trajectory=team.trajectory, actor=team.labour_expert, based_on=1, goals=second)
    assert (exc.value.based_on, exc.value.current) == (1, 2)
    assert exc.value.code == "version_conflict"
    assert PlanVersion.objects.count() == 2
    assert PlanVersion.objects.get(number=2).goals.get().title == "Betaald werk in de zorg"


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="SQLite cannot run two writers at once")
@pytest.mark.django_db(transaction=True)
def test_two_racing_writers_one_wins_the_other_gets_a_conflict(team, plan_v1):
    """Two threads, two connections, both based on version 1, released at the same moment."""
    from django.db import connections

    barrier = threading.Barrier(2)
    results: list[object] = []

    def write(actor, title):
        goals = goals_from(plan_v1)
        goals[0].title = title
        barrier.wait()
        try:
            results.append(plan_save(trajectory=team.trajectory, actor=actor, based_on=1, goals=goals))
        except PlanConflict as exc:
            results.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(team.jobcoach, "Werk A")),
               threading.Thread(target=write, args=(team.labour_expert, "Werk B"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    saved = [r for r in results if isinstance(r, PlanVersion)]
    conflicts = [r for r in results if isinstance(r, PlanConflict)]
    assert len(saved) == 1 and len(conflicts) == 1, results
    assert conflicts[0].current == 2
    assert list(PlanVersion.objects.order_by("number").values_list("number", flat=True)) == [1, 2]


def test_diff_between_versions(team, plan_v1):
    goals = goals_from(plan_v1)
    goals[0].title = "Betaald werk in de zorg"  # changed goal
    removed = goals[0].actions.pop(0)  # removed action
    goals[0].actions[0].due_on += timedelta(days=7)  # changed action
    goals.append(GoalInput(title="Schulden op orde", actions=[  # added goal + action
        ActionInput(title="Aanmelden bij schuldhulp", owner="client", due_on=team.trajectory.started_on)]))
    v2 = plan_save(trajectory=team.trajectory, actor=team.jobcoach, based_on=1, goals=goals)
    changes = {(c.kind, c.item, c.title) for c in version_diff(plan_v1, v2)}
    assert changes == {
        ("changed", "goal", "Betaald werk in de zorg"),
        ("removed", "action", removed.title),
        ("changed", "action", "Gesprek met werkgever plannen"),
        ("added", "goal", "Schulden op orde"),
        ("added", "action", "Aanmelden bij schuldhulp"),
    }
    due = next(c for c in version_diff(plan_v1, v2) if c.title == "Gesprek met werkgever plannen")
    assert [(old, new) for _label, old, new in due.fields] == [(
        team.trajectory.started_on + timedelta(days=30), team.trajectory.started_on + timedelta(days=37))]


def test_diff_is_pure():
    old = {"goals": {"g": {"title": "A", "description": ""}}, "actions": {}}
    new = {"goals": {"g": {"title": "A", "description": "meer"}}, "actions": {}}
    [change] = diff(old, new)
    assert change.kind == "changed" and change.fields[0][1:] == ("", "meer")
    assert diff(old, old) == []


def test_action_status_is_progress_not_a_new_version(team, plan_v1):
    action = plan_v1.actions.first()
    action_status_set(action=action, actor=team.jobcoach, status=ActionStatus.DONE)
    assert PlanVersion.objects.count() == 1
    assert ActionStatusChange.objects.get().new == ActionStatus.DONE


def test_closed_trajectory_plan_cannot_change(team, plan_v1):
    from werkbrug.trajectories.services import trajectory_close

    trajectory_close(trajectory=team.trajectory, closed_by=team.jobcoach, reason="work_found", outcome="paid_work")
    goals = goals_for(team, extra_action="Nog iets")
    with pytest.raises(Exception):  # noqa: B017 — policy or service, either refuses
        plan_save(trajectory=team.trajectory, actor=team.jobcoach, based_on=1, goals=goals)
    assert PlanVersion.objects.count() == 1


def test_connection_vendor_known():
    assert connection.vendor in {"sqlite", "postgresql"}
