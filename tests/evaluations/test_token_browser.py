"""A respondent opens a personal questionnaire link from the mail in Chromium and sends it.

With `Referrer-Policy: no-referrer` Chromium posted `Origin: null` and the CSRF check refused
every answer; the page now sends the origin only (never the token).
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.core import mail

from tests.support.browser import follow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_anonymous_respondent_submits_the_personal_link(page, research, make_study, client):
    from werkbrug.evaluations import services
    from werkbrug.evaluations.models import Answer

    study = make_study()
    research.client()
    services.participants_enrol_eligible(study=study, enrolled_by=research.researcher)
    client.force_login(research.researcher)
    q_url = client.post(f"/research/studies/{study.pk}/questionnaires/new/", {"title": "Tevredenheid"})["Location"]
    client.post(q_url, {"action": "question", "q-text": "Welk cijfer?", "q-code": "grade", "q-type": "grade",
                        "q-required": "on"})
    client.post(q_url, {"action": "send", "s-to_participants": "on", "s-kind": "employer", "s-emails": "baas@example.org"})
    invitation_mail = next(m for m in mail.outbox if m.to == ["baas@example.org"])
    link = next(word for word in invitation_mail.body.split() if "/research/q/" in word)
    assert link.startswith("https://werkbrug.test/research/q/")  # absolute, from WERKBRUG_BASE_URL

    response = page.goto(urlsplit(link).path)
    assert response.headers["referrer-policy"] == "strict-origin"
    page.check("input[name=q_grade][value='7']")
    follow(page.locator("main form button[type=submit]"))
    assert "403" not in page.title()
    assert Answer.objects.get(question__code="grade").number == 7
