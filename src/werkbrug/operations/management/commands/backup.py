from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from werkbrug.operations.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Back up the PostgreSQL database (pg_dump, custom format) and the uploaded documents into "
        "one archive with a manifest of versions, migrations and checksums. See docs/operations.md."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "output", nargs="?",
            help="the archive to write (default: werkbrug-backup-<UTC time>.tar in the current folder)",
        )

    def handle(self, *args, **options):
        output = Path(options["output"] or f"werkbrug-backup-{timezone.now():%Y%m%dT%H%M%SZ}.tar")
        try:
            manifest = backup_create(output=output)
        except BackupError as error:
            raise CommandError(str(error)) from error
        files = len(manifest["members"]) - 1
        self.stdout.write(
            f"{output}: database {manifest['database']} ({len(manifest['migrations'])} migrations applied) "
            f"and {files} documents"
        )
