import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from werkbrug.collaboration.models import Referral, ReferralEvent, ReferralState
from werkbrug.collaboration.selectors import incoming_referrals, referral_get
from werkbrug.collaboration.services import (
    referral_accept,
    referral_complete,
    referral_create,
    referral_join_team,
    referral_reject,
    referral_transition,
    referral_withdraw,
)
from werkbrug.collaboration.workflow import ALLOWED_TRANSITIONS, can_transition
from werkbrug.core.choices import DataCategory, OrganisationType, Role
from werkbrug.core.models import AccessLogRecord
from werkbrug.trajectories.models import TeamMembership

pytestmark = pytest.mark.django_db

S = ReferralState


def test_referral_without_consent_for_the_receiving_organisation_is_refused(team, debt_org):
    with pytest.raises(ValidationError) as exc:
        referral_create(trajectory=team.trajectory, referred_by=team.jobcoach, organisation=debt_org,
                        service="debt_counselling", question="Schulden")
    assert exc.value.error_dict["organisation"][0].code == "no_consent"
    assert not Referral.objects.exists() and not ReferralEvent.objects.exists()


def test_referral_is_requested_with_a_first_step(referral, team):
    assert referral.state == S.REQUESTED
    assert [(e.from_state, e.to_state, e.actor) for e in referral.events.all()] == [("", S.REQUESTED, team.jobcoach)]


@pytest.mark.parametrize(
    ("service", "question", "field", "code"),
    [
        ("astrology", "Vraag", "service", "invalid_choice"),  # unknown service
        ("debt_counselling", "  ", "question", "required"),  # no question
    ],
)
def test_bad_referral_input(team, debt_org, consent, service, question, field, code):
    consent(debt_org, DataCategory.PARTICIPATION)
    with pytest.raises(ValidationError) as exc:
        referral_create(trajectory=team.trajectory, referred_by=team.jobcoach, organisation=debt_org,
                        service=service, question=question)
    assert exc.value.error_dict[field][0].code == code
    assert not Referral.objects.exists()


def test_second_open_referral_to_the_same_service_is_refused(referral, team, debt_org):
    with pytest.raises(ValidationError) as exc:
        referral_create(trajectory=team.trajectory, referred_by=team.jobcoach, organisation=debt_org,
                        service="debt_counselling", question="Nog een keer")
    assert exc.value.error_dict["organisation"][0].code == "duplicate"


# Every pair of states: allowed exactly when the table says so.
@pytest.mark.parametrize("from_state", S.values)
@pytest.mark.parametrize("to_state", S.values)
def test_transition_table(from_state, to_state):
    expected = (from_state, to_state) in {
        (S.REQUESTED, S.ACCEPTED), (S.REQUESTED, S.REJECTED), (S.REQUESTED, S.WITHDRAWN),
        (S.ACCEPTED, S.COMPLETED), (S.ACCEPTED, S.WITHDRAWN),
    }
    assert can_transition(from_state, to_state) is expected
    assert (to_state in ALLOWED_TRANSITIONS[from_state]) is expected


def test_receiver_accepts_and_completes_every_step_kept(referral, debt_counsellor, team):
    referral_accept(referral=referral, actor=debt_counsellor)
    referral_complete(referral=referral, actor=debt_counsellor, successful=True, reason="Regeling getroffen")
    referral.refresh_from_db()
    assert (referral.state, referral.outcome, referral.reason, referral.handled_by) == (
        S.COMPLETED, "successful", "Regeling getroffen", debt_counsellor)
    assert [e.to_state for e in referral.events.all()] == [S.REQUESTED, S.ACCEPTED, S.COMPLETED]


def test_reject_needs_a_reason(referral, debt_counsellor):
    with pytest.raises(ValidationError) as exc:
        referral_reject(referral=referral, actor=debt_counsellor, reason=" ")
    assert exc.value.error_dict["reason"][0].code == "required"
    referral.refresh_from_db()
    assert referral.state == S.REQUESTED and referral.events.count() == 1
    referral_reject(referral=referral, actor=debt_counsellor, reason="Geen plek tot maart")
    referral.refresh_from_db()
    assert referral.state == S.REJECTED


def test_complete_needs_an_outcome_and_a_reason(referral, debt_counsellor):
    referral_accept(referral=referral, actor=debt_counsellor)
    with pytest.raises(ValidationError) as exc:
        referral_transition(referral=referral, actor=debt_counsellor, to_state=S.COMPLETED, reason="")
    assert set(exc.value.error_dict) == {"reason", "outcome"}


def test_invalid_transitions_are_refused(referral, debt_counsellor, team):
    with pytest.raises(ValidationError) as exc:
        referral_complete(referral=referral, actor=debt_counsellor, successful=False, reason="x")
    assert exc.value.code == "invalid_transition"
    referral_withdraw(referral=referral, actor=team.jobcoach, reason="Cliënt wil niet meer")
    with pytest.raises(ValidationError):
        referral_accept(referral=referral, actor=debt_counsellor)
    assert Referral.objects.get(pk=referral.pk).state == S.WITHDRAWN


def test_only_the_receiving_organisation_responds(referral, team, make_person, make_org):
    with pytest.raises(Http404):
        referral_accept(referral=referral, actor=team.jobcoach)  # the referrer is not the receiver
    other_debt = make_person(make_org(OrganisationType.DEBT_COUNSELLING, "Andere schuldhulp"), Role.DEBT_COUNSELLOR)
    with pytest.raises(Http404):
        referral_accept(referral=referral, actor=other_debt)
    assert Referral.objects.get(pk=referral.pk).state == S.REQUESTED


def test_receiver_sees_the_referral_not_the_file_and_access_is_logged(referral, debt_counsellor, team):
    from werkbrug.core import policy

    before = AccessLogRecord.objects.count()
    assert referral_get(user=debt_counsellor, pk=referral.pk) == referral
    assert AccessLogRecord.objects.count() == before + 1
    record = AccessLogRecord.objects.first()
    assert (record.action, record.purpose, record.client_pseudonym) == (
        "referral.view_one", "referral to own organisation", team.client.pseudonym)
    for action in ("client.view", "signal.view", "referral.view", "ips.view"):
        assert not policy.can(debt_counsellor, action, team.trajectory if action != "client.view" else team.client)
    assert list(incoming_referrals(user=debt_counsellor)) == [referral]


def test_receiver_loses_sight_when_consent_is_withdrawn(referral, debt_counsellor, debt_org, withdraw):
    withdraw(debt_org, DataCategory.PARTICIPATION)
    with pytest.raises(Http404):
        referral_get(user=debt_counsellor, pk=referral.pk)
    assert list(incoming_referrals(user=debt_counsellor)) == []


def test_other_region_professional_gets_404(referral, make_person, make_org, other_region):
    stranger = make_person(make_org(OrganisationType.DEBT_COUNSELLING, "Elders", in_region=other_region), Role.DEBT_COUNSELLOR)
    with pytest.raises(Http404):
        referral_get(user=stranger, pk=referral.pk)
    assert list(incoming_referrals(user=stranger)) == []


def test_accepting_professional_joins_the_team(referral, debt_counsellor, team):
    with pytest.raises(ValidationError) as exc:
        referral_join_team(referral=referral, person=debt_counsellor)
    assert exc.value.code == "not_accepted"
    referral_accept(referral=referral, actor=debt_counsellor)
    before = AccessLogRecord.objects.count()
    member = referral_join_team(referral=referral, person=debt_counsellor)
    assert AccessLogRecord.objects.count() == before + 1
    assert member.role == Role.DEBT_COUNSELLOR
    assert TeamMembership.objects.filter(trajectory=team.trajectory, person=debt_counsellor, left_at__isnull=True).exists()


def test_team_member_cannot_join_through_someone_elses_referral(referral, debt_counsellor, team):
    referral_accept(referral=referral, actor=debt_counsellor)
    with pytest.raises(ValidationError) as exc:
        referral_join_team(referral=referral, person=team.outsider)
    assert exc.value.code == "not_receiver"
