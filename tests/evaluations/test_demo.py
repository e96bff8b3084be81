"""The demo loader: one running two-arm trial with everything the issue asks for."""

from __future__ import annotations

import pytest

from werkbrug.evaluations import analysis, selectors
from werkbrug.evaluations.models import (
    Allocation,
    Coding,
    Expectation,
    FidelityReview,
    Invitation,
    Study,
)


@pytest.fixture
def demo_region(db):
    """The demo region with only the loaders research builds on (clients, trajectories) and ours,
    so this test does not depend on the other modules' demo data."""
    import random

    from werkbrug.core.demo import load_region
    from werkbrug.evaluations import demo
    from werkbrug.trajectories import demo as trajectories_demo

    region = load_region(seed=2026)
    trajectories_demo.load(region, random.Random("2026:trajectories"))
    demo.load(region, random.Random("2026:evaluations"))
    return region


def test_demo_study(demo_region):
    study = Study.objects.get(region=demo_region)
    assert study.arms.count() == 2 and study.researchers.count() == 2
    flow = selectors.consort(study=study)
    assert flow.assessed >= 24 and flow.excluded == 6 and flow.randomised >= 15
    assert (flow.not_eligible, flow.declined) == (2, 2)  # the screening log
    assert Allocation.objects.filter(study=study).values("arm").distinct().count() == 2
    assert Invitation.objects.filter(questionnaire__study=study, responded_at__isnull=False).count() >= 8
    assert Invitation.objects.filter(questionnaire__study=study, participant__client__user__isnull=False,
                                     responded_at__isnull=True).exists()  # waiting for a portal persona
    assert study.rounds.count() == 2
    assert Coding.objects.filter(code__study=study).values("coder").distinct().count() == 2
    assert Expectation.objects.filter(study=study).exclude(assessment="").count() == 3
    assert FidelityReview.objects.filter(region=demo_region).count() == 2
    result = analysis.outcomes(study=study)
    assert sum(c.events for _a, c in result.curves) > 0
    # The CONSORT boxes after allocation are filled, and "Analysed" is the analysed set.
    assert sum(a.not_received for a in flow.arms) == sum(a.lost_to_follow_up for a in flow.arms) == 1
    assert sum(a.excluded_from_analysis for a in flow.arms) == 1
    assert sum(a.analysed for a in flow.arms) == result.n == flow.randomised - 1
    # The schedule asks the employer at 12 months, where the client allowed an employer contact.
    from werkbrug.evaluations.models import EmployerContact, ScheduleItem

    assert ScheduleItem.objects.filter(event__study=study, respondent="employer").count() == 1
    assert EmployerContact.objects.filter(participant__study=study).count() == 1


def test_demo_has_a_questionnaire_with_branching_and_half_grades(demo_region):
    from werkbrug.evaluations.models import Answer, Question

    hours = Question.objects.get(questionnaire__study__region=demo_region, code="hours")
    assert hours.show_if_question.code == "works" and hours.show_if_value == "1"
    answers = Answer.objects.filter(question__questionnaire=hours.questionnaire)
    workers = set(answers.filter(question__code="works", number=1).values_list("invitation", flat=True))
    assert workers and set(answers.filter(question__code="hours").values_list("invitation", flat=True)) == workers
    assert not answers.filter(question__code="looking", invitation__in=workers).exists()
