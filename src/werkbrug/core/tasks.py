from celery import shared_task

from .access_log import access_log_anchor, access_log_seal


@shared_task(name="werkbrug.core.tasks.seal_access_log")
def seal_access_log() -> int:
    return access_log_seal()


@shared_task(name="werkbrug.core.tasks.anchor_access_log")
def anchor_access_log() -> int | None:
    """Copy the newest seal out of the database (ACCESS_LOG_ANCHOR_PATH, and mail); hourly."""
    access_log_seal()
    anchor = access_log_anchor()
    return anchor["record_id"] if anchor else None
