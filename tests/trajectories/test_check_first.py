"""Check first: every write page authorizes before it reads its input, for every method.

A professional outside the client's team who posts (bad or empty) input to a write page gets the
same 404 as for a missing object, the page shows nothing of the client, and the attempt leaves
exactly one denied access-log record. A team member's successful write still leaves one record
(the view's check and the service's identical check are logged once).
"""

from __future__ import annotations

import pytest

from werkbrug.core.models import AccessLogRecord

# (url template, posted data): bad or empty input for each write page of these apps.
WRITE_PAGES = [
    ("/trajectories/{t}/intake/", {"expected_version": "x", "work_history": "a" * 10}),
    ("/trajectories/{t}/intake/", {}),
    ("/trajectories/{t}/team/add/", {}),
    ("/trajectories/{t}/team/add/", {"person": "nobody", "role": "???"}),
    ("/trajectories/{t}/plan-director/", {}),
    ("/trajectories/{t}/plan-director/", {"new_director": "-1"}),
    ("/trajectories/{t}/close/", {"ended_on": "not a date"}),
    ("/trajectories/{t}/team/{m}/remove/", {}),
    ("/clients/{c}/edit/", {"first_name": "", "date_of_birth": "no"}),
    ("/clients/{c}/consents/", {"organisation": "x", "categories": ["nonsense"]}),
    ("/clients/{c}/consents/withdraw/", {"prefix": "w1", "w1-organisation": "x"}),
    ("/plans/{t}/edit/", {"based_on": "x", "goals-TOTAL_FORMS": "1"}),
    ("/plans/{t}/submit/", {"version": "x"}),
    ("/plans/{t}/agree/", {}),
    ("/plans/{t}/disagree/", {"version": "1"}),
    ("/collaboration/trajectories/{t}/signals/new/", {"category": "weather", "recipients": ["1"]}),
    ("/collaboration/trajectories/{t}/referrals/new/", {"organisation": "x"}),
    ("/employment/trajectories/{t}/phase/", {"phase": "nonsense"}),
    ("/employment/trajectories/{t}/employer-contacts/new/", {}),
    ("/employment/trajectories/{t}/jobs/new/", {"start": "x"}),
]


def _url(template: str, team) -> str:
    member = team.trajectory.team.filter(person=team.labour_expert).first() if "{m}" in template else None
    return template.format(t=team.trajectory.pk, c=team.client.pk, m=member.pk if member else 0)


def _denied(before: int) -> list[AccessLogRecord]:
    return list(AccessLogRecord.objects.filter(pk__gt=before))


@pytest.mark.parametrize(("template", "data"), WRITE_PAGES)
def test_an_outsider_posting_any_input_gets_404_and_one_denied_record(client, team, template, data):
    client.force_login(team.outsider)
    before = AccessLogRecord.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    response = client.post(_url(template, team), data)
    assert response.status_code == 404
    text = response.content.decode()
    assert team.client.last_name not in text and team.client.pseudonym not in text
    records = _denied(before)
    assert len(records) == 1, [(r.action, r.granted) for r in records]
    assert records[0].granted is False and records[0].client_pseudonym == team.client.pseudonym


@pytest.mark.parametrize(("template", "data"), WRITE_PAGES)
def test_a_missing_object_answers_the_same_404(client, team, template, data):
    client.force_login(team.outsider)
    missing = template.format(t=team.trajectory.pk + 1000, c=team.client.pk + 1000, m=1)
    assert client.post(missing, data).status_code == 404


def test_a_successful_write_still_leaves_one_record(client, team):
    client.force_login(team.jobcoach)
    before = AccessLogRecord.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    response = client.post(f"/trajectories/{team.trajectory.pk}/team/add/",
                           {"person": team.outsider.pk, "role": "therapist"})
    assert response.status_code == 302
    records = _denied(before)
    assert [(r.action, r.granted) for r in records] == [("team.change", True)]


def test_an_invalid_post_by_a_member_leaves_one_record_and_no_500(client, team):
    client.force_login(team.jobcoach)
    for url in (f"/trajectories/{team.trajectory.pk}/team/add/", f"/trajectories/{team.trajectory.pk}/plan-director/"):
        before = AccessLogRecord.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        response = client.post(url, {})
        assert response.status_code in (200, 400), url
        assert len(_denied(before)) == 1, url


def test_a_member_posting_a_broken_plan_form_gets_400_not_500(client, team):
    client.force_login(team.jobcoach)
    response = client.post(f"/plans/{team.trajectory.pk}/edit/", {"goals-TOTAL_FORMS": "many", "based_on": "0"})
    assert response.status_code == 400
