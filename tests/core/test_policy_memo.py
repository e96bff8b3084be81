"""The policy's facts are remembered per request (`core.policy.memo`), never on the user object:
nothing leaks from one request to the next or from one person to another, a service's write
counts at once within the request that made it, and outside a request nothing is remembered."""

from __future__ import annotations

import pytest
from django.http import HttpResponse, StreamingHttpResponse
from django.test import RequestFactory
from django.utils import timezone

from tests.ambassadors.conftest import net  # noqa: F401 — the ambassador network fixture
from tests.evaluations.conftest import make_study, research  # noqa: F401 — the research fixtures
from werkbrug.clients.models import ConsentMethod
from werkbrug.clients.services import consent_withdraw
from werkbrug.core.choices import DataCategory, Role
from werkbrug.core.middleware import RequestIdMiddleware
from werkbrug.core.policy import memo
from werkbrug.core.policy.clients import client_data
from werkbrug.trajectories.models import TeamMembership
from werkbrug.trajectories.services import team_member_remove

pytestmark = pytest.mark.django_db

PARTICIPATION = DataCategory.PARTICIPATION


def _request(decide):
    """Run `decide()` as the view of one request through the middleware that opens the scope."""
    seen = {}

    def view(request):
        seen["answer"] = decide()
        seen["facts"] = memo.size()
        return HttpResponse()

    RequestIdMiddleware(view)(RequestFactory().get("/"))
    return seen


def test_two_requests_of_the_same_user_object_do_not_share_facts(team):
    user, client = team.labour_expert, team.client  # one object, as a cached principal is reused
    first = _request(lambda: client_data(user, client, PARTICIPATION).allowed)
    assert first == {"answer": True, "facts": 2}  # the team role and the consents, remembered
    assert not memo.active() and user.__dict__.keys().isdisjoint({"_wb_team_roles", "_wb_consents"})
    # Changed outside this process (another web process, a database console): no service here forgets.
    TeamMembership.objects.filter(person=user).update(left_at=timezone.now())
    assert _request(lambda: client_data(user, client, PARTICIPATION).allowed)["answer"] is False


def test_one_persons_facts_never_answer_for_another(team):
    def both():
        return (
            client_data(team.jobcoach, team.client, PARTICIPATION).allowed,
            client_data(team.outsider, team.client, PARTICIPATION).allowed,
        )

    assert _request(both) == {"answer": (True, False), "facts": 4}
    assert (
        _request(lambda: client_data(team.outsider, team.client, PARTICIPATION).allowed)["answer"]
        is False
    )


def test_a_request_inside_a_scope_has_its_own_and_leaves_the_outer_one_alone(team, policy_memo):
    assert client_data(team.jobcoach, team.client, PARTICIPATION).allowed
    outer = policy_memo.size()
    inner = _request(lambda: client_data(team.outsider, team.client, PARTICIPATION).allowed)
    assert inner == {"answer": False, "facts": 2}
    assert policy_memo.size() == outer and policy_memo.active()


def test_removing_a_team_member_counts_within_the_same_request(
    team, policy_memo, django_assert_num_queries
):
    member = team.labour_expert
    assert client_data(member, team.client, PARTICIPATION).allowed
    with django_assert_num_queries(0):
        assert client_data(member, team.client, PARTICIPATION).allowed  # remembered
    team_member_remove(
        membership=TeamMembership.objects.get(person=member), removed_by=team.jobcoach
    )
    with django_assert_num_queries(1):  # forgotten by the service: asked again, once
        assert not client_data(member, team.client, PARTICIPATION).allowed
    assert client_data(team.jobcoach, team.client, PARTICIPATION).allowed


def test_withdrawn_consent_counts_within_the_same_request_for_every_member(
    team, client_user, policy_memo
):
    # Both members' facts are remembered; the client (not either of them) withdraws.
    assert client_data(team.jobcoach, team.client, DataCategory.SIGNALS).allowed
    assert client_data(team.labour_expert, team.client, DataCategory.SIGNALS).allowed
    consent_withdraw(
        client=team.client,
        organisation=team.uwv,
        category=DataCategory.SIGNALS,
        recorded_by=client_user,
        method=ConsentMethod.PORTAL,
    )
    assert not client_data(team.labour_expert, team.client, DataCategory.SIGNALS).allowed
    assert client_data(team.jobcoach, team.client, DataCategory.SIGNALS).allowed


def test_outside_a_scope_nothing_is_remembered(team, django_assert_num_queries):
    assert not memo.active()
    for _ in range(2):
        with django_assert_num_queries(2):  # the facts, then the consents again: nothing kept
            assert client_data(team.jobcoach, team.client, PARTICIPATION).allowed
    assert memo.size() == 0 and "_wb_team_roles" not in team.jobcoach.__dict__


def test_an_ambassadors_appointment_counts_within_the_same_request(net, policy_memo):  # noqa: F811
    from werkbrug.ambassadors.services import ambassador_step_down
    from werkbrug.core.policy.ambassadors import ambassador_of

    anna = net.people["anna"]
    assert ambassador_of(anna, net.uwv.pk) and not ambassador_of(anna, net.ggz.pk)
    ambassador_step_down(ambassador=net.amb["anna"], changed_by=net.admin)
    assert not ambassador_of(anna, net.uwv.pk)


def test_joining_a_study_counts_within_the_same_request(
    research,  # noqa: F811
    make_study,  # noqa: F811
    make_person,
    policy_memo,
):
    from werkbrug.core.policy.evaluations import is_study_auditor, is_study_researcher
    from werkbrug.evaluations.services import study_auditor_add, study_researcher_add

    study = make_study(draft=True)
    third = make_person(research.institute, Role.RESEARCHER, first_name="Tim", last_name="Derde")
    fourth = make_person(research.institute, Role.RESEARCHER, first_name="Vera", last_name="Vierde")
    assert not is_study_researcher(third, study) and not is_study_auditor(fourth, study)
    study_researcher_add(study=study, person=third, added_by=research.researcher)
    study_auditor_add(study=study, person=fourth, added_by=research.researcher)
    assert is_study_researcher(third, study) and is_study_auditor(fourth, study)


def test_forget_names_only_known_facts_and_one_person(policy_memo):
    memo.remember(memo.TEAM_ROLE, 1, 10, "jobcoach")
    memo.remember(memo.TEAM_ROLE, 2, 10, "therapist")
    memo.remember(memo.CONSENTS, 1, (10, 5), frozenset())
    memo.forget(1, facts=(memo.TEAM_ROLE,))
    assert not memo.known(memo.TEAM_ROLE, 1, 10)
    assert memo.known(memo.TEAM_ROLE, 2, 10) and memo.known(memo.CONSENTS, 1, (10, 5))
    memo.forget()
    assert memo.size() == 0
    with pytest.raises(ValueError):
        memo.forget(facts=("team_roles",))


def test_a_scope_holds_a_bounded_number_of_facts(policy_memo, monkeypatch):
    monkeypatch.setattr(memo, "MAX_FACTS", 3)
    for client_id in range(3):
        memo.remember(memo.TEAM_ROLE, 1, client_id, None)
    assert memo.size() == 3
    memo.remember(memo.TEAM_ROLE, 1, 99, "jobcoach")
    assert memo.size() == 1 and memo.get(memo.TEAM_ROLE, 1, 99) == "jobcoach"


def test_a_streamed_response_decides_in_a_scope_of_its_own():
    seen = []

    def chunks():
        seen.append(memo.active())
        memo.remember(memo.TEAM_ROLE, 1, 1, None)
        yield b"x"

    response = RequestIdMiddleware(lambda request: StreamingHttpResponse(chunks()))(
        RequestFactory().get("/")
    )
    assert not memo.active()
    assert b"".join(response.streaming_content) == b"x"
    response.close()
    assert seen == [True] and not memo.active()


def test_a_celery_task_runs_in_a_scope_and_an_eager_one_in_its_requests():
    from werkbrug.celery import app

    @app.task(name="tests.core.memo_probe")
    def probe():
        memo.remember(memo.AMBASSADOR_ORGS, 1, None, frozenset())
        return memo.active(), memo.size()

    assert probe.apply().get() == (True, 1)  # run as a worker runs it: a fresh scope
    assert not memo.active()
    with memo.scope():
        memo.remember(memo.TEAM_ROLE, 1, 1, None)
        assert probe.apply().get() == (True, 2)  # eagerly inside a request: the request's scope
        assert memo.size() == 2
    assert not memo.active()
