"""The person a call acts for, named per call in `X-Werkbrug-Acting-Person`, among those the region
administrator allowed; the policy decides as for that person and the access log names both."""

from __future__ import annotations

import pytest

from werkbrug.administration.models import AdministrationEvent, EventAction
from werkbrug.clients.models import ConsentMethod
from werkbrug.clients.services import consent_grant
from werkbrug.collaboration.services import signal_create
from werkbrug.core.choices import DataCategory, Role
from werkbrug.core.models import AccessLogRecord
from werkbrug.interchange.models import FhirSubscription, SubscriptionNotification, SystemClient
from werkbrug.interchange.services import system_change
from werkbrug.trajectories.models import Trajectory
from werkbrug.trajectories.services import team_member_add, trajectory_start

pytestmark = pytest.mark.django_db


@pytest.fixture
def second(team, make_person, make_client):
    """A second GGZ jobcoach with a client of her own, in another team."""
    coach = make_person(team.ggz, Role.JOBCOACH, first_name="Sara", last_name="Tweede", username="sara.tweede")
    own = make_client(coach, first_name="Bo", last_name="Eigen")
    trajectory_start(client=own, started_by=coach, role=Role.JOBCOACH, consent_method=ConsentMethod.VERBAL)
    return coach, own


@pytest.fixture
def allowed(system, region_admin, team, second):
    system_change(actor=region_admin, system=system.client, acting_person=team.jobcoach, persons=[second[0]],
                  jwks="")
    return system


def pseudonyms(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {e["resource"]["id"] for e in response.json().get("entry", [])}


def test_each_named_person_sees_only_their_own_clients(allowed, fhir, team, second):
    coach, own = second
    assert pseudonyms(fhir("Patient")) == {team.client.pseudonym}  # no header: the default person
    assert pseudonyms(fhir("Patient", HTTP_X_WERKBRUG_ACTING_PERSON=coach.username)) == {own.pseudonym}
    assert pseudonyms(fhir("Patient", HTTP_X_WERKBRUG_ACTING_PERSON=team.jobcoach.username)) == {team.client.pseudonym}
    # Reading the other person's client by id is the same 404 as a missing one.
    other = fhir(f"Patient/{team.client.pseudonym}", HTTP_X_WERKBRUG_ACTING_PERSON=coach.username)
    assert other.status_code == 404
    record = AccessLogRecord.objects.filter(actor_id_snapshot=coach.pk, action="client.view", granted=True).first()
    assert record is not None and "via GGZ-dossier" in record.purpose and allowed.client.client_id in record.purpose


@pytest.mark.parametrize("who", ["unknown", "same_org_not_allowed", "other_org", "left"])
def test_a_person_the_system_may_not_act_for_is_a_403_that_tells_nothing(allowed, fhir, team, second, who):
    coach, _own = second
    if who == "left":
        coach.is_active = False
        coach.save(update_fields=["is_active"])
        name = coach.username
    else:
        name = {"unknown": "niemand.bekend", "same_org_not_allowed": team.outsider.username,
                "other_org": team.labour_expert.username}[who]
    response = fhir("Patient", HTTP_X_WERKBRUG_ACTING_PERSON=name)
    assert response.status_code == 403
    body = response.json()
    assert body["resourceType"] == "OperationOutcome"
    assert body["issue"][0]["diagnostics"] == ("this system may not act for the person named in "
                                              "X-Werkbrug-Acting-Person")


def test_a_person_taken_off_the_list_can_no_longer_be_named(allowed, fhir, team, second, region_admin):
    coach, own = second
    assert pseudonyms(fhir("Patient", HTTP_X_WERKBRUG_ACTING_PERSON=coach.username)) == {own.pseudonym}
    system_change(actor=region_admin, system=allowed.client, acting_person=team.jobcoach, persons=[], jwks="")
    assert fhir("Patient", HTTP_X_WERKBRUG_ACTING_PERSON=coach.username).status_code == 403


def test_a_subscription_is_decided_for_the_person_who_made_it(allowed, client, get_token, team, second, settings):
    settings.FHIR_SUBSCRIPTION_ALLOW_HTTP = True
    settings.FHIR_SUBSCRIPTION_ALLOW_PRIVATE = True
    coach, _own = second
    token = get_token(allowed)
    response = client.post("/fhir/R4/Subscription", {
        "resourceType": "Subscription", "status": "active", "reason": "x", "criteria": "Communication",
        "channel": {"type": "rest-hook", "endpoint": "http://127.0.0.1:9/hook"},
    }, content_type="application/fhir+json", HTTP_AUTHORIZATION=f"Bearer {token}",
        HTTP_X_WERKBRUG_ACTING_PERSON=coach.username)
    assert response.status_code == 201, response.content
    assert FhirSubscription.objects.get().person == coach


def test_the_administrator_names_the_persons_on_the_system_page(as_user, region_admin, allowed, team, second):
    coach, _own = second
    browser = as_user(region_admin)
    url = f"/interchange/systems/{allowed.client.pk}/"
    page = browser.get(url)
    assert page.status_code == 200 and "Mag ook handelen namens" in page.content.decode()
    refused = browser.post(url, {"acting_person": team.jobcoach.pk, "persons": [team.labour_expert.pk], "jwks": ""})
    assert refused.status_code == 200  # the labour expert is of another organisation: not offered
    assert list(SystemClient.objects.get().persons.all()) == [coach]
    done = browser.post(url, {"acting_person": coach.pk, "persons": [team.jobcoach.pk], "jwks": ""})
    assert done.status_code == 302
    system = SystemClient.objects.get()
    assert system.acting_person == coach and list(system.persons.all()) == [team.jobcoach]
    event = AdministrationEvent.objects.filter(action=EventAction.SYSTEM_CHANGED).order_by("pk").last()
    assert event.after["persons"] == [team.jobcoach.pk] and event.before["persons"] == [coach.pk]


def test_a_professional_cannot_open_the_system_page(as_user, allowed, team):
    assert as_user(team.jobcoach).get(f"/interchange/systems/{allowed.client.pk}/").status_code in (403, 404)


def test_a_subscription_is_owed_only_what_its_own_person_may_read(allowed, team, second, region_admin,
                                                                  django_capture_on_commit_callbacks):
    coach, _own = second
    FhirSubscription.objects.create(system=allowed.client, person=coach, criteria="Communication",
                                    endpoint="http://127.0.0.1:9/sara")
    FhirSubscription.objects.create(system=allowed.client, criteria="Communication", endpoint="http://127.0.0.1:9/jet")
    with django_capture_on_commit_callbacks(execute=True):
        signal_create(trajectory=team.trajectory, author=team.jobcoach, category="mood", urgency="normal",
                      text="Voor het team van Jet.", recipients=[team.labour_expert])
    owed = list(SubscriptionNotification.objects.values_list("subscription__endpoint", flat=True))
    assert owed == ["http://127.0.0.1:9/jet"]  # Sara is not in this client's team
    # Her own client's signal is owed to her subscription; once she is taken off the list, no more.
    own_trajectory = Trajectory.objects.get(client=_own)
    consent_grant(client=_own, organisation=team.ggz, category=DataCategory.SIGNALS, recorded_by=coach,
                  method=ConsentMethod.PAPER, evidence="Formulier")
    team_member_add(trajectory=own_trajectory, person=team.outsider, role=Role.THERAPIST, added_by=coach)
    with django_capture_on_commit_callbacks(execute=True):
        signal_create(trajectory=own_trajectory, author=coach, category="work", urgency="normal",
                      text="Voor Sara.", whole_team=True)
    assert SubscriptionNotification.objects.filter(subscription__person=coach).count() == 1
    system_change(actor=region_admin, system=allowed.client, acting_person=team.jobcoach, persons=[], jwks="")
    with django_capture_on_commit_callbacks(execute=True):
        signal_create(trajectory=own_trajectory, author=coach, category="work", urgency="normal",
                      text="Weer voor Sara.", whole_team=True)
    assert SubscriptionNotification.objects.filter(subscription__person=coach).count() == 1
