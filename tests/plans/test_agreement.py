"""The agreement rules: a version is agreed when the client and every active team member agree."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from werkbrug.core.choices import DataCategory, Role
from werkbrug.plans import selectors
from werkbrug.plans.services import plan_agree, plan_disagree, plan_save, plan_submit
from werkbrug.plans.workflow import AgreementState as S
from werkbrug.trajectories.models import Trajectory

from .conftest import goals_for, goals_from

pytestmark = pytest.mark.django_db


def _who(team, client_user, name):
    return {"client": client_user, "coach": team.jobcoach, "expert": team.labour_expert}[name]


def _state(team) -> str:
    return selectors.plan_overview(trajectory=team.trajectory).state


def _caseload_state(team) -> str:
    row = Trajectory.objects.filter(pk=team.trajectory.pk).annotate(**selectors.caseload_annotations()).get()
    return row.plan_state


# (steps, expected state): each step is (who, "agree" | "disagree").
CASES = [
    ([], S.AWAITING),  # asked, nobody answered yet
    ([("coach", "agree")], S.AWAITING),  # one of three
    ([("coach", "agree"), ("expert", "agree")], S.AWAITING),  # the client has not agreed yet
    ([("client", "agree"), ("coach", "agree")], S.AWAITING),  # the labour expert is missing
    ([("client", "agree"), ("coach", "agree"), ("expert", "agree")], S.AGREED),  # everyone
    ([("expert", "agree"), ("client", "agree"), ("coach", "agree")], S.AGREED),  # order does not matter
    ([("client", "disagree")], S.DISAGREED),  # the client says no
    ([("client", "agree"), ("coach", "agree"), ("expert", "disagree")], S.DISAGREED),  # one no is enough
]


@pytest.mark.parametrize(("steps", "expected"), CASES)
def test_agreement_state(team, client_user, plan_v1, steps, expected):
    for who, kind in steps:
        person = _who(team, client_user, who)
        if kind == "agree":
            plan_agree(plan_version=plan_v1, person=person)
        else:
            plan_disagree(plan_version=plan_v1, person=person, comment="Te snel")
    assert _state(team) == expected
    assert _caseload_state(team) == expected  # the SQL twin of the rule agrees


def test_no_plan_and_draft_states(team):
    assert _state(team) == S.NONE
    assert _caseload_state(team) == S.NONE
    draft = plan_save(trajectory=team.trajectory, actor=team.jobcoach, based_on=0, goals=goals_for(team))
    assert _state(team) == _caseload_state(team) == S.DRAFT
    with pytest.raises(ValidationError) as exc:
        plan_agree(plan_version=draft, person=team.jobcoach)
    assert exc.value.code == "draft"
    plan_submit(plan_version=draft, actor=team.jobcoach)
    assert _state(team) == _caseload_state(team) == S.AWAITING


def _everyone_agrees(team, client_user, version):
    for person in (client_user, team.jobcoach, team.labour_expert):
        plan_agree(plan_version=version, person=person)


def test_a_change_needs_agreement_again_and_old_agreement_no_longer_counts(team, client_user, plan_v1):
    _everyone_agrees(team, client_user, plan_v1)
    assert _state(team) == S.AGREED
    v2 = plan_save(trajectory=team.trajectory, actor=team.jobcoach, based_on=1,
                   goals=goals_for(team, extra_action="Proefplaatsing regelen"), submit=True)
    assert v2.number == 2
    assert _state(team) == _caseload_state(team) == S.AWAITING
    with pytest.raises(ValidationError) as exc:
        plan_agree(plan_version=plan_v1, person=team.jobcoach)
    assert exc.value.code == "outdated_version"
    assert "versie 2" in str(exc.value.messages[0]) or "version 2" in str(exc.value.messages[0])
    _everyone_agrees(team, client_user, v2)
    assert _state(team) == S.AGREED


def test_a_new_team_member_must_agree_too(team, client_user, plan_v1, make_person, make_org):
    from werkbrug.clients.models import ConsentMethod
    from werkbrug.clients.services import consent_grant
    from werkbrug.core.choices import OrganisationType
    from werkbrug.trajectories.services import team_member_add

    _everyone_agrees(team, client_user, plan_v1)
    debts = make_org(OrganisationType.DEBT_COUNSELLING, "Schuldhulp Test")
    counsellor = make_person(debts, Role.DEBT_COUNSELLOR)
    # The client gives the debt counsellors consent in the portal.
    for category in (DataCategory.PARTICIPATION, DataCategory.PLAN):
        consent_grant(client=team.client, organisation=debts, category=category, recorded_by=client_user, method=ConsentMethod.PORTAL)
    team_member_add(trajectory=team.trajectory, person=counsellor, role=Role.DEBT_COUNSELLOR, added_by=team.jobcoach)
    overview = selectors.plan_overview(trajectory=team.trajectory)
    assert overview.state == _caseload_state(team) == S.AWAITING
    assert [p.person_id for p in overview.waiting_for] == [counsellor.pk]
    plan_agree(plan_version=plan_v1, person=counsellor)
    assert _state(team) == _caseload_state(team) == S.AGREED


def test_disagree_needs_a_comment_and_each_person_answers_once(team, client_user, plan_v1):
    with pytest.raises(ValidationError) as exc:
        plan_disagree(plan_version=plan_v1, person=client_user, comment="  ")
    assert exc.value.error_dict["comment"][0].code == "comment_required"
    plan_agree(plan_version=plan_v1, person=client_user)
    with pytest.raises(ValidationError) as exc:
        plan_disagree(plan_version=plan_v1, person=client_user, comment="Toch niet")
    assert exc.value.code == "already_answered"


def test_outsider_cannot_answer(team, plan_v1):
    from django.http import Http404

    with pytest.raises(Http404):
        plan_agree(plan_version=plan_v1, person=team.outsider)


def test_waiting_for_shows_who_has_not_agreed(team, client_user, plan_v1):
    plan_agree(plan_version=plan_v1, person=team.jobcoach)
    waiting = selectors.plan_overview(trajectory=team.trajectory).waiting_for
    assert {("client" if p.is_client else p.person_id) for p in waiting} == {"client", team.labour_expert.pk}


def test_resaving_the_same_content_is_refused(team, plan_v1):
    with pytest.raises(ValidationError) as exc:
        plan_save(trajectory=team.trajectory, actor=team.jobcoach, based_on=1, goals=goals_from(plan_v1))
    assert exc.value.code == "unchanged"


def test_a_member_without_consent_for_the_plan_is_not_waited_for(team, client_user, plan_v1):
    from werkbrug.clients.models import ConsentMethod
    from werkbrug.clients.services import consent_withdraw

    plan_agree(plan_version=plan_v1, person=client_user)
    plan_agree(plan_version=plan_v1, person=team.jobcoach)
    assert _state(team) == _caseload_state(team) == S.AWAITING
    consent_withdraw(client=team.client, organisation=team.uwv, category=DataCategory.PLAN,
                     recorded_by=client_user, method=ConsentMethod.PORTAL)
    overview = selectors.plan_overview(trajectory=team.trajectory)
    assert [m.person_id for m in overview.without_consent] == [team.labour_expert.pk]
    assert overview.state == _caseload_state(team) == S.AGREED


def test_a_team_member_records_the_clients_answer(team, plan_v1):
    """A client without the portal answers in a conversation; the jobcoach records it."""
    plan_agree(plan_version=plan_v1, person=team.jobcoach, for_client=True)
    # the recorded answer is the client's, not the jobcoach's own
    assert _state(team) == _caseload_state(team) == S.AWAITING
    waiting = {("client" if p.is_client else p.person_id) for p in selectors.plan_overview(trajectory=team.trajectory).waiting_for}
    assert waiting == {team.jobcoach.pk, team.labour_expert.pk}
    plan_agree(plan_version=plan_v1, person=team.jobcoach)
    plan_agree(plan_version=plan_v1, person=team.labour_expert)
    assert _state(team) == _caseload_state(team) == S.AGREED
    with pytest.raises(ValidationError) as exc:
        plan_disagree(plan_version=plan_v1, person=team.labour_expert, comment="Toch niet", for_client=True)
    assert exc.value.code == "already_answered"


def test_the_client_cannot_answer_twice(team, client_user, plan_v1):
    # Changed on purpose: a team member may no longer answer for a client with a portal account
    # (tests/plans/test_client_agreement.py); the client's own answer cannot be given twice.
    plan_disagree(plan_version=plan_v1, person=client_user, comment="Ik wil minder uren")
    assert _state(team) == _caseload_state(team) == S.DISAGREED
    with pytest.raises(ValidationError) as exc:
        plan_agree(plan_version=plan_v1, person=client_user)
    assert exc.value.code == "already_answered"
