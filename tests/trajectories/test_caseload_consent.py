"""The caseload's columns follow the same category rules as the pages they summarise.

IPS phase → `job_outcomes` (`ips.view`), plan state and next action due → `plan` (`plan.view`),
open signals → `signals` (`signal.view`); the mapping is the policy's `CASELOAD_COLUMN_CATEGORIES`
(core/policy/trajectories.py). Where the member's organisation has no current consent, the page
shows "—" and the API null, and sorting or filtering by the column reveals nothing either.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.plans.conftest import goals_for
from werkbrug.clients.models import ConsentMethod
from werkbrug.clients.services import consent_withdraw
from werkbrug.core.choices import DataCategory
from werkbrug.core.policy.trajectories import CASELOAD_COLUMN_CATEGORIES
from werkbrug.trajectories.caseload import COLUMNS, CaseloadSearch
from werkbrug.trajectories.paging import page_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy(team, client_user):
    """An IPS phase, a submitted plan with open actions and a signal to the labour expert."""
    from werkbrug.collaboration.services import signal_create
    from werkbrug.employment.services import phase_change
    from werkbrug.plans.services import plan_save

    phase_change(trajectory=team.trajectory, changed_by=team.jobcoach, phase="job_search")
    plan_save(trajectory=team.trajectory, actor=team.jobcoach, based_on=0, goals=goals_for(team), submit=True)
    signal_create(trajectory=team.trajectory, author=team.jobcoach, category="debts", urgency="urgent",
                  text="Er speelt iets.", recipients=[team.labour_expert])
    return team


def _withdraw(team, client_user, category):
    consent_withdraw(client=team.client, organisation=team.uwv, category=category, recorded_by=client_user,
                     method=ConsentMethod.PORTAL)


def _row(user):
    return page_of(CaseloadSearch(user=user), 1, 25).items[0]


def test_every_column_has_a_category():
    assert set(CASELOAD_COLUMN_CATEGORIES) == set(COLUMNS)
    assert CASELOAD_COLUMN_CATEGORIES["ips_phase"] == DataCategory.JOB_OUTCOMES
    assert CASELOAD_COLUMN_CATEGORIES["plan_state"] == CASELOAD_COLUMN_CATEGORIES["next_action_due"] == DataCategory.PLAN
    assert CASELOAD_COLUMN_CATEGORIES["open_signals"] == DataCategory.SIGNALS


def test_the_ips_phase_only_with_job_outcomes_consent(busy, as_user):
    # GGZ has consent for job outcomes, UWV has not.
    assert _row(busy.jobcoach).ips_phase == "job_search"
    assert _row(busy.labour_expert).ips_phase is None
    page = as_user(busy.labour_expert).get(reverse("trajectories:index")).content.decode()
    assert "Zoeken naar werk" not in page
    api = as_user(busy.labour_expert).get("/api/v1/trajectories/").json()
    assert api["results"][0]["ips_phase"] is None
    assert "Zoeken naar werk" in as_user(busy.jobcoach).get(reverse("trajectories:index")).content.decode()


def test_plan_columns_only_with_plan_consent(busy, client_user, as_user):
    row = _row(busy.labour_expert)
    assert row.plan_state == "awaiting" and row.next_action_due is not None
    _withdraw(busy, client_user, DataCategory.PLAN)
    row = _row(busy.labour_expert)
    assert row.plan_state is None and row.next_action_due is None
    api = as_user(busy.labour_expert).get("/api/v1/trajectories/").json()["results"][0]
    assert api["plan_state"] is None and api["next_action_due"] is None
    page = as_user(busy.labour_expert).get(reverse("trajectories:index")).content.decode()
    assert "Wacht op instemming" not in page
    # The jobcoach's organisation still has plan consent.
    assert _row(busy.jobcoach).plan_state == "awaiting"


def test_open_signals_only_with_signals_consent(busy, client_user, as_user):
    assert _row(busy.labour_expert).open_signals == 1
    _withdraw(busy, client_user, DataCategory.SIGNALS)
    assert _row(busy.labour_expert).open_signals is None
    page = as_user(busy.labour_expert).get(reverse("trajectories:index")).content.decode()
    assert '<td class="num">—</td>' in page
    api = as_user(busy.labour_expert).get("/api/v1/trajectories/?sort=signals").json()["results"][0]
    assert api["open_signals"] is None


def test_sorting_and_filtering_reveal_no_hidden_column(busy, client_user):
    _withdraw(busy, client_user, DataCategory.PLAN)
    for state in ("awaiting", "draft", "agreed", "none"):
        assert not CaseloadSearch(user=busy.labour_expert, plan_state=state).queryset().exists()
        assert page_of(CaseloadSearch(user=busy.labour_expert, plan_state=state), 1, 25).items == []
    for sort in ("phase", "due", "signals"):
        rows = list(CaseloadSearch(user=busy.labour_expert, sort=sort).queryset())
        assert [r.ips_phase for r in rows] == [None] and [r.plan_state for r in rows] == [None]
    assert [t.plan_state for t in CaseloadSearch(user=busy.jobcoach, plan_state="awaiting").queryset()] == ["awaiting"]


def test_the_page_and_the_annotated_query_agree(busy, client_user):
    _withdraw(busy, client_user, DataCategory.SIGNALS)
    for user in (busy.jobcoach, busy.labour_expert):
        page = _row(user)
        annotated = CaseloadSearch(user=user).queryset().get()
        assert [getattr(page, name) for name in COLUMNS] == [getattr(annotated, name) for name in COLUMNS]


def test_a_page_still_reads_in_at_most_three_queries(busy, django_assert_max_num_queries):
    user = busy.labour_expert
    user.roles  # noqa: B018 — read once per request with the user
    with django_assert_max_num_queries(3):
        page_of(CaseloadSearch(user=user), 1, 25).items  # noqa: B018
