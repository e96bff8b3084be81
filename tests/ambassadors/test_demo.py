"""The demo region gets a year of questions with recurring groups, lates and two proposals."""

import pytest

from werkbrug.ambassadors.models import Proposal, Question, QuestionGroup
from werkbrug.ambassadors.selectors import timeliness_q

pytestmark = pytest.mark.django_db


def test_demo_loads_a_realistic_year(demo_region):
    from django.utils import timezone

    questions = Question.objects.filter(region=demo_region)
    assert questions.count() == 180
    assert questions.filter(answered_at__isnull=False).count() > 150
    now = timezone.now()
    assert questions.filter(timeliness_q("late", now)).exists()
    assert questions.filter(timeliness_q("very_late", now)).exists()
    assert questions.filter(escalated_at__isnull=False).exists()
    assert questions.filter(published=True).count() >= 5
    assert QuestionGroup.objects.filter(region=demo_region).count() >= 8
    assert sorted(Proposal.objects.filter(region=demo_region).values_list("status", flat=True)) == ["accepted", "draft"]
