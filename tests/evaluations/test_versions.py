"""Questionnaire versions: an answered questionnaire changes only in a new version (a copy of its
questions); answers keep pointing at the version they answered; pages, API and analysis name the
version; the schedule asks a new version only once it is put into use, and what was sent and
answered on the old version still counts for its event."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from werkbrug.evaluations import analysis, builder, selectors
from werkbrug.evaluations import services as s
from werkbrug.evaluations.models import Answer, Invitation, Questionnaire, ScheduleItem
from werkbrug.evaluations.schedule_selectors import response_tracking, survey_queue

from .test_schedule import at, randomise, run, scheduled  # noqa: F401 (the fixture)

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


def test_the_schedule_moves_only_when_the_new_version_is_put_into_use(scheduled, research):  # noqa: F811
    study, v1, events = scheduled
    first = randomise(research, study, when=at(2026, 1, 6))
    assert run(at(2026, 1, 6))["sent"] == 2
    for invitation in Invitation.objects.filter(scheduled__participant=first):
        s.response_submit(invitation=invitation, answers={"grade": "8"})
    with time_machine.travel(at(2026, 1, 7), tick=False):
        v2 = s.questionnaire_version_create(questionnaire=v1, created_by=research.researcher)
    # a draft new version: the schedule and the worker keep to version 1
    assert set(ScheduleItem.objects.filter(event__study=study).values_list("questionnaire_id", flat=True)) == {v1.pk}
    second = randomise(research, study, when=at(2026, 1, 7))
    assert run(at(2026, 1, 7))["sent"] == 2
    assert set(Invitation.objects.filter(scheduled__participant=second).values_list("questionnaire_id", flat=True)) == {v1.pk}
    v2.refresh_from_db()
    assert v2.status == "draft" and not v2.invitations.exists()
    # only a draft new version with questions is put into use
    with pytest.raises(ValidationError) as exc:
        s.questionnaire_version_use(questionnaire=v1, used_by=research.researcher)
    assert exc.value.code == "no_previous"
    [question] = v2.questions.all()
    s.question_delete(question=question, deleted_by=research.researcher)
    with pytest.raises(ValidationError) as exc:
        s.questionnaire_version_use(questionnaire=v2, used_by=research.researcher)
    assert exc.value.code == "no_questions"
    s.question_add(questionnaire=v2, added_by=research.researcher, code="grade", text="Welk cijfer nu?", type="grade")
    with time_machine.travel(at(2026, 1, 8), tick=False):
        used = s.questionnaire_version_use(questionnaire=v2, used_by=research.researcher)
    assert used.status == "open"
    assert set(ScheduleItem.objects.filter(event__study=study).values_list("questionnaire_id", flat=True)) == {v2.pk}
    with pytest.raises(ValidationError) as exc:
        s.questionnaire_version_use(questionnaire=v2, used_by=research.researcher)
    assert exc.value.code == "in_use"
    # what was sent on version 1 is not sent again, and its answers count for their event
    assert run(at(2026, 1, 8))["sent"] == 0
    rows = {r["event"].name: r for r in response_tracking(study=study, today=date(2026, 1, 8))}
    assert rows["Nulmeting"]["invited"] == 2 and rows["Nulmeting"]["answered"] == 1 and rows["Nulmeting"]["open"] == 1
    [baseline] = [row for row in survey_queue(participant=first, today=date(2026, 1, 8)) if row["event"] == events[0]]
    assert baseline["state"] == "answered"
    assert {x.invitation.questionnaire_id for x in baseline["sent"]} == {v1.pk}
    # the next event asks version 2
    assert run(at(2026, 7, 7))["sent"] == 4  # both participants, client and professional
    assert set(Invitation.objects.filter(schedule_event=events[1]).values_list("questionnaire_id", flat=True)) == {v2.pk}


def test_the_worker_does_not_send_a_draft_new_version(research, make_study):
    """Even a schedule that names a draft new version (chosen in a draft study) waits for its use."""
    with time_machine.travel(at(2026, 1, 5), tick=False):
        study = make_study(draft=True)
        v1 = s.questionnaire_create(study=study, title="Welzijn", created_by=research.researcher,
                                    questions=[{"code": "grade", "text": "Cijfer?", "type": "grade"}])
        v2 = s.questionnaire_version_create(questionnaire=v1, created_by=research.researcher)
        s.schedule_event_add(study=study, added_by=research.researcher, name="Nulmeting", items=[(v2.pk, "client")])
        study = s.study_start(study=study, started_by=research.researcher)
    randomise(research, study, when=at(2026, 1, 6))
    assert run(at(2026, 1, 6))["sent"] == 0
    v2.refresh_from_db()
    assert v2.status == "draft" and not v2.invitations.exists()
    s.questionnaire_version_use(questionnaire=v2, used_by=research.researcher)
    assert run(at(2026, 1, 6, 11))["sent"] == 1


def test_a_later_version_takes_over_from_every_earlier_one(research, make_study):
    study = make_study(draft=True)
    v1 = s.questionnaire_create(study=study, title="Welzijn", created_by=research.researcher,
                                questions=[{"code": "grade", "text": "Cijfer?", "type": "grade"}])
    event = s.schedule_event_add(study=study, added_by=research.researcher, name="Nulmeting",
                                 items=[(v1.pk, "client")])
    v2 = s.questionnaire_version_create(questionnaire=v1, created_by=research.researcher)
    v3 = s.questionnaire_version_create(questionnaire=v2, created_by=research.researcher)
    with pytest.raises(ValidationError) as exc:
        s.questionnaire_version_use(questionnaire=v2, used_by=research.researcher)
    assert exc.value.code == "superseded"
    s.questionnaire_version_use(questionnaire=v3, used_by=research.researcher)  # version 2 was never used
    assert list(event.items.values_list("questionnaire_id", flat=True)) == [v3.pk]


def test_one_version_once_per_moment_of_the_schedule(research, make_study):
    study = make_study(draft=True)
    v1 = s.questionnaire_create(study=study, title="Welzijn", created_by=research.researcher,
                                questions=[{"code": "grade", "text": "Cijfer?", "type": "grade"}])
    v2 = s.questionnaire_version_create(questionnaire=v1, created_by=research.researcher)
    event = s.schedule_event_add(study=study, added_by=research.researcher, name="Nulmeting",
                                 items=[(v1.pk, "client"), (v2.pk, "client")])
    with pytest.raises(ValidationError) as exc:
        s.questionnaire_version_use(questionnaire=v2, used_by=research.researcher)
    assert exc.value.code == "in_schedule"
    v2.refresh_from_db()
    assert v2.status == "draft" and event.items.count() == 2


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
    assert "In gebruik nemen in het schema" in page and "In gebruik nemen" not in old
    used = api.post(f"{base}{v2.pk}/versions/use/")
    assert used.status_code == 200 and used.json()["version"] == 2
    v2.refresh_from_db()
    assert v2.status == "open"
    again = api.post(f"{base}{v2.pk}/versions/use/")
    assert again.status_code == 400 and "al in gebruik" in again.content.decode()
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


def test_outsiders_cannot_put_a_version_into_use(client, outsider, answered, research):
    v2 = s.questionnaire_version_create(questionnaire=answered, created_by=research.researcher)
    client.force_login(outsider)
    study = answered.study
    page = client.post(f"/research/studies/{study.pk}/questionnaires/{v2.pk}/version/use/")
    api = client.post(f"/api/v1/research/studies/{study.pk}/questionnaires/{v2.pk}/versions/use/")
    assert page.status_code == 404 and api.status_code == 404
    v2.refresh_from_db()
    assert v2.status == "draft"


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


def test_the_export_variable_label_names_the_version(answered, research, django_assert_max_num_queries):
    from django.utils import translation

    from werkbrug.evaluations import exports

    v2 = s.questionnaire_version_create(questionnaire=answered, created_by=research.researcher)
    with translation.override("nl"), django_assert_max_num_queries(4):
        table = exports.participants_table(answered.study)
    labels = {v.name: v.label for v in table.variables}
    assert labels[f"q{answered.pk}_works"] == "Werk: Heeft u werk?"
    assert labels[f"q{v2.pk}_works"] == "Werk (versie 2): Heeft u werk?"


def test_a_new_version_sent_by_hand_can_still_take_over_the_schedule(research, make_study):
    """Sending a new version by hand opens it; the schedule stays on the earlier one until "use"."""
    study = make_study(draft=True)
    v1 = s.questionnaire_create(study=study, title="Welzijn", created_by=research.researcher,
                                questions=[{"code": "grade", "text": "Cijfer?", "type": "grade"}])
    event = s.schedule_event_add(study=study, added_by=research.researcher, name="Nulmeting",
                                 items=[(v1.pk, "employer")])
    study = s.study_start(study=study, started_by=research.researcher)
    v2 = s.questionnaire_version_create(questionnaire=v1, created_by=research.researcher)
    s.questionnaire_send(questionnaire=v2, sent_by=research.researcher, to_participants=False,
                         links=[("employer", "werkgever@example.org")])
    v2.refresh_from_db()
    assert v2.status == "open" and list(event.items.values_list("questionnaire_id", flat=True)) == [v1.pk]
    assert s.version_use_error(v2) is None
    s.questionnaire_version_use(questionnaire=v2, used_by=research.researcher)
    assert list(event.items.values_list("questionnaire_id", flat=True)) == [v2.pk]
    assert s.version_use_error(v2).code == "in_use"
    s.questionnaire_close(questionnaire=v2, closed_by=research.researcher)
    v2.refresh_from_db()
    assert s.version_use_error(v2).code == "closed"
