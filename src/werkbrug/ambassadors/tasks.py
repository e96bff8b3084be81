"""Background work: reminders at 75 % and escalation at the deadline (every few minutes).

Run by Celery beat (`werkbrug.ambassadors.tasks.process_deadlines`) or, without Celery, from cron
with `werkbrug ambassador_deadlines`.
"""

from celery import shared_task

from .services import questions_process_due


@shared_task(name="werkbrug.ambassadors.tasks.process_deadlines")
def process_deadlines() -> dict[str, int]:
    return questions_process_due()
