"""Pages and API: the region administrator's own region only (404 outside it), check first, the
audit trail on a page, Dutch text."""

from __future__ import annotations

import pytest

from werkbrug.administration import services
from werkbrug.administration.models import AdministrationEvent, EventAction
from werkbrug.core.choices import Role
from werkbrug.core.models import Organisation, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_admin(far):
    return far.admin


# (method, url template, body) — each names an object of the far region: 404 for our administrator.
CROSS_REGION = [
    ("get", "/administration/organisations/{org}/", None),
    ("post", "/administration/organisations/{org}/", {"name": "Gekaapt", "type": "ggz"}),
    ("get", "/administration/people/{person}/", None),
    ("post", "/administration/people/{person}/", {"do": "deactivate"}),
    ("post", "/administration/people/{person}/", {"do": "give-role", "give-role": "region_admin"}),
    ("get", "/administration/people/{person}/hand-over/", None),
    ("post", "/administration/people/{person}/hand-over/", {"all": "leave"}),
    ("get", "/api/v1/admin/organisations/{org}/", None),
    ("patch", "/api/v1/admin/organisations/{org}/", {"name": "Gekaapt"}),
    ("get", "/api/v1/admin/people/{person}/", None),
    ("patch", "/api/v1/admin/people/{person}/", {"first_name": "Gekaapt"}),
    ("post", "/api/v1/admin/people/{person}/give-role/", {"role": "region_admin"}),
    ("post", "/api/v1/admin/people/{person}/take-role/", {"role": "jobcoach"}),
    ("post", "/api/v1/admin/people/{person}/link-identity/", {"subject": "x"}),
    ("post", "/api/v1/admin/people/{person}/unlink-identity/", {"identity": 1}),
    ("post", "/api/v1/admin/people/{person}/deactivate/", {}),
    ("post", "/api/v1/admin/people/{person}/resend-invitation/", {}),
    ("get", "/api/v1/admin/people/{person}/hand-over/", None),
    ("post", "/api/v1/admin/people/{person}/hand-over/", {"successors": []}),
]


@pytest.mark.parametrize("method, template, body", CROSS_REGION, ids=[f"{m} {t}" for m, t, _ in CROSS_REGION])
def test_another_regions_objects_are_not_found(admin, far, client, method, template, body):
    client.force_login(admin)
    url = template.format(org=far.org.pk, person=far.person.pk)
    kwargs = {}
    if body is not None:
        kwargs = {"data": body, "content_type": "application/json"} if url.startswith("/api/") else {"data": body}
    response = getattr(client, method)(url, **kwargs)
    assert response.status_code == 404
    missing = getattr(client, method)(template.format(org=987654321, person=987654321), **kwargs)
    assert missing.status_code == 404
    far.person.refresh_from_db()
    far.org.refresh_from_db()
    assert far.person.is_active and far.person.first_name == "Ver" and far.org.name == "GGZ Ver"
    assert not AdministrationEvent.objects.exists()


@pytest.mark.parametrize("url", ["/administration/", "/administration/organisations/", "/administration/audit-trail/",
                                 "/administration/people/invite/", "/api/v1/admin/people/", "/api/v1/admin/events/"])
@pytest.mark.parametrize("role", [Role.MANAGER, Role.JOBCOACH, Role.PRIVACY_OFFICER])
def test_other_roles_are_refused_the_pages(make_person, make_org, client, url, role):
    client.force_login(make_person(make_org(), role))
    assert client.get(url).status_code == 403


def test_lists_show_only_the_own_region(admin, far, jobcoach, client):
    client.force_login(admin)
    page = client.get("/administration/")
    assert page.status_code == 200
    text = page.content.decode()
    assert jobcoach.get_full_name() in text and "Ver Coach" not in text
    assert "Wie heeft welke rol" in text
    people = client.get("/api/v1/admin/people/").json()["results"]
    assert {p["id"] for p in people} == set(User.objects.filter(region=admin.region).values_list("pk", flat=True))
    orgs = client.get("/api/v1/admin/organisations/").json()["results"]
    assert far.org.pk not in {o["id"] for o in orgs}


def test_filter_by_organisation_and_role(admin, jobcoach, make_person, make_org, client):
    other = make_person(make_org(), Role.JOBCOACH, first_name="Andere", last_name="Coach")
    client.force_login(admin)
    text = client.get("/administration/", {"organisation": jobcoach.organisation_id, "role": "jobcoach"}).content.decode()
    assert jobcoach.get_full_name() in text and other.get_full_name() not in text
    data = client.get("/api/v1/admin/people/", {"role": "region_admin"}).json()["results"]
    assert [p["id"] for p in data] == [admin.pk]
    assert client.get("/api/v1/admin/people/", {"role": "pope"}).status_code == 400


def test_invite_give_and_take_a_role_through_the_pages(admin, ggz, client, base_url, mailoutbox):
    client.force_login(admin)
    response = client.post("/administration/people/invite/", {
        "first_name": "Nina", "last_name": "Nieuw", "email": "nina@example.org", "organisation": ggz.pk,
    })
    nina = User.objects.get(email="nina@example.org")
    assert response.status_code == 302 and response["Location"] == f"/administration/people/{nina.pk}/"
    client.post(f"/administration/people/{nina.pk}/", {"do": "give", "give-role": Role.JOBCOACH})
    assert User.objects.get(pk=nina.pk).roles == {Role.JOBCOACH}
    client.post(f"/administration/people/{nina.pk}/", {"do": "take", "role": Role.JOBCOACH})
    assert User.objects.get(pk=nina.pk).roles == frozenset()
    trail = client.get("/administration/audit-trail/").content.decode()
    for label in ("Persoon uitgenodigd", "Rol gegeven", "Rol afgenomen"):
        assert label in trail
    assert "Jobcoach" in trail or "jobcoach" in trail.lower()


def test_deactivating_someone_in_a_team_leads_to_the_hand_over_page(admin, team, client):
    client.force_login(admin)
    response = client.post(f"/administration/people/{team.jobcoach.pk}/", {"do": "deactivate"})
    assert response.status_code == 302
    assert response["Location"] == f"/administration/people/{team.jobcoach.pk}/hand-over/?then=deactivate"
    assert User.objects.get(pk=team.jobcoach.pk).is_active
    page = client.get(response["Location"])
    text = page.content.decode()
    # The client is named by trajectory number only.
    assert team.client.last_name not in text and team.client.pseudonym not in text
    assert f"seat_{team.trajectory.pk}" in text


def test_hand_over_page_for_all_clients(admin, team, make_person, client):
    colleague = make_person(team.ggz, Role.JOBCOACH)
    client.force_login(admin)
    response = client.post(f"/administration/people/{team.jobcoach.pk}/hand-over/", {"all": f"colleague:{colleague.pk}"})
    assert response.status_code == 302
    assert team.trajectory.__class__.objects.get(pk=team.trajectory.pk).plan_director_id == colleague.pk


def test_api_hand_over_and_deactivate(admin, team, make_person, client):
    colleague = make_person(team.ggz, Role.JOBCOACH)
    client.force_login(admin)
    url = f"/api/v1/admin/people/{team.jobcoach.pk}/"
    refused = client.post(url + "deactivate/", {}, content_type="application/json")
    assert refused.status_code == 400 and "hand_over_first" in refused.content.decode()
    seats = client.get(url + "hand-over/").json()
    assert [s["trajectory"] for s in seats["seats"]] == [team.trajectory.pk]
    assert colleague.pk in [c["id"] for c in seats["colleagues"]]
    done = client.post(url + "hand-over/", {"successors": [
        {"trajectory": team.trajectory.pk, "kind": "colleague", "person": colleague.pk}]}, content_type="application/json")
    assert done.status_code == 200 and done.json()["seats"] == []
    assert client.post(url + "deactivate/", {}, content_type="application/json").json()["is_active"] is False


def test_api_organisation_create_and_events(admin, client):
    client.force_login(admin)
    created = client.post("/api/v1/admin/organisations/", {"name": "Werkplaats Oost", "type": "reintegration"},
                          content_type="application/json")
    assert created.status_code == 201
    assert Organisation.objects.get(pk=created.json()["id"]).region_id == admin.region_id
    events = client.get("/api/v1/admin/events/").json()["results"]
    assert events[0]["action"] == EventAction.ORGANISATION_ADDED
    assert events[0]["after"]["name"] == "Werkplaats Oost"


def test_manager_sees_own_organisation_on_the_hand_overs_page(team, make_person, client):
    manager = make_person(team.ggz, Role.MANAGER)
    client.force_login(manager)
    text = client.get("/administration/hand-overs/").content.decode()
    assert team.jobcoach.get_full_name() in text and team.labour_expert.get_full_name() not in text
    assert client.get(f"/administration/people/{team.labour_expert.pk}/hand-over/").status_code == 404
    assert client.get(f"/administration/people/{team.jobcoach.pk}/hand-over/").status_code == 200


def test_welcome_link_with_a_bad_token_is_not_found(jobcoach, client):
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    uid = urlsafe_base64_encode(force_bytes(jobcoach.pk))
    assert client.get(f"/administration/welcome/{uid}/abc-def/").status_code == 404
    assert client.get("/administration/welcome/!!/abc-def/").status_code == 404


def test_person_page_queries_are_bounded(admin, team, client, django_assert_max_num_queries):
    services.role_give(person=team.jobcoach, role=Role.AMBASSADOR, actor=admin)
    client.force_login(admin)
    client.get("/administration/")
    with django_assert_max_num_queries(30):
        assert client.get(f"/administration/people/{team.jobcoach.pk}/").status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get("/administration/").status_code == 200


def test_ambassadors_page_links_to_the_roles_for_the_region_administrator(admin, client):
    client.force_login(admin)
    text = client.get("/ambassadors/people/").content.decode()
    assert "Geef eerst iemand die rol." in text
    assert '<a href="/administration/">Rollen geven in het regiobeheer</a>' in text
