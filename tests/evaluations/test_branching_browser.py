"""Branching in the browser: a respondent sees the follow-up questions only after the answer
that opens them, and sends the form without them when they stay hidden."""

from __future__ import annotations

import pytest

from tests.support.browser import assert_accessible, follow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_follow_up_questions_appear_with_the_answer_that_opens_them(page, research, make_study):
    from werkbrug.evaluations import services
    from werkbrug.evaluations.models import Answer

    questionnaire = services.questionnaire_create(
        study=make_study(), title="Werk", created_by=research.researcher, questions=[
            {"code": "works", "text": "Heeft u werk?", "type": "single", "choices": ["Ja", "Nee"]},
            {"code": "hours", "text": "Hoeveel uur per week?", "type": "number", "min_value": 0, "max_value": 80,
             "show_if": "works", "show_if_value": "Ja"},
            {"code": "grade", "text": "Welk cijfer geeft u uw werk?", "type": "grade", "show_if": "works",
             "show_if_value": "Ja"},
        ])
    [invitation] = services.questionnaire_send(questionnaire=questionnaire, sent_by=research.researcher,
                                               to_participants=False, links=[("employer", "baas@example.org")])
    page.goto(f"/research/q/{invitation.token}/")
    hours = page.locator("#id_q_hours")
    assert not hours.is_visible() and not page.locator("input[name=q_grade]").first.is_visible()
    page.check("input[name=q_works][value='1']")
    assert hours.is_visible()
    page.check("input[name=q_grade][value='6.5']")
    assert page.locator("label", has_text="6,5").first.is_visible()
    assert_accessible(page)
    page.check("input[name=q_works][value='2']")  # changed the answer: the follow-ups go again
    assert not hours.is_visible()
    follow(page.locator("main form button[type=submit]"))
    assert list(Answer.objects.values_list("question__code", flat=True)) == ["works"]
