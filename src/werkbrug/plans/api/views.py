"""The plan API: the same selectors and services as the pages, the same policy and access log.

Every endpoint fetches the trajectory through `selectors.plan_get` with the action it is about to
do before it reads the body: a missing and a forbidden plan answer the same 404."""

from __future__ import annotations

from contextlib import contextmanager

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import api_view, renderer_classes
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from werkbrug.api.exceptions import Conflict
from werkbrug.api.params import int_param

from .. import selectors, services
from ..diff import version_diff
from ..document import plan_pdf
from .serializers import (
    ActionOut,
    ActionStatusIn,
    AgreeIn,
    AnswerOut,
    ChangeOut,
    DisagreeIn,
    GoalOut,
    PlanOut,
    PlanSaveIn,
    SubmitIn,
    VersionOut,
    VersionSummaryOut,
)


@contextmanager
def service_errors():
    """A version conflict is 409; other service errors reach the shared problem+json handler."""
    try:
        yield
    except services.PlanConflict as exc:
        raise Conflict(detail=exc.messages[0]) from exc


def _full(version):
    """The version with its goals, actions and answers in a fixed number of queries."""
    from django.db.models import prefetch_related_objects

    if version is not None:
        prefetch_related_objects([version], "goals__actions", "responses__person")
    return version


def plan_payload(trajectory) -> dict:
    overview = selectors.plan_overview(trajectory=trajectory)
    return PlanOut({
        "trajectory": trajectory, "revision": selectors.plan_revision(trajectory=trajectory),
        "state": overview.state, "version": _full(overview.version),
        "participants": overview.participants, "waiting_for": overview.waiting_for,
    }).data


@extend_schema(responses=PlanOut)
@api_view(["GET"])
def plan_detail(request, trajectory_pk: int):
    """The plan: current version, its state, and everyone's answer."""
    trajectory = selectors.plan_get(user=request.user, trajectory_pk=trajectory_pk)
    return Response(plan_payload(trajectory))


def _goal_input(data: list[dict]) -> list[services.GoalInput]:
    return [
        services.GoalInput(
            key=g.get("key"), title=g["title"], description=g.get("description", ""),
            actions=[services.ActionInput(key=a.get("key"), title=a["title"], owner=a["owner"], due_on=a["due_on"],
                                          status=a["status"]) for a in g.get("actions", [])],
        )
        for g in data
    ]


@extend_schema(methods=["GET"], responses=VersionSummaryOut(many=True))
@extend_schema(methods=["POST"], request=PlanSaveIn, responses={201: VersionOut})
@api_view(["GET", "POST"])
def versions(request, trajectory_pk: int):
    """GET: all versions, newest first. POST: save a new version (409 when `based_on` is stale)."""
    if request.method == "GET":
        trajectory = selectors.plan_get(user=request.user, trajectory_pk=trajectory_pk)
        return Response(VersionSummaryOut(selectors.versions(trajectory=trajectory), many=True).data)
    trajectory = selectors.plan_get(user=request.user, trajectory_pk=trajectory_pk, action="plan.change")
    data = PlanSaveIn(data=request.data)
    data.is_valid(raise_exception=True)
    with service_errors():
        version = services.plan_save(
            trajectory=trajectory, actor=request.user, based_on=data.validated_data["based_on"],
            revision=data.validated_data["revision"],
            goals=_goal_input(data.validated_data["goals"]), note=data.validated_data["note"],
            submit=data.validated_data["submit"],
        )
    return Response(VersionOut(version).data, status=status.HTTP_201_CREATED)


@extend_schema(responses=VersionOut)
@api_view(["GET"])
def version_detail(request, trajectory_pk: int, number: int):
    trajectory = selectors.plan_get(user=request.user, trajectory_pk=trajectory_pk)
    return Response(VersionOut(_full(selectors.version_get(trajectory=trajectory, number=number))).data)


@extend_schema(parameters=[OpenApiParameter("from", int, description="compare with this version (default: the previous one)")],
               responses=ChangeOut(many=True))
@api_view(["GET"])
def version_diff_view(request, trajectory_pk: int, number: int):
    """What changed from version `from` to this version."""
    trajectory = selectors.plan_get(user=request.user, trajectory_pk=trajectory_pk)
    new = selectors.version_get(trajectory=trajectory, number=number)
    old_number = int_param(request, "from", number - 1, minimum=0)
    old = selectors.version_get(trajectory=trajectory, number=old_number) if old_number >= 1 else None
    return Response(ChangeOut(version_diff(old, new), many=True).data)


def _version_from(trajectory, number: int):
    return selectors.version_get(trajectory=trajectory, number=number)


@extend_schema(request=SubmitIn, responses=VersionOut)
@api_view(["POST"])
def submit(request, trajectory_pk: int):
    """Ask everyone to agree to a draft version."""
    trajectory = selectors.plan_get(user=request.user, trajectory_pk=trajectory_pk, action="plan.submit")
    data = SubmitIn(data=request.data)
    data.is_valid(raise_exception=True)
    with service_errors():
        version = services.plan_submit(plan_version=_version_from(trajectory, data.validated_data["version"]), actor=request.user)
    return Response(VersionOut(version).data)


def answer(request, trajectory, kind: str):
    """Agree or disagree; `trajectory` comes from `plan_get` with the action `plan.<kind>`."""
    serializer = (AgreeIn if kind == "agree" else DisagreeIn)(data=request.data)
    serializer.is_valid(raise_exception=True)
    version = _version_from(trajectory, serializer.validated_data["version"])
    with service_errors():
        if kind == "agree":
            response = services.plan_agree(plan_version=version, person=request.user,
                                           for_client=serializer.validated_data["for_client"])
        else:
            response = services.plan_disagree(plan_version=version, person=request.user,
                                              comment=serializer.validated_data["comment"],
                                              for_client=serializer.validated_data["for_client"])
    return Response(AnswerOut(response).data, status=status.HTTP_201_CREATED)


@extend_schema(request=AgreeIn, responses={201: AnswerOut})
@api_view(["POST"])
def agree(request, trajectory_pk: int):
    """Agree to the current version (an older version is refused with 400 `outdated_version`)."""
    return answer(request, selectors.plan_get(user=request.user, trajectory_pk=trajectory_pk, action="plan.agree"),
                  "agree")


@extend_schema(request=DisagreeIn, responses={201: AnswerOut})
@api_view(["POST"])
def disagree(request, trajectory_pk: int):
    """Do not agree to the current version, with a comment."""
    return answer(request, selectors.plan_get(user=request.user, trajectory_pk=trajectory_pk,
                                              action="plan.disagree"), "disagree")


@extend_schema(responses=GoalOut(many=True))
@api_view(["GET"])
def goals(request, trajectory_pk: int):
    """The goals (with their actions) of the current version."""
    trajectory = selectors.plan_get(user=request.user, trajectory_pk=trajectory_pk)
    current = selectors.current_plan(trajectory=trajectory)
    return Response(GoalOut(current.goals.all() if current else [], many=True).data)


@extend_schema(responses=ActionOut(many=True))
@api_view(["GET"])
def actions(request, trajectory_pk: int):
    """The actions of the current version, by due date."""
    trajectory = selectors.plan_get(user=request.user, trajectory_pk=trajectory_pk)
    current = selectors.current_plan(trajectory=trajectory)
    qs = current.actions.select_related("goal").order_by("due_on", "position") if current else []
    return Response(ActionOut(qs, many=True).data)


@extend_schema(request=ActionStatusIn, responses=ActionOut)
@api_view(["POST"])
def action_status(request, trajectory_pk: int, action_pk: int):
    """Record progress on an action (open, done, cancelled); no new version."""
    trajectory = selectors.plan_get(user=request.user, trajectory_pk=trajectory_pk, action="plan.action_status")
    action = selectors.action_of(trajectory=trajectory, pk=action_pk)
    if action is None:
        raise Http404
    data = ActionStatusIn(data=request.data)
    data.is_valid(raise_exception=True)
    with service_errors():
        action = services.action_status_set(action=action, actor=request.user, status=data.validated_data["status"])
    return Response(ActionOut(action).data)


@extend_schema(responses=AnswerOut(many=True))
@api_view(["GET"])
def agreements(request, trajectory_pk: int):
    """Everyone's answers to the current version."""
    trajectory = selectors.plan_get(user=request.user, trajectory_pk=trajectory_pk)
    current = selectors.current_plan(trajectory=trajectory)
    qs = current.responses.select_related("person") if current else []
    return Response(AnswerOut(qs, many=True).data)


class PDFRenderer(BaseRenderer):
    """Lets a client ask for `Accept: application/pdf`; an error is still problem+json."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        return JSONRenderer().render(data)


PDF_RESPONSE = {(200, "application/pdf"): OpenApiTypes.BINARY}


@extend_schema(responses=PDF_RESPONSE)
@api_view(["GET"])
@renderer_classes([JSONRenderer, PDFRenderer])
def plan_pdf_view(request, trajectory_pk: int):
    """The plan as a PDF document: the version everyone agreed to, else the current one (marked
    as not agreed). Access-logged as an export."""
    trajectory = selectors.plan_get(user=request.user, trajectory_pk=trajectory_pk, action="plan.print")
    version = selectors.agreed_or_current(trajectory=trajectory)
    if version is None:
        raise Http404
    return plan_pdf(request._request, trajectory=trajectory, version=version)


@extend_schema(responses=PDF_RESPONSE)
@api_view(["GET"])
@renderer_classes([JSONRenderer, PDFRenderer])
def version_pdf_view(request, trajectory_pk: int, number: int):
    """One version of the plan as a PDF document."""
    trajectory = selectors.plan_get(user=request.user, trajectory_pk=trajectory_pk, action="plan.print")
    return plan_pdf(request._request, trajectory=trajectory,
                    version=selectors.version_get(trajectory=trajectory, number=number))
