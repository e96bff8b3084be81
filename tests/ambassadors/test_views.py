"""The pages through the test client: the main flow, filters, no-JS asking, errors, query counts."""

from datetime import datetime

import pytest
from django.urls import reverse

from werkbrug.ambassadors import services
from werkbrug.ambassadors.deadlines import AMSTERDAM
from werkbrug.ambassadors.models import Question
from werkbrug.core.models import AccessLogRecord

pytestmark = pytest.mark.django_db


def signed_in(client, user):
    client.force_login(user)
    return client


def test_ask_without_javascript_checks_then_sends(net, ask, client):
    published = ask(text="Hoe wordt loon verrekend met de WIA-uitkering bij parttime werk?", by=net.other)
    services.question_answer(question=published, author=net.people["anna"], text="Voor 70 procent.")
    services.question_publish(question=published, person=net.people["anna"], public_question=published.text, public_answer="Voor 70 procent.")
    signed_in(client, net.asker)
    data = {"organisation": net.uwv.pk, "topic": net.topics["benefits"].pk, "urgency": "normal",
            "text": "Verrekening van loon met de WIA-uitkering bij parttime werk?"}
    response = client.post(reverse("ambassadors:ask"), {**data, "action": "check"})
    assert response.status_code == 200
    assert "Misschien helpt dit je al" in response.content.decode()
    assert Question.objects.count() == 1
    response = client.post(reverse("ambassadors:ask"), {**data, "action": "send"})
    assert response.status_code == 302
    assert Question.objects.count() == 2


def test_bsn_is_refused_and_a_date_needs_confirmation(net, client):
    signed_in(client, net.asker)
    data = {"organisation": net.uwv.pk, "topic": net.topics["benefits"].pk, "urgency": "normal", "action": "send"}
    response = client.post(reverse("ambassadors:ask"), {**data, "text": "Klant 111222333 vraagt om WIA"})
    assert response.status_code == 200 and "burgerservicenummer" in response.content.decode()
    response = client.post(reverse("ambassadors:ask"), {**data, "text": "Geboren 12-04-1985, vraag over WIA"})
    assert response.status_code == 200 and not Question.objects.exists()
    response = client.post(reverse("ambassadors:ask"), {**data, "text": "Geboren 12-04-1985, vraag over WIA", "confirm": "on"})
    assert response.status_code == 302 and Question.objects.count() == 1
    response = client.post(reverse("ambassadors:ask"), {**data, "text": "", "topic": ""})
    assert response.status_code == 200 and Question.objects.count() == 1


def test_check_endpoint_returns_warnings_and_suggestions(net, client):
    signed_in(client, net.asker)
    response = client.get(reverse("ambassadors:ask_check"), {"text": "BSN 111222333 en geboren 3 maart 1990"})
    assert response.status_code == 200
    assert [w["kind"] for w in response.json()["warnings"]] == ["bsn", "date_of_birth"]


def test_answer_rate_publish_through_pages(net, ask, client):
    question = ask()
    signed_in(client, net.people["anna"])
    assert client.get(reverse("ambassadors:question", args=[question.pk])).status_code == 200
    client.post(reverse("ambassadors:question_answer", args=[question.pk]), {"answer-text": "Zo zit het."})
    signed_in(client, net.asker)
    client.post(reverse("ambassadors:question_rate", args=[question.pk]), {"useful": "1"})
    question.refresh_from_db()
    assert question.useful is True and question.answered_by == net.people["anna"]
    # Someone from another organisation cannot answer: refused as not found (404), nothing written.
    signed_in(client, net.people["gina"])
    response = client.post(reverse("ambassadors:question_answer", args=[question.pk]), {"answer-text": "Nee"})
    assert response.status_code == 404
    assert question.messages.count() == 1


def test_pages_for_ambassador_and_manager(net, ask, client):
    for i in range(30):
        ask(text=f"Vraag {i} over de WIA-uitkering en parttime loon verrekenen", now=datetime(2026, 3, 2, 9, 0, tzinfo=AMSTERDAM))
    services.groups_rebuild(region=net.region)
    signed_in(client, net.people["anna"])
    for name in ["index", "questions", "qa", "groups", "proposals", "report", "people", "ask", "settings"]:
        assert client.get(reverse(f"ambassadors:{name}")).status_code == 200, name
    for kind in ["on_time", "late", "very_late"]:
        assert client.get(reverse("ambassadors:questions"), {"timeliness": kind}).status_code == 200
    assert client.get(reverse("ambassadors:report_pdf")).content.startswith(b"%PDF")
    signed_in(client, net.manager)
    assert client.get(reverse("ambassadors:report")).status_code == 200
    assert client.get(reverse("ambassadors:groups")).status_code == 403
    assert client.get(reverse("ambassadors:question", args=[Question.objects.first().pk])).status_code == 404
    assert not AccessLogRecord.objects.exists()  # no client data, no access-log records


def test_question_list_query_count(net, ask, client, django_assert_max_num_queries):
    for i in range(40):
        ask(text=f"Vraag {i}", now=datetime(2026, 3, 2, 9, 0, tzinfo=AMSTERDAM))
    signed_in(client, net.people["anna"])
    with django_assert_max_num_queries(20):
        assert client.get(reverse("ambassadors:questions")).status_code == 200


def test_group_merge_split_and_proposal_pages(net, ask, client):
    for text in ["WIA-uitkering en parttime loon verrekenen", "Loon verrekenen met WIA-uitkering bij parttime werk",
                 "Reiskosten tijdens de proefplaatsing vergoed?", "Vergoeding reiskosten bij proefplaatsing"]:
        ask(text=text)
    groups = services.groups_rebuild(region=net.region)
    assert len(groups) == 2
    signed_in(client, net.people["anna"])
    response = client.post(reverse("ambassadors:groups"), {"groups": [g.pk for g in groups], "title": "Samen"})
    assert response.status_code == 302
    merged = groups[0]
    moved = list(merged.questions.values_list("pk", flat=True)[:1])
    response = client.post(reverse("ambassadors:group", args=[merged.pk]), {"questions": moved, "title": "Apart"})
    assert response.status_code == 302
    response = client.post(reverse("ambassadors:proposal_create"), {
        "title": "Reiskosten regelen", "problem": "Onduidelijk", "process": "Proefplaatsing", "proposal": "Eén regeling",
        "groups": [merged.pk], "audience": "portfolio_holders"})
    assert response.status_code == 302
    response = client.post(reverse("ambassadors:proposal_create"), {"title": "", "audience": "management"})
    assert response.status_code == 200


def test_settings_bad_deadline_shows_error(net, client):
    signed_in(client, net.admin)
    response = client.post(reverse("ambassadors:settings"), {"form": "settings", "deadline_hours": "0", "deadline_mode": "calendar"})
    assert response.status_code == 200
    assert "boven nul" in response.content.decode() or "above zero" in response.content.decode()


def test_absence_ending_before_start_shows_error(net, client):
    signed_in(client, net.people["anna"])
    response = client.post(reverse("ambassadors:people"), {"ambassador": net.amb["anna"].pk, "starts_on": "2026-03-05",
                                                           "ends_on": "2026-03-01", "reason": "sick"})
    assert response.status_code == 200
    assert not net.amb["anna"].absences.exists()


def test_clients_get_no_ambassador_pages(net, client_user, client):
    signed_in(client, client_user)
    assert client.get(reverse("ambassadors:index")).status_code == 403
    assert client.get(reverse("ambassadors:ask_check"), {"text": "x"}).status_code == 403
    assert client.get(reverse("ambassadors:report")).status_code == 404  # no region of their own in the network
