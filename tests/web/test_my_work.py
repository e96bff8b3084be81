"""The home page's "my work": per role, each item linking to its object, under the pages' own
consent rules, overdue first, with one access-log record for the casework lists."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from werkbrug.core.choices import Role
from werkbrug.core.models import AccessLogRecord

pytestmark = pytest.mark.django_db


def _home(as_user, user) -> str:
    response = as_user(user).get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_jobcoach_sees_signals_to_acknowledge_and_is_logged_once(team, signal, as_user):
    signal(author=team.labour_expert, recipients=[team.jobcoach], urgency="urgent")
    before = AccessLogRecord.objects.filter(actor_id_snapshot=team.jobcoach.pk).count()
    page = _home(as_user, team.jobcoach)
    assert "Signalen om te bevestigen" in page and "(1)" in page
    assert f"/collaboration/trajectories/{team.trajectory.pk}/signals/" in page
    assert team.client.full_name in page
    assert "<strong>urgent</strong>" in page and "over tijd" not in page  # urgent, not late
    assert AccessLogRecord.objects.filter(actor_id_snapshot=team.jobcoach.pk).count() == before + 1


def test_nothing_shows_when_the_organisation_has_no_consent_for_that_category(team, signal, as_user):
    from werkbrug.clients.models import ConsentMethod
    from werkbrug.clients.services import consent_withdraw

    signal(author=team.jobcoach, recipients=[team.labour_expert], urgency="normal")
    assert team.client.full_name in _home(as_user, team.labour_expert)
    consent_withdraw(client=team.client, organisation=team.uwv, category="signals", recorded_by=team.labour_expert,
                     method=ConsentMethod.PAPER)
    page = _home(as_user, team.labour_expert)
    assert f"/collaboration/trajectories/{team.trajectory.pk}/signals/" not in page


def test_open_actions_overdue_first(team, as_user):
    from werkbrug.plans.models import Action
    from werkbrug.plans.services import ActionInput, GoalInput, plan_save

    today = timezone.localdate()
    me = str(team.jobcoach.pk)
    plan_save(trajectory=team.trajectory, actor=team.jobcoach, based_on=0, goals=[GoalInput(title="Werk vinden", actions=[
        ActionInput(title="CV bijwerken", owner=me, due_on=today + timedelta(days=9)),
        ActionInput(title="Werkgever bellen", owner=me, due_on=today + timedelta(days=2)),
    ])])
    assert Action.objects.count() == 2
    with time_machine.travel(timezone.now() + timedelta(days=4)):
        page = _home(as_user, team.jobcoach)
    assert page.index("Werkgever bellen") < page.index("CV bijwerken")
    assert "work-item--overdue" in page


def test_an_ambassador_sees_questions_by_deadline(net, ask, as_user):
    first = ask()
    second = ask(text="Wat doet het UWV bij een proefplaatsing met behoud van uitkering?")
    page = _home(as_user, net.people["anna"])
    assert "Vragen om te beantwoorden" in page
    assert page.index(f"/ambassadors/questions/{first.pk}/") < page.index(f"/ambassadors/questions/{second.pk}/")
    assert "nog" in page  # the countdown


def test_the_privacy_officer_sees_bursts_of_denied_access(team, as_user, make_person, make_org):
    from werkbrug.core.choices import OrganisationType

    officer = make_person(make_org(OrganisationType.MUNICIPALITY, "Gemeente W"), Role.PRIVACY_OFFICER)
    web = as_user(team.outsider)
    for _ in range(5):
        assert web.get(f"/trajectories/{team.trajectory.pk}/").status_code == 404
    page = _home(as_user, officer)
    assert "Reeksen geweigerde toegang" in page
    assert team.outsider.get_full_name() in page


def test_a_manager_and_a_client_get_no_casework_lists(team, as_user, make_person, client_user):
    manager = make_person(team.ggz, Role.MANAGER)
    assert "Mijn werk" not in _home(as_user, manager)
    assert "Mijn werk" not in _home(as_user, client_user)


def test_the_home_page_reads_a_constant_number_of_queries(team, signal, as_user, django_assert_max_num_queries):
    for _ in range(3):
        signal(author=team.labour_expert, recipients=[team.jobcoach], urgency="normal")
    web = as_user(team.jobcoach)
    web.get("/")  # warm: the session and the signed-in person are read once
    # the access-log record, one query per list (no list is full: no totals query), nothing for the
    # navigation's counts
    with django_assert_max_num_queries(8):
        assert web.get("/").status_code == 200


def test_the_plan_director_sees_clients_whose_consent_changed_in_the_last_two_weeks(team, withdraw, as_user):
    withdraw(team.uwv, "signals")
    page = _home(as_user, team.jobcoach)
    assert "Als planregisseur" in page and "toestemming gewijzigd" in page
    assert f"/trajectories/{team.trajectory.pk}/" in page
    with time_machine.travel(timezone.now() + timedelta(days=15)):
        page = _home(as_user, team.jobcoach)
    assert "toestemming gewijzigd" not in page


@pytest.mark.parametrize("hidden", [2, 3])
def test_signals_the_rules_hide_are_left_out_of_the_list_and_its_total(team, signal, make_client, monkeypatch,
                                                                       hidden):
    """The signals list sorts the person's first CAP + 1 open signals and asks the rules of those:
    signals the person may not see (here: of a trajectory outside their caseload) are left out,
    and the list is read again with the rules over all when too few of those pass."""
    from werkbrug.clients.models import ConsentMethod
    from werkbrug.collaboration.models import Signal, SignalRecipient
    from werkbrug.trajectories.services import trajectory_start
    from werkbrug.web import my_work

    monkeypatch.setattr(my_work, "LIMIT", 2)
    monkeypatch.setattr(my_work, "CAP", 3)
    person = team.labour_expert
    elsewhere = trajectory_start(client=make_client(team.jobcoach, last_name="Elders"), started_by=team.jobcoach,
                                 role=Role.JOBCOACH, consent_method=ConsentMethod.VERBAL)
    for _ in range(hidden):  # urgent and old: first in the order shown, but not the person's to see
        s = Signal.objects.create(trajectory=elsewhere, author=team.jobcoach, category="debts", urgency="urgent",
                                  text="Synthetisch.", created_at=timezone.now() - timedelta(days=3))
        SignalRecipient.objects.create(signal=s, person=person)
    for _ in range(3):
        signal(urgency="normal")
    section = next(s for s in my_work.sections_for(person) if s.key == "signals")
    assert len(section.items) == 2
    assert all(f"/trajectories/{team.trajectory.pk}/" in item.url for item in section.items)
    assert (section.total, section.total_shown) == (3, "3")
    assert my_work.nav_counts(person)["trajectories:index"] == 3


def test_the_plan_directors_two_weeks_move_with_the_clock_through_the_reused_sql(team, withdraw):
    """The moment "two weeks ago" is a value of the plan director's list, not part of its SQL
    that is compiled once: a later request with the same SQL sees the list of its own moment."""
    from werkbrug.web import my_work

    withdraw(team.uwv, "signals")

    def director(when):
        with time_machine.travel(when):
            return next(s for s in my_work.sections_for(team.jobcoach) if s.key == "director")

    assert [i.detail for i in director(timezone.now()).items] == ["toestemming gewijzigd"]
    assert director(timezone.now() + timedelta(days=15)).items == []
    assert [i.detail for i in director(timezone.now() + timedelta(days=13)).items] == ["toestemming gewijzigd"]


def test_each_person_gets_their_own_lists_through_the_reused_sql(team, signal):
    """The lists' SQL is compiled once and reused with each person's own values."""
    from werkbrug.trajectories import compiled
    from werkbrug.web.my_work import sections_for

    signal(urgency="normal", recipients=[team.labour_expert], text="Voor de arbeidsdeskundige.")
    signal(urgency="urgent", author=team.labour_expert, recipients=[team.jobcoach], text="Voor de jobcoach.")
    compiled._cache.clear()

    def signals(person):
        section = next(s for s in sections_for(person) if s.key == "signals")
        return [(item.urgent, section.total) for item in section.items]

    seen = [signals(person) for person in (team.jobcoach, team.labour_expert, team.jobcoach, team.labour_expert)]
    assert seen == [[(True, 1)], [(False, 1)]] * 2
    assert any(key[2] == "my_work.signals" for key in compiled._cache)
    assert all(template is not compiled._NOT_REUSABLE for template in compiled._cache.values())
