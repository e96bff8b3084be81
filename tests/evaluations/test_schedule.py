"""The longitudinal schedule: due dates, the worker's invitations and reminders, the survey
queue and response tracking, the lock once running, and portal accounts by invitation."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from werkbrug.evaluations import services as s
from werkbrug.evaluations.models import Invitation, PortalInvitation, ScheduledInvitation
from werkbrug.evaluations.schedule_selectors import response_tracking, survey_queue
from werkbrug.notifications.models import Notification

from .conftest import consent_to_study

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")


def at(y, m, d, h=10, minute=0):
    return datetime(y, m, d, h, minute, tzinfo=AMS)


@pytest.fixture
def scheduled(research, make_study):
    """A draft trial with a questionnaire and a schedule (baseline, 6, 12, 18 months), started."""
    with time_machine.travel(at(2026, 1, 5), tick=False):
        study = make_study(draft=True)
        q = s.questionnaire_create(study=study, title="Werk en welzijn", created_by=research.researcher,
                                   questions=[{"code": "grade", "text": "Welk cijfer geeft u?", "type": "grade"}])
        events = [
            s.schedule_event_add(study=study, added_by=research.researcher, name=name, offset_months=months,
                                 window_days=28, reminder_after_days=7, items=[(q.pk, "client"), (q.pk, "professional")])
            for name, months in (("Nulmeting", 0), ("6 maanden", 6), ("12 maanden", 12), ("18 maanden", 18))
        ]
        study = s.study_start(study=study, started_by=research.researcher)
    return study, q, events


def randomise(research, study, *, on=None, when=None, client_kwargs=None):
    client = research.client(**(client_kwargs or {}))
    with time_machine.travel(when or at(2026, 1, 5), tick=False):
        participant = s.participant_enrol(study=study, client=client, enrolled_by=research.researcher)
        consent_to_study(participant, research.researcher)
        s.participant_randomise(participant=participant, randomised_by=research.researcher, randomised_on=on)
    return participant


def run(moment):
    with time_machine.travel(moment, tick=False):
        return s.schedule_run()


def test_calendar_months_at_month_end():
    assert s.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert s.add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert s.add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert s.add_months(date(2026, 3, 31), 18) == date(2027, 9, 30)
    assert s.add_months(date(2026, 11, 15), 2) == date(2027, 1, 15)


def test_baseline_sent_on_the_day_and_only_once(scheduled, research):
    study, q, events = scheduled
    participant = randomise(research, study, when=at(2026, 1, 6))
    assert run(at(2026, 1, 6, 7)) == {"sent": 0, "reminded": 0}  # before the office opens
    assert run(at(2026, 1, 6, 10))["sent"] == 2  # client and professional
    assert run(at(2026, 1, 6, 10, 30))["sent"] == 0
    assert run(at(2026, 1, 7, 10))["sent"] == 0
    sent = ScheduledInvitation.objects.filter(participant=participant)
    assert sent.count() == 2 and {x.item.event for x in sent} == {events[0]}
    client_invitation = Invitation.objects.get(participant=participant)
    assert client_invitation.schedule_event == events[0] and client_invitation.kind == "client"
    professional = Invitation.objects.get(scheduled__participant=participant, kind="professional")
    assert professional.participant is None and professional.email == ""
    told = Notification.objects.get(recipient=research.jobcoach, kind="questionnaire_invitation")
    assert professional.token in told.link


def test_six_months_comes_due_on_its_day_and_month_end(scheduled, research):
    study, q, events = scheduled
    participant = randomise(research, study, on=date(2026, 1, 30), when=at(2026, 1, 30))  # a Friday
    run(at(2026, 1, 30))
    assert run(at(2026, 7, 29))["sent"] == 0  # Wednesday: one day early
    assert run(at(2026, 7, 30))["sent"] == 2
    queue = {row["event"].name: row for row in survey_queue(participant=participant, today=date(2026, 7, 30))}
    assert queue["6 maanden"]["due_on"] == date(2026, 7, 30) and queue["6 maanden"]["state"] == "open"
    assert queue["Nulmeting"]["state"] == "open" or queue["Nulmeting"]["state"] == "missed"
    assert queue["12 maanden"]["state"] == "upcoming" and queue["12 maanden"]["due_on"] == date(2027, 1, 30)


def test_month_end_due_date_waits_for_the_office(research, make_study):
    with time_machine.travel(at(2026, 1, 5), tick=False):
        study = make_study(draft=True)
        q = s.questionnaire_create(study=study, title="Vragen", created_by=research.researcher,
                                   questions=[{"code": "grade", "text": "Cijfer?", "type": "grade"}])
        s.schedule_event_add(study=study, added_by=research.researcher, name="1 maand", offset_months=1,
                             window_days=14, items=[(q.pk, "client")])
        s.study_start(study=study, started_by=research.researcher)
    participant = randomise(research, study, on=date(2026, 1, 31), when=at(2026, 2, 2))
    assert run(at(2026, 2, 27))["sent"] == 0
    assert run(at(2026, 2, 28))["sent"] == 0  # due on Saturday 28 February: the office is closed
    assert run(at(2026, 3, 2, 9))["sent"] == 1  # Monday's opening
    assert ScheduledInvitation.objects.get(participant=participant).due_on == date(2026, 2, 28)


def test_the_local_day_counts_across_daylight_saving(research, make_study, region):
    region.settings = {"office_hours": {"weekdays": [0, 1, 2, 3, 4, 5, 6], "opens": "00:00", "closes": "23:59"}}
    region.save()
    with time_machine.travel(at(2026, 3, 2), tick=False):
        study = make_study(draft=True)
        q = s.questionnaire_create(study=study, title="Vragen", created_by=research.researcher,
                                   questions=[{"code": "grade", "text": "Cijfer?", "type": "grade"}])
        s.schedule_event_add(study=study, added_by=research.researcher, name="Na vier weken", offset_days=28,
                             window_days=3, items=[(q.pk, "client")])
        s.schedule_event_add(study=study, added_by=research.researcher, name="Najaar", offset_months=7, offset_days=23,
                             window_days=3, items=[(q.pk, "client")])
    study = s.study_start(study=study, started_by=research.researcher)
    randomise(research, study, on=date(2026, 3, 2), when=at(2026, 3, 2))
    # Due Monday 30 March, the day after the clocks went forward: not at 23:30 on Sunday in Amsterdam
    # (21:30 UTC), but at 00:30 on Monday (22:30 UTC on Sunday).
    assert run(datetime(2026, 3, 29, 21, 30, tzinfo=ZoneInfo("UTC")))["sent"] == 0
    assert run(datetime(2026, 3, 29, 22, 30, tzinfo=ZoneInfo("UTC")))["sent"] == 1
    # Due Sunday 25 October, the night the clocks go back: at 00:30 summer time (22:30 UTC the 24th).
    assert run(datetime(2026, 10, 24, 21, 30, tzinfo=ZoneInfo("UTC")))["sent"] == 0
    assert run(datetime(2026, 10, 24, 22, 30, tzinfo=ZoneInfo("UTC")))["sent"] == 1


def test_one_reminder_after_n_days_to_non_responders(scheduled, research, mailoutbox, django_capture_on_commit_callbacks):
    study, q, events = scheduled
    answering = randomise(research, study, when=at(2026, 1, 6))
    silent = randomise(research, study, when=at(2026, 1, 6))
    run(at(2026, 1, 6))
    s.response_submit(invitation=Invitation.objects.get(participant=answering), answers={"grade": "7,5"})
    assert run(at(2026, 1, 12))["reminded"] == 0  # six days
    assert run(at(2026, 1, 13))["reminded"] == 3  # silent: client and professional; answering: professional
    assert run(at(2026, 1, 14))["reminded"] == 0
    assert run(at(2026, 1, 20))["reminded"] == 0
    reminded = Invitation.objects.get(participant=silent)
    assert reminded.reminder_count == 1 and reminded.last_reminded_at is not None
    assert Invitation.objects.get(participant=answering).reminder_count == 0


def test_no_reminder_after_the_window(scheduled, research):
    study, q, events = scheduled
    randomise(research, study, when=at(2026, 1, 6))
    run(at(2026, 1, 6))
    # The worker was down for weeks: past the window, nobody is reminded any more.
    assert run(at(2026, 2, 10))["reminded"] == 0


def test_retrospective_participant_gets_only_events_in_their_window(scheduled, research):
    study, q, events = scheduled
    participant = randomise(research, study, on=date(2026, 1, 20), when=at(2026, 8, 3))
    assert run(at(2026, 8, 3))["sent"] == 2  # 6 months (20 July, window to 17 August) only
    assert {x.item.event.name for x in ScheduledInvitation.objects.filter(participant=participant)} == {"6 maanden"}
    late = randomise(research, study, on=date(2026, 1, 5), when=at(2026, 8, 3))
    assert run(at(2026, 8, 3, 11))["sent"] == 0  # baseline and 6 months both past their window
    queue = {row["event"].name: row["state"] for row in survey_queue(participant=late, today=date(2026, 8, 3))}
    assert queue == {"Nulmeting": "missed", "6 maanden": "missed", "12 maanden": "upcoming", "18 maanden": "upcoming"}


def test_excluded_or_withdrawn_consent_gets_nothing(scheduled, research):
    study, q, events = scheduled
    dropped = randomise(research, study, when=at(2026, 1, 6))
    with time_machine.travel(at(2026, 1, 6, 9), tick=False):
        s.participant_stage_set(participant=dropped, stage="dropped_out", reason="Verhuisd", recorded_by=research.researcher)
    no_consent = randomise(research, study, when=at(2026, 1, 6))
    from werkbrug.clients.models import ConsentMethod
    from werkbrug.clients.services import consent_withdraw
    from werkbrug.core.choices import DataCategory

    with time_machine.travel(at(2026, 1, 6, 9), tick=False):
        consent_withdraw(client=no_consent.client, organisation=research.institute, category=DataCategory.RESEARCH,
                         recorded_by=research.researcher, method=ConsentMethod.PAPER)
    assert run(at(2026, 1, 6))["sent"] == 0


def test_schedule_is_locked_once_running(scheduled, research):
    study, q, events = scheduled
    with pytest.raises(ValidationError) as exc:
        s.schedule_event_add(study=study, added_by=research.researcher, name="24 maanden", offset_months=24,
                             items=[(q.pk, "client")])
    assert exc.value.error_dict if hasattr(exc.value, "error_dict") else exc.value.code == "study_status"
    with pytest.raises(ValidationError):
        s.schedule_event_delete(event=events[1], deleted_by=research.researcher)
    assert study.schedule.count() == 4


def test_schedule_edits_in_a_draft_are_validated(research, make_study, outsider):
    study = make_study(draft=True)
    q = s.questionnaire_create(study=study, title="V", created_by=research.researcher)
    with pytest.raises(ValidationError) as exc:
        s.schedule_event_add(study=study, added_by=research.researcher, name="", offset_months=-1, window_days="x",
                             reminder_after_days=5, items=[(q.pk, "boss"), (999999, "client")])
    assert set(exc.value.message_dict) == {"name", "offset_months", "window_days", "items"}
    with pytest.raises(ValidationError) as exc:
        s.schedule_event_add(study=study, added_by=research.researcher, name="A", window_days=3, reminder_after_days=5)
    assert "reminder_after_days" in exc.value.message_dict
    event = s.schedule_event_add(study=study, added_by=research.researcher, name="A", items=[(q.pk, "client")])
    with pytest.raises(ValidationError):
        s.schedule_event_add(study=study, added_by=research.researcher, name="a")
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    with pytest.raises((PermissionDenied, Http404)):
        s.schedule_event_add(study=study, added_by=outsider, name="B")
    s.schedule_event_delete(event=event, deleted_by=research.researcher)
    assert not study.schedule.exists()


def test_client_without_portal_account_is_invited_to_make_one(scheduled, research, client, mailoutbox,
                                                                django_capture_on_commit_callbacks):
    study, q, events = scheduled
    participant = randomise(research, study, when=at(2026, 1, 6))
    assert participant.client.user_id is None
    with django_capture_on_commit_callbacks(execute=True):
        run(at(2026, 1, 6))
    participant.client.refresh_from_db()
    user = participant.client.user
    assert user is not None and user.is_client and not user.has_usable_password()
    account_mails = [m for m in mailoutbox if m.to == [participant.client.email] and "/account/" in m.body]
    assert len(account_mails) == 1
    body = account_mails[0].body
    assert "http://" in body or "https://" in body
    assert participant.client.last_name not in body + account_mails[0].subject
    link = next(word for word in body.split() if "/account/" in word)
    # The invitation waits in the portal's inbox once the account is made.
    assert Notification.objects.filter(recipient=user, kind="questionnaire_invitation").exists()
    # Once only, also with the next event.
    with django_capture_on_commit_callbacks(execute=True):
        run(at(2026, 7, 6))
    assert PortalInvitation.objects.filter(participant=participant).count() == 1
    assert len([m for m in mailoutbox if m.to == [participant.client.email] and "/account/" in m.body]) == 1
    # The link sets a password once; then it is spent.
    path = "/" + link.split("/", 3)[3]
    with time_machine.travel(at(2026, 1, 7), tick=False):
        page = client.get(path)
        assert page.status_code == 200
        done = client.post(path, {"new_password1": "Zomer-vakantie-2026!", "new_password2": "Zomer-vakantie-2026!"})
        assert done.status_code == 302
        user.refresh_from_db()
        assert user.check_password("Zomer-vakantie-2026!")
        assert client.get(path).status_code == 404
        assert client.get(path.replace("/account/", "/account/x")).status_code == 404


def test_the_account_link_expires(scheduled, research, client, mailoutbox, django_capture_on_commit_callbacks):
    study, q, events = scheduled
    participant = randomise(research, study, when=at(2026, 1, 6))
    with django_capture_on_commit_callbacks(execute=True):
        run(at(2026, 1, 6))
    body = next(m.body for m in mailoutbox if "/account/" in m.body)
    path = "/" + next(word for word in body.split() if "/account/" in word).split("/", 3)[3]
    with time_machine.travel(at(2026, 3, 6), tick=False):
        assert client.get(path).status_code == 404
        client.post(path, {"new_password1": "Zomer-vakantie-2026!", "new_password2": "Zomer-vakantie-2026!"})
    participant.client.refresh_from_db()
    assert not participant.client.user.has_usable_password()


def test_no_portal_invitation_without_email_or_consent(scheduled, research, mailoutbox, django_capture_on_commit_callbacks):
    study, q, events = scheduled
    participant = randomise(research, study, when=at(2026, 1, 6))
    participant.client.email = ""
    participant.client.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        run(at(2026, 1, 6))
    participant.client.refresh_from_db()
    assert participant.client.user_id is None and not PortalInvitation.objects.exists()


def test_response_tracking_per_event(scheduled, research):
    study, q, events = scheduled
    first = randomise(research, study, when=at(2026, 1, 6))
    randomise(research, study, when=at(2026, 1, 6))
    run(at(2026, 1, 6))
    s.response_submit(invitation=Invitation.objects.get(participant=first), answers={"grade": 8})
    rows = {r["event"].name: r for r in response_tracking(study=study, today=date(2026, 1, 7))}
    assert rows["Nulmeting"] | {"event": None} == {"event": None, "due": 2, "invited": 2, "answered": 0, "open": 2,
                                                   "overdue": 0, "reminded": 0}
    assert rows["6 maanden"]["due"] == 0
    rows = {r["event"].name: r for r in response_tracking(study=study, today=date(2026, 2, 10))}
    assert rows["Nulmeting"]["overdue"] == 2  # the professionals' questionnaires were never answered


def test_schedule_pages_are_logged_once_and_in_dutch(scheduled, research, client):
    from tests.support.crawl import assert_each_request_logged_once

    study, q, events = scheduled
    participant = randomise(research, study, when=at(2026, 1, 6))
    run(at(2026, 1, 6))
    client.force_login(research.researcher)
    with time_machine.travel(at(2026, 1, 7), tick=False):
        assert_each_request_logged_once(client, [
            ("get", f"/research/studies/{study.pk}/schedule/"),
            ("get", f"/research/studies/{study.pk}/participants/{participant.pk}/queue/"),
        ])
        page = client.get(f"/research/studies/{study.pk}/schedule/").content.decode()
        assert "Respons bijhouden" in page and "6 maanden" in page and "Meetmoment toevoegen" not in page
        queue = client.get(f"/research/studies/{study.pk}/participants/{participant.pk}/queue/").content.decode()
        assert "Uitgenodigd, nog niet ingevuld" in queue and "6 juli 2026" in queue
        assert participant.client.last_name not in page + queue


def test_schedule_form_adds_and_removes_events_in_a_draft(research, make_study, client, outsider):
    study = make_study(draft=True)
    q = s.questionnaire_create(study=study, title="V", created_by=research.researcher,
                               questions=[{"code": "grade", "text": "Cijfer?", "type": "grade"}])
    url = f"/research/studies/{study.pk}/schedule/"
    data = {"name": "Nulmeting", "offset_months": "0", "offset_days": "0", "window_days": "14",
            "reminder_after_days": "7", "q_client": [str(q.pk)]}
    client.force_login(outsider)
    assert client.post(url, data).status_code == 404  # checked before the form is read
    assert client.get(url).status_code == 404
    client.force_login(research.researcher)
    assert client.post(url, data).status_code == 302
    event = study.schedule.get()
    assert event.reminder_after_days == 7 and list(event.items.values_list("questionnaire", "respondent")) == [(q.pk, "client")]
    bad = client.post(url, data | {"name": "X", "offset_months": "99999999999999999999"})
    assert bad.status_code == 200 and study.schedule.count() == 1
    client.force_login(outsider)
    assert client.post(f"{url}{event.pk}/delete/").status_code == 404
    client.force_login(research.researcher)
    assert client.post(f"{url}999999/delete/").status_code == 404
    assert client.post(f"{url}{event.pk}/delete/").status_code == 302
    assert not study.schedule.exists()


def test_a_draft_with_a_schedule_can_be_deleted(research, make_study):
    study = make_study(draft=True)
    q = s.questionnaire_create(study=study, title="V", created_by=research.researcher,
                               questions=[{"code": "grade", "text": "Cijfer?", "type": "grade"}])
    s.schedule_event_add(study=study, added_by=research.researcher, name="Nulmeting", items=[(q.pk, "client")])
    s.study_delete(study=study, deleted_by=research.researcher)
    from werkbrug.evaluations.models import ScheduleEvent, Study

    assert not Study.objects.filter(pk=study.pk).exists() and not ScheduleEvent.objects.exists()
