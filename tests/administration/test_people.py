"""Invitations, roles, identities, deactivation: the services and their audit trail."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError

from werkbrug.administration import services
from werkbrug.administration.models import AdministrationEvent, EventAction, OIDCIdentity
from werkbrug.administration.models.events import AppendOnly
from werkbrug.api.models import ApiToken, token_issue
from werkbrug.core.choices import Role
from werkbrug.core.models import RoleAssignment, User

pytestmark = pytest.mark.django_db


def _events(action):
    return list(AdministrationEvent.objects.filter(action=action))


def test_invite_mails_an_absolute_dutch_link_that_sets_a_password(admin, ggz, client, base_url, mailoutbox,
                                                                  django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        person = services.person_invite(actor=admin, first_name="Nina", last_name="Nieuw", email="Nina@Example.org",
                                        organisation=ggz, roles=[Role.JOBCOACH])
    assert not person.has_usable_password()
    assert person.email == person.username == "nina@example.org"
    assert person.roles == {Role.JOBCOACH}
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["nina@example.org"]
    assert mail.subject == "Uw account voor Werkbrug"
    assert "wachtwoord" in mail.body
    link = re.search(r"https://werkbrug\.example\.nl/administration/welcome/\S+/", mail.body).group(0)
    path = link.removeprefix("https://werkbrug.example.nl")

    page = client.get(path)
    assert page.status_code == 200
    answer = client.post(path, {"new_password1": "een lang nieuw wachtwoord 42", "new_password2": "een lang nieuw wachtwoord 42"})
    assert answer.status_code == 302
    person.refresh_from_db()
    assert person.check_password("een lang nieuw wachtwoord 42")
    # The link works once.
    assert client.get(path).status_code == 404
    assert [e.action for e in AdministrationEvent.objects.filter(person=person).order_by("at", "id")] == [
        EventAction.PERSON_INVITED, EventAction.PASSWORD_SET]


def test_invite_refuses_a_known_address_and_another_regions_organisation(admin, ggz, far, jobcoach):
    jobcoach.email = "bezet@example.org"
    jobcoach.save()
    with pytest.raises(ValidationError) as exc:
        services.person_invite(actor=admin, first_name="A", last_name="B", email="BEZET@example.org", organisation=ggz)
    assert exc.value.error_dict["email"][0].code == "duplicate"
    with pytest.raises(Exception) as exc:  # another region's organisation: not found, as if missing
        services.person_invite(actor=admin, first_name="A", last_name="B", email="a@example.org", organisation=far.org)
    assert exc.type.__name__ in ("Http404", "Refused")
    assert not User.objects.filter(email="a@example.org").exists()


def test_role_give_and_take_are_in_the_audit_trail(admin, jobcoach):
    services.role_give(person=jobcoach, role=Role.AMBASSADOR, actor=admin)
    assert User.objects.get(pk=jobcoach.pk).roles == {Role.JOBCOACH, Role.AMBASSADOR}
    given = _events(EventAction.ROLE_GIVEN)[0]
    assert (given.actor, given.person) == (admin, jobcoach)
    assert given.before == {"roles": [Role.JOBCOACH]}
    assert given.after == {"roles": sorted([Role.AMBASSADOR, Role.JOBCOACH]), "two_factor": False}

    services.role_take(person=jobcoach, role=Role.AMBASSADOR, actor=admin)
    assert User.objects.get(pk=jobcoach.pk).roles == {Role.JOBCOACH}
    taken = _events(EventAction.ROLE_TAKEN)[0]
    assert taken.after == {"roles": [Role.JOBCOACH]}


def test_the_api_gives_and_takes_a_role(admin, jobcoach, client):
    client.force_login(admin)
    url = f"/api/v1/admin/people/{jobcoach.pk}/"
    given = client.post(url + "give-role/", {"role": Role.AMBASSADOR}, content_type="application/json")
    assert given.status_code == 200 and sorted(given.json()["roles"]) == sorted([Role.AMBASSADOR, Role.JOBCOACH])
    taken = client.post(url + "take-role/", {"role": Role.AMBASSADOR}, content_type="application/json")
    assert taken.status_code == 200 and taken.json()["roles"] == [Role.JOBCOACH]
    assert [e.action for e in AdministrationEvent.objects.order_by("pk")] == [EventAction.ROLE_GIVEN,
                                                                              EventAction.ROLE_TAKEN]
    refused = client.post(url + "give-role/", {"role": "nonsense"}, content_type="application/json")
    assert refused.status_code == 400 and User.objects.get(pk=jobcoach.pk).roles == {Role.JOBCOACH}


def test_a_two_factor_role_is_recorded_as_such(admin, make_person, make_org):
    person = make_person(make_org(), Role.EDITOR)
    services.role_give(person=person, role=Role.RESEARCHER, actor=admin)
    assert _events(EventAction.ROLE_GIVEN)[0].after["two_factor"] is True
    assert User.objects.get(pk=person.pk).needs_two_factor


@pytest.mark.parametrize("case, role, code", [
    ("held already", Role.JOBCOACH, "duplicate"),
    ("unknown role", "pope", "role"),
])
def test_role_give_refusals(admin, jobcoach, case, role, code):
    with pytest.raises(ValidationError) as exc:
        services.role_give(person=jobcoach, role=role, actor=admin)
    assert exc.value.error_dict["role"][0].code == code


def test_a_casework_role_is_not_taken_while_the_person_sits_in_a_team_in_it(admin, team):
    with pytest.raises(ValidationError) as exc:
        services.role_take(person=team.jobcoach, role=Role.JOBCOACH, actor=admin)
    assert exc.value.error_dict["role"][0].code == "hand_over_first"
    assert team.jobcoach.has_role(Role.JOBCOACH)


def test_the_last_region_administrator_keeps_the_role(admin, make_person, make_org):
    with pytest.raises(ValidationError) as exc:
        services.role_take(person=admin, role=Role.REGION_ADMIN, actor=admin)
    assert exc.value.error_dict["role"][0].code == "last_admin"
    second = make_person(make_org(), Role.REGION_ADMIN)
    services.role_take(person=second, role=Role.REGION_ADMIN, actor=admin)
    assert not RoleAssignment.objects.filter(person=second).exists()


def test_identities_link_and_unlink(admin, jobcoach):
    identity = services.identity_link(person=jobcoach, subject="sub-123", label="Entra ID", actor=admin)
    with pytest.raises(ValidationError):
        services.identity_link(person=admin, subject="sub-123", actor=admin)
    services.identity_unlink(identity=identity, actor=admin)
    assert not OIDCIdentity.objects.exists()
    assert [e.action for e in AdministrationEvent.objects.order_by("at", "id")] == [
        EventAction.IDENTITY_LINKED, EventAction.IDENTITY_UNLINKED]
    assert AdministrationEvent.objects.order_by("id").last().before == {"subject": "sub-123", "label": "Entra ID"}


def test_deactivation_closes_the_account_and_revokes_tokens(admin, make_person, make_org):
    person = make_person(make_org(), Role.EDITOR)
    token_issue(person)
    services.person_deactivate(person=person, actor=admin)
    person.refresh_from_db()
    assert not person.is_active
    assert not ApiToken.objects.filter(user=person).exists()
    event = _events(EventAction.PERSON_DEACTIVATED)[0]
    # Every role ends with the account (a reactivated account starts without roles).
    assert event.before == {"is_active": True, "roles": [Role.EDITOR]}
    assert event.after["is_active"] is False and event.after["api_tokens_revoked"] == 1 and event.after["roles"] == []
    assert not RoleAssignment.objects.filter(person=person).exists()


def test_deactivation_is_refused_while_places_in_teams_are_held(admin, team):
    with pytest.raises(ValidationError) as exc:
        services.person_deactivate(person=team.jobcoach, actor=admin)
    assert exc.value.code == "hand_over_first"
    assert User.objects.get(pk=team.jobcoach.pk).is_active


def test_nobody_deactivates_themselves(admin):
    with pytest.raises(ValidationError) as exc:
        services.person_deactivate(person=admin, actor=admin)
    assert exc.value.code == "self"


def test_organisations_added_and_changed_with_before_and_after(admin):
    organisation = services.organisation_create(actor=admin, name="Werkplaats Oost", type="reintegration")
    assert organisation.region_id == admin.region_id
    services.organisation_update(organisation=organisation, actor=admin, short_name="WO", name="Werkplaats Oost")
    changed = _events(EventAction.ORGANISATION_CHANGED)[0]
    assert (changed.before, changed.after) == ({"short_name": ""}, {"short_name": "WO"})
    with pytest.raises(ValidationError) as exc:
        services.organisation_create(actor=admin, name="werkplaats oost", type="reintegration")
    assert exc.value.error_dict["name"][0].code == "duplicate"


def test_the_audit_trail_is_append_only(admin):
    organisation = services.organisation_create(actor=admin, name="Werkplaats Oost", type="reintegration")
    event = AdministrationEvent.objects.get(organisation=organisation)
    event.after = {"name": "vervalst"}
    with pytest.raises(AppendOnly):
        event.save()
    with pytest.raises(AppendOnly):
        event.delete()


@pytest.mark.parametrize("role, allowed", [
    (Role.REGION_ADMIN, True),
    (Role.MANAGER, False),
    (Role.PRIVACY_OFFICER, False),
    (Role.JOBCOACH, False),
])
def test_only_the_region_administrator_administers(make_person, make_org, jobcoach, role, allowed):
    actor = make_person(make_org(), role)
    if allowed:
        services.role_give(person=jobcoach, role=Role.AMBASSADOR, actor=actor)
    else:
        with pytest.raises(Exception) as exc:
            services.role_give(person=jobcoach, role=Role.AMBASSADOR, actor=actor)
        assert exc.type.__name__ in ("Http404", "Refused", "PermissionDenied")
        assert not AdministrationEvent.objects.exists()
