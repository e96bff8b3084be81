"""Deactivation hands over every position, not only places in client teams: ambassador questions,
the experts a coordinator coordinates, an expert's open requests, the calendar feed, the roles —
previewed first, done in one transaction with one audit-trail entry, the successors told.
Reactivation: a reason, no role restored, the person told. Check first: anyone but the region's
administrator gets 404 before any input is read."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.support.deployments import first_day
from werkbrug.administration import services
from werkbrug.administration.models import AdministrationEvent, EventAction
from werkbrug.ambassadors import services as ambassador_services
from werkbrug.ambassadors.models import Ambassador, EventKind, QuestionEvent, Topic
from werkbrug.appointments.models import CalendarFeed
from werkbrug.appointments.services import calendar_feed_issue
from werkbrug.core.choices import OrganisationType, Role
from werkbrug.core.models import RoleAssignment, User
from werkbrug.experience_experts import services as ee_services
from werkbrug.experience_experts.models import (
    CoordinatorAssignment,
    Deployment,
    DeploymentStatus,
    ExpertProfile,
    OfferOutcome,
    RequestOffer,
    RequestStatus,
)
from werkbrug.notifications.kinds import Kind
from werkbrug.notifications.models import Notification

pytestmark = pytest.mark.django_db

QUESTION = "Hoe werkt de inkomstenverrekening bij een WIA-uitkering als iemand parttime gaat werken?"


@pytest.fixture
def world(region, admin, make_org, make_person):
    uwv = make_org(OrganisationType.UWV, "UWV Vertrek")
    ggz = make_org(OrganisationType.GGZ, "GGZ Vertrek")
    ee_org = make_org(OrganisationType.EXPERIENCE_EXPERTS, "Ervaringswerk Vertrek")
    asker = make_person(ggz, Role.JOBCOACH, first_name="Jan", last_name="Vrager", email="jan@example.org")
    amb_person = make_person(uwv, Role.AMBASSADOR, Role.LABOUR_EXPERT, first_name="Anke", last_name="Ambassadeur")
    colleague_person = make_person(uwv, Role.AMBASSADOR, first_name="Bas", last_name="Collega")
    ambassador = ambassador_services.ambassador_appoint(person=amb_person, appointed_by=admin, position=0)
    colleague = ambassador_services.ambassador_appoint(person=colleague_person, appointed_by=admin, position=1)
    topic = Topic.objects.create(region=region, name="Uitkeringen en regels", position=0)
    coordinator = make_person(ee_org, Role.EE_COORDINATOR, first_name="Cora", last_name="Coördinator")
    other_coordinator = make_person(ee_org, Role.EE_COORDINATOR, first_name="Olga", last_name="Opvolger")
    expert = make_person(ee_org, Role.EXPERIENCE_EXPERT, first_name="Eva", last_name="Expert", email="eva@example.org")
    second = make_person(ee_org, Role.EXPERIENCE_EXPERT, first_name="Ed", last_name="Tweede", email="ed@example.org")
    profiles = [ee_services.profile_create(person=p, created_by=admin, contract_hours=Decimal(18),
                                           client_contact_limit=Decimal(8), coordinator=coordinator)
                for p in (expert, second)]
    return SimpleNamespace(uwv=uwv, ggz=ggz, ee_org=ee_org, asker=asker, amb_person=amb_person, ambassador=ambassador,
                           colleague=colleague, topic=topic, coordinator=coordinator, other_coordinator=other_coordinator,
                           expert=expert, second=second, profiles=profiles)


def _ask(world):
    return ambassador_services.question_ask(asked_by=world.asker, organisation=world.uwv, topic=world.topic,
                                            text=QUESTION)


def _group_request(world, *, accept: bool):
    today = timezone.localdate()
    request = ee_services.request_create(
        requested_by=world.asker, kind="one_on_one", period_start=today + timedelta(days=7),
        period_end=today + timedelta(days=14), topic="Groep werkzoekenden", expert=world.expert)
    if accept:
        ee_services.request_accept(request=request, expert=world.expert, schedule=first_day(request))
    request.refresh_from_db()
    return request


def _event():
    return AdministrationEvent.objects.filter(action=EventAction.PERSON_DEACTIVATED).get()


# --- ambassador -------------------------------------------------------------------------------


def test_a_leaving_ambassadors_questions_go_to_a_colleague(admin, world):
    question = _ask(world)
    assert question.assignee_id == world.ambassador.pk
    services.person_deactivate(person=world.amb_person, actor=admin)
    question.refresh_from_db()
    assert question.assignee_id == world.colleague.pk
    assert not Ambassador.objects.get(pk=world.ambassador.pk).active
    assert not RoleAssignment.objects.filter(person=world.amb_person).exists()
    assert Notification.objects.filter(recipient=world.colleague.person, kind=Kind.QUESTION_RECEIVED).exists()
    event = _event()
    assert event.before["ambassador"]["open_questions"] == [question.pk]
    assert event.after["ambassador"]["questions"] == {str(question.pk): f"ambassador:{world.colleague.person_id}"}
    assert Role.AMBASSADOR in event.before["roles"] and event.after["roles"] == []


def test_without_a_colleague_the_regions_fallback_is_asked_and_told(admin, world):
    ambassador_services.ambassador_step_down(ambassador=world.colleague, changed_by=admin)
    question = _ask(world)
    services.person_deactivate(person=world.amb_person, actor=admin)
    # No ambassador of the organisation left: the region administrator (no network coordinator set) is asked.
    assert QuestionEvent.objects.filter(question=question, kind=EventKind.NO_COLLEAGUE).exists()
    assert QuestionEvent.objects.filter(question=question, kind=EventKind.ESCALATED_UP, person=admin).exists()
    assert Notification.objects.filter(recipient=admin, kind=Kind.QUESTION_ESCALATED).exists()
    assert Notification.objects.filter(recipient=world.asker, kind=Kind.QUESTION_ESCALATED).exists()
    assert _event().after["ambassador"]["questions"] == {str(question.pk): f"fallback:{admin.pk}"}


# --- experience-expert coordinator ------------------------------------------------------------


def test_a_leaving_coordinator_needs_a_successor_and_nothing_changes_without_one(admin, world):
    with pytest.raises(ValidationError) as exc:
        services.person_deactivate(person=world.coordinator, actor=admin)
    assert exc.value.error_dict["coordinator"][0].code == "required"
    with pytest.raises(ValidationError) as exc:
        services.person_deactivate(person=world.coordinator, actor=admin, coordinator=world.asker.pk)
    assert exc.value.error_dict["coordinator"][0].code == "coordinator"
    assert User.objects.get(pk=world.coordinator.pk).is_active
    assert ExpertProfile.objects.filter(coordinator=world.coordinator).count() == 2
    assert not AdministrationEvent.objects.filter(action=EventAction.PERSON_DEACTIVATED).exists()


def test_a_leaving_coordinators_experts_go_to_the_chosen_successor(admin, world, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.person_deactivate(person=world.coordinator, actor=admin, coordinator=world.other_coordinator.pk)
    assert ExpertProfile.objects.filter(coordinator=world.other_coordinator).count() == 2
    assert CoordinatorAssignment.objects.filter(previous=world.coordinator, coordinator=world.other_coordinator,
                                                assigned_by=admin).count() == 2
    told = Notification.objects.get(recipient=world.other_coordinator, kind=Kind.EXPERTS_HANDED_OVER)
    assert told.ref_number == 2
    assert {m.to[0] for m in mailoutbox} >= {"eva@example.org", "ed@example.org"}
    event = _event()
    assert sorted(event.before["coordinated_experts"]) == sorted([world.expert.pk, world.second.pk])
    assert event.after["coordinator"] == world.other_coordinator.pk


def test_a_leaving_coordinators_experts_may_be_left_without_one(admin, world):
    services.person_deactivate(person=world.coordinator, actor=admin, coordinator=None)
    assert not ExpertProfile.objects.filter(coordinator__isnull=False).exists()
    assert _event().after["coordinator"] is None


# --- experience expert ------------------------------------------------------------------------


def test_a_leaving_experts_requests_are_released_and_the_requesters_told(admin, world):
    offered = _group_request(world, accept=False)
    accepted = _group_request(world, accept=True)
    assert (offered.status, accepted.status) == (RequestStatus.OFFERED, RequestStatus.ACCEPTED)
    calendar_feed_issue(person=world.expert)
    services.person_deactivate(person=world.expert, actor=admin, reason="Vertrokken naar elders.")
    offered.refresh_from_db()
    accepted.refresh_from_db()
    # Offered: back to open, free for another expert; the offer stays on record as withdrawn.
    assert offered.status == RequestStatus.OPEN and offered.expert_id is None
    assert RequestOffer.objects.get(request=offered).outcome == OfferOutcome.WITHDRAWN
    # Accepted, still planned: cancelled with its planned deployment.
    assert accepted.status == RequestStatus.CANCELLED and accepted.close_reason == "Vertrokken naar elders."
    assert Deployment.objects.get(request=accepted).status == DeploymentStatus.CANCELLED
    kinds = set(Notification.objects.filter(recipient=world.asker).values_list("kind", flat=True))
    assert {Kind.DEPLOYMENT_DECLINED, Kind.DEPLOYMENT_CANCELLED} <= kinds
    assert not ExpertProfile.objects.get(person=world.expert).active
    assert not CalendarFeed.objects.filter(person=world.expert).exists()
    event = _event()
    assert event.after["expert_requests"] == {"reopened": [offered.pk], "cancelled": [accepted.pk]}
    assert event.after["calendar_feed"] is False and event.after["expert_profile_active"] is False


def test_a_registered_deployment_stays(admin, world):
    accepted = _group_request(world, accept=True)
    Deployment.objects.filter(request=accepted).update(status=DeploymentStatus.REGISTERED)
    services.person_deactivate(person=world.expert, actor=admin)
    accepted.refresh_from_db()
    assert accepted.status == RequestStatus.ACCEPTED
    assert "expert_requests" not in _event().after


# --- the preview page and the API -------------------------------------------------------------


def test_preview_page_shows_what_is_handed_over_then_confirms(admin, world, client):
    question = _ask(world)
    client.force_login(admin)
    url = f"/administration/people/{world.amb_person.pk}/deactivate/"
    # The person page's button leads to the preview (no places in client teams to hand over first).
    response = client.post(f"/administration/people/{world.amb_person.pk}/", {"do": "deactivate"})
    assert response.status_code == 302 and response["Location"] == url
    page = client.get(url).content.decode()
    assert f"#{question.pk}" in page and "Bas Collega" in page and "Ambassadeur" in page
    assert QUESTION not in page  # questions by number only
    assert User.objects.get(pk=world.amb_person.pk).is_active  # the preview changes nothing
    response = client.post(url, {"reason": ""})
    assert response.status_code == 302
    assert not User.objects.get(pk=world.amb_person.pk).is_active
    assert "Account gedeactiveerd" in client.get("/administration/audit-trail/").content.decode()


def test_preview_page_asks_for_the_coordinator(admin, world, client):
    client.force_login(admin)
    url = f"/administration/people/{world.coordinator.pk}/deactivate/"
    page = client.get(url).content.decode()
    assert "Olga Opvolger" in page and "Eva Expert" in page and 'name="coordinator"' in page
    response = client.post(url, {})
    assert response.status_code == 400
    assert User.objects.get(pk=world.coordinator.pk).is_active
    assert client.post(url, {"coordinator": "nobody"}).status_code == 302
    assert not User.objects.get(pk=world.coordinator.pk).is_active


def test_preview_page_sends_someone_in_a_team_to_the_hand_over_first(admin, team, client):
    client.force_login(admin)
    response = client.get(f"/administration/people/{team.jobcoach.pk}/deactivate/")
    assert response.status_code == 302
    assert response["Location"] == f"/administration/people/{team.jobcoach.pk}/hand-over/?then=deactivate"


def test_api_preview_and_deactivate(admin, world, client):
    offered = _group_request(world, accept=False)
    client.force_login(admin)
    url = f"/api/v1/admin/people/{world.expert.pk}/deactivate/"
    preview = client.get(url).json()
    assert preview["expert_requests"] == [{"id": offered.pk, "status": "offered", "outcome": "reopened"}]
    assert preview["expert_profile_active"] is True and preview["roles"] == [Role.EXPERIENCE_EXPERT]
    coordinator_url = f"/api/v1/admin/people/{world.coordinator.pk}/deactivate/"
    preview = client.get(coordinator_url).json()
    assert [c["id"] for c in preview["coordinator_candidates"]] == [world.other_coordinator.pk]
    refused = client.post(coordinator_url, {}, content_type="application/json")
    assert refused.status_code == 400 and "required" in refused.content.decode()
    done = client.post(coordinator_url, {"coordinator": world.other_coordinator.pk}, content_type="application/json")
    assert done.status_code == 200 and done.json()["is_active"] is False
    assert client.post(url, {"reason": "x" * 501}, content_type="application/json").status_code == 400


# --- reactivation -----------------------------------------------------------------------------


def test_reactivation_needs_a_reason_restores_no_role_and_tells_the_person(admin, world, mailoutbox, base_url,
                                                                          django_capture_on_commit_callbacks):
    services.person_deactivate(person=world.expert, actor=admin)
    with pytest.raises(ValidationError):
        services.person_reactivate(person=world.expert, actor=admin, reason=" ")
    with django_capture_on_commit_callbacks(execute=True):
        services.person_reactivate(person=world.expert, actor=admin, reason="Komt terug na verlof.")
    person = User.objects.get(pk=world.expert.pk)
    assert person.is_active and person.roles == frozenset()
    event = AdministrationEvent.objects.get(action=EventAction.PERSON_REACTIVATED)
    assert event.after == {"is_active": True, "roles": [], "reason": "Komt terug na verlof.", "set_password_link": False}
    mail = mailoutbox[-1]
    assert mail.to == ["eva@example.org"] and "weer actief" in mail.subject
    assert f"{base_url}/" in mail.body and "/administration/welcome/" not in mail.body
    with pytest.raises(ValidationError) as exc:
        services.person_reactivate(person=world.expert, actor=admin, reason="Nogmaals.")
    assert exc.value.code == "active"


def test_reactivation_of_someone_without_a_password_mails_a_set_password_link(admin, ggz, client, mailoutbox,
                                                                              base_url, django_capture_on_commit_callbacks):
    nina = services.person_invite(actor=admin, first_name="Nina", last_name="Nieuw", email="nina@example.org",
                                  organisation=ggz, roles=[Role.JOBCOACH])
    services.person_deactivate(person=nina, actor=admin)
    client.force_login(admin)
    url = f"/administration/people/{nina.pk}/reactivate/"
    assert "Account opnieuw activeren" in client.get(f"/administration/people/{nina.pk}/").content.decode()
    assert client.post(url, {"reason": ""}).status_code == 400
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        with_reason = client.post(url, {"reason": "Toch aangenomen."})
    assert with_reason.status_code == 302
    assert User.objects.get(pk=nina.pk).is_active and User.objects.get(pk=nina.pk).roles == frozenset()
    assert len(mailoutbox) == 1 and f"{base_url}/administration/welcome/" in mailoutbox[0].body
    # The roles are given again, one by one, each in the audit trail.
    services.role_give(person=nina, role=Role.JOBCOACH, actor=admin)
    assert User.objects.get(pk=nina.pk).roles == {Role.JOBCOACH}


def test_api_reactivate(admin, world, client):
    services.person_deactivate(person=world.second, actor=admin)
    client.force_login(admin)
    url = f"/api/v1/admin/people/{world.second.pk}/reactivate/"
    assert client.post(url, {}, content_type="application/json").status_code == 400
    done = client.post(url, {"reason": "Terug."}, content_type="application/json")
    assert done.status_code == 200 and done.json()["is_active"] is True and done.json()["roles"] == []


# --- check first ------------------------------------------------------------------------------

NEW_ENDPOINTS = [
    ("get", "/administration/people/{pk}/deactivate/", None),
    ("post", "/administration/people/{pk}/deactivate/", {"coordinator": "nobody"}),
    ("get", "/administration/people/{pk}/reactivate/", None),
    ("post", "/administration/people/{pk}/reactivate/", {"reason": "Gekaapt"}),
    ("get", "/api/v1/admin/people/{pk}/deactivate/", None),
    ("post", "/api/v1/admin/people/{pk}/deactivate/", {"coordinator": None}),
    ("post", "/api/v1/admin/people/{pk}/reactivate/", {"reason": "Gekaapt"}),
]


@pytest.mark.parametrize("method, template, body", NEW_ENDPOINTS, ids=[f"{m} {t}" for m, t, _ in NEW_ENDPOINTS])
@pytest.mark.parametrize("who", ["jobcoach", "manager", "other-region admin"])
def test_anyone_but_the_regions_administrator_gets_404(admin, world, far, make_person, client, method, template, body,
                                                       who):
    actor = {"jobcoach": world.asker, "manager": make_person(world.uwv, Role.MANAGER), "other-region admin": far.admin}[who]
    if "reactivate" in template:
        services.person_deactivate(person=world.second, actor=admin)
        target = world.second
    else:
        target = world.amb_person
    client.force_login(actor)
    url = template.format(pk=target.pk)
    if body is None:
        assert getattr(client, method)(url).status_code == 404
    elif url.startswith("/api/"):
        assert client.post(url, body, content_type="application/json").status_code == 404
        # Check first: a broken body does not change the answer.
        assert client.post(url, "{", content_type="application/json").status_code == 404
    else:
        assert client.post(url, body).status_code == 404
    target.refresh_from_db()
    assert target.is_active == (target.pk == world.amb_person.pk)
    assert not AdministrationEvent.objects.exclude(actor=admin).exists()


def test_only_the_regions_administrator_releases_an_experts_requests(admin, world, far):
    from werkbrug.core import policy

    request = _group_request(world, accept=False)
    assert policy.can(admin, "ee_request.release", request)
    for other in (far.admin, world.coordinator, world.asker, world.expert):
        assert not policy.can(other, "ee_request.release", request), other
    with pytest.raises(Exception):  # noqa: B017, PT011 — the policy's refusal (404 for a named object)
        ee_services.expert_requests_release(expert=world.expert, released_by=world.coordinator, reason="Weg.")
    request.refresh_from_db()
    assert request.status == RequestStatus.OFFERED


# --- requests the leaver made -------------------------------------------------------------------


def test_a_leavers_own_requests_go_to_the_clients_plan_director_or_are_cancelled(admin, team, world, make_person):
    """A jobcoach who asked for an expert for a client, and for a group, leaves: after the team
    hand-over the client's request is followed up by the new plan director (told); the group
    request has nobody to follow it up and is cancelled, the expert told."""
    from werkbrug.administration.services.handovers import Successor

    today = timezone.localdate()
    for_client = ee_services.request_create(
        requested_by=team.jobcoach, kind="one_on_one", period_start=today + timedelta(days=7),
        period_end=today + timedelta(days=14), trajectory=team.trajectory)
    for_group = ee_services.request_create(
        requested_by=team.jobcoach, kind="one_on_one", period_start=today + timedelta(days=7),
        period_end=today + timedelta(days=14), topic="Groep werkzoekenden", expert=world.expert)
    colleague = make_person(team.jobcoach.organisation, Role.JOBCOACH, first_name="Cas", last_name="Collega")
    services.person_hand_over(person=team.jobcoach, successors={team.trajectory.pk: Successor("colleague", colleague.pk)},
                              actor=admin)
    from werkbrug.administration.selectors import positions_of

    assert [r.pk for r in positions_of(team.jobcoach).requested] == sorted([for_client.pk, for_group.pk])
    services.person_deactivate(person=team.jobcoach, actor=admin, reason="Met pensioen.")
    for_client.refresh_from_db()
    for_group.refresh_from_db()
    assert for_client.requested_by == colleague and for_client.status == RequestStatus.OPEN
    assert Notification.objects.filter(recipient=colleague, kind=Kind.REQUESTS_HANDED_OVER).exists()
    assert for_group.status == RequestStatus.CANCELLED
    assert Notification.objects.filter(recipient=world.expert, kind=Kind.DEPLOYMENT_CANCELLED).exists()
    assert _event().after["requested"] == {"handed_over": [for_client.pk], "cancelled": [for_group.pk]}
