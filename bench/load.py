"""Load benchmark: Werkbrug under gunicorn on PostgreSQL, loaded with signed-in requests.

    .venv/bin/python bench/load.py                       # the foundation's pages
    .venv/bin/python bench/load.py --scenario caseload   # caseload and client pages at scale
    .venv/bin/python bench/load.py --concurrency 20 --seconds 20

Everything stays on this machine: the server listens on 127.0.0.1 only, and every request loop
is bounded in count and time. It prints requests/s and p50/p95/p99 latency per page.

The database (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/werkbrug_bench) is
migrated and loaded with the demo region; the caseload scenario adds 100 000 clients and
1 000 000 access-log rows once (it checks what is there and only adds what is missing).

Sessions are made the way a real sign-in makes them, including a confirmed TOTP device, so the
production settings (two factors required) are used unchanged. The policy + access-log overhead
is measured against `bench_urls.py`, which serves the same client record without them.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/werkbrug_bench"

SERVER_ENV = {
    "DJANGO_SETTINGS_MODULE": "bench_settings",
    "SECRET_KEY": "bench-secret-key-only-for-loopback-benchmarks-0123456789abcdef",
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "0",
    "SECURE_COOKIES": "0",
    "HSTS_SECONDS": "0",
    "EMAIL_HOST": "127.0.0.1",
    "WERKBRUG_BASE_URL": "https://werkbrug.bench",
    "ACCESS_LOG_HMAC_KEY": "bench-access-log-key-only-for-loopback-benchmarks",
    "DATABASE_POOL_MAX": "8",
    "CACHE_URL": "redis://127.0.0.1:6379/7",
    "LOG_LEVEL": "ERROR",
}


@dataclass
class Page:
    name: str
    user: str  # username
    paths: list[str]  # cycled through; several ids spread the load over the data


@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    statuses: dict[int, int] = field(default_factory=dict)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def django_setup(database_url: str) -> None:
    os.environ.update(SERVER_ENV)
    os.environ["DATABASE_URL"] = database_url
    sys.path.insert(0, str(BENCH))
    import django

    django.setup()


def prepare(*, clients: int, log_rows: int) -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)  # as a deployment does
    call_command("demo", quiet=True)
    from werkbrug.clients.models import Client

    have = Client.objects.count()
    if clients and have < clients:
        print(f"  adding {clients - have} synthetic clients …", flush=True)
        call_command("demo", clients=clients - have, quiet=True)
    if log_rows:
        fill_access_log(log_rows)
    if clients or log_rows:
        # As autovacuum would after a bulk load: visibility map and statistics up to date.
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def fill_access_log(target: int) -> None:
    """Bring the access log to `target` rows (bulk, with COPY-speed executemany)."""
    from django.db import connection
    from django.utils import timezone

    from werkbrug.clients.models import Client
    from werkbrug.core.access_log import record_mac
    from werkbrug.core.models import AccessLogRecord, User

    have = AccessLogRecord.objects.count()
    if have >= target:
        return
    print(f"  adding {target - have} access-log rows …", flush=True)
    pseudonyms = list(Client.objects.values_list("pseudonym", flat=True)[:100_000])
    actors = list(User.objects.filter(kind="professional").values_list("id", "first_name", "last_name", "region_id"))
    rng = random.Random(7513)
    now = timezone.now().replace(microsecond=0)
    rows = []
    for i in range(target - have):
        actor = rng.choice(actors)
        rows.append((now, "R", "client.view", True, actor[3], actor[0], f"{actor[1]} {actor[2]}", "", "jobcoach", "",
                     rng.choice(pseudonyms), "participation", "clients.client", str(i), "team member",
                     True, True, True, False, "", None))
    columns = ["occurred_at", "code", "action", "granted", "region_id_snapshot", "actor_id_snapshot", "actor_name",
               "actor_organisation", "actor_role", "on_behalf_of", "client_pseudonym", "data_category", "object_type",
               "object_id", "purpose", "check_authorised", "check_relation", "check_consent", "check_emergency",
               "request_id", "ip_address"]
    # Each record carries its own keyed seal, as the application writes it (core/access_log.py).
    rows = [(*row, record_mac(dict(zip(columns, row, strict=True)))) for row in rows]
    columns.append("mac")
    sql = f"INSERT INTO core_accesslogrecord ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 50_000):
            cursor.executemany(sql, rows[start : start + 50_000])
    cursor = connection.cursor()
    cursor.execute("ANALYZE")


def session_cookie(username: str) -> str:
    """The Cookie header of a signed-in, two-factor verified browser of `username`: the session as
    a real sign-in makes it, and the CSRF cookie the first page sets (a browser sends it back;
    without it every page would make and set a new CSRF secret, which no browser causes)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.middleware.csrf import _get_new_csrf_string
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from werkbrug.core.models import User

    user = User.objects.get(username=username)
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="bench", defaults={"confirmed": True})
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "werkbrug.core.auth.WerkbrugModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session["last_activity"] = int(time.time())
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}; {settings.CSRF_COOKIE_NAME}={_get_new_csrf_string()}"


def start_server(port: int, database_url: str, workers: int, threads: int, worker_class: str = "gthread") -> subprocess.Popen:
    env = {**os.environ, **SERVER_ENV, "DATABASE_URL": database_url,
           "PYTHONPATH": f"{BENCH}:{os.environ.get('PYTHONPATH', '')}"}
    if worker_class == "sync":
        threads = 1  # gunicorn quietly runs a sync worker with more threads as gthread
    command = [
        # the gunicorn beside the Python that runs the benchmark (the repository's .venv in `make`)
        str(Path(sys.executable).parent / "gunicorn"), "werkbrug.wsgi", "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers), "--worker-class", worker_class, "--threads", str(threads),
        "--keep-alive", "30", "--log-level", "warning",
    ]
    server = subprocess.Popen(command, env=env, cwd=ROOT)  # noqa: S603
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/health")
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit("the server did not start")


_SERVICE_PROCESSES = {"postgres", "redis-server"}


def server_cpu_seconds(server_pid: int, database: str | None = None) -> float:
    """CPU time (user + system) used so far by the server side: gunicorn's master and workers, and
    every PostgreSQL and Redis process; the load generator is not counted. A second view of the
    overhead next to requests per second; on a busy virtual machine it drifts too. With
    `database`, only the PostgreSQL backends connected to that database count beside gunicorn:
    this server's own work, whatever else a shared machine runs."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes().decode(errors="replace") if database else ""
        except OSError:
            continue  # the process ended meanwhile
        comm = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        ppid, utime, stime = int(fields[1]), int(fields[11]), int(fields[12])
        if database:
            service = cmdline.startswith("postgres:") and f" {database} " in cmdline
        else:
            service = comm in _SERVICE_PROCESSES
        if int(entry) == server_pid or ppid == server_pid or service:
            total += utime + stime
    return total / tick


def load(port: int, page: Page, cookie: str, *, concurrency: int, seconds: float, max_requests: int) -> tuple[Result, float]:
    """`concurrency` workers with keep-alive connections, bounded by time and by count."""
    result = Result()
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds
    budget = [max_requests]
    headers = {"Cookie": cookie, "Accept-Language": "nl", "Accept": "text/html,application/json"}

    def worker(index: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        i = index
        while time.perf_counter() < stop_at:
            with lock:
                if budget[0] <= 0:
                    break
                budget[0] -= 1
            path = page.paths[i % len(page.paths)]
            i += concurrency
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                status = 0
            elapsed = time.perf_counter() - started
            with lock:
                result.statuses[status] = result.statuses.get(status, 0) + 1
                if status == 200:
                    result.latencies.append(elapsed)
                else:
                    result.errors += 1
        conn.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(concurrency)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return result, time.perf_counter() - began


WRK_SCRIPT = """
-- Generated by bench/load.py: cycles through the page's paths with the session cookie,
-- stops a connection's thread after its share of the request budget, prints one summary line.
local paths = {%(paths)s}
local headers = {["Cookie"] = "%(cookie)s", ["Accept-Language"] = "nl",
                 ["Accept"] = "text/html,application/json"}
local budget = %(budget)d
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1], headers)
end
response = function(status, hdrs, body)
  budget = budget - 1
  if budget <= 0 then wrk.thread:stop() end
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("WRK %%d %%d %%d %%d %%d %%d %%d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, e.status))
end
"""


def load_wrk(port: int, page: Page, cookie: str, *, concurrency: int, seconds: float, max_requests: int) -> dict:
    """The same load with wrk (a C load generator), which leaves the server more of the CPU."""
    import tempfile

    paths = ", ".join('"' + p.replace('"', '') + '"' for p in page.paths)
    threads = 1  # one event loop drives 20 connections easily and costs the server least CPU
    script = WRK_SCRIPT % {"paths": paths, "cookie": cookie, "budget": max_requests // threads}
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as lua:
        lua.write(script)
        lua.flush()
        out = subprocess.run(  # noqa: S603
            ["wrk", f"-t{threads}", f"-c{concurrency}", f"-d{max(1, round(seconds))}s", "--timeout", "30s",
             "-s", lua.name, f"http://127.0.0.1:{port}"],
            capture_output=True, text=True, check=True,
        ).stdout
    line = next(line for line in out.splitlines() if line.startswith("WRK "))
    requests, duration_us, p50, p95, p99, failed, bad_status = (int(x) for x in line.split()[1:])
    return {
        "requests": requests, "rps": requests / (duration_us / 1e6), "p50": p50 / 1e6, "p95": p95 / 1e6,
        "p99": p99 / 1e6, "errors": failed + bad_status,
    }


def load_threads(port: int, page: Page, cookie: str, *, concurrency: int, seconds: float, max_requests: int) -> dict:
    result, elapsed = load(port, page, cookie, concurrency=concurrency, seconds=seconds, max_requests=max_requests)
    lat = sorted(result.latencies)
    return {
        "requests": len(lat), "rps": len(lat) / elapsed if elapsed else 0, "p50": percentile(lat, 50),
        "p95": percentile(lat, 95), "p99": percentile(lat, 99), "errors": result.errors,
    }


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] if len(values) > 1 else values[0]


def pages_for(scenario: str) -> list[Page]:
    from werkbrug.clients.models import Client
    from werkbrug.core.models import User
    from werkbrug.trajectories.models import Trajectory

    if scenario == "foundation":
        admin = "demo.admin"
        jobcoach_id = Trajectory.objects.order_by("id").values_list("plan_director_id", flat=True).first()
        if jobcoach_id is None:  # the demo has no trajectories yet: add a few synthetic clients
            from django.core.management import call_command

            call_command("demo", clients=100, quiet=True)
            jobcoach_id = Trajectory.objects.order_by("id").values_list("plan_director_id", flat=True).first()
        jobcoach = User.objects.get(pk=jobcoach_id).username
        from werkbrug.core import policy

        own = list(policy.scope(User.objects.get(pk=jobcoach_id), "client.view", Client.objects.all()).values_list("id", flat=True)[:50])
        return [
            Page("home (signed in)", jobcoach, ["/"]),
            Page("API list: organisations", jobcoach, ["/api/v1/organisations/"]),
            Page("API list: people", admin, ["/api/v1/people/"]),
            Page("client record, policy + access log", jobcoach, [f"/api/v1/clients/{pk}/" for pk in own]),
            Page("client record, bare (no policy, no log)", jobcoach, [f"/bench/bare/clients/{pk}/" for pk in own]),
            Page("client page, policy + access log", jobcoach, [f"/clients/{pk}/" for pk in own]),
            Page("client page, bare (no policy, no log)", jobcoach, [f"/bench/bare/client-pages/{pk}/" for pk in own]),
        ]
    if scenario == "caseload":
        # The busiest jobcoach (thousands of clients) and an administrator-like user with a team
        # role in as many trajectories: the same query plans must serve both.
        busiest = (
            Trajectory.objects.values("plan_director_id").order_by().annotate(n=__import__("django").db.models.Count("id"))
            .order_by("-n").first()
        )
        ordinary = (
            Trajectory.objects.values("plan_director_id").order_by().annotate(n=__import__("django").db.models.Count("id"))
            .order_by("n").first()
        )
        big = User.objects.get(pk=busiest["plan_director_id"]).username
        small = User.objects.get(pk=ordinary["plan_director_id"]).username
        big_clients = list(Client.objects.filter(trajectories__plan_director__username=big).values_list("id", flat=True)[:200])
        small_clients = list(Client.objects.filter(trajectories__plan_director__username=small).values_list("id", flat=True)[:200])
        return [
            Page(f"caseload, ordinary professional ({ordinary['n']} clients)", small, ["/trajectories/", "/trajectories/?page=2", "/trajectories/?q=de"]),
            Page(f"caseload, busiest professional ({busiest['n']} clients)", big, ["/trajectories/", "/trajectories/?page=2", "/trajectories/?q=de"]),
            Page("client page, ordinary professional", small, [f"/clients/{pk}/" for pk in small_clients]),
            Page("client page, busiest professional", big, [f"/clients/{pk}/" for pk in big_clients]),
        ]
    raise SystemExit(f"unknown scenario {scenario!r}")


# (with the policy and the access log, the same without them): the API's client record and the
# client's web page.
PAIRS = [
    ("client record, policy + access log", "client record, bare (no policy, no log)"),
    ("client page, policy + access log", "client page, bare (no policy, no log)"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scenario", choices=["foundation", "caseload"], default="foundation")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--max-requests", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4, help="per gthread worker (a sync worker has one)")
    parser.add_argument("--clients", type=int, default=None, help="synthetic clients (caseload default 100000)")
    parser.add_argument("--log-rows", type=int, default=None, help="access-log rows (caseload default 1000000)")
    # Sync workers take requests from one shared queue, one at a time, which keeps the tail short
    # on two cores: gthread workers juggling several requests under one GIL hand it over a
    # hundred times per request (futex calls) and gave a p95 half as long again. Until
    # 4 December 2026 "sync" was started with --threads 4, which gunicorn runs as gthread.
    parser.add_argument("--worker-class", choices=["gthread", "sync"], default="sync")
    parser.add_argument("--only", default="", help="measure only the pages whose name contains this")
    parser.add_argument("--rounds", type=int, default=5,
                        help="alternating rounds of the two client-record pages for the overhead (0: none)")
    parser.add_argument("--generator", choices=["auto", "wrk", "threads"], default="auto",
                        help="wrk (apt install wrk) when installed, else Python threads")
    args = parser.parse_args()

    ensure_database(args.database_url)
    django_setup(args.database_url)
    big = args.scenario == "caseload"
    prepare(
        clients=args.clients if args.clients is not None else (100_000 if big else 0),
        log_rows=args.log_rows if args.log_rows is not None else (1_000_000 if big else 0),
    )
    pages = [page for page in pages_for(args.scenario) if args.only in page.name]
    cookies = {page.user: session_cookie(page.user) for page in pages}
    from django.db import connections

    connections.close_all()
    port = free_port()
    server = start_server(port, args.database_url, args.workers, args.threads, args.worker_class)
    import shutil

    generator = args.generator if args.generator != "auto" else ("wrk" if shutil.which("wrk") else "threads")
    run = load_wrk if generator == "wrk" else load_threads
    shape = f"{args.workers} {args.worker_class} workers" + (
        f" × {args.threads} threads" if args.worker_class == "gthread" else "")
    print(f"\nWerkbrug load benchmark — scenario {args.scenario}, gunicorn {shape}, concurrency {args.concurrency}, {args.seconds:.0f} s per page, "
          f"{os.cpu_count()} CPUs, load generator: {generator}\n")
    print(f"{'page':58} {'requests':>8} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>6}")
    figures = {}
    try:
        for page in pages:
            # Warm up caches and connection pools, then measure.
            run(port, page, cookies[page.user], concurrency=4, seconds=2, max_requests=200)
            r = run(port, page, cookies[page.user], concurrency=args.concurrency,
                    seconds=args.seconds, max_requests=args.max_requests)
            figures[page.name] = (r["rps"], r["p95"])
            print(f"{page.name:58} {r['requests']:8d} {r['rps']:8.1f} {r['p50'] * 1000:8.1f} "
                  f"{r['p95'] * 1000:8.1f} {r['p99'] * 1000:8.1f} {r['errors']:6d}")
    finally:
        server.terminate()
        server.wait(timeout=20)
    by_name = {page.name: page for page in pages}
    for with_name, bare_name in PAIRS:
        if with_name in by_name and bare_name in by_name and args.rounds:
            overhead_rounds(args, port, run, cookies, by_name[with_name], by_name[bare_name])


def overhead_rounds(args, port, run, cookies, with_policy: Page, bare: Page) -> None:
    """The two pages of a pair measured one after the other differ by whatever else the machine
    does in between; short alternating rounds cancel most of that. Prints each round and the
    median overhead of the rounds (each round compares two neighbouring measurements)."""
    server = start_server(port, args.database_url, args.workers, args.threads, args.worker_class)
    rounds: dict[str, list[tuple[float, float, float]]] = {with_policy.name: [], bare.name: []}
    try:
        # Warm both pages up first, as the single-page runs do: the new server's workers open their
        # database connections and compile their templates on their first requests, which made the
        # first round's overhead 39 % in every run, whatever the code.
        for page in (with_policy, bare):
            run(port, page, cookies[page.user], concurrency=4, seconds=2, max_requests=200)
        for _ in range(args.rounds):
            for page in (with_policy, bare):
                cpu = server_cpu_seconds(server.pid)
                r = run(port, page, cookies[page.user], concurrency=args.concurrency,
                        seconds=args.seconds / 2, max_requests=args.max_requests)
                cpu = server_cpu_seconds(server.pid) - cpu
                rounds[page.name].append((r["rps"], r["p95"], cpu / max(r["requests"], 1)))
    finally:
        server.terminate()
        server.wait(timeout=20)
    for name, values in rounds.items():
        print(f"{name} — {args.rounds} alternating rounds: " + ", ".join(f"{v[0]:.0f}" for v in values) + " req/s")
    per_round = [(b[0] - w[0]) / b[0] * 100 for w, b in zip(rounds[with_policy.name], rounds[bare.name], strict=True) if b[0]]
    # Per page, the medians of (req/s, p95, CPU per request) over the rounds.
    (w_rps, w_p95, w_cpu), (b_rps, b_p95, b_cpu) = (
        [statistics.median(column) for column in zip(*rounds[page.name], strict=True)] for page in (with_policy, bare))
    label = with_policy.name.split(",")[0]
    print(f"policy + access-log overhead, {label}: {statistics.median(per_round):.1f} % of throughput "
          f"(median of the rounds: " + ", ".join(f"{x:.0f}" for x in per_round) + f" %; medians {w_rps:.0f} vs {b_rps:.0f} req/s, "
          f"p95 {w_p95 * 1000:.1f} vs {b_p95 * 1000:.1f} ms)")
    print(f"policy + access-log overhead, {label}: {(w_cpu - b_cpu) / b_cpu * 100:.1f} % of server CPU "
          f"per request ({w_cpu * 1000:.2f} vs {b_cpu * 1000:.2f} ms, app + PostgreSQL + Redis, medians of the rounds)\n")


def ensure_database(database_url: str) -> None:
    """Create the benchmark database when it does not exist yet."""
    import psycopg

    name = database_url.rsplit("/", 1)[1]
    admin_url = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


if __name__ == "__main__":
    main()
