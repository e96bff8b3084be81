from django.core.management.base import BaseCommand, CommandError

from werkbrug.core.access_log import access_log_verify


class Command(BaseCommand):
    help = "Verify the access log's hash chain: finds records altered or removed outside the app."

    def handle(self, *args, **options):
        result = access_log_verify()
        for problem in result.problems:
            self.stderr.write(problem)
        self.stdout.write(
            f"checked {result.checked} sealed records, {result.unsealed} not yet sealed, "
            f"{len(result.problems)} problems"
        )
        if not result.ok:
            raise CommandError("the access log has been tampered with")
