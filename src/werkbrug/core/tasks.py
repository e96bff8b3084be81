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


@shared_task(name="werkbrug.core.tasks.create_access_log_partitions")
def create_access_log_partitions() -> list[str]:
    """The access log's partitions of the coming months (PostgreSQL); daily."""
    from .access_log_partitions import access_log_partitions_ensure

    return access_log_partitions_ensure()


@shared_task(name="werkbrug.core.tasks.apply_access_log_retention")
def apply_access_log_retention() -> list[str]:
    """Detach (and archive or drop, per settings) the months past retention; monthly."""
    from .access_log_partitions import access_log_retention

    result = access_log_retention()
    if result.refused:
        raise RuntimeError(f"access log retention refused: {result.refused}")
    return result.detached
