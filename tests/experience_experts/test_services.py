"""Services through their real paths: requests, consent, deployments, signals, support groups."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone, translation

from tests.support.deployments import first_day
from werkbrug.clients.models import ConsentMethod
from werkbrug.clients.services import consent_grant, consent_withdraw
from werkbrug.core.choices import DataCategory, Role
from werkbrug.core.models import AccessLogRecord
from werkbrug.experience_experts import selectors, services
from werkbrug.experience_experts.models import (
    CheckIn,
    Deployment,
    DeploymentRequest,
    DeploymentStatus,
    ExpertSignal,
    RequestOffer,
    RequestStatus,
    SupportGroupMeeting,
)
from werkbrug.trajectories.models import TeamMembership
from werkbrug.trajectories.services import trajectory_start

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")
# The requests below are for March 2026; answered before that period, not after it (then expired).
BEFORE_THE_PERIOD = time_machine.travel(datetime(2026, 2, 27, 12, tzinfo=AMS), tick=False)


def _request(ee, **kw):
    kw.setdefault("kind", "one_on_one")
    kw.setdefault("period_start", date(2026, 3, 2))
    kw.setdefault("period_end", date(2026, 3, 13))
    kw.setdefault("trajectory", ee.team.trajectory)
    return services.request_create(requested_by=ee.team.jobcoach, **kw)


def _domain_cons(ee, *names):
    return [ee.domains[n] for n in names]


@BEFORE_THE_PERIOD
def test_request_match_accept_joins_team_and_prefills_a_planned_deployment(ee):
    request = _request(ee, domains=_domain_cons(ee, "Schulden", "Angst"), minutes=90)
    ranked = selectors.matches_for_request(request=request)
    assert [m.candidate.name for m in ranked][:2] == ["Anna Aalders", "Carla Claes"]
    services.request_offer(request=request, expert=ee.anna, offered_by=ee.team.jobcoach)
    request.refresh_from_db()
    assert request.status == RequestStatus.OFFERED
    offer = RequestOffer.objects.get(request=request)
    assert any("Schulden" in r for r in offer.reasons)
    before = AccessLogRecord.objects.count()
    # The expert chooses 10:00–11:30 on the first day: the deployment's date and minutes follow.
    planned = services.request_accept(request=request, expert=ee.anna, schedule=first_day(request, end=time(11, 30)))
    assert AccessLogRecord.objects.count() - before == 1  # the team change, once
    assert TeamMembership.objects.filter(trajectory=ee.team.trajectory, person=ee.anna, role=Role.EXPERIENCE_EXPERT,
                                         left_at__isnull=True).exists()
    assert planned.status == DeploymentStatus.PLANNED
    assert (planned.date, planned.minutes, planned.kind, planned.client) == (date(2026, 3, 2), 90, "one_on_one", ee.team.client)
    request.refresh_from_db()
    assert request.status == RequestStatus.ACCEPTED and request.expert == ee.anna


@BEFORE_THE_PERIOD
def test_decline_needs_no_reason_and_frees_the_request(ee):
    request = _request(ee)
    services.request_offer(request=request, expert=ee.bert, offered_by=ee.team.jobcoach)
    services.request_decline(request=request, expert=ee.bert)
    request.refresh_from_db()
    assert request.status == RequestStatus.OPEN and request.expert is None
    # Bert is not proposed again for this request
    assert "Bert Bos" not in [m.candidate.name for m in selectors.matches_for_request(request=request)]
    services.request_offer(request=request, expert=ee.anna, offered_by=ee.team.jobcoach)


@BEFORE_THE_PERIOD
def test_only_the_offered_expert_answers(ee):
    request = _request(ee)
    services.request_offer(request=request, expert=ee.bert, offered_by=ee.team.jobcoach)
    with pytest.raises(Http404):
        services.request_accept(request=request, expert=ee.anna, schedule=first_day(request))
    assert not Deployment.objects.exists()


@BEFORE_THE_PERIOD
def test_request_to_an_expert_without_client_consent_is_refused(ee, make_org, make_person):
    # Bert's organisation has consent; withdraw it: the offer is refused with a clear message
    consent_withdraw(client=ee.team.client, organisation=ee.org, category=DataCategory.PARTICIPATION,
                     recorded_by=ee.anna, method=ConsentMethod.PAPER)
    request = _request(ee)
    with pytest.raises(ValidationError) as exc:
        services.request_offer(request=request, expert=ee.bert, offered_by=ee.team.jobcoach)
    assert exc.value.error_dict["expert"][0].code == "no_consent"
    assert not RequestOffer.objects.exists()
    ranked = selectors.matches_for_request(request=request)
    assert ranked[0].candidate.name == "Carla Claes"  # UWV has consent: ranked first
    assert not [m for m in ranked if m.candidate.name == "Bert Bos"][0].candidate.consent


@BEFORE_THE_PERIOD
def test_accept_after_consent_withdrawn_is_refused(ee):
    request = _request(ee)
    services.request_offer(request=request, expert=ee.anna, offered_by=ee.team.jobcoach)
    consent_withdraw(client=ee.team.client, organisation=ee.org, category=DataCategory.PARTICIPATION,
                     recorded_by=ee.anna, method=ConsentMethod.PAPER)
    with pytest.raises(ValidationError) as exc:
        services.request_accept(request=request, expert=ee.anna, schedule=first_day(request))
    assert exc.value.code == "no_consent"
    assert not TeamMembership.objects.filter(person=ee.anna).exists()
    assert not Deployment.objects.exists()


@BEFORE_THE_PERIOD
def test_request_to_an_absent_expert_is_refused(ee):
    services.absence_add(profile=ee.profiles["Anna"], start=date(2026, 3, 1), end=date(2026, 3, 20), added_by=ee.anna)
    with pytest.raises(ValidationError) as exc:
        _request(ee, expert=ee.anna)
    assert exc.value.error_dict["expert"][0].code == "absent"
    assert not DeploymentRequest.objects.exists()  # nothing half-written


@pytest.mark.parametrize(
    ("field", "kw"),
    [
        ("minutes", {"minutes": 0}),
        ("minutes", {"minutes": 1441}),
        ("period_end", {"period_end": date(2026, 3, 1)}),
        ("kind", {"kind": "karaoke"}),
    ],
)
def test_request_bad_input(ee, field, kw):
    with pytest.raises(ValidationError) as exc:
        _request(ee, **kw)
    assert field in exc.value.error_dict
    assert not DeploymentRequest.objects.exists()


def test_a_request_for_a_client_needs_the_requester_in_the_team(ee):
    with pytest.raises(Http404):
        services.request_create(requested_by=ee.team.outsider, kind="one_on_one", client=ee.team.client,
                                period_start=date(2026, 3, 2), period_end=date(2026, 3, 3))


@BEFORE_THE_PERIOD
def test_group_request_without_client(ee):
    request = services.request_create(requested_by=ee.team.labour_expert, kind="presentation", topic="Teamoverleg",
                                      setting="other_office", period_start=date(2026, 3, 2), period_end=date(2026, 3, 31))
    services.request_offer(request=request, expert=ee.carla, offered_by=ee.team.labour_expert)
    deployment = services.request_accept(request=request, expert=ee.carla, schedule=first_day(request))
    assert deployment.client is None and deployment.topic == "Teamoverleg"


@time_machine.travel(datetime(2026, 3, 20, 12, tzinfo=AMS), tick=False)
@pytest.mark.parametrize(
    ("kw", "field", "code"),
    [
        ({"minutes": 0}, "minutes", "minutes"),
        ({"minutes": -5}, "minutes", "minutes"),
        ({"minutes": 24 * 60 + 1}, "minutes", "minutes"),
        ({"date": date(2026, 3, 21)}, "date", "future"),
        ({"topic": "", "client": None}, "topic", "required"),
    ],
)
def test_deployment_bad_input(ee, kw, field, code):
    args = dict(expert=ee.bert, date=date(2026, 3, 19), kind="network", minutes=60, setting="external",
                organisation_served=ee.org, topic="GGZ-overleg")
    args.update(kw)
    with pytest.raises(ValidationError) as exc:
        services.deployment_register(**args)
    assert exc.value.error_dict[field][0].code == code
    assert not Deployment.objects.exists()


@BEFORE_THE_PERIOD
def test_deployment_for_a_client_without_consent_is_refused(ee):
    # Anna's organisation loses consent: even in the team she cannot register for the client
    request = _request(ee)
    services.request_offer(request=request, expert=ee.anna, offered_by=ee.team.jobcoach)
    services.request_accept(request=request, expert=ee.anna, schedule=first_day(request))
    consent_withdraw(client=ee.team.client, organisation=ee.org, category=DataCategory.PARTICIPATION,
                     recorded_by=ee.anna, method=ConsentMethod.PAPER)
    with pytest.raises(ValidationError) as exc:
        services.deployment_register(expert=ee.anna, date=timezone.localdate(), kind="one_on_one", minutes=60,
                                     setting="own_office", organisation_served=ee.team.ggz, client=ee.team.client)
    assert exc.value.error_dict["client"][0].code == "no_consent"


def test_deployment_for_a_client_outside_the_team_is_refused(ee):
    with pytest.raises(ValidationError) as exc:
        services.deployment_register(expert=ee.bert, date=timezone.localdate(), kind="one_on_one", minutes=60,
                                     setting="own_office", organisation_served=ee.team.ggz, client=ee.team.client)
    assert exc.value.error_dict["client"][0].code == "not_in_team"


def test_complete_a_planned_deployment(ee):
    request = _request(ee, period_start=timezone.localdate(), period_end=timezone.localdate())
    services.request_offer(request=request, expert=ee.anna, offered_by=ee.team.jobcoach)
    # The expert chooses 10:00–11:30 on the first day: the deployment's date and minutes follow.
    planned = services.request_accept(request=request, expert=ee.anna, schedule=first_day(request, end=time(11, 30)))
    done = services.deployment_complete(deployment=planned, expert=ee.anna, date=timezone.localdate(), minutes=75,
                                        setting="own_office", outcome="Goed gesprek")
    assert done.status == DeploymentStatus.REGISTERED and done.minutes == 75
    with pytest.raises(ValidationError):
        services.deployment_complete(deployment=planned, expert=ee.anna, date=timezone.localdate(), minutes=75, setting="own_office")


# --- signals with frozen time -----------------------------------------------------------------


def _register(ee, expert, day, minutes, setting="own_office", kind="network"):
    return services.deployment_register(expert=expert, date=day, kind=kind, minutes=minutes, setting=setting,
                                        organisation_served=ee.org, topic="Overleg")


def test_hours_over_contract_and_over_own_limit_give_signals(ee):
    with time_machine.travel(datetime(2026, 3, 6, 17, tzinfo=AMS), tick=False):
        # week of Monday 2 March: 17 h (under 18), of which 7 h client contact (under 8)
        _register(ee, ee.bert, date(2026, 3, 2), 600)
        _register(ee, ee.bert, date(2026, 3, 3), 420, kind="one_on_one")
        assert not ExpertSignal.objects.exists()
        # 2 more hours of client contact: 19 h > 18 contract, 9 h > 8 own limit
        _register(ee, ee.bert, date(2026, 3, 4), 120, kind="three_way")
    kinds = set(ExpertSignal.objects.filter(expert=ee.bert).values_list("kind", "period"))
    assert kinds == {("over_contract", date(2026, 3, 2)), ("over_limit", date(2026, 3, 2))}


def test_out_of_balance_two_months_running_signals_the_coordinator(ee):
    # January and February 2026: 40 % own office each month
    with time_machine.travel(datetime(2026, 2, 27, 12, tzinfo=AMS), tick=False):
        for month in (1, 2):
            _register(ee, ee.anna, date(2026, month, 12), 240, setting="own_office")
            _register(ee, ee.anna, date(2026, month, 13), 360, setting="external")
        services.expert_signals_check(expert=ee.anna, today=date(2026, 2, 27))
        assert not ExpertSignal.objects.filter(kind="out_of_balance").exists()  # February not complete yet
    with time_machine.travel(datetime(2026, 3, 2, 9, tzinfo=AMS), tick=False):
        made = services.expert_signals_check(expert=ee.anna, today=date(2026, 3, 2))
        assert [(s.kind, s.period) for s in made] == [("out_of_balance", date(2026, 2, 1))]
        assert services.expert_signals_check(expert=ee.anna, today=date(2026, 3, 2)) == []  # once
    assert list(selectors.coordinator_signals(user=ee.coordinator)) == made
    assert not selectors.coordinator_signals(user=ee.other_coordinator).exists()


def test_one_month_out_of_balance_is_no_signal(ee):
    with time_machine.travel(datetime(2026, 2, 27, 12, tzinfo=AMS), tick=False):
        _register(ee, ee.anna, date(2026, 1, 12), 600, setting="own_office")
        _register(ee, ee.anna, date(2026, 2, 13), 360, setting="external")
    assert services.expert_signals_check(expert=ee.anna, today=date(2026, 3, 2)) == []


def test_three_low_energy_weeks_give_a_signal(ee):
    for day, energy in ((date(2026, 3, 4), 2), (date(2026, 3, 11), 1)):
        with time_machine.travel(datetime.combine(day, datetime.min.time(), AMS), tick=False):
            services.checkin_submit(expert=ee.bert, energy=energy, load=4)
    assert not ExpertSignal.objects.exists()
    with time_machine.travel(datetime(2026, 3, 18, 10, tzinfo=AMS), tick=False):
        services.checkin_submit(expert=ee.bert, energy=2, load=5, note="Veel tegelijk")
    assert list(ExpertSignal.objects.values_list("kind", "period")) == [("low_energy", date(2026, 3, 16))]


@pytest.mark.parametrize(("energy", "load"), [(0, 3), (6, 3), (3, 0), (3, 6), ("x", 3), (None, 3)])
def test_checkin_scores_outside_1_to_5_are_refused(ee, energy, load):
    with pytest.raises(ValidationError):
        services.checkin_submit(expert=ee.bert, energy=energy, load=load)
    assert not CheckIn.objects.exists()


def test_a_second_checkin_in_a_week_replaces_the_first(ee):
    services.checkin_submit(expert=ee.bert, energy=3, load=3)
    services.checkin_submit(expert=ee.bert, energy=4, load=2)
    assert list(CheckIn.objects.values_list("energy", "load")) == [(4, 2)]


def test_only_the_expert_fills_in_their_checkin(ee):
    with pytest.raises(Http404):
        services.checkin_submit(expert=ee.coordinator, energy=3, load=3)


# --- support groups ---------------------------------------------------------------------------


def _group(ee, first=datetime(2026, 4, 6, 14, tzinfo=AMS), facilitators=None):
    return services.support_group_create(organisation=ee.org, name="Steungroep voorjaar", created_by=ee.coordinator,
                                         facilitators=facilitators or [ee.anna, ee.bert], first_meeting_at=first)


def test_support_group_has_six_meetings_with_default_themes(ee):
    with translation.override("en"):
        group = _group(ee)
    meetings = list(group.meetings.order_by("number"))
    assert len(meetings) == 6
    assert meetings[0].theme == "Introduction: mental complaints and re-integration"
    assert meetings[3].theme == "How open do you want to be with your employer?"
    assert meetings[5].starts_at - meetings[0].starts_at == timedelta(weeks=5)
    services.meeting_update(meeting=meetings[4], changed_by=ee.anna, theme="Kwaliteitenspel",
                            starts_at=meetings[4].starts_at, ends_at=meetings[4].ends_at)
    assert SupportGroupMeeting.objects.get(pk=meetings[4].pk).theme == "Kwaliteitenspel"


def test_overlapping_meetings_for_a_facilitator_are_refused(ee):
    _group(ee)
    with pytest.raises(ValidationError) as exc:
        _group(ee, first=datetime(2026, 4, 13, 15, tzinfo=AMS), facilitators=[ee.bert])
    assert exc.value.code == "overlap"
    assert ee.org.pk and SupportGroupMeeting.objects.count() == 6  # nothing half-written
    _group(ee, first=datetime(2026, 4, 13, 15, tzinfo=AMS), facilitators=[ee.carla])  # another facilitator: fine


def test_participants_need_consent_and_attendance_is_recorded(ee, make_client):
    group = _group(ee)
    participant = services.participant_add(group=group, client=ee.team.client, added_by=ee.anna)
    other = make_client(ee.team.jobcoach)
    trajectory_start(client=other, started_by=ee.team.jobcoach, role=Role.JOBCOACH, consent_method=ConsentMethod.VERBAL)
    with pytest.raises(ValidationError) as exc:
        services.participant_add(group=group, client=other, added_by=ee.anna)
    assert exc.value.error_dict["client"][0].code == "no_consent"
    consent_grant(client=other, organisation=ee.org, category=DataCategory.PARTICIPATION,
                  recorded_by=ee.anna, method=ConsentMethod.PAPER, evidence="Formulier")
    second = services.participant_add(group=group, client=other, added_by=ee.anna)
    meeting = group.meetings.get(number=1)
    rows = services.attendance_record(meeting=meeting, present=[participant.pk], recorded_by=ee.bert, notes="Fijne start")
    assert {(r.participant_id, r.present) for r in rows} == {(participant.pk, True), (second.pk, False)}
    with pytest.raises(Http404):
        services.attendance_record(meeting=meeting, present=[], recorded_by=ee.carla)  # not a facilitator


def test_profile_limits_are_checked(ee):
    with pytest.raises(ValidationError):
        services.profile_update(profile=ee.profiles["Anna"], changed_by=ee.anna, client_contact_limit=Decimal(30))
    services.profile_update(profile=ee.profiles["Anna"], changed_by=ee.anna, client_contact_limit=Decimal(6))
    with pytest.raises(PermissionDenied):
        services.profile_update(profile=ee.profiles["Anna"], changed_by=ee.bert, availability="altijd")


def test_suggestion_when_the_client_asks_and_none_once_requested(ee, client):
    from django.urls import reverse

    assert selectors.expert_suggestion(trajectory=ee.team.trajectory) is None  # a new trajectory, no signals
    client.force_login(ee.team.jobcoach)
    before = AccessLogRecord.objects.count()
    response = client.post(reverse("experience_experts:client_wish", args=[ee.team.trajectory.pk]))
    assert response.status_code == 302 and AccessLogRecord.objects.count() - before == 1
    with translation.override("en"):
        assert selectors.expert_suggestion(trajectory=ee.team.trajectory) == (
            "The client asked to talk with an experience expert.")
    _request(ee)
    assert selectors.expert_suggestion(trajectory=ee.team.trajectory) is None
    client.force_login(ee.team.outsider)
    assert client.post(reverse("experience_experts:client_wish", args=[ee.team.trajectory.pk])).status_code == 404


def test_suggestion_after_eight_weeks_without_a_phase_change(ee, monkeypatch):
    import werkbrug.employment.selectors as employment

    today = timezone.localdate()
    monkeypatch.setattr(employment, "last_phase_change",
                        lambda *, trajectory_ids: {ee.team.trajectory.pk: today - timedelta(weeks=9)}, raising=False)
    with translation.override("en"):
        assert selectors.expert_suggestion(trajectory=ee.team.trajectory) == (
            "No change of phase for 9 weeks: an experience expert may help.")
    monkeypatch.setattr(employment, "last_phase_change",
                        lambda *, trajectory_ids: {ee.team.trajectory.pk: today - timedelta(weeks=3)}, raising=False)
    assert selectors.expert_suggestion(trajectory=ee.team.trajectory) is None
