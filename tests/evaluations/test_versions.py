"""Questionnaire versions: an answered questionnaire changes only in a new version (a copy of its
questions); answers keep pointing at the version they answered; pages, API and analysis name the
version; the schedule asks the newest version."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from werkbrug.evaluations import analysis, builder, selectors
from werkbrug.evaluations import services as s
from werkbrug.evaluations.models import Answer, Questionnaire, ScheduleItem

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")

QUESTIONS = [
    {"code": "works", "text": "Heeft u werk?", "type": "single", "choices": ["Ja", "Nee"]},
    {
        "code": "hours",
        "text": "Hoeveel uur per week?",
        "type": "number",
        "min_value": 0,
        "max_value": 80,
        "show_if": "works",
        "show_if_value": "Ja",
    },
]


@pytest.fixture
def answered(research, make_study):
    study = make_study()
    q = s.questionnaire_create(
        study=study, title="Werk", created_by=research.researcher, questions=QUESTIONS
    )
    [invitation] = s.questionnaire_send(
        questionnaire=q,
        sent_by=research.researcher,
        to_participants=False,
        links=[("employer", "w@example.org")],
    )
    s.response_submit(invitation=invitation, answers={"works": "1", "hours": "32"})
    return q


def test_a_new_version_copies_the_questions_and_leaves_the_answers(answered, research):
    assert builder.lock_error(answered).code == "has_responses"
    old_ids = set(answered.questions.values_list("pk", flat=True))
    v2 = s.questionnaire_version_create(questionnaire=answered, created_by=research.researcher)
    assert (v2.version, v2.previous_id, v2.status, v2.title) == (2, answered.pk, "draft", "Werk")
    assert v2.label == "Werk (versie 2)" and answered.label == "Werk"
    copied = list(v2.questions.select_related("show_if_question").order_by("order"))
    assert [(q.code, q.text, q.type, q.choices, q.max_value) for q in copied] == [
        (q.code, q.text, q.type, q.choices, q.max_value)
        for q in answered.questions.order_by("order")
    ]
    assert (
        copied[1].show_if_question == copied[0] and copied[1].show_if_value == "1"
    )  # branching follows the copy
    assert not old_ids & {q.pk for q in copied}
    # the answers stay with version 1
    assert set(Answer.objects.values_list("question_id", flat=True)) <= old_ids
    # version 2 is editable; version 1 is not, and says where to go
    assert builder.lock_error(v2) is None
    s.question_update(question=copied[1], changed_by=research.researcher, max_value=60)
    s.question_add(
        questionnaire=v2, added_by=research.researcher, code="sector", text="Sector?", type="text"
    )
    assert answered.questions.count() == 2 and v2.questions.count() == 3
    error = builder.lock_error(answered)
    assert error.code == "superseded" and "Versie 2" in error.messages[0]
    with pytest.raises(ValidationError) as exc:
        s.questionnaire_version_create(questionnaire=answered, created_by=research.researcher)
    assert exc.value.code == "superseded"
    with pytest.raises(ValidationError) as exc:
        s.questionnaire_send(
            questionnaire=answered,
            sent_by=research.researcher,
            to_participants=False,
            links=[("employer", "x@example.org")],
        )
    assert exc.value.code == "superseded"
    # a third version follows the second
    v3 = s.questionnaire_version_create(questionnaire=v2, created_by=research.researcher)
    assert v3.version == 3 and [
        v.version for v in selectors.questionnaire_versions(questionnaire=answered)
    ] == [1, 2, 3]
    assert [v.pk for v in selectors.questionnaire_versions(questionnaire=v3)] == [
        answered.pk,
        v2.pk,
        v3.pk,
    ]
    # results of version 1 still count its answers
    result = selectors.questionnaire_results(questionnaire=answered)
    assert result.responded == 1 and result.questions[1].description.mean == 32


def test_the_schedule_asks_the_new_version(research, make_study):
    study = make_study(draft=True)
    q = s.questionnaire_create(
        study=study,
        title="Welzijn",
        created_by=research.researcher,
        questions=[{"code": "grade", "text": "Cijfer?", "type": "grade"}],
    )
    event = s.schedule_event_add(
        study=study, added_by=research.researcher, name="Nulmeting", items=[(q.pk, "client")]
    )
    v2 = s.questionnaire_version_create(questionnaire=q, created_by=research.researcher)
    assert list(
        ScheduleItem.objects.filter(event=event).values_list("questionnaire_id", flat=True)
    ) == [v2.pk]


def test_pages_and_api(api, answered, research):
    study = answered.study
    page = api.get(f"/research/studies/{study.pk}/questionnaires/{answered.pk}/").content.decode()
    assert "Een nieuwe versie maken om de vragen te wijzigen" in page
    made = api.post(f"/research/studies/{study.pk}/questionnaires/{answered.pk}/version/")
    v2 = Questionnaire.objects.get(previous=answered)
    assert made.status_code == 302 and made["Location"].endswith(f"/questionnaires/{v2.pk}/")
    page = api.get(made["Location"]).content.decode()
    assert "Werk (versie 2)" in page and "Versies" in page and "Versie 1" in page
    old = api.get(f"/research/studies/{study.pk}/questionnaires/{answered.pk}/").content.decode()
    assert "Versie 2 vervangt deze versie" in old and "Een nieuwe versie maken" not in old
    base = f"/api/v1/research/studies/{study.pk}/questionnaires/"
    versions = api.get(f"{base}{answered.pk}/versions/").json()
    assert [(v["version"], v["previous"], v["questions"]) for v in versions] == [
        (1, None, ["works", "hours"]),
        (2, answered.pk, ["works", "hours"]),
    ]
    refused = api.post(f"{base}{answered.pk}/versions/new/")
    assert refused.status_code == 400
    made = api.post(f"{base}{v2.pk}/versions/new/")
    assert made.status_code == 201 and made.json()["version"] == 3
    assert api.get(f"{base}{v2.pk}/results/").json()["version"] == 2


def test_outsiders_cannot_make_versions(client, outsider, answered):
    client.force_login(outsider)
    study = answered.study
    assert (
        client.post(
            f"/research/studies/{study.pk}/questionnaires/{answered.pk}/version/"
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"/api/v1/research/studies/{study.pk}/questionnaires/{answered.pk}/versions/new/"
        ).status_code
        == 404
    )
    assert (
        client.get(
            f"/api/v1/research/studies/{study.pk}/questionnaires/{answered.pk}/versions/"
        ).status_code
        == 404
    )
    assert not Questionnaire.objects.filter(previous=answered).exists()


def test_the_baseline_table_names_the_version(research, make_study):
    """Answers given on the day of randomisation appear in the baseline table under their version."""
    from .conftest import consent_to_study

    study = make_study()
    with time_machine.travel(datetime(2026, 2, 2, 10, tzinfo=AMS), tick=False):
        participant = s.participant_enrol(
            study=study, client=research.client(), enrolled_by=research.researcher
        )
        consent_to_study(participant, research.researcher)
        s.participant_randomise(participant=participant, randomised_by=research.researcher)
        q = s.questionnaire_create(
            study=study,
            title="Start",
            created_by=research.researcher,
            questions=[{"code": "grade", "text": "Cijfer?", "type": "grade"}],
        )
        v2 = s.questionnaire_version_create(questionnaire=q, created_by=research.researcher)
        [invitation] = s.questionnaire_send(questionnaire=v2, sent_by=research.researcher)
        s.response_submit(invitation=invitation, answers={"grade": "7"})
        outcomes = analysis.outcomes(study=study)
    assert "Start (versie 2): Cijfer?" in [row.label for row in outcomes.baseline.rows]
