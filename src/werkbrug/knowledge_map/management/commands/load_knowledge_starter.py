"""`werkbrug load_knowledge_starter [--region SLUG]`: add the national starter items to a region."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from werkbrug.core.models import Region
from werkbrug.knowledge_map.services import region_sync, starter_load


class Command(BaseCommand):
    help = "Add the starter set of national knowledge items (and the region's organisations and ambassadors)."

    def add_arguments(self, parser):
        parser.add_argument("--region", help="region slug (default: every region)")
        parser.add_argument("--no-sync", action="store_true", help="do not mirror organisations and ambassadors")

    def handle(self, *args, region: str | None, no_sync: bool, **options):
        regions = Region.objects.all() if not region else Region.objects.filter(slug=region)
        if not regions.exists():
            raise CommandError(f"no region {region!r}" if region else "there are no regions yet")
        for r in regions:
            try:
                result = starter_load(region=r)
            except ValidationError as exc:
                raise CommandError("; ".join(exc.messages)) from exc
            line = f"{r.slug}: {result.created} items and {result.relations} relations added"
            if not no_sync:
                counts = region_sync(region=r)
                line += f"; {counts['organisations']} organisations, {counts['ambassadors']} ambassadors mirrored"
            self.stdout.write(line)
