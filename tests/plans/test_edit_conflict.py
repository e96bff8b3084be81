"""Lost updates: a save never silently reverts a change the editor has not seen.

Progress on an action (its status) is recorded on the current version without making a new one;
an editor who opened the edit page before that change posts the old status. The plan's revision
(bumped by every change) catches it: the save is refused and the page shows both versions side by
side; the API answers 409 problem+json.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.plans.test_views import _edit_data
from werkbrug.plans.models import Action, Plan, PlanVersion
from werkbrug.plans.services import PlanConflict, action_status_set, plan_save

from .conftest import goals_from

pytestmark = pytest.mark.django_db


def _revision(team) -> int:
    return Plan.objects.get(trajectory=team.trajectory).revision


def test_status_change_then_stale_save_is_a_conflict_in_the_service(team, plan_v1):
    revision = _revision(team)
    goals = goals_from(plan_v1)  # the editor's copy: statuses still "open"
    action_status_set(action=plan_v1.actions.get(title="Cv bijwerken"), actor=team.labour_expert, status="done")
    goals[0].title = "Werk in de techniek"
    with pytest.raises(PlanConflict) as exc:
        plan_save(trajectory=team.trajectory, actor=team.jobcoach, based_on=1, revision=revision, goals=goals)
    assert exc.value.code == "version_conflict" and exc.value.revision == revision + 1
    assert PlanVersion.objects.count() == 1
    assert Action.objects.get(version=plan_v1, title="Cv bijwerken").status == "done"


def test_save_with_the_current_revision_keeps_working(team, plan_v1):
    action_status_set(action=plan_v1.actions.get(title="Cv bijwerken"), actor=team.labour_expert, status="done")
    v1 = PlanVersion.objects.get(pk=plan_v1.pk)
    goals = goals_from(v1)
    goals[0].title = "Werk in de techniek"
    v2 = plan_save(trajectory=team.trajectory, actor=team.jobcoach, based_on=1, revision=_revision(team), goals=goals)
    assert v2.actions.get(title="Cv bijwerken").status == "done"


def test_edit_page_after_a_status_change_shows_both_versions_and_saves_nothing(client, team, plan_v1):
    url = reverse("plans:edit", kwargs={"trajectory_pk": team.trajectory.pk})
    client.force_login(team.jobcoach)
    page = client.get(url).content.decode()
    revision = _revision(team)
    assert f'name="revision" value="{revision}"' in page
    data = _edit_data(team, plan_v1, goal_title="Werk in de techniek") | {"revision": str(revision)}
    # meanwhile a colleague marks an action done
    client.force_login(team.labour_expert)
    assert client.post(reverse("plans:action_status", kwargs={"trajectory_pk": team.trajectory.pk,
                                                              "action_pk": plan_v1.actions.get(title="Cv bijwerken").pk}),
                       {"status": "done"}).status_code == 302
    client.force_login(team.jobcoach)
    response = client.post(url, data)
    assert response.status_code == 409
    page = response.content.decode()
    assert PlanVersion.objects.count() == 1  # nothing overwritten
    assert Action.objects.get(version=plan_v1, title="Cv bijwerken").status == "done"
    # side by side: the saved version (with the colleague's status) and the editor's unsaved input
    assert 'id="conflict-saved"' in page and 'id="conflict-mine"' in page
    saved = page[page.index('id="conflict-saved"'):page.index('id="conflict-mine"')]
    mine = page[page.index('id="conflict-mine"'):page.index("</section>", page.index('id="conflict-mine"'))]
    assert "Klaar" in saved and "Betaald werk in de groenvoorziening" in saved
    assert "Werk in de techniek" in mine
    assert f'name="revision" value="{revision + 1}"' in page  # the form now knows what the editor has seen


def test_edit_without_a_revision_is_refused(client, team, plan_v1):
    client.force_login(team.jobcoach)
    data = _edit_data(team, plan_v1, goal_title="Werk in de techniek")
    del data["revision"]
    response = client.post(reverse("plans:edit", kwargs={"trajectory_pk": team.trajectory.pk}), data)
    assert response.status_code == 400
    assert PlanVersion.objects.count() == 1


def test_api_stale_revision_is_409_problem(team, plan_v1):
    api = APIClient()
    api.force_authenticate(team.jobcoach)
    base = f"/api/v1/plans/{team.trajectory.pk}/"
    revision = api.get(base).json()["revision"]
    api.post(base + f"actions/{plan_v1.actions.get(title='Cv bijwerken').pk}/status/", {"status": "done"}, format="json")
    start = team.trajectory.started_on
    body = {"based_on": 1, "revision": revision, "goals": [{"title": "Werk", "actions": [
        {"title": "Cv bijwerken", "owner": "client", "due_on": start.isoformat()}]}]}
    response = api.post(base + "versions/", body, format="json")
    assert response.status_code == 409 and response["Content-Type"].startswith("application/problem+json")
    assert PlanVersion.objects.count() == 1
    body["revision"] = api.get(base).json()["revision"]
    assert api.post(base + "versions/", body, format="json").status_code == 201
