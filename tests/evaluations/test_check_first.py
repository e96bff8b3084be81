"""Check first: every research page and API operation that names a study authorises it before it
reads any input, for every method. An outsider gets the same 404 for an existing study (with
hostile or invalid input) as for a missing one: never a 400 that echoes validation, never a 403."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.urls import URLPattern, URLResolver, get_resolver

from werkbrug.core.models import AccessLogRecord
from werkbrug.evaluations.models import Code, Interview, Participant, Question, Questionnaire

MISSING = 999_999


@pytest.fixture
def today():
    with time_machine.travel(date(2026, 6, 1), tick=True):
        yield


def _research_routes() -> list[str]:
    """Every URL pattern of the research pages and API (so a new endpoint is attacked too)."""
    found: list[str] = []

    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                route = prefix + str(p.pattern)
                if route.startswith(("research/", "api/v1/research/")) and "<int:pk>" in route:
                    found.append(route)

    walk(get_resolver().url_patterns)
    return found


def _url(route: str, populated, study_pk: int) -> str:
    ids = {
        "<int:pk>": study_pk, "<int:participant_pk>": populated.people[0].pk,
        "<int:questionnaire_pk>": populated.questionnaire.pk, "<int:interview_pk>": populated.interview.pk,
        "<int:round_pk>": populated.rounds[0].pk, "<int:expectation_pk>": 1, "<str:fmt>": "csv",
    }
    url = "/" + route.replace("^", "").replace("$", "")
    for key, value in ids.items():
        url = url.replace(key, str(value))
    return url


HOSTILE = {"action": "stage", "stage": "<script>", "name": "=x" * 500, "label": "", "round": "abc",
           "passage": "x", "code": "x", "title": "", "questions": "not a list", "person": "x", "file": "x"}


@pytest.mark.parametrize("method", ["get", "post"])
def test_outsider_gets_404_for_every_research_route_and_method(populated, outsider, client, method, today):
    routes = _research_routes()
    assert len(routes) > 30  # pages and API both
    client.force_login(outsider)
    before = {
        "participants": Participant.objects.count(), "codes": Code.objects.count(),
        "interviews": Interview.objects.count(), "questionnaires": Questionnaire.objects.count(),
        "questions": Question.objects.count(),
    }
    for route in routes:
        for study_pk in (populated.study.pk, MISSING):
            url = _url(route, populated, study_pk)
            if method == "get":
                response = client.get(url, {"table": "nope", "format": "nope", "kind": "nope"})
            else:
                response = client.post(url, HOSTILE)
            assert response.status_code in (404, 405), (method, url, response.status_code)
    assert before == {
        "participants": Participant.objects.count(), "codes": Code.objects.count(),
        "interviews": Interview.objects.count(), "questionnaires": Questionnaire.objects.count(),
        "questions": Question.objects.count(),
    }


def test_json_api_writes_check_before_they_parse(populated, outsider, client, today):
    client.force_login(outsider)
    s, p = populated.study.pk, populated.people[0].pk
    for url in (f"/api/v1/research/studies/{s}/participants/{p}/stage/", f"/api/v1/research/studies/{s}/codes/",
                f"/api/v1/research/studies/{s}/codings/", f"/api/v1/research/studies/{s}/researchers/",
                f"/api/v1/research/studies/{s}/participants/{p}/jobs/"):
        response = client.post(url, "{not json", content_type="application/json")
        assert response.status_code == 404, url


def test_a_refused_write_is_logged_once(populated, outsider, client, today):
    client.force_login(outsider)
    before = AccessLogRecord.objects.count()
    response = client.post(f"/api/v1/research/studies/{populated.study.pk}/participants/{populated.people[0].pk}/stage/",
                           {"stage": "nonsense"}, content_type="application/json")
    assert response.status_code == 404
    assert AccessLogRecord.objects.count() == before + 1
    record = AccessLogRecord.objects.latest("id")
    assert (record.action, record.granted) == ("participant.change", False)


def test_a_refused_export_is_404_like_a_missing_study(populated, research, client, today):
    client.force_login(research.jobcoach)
    existing = client.get(f"/research/studies/{populated.study.pk}/export/?table=participants&format=csv")
    missing = client.get(f"/research/studies/{MISSING}/export/?table=participants&format=csv")
    assert existing.status_code == missing.status_code == 404


def test_the_study_team_still_writes(populated, research, client, today):
    client.force_login(research.researcher)
    before = AccessLogRecord.objects.count()
    response = client.post(f"/api/v1/research/studies/{populated.study.pk}/codes/",
                           {"name": "Nieuw", "description": "", "parent": None}, content_type="application/json")
    assert response.status_code == 201, response.content
    assert AccessLogRecord.objects.count() == before + 1  # the service's record; the check writes none
