"""More events through the notification service: actions assigned, due and overdue; balance and
wellbeing signals (expert and coordinator only); a decision on an ambassador's proposal."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from werkbrug.notifications.kinds import Kind
from werkbrug.notifications.models import Notification

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")


def kinds_for(person) -> list[str]:
    return list(Notification.objects.filter(recipient=person).values_list("kind", flat=True))


def test_actions_assigned_due_tomorrow_and_overdue(team):
    from werkbrug.plans.services import ActionInput, GoalInput, actions_remind, plan_save
    from werkbrug.plans.tasks import remind_actions

    today = timezone.localdate()
    Notification.objects.all().delete()
    plan_save(trajectory=team.trajectory, actor=team.jobcoach, based_on=0, goals=[GoalInput(title="Werk", actions=[
        ActionInput(title="Bellen", owner=str(team.labour_expert.pk), due_on=today + timedelta(days=1)),
        ActionInput(title="Mailen", owner=str(team.jobcoach.pk), due_on=today + timedelta(days=3)),
    ])])
    assert kinds_for(team.labour_expert) == [Kind.ACTION_ASSIGNED]
    assert kinds_for(team.jobcoach) == []  # not for one's own act
    assert remind_actions() == 1
    assert Kind.ACTION_DUE in kinds_for(team.labour_expert)
    assert actions_remind() == 1  # the same unread notice, not a second one
    assert Notification.objects.filter(recipient=team.labour_expert, kind=Kind.ACTION_DUE).count() == 1
    assert actions_remind(today=today + timedelta(days=4)) == 1  # Mailen: overdue since yesterday
    assert Kind.ACTION_OVERDUE in kinds_for(team.jobcoach)


def test_balance_signals_go_to_the_expert_and_the_coordinator_only(ee):
    from werkbrug.experience_experts import services

    Notification.objects.all().delete()
    with time_machine.travel(datetime(2026, 3, 6, 17, tzinfo=AMS), tick=False):
        for day, minutes in ((date(2026, 3, 2), 600), (date(2026, 3, 3), 600)):
            services.deployment_register(expert=ee.bert, date=day, kind="network", minutes=minutes,
                                         setting="own_office", organisation_served=ee.org, topic="Overleg")
    told = set(Notification.objects.filter(kind=Kind.BALANCE_SIGNAL).values_list("recipient_id", flat=True))
    assert told == {ee.bert.pk, ee.coordinator.pk}


def test_the_author_of_a_proposal_hears_the_decision(net):
    from werkbrug.ambassadors import services

    monday = datetime(2026, 3, 2, 9, tzinfo=AMS)
    proposal = services.proposal_draft(region=net.region, by=net.people["anna"], title="Eén loket", problem="p",
                                       process="WIA", proposal="Doe het zo", audience="management",
                                       audience_organisation=net.uwv, now=monday)
    services.proposal_transition(proposal=proposal, to_status="presented", by=net.people["anna"], on=date(2026, 3, 2), now=monday)
    assert Kind.PROPOSAL_DECISION not in kinds_for(net.people["anna"])  # presenting is no decision
    services.proposal_transition(proposal=proposal, to_status="accepted", by=net.people["bert"], on=date(2026, 3, 10),
                                 note="Akkoord MT", now=monday + timedelta(days=9))
    assert Kind.PROPOSAL_DECISION in kinds_for(net.people["anna"])
