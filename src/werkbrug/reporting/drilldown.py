"""The dashboard's drill-down: one organisation's figures per month over the chosen period, and
one month's figures per organisation.

Both show, like the dashboard, the headline figures beside the previous period and the region's
targets (for one organisation only the targets that do not grow with the number of clients:
shares, the median and the mean), and every count through the one suppression rule
(`presentation`). The page, its CSV, its PDF-free print and the API read the same dictionaries.

The organisation × month cells appear in both drill-downs (an organisation's months, a month's
organisations). Both read them from one grid of the period, suppressed as a whole
(`presentation.shown_grid`), so a cell is shown the same way in both and combining the two views
gives no hidden cell away. The month page's grid is the period the manager came from when the
month lies wholly in it, else the twelve months up to the month's end (`grid_period`).
"""

from __future__ import annotations

from datetime import date

from . import presentation
from .period import Period, default_period, month_period
from .selectors import month_grid, region_dashboard, targets_for

__all__ = ["organisation_view", "month_view", "month_period", "grid_period"]


def grid_period(month: Period, period: Period) -> Period:
    """The period whose grid a month's page reads: `period` when the month lies wholly in it (as a
    month of the dashboard's table or an organisation's months), else the twelve months up to the
    month's end."""
    if period.start <= month.start and month.end <= period.end:
        return period
    return default_period(month.end)


def organisation_view(*, region, organisation, period: Period, today: date) -> dict:
    """One organisation over `period`: its headline figures (and the previous period's), and its
    figures per month."""
    d = region_dashboard(
        region=region, start=period.start, end=period.end, today=today, organisation=organisation
    )
    previous_period = period.previous()
    previous = region_dashboard(
        region=region,
        start=previous_period.start,
        end=previous_period.end,
        today=today,
        organisation=organisation,
    )
    targets = presentation.organisation_targets(targets_for(region))
    grid = month_grid(region=region, start=period.start, end=period.end, today=today)
    tables = presentation.organisation_months_table(presentation.shown_grid(grid), organisation.pk)
    return {
        "organisation": organisation,
        "d": d,
        "previous_period": previous_period,
        "figures": presentation.figure_rows(
            presentation.shown_figures(d), presentation.shown_figures(previous), targets
        ),
        **tables,
        "chart": presentation.month_chart(tables) if tables["months"] else "",
    }


def month_view(*, region, month: Period, period: Period, today: date) -> dict:
    """One calendar month (up to today): the region's headline figures beside the month before
    and the targets, and the figures per organisation (from the grid of `grid_period`)."""
    d = region_dashboard(region=region, start=month.start, end=month.end, today=today)
    previous_period = month.previous_month()
    previous = region_dashboard(
        region=region, start=previous_period.start, end=previous_period.end, today=today
    )
    over = grid_period(month, period)
    grid = month_grid(region=region, start=over.start, end=over.end, today=today)
    tables = presentation.month_organisations_table(presentation.shown_grid(grid), month.start)
    return {
        "month": month.start,
        "d": d,
        "previous_period": previous_period,
        "figures": presentation.figure_rows(
            presentation.shown_figures(d), presentation.shown_figures(previous), targets_for(region)
        ),
        "grid_period": over,
        **tables,
        "chart": presentation.organisation_chart(d, tables) if tables["organisations"] else "",
    }
