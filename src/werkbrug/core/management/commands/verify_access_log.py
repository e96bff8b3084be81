from django.core.management.base import BaseCommand, CommandError

from werkbrug.core.access_log import access_log_verify


class Command(BaseCommand):
    help = (
        "Verify the access log: each record's own seal, the keyed chain, gaps in the ids, records "
        "left unsealed, and the chain against the anchors kept outside the database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--anchors", help="the anchor file (default: ACCESS_LOG_ANCHOR_PATH)")

    def handle(self, *args, **options):
        result = access_log_verify(anchors_path=options.get("anchors"))
        for problem in result.problems:
            self.stderr.write(problem)
        for gap in result.gaps:
            self.stderr.write(gap)
        for note in result.notes:
            self.stdout.write(note)
        self.stdout.write(
            f"checked {result.checked} sealed records against {result.anchors} anchors, "
            f"{result.unsealed} not yet sealed, {len(result.problems)} problems, {len(result.gaps)} gaps"
        )
        if not result.ok:
            raise CommandError("the access log has been tampered with")
