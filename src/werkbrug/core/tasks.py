from celery import shared_task

from .access_log import access_log_seal


@shared_task(name="werkbrug.core.tasks.seal_access_log")
def seal_access_log() -> int:
    return access_log_seal()
