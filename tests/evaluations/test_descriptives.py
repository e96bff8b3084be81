"""Questionnaire descriptives per respondent type; choice questions (yes/no) as proportions, never a mean."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from werkbrug.evaluations import selectors
from werkbrug.evaluations import services as s


@pytest.fixture
def survey(populated, research):
    """Clients and an employer answer the same grade and yes/no questions with different answers."""
    with time_machine.travel(date(2026, 3, 1)):
        q = s.questionnaire_create(study=populated.study, title="Werkervaring", created_by=research.researcher, questions=[
            {"code": "grade", "text": "Welk cijfer geeft u de samenwerking?", "type": "grade"},
            {"code": "again", "text": "Zou u het opnieuw doen?", "type": "single", "choices": ["Ja", "Nee"]},
        ])
        invitations = s.questionnaire_send(questionnaire=q, sent_by=research.researcher, links=[("employer", "w@example.org")])
        clients = [i for i in invitations if i.participant_id][:4]
        for invitation, (grade, again) in zip(clients, [(8, 1), (6, 1), (7, 2), (9, 1)], strict=True):
            s.response_submit(invitation=invitation, answers={"grade": grade, "again": again})
        employer = next(i for i in invitations if i.kind == "employer")
        s.response_submit(invitation=employer, answers={"grade": 4, "again": 2})
    return q


def test_clients_and_employers_are_described_separately(survey):
    result = selectors.questionnaire_results(questionnaire=survey)
    grade, again = result.questions
    groups = {g.kind: g for g in grade.groups}
    assert groups["client"].description.mean == pytest.approx(7.5) and groups["client"].n == 4
    assert groups["employer"].description.mean == 4 and groups["employer"].n == 1
    # A yes/no question has no mean, only counts and proportions.
    assert again.description is None
    yes_no = {g.kind: g.distribution for g in again.groups}
    assert yes_no["client"] == [("Ja", 3, 0.75), ("Nee", 1, 0.25)]
    assert yes_no["employer"] == [("Ja", 0, 0.0), ("Nee", 1, 1.0)]
    assert again.distribution_table == [("Ja", [(3, 0.75), (0, 0.0)]), ("Nee", [(1, 0.25), (1, 1.0)])]


def test_page_and_api_show_groups(api, populated, survey):
    base = f"/research/studies/{populated.study.pk}/questionnaires/{survey.pk}/"
    html = api.get(base).content.decode()
    assert "Werkgever (n = 1)" in html and "75,0 %" in html
    data = api.get(f"/api/v1/research/studies/{populated.study.pk}/questionnaires/{survey.pk}/results/").json()
    again = next(q for q in data["questions"] if q["code"] == "again")
    assert again["statistics"] is None
    employer = next(g for g in again["by_respondent"] if g["respondent"] == "employer")
    assert employer["statistics"] is None and employer["distribution"][1] == {"answer": "Nee", "n": 1, "proportion": 1.0}
    grade = next(q for q in data["questions"] if q["code"] == "grade")
    assert {g["respondent"]: g["statistics"]["mean"] for g in grade["by_respondent"]} == {"client": 7.5, "employer": 4.0}
