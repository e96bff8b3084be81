"""The identity guard at every door: asking, following up, answering and publishing, page and API.

Reproduced on main: an ambassador published a Q&A holding a client's full name (and could not
take it back); the API took a question with a date of birth or a client's name without the
confirmation the form asks for; client numbers, phone numbers and addresses went unnoticed; only
the asker's own clients' names were looked for.
"""

from datetime import date

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.support.api import assert_problem
from werkbrug.ambassadors import services
from werkbrug.ambassadors.identity import find_identifying, identity_warnings
from werkbrug.ambassadors.models import EventKind, Question

TODAY = date(2026, 3, 2)
API = "/api/v1/ambassadors"
OTHERS = [("Sanne", "de Wit"), ("Piet", "Bakker")]  # clients of the region, not the writer's own

CASES = [
    # (text, expected kinds)
    ("Bel haar op 06-12345678 voor een afspraak", ["phone"]),  # mobile with a dash
    ("Zijn nummer is +31 6 12345678.", ["phone"]),  # international mobile
    ("Het kantoor: 020-1234567", ["phone"]),  # Amsterdam landline
    ("Bereikbaar via 0031 10 123 4567", ["phone"]),  # 0031 and spaces
    ("Woont op 1234 AB 12 sinds kort", ["address"]),  # postcode and house number
    ("Adres: Kerkstraat 12a, Utrecht", ["address"]),  # street and number
    ("Cliëntnummer CAB3DEFGH2 staat in het dossier", ["client_number"]),  # Werkbrug client number
    ("Chauffeurs zoeken werk", []),  # a word that merely looks like a client number
    ("In 2020 en 2021 werkte zij parttime", []),  # years are no postcode
    ("Zaak 123456789 bij de rechtbank", []),  # nine digits failing the eleven test
    ("Mevrouw de Wit wil parttime werken", ["client_name"]),  # another's client: capitalised surname
    ("sanne de wit heeft schulden", ["client_name"]),  # a full name counts in any case
    ("Hij werkte als bakker in Utrecht", []),  # another's client's surname as a plain word
    ("Geboren 12-04-1985, woont op 1234 AB 12, tel. 0612345678", ["phone", "address", "date_of_birth"]),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_detection_table(text, expected):
    found = identity_warnings(text, today=TODAY, client_names=OTHERS, own_clients=[])
    assert [f.kind for f in found] == expected, found
    assert all(not f.blocking for f in found)
    assert all(f.message for f in found)


@pytest.fixture
def region_client(net):
    """A client of the region registered by someone else: not the asker's own."""
    from werkbrug.clients.services import client_register

    return client_register(registered_by=net.other, first_name="Sanne", last_name="Verbeek", date_of_birth=date(1988, 1, 2))


def _api(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


@pytest.mark.django_db
def test_find_identifying_looks_at_every_client_of_the_region_in_one_query(net, region_client, other_region,
                                                                          django_assert_num_queries):
    with django_assert_num_queries(1):
        found = find_identifying("Kan Verbeek met behoud van uitkering werken?", region=net.region)
    assert [(f.kind, f.excerpt) for f in found] == [("client_name", "Verbeek")]
    assert find_identifying("Kan Verbeek met behoud van uitkering werken?", region=other_region) == []


@pytest.mark.django_db
@pytest.mark.parametrize("text", [
    "Mijn cliënt Sanne Verbeek wil parttime werken met een WIA-uitkering.",  # a region client's name
    "Cliënt geboren 12-04-1985 wil parttime werken met een WIA-uitkering.",  # a date of birth
    "Bel 06-12345678 over parttime werken met een WIA-uitkering.",  # a phone number
])
def test_the_api_asks_for_the_same_confirmation_as_the_form(net, region_client, text):
    body = {"organisation": net.uwv.pk, "topic": net.topics["benefits"].pk, "text": text}
    response = _api(net.asker).post(f"{API}/questions/", body, format="json")
    assert_problem(response, 400, "text", code="identity_unconfirmed")
    assert not Question.objects.exists()
    response = _api(net.asker).post(f"{API}/questions/", {**body, "confirm": True}, format="json")
    assert response.status_code == 201, response.content


@pytest.mark.django_db
def test_a_bsn_is_refused_even_when_confirmed(net):
    body = {"organisation": net.uwv.pk, "topic": net.topics["benefits"].pk, "confirm": True,
            "text": "BSN 111222333: hoe werkt de WIA bij parttime werk?"}
    assert_problem(_api(net.asker).post(f"{API}/questions/", body, format="json"), 400, "text", code="bsn")
    assert not Question.objects.exists()


@pytest.mark.django_db
def test_the_ask_page_needs_the_confirmation_for_another_clients_name(client, net, region_client):
    client.force_login(net.asker)
    data = {"organisation": net.uwv.pk, "topic": net.topics["benefits"].pk, "urgency": "normal", "action": "send",
            "text": "Hoe werkt de WIA voor Sanne Verbeek als zij parttime gaat werken?"}
    response = client.post(reverse("ambassadors:ask"), data)
    assert response.status_code == 200 and not Question.objects.exists()
    assert [w.kind for w in response.context["check"]["warnings"]] == ["client_name"]
    assert client.post(reverse("ambassadors:ask"), {**data, "confirm": "on"}).status_code == 302


@pytest.fixture
def answered(net, ask):
    question = ask()
    services.question_answer(question=question, author=net.people["anna"], text="Dat hangt af van de uren.")
    return question


@pytest.mark.django_db
def test_follow_up_and_answer_need_the_confirmation_too(net, answered, region_client):
    url = f"{API}/questions/{answered.pk}"
    follow = {"text": "En als Sanne Verbeek 20 uur gaat werken?"}
    assert_problem(_api(net.asker).post(f"{url}/follow-up/", follow, format="json"), 400, "text",
                   code="identity_unconfirmed")
    assert _api(net.asker).post(f"{url}/follow-up/", {**follow, "confirm": True}, format="json").status_code == 201
    answer = {"text": "Bel het UWV op 088-8982001 of schrijf naar Postbus 58285, 1040 HG 12."}
    assert_problem(_api(net.people["anna"]).post(f"{url}/answer/", answer, format="json"), 400, "text",
                   code="identity_unconfirmed")
    assert _api(net.people["anna"]).post(f"{url}/answer/", {**answer, "confirm": True}, format="json").status_code == 201


@pytest.mark.django_db
def test_the_answer_page_needs_the_confirmation(client, net, answered):
    client.force_login(net.people["anna"])
    url = reverse("ambassadors:question_answer", args=[answered.pk])
    client.post(url, {"answer-text": "Bel haar op 06-12345678."})
    assert answered.messages.count() == 1
    client.post(url, {"answer-text": "Bel haar op 06-12345678.", "answer-confirm": "on"})
    assert answered.messages.count() == 2


@pytest.mark.django_db
def test_publishing_with_a_client_name_is_refused_without_override(net, answered, region_client):
    body = {"public_question": "Hoe werkt de WIA voor Sanne Verbeek bij parttime werk?",
            "public_answer": "Dat hangt af van de uren.", "confirm": True}
    response = _api(net.people["anna"]).post(f"{API}/questions/{answered.pk}/publish/", body, format="json")
    assert_problem(response, 400, "public_question", code="identity")
    answered.refresh_from_db()
    assert not answered.published and answered.public_question == ""
    for field, text in (("public_answer", "Bel 06-12345678."), ("public_answer", "Kijk op Kerkstraat 12.")):
        body = {"public_question": "Hoe werkt de WIA bij parttime werk?", "public_answer": "Uren tellen.", field: text}
        assert_problem(_api(net.people["anna"]).post(f"{API}/questions/{answered.pk}/publish/", body, format="json"),
                       400, field, code="identity")


@pytest.mark.django_db
def test_publishing_is_checked_before_the_body_is_read(net, answered):
    """Check first: someone who may not publish gets the refusal, not a validation error."""
    response = _api(net.people["gina"]).post(f"{API}/questions/{answered.pk}/publish/", {}, format="json")
    assert_problem(response, 404, code="not_found")
    response = _api(net.other).post(f"{API}/questions/{answered.pk}/answer/", {}, format="json")
    assert_problem(response, 404)


@pytest.fixture
def published(net, answered):
    return services.question_publish(question=answered, person=net.people["anna"], public_question="Hoe werkt de WIA?",
                                     public_answer="Uren tellen.")


@pytest.mark.django_db
def test_unpublish_through_the_api_with_a_reason(net, published):
    url = f"{API}/questions/{published.pk}/unpublish/"
    assert_problem(_api(net.people["anna"]).post(url, {"reason": ""}, format="json"), 400, "reason")
    assert _api(net.asker).post(url, {"reason": "weg ermee"}, format="json").status_code in (403, 404)
    assert _api(net.people["anna"]).post(url, {"reason": "Bevatte een naam"}, format="json").status_code == 204
    published.refresh_from_db()
    assert not published.published and published.public_question == "" and published.public_answer == ""
    event = published.events.get(kind=EventKind.UNPUBLISHED)
    assert (event.actor, event.note) == (net.people["anna"], "Bevatte een naam")
    assert _api(net.asker).get(f"{API}/qa/{published.pk}/").status_code == 404
    assert_problem(_api(net.people["anna"]).post(url, {"reason": "nog eens"}, format="json"), 400, code="not_published")


@pytest.mark.django_db
def test_the_region_administrator_unpublishes_with_the_page_button(client, net, published):
    client.force_login(net.admin)
    page = client.get(reverse("ambassadors:qa_detail", args=[published.pk]))
    assert reverse("ambassadors:question_unpublish", args=[published.pk]) in page.content.decode()
    response = client.post(reverse("ambassadors:question_unpublish", args=[published.pk]), {"reason": "Verouderd"})
    assert response.status_code == 302
    published.refresh_from_db()
    assert not published.published
    assert published.events.filter(kind=EventKind.UNPUBLISHED, note="Verouderd", actor=net.admin).exists()
