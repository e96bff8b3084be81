"""The appointments API: the same selectors, services and policy as the pages.

Every operation that names a trajectory or an appointment fetches it with the action it is
about to do before reading the body: missing and forbidden answer the same 404. Ids in the body
(participants, expert, plan action, deployment request, meeting) are resolved among what the
caller may choose from; anything else is refused without saying what it is.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from werkbrug.api.params import valid_body
from werkbrug.core import policy
from werkbrug.core.models import User
from werkbrug.trajectories import selectors as trajectories

from .. import ical, selectors, services
from . import serializers as s


def _one(queryset, pk, field: str):
    if pk is None:
        return None
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise ValidationError({field: ValidationError(_("Choose one of the options."), code="choice")})
    return found


def _resolve(user: User, trajectory, data: dict) -> dict:
    """Body ids → objects the caller may choose; unknown ids stay ids, which the service refuses."""
    if trajectory is not None:
        people = selectors.participant_choices(trajectory=trajectory)
        region_id = trajectory.region_id
    else:
        people = User.objects.filter(region_id=user.region_id, kind="professional", is_active=True)
        region_id = user.region_id
    if "participants" in data:
        ids = list(dict.fromkeys(data["participants"]))
        found = {p.pk: p for p in people.filter(pk__in=ids)}
        data["participants"] = [found.get(pk, pk) for pk in ids]
    if "expert" in data:
        data["expert"] = _one(selectors.expert_choices(trajectory=trajectory, region_id=region_id), data["expert"], "expert")
    if "plan_action" in data:
        data["plan_action"] = _one(selectors.plan_action_choices(trajectory=trajectory), data["plan_action"], "plan_action")
    if "deployment_request" in data:
        data["deployment_request"] = _one(selectors.request_choices(user=user, trajectory=trajectory),
                                          data["deployment_request"], "deployment_request")
    if "support_group_meeting" in data:
        data["support_group_meeting"] = _one(selectors.meeting_choices(user=user), data["support_group_meeting"],
                                             "support_group_meeting")
    return data


def _detail(pk: int) -> dict:
    # Re-read after a write without authorizing again: the service has just authorized (and logged).
    appointment = selectors.appointment_find(pk)
    return s.AppointmentDetailOut(appointment).data


class MyAppointments(generics.GenericAPIView):
    """The signed-in person's appointments of the last month and later (GET), or plan one without a
    client — a support-group meeting, a deployment for a group or topic (POST)."""

    serializer_class = s.AppointmentOut

    @extend_schema(responses=s.AppointmentOut(many=True))
    def get(self, request):
        page = self.paginate_queryset(selectors.my_appointments(user=request.user))
        return self.get_paginated_response(s.AppointmentOut(page, many=True).data)

    @extend_schema(request=s.AppointmentCreateIn, responses={201: s.AppointmentDetailOut})
    def post(self, request):
        policy.check(request.user, "appointment.create", None)
        data = _resolve(request.user, None, dict(valid_body(s.AppointmentCreateIn, request)))
        appointment = services.appointment_plan(planned_by=request.user, trajectory=None, **data)
        return Response(_detail(appointment.pk), status=status.HTTP_201_CREATED)


class TrajectoryAppointments(generics.GenericAPIView):
    """A trajectory's appointments (GET), or plan one with the client's team (POST)."""

    serializer_class = s.AppointmentOut
    pagination_class = None

    @extend_schema(responses=s.AppointmentOut(many=True))
    def get(self, request, trajectory_pk: int):
        trajectory = trajectories.trajectory_get(user=request.user, pk=trajectory_pk, action="appointment.list")
        return Response(s.AppointmentOut(selectors.appointments_of_trajectory(trajectory=trajectory), many=True).data)

    @extend_schema(request=s.AppointmentCreateIn, responses={201: s.AppointmentDetailOut})
    def post(self, request, trajectory_pk: int):
        trajectory = trajectories.trajectory_check(user=request.user, pk=trajectory_pk, action="appointment.create")
        data = _resolve(request.user, trajectory, dict(valid_body(s.AppointmentCreateIn, request)))
        appointment = services.appointment_plan(planned_by=request.user, trajectory=trajectory, **data)
        return Response(_detail(appointment.pk), status=status.HTTP_201_CREATED)


class AppointmentDetail(generics.GenericAPIView):
    """One appointment with its history (GET); change or move it (PATCH: fields left out keep
    their value; a change raises the calendar SEQUENCE and tells everyone taking part)."""

    serializer_class = s.AppointmentDetailOut

    def get(self, request, pk: int):
        return Response(s.AppointmentDetailOut(selectors.appointment_get(user=request.user, pk=pk)).data)

    @extend_schema(request=s.AppointmentUpdateIn, responses=s.AppointmentDetailOut)
    def patch(self, request, pk: int):
        appointment = selectors.appointment_check(user=request.user, pk=pk, action="appointment.change")
        data = _resolve(request.user, appointment.trajectory, dict(valid_body(s.AppointmentUpdateIn, request, partial=True)))
        current = {
            "kind": appointment.kind, "starts_at": appointment.starts_at, "ends_at": appointment.ends_at,
            "place": appointment.place, "video_link": appointment.video_link, "with_client": appointment.with_client,
            "participants": list(appointment.participants.all()), "expert": appointment.expert,
            "employer_contact_name": appointment.employer_contact_name,
            "employer_contact_email": appointment.employer_contact_email, "plan_action": appointment.plan_action,
            "reason": "",
        }
        current.update(data)
        services.appointment_update(appointment=appointment, changed_by=request.user, **current)
        return Response(_detail(appointment.pk))


class AppointmentCancel(APIView):
    @extend_schema(request=s.CancelIn, responses=s.AppointmentDetailOut)
    def post(self, request, pk: int):
        """Cancel: the appointment and its history stay; calendars see it cancelled."""
        appointment = selectors.appointment_check(user=request.user, pk=pk, action="appointment.cancel")
        data = valid_body(s.CancelIn, request)
        services.appointment_cancel(appointment=appointment, cancelled_by=request.user, reason=data["reason"])
        return Response(_detail(appointment.pk))


class AppointmentIcs(APIView):
    @extend_schema(responses={(200, "text/calendar"): OpenApiTypes.BINARY})
    def get(self, request, pk: int):
        """The appointment as an iCalendar file (no names or health details in its title)."""
        appointment = selectors.appointment_get(user=request.user, pk=pk)
        response = HttpResponse(ical.appointment_ics(appointment), content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="werkbrug-afspraak-{appointment.pk}.ics"'
        return response
