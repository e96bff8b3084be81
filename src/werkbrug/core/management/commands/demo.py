"""`werkbrug demo`: load the demo region (idempotent), or add N synthetic clients for benchmarks.

At national size (`--regions 35 --clients 1000000 --log-rows 20000000`, core/demo_national.py) the
counts are totals: what is there is counted and only the rest is added. It prints the time taken
and the peak memory (resident set) of the process.
"""

from __future__ import annotations

import importlib
import os
import random
import resource
import sys
import time
from importlib.util import find_spec

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from werkbrug.core.demo import DEMO_PASSWORD, load_region
from werkbrug.core.models import DemoLoad

# The log's records are made and sealed by this many worker processes beside the one that chains
# and writes them (docs/benchmarks.md, "National size"): as many as there are cores, since the
# chaining process and PostgreSQL's side of the load need less than a core between them.
WORKERS = os.cpu_count() or 1

# Module demo loaders, in dependency order: clients and trajectories before the rest.
LOADERS = [
    "clients",
    "trajectories",
    "plans",
    "collaboration",
    "employment",
    "portal",
    "ambassadors",
    "experience_experts",
    "knowledge_map",
    "evaluations",
    "appointments",
    "notifications",
    "casefile",
    "administration",
    "interchange",
    "reporting",
]


class Command(BaseCommand):
    help = "Load the demo region (running it twice changes nothing), or add synthetic clients."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--clients", type=int, default=0,
                            help="add N synthetic clients to the demo region (bulk); with --regions: "
                                 "bring the clients to N in all, spread over the regions")
        parser.add_argument("--regions", type=int, default=0,
                            help="national size: this many regions in all (the demo region and more)")
        parser.add_argument("--log-rows", type=int, default=0,
                            help="bring the access log to N records, spread over five years, sealed")
        parser.add_argument("--workers", type=int, default=WORKERS,
                            help="national size on PostgreSQL: processes that load regions' clients "
                                 "side by side, and that make and seal the log's records beside "
                                 f"this one (0: none; default {WORKERS})")
        parser.add_argument("--quiet", action="store_true")

    def handle(self, *args, seed: int, clients: int, regions: int, log_rows: int, workers: int, quiet: bool,
               **options):
        started = time.perf_counter()
        region = load_region(seed=seed)
        for name in LOADERS:
            module_name = f"werkbrug.{name}.demo"
            if find_spec(f"werkbrug.{name}") is None or find_spec(module_name) is None:
                continue
            if DemoLoad.objects.filter(name=name).exists():
                continue
            module = importlib.import_module(module_name)
            if not hasattr(module, "load"):
                continue
            began = time.perf_counter()
            with transaction.atomic():
                module.load(region, random.Random(f"{seed}:{name}"))
                DemoLoad.objects.create(name=name)
            if not quiet:
                self.stdout.write(f"  demo data loaded: {name} ({time.perf_counter() - began:.1f} s)")
        if clients < 0 or regions < 0 or log_rows < 0:
            raise CommandError("--clients, --regions and --log-rows must be positive")
        if regions or log_rows:
            self._national(regions=regions, clients=clients, log_rows=log_rows, seed=seed, workers=workers,
                           started=started)
        elif clients:
            from werkbrug.clients.demo import bulk_clients

            made = bulk_clients(region, clients, random.Random(f"{seed}:bulk:{clients}"))
            self.stdout.write(f"  {made} synthetic clients added")
        if not quiet:
            self.stdout.write(
                self.style.SUCCESS(f"Demo region '{region.name}' ready in {time.perf_counter() - started:.1f} s.")
            )
            self.stdout.write("  Sign in with one click at /demo/personas/,")
            self.stdout.write(f"  or with a user name such as demo.admin and the password {DEMO_PASSWORD}")

    def _national(
        self, *, regions: int, clients: int, log_rows: int, seed: int, workers: int, started: float
    ) -> None:
        from werkbrug.core import demo_national

        def progress(message: str) -> None:
            self.stdout.write(f"  [{time.perf_counter() - started:7.1f} s, {_peak_rss_mb():6.0f} MB] {message}")
            self.stdout.flush()

        if regions:
            region_list = demo_national.national_regions(regions, seed=seed, progress=progress)
            step = time.perf_counter()
            if clients:
                made = demo_national.national_clients(
                    region_list, clients, seed=seed, progress=progress, workers=workers
                )
                progress(f"{made} clients added over {len(region_list)} regions in {time.perf_counter() - step:.1f} s")
        if log_rows:
            step = time.perf_counter()
            made = demo_national.national_access_log(log_rows, seed=seed, progress=progress, workers=workers)
            progress(f"{made} access-log records added in {time.perf_counter() - step:.1f} s")
        if connection.vendor == "postgresql":
            step = time.perf_counter()
            demo_national.national_statistics()  # as autovacuum would, later: plans need them now
            progress(f"statistics updated in {time.perf_counter() - step:.1f} s")
        self.stdout.write(
            f"National demo: {time.perf_counter() - started:.1f} s, peak memory {_peak_rss_mb():.0f} MB (resident)"
        )


def _peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 / 1024 if sys.platform == "darwin" else peak / 1024  # bytes on macOS, KiB on Linux
