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
    JoinAskIn,
    JoinDecideIn,
    JoinRequestOut,
    KnownIn,
    KnownOut,
    MergeIn,
    MergeOut,
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
    @sensitive_variables("data", "body", "values")  # the BSN never reaches an error report
    def post(self, request):
        """Register a client and start their trajectory (you become team member and plan director)."""
        from werkbrug.trajectories.services import client_register_and_start

        policy.authorize(request.user, "client.register", None)
        data = ClientRegisterIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        if not values.pop("different_person", False):
            with _limit():
                known = services.known_check(user=request.user, first_name=values["first_name"],
                                             last_name=values["last_name"], date_of_birth=values["date_of_birth"])
            if known.possibly_known:
                raise ValidationError(_("A person with these details may already be known in the region. Ask to be "
                                        "added to their team (clients/known/ask/), or send different_person: true."),
                                      code="possibly_known")
        trajectory = client_register_and_start(registered_by=request.user, **values)
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


class _limit:
    """The services' rate limit of "Known in the region?" as the API's 429."""

    def __enter__(self):
        return self

    def __exit__(self, kind, exc, tb):
        if isinstance(exc, services.KnownCheckLimit):
            from rest_framework.exceptions import Throttled

            raise Throttled(detail=str(exc)) from exc
        return False


class KnownView(APIView):
    @extend_schema(request=KnownIn, responses=KnownOut, operation_id="clients_known_check")
    def post(self, request):
        """Known in the region? Only yes or no; every check is logged and rate limited (429)."""
        policy.check(request.user, "client.known_check", None)
        data = KnownIn(data=request.data)
        data.is_valid(raise_exception=True)
        with _limit():
            answer = services.known_check(user=request.user, **data.validated_data)
        return Response({"possibly_known": answer.possibly_known})


class KnownAskView(APIView):
    @extend_schema(request=JoinAskIn, responses=KnownOut, operation_id="clients_known_ask")
    def post(self, request):
        """Ask the plan director of a possibly matching file to add you; the answer is the same either way."""
        policy.check(request.user, "client.known_check", None)
        data = JoinAskIn(data=request.data)
        data.is_valid(raise_exception=True)
        with _limit():
            answer = services.join_request_create(user=request.user, **data.validated_data)
        return Response({"possibly_known": answer.possibly_known})


class JoinRequestView(APIView):
    @extend_schema(responses=JoinRequestOut, operation_id="clients_join_request_retrieve")
    def get(self, request, pk: int):
        return Response(JoinRequestOut(selectors.join_request_get(user=request.user, pk=pk)).data)

    @extend_schema(request=JoinDecideIn, responses=JoinRequestOut, operation_id="clients_join_request_decide")
    def post(self, request, pk: int):
        join = selectors.join_request_get(user=request.user, pk=pk, action="join_request.decide")
        data = JoinDecideIn(data=request.data)
        data.is_valid(raise_exception=True)
        join = services.join_request_decide(request=join, decided_by=request.user,
                                            accept=data.validated_data["accept"])
        return Response(JoinRequestOut(join).data)


class MergeView(APIView):
    @extend_schema(request=MergeIn, responses={201: MergeOut}, operation_id="clients_merge")
    def post(self, request):
        """Merge two files of one person (the region administrator)."""
        policy.authorize(request.user, "client.merge_page", None)
        data = MergeIn(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        errors = {}
        found = {}
        for field in ("surviving", "merged"):
            try:
                found[field] = selectors.client_for_merge(user=request.user, pseudonym=v[field].strip().upper())
            except ValidationError as exc:
                errors[field] = exc
        if errors:
            raise ValidationError(errors)
        merge = services.client_merge(surviving=found["surviving"], merged=found["merged"],
                                      merged_by=request.user, reason=v["reason"])
        return Response(MergeOut(merge).data, status=status.HTTP_201_CREATED)
