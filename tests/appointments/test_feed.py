"""The personal calendar feed: a secret address, stored hashed, revocable and renewable; it lists
the person's recent and upcoming appointments with no client name, place or health detail."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
import time_machine
from icalendar import Calendar

from werkbrug.api.models import digest
from werkbrug.appointments.models import CalendarFeed

from .conftest import at

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 20, 9, tzinfo=UTC)


def _make_feed(client, user) -> str:
    client.force_login(user)
    response = client.post("/appointments/calendar/", {"do": "make"})
    assert response.status_code == 200
    match = re.search(r'value="https://werkbrug\.test(/appointments/feed/[^"]+/)"', response.content.decode())
    assert match, "the new address is shown once"
    client.logout()
    return match.group(1)


def test_feed_lists_appointments_without_names_or_place(client, plan, team):
    with time_machine.travel(NOW, tick=False):
        appointment = plan()
        url = _make_feed(client, team.labour_expert)
        response = client.get(url)  # a calendar app: not signed in
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    for secret in (team.client.first_name, team.client.last_name, team.client.pseudonym, "UWV Tiel", "spreekkamer"):
        assert secret not in body
    events = list(Calendar.from_ical(response.content).walk("VEVENT"))
    assert [str(e["uid"]) for e in events] == [f"{appointment.uid}@werkbrug"]
    assert str(events[0]["summary"]) == "Werkbrug-afspraak: Driegesprek"
    assert "location" not in events[0]


def test_only_the_digest_is_stored(client, team, plan):
    url = _make_feed(client, team.jobcoach)
    secret = url.rstrip("/").rsplit("/", 1)[1]
    feed = CalendarFeed.objects.get(person=team.jobcoach)
    assert feed.digest == digest(secret) and secret not in (feed.digest, feed.prefix)


def test_revoked_feed_gives_404(client, team, plan):
    url = _make_feed(client, team.jobcoach)
    assert client.get(url).status_code == 200
    client.force_login(team.jobcoach)
    client.post("/appointments/calendar/", {"do": "revoke"})
    client.logout()
    assert client.get(url).status_code == 404
    assert not CalendarFeed.objects.filter(person=team.jobcoach).exists()


def test_renewed_feed_replaces_the_old_address(client, team, plan):
    old = _make_feed(client, team.jobcoach)
    client.force_login(team.jobcoach)
    response = client.post("/appointments/calendar/", {"do": "renew"})
    new = re.search(r'value="https://werkbrug\.test(/appointments/feed/[^"]+/)"', response.content.decode()).group(1)
    client.logout()
    assert new != old
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def test_calendar_apps_may_ask_with_head(client, team, plan):
    url = _make_feed(client, team.jobcoach)
    assert client.head(url).status_code == 200
    assert client.post(url).status_code == 405


def test_an_unknown_or_overlong_token_gives_404(client):
    assert client.get("/appointments/feed/Zq8dGmV1xYt4bNc7kPe2LwR9hJ3sFa6U/").status_code == 404
    assert client.get("/appointments/feed/" + "a" * 300 + "/").status_code == 404


def test_a_member_who_left_the_team_no_longer_sees_it_in_the_feed(client, plan, team):
    from werkbrug.trajectories.models import TeamMembership
    from werkbrug.trajectories.services import team_member_remove

    with time_machine.travel(NOW, tick=False):
        plan()
        url = _make_feed(client, team.labour_expert)
        assert len(list(Calendar.from_ical(client.get(url).content).walk("VEVENT"))) == 1
        membership = TeamMembership.objects.get(trajectory=team.trajectory, person=team.labour_expert)
        team_member_remove(membership=membership, removed_by=team.jobcoach)
        assert list(Calendar.from_ical(client.get(url).content).walk("VEVENT")) == []


def test_feed_covers_a_month_back_and_a_year_ahead(client, plan, team):
    with time_machine.travel(NOW, tick=False):
        recent = plan(starts_at=at(2026, 3, 1, 10), ends_at=at(2026, 3, 1, 11))
        plan(starts_at=at(2026, 1, 5, 10), ends_at=at(2026, 1, 5, 11))  # too long ago
        later = plan(starts_at=at(2026, 12, 1, 10), ends_at=at(2026, 12, 1, 11))
        url = _make_feed(client, team.jobcoach)
        uids = {str(e["uid"]) for e in Calendar.from_ical(client.get(url).content).walk("VEVENT")}
    assert uids == {f"{recent.uid}@werkbrug", f"{later.uid}@werkbrug"}


def test_the_clients_own_feed(client, plan, team, client_user):
    with time_machine.travel(NOW, tick=False):
        appointment = plan()
        plan(with_client=False)  # the team's own meeting: not in the client's calendar
        url = _make_feed(client, client_user)
        events = list(Calendar.from_ical(client.get(url).content).walk("VEVENT"))
    assert [str(e["uid"]) for e in events] == [f"{appointment.uid}@werkbrug"]
