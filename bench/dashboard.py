"""The region's dashboard and everything that reads its figures, in-process (no server, no load
generator): per page the wall and CPU time per request (median and max over `--repeat`), its
number of queries and their time.

    .venv/bin/python bench/dashboard.py --database-url postgres://…/werkbrug_x
    .venv/bin/python bench/dashboard.py --repeat 10 /reports/ /reports/months/YEAR/MONTH/

Reads a database that is already there (e.g. `werkbrug demo`, then `werkbrug demo --regions 1
--clients 30000 --log-rows 0`): the region with the most trajectories, as its first region
administrator. In a path ORG is an organisation of that region with people, YEAR and MONTH
today's. `--slow N` prints the N slowest queries of the last request.
"""

from __future__ import annotations

import argparse
import os
import statistics
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
    admin = User.objects.filter(region_id=biggest["region"], role_assignments__role=Role.REGION_ADMIN).order_by("pk").first()
    organisation = Organisation.objects.filter(region_id=biggest["region"], people__isnull=False).order_by("pk").first()
    today = timezone.localdate()
    print(f"region {biggest['region']}: {biggest['n']} trajectories; as {admin.username}; load {os.getloadavg()}")
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
        print(f"{path:50s} {status}  wall {statistics.median(walls) * 1000:7.0f} ms (max {max(walls) * 1000:7.0f})"
              f"  cpu {statistics.median(cpus) * 1000:6.0f} ms  {len(queries):3d} queries  sql {sql * 1000:6.0f} ms")
        for q in sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:args.slow]:
            print(f"    {q['time']} s  {q['sql'][:300]}")


if __name__ == "__main__":
    main()
