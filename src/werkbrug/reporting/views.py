from datetime import date, timedelta

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werkbrug.core import policy
from werkbrug.core.suppression import COMPLEMENTARY, SMALL, suppress, suppress_group
from werkbrug.web.charts import Series, bar_chart
from werkbrug.web.pdf import render_pdf

from .selectors import region_dashboard


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Up to and including"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError(_("The end date lies before the start date."))
        return data


def _period(form: PeriodForm) -> tuple[date, date]:
    today = timezone.localdate()
    default_start = (today.replace(day=1) - timedelta(days=335)).replace(day=1)
    if form.is_valid():
        return form.cleaned_data.get("start") or default_start, form.cleaned_data.get("end") or today
    return default_start, today


def _pairs(rows, suppressed) -> list[tuple]:
    return [(key, shown) for (key, _n), shown in zip(rows, suppressed.cells, strict=True)]


def _outcomes(outcomes) -> dict | None:
    """The IPS outcome figures as they may be shown: each count with its complement within the
    clients suppressed (`suppress_group`), a share only next to a shown count, and the medians,
    means and sums over the employed clients only when there are at least SMALL of them."""
    if outcomes is None:
        return None
    clients = outcomes.clients
    employed = suppress_group([outcomes.ever_employed, clients - outcomes.ever_employed])
    works20 = suppress_group([outcomes.works_20_hours_or_more, clients - outcomes.works_20_hours_or_more])
    enough = outcomes.ever_employed >= SMALL
    return {
        "clients": suppress(clients),
        "ever_employed": employed.cells[0],
        "ever_employed_share": None if employed.hidden[0] else outcomes.ever_employed_share,
        "works_20_hours_or_more": works20.cells[0],
        "works_20_hours_or_more_share": None if works20.hidden[0] else outcomes.works_20_hours_or_more_share,
        "median_days_to_first_job": outcomes.median_days_to_first_job if enough else COMPLEMENTARY,
        "mean_hours_per_week": outcomes.mean_hours_per_week if enough else COMPLEMENTARY,
        "total_hours": outcomes.total_hours if enough else COMPLEMENTARY,
    }


def _context(request: HttpRequest) -> dict:
    policy.authorize(request.user, "region_dashboard.view", request.user.region)
    form = PeriodForm(request.GET or None)
    start, end = _period(form)
    dashboard = region_dashboard(region=request.user.region, start=start, end=end)
    # Every count goes through the one suppression function, once; tables, charts (bar heights and
    # tooltips) and the PDF all show these same values, never the raw counts.
    started = suppress_group([n for _m, n in dashboard.started_per_month])
    phases = suppress_group([n for _l, n in dashboard.phases])
    plan_states = suppress_group([n for _l, n in dashboard.plan_states])
    job_starts = suppress_group([n for _m, n in dashboard.job_starts_per_month])
    # The plan agreements add up to the active trajectories (the phases at most, as a trajectory
    # without a phase change has none): where their total must stay hidden, so must this count.
    active = suppress(dashboard.active)
    if COMPLEMENTARY in (phases.total, plan_states.total):
        active = COMPLEMENTARY
    months = [m.strftime("%m-%y") for m, _n in dashboard.started_per_month]
    charts = {
        "started": bar_chart(
            title=str(_("Trajectories started per month")), labels=months,
            series=[Series(str(_("Started")), started.cells)],
        ),
    }
    if dashboard.phases:
        charts["phases"] = bar_chart(
            title=str(_("Active trajectories per IPS phase")), labels=[label for label, _n in dashboard.phases],
            series=[Series(str(_("Trajectories")), phases.cells)], height=320,
        )
    if dashboard.job_starts_per_month:
        charts["jobs"] = bar_chart(
            title=str(_("Job starts per month")), labels=months,
            series=[Series(str(_("Job starts")), job_starts.cells)],
        )
    links = []
    for label, name in ((_("Ambassador report"), "ambassadors:report"), (_("Experience experts report"), "experience_experts:report")):
        try:
            links.append((label, reverse(name)))
        except NoReverseMatch:
            continue
    return {
        "form": form, "d": dashboard, "charts": charts, "links": links,
        "active": active, "outcomes": _outcomes(dashboard.outcomes),
        "phases": _pairs(dashboard.phases, phases),
        "plan_states": _pairs(dashboard.plan_states, plan_states),
        "started": _pairs(dashboard.started_per_month, started),
        "job_starts": _pairs(dashboard.job_starts_per_month, job_starts),
        "small": SMALL, "query": request.GET.urlencode(),
    }


@login_required
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "reporting/dashboard.html", _context(request))


@login_required
def pdf(request: HttpRequest) -> HttpResponse:
    return render_pdf(request, "reporting/dashboard.html", _context(request), filename="werkbrug-regio.pdf")
