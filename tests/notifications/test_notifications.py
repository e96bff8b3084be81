"""The notification service, its mails, the inbox (page and API) and the events that use it."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from django.core import mail
from django.urls import reverse

from werkbrug.notifications import services
from werkbrug.notifications.kinds import Channel, Kind
from werkbrug.notifications.models import Notification
from werkbrug.notifications.tasks import send_digests

pytestmark = pytest.mark.django_db

def _assert_only_absolute_links(message) -> None:
    bodies = [message.body] + [content for content, _type in getattr(message, "alternatives", [])]
    for body in bodies:
        for href in re.findall(r"""href=["']([^"']+)["']""", body):
            assert href.startswith("https://werkbrug.test/"), href
        for word in body.split():
            if "/" in word and not word.startswith("href="):
                assert word.startswith("https://werkbrug.test/") or "<" in word, word


def test_notify_writes_the_notification_and_mails_only_after_commit(team, django_capture_on_commit_callbacks):
    team.labour_expert.email = "lars@example.org"
    team.labour_expert.save()
    with django_capture_on_commit_callbacks(execute=True):
        made = services.notify(recipient=team.labour_expert, kind=Kind.QUESTION_RECEIVED, link="/ambassadors/questions/7/",
                               ref_number=7)
        assert mail.outbox == []
    assert made.title == "Ambassadeursvraag voor u (#7)"
    assert [m.to for m in mail.outbox] == [["lars@example.org"]]
    assert Notification.objects.get(pk=made.pk).mailed_at is not None


def test_a_mail_server_that_is_down_is_logged_not_raised(team, monkeypatch, django_capture_on_commit_callbacks, caplog):
    from django.core.mail import EmailMultiAlternatives

    def refuse(self, *args, **kwargs):
        raise ConnectionRefusedError("no mail server")

    monkeypatch.setattr(EmailMultiAlternatives, "send", refuse)
    team.labour_expert.email = "lars@example.org"
    team.labour_expert.save()
    with django_capture_on_commit_callbacks(execute=True):
        made = services.notify(recipient=team.labour_expert, kind=Kind.QUESTION_RECEIVED, link="/x/", ref_number=1)
    assert "could not be sent" in caplog.text
    assert Notification.objects.get(pk=made.pk).mailed_at is None  # the digest tries again


def test_mails_have_absolute_links_local_times_and_no_client_name(team, django_capture_on_commit_callbacks):
    """Every mail template, for every kind: links absolute, times in Amsterdam, no client name."""
    from werkbrug.notifications import mail as notification_mail

    person = team.labour_expert
    person.email = "lars@example.org"
    person.save()
    # 18:56 UTC on 4 December is 19:56 in Amsterdam (winter); 18:56 UTC in July is 20:56.
    for when, shown in ((datetime(2026, 12, 4, 18, 56, tzinfo=UTC), "4 december 2026, 19:56"),
                        (datetime(2026, 7, 1, 18, 56, tzinfo=UTC), "1 juli 2026, 20:56")):
        mail.outbox.clear()
        items = [Notification.objects.create(recipient=person, kind=kind, link=f"/some/{n}/", ref_number=n,
                                             created_at=when, due_at=when)
                 for n, kind in enumerate(Kind.values, start=1)]
        for item in items:
            notification_mail.send_one(item)
        notification_mail.send_digest(person, items)
        assert len(mail.outbox) == len(items) + 1
        for message in mail.outbox:
            _assert_only_absolute_links(message)
            text = message.body + "".join(c for c, _t in message.alternatives)
            assert shown in text
            assert "18:56" not in text
            assert team.client.last_name not in text and team.client.last_name not in message.subject


def test_preferences_decide_the_channel_and_urgent_is_always_immediate(team, django_capture_on_commit_callbacks):
    Notification.objects.all().delete()  # the team's set-up told people things too
    person = team.labour_expert
    person.email = "lars@example.org"
    person.save()
    services.preference_set(user=person, kind=Kind.SIGNAL_RECEIVED, channel=Channel.OFF)
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipient=person, kind=Kind.SIGNAL_RECEIVED, link="/a/", ref_number=1)
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipient=person, kind=Kind.SIGNAL_RECEIVED, link="/a/", ref_number=2, urgent=True)
    assert len(mail.outbox) == 1


def test_one_digest_instead_of_a_burst(team, django_capture_on_commit_callbacks):
    Notification.objects.all().delete()  # the team's set-up told people things too
    person = team.labour_expert
    person.email = "lars@example.org"
    person.save()
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(5):
            services.notify(recipient=person, kind=Kind.REFERRAL_ACCEPTED, link="/r/", ref_number=n + 1)
    assert mail.outbox == []  # referral outcomes come in the digest by default
    assert send_digests() == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].subject == "Werkbrug: 5 nieuwe meldingen"
    assert send_digests() == 0  # nothing twice


def test_the_english_reader_gets_english(team, django_capture_on_commit_callbacks):
    person = team.labour_expert
    person.email = "lars@example.org"
    person.save()
    services.mail_language_set(user=person, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipient=person, kind=Kind.QUESTION_RECEIVED, link="/q/", ref_number=3)
    assert mail.outbox[0].subject == "Werkbrug: Ambassador question for you (#3)"


def test_a_signal_notifies_its_recipients_and_the_link_leads_to_it(team, signal, as_user):
    Notification.objects.all().delete()  # the team's set-up told people things too
    made = signal(urgency="normal")
    notice = Notification.objects.get(recipient=team.labour_expert)
    assert notice.kind == Kind.SIGNAL_RECEIVED and notice.object_id == made.pk
    assert not Notification.objects.filter(recipient=team.jobcoach, kind=Kind.SIGNAL_RECEIVED).exists()  # not the author
    web = as_user(team.labour_expert)
    home = web.get("/")
    assert b"data-unread-count>1<" in home.content
    opened = web.get(reverse("notifications:open", kwargs={"pk": notice.pk}))
    assert opened.status_code == 302 and opened["Location"] == reverse(
        "collaboration:signals", kwargs={"trajectory_pk": team.trajectory.pk})
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert web.get(reverse("notifications:unread")).json() == {"unread": 0}


def test_acknowledging_tells_the_author(team, signal):
    Notification.objects.all().delete()  # the team's set-up told people things too
    from werkbrug.collaboration.services import signal_acknowledge

    made = signal(urgency="normal")
    signal_acknowledge(signal=made, person=team.labour_expert)
    assert Notification.objects.filter(recipient=team.jobcoach, kind=Kind.SIGNAL_ACKNOWLEDGED).count() == 1


def test_an_escalated_signal_notifies_the_plan_director_urgently(team, signal, make_person, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    from werkbrug.collaboration.services import signals_escalate

    team.jobcoach.email = "jet@example.org"
    team.jobcoach.save()
    made = signal(urgency="urgent", author=team.labour_expert, recipients=[team.jobcoach])
    with django_capture_on_commit_callbacks(execute=True):
        signals_escalate(now=timezone.now() + timedelta(hours=48))
    escalated = Notification.objects.get(recipient=team.jobcoach, kind=Kind.SIGNAL_ESCALATED)
    assert escalated.urgent and escalated.object_id == made.pk
    assert any("https://werkbrug.test/notifications/" in m.body for m in mail.outbox)


def test_someone_elses_notification_is_not_found(team, as_user):
    notice = services.notify(recipient=team.labour_expert, kind=Kind.TEAM_MEMBER, link="/t/", ref_number=1)
    web = as_user(team.jobcoach)
    assert web.get(reverse("notifications:open", kwargs={"pk": notice.pk})).status_code == 404
    assert web.post(reverse("notifications:read", kwargs={"pk": notice.pk})).status_code == 404
    assert web.get(reverse("notifications:open", kwargs={"pk": 10**30})).status_code == 404
    api = web.post(f"/api/v1/notifications/{notice.pk}/read/")
    assert api.status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None


def test_the_inbox_filters_by_kind_and_marks_all_read(team, as_user):
    Notification.objects.all().delete()  # the team's set-up told people things too
    for n in range(3):
        services.notify(recipient=team.jobcoach, kind=Kind.SIGNAL_RECEIVED, link="/s/", ref_number=n + 1)
    services.notify(recipient=team.jobcoach, kind=Kind.TEAM_MEMBER, link="/t/", ref_number=9)
    web = as_user(team.jobcoach)
    page = web.get(reverse("notifications:index"), {"kind": Kind.TEAM_MEMBER})
    assert page.status_code == 200
    assert "(#9)" in page.content.decode() and "(#1)" not in page.content.decode()
    assert "Signaal ontvangen" in web.get(reverse("notifications:index")).content.decode()
    web.post(reverse("notifications:read_all"), {"kind": Kind.SIGNAL_RECEIVED})
    assert web.get(reverse("notifications:unread")).json() == {"unread": 1}


def test_the_api_lists_counts_and_marks(team, as_user):
    Notification.objects.all().delete()  # the team's set-up told people things too
    for n in range(2):
        services.notify(recipient=team.jobcoach, kind=Kind.SIGNAL_RECEIVED, link="/s/", ref_number=n + 1)
    services.notify(recipient=team.labour_expert, kind=Kind.SIGNAL_RECEIVED, link="/s/", ref_number=5)
    web = as_user(team.jobcoach)
    listed = web.get("/api/v1/notifications/").json()
    assert listed["count"] == 2
    assert {item["title"] for item in listed["results"]} == {"Signaal ontvangen (#1)", "Signaal ontvangen (#2)"}
    assert web.get("/api/v1/notifications/unread-count/").json() == {"unread": 2}
    first = listed["results"][0]["id"]
    assert web.post(f"/api/v1/notifications/{first}/read/").json()["read_at"] is not None
    assert web.post("/api/v1/notifications/read-all/", {}, content_type="application/json").json() == {"marked": 1}
    assert web.get("/api/v1/notifications/unread-count/").json() == {"unread": 0}


def test_an_ambassador_question_notifies_with_the_local_deadline(db, demo_region, django_capture_on_commit_callbacks):
    from werkbrug.ambassadors.models import Question

    question = Question.objects.filter(assignee__isnull=False).select_related("assignee__person").first()
    from werkbrug.ambassadors import notify

    person = question.assignee.person
    person.email = person.email or "amb@example.org"
    person.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify.new_question(question, question.assignee)
    from werkbrug.core.links import local_datetime

    body = mail.outbox[-1].body
    assert local_datetime(question.deadline_at) in body
    assert "https://werkbrug.test/notifications/" in body
