"""Demo data for IPS: phases spread over all seven with history, employer contacts, jobs.

Runs after the trajectories and plans loaders, through the real services (so the access log
looks as it would in use). Deterministic from `rng`. Where no team member's organisation has
the client's consent for job outcomes, the plan director records that consent first (on paper).
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from werkbrug.clients.models import ConsentMethod
from werkbrug.clients.services import consent_grant
from werkbrug.core.choices import DataCategory, Role
from werkbrug.core.models import Region
from werkbrug.core.policy.clients import consented_categories
from werkbrug.trajectories.models import TeamMembership, Trajectory, TrajectoryStatus

from .models import ContractType, EmployerContactKind, IPSPhase, JobEndReason
from .services import employer_contact_record, job_end, job_start, phase_change

EMPLOYERS = [
    ("Fruitteeltbedrijf Van Doorn", ["Fruitplukker", "Medewerker sorteerafdeling"]),
    ("Bakkerij De Korenbloem", ["Medewerker bakkerij", "Inpakker"]),
    ("Tuincentrum Het Groene Hart", ["Medewerker tuincentrum", "Kassamedewerker"]),
    ("Logistiek Centrum Betuwe", ["Orderpicker", "Magazijnmedewerker"]),
    ("Zorgcentrum De Linde", ["Medewerker facilitair", "Gastvrouw"]),
    ("Fietsenmaker Jansen", ["Fietsenmaker in opleiding"]),
    ("Gemeentewerf Bommelstad", ["Medewerker groenonderhoud"]),
    ("Hotel De Waalkade", ["Medewerker schoonmaak", "Afwasser"]),
    ("Drukkerij Rivierenland", ["Productiemedewerker"]),
    ("Supermarkt Plus Lingewaard", ["Vakkenvuller", "Medewerker vers"]),
]
PHASES = list(IPSPhase.values)


def _actor(trajectory: Trajectory, members: list[TeamMembership]):
    """A team member who may record job outcomes: a jobcoach if possible, else the plan director."""
    client = trajectory.client
    ordered = sorted(members, key=lambda m: (m.role != Role.JOBCOACH, m.person_id != trajectory.plan_director_id, m.pk))
    for member in ordered:
        if DataCategory.JOB_OUTCOMES in consented_categories(client, member.organisation_id):
            return member.person
    director = next(m for m in members if m.person_id == trajectory.plan_director_id)
    consent_grant(client=client, organisation=director.organisation, category=DataCategory.JOB_OUTCOMES,
                  recorded_by=director.person, method=ConsentMethod.PAPER, evidence="Toestemmingsformulier")
    return director.person


def _dates(rng: random.Random, start: date, end: date, n: int) -> list[date]:
    span = max((end - start).days, 0)
    return sorted(start + timedelta(days=rng.randint(0, span)) for _ in range(n))


def load(region: Region, rng: random.Random) -> None:
    today = timezone.localdate()
    trajectories = list(
        Trajectory.objects.filter(region=region, status=TrajectoryStatus.ACTIVE).select_related("client").order_by("pk")
    )
    members_by = {}
    for m in TeamMembership.objects.filter(trajectory__in=trajectories, left_at__isnull=True).select_related("person", "organisation"):
        members_by.setdefault(m.trajectory_id, []).append(m)
    for index, trajectory in enumerate(trajectories):
        members = members_by.get(trajectory.pk, [])
        if not members:
            continue
        actor = _actor(trajectory, members)
        target = index % len(PHASES)  # every phase, evenly
        days = _dates(rng, trajectory.started_on, today, target + 1)
        days[0] = trajectory.started_on
        for phase, day in zip(PHASES[: target + 1], days, strict=True):
            phase_change(trajectory=trajectory, changed_by=actor, phase=phase, changed_on=day)
        if target < PHASES.index(IPSPhase.JOB_SEARCH):
            continue
        search_from = days[PHASES.index(IPSPhase.JOB_SEARCH)]
        employers = rng.sample(EMPLOYERS, 3)
        kinds = [EmployerContactKind.FIRST_CONTACT, EmployerContactKind.FOLLOW_UP, EmployerContactKind.JOB_DEVELOPMENT,
                 EmployerContactKind.PLACEMENT_TALK]
        for n, day in enumerate(_dates(rng, search_from, today, rng.randint(1, 4))):
            employer_contact_record(trajectory=trajectory, recorded_by=actor, contacted_on=day,
                                    employer_name=employers[n % 3][0], kind=kinds[n],
                                    note=rng.choice(["", "Werkgever staat open voor aangepaste uren.", "Terugbellen na de vakantie."]))
        if target < PHASES.index(IPSPhase.PLACEMENT):
            continue
        placed_on = days[PHASES.index(IPSPhase.PLACEMENT)]
        employer, titles = employers[0]
        competitive = rng.random() < 0.75
        job = job_start(
            trajectory=trajectory, recorded_by=actor, employer_name=employer, job_title=rng.choice(titles), start=placed_on,
            hours_per_week=rng.choice([8, 12, 16, 20, 24, 32]),
            hourly_wage=Decimal(rng.choice(["14.75", "15.10", "16.25", "17.40"])) if competitive else None,
            contract_type=rng.choice([ContractType.FIXED_TERM, ContractType.PERMANENT, ContractType.ON_CALL])
            if competitive else ContractType.TRIAL_PLACEMENT,
            competitive=competitive,
        )
        # Some first jobs ended (always when the trajectory's IPS part is closed); some found a next job.
        if target == PHASES.index(IPSPhase.CLOSED) or rng.random() < 0.3:
            last_day = _dates(rng, placed_on, today - timedelta(days=1), 1)[0] if placed_on < today else placed_on
            job_end(job=job, ended_by=actor, end=last_day,
                    reason=rng.choice([JobEndReason.CONTRACT_ENDED, JobEndReason.RESIGNED, JobEndReason.HEALTH,
                                       JobEndReason.BETTER_JOB]))
            if last_day < today and rng.random() < 0.5:
                employer, titles = employers[1]
                job_start(trajectory=trajectory, recorded_by=actor, employer_name=employer, job_title=rng.choice(titles),
                          start=_dates(rng, last_day + timedelta(days=1), today, 1)[0],
                          hours_per_week=rng.choice([16, 20, 24]), hourly_wage=Decimal("15.10"),
                          contract_type=ContractType.FIXED_TERM, competitive=True)
