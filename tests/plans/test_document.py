"""The plan as a document: the agreed version as a PDF, who agreed when (the client included),
the client's pseudonym and not their name, the print date in Dutch, page numbers; pages, portal
and API; access-logged as an export."""

from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client as BrowserClient
from django.urls import reverse

from tests.plans.conftest import goals_for, goals_from
from werkbrug.core.models import AccessLogRecord
from werkbrug.plans.services import plan_agree, plan_save

pypdf = pytest.importorskip("pypdf")
pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")


def pdf_text(response) -> str:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def agreed(team, client_user):
    """Version 1 agreed by the two professionals and the client (in the portal)."""
    version = plan_save(trajectory=team.trajectory, actor=team.jobcoach, based_on=0, goals=goals_for(team), submit=True)
    with time_machine.travel(datetime(2026, 11, 30, 10, 15, tzinfo=AMS), tick=False):
        plan_agree(plan_version=version, person=team.jobcoach)
        plan_agree(plan_version=version, person=team.labour_expert)
    with time_machine.travel(datetime(2026, 12, 1, 14, 5, tzinfo=AMS), tick=False):
        plan_agree(plan_version=version, person=client_user)
    version.refresh_from_db()
    assert version.agreed_at is not None
    return version


def test_the_agreed_plan_as_a_pdf(client, team, agreed):
    client.force_login(team.labour_expert)
    before = AccessLogRecord.objects.count()
    with time_machine.travel(datetime(2026, 12, 4, 19, 56, tzinfo=AMS), tick=False):
        response = client.get(reverse("plans:pdf", kwargs={"trajectory_pk": team.trajectory.pk}))
    text = flat(pdf_text(response))
    # the agreed version, its goals, actions, owners and dates
    assert "Versie 1" in text and "Iedereen is het eens" in text
    assert "Betaald werk in de groenvoorziening" in text
    assert "Cv bijwerken" in text and "Gesprek met werkgever plannen" in text
    assert "de cliënt" in text and "Jet Coach" in text
    # who agreed when, the client included
    assert "Lars Deskundige" in text and "30 november 2026 10:15" in text
    assert f"De cliënt ({team.client.pseudonym})" in text and "1 december 2026 14:05" in text
    # the pseudonym, never the name
    assert team.client.pseudonym in text
    assert team.client.last_name not in text
    # the print date in Dutch, Amsterdam time; page numbers
    assert "4 december 2026 19:56" in text
    assert "Pagina 1 van 1" in text
    # one access-log record: an export of the plan
    records = list(AccessLogRecord.objects.order_by("id")[before:])
    assert [(r.action, r.code, r.data_category, r.granted) for r in records] == [("plan.print", "E", "plan", True)]


def test_a_newer_version_does_not_replace_the_agreed_one_in_print(client, team, agreed):
    goals = goals_from(agreed)
    goals[0].title = "Betaald werk in de zorg"
    plan_save(trajectory=team.trajectory, actor=team.jobcoach, based_on=1, revision=agreed.plan.revision,
              goals=goals, submit=True)
    client.force_login(team.jobcoach)
    text = flat(pdf_text(client.get(reverse("plans:pdf", kwargs={"trajectory_pk": team.trajectory.pk}))))
    assert "Betaald werk in de groenvoorziening" in text and "Er is een nieuwere versie van dit plan" in text
    text = flat(pdf_text(client.get(reverse("plans:version_pdf", kwargs={"trajectory_pk": team.trajectory.pk, "number": 2}))))
    assert "Betaald werk in de zorg" in text
    assert "Niet iedereen is het eens met deze versie" in text
    assert "Nog geen antwoord" in text  # who has not answered yet is named


def test_long_titles_stay_on_the_page(client, team):
    """A table never runs off the page: a long unbroken word is wrapped inside its column."""
    from datetime import timedelta

    from werkbrug.plans.services import ActionInput, GoalInput

    word = "Arbeidsmarktregio" * 11  # 187 characters: within the 200 a title may have
    plan_save(trajectory=team.trajectory, actor=team.jobcoach, based_on=0, submit=False, goals=[GoalInput(
        title="Doel", actions=[ActionInput(title=word, owner="client", due_on=team.trajectory.started_on + timedelta(days=3))])])
    client.force_login(team.jobcoach)
    response = client.get(reverse("plans:pdf", kwargs={"trajectory_pk": team.trajectory.pk}))
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    width = float(reader.pages[0].mediabox.width)
    fragments = []

    def visit(text, cm, tm, font_dict, font_size):
        if "beidsmarkt" in text or "gioArb" in text or text.strip().startswith(("rbeid", "eidsm", "idsma", "dsmar")):
            fragments.append((tm[4] * cm[0] + cm[4], text.strip()))

    reader.pages[0].extract_text(visitor_text=visit)
    assert len(fragments) > 1  # broken over several lines inside its column, not one line off the page
    assert "".join(f for _x, f in fragments).replace("\u2010", "").startswith(word[:60])  # hyphenated
    assert all(0 < x < width / 2 for x, _f in fragments)  # the action column is the left half


def test_who_may_not_read_the_plan_gets_404_and_a_denied_record(client, team, agreed):
    client.force_login(team.outsider)
    before = AccessLogRecord.objects.filter(granted=False).count()
    for url in (reverse("plans:pdf", kwargs={"trajectory_pk": team.trajectory.pk}),
                reverse("plans:version_pdf", kwargs={"trajectory_pk": team.trajectory.pk, "number": 1}),
                f"/api/v1/plans/{team.trajectory.pk}/pdf/"):
        assert client.get(url).status_code == 404
    assert AccessLogRecord.objects.filter(granted=False).count() - before == 3


def test_the_plan_page_links_to_the_pdf(client, team, agreed):
    client.force_login(team.jobcoach)
    page = client.get(reverse("plans:plan", kwargs={"trajectory_pk": team.trajectory.pk})).content.decode()
    assert reverse("plans:pdf", kwargs={"trajectory_pk": team.trajectory.pk}) in page and "Afdrukken / PDF" in page


def test_the_api_returns_application_pdf(team, agreed):
    api = BrowserClient()
    api.force_login(team.jobcoach)
    text = flat(pdf_text(api.get(f"/api/v1/plans/{team.trajectory.pk}/pdf/", HTTP_ACCEPT="application/pdf")))
    assert "Cv bijwerken" in text
    text = flat(pdf_text(api.get(f"/api/v1/plans/{team.trajectory.pk}/versions/1/pdf/")))
    assert "Versie 1" in text
    missing = api.get(f"/api/v1/plans/{team.trajectory.pk}/versions/9/pdf/", HTTP_ACCEPT="application/pdf")
    assert missing.status_code == 404 and missing["Content-Type"].startswith("application/problem+json")


def test_the_client_prints_their_plan_in_the_portal(client, team, client_user, agreed):
    client.force_login(client_user)
    text = flat(pdf_text(client.get(reverse("portal:plan_pdf"))))
    assert "Cv bijwerken" in text and team.client.pseudonym in text
    assert "Versie 1" in flat(pdf_text(client.get(reverse("portal:version_pdf", kwargs={"number": 1}))))
    assert client.get(reverse("portal:version_pdf", kwargs={"number": 5})).status_code == 404
