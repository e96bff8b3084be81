"""`werkbrug demo`: load the demo region (idempotent), or add N synthetic clients for benchmarks."""

from __future__ import annotations

import importlib
import random
import time
from importlib.util import find_spec

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from werkbrug.core.demo import DEMO_PASSWORD, load_region
from werkbrug.core.models import DemoLoad

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
        parser.add_argument("--clients", type=int, default=0, help="add N synthetic clients (bulk)")
        parser.add_argument("--quiet", action="store_true")

    def handle(self, *args, seed: int, clients: int, quiet: bool, **options):
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
        if clients:
            if clients < 0:
                raise CommandError("--clients must be positive")
            from werkbrug.clients.demo import bulk_clients

            made = bulk_clients(region, clients, random.Random(f"{seed}:bulk:{clients}"))
            self.stdout.write(f"  {made} synthetic clients added")
        if not quiet:
            self.stdout.write(
                self.style.SUCCESS(f"Demo region '{region.name}' ready in {time.perf_counter() - started:.1f} s.")
            )
            self.stdout.write("  Sign in with one click at /demo/personas/,")
            self.stdout.write(f"  or with a user name such as demo.admin and the password {DEMO_PASSWORD}")
