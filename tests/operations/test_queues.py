"""Queues per kind: mail, exports and sealing each go to a queue of their own, every task has a
queue named for it, and the workers of the compose stack consume every queue."""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec
from pathlib import Path

import pytest
import yaml
from django.apps import apps
from django.conf import settings

from werkbrug.celery import app

ROOT = Path(__file__).resolve().parents[2]


def _werkbrug_tasks() -> set[str]:
    for config in apps.get_app_configs():  # every app's tasks.py, as the worker loads them
        if find_spec(f"{config.name}.tasks") is not None:
            import_module(f"{config.name}.tasks")
    return {name for name in app.tasks if name.startswith("werkbrug.") and not name.startswith("werkbrug.tests.")}


def _queue_of(task: str) -> str:
    route = app.amqp.router.route({}, task)
    return route["queue"].name


def test_every_task_of_werkbrug_is_named_for_a_queue():
    named = {task for tasks in settings.TASK_QUEUE_TASKS.values() for task in tasks}
    tasks = _werkbrug_tasks()
    assert len(tasks) >= 11  # the beat schedule's tasks and the mail tasks at least
    assert tasks - named == set(), "give each new task a queue in TASK_QUEUE_TASKS (conf/base.py)"
    assert named - tasks == set(), "TASK_QUEUE_TASKS names a task that does not exist"


@pytest.mark.parametrize("queue", ["mail", "sealing", "celery", "exports"])
def test_each_named_task_is_routed_to_its_queue(queue):
    tasks = settings.TASK_QUEUE_TASKS[queue]
    assert tasks
    assert {task: _queue_of(task) for task in tasks} == dict.fromkeys(tasks, queue)


def test_mail_exports_and_sealing_have_their_own_queues():
    assert _queue_of("werkbrug.notifications.tasks.send_notification_mail") == "mail"
    assert _queue_of("werkbrug.notifications.tasks.send_digests") == "mail"
    assert _queue_of("werkbrug.core.tasks.seal_access_log") == "sealing"
    assert _queue_of("werkbrug.core.tasks.anchor_access_log") == "sealing"
    # Background exports (none yet) land in the exports queue by their module.
    assert _queue_of("werkbrug.evaluations.tasks.export_study") == "exports"
    assert _queue_of("werkbrug.reporting.tasks.dashboard_pdf") == "exports"
    # The scheduled checks stay in the default queue.
    assert _queue_of("werkbrug.collaboration.tasks.escalate_signals") == "celery"


def test_a_mail_task_handed_to_the_broker_lands_in_the_mail_list_of_redis():
    """What `notify` hands to the worker (`send_notification_mail.delay`) waits in Redis's `mail`
    list, the sealing in `sealing`, and the escalations in `celery`: each queue has its own
    exchange and routing key (a bare Queue(name) would send them all to `celery`)."""
    import redis

    from werkbrug.collaboration.tasks import escalate_signals
    from werkbrug.core.tasks import seal_access_log
    from werkbrug.notifications.tasks import send_notification_mail

    url = "redis://127.0.0.1:6379/13"
    server = redis.Redis.from_url(url)
    try:
        server.ping()
    except redis.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    names = [queue.name for queue in settings.CELERY_TASK_QUEUES]
    server.delete(*names)
    eager, app.conf.task_always_eager = app.conf.task_always_eager, False
    try:
        with app.connection_for_write(url) as connection:
            send_notification_mail.apply_async((1,), connection=connection)
            send_notification_mail.apply_async((2,), connection=connection)
            seal_access_log.apply_async(connection=connection)
            escalate_signals.apply_async(connection=connection)
        lengths = {name: server.llen(name) for name in names}
    finally:
        app.conf.task_always_eager = eager
        server.delete(*names)
        server.close()
    assert lengths == {"celery": 1, "mail": 2, "exports": 0, "sealing": 1}


def test_the_queues_are_declared_and_the_compose_workers_consume_them_all():
    declared = {queue.name for queue in settings.CELERY_TASK_QUEUES}
    assert declared == {"celery", "mail", "exports", "sealing"}
    assert {queue.name for queue in app.amqp.queues.values()} >= declared
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    consumed: set[str] = set()
    for name, service in compose["services"].items():
        command = service.get("command") or []
        if command[:4] == ["celery", "-A", "werkbrug", "worker"]:
            assert "-Q" in command, f"{name}: name the queues the worker consumes"
            consumed |= set(command[command.index("-Q") + 1].split(","))
    assert consumed == declared
