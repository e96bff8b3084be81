"""`werkbrug ambassador_deadlines`: send due reminders and escalate overdue questions (for cron)."""

from django.core.management.base import BaseCommand

from werkbrug.ambassadors.services import questions_process_due


class Command(BaseCommand):
    help = "Send reminders at 75 % of the answer time and escalate questions past their deadline."

    def handle(self, *args, **options):
        counts = questions_process_due()
        self.stdout.write(
            f"reminded {counts['reminded']}, escalated {counts['escalated']}, rerouted {counts['rerouted']}"
        )
