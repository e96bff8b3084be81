"""`werkbrug escalate_signals`: escalate urgent signals nobody acknowledged in time (for cron)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from werkbrug.collaboration.services import signals_escalate


class Command(BaseCommand):
    help = "Escalate urgent signals that nobody acknowledged in time to the plan director. Safe to run often."

    def handle(self, *args, **options):
        escalated = signals_escalate()
        self.stdout.write(f"{len(escalated)} signal(s) escalated")
