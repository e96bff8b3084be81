"""Background work for trajectories: erasing closed files after their retention period."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="werkbrug.trajectories.tasks.apply_retention")
def apply_retention() -> int:
    """Daily (beat) or from cron via `werkbrug apply_retention`. Idempotent: an erased file is skipped."""
    from .retention import retention_run

    return len(retention_run(dry_run=False))
