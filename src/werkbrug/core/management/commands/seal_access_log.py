from django.core.management.base import BaseCommand

from werkbrug.core.access_log import access_log_seal


class Command(BaseCommand):
    help = "Seal new access-log records into the hash chain (also runs every minute as a task)."

    def handle(self, *args, **options):
        self.stdout.write(f"sealed {access_log_seal()} records")
