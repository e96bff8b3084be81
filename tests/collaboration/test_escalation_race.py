"""Two escalation runs at the same moment (cron and the Celery task): the signal escalates once."""

import threading

import pytest
import time_machine
from django.db import connection, connections

from werkbrug.collaboration.models import Signal, SignalRecipient
from werkbrug.collaboration.services import signals_escalate

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_runs_escalate_once(team, signal, mailoutbox):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    team.jobcoach.email = "jet@example.org"
    team.jobcoach.save()
    with time_machine.travel("2026-03-02 09:00 +0000", tick=False):
        s = signal()
    results, barrier = [], threading.Barrier(2)

    def run():
        try:
            barrier.wait()
            with time_machine.travel("2026-03-03 10:00 +0000", tick=False):
                results.append(len(signals_escalate()))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [0, 1]
    assert SignalRecipient.objects.filter(signal=s, by_escalation=True).count() == 1
    assert Signal.objects.get(pk=s.pk).escalated_at is not None
    assert len(mailoutbox) == 1
