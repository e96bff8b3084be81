"""`werkbrug apply_retention [--dry-run] [--region SLUG]`: erase closed files whose retention
period has passed (see `trajectories/retention.py`); with --dry-run, list them and change nothing."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from werkbrug.core.models import Region
from werkbrug.trajectories.retention import retention_run


class Command(BaseCommand):
    help = ("Erase closed trajectories whose retention period has passed and anonymise their clients "
            "(AVG art. 5(1)(e); care data 20 years, WGBO art. 7:454). --dry-run lists what would happen.")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List what would be erased; change nothing.")
        parser.add_argument("--region", help="Only this region (its slug).")

    def handle(self, *args, dry_run: bool = False, region: str | None = None, **options):
        chosen = None
        if region:
            chosen = Region.objects.filter(slug=region).first()
            if chosen is None:
                raise CommandError(f"no region {region!r}")
        items = retention_run(dry_run=dry_run, region=chosen)
        verb = "would erase" if dry_run else "erased"
        for item in items:
            counts = ", ".join(f"{label}: {n}" for label, n in sorted(item.counts.items())) or "nothing else"
            self.stdout.write(
                f"{item.client_pseudonym} trajectory {item.trajectory_id}: closed {item.closed_on:%Y-%m-%d}, "
                f"{item.period_years} years ({', '.join(item.categories)}), due {item.due_on:%Y-%m-%d}; "
                f"{verb} {counts}{'; client anonymised' if item.client_anonymised else ''}")
        self.stdout.write(f"{len(items)} trajectory file(s) {verb}" + (" (dry run: nothing changed)" if dry_run else ""))
