"""The portal API for the signed-in client: own plan and its versions (also as PDF), answers,
ticking off own actions, team, signals, consents, access log, the whole file as JSON, correction
requests. The same selectors and services as the portal pages."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import api_view, renderer_classes
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from werkbrug.api.pagination import Pagination
from werkbrug.clients.models import ConsentMethod
from werkbrug.clients.services import consent_grant, consent_withdraw
from werkbrug.collaboration.api.serializers import SignalOut
from werkbrug.core import policy
from werkbrug.core.models import Organisation
from werkbrug.plans import selectors as plan_selectors
from werkbrug.plans import services as plan_services
from werkbrug.plans.api import views as plan_api
from werkbrug.plans.api.serializers import (
    ActionOut,
    AgreeIn,
    AnswerOut,
    DisagreeIn,
    PlanOut,
    VersionSummaryOut,
)
from werkbrug.plans.document import plan_pdf as render_plan_pdf

from .. import export, selectors, services
from .serializers import (
    AccessLogOut,
    ActionTickIn,
    ConsentChangeIn,
    ConsentRowOut,
    CorrectionIn,
    CorrectionOut,
    TeamOut,
)


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


@extend_schema(responses=plan_api.PDF_RESPONSE)
@api_view(["GET"])
@renderer_classes([JSONRenderer, plan_api.PDFRenderer])
def plan_pdf(request):
    """My plan as a PDF: the version everyone agreed to, else the current one."""
    trajectory = _own_plan(request, "plan.print")
    version = plan_selectors.agreed_or_current(trajectory=trajectory)
    if version is None:
        raise Http404
    return render_plan_pdf(request._request, trajectory=trajectory, version=version)


@extend_schema(request=ActionTickIn, responses=ActionOut)
@api_view(["POST"])
def action_tick(request, action_pk: int):
    """Tick off (`done: true`) or un-tick one of my own actions; my plan director is told."""
    action = plan_selectors.action_find(pk=action_pk)
    if action is None:
        raise Http404
    policy.check(request.user, "plan.action_tick", action)  # the service logs the one record
    data = ActionTickIn(data=request.data)
    data.is_valid(raise_exception=True)
    with plan_api.service_errors():
        action = plan_services.action_tick(action=action, person=request.user, done=data.validated_data["done"])
    return Response(ActionOut(action).data)


@extend_schema(responses={(200, "application/json"): OpenApiTypes.OBJECT})
@api_view(["GET"])
def export_json(request):
    """Everything Werkbrug keeps about me (AVG art. 15 and 20), with the whole access log,
    streamed as one JSON document (`format`: `werkbrug-client-export/1`). Logged as an export."""
    client = selectors.portal_client(user=request.user, action="portal.export")
    return export.json_response(client=client)


@extend_schema(methods=["GET"], responses=CorrectionOut(many=True))
@extend_schema(methods=["POST"], request=CorrectionIn, responses={201: CorrectionOut})
@api_view(["GET", "POST"])
def corrections(request):
    """GET: my correction requests and their answers. POST: ask my plan director to correct something."""
    if request.method == "GET":
        client = selectors.portal_client(user=request.user, action="portal.corrections")
        return Response(CorrectionOut(selectors.portal_corrections(client=client), many=True).data)
    client = selectors.own_client(request.user)
    policy.check(request.user, "portal.correction", client)  # the service logs the one record
    data = CorrectionIn(data=request.data)
    data.is_valid(raise_exception=True)
    with plan_api.service_errors():
        made = services.correction_request_create(client=client, person=request.user, **data.validated_data)
    return Response(CorrectionOut(made).data, status=status.HTTP_201_CREATED)
