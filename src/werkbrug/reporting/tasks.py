"""The monthly report: on the first of each month (CELERY_BEAT_SCHEDULE, and the demo's scheduler
that reads the same schedule) the subscribers are told that last month's report is ready."""

from celery import shared_task

from .services import monthly_reports_send


@shared_task(name="werkbrug.reporting.tasks.send_monthly_reports")
def send_monthly_reports() -> int:
    return monthly_reports_send()
