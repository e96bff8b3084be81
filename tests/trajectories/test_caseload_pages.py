"""The caseload's pages (`caseload.py`) show the same rows, in the same order and with the same
columns, as the one annotated ORM query over the other apps' agreed `caseload_annotations()`."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import Count
from django.urls import reverse

from werkbrug.clients.models import ConsentMethod
from werkbrug.core.choices import Role
from werkbrug.core.models import AccessLogRecord, User
from werkbrug.trajectories import compiled, selectors
from werkbrug.trajectories.caseload import COLUMNS, SORTS, CaseloadSearch
from werkbrug.trajectories.models import TeamMembership
from werkbrug.trajectories.paging import page_of

pytestmark = pytest.mark.django_db


def _shown(t) -> tuple:
    return (t.pk, t.client_id, t.client.full_name, t.client.pseudonym, t.status, t.started_on,
            t.plan_director_id, t.plan_director.get_full_name(), *(getattr(t, name) for name in COLUMNS))


def _all_pages(search: CaseloadSearch, size: int) -> list[tuple]:
    rows, number = [], 1
    while True:
        page = page_of(search, number, size)
        rows += [_shown(t) for t in page]
        if not page.has_next:
            return rows
        number += 1


def _busiest_professionals(n: int) -> list[User]:
    ids = (TeamMembership.objects.filter(left_at__isnull=True).values("person_id").order_by()
           .annotate(n=Count("id")).order_by("-n", "person_id").values_list("person_id", flat=True)[:n])
    return list(User.objects.filter(pk__in=list(ids)))


SEARCHES = [
    {},
    {"q": "a"}, {"q": "de"}, {"q": "an e"},
    {"role": Role.JOBCOACH}, {"i_direct": True},
    {"plan_state": "agreed"}, {"plan_state": "awaiting"}, {"plan_state": "draft"}, {"plan_state": "none"},
]


def test_pages_match_the_annotated_query_for_every_sort_and_filter(demo_region, django_assert_max_num_queries):
    people = _busiest_professionals(3)
    states, phases, signals = set(), set(), set()
    for user in people:
        for filters in SEARCHES:
            for sort in SORTS:
                search = CaseloadSearch(user=user, sort=sort, **filters)
                expected = [_shown(t) for t in search.queryset()]
                with django_assert_max_num_queries(3 * (len(expected) // 7 + 1)):
                    shown = _all_pages(search, 7)
                assert shown == expected, (user.username, sort, filters)
                states |= {row[-4] for row in shown}
                phases |= {row[-2] for row in shown}
                signals |= {row[-1] for row in shown}
    # The demo has every kind of value, so the comparison above means something.
    assert states >= {"agreed", "awaiting", "disagreed", "draft"} and len(phases) > 2 and len(signals) > 1


def test_a_page_reads_in_at_most_three_queries(demo_region, django_assert_max_num_queries):
    user = _busiest_professionals(1)[0]
    for sort in SORTS:
        search = CaseloadSearch(user=user, sort=sort, q="e")
        with django_assert_max_num_queries(3):
            page = page_of(search, 1, 25)
        with django_assert_max_num_queries(0):
            [_shown(t) for t in page]


def test_each_person_sees_their_own_caseload_through_the_reused_sql(team, make_client, make_person, ggz):
    """The second professional's search reuses the first one's compiled SQL with their own values."""
    from werkbrug.trajectories.services import trajectory_start

    other = make_person(ggz, Role.JOBCOACH)
    client = make_client(other, first_name="Noor", last_name="Alleen")
    trajectory_start(client=client, started_by=other, role=Role.JOBCOACH, consent_method=ConsentMethod.PAPER)
    compiled._cache.clear()
    mine = [t.client.full_name for t in page_of(CaseloadSearch(user=team.jobcoach), 1, 25)]
    theirs = [t.client.full_name for t in page_of(CaseloadSearch(user=other), 1, 25)]
    assert mine == [team.client.full_name] and theirs == ["Noor Alleen"]
    assert any(key[2] == "caseload.rows_by_name" for key in compiled._cache)
    assert all(template is not compiled._NOT_REUSABLE for template in compiled._cache.values())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements: PostgreSQL only")
def test_a_reused_shape_runs_as_a_prepared_statement_with_each_runs_values(team, make_client, make_person, ggz):
    """On PostgreSQL the kept shapes run prepared (no planning per request), and the prepared
    statement answers each professional with their own rows."""
    from werkbrug.trajectories.services import trajectory_start

    other = make_person(ggz, Role.JOBCOACH)
    client = make_client(other, first_name="Noor", last_name="Alleen")
    trajectory_start(client=client, started_by=other, role=Role.JOBCOACH, consent_method=ConsentMethod.PAPER)
    compiled._cache.clear()
    seen = []
    for user in (team.jobcoach, other, team.jobcoach, other):
        seen.append([t.client.full_name for t in page_of(CaseloadSearch(user=user), 1, 25)])
    assert seen == [[team.client.full_name], ["Noor Alleen"]] * 2
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        statements = [row[0] for row in cursor.fetchall()]
    assert any('"trajectories_teammembership"."client_first_name"' in s and "$1" in s for s in statements)


@pytest.mark.parametrize("q, found", [
    ("_", ["Anne_Marie Zand"]), ("%", []), ("ne_m", ["Anne_Marie Zand"]), ("anne", ["Anne_Marie Zand", "Anne Zee"]),
    ("\\", []),
])
def test_search_words_are_matched_literally(q, found, jobcoach, make_client):
    from werkbrug.trajectories.services import trajectory_start

    for first, last in (("Anne_Marie", "Zand"), ("Anne", "Zee"), ("Bas", "Berg")):
        client = make_client(jobcoach, first_name=first, last_name=last)
        trajectory_start(client=client, started_by=jobcoach, role=Role.JOBCOACH, consent_method=ConsentMethod.PAPER)
    for _ in range(2):  # compiled, then reused
        search = CaseloadSearch(user=jobcoach, q=q)
        assert [t.client.full_name for t in page_of(search, 1, 25)] == found
        assert [t.client.full_name for t in search.queryset()] == found


def test_search_by_client_id(team):
    search = CaseloadSearch(user=team.jobcoach, q=team.client.pseudonym.lower())
    assert [t.pk for t in page_of(search, 1, 25)] == [team.trajectory.pk]


def test_a_shape_that_depends_on_a_value_is_compiled_each_time(team):
    """`compiled.fetch` keeps a shape only when the markers fill in to the real SQL."""
    from werkbrug.trajectories.models import Trajectory

    def build(v):
        qs = Trajectory.objects.all()
        if v.int("x") == 5:  # a branch on a value: markers take the other one
            qs = qs.filter(pk=-1)
        return qs.values_list("id")

    compiled._cache.clear()
    for x, expected in ((5, []), (5, []), (6, [team.trajectory.pk])):
        rows = compiled.fetch(("test.branch",), {"x": x}, build, model=Trajectory)
        assert [row["id"] for row in rows] == expected
    assert list(compiled._cache.values()) == [compiled._NOT_REUSABLE]


def test_caseload_page_and_api_log_once_and_show_the_columns(team, as_user):
    c = as_user(team.jobcoach)
    before = AccessLogRecord.objects.count()
    page = c.get(reverse("trajectories:index") + "?sort=due").content.decode()
    api = c.get("/api/v1/trajectories/?sort=signals&page_size=5").json()
    assert AccessLogRecord.objects.count() == before + 2
    assert f'href="/trajectories/{team.trajectory.pk}/"' in page and "Nog geen plan" in page and "<td>U</td>" in page
    assert api["results"][0]["plan_state"] == "none" and api["results"][0]["open_signals"] == 0
    assert api["results"][0]["plan_director"] == {"id": team.jobcoach.pk, "name": team.jobcoach.get_full_name()}


def test_selectors_caseload_search_is_the_same_search(team):
    search = selectors.caseload_search(user=team.jobcoach, q=" Sam ", sort="-started")
    assert search.q == "Sam" and search.order == SORTS["-started"]
    assert [t.pk for t in search.queryset()] == [team.trajectory.pk]


def _page_state(user) -> str:
    return page_of(CaseloadSearch(user=user), 1, 25).items[0].plan_state


def _annotated_state(user) -> str:
    return CaseloadSearch(user=user).queryset().get().plan_state


@pytest.mark.parametrize("last_step", ["expert agrees", "expert's organisation loses plan consent"])
def test_plan_state_waits_for_every_member_who_may_see_the_plan(team, client_user, last_step):
    """Client agreed: agreed once every current member whose organisation has plan consent agreed."""
    from tests.plans.conftest import goals_for
    from werkbrug.clients.services import consent_withdraw
    from werkbrug.core.choices import DataCategory
    from werkbrug.plans.services import plan_agree, plan_save, plan_submit

    version = plan_save(trajectory=team.trajectory, actor=team.jobcoach, based_on=0, goals=goals_for(team))
    assert _page_state(team.jobcoach) == _annotated_state(team.jobcoach) == "draft"
    plan_submit(plan_version=version, actor=team.jobcoach)
    plan_agree(plan_version=version, person=client_user)
    plan_agree(plan_version=version, person=team.jobcoach)
    # The labour expert's organisation may see the plan and they have not agreed yet.
    assert _page_state(team.jobcoach) == _annotated_state(team.jobcoach) == "awaiting"
    if last_step == "expert agrees":
        plan_agree(plan_version=version, person=team.labour_expert)
    else:
        consent_withdraw(client=team.client, organisation=team.uwv, category=DataCategory.PLAN,
                         recorded_by=team.labour_expert, method=ConsentMethod.PAPER)
    assert _page_state(team.jobcoach) == _annotated_state(team.jobcoach) == "agreed"


def test_caseload_shows_the_phase_by_its_name_not_its_code(team, as_user):
    from werkbrug.employment.services import phase_change

    phase_change(trajectory=team.trajectory, changed_by=team.jobcoach, phase="job_search")
    page = as_user(team.jobcoach).get(reverse("trajectories:index")).content.decode()
    assert "<td>Zoeken naar werk</td>" in page and "job_search" not in page


def test_a_datetime_value_is_filled_in_each_time(team):
    """`v.datetime(name)`: a moment that changes between requests is a value of the kept SQL."""
    from datetime import timedelta

    from django.utils import timezone

    from werkbrug.trajectories.models import Trajectory

    compiled._cache.clear()
    started = Trajectory.objects.get(pk=team.trajectory.pk).started_on

    def build(v):
        return Trajectory.objects.filter(pk=v.int("pk"), client__created_at__gte=v.datetime("since")).values_list("id")

    now = timezone.now()
    found = [compiled.fetch(("test.since",), {"pk": team.trajectory.pk, "since": since}, build, model=Trajectory)
             for since in (now - timedelta(days=1), now + timedelta(days=1), now - timedelta(days=2))]
    assert [len(rows) for rows in found] == [1, 0, 1]
    assert started is not None
    assert all(template is not compiled._NOT_REUSABLE for template in compiled._cache.values())
