"""The wellbeing privacy rule for every role, and report figures against a hand-computed fixture."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import translation

from tests.support.deployments import first_day
from werkbrug.core import policy
from werkbrug.core.choices import OrganisationType, Role, UserKind
from werkbrug.core.models import User
from werkbrug.experience_experts import selectors, services

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def people(ee, make_person, make_org):
    gemeente = make_org(OrganisationType.MUNICIPALITY, "Gemeente Privacy")
    superuser = make_person(gemeente, Role.REGION_ADMIN, is_superuser=True, is_staff=True)
    client = User.objects.create_user(username="klant", password="x" * 16, kind=UserKind.CLIENT, region=ee.org.region)
    return {
        "the expert": (ee.anna, True),
        "their own coordinator": (ee.coordinator, True),
        "another coordinator of the same organisation": (ee.other_coordinator, False),
        "the buddy": (ee.bert, False),
        "another expert": (ee.carla, False),
        "a manager": (ee.manager, False),
        "a jobcoach in the client's team": (ee.team.jobcoach, False),
        "a labour expert": (ee.team.labour_expert, False),
        "a region administrator": (make_person(gemeente, Role.REGION_ADMIN), False),
        "a privacy officer": (make_person(gemeente, Role.PRIVACY_OFFICER), False),
        "a researcher": (make_person(gemeente, Role.RESEARCHER), False),
        "an ambassador": (make_person(gemeente, Role.AMBASSADOR), False),
        "an editor": (make_person(gemeente, Role.EDITOR), False),
        "a superuser": (superuser, False),
        "a client": (client, False),
    }


def test_wellbeing_is_only_for_the_expert_and_their_coordinator(ee, people):
    profile = ee.profiles["Anna"]
    services.checkin_submit(expert=ee.anna, energy=2, load=4, note="Grens bereikt")
    for who, (user, allowed) in people.items():
        assert policy.can(user, "ee_wellbeing.view", profile) is allowed, who
        if not allowed:
            with pytest.raises(Exception):  # noqa: B017 — 404 or 403, never the data
                selectors.wellbeing_for(user=user, profile=profile)
    # only the expert fills it in
    assert [who for who, (user, _a) in people.items() if policy.can(user, "ee_wellbeing.create", profile)] == ["the expert"]


def test_reports_are_for_managers_and_coordinators_only(ee, people):
    allowed = {who for who, (user, _a) in people.items() if policy.can(user, "ee_report.view", None)}
    assert allowed == {"their own coordinator", "another coordinator of the same organisation", "a manager",
                       "a region administrator", "a superuser"}


def test_report_figures_match_a_hand_computed_fixture(ee, make_client):
    # March 2026: Anna 60 min own office one-on-one for the team's client (accepted request),
    # 120 min external network; Bert 90 min other office presentation. April: Bert 30 min own office
    # presentation. A request declined by Bert and then accepted by Anna; one open group request.
    with time_machine.travel(datetime(2026, 3, 1, 9, tzinfo=AMS), tick=False):
        request = services.request_create(requested_by=ee.team.jobcoach, kind="one_on_one", trajectory=ee.team.trajectory,
                                          period_start=date(2026, 3, 2), period_end=date(2026, 3, 6))
        services.request_offer(request=request, expert=ee.bert, offered_by=ee.team.jobcoach)
        services.request_decline(request=request, expert=ee.bert)
        services.request_offer(request=request, expert=ee.anna, offered_by=ee.team.jobcoach)
        planned = services.request_accept(request=request, expert=ee.anna, schedule=first_day(request))
        services.request_create(requested_by=ee.team.jobcoach, kind="presentation", topic="Teamdag",
                                period_start=date(2026, 3, 2), period_end=date(2026, 3, 6))
    with time_machine.travel(datetime(2026, 4, 30, 17, tzinfo=AMS), tick=False):
        services.deployment_complete(deployment=planned, expert=ee.anna, date=date(2026, 3, 3), minutes=60, setting="own_office")
        services.deployment_register(expert=ee.anna, date=date(2026, 3, 10), kind="network", minutes=120,
                                     setting="external", organisation_served=ee.org, topic="Cliëntenraad")
        services.deployment_register(expert=ee.bert, date=date(2026, 3, 11), kind="presentation", minutes=90,
                                     setting="other_office", organisation_served=ee.team.uwv, topic="Teamoverleg")
        services.deployment_register(expert=ee.bert, date=date(2026, 4, 1), kind="presentation", minutes=30,
                                     setting="own_office", organisation_served=ee.team.uwv, topic="Teamoverleg")
        group = services.support_group_create(organisation=ee.org, name="Groep", created_by=ee.coordinator,
                                              facilitators=[ee.anna], first_meeting_at=datetime(2026, 3, 16, 14, tzinfo=AMS),
                                              meetings=2)
        participant = services.participant_add(group=group, client=ee.team.client, added_by=ee.anna)
        services.attendance_record(meeting=group.meetings.get(number=1), present=[participant.pk], recorded_by=ee.anna)
        services.attendance_record(meeting=group.meetings.get(number=2), present=[], recorded_by=ee.anna)
        services.deployment_register(expert=ee.anna, date=date(2025, 12, 1), kind="network", minutes=45,
                                     setting="external", organisation_served=ee.org, topic="Buiten de periode")
    with translation.override("en"):
        r = selectors.report(region_id=ee.org.region_id, start=date(2026, 3, 1), end=date(2026, 4, 30), viewer=None)
    kinds = {label: (n, m) for label, n, m in r.by_kind}
    assert kinds["One-on-one talk"] == (1, 60)
    assert kinds["Network contact with care or client organisations"] == (1, 120)
    assert kinds["Presentation to professionals"] == (2, 120)
    assert sum(n for n, _m in kinds.values()) == 4 and r.total_minutes == 300
    assert {label: (n, m) for label, n, m in r.by_setting} == {
        "Own office": (2, 90), "External organisation": (1, 120), "Another office of the same organisation": (1, 90)}
    assert r.by_month == [(date(2026, 3, 1), 3, 270), (date(2026, 4, 1), 1, 30)]
    assert r.clients_reached == 1
    assert (r.requests_made, r.requests_accepted, r.offers_declined) == (2, 1, 1)
    rows = {row["expert"]: row for row in r.balance_rows}
    # Anna: 180 min, 60 own office = 33 %; contract 18 h × (22 + 22 working days) / 5 = 158.4 h
    assert rows["Anna Aalders"]["minutes"] == 180 and rows["Anna Aalders"]["own_office_pct"] == 33
    assert rows["Anna Aalders"]["contract_minutes"] == 9504
    assert rows["Anna Aalders"]["months_out"] == 1  # March below 60 %; April nothing registered
    assert rows["Bert Bos"]["own_office_pct"] == 25 and rows["Bert Bos"]["months_out"] == 1  # March 0 %, April 100 %
    assert [(a["number"], a["present"], a["recorded"]) for a in r.attendance_rows] == [(1, 1, 1), (2, 0, 1)]
