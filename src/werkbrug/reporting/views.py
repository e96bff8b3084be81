"""The regional dashboard: page, PDF, CSV of every table, the region's targets and the monthly
report subscription. Every view authorizes before it reads a parameter."""

from __future__ import annotations

import csv
import io
from datetime import date

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from werkbrug.core import policy
from werkbrug.core.spreadsheets import spreadsheet_row
from werkbrug.core.suppression import SMALL
from werkbrug.web.charts import dutch_number
from werkbrug.web.forms import apply_validation_error
from werkbrug.web.pdf import render_pdf

from . import drilldown, presentation, services
from .models import Figure, ReportSubscription, Target
from .period import MAX_YEARS_BACK, Period, default_period, earliest_start
from .selectors import region_dashboard, region_organisation, targets_for


class PeriodForm(forms.Form):
    start = forms.DateField(label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=gettext_lazy("Up to and including"), required=False,
                          widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.clamped = False

    def clean_start(self):
        start = self.cleaned_data.get("start")
        if start is None:
            return start
        if start > self.today:
            raise ValidationError(_("The start date lies in the future: figures stop at today."))
        if start < earliest_start(self.today):
            raise ValidationError(
                _("The start date may lie at most %(years)d years back (from %(date)s).")
                % {"years": MAX_YEARS_BACK, "date": date_format(earliest_start(self.today), "j F Y")})
        return start

    def clean_end(self):
        end = self.cleaned_data.get("end")
        if end is not None and end > self.today:
            self.clamped = True  # figures stop at today: never projected into the future
            return self.today
        if end is not None and end < earliest_start(self.today):
            raise ValidationError(_("The end date lies before the earliest possible start."))
        return end

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise ValidationError(_("The end date lies before the start date."))
        return data


def _period(request: HttpRequest) -> tuple[PeriodForm, Period]:
    today = timezone.localdate()
    form = PeriodForm(request.GET or None, today=today)
    period = default_period(today)
    if form.is_bound and form.is_valid():
        end = form.cleaned_data.get("end") or period.end
        # Only an end given: the twelve months up to it.
        period = Period(start=form.cleaned_data.get("start") or default_period(end).start, end=end)
    return form, period


def _links(user, period: Period) -> list[tuple[str, str]]:
    """The ambassador and experience-experts reports, over the same period, for those their rules
    let in (a portfolio holder reads the dashboard only)."""
    query = urlencode({"start": period.start.isoformat(), "end": period.end.isoformat()})
    links = []
    for label, name, action in ((_("Ambassador report"), "ambassadors:report", "ambassador_report.view"),
                                (_("Experience experts report"), "experience_experts:reports", "ee_report.view")):
        if action and not policy.can(user, action, None):
            continue
        try:
            links.append((label, f"{reverse(name)}?{query}"))
        except NoReverseMatch:
            continue
    return links


def _context(request: HttpRequest) -> dict:
    region = request.user.region
    policy.authorize(request.user, "region_dashboard.view", region)
    form, period = _period(request)
    today = timezone.localdate()
    dashboard = region_dashboard(region=region, start=period.start, end=period.end, today=today)
    previous_period = period.previous()
    previous = region_dashboard(region=region, start=previous_period.start, end=previous_period.end, today=today)
    targets = targets_for(region)
    tables = presentation.tables(dashboard)
    rows = presentation.figure_rows(presentation.shown_figures(dashboard), presentation.shown_figures(previous),
                                    targets)
    return {
        "form": form, "clamped": form.clamped, "d": dashboard, "previous_period": previous_period,
        "figures": rows, "charts": presentation.charts(dashboard, tables), "links": _links(request.user, period), **tables,
        "small": SMALL, "query": request.GET.urlencode(), "printed_on": date_format(timezone.localtime(), "j F Y, H:i"),
        "may_set_targets": policy.can(request.user, "region_dashboard.targets", region),
        "subscribed": ReportSubscription.objects.filter(person=request.user).exists(),
        "csv_tables": list(CSV_TABLES.items()), "organisation_rows": [(o.organisation_id, *row) for o, row in
                              zip(dashboard.organisations, tables["organisations"], strict=True)],
    }


@login_required
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "reporting/dashboard.html", {**_context(request), "drill": True})


@login_required
def pdf(request: HttpRequest) -> HttpResponse:
    return render_pdf(request, "reporting/pdf.html", _context(request), filename="werkbrug-regio.pdf")


# --- CSV ---------------------------------------------------------------------------------------

CSV_TABLES = {
    "figures": gettext_lazy("Headline figures"), "started": gettext_lazy("Trajectories started per month"),
    "phases": gettext_lazy("IPS phases"), "plans": gettext_lazy("Plans"),
    "organisations": gettext_lazy("By organisation"), "jobs": gettext_lazy("Job starts per month"),
}


def _cell(value) -> object:
    """A figure as a Dutch spreadsheet reads it: decimal comma; markers ("<5", "x") as text."""
    if isinstance(value, str) or value is None:
        return value if value is not None else ""
    if isinstance(value, int):
        return str(value)
    return dutch_number(value)


def _csv_rows(table: str, context: dict) -> list[list]:
    if table == "figures":
        header = [_("Figure"), _("Value"), _("Previous period"), _("Difference"), _("Target")]
        return [header] + [[r.label, _cell(r.value), r.previous, r.difference.replace("\u2212", "-"), r.target]
                           for r in context["figures"]]
    if table == "organisations":
        header = [_("Organisation"), _("Running"), _("Started"), _("Active at the end"), _("With paid work")]
        return [header] + [[name, *map(_cell, cells)] for name, *cells in context["organisations"]]
    if table == "months":
        header = [_("Month"), _("Running"), _("Started"), _("Active at the end"), _("With paid work"),
                  _("Job starts")]
        return [header] + [[date_format(month, "F Y"), *map(_cell, cells)] for month, *cells in context["months"]]
    key, header = {
        "started": ("started", [_("Month"), _("Started")]),
        "phases": ("phases", [_("Phase"), _("Trajectories")]),
        "plans": ("plan_states", [_("Agreement"), _("Trajectories")]),
        "jobs": ("job_starts", [_("Month"), _("Job starts")]),
    }[table]
    return [header] + [[date_format(label, "F Y") if isinstance(label, date) else label, _cell(n)]
                       for label, n in context[key]]


@login_required
def csv_download(request: HttpRequest) -> HttpResponse:
    """One table of the dashboard as shown (suppressed), as CSV for Dutch spreadsheets: UTF-8 with
    a byte-order mark, semicolons between cells, decimal commas, no cell run as a formula."""
    context = _context(request)  # authorizes first
    return _csv_response(request, context, CSV_TABLES, "werkbrug-regio")


def _csv_response(request: HttpRequest, context: dict, tables: dict, name: str) -> HttpResponse:
    table = request.GET.get("table", "figures")
    if table not in tables:
        raise Http404
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    period = context["d"]
    writer.writerow(spreadsheet_row([_("Period"), period.start.isoformat(), period.end.isoformat()]))
    for row in _csv_rows(table, context):
        writer.writerow(spreadsheet_row(row))
    response = HttpResponse(out.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{name}-{table}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.csv"')
    return response


# --- drill-down: an organisation per month, a month per organisation ---------------------------

ORGANISATION_CSV_TABLES = {
    "figures": gettext_lazy("Headline figures"), "months": gettext_lazy("Per month"),
}
MONTH_CSV_TABLES = {
    "figures": gettext_lazy("Headline figures"), "organisations": gettext_lazy("By organisation"),
}


def _organisation_context(request: HttpRequest, organisation_id: int) -> dict:
    region = request.user.region
    policy.authorize(request.user, "region_dashboard.view", region)
    organisation = region_organisation(region=region, organisation_id=organisation_id)
    if organisation is None:
        raise Http404
    form, period = _period(request)
    context = drilldown.organisation_view(region=region, organisation=organisation, period=period,
                                          today=timezone.localdate())
    return {**context, "form": form, "clamped": form.clamped, "query": request.GET.urlencode(),
            "csv_tables": list(ORGANISATION_CSV_TABLES.items()), "small": SMALL}


def _month_context(request: HttpRequest, year: int, month: int) -> dict:
    region = request.user.region
    policy.authorize(request.user, "region_dashboard.view", region)
    month_period = drilldown.month_period(year, month, timezone.localdate())
    if month_period is None:
        raise Http404
    # The dashboard's period the manager came from: its grid is the one suppressed as a whole.
    _form, period = _period(request)
    context = drilldown.month_view(region=region, month=month_period, period=period, today=timezone.localdate())
    # The organisations link to their months over the dashboard's period the manager came from.
    return {**context, "query": request.GET.urlencode(), "csv_tables": list(MONTH_CSV_TABLES.items()),
            "small": SMALL, "drill": True,
            "organisation_rows": [(pk, *row) for pk, row in
                                  zip(context["organisation_ids"], context["organisations"], strict=True)]}


@login_required
def organisation(request: HttpRequest, organisation_id: int) -> HttpResponse:
    return render(request, "reporting/organisation.html", _organisation_context(request, organisation_id))


@login_required
def organisation_csv(request: HttpRequest, organisation_id: int) -> HttpResponse:
    context = _organisation_context(request, organisation_id)  # authorizes first
    return _csv_response(request, context, ORGANISATION_CSV_TABLES, f"werkbrug-organisatie-{organisation_id}")


@login_required
def month(request: HttpRequest, year: int, month: int) -> HttpResponse:
    return render(request, "reporting/month.html", _month_context(request, year, month))


@login_required
def month_csv(request: HttpRequest, year: int, month: int) -> HttpResponse:
    context = _month_context(request, year, month)  # authorizes first
    return _csv_response(request, context, MONTH_CSV_TABLES, "werkbrug-maand")


# --- targets and the monthly report ------------------------------------------------------------


class TargetForm(forms.Form):
    def __init__(self, *args, initial_values: dict, **kwargs):
        super().__init__(*args, **kwargs)
        for figure, label in Figure.choices:
            self.fields[figure] = forms.DecimalField(
                label=label, required=False, min_value=0, max_value=9_999_999, decimal_places=1, max_digits=9,
                initial=initial_values.get(figure), localize=True,
                help_text=_("IPS benchmarks: 31 % minimal, 41 % average, 50 % excellent.")
                if figure == Figure.EMPLOYED_SHARE else "",
            )


@login_required
def targets(request: HttpRequest) -> HttpResponse:
    region = request.user.region
    policy.authorize(request.user, "region_dashboard.targets", region)
    current = targets_for(region)
    form = TargetForm(request.POST or None, initial_values=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.targets_set(region=region, by=request.user, values=form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The targets are saved."))
            return redirect("reporting:targets")
    return render(request, "reporting/targets.html", {"form": form, "targets": Target.objects.filter(region=region)})


@login_required
@require_POST
def subscription(request: HttpRequest) -> HttpResponse:
    policy.authorize(request.user, "region_dashboard.view", request.user.region)
    subscribe = request.POST.get("subscribe") == "1"
    services.subscription_set(person=request.user, subscribed=subscribe)
    messages.success(request, _("You will receive the monthly report.") if subscribe
                     else _("You no longer receive the monthly report."))
    return redirect("reporting:index")
