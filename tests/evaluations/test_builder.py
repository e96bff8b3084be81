"""The questionnaire builder: edit, delete and reorder until the first response; preview; number
bounds; Likert scales of 3-11 points; duplicate choices; grades with halves; branching."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.support.api import assert_problem
from werkbrug.evaluations import builder, selectors, services
from werkbrug.evaluations.models import Answer, Question

pytestmark = pytest.mark.django_db
JSON = "application/json"

QUESTIONS = [
    {"code": "works", "text": "Heeft u werk?", "type": "single", "choices": ["Ja", "Nee"]},
    {"code": "hours", "text": "Hoeveel uur per week?", "type": "number", "min_value": 0, "max_value": 80,
     "show_if": "works", "show_if_value": "Ja"},
    {"code": "grade", "text": "Welk cijfer geeft u uw werk?", "type": "grade", "show_if": "works", "show_if_value": "1"},
    {"code": "calm", "text": "Ik voel me rustig", "type": "likert", "scale_points": 7,
     "scale_labels": ["Nooit", "Zelden", "Soms", "Regelmatig", "Vaak", "Meestal", "Altijd"]},
]


@pytest.fixture
def questionnaire(research, make_study):
    study = make_study()
    return services.questionnaire_create(study=study, title="Werk en rust", created_by=research.researcher,
                                         questions=QUESTIONS)


def _invite(questionnaire, research, email="werkgever@example.org"):
    [invitation] = services.questionnaire_send(questionnaire=questionnaire, sent_by=research.researcher,
                                               to_participants=False, links=[("employer", email)])
    return invitation


def _codes(questionnaire):
    return list(questionnaire.questions.order_by("order").values_list("code", flat=True))


# --- the rules ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("6,5", Decimal("6.5")),      # the Dutch decimal comma
        ("6.5", Decimal("6.5")),
        (" 7 ", Decimal("7")),
        ("1.234,5", Decimal("1234.5")),  # a Dutch thousands point
        ("zes", None),
        ("", None),
        ("NaN", None),
        (True, None),
    ],
)
def test_numbers_as_people_type_them(raw, expected):
    assert builder.number(raw) == expected


@pytest.mark.parametrize(
    ("value", "ok"),
    [("1", True), ("6.5", True), ("10", True), ("0.5", False), ("10.5", False), ("7.25", False), ("9.99", False)],
)
def test_grades_in_halves(value, ok):
    assert builder.is_grade(Decimal(value)) is ok


def test_grade_options_have_halves_with_a_dutch_comma():
    options = builder.grade_options()
    assert len(options) == 19 and options[0] == (1, "1") and options[11] == (6.5, "6,5") and options[-1] == (10, "10")


@pytest.mark.parametrize(
    ("fields", "field", "code"),
    [
        ({"type": "single", "choices": ["Ja", "Nee", " ja "]}, "choices", "duplicate_choice"),  # case and spaces alike
        ({"type": "multiple", "choices": ["Gesprek", "Groep", "Gesprek"]}, "choices", "duplicate_choice"),
        ({"type": "likert", "scale_points": 2}, "scale_points", "scale_points"),
        ({"type": "likert", "scale_points": 12}, "scale_points", "scale_points"),
        ({"type": "likert", "scale_points": 4, "scale_labels": ["a", "b", "c"]}, "scale_labels", "scale_labels"),
        ({"type": "likert", "scale_points": 3, "scale_labels": ["Eens", "eens", "Oneens"]}, "scale_labels", "duplicate_choice"),
        ({"type": "number", "min_value": 10, "max_value": 5}, "max_value", "range"),
        ({"type": "number", "min_value": "veel"}, "min_value", "number"),
        ({"type": "text", "show_if": "nope", "show_if_value": "Ja"}, "show_if", "show_if"),
        ({"type": "text", "show_if": "calm", "show_if_value": "8"}, "show_if_value", "show_if_value"),  # 7 points only
        ({"type": "text", "show_if": "hours", "show_if_value": "3"}, "show_if", "show_if"),  # a number has no options
    ],
)
def test_bad_questions_are_refused(questionnaire, research, fields, field, code):
    with pytest.raises(ValidationError) as exc:
        services.question_add(questionnaire=questionnaire, added_by=research.researcher,
                              code="extra", text="Extra vraag?", **fields)
    assert exc.value.error_dict[field][0].code == code
    assert not questionnaire.questions.filter(code="extra").exists()


@pytest.mark.parametrize(("points", "first", "last"), [(3, "1", "3"), (4, "1", "4"), (11, "1", "11"), (5, "Helemaal oneens", "Helemaal eens")])
def test_likert_scales_of_3_to_11_points(questionnaire, research, points, first, last):
    question = services.question_add(questionnaire=questionnaire, added_by=research.researcher, code=f"s{points}",
                                     text="Schaal", type="likert", scale_points=points)
    options = question.options()
    assert len(options) == points and (options[0][1], options[-1][1]) == (first, last)


# --- editing, deleting, reordering until the first response ----------------------------------


def test_edit_delete_and_reorder_until_the_first_response(questionnaire, research):
    calm = questionnaire.questions.get(code="calm")
    services.question_update(question=calm, changed_by=research.researcher, text="Ik voel me meestal rustig")
    services.questions_reorder(questionnaire=questionnaire, changed_by=research.researcher,
                               question_ids=[calm.pk, *questionnaire.questions.exclude(pk=calm.pk).order_by("order")
                                             .values_list("pk", flat=True)])
    assert _codes(questionnaire) == ["calm", "works", "hours", "grade"]
    extra = services.question_add(questionnaire=questionnaire, added_by=research.researcher, code="extra",
                                  text="Nog iets?", type="text", required=False)
    services.question_delete(question=extra, deleted_by=research.researcher)
    assert _codes(questionnaire) == ["calm", "works", "hours", "grade"]
    invitation = _invite(questionnaire, research)  # sent, still no response: still editable
    services.question_update(question=calm, changed_by=research.researcher, required=False)
    services.response_submit(invitation=invitation, answers={"works": "2", "calm": "4"})
    for attempt in (
        lambda: services.question_update(question=calm, changed_by=research.researcher, text="Anders"),
        lambda: services.question_delete(question=calm, deleted_by=research.researcher),
        lambda: services.questions_reorder(questionnaire=questionnaire, changed_by=research.researcher,
                                           question_ids=list(questionnaire.questions.values_list("pk", flat=True))),
        lambda: services.question_add(questionnaire=questionnaire, added_by=research.researcher, code="late",
                                      text="Te laat?", type="text"),
    ):
        with pytest.raises(ValidationError) as exc:
            attempt()
        assert exc.value.code == "has_responses"
        assert "eerste antwoord" in exc.value.messages[0]  # a clear Dutch message
    assert Question.objects.get(pk=calm.pk).text == "Ik voel me meestal rustig"


def test_branching_keeps_conditions_before_their_questions(questionnaire, research):
    works, hours = questionnaire.questions.get(code="works"), questionnaire.questions.get(code="hours")
    others = list(questionnaire.questions.exclude(pk__in=[works.pk, hours.pk]).order_by("order").values_list("pk", flat=True))
    with pytest.raises(ValidationError) as exc:
        services.questions_reorder(questionnaire=questionnaire, changed_by=research.researcher,
                                   question_ids=[hours.pk, works.pk, *others])
    assert exc.value.code == "branch_order"
    with pytest.raises(ValidationError) as exc:
        services.question_delete(question=works, deleted_by=research.researcher)
    assert exc.value.code == "has_dependents"
    with pytest.raises(ValidationError) as exc:  # the answer "Ja" must stay among the options
        services.question_update(question=works, changed_by=research.researcher, type="text")
    assert exc.value.error_dict["type"][0].code == "has_dependents"
    with pytest.raises(ValidationError) as exc:
        services.questions_reorder(questionnaire=questionnaire, changed_by=research.researcher, question_ids=[works.pk])
    assert exc.value.error_dict["questions"][0].code == "order"


# --- answering ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "errors", "stored"),
    [
        # works = Ja: hours and grade are asked and required; −5 hours is refused
        ({"works": "1", "hours": "-5", "grade": "7", "calm": "3"}, {"q_hours": "number_range"}, None),
        ({"works": "1", "hours": "81", "grade": "7", "calm": "3"}, {"q_hours": "number_range"}, None),
        ({"works": "1", "hours": "", "grade": "", "calm": "3"}, {"q_hours": "required", "q_grade": "required"}, None),
        ({"works": "1", "hours": "32,5", "grade": "6,5", "calm": "7"}, {},
         {"works": Decimal(1), "hours": Decimal("32.5"), "grade": Decimal("6.5"), "calm": Decimal(7)}),
        # works = Nee: hours and grade are hidden, not required, and an answer sent anyway is not kept
        ({"works": "2", "calm": "1"}, {}, {"works": Decimal(2), "calm": Decimal(1)}),
        ({"works": "2", "hours": "-5", "grade": "99", "calm": "1"}, {}, {"works": Decimal(2), "calm": Decimal(1)}),
        ({"works": "1", "hours": "10", "grade": "6.25", "calm": "8"}, {"q_grade": "grade_range", "q_calm": "likert_range"}, None),
        ({"works": "1", "hours": "10,125", "grade": "8", "calm": "2"}, {"q_hours": "number_decimals"}, None),
    ],
)
def test_answers_follow_bounds_scales_halves_and_branching(questionnaire, research, answers, errors, stored):
    invitation = _invite(questionnaire, research)
    if errors:
        with pytest.raises(ValidationError) as exc:
            services.response_submit(invitation=invitation, answers=answers)
        assert {field: items[0].code for field, items in exc.value.error_dict.items()} == errors
        assert not Answer.objects.exists()
    else:
        services.response_submit(invitation=invitation, answers=answers)
        assert {a.question.code: a.number for a in Answer.objects.select_related("question")} == stored


def test_results_with_halves_and_a_seven_point_scale(questionnaire, research):
    for n, (grade, calm) in enumerate([("6,5", "7"), ("6.5", "2"), ("8", "7")]):
        services.response_submit(invitation=_invite(questionnaire, research, f"w{n}@example.org"),
                                 answers={"works": "1", "hours": "20", "grade": grade, "calm": calm})
    results = selectors.questionnaire_results(questionnaire=questionnaire)
    by_code = {r.question.code: r for r in results.questions}
    assert dict(by_code["grade"].distribution)["6,5"] == 2 and dict(by_code["grade"].distribution)["8"] == 1
    assert by_code["grade"].description.mean == pytest.approx(7.0)
    assert dict(by_code["calm"].distribution) == {"Nooit": 0, "Zelden": 1, "Soms": 0, "Regelmatig": 0, "Vaak": 0,
                                                  "Meestal": 0, "Altijd": 2}


def test_the_sav_export_keeps_a_half_grade(populated, research, client, tmp_path):
    import pyreadstat

    invitation = [i for i in populated.invitations if i.participant_id][6]
    services.response_submit(invitation=invitation, answers={"grade": "6,5", "helped": 4})
    client.force_login(research.researcher)
    response = client.get(f"/research/studies/{populated.study.pk}/export/?table=participants&format=sav")
    path = tmp_path / "study.sav"
    path.write_bytes(b"".join(response.streaming_content) if response.streaming else response.content)
    frame, meta = pyreadstat.read_sav(str(path))
    grade_column = next(c for c in frame.columns if c.endswith("_grade"))
    assert sorted(frame[grade_column].dropna().tolist()) == [6.0, 6.0, 6.5, 7.0, 8.0, 9.0]
    # a grade is a number (scale, one decimal), not a code: no value labels such as "6,5 = 6,5"
    assert grade_column not in meta.variable_value_labels
    assert meta.original_variable_types[grade_column] == "F8.1"


# --- pages and API --------------------------------------------------------------------------


def _url(name, questionnaire, **kw):
    return reverse(f"evaluations:{name}", kwargs={"pk": questionnaire.study_id, "questionnaire_pk": questionnaire.pk, **kw})


def test_builder_pages_edit_move_delete_and_preview(api, research, questionnaire):
    calm = questionnaire.questions.get(code="calm")
    page = api.get(_url("questionnaire", questionnaire)).content.decode()
    assert _url("question_edit", questionnaire, question_pk=calm.pk) in page
    edit = api.get(_url("question_edit", questionnaire, question_pk=calm.pk))
    assert edit.status_code == 200 and "Altijd" in edit.content.decode()
    posted = api.post(_url("question_edit", questionnaire, question_pk=calm.pk), {
        "text": "Ik voel me rustig op het werk", "code": "calm", "type": "likert", "required": "on",
        "scale_points": "4", "scale_labels": "Nooit\nSoms\nVaak\nAltijd", "show_if": "works", "show_if_value": "Ja"})
    assert posted.status_code == 302, posted.content.decode()
    calm.refresh_from_db()
    assert (calm.scale_points, calm.show_if_question.code, calm.show_if_value) == (4, "works", "1")
    duplicate = api.post(_url("question_edit", questionnaire, question_pk=calm.pk), {
        "text": "Rustig?", "code": "calm", "type": "single", "choices": "Ja\nja"})
    assert duplicate.status_code == 400 and "twee keer" in duplicate.content.decode()
    api.post(_url("question_move", questionnaire, question_pk=calm.pk), {"direction": "up"})
    assert _codes(questionnaire) == ["works", "hours", "calm", "grade"]
    api.post(_url("question_move", questionnaire, question_pk=calm.pk), {"direction": "up"})
    api.post(_url("question_move", questionnaire, question_pk=calm.pk), {"direction": "up"})  # refused: after works
    assert _codes(questionnaire) == ["works", "calm", "hours", "grade"]
    api.post(_url("question_delete", questionnaire, question_pk=calm.pk))
    assert "calm" not in _codes(questionnaire)
    preview = api.get(_url("questionnaire_preview", questionnaire)).content.decode()
    assert "Voorbeeld" in preview and 'data-show-if="q_works"' in preview and "disabled" in preview
    assert "Een getal van 0 tot 80." in preview and 'name="q_grade" value="6.5"' in preview and "6,5" in preview
    # after the first response the builder says so and offers nothing to change
    services.response_submit(invitation=_invite(questionnaire, research), answers={"works": "2"})
    page = api.get(_url("questionnaire", questionnaire)).content.decode()
    assert "eerste antwoord" in page and _url("question_edit", questionnaire, question_pk=questionnaire.questions.first().pk) not in page
    refused = api.post(_url("question_delete", questionnaire, question_pk=questionnaire.questions.first().pk), follow=True)
    assert "eerste antwoord" in refused.content.decode()


def test_builder_pages_refuse_outsiders(client, outsider, questionnaire):
    client.force_login(outsider)
    question = questionnaire.questions.first()
    assert client.get(_url("question_edit", questionnaire, question_pk=question.pk)).status_code == 404
    assert client.post(_url("question_delete", questionnaire, question_pk=question.pk)).status_code == 404
    assert client.get(_url("questionnaire_preview", questionnaire)).status_code == 404
    assert Question.objects.filter(pk=question.pk).exists()


def test_answer_page_hides_nothing_without_script_and_keeps_hidden_answers_out(client, research, questionnaire):
    invitation = _invite(questionnaire, research)
    link = reverse("evaluations:token_questionnaire", kwargs={"token": invitation.token})
    page = client.get(link).content.decode()
    assert "Alleen als u “Ja” antwoordde op “Heeft u werk?”." in page
    bad = client.post(link, {"q_works": "1", "q_hours": "-5", "q_grade": "7", "q_calm": "2"})
    assert bad.status_code == 400 and "Het getal is lager dan 0." in bad.content.decode()
    ok = client.post(link, {"q_works": "2", "q_hours": "-5", "q_calm": "2"})
    assert ok.status_code == 302
    assert set(Answer.objects.values_list("question__code", flat=True)) == {"works", "calm"}


def test_api_list_patch_reorder_delete(api, research, questionnaire):
    base = f"/api/v1/research/studies/{questionnaire.study_id}/questionnaires/{questionnaire.pk}/questions/"
    listed = api.get(base).json()
    assert [q["code"] for q in listed] == ["works", "hours", "grade", "calm"]
    hours = next(q for q in listed if q["code"] == "hours")
    assert (hours["min_value"], hours["max_value"], hours["show_if"], hours["show_if_value"]) == ("0.00", "80.00", "works", "1")
    calm = next(q for q in listed if q["code"] == "calm")
    assert calm["options"][-1] == {"value": "7", "label": "Altijd"}
    patched = api.patch(f"{base}{calm['id']}/", {"scale_points": 4, "scale_labels": []}, content_type=JSON)
    assert patched.status_code == 200 and len(patched.json()["options"]) == 4
    assert_problem(api.patch(f"{base}{calm['id']}/", {"type": "single", "choices": ["Ja", "JA"]}, content_type=JSON),
                   400, code="duplicate_choice")
    ids = [q["id"] for q in listed]
    reordered = api.post(f"{base}reorder/", {"questions": [ids[3], ids[0], ids[1], ids[2]]}, content_type=JSON)
    assert reordered.status_code == 200 and [q["code"] for q in reordered.json()] == ["calm", "works", "hours", "grade"]
    assert_problem(api.post(f"{base}reorder/", {"questions": [ids[1], ids[0], ids[2], ids[3]]}, content_type=JSON),
                   400, code="branch_order")
    assert_problem(api.delete(f"{base}{ids[0]}/"), 400, code="has_dependents")
    assert api.delete(f"{base}{calm['id']}/").status_code == 204
    services.response_submit(invitation=_invite(questionnaire, research), answers={"works": "2"})
    assert_problem(api.patch(f"{base}{ids[1]}/", {"text": "Uren?"}, content_type=JSON), 400, code="has_responses")
    assert_problem(api.post(f"{base}reorder/", {"questions": ids[:3]}, content_type=JSON), 400, code="has_responses")


def test_api_refuses_other_studies_questions(api, research, make_study, questionnaire):
    other = services.questionnaire_create(study=make_study(title="Ander"), title="Anders", created_by=research.researcher,
                                          questions=[{"code": "a", "text": "A?", "type": "text"}])
    foreign = other.questions.get()
    base = f"/api/v1/research/studies/{questionnaire.study_id}/questionnaires/{questionnaire.pk}/questions/"
    assert api.patch(f"{base}{foreign.pk}/", {"text": "B?"}, content_type=JSON).status_code == 404
    assert api.delete(f"{base}{foreign.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("decimals", "answer", "ok"),
    [
        (0, "32", True),      # whole numbers only
        (0, "32,5", False),
        (0, "32.00", True),   # trailing zeros are no decimals
        (1, "7,5", True),
        (1, "7,25", False),
        (None, "7,25", True),  # empty: up to two
    ],
)
def test_number_decimals(research, make_study, decimals, answer, ok):
    study = make_study()
    questionnaire = services.questionnaire_create(study=study, title="Uren", created_by=research.researcher, questions=[
        {"code": "hours", "text": "Uren?", "type": "number", "decimals": decimals}])
    assert questionnaire.questions.get().decimals == decimals
    invitation = _invite(questionnaire, research)
    if ok:
        services.response_submit(invitation=invitation, answers={"hours": answer})
        assert Answer.objects.get(invitation=invitation).number == builder.number(answer)
    else:
        with pytest.raises(ValidationError) as exc:
            services.response_submit(invitation=invitation, answers={"hours": answer})
        assert exc.value.error_dict["q_hours"][0].code == "number_decimals"


def test_decimals_only_0_to_2(research, make_study):
    with pytest.raises(ValidationError) as exc:
        services.questionnaire_create(study=make_study(), title="Uren", created_by=research.researcher, questions=[
            {"code": "hours", "text": "Uren?", "type": "number", "decimals": 3}])
    assert exc.value.error_dict["decimals"][0].code == "decimals"
