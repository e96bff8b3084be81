from django.core.management.base import BaseCommand

from werkbrug.core.access_log import access_log_anchor, access_log_seal


class Command(BaseCommand):
    help = (
        "Seal new access-log records into the keyed chain (also runs every minute as a task); "
        "with --anchor also copy the newest seal to the anchor file (hourly as a task)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--anchor", action="store_true", help="append the newest seal to the anchor file")

    def handle(self, *args, **options):
        self.stdout.write(f"sealed {access_log_seal()} records")
        if options["anchor"]:
            anchor = access_log_anchor()
            if anchor is None:
                self.stdout.write("nothing sealed yet: no anchor written")
            else:
                self.stdout.write(f"anchored record {anchor['record_id']}: {anchor['hash']}")
