"""`/api/v1/reports/…`: the region's targets for the dashboard's figures, and the drill-down.

Everyone who may see the dashboard reads them; region administrators set the targets (`PUT`, one
figure at a time; a null value removes the target). The drill-down (an organisation per month,
a month per organisation) gives the same suppressed figures as the pages."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.response import Response

from werkbrug.core import policy

from .. import drilldown, services
from ..models import Figure
from ..period import Period, default_period
from ..presentation import MONTH_COLUMNS
from ..selectors import region_organisation, targets_for
from .serializers import (
    MonthDrillDownOut,
    OrganisationDrillDownOut,
    ReportTargetIn,
    ReportTargetOut,
)


def _all(region) -> list[dict]:
    values = targets_for(region)
    return [{"figure": figure, "label": str(label), "value": values.get(figure)} for figure, label in Figure.choices]


@extend_schema(methods=["GET"], responses=ReportTargetOut(many=True))
@extend_schema(methods=["PUT"], request=ReportTargetIn, responses=ReportTargetOut(many=True))
@api_view(["GET", "PUT"])
def targets(request):
    """The region's target for every figure of the dashboard (null: no target)."""
    region = request.user.region
    if request.method == "PUT":
        policy.authorize(request.user, "region_dashboard.targets", region)
        data = ReportTargetIn(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            services.target_set(region=region, by=request.user, figure=data.validated_data["figure"],
                                value=data.validated_data["value"])
        except ValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from exc
    else:
        policy.authorize(request.user, "region_dashboard.view", region)
    return Response(ReportTargetOut(_all(region), many=True).data)


def _period(request) -> Period:
    """The period from `start` and `end` as the dashboard reads them; a bad one is a 400."""
    from ..views import PeriodForm

    today = timezone.localdate()
    form = PeriodForm(request.query_params or None, today=today)
    period = default_period(today)
    if form.is_bound:
        if not form.is_valid():
            raise serializers.ValidationError(form.errors.get_json_data())
        end = form.cleaned_data.get("end") or period.end
        period = Period(start=form.cleaned_data.get("start") or default_period(end).start, end=end)
    return period


PERIOD_PARAMETERS = [
    OpenApiParameter("start", type=OpenApiTypes.DATE, location=OpenApiParameter.QUERY, description="First day (YYYY-MM-DD); default: "
                     "the first of the month eleven months ago"),
    OpenApiParameter("end", type=OpenApiTypes.DATE, location=OpenApiParameter.QUERY, description="Last day (YYYY-MM-DD), cut at today"),
]


@extend_schema(responses=OrganisationDrillDownOut, parameters=PERIOD_PARAMETERS)
@api_view(["GET"])
def organisation(request, organisation_id: int):
    """One organisation's figures over the period (beside the previous period and the targets
    for shares, the median and the mean), and per month; counts suppressed as on the page."""
    region = request.user.region
    policy.authorize(request.user, "region_dashboard.view", region)
    found = region_organisation(region=region, organisation_id=organisation_id)
    if found is None:
        raise Http404
    period = _period(request)
    view = drilldown.organisation_view(region=region, organisation=found, period=period,
                                       today=timezone.localdate())
    return Response(OrganisationDrillDownOut({
        "organisation_id": found.pk, "organisation": found.name, "start": view["d"].start, "end": view["d"].end,
        "figures": view["figures"],
        "months": [dict(zip(("month", *MONTH_COLUMNS), row, strict=True)) for row in view["months"]],
    }).data)


@extend_schema(responses=MonthDrillDownOut, parameters=PERIOD_PARAMETERS)
@api_view(["GET"])
def month(request, year: int, month: int):
    """One calendar month's figures for the region (beside the month before and the targets),
    and per organisation; counts suppressed as on the page. `start` and `end` name the dashboard's
    period whose organisation × month grid is suppressed as a whole (the month's twelve months
    when it does not lie wholly in it)."""
    region = request.user.region
    policy.authorize(request.user, "region_dashboard.view", region)
    month_period = drilldown.month_period(year, month, timezone.localdate())
    if month_period is None:
        raise Http404
    period = _period(request)
    view = drilldown.month_view(region=region, month=month_period, period=period, today=timezone.localdate())
    columns = ("organisation_id", "organisation", "running", "started", "active", "employed")
    return Response(MonthDrillDownOut({
        "start": view["d"].start, "end": view["d"].end, "figures": view["figures"],
        "organisations": [dict(zip(columns, (pk, *row), strict=True))
                          for pk, row in zip(view["organisation_ids"], view["organisations"], strict=True)],
    }).data)
