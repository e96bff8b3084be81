from datetime import date, timedelta

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werkbrug.core import policy
from werkbrug.web.charts import Series, bar_chart
from werkbrug.web.pdf import render_pdf

from .selectors import region_dashboard, suppress


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


def _context(request: HttpRequest) -> dict:
    policy.authorize(request.user, "region_dashboard.view", request.user.region)
    form = PeriodForm(request.GET or None)
    start, end = _period(form)
    dashboard = region_dashboard(region=request.user.region, start=start, end=end)
    months = [m.strftime("%m-%y") for m, _n in dashboard.started_per_month]
    charts = {
        "started": bar_chart(
            title=str(_("Trajectories started per month")), labels=months,
            series=[Series(str(_("Started")), [n for _m, n in dashboard.started_per_month])],
        ),
    }
    if dashboard.phases:
        charts["phases"] = bar_chart(
            title=str(_("Active trajectories per IPS phase")), labels=[label for label, _n in dashboard.phases],
            series=[Series(str(_("Trajectories")), [n for _l, n in dashboard.phases])], height=320,
        )
    if dashboard.job_starts_per_month:
        charts["jobs"] = bar_chart(
            title=str(_("Job starts per month")), labels=months,
            series=[Series(str(_("Job starts")), [n for _m, n in dashboard.job_starts_per_month])],
        )
    links = []
    for label, name in ((_("Ambassador report"), "ambassadors:report"), (_("Experience experts report"), "experience_experts:report")):
        try:
            links.append((label, reverse(name)))
        except NoReverseMatch:
            continue
    return {
        "form": form, "d": dashboard, "charts": charts, "links": links,
        "phases": [(label, suppress(n)) for label, n in dashboard.phases],
        "plan_states": [(label, suppress(n)) for label, n in dashboard.plan_states],
        "started": [(m, suppress(n)) for m, n in dashboard.started_per_month],
        "job_starts": [(m, suppress(n)) for m, n in dashboard.job_starts_per_month],
        "query": request.GET.urlencode(),
    }


@login_required
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "reporting/dashboard.html", _context(request))


@login_required
def pdf(request: HttpRequest) -> HttpResponse:
    return render_pdf(request, "reporting/dashboard.html", _context(request), filename="werkbrug-regio.pdf")
