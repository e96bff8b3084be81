"""Demo plans: one for every active demo trajectory, spread over every agreement state.

Made through the real services (so the access log shows the demo team at work). States, in
turn: agreed by everyone; awaiting some members; not agreed (with a comment); changed after
agreement (version 2 awaiting); draft. Clients of plans that need the client's answer get a
portal account (`demo.client.…`), so the persona page can sign them in.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.contrib.auth.hashers import make_password

from werkbrug.core import policy
from werkbrug.core.choices import Role
from werkbrug.core.demo import DEMO_PASSWORD
from werkbrug.core.models import Region, User
from werkbrug.trajectories.models import TeamMembership, Trajectory, TrajectoryStatus

from .services import (
    ActionInput,
    GoalInput,
    goals_from_version,
    plan_agree,
    plan_disagree,
    plan_save,
)

SECTORS = ["de groenvoorziening", "de zorg", "de logistiek", "de horeca", "de techniek", "de detailhandel", "de ICT", "de schoonmaak"]
STATES = ["agreed", "awaiting", "disagreed", "changed", "draft"]
COMMENTS = [
    "Ik wil eerst minder uren, twintig uur is nu te veel.",
    "De datum voor de sollicitatie is te snel na mijn verhuizing.",
    "Ik mis de afspraak over mijn schulden in het plan.",
]


def _owner(members: list[TeamMembership], *roles: str) -> str:
    for m in members:
        if m.role in roles:
            return str(m.person_id)
    return str(members[0].person_id)


def _goals(trajectory: Trajectory, members: list[TeamMembership], rng: random.Random) -> list[GoalInput]:
    start = trajectory.started_on
    sector = rng.choice(SECTORS)
    hours = rng.choice([12, 16, 20, 24, 32])

    def due(lo: int, hi: int):
        return start + timedelta(days=rng.randint(lo, hi))

    coach = _owner(members, Role.JOBCOACH, Role.CLIENT_MANAGER)
    goals = [
        GoalInput(title=f"Betaald werk in {sector}", description=f"Ongeveer {hours} uur per week, dicht bij huis.", actions=[
            ActionInput(title="Cv bijwerken", owner="client", due_on=due(7, 21)),
            ActionInput(title=f"Drie werkgevers in {sector} benaderen", owner=coach, due_on=due(21, 60)),
            ActionInput(title="Kennismakingsgesprek bij een werkgever", owner="client", due_on=due(45, 90)),
        ]),
        GoalInput(title="Goed in mijn vel blijven als ik werk", actions=[
            ActionInput(title="Signaleringsplan maken (WRAP)", owner=_owner(members, Role.THERAPIST, Role.EXPERIENCE_EXPERT, Role.JOBCOACH), due_on=due(14, 45)),
            ActionInput(title="Afspreken wat ik mijn werkgever vertel", owner="client", due_on=due(30, 75)),
        ]),
    ]
    if any(m.role == Role.DEBT_COUNSELLOR for m in members):
        goals.append(GoalInput(title="Grip op mijn geld", actions=[
            ActionInput(title="Schulden in kaart brengen", owner=_owner(members, Role.DEBT_COUNSELLOR), due_on=due(7, 30)),
        ]))
    if any(m.role in (Role.LABOUR_EXPERT, Role.CLIENT_MANAGER) for m in members):
        goals[0].actions.append(ActionInput(title="Uitkering en werken op elkaar afstemmen",
                                            owner=_owner(members, Role.LABOUR_EXPERT, Role.CLIENT_MANAGER), due_on=due(30, 90)))
    return goals


def _portal_account(client, password_hash: str) -> User:
    if client.user_id:
        return client.user
    base = "demo.client." + (client.first_name + "." + client.last_name.replace(" ", "")).lower()
    username, n = base, 2
    while User.objects.filter(username=username).exists():
        username, n = f"{base}{n}", n + 1
    from werkbrug.portal.services import portal_account_create

    user = portal_account_create(client=client, username=username)
    User.objects.filter(pk=user.pk).update(password=password_hash)
    user.password = password_hash
    return user


def load(region: Region, rng: random.Random) -> None:
    trajectories = list(
        Trajectory.objects.filter(region=region, status=TrajectoryStatus.ACTIVE).select_related("client", "client__user").order_by("pk")
    )
    password_hash = make_password(DEMO_PASSWORD)
    turn = 0
    for trajectory in trajectories:
        members = list(TeamMembership.objects.filter(trajectory=trajectory, left_at__isnull=True).select_related("person").order_by("joined_at"))
        # Only members whose organisation has the client's consent for the plan take part.
        members = [m for m in members if policy.can(m.person, "plan.change", trajectory)]
        if not members:
            continue
        state = STATES[turn % len(STATES)]
        turn += 1
        director = next((m.person for m in members if m.person_id == trajectory.plan_director_id), members[0].person)
        version = plan_save(trajectory=trajectory, actor=director, based_on=0, goals=_goals(trajectory, members, rng),
                            note="Eerste versie, samen gemaakt", submit=state != "draft")
        if state == "draft":
            continue
        client_user = _portal_account(trajectory.client, password_hash)
        people = [m.person for m in members]
        if state == "awaiting":
            # The client and all but one professional have agreed: the plan director sees who not.
            for person in [client_user, *people[:-1]]:
                plan_agree(plan_version=version, person=person)
            continue
        if state == "disagreed":
            plan_agree(plan_version=version, person=people[0])
            plan_disagree(plan_version=version, person=client_user, comment=rng.choice(COMMENTS))
            continue
        for person in [client_user, *people]:
            plan_agree(plan_version=version, person=person)
        if state == "changed":
            goals = goals_from_version(version)
            goals[0].description += " Eerst een proefplaatsing van vier weken."
            goals[0].actions.append(ActionInput(title="Proefplaatsing regelen", owner=str(director.pk),
                                                due_on=goals[0].actions[0].due_on + timedelta(days=14)))
            version2 = plan_save(trajectory=trajectory, actor=director, based_on=1, goals=goals,
                                 note="Proefplaatsing toegevoegd", submit=True)
            plan_agree(plan_version=version2, person=director)
