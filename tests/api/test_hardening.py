"""The API's plumbing against hostile input: check first, no existence oracle, problem details
everywhere under /api/v1/, bounded integers, bounded nesting."""

from __future__ import annotations

import json

import pytest

from werkbrug.core.choices import Role
from werkbrug.core.models import AccessLogRecord

# (method, url template, invalid body): every API write of the core apps that names an object.
WRITES = [
    ("patch", "/api/v1/clients/{c}/", {"date_of_birth": "no", "email": 5}),
    ("post", "/api/v1/clients/{c}/consents/", {"organisation": "{other_org}", "category": "nonsense"}),
    ("post", "/api/v1/clients/{c}/consents/withdraw/", {"organisation": "{other_org}"}),
    ("post", "/api/v1/trajectories/{t}/team/", {"person": "x"}),
    ("post", "/api/v1/trajectories/{t}/hand-over/", {}),
    ("post", "/api/v1/trajectories/{t}/close/", {"ended_on": "no"}),
    ("put", "/api/v1/trajectories/{t}/intake/", {"data": 5}),
    ("post", "/api/v1/plans/{t}/versions/", {"goals": "x"}),
    ("post", "/api/v1/plans/{t}/submit/", {}),
    ("post", "/api/v1/plans/{t}/agree/", {"version": "x"}),
    ("post", "/api/v1/plans/{t}/disagree/", {}),
    ("post", "/api/v1/trajectories/{t}/signals/", {"category": "weather", "recipients": ["x"]}),
    ("post", "/api/v1/trajectories/{t}/referrals/", {"organisation": "{other_org}"}),
    ("post", "/api/v1/trajectories/{t}/ips/phase-changes/", {"phase": "nonsense"}),
    ("post", "/api/v1/trajectories/{t}/employer-contacts/", {}),
    ("post", "/api/v1/trajectories/{t}/jobs/", {"start": "no"}),
]


@pytest.fixture
def stranger(other_region, make_org, make_person):
    """A professional of another region, who may see nothing of the team's client."""
    return make_person(make_org(in_region=other_region, name="Elders GGZ"), Role.JOBCOACH,
                       first_name="Vera", last_name="Vreemd")


def _fill(value, ids: dict):
    if isinstance(value, str):
        return ids[value[1:-1]] if value.startswith("{") else value
    if isinstance(value, list):
        return [_fill(v, ids) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    return value


@pytest.mark.parametrize(("method", "template", "body"), WRITES)
@pytest.mark.parametrize("who", ["outsider", "stranger"])
def test_missing_and_forbidden_answer_the_same_404_before_the_body_is_read(client, team, stranger, method, template,
                                                                          body, who):
    user = team.outsider if who == "outsider" else stranger
    client.force_login(user)
    ids = {"other_org": stranger.organisation_id}
    data = json.dumps(_fill(body, ids))
    before = AccessLogRecord.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    forbidden = getattr(client, method)(template.format(t=team.trajectory.pk, c=team.client.pk), data,
                                        content_type="application/json")
    records = list(AccessLogRecord.objects.filter(pk__gt=before))
    missing = getattr(client, method)(template.format(t=team.trajectory.pk + 999, c=team.client.pk + 999), data,
                                      content_type="application/json")
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.json() == missing.json()
    assert forbidden["Content-Type"] == "application/problem+json"
    assert "other_region" not in forbidden.content.decode() and team.client.last_name not in forbidden.content.decode()
    assert [(r.granted, r.client_pseudonym) for r in records] == [(False, team.client.pseudonym)]


def test_signal_recipients_never_name_people_outside_the_team(client, team, stranger):
    client.force_login(team.jobcoach)
    for recipients in ([stranger.pk], [team.outsider.pk], [stranger.pk + 1000]):
        response = client.post(f"/api/v1/trajectories/{team.trajectory.pk}/signals/",
                               {"category": "debts", "urgency": "normal", "text": "Let op", "recipients": recipients},
                               content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 400
        text = response.content.decode()
        assert stranger.last_name not in text and team.outsider.last_name not in text
        assert response.json()["errors"][0]["message"] == "Choose members of this team."


def test_signal_recipients_on_the_page_never_name_people_outside_the_team(client, team, stranger):
    client.force_login(team.jobcoach)
    response = client.post(f"/collaboration/trajectories/{team.trajectory.pk}/signals/new/",
                           {"category": "debts", "urgency": "normal", "text": "Let op",
                            "recipients": [stranger.pk, team.outsider.pk]})
    assert response.status_code == 200
    text = response.content.decode()
    assert stranger.last_name not in text and team.outsider.last_name not in text


@pytest.mark.parametrize("path", ["/api/v1/nothing-here/", "/api/v1/clients/1/nothing/", "/api/v1/x"])
def test_an_unknown_api_path_answers_problem_json(client, team, path):
    client.force_login(team.jobcoach)
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["title"] == "This was not found." and response.json()["status"] == 404


def test_an_unknown_path_outside_the_api_still_answers_the_page(client, team):
    client.force_login(team.jobcoach)
    response = client.get("/nothing-here/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")


HUGE = "99999999999999999999999"


@pytest.mark.parametrize("url", [
    f"/api/v1/organisations/?page={HUGE}",
    f"/api/v1/people/?page={HUGE}",
    f"/api/v1/referrals/incoming/?page={HUGE}",
    f"/api/v1/access-log/?page={HUGE}",
])
def test_a_page_beyond_64_bits_is_400_problem_json(client, team, privacy_officer, url):
    client.force_login(privacy_officer if "access-log" in url else team.jobcoach)
    response = client.get(url)
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == "page"


def test_a_huge_page_size_is_cut_to_the_maximum(client, team):
    client.force_login(team.jobcoach)
    response = client.get(f"/api/v1/organisations/?page_size={HUGE}")
    assert response.status_code == 200


@pytest.mark.parametrize("url", [
    f"/api/v1/clients/{HUGE}/",
    f"/api/v1/trajectories/{HUGE}/",
    f"/api/v1/trajectories/{HUGE}/?page={HUGE}",
    f"/api/v1/plans/{HUGE}/versions/",
    f"/api/v1/signals/{HUGE}/",
    f"/api/v1/referrals/{HUGE}/",
    f"/api/v1/organisations/{HUGE}/",
    f"/clients/{HUGE}/",
    f"/trajectories/{HUGE}/intake/",
])
def test_an_id_beyond_64_bits_in_the_path_is_404(client, team, url):
    client.force_login(team.jobcoach)
    response = client.get(url)
    assert response.status_code == 404


def test_the_diff_from_parameter_is_bounded(client, team):
    client.force_login(team.jobcoach)
    response = client.get(f"/api/v1/plans/{team.trajectory.pk}/versions/1/diff/?from={HUGE}")
    assert response.status_code in (400, 404)
    assert response["Content-Type"] == "application/problem+json"


def test_a_huge_integer_in_a_body_is_400(client, team):
    client.force_login(team.jobcoach)
    response = client.post(f"/api/v1/trajectories/{team.trajectory.pk}/team/",
                           f'{{"person": {HUGE}, "role": "jobcoach"}}', content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    response = client.post(f"/api/v1/trajectories/{team.trajectory.pk}/signals/",
                           f'{{"category": "debts", "text": "x", "recipients": [{HUGE}]}}',
                           content_type="application/json")
    assert response.status_code == 400


def test_a_huge_id_in_a_form_is_not_a_500(client, team):
    client.force_login(team.jobcoach)
    response = client.post(f"/trajectories/{team.trajectory.pk}/team/add/", {"person": HUGE, "role": "jobcoach"})
    assert response.status_code in (200, 400)


@pytest.mark.parametrize("depth", [33, 5000])
def test_json_nested_too_deeply_is_400_problem_json(client, team, depth):
    client.force_login(team.jobcoach)
    body = '{"category": "debts", "text": "x", "recipients": ' + "[" * depth + "]" * depth + "}"
    response = client.post(f"/api/v1/trajectories/{team.trajectory.pk}/signals/", body,
                           content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == "The request is nested too deeply."


def test_json_nested_within_the_limit_still_parses(client, team):
    from werkbrug.api.parsers import MAX_DEPTH, too_deep

    nested: list = []
    for _ in range(MAX_DEPTH - 1):
        nested = [nested]
    assert not too_deep(nested) and too_deep([nested])
    client.force_login(team.jobcoach)
    response = client.post(f"/api/v1/trajectories/{team.trajectory.pk}/signals/",
                           {"category": "debts", "urgency": "normal", "text": "Hallo",
                            "recipients": [team.labour_expert.pk]}, content_type="application/json")
    assert response.status_code == 201


def test_joining_through_someone_elses_referral_is_404_like_a_missing_one(client, team, make_org, make_person):
    from werkbrug.clients.models import ConsentMethod
    from werkbrug.clients.services import consent_grant
    from werkbrug.collaboration.services import referral_create
    from werkbrug.core.choices import DataCategory, OrganisationType

    debt_org = make_org(OrganisationType.DEBT_COUNSELLING, "Schuldhulp Test")
    counsellor = make_person(debt_org, Role.DEBT_COUNSELLOR)  # the receiving organisation records its consent
    consent_grant(client=team.client, organisation=debt_org, category=DataCategory.PARTICIPATION,
                  recorded_by=counsellor, method=ConsentMethod.PAPER, evidence="Getekend formulier")
    referral = referral_create(trajectory=team.trajectory, referred_by=team.jobcoach, organisation=debt_org,
                               service="debt_counselling", question="Schulden op orde")
    client.force_login(team.outsider)
    before = AccessLogRecord.objects.count()
    forbidden = client.post(f"/api/v1/referrals/{referral.pk}/join-team/")
    missing = client.post(f"/api/v1/referrals/{referral.pk + 99}/join-team/")
    assert forbidden.status_code == missing.status_code == 404 and forbidden.json() == missing.json()
    assert AccessLogRecord.objects.count() - before == 1
    assert client.post(f"/collaboration/referrals/{referral.pk}/join/").status_code == 404
    for step, body in (("accept", {"x": 1}), ("reject", {"reason": 5}), ("withdraw", {}), ("complete", {"outcome": "?"})):
        forbidden = client.post(f"/api/v1/referrals/{referral.pk}/{step}/", body, content_type="application/json")
        missing = client.post(f"/api/v1/referrals/{referral.pk + 99}/{step}/", body, content_type="application/json")
        assert forbidden.status_code == missing.status_code == 404 and forbidden.json() == missing.json(), step
