"""Background work for evaluation research: the longitudinal schedule's invitations and reminders."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="werkbrug.evaluations.tasks.send_scheduled_questionnaires")
def send_scheduled_questionnaires() -> dict[str, int]:
    """Each half hour (beat); acts inside each region's office hours. Idempotent."""
    from .services.schedules import schedule_run

    return schedule_run()
