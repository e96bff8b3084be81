"""Plan fixtures: a saved plan for the shared `team` fixture, through the real services."""

from __future__ import annotations

from datetime import timedelta

import pytest

from werkbrug.plans.services import ActionInput, GoalInput, plan_save


def goals_for(team, *, extra_action: str | None = None) -> list[GoalInput]:
    start = team.trajectory.started_on
    actions = [
        ActionInput(title="Cv bijwerken", owner="client", due_on=start + timedelta(days=14)),
        ActionInput(title="Gesprek met werkgever plannen", owner=str(team.jobcoach.pk), due_on=start + timedelta(days=30)),
    ]
    if extra_action:
        actions.append(ActionInput(title=extra_action, owner=str(team.labour_expert.pk), due_on=start + timedelta(days=45)))
    return [GoalInput(title="Betaald werk in de groenvoorziening", description="16 uur per week", actions=actions)]


def goals_from(version) -> list[GoalInput]:
    """The version's content as service input (keys kept), to change and save again."""
    result = []
    for g in version.goals.all():
        result.append(GoalInput(
            key=g.key, title=g.title, description=g.description,
            actions=[ActionInput(key=a.key, title=a.title, owner="client" if a.owner_is_client else str(a.owner_id),
                                 due_on=a.due_on, status=a.status) for a in g.actions.all()],
        ))
    return result


@pytest.fixture
def plan_v1(team):
    """Version 1 of the team's plan, asked for agreement."""
    return plan_save(trajectory=team.trajectory, actor=team.jobcoach, based_on=0, goals=goals_for(team), submit=True)
