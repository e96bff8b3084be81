"""Background work for collaboration: escalating urgent signals nobody acknowledged."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="werkbrug.collaboration.tasks.escalate_signals")
def escalate_signals() -> int:
    """Run every few minutes (beat) or from cron via `werkbrug escalate_signals`. Idempotent."""
    from .services import signals_escalate

    return len(signals_escalate())
