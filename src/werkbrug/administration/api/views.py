"""API of region administration (`/api/v1/admin/…`): the region administrator's own region only;
every operation on a named person or organisation checks it first (404 outside the region)."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ErrorDetail
from rest_framework.response import Response

from werkbrug.api.params import int_param
from werkbrug.core import policy
from werkbrug.core.choices import Role
from werkbrug.core.models import Organisation, User

from .. import selectors, services
from ..models import AdministrationEvent, EventAction
from .serializers import (
    AdminInviteInputSerializer,
    AdministrationEventSerializer,
    AdminOrganisationInputSerializer,
    AdminOrganisationSerializer,
    AdminPersonDetailSerializer,
    AdminPersonInputSerializer,
    AdminPersonSerializer,
    DeactivateInputSerializer,
    DeactivationPreviewSerializer,
    HandOverInputSerializer,
    HandOverSerializer,
    IdentityInputSerializer,
    IdentityRefSerializer,
    OIDCIdentitySerializer,
    ReactivateInputSerializer,
    RoleInputSerializer,
)


@contextmanager
def _keep_codes():
    """A service's ValidationError as a 400 with each message's own code."""
    try:
        yield
    except DjangoValidationError as exc:
        def details(errors) -> list[ErrorDetail]:
            return [ErrorDetail(str(e.message % e.params) if e.params else str(e.message), code=e.code or "invalid")
                    for e in errors]

        if hasattr(exc, "error_dict"):
            detail = {("non_field_errors" if k == NON_FIELD_ERRORS else k): details(v) for k, v in exc.error_dict.items()}
        else:
            detail = {"non_field_errors": details(exc.error_list)}
        raise exceptions.ValidationError(detail) from exc


def _call(func, **kwargs: Any) -> Any:
    with _keep_codes():
        return func(**kwargs)


def _organisation(user: User, pk: int) -> Organisation:
    organisation = Organisation.objects.filter(pk=pk, region_id=user.region_id).first()
    if organisation is None:
        raise exceptions.ValidationError({"organisation": [ErrorDetail(_("Choose an organisation of your region."),
                                                                       code="organisation")]})
    return organisation


class AdminOrganisationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = AdminOrganisationSerializer
    queryset = Organisation.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Organisation.objects.none()
        return selectors.organisation_list(user=self.request.user)

    def get_object(self):
        return selectors.organisation_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(request=AdminOrganisationInputSerializer, responses={201: AdminOrganisationSerializer})
    def create(self, request):
        policy.authorize(request.user, "organisation.change", None)
        data = AdminOrganisationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        organisation = _call(services.organisation_create, actor=request.user, **data.validated_data)
        return Response(AdminOrganisationSerializer(organisation).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AdminOrganisationInputSerializer, responses=AdminOrganisationSerializer)
    def partial_update(self, request, pk=None):
        organisation = self.get_object()
        data = AdminOrganisationInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        organisation = _call(services.organisation_update, organisation=organisation, actor=request.user,
                             **data.validated_data)
        return Response(AdminOrganisationSerializer(organisation).data)


@extend_schema(parameters=[
    OpenApiParameter("organisation", int), OpenApiParameter("role", str),
    OpenApiParameter("status", str, description="active (default), inactive or all"),
])
class AdminPersonViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = AdminPersonSerializer
    queryset = User.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return User.objects.none()
        params = self.request.query_params
        role = params.get("role", "")
        if role and role not in Role.values:
            raise exceptions.ValidationError({"role": [ErrorDetail(_("Choose one of the roles."), code="role")]})
        state = params.get("status", "active")
        if state not in ("active", "inactive", "all"):
            raise exceptions.ValidationError({"status": [ErrorDetail(_("Choose active, inactive or all."), code="status")]})
        return selectors.person_list(
            user=self.request.user, organisation_id=int_param(self.request, "organisation"), role=role,
            active={"active": True, "inactive": False, "all": None}[state],
        )

    def get_object(self):
        return selectors.person_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(responses=AdminPersonDetailSerializer)
    def retrieve(self, request, pk=None):
        return Response(AdminPersonDetailSerializer(self.get_object()).data)

    @extend_schema(request=AdminInviteInputSerializer, responses={201: AdminPersonSerializer})
    def create(self, request):
        """Invite a person: an account without a password, and a mail with a set-password link."""
        policy.authorize(request.user, "administration.view", None)
        data = AdminInviteInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        fields["organisation"] = _organisation(request.user, fields["organisation"])
        person = _call(services.person_invite, actor=request.user, **fields)
        return Response(AdminPersonSerializer(person).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AdminPersonInputSerializer, responses=AdminPersonSerializer)
    def partial_update(self, request, pk=None):
        person = self.get_object()
        data = AdminPersonInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        if "organisation" in fields:
            fields["organisation"] = _organisation(request.user, fields["organisation"])
        person = _call(services.person_update, person=person, actor=request.user, **fields)
        return Response(AdminPersonSerializer(person).data)

    @extend_schema(request=RoleInputSerializer, responses=AdminPersonSerializer)
    @action(detail=True, methods=["post"], url_path="give-role")
    def give_role(self, request, pk=None):
        return self._change_role(request, services.role_give)

    @extend_schema(request=RoleInputSerializer, responses=AdminPersonSerializer)
    @action(detail=True, methods=["post"], url_path="take-role")
    def take_role(self, request, pk=None):
        return self._change_role(request, services.role_take)

    def _change_role(self, request, service):
        person = self.get_object()  # authorizes first
        data = RoleInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        _call(service, person=person, role=data.validated_data["role"], actor=request.user)
        return Response(AdminPersonSerializer(User.objects.get(pk=person.pk)).data)

    @extend_schema(request=IdentityInputSerializer, responses={201: OIDCIdentitySerializer})
    @action(detail=True, methods=["post"], url_path="link-identity")
    def link_identity(self, request, pk=None):
        person = self.get_object()
        data = IdentityInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        identity = _call(services.identity_link, person=person, actor=request.user, **data.validated_data)
        return Response(OIDCIdentitySerializer(identity).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=IdentityRefSerializer, responses={204: None})
    @action(detail=True, methods=["post"], url_path="unlink-identity")
    def unlink_identity(self, request, pk=None):
        person = self.get_object()
        data = IdentityRefSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        identity = selectors.identity_get(person=person, pk=data.validated_data["identity"])
        _call(services.identity_unlink, identity=identity, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["post"], url_path="resend-invitation")
    def resend_invitation(self, request, pk=None):
        person = self.get_object()
        _call(services.invitation_resend, person=person, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(methods=["GET"], request=None, responses=DeactivationPreviewSerializer)
    @extend_schema(methods=["POST"], request=DeactivateInputSerializer, responses=AdminPersonSerializer)
    @action(detail=True, methods=["get", "post"])
    def deactivate(self, request, pk=None):
        """GET: what deactivating hands over (ambassador questions and where they go, experts the
        person coordinates and the coordinators who could take them, deployment requests in their
        hands, the calendar feed, the roles that end). POST: deactivate, handing all of it over in
        one go; refused (400, code `hand_over_first`) while the person still has a place in a
        client team: hand those over first (`hand-over`). `coordinator` (a coordinator's id, or
        null for nobody) is required when the person coordinates experience experts."""
        person = self.get_object()  # authorizes first
        if request.method == "POST":
            data = DeactivateInputSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            fields = dict(data.validated_data)
            person = _call(services.person_deactivate, person=person, actor=request.user, **fields)
            return Response(AdminPersonSerializer(person).data)
        return Response(DeactivationPreviewSerializer(selectors.positions_of(person), context={"person": person}).data)

    @extend_schema(request=ReactivateInputSerializer, responses=AdminPersonSerializer)
    @action(detail=True, methods=["post"])
    def reactivate(self, request, pk=None):
        """Reactivate a deactivated account, with a reason. No role comes back: give them again
        (`give-role`). The person is told by mail (a set-password link if they never chose one)."""
        person = self.get_object()  # authorizes first
        data = ReactivateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        person = _call(services.person_reactivate, person=person, actor=request.user, **data.validated_data)
        return Response(AdminPersonSerializer(person).data)

    @extend_schema(methods=["GET"], request=None, responses=HandOverSerializer)
    @extend_schema(methods=["POST"], request=HandOverInputSerializer, responses=HandOverSerializer)
    @action(detail=True, methods=["get", "post"], url_path="hand-over")
    def hand_over(self, request, pk=None):
        """The person's places in active client teams (by trajectory number) and the colleagues
        who can take them; POST hands them all over in one go (region administrator, or a manager
        of the person's organisation)."""
        person = selectors.person_get(user=request.user, pk=pk, action="handover.manage")
        if request.method == "POST":
            data = HandOverInputSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            successors = {row["trajectory"]: services.Successor(row["kind"], row.get("person"))
                          for row in data.validated_data["successors"]}
            _call(services.person_hand_over, person=person, successors=successors, actor=request.user)
        colleagues = [{"id": c.pk, "name": c.get_full_name()} for c in selectors.colleagues(person)]
        return Response(HandOverSerializer({"seats": selectors.open_seats(person), "colleagues": colleagues}).data)


@extend_schema(parameters=[OpenApiParameter("person", int), OpenApiParameter("action", str)])
class AdministrationEventViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The audit trail of region administration, newest first."""

    serializer_class = AdministrationEventSerializer
    queryset = AdministrationEvent.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return AdministrationEvent.objects.none()
        action_name = self.request.query_params.get("action", "")
        if action_name and action_name not in EventAction.values:
            raise exceptions.ValidationError({"action": [ErrorDetail(_("Choose one of the kinds of change."), code="action")]})
        return selectors.event_list(user=self.request.user, person_id=int_param(self.request, "person"),
                                    action=action_name)

