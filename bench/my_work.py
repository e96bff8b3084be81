"""Benchmark: the signed-in home page with "my work" for the busiest professional (10 000 clients).

    .venv/bin/python bench/my_work.py                        # 100 000 clients, 8 s per page
    .venv/bin/python bench/my_work.py --seconds 5 --concurrency 10
    .venv/bin/python bench/my_work.py --seconds 5 --no-prepare   # the database is ready: measure only

Reuses `bench/load.py`: its database (migrated, the demo region, synthetic clients in bulk; the
busiest plan director gets about a tenth of them), its signed-in two-factor sessions, gunicorn
with the production settings and its load generator (wrk when installed). The access log is not
filled (the page writes one record per request either way).

The bulk clients' consent events are dated 60 days back (`age_bulk_consent`: inserted "now",
every one of 10 000 clients would show as "consent changed" to the plan director). Open work is
added once for the busiest and for an ordinary professional, in bulk: in up to
`--open-work` of their trajectories a signal to acknowledge (with the client's consent for
signals), a plan version waiting for their agreement and an open action of theirs. Then, per
professional, it prints the queries one request makes (in-process) and requests/s and
p50/p95/p99 for
- the home page with "my work" (`/`),
- the same page without it (`/bench/bare/home/`, `bench_urls.py`: the page before "my work"),
- another page with the navigation's counts of open work (`/notifications/`),
- the caseload (`/trajectories/`), the heaviest page the same person opens.

The machine is shared: keep runs short (`--seconds`), and compare figures of one run only.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import load  # noqa: E402

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/werkbrug_bench_my_work"
SYNTHETIC = "Synthetisch signaal voor de benchmark."


def age_bulk_consent(*, since_days: int = 60) -> int:
    """The bulk clients' consent events carry the moment they were inserted, so every one of them
    counts as "consent changed in the last two weeks" on the plan director's list. A real
    caseload's consent was mostly recorded when its trajectory started, long ago: date the bulk
    events `since_days` back (once). The open work added below records fresh consent for signals
    in the trajectories it uses, so those do show as changed."""
    from datetime import datetime, time

    from django.db.models import Max
    from django.utils import timezone

    from werkbrug.clients.demo import BULK_CATEGORIES
    from werkbrug.clients.models import ConsentEvent

    bulk = ConsentEvent.objects.filter(evidence="Toestemmingsformulier", category__in=BULK_CATEGORIES)
    newest = bulk.aggregate(m=Max("recorded_at"))["m"]
    limit = timezone.now() - timedelta(days=since_days)
    if newest is None or newest < limit:
        return 0
    day = timezone.localdate(limit) - timedelta(days=1)  # before `limit`, so a second run finds nothing to do
    return bulk.filter(recorded_at__gt=limit).update(
        recorded_at=timezone.make_aware(datetime.combine(day, time(10))))


def add_open_work(username: str, n: int, rng: random.Random) -> int:
    """Signals, plan versions waiting for agreement and open actions for `username` (once)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from werkbrug.clients.models import ConsentEvent, ConsentState
    from werkbrug.collaboration.models import Signal, SignalRecipient
    from werkbrug.core.choices import DataCategory
    from werkbrug.core.models import User
    from werkbrug.plans.models import Action, Goal, Plan, PlanVersion
    from werkbrug.trajectories.models import TeamMembership, Trajectory

    person = User.objects.get(username=username)
    if Signal.objects.filter(text=SYNTHETIC, recipients__person=person).exists():
        return 0
    now = timezone.now()
    today = timezone.localdate(now)
    trajectories = list(Trajectory.objects.filter(plan_director=person, status="active", plan__isnull=True)
                        .select_related("client").order_by("pk")[:n])
    others = {m.trajectory_id: m.person_id for m in TeamMembership.objects.filter(
        trajectory__in=trajectories, left_at__isnull=True).exclude(person=person)}
    trajectories = [t for t in trajectories if t.pk in others]
    with transaction.atomic():
        events = ConsentEvent.objects.bulk_create([
            ConsentEvent(client=t.client, organisation_id=person.organisation_id, category=DataCategory.SIGNALS,
                         kind="grant", method="paper", recorded_at=now - timedelta(days=rng.randint(0, 13)),
                         recorded_by=person, evidence="Toestemmingsformulier") for t in trajectories])
        ConsentState.objects.bulk_create([
            ConsentState(client=t.client, organisation_id=person.organisation_id, category=DataCategory.SIGNALS,
                         granted=True, last_event=e) for t, e in zip(trajectories, events, strict=True)],
            ignore_conflicts=True)
        signals = Signal.objects.bulk_create([
            Signal(trajectory=t, author_id=others[t.pk], category="debts", urgency=rng.choice(["normal", "urgent"]),
                   text=SYNTHETIC, created_at=now - timedelta(hours=rng.randint(1, 400)))
            for t in trajectories])
        SignalRecipient.objects.bulk_create([SignalRecipient(signal=s, person=person) for s in signals])
        plans = Plan.objects.bulk_create([Plan(trajectory=t) for t in trajectories])
        versions = PlanVersion.objects.bulk_create([
            PlanVersion(plan=p, number=1, created_by_id=others[p.trajectory_id], created_at=now - timedelta(days=2),
                        submitted_at=now - timedelta(days=1)) for p in plans])
        for plan, version in zip(plans, versions, strict=True):
            plan.current_version = version
        Plan.objects.bulk_update(plans, ["current_version"])
        goals = Goal.objects.bulk_create([Goal(version=v, title="Werk vinden") for v in versions])
        Action.objects.bulk_create([
            Action(version=g.version, goal=g, title="Werkgever bellen", owner=person,
                   due_on=today + timedelta(days=rng.randint(-10, 30))) for g in goals])
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return len(trajectories)


def queries_per_request(cookie: str, path: str) -> int:
    """The queries one request makes, in-process (as `bench/profile_request.py` counts them)."""
    from django.core.wsgi import get_wsgi_application
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    app = get_wsgi_application()
    environ = {
        "REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "", "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80", "HTTP_HOST": "127.0.0.1", "HTTP_COOKIE": cookie, "HTTP_ACCEPT_LANGUAGE": "nl",
        "HTTP_ACCEPT": "text/html", "wsgi.url_scheme": "http", "wsgi.errors": sys.stderr, "REMOTE_ADDR": "127.0.0.1",
    }
    status: list[str] = []
    for _ in range(2):  # warm: the session and the signed-in person
        b"".join(app({**environ, "wsgi.input": io.BytesIO(b"")}, lambda s, h, e=None: status.append(s)))
    with CaptureQueriesContext(connection) as queries:
        b"".join(app({**environ, "wsgi.input": io.BytesIO(b"")}, lambda s, h, e=None: status.append(s)))
    if not status[-1].startswith("200"):
        raise SystemExit(f"{path}: {status[-1]}")
    return len(queries.captured_queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_MY_WORK_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--clients", type=int, default=100_000, help="synthetic clients (the busiest gets ~1/10)")
    parser.add_argument("--open-work", type=int, default=2_000, help="trajectories with open work per professional")
    parser.add_argument("--concurrency", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--max-requests", type=int, default=5_000)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--generator", choices=["auto", "wrk", "threads"], default="auto")
    parser.add_argument("--no-prepare", action="store_true",
                        help="skip the preparation (migrate, demo, bulk clients): the database is ready")
    args = parser.parse_args()

    load.ensure_database(args.database_url)
    load.django_setup(args.database_url)
    if not args.no_prepare:
        load.prepare(clients=args.clients, log_rows=0)
    aged = age_bulk_consent()
    if aged:
        print(f"  dated {aged} bulk consent events 60 days back (see age_bulk_consent)")
    from django.db.models import Count

    from werkbrug.collaboration.models import SignalRecipient
    from werkbrug.core.models import User
    from werkbrug.trajectories.models import Trajectory

    per_director = Trajectory.objects.values("plan_director_id").order_by().annotate(n=Count("id"))
    busiest, ordinary = per_director.order_by("-n").first(), per_director.order_by("n").first()
    people = []
    for label, row in (("busiest", busiest), ("ordinary", ordinary)):
        username = User.objects.get(pk=row["plan_director_id"]).username
        added = add_open_work(username, args.open_work, random.Random(f"my-work:{username}"))
        open_signals = SignalRecipient.objects.filter(person__username=username, acknowledged_at__isnull=True).count()
        print(f"{label} professional {username}: {row['n']} clients, open work in {open_signals} trajectories"
              + (f" (added {added} now)" if added else ""))
        people.append((f"{label} ({row['n']} clients)", username))

    paths = [("home with my work", "/"), ("home without my work (bare)", "/bench/bare/home/"),
             ("another page, navigation counts", "/notifications/"), ("caseload", "/trajectories/")]
    cookies = {username: load.session_cookie(username) for _label, username in people}
    queries = {(u, p): queries_per_request(cookies[u], p) for _l, u in people for _n, p in paths}
    from django.db import connections

    connections.close_all()
    port = load.free_port()
    server = load.start_server(port, args.database_url, args.workers, 1, "sync")
    import shutil

    generator = args.generator if args.generator != "auto" else ("wrk" if shutil.which("wrk") else "threads")
    run = load.load_wrk if generator == "wrk" else load.load_threads
    print(f"\nWerkbrug my-work benchmark — gunicorn {args.workers} sync workers, concurrency {args.concurrency}, "
          f"{args.seconds:.0f} s per page, {os.cpu_count()} CPUs, load generator: {generator}\n")
    print(f"{'page':62} {'queries':>7} {'requests':>8} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>6}")
    try:
        for label, username in people:
            for name, path in paths:
                page = load.Page(f"{name}, {label}", username, [path])
                run(port, page, cookies[username], concurrency=4, seconds=1, max_requests=100)  # warm up
                r = run(port, page, cookies[username], concurrency=args.concurrency, seconds=args.seconds,
                        max_requests=args.max_requests)
                print(f"{page.name:62} {queries[(username, path)]:7d} {r['requests']:8d} {r['rps']:8.1f} "
                      f"{r['p50'] * 1000:8.1f} {r['p95'] * 1000:8.1f} {r['p99'] * 1000:8.1f} {r['errors']:6d}", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=20)


if __name__ == "__main__":
    main()
