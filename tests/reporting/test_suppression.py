"""Small-number suppression, one function for tables, charts, PDF and the API: no count from 1 to
4 is shown anywhere, and no hidden count can be worked out from a total (complementary suppression)."""

import itertools
import re
from unittest import mock

import pytest
from django.utils import timezone

from werkbrug.core.choices import OrganisationType, Role
from werkbrug.core.suppression import COMPLEMENTARY, FEWER_THAN_SMALL, SMALL, suppress_group
from werkbrug.web.charts import Series, bar_chart

SMALL_COUNTS = {"1", "2", "3", "4"}


def _possible(shown, total, bound):
    """Every assignment of the hidden cells that agrees with what a reader sees."""
    ranges = []
    for cell in shown:
        if cell == FEWER_THAN_SMALL:
            ranges.append(range(1, SMALL))
        elif cell == COMPLEMENTARY:
            ranges.append(range(0, bound + 1))
        else:
            ranges.append([cell])
    return [values for values in itertools.product(*ranges) if sum(values) == total]


@pytest.mark.parametrize("size", [1, 2, 3, 4])
def test_no_hidden_cell_can_be_worked_out_from_the_total(size):
    for counts in itertools.product(range(0, 10), repeat=size):
        group = suppress_group(counts)
        if isinstance(group.total, int):  # never one hidden cell alone next to an exact total
            assert sum(group.hidden) != 1, counts
        for cell, n in zip(group.cells, counts, strict=True):
            assert str(cell) not in SMALL_COUNTS or n == 0, (counts, group)
            if cell == FEWER_THAN_SMALL:
                assert 0 < n < SMALL
        if not isinstance(group.total, int):
            continue  # the total is hidden as well
        assert group.total == sum(counts)
        worlds = _possible(group.cells, group.total, bound=sum(counts))
        assert tuple(counts) in worlds
        for i, hidden in enumerate(group.hidden):
            if hidden:
                assert len({world[i] for world in worlds}) > 1, (counts, group, i)


def test_the_complement_of_one_small_cell_is_hidden_too():
    group = suppress_group([12, 3, 7])
    assert group.cells == [12, FEWER_THAN_SMALL, COMPLEMENTARY] and group.total == 22
    assert suppress_group([6, 0, 1]).cells == [COMPLEMENTARY, 0, FEWER_THAN_SMALL]
    assert suppress_group([2, 1]).total == FEWER_THAN_SMALL
    assert suppress_group([5, 9]).cells == [5, 9]


def test_a_chart_never_carries_a_hidden_count():
    svg = bar_chart(title="Per fase", labels=["A", "B", "C"], series=[Series("Trajecten", [12, "<5", "x"])])
    assert "<title>Trajecten: B: &lt;5</title>" in svg and "<title>Trajecten: C: x</title>" in svg
    assert len(re.findall(r"<rect [^>]*height=\"[1-9]", svg)) == 1  # only the shown bar has a height


# --- the regional dashboard -------------------------------------------------------------------


@pytest.fixture
def seven_trajectories(region, ggz, make_person, make_client):
    """Seven active trajectories started today: six in intake, one in job search."""
    from werkbrug.clients.models import ConsentMethod
    from werkbrug.clients.services import consent_grant
    from werkbrug.core.choices import DataCategory
    from werkbrug.employment.services import phase_change
    from werkbrug.trajectories.services import trajectory_start

    jobcoach = make_person(ggz, Role.JOBCOACH)
    trajectories = [
        trajectory_start(client=make_client(jobcoach), started_by=jobcoach, role=Role.JOBCOACH,
                         consent_method=ConsentMethod.VERBAL)
        for _ in range(7)
    ]
    for i, trajectory in enumerate(trajectories):
        consent_grant(client=trajectory.client, organisation=ggz, category=DataCategory.JOB_OUTCOMES,
                      recorded_by=jobcoach, method=ConsentMethod.PAPER, evidence="Getekend formulier")
        phase_change(trajectory=trajectory, changed_by=jobcoach, phase="job_search" if i == 0 else "intake",
                     changed_on=timezone.localdate())
    return trajectories


def _numbers_shown(html: str) -> list[str]:
    """Every figure a reader sees: table cells and the chart tooltips."""
    cells = re.findall(r'<td class="num">([^<]*)</td>', html)
    tooltips = [t.rsplit(": ", 1)[-1] for t in re.findall(r"<title>([^<]*)</title>", html) if ": " in t]
    return [c.strip() for c in cells + tooltips]


def test_no_exact_small_count_on_the_dashboard_page_charts_or_pdf(client, make_person, make_org, seven_trajectories):
    manager = make_person(make_org(OrganisationType.MUNICIPALITY), Role.MANAGER)
    client.force_login(manager)
    html = client.get("/reports/").content.decode()
    shown = _numbers_shown(html)
    assert shown and not SMALL_COUNTS & set(shown), shown
    # The phase table: the one trajectory in job search is "<5", and so the six in registration
    # cannot stay exact (7 active minus 6 would give it away).
    assert '<td class="num">&lt;5</td>' in html and f'<td class="num">{COMPLEMENTARY}</td>' in html
    assert '<td class="num">6</td>' not in html and ": 6</title>" not in html
    # The active trajectories: the headline figure stays exact (7 is not small).
    assert re.search(r'Actieve trajecten aan het einde van de periode</th>\s*<td class="num">7</td>', html)

    from weasyprint import HTML as RealHTML

    with mock.patch("weasyprint.HTML", wraps=RealHTML) as pdf_html:
        response = client.get("/reports/pdf/")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    printed = pdf_html.call_args.kwargs["string"]
    assert not SMALL_COUNTS & set(_numbers_shown(printed))
    assert '<td class="num">6</td>' not in printed and ": 6</title>" not in printed
