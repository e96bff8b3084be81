"""National-size benchmark: Werkbrug on PostgreSQL with the country's regions, clients and log.

    .venv/bin/python bench/national.py                                   # 35 regions, 1 000 000 clients, 20 000 000 log rows
    .venv/bin/python bench/national.py --regions 5 --clients 150000 --log-rows 3000000   # a fraction
    .venv/bin/python bench/national.py --no-load                         # measure what the database holds
    .venv/bin/python bench/national.py --no-load --beside postgres://postgres@127.0.0.1:5432/werkbrug_bench
                                        # and the same on bench/load.py's one-region database, side by side

Loads the database (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/werkbrug_national) with
`werkbrug demo --regions … --clients … --log-rows …` (it counts what is there and adds only what is
missing; the time and the peak memory of the load are printed by the command), then prints, for the
size actually in the database:

- the caseload and the client page (ordinary and busiest professional), p50/p95 at concurrency 20,
  under gunicorn as bench/load.py runs them;
- the privacy officer's search for one client over five years (`/access-log/?client=…&since=…`),
  one request at a time over different clients, and the search's query alone;
- the one-region dashboard (`/reports/`) as a region administrator;
- the query plans of the access log's hot queries at this size: each log partition read by an
  index scan, never a sequential scan (the tests check the same with sequential scans switched off);
- the machine's load average before and after, since the machine may be shared.

Every request loop is bounded in count and time; the server listens on 127.0.0.1 only. Run
bench/load.py --scenario caseload on a one-region database for the figures beside these.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import load as one_region  # noqa: E402 — bench/load.py: the server, the sessions and the load loops

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/werkbrug_national"


def sizes() -> dict[str, int]:
    from werkbrug.clients.models import Client
    from werkbrug.core.models import Region
    from werkbrug.trajectories.models import Trajectory

    with __import__("django").db.connection.cursor() as cursor:
        # The planner's estimate: an exact count of the log takes seconds at this size.
        cursor.execute(
            "SELECT coalesce(sum(c.reltuples), 0)::bigint FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'core_accesslogrecord'"
        )
        log_rows = cursor.fetchone()[0]
    return {
        "regions": Region.objects.count(),
        "clients": Client.objects.count(),
        "trajectories": Trajectory.objects.count(),
        "log rows (estimate)": log_rows,
    }


def sequential(port: int, cookie: str, paths: list[str]) -> list[float]:
    import http.client

    latencies = []
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Cookie": cookie, "Accept-Language": "nl"}
    for path in paths:
        started = time.perf_counter()
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.read()
        if response.status == 200:
            latencies.append(time.perf_counter() - started)
    conn.close()
    return latencies


def summary(latencies: list[float]) -> str:
    if not latencies:
        return "no successful requests"
    lat = sorted(latencies)
    return (
        f"{len(lat)} requests, p50 {one_region.percentile(lat, 50) * 1000:.1f} ms, "
        f"p95 {one_region.percentile(lat, 95) * 1000:.1f} ms, max {lat[-1] * 1000:.1f} ms"
    )


def p95(latencies: list[float]) -> str:
    if not latencies:
        return "no successful requests"
    return f"p95 {one_region.percentile(sorted(latencies), 95) * 1000:.0f} ms"


def plan_scans(sql: str, params) -> list[tuple[str, str]]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan

    def walk(node):
        yield node
        for child in node.get("Plans", []):
            yield from walk(child)

    return [
        (n["Node Type"], n["Relation Name"])
        for n in walk(plan[0]["Plan"])
        if n.get("Relation Name", "").startswith("core_accesslogrecord")
    ]


def rows_in(table: str) -> bool:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {table})")  # noqa: S608 — a partition's name from the plan
        return cursor.fetchone()[0]


def hot_queries(pseudonym: str, region_id: int):
    from django.utils import timezone

    from werkbrug.core.access_log import access_log_for_client, access_log_search
    from werkbrug.core.models import AccessLogRecord, AccessLogSeal

    since = timezone.now() - timedelta(days=5 * 366)
    last = (
        AccessLogSeal.objects.order_by("-record_id").values_list("record_id", flat=True).first()
        or 0
    )
    return {
        "privacy officer, one client, five years": access_log_search(
            region_id=region_id, client_pseudonym=pseudonym, since=since
        )[:50],
        "the client's own log": access_log_for_client(pseudonym)[:50],
        "sealing job, next batch": AccessLogRecord.objects.filter(id__gt=last)
        .order_by("id")
        .values("id")[:5000],
        "sealing job, first too young": AccessLogRecord.objects.filter(
            id__gt=last, occurred_at__gte=timezone.now() - timedelta(minutes=1)
        )
        .order_by("id")
        .values("id")[:1],
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--regions", type=int, default=35)
    parser.add_argument("--clients", type=int, default=1_000_000)
    parser.add_argument("--log-rows", type=int, default=20_000_000)
    parser.add_argument(
        "--no-load", action="store_true", help="measure what the database holds, add nothing"
    )
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--max-requests", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument(
        "--searches", type=int, default=40, help="privacy officer's searches, one at a time"
    )
    parser.add_argument(
        "--only", default="", help="measure only the parts whose name contains this"
    )
    parser.add_argument(
        "--beside",
        default="",
        metavar="DATABASE_URL",
        help="measure the same on this one-region database (bench/load.py --scenario caseload's, "
        f"e.g. {one_region.DEFAULT_DB}) and print both side by side",
    )
    parser.add_argument("--figures-json", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()

    one_region.ensure_database(args.database_url)
    if not args.no_load:
        env = {
            **os.environ,
            **one_region.SERVER_ENV,
            "DATABASE_URL": args.database_url,
            "PYTHONPATH": f"{one_region.BENCH}:{one_region.ROOT / 'src'}:{os.environ.get('PYTHONPATH', '')}",
        }
        for command in (
            ["migrate", "-v0"],
            [
                "demo",
                "--regions",
                str(args.regions),
                "--clients",
                str(args.clients),
                "--log-rows",
                str(args.log_rows),
            ],
        ):
            subprocess.run(
                [sys.executable, "-m", "werkbrug", *command],
                env=env,
                cwd=one_region.ROOT,
                check=True,
            )  # noqa: S603
    figures = measure(args.database_url, args)
    if args.figures_json:
        Path(args.figures_json).write_text(json.dumps(figures))
    if args.beside:
        # The same measurements of the one-region database, by a process of its own (one Django
        # set-up, one database per process), then the two side by side.
        import tempfile

        print(f"\n--- the same on the one-region database {args.beside.rsplit('/', 1)[1]} ---", flush=True)
        with tempfile.NamedTemporaryFile(suffix=".json") as out:
            subprocess.run(  # noqa: S603
                [sys.executable, __file__, "--no-load", "--database-url", args.beside,
                 "--figures-json", out.name, *beside_args(args)],
                check=True,
            )
            beside = json.loads(Path(out.name).read_text())
        print(f"\n{'beside each other':58} {'national':>24} {'one region':>24}")
        for name, figure in figures.items():
            print(f"{name:58} {figure:>24} {beside.get(name, '—'):>24}")


def beside_args(args) -> list[str]:
    return [
        "--concurrency", str(args.concurrency), "--seconds", str(args.seconds),
        "--max-requests", str(args.max_requests), "--workers", str(args.workers),
        "--searches", str(args.searches), "--only", args.only,
    ]


def measure(database_url: str, args) -> dict[str, str]:
    """Measure the database at `database_url` as described above; print the figures as they come
    and return them by measurement (page names without their client counts), for `--beside`."""
    one_region.django_setup(database_url)
    figures: dict[str, str] = {}
    load_before = os.getloadavg()
    print(
        f"\nWerkbrug national benchmark — {os.cpu_count()} CPUs, load average before "
        f"{load_before[0]:.1f} / {load_before[1]:.1f} / {load_before[2]:.1f} (1/5/15 min)"
    )
    print(
        "size measured: "
        + ", ".join(f"{name} {value:,}".replace(",", " ") for name, value in sizes().items())
    )

    from django.db import connection

    from werkbrug.core.choices import Role
    from werkbrug.core.models import AccessLogRecord, User

    officer = (
        User.objects.filter(role_assignments__role=Role.PRIVACY_OFFICER).order_by("id").first()
    )
    admin = User.objects.filter(
        role_assignments__role=Role.REGION_ADMIN, region_id=officer.region_id
    ).first()
    # Clients of the officer's region with records in the log, spread over the region.
    pseudonyms = list(
        AccessLogRecord.objects.filter(
            region_id_snapshot=officer.region_id,
            occurred_at__lt=__import__("django.utils.timezone", fromlist=["now"]).now()
            - timedelta(days=300),
        ).values_list("client_pseudonym", flat=True)[: args.searches]
    ) or list(  # bench/load.py's one-region log is all of today
        AccessLogRecord.objects.filter(region_id_snapshot=officer.region_id)
        .exclude(client_pseudonym="")
        .values_list("client_pseudonym", flat=True)[: args.searches]
    )
    wanted = lambda name: args.only.lower() in name.lower()  # noqa: E731

    if wanted("plans"):
        print("\nquery plans of the access log's hot queries (EXPLAIN, the planner's own choice):")
        for name, queryset in hot_queries(pseudonyms[0], officer.region_id).items():
            scans = plan_scans(*queryset.query.sql_with_params())
            kinds = sorted({kind for kind, _ in scans})
            seq = [rel for kind, rel in scans if kind == "Seq Scan"]
            # The planner reads an empty table (the months ahead, the default partition) whole:
            # nothing to read either way. Only a sequential scan of a filled partition counts.
            seq = [f"{rel} ({'empty' if not rows_in(rel) else 'FILLED'})" for rel in seq]
            print(
                f"  {name:45} {len(scans):3d} partition scans: {', '.join(kinds)}"
                + (f" — SEQUENTIAL on {', '.join(seq)}" if seq else "")
            )
        for name, queryset in hot_queries(pseudonyms[0], officer.region_id).items():
            started = time.perf_counter()
            for _ in range(5):
                list(queryset._clone())
            print(
                f"  {name:45} query alone: {(time.perf_counter() - started) / 5 * 1000:.1f} ms (mean of 5)"
            )

    pages = [page for page in one_region.pages_for("caseload") if wanted(page.name)]
    users = (
        {page.user for page in pages} | {officer.username} | ({admin.username} if admin else set())
    )
    cookies = {user: one_region.session_cookie(user) for user in users}
    connection.close()
    port = one_region.free_port()
    server = one_region.start_server(port, database_url, args.workers, 1, "sync")
    import shutil

    run = one_region.load_wrk if shutil.which("wrk") else one_region.load_threads
    try:
        if pages:
            print(
                f"\n{'page (concurrency ' + str(args.concurrency) + ')':58} {'requests':>8} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'errors':>6}"
            )
        for page in pages:
            run(port, page, cookies[page.user], concurrency=4, seconds=2, max_requests=200)
            r = run(
                port,
                page,
                cookies[page.user],
                concurrency=args.concurrency,
                seconds=args.seconds,
                max_requests=args.max_requests,
            )
            print(
                f"{page.name:58} {r['requests']:8d} {r['rps']:8.1f} {r['p50'] * 1000:8.1f} {r['p95'] * 1000:8.1f} {r['errors']:6d}"
            )
            figures[page.name.split(" (")[0]] = f"p95 {r['p95'] * 1000:.0f} ms, {r['rps']:.0f}/s"
        if wanted("privacy"):
            since = (__import__("datetime").date.today() - timedelta(days=5 * 366)).isoformat()
            paths = [f"/access-log/?client={p}&since={since}" for p in pseudonyms]
            sequential(port, cookies[officer.username], paths[:3])  # warm up
            latencies = sequential(port, cookies[officer.username], paths)
            print(
                f"\nprivacy officer's five-year search for one client, one at a time: "
                f"{summary(latencies)}"
            )
            figures["privacy officer's five-year search, one at a time"] = p95(latencies)
        if wanted("dashboard") and admin:
            sequential(port, cookies[admin.username], ["/reports/"])
            latencies = sequential(port, cookies[admin.username], ["/reports/"] * 10)
            figures["one-region dashboard, one at a time"] = p95(latencies)
            print(
                f"one-region dashboard (/reports/), one at a time: "
                f"{summary(latencies)}"
            )
    finally:
        server.terminate()
        server.wait(timeout=20)
    load_after = os.getloadavg()
    print(
        f"\nload average after {load_after[0]:.1f} / {load_after[1]:.1f} / {load_after[2]:.1f}; "
        f"mean of the 1-minute figures {statistics.mean([load_before[0], load_after[0]]):.1f} on {os.cpu_count()} CPUs"
    )
    return figures


if __name__ == "__main__":
    main()
