"""The region's dashboard and everything that reads its figures, in-process (no server, no load
generator): per page the wall and CPU time per request (median and max over `--repeat`), its
number of queries and their time.

    .venv/bin/python bench/dashboard.py --database-url postgres://…/werkbrug_x
    .venv/bin/python bench/dashboard.py --repeat 10 /reports/ /reports/months/YEAR/MONTH/
    .venv/bin/python bench/dashboard.py --jobs-share 0.4 --repeat 20 /reports/

Reads a database that is already there (e.g. `werkbrug demo`, then `werkbrug demo --regions 1
--clients 30000 --log-rows 0`): the region with the most trajectories, as its first region
administrator. In a path ORG is an organisation of that region with people, YEAR and MONTH
today's. `--slow N` prints the N slowest queries of the last request.

`--jobs-share 0.4` first gives jobs to the region's clients until 40 % of them have one (synthetic,
in bulk, deterministic; what is there counts, so a second run adds nothing): one or two jobs per
client, some started before the trajectory, some ended, most still going, some overlapping; 85 %
competitive. A tenth of those clients' trajectories are closed and followed by a second one, a
twentieth closed for good. The national demo's bulk clients have no jobs otherwise.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import load  # noqa: E402

PATHS = [
    "/reports/", "/reports/pdf/", "/reports/csv/?table=organisations",
    "/reports/organisations/ORG/", "/reports/organisations/ORG/csv/?table=months",
    "/reports/months/YEAR/MONTH/", "/reports/months/YEAR/MONTH/csv/?table=organisations",
    "/api/v1/reports/organisations/ORG/", "/api/v1/reports/months/YEAR/MONTH/",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*", default=PATHS)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", load.DEFAULT_DB))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--slow", type=int, default=0)
    parser.add_argument("--jobs-share", type=float, default=0.0,
                        help="first give jobs to clients of the region until this share of them has one")
    args = parser.parse_args()

    load.django_setup(args.database_url)
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from werkbrug.core.choices import Role
    from werkbrug.core.models import Organisation, User
    from werkbrug.trajectories.models import Trajectory

    biggest = Trajectory.objects.values("region").annotate(n=Count("id")).order_by("-n").first()
    if args.jobs_share:
        add_jobs(biggest["region"], args.jobs_share)
    admin = User.objects.filter(region_id=biggest["region"], role_assignments__role=Role.REGION_ADMIN).order_by("pk").first()
    organisation = Organisation.objects.filter(region_id=biggest["region"], people__isnull=False).order_by("pk").first()
    today = timezone.localdate()
    from werkbrug.clients.models import Client as ClientRecord

    with_jobs = ClientRecord.objects.filter(region_id=biggest["region"], trajectories__jobs__isnull=False).distinct().count()
    print(f"region {biggest['region']}: {biggest['n']} trajectories, {with_jobs} clients with a job;"
          f" as {admin.username}; load {os.getloadavg()}")
    browser = Client(HTTP_COOKIE=load.session_cookie(admin.username), HTTP_HOST="127.0.0.1")
    for path in args.paths:
        path = path.replace("ORG", str(organisation.pk)).replace("YEAR", str(today.year)).replace("MONTH", str(today.month))
        status = browser.get(path).status_code  # the first request of a kind fills caches
        walls, cpus = [], []
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as queries:
                wall, cpu = time.perf_counter(), time.process_time()
                status = browser.get(path).status_code
                walls.append(time.perf_counter() - wall)
                cpus.append(time.process_time() - cpu)
        sql = sum(float(q["time"]) for q in queries.captured_queries)
        print(f"{path:50s} {status}  wall p50 {percentile(walls, 50) * 1000:6.0f} ms p95 {percentile(walls, 95) * 1000:6.0f}"
              f"  cpu p50 {percentile(cpus, 50) * 1000:6.0f} ms p95 {percentile(cpus, 95) * 1000:6.0f}"
              f"  {len(queries):3d} queries  sql {sql * 1000:6.0f} ms")
        for q in sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:args.slow]:
            print(f"    {q['time']} s  {q['sql'][:300]}")


def percentile(values: list[float], p: int) -> float:
    """The p-th percentile (nearest rank): with few repeats p95 is the slowest but one or the slowest."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, -(-p * len(ordered) // 100) - 1))]


def add_jobs(region_id: int, share: float, seed: int = 4004) -> None:
    """Give jobs to clients of the region until `share` of its clients has one (see the module's
    docstring). In bulk, bypassing the services: benchmark data only."""
    import random
    from datetime import timedelta
    from decimal import Decimal

    from django.db import connection, transaction
    from django.utils import timezone

    from werkbrug.clients.models import Client
    from werkbrug.employment.models import Job
    from werkbrug.trajectories.models import Trajectory

    clients = Client.objects.filter(region_id=region_id)
    total = clients.count()
    have = clients.filter(trajectories__jobs__isnull=False).distinct().count()
    wanted = int(total * share) - have
    if wanted <= 0:
        return
    print(f"  giving {wanted} clients a job …", flush=True)
    rng = random.Random(f"{seed}:{region_id}:{have}")
    today, now = timezone.localdate(), timezone.now()
    candidates = list(Trajectory.objects.filter(region_id=region_id, status="active")
                      .exclude(client__trajectories__jobs__isnull=False)
                      .order_by("pk").values_list("pk", "client_id", "started_on", "plan_director_id"))
    chosen = sorted(rng.sample(candidates, min(wanted, len(candidates))))
    jobs, closed, second = [], [], []
    for pk, client_id, started_on, director in chosen:
        on_second, begin = None, started_on  # the job's trajectory: this one, or second[on_second]
        roll = rng.random()
        if roll < 0.15 and started_on < today - timedelta(days=40):
            ended_on = started_on + timedelta(days=rng.randint(20, max(20, min(300, (today - started_on).days - 10))))
            closed.append((pk, ended_on))
            if roll < 0.10:  # and a second trajectory after it, the job on either
                later = min(ended_on + timedelta(days=rng.randint(1, 60)), today)
                second.append(Trajectory(region_id=region_id, client_id=client_id, status="active", started_on=later,
                                         plan_director_id=director))
                if rng.random() < 0.5:
                    on_second, begin = len(second) - 1, later  # its id is known after the insert
        first = min(begin + timedelta(days=rng.randint(-60, 400)), today)
        competitive = rng.random() < 0.85
        spans = [(first, first + timedelta(days=rng.randint(10, 300)) if rng.random() < 0.4 else None)]
        if rng.random() < 0.3:  # a second job, overlapping the first or after it
            next_start = min(first + timedelta(days=rng.randint(0, 250)), today)
            spans.append((next_start, None if rng.random() < 0.7 else next_start + timedelta(days=rng.randint(5, 120))))
        for n, (start, end) in enumerate(spans):
            end = None if end is None or end >= today else end
            paid = competitive or n > 0
            jobs.append((pk, on_second, Job(
                employer_name="Logistiek Centrum Betuwe", job_title="Orderpicker", start=start, end=end,
                hours_per_week=Decimal(rng.choice([8, 12, 16, 20, 24, 32])),
                hourly_wage=Decimal(rng.choice(["14.75", "15.10", "16.25", "17.40"])) if paid else None,
                contract_type=rng.choice(["fixed_term", "permanent", "on_call"]) if paid else "trial_placement",
                competitive=paid, recorded_by_id=director, recorded_at=now,
                end_reason="contract_ended" if end else "")))
    with transaction.atomic():
        for pk, ended_on in closed:
            Trajectory.objects.filter(pk=pk).update(status="closed", ended_on=ended_on, close_reason="work_found",
                                                    outcome="paid_work", closed_at=now)
        second = Trajectory.objects.bulk_create(second)
        for pk, on_second, job in jobs:
            job.trajectory_id = pk if on_second is None else second[on_second].pk
        Job.objects.bulk_create([job for _t, _s, job in jobs], batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"  {len(jobs)} jobs added, {len(closed)} trajectories closed, {len(second)} started after", flush=True)


if __name__ == "__main__":
    main()
