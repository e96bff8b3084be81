"""API views for clients and consent: the same selectors and services as the pages.

Writes fetch-and-authorize the client before they read the body, so a missing and a forbidden
client answer the same 404 whatever was sent."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from werkbrug.core import policy
from werkbrug.core.models import Organisation

from .. import selectors, services
from .serializers import (
    ClientOut,
    ClientRegisterIn,
    ClientRegisterOut,
    ClientUpdateIn,
    ConsentEventOut,
    ConsentGrantIn,
    ConsentsOut,
    ConsentStateOut,
    ConsentWithdrawIn,
)


def client_out(user, client, *, show_bsn: bool | None = None) -> dict:
    """The client record as `ClientOut`. `show_bsn` None: as the policy decides (the benchmark's
    comparison endpoint passes it, to build the same answer without the policy)."""
    from werkbrug.trajectories.selectors import client_trajectory_list

    if show_bsn is None:
        show_bsn = policy.can(user, "client.view_bsn", client)
    return {
        "id": client.pk, "pseudonym": client.pseudonym, "first_name": client.first_name,
        "last_name": client.last_name, "date_of_birth": client.date_of_birth,
        "bsn": client.reveal_bsn() or None if show_bsn else None, "has_bsn": client.has_bsn,
        "email": client.email, "phone": client.phone, "address": client.address, "postcode": client.postcode,
        "city": client.city, "benefit": client.benefit, "status": client.status,
        "trajectories": [trajectory.pk for trajectory in client_trajectory_list(client=client)],
    }


class ClientListView(APIView):
    @extend_schema(request=ClientRegisterIn, responses={201: ClientRegisterOut}, operation_id="clients_register")
    @sensitive_variables("data", "body")  # the BSN never reaches an error report
    def post(self, request):
        """Register a client and start their trajectory (you become team member and plan director)."""
        from werkbrug.trajectories.services import client_register_and_start

        policy.authorize(request.user, "client.register", None)
        data = ClientRegisterIn(data=request.data)
        data.is_valid(raise_exception=True)
        trajectory = client_register_and_start(registered_by=request.user, **data.validated_data)
        body = client_out(request.user, trajectory.client)
        body["trajectory"] = trajectory.pk
        return Response(body, status=status.HTTP_201_CREATED)


class ClientDetailView(APIView):
    @extend_schema(responses=ClientOut, operation_id="clients_retrieve")
    @sensitive_variables("client")
    def get(self, request, pk: int):
        client = selectors.client_get(user=request.user, pk=pk)
        return Response(client_out(request.user, client))

    @extend_schema(request=ClientUpdateIn, responses=ClientOut, operation_id="clients_update")
    @sensitive_variables("data", "fields", "bsn", "client")
    def patch(self, request, pk: int):
        client = selectors.client_get(user=request.user, pk=pk, action="client.change")
        data = ClientUpdateIn(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        bsn = fields.pop("bsn", None)
        client = services.client_update(client=client, changed_by=request.user, bsn=bsn, **fields)
        return Response(client_out(request.user, client))


def _organisation(client, pk: int) -> Organisation:
    organisation = Organisation.objects.filter(pk=pk, region_id=client.region_id).first()
    if organisation is None:
        raise ValidationError({"organisation": ValidationError(
            _("This organisation is not in the client's region."), code="other_region")})
    return organisation


class ConsentView(APIView):
    @extend_schema(responses=ConsentsOut, operation_id="clients_consents_list")
    def get(self, request, pk: int):
        client = selectors.client_get(user=request.user, pk=pk, action="consent.view")
        return Response({
            "current": ConsentStateOut(selectors.consent_states(client=client), many=True).data,
            "history": ConsentEventOut(selectors.consent_history(client=client), many=True).data,
        })

    @extend_schema(request=ConsentGrantIn, responses={201: ConsentStateOut}, operation_id="clients_consents_grant")
    def post(self, request, pk: int):
        client = selectors.client_check(user=request.user, pk=pk, action="consent.manage")
        data = ConsentGrantIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values["organisation"] = _organisation(client, values["organisation"])
        state = services.consent_grant(client=client, recorded_by=request.user, **values)
        return Response(ConsentStateOut(state).data, status=status.HTTP_201_CREATED)


class ConsentWithdrawView(APIView):
    @extend_schema(request=ConsentWithdrawIn, responses=ConsentStateOut, operation_id="clients_consents_withdraw")
    def post(self, request, pk: int):
        client = selectors.client_check(user=request.user, pk=pk, action="consent.manage")
        data = ConsentWithdrawIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values["organisation"] = _organisation(client, values["organisation"])
        state = services.consent_withdraw(client=client, recorded_by=request.user, **values)
        return Response(ConsentStateOut(state).data)
