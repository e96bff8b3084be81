"""Benchmark: each of the caseload's special mechanisms against the plain Django way.

    .venv/bin/python bench/caseload_mechanisms.py                          # prepares werkbrug_bench
    .venv/bin/python bench/caseload_mechanisms.py --no-prepare --seconds 6 --rounds 4

One gunicorn (production settings, sync workers) serves every variant: the cookie `bench_plain`
switches mechanisms off per request (`bench_mechanisms.py`, benchmark only). Variants:

- `current` — the page as it is;
- `-<mechanism>` — the page with that one mechanism replaced by the plain Django way
  (`compiled`, `name_copy`; see `bench_mechanisms.py`);
- `plain` — every mechanism off and the page read through `CaseloadSearch.queryset()`.

The database is `bench/load.py --scenario caseload`'s (100 000 clients, 1 000 000 access-log
rows; reused when there), plus the open work of `bench/my_work.py` for the busiest professional,
whose home page ("my work") shares `compiled.py`. The variants run in interleaved rounds (the order
rotates every round) so that what the shared machine does meanwhile falls on all of them alike;
per variant it prints the median req/s and p95 of the rounds, their spread, and the gain the
mechanism buys: what the page loses without it (`-x` against `current`), and `current` against
`plain`. Before measuring, every variant's table and filters are compared with `current`'s.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import shutil
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import load  # noqa: E402
import my_work  # noqa: E402

CASELOAD_VARIANTS = ("current", "-compiled", "-name_copy", "-fragment", "plain")
ORDINARY_VARIANTS = ("current", "-compiled", "-fragment", "plain")
HOME_VARIANTS = ("current", "-compiled", "-name_copy")
CASELOAD_PATHS = [
    "/trajectories/",
    "/trajectories/?page=2",
    "/trajectories/?q=de",
    "/trajectories/?sort=-started",
]


def cookie_for(cookie: str, variant: str) -> str:
    if variant == "current":
        return cookie
    names = "plain" if variant == "plain" else variant.lstrip("-")
    return f"{cookie}; bench_plain={names}"


def _get(port: int, path: str, cookie: str) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request(
        "GET", path, headers={"Cookie": cookie, "Accept-Language": "nl", "Accept": "text/html"}
    )
    response = conn.getresponse()
    body = response.read().decode()
    conn.close()
    if response.status != 200:
        raise SystemExit(f"{path}: {response.status}")
    return body


def _shown(html: str) -> str:
    """The parts of the caseload page that the variants must show alike: filters and table."""
    parts = re.findall(r'<form method="get".*?</form>|<tbody>.*?</tbody>', html, re.S)
    return re.sub(r"\s+", " ", "".join(parts))


def drain(port: int, workers: int) -> None:
    """Wait until the server has answered what the load generator left queued: the requests a
    variant's run leaves in the listen queue must not be counted against the next variant. One
    request per worker, all at once; they are answered after everything accepted before them."""
    import threading

    def health() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        conn.request("GET", "/health")
        conn.getresponse().read()
        conn.close()

    threads = [threading.Thread(target=health) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def check_same(port: int, cookie: str, paths: list[str], variants: tuple[str, ...]) -> list[str]:
    problems = []
    for path in paths:
        expected = _shown(_get(port, path, cookie))
        if "<tbody>" not in expected:
            continue
        for variant in variants[1:]:
            if _shown(_get(port, path, cookie_for(cookie, variant))) != expected:
                problems.append(f"{variant} {path}")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", load.DEFAULT_DB)
    )
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=6, help="per variant and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--max-requests", type=int, default=20_000)
    parser.add_argument(
        "--only", default="", help="measure only the pages whose name contains this"
    )
    parser.add_argument(
        "--variants", default="", help="measure only these variants, e.g. current,-fragment (comma-separated)"
    )
    parser.add_argument("--generator", choices=["auto", "wrk", "threads"], default="auto")
    parser.add_argument(
        "--no-prepare", action="store_true", help="the database is ready: measure only"
    )
    args = parser.parse_args()

    load.ensure_database(args.database_url)
    load.SERVER_ENV["DJANGO_SETTINGS_MODULE"] = "bench_mechanism_settings"
    # On a busy machine a worker's first import can outlast gunicorn's default 30 s timeout.
    os.environ.setdefault("GUNICORN_CMD_ARGS", "--timeout 120")
    load.django_setup(args.database_url)
    if not args.no_prepare:
        load.prepare(clients=100_000, log_rows=1_000_000)
        my_work.age_bulk_consent()
    from django.db.models import Count

    from werkbrug.core.models import User
    from werkbrug.trajectories.models import Trajectory

    per_director = Trajectory.objects.values("plan_director_id").order_by().annotate(n=Count("id"))
    busiest, ordinary = per_director.order_by("-n").first(), per_director.order_by("n").first()
    big = User.objects.get(pk=busiest["plan_director_id"]).username
    small = User.objects.get(pk=ordinary["plan_director_id"]).username
    if not args.no_prepare:
        my_work.add_open_work(big, 2_000, random.Random(f"my-work:{big}"))
    pages = [
        (
            load.Page(f"caseload, busiest ({busiest['n']} clients)", big, CASELOAD_PATHS),
            CASELOAD_VARIANTS,
        ),
        (
            load.Page(f"caseload, ordinary ({ordinary['n']} clients)", small, CASELOAD_PATHS),
            ORDINARY_VARIANTS,
        ),
        (
            load.Page(f"home with my work, busiest ({busiest['n']} clients)", big, ["/"]),
            HOME_VARIANTS,
        ),
    ]
    pages = [(page, variants) for page, variants in pages if args.only in page.name]
    if args.variants:
        wanted = args.variants.split(",")
        pages = [(page, tuple(v for v in variants if v in wanted)) for page, variants in pages]
    cookies = {page.user: load.session_cookie(page.user) for page, _v in pages}
    from django.db import connections

    connections.close_all()
    generator = (
        args.generator
        if args.generator != "auto"
        else ("wrk" if shutil.which("wrk") else "threads")
    )
    run = load.load_wrk if generator == "wrk" else load.load_threads
    port = load.free_port()
    server = load.start_server(port, args.database_url, args.workers, 1, "sync")
    database = args.database_url.rsplit("/", 1)[1]
    figures: dict[tuple[str, str], list[tuple[float, float, float]]] = {}
    try:
        for page, variants in pages:
            if page.name.startswith("caseload"):
                problems = check_same(port, cookies[page.user], page.paths, variants)
                if problems:
                    raise SystemExit(f"{page.name}: the variants do not show the same: {problems}")
            for variant in variants:  # warm: connections, templates, compiled shapes
                run(
                    port,
                    page,
                    cookie_for(cookies[page.user], variant),
                    concurrency=4,
                    seconds=1,
                    max_requests=100,
                )
        print(
            f"\nWerkbrug caseload mechanisms — gunicorn {args.workers} sync workers, concurrency {args.concurrency}, "
            f"{args.seconds:.0f} s per variant × {args.rounds} interleaved rounds, {os.cpu_count()} CPUs, "
            f"load generator: {generator}, load average {os.getloadavg()[0]:.1f}\n",
            flush=True,
        )
        for round_ in range(args.rounds):
            for page, variants in pages:
                shift = round_ % len(variants)
                for variant in variants[shift:] + variants[:shift]:
                    drain(port, args.workers)
                    cpu = load.server_cpu_seconds(server.pid, database)
                    r = run(
                        port,
                        page,
                        cookie_for(cookies[page.user], variant),
                        concurrency=args.concurrency,
                        seconds=args.seconds,
                        max_requests=args.max_requests,
                    )
                    # The requests still open when the load generator stops (one per connection)
                    # are answered now: this variant's work, counted with it.
                    drain(port, args.workers)
                    cpu = (load.server_cpu_seconds(server.pid, database) - cpu) / (
                        r["requests"] + args.concurrency
                    )
                    if r["errors"]:
                        print(f"  {page.name} {variant}: {r['errors']} errors", flush=True)
                    figures.setdefault((page.name, variant), []).append((r["rps"], r["p95"], cpu))
                    print(
                        f"  round {round_ + 1} {page.name:40} {variant:12} {r['rps']:7.1f} req/s "
                        f"p95 {r['p95'] * 1000:7.1f} ms  CPU {cpu * 1000:6.1f} ms/request "
                        f"(load {os.getloadavg()[0]:.1f})",
                        flush=True,
                    )
    finally:
        server.terminate()
        server.wait(timeout=20)
    print(
        f"\nload average at the end {os.getloadavg()[0]:.1f}; medians of {args.rounds} rounds "
        "(range over the rounds). gain = what the mechanism buys the page: req/s current/variant − 1, "
        "p95 and server CPU per request (app + its PostgreSQL backends) 1 − current/variant; "
        "the `plain` row's gain is current against plain\n"
    )
    print(
        f"{'page':44} {'variant':12} {'req/s':>6} {'range':>11} {'p95 ms':>7} {'range':>11} {'CPU ms':>7} "
        f"{'range':>11} {'gain req/s':>10} {'p95':>5} {'CPU':>5}"
    )
    for page, variants in pages:
        current = [
            statistics.median(column)
            for column in zip(*figures[(page.name, "current")], strict=True)
        ]
        for variant in variants:
            values = figures[(page.name, variant)]
            rps, p95, cpu = (statistics.median(column) for column in zip(*values, strict=True))
            spread = [
                f"{min(c) * k:5.1f}–{max(c) * k:<5.1f}"
                for c, k in zip(zip(*values, strict=True), (1, 1000, 1000), strict=True)
            ]
            gain = (
                ""
                if variant == "current"
                else (
                    f"{(current[0] / rps - 1) * 100:+9.0f}% {(1 - current[1] / p95) * 100:+4.0f}% "
                    f"{(1 - current[2] / cpu) * 100:+4.0f}%"
                )
            )
            print(
                f"{page.name:44} {variant:12} {rps:6.1f} {spread[0]} {p95 * 1000:7.0f} {spread[1]} "
                f"{cpu * 1000:7.1f} {spread[2]} {gain}"
            )
        print()


if __name__ == "__main__":
    main()
