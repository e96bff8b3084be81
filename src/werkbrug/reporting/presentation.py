"""The dashboard as it may be shown: every count through the one suppression function, once;
the trend against the previous period and the region's target beside each headline figure.

Tables, charts, the CSV download and the PDF all show these same values, never the raw counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from werkbrug.core.suppression import (
    COMPLEMENTARY,
    SMALL,
    SuppressedGrid,
    suppress,
    suppress_grid,
    suppress_group,
)
from werkbrug.web.charts import Series, bar_chart, dutch_number

from .models import LOWER_IS_BETTER, PERCENT_FIGURES, SCALE_FREE_FIGURES, Figure
from .selectors import MonthGrid, RegionDashboard

# How many decimals each headline figure is shown with.
DECIMALS = {Figure.EMPLOYED_SHARE: 1, Figure.WORKS_20_SHARE: 1, Figure.MEDIAN_DAYS: 0, Figure.MEAN_HOURS: 1,
            Figure.TOTAL_HOURS: 0}
PERCENT = PERCENT_FIGURES


def _pairs(rows, suppressed) -> list[tuple]:
    return [(key, shown) for (key, _n), shown in zip(rows, suppressed.cells, strict=True)]


def shown_figures(d: RegionDashboard) -> dict[str, object]:
    """Each headline figure as it may be shown: a number, a suppression marker, or None (no data).

    The IPS counts go with their complement within the clients (`suppress_group`); a share only
    next to a shown count; medians, means and sums over the employed clients only when there are
    at least SMALL of them. The active trajectories add up to the phase and plan tables: where
    those totals must stay hidden, so must this count."""
    phases = suppress_group([n for _l, n in d.phases])
    plan_states = suppress_group([n for _l, n in d.plan_states])
    active = suppress(d.active)
    if COMPLEMENTARY in (phases.total, plan_states.total):
        active = COMPLEMENTARY
    shown: dict[str, object] = {
        Figure.RUNNING: suppress(d.running), Figure.STARTED: suppress(d.started), Figure.ACTIVE: active,
    }
    o = d.outcomes
    if o is None:
        return shown
    employed = suppress_group([o.ever_employed, o.clients - o.ever_employed])
    works20 = suppress_group([o.works_20_hours_or_more, o.clients - o.works_20_hours_or_more])
    enough = o.ever_employed >= SMALL
    shown.update({
        Figure.CLIENTS: suppress(o.clients),
        Figure.EMPLOYED_SHARE: None if employed.hidden[0] or o.ever_employed_share is None else o.ever_employed_share,
        Figure.WORKS_20_SHARE: None if works20.hidden[0] or o.works_20_hours_or_more_share is None
        else o.works_20_hours_or_more_share,
        Figure.MEDIAN_DAYS: o.median_days_to_first_job if enough else COMPLEMENTARY,
        Figure.MEAN_HOURS: o.mean_hours_per_week if enough else COMPLEMENTARY,
        Figure.TOTAL_HOURS: o.total_hours if enough else COMPLEMENTARY,
        Figure.JOB_STARTS: suppress(d.job_starts),
    })
    return shown


def format_figure(figure: str, value: object) -> str:
    if value is None:
        return "–"
    if isinstance(value, str):
        return value
    text = dutch_number(value, DECIMALS.get(figure, 0))
    return f"{text} %" if figure in PERCENT else text


@dataclass(frozen=True)
class FigureRow:
    figure: str
    label: str
    value: object
    shown: str
    previous: str
    trend: str  # "up", "down", "same" or "" (no comparison possible)
    difference: str  # "+3", "−1,5" or ""
    better: bool | None  # the trend's direction is an improvement (None: no comparison)
    target: str
    target_met: bool | None


def figure_rows(current: dict[str, object], previous: dict[str, object], targets: dict[str, object]) -> list[FigureRow]:
    rows = []
    for figure, label in Figure.choices:
        if figure not in current:
            continue
        value, before = current[figure], previous.get(figure)
        trend, difference, better = "", "", None
        if isinstance(value, int | Decimal | float) and isinstance(before, int | Decimal | float):
            delta = Decimal(value) - Decimal(before)
            trend = "up" if delta > 0 else "down" if delta < 0 else "same"
            sign = "+" if delta > 0 else "\u2212" if delta < 0 else "±"
            difference = sign + dutch_number(abs(delta), DECIMALS.get(figure, 0))
            if figure in PERCENT:
                difference += " procentpunt"
            if trend != "same":
                better = (trend == "down") if figure in LOWER_IS_BETTER else (trend == "up")
        target = targets.get(figure)
        met = None
        if target is not None and isinstance(value, int | Decimal | float):
            met = Decimal(value) <= target if figure in LOWER_IS_BETTER else Decimal(value) >= target
        rows.append(FigureRow(
            figure=figure, label=str(label), value=value, shown=format_figure(figure, value),
            previous=format_figure(figure, before), trend=trend, difference=difference, better=better,
            target=format_figure(figure, target) if target is not None else "", target_met=met,
        ))
    return rows


def month_label(month: date) -> str:
    """"jan 2026", "okt 2026": short enough for a chart axis; the table says "januari 2026"."""
    return date_format(month, "b Y")


def tables(d: RegionDashboard) -> dict[str, object]:
    """Every table of the page as (label, shown value) rows, suppressed per table."""
    started = suppress_group([n for _m, n in d.started_per_month])
    phases = suppress_group([n for _l, n in d.phases])
    plan_states = suppress_group([n for _l, n in d.plan_states])
    job_starts = suppress_group([n for _m, n in d.job_starts_per_month])
    columns = ("running", "started", "active", "employed")
    by_column = {c: suppress_group([getattr(o, c) for o in d.organisations]) for c in columns}
    organisations = [
        (o.name, *[by_column[c].cells[i] for c in columns]) for i, o in enumerate(d.organisations)
    ]
    return {
        "started": _pairs(d.started_per_month, started), "started_suppressed": started,
        "phases": _pairs(d.phases, phases), "phases_suppressed": phases,
        "plan_states": _pairs(d.plan_states, plan_states),
        "job_starts": _pairs(d.job_starts_per_month, job_starts), "job_starts_suppressed": job_starts,
        "organisations": organisations,
        "organisation_totals": [by_column[c].total for c in columns],
    }


def charts(d: RegionDashboard, t: dict) -> dict:
    months = [month_label(m) for m, _n in d.started_per_month]
    result = {
        "started": bar_chart(
            title=_("Trajectories started per month"), labels=months, chart_id="chart-started",
            table_id="table-started", series=[Series(_("Started"), t["started_suppressed"].cells)],
        ),
    }
    if d.phases:
        result["phases"] = bar_chart(
            title=_("Active trajectories per IPS phase"), labels=[label for label, _n in d.phases],
            chart_id="chart-phases", table_id="table-phases",
            series=[Series(_("Trajectories"), t["phases_suppressed"].cells)], height=320,
        )
    if d.job_starts_per_month:
        result["jobs"] = bar_chart(
            title=_("Job starts per month"), labels=months, chart_id="chart-jobs", table_id="table-jobs",
            series=[Series(_("Job starts"), t["job_starts_suppressed"].cells)],
        )
    return result


# --- drill-down --------------------------------------------------------------------------------

MONTH_COLUMNS = ("running", "started", "active", "employed", "job_starts")


def organisation_targets(targets: dict[str, object]) -> dict[str, object]:
    """The region's targets that apply to one organisation as they are: shares, the median and
    the mean (a target for a count is the whole region's)."""
    return {figure: value for figure, value in targets.items() if figure in SCALE_FREE_FIGURES}


MONTH_PAGE_COLUMNS = ("running", "started", "active", "employed")


@dataclass(frozen=True)
class ShownGrid:
    """The organisation × month grid as it may be shown: per measure one `SuppressedGrid` over the
    whole period, rows the organisations and columns the months of `grid`. Both drill-downs read
    their cells and totals from it, so a cell is shown the same way in both directions."""

    grid: MonthGrid
    measures: dict[str, SuppressedGrid]


def shown_grid(grid: MonthGrid) -> ShownGrid:
    """Every measure of the grid suppressed at once (`suppress_grid`): no hidden cell follows from
    an organisation's period total or a month's region total, in whichever view it is shown."""
    return ShownGrid(grid=grid, measures={
        c: suppress_grid([[getattr(m, c) for m in row] for row in grid.rows]) for c in MONTH_COLUMNS})


def organisation_months_table(shown: ShownGrid, organisation_id: int) -> dict[str, object]:
    """One organisation's row of the grid as (month, shown cells…) rows, with its shown totals."""
    r = shown.grid.row_of(organisation_id)
    if r is None:  # nothing of this organisation ran in the period: every cell is 0
        months = [(m, *[0 for _c in MONTH_COLUMNS]) for m in shown.grid.months]
        return {"months": months, "month_totals": [0 for _c in MONTH_COLUMNS]}
    return {
        "months": [(m, *[shown.measures[c].cells[r][j] for c in MONTH_COLUMNS])
                   for j, m in enumerate(shown.grid.months)],
        "month_totals": [shown.measures[c].row_totals[r] for c in MONTH_COLUMNS],
    }


def month_organisations_table(shown: ShownGrid, month: date) -> dict[str, object]:
    """One month's column of the grid as (name, shown cells…) rows of the organisations that ran
    in it, with the month's shown totals for the region. An organisation with only zeros that month
    is left out, unless one of them is hidden: leaving out a hidden cell could leave another one
    alone beside the month's total."""
    j = shown.grid.months.index(month)
    rows = [r for r, row in enumerate(shown.grid.rows)
            if row[j].running or any(shown.measures[c].cells[r][j] != 0 for c in MONTH_PAGE_COLUMNS)]
    return {
        "organisations": [(shown.grid.organisations[r][1], *[shown.measures[c].cells[r][j] for c in MONTH_PAGE_COLUMNS])
                          for r in rows],
        "organisation_ids": [shown.grid.organisations[r][0] for r in rows],
        # No organisation ran in the whole period: the grid has no rows, and the month's totals are 0.
        "organisation_totals": [shown.measures[c].column_totals[j] if shown.grid.rows else 0
                                for c in MONTH_PAGE_COLUMNS],
    }


def month_chart(t: dict) -> SafeString:
    return bar_chart(
        title=_("Trajectories started and job starts per month"), labels=[month_label(row[0]) for row in t["months"]],
        chart_id="chart-months", table_id="table-months",
        series=[Series(_("Started"), [row[1 + MONTH_COLUMNS.index("started")] for row in t["months"]]),
                Series(_("Job starts"), [row[1 + MONTH_COLUMNS.index("job_starts")] for row in t["months"]])],
    )


def organisation_chart(d: RegionDashboard, t: dict) -> SafeString:
    return bar_chart(
        title=_("Trajectories running per organisation"), labels=[row[0] for row in t["organisations"]],
        chart_id="chart-organisations", table_id="table-organisations",
        series=[Series(_("Running"), [row[1] for row in t["organisations"]])],
    )
