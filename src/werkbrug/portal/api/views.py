"""The portal API for the signed-in client: own plan and its versions, answers, team, signals,
consents, access log. The same selectors and services as the portal pages."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import api_view
from rest_framework.response import Response

from werkbrug.api.pagination import Pagination
from werkbrug.clients.models import ConsentMethod
from werkbrug.clients.services import consent_grant, consent_withdraw
from werkbrug.collaboration.api.serializers import SignalOut
from werkbrug.core.models import Organisation
from werkbrug.plans import selectors as plan_selectors
from werkbrug.plans.api import views as plan_api
from werkbrug.plans.api.serializers import (
    AgreeIn,
    AnswerOut,
    DisagreeIn,
    PlanOut,
    VersionSummaryOut,
)

from .. import selectors
from .serializers import AccessLogOut, ConsentChangeIn, ConsentRowOut, TeamOut


def _trajectory(client):
    trajectory = selectors.portal_trajectory(client=client)
    if trajectory is None:
        raise Http404
    return trajectory


def _own_plan(request, action: str):
    """The signed-in client's trajectory, authorized for `action` on its plan before any input is read."""
    trajectory = _trajectory(selectors.own_client(request.user))
    return plan_selectors.plan_get(user=request.user, trajectory_pk=trajectory.pk, action=action)


@extend_schema(responses=PlanOut)
@api_view(["GET"])
def plan(request):
    """My plan: the current version, its state, and everyone's answer."""
    client = selectors.portal_client(user=request.user, action="portal.plan")
    return Response(plan_api.plan_payload(_trajectory(client)))


@extend_schema(responses=VersionSummaryOut(many=True))
@api_view(["GET"])
def versions(request):
    """Every version of my plan, newest first (a version's content: `/api/v1/plans/{id}/versions/{n}/`)."""
    client = selectors.portal_client(user=request.user, action="portal.plan")
    return Response(VersionSummaryOut(plan_selectors.versions(trajectory=_trajectory(client)), many=True).data)


@extend_schema(responses=TeamOut)
@api_view(["GET"])
def team(request):
    """My team: who works with me, from which organisation, and who is my plan director."""
    client = selectors.portal_client(user=request.user)
    trajectory = selectors.portal_trajectory(client=client)
    members = selectors.portal_team(trajectory=trajectory)
    for member in members:
        member.is_plan_director = member.person_id == trajectory.plan_director_id
    return Response(TeamOut({
        "trajectory": trajectory.pk if trajectory else None,
        "plan_director": trajectory.plan_director.get_full_name() if trajectory else None,
        "members": members,
    }).data)


@extend_schema(responses=SignalOut(many=True))
@api_view(["GET"])
def signals(request):
    """The signals about me, newest first (paginated)."""
    client = selectors.portal_client(user=request.user, action="portal.signals")
    paginator = Pagination()
    page = paginator.paginate_queryset(selectors.portal_signals(client=client), request)
    return paginator.get_paginated_response(SignalOut(page, many=True).data)


@extend_schema(request=AgreeIn, responses={201: AnswerOut})
@api_view(["POST"])
def agree(request):
    return plan_api.answer(request, _own_plan(request, "plan.agree"), "agree")


@extend_schema(request=DisagreeIn, responses={201: AnswerOut})
@api_view(["POST"])
def disagree(request):
    return plan_api.answer(request, _own_plan(request, "plan.disagree"), "disagree")


def _rows(client):
    rows = []
    for group in selectors.portal_consents(client=client, trajectory=selectors.portal_trajectory(client=client)):
        for row in group["rows"]:
            rows.append({"organisation": group["organisation"], "category": row["category"].value,
                         "granted": row["granted"], "state": row["display"], "valid_until": row["state"].valid_until if row["state"] else None,
                         "version": row["version"]})
    return rows


@extend_schema(methods=["GET"], responses=ConsentRowOut(many=True))
@extend_schema(methods=["POST"], request=ConsentChangeIn, responses={201: ConsentRowOut})
@api_view(["GET", "POST"])
def consents(request):
    """GET: who may see what. POST: give or withdraw consent (counts at once)."""
    if request.method == "GET":
        client = selectors.portal_client(user=request.user, action="portal.consents")
        return Response(ConsentRowOut(_rows(client), many=True).data)
    client = selectors.own_client(request.user)  # the service authorizes and logs the change
    data = ConsentChangeIn(data=request.data)
    data.is_valid(raise_exception=True)
    organisation = Organisation.objects.filter(pk=data.validated_data["organisation"], region_id=client.region_id).first()
    if organisation is None:
        raise Http404
    service = consent_grant if data.validated_data["give"] else consent_withdraw
    with plan_api.service_errors():
        state = service(client=client, organisation=organisation, category=data.validated_data["category"],
                        recorded_by=request.user, method=ConsentMethod.PORTAL,
                        expected_version=data.validated_data.get("version"))
    return Response(ConsentRowOut({"organisation": organisation, "category": state.category,
                                   "granted": state.is_current(), "state": state.display_state, "valid_until": state.valid_until, "version": state.version}).data,
                    status=status.HTTP_201_CREATED)


@extend_schema(responses=AccessLogOut(many=True))
@api_view(["GET"])
def access_log(request):
    """Who looked at my file, newest first (paginated)."""
    client = selectors.portal_client(user=request.user, action="portal.access_log")
    paginator = Pagination()
    page = paginator.paginate_queryset(selectors.portal_access_log(client=client), request)
    return paginator.get_paginated_response(AccessLogOut(page, many=True).data)
