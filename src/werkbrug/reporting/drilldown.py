"""The dashboard's drill-down: one organisation's figures per month over the chosen period, and
one month's figures per organisation.

Both show, like the dashboard, the headline figures beside the previous period and the region's
targets (for one organisation only the targets that do not grow with the number of clients:
shares, the median and the mean), and every count through the one suppression rule
(`presentation`). The page, its CSV, its PDF-free print and the API read the same dictionaries.
"""

from __future__ import annotations

from datetime import date

from . import presentation
from .period import Period, month_period
from .selectors import organisation_months, region_dashboard, targets_for

__all__ = ["organisation_view", "month_view", "month_period"]


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
    months = organisation_months(
        region=region, organisation=organisation, start=period.start, end=period.end, today=today
    )
    tables = presentation.month_tables(months)
    return {
        "organisation": organisation,
        "d": d,
        "previous_period": previous_period,
        "figures": presentation.figure_rows(
            presentation.shown_figures(d), presentation.shown_figures(previous), targets
        ),
        **tables,
        "chart": presentation.month_chart(months, tables) if months else "",
    }


def month_view(*, region, month: Period, today: date) -> dict:
    """One calendar month (up to today): the region's headline figures beside the month before
    and the targets, and the figures per organisation."""
    d = region_dashboard(region=region, start=month.start, end=month.end, today=today)
    previous_period = month.previous_month()
    previous = region_dashboard(
        region=region, start=previous_period.start, end=previous_period.end, today=today
    )
    tables = presentation.tables(d)
    return {
        "month": month.start,
        "d": d,
        "previous_period": previous_period,
        "figures": presentation.figure_rows(
            presentation.shown_figures(d), presentation.shown_figures(previous), targets_for(region)
        ),
        "organisations": tables["organisations"],
        "organisation_totals": tables["organisation_totals"],
        "organisation_ids": [o.organisation_id for o in d.organisations],
        "chart": presentation.organisation_chart(d, tables) if d.organisations else "",
    }
