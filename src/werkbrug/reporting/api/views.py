"""`/api/v1/reports/targets/`: the region's targets for the dashboard's figures.

Everyone who may see the dashboard reads them; region administrators set them (`PUT`, one figure
at a time; a null value removes the target)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.response import Response

from werkbrug.core import policy

from .. import services
from ..models import Figure
from ..selectors import targets_for
from .serializers import ReportTargetIn, ReportTargetOut


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
