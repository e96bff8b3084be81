"""The demo at the size of the country: `werkbrug demo --regions 35 --clients 1000000 --log-rows 20000000`.

Adds labour-market regions shaped like the demo region (its organisations and people, bulk), spreads
synthetic clients over the regions (`clients.demo.bulk_clients`: trajectory, team, consent), and
fills the access log with records spread over five years, sealed into a valid keyed chain.

Every part counts what is there and adds only what is missing, so a second run (or a run after an
interruption) changes nothing, or finishes the job. Memory stays bounded: log records are made and
written a chunk at a time, PostgreSQL gets them through COPY, SQLite through batched bulk_create.
Each record's seal and its link in the chain come from the access log's own functions
(`record_mac`, `record_hash`): one definition of the hash.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import Count, Max
from django.utils import timezone

from .access_log import (
    CHAIN_FIELDS,
    GENESIS,
    KEYED,
    RECORD_FIELDS,
    access_log_seal,
    record_hash,
    record_mac,
)
from .access_log_partitions import access_log_partitions_ensure, month_start
from .choices import UserKind
from .demo import DEMO_PASSWORD, FIRST_NAMES, LAST_NAMES, ORGANISATIONS, PEOPLE, REGION, _ascii
from .models import AccessLogRecord, AccessLogSeal, Organisation, Region, RoleAssignment, User

Progress = Callable[[str], None]
REGION_SLUG = "demo-regio-{:02d}"
LOG_YEARS = 5
CHUNK = 20_000
# (code, action, data category, purpose, weight): what professionals mostly do with a file.
LOG_ACTIONS = [
    ("R", "client.view", "participation", "team member", 50),
    ("R", "trajectory.view", "plan", "team member", 20),
    ("U", "plan.update", "plan", "team member", 10),
    ("R", "caseload.search", "participation", "caseload", 10),
    ("C", "note.create", "participation", "team member", 5),
    ("E", "export.participants", "participation", "region report", 1),
    ("R", "client.view", "participation", "no relation", 4),  # denied
]


def national_regions(count: int, *, seed: int, progress: Progress) -> list[Region]:
    """The demo region plus regions 2 … `count`, each with the demo's organisations and people."""
    demo = Region.objects.get(slug=REGION["slug"])
    regions = [demo]
    password = make_password(DEMO_PASSWORD)
    taken = set(User.objects.values_list("username", flat=True))
    for number in range(2, count + 1):
        slug = REGION_SLUG.format(number)
        region = Region.objects.filter(slug=slug).first()
        if region is None:
            region = _region(
                number, slug, random.Random(f"{seed}:region:{number}"), password, taken
            )
            progress(f"region {region.name} added")
        regions.append(region)
    return regions


@transaction.atomic
def _region(number: int, slug: str, rng: random.Random, password: str, taken: set[str]) -> Region:
    region = Region.objects.create(name=f"Demoregio {number:02d}", slug=slug)
    orgs = {
        short: Organisation(
            region=region, name=f"{name} ({number:02d})", short_name=short, type=kind
        )
        for name, short, kind in ORGANISATIONS
    }
    Organisation.objects.bulk_create(orgs.values())
    people, roles = [], []
    for index, (short, assigned) in enumerate(PEOPLE):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        base = _ascii(f"demo.r{number:02d}." + (first + "." + last.replace(" ", "")).lower())
        username, n = base, 2
        while username in taken:
            username, n = f"{base}{n}", n + 1
        taken.add(username)
        people.append(
            User(
                username=username,
                first_name=first,
                last_name=last,
                password=password,
                region=region,
                email=f"{_ascii(first.lower())}.r{number:02d}.{index}@example.org",
                organisation=orgs[short],
                job_title=str(assigned[0].label),
            )
        )
        roles.append(assigned)
    User.objects.bulk_create(people)
    RoleAssignment.objects.bulk_create(
        [
            RoleAssignment(person=person, role=role)
            for person, assigned in zip(people, roles, strict=True)
            for role in assigned
        ]
    )
    return region


def national_clients(regions: list[Region], total: int, *, seed: int, progress: Progress) -> int:
    """Bring the clients to `total`, spread evenly over `regions`. Returns how many were added."""
    from werkbrug.clients.demo import bulk_clients
    from werkbrug.clients.models import Client

    have = dict(
        Client.objects.values("region_id").annotate(n=Count("id")).values_list("region_id", "n")
    )
    share, extra = divmod(total, len(regions))
    wanted = {
        region.pk: share + (1 if index < extra else 0) for index, region in enumerate(regions)
    }
    missing = {pk: n - have.get(pk, 0) for pk, n in wanted.items() if n > have.get(pk, 0)}
    if not missing:
        return 0
    taken = set(Client.objects.values_list("pseudonym", flat=True))
    added = 0
    for region in regions:
        n = missing.get(region.pk, 0)
        if n:
            added += bulk_clients(
                region,
                n,
                random.Random(f"{seed}:national:{region.pk}:{have.get(region.pk, 0)}"),
                taken=taken,
            )
            progress(f"{region.name}: {n} clients added ({added} of {sum(missing.values())})")
    return added


def national_access_log(
    target: int, *, seed: int, progress: Progress, now: datetime | None = None
) -> int:
    """Bring the access log to `target` records, spread over the last five years in time order,
    each with its own seal and sealed into the chain as it is written. Returns how many were added.
    """
    have = AccessLogRecord.objects.count()
    if have >= target:
        return 0
    wanted = target - have
    now = (now or timezone.now()).replace(microsecond=0)
    # Older than the sealer's grace period, so that the chain may include them at once.
    end = now - timedelta(hours=1)
    start = month_start(end, -12 * LOG_YEARS + 1)
    access_log_partitions_ensure(start=start)
    access_log_seal(
        grace_seconds=0
    )  # what the loaders wrote: sealed first, the chain goes on after it

    regions = list(Region.objects.values_list("id", flat=True))
    pseudonyms = _pseudonyms_by_region(regions)
    actors = _actors_by_region(regions)
    regions = [r for r in regions if pseudonyms.get(r) and actors.get(r)]
    if not regions:
        raise ValueError("no region has both clients and professionals: add clients first")
    rng = random.Random(f"{seed}:log:{have}")
    weights = [a[4] for a in LOG_ACTIONS]
    moments = _moments(start, end, wanted, rng)
    added = 0
    while added < wanted:
        size = min(CHUNK, wanted - added)
        rows = []
        for _ in range(size):
            region = rng.choice(regions)
            actor = rng.choice(actors[region])
            code, action, category, purpose, _weight = rng.choices(LOG_ACTIONS, weights)[0]
            granted = purpose != "no relation"
            rows.append(
                {
                    "occurred_at": next(moments),
                    "code": code,
                    "action": action,
                    "granted": granted,
                    "region_id_snapshot": region,
                    "actor_id_snapshot": actor[0],
                    "actor_name": actor[1],
                    "actor_organisation": actor[2],
                    "actor_role": actor[3],
                    "on_behalf_of": "",
                    "client_pseudonym": rng.choice(pseudonyms[region]),
                    "data_category": category,
                    "object_type": "clients.client",
                    "object_id": "",
                    "purpose": purpose,
                    "check_authorised": granted,
                    "check_relation": granted,
                    "check_consent": granted,
                    "check_emergency": False,
                    "request_id": f"{rng.getrandbits(64):016x}",
                    "ip_address": None,
                }
            )
        _write_sealed(rows)
        added += size
        if added % (CHUNK * 25) == 0 or added == wanted:
            progress(f"access log: {added} of {wanted} records added")
    return added


def _pseudonyms_by_region(regions: list[int]) -> dict[int, list[str]]:
    from werkbrug.clients.models import Client

    found: dict[int, list[str]] = {r: [] for r in regions}
    for region_id, pseudonym in Client.objects.values_list("region_id", "pseudonym").iterator(
        chunk_size=50_000
    ):
        found[region_id].append(pseudonym)
    return found


def _actors_by_region(regions: list[int]) -> dict[int, list[tuple[int, str, str, str]]]:
    found: dict[int, list[tuple[int, str, str, str]]] = {r: [] for r in regions}
    people = User.objects.filter(kind=UserKind.PROFESSIONAL, region_id__in=regions).values_list(
        "id", "first_name", "last_name", "organisation__name", "region_id", "role_assignments__role"
    )
    for pk, first, last, organisation, region_id, role in people:
        found[region_id].append(
            (pk, f"{first} {last}", (organisation or "")[:200], (role or "")[:40])
        )
    return found


def _moments(start: datetime, end: datetime, count: int, rng: random.Random) -> Iterator[datetime]:
    """`count` moments between `start` and `end`, to the second, in order, evenly spread: month by
    month, each month's share drawn at random and sorted (a month in memory, not five years)."""
    month = start
    total_seconds = (end - start).total_seconds()
    made = 0
    while month < end:
        following = min(month_start(month, 1), end)
        share = round(count * (following - start).total_seconds() / total_seconds) - made
        span = int((following - month).total_seconds())
        for offset in sorted(rng.randrange(span) for _ in range(share)):
            yield month + timedelta(seconds=offset)
        made += share
        month = following
    while True:  # rounding: the last few at the end
        yield end


def _write_sealed(rows: list[dict]) -> None:
    """Write one chunk with ids, own seals and chain seals, in one transaction, under the sealer's lock."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(7513)")
        last = AccessLogSeal.objects.order_by("-record_id").values_list("record_id", "hash").first()
        last_id, previous_hash = last if last else (0, GENESIS)
        last_id = max(last_id, AccessLogRecord.objects.aggregate(m=Max("id"))["m"] or 0)
        sealed_at = timezone.now()
        seals = []
        for row in rows:
            last_id += 1
            row["id"] = last_id
            row["mac"] = record_mac(row)
            previous_hash, link = record_hash(previous_hash, row), previous_hash
            seals.append((row["id"], KEYED, link, previous_hash, sealed_at))
        seal_columns = ["record_id", "scheme", "previous_hash", "hash", "sealed_at"]
        if connection.vendor == "postgresql":
            _copy(
                AccessLogRecord,
                ["id", *RECORD_FIELDS],
                ([row[name] for name in ("id", *RECORD_FIELDS)] for row in rows),
            )
            _copy(AccessLogSeal, seal_columns, seals)
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)",
                    [AccessLogRecord._meta.db_table, last_id],
                )
        else:
            AccessLogRecord.objects.bulk_create(
                [AccessLogRecord(**{name: row[name] for name in CHAIN_FIELDS}) for row in rows],
                batch_size=500,
            )
            AccessLogSeal.objects.bulk_create(
                [AccessLogSeal(**dict(zip(seal_columns, seal, strict=True))) for seal in seals],
                batch_size=500,
            )


def _copy(model, columns: list[str], rows) -> None:
    connection.ensure_connection()
    qn = connection.ops.quote_name
    sql = f"COPY {qn(model._meta.db_table)} ({', '.join(qn(c) for c in columns)}) FROM STDIN"  # noqa: S608
    with connection.connection.cursor() as cursor, cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)
