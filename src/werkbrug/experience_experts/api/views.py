"""API views: thin, the same shape as the pages (the same selectors and services)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from werkbrug.core import policy
from werkbrug.core.models import Organisation, User

from .. import balance, selectors, services
from ..models import (
    Deployment,
    DeploymentRequest,
    ExpertProfile,
    LivedExperienceDomain,
    SupportGroup,
    SupportGroupMeeting,
)
from . import serializers as s


def _page(view, queryset, serializer):
    page = view.paginate_queryset(queryset)
    return view.get_paginated_response(serializer(page, many=True).data)


class DomainViewSet(viewsets.GenericViewSet):
    queryset = LivedExperienceDomain.objects.none()  # for the schema only; every action reads through selectors
    serializer_class = s.DomainSerializer

    def list(self, request):
        policy.authorize(request.user, "ee_domain.list", None)
        return _page(self, selectors.domains_for(request.user.region_id, active_only=False).order_by("name"), s.DomainSerializer)

    def create(self, request):
        policy.authorize(request.user, "ee_domain.change", None)
        data = s.DomainSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        domain = services.domain_create(region=request.user.region, name=data.validated_data["name"], created_by=request.user)
        return Response(s.DomainSerializer(domain).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ExpertDomainPatchIn, responses=s.DomainSerializer, operation_id="ee_domains_partial_update")
    def partial_update(self, request, pk=None):
        """Rename a domain or switch it off (coordinators; the service decides). Another region's: 404."""
        domain = selectors.domains_for(request.user.region_id, active_only=False).filter(pk=_pk(pk)).first()
        if domain is None:
            raise Http404
        policy.authorize(request.user, "ee_domain.change", domain)  # check first (work data: no log record)
        data = s.ExpertDomainPatchIn(data=request.data)
        data.is_valid(raise_exception=True)
        updated = services.domain_update(domain=domain, changed_by=request.user, **data.validated_data)
        return Response(s.DomainSerializer(updated).data)


class ProfileViewSet(viewsets.GenericViewSet):
    queryset = ExpertProfile.objects.none()  # for the schema only; every action reads through selectors
    serializer_class = s.ProfileSerializer

    def list(self, request):
        return _page(self, selectors.profile_list(user=request.user).order_by("id"), s.ProfileSerializer)

    def retrieve(self, request, pk=None):
        return Response(s.ProfileSerializer(selectors.profile_get(user=request.user, pk=_pk(pk))).data)

    @extend_schema(request=s.ExpertProfileIn, responses={201: s.ProfileSerializer}, operation_id="ee_profiles_create")
    def create(self, request):
        """A new profile for an experience expert of the region (coordinators; the service decides)."""
        policy.authorize(request.user, "ee_profile.create", None)  # check first
        data = s.ExpertProfileIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        person = User.objects.filter(pk=values.pop("person"), region_id=request.user.region_id).first()
        if person is None:
            raise ValidationError({"person": ValidationError(_("There is no experience expert with this id in the region."),
                                                             code="not_expert")})
        values["coordinator"] = _coordinator(request.user, values["coordinator"])
        values["domains"] = _domains(request.user, values["domains"])
        created = services.profile_create(person=person, created_by=request.user, **values)
        return Response(s.ProfileSerializer(created).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ExpertProfilePatchIn, responses=s.ProfileSerializer, operation_id="ee_profiles_partial_update")
    def partial_update(self, request, pk=None):
        """Change the fields sent (the expert or a coordinator). Who coordinates: the `coordinator` action."""
        profile = selectors.profile_get(user=request.user, pk=_pk(pk), action="ee_profile.change")
        if "coordinator" in request.data:
            raise ValidationError({"coordinator": ValidationError(
                _("The region administrator assigns coordinators, not a profile change."), code="coordinator_not_allowed")})
        data = s.ExpertProfilePatchIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        domains = _domains(request.user, values.pop("domains")) if "domains" in values else None
        updated = services.profile_update(profile=profile, changed_by=request.user, domains=domains, **values)
        return Response(s.ProfileSerializer(selectors.profile_get(user=request.user, pk=updated.pk)).data)

    @extend_schema(request=s.ExpertCoordinatorIn, responses={201: s.ExpertCoordinatorAssignmentSerializer},
                   operation_id="ee_profiles_coordinator")
    @action(detail=True, methods=["post"])
    def coordinator(self, request, pk=None):
        """Assign the expert's coordinator (region administrators only); recorded, and the expert is told."""
        profile = selectors.profile_get(user=request.user, pk=_pk(pk), action="ee_profile.assign_coordinator")
        data = s.ExpertCoordinatorIn(data=request.data)
        data.is_valid(raise_exception=True)
        coordinator = _coordinator(request.user, data.validated_data["coordinator"])
        assignment = services.coordinator_assign(profile=profile, coordinator=coordinator, assigned_by=request.user)
        return Response(s.ExpertCoordinatorAssignmentSerializer(assignment).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=s.CheckInSerializer(many=True))
    @action(detail=True, methods=["get"])
    def checkins(self, request, pk=None):
        """Wellbeing: the expert and their own coordinator only."""
        profile = selectors.profile_get(user=request.user, pk=_pk(pk), action="ee_wellbeing.view")
        checkins, _signals = selectors.wellbeing_for(user=request.user, profile=profile)
        return _page(self, checkins, s.CheckInSerializer)

    @extend_schema(responses=s.SignalSerializer(many=True))
    @action(detail=True, methods=["get"])
    def signals(self, request, pk=None):
        profile = selectors.profile_get(user=request.user, pk=_pk(pk), action="ee_wellbeing.view")
        _checkins, signals = selectors.wellbeing_for(user=request.user, profile=profile)
        return _page(self, signals, s.SignalSerializer)

    @extend_schema(responses=s.ExpertAbsenceSerializer(many=True), operation_id="ee_profiles_absences_list")
    @action(detail=True, methods=["get"], pagination_class=None)
    def absences(self, request, pk=None):
        """Planned absences (who may see the profile); the note only for who may read it."""
        profile = selectors.profile_get(user=request.user, pk=_pk(pk))
        rows = s.ExpertAbsenceSerializer(profile.absences.all(), many=True).data
        if not policy.can(request.user, "ee_absence.view_note", profile):
            for row in rows:
                row["note"] = ""
        return Response(rows)

    @extend_schema(request=s.ExpertAbsenceIn, responses={201: s.ExpertAbsenceSerializer},
                   operation_id="ee_profiles_absences_create")
    @absences.mapping.post
    def absence_add(self, request, pk=None):
        """Add an absence (the expert or a coordinator), through `services.absence_add`."""
        profile = selectors.profile_get(user=request.user, pk=_pk(pk), action="ee_profile.change")
        data = s.ExpertAbsenceIn(data=request.data)
        data.is_valid(raise_exception=True)
        absence = services.absence_add(profile=profile, added_by=request.user, **data.validated_data)
        return Response(s.ExpertAbsenceSerializer(absence).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None}, operation_id="ee_profiles_absence_destroy",
                   parameters=[OpenApiParameter("absence_pk", int, OpenApiParameter.PATH)])
    @action(detail=True, methods=["delete"], url_path=r"absences/(?P<absence_pk>[^/.]+)")
    def absence_remove(self, request, pk=None, absence_pk=None):
        """Take back a planned absence (the expert or a coordinator), through `services.absence_remove`."""
        profile = selectors.profile_get(user=request.user, pk=_pk(pk), action="ee_profile.change")
        absence = profile.absences.filter(pk=_pk(absence_pk)).first()
        if absence is None:
            raise Http404
        services.absence_remove(absence=absence, removed_by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=s.ExpertBuddyIn, responses=s.ProfileSerializer, operation_id="ee_profiles_buddy")
    @action(detail=True, methods=["post"])
    def buddy(self, request, pk=None):
        """Pair with a buddy (both ways; the old pairs end) or end the pair with null."""
        profile = selectors.profile_get(user=request.user, pk=_pk(pk), action="ee_profile.change")
        data = s.ExpertBuddyIn(data=request.data)
        data.is_valid(raise_exception=True)
        buddy = None
        if data.validated_data["buddy"] is not None:
            buddy = ExpertProfile.objects.filter(pk=data.validated_data["buddy"], region_id=request.user.region_id).first()
            if buddy is None:
                raise ValidationError({"buddy": ValidationError(
                    _("There is no experience expert with this id in the region."), code="not_expert")})
        services.buddy_pair(profile=profile, buddy=buddy, changed_by=request.user)
        return Response(s.ProfileSerializer(selectors.profile_get(user=request.user, pk=profile.pk)).data)

    @extend_schema(responses=s.RegistrationSerializer(many=True))
    @action(detail=True, methods=["get"])
    def registrations(self, request, pk=None):
        """The expert's registrations (with withdrawn ones), for the expert and their coordinator."""
        profile = selectors.profile_get(user=request.user, pk=_pk(pk), action="ee_registrations.list")
        return _page(self, selectors.registration_list(user=request.user, profile=profile), s.RegistrationSerializer)

    @action(detail=True, methods=["get"])
    def balance(self, request, pk=None):
        profile = selectors.profile_get(user=request.user, pk=_pk(pk), action="ee_balance.view")
        result = selectors.expert_balance(profile=profile, today=timezone.localdate())
        return Response({
            "target": result.target,
            "months": [{"month": m.month, "minutes": m.total_minutes, "contract_minutes": m.contract_minutes,
                        "by_setting": m.by_setting, "by_kind": m.by_kind, "own_office_share": m.own_office_share,
                        "out_of_balance": m.out_of_balance} for m in result.months],
        })


def _coordinator(user: User, pk: int | None) -> User | None:
    """A coordinator of the user's region by id (the service checks the role)."""
    if pk is None:
        return None
    found = User.objects.filter(pk=pk, region_id=user.region_id).first()
    if found is None:
        raise ValidationError({"coordinator": ValidationError(
            _("Choose an experience-expert coordinator of this region."), code="coordinator")})
    return found


def _domains(user: User, ids: list[int]) -> list[LivedExperienceDomain]:
    """Active domains of the user's region by id; an unknown id is an error, not silently dropped."""
    found = list(selectors.domains_for(user.region_id).filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise ValidationError({"domains": ValidationError(
            _("Choose domains of lived experience from the region's list."), code="unknown_domain")})
    return found


def _pk(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


class RequestViewSet(viewsets.GenericViewSet):
    queryset = DeploymentRequest.objects.none()  # for the schema only; every action reads through selectors
    serializer_class = s.RequestSerializer

    def list(self, request):
        return _page(self, selectors.request_list(user=request.user).prefetch_related("domains", "offers"), s.RequestSerializer)

    def retrieve(self, request, pk=None):
        return Response(s.RequestSerializer(selectors.request_get(user=request.user, pk=_pk(pk))).data)

    @extend_schema(request=s.RequestIn, responses=s.RequestSerializer)
    def create(self, request):
        policy.authorize(request.user, "ee_request.create", None)  # check first; the service checks the client
        data = s.RequestIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        trajectory = selectors.trajectory_for_write(pk=values.pop("trajectory")) if values.get("trajectory") else None
        values.pop("trajectory", None)
        domain_ids = values.pop("domains")
        domains = selectors.domains_for(request.user.region_id).filter(pk__in=domain_ids)
        created = services.request_create(requested_by=request.user, trajectory=trajectory, domains=domains, **values)
        return Response(s.RequestSerializer(created).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=s.MatchSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def matches(self, request, pk=None):
        item = selectors.request_get(user=request.user, pk=_pk(pk), action="ee_request.offer")
        return Response(s.MatchSerializer(selectors.matches_for_request(request=item), many=True).data)

    @extend_schema(request=s.OfferIn, responses=s.OfferSerializer)
    @action(detail=True, methods=["post"])
    def offer(self, request, pk=None):
        item = selectors.request_fetch(user=request.user, pk=_pk(pk), action="ee_request.offer")
        data = s.OfferIn(data=request.data)
        data.is_valid(raise_exception=True)
        expert = User.objects.filter(pk=data.validated_data["expert"], region_id=request.user.region_id).first()
        if expert is None:
            raise ValidationError({"expert": ValidationError("unknown expert", code="not_expert")})
        offer = services.request_offer(request=item, expert=expert, offered_by=request.user)
        return Response(s.OfferSerializer(offer).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.DeploymentScheduleIn, responses=s.DeploymentSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """Accept, choosing the day, time and place: the deployment becomes an appointment.
        400 `outside_period` (not within the requested period), `end_before_start`, `required`."""
        item = selectors.request_fetch(user=request.user, pk=_pk(pk), action="ee_request.answer")
        data = s.DeploymentScheduleIn(data=request.data)
        data.is_valid(raise_exception=True)
        planned = services.request_accept(request=item, expert=request.user, schedule=data.schedule())
        return Response(s.DeploymentSerializer(planned).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ReasonIn, responses=s.RequestSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel a request (the requester or a coordinator), with a reason; the expert is told.
        400 `closed` when already cancelled or expired, `reason_required`."""
        item = selectors.request_fetch(user=request.user, pk=_pk(pk), action="ee_request.cancel")
        data = s.ReasonIn(data=request.data)
        data.is_valid(raise_exception=True)
        cancelled = services.request_cancel(request=item, cancelled_by=request.user, reason=data.validated_data["reason"])
        return Response({"id": cancelled.pk, "status": cancelled.status, "closed_at": cancelled.closed_at,
                         "close_reason": cancelled.close_reason})

    @extend_schema(request=None, responses=s.OfferSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        offer = services.request_decline(
            request=selectors.request_fetch(user=request.user, pk=_pk(pk), action="ee_request.answer"), expert=request.user)
        return Response(s.OfferSerializer(offer).data)


class DeploymentViewSet(viewsets.GenericViewSet):
    queryset = Deployment.objects.none()  # for the schema only; every action reads through selectors
    serializer_class = s.DeploymentSerializer

    def list(self, request):
        """The signed-in expert's own deployments."""
        return _page(self, selectors.deployment_list(user=request.user, expert=request.user), s.DeploymentSerializer)

    @extend_schema(request=s.DeploymentIn, responses=s.DeploymentSerializer)
    def create(self, request):
        policy.authorize(request.user, "deployment.create", Deployment(expert=request.user))  # check first
        data = s.DeploymentIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        organisation = Organisation.objects.filter(pk=values.pop("organisation_served"), region_id=request.user.region_id).first()
        client = None
        pseudonym = values.pop("client")
        if pseudonym:
            client = selectors.client_by_pseudonym(region_id=request.user.region_id, pseudonym=pseudonym)
            if client is None:
                raise ValidationError({"client": ValidationError("unknown client", code="unknown_client")})
        created = services.deployment_register(expert=request.user, organisation_served=organisation, client=client, **values)
        return Response(s.DeploymentSerializer(created).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.DeploymentCompleteIn, responses=s.DeploymentSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        deployment = selectors.deployment_fetch(user=request.user, pk=_pk(pk))
        data = s.DeploymentCompleteIn(data=request.data)
        data.is_valid(raise_exception=True)
        done = services.deployment_complete(deployment=deployment, expert=request.user, **data.validated_data)
        return Response(s.DeploymentSerializer(done).data)

    @extend_schema(request=s.DeploymentScheduleIn, responses=s.DeploymentSerializer)
    @action(detail=True, methods=["post"])
    def plan(self, request, pk=None):
        """Move a planned deployment (another day within the request's period, time or place); its
        appointment moves with it. 400 `not_planned`, `outside_period`, `end_before_start`."""
        deployment = selectors.deployment_fetch(user=request.user, pk=_pk(pk))
        data = s.DeploymentScheduleIn(data=request.data)
        data.is_valid(raise_exception=True)
        moved = services.deployment_plan(deployment=deployment, expert=request.user, schedule=data.schedule())
        return Response(s.DeploymentSerializer(moved).data)

    @extend_schema(request=s.RegistrationCorrectionIn, responses=s.RegistrationSerializer)
    @action(detail=True, methods=["post"])
    def correct(self, request, pk=None):
        """Correct a registration (the expert or their coordinator); only the fields sent change, the
        earlier version is kept. 400 `reason_required`, `unchanged`, `future`, `not_registered`."""
        deployment = selectors.deployment_fetch(user=request.user, pk=_pk(pk), action="deployment.correct")
        data = s.RegistrationCorrectionIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        if "organisation_served" in values:
            values["organisation_served"] = Organisation.objects.filter(
                pk=values["organisation_served"], region_id=deployment.region_id).first()
            if values["organisation_served"] is None:
                raise ValidationError({"organisation_served": ValidationError(
                    _("Choose an organisation of the region."), code="organisation")})
        corrected = services.deployment_correct(deployment=deployment, changed_by=request.user, **values)
        return Response(s.RegistrationSerializer(corrected).data)

    @extend_schema(request=s.ReasonIn, responses=s.RegistrationSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """Withdraw a registration: kept as withdrawn (who, when, why), no longer counted."""
        deployment = selectors.deployment_fetch(user=request.user, pk=_pk(pk), action="deployment.correct")
        data = s.ReasonIn(data=request.data)
        data.is_valid(raise_exception=True)
        withdrawn = services.deployment_withdraw(deployment=deployment, withdrawn_by=request.user,
                                                 reason=data.validated_data["reason"])
        return Response(s.RegistrationSerializer(withdrawn).data)

    @extend_schema(responses=s.VersionSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def history(self, request, pk=None):
        """The versions of a registration, oldest first (the expert or their coordinator)."""
        deployment = selectors.deployment_fetch(user=request.user, pk=_pk(pk), action="deployment.correct")
        policy.authorize(request.user, "deployment.correct", deployment)
        return Response(s.VersionSerializer(selectors.registration_history(deployment=deployment), many=True).data)


class CheckInViewSet(viewsets.GenericViewSet):
    """The signed-in expert's own check-ins (a coordinator reads them under the profile)."""

    serializer_class = s.CheckInSerializer

    def list(self, request):
        profile = ExpertProfile.objects.filter(person=request.user).first()
        if profile is None:
            raise Http404
        checkins, _signals = selectors.wellbeing_for(user=request.user, profile=profile)
        return _page(self, checkins, s.CheckInSerializer)

    @extend_schema(request=s.CheckInIn, responses=s.CheckInSerializer)
    def create(self, request):
        policy.authorize(request.user, "ee_wellbeing.create", ExpertProfile.objects.filter(person=request.user).first())
        data = s.CheckInIn(data=request.data)
        data.is_valid(raise_exception=True)
        checkin = services.checkin_submit(expert=request.user, **data.validated_data)
        return Response(s.CheckInSerializer(checkin).data, status=status.HTTP_201_CREATED)


class SignalViewSet(viewsets.GenericViewSet):
    """Signals of the experts the signed-in coordinator coordinates."""

    serializer_class = s.SignalSerializer

    def list(self, request):
        return _page(self, selectors.coordinator_signals(user=request.user), s.SignalSerializer)


class SupportGroupViewSet(viewsets.GenericViewSet):
    queryset = SupportGroup.objects.none()  # for the schema only; every action reads through selectors
    serializer_class = s.SupportGroupSerializer

    def list(self, request):
        groups = selectors.support_group_list(user=request.user).order_by("id")
        return _page(self, groups.prefetch_related("meetings"), s.SupportGroupListSerializer)

    def retrieve(self, request, pk=None):
        return Response(s.SupportGroupSerializer(selectors.support_group_get(user=request.user, pk=_pk(pk))).data)

    @extend_schema(request=s.SupportGroupIn, responses=s.SupportGroupSerializer)
    def create(self, request):
        policy.authorize(request.user, "support_group.create", None)  # check first
        data = s.SupportGroupIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        facilitators = list(User.objects.filter(pk__in=values.pop("facilitators"), region_id=request.user.region_id))
        group = services.support_group_create(organisation=request.user.organisation, created_by=request.user,
                                              facilitators=facilitators, **values)
        return Response(s.SupportGroupSerializer(group).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ParticipantIn, responses=None)
    @action(detail=True, methods=["post"])
    def participants(self, request, pk=None):
        group = selectors.support_group_fetch(user=request.user, pk=_pk(pk))
        data = s.ParticipantIn(data=request.data)
        data.is_valid(raise_exception=True)
        client = selectors.client_by_pseudonym(region_id=request.user.region_id, pseudonym=data.validated_data["client"])
        if client is None:
            raise ValidationError({"client": ValidationError("unknown client", code="unknown_client")})
        participant = services.participant_add(group=group, client=client,
                                               added_by=request.user)
        return Response({"id": participant.pk, "client": client.pseudonym}, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.AttendanceIn, responses=None)
    @action(detail=True, methods=["post"])
    def attendance(self, request, pk=None):
        group = selectors.support_group_fetch(user=request.user, pk=_pk(pk))
        data = s.AttendanceIn(data=request.data)
        data.is_valid(raise_exception=True)
        meeting = group.meetings.filter(pk=data.validated_data["meeting"]).first()
        if meeting is None:
            raise Http404
        rows = services.attendance_record(meeting=meeting, present=data.validated_data["present"], recorded_by=request.user,
                                          notes=data.validated_data["notes"])
        return Response([{"participant": r.participant_id, "present": r.present} for r in rows])


class MeetingViewSet(viewsets.GenericViewSet):
    """Support-group meetings: facilitators and the organisation's coordinator change them."""

    queryset = SupportGroupMeeting.objects.none()  # for the schema only; the service authorizes
    serializer_class = s.MeetingSerializer

    @extend_schema(request=s.ExpertMeetingPatchIn, responses=s.MeetingSerializer, operation_id="ee_meetings_partial_update")
    def partial_update(self, request, pk=None):
        """Theme, time and notes; only the fields sent change; a facilitator's overlapping meeting is refused."""
        meeting = selectors.meeting_fetch(user=request.user, pk=_pk(pk))
        data = s.ExpertMeetingPatchIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = {"theme": meeting.theme, "starts_at": meeting.starts_at, "ends_at": meeting.ends_at,
                  "notes": meeting.notes, **data.validated_data}
        updated = services.meeting_update(meeting=meeting, changed_by=request.user, **values)
        return Response(s.MeetingSerializer(updated).data)


class ClientWishViewSet(viewsets.GenericViewSet):
    """The client asked for an experience expert: a team member notes it (shown as a suggestion)."""

    serializer_class = s.ExpertClientWishSerializer

    @extend_schema(request=s.ExpertClientWishIn, responses={201: s.ExpertClientWishSerializer},
                   operation_id="ee_client_wishes_create")
    def create(self, request):
        data = s.ExpertClientWishIn(data=request.data)
        data.is_valid(raise_exception=True)
        trajectory = selectors.trajectory_for_write(pk=data.validated_data["trajectory"])  # the service authorizes and logs
        wish = services.client_wish_record(trajectory=trajectory, recorded_by=request.user)
        return Response(s.ExpertClientWishSerializer(wish).data, status=status.HTTP_201_CREATED)


class ReportViewSet(viewsets.ViewSet):
    serializer_class = s.ReportSerializer

    @extend_schema(responses=s.ReportSerializer)
    def list(self, request):
        policy.authorize(request.user, "ee_report.view", None)
        today = timezone.localdate()
        try:
            start = date.fromisoformat(request.query_params.get("start") or balance.add_months(today.replace(day=1), -11).isoformat())
            end = date.fromisoformat(request.query_params.get("end") or today.isoformat())
        except ValueError:
            raise ValidationError({"start": ValidationError("Use dates as YYYY-MM-DD.", code="date")}) from None
        if end < start:
            raise ValidationError({"end": ValidationError("The end date lies before the start date.", code="end_before_start")})
        result = selectors.report_suppressed(selectors.report(region_id=request.user.region_id, start=start, end=end,
                                                                 viewer=request.user))
        return Response(s.ReportSerializer(result).data)

