from django.core.management.base import BaseCommand, CommandError

from werkbrug.core.access_log_partitions import (
    access_log_partitions,
    access_log_partitions_ensure,
    access_log_retention,
    partitioned,
)


class Command(BaseCommand):
    help = (
        "The access log's monthly partitions on PostgreSQL: list them, create the coming months' "
        "(--ensure, also a daily task), or detach the months past retention (--retention, also a "
        "monthly task) after verifying the chain."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--ensure", action="store_true", help="create the partitions of the coming months"
        )
        parser.add_argument(
            "--retention", action="store_true", help="detach the months past retention"
        )
        parser.add_argument(
            "--archive",
            help="folder for the detached months as .csv.gz (default ACCESS_LOG_ARCHIVE_DIR)",
        )
        parser.add_argument(
            "--drop",
            action="store_true",
            default=None,
            help="drop each detached table (after archiving it, with --archive)",
        )

    def handle(
        self,
        *args,
        ensure: bool,
        retention: bool,
        archive: str | None,
        drop: bool | None,
        **options,
    ):
        if not partitioned():
            self.stdout.write("the access log is not partitioned here (PostgreSQL only)")
            return
        if ensure:
            created = access_log_partitions_ensure()
            self.stdout.write(
                f"created {len(created)} partitions"
                + (f": {', '.join(created)}" if created else "")
            )
        if retention:
            result = access_log_retention(archive_dir=archive, drop=drop)
            if result.refused:
                raise CommandError(f"retention refused: {result.refused}")
            self.stdout.write(
                f"records before {result.before:%Y-%m-%d}: {len(result.detached)} partitions detached "
                f"({result.records} records), {len(result.archived)} archived, {len(result.dropped)} dropped"
            )
        if not (ensure or retention):
            for partition in access_log_partitions():
                span = (
                    "default"
                    if partition.default
                    else (
                        f"{partition.lower:%Y-%m-%d} – {partition.upper:%Y-%m-%d}"
                        if partition.lower
                        else f"… – {partition.upper:%Y-%m-%d}"
                    )
                )
                self.stdout.write(f"{partition.name:48} {span}")
