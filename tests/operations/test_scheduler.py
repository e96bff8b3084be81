"""The demo's scheduler runs Celery beat's schedule in-process, each task at its time."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from celery import shared_task
from celery.schedules import crontab

from werkbrug.operations.scheduler import DemoScheduler, should_run

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
RUNS: list[str] = []


@shared_task(name="werkbrug.tests.scheduler.record")
def record(label: str = "interval") -> None:
    RUNS.append(label)


@shared_task(name="werkbrug.tests.scheduler.fails")
def fails() -> None:
    raise RuntimeError("broken on purpose")


@pytest.fixture(autouse=True)
def _empty_runs():
    RUNS.clear()


def test_interval_tasks_run_at_once_then_every_interval():
    schedule = {"every-minute": {"task": "werkbrug.tests.scheduler.record", "schedule": 60.0}}
    with time_machine.travel(datetime(2026, 12, 7, 10, 0, tzinfo=AMSTERDAM), tick=False) as clock:
        scheduler = DemoScheduler(schedule)
        assert scheduler.run_due()[0] == ["every-minute"]  # at start
        assert scheduler.run_due()[0] == []  # not again within the minute
        clock.shift(timedelta(seconds=59))
        assert scheduler.run_due()[0] == []
        clock.shift(timedelta(seconds=2))
        assert scheduler.run_due()[0] == ["every-minute"]
    assert RUNS == ["interval", "interval"]


def test_a_crontab_task_waits_for_its_time_in_amsterdam():
    schedule = {"digest": {"task": "werkbrug.tests.scheduler.record", "schedule": crontab(hour=7, minute=30)}}
    # Monday 7 December 2026, 06:00 in Amsterdam (05:00 UTC).
    with time_machine.travel(datetime(2026, 12, 7, 6, 0, tzinfo=AMSTERDAM), tick=False) as clock:
        scheduler = DemoScheduler(schedule)
        ran, wait = scheduler.run_due()
        assert ran == [] and wait == 30.0  # at most MAX_SLEEP_SECONDS, even with 1.5 hours to go
        clock.move_to(datetime(2026, 12, 7, 7, 29, tzinfo=AMSTERDAM))
        assert scheduler.run_due()[0] == []
        clock.move_to(datetime(2026, 12, 7, 7, 30, 5, tzinfo=AMSTERDAM))
        assert scheduler.run_due()[0] == ["digest"]
        clock.move_to(datetime(2026, 12, 7, 12, 0, tzinfo=AMSTERDAM))
        assert scheduler.run_due()[0] == []  # once a day
    assert RUNS == ["interval"]


def test_a_failing_task_does_not_stop_the_others(monkeypatch):
    from werkbrug.operations import scheduler as module

    errors: list[str] = []
    monkeypatch.setattr(module.logger, "error", lambda message, *args: errors.append(message % args))
    schedule = {
        "broken": {"task": "werkbrug.tests.scheduler.fails", "schedule": 60.0},
        "fine": {"task": "werkbrug.tests.scheduler.record", "schedule": 60.0},
        "unknown": {"task": "werkbrug.tests.scheduler.no_such_task", "schedule": 60.0},
    }
    scheduler = DemoScheduler(schedule)
    assert scheduler.run_due()[0] == ["broken", "fine", "unknown"]
    assert RUNS == ["interval"]
    assert errors[0].startswith("scheduled task broken failed: RuntimeError")
    assert "does not exist" in errors[1]


def test_every_task_of_the_real_schedule_exists():
    from django.conf import settings

    scheduler = DemoScheduler()
    scheduler.app.loader.import_default_modules()
    names = {entry.task for entry in scheduler.entries}
    assert names == {spec["task"] for spec in settings.CELERY_BEAT_SCHEDULE.values()}
    assert names <= set(scheduler.app.tasks)


@pytest.mark.django_db(transaction=True)
def test_the_demo_schedule_seals_the_access_log_in_process(settings):
    from werkbrug.core.access_log import access_log_write
    from werkbrug.core.models import AccessLogSeal
    from werkbrug.core.models.access_log import AccessCode

    settings.ACCESS_LOG_SEAL_GRACE_SECONDS = 0
    access_log_write(actor=None, code=AccessCode.READ, action="test.read", granted=True, purpose="test")
    scheduler = DemoScheduler({"seal": settings.CELERY_BEAT_SCHEDULE["seal-access-log"]})
    assert scheduler.run_due()[0] == ["seal"]
    assert AccessLogSeal.objects.count() == 1


def test_only_without_a_broker(settings):
    settings.RUN_SCHEDULER = True
    settings.CELERY_TASK_ALWAYS_EAGER = True
    assert should_run()
    settings.CELERY_TASK_ALWAYS_EAGER = False
    assert not should_run()
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.RUN_SCHEDULER = False
    assert not should_run()
