"""Synthetic clients in bulk, for benchmarks (`werkbrug demo --clients N`).

Rows go in with executemany and explicit ids: 100 000 clients with trajectory, team and consent
take seconds, not minutes. Names are drawn from lists of common Dutch names: made-up people.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from werkbrug.core.choices import DataCategory, Role
from werkbrug.core.demo import FIRST_NAMES, LAST_NAMES
from werkbrug.core.models import Region, RoleAssignment

from .models import Client, ConsentEvent, ConsentState
from .models.clients import PSEUDONYM_ALPHABET

BULK_CATEGORIES = [DataCategory.PARTICIPATION, DataCategory.PLAN]


def _next_id(model) -> int:
    return (model.objects.aggregate(m=Max("id"))["m"] or 0) + 1


def _insert(model, columns: list[str], rows: list[tuple]) -> None:
    table = connection.ops.quote_name(model._meta.db_table)
    cols = ", ".join(connection.ops.quote_name(c) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    if connection.vendor == "postgresql":
        # COPY: a few times faster than executemany at national size (docs/benchmarks.md).
        connection.ensure_connection()
        with connection.connection.cursor() as cursor, cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:  # noqa: S608
            for row in rows:
                copy.write_row(row)
        return
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 20000):
            cursor.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", rows[start : start + 20000])  # noqa: S608


def new_pseudonyms(n: int, rng: random.Random, taken: set[str]) -> list[str]:
    """`n` pseudonyms drawn from `rng`, none of them in `taken`; they are added to it."""
    found = []
    for _ in range(n):
        pseudonym = "C" + "".join(rng.choice(PSEUDONYM_ALPHABET) for _ in range(9))
        while pseudonym in taken:
            pseudonym = "C" + "".join(rng.choice(PSEUDONYM_ALPHABET) for _ in range(9))
        taken.add(pseudonym)
        found.append(pseudonym)
    return found


def bulk_ids_needed(n: int) -> dict[type, int]:
    """The most ids `bulk_clients` uses per table for `n` clients: a team of at most two, and
    consent in each category for at most two organisations."""
    from werkbrug.trajectories.models import TeamMembership, Trajectory

    consent = 2 * len(BULK_CATEGORIES) * n
    return {Client: n, Trajectory: n, TeamMembership: 2 * n, ConsentEvent: consent, ConsentState: consent}


def bulk_ids_follow() -> None:
    """Move the id sequences of `bulk_clients`' tables past their highest id (PostgreSQL)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in bulk_ids_needed(0):
            table = model._meta.db_table
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")  # noqa: S608


@transaction.atomic
def bulk_clients(
    region: Region,
    n: int,
    rng: random.Random,
    *,
    taken: set[str] | None = None,
    pseudonyms: list[str] | None = None,
    first_ids: dict[type, int] | None = None,
) -> int:
    """Add `n` clients to `region`. `taken`: the pseudonyms in use, when the caller keeps them
    (the national demo adds clients region by region); new ones are added to it. Or the caller
    draws them (`pseudonyms`, `new_pseudonyms`) and hands out the ids (`first_ids`: a block of
    `bulk_ids_needed(n)` per table), so that regions load side by side; the caller then moves
    the id sequences on (`bulk_ids_follow`)."""
    from werkbrug.trajectories.models import TeamMembership, Trajectory

    pros = list(
        RoleAssignment.objects.filter(
            person__region=region, role__in=[Role.JOBCOACH, Role.CLIENT_MANAGER, Role.THERAPIST, Role.LABOUR_EXPERT]
        ).values_list("person_id", "person__organisation_id", "role")
    )
    jobcoaches = [p for p in pros if p[2] == Role.JOBCOACH]
    others = [p for p in pros if p[2] != Role.JOBCOACH]
    if not jobcoaches:
        raise ValueError("the region has no jobcoaches; load the demo region first")
    ops = connection.ops
    now = timezone.now()
    now_db = ops.adapt_datetimefield_value(now)
    ids = first_ids or {model: _next_id(model) for model in bulk_ids_needed(0)}
    client_id, traj_id = ids[Client], ids[Trajectory]
    member_id, event_id, state_id = ids[TeamMembership], ids[ConsentEvent], ids[ConsentState]
    clients, trajectories, members, events, states = [], [], [], [], []
    if pseudonyms is None:
        if taken is None:
            taken = set(Client.objects.values_list("pseudonym", flat=True))
        pseudonyms = new_pseudonyms(n, rng, taken)
    if len(pseudonyms) != n:
        raise ValueError(f"{n} clients need {n} pseudonyms, not {len(pseudonyms)}")
    for pseudonym in pseudonyms:
        first_name, last_name = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        born = date(1960, 1, 1) + timedelta(days=rng.randrange(0, 40 * 365))
        clients.append((client_id, region.pk, pseudonym, first_name, last_name,
                        ops.adapt_datefield_value(born), "", "", "", "", "", "", "",
                        rng.choice(["ww", "wia_wga", "wajong", "participatiewet", "none"]), "active", now_db))
        coach = rng.choice(jobcoaches)
        started = ops.adapt_datefield_value(date(2025, 1, 1) + timedelta(days=rng.randrange(0, 600)))
        trajectories.append((traj_id, region.pk, client_id, "active", started, coach[0], now_db, "", "", ""))
        team = [coach] + ([rng.choice(others)] if others else [])
        consented_orgs: set[int] = set()
        for person_id, org_id, role in team:
            # the client's name as the caseload's triggers would copy it (`trajectories/caseload_sync.py`)
            members.append((member_id, traj_id, person_id, org_id, role, now_db, first_name, last_name, pseudonym))
            member_id += 1
            if org_id in consented_orgs:
                continue
            consented_orgs.add(org_id)
            for category in BULK_CATEGORIES:
                # recorded by the organisation's own team member (the policy's `consent.record`)
                events.append((event_id, client_id, org_id, category, "grant", "paper", now_db, person_id))
                states.append((state_id, client_id, org_id, category, True, event_id, 1))
                event_id += 1
                state_id += 1
        client_id += 1
        traj_id += 1
    _insert(Client, ["id", "region_id", "pseudonym", "first_name", "last_name", "date_of_birth", "bsn_encrypted",
                     "bsn_hash", "email", "phone", "address", "postcode", "city", "benefit", "status", "created_at"], clients)
    _insert(Trajectory, ["id", "region_id", "client_id", "status", "started_on", "plan_director_id", "created_at",
                         "close_reason", "outcome", "outcome_note"], trajectories)
    _insert(TeamMembership, ["id", "trajectory_id", "person_id", "organisation_id", "role", "joined_at",
                             "client_first_name", "client_last_name", "client_pseudonym"], members)
    _insert(ConsentEvent, ["id", "client_id", "organisation_id", "category", "kind", "method", "recorded_at",
                           "recorded_by_id", "note", "evidence"], [(*e[:8], "", "Toestemmingsformulier") for e in events])
    _insert(ConsentState, ["id", "client_id", "organisation_id", "category", "granted", "last_event_id", "version"], states)
    if first_ids is None:
        bulk_ids_follow()
    return n
