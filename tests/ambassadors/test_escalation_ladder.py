"""The region's escalation ladder in frozen time: stand-in → colleague → network coordinator →
the organisation's manager, each step recorded, told and visible; nobody present; on-time blame."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError

from werkbrug.ambassadors import selectors, services
from werkbrug.ambassadors.deadlines import AMSTERDAM
from werkbrug.ambassadors.models import EventKind, Question
from werkbrug.core import policy
from werkbrug.notifications.kinds import Kind
from werkbrug.notifications.models import Notification

pytestmark = pytest.mark.django_db

MONDAY_9 = datetime(2026, 3, 2, 9, 0, tzinfo=AMSTERDAM)
DEADLINE = datetime(2026, 3, 4, 9, 0, tzinfo=AMSTERDAM)  # 48 calendar hours


def _due(moment):
    with time_machine.travel(moment, tick=False):
        return services.questions_process_due()["escalated"]


def told(person, kind=Kind.QUESTION_ESCALATED):
    return Notification.objects.filter(recipient=person, kind=kind).count()


def test_every_step_of_the_ladder_in_turn(net, ask):
    services.ambassador_set_stand_ins(ambassador=net.amb["anna"], stand_ins=[net.amb["cor"]], changed_by=net.admin)
    question = ask(now=MONDAY_9)
    assert question.assignee == net.amb["anna"]
    assert _due(DEADLINE - timedelta(minutes=1)) == 0
    # 1. the deadline passes: Anna's named stand-in Cor
    assert _due(DEADLINE) == 1
    question.refresh_from_db()
    assert question.assignee == net.amb["cor"] and question.held_at_deadline == net.amb["anna"]
    assert question.next_escalation_at == DEADLINE + timedelta(hours=8)
    assert told(net.people["cor"]) == 1 and told(net.asker) == 1
    # nothing more until the step's time has passed
    assert _due(DEADLINE + timedelta(hours=7, minutes=59)) == 0
    # 2. another ambassador of the organisation: Bert (not back to Anna, who let it pass)
    assert _due(DEADLINE + timedelta(hours=8)) == 1
    question.refresh_from_db()
    assert question.assignee == net.amb["bert"]
    # 3. the network coordinator (the region administrator when the region names nobody)
    assert _due(DEADLINE + timedelta(hours=16)) == 1
    assert told(net.admin) == 1
    assert policy.can(net.admin, "ambassador_question.view", question)
    # 4. the organisation's manager, who may now see the question too
    assert not policy.can(net.manager, "ambassador_question.view", question)
    assert _due(DEADLINE + timedelta(hours=24)) == 1
    assert told(net.manager) == 1
    assert policy.can(net.manager, "ambassador_question.view", Question.objects.get(pk=question.pk))
    # the ladder ends: nothing is due any more, and each step is visible on the question
    question.refresh_from_db()
    assert question.next_escalation_at is None
    assert _due(DEADLINE + timedelta(days=10)) == 0
    steps = list(question.events.filter(kind__in=[EventKind.ESCALATED, EventKind.ESCALATED_UP])
                 .values_list("note", flat=True))
    assert steps == ["stand_in", "colleague", "coordinator", "manager"]
    assert told(net.asker) == 1  # one unread notice about the question, not one per step


def test_a_region_ladder_without_the_coordinator_and_its_own_step_time(net, ask):
    net.region.settings = {"ambassadors": {"ladder": ["colleague", "manager"], "step_hours": 2}}
    net.region.save()
    question = ask(now=MONDAY_9)
    assert _due(DEADLINE) == 1
    question.refresh_from_db()
    assert question.assignee == net.amb["bert"] and question.next_escalation_at == DEADLINE + timedelta(hours=2)
    assert _due(DEADLINE + timedelta(hours=2)) == 1
    assert told(net.manager) == 1 and told(net.admin) == 0


def _all_absent(net, day):
    for name in ("anna", "bert", "cor"):
        services.absence_add(ambassador=net.amb[name], starts_on=day, ends_on=day + timedelta(days=2),
                             recorded_by=net.admin, now=MONDAY_9)


def test_nobody_present_is_refused_when_the_region_chooses_so(net, ask):
    net.region.settings = {"ambassadors": {"nobody_present": "refuse"}}
    net.region.save()
    _all_absent(net, MONDAY_9.date())
    before = Question.objects.count()
    with pytest.raises(ValidationError) as refused:
        ask(now=MONDAY_9)
    assert refused.value.error_dict["organisation"][0].code == "nobody_present"
    assert "4 maart 2026" in refused.value.error_dict["organisation"][0].messages[0]
    assert Question.objects.count() == before


def test_nobody_present_goes_to_the_network_coordinator_by_default(net, ask):
    net.region.settings = {"ambassadors": {"network_coordinator": net.other.pk}}
    net.region.save()
    _all_absent(net, MONDAY_9.date())
    question = ask(now=MONDAY_9)
    assert question.assignee is None
    assert told(net.other) == 1 and told(net.admin) == 0
    assert policy.can(net.other, "ambassador_question.view", question)
    assert list(question.events.values_list("kind", flat=True)) == [
        EventKind.ASKED, EventKind.NO_COLLEAGUE, EventKind.ESCALATED_UP]


def test_on_time_figures_count_against_whoever_held_it_at_the_deadline(net, ask):
    question = ask(now=MONDAY_9)
    _due(DEADLINE)  # Anna let it pass; Bert takes over and answers late
    question.refresh_from_db()
    holder = question.assignee
    services.question_answer(question=question, author=holder.person, text="Zo werkt het.",
                             now=DEADLINE + timedelta(hours=1))
    rates = selectors.in_time_rates(Question.objects.filter(pk=question.pk), by="ambassador",
                                    now=DEADLINE + timedelta(days=1))
    assert rates == [{"name": str(net.people["anna"]), "total": 1, "on_time": 0, "rate": 0}]
