"""Counts in the navigation: the open work waiting for the person beside the entry where it is
done, from the same lists as "my work" (one definition), cheaply."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from werkbrug.core.choices import Role
from werkbrug.core.models import AccessLogRecord
from werkbrug.web.my_work import nav_counts, sections_for

pytestmark = pytest.mark.django_db


def _nav_count(page: str, href: str) -> int:
    """The count beside the navigation entry that links to `href` (0 when none is shown)."""
    nav = page[page.index('<nav class="main-nav"'):page.index("</nav>", page.index('<nav class="main-nav"'))]
    found = re.search(rf'<a href="{re.escape(href)}"[^>]*>[^<]*<span class="badge badge--nav">(\d+)', nav)
    return int(found.group(1)) if found else 0


def test_signals_and_plans_waiting_are_counted_beside_the_caseload(team, signal, as_user):
    from werkbrug.collaboration.models import SignalRecipient
    from werkbrug.collaboration.services import signal_acknowledge

    web = as_user(team.labour_expert)
    assert _nav_count(web.get("/notifications/").content.decode(), "/trajectories/") == 0
    made = [signal(urgency="normal"), signal(urgency="urgent")]
    page = web.get("/notifications/").content.decode()
    assert _nav_count(page, "/trajectories/") == 2
    assert "wachten op u" in page
    signal_acknowledge(signal=made[0], person=team.labour_expert)
    assert SignalRecipient.objects.filter(person=team.labour_expert, acknowledged_at__isnull=True).count() == 1
    assert _nav_count(web.get("/notifications/").content.decode(), "/trajectories/") == 1


def test_the_counts_are_the_my_work_totals(team, signal, as_user):
    """One definition: the navigation's numbers equal the home page's lists, with and without them."""
    signal(urgency="normal")
    signal(urgency="normal", recipients=[team.labour_expert])
    person = team.labour_expert
    sections = sections_for(person)
    totals = {s.key: s.total for s in sections}
    expected = totals["agreement"] + totals["signals"]
    assert expected == 2
    assert nav_counts(person)["trajectories:index"] == expected
    assert nav_counts(person, sections)["trajectories:index"] == expected
    home = as_user(person).get("/").content.decode()
    assert _nav_count(home, "/trajectories/") == expected


def test_no_count_where_the_client_withdrew_consent_for_signals(team, signal, withdraw, as_user):
    signal(urgency="normal")
    assert nav_counts(team.labour_expert).get("trajectories:index") == 1
    withdraw(team.uwv, "signals")
    assert "trajectories:index" not in nav_counts(team.labour_expert)


def test_an_ambassador_sees_questions_to_answer_beside_ambassadors(net, ask, as_user):
    ask()
    ask(text="Wat doet het UWV bij een proefplaatsing met behoud van uitkering?")
    anna = net.people["anna"]
    assert nav_counts(anna)["ambassadors:index"] == 2
    assert _nav_count(as_user(anna).get("/notifications/").content.decode(), "/ambassadors/") == 2


def test_an_expert_sees_offers_beside_experience_experts(ee, as_user):
    from datetime import timedelta

    from django.utils import timezone

    from werkbrug.experience_experts.services import request_create

    today = timezone.localdate()
    request_create(requested_by=ee.coordinator, kind="group_training", topic="Herstelgroep", period_start=today,
                   period_end=today + timedelta(days=7), expert=ee.anna)
    assert nav_counts(ee.anna) == {"experience_experts:index": 1}
    assert _nav_count(as_user(ee.anna).get("/notifications/").content.decode(), "/experience-experts/") == 1


def test_the_counts_read_no_client_data_and_are_not_logged(team, signal, as_user):
    signal(urgency="normal")
    web = as_user(team.labour_expert)
    before = AccessLogRecord.objects.count()
    page = web.get("/notifications/").content.decode()
    assert _nav_count(page, "/trajectories/") == 1
    assert team.client.last_name not in page
    assert AccessLogRecord.objects.count() == before


def test_the_counts_cost_no_query_of_their_own(team, signal, as_user, make_person,
                                                               django_assert_max_num_queries):
    for _ in range(3):
        signal(urgency="normal")
    manager = make_person(team.ggz, Role.MANAGER)
    web = as_user(manager)
    web.get("/notifications/")
    with CaptureQueriesContext(connection) as without_counts:
        web.get("/notifications/")  # a manager's roles have no counted lists
    web = as_user(team.labour_expert)
    web.get("/notifications/")
    with CaptureQueriesContext(connection) as with_counts:
        assert web.get("/notifications/").status_code == 200
    # plans waiting for agreement, signals to acknowledge, referrals to the organisation: in the
    # query that counts the unread notifications anyway
    assert len(with_counts.captured_queries) <= len(without_counts.captured_queries)
    web.get("/")
    with django_assert_max_num_queries(8):  # the home page's lists already hold the totals
        assert web.get("/").status_code == 200


def test_a_fragment_without_the_navigation_counts_nothing(team, signal, as_user):
    """The counts are made only when a page shows the navigation."""
    signal(urgency="normal")
    web = as_user(team.labour_expert)
    web.get("/notifications/unread/")
    with CaptureQueriesContext(connection) as queries:
        assert web.get("/notifications/unread/").status_code == 200
    assert not any("collaboration_signalrecipient" in q["sql"] for q in queries.captured_queries)


def test_clients_get_no_counts(client_user, as_user):
    assert nav_counts(client_user) == {}
    assert "badge--nav" not in as_user(client_user).get("/").content.decode()


def test_totals_past_the_cap_show_as_99_plus(team, signal, as_user, monkeypatch, django_assert_max_num_queries):
    """A full list is counted no further than CAP + 1 (one query for all full lists): the home
    page and the navigation say "CAP+" past it, the exact number below it."""
    from werkbrug.web import my_work

    monkeypatch.setattr(my_work, "LIMIT", 2)
    monkeypatch.setattr(my_work, "CAP", 3)
    for _ in range(3):
        signal(urgency="normal")
    person = team.labour_expert
    signals = next(s for s in sections_for(person) if s.key == "signals")
    assert (len(signals.items), signals.total, signals.total_shown) == (2, 3, "3")
    signal(urgency="normal")
    signal(urgency="normal")
    signals = next(s for s in sections_for(person) if s.key == "signals")
    assert (len(signals.items), signals.total, signals.total_shown) == (2, 4, "3+")
    web = as_user(person)
    home = web.get("/").content.decode()
    assert "(3+)" in home
    assert 'badge--nav">3+<' in home
    assert 'badge--nav">3+<' in web.get("/notifications/").content.decode()
    assert nav_counts(person)["trajectories:index"] == 4  # counted up to CAP + 1, shown as "3+"
    # the access-log record, one query per list, one for the totals of the full lists
    with django_assert_max_num_queries(9):
        assert web.get("/").status_code == 200
