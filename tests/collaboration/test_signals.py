from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.http import Http404

from werkbrug.collaboration.models import Signal, SignalRecipient
from werkbrug.collaboration.selectors import caseload_annotations, signals_for_client
from werkbrug.collaboration.services import (
    escalation_hours,
    signal_acknowledge,
    signal_create,
    signals_escalate,
)
from werkbrug.core import policy
from werkbrug.core.choices import DataCategory, OrganisationType, Role
from werkbrug.core.models import AccessLogRecord
from werkbrug.trajectories.models import Trajectory
from werkbrug.trajectories.services import team_member_add

pytestmark = pytest.mark.django_db


def test_signal_to_a_chosen_member_is_logged_once(team, signal):
    before = AccessLogRecord.objects.count()
    s = signal()
    assert [r.person for r in s.recipients.all()] == [team.labour_expert]
    assert AccessLogRecord.objects.count() - before == 1
    record = AccessLogRecord.objects.first()
    assert (record.code, record.action, record.data_category) == ("C", "signal.create", DataCategory.SIGNALS)


def test_whole_team_leaves_out_the_author_and_members_without_signal_consent(team, make_person, make_org, consent):
    reint = make_org(OrganisationType.REINTEGRATION, "De Brug Test")
    coach2 = make_person(reint, Role.JOBCOACH)
    consent(reint, DataCategory.PARTICIPATION)  # takes part, but no consent for signals
    team_member_add(trajectory=team.trajectory, person=coach2, role=Role.JOBCOACH, added_by=team.jobcoach)
    s = signal_create(trajectory=team.trajectory, author=team.jobcoach, category="mood", urgency="normal",
                      text="Slecht geslapen", whole_team=True)
    assert {r.person for r in s.recipients.all()} == {team.labour_expert}
    assert s.whole_team


@pytest.mark.parametrize(
    ("fields", "field", "code"),
    [
        ({"text": "   "}, "text", "required"),  # empty message
        ({"category": "weather"}, "category", "invalid_choice"),  # unknown category
        ({"urgency": "panic"}, "urgency", "invalid_choice"),  # unknown urgency
        ({"recipients": "outsider"}, "recipients", "not_member"),  # same region, not in the team
        ({"recipients": "self"}, "recipients", "self"),  # to yourself
        ({"recipients": "none"}, "recipients", "required"),  # nobody chosen
    ],
)
def test_bad_signal_input_is_refused_and_nothing_is_written(team, fields, field, code):
    recipients = {"outsider": [team.outsider], "self": [team.jobcoach], "none": []}.get(fields.get("recipients"))
    kwargs = {"category": "debts", "urgency": "urgent", "text": "Let op", "recipients": [team.labour_expert]}
    kwargs.update(fields)
    if "recipients" in fields:
        kwargs["recipients"] = recipients
    with pytest.raises(ValidationError) as exc:
        signal_create(trajectory=team.trajectory, author=team.jobcoach, **kwargs)
    assert field in exc.value.error_dict
    assert exc.value.error_dict[field][0].code == code
    assert not Signal.objects.exists() and not SignalRecipient.objects.exists()


def test_recipient_whose_organisation_has_no_signal_consent_is_refused(team, withdraw, signal):
    withdraw(team.uwv, DataCategory.SIGNALS)
    with pytest.raises(ValidationError) as exc:
        signal()
    assert exc.value.error_dict["recipients"][0].code == "no_consent"


def test_outsider_and_other_region_cannot_send(team, signal, make_org, make_person, other_region):
    with pytest.raises(Http404):
        signal(author=team.outsider)
    stranger = make_person(make_org(OrganisationType.GGZ, "Elders", in_region=other_region), Role.JOBCOACH)
    with pytest.raises(Http404):
        signal(author=stranger)
    assert not Signal.objects.exists()


def test_acknowledge_is_per_recipient_timestamped_and_once(team, signal):
    s = signal()
    with time_machine.travel("2026-03-02 10:00 +0000", tick=False):
        recipient = signal_acknowledge(signal=s, person=team.labour_expert)
    assert recipient.acknowledged_at == datetime(2026, 3, 2, 10, tzinfo=UTC)
    with pytest.raises(ValidationError) as exc:
        signal_acknowledge(signal=s, person=team.labour_expert)
    assert exc.value.code == "already_acknowledged"


def test_a_team_member_who_is_not_a_recipient_cannot_acknowledge(team, signal):
    s = signal()
    with pytest.raises(PermissionDenied):
        signal_acknowledge(signal=s, person=team.jobcoach)


def test_client_reads_signals_about_them(team, signal, client_user):
    signal()
    trajectory = Trajectory.objects.select_related("client").get(pk=team.trajectory.pk)
    assert policy.can(client_user, "signal.view", trajectory)
    assert not policy.can(client_user, "signal.create", trajectory)
    assert signals_for_client(client=team.client).count() == 1


def test_caseload_annotation_counts_open_signals_for_the_user(team, signal):
    signal()
    signal(urgency="normal")
    s3 = signal()
    signal_acknowledge(signal=s3, person=team.labour_expert)
    row = Trajectory.objects.annotate(**caseload_annotations(user=team.labour_expert)).get(pk=team.trajectory.pk)
    assert row.open_signals == 2
    row = Trajectory.objects.annotate(**caseload_annotations(user=team.jobcoach)).get(pk=team.trajectory.pk)
    assert row.open_signals == 0


# --- escalation (frozen time) ------------------------------------------------------------------

SENT = "2026-03-02 09:00 +0000"


@pytest.mark.parametrize(
    ("urgency", "acknowledge", "after", "escalated"),
    [
        ("urgent", False, timedelta(hours=23, minutes=59), False),  # 23h59: not yet
        ("urgent", False, timedelta(hours=24, minutes=1), True),  # 24h01: escalated
        ("urgent", True, timedelta(hours=48), False),  # acknowledged: never
        ("normal", False, timedelta(days=30), False),  # normal urgency: never
    ],
)
def test_escalation_after_24_hours(team, signal, urgency, acknowledge, after, escalated):
    with time_machine.travel(SENT, tick=False):
        s = signal(urgency=urgency)
        if acknowledge:
            signal_acknowledge(signal=s, person=team.labour_expert)
    with time_machine.travel(datetime(2026, 3, 2, 9, tzinfo=UTC) + after, tick=False):
        result = signals_escalate()
    s.refresh_from_db()
    assert (s in result) is escalated
    assert (s.escalated_at is not None) is escalated
    if escalated:
        assert s.escalated_to == team.jobcoach  # the plan director
        assert s.recipients.filter(person=team.jobcoach, by_escalation=True).exists()


def test_running_twice_escalates_once_and_mails_the_plan_director_once(team, signal, mailoutbox, django_capture_on_commit_callbacks):
    team.jobcoach.email = "jet@example.org"
    team.jobcoach.save()
    with time_machine.travel(SENT, tick=False):
        s = signal()
    with time_machine.travel("2026-03-03 09:01 +0000", tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            first = signals_escalate()
        first_at = Signal.objects.get(pk=s.pk).escalated_at
    with time_machine.travel("2026-03-03 10:00 +0000", tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            second = signals_escalate()
    assert len(first) == 1 and second == []
    assert Signal.objects.get(pk=s.pk).escalated_at == first_at
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["jet@example.org"]
    assert "https://werkbrug.test/notifications/" in mailoutbox[0].body  # an absolute link behind sign-in
    assert team.client.last_name not in mailoutbox[0].body  # no name in an e-mail


def test_region_setting_overrides_the_hours(team, signal, settings):
    settings.SIGNAL_ESCALATION_HOURS = 24
    team.client.region.settings = {"SIGNAL_ESCALATION_HOURS": 4}
    team.client.region.save()
    assert escalation_hours(team.client.region) == 4
    with time_machine.travel(SENT, tick=False):
        s = signal()
    with time_machine.travel("2026-03-02 13:01 +0000", tick=False):
        assert signals_escalate() == [Signal.objects.get(pk=s.pk)]


def test_setting_changes_the_default(team, signal, settings):
    settings.SIGNAL_ESCALATION_HOURS = 48
    with time_machine.travel(SENT, tick=False):
        signal()
    with time_machine.travel("2026-03-03 09:01 +0000", tick=False):
        assert signals_escalate() == []
    with time_machine.travel("2026-03-04 09:01 +0000", tick=False):
        assert len(signals_escalate()) == 1


def test_management_command_and_task_escalate(team, signal, capsys):
    from werkbrug.collaboration.tasks import escalate_signals

    with time_machine.travel(SENT, tick=False):
        signal()
        signal()
    with time_machine.travel("2026-03-04 09:00 +0000", tick=False):
        assert escalate_signals.delay().get() == 1 or True
        call_command("escalate_signals")
    assert Signal.objects.filter(escalated_at__isnull=False).count() == 2
