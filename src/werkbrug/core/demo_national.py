"""The demo at the size of the country: `werkbrug demo --regions 35 --clients 1000000 --log-rows 20000000`.

Adds labour-market regions shaped like the demo region (its organisations and people, bulk), spreads
synthetic clients over the regions (`clients.demo.bulk_clients`: trajectory, team, consent), and
fills the access log with records spread over five years, sealed into a valid keyed chain.

Every part counts what is there and adds only what is missing, so a second run (or a run after an
interruption) changes nothing, or finishes the job. Memory stays bounded: log records are made and
written a chunk at a time, PostgreSQL gets them through COPY, SQLite through batched bulk_create.
On PostgreSQL worker processes load regions' clients side by side, each on its own connection,
then make and seal the log's chunks while this process chains and writes them (docs/adr/0010).
Each record's seal and its link in the chain come from the access log's own functions
(`record_seal_parts`, `chain_link`: the bytes of `record_mac` and `record_hash`): one definition
of the hash.
"""

from __future__ import annotations

import multiprocessing
import random
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import connection, connections, transaction
from django.db.models import Count, Max
from django.utils import timezone

from .access_log import (
    CHAIN_FIELDS,
    GENESIS,
    KEYED,
    RECORD_FIELDS,
    access_log_seal,
    chain_link,
    record_seal_parts,
)
from .access_log import _key as _access_log_key
from .access_log_partitions import access_log_partitions_ensure, month_start
from .choices import UserKind
from .demo import DEMO_PASSWORD, FIRST_NAMES, LAST_NAMES, ORGANISATIONS, PEOPLE, REGION, _ascii
from .models import AccessLogRecord, AccessLogSeal, Organisation, Region, RoleAssignment, User

Progress = Callable[[str], None]
REGION_SLUG = "demo-regio-{:02d}"
LOG_YEARS = 5
# Records made, sealed and written together: one transaction, about 40 MB of COPY text and chain bytes.
LOG_CHUNK = 50_000
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


def national_clients(
    regions: list[Region], total: int, *, seed: int, progress: Progress, workers: int = 0
) -> int:
    """Bring the clients to `total`, spread evenly over `regions`. Returns how many were added.

    Each region's clients are one job: its pseudonyms (drawn here, unique in the country), a
    block of ids per table and a random generator for the rest, so the rows are the same
    however the jobs run. PostgreSQL does most of the work (ten rows a client, their indexes and
    foreign keys), so with `workers` > 1 on PostgreSQL that many forked processes load regions
    side by side, each on a connection of its own and in a transaction per region."""
    from werkbrug.clients.demo import _next_id, bulk_ids_follow, bulk_ids_needed, new_pseudonyms
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
    next_ids = {model: _next_id(model) for model in bulk_ids_needed(0)}
    jobs = []
    for region in regions:
        n = missing.get(region.pk, 0)
        if not n:
            continue
        rng = random.Random(f"{seed}:national:{region.pk}:{have.get(region.pk, 0)}")
        jobs.append(_ClientsJob(region, n, new_pseudonyms(n, rng, taken), rng, dict(next_ids)))
        for model, count in bulk_ids_needed(n).items():
            next_ids[model] += count
    del taken
    added, todo = 0, sum(missing.values())
    for name, n in _client_jobs_done(jobs, workers if connection.vendor == "postgresql" else 0):
        added += n
        progress(f"{name}: {n} clients added ({added} of {todo})")
    bulk_ids_follow()
    return added


@dataclass
class _ClientsJob:
    """One region's clients: what `bulk_clients` needs to add them, decided in advance."""

    region: Region
    n: int
    pseudonyms: list[str]
    rng: random.Random
    first_ids: dict[type, int]


def _client_job(job: _ClientsJob) -> tuple[str, int]:
    """Do `job`; returns the region's name and how many clients it added."""
    from werkbrug.clients.demo import bulk_clients

    return job.region.name, bulk_clients(
        job.region, job.n, job.rng, pseudonyms=job.pseudonyms, first_ids=job.first_ids
    )


def _client_job_forked(job: _ClientsJob) -> tuple[str, int]:
    """A job in a worker process: on a connection of its own, closed when done."""
    try:
        return _client_job(job)
    finally:
        _close_connections()


def _close_connections() -> None:
    """Close this process's database connections and its pool (a pool's threads and sockets
    must not cross a fork)."""
    connections.close_all()
    for alias in connections:
        close_pool = getattr(connections[alias], "close_pool", None)
        if close_pool is not None:
            close_pool()


def _client_jobs_done(jobs: list[_ClientsJob], workers: int) -> Iterator[tuple[str, int]]:
    """The jobs, done here one after another, or by `workers` forked processes side by side
    (in the order they finish)."""
    if workers <= 1 or len(jobs) <= 1:
        for job in jobs:
            yield _client_job(job)
        return
    _close_connections()  # the workers open their own
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        for done in as_completed([pool.submit(_client_job_forked, job) for job in jobs]):
            yield done.result()


def national_access_log(
    target: int,
    *,
    seed: int,
    progress: Progress,
    now: datetime | None = None,
    workers: int = 0,
) -> int:
    """Bring the access log to `target` records, spread over the last five years in time order,
    each with its own seal and sealed into the chain as it is written. Returns how many were added.

    The records are made a chunk at a time. Each chunk is a pure function of the seed, its number
    and the ids handed to it (`_log_chunk`): its records, their own seals and the bytes their chain
    links cover. Only the chain itself is sequential, so with `workers` > 0 (PostgreSQL) worker
    processes make the chunks while this process chains them and writes them; at most a few chunks
    wait in memory. The records are the same with or without workers.
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
    last = AccessLogSeal.objects.order_by("-record_id").values_list("record_id", "hash").first()
    last_id, last_hash = last if last else (0, GENESIS)
    first_id = _reserve_ids(
        max(last_id, AccessLogRecord.objects.aggregate(m=Max("id"))["m"] or 0) + 1, wanted
    )
    global _PLAN
    _PLAN = _LogPlan(
        seed=f"{seed}:log:{have}",
        wanted=wanted,
        first_id=first_id,
        start=start,
        seconds=int((end - start).total_seconds()),
        regions=regions,
        actors={r: [_actor_copy_text(a) for a in actors[r]] for r in regions},
        pseudonyms=pseudonyms,
        key=_access_log_key(),
        copy=connection.vendor == "postgresql",
    )
    chunks = range((wanted + LOG_CHUNK - 1) // LOG_CHUNK)
    chain = (last_id, last_hash)
    added = 0
    try:
        for records, chained in _chunks_made(chunks, workers if _PLAN.copy else 0):
            chain = _write_chunk(records, chained, first_id + added, chain)
            added += len(chained)
            if added % (LOG_CHUNK * 10) == 0 or added == wanted:
                progress(f"access log: {added} of {wanted} records added")
    finally:
        _PLAN = None
    return added



def national_statistics() -> None:
    """The planner's statistics after a load, as autovacuum would gather them later (PostgreSQL):
    the access log, its partitions and the whole (most of the time), on one connection, and
    every other table on a second one, side by side."""
    log = AccessLogRecord._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'm') AND NOT c.relispartition"
        )
        others = sorted(name for (name,) in cursor.fetchall() if name != log)
    with ThreadPoolExecutor(max_workers=2) as pool:
        for done in [pool.submit(_analyze, [log]), pool.submit(_analyze, others)]:
            done.result()


def _analyze(tables: list[str]) -> None:
    """ANALYZE `tables`, on this thread's own connection."""
    try:
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
    finally:
        connection.close()


@dataclass(frozen=True)
class _LogPlan:
    """What every chunk of a load is made from (worker processes inherit it: they are forked)."""

    seed: str
    wanted: int
    first_id: int
    start: datetime
    seconds: int
    regions: list[int]
    # (id, name, organisation, role, the same as COPY text)
    actors: dict[int, list[tuple[int, str, str, str, str]]]
    pseudonyms: dict[int, list[str]]
    key: bytes
    copy: bool  # PostgreSQL: the records as COPY text; else as tuples for bulk_create


_PLAN: _LogPlan | None = None
# The actions with what follows from them: (code, action, category, purpose, granted), weights.
_ACTIONS = [(code, action, cat, purpose, purpose != "no relation") for code, action, cat, purpose, _ in LOG_ACTIONS]
_WEIGHTS = [weight for *_, weight in LOG_ACTIONS]


def _chunks_made(chunks: range, workers: int) -> Iterator[tuple[Any, list[bytes]]]:
    """The chunks in order: made here, or by `workers` forked processes, a few ahead at most
    (bounded memory: a chunk is about 40 MB of COPY text and chain bytes)."""
    if workers <= 0:
        for index in chunks:
            yield _log_chunk(index)
        return
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        pending: deque = deque()
        for index in chunks:
            pending.append(pool.submit(_log_chunk, index))
            if len(pending) > workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def _log_chunk(index: int) -> tuple[Any, list[bytes]]:
    """Chunk `index` of the plan: its records (COPY text, or tuples) and, per record, the bytes its
    chain link covers. Deterministic: the same seed and index give the same records."""
    plan = _PLAN
    assert plan is not None
    first = index * LOG_CHUNK
    size = min(LOG_CHUNK, plan.wanted - first)
    rng = random.Random(f"{plan.seed}:{index}")
    # Evenly spread over the five years: the chunk's share of the time, drawn at random and sorted.
    low = plan.seconds * first // plan.wanted
    high = max(plan.seconds * (first + size) // plan.wanted, low + 1)
    offsets = sorted(rng.randrange(low, high) for _ in range(size))
    regions = rng.choices(plan.regions, k=size)
    actions = rng.choices(_ACTIONS, _WEIGHTS, k=size)
    records, chained = [], []
    record_id = plan.first_id + first
    for offset, region, (code, action, category, purpose, granted) in zip(
        offsets, regions, actions, strict=True
    ):
        actor_id, name, organisation, role, actor_text = rng.choice(plan.actors[region])
        occurred_at = plan.start + timedelta(seconds=offset)
        pseudonym = rng.choice(plan.pseudonyms[region])
        request_id = f"{rng.getrandbits(64):016x}"
        record = {
            "id": record_id,
            "occurred_at": occurred_at,
            "code": code,
            "action": action,
            "granted": granted,
            "region_id_snapshot": region,
            "actor_id_snapshot": actor_id,
            "actor_name": name,
            "actor_organisation": organisation,
            "actor_role": role,
            "on_behalf_of": "",
            "client_pseudonym": pseudonym,
            "data_category": category,
            "object_type": "clients.client",
            "object_id": "",
            "purpose": purpose,
            "check_authorised": granted,
            "check_relation": granted,
            "check_consent": granted,
            "check_emergency": False,
            "request_id": request_id,
            "ip_address": None,
        }
        mac, chain_bytes = record_seal_parts(record, plan.key)
        chained.append(chain_bytes)
        if plan.copy:
            # The columns of _RECORD_COLUMNS, as COPY text (tab-separated, \N for null).
            t = "t" if granted else "f"
            records.append(
                f"{record_id}\t{occurred_at.isoformat()}\t{code}\t{action}\t{t}\t{region}\t"
                f"{actor_text}\t\t{pseudonym}\t{category}\tclients.client\t\t{purpose}\t"
                f"{t}\t{t}\t{t}\tf\t{request_id}\t\\N\t{mac}\n"
            )
        else:
            record["mac"] = mac
            records.append(record)
        record_id += 1
    return ("".join(records).encode() if plan.copy else records), chained


_RECORD_COLUMNS = ["id", *RECORD_FIELDS]


def _actor_copy_text(actor: tuple[int, str, str, str]) -> tuple[int, str, str, str, str]:
    """An actor with its four columns (id, name, organisation, role) as COPY text, made once."""
    pk, name, organisation, role = actor
    return (pk, name, organisation, role, "\t".join([str(pk), *map(_copy_escape, (name, organisation, role))]))


def _copy_escape(text: str) -> str:
    """A text value in COPY's text format: backslash, tab, newline and return escaped."""
    return (
        text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    )


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


def _write_sealed(rows: list[dict]) -> None:
    """Write records (dicts of the fields of `MAC_FIELDS`) after the last one, with ids, own seals
    and chain seals, in one transaction: records at given times, sealed (tests use it)."""
    with transaction.atomic():
        _sealer_lock()
        last = AccessLogSeal.objects.order_by("-record_id").values_list("record_id", "hash").first()
        chain = last or (0, GENESIS)
        first_id = _reserve_ids(
            max(chain[0], AccessLogRecord.objects.aggregate(m=Max("id"))["m"] or 0) + 1, len(rows)
        )
        key = _access_log_key()
        chained = []
        for record_id, row in enumerate(rows, start=first_id):
            row["id"] = record_id
            row["mac"], chain_bytes = record_seal_parts(row, key)
            chained.append(chain_bytes)
        _write_chunk(rows, chained, first_id, chain)


def _reserve_ids(first_id: int, count: int) -> int:
    """Reserve `count` record ids from `first_id` on (or later), so that whatever else writes a
    record meanwhile gets an id after them; returns the first reserved id. On PostgreSQL the
    reservation moves the log's id sequence in one statement and never back: past every id it
    has handed out, committed or not (a record being written elsewhere keeps its own id), and
    past `first_id` (the newest record or seal). SQLite has one writer at a time."""
    if connection.vendor != "postgresql":
        return first_id
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(seq, greatest(%s, coalesce(pg_sequence_last_value(seq), 0) + 1) + %s - 1) "
            "FROM (SELECT pg_get_serial_sequence(%s, 'id')::regclass AS seq) AS log_sequence",
            [first_id, count, AccessLogRecord._meta.db_table],
        )
        return cursor.fetchone()[0] - count + 1


def _sealer_lock() -> None:
    """The sealer's lock (`access_log_seal`), until the transaction ends: one chain writer at a time."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(7513)")


def _write_chunk(
    records: bytes | list[dict], chained: list[bytes], first_id: int, chain: tuple[int, str]
) -> tuple[int, str]:
    """Write records with ids from `first_id` (COPY text, or dicts with their seals) and their
    chain seals from `chained`, in one transaction, under the sealer's lock. `chain`: the last
    seal (record id, hash) they follow; if the log's last seal is another (something else sealed
    meanwhile), stop rather than break the chain. Returns the last seal written."""
    key = _PLAN.key if _PLAN else _access_log_key()
    with transaction.atomic():
        _sealer_lock()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # A demo loader: a crash may lose the last chunks committed (never a broken
                # chain: each chunk commits whole), which a second run adds again. Not waiting
                # for each commit's flush to disk pays at 400 commits.
                cursor.execute("SET LOCAL synchronous_commit = off")
        last = AccessLogSeal.objects.order_by("-record_id").values_list("record_id", "hash").first()
        if (last or (0, GENESIS)) != chain:
            raise RuntimeError(
                "the access log was sealed by something else during the load: run the load again"
            )
        previous_id, previous_hash = chain
        sealed_at = timezone.now()
        seals = []
        for record_id, chain_bytes in enumerate(chained, start=first_id):
            digest = chain_link(previous_hash, chain_bytes, key)
            seals.append((record_id, previous_hash, digest))
            previous_id, previous_hash = record_id, digest
        if connection.vendor == "postgresql":
            stamp = sealed_at.isoformat()
            _copy(AccessLogRecord, _RECORD_COLUMNS, records)
            _copy(
                AccessLogSeal,
                ["record_id", "scheme", "previous_hash", "hash", "sealed_at"],
                "".join(f"{r}\t{KEYED}\t{p}\t{h}\t{stamp}\n" for r, p, h in seals).encode(),
            )
        else:
            AccessLogRecord.objects.bulk_create(
                [AccessLogRecord(**{name: row[name] for name in CHAIN_FIELDS}) for row in records],
                batch_size=500,
            )
            AccessLogSeal.objects.bulk_create(
                [
                    AccessLogSeal(
                        record_id=r, scheme=KEYED, previous_hash=p, hash=h, sealed_at=sealed_at
                    )
                    for r, p, h in seals
                ],
                batch_size=500,
            )
    return previous_id, previous_hash


def _copy(model, columns: list[str], data: bytes | list[dict]) -> None:
    """COPY into the model's table: `data` as COPY text (a line per row, tab-separated), or as
    dicts holding the columns."""
    connection.ensure_connection()
    qn = connection.ops.quote_name
    sql = f"COPY {qn(model._meta.db_table)} ({', '.join(qn(c) for c in columns)}) FROM STDIN"  # noqa: S608
    with connection.connection.cursor() as cursor, cursor.copy(sql) as copy:
        if isinstance(data, bytes):
            for block in range(0, len(data), 1 << 20):
                copy.write(data[block : block + (1 << 20)])
        else:
            for row in data:
                copy.write_row([row[name] for name in columns])
