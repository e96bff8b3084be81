from celery import shared_task

from .services import actions_remind


@shared_task(name="werkbrug.plans.tasks.remind_actions")
def remind_actions() -> int:
    """Daily at the office's opening: actions due tomorrow, and actions overdue since yesterday."""
    return actions_remind()
