from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from werkbrug.operations.backup import BackupError, backup_restore, backup_verify


class Command(BaseCommand):
    help = (
        "Restore a `werkbrug backup` archive into an empty PostgreSQL database and put the "
        "uploaded documents back. Checks every checksum first. See docs/operations.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--check", action="store_true",
                            help="only check the archive's checksums; change nothing")

    def handle(self, *args, **options):
        path = Path(options["archive"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            if options["check"]:
                manifest = backup_verify(archive_path=path)
                self.stdout.write(f"{path}: {len(manifest['members'])} members, every checksum matches")
                return
            restored = backup_restore(archive_path=path)
        except BackupError as error:
            raise CommandError(str(error)) from error
        manifest = restored.manifest
        self.stdout.write(
            f"restored database {manifest['database']} of {manifest['created_at']} and {restored.files} "
            "documents. Next: `werkbrug verify_access_log`, then `werkbrug migrate` if this code is newer."
        )
