"""The demo's scheduler: Celery beat's schedule, run in a thread of the demo's web process.

In production Celery beat puts the scheduled tasks (CELERY_BEAT_SCHEDULE: sealing and anchoring
the access log, signal escalation, ambassador deadlines, reminders, the daily digest) on the
broker and a worker runs them. The embedded demo has no broker: tasks run eagerly. So that the
same work happens there, `werkbrug demo_serve` starts this thread beside the development server;
it reads the same schedule and runs each task in its own thread when it is due, one at a time.
Interval tasks run once at start and then every interval; crontab tasks (the digest at 07:30)
at their next time. A failing task is logged and counted (metrics), and the next one runs.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from celery.schedules import BaseSchedule, schedule
from django.conf import settings
from django.db import close_old_connections

logger = logging.getLogger(__name__)

# The longest the thread sleeps, so that a stop request is heard soon enough.
MAX_SLEEP_SECONDS = 30.0


@dataclass
class Entry:
    name: str
    task: str
    schedule: BaseSchedule
    last_run_at: datetime


def _as_schedule(value: Any, app) -> BaseSchedule:
    if isinstance(value, BaseSchedule):
        value.app = app  # its clock and time zone (CELERY_TIMEZONE) are the app's
        return value
    return schedule(run_every=timedelta(seconds=float(value)), app=app)


class DemoScheduler:
    def __init__(self, beat_schedule: dict[str, dict] | None = None, app=None):
        if app is None:
            from werkbrug.celery import app
        self.app = app
        now = app.now()
        self.entries: list[Entry] = []
        for name, spec in (settings.CELERY_BEAT_SCHEDULE if beat_schedule is None else beat_schedule).items():
            sched = _as_schedule(spec["schedule"], app)
            # Interval tasks are due at once; a crontab task waits for its next time.
            first = now - sched.run_every if isinstance(sched, schedule) else now
            self.entries.append(Entry(name=name, task=spec["task"], schedule=sched, last_run_at=first))
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def run_due(self) -> tuple[list[str], float]:
        """Run every entry that is due now; returns (names run, seconds until the next is due)."""
        ran: list[str] = []
        wait = MAX_SLEEP_SECONDS
        for entry in self.entries:
            due, next_in = entry.schedule.is_due(entry.last_run_at)
            if due:
                entry.last_run_at = self.app.now()
                self._run(entry)
                ran.append(entry.name)
                _, next_in = entry.schedule.is_due(entry.last_run_at)
            wait = min(wait, max(next_in, 1.0))
        return ran, wait

    def _run(self, entry: Entry) -> None:
        self.app.loader.import_default_modules()  # the tasks of every app (autodiscovery)
        task = self.app.tasks.get(entry.task)
        if task is None:
            logger.error("scheduled task %s (%s) does not exist", entry.name, entry.task)
            return
        result = task.apply(throw=False)  # in this thread; failures fire Celery's signals
        if result.failed():
            logger.error("scheduled task %s failed: %r", entry.name, result.result)
        else:
            logger.info("scheduled task %s ran", entry.name)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                _, wait = self.run_due()
            except Exception:
                logger.exception("the demo scheduler failed; trying again shortly")
                wait = MAX_SLEEP_SECONDS
            finally:
                close_old_connections()  # this thread's own connection, as after a request
            self._stop.wait(wait)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="werkbrug-demo-scheduler", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)


def should_run() -> bool:
    """Only without a broker: with one, Celery beat and a worker do this work."""
    return settings.RUN_SCHEDULER and settings.CELERY_TASK_ALWAYS_EAGER
