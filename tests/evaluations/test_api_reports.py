"""Research API, reading side: quotes per code, invitation tracking, the study report (HTML/PDF)
and adding a researcher to the team. Same selectors and policy as the pages; problem+json errors."""

from __future__ import annotations

import pytest

from tests.support.api import PROBLEM, assert_problem
from werkbrug.evaluations import selectors, services

JSON = "application/json"


def problem(response, status: int, code: str | None = None) -> None:
    assert_problem(response, status, code=code)


def no_identifying_fields(body: bytes, research, populated) -> None:
    text = body.decode("utf-8", "replace")
    for c in populated.clients:
        assert c.last_name not in text and c.email not in text
    assert "Geheimnaam" not in text and "111222333" not in text and "0612345678" not in text
    assert "werkgever@example.org" not in text
    for invitation in populated.invitations:
        assert invitation.token not in text


# --- 1. quotes per code ------------------------------------------------------------------------


def test_quotes_per_code_as_the_page_shows_them(api, research, populated):
    response = api.get(f"/api/v1/research/studies/{populated.study.pk}/codes/quotes/")
    assert response.status_code == 200, response.content
    body = response.json()
    expected = [{"code": code.pk, "name": code.name, "quotes": [{"interview": label, "text": text} for label, text in quotes]}
                for code, quotes in selectors.quotes_per_code(study=populated.study)]
    assert body == expected
    barriers, time_code, support = populated.codes
    by_name = {row["name"]: row for row in body}
    assert set(by_name) == {"Knelpunten", "Tijd", "Steun"}
    assert by_name["Tijd"]["quotes"] == [{"interview": "R1-01", "text": "De tijd is krap."}]
    # Both coders gave Steun to passage 1: the quote appears once.
    steun = [q["text"] for q in by_name["Steun"]["quotes"]]
    assert steun == sorted(set(steun), key=steun.index) and populated.passages[0].text in steun
    assert by_name["Knelpunten"]["code"] == barriers.pk and by_name["Steun"]["code"] == support.pk
    no_identifying_fields(response.content, research, populated)


def test_quotes_per_code_empty_and_refused(client, research, populated, make_study, outsider):
    empty = make_study(title="Leeg")
    client.force_login(research.researcher)
    assert client.get(f"/api/v1/research/studies/{empty.pk}/codes/quotes/").json() == []
    problem(client.get("/api/v1/research/studies/999999/codes/quotes/"), 404)
    for person in (outsider, research.jobcoach):
        client.force_login(person)
        problem(client.get(f"/api/v1/research/studies/{populated.study.pk}/codes/quotes/"), 404)


# --- 2. invitation tracking --------------------------------------------------------------------


def test_invitation_tracking_counts_and_states(api, research, populated):
    q = populated.questionnaire
    services.questionnaire_remind(questionnaire=q, reminded_by=research.researcher)
    response = api.get(f"/api/v1/research/studies/{populated.study.pk}/questionnaires/{q.pk}/tracking/")
    assert response.status_code == 200, response.content
    body = response.json()
    n = len(populated.invitations)
    assert n == 9  # eight randomised participants through the portal, one employer by link
    assert (body["questionnaire"], body["sent"], body["responded"]) == ("Tevredenheid", n, 5)
    assert body["reminded"] == n - 5 and body["response_rate"] == pytest.approx(5 / n)
    rows = body["invitations"]
    assert len(rows) == n
    assert set(rows[0]) == {"participant", "kind", "sent_at", "reminders", "responded_at", "responded"}
    pseudonyms = {p.study_pseudonym for p in populated.people}
    portal = [r for r in rows if r["participant"] is not None]
    link = [r for r in rows if r["participant"] is None]
    assert {r["participant"] for r in portal} <= pseudonyms and len(portal) == 8
    assert [r["kind"] for r in link] == ["employer"] and link[0]["responded"] is False and link[0]["reminders"] == 1
    assert sum(r["responded"] for r in rows) == 5
    assert all((r["responded_at"] is not None) == r["responded"] for r in rows)
    assert all(r["reminders"] == (0 if r["responded"] else 1) for r in rows)
    no_identifying_fields(response.content, research, populated)


def test_invitation_tracking_refused_and_unknown(client, research, populated, make_study, outsider):
    q = populated.questionnaire
    url = f"/api/v1/research/studies/{populated.study.pk}/questionnaires/{q.pk}/tracking/"
    for person in (outsider, research.jobcoach):
        client.force_login(person)
        problem(client.get(url), 404)
    client.force_login(research.researcher)
    other = make_study(title="Andere studie")
    problem(client.get(f"/api/v1/research/studies/{other.pk}/questionnaires/{q.pk}/tracking/"), 404)
    problem(client.get(f"/api/v1/research/studies/{populated.study.pk}/questionnaires/999999/tracking/"), 404)


# --- 3. the study report -----------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["full", "interim"])
def test_report_html(api, research, populated, kind):
    response = api.get(f"/api/v1/research/studies/{populated.study.pk}/report/", {"kind": kind})
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert populated.study.title in html and "<svg" in html and "Tevredenheid" in html
    from django.urls import reverse

    web = api.get(reverse("evaluations:report", kwargs={"pk": populated.study.pk}), {"kind": kind})
    assert web.status_code == 200  # the same template and context: the same sections
    assert html.count("<h2") == web.content.decode().count("<h2") > 0
    assert html.count("<table") == web.content.decode().count("<table")
    no_identifying_fields(response.content, research, populated)


def test_report_kinds_differ(api, populated):
    url = f"/api/v1/research/studies/{populated.study.pk}/report/"
    full, interim = api.get(url).content.decode(), api.get(url, {"kind": "interim"}).content.decode()
    explicit = api.get(url, {"kind": "full"}).content.decode()
    assert "message--warning" in interim and "message--warning" not in full
    assert "message--warning" not in explicit and full.count("<h2") == explicit.count("<h2")


@pytest.mark.parametrize("kind", ["full", "interim"])
def test_report_pdf(api, populated, kind):
    from werkbrug.core.models import AccessLogRecord as AccessLog

    before = AccessLog.objects.filter(code="E").count()
    response = api.get(f"/api/v1/research/studies/{populated.study.pk}/report/", {"kind": kind, "format": "pdf"})
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    expected = f"{'interim-' if kind == 'interim' else ''}report-study-{populated.study.pk}.pdf"
    assert expected in response["Content-Disposition"]
    assert AccessLog.objects.filter(code="E").count() > before


@pytest.mark.parametrize(("params", "field"), [({"kind": "final"}, "kind"), ({"format": "docx"}, "format")])
def test_report_bad_input(api, populated, params, field):
    response = api.get(f"/api/v1/research/studies/{populated.study.pk}/report/", params)
    problem(response, 400)
    assert field in response.content.decode()


def test_report_refused(client, research, make_study, outsider):
    study = make_study()
    for person in (outsider, research.jobcoach):
        client.force_login(person)
        problem(client.get(f"/api/v1/research/studies/{study.pk}/report/"), 404)
        response = client.get(f"/api/v1/research/studies/{study.pk}/report/", {"format": "pdf"})
        assert response.status_code in (403, 404) and response["Content-Type"] == PROBLEM
    client.force_login(research.researcher)
    problem(client.get("/api/v1/research/studies/999999/report/"), 404)


# --- 4. adding a researcher --------------------------------------------------------------------


def test_add_researcher_to_the_team(api, research, make_study, make_person):
    from werkbrug.core.choices import Role

    study = make_study(researchers=[])
    newcomer = make_person(research.institute, Role.RESEARCHER, first_name="Noor", last_name="Nieuw")
    response = api.post(f"/api/v1/research/studies/{study.pk}/researchers/", {"person": newcomer.pk}, content_type=JSON)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["study"] == study.pk and newcomer.pk in {r["id"] for r in body["researchers"]}
    assert set(body["researchers"][0]) == {"id", "name"} and "@" not in response.content.decode()
    assert study.researchers.filter(pk=newcomer.pk).exists()
    # the newcomer now sees the study
    from django.test import Client

    other = Client()
    other.force_login(newcomer)
    assert other.get(f"/api/v1/research/studies/{study.pk}/").status_code == 200


@pytest.mark.parametrize("payload", [{}, {"person": "abc"}, {"person": 0}])
def test_add_researcher_bad_input(api, make_study, payload):
    study = make_study()
    before = study.researchers.count()
    problem(api.post(f"/api/v1/research/studies/{study.pk}/researchers/", payload, content_type=JSON), 400)
    assert study.researchers.count() == before


def test_add_researcher_who_is_no_researcher(api, research, make_study):
    study = make_study(researchers=[])
    response = api.post(f"/api/v1/research/studies/{study.pk}/researchers/", {"person": research.jobcoach.pk}, content_type=JSON)
    problem(response, 400, "not_researcher")
    assert not study.researchers.filter(pk=research.jobcoach.pk).exists()


def test_add_researcher_refused_and_unknown(client, research, make_study, outsider):
    study = make_study(researchers=[])
    url = f"/api/v1/research/studies/{study.pk}/researchers/"
    for person in (outsider, research.jobcoach):
        client.force_login(person)
        problem(client.post(url, {"person": person.pk}, content_type=JSON), 404)
        problem(client.post(url, {"person": 999999}, content_type=JSON), 404)
    assert not study.researchers.filter(pk__in=[outsider.pk, research.jobcoach.pk]).exists()
    client.force_login(research.researcher)
    problem(client.post("/api/v1/research/studies/999999/researchers/", {"person": research.second.pk}, content_type=JSON), 404)
    problem(client.post(url, {"person": 999999}, content_type=JSON), 404)
