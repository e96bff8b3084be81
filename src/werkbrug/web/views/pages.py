"""Home, the region's directory, the access-log search for the privacy officer, health."""

from __future__ import annotations

from datetime import datetime, time

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werkbrug.core import policy, selectors
from werkbrug.core.access_log import access_log_search
from werkbrug.core.models.access_log import AccessCode


def health(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("web:login")
    from werkbrug.web.my_work import sections_for

    sections = sections_for(request.user)
    request.my_work_sections = sections  # the navigation's counts are these lists' totals
    return render(request, "web/home.html", {"nav_cards": True, "my_work": sections})


@login_required
def organisations(request: HttpRequest) -> HttpResponse:
    policy.authorize(request.user, "organisation.view", None)
    orgs = selectors.organisation_list(region_id=request.user.region_id)
    return render(request, "web/directory/organisations.html", {"organisations": orgs})


@login_required
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    org = selectors.organisation_get(user=request.user, pk=pk)
    people = selectors.person_list(organisation=org)
    return render(
        request, "web/directory/organisation.html", {"organisation": org, "people": people}
    )


class AccessLogFilter(forms.Form):
    client = forms.CharField(label=_("Client id"), required=False, max_length=16)
    actor = forms.CharField(label=_("Who"), required=False, max_length=100)
    code = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("All"))] + list(AccessCode.choices)
    )
    granted = forms.ChoiceField(
        label=_("Outcome"),
        required=False,
        choices=[("", _("All")), ("1", _("Granted")), ("0", _("Denied"))],
    )
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Up to and including"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            raise forms.ValidationError(_("The end date lies before the start date."))
        return data


@login_required
def access_log(request: HttpRequest) -> HttpResponse:
    policy.authorize(request.user, "access_log.search", None)
    form = AccessLogFilter(request.GET or None)
    records = None
    if form.is_valid():
        data = form.cleaned_data
        tz = timezone.get_current_timezone()
        records = access_log_search(
            region_id=request.user.region_id,
            client_pseudonym=data["client"].strip().upper(),
            actor=data["actor"].strip(),
            code=data["code"],
            granted={"1": True, "0": False}.get(data["granted"]),
            since=datetime.combine(data["since"], time.min, tz) if data["since"] else None,
            until=datetime.combine(data["until"], time.max, tz) if data["until"] else None,
        )
    elif not request.GET:
        records = access_log_search(region_id=request.user.region_id)
    page = Paginator(records, 50).get_page(request.GET.get("page")) if records is not None else None
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "web/access_log/search.html", {"form": form, "page": page, "query": query.urlencode()}
    )
