"""Who may do what: ambassadors and askers see questions; managers see aggregates only."""

from datetime import datetime

import pytest
from django.http import Http404

from werkbrug.ambassadors import selectors, services
from werkbrug.ambassadors.deadlines import AMSTERDAM
from werkbrug.ambassadors.models import Question
from werkbrug.core import policy
from werkbrug.core.choices import OrganisationType, Role

pytestmark = pytest.mark.django_db

WHO = ["asker", "other", "anna", "gina", "manager", "admin"]
RULES = [
    # (action, who may)
    ("ambassador_question.view", {"asker", "anna", "gina"}),  # the asker and every ambassador of the region
    ("ambassador_question.answer", {"anna"}),  # only an ambassador of the organisation asked
    ("ambassador_question.publish", {"anna"}),
    ("ambassador_question.rate", {"asker"}),  # only the asker rates
    ("ambassador_question.follow_up", {"asker", "anna"}),
    ("ambassador_group.view", {"anna", "gina"}),  # groups: ambassadors
    ("ambassador_proposal.view", {"anna", "gina", "manager", "admin"}),  # aggregates: also managers
    ("ambassador_report.view", {"anna", "gina", "manager", "admin"}),
    ("ambassador_proposal.change", {"anna", "gina"}),
    ("ambassador_settings.change", {"admin"}),
]


def person(net, name):
    return {"asker": net.asker, "other": net.other, "manager": net.manager, "admin": net.admin}.get(name) or net.people[name]


@pytest.mark.parametrize(("action", "allowed"), RULES)
def test_rules(net, ask, action, allowed):
    question = ask(now=datetime(2026, 3, 2, 9, 0, tzinfo=AMSTERDAM))
    obj = net.region if action.endswith(("settings.change", "report.view")) else question
    for name in WHO:
        assert policy.can(person(net, name), action, obj) == (name in allowed), (action, name)


def test_question_lists_are_scoped(net, ask):
    mine = ask()
    theirs = ask(by=net.other)
    assert set(selectors.question_list(user=net.asker)) == {mine}
    assert set(selectors.question_list(user=net.people["gina"])) == {mine, theirs}
    assert not selectors.question_list(user=net.manager).exists() or net.manager.has_role(Role.AMBASSADOR)
    with pytest.raises(Http404):
        selectors.question_get(user=net.manager, pk=mine.pk)


def test_other_region_sees_nothing(net, ask, other_region, make_org, make_person):
    question = ask()
    org = make_org(OrganisationType.UWV, "UWV elders", in_region=other_region)
    outsider = make_person(org, Role.AMBASSADOR)
    assert not policy.can(outsider, "ambassador_question.view", question)
    assert not selectors.question_list(user=outsider).exists()
    with pytest.raises(Http404):
        services.question_ask(asked_by=outsider, organisation=net.uwv, topic=net.topics["benefits"], text="Vraag")
    assert Question.objects.count() == 1


def test_clients_cannot_use_the_network(net, client_user):
    assert not policy.can(client_user, "ambassadors.use")
    assert not policy.can(client_user, "ambassador_question.ask", net.uwv)


def test_questions_carry_no_client_fields():
    names = {f.name for f in Question._meta.get_fields()}
    assert not names & {"client", "bsn", "client_id", "trajectory"}
