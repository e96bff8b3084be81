"""CPU per request, in-process: call the WSGI application directly, no server, no load generator.

    .venv/bin/python bench/profile_request.py --user demo.admin /api/v1/people/
    .venv/bin/python bench/profile_request.py --user jobcoach / --profile --sort tottime
    .venv/bin/python bench/profile_request.py --scenario caseload --user busiest /trajectories/ --sql
    .venv/bin/python bench/profile_request.py --user jobcoach / --profile --callers "functional.py:276"

Uses the benchmark's database and production settings (see load.py). `--user jobcoach` is the
first plan director; `busiest` / `ordinary` are the caseload scenario's professionals. Prints the
status, the queries one request makes and the mean wall and CPU time per request over `--repeat` calls;
`--profile` adds a cProfile listing. Whole-server figures come from load.py.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import load  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path")
    parser.add_argument("--user", default="jobcoach")
    parser.add_argument("--scenario", choices=["foundation", "caseload"], default="foundation")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", load.DEFAULT_DB))
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--sql", action="store_true", help="print the queries of one request")
    parser.add_argument("--explain", action="store_true",
                        help="EXPLAIN (ANALYZE, BUFFERS) each SELECT of one request (PostgreSQL), plans printed")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--top", type=int, default=50)
    parser.add_argument("--callers", default="", help="with --profile: who calls the functions matching this")
    parser.add_argument("--no-prepare", action="store_true",
                        help="measure the database as it is (e.g. one loaded by bench/national.py): add nothing")
    args = parser.parse_args()

    load.ensure_database(args.database_url)
    load.django_setup(args.database_url)
    big = args.scenario == "caseload"
    if not args.no_prepare:
        load.prepare(clients=100_000 if big else 0, log_rows=1_000_000 if big else 0)
    from django.core.wsgi import get_wsgi_application
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = args.user
    if user in ("jobcoach", "busiest", "ordinary"):
        pages = load.pages_for(args.scenario)
        index = {"jobcoach": 0, "ordinary": 0, "busiest": 1}[user]
        user = pages[index].user
    cookie = load.session_cookie(user)
    app = get_wsgi_application()
    path, _, query = args.path.partition("?")

    def call() -> tuple[str, bytes]:
        environ = {
            "REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query, "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80", "HTTP_HOST": "127.0.0.1", "HTTP_COOKIE": cookie,
            "HTTP_ACCEPT_LANGUAGE": "nl", "HTTP_ACCEPT": "text/html,application/json", "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(b""), "wsgi.errors": sys.stderr, "REMOTE_ADDR": "127.0.0.1",
        }
        status: list[str] = []
        body = b"".join(app(environ, lambda s, headers, exc_info=None: status.append(s)))
        return status[0], body

    status, body = call()
    print(f"{args.path} as {user}: {status}, {len(body)} bytes")
    for _ in range(20):
        call()
    with CaptureQueriesContext(connection) as queries:
        call()
    print(f"queries per request: {len(queries.captured_queries)}")
    if args.sql:
        # Each query's time in the database (as the client waits for it), the median of 21 requests.
        times = [[float(q["time"])] for q in queries.captured_queries]
        for _ in range(20):
            with CaptureQueriesContext(connection) as again:
                call()
            for slot, q in zip(times, again.captured_queries, strict=False):
                slot.append(float(q["time"]))
        chars = int(os.environ.get("SQL_CHARS", "400"))  # how much of each query to print
        for q, slot in zip(queries.captured_queries, times, strict=True):
            print(f"  {statistics.median(slot) * 1000:6.2f} ms  {q['sql'][:chars]}")
    if args.explain and connection.vendor == "postgresql":
        for q in queries.captured_queries:
            if not q["sql"].lstrip().upper().startswith(("SELECT", "WITH", "(")):
                continue
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {q['sql']}")
                plan = [row[0] for row in cursor.fetchall()]
            print(f"\n-- {q['sql'][:160]}")
            print("\n".join(plan))
    started, cpu = time.perf_counter(), time.process_time()
    for _ in range(args.repeat):
        call()
    wall_ms = (time.perf_counter() - started) * 1000 / args.repeat
    cpu_ms = (time.process_time() - cpu) * 1000 / args.repeat
    print(f"mean {wall_ms:.2f} ms per request, of which {cpu_ms:.2f} ms CPU in this process ({args.repeat} calls)")
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.repeat):
            call()
        profiler.disable()
        stats = pstats.Stats(profiler).sort_stats(args.sort)
        if args.callers:
            stats.print_callers(args.callers)
        else:
            stats.print_stats(args.top)


if __name__ == "__main__":
    main()
