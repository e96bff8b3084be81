"""As the recipients: a badge in the header, the inbox, the link to the object, and the mail's
absolute link opened in a fresh browser that first has to sign in."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.support.browser import assert_accessible, follow
from werkbrug.collaboration.models import SignalRecipient
from werkbrug.core.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_signal_reaches_its_recipient_through_the_badge_and_the_inbox(page, sign_in, team, signal):
    from werkbrug.notifications.models import Notification

    User.objects.filter(pk=team.labour_expert.pk).update(username="demo.lars.deskundige")
    Notification.objects.all().delete()  # the team's set-up told Lars things too
    sign_in(team.labour_expert)
    badge = page.locator("[data-unread-badge]")
    expect(badge).to_be_hidden()
    made = signal(urgency="urgent")  # the jobcoach sends it while Lars has Werkbrug open
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")  # what the 30 s poll does
    expect(badge).to_be_visible()
    expect(page.locator("[data-unread-count]")).to_have_text("1")
    follow(page.locator("a.inbox-link"))
    assert_accessible(page)
    entry = page.get_by_role("link", name=f"Signaal ontvangen (#{made.pk})")
    expect(entry).to_be_visible()
    follow(entry)
    assert page.url.endswith(f"/collaboration/trajectories/{team.trajectory.pk}/signals/")
    follow(page.get_by_role("button", name="Ik heb dit gelezen"))
    expect(page.get_by_text("U hebt het signaal gelezen.")).to_be_visible()
    assert SignalRecipient.objects.get(signal=made, person=team.labour_expert).acknowledged_at is not None
    expect(page.locator("[data-unread-badge]")).to_be_hidden()


def test_the_mail_link_of_an_ambassador_question_leads_to_the_question_after_sign_in(browser, live_server, net, ask):
    mail.outbox.clear()
    question = ask()
    message = next(m for m in mail.outbox if m.to == ["anna@example.org"])
    link = next(word for word in message.body.split() if word.startswith("https://werkbrug.test/notifications/"))
    assert question.text not in message.body and "Vrager" not in message.body  # nothing of the question in the mail

    context = browser.new_context(locale="nl-NL", base_url=live_server.url)  # a new browser, not signed in
    try:
        page = context.new_page()
        page.goto(urlsplit(link).path)
        expect(page.get_by_role("heading", name="Inloggen")).to_be_visible()
        page.get_by_label("Gebruikersnaam").fill(net.people["anna"].username)
        page.get_by_label("Wachtwoord").fill("correct horse battery staple")
        follow(page.get_by_role("button", name="Inloggen"))
        assert page.url.endswith(f"/ambassadors/questions/{question.pk}/")
        expect(page.get_by_text(question.text[:40])).to_be_visible()
        assert_accessible(page)
    finally:
        context.close()


def test_a_deployment_offer_reaches_the_expert_and_the_answer_reaches_the_coordinator(page, sign_in, ee):
    """The coordinator offers a group request to Anna; Anna sees the badge and the count beside
    "Ervaringsdeskundigen", opens the inbox, follows the link and accepts; the coordinator is told."""
    from datetime import timedelta

    from django.utils import timezone

    from werkbrug.experience_experts.models import DeploymentRequest
    from werkbrug.experience_experts.services import request_create
    from werkbrug.notifications.models import Notification

    User.objects.filter(pk=ee.coordinator.pk).update(username="demo.cora.coordinator")
    User.objects.filter(pk=ee.anna.pk).update(username="demo.anna.aalders")
    today = timezone.localdate()
    request = request_create(requested_by=ee.coordinator, kind="group_training", topic="Herstelgroep Tiel",
                             period_start=today + timedelta(days=7), period_end=today + timedelta(days=14))
    Notification.objects.all().delete()  # the fixtures' set-up told people things too

    # The coordinator offers the request to Anna from its page (the ranked matches)
    sign_in(ee.coordinator)
    page.goto(f"/experience-experts/requests/{request.pk}/")
    follow(page.locator(f"button[name=expert][value='{ee.anna.pk}']"))
    assert DeploymentRequest.objects.get(pk=request.pk).status == "offered"

    # Anna: the badge, the count beside the entry, the inbox, the link, the answer
    sign_in(ee.anna)
    expect(page.locator("[data-unread-badge]")).to_be_visible()
    expect(page.locator("[data-unread-count]")).to_have_text("1")
    expect(page.locator(".main-nav a[href='/experience-experts/'] .badge--nav")).to_contain_text("1")
    follow(page.locator("a.inbox-link"))
    assert_accessible(page)
    follow(page.get_by_role("link", name=f"Inzetverzoek aan u aangeboden (#{request.pk})"))
    assert page.url.endswith(f"/experience-experts/requests/{request.pk}/")
    expect(page.locator("[data-unread-badge]")).to_be_hidden()
    page.locator("#id_accept-place").fill("Ervaringswerk, spreekkamer 1")
    follow(page.locator("button[name=answer][value=accept]"))
    page.wait_for_url("**/experience-experts/deployments/register/?planned=*")
    assert DeploymentRequest.objects.get(pk=request.pk).status == "accepted"
    expect(page.locator(".main-nav a[href='/experience-experts/'] .badge--nav")).to_have_count(0)

    # The coordinator is told of the acceptance and of the deployment's appointment (at the time
    # and place Anna chose); the acceptance's link leads back to the request
    sign_in(ee.coordinator)
    assert set(Notification.objects.filter(recipient=ee.coordinator).values_list("kind", flat=True)) == {
        "deployment_accepted", "appointment_planned"}
    expect(page.locator("[data-unread-count]")).to_have_text("2")
    follow(page.locator("a.inbox-link"))
    follow(page.get_by_role("link", name=f"Inzetverzoek aangenomen (#{request.pk})"))
    assert page.url.endswith(f"/experience-experts/requests/{request.pk}/")
    assert Notification.objects.get(recipient=ee.coordinator, kind="deployment_accepted").read_at is not None
