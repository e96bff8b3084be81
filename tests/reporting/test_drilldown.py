"""The drill-down: an organisation's figures per month over the chosen period, and a month's
figures per organisation; previous period and targets beside the headline figures, the one
suppression rule, CSV of every table, the page and the API alike, managers of the region only."""

from __future__ import annotations

import csv
import io
import itertools
from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from werkbrug.core.choices import OrganisationType, Role
from werkbrug.core.suppression import COMPLEMENTARY, FEWER_THAN_SMALL, SMALL, suppress_group
from werkbrug.employment.services import job_start
from werkbrug.reporting import presentation, services
from werkbrug.reporting.models import Figure
from werkbrug.reporting.selectors import (
    MonthGrid,
    MonthRow,
    month_grid,
    organisation_months,
    region_dashboard,
)

pytestmark = pytest.mark.django_db

# A quarter of last year, well before today whatever day the tests run.
YEAR = timezone.localdate().year - 1
START, END = date(YEAR, 1, 1), date(YEAR, 3, 31)
PERIOD = {"start": START.isoformat(), "end": END.isoformat()}


@pytest.fixture
def network(region, make_org, make_trajectories, manager, region_admin):
    """Alfa (GGZ): 6 trajectories from 10 January (one of whose clients starts a job on 10
    February), 2 from 5 to 20 February, 5 from 3 March. Beta (UWV): 3 from 1 February."""
    from types import SimpleNamespace

    alfa, beta = make_org(OrganisationType.GGZ, "Alfa"), make_org(OrganisationType.UWV, "Beta")
    january = make_trajectories(6, alfa, started_on=date(YEAR, 1, 10))
    make_trajectories(2, alfa, started_on=date(YEAR, 2, 5), ended_on=date(YEAR, 2, 20))
    make_trajectories(5, alfa, started_on=date(YEAR, 3, 3))
    make_trajectories(3, beta, started_on=date(YEAR, 2, 1))
    job_start(
        trajectory=january[0],
        recorded_by=january[0].plan_director,
        employer_name="Bakkerij Test",
        job_title="Inpakker",
        start=date(YEAR, 2, 10),
        hours_per_week=24,
        contract_type="fixed_term",
        competitive=True,
        hourly_wage=15,
    )
    services.target_set(
        region=region, by=region_admin, figure=Figure.EMPLOYED_SHARE, value=Decimal("41")
    )
    services.target_set(region=region, by=region_admin, figure=Figure.STARTED, value=Decimal("20"))
    return SimpleNamespace(alfa=alfa, beta=beta)


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def test_an_organisations_months_exactly(region, network, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):  # however many months
        months = organisation_months(region=region, organisation=network.alfa, start=START, end=END)
    assert [
        (m.month, m.running, m.started, m.active, m.employed, m.job_starts) for m in months
    ] == [
        (date(YEAR, 1, 1), 6, 6, 6, 0, 0),
        # the two February trajectories ran in February, ended before its end
        (date(YEAR, 2, 1), 8, 2, 6, 1, 1),
        (date(YEAR, 3, 1), 11, 5, 11, 1, 0),
    ]
    # The months add up to the organisation's figures for the period where a sum means something.
    whole = region_dashboard(region=region, start=START, end=END, organisation=network.alfa)
    assert (whole.running, whole.started, whole.active, whole.job_starts) == (13, 13, 11, 1)
    assert sum(m.started for m in months) == whole.started
    assert sum(m.job_starts for m in months) == whole.job_starts


def test_a_period_from_mid_month_cuts_the_first_month(region, network):
    months = organisation_months(
        region=region, organisation=network.alfa, start=date(YEAR, 2, 15), end=END
    )
    # From 15 February: the six January trajectories and the two ending on 20 February ran.
    assert [(m.month, m.running, m.started) for m in months] == [
        (date(YEAR, 2, 1), 8, 0),
        (date(YEAR, 3, 1), 11, 5),
    ]


def test_the_organisation_page_suppressed_with_previous_period_and_scale_free_targets(
    client, network, manager
):
    client.force_login(manager)
    response = client.get(f"/reports/organisations/{network.alfa.pk}/", PERIOD)
    assert response.status_code == 200
    context = response.context
    assert context["months"] == [
        (date(YEAR, 1, 1), 6, 6, 6, 0, 0),
        # started [6, 2, 5]: 2 is "<5", and 5 hidden too, else 13 − 6 − 5 gives it back.
        # running [6, 8, 11] and active [6, 6, 11]: Beta's 3 in February and March are "<5", so
        # Alfa's cells of those months are "x" (else the month's region total gives Beta's back).
        (date(YEAR, 2, 1), "x", "<5", "x", "<5", "<5"),
        (date(YEAR, 3, 1), "x", "x", "x", "<5", 0),
    ]
    assert context["month_totals"] == [25, 13, 23, "<5", "<5"]
    rows = {r.figure: r for r in context["figures"]}
    assert (rows[Figure.RUNNING].shown, rows[Figure.RUNNING].previous) == ("13", "0")
    assert rows[Figure.ACTIVE].shown == "11"
    # One of 13 clients with work: the share would tell the one, so it is not shown.
    assert rows[Figure.EMPLOYED_SHARE].shown == "–"
    # The region's share target applies to the organisation; its count target does not.
    assert rows[Figure.EMPLOYED_SHARE].target == "41,0 %" and rows[Figure.STARTED].target == ""
    text = response.content.decode()
    assert "chart-months" in text and "table-months" in text
    assert (
        f'href="/reports/months/{YEAR}/2/?' in text
    )  # from a month of the organisation, to the month


def test_the_month_page_per_organisation_beside_the_month_before(client, network, manager):
    client.force_login(manager)
    response = client.get(f"/reports/months/{YEAR}/2/")
    assert response.status_code == 200
    context = response.context
    assert (context["d"].start, context["d"].end) == (date(YEAR, 2, 1), date(YEAR, 2, 28))
    assert (context["previous_period"].start, context["previous_period"].end) == (
        date(YEAR, 1, 1),
        date(YEAR, 1, 31),
    )
    assert [row[1:] for row in context["organisation_rows"]] == [
        # running [8, 3]: 3 is "<5" and 8 then "x"; started [2, 3]; active [6, 3]; with work [1, 0]
        ("Alfa", "x", "<5", "x", "<5"),
        ("Beta", "<5", "<5", "<5", 0),
    ]
    assert context["organisation_totals"] == [11, 5, 9, "<5"]
    rows = {r.figure: r for r in context["figures"]}
    assert (
        rows[Figure.RUNNING].shown,
        rows[Figure.RUNNING].previous,
        rows[Figure.RUNNING].difference,
    ) == ("11", "6", "+5")
    assert rows[Figure.STARTED].target == "20"  # the region's own target, as on the dashboard
    text = response.content.decode()
    assert (
        f'href="/reports/organisations/{network.alfa.pk}/' in text and "chart-organisations" in text
    )


def _worlds(published: list[tuple[list, object]], bound: int) -> list[dict]:
    """Every assignment of the cells that agrees with everything published together: each line is
    (its cells as (key, shown value) pairs, its shown total). A cell shown exactly anywhere is
    known; "<5" is 1–4; "x" anything from 0 up to `bound`."""
    known = {key: shown for cells, _t in published for key, shown in cells if isinstance(shown, int)}
    markers = {key: shown for cells, _t in published for key, shown in cells if key not in known}
    hidden = sorted(markers)
    options = [range(1, SMALL) if markers[key] == FEWER_THAN_SMALL else range(bound + 1) for key in hidden]
    worlds = []
    for values in itertools.product(*options):
        world = {**known, **dict(zip(hidden, values, strict=True))}
        if all(not isinstance(total, int) or sum(world[key] for key, _shown in cells) == total
               for cells, total in published):
            worlds.append(world)
    return worlds


# Two organisations over three months, one measure: Alfa [3, 6, 10], Beta [7, 8, 9].
LEAKY = [[3, 6, 10], [7, 8, 9]]
TRUE = {(name, j): n for name, row in zip(("Alfa", "Beta"), LEAKY, strict=True) for j, n in enumerate(row)}


def test_the_old_per_table_choice_gave_a_hidden_cell_away():
    """Suppressed per table, Alfa's months hide 3 ("<5") and 6 ("x"), but the month page of
    February, suppressed on its own, shows that 6; Alfa's total 19 − 6 − 10 gives the 3 back."""
    published = []
    for name, row in zip(("Alfa", "Beta"), LEAKY, strict=True):  # every organisation page
        table = suppress_group(row)
        published.append(([((name, j), cell) for j, cell in enumerate(table.cells)], table.total))
    for j in range(3):  # every month page
        table = suppress_group([row[j] for row in LEAKY])
        published.append(([((name, j), cell) for name, cell in zip(("Alfa", "Beta"), table.cells, strict=True)],
                          table.total))
    assert published[0] == ([(("Alfa", 0), FEWER_THAN_SMALL), (("Alfa", 1), COMPLEMENTARY), (("Alfa", 2), 10)], 19)
    assert published[2 + 1] == ([(("Alfa", 1), 6), (("Beta", 1), 8)], 14)
    worlds = _worlds(published, bound=24)
    assert TRUE in worlds
    assert {world[("Alfa", 0)] for world in worlds} == {3}  # the hidden 3 is given away


def test_one_grid_for_both_views_gives_no_hidden_cell_away():
    """The same counts through the one grid: both views read the same cells, and every hidden
    cell keeps more than one possible value given every published cell and total."""
    months = [date(YEAR, m, 1) for m in (1, 2, 3)]
    grid = MonthGrid(months=months, organisations=[(1, "Alfa"), (2, "Beta")],
                     rows=[[MonthRow(month=m, running=n) for m, n in zip(months, row, strict=True)]
                           for row in LEAKY])
    shown = presentation.shown_grid(grid)
    published = []
    for pk, name in grid.organisations:  # every organisation page: running is the first column
        table = presentation.organisation_months_table(shown, pk)
        published.append(([((name, j), row[1]) for j, row in enumerate(table["months"])], table["month_totals"][0]))
    for j, month in enumerate(months):  # every month page
        table = presentation.month_organisations_table(shown, month)
        published.append(([((row[0], j), row[1]) for row in table["organisations"]], table["organisation_totals"][0]))
    by_cell: dict[tuple, set] = {}
    for cells, _total in published:
        for key, value in cells:
            by_cell.setdefault(key, set()).add(value)
    assert all(len(values) == 1 for values in by_cell.values())  # the same in both directions
    assert by_cell[("Alfa", 0)] == {FEWER_THAN_SMALL} and by_cell[("Alfa", 1)] == {COMPLEMENTARY}
    worlds = _worlds(published, bound=24)
    assert TRUE in worlds
    hidden = [key for key, values in by_cell.items() if isinstance(next(iter(values)), str)]
    assert len(hidden) == 4
    for key in hidden:
        assert len({world[key] for world in worlds}) > 1, key


def test_both_drill_downs_read_one_grid(client, network, manager, region):
    """Alfa's February on the organisation page and on the month page: the same shown cells,
    where the two tables suppressed on their own showed running 8 on one and "x" on the other
    (the month's total 11 then gave Beta's 3 away)."""
    client.force_login(manager)
    alfa = client.get(f"/reports/organisations/{network.alfa.pk}/", PERIOD).context
    february = client.get(f"/reports/months/{YEAR}/2/", PERIOD).context
    alfa_february = alfa["months"][1][1:5]
    assert february["organisation_rows"][0][1] == "Alfa"
    assert tuple(february["organisation_rows"][0][2:]) == tuple(alfa_february) == ("x", "<5", "x", "<5")
    grid = month_grid(region=region, start=START, end=END)
    assert [name for _pk, name in grid.organisations] == ["Alfa", "Beta"]
    assert [m.running for m in grid.rows[1]] == [0, 3, 3]


def test_the_dashboard_links_to_both_drill_downs(client, network, manager):
    client.force_login(manager)
    text = client.get("/reports/", PERIOD).content.decode()
    assert f'href="/reports/organisations/{network.alfa.pk}/?start=' in text
    assert f'href="/reports/months/{YEAR}/1/?start=' in text


def test_csv_of_every_drill_down_table(client, network, manager):
    client.force_login(manager)
    url = f"/reports/organisations/{network.alfa.pk}/csv/"
    months = _csv(client.get(url, {**PERIOD, "table": "months"}))
    assert months[0] == ["Periode", START.isoformat(), END.isoformat()]
    assert months[1] == [
        "Maand",
        "Loopt",
        "Gestart",
        "Actief aan het einde",
        "Met betaald werk",
        "Gestarte banen",
    ]
    assert months[2:] == [
        [f"januari {YEAR}", "6", "6", "6", "0", "0"],
        [f"februari {YEAR}", "x", "<5", "x", "<5", "<5"],
        [f"maart {YEAR}", "x", "x", "x", "<5", "0"],
    ]
    figures = _csv(client.get(url, {**PERIOD, "table": "figures"}))
    assert figures[1][0] == "Cijfer" and len(figures) == 2 + len(Figure.values)
    by_org = _csv(client.get(f"/reports/months/{YEAR}/2/csv/", {"table": "organisations"}))
    assert by_org[2:] == [["Alfa", "x", "<5", "x", "<5"], ["Beta", "<5", "<5", "<5", "0"]]
    assert (
        _csv(client.get(f"/reports/months/{YEAR}/2/csv/", {"table": "figures"}))[1][0] == "Cijfer"
    )
    assert client.get(url, {"table": "clients"}).status_code == 404


def test_the_api_gives_the_same_suppressed_figures(client, network, manager):
    client.force_login(manager)
    data = client.get(f"/api/v1/reports/organisations/{network.alfa.pk}/", PERIOD).json()
    assert data["organisation"] == "Alfa" and (data["start"], data["end"]) == (
        START.isoformat(),
        END.isoformat(),
    )
    assert data["months"][1] == {
        "month": f"{YEAR}-02-01",
        "running": "x",
        "started": "<5",
        "active": "x",
        "employed": "<5",
        "job_starts": "<5",
    }
    figures = {f["figure"]: f for f in data["figures"]}
    assert figures["employed_share"]["target"] == "41,0 %" and figures["started"]["target"] == ""
    month = client.get(f"/api/v1/reports/months/{YEAR}/2/").json()
    assert month["organisations"] == [
        {
            "organisation_id": network.alfa.pk,
            "organisation": "Alfa",
            "running": "x",
            "started": "<5",
            "active": "x",
            "employed": "<5",
        },
        {
            "organisation_id": network.beta.pk,
            "organisation": "Beta",
            "running": "<5",
            "started": "<5",
            "active": "<5",
            "employed": 0,
        },
    ]
    assert (
        client.get(
            f"/api/v1/reports/organisations/{network.alfa.pk}/", {"start": "1900-01-01"}
        ).status_code
        == 400
    )


@pytest.mark.parametrize(
    "url",
    [
        "/reports/months/{y}/13/",
        "/reports/months/{y}/0/",
        "/reports/months/99999/1/",
        "/reports/months/1900/1/",
        "/reports/months/{next}/1/",
        "/api/v1/reports/months/{y}/13/",
        "/reports/organisations/999999/",
        "/api/v1/reports/organisations/999999/",
        "/reports/organisations/{far}/",
        "/api/v1/reports/organisations/{far}/",
        "/reports/organisations/{far}/csv/",
    ],
)
def test_impossible_months_and_other_regions_organisations_are_not_found(
    client, manager, make_org, other_region, url
):
    far = make_org(OrganisationType.GGZ, "Ver weg", in_region=other_region)
    client.force_login(manager)
    assert (
        client.get(url.format(y=YEAR, next=timezone.localdate().year + 1, far=far.pk)).status_code
        == 404
    )


@pytest.mark.parametrize(
    "url",
    [
        "/reports/organisations/{alfa}/",
        "/reports/organisations/{alfa}/csv/",
        "/reports/months/{y}/2/",
        "/reports/months/{y}/2/csv/",
        "/api/v1/reports/organisations/{alfa}/",
        "/api/v1/reports/months/{y}/2/",
    ],
)
def test_casework_roles_get_404_before_anything_is_read(client, network, make_person, url):
    jobcoach = make_person(network.alfa, Role.JOBCOACH)
    client.force_login(jobcoach)
    # Even a nonsense period: refused first, not a 400 about the period.
    response = client.get(url.format(alfa=network.alfa.pk, y=YEAR), {"start": "gisteren"})
    assert response.status_code == 404


def test_the_portfolio_holder_drills_down_too(client, network, make_person, make_org):
    alderman = make_person(
        make_org(OrganisationType.MUNICIPALITY, "Gemeente Raad"), Role.PORTFOLIO_HOLDER
    )
    client.force_login(alderman)
    assert client.get(f"/reports/organisations/{network.alfa.pk}/", PERIOD).status_code == 200
    assert client.get(f"/reports/months/{YEAR}/2/").status_code == 200


def test_the_organisation_page_keeps_its_queries_few(
    client, network, manager, django_assert_max_num_queries
):
    client.force_login(manager)
    client.get(f"/reports/organisations/{network.alfa.pk}/", PERIOD)
    with django_assert_max_num_queries(40):
        assert (
            client.get(
                f"/reports/organisations/{network.alfa.pk}/",
                {"start": date(YEAR - 2, 1, 1).isoformat(), "end": END.isoformat()},
            ).status_code
            == 200
        )


def test_a_month_keeps_an_organisations_hidden_zero():
    """Beta ran in January only; its March is all zeros, but the grid hides its 0 started in
    March beside Alfa's 5 (else Alfa's "x" would stand alone beside the month's total 5): the
    month page keeps Beta's row."""
    months = [date(YEAR, m, 1) for m in (1, 2, 3)]
    rows = [[(6, 6), (2, 2), (5, 5)], [(3, 3), (0, 0), (0, 0)]]  # (running, started) per month
    grid = MonthGrid(months=months, organisations=[(1, "Alfa"), (2, "Beta")],
                     rows=[[MonthRow(month=m, running=run, started=st) for m, (run, st) in zip(months, row, strict=True)]
                           for row in rows])
    shown = presentation.shown_grid(grid)
    march = presentation.month_organisations_table(shown, date(YEAR, 3, 1))
    started = {row[0]: row[2] for row in march["organisations"]}
    assert started == {"Alfa": COMPLEMENTARY, "Beta": COMPLEMENTARY}
    assert march["organisation_totals"][1] == 5


def test_a_region_without_trajectories_shows_empty_drill_downs(client, make_org, make_person):
    admin = make_person(make_org(OrganisationType.GGZ, "Leeg"), Role.REGION_ADMIN)
    client.force_login(admin)
    response = client.get(f"/reports/months/{YEAR}/2/")
    assert response.status_code == 200
    assert (response.context["organisation_rows"], response.context["organisation_totals"]) == ([], [0, 0, 0, 0])
    assert client.get(f"/api/v1/reports/months/{YEAR}/2/").json()["organisations"] == []
    months = client.get(f"/reports/organisations/{admin.organisation.pk}/", PERIOD).context["months"]
    assert months[0] == (START, 0, 0, 0, 0, 0)
