"""Similar answered questions while typing ("maybe this helps you already")."""

import pytest

from werkbrug.ambassadors import selectors, services

pytestmark = pytest.mark.django_db


def answered(net, ask, text, publish=False, by=None):
    question = ask(text=text, by=by)
    services.question_answer(question=question, author=net.people["anna"], text="Antwoord op: " + text)
    if publish:
        services.question_publish(question=question, person=net.people["anna"], public_question=text, public_answer="Gepubliceerd antwoord")
    return question


def test_similar_published_questions_are_suggested(net, ask):
    wia = answered(net, ask, "Hoe wordt loon verrekend met de WIA-uitkering bij parttime werk?", publish=True, by=net.other)
    answered(net, ask, "Hoe vraag je een jobcoach aan bij UWV?", publish=True, by=net.other)
    private = answered(net, ask, "Verrekening van loon met een WIA-uitkering voor een deeltijdbaan", by=net.other)
    found = selectors.similar_questions(user=net.asker, query="WIA uitkering en loon verrekenen bij parttime")
    assert [s.id for s in found] == [wia.pk]  # the other person's unpublished question stays hidden
    assert found[0].answer == "Gepubliceerd antwoord"
    as_ambassador = selectors.similar_questions(user=net.people["gina"], query="WIA uitkering en loon verrekenen bij parttime")
    assert {s.id for s in as_ambassador} == {wia.pk, private.pk}
    assert selectors.similar_questions(user=net.asker, query="fietsenwerkplaats") == []
    assert selectors.similar_questions(user=net.asker, query="") == []
