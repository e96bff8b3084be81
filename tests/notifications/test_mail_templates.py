"""Every template of every mail, for every kind and in both languages, renders only absolute
links (from WERKBRUG_BASE_URL) and no client name; and so do the mails real events send."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core import mail
from django.test.signals import template_rendered
from django.utils import translation

from werkbrug import notifications
from werkbrug.notifications import mail as notification_mail
from werkbrug.notifications import services
from werkbrug.notifications.kinds import Kind
from werkbrug.notifications.models import Notification
from werkbrug.notifications.tasks import send_digests

pytestmark = pytest.mark.django_db

BASE = "https://werkbrug.test/"
MAIL_TEMPLATES = Path(notifications.__file__).parent / "templates" / "notifications" / "mail"


def assert_clean(message, *secrets: str) -> None:
    """Only absolute links to our own address, and none of `secrets` anywhere in the mail."""
    bodies = [message.subject, message.body] + [content for content, _type in getattr(message, "alternatives", [])]
    for body in bodies:
        for href in re.findall(r"""(?:href|src)=["']([^"']*)["']""", body):
            assert href.startswith(BASE), href
        for url in re.findall(r"""(?:https?://|www\.)[^\s"'<>]+""", body):
            assert url.startswith(BASE), url
        for word in re.sub(r"<[^>]+>", " ", body).split():  # a path without its address
            assert not word.startswith("/"), word
        for secret in secrets:
            assert secret not in body, secret


@pytest.fixture
def rendered():
    names: list[str] = []

    def remember(sender, template, context, **kwargs):
        names.append(template.name)

    template_rendered.connect(remember)
    yield names
    template_rendered.disconnect(remember)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_template_for_every_kind_has_absolute_links_and_no_client_name(team, rendered, language):
    person = team.labour_expert
    person.email = "lars@example.org"
    person.save()
    services.mail_language_set(user=person, language=language)
    mail.outbox.clear()
    when = datetime(2026, 12, 4, 18, 56, tzinfo=UTC)
    items = [Notification.objects.create(recipient=person, kind=kind, link=f"/trajectories/{team.trajectory.pk}/",
                                         ref_number=team.trajectory.pk, created_at=when, due_at=when, urgent=True)
             for kind in Kind.values]
    for item in items:
        assert notification_mail.send_one(item)
    assert notification_mail.send_digest(person, items)
    assert len(mail.outbox) == len(Kind.values) + 1
    for message, kind in zip(mail.outbox, Kind.values, strict=False):
        with translation.override(language):
            assert str(Kind(kind).label) in message.subject  # in the person's language
        assert_clean(message, team.client.first_name, team.client.last_name, team.client.pseudonym)
    # every template in the mail folder was rendered: a new one cannot escape this test
    on_disk = {f"notifications/mail/{p.name}" for p in MAIL_TEMPLATES.iterdir() if p.suffix in (".txt", ".html")}
    assert on_disk and on_disk <= set(rendered)


def test_the_mails_of_real_events_name_no_client_and_link_absolutely(team, signal, withdraw,
                                                                     django_capture_on_commit_callbacks):
    from werkbrug.collaboration.services import signal_acknowledge

    for person, address in ((team.jobcoach, "jet@example.org"), (team.labour_expert, "lars@example.org")):
        person.email = address
        person.save()
    mail.outbox.clear()
    text = "Er komt een beslaglegging aan; dat raakt haar stemming."
    with django_capture_on_commit_callbacks(execute=True):
        made = signal(urgency="urgent", text=text)  # mailed at once
    with django_capture_on_commit_callbacks(execute=True):
        signal_acknowledge(signal=made, person=team.labour_expert)
        withdraw(team.uwv, "signals")
    assert send_digests() >= 1
    assert len(mail.outbox) >= 2
    for message in mail.outbox:
        assert_clean(message, team.client.first_name, team.client.last_name, team.client.pseudonym, text)


def test_the_experts_coordinator_mail_links_absolutely(ee, django_capture_on_commit_callbacks):
    from werkbrug.experience_experts.services import coordinator_assign

    ee.anna.email = "anna@example.org"
    ee.anna.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_assign(profile=ee.profiles["Anna"], coordinator=ee.other_coordinator, assigned_by=ee.admin)
    [message] = [m for m in mail.outbox if m.to == ["anna@example.org"]]
    assert BASE in message.body
    assert_clean(message, ee.team.client.last_name)
