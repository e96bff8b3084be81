"""API views: caseload, trajectory, team, plan director, intake. Same selectors and services as the pages.

Writes fetch-and-authorize the trajectory (`selectors.trajectory_get` with the write action)
before they read the body: a missing and a forbidden trajectory answer the same 404."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from werkbrug.core.policy.trajectories import trajectory_categories

from .. import selectors, services
from ..intake import SECTIONS
from ..paging import page_of
from .serializers import (
    ArchiveItemOut,
    CaseloadItemOut,
    CloseIn,
    HandOverIn,
    IntakeIn,
    IntakeOut,
    ReopenIn,
    TeamMemberIn,
    TeamMemberOut,
    TrajectoryOut,
)


class CaseloadPagination(BasePagination):
    """`page` and `page_size` (max 100); `next`/`previous` links and no total count (see paging.py)."""

    page_size = 50

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        try:
            size = max(1, min(int(request.query_params.get("page_size", self.page_size)), 100))
        except ValueError:
            size = self.page_size
        self.page = page_of(queryset, request.query_params.get("page"), size)
        return self.page.items

    def _link(self, number: int | None) -> str | None:
        if number is None:
            return None
        return replace_query_param(self.request.build_absolute_uri(), "page", number)

    def get_paginated_response(self, data):
        return Response({
            "next": self._link(self.page.number + 1 if self.page.has_next else None),
            "previous": self._link(self.page.number - 1 if self.page.has_previous else None),
            "page": self.page.number,
            "results": data,
        })

    def get_paginated_response_schema(self, schema):
        return {"type": "object", "required": ["results"], "properties": {
            "next": {"type": "string", "nullable": True, "format": "uri"},
            "previous": {"type": "string", "nullable": True, "format": "uri"},
            "page": {"type": "integer"}, "results": schema,
        }}


class CaseloadView(ListAPIView, APIView):
    """Your caseload: active trajectories whose team you are in, with the client's consent."""

    serializer_class = CaseloadItemOut
    pagination_class = CaseloadPagination

    @extend_schema(parameters=[
        OpenApiParameter("q", OpenApiTypes.STR, description="Search by name or client id"),
        OpenApiParameter("role", OpenApiTypes.STR), OpenApiParameter("plan_state", OpenApiTypes.STR),
        OpenApiParameter("mine", OpenApiTypes.BOOL, description="Only where you are plan director"),
        OpenApiParameter("sort", OpenApiTypes.STR, enum=list(selectors.SORTS)),
    ], operation_id="trajectories_caseload")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = self.request.query_params
        return selectors.caseload_search(
            user=self.request.user, q=params.get("q", ""), role=params.get("role", ""),
            plan_state=params.get("plan_state", ""), sort=params.get("sort", "name"),
            i_direct=params.get("mine", "").lower() in ("1", "true", "yes"),
        )


def trajectory_out(trajectory) -> dict:
    return TrajectoryOut(trajectory, context={
        "members": selectors.team_members(trajectory=trajectory),
        "history": selectors.plan_director_history(trajectory=trajectory),
        "intake": selectors.intake_for(trajectory=trajectory),
        "events": selectors.trajectory_events(trajectory=trajectory),
    }).data


class TrajectoryDetailView(APIView):
    @extend_schema(responses=TrajectoryOut, operation_id="trajectories_retrieve")
    def get(self, request, pk: int):
        return Response(trajectory_out(selectors.trajectory_get(user=request.user, pk=pk)))


class TeamView(APIView):
    @extend_schema(request=TeamMemberIn, responses={201: TeamMemberOut}, operation_id="trajectories_team_add")
    def post(self, request, pk: int):
        trajectory = selectors.trajectory_get(user=request.user, pk=pk, action="team.change")
        data = TeamMemberIn(data=request.data)
        data.is_valid(raise_exception=True)
        person = selectors.team_candidate_get(trajectory=trajectory, pk=data.validated_data["person"])
        member = services.team_member_add(
            trajectory=trajectory, person=person, role=data.validated_data["role"], added_by=request.user,
            as_plan_director=data.validated_data["plan_director"],
        )
        return Response(TeamMemberOut(member).data, status=status.HTTP_201_CREATED)


class TeamMemberView(APIView):
    @extend_schema(request=None, responses={204: None}, operation_id="trajectories_team_remove")
    def delete(self, request, pk: int, member_pk: int):
        trajectory = selectors.trajectory_get(user=request.user, pk=pk, action="team.change")
        membership = selectors.team_membership_of(trajectory=trajectory, pk=member_pk)
        services.team_member_remove(membership=membership, removed_by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class HandOverView(APIView):
    @extend_schema(request=HandOverIn, responses=TrajectoryOut, operation_id="trajectories_hand_over")
    def post(self, request, pk: int):
        trajectory = selectors.trajectory_get(user=request.user, pk=pk, action="trajectory.hand_over")
        data = HandOverIn(data=request.data)
        data.is_valid(raise_exception=True)
        new = selectors.team_candidate_get(trajectory=trajectory, pk=data.validated_data["new_director"])
        trajectory = services.plan_director_hand_over(
            trajectory=trajectory, new_director=new, handed_over_by=request.user,
            note=data.validated_data.get("note", ""),
        )
        return Response(trajectory_out(selectors.trajectory_reread(trajectory)))


class CloseView(APIView):
    @extend_schema(request=CloseIn, responses=TrajectoryOut, operation_id="trajectories_close")
    def post(self, request, pk: int):
        trajectory = selectors.trajectory_check(user=request.user, pk=pk, action="trajectory.close")
        data = CloseIn(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        services.trajectory_close(trajectory=trajectory, closed_by=request.user, reason=v["reason"],
                                  outcome=v["outcome"], note=v.get("note", ""), ended_on=v.get("ended_on"))
        return Response(trajectory_out(selectors.trajectory_reread(trajectory)))


class ReopenView(APIView):
    @extend_schema(request=ReopenIn, responses=TrajectoryOut, operation_id="trajectories_reopen")
    def post(self, request, pk: int):
        trajectory = selectors.trajectory_check(user=request.user, pk=pk, action="trajectory.reopen")
        data = ReopenIn(data=request.data)
        data.is_valid(raise_exception=True)
        services.trajectory_reopen(trajectory=trajectory, reopened_by=request.user,
                                   reason=data.validated_data["reason"])
        return Response(trajectory_out(selectors.trajectory_reread(trajectory)))


class ArchivePagination(CaseloadPagination):
    page_size = 50


class ArchiveView(ListAPIView, APIView):
    """The archive: closed trajectories of your former teams (read-only)."""

    serializer_class = ArchiveItemOut
    pagination_class = ArchivePagination

    @extend_schema(parameters=[
        OpenApiParameter("q", OpenApiTypes.STR, description="Search by name or client id"),
        OpenApiParameter("reason", OpenApiTypes.STR, description="Reason for closing"),
    ], operation_id="trajectories_archive")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = self.request.query_params
        return selectors.archive_search(user=self.request.user, q=params.get("q", "")[:100],
                                        reason=params.get("reason", "")[:24])


def intake_out(user, trajectory) -> dict:
    intake = selectors.intake_for(trajectory=trajectory)
    categories = trajectory_categories(user, trajectory)
    sections = []
    for section in SECTIONS:
        shared = section.category in categories
        sections.append({
            "key": section.key, "title": str(section.title), "category": section.category, "shared": shared,
            "values": ({name: getattr(intake, name) if intake else None for name in section.fields} if shared else None),
        })
    return {
        "status": intake.status if intake else None, "version": intake.version if intake else 0,
        "completed_at": intake.completed_at if intake else None, "sections": sections,
    }


class IntakeView(APIView):
    @extend_schema(responses=IntakeOut, operation_id="trajectories_intake_retrieve")
    def get(self, request, pk: int):
        trajectory = selectors.trajectory_get(user=request.user, pk=pk, action="intake.view")
        return Response(intake_out(request.user, trajectory))

    @extend_schema(request=IntakeIn, responses=IntakeOut, operation_id="trajectories_intake_save")
    def put(self, request, pk: int):
        trajectory = selectors.trajectory_check(user=request.user, pk=pk, action="intake.change")
        data = IntakeIn(data=request.data)
        data.is_valid(raise_exception=True)
        services.intake_save(
            trajectory=trajectory, saved_by=request.user, data=data.validated_data["data"],
            expected_version=data.validated_data.get("expected_version"),
            complete=data.validated_data["complete"],
        )
        return Response(intake_out(request.user, trajectory))
