"""Shared set-up for the ambassador benchmarks: a throw-away test database with N questions.

Not a benchmark itself. Questions are inserted in bulk (not through the services: that would
measure the set-up, not the thing under test); their texts come from `ambassadors.synthetic`.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "werkbrug.conf.test")


def timed(func, runs: int) -> tuple[float, float, list[float]]:
    func()  # warm up
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), max(samples), samples


def test_database():
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    return connection, old_name


def fill(n: int, *, answered: bool, seed: int = 2026):
    """A region, two organisations, an ambassador, topics and `n` questions; returns (region, asker, ambassador, labels)."""
    import random
    from datetime import timedelta

    from django.utils import timezone

    from werkbrug.ambassadors import synthetic, text
    from werkbrug.ambassadors.models import Ambassador, Message, Question, QuestionTerm, Topic
    from werkbrug.core.choices import OrganisationType, Role
    from werkbrug.core.models import Organisation, Region, RoleAssignment, User

    rng = random.Random(seed)
    region = Region.objects.create(name="Benchregio", slug="bench")
    uwv = Organisation.objects.create(region=region, name="UWV Bench", type=OrganisationType.UWV)
    ggz = Organisation.objects.create(region=region, name="GGZ Bench", type=OrganisationType.GGZ)
    person = User.objects.create_user(username="bench.anna", password="x" * 20, region=region, organisation=uwv)
    RoleAssignment.objects.create(person=person, role=Role.AMBASSADOR)
    ambassador = Ambassador.objects.create(person=person, organisation=uwv)
    asker = User.objects.create_user(username="bench.jan", password="x" * 20, region=region, organisation=ggz)
    RoleAssignment.objects.create(person=asker, role=Role.MANAGER)  # no second factor needed in a script
    topics = {key: Topic.objects.create(region=region, name=key) for key in ("benefits", "care", "debts", "work", "privacy", "process")}
    data = synthetic.questions(rng, n)
    now = timezone.now()
    rows = []
    for i, (_label, topic, _org, body) in enumerate(data):
        asked = now - timedelta(hours=n - i)
        rows.append(Question(
            region=region, organisation=uwv, topic=topics[topic], text=body, asked_by=person, asked_at=asked,
            deadline_hours=48, deadline_mode="calendar", deadline_at=asked + timedelta(hours=48),
            reminder_due_at=asked + timedelta(hours=36), very_late_at=asked + timedelta(hours=144),
            assignee=ambassador, status="answered" if answered else "open",
            answered_at=asked + timedelta(hours=5) if answered else None, answered_by=person if answered else None,
            published=answered, public_question=body if answered else "", public_answer="Antwoord." if answered else "",
        ))
    Question.objects.bulk_create(rows, batch_size=1000)
    if answered:
        questions = list(Question.objects.filter(region=region).values_list("pk", "text"))
        Message.objects.bulk_create([Message(question_id=pk, author=person, kind="answer", text="Antwoord.", created_at=now)
                                     for pk, _t in questions], batch_size=2000)
        QuestionTerm.objects.bulk_create([
            QuestionTerm(question_id=pk, region=region, stem=stem, weight=weight, published=True, asked_by=person)
            for pk, body in questions for stem, weight in text.term_weights(body).items()
        ], batch_size=5000)
    return region, asker, person, [label for label, *_ in data]
