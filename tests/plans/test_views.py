"""Plan pages through the test client: rendering, edit, conflict, answers, one log record each."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from tests.support.crawl import assert_each_request_logged_once
from werkbrug.core.models import AccessLogRecord
from werkbrug.plans.models import Plan, PlanResponse, PlanVersion

pytestmark = pytest.mark.django_db


def _edit_data(team, version, *, goal_title="Betaald werk", based_on=None, extra_action=None):
    actions = list(version.actions.all()) if version else []
    data = {
        "based_on": str(version.number if version else 0) if based_on is None else str(based_on),
        "revision": str(Plan.objects.filter(trajectory=team.trajectory).values_list("revision", flat=True).first() or 0),
        "note": "Aangepast", "submit": "on",
        "goals-TOTAL_FORMS": "1", "goals-INITIAL_FORMS": "1", "goals-MIN_NUM_FORMS": "0", "goals-MAX_NUM_FORMS": "1000",
        "goals-0-title": goal_title, "goals-0-description": "",
        "actions-TOTAL_FORMS": str(len(actions) + (1 if extra_action else 0)), "actions-INITIAL_FORMS": str(len(actions)),
        "actions-MIN_NUM_FORMS": "0", "actions-MAX_NUM_FORMS": "1000",
    }
    if version:
        data["goals-0-key"] = str(version.goals.get().key)
    for i, a in enumerate(actions):
        data.update({f"actions-{i}-key": str(a.key), f"actions-{i}-goal": "0", f"actions-{i}-title": a.title,
                     f"actions-{i}-owner": "client" if a.owner_is_client else str(a.owner_id),
                     f"actions-{i}-due_on": a.due_on.isoformat(), f"actions-{i}-status": a.status})
    if extra_action:
        i = len(actions)
        data.update({f"actions-{i}-goal": "0", f"actions-{i}-title": extra_action["title"],
                     f"actions-{i}-owner": extra_action["owner"], f"actions-{i}-due_on": extra_action["due_on"],
                     f"actions-{i}-status": "open"})
    return data


def test_plan_pages_render_and_log_once_each(client, team, plan_v1):
    client.force_login(team.jobcoach)
    pk = team.trajectory.pk
    assert_each_request_logged_once(client, [
        ("GET", reverse("plans:plan", kwargs={"trajectory_pk": pk})),
        ("GET", reverse("plans:edit", kwargs={"trajectory_pk": pk})),
        ("GET", reverse("plans:versions", kwargs={"trajectory_pk": pk})),
        ("GET", reverse("plans:version", kwargs={"trajectory_pk": pk, "number": 1})),
        ("GET", reverse("plans:diff", kwargs={"trajectory_pk": pk})),
    ])
    page = client.get(reverse("plans:plan", kwargs={"trajectory_pk": pk})).content.decode()
    assert "Wacht op instemming" in page
    assert "Cv bijwerken" in page


def test_posts_log_once_each(client, team, plan_v1):
    client.force_login(team.jobcoach)
    pk = team.trajectory.pk
    action = plan_v1.actions.first()
    for url, data in [
        (reverse("plans:agree", kwargs={"trajectory_pk": pk}), lambda: {"version": "1"}),
        (reverse("plans:action_status", kwargs={"trajectory_pk": pk, "action_pk": action.pk}), lambda: {"status": "done"}),
        # built after the status change: an edit based on what was there before it would be a conflict
        (reverse("plans:edit", kwargs={"trajectory_pk": pk}), lambda: _edit_data(team, plan_v1, goal_title="Nieuw doel")),
    ]:
        data = data()
        before = AccessLogRecord.objects.count()
        response = client.post(url, data)
        assert response.status_code == 302, (url, response.status_code)
        assert AccessLogRecord.objects.count() - before == 1, url


def test_outsider_and_other_client_get_404(client, team, plan_v1):
    client.force_login(team.outsider)
    assert client.get(reverse("plans:plan", kwargs={"trajectory_pk": team.trajectory.pk})).status_code == 404
    assert client.post(reverse("plans:agree", kwargs={"trajectory_pk": team.trajectory.pk}), {"version": "1"}).status_code == 404
    assert not PlanResponse.objects.exists()


def test_edit_saves_a_new_version(client, team, plan_v1):
    client.force_login(team.labour_expert)
    url = reverse("plans:edit", kwargs={"trajectory_pk": team.trajectory.pk})
    data = _edit_data(team, plan_v1, extra_action={"title": "Werkplek bekijken", "owner": "client",
                                                   "due_on": (team.trajectory.started_on + timedelta(days=3)).isoformat()})
    response = client.post(url, data)
    assert response.status_code == 302
    v2 = PlanVersion.objects.get(number=2)
    assert v2.actions.count() == 3 and v2.submitted_at is not None


def test_edit_with_a_stale_version_shows_the_conflict_and_keeps_the_input(client, team, plan_v1):
    url = reverse("plans:edit", kwargs={"trajectory_pk": team.trajectory.pk})
    client.force_login(team.jobcoach)
    assert client.post(url, _edit_data(team, plan_v1, goal_title="Werk in de zorg")).status_code == 302
    client.force_login(team.labour_expert)
    response = client.post(url, _edit_data(team, plan_v1, goal_title="Werk in de techniek", based_on=1))
    assert response.status_code == 409
    page = response.content.decode()
    assert "Werk in de zorg" in page  # the other's change
    assert 'value="Werk in de techniek"' in page  # this person's input, kept
    assert 'name="based_on" value="2"' in page
    assert PlanVersion.objects.count() == 2


def test_bad_input_shows_errors(client, team, plan_v1):
    client.force_login(team.jobcoach)
    url = reverse("plans:edit", kwargs={"trajectory_pk": team.trajectory.pk})
    data = _edit_data(team, plan_v1, extra_action={"title": "Te vroeg", "owner": str(team.outsider.pk),
                                                   "due_on": (team.trajectory.started_on - timedelta(days=3)).isoformat()})
    response = client.post(url, data)
    assert response.status_code == 400
    assert PlanVersion.objects.count() == 1


def test_agreeing_to_an_outdated_version_shows_a_clear_error(client, team, plan_v1):
    client.force_login(team.jobcoach)
    client.post(reverse("plans:edit", kwargs={"trajectory_pk": team.trajectory.pk}), _edit_data(team, plan_v1, goal_title="Anders"))
    response = client.post(reverse("plans:agree", kwargs={"trajectory_pk": team.trajectory.pk}), {"version": "1"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "versie 2 is nu de geldende versie" in page
    assert not PlanResponse.objects.exists()


def test_client_cannot_open_the_edit_form(client, team, client_user, plan_v1):
    client.force_login(client_user)
    assert client.get(reverse("plans:edit", kwargs={"trajectory_pk": team.trajectory.pk})).status_code == 404


def test_professional_records_the_clients_answer_on_the_page(client, team, plan_v1):
    client.force_login(team.jobcoach)
    url = reverse("plans:plan", kwargs={"trajectory_pk": team.trajectory.pk})
    assert "Antwoord van de cliënt vastleggen" in client.get(url).content.decode()
    response = client.post(reverse("plans:agree", kwargs={"trajectory_pk": team.trajectory.pk}), {"version": "1", "for_client": "on"})
    assert response.status_code == 302
    answer = PlanResponse.objects.get()
    assert answer.for_client and answer.person == team.jobcoach
    page = client.get(url).content.decode()
    assert "Antwoord van de cliënt vastleggen" not in page
    assert "vastgelegd door Jet Coach" in page
