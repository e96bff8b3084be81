"""The API: same services and policy as the pages; errors as problem+json."""

import pytest
from rest_framework.test import APIClient

from werkbrug.ambassadors import services
from werkbrug.ambassadors.models import Question
from werkbrug.core.models import AccessLogRecord

pytestmark = pytest.mark.django_db
API = "/api/v1/ambassadors"


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def assert_problem(response, status, field=None):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    if field:
        assert field in {e["field"] for e in response.json()["errors"]}


def test_ask_answer_rate_publish_and_list(net):
    asker, anna = api(net.asker), api(net.people["anna"])
    response = asker.post(f"{API}/questions/", {"organisation": net.uwv.pk, "topic": net.topics["benefits"].pk,
                                                "text": "Hoe werkt de WIA bij parttime werk?"}, format="json")
    assert response.status_code == 201
    pk = response.json()["id"]
    assert response.json()["timeliness"] == "on_time"
    assert anna.post(f"{API}/questions/{pk}/answer/", {"text": "Zo."}, format="json").status_code == 201
    assert asker.post(f"{API}/questions/{pk}/rate/", {"useful": False}, format="json").json()["useful"] is False
    assert anna.post(f"{API}/questions/{pk}/publish/", {"public_question": "WIA en parttime?", "public_answer": "Zo."},
                     format="json").status_code == 200
    assert asker.get(f"{API}/qa/").json()["count"] == 1
    detail = anna.get(f"{API}/questions/{pk}/").json()
    assert [m["kind"] for m in detail["messages"]] == ["answer"]
    assert [e["kind"] for e in detail["events"]][:2] == ["asked", "assigned"]
    assert anna.get(f"{API}/questions/", {"timeliness": "on_time"}).json()["count"] == 1
    assert_problem(anna.get(f"{API}/questions/", {"timeliness": "soon"}), 400, "timeliness")
    check = asker.get(f"{API}/questions/check/", {"text": "WIA parttime werk, BSN 111222333"}).json()
    assert check["warnings"][0]["kind"] == "bsn" and check["suggestions"][0]["id"] == pk
    assert not AccessLogRecord.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"topic": None}, "topic"),
        ({"text": ""}, "text"),
        ({"text": "BSN 111222333 en een vraag"}, "text"),
        ({"topic": 999999}, "topic"),
    ],
)
def test_bad_questions_are_problem_json(net, body, field):
    data = {"organisation": net.uwv.pk, "topic": net.topics["benefits"].pk, "text": "Vraag", **body}
    response = api(net.asker).post(f"{API}/questions/", data, format="json")
    assert_problem(response, 400, field)
    assert not Question.objects.exists()


def test_answer_by_other_organisation_is_404_problem(net, ask):
    question = ask()
    response = api(net.people["gina"]).post(f"{API}/questions/{question.pk}/answer/", {"text": "Nee"}, format="json")
    assert_problem(response, 404)
    assert response.json()["code"] == "not_found"
    assert_problem(api(net.other).get(f"{API}/questions/{question.pk}/"), 404)


def test_settings_absences_and_proposals(net):
    admin, anna = api(net.admin), api(net.people["anna"])
    assert_problem(admin.put(f"{API}/settings/", {"deadline_hours": 0, "deadline_mode": "calendar"}, format="json"), 400, "deadline_hours")
    assert admin.put(f"{API}/settings/", {"deadline_hours": 24, "deadline_mode": "working"}, format="json").status_code == 200
    assert_problem(anna.put(f"{API}/settings/", {"deadline_hours": 24, "deadline_mode": "working"}, format="json"), 404)
    assert_problem(anna.post(f"{API}/absences/", {"ambassador": net.amb["anna"].pk, "starts_on": "2026-03-05", "ends_on": "2026-03-01"},
                             format="json"), 400, "ends_on")
    assert anna.post(f"{API}/absences/", {"ambassador": net.amb["anna"].pk, "starts_on": "2026-03-01", "ends_on": "2026-03-05"},
                     format="json").status_code == 201
    response = anna.post(f"{API}/proposals/", {"title": "T", "problem": "P", "process": "Q", "proposal": "V", "audience": "management"},
                         format="json")
    assert_problem(response, 400, "audience_organisation")
    response = anna.post(f"{API}/proposals/", {"title": "T", "problem": "P", "process": "Q", "proposal": "V",
                                               "audience": "management", "audience_organisation": net.uwv.pk}, format="json")
    pk = response.json()["id"]
    assert_problem(anna.post(f"{API}/proposals/{pk}/transition/", {"to_status": "implemented"}, format="json"), 400, "to_status")
    assert anna.post(f"{API}/proposals/{pk}/transition/", {"to_status": "presented"}, format="json").json()["status"] == "presented"
    manager = api(net.manager)
    assert manager.get(f"{API}/proposals/").status_code == 200
    assert manager.get(f"{API}/report/").status_code == 200
    assert_problem(manager.get(f"{API}/questions/1/"), 404)
    assert manager.get(f"{API}/questions/").json()["count"] == 0
    assert_problem(manager.get(f"{API}/groups/"), 403)


def test_groups_through_the_api(net, ask):
    for text in ["WIA-uitkering en parttime loon verrekenen", "Loon verrekenen met WIA-uitkering bij parttime werk",
                 "Reiskosten tijdens de proefplaatsing vergoed?", "Vergoeding reiskosten bij proefplaatsing"]:
        ask(text=text)
    anna = api(net.people["anna"])
    assert anna.post(f"{API}/groups/rebuild/").json() == {"groups": 2}
    groups = anna.get(f"{API}/groups/").json()["results"]
    merged = anna.post(f"{API}/groups/merge/", {"groups": [g["id"] for g in groups]}, format="json").json()
    assert merged["size"] == 4 and merged["pinned"]
    split = anna.post(f"{API}/groups/{merged['id']}/split/", {"questions": merged["questions"][:1]}, format="json")
    assert split.status_code == 201
    assert_problem(anna.post(f"{API}/groups/{merged['id']}/split/", {"questions": [999999]}, format="json"), 400, "questions")
    services.groups_rebuild(region=net.region)
    assert anna.get(f"{API}/groups/").json()["count"] >= 1


def test_appoint_and_stand_ins(net, make_person):
    admin = api(net.admin)
    newcomer = make_person(net.uwv, "ambassador", first_name="Nina")
    response = admin.post(f"{API}/ambassadors/", {"person": newcomer.pk, "position": 5}, format="json")
    assert response.status_code == 201
    new_id = response.json()["id"]
    assert_problem(api(net.people["anna"]).post(f"{API}/ambassadors/", {"person": newcomer.pk}, format="json"), 403)
    not_ambassador = make_person(net.uwv, "labour_expert")
    assert_problem(admin.post(f"{API}/ambassadors/", {"person": not_ambassador.pk}, format="json"), 400, "person")
    response = api(net.people["anna"]).put(f"{API}/ambassadors/{net.amb['anna'].pk}/stand-ins/", {"stand_ins": [new_id]}, format="json")
    assert response.json()["stand_ins"] == [new_id]
    response = admin.put(f"{API}/ambassadors/{net.amb['anna'].pk}/stand-ins/", {"stand_ins": [net.amb["gina"].pk]}, format="json")
    assert_problem(response, 400, "stand_ins")
