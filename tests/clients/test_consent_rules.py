"""Consent belongs to the client (issue "Trust by construction").

- Who may give or withdraw consent for which organisation: the policy's `consent.record` and
  `consent.withdraw` (core/policy/clients.py), one table of cases;
- a professional records only for their own organisation, with evidence, and the client sees it in
  the portal with a one-click withdraw;
- withdrawing `participation` ends that organisation's team memberships at once;
- expired consent is shown as expired (pages and API), as the decisions treat it.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from werkbrug.clients.models import ConsentEvent, ConsentMethod, ConsentState
from werkbrug.clients.services import consent_grant, consent_withdraw
from werkbrug.core import policy
from werkbrug.core.choices import DataCategory, OrganisationType, Role, UserKind
from werkbrug.core.models import User
from werkbrug.core.policy.clients import ConsentChange
from werkbrug.trajectories.models import TeamMembership

pytestmark = pytest.mark.django_db

P, CARE, PLAN, RESEARCH = DataCategory.PARTICIPATION, DataCategory.CARE, DataCategory.PLAN, DataCategory.RESEARCH


@pytest.fixture
def people(team, client_user, make_org, make_person, other_region):
    institute = make_org(OrganisationType.RESEARCH, "Instituut Test")
    return {
        "client": client_user,
        "other client": User.objects.create_user(username="ander", password="x" * 16, kind=UserKind.CLIENT,
                                                 region=team.client.region),
        "member ggz": team.jobcoach,  # in the team, GGZ
        "member uwv": team.labour_expert,  # in the team, UWV
        "outsider ggz": team.outsider,  # GGZ therapist, not in the team
        "manager uwv": make_person(team.uwv, Role.MANAGER),  # not in the team, no casework role
        "researcher": make_person(institute, Role.RESEARCHER),
        "far": make_person(make_org(OrganisationType.GGZ, "Ver", in_region=other_region), Role.JOBCOACH),
    }, {"ggz": team.ggz, "uwv": team.uwv, "institute": institute}


@pytest.mark.parametrize("action", ["consent.record", "consent.withdraw"])
@pytest.mark.parametrize(
    ("who", "org", "category", "allowed"),
    [
        ("client", "uwv", CARE, True),  # the client, for any organisation and category
        ("client", "institute", RESEARCH, True),
        ("member ggz", "ggz", CARE, True),  # a team member, for their own organisation
        ("member ggz", "uwv", CARE, False),  # ... never for another organisation
        ("member ggz", "uwv", P, False),
        ("member uwv", "ggz", PLAN, False),
        ("member uwv", "uwv", PLAN, True),
        ("outsider ggz", "ggz", P, True),  # not yet in the team: taking part, own organisation (to join)
        ("outsider ggz", "ggz", CARE, False),  # ... nothing else before joining
        ("outsider ggz", "uwv", P, False),
        ("manager uwv", "uwv", P, False),  # no casework role: never joins, records nothing
        ("researcher", "institute", RESEARCH, True),  # a study's institute records its research consent
        ("researcher", "institute", P, False),
        ("researcher", "ggz", RESEARCH, False),
        ("far", "ggz", P, False),  # another region
        ("other client", "ggz", P, False),  # someone else's file
    ],
)
def test_consent_change_rule(team, people, action, who, org, category, allowed):
    users, orgs = people
    change = ConsentChange(team.client, orgs[org].pk, category)
    assert policy.can(users[who], action, change) is allowed


def test_the_rule_hides_the_client_from_non_members_only(team, people):
    users, orgs = people
    decision = policy.decide(users["member ggz"], "consent.record", ConsentChange(team.client, orgs["uwv"].pk, CARE))
    assert not decision.allowed and not decision.hide  # a team member may know the client exists: 403
    decision = policy.decide(users["outsider ggz"], "consent.record", ConsentChange(team.client, orgs["uwv"].pk, P))
    assert not decision.allowed and decision.hide  # 404


def _api(client, user):
    client.force_login(user)
    return client


def test_api_refuses_consent_for_another_organisation(client, team):
    url = f"/api/v1/clients/{team.client.pk}/consents/"
    events = ConsentEvent.objects.count()
    c = _api(client, team.jobcoach)
    response = c.post(url, {"organisation": team.uwv.pk, "category": "care", "method": "verbal", "evidence": "x"},
                      content_type="application/json")
    assert response.status_code == 403
    response = c.post(url + "withdraw/", {"organisation": team.uwv.pk, "category": "plan", "method": "verbal"},
                      content_type="application/json")
    assert response.status_code == 403
    assert ConsentEvent.objects.count() == events
    assert ConsentState.objects.get(organisation=team.uwv, category=PLAN).granted


def test_api_records_own_organisation_only_with_evidence(client, team):
    url = f"/api/v1/clients/{team.client.pk}/consents/"
    c = _api(client, team.jobcoach)
    missing = c.post(url, {"organisation": team.ggz.pk, "category": "debts", "method": "paper"},
                     content_type="application/json")
    assert missing.status_code == 400
    assert "evidence" in {e["code"] for e in missing.json()["errors"]}
    ok = c.post(url, {"organisation": team.ggz.pk, "category": "debts", "method": "paper",
                      "evidence": "Formulier 2026-17"}, content_type="application/json")
    assert ok.status_code == 201, ok.content
    assert ok.json()["evidence"] == "Formulier 2026-17" and ok.json()["state"] == "given"
    assert ConsentEvent.objects.filter(organisation=team.ggz, category="debts").get().evidence == "Formulier 2026-17"


def test_a_professional_cannot_give_again_what_the_client_withdrew(team, client_user):
    consent_withdraw(client=team.client, organisation=team.ggz, category=CARE, recorded_by=client_user,
                     method=ConsentMethod.PORTAL)
    with pytest.raises(ValidationError) as info:
        consent_grant(client=team.client, organisation=team.ggz, category=CARE, recorded_by=team.jobcoach,
                      method=ConsentMethod.VERBAL, evidence="Zei het in het gesprek")
    assert info.value.code == "withdrawn_by_client"
    with pytest.raises(PermissionDenied):  # and never for another organisation
        consent_grant(client=team.client, organisation=team.uwv, category=CARE, recorded_by=team.jobcoach,
                      method=ConsentMethod.VERBAL, evidence="x")
    assert not ConsentState.objects.get(organisation=team.ggz, category=CARE).granted
    # The client gives it again in the portal.
    consent_grant(client=team.client, organisation=team.ggz, category=CARE, recorded_by=client_user,
                  method=ConsentMethod.PORTAL)
    assert ConsentState.objects.get(organisation=team.ggz, category=CARE).granted


def test_the_web_form_offers_only_the_own_organisation(team, as_user):
    page = as_user(team.jobcoach).get(reverse("clients:consents", args=[team.client.pk])).content.decode()
    form = page[page.index('name="organisation"'):]
    form = form[:form.index("</select>")]
    assert team.ggz.name in form and team.uwv.name not in form
    # Withdraw buttons only for the own organisation's consents.
    assert page.count('name="prefix"') == ConsentState.objects.filter(organisation=team.ggz, granted=True).count()


def test_the_client_sees_recordings_by_professionals_and_withdraws_with_one_click(team, client_user, as_user):
    consent_grant(client=team.client, organisation=team.ggz, category=DataCategory.DEBTS, recorded_by=team.jobcoach,
                  method=ConsentMethod.PAPER, evidence="Formulier 2026-17")
    c = as_user(client_user)
    for name in ("portal:index", "portal:consents"):
        body = c.get(reverse(name)).content.decode()
        assert "Formulier 2026-17" in body and team.jobcoach.get_full_name() in body
    state = ConsentState.objects.get(organisation=team.ggz, category=DataCategory.DEBTS)
    response = c.post(reverse("portal:consent_change"), {
        "organisation": team.ggz.pk, "category": DataCategory.DEBTS, "version": state.version, "give": "0"})
    assert response.status_code == 302
    state.refresh_from_db()
    assert not state.granted
    assert "Formulier 2026-17" not in c.get(reverse("portal:index")).content.decode()


def test_what_the_client_gave_in_the_portal_is_not_listed_as_a_recording(team, client_user, as_user):
    consent_grant(client=team.client, organisation=team.uwv, category=DataCategory.DEBTS, recorded_by=client_user,
                  method=ConsentMethod.PORTAL)
    from werkbrug.portal.selectors import professional_recordings

    recorded = {(s.organisation_id, s.category) for s in professional_recordings(client=team.client)}
    assert (team.uwv.pk, DataCategory.DEBTS) not in recorded
    assert (team.ggz.pk, CARE) in recorded


# Withdrawing participation ends the membership --------------------------------------------------


def test_withdrawing_participation_ends_the_membership_and_the_access(team, client_user, as_user, client):
    c = as_user(team.labour_expert)
    plan_url = reverse("plans:plan", args=[team.trajectory.pk])
    signals_url = reverse("collaboration:signals", args=[team.trajectory.pk])
    assert c.get(signals_url).status_code == 200
    consent_withdraw(client=team.client, organisation=team.uwv, category=P, recorded_by=client_user,
                     method=ConsentMethod.PORTAL)
    membership = TeamMembership.objects.get(person=team.labour_expert, trajectory=team.trajectory)
    assert membership.left_at is not None
    # Plan and signals consent for UWV are still given, but UWV is no longer in the team.
    assert ConsentState.objects.get(organisation=team.uwv, category=PLAN).granted
    c = as_user(team.labour_expert)
    assert c.get(plan_url).status_code == 404
    assert c.get(signals_url).status_code == 404
    assert c.get(f"/api/v1/plans/{team.trajectory.pk}/").status_code == 404


def test_withdrawing_participation_of_the_plan_directors_organisation(team, client_user):
    from werkbrug.trajectories.services import plan_director_hand_over

    consent_withdraw(client=team.client, organisation=team.ggz, category=P, recorded_by=client_user,
                     method=ConsentMethod.PORTAL)
    assert not TeamMembership.objects.filter(person=team.jobcoach, left_at__isnull=True).exists()
    # The plan director left with their organisation: another member takes the role over.
    trajectory = plan_director_hand_over(trajectory=team.trajectory, new_director=team.labour_expert,
                                         handed_over_by=team.labour_expert)
    assert trajectory.plan_director_id == team.labour_expert.pk


def test_withdrawing_another_category_keeps_the_membership(team, client_user):
    consent_withdraw(client=team.client, organisation=team.uwv, category=PLAN, recorded_by=client_user,
                     method=ConsentMethod.PORTAL)
    assert TeamMembership.objects.filter(person=team.labour_expert, left_at__isnull=True).exists()


def test_the_withdrawal_and_the_leaving_are_one_transaction(team, client_user, monkeypatch):
    from werkbrug.trajectories import services as trajectory_services

    def broken(**kwargs):
        raise RuntimeError("the team could not be changed")

    monkeypatch.setattr(trajectory_services, "team_memberships_end_for_withdrawal", broken)
    with pytest.raises(RuntimeError):
        consent_withdraw(client=team.client, organisation=team.uwv, category=P, recorded_by=client_user,
                         method=ConsentMethod.PORTAL)
    assert ConsentState.objects.get(organisation=team.uwv, category=P).granted


# Expired consent is shown as expired ----------------------------------------------------------


@pytest.fixture
def expired(team):
    today = timezone.localdate()
    consent_grant(client=team.client, organisation=team.uwv, category=DataCategory.DEBTS, recorded_by=team.labour_expert,
                  method=ConsentMethod.PAPER, evidence="Formulier", given_on=today - timedelta(days=40),
                  valid_until=today - timedelta(days=1))
    return ConsentState.objects.get(organisation=team.uwv, category=DataCategory.DEBTS)


def test_current_is_defined_once(team, expired):
    today = timezone.localdate()
    assert not expired.is_current() and expired.display_state == "expired"
    assert expired not in ConsentState.objects.current()
    assert ConsentState.objects.current().filter(organisation=team.uwv, category=PLAN).exists()
    ends_today = ConsentState.objects.get(organisation=team.uwv, category=PLAN)
    ends_today.valid_until = today
    assert ends_today.is_current() and ends_today.display_state == "given"
    from werkbrug.core.policy.clients import consented_categories

    assert DataCategory.DEBTS not in consented_categories(team.client, team.uwv.pk)


def test_the_api_shows_expired_consent_as_not_granted(client, team, expired):
    body = _api(client, team.labour_expert).get(f"/api/v1/clients/{team.client.pk}/consents/").json()
    row = next(r for r in body["current"] if r["organisation"] == team.uwv.pk and r["category"] == "debts")
    assert row["granted"] is False and row["state"] == "expired"
    given = next(r for r in body["current"] if r["organisation"] == team.uwv.pk and r["category"] == "plan")
    assert given["granted"] is True and given["state"] == "given"


def test_the_pages_show_expired_consent_as_expired(team, expired, client_user, as_user):
    body = as_user(team.labour_expert).get(reverse("clients:consents", args=[team.client.pk])).content.decode()
    assert "verlopen" in body
    portal = as_user(client_user).get(reverse("portal:consents")).content.decode()
    assert "Nee, verlopen" in portal
    rows = as_user(client_user).get("/api/v1/portal/consents/").json()
    row = next(r for r in rows if r["organisation"] == team.uwv.pk and r["category"] == "debts")
    assert row["granted"] is False and row["state"] == "expired"


def test_http404_for_a_stranger_recording(team, make_org, make_person):
    stranger = make_person(team.uwv, Role.MANAGER)
    with pytest.raises(Http404):
        consent_grant(client=team.client, organisation=team.uwv, category=P, recorded_by=stranger,
                      method=ConsentMethod.PAPER, evidence="x")
