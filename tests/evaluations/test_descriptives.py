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
    groups = {(g.kind, g.arm_code): g for g in grade.groups}
    assert list(groups) == [("client", "ee_mi"), ("client", "usual"), ("employer", "")]  # clients per arm
    assert groups["client", "ee_mi"].description.mean == pytest.approx(7.5) and groups["client", "ee_mi"].n == 2
    assert [label for label, _n, _p in groups["client", "ee_mi"].distribution] == ["6", "9"]
    assert groups["client", "usual"].description.mean == pytest.approx(7.5) and groups["client", "usual"].n == 2
    assert [label for label, _n, _p in groups["client", "usual"].distribution] == ["7", "8"]
    assert groups["employer", ""].description.mean == 4 and groups["employer", ""].n == 1
    # A yes/no question has no mean, only counts and proportions.
    assert again.description is None
    yes_no = {(g.kind, g.arm_code): g.distribution for g in again.groups}
    assert yes_no["client", "ee_mi"] == [("Ja", 2, 1.0), ("Nee", 0, 0.0)]
    assert yes_no["client", "usual"] == [("Ja", 1, 0.5), ("Nee", 1, 0.5)]
    assert yes_no["employer", ""] == [("Ja", 0, 0.0), ("Nee", 1, 1.0)]
    assert again.distribution_table == [("Ja", [(2, 1.0), (1, 0.5), (0, 0.0)]), ("Nee", [(0, 0.0), (1, 0.5), (1, 1.0)])]


def test_page_and_api_show_groups(api, populated, survey):
    base = f"/research/studies/{populated.study.pk}/questionnaires/{survey.pk}/"
    html = api.get(base).content.decode()
    assert "Werkgever (n = 1)" in html and "Cliënt · Gebruikelijke ondersteuning (n = 2)" in html and "50,0 %" in html
    data = api.get(f"/api/v1/research/studies/{populated.study.pk}/questionnaires/{survey.pk}/results/").json()
    again = next(q for q in data["questions"] if q["code"] == "again")
    assert again["statistics"] is None
    employer = next(g for g in again["by_respondent"] if g["respondent"] == "employer")
    assert employer["statistics"] is None and employer["distribution"][1] == {"answer": "Nee", "n": 1, "proportion": 1.0}
    grade = next(q for q in data["questions"] if q["code"] == "grade")
    assert [(g["respondent"], g["arm"], g["event"], g["statistics"]["mean"]) for g in grade["by_respondent"]] == [
        ("client", "ee_mi", None, 7.5), ("client", "usual", None, 7.5), ("employer", None, None, 4.0)]


# --- per respondent type, arm and schedule event ---------------------------------------------------


@pytest.fixture
def waves(research, make_study):
    """A trial with a baseline and a 6-month event; four clients answer both, an employer once by hand."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from .conftest import consent_to_study

    ams = ZoneInfo("Europe/Amsterdam")
    with time_machine.travel(datetime(2026, 1, 5, 10, tzinfo=ams), tick=False):
        study = make_study(draft=True)
        q = s.questionnaire_create(study=study, title="Werk en welzijn", created_by=research.researcher, questions=[
            {"code": "grade", "text": "Welk cijfer geeft u uw week?", "type": "grade"},
            {"code": "again", "text": "Zou u het opnieuw doen?", "type": "single", "choices": ["Ja", "Nee"]},
        ])
        for name, months in (("Nulmeting", 0), ("6 maanden", 6)):
            s.schedule_event_add(study=study, added_by=research.researcher, name=name, offset_months=months,
                                 items=[(q.pk, "client")])
        study = s.study_start(study=study, started_by=research.researcher)
        people = []
        for _ in range(4):
            participant = s.participant_enrol(study=study, client=research.client(), enrolled_by=research.researcher)
            consent_to_study(participant, research.researcher)
            s.participant_randomise(participant=participant, randomised_by=research.researcher)
            people.append(participant)
    answers = {
        "Nulmeting": [("6", "1"), ("7", "1"), ("8", "2"), ("9", "1")],
        "6 maanden": [("7,5", "1"), ("8", "2"), ("8,5", "2"), ("10", "2")],
    }
    for day, event in ((datetime(2026, 1, 6, 10, tzinfo=ams), "Nulmeting"), (datetime(2026, 7, 6, 10, tzinfo=ams), "6 maanden")):
        with time_machine.travel(day, tick=False):
            s.schedule_run()
            for person, (grade, again) in zip(people, answers[event], strict=True):
                invitation = q.invitations.get(participant=person, schedule_event__name=event)
                s.response_submit(invitation=invitation, answers={"grade": grade, "again": again})
    with time_machine.travel(datetime(2026, 7, 7, 10, tzinfo=ams), tick=False):
        [employer] = s.questionnaire_send(questionnaire=q, sent_by=research.researcher, to_participants=False,
                                          links=[("employer", "w@example.org")])
        s.response_submit(invitation=employer, answers={"grade": "5", "again": "2"})
    return q, people


def test_answers_are_grouped_by_type_arm_and_event(waves, django_assert_max_num_queries):
    q, people = waves
    assert [p.allocation.arm.code for p in people] == ["usual", "ee_mi", "usual", "ee_mi"]  # the seed's sequence
    with django_assert_max_num_queries(6):
        result = selectors.questionnaire_results(questionnaire=q)
    grade, again = result.questions
    # never pooled across events: baseline and 6 months of one arm are two groups
    assert [(g.kind, g.arm_code, g.event, g.n, g.description.mean) for g in grade.groups] == [
        ("client", "ee_mi", "Nulmeting", 2, 8.0),    # 7 and 9
        ("client", "ee_mi", "6 maanden", 2, 9.0),    # 8 and 10
        ("client", "usual", "Nulmeting", 2, 7.0),    # 6 and 8
        ("client", "usual", "6 maanden", 2, 8.0),    # 7,5 and 8,5
        ("employer", "", "", 1, 5.0),                # by hand: no arm, no event
    ]
    assert grade.groups[3].distribution == [("7,5", 1, 0.5), ("8,5", 1, 0.5)]
    assert grade.description.n == 9 and grade.description.mean == pytest.approx(69 / 9)  # the API's pooled figure
    # a yes/no question: counts and proportions per group, never a mean
    assert [(g.arm_code, g.event, g.description, g.distribution) for g in again.groups] == [
        ("ee_mi", "Nulmeting", None, [("Ja", 2, 1.0), ("Nee", 0, 0.0)]),
        ("ee_mi", "6 maanden", None, [("Ja", 0, 0.0), ("Nee", 2, 1.0)]),
        ("usual", "Nulmeting", None, [("Ja", 1, 0.5), ("Nee", 1, 0.5)]),
        ("usual", "6 maanden", None, [("Ja", 1, 0.5), ("Nee", 1, 0.5)]),
        ("", "", None, [("Ja", 0, 0.0), ("Nee", 1, 1.0)]),
    ]


def test_page_and_api_show_arm_and_event(api, waves):
    q, _people = waves
    html = api.get(f"/research/studies/{q.study_id}/questionnaires/{q.pk}/").content.decode()
    assert "Cliënt · Ervaringsdeskundige + MI · Nulmeting (n = 2)" in html
    assert "Cliënt · Gebruikelijke ondersteuning · 6 maanden (n = 2)" in html
    data = api.get(f"/api/v1/research/studies/{q.study_id}/questionnaires/{q.pk}/results/").json()
    grade = next(x for x in data["questions"] if x["code"] == "grade")
    assert [(g["respondent"], g["arm"], g["event"], g["n"], g["statistics"]["mean"]) for g in grade["by_respondent"]] == [
        ("client", "ee_mi", "Nulmeting", 2, 8.0), ("client", "ee_mi", "6 maanden", 2, 9.0),
        ("client", "usual", "Nulmeting", 2, 7.0), ("client", "usual", "6 maanden", 2, 8.0),
        ("employer", None, None, 1, 5.0),
    ]
    again = next(x for x in data["questions"] if x["code"] == "again")
    assert all(g["statistics"] is None for g in again["by_respondent"])
    assert again["by_respondent"][1]["distribution"] == [{"answer": "Ja", "n": 0, "proportion": 0.0},
                                                         {"answer": "Nee", "n": 2, "proportion": 1.0}]
