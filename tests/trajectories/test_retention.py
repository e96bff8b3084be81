"""The retention job on frozen time: dry run (lists, changes nothing) and real run (erases)."""

from __future__ import annotations

from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from werkbrug.clients.models import Client, ConsentMethod
from werkbrug.core.choices import Role
from werkbrug.core.models import AccessLogRecord
from werkbrug.trajectories import retention
from werkbrug.trajectories.models import Intake, Trajectory, TrajectoryEvent
from werkbrug.trajectories.services import client_register_and_start, intake_save, trajectory_close

AMS = ZoneInfo("Europe/Amsterdam")
CLOSED = datetime(2027, 3, 1, 10, tzinfo=AMS)


def _close(trajectory, by):
    with time_machine.travel(CLOSED, tick=False):
        return trajectory_close(trajectory=trajectory, closed_by=by, reason="work_found", outcome="paid_work",
                                note="Werkt bij de kwekerij")


@pytest.fixture
def files(team, jobcoach):
    """Two closed files: the team's (care consent given → 20 years) and one with work and income
    only (→ 2 years)."""
    from werkbrug.collaboration.services import signal_create
    from werkbrug.employment.services import employer_contact_record

    intake_save(trajectory=team.trajectory, saved_by=team.jobcoach, data={"own_goal": "Buiten werken"})
    signal_create(trajectory=team.trajectory, author=team.jobcoach, category="mood", urgency="normal",
                  text="Spannende week", whole_team=True)
    employer_contact_record(trajectory=team.trajectory, recorded_by=team.jobcoach, contacted_on=team.trajectory.started_on,
                            employer_name="Kwekerij De Linde", kind="first_contact")
    care = _close(team.trajectory, team.jobcoach)
    short = client_register_and_start(registered_by=jobcoach, role=Role.JOBCOACH, consent_method=ConsentMethod.VERBAL,
                                      first_name="Ruud", last_name="Kort", date_of_birth=date(1980, 6, 15),
                                      email="ruud@example.nl")
    intake_save(trajectory=short, saved_by=jobcoach, data={"own_goal": "Fietsenmaker worden"})
    short = _close(short, jobcoach)
    return care, short


def test_the_periods_and_their_legal_minimum(region):
    assert retention.retention_years(region)["care"] == 20
    assert retention.retention_years(region)["work_income"] == 2
    region.settings = {"retention": {"work_income": 7, "care": 5, "debts": "lots", "signals": 0}}
    years = retention.retention_years(region)
    # Longer where the region asks; never below the WGBO's 20 years for care; nonsense ignored.
    assert (years["work_income"], years["care"], years["debts"], years["signals"]) == (7, 20, 2, 2)


def test_a_file_with_care_data_is_kept_twenty_years(files):
    care, short = files
    years = retention.retention_years(care.region)
    assert retention.retention_due_on(care, years)[:2] == (date(2047, 3, 1), 20)
    assert retention.retention_due_on(short, years)[:2] == (date(2029, 3, 1), 2)


def test_nothing_is_due_before_the_period_has_passed(files):
    with time_machine.travel(datetime(2029, 2, 28, 12, tzinfo=AMS), tick=False):
        assert retention.retention_run(dry_run=True) == []
        assert retention.retention_run(dry_run=False) == []
    assert Trajectory.objects.filter(erased_at__isnull=False).count() == 0


def test_dry_run_lists_and_changes_nothing_then_the_real_run_erases(files):
    care, short = files
    seen = []
    handler = retention.register_erase_handler(lambda trajectory, *, dry_run: seen.append((trajectory.pk, dry_run))
                                                or {"casefile.journalentry": 3})
    try:
        log_before = AccessLogRecord.objects.count()
        with time_machine.travel(datetime(2029, 3, 2, 3, 15, tzinfo=AMS), tick=False):
            out = StringIO()
            call_command("apply_retention", "--dry-run", stdout=out)
            planned = retention.retention_run(dry_run=True)
        assert [item.trajectory_id for item in planned] == [short.pk]
        item = planned[0]
        assert item.due_on == date(2029, 3, 1) and item.period_years == 2 and item.client_anonymised
        assert item.counts["trajectories.intake"] == 1 and item.counts["casefile.journalentry"] == 3
        assert item.counts["clients.client"] == 1
        assert "would erase" in out.getvalue() and "nothing changed" in out.getvalue()
        assert seen == [(short.pk, True), (short.pk, True)]
        # Nothing changed.
        assert Intake.objects.filter(trajectory=short).exists()
        assert Client.objects.get(pk=short.client_id).last_name == "Kort"
        assert AccessLogRecord.objects.count() == log_before
        assert Trajectory.objects.get(pk=short.pk).erased_at is None

        with time_machine.travel(datetime(2029, 3, 2, 3, 15, tzinfo=AMS), tick=False):
            done = retention.retention_run(dry_run=False)
        assert [d.trajectory_id for d in done] == [short.pk] and done[0].counts == item.counts
        assert seen[-1] == (short.pk, False)
    finally:
        retention._HANDLERS.remove(handler)
    short = Trajectory.objects.get(pk=short.pk)
    assert short.erased_at is not None and short.outcome_note == ""
    assert (short.close_reason, short.outcome) == ("work_found", "paid_work")  # kept for the figures
    assert not Intake.objects.filter(trajectory=short).exists()
    assert list(TrajectoryEvent.objects.filter(trajectory=short).values_list("kind", "note")) == [
        ("closed", ""), ("erased", "")]
    client = Client.objects.get(pk=short.client_id)
    assert (client.first_name, client.last_name, client.email, client.date_of_birth) == (
        "-", client.pseudonym, "", date(1980, 1, 1))
    assert client.anonymised_at is not None
    erased = AccessLogRecord.objects.filter(action="retention.erase")
    assert {r.client_pseudonym for r in erased} == {client.pseudonym} and {r.code for r in erased} == {"D"}
    # The care file is untouched; an erased file is not erased twice, nor reopened or read.
    assert Intake.objects.filter(trajectory=care).exists()
    with time_machine.travel(datetime(2029, 3, 3, tzinfo=AMS), tick=False):
        assert retention.retention_run(dry_run=False) == []


def test_the_care_file_goes_after_twenty_years_with_the_other_apps_rows(files, team):
    from werkbrug.collaboration.models import Signal
    from werkbrug.employment.models import EmployerContact

    care, _short = files
    assert Signal.objects.filter(trajectory=care).exists() and EmployerContact.objects.filter(trajectory=care).exists()
    assert retention.erase_handlers(), "plans, collaboration and employment register their handlers"
    with time_machine.travel(datetime(2047, 2, 28, tzinfo=AMS), tick=False):
        assert care.pk not in {i.trajectory_id for i in retention.retention_run(dry_run=False)}
    with time_machine.travel(datetime(2047, 3, 2, tzinfo=AMS), tick=False):
        done = {i.trajectory_id: i for i in retention.retention_run(dry_run=False)}
    assert done[care.pk].counts["collaboration.signal"] == 1
    assert done[care.pk].counts["collaboration.signalrecipient"] == 1
    assert done[care.pk].counts["employment.employercontact"] == 1
    assert not Signal.objects.filter(trajectory=care).exists()
    assert not EmployerContact.objects.filter(trajectory=care).exists()
    assert Trajectory.objects.get(pk=care.pk).erased_at is not None
    assert Client.objects.get(pk=care.client_id).anonymised_at is not None


def test_the_beat_schedule_runs_the_task(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["trajectory-retention"]
    assert entry["task"] == "werkbrug.trajectories.tasks.apply_retention"
    from werkbrug.trajectories.tasks import apply_retention

    assert apply_retention.name == entry["task"]
