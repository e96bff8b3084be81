"""The signals and referrals API: the same selectors, services and policy as the pages.

Every endpoint that names a trajectory, signal or referral fetches it through a selector that
authorizes the action first, and only then reads the body: missing and forbidden answer the same
404 whatever was sent."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from werkbrug.api.params import valid_body
from werkbrug.core.models import Organisation

from .. import selectors, services
from ..models import ReferralState
from . import serializers as s


class TrajectorySignals(generics.GenericAPIView):
    """Signals about a trajectory's client (GET), or send one (POST)."""

    serializer_class = s.SignalOut
    pagination_class = None

    @extend_schema(responses=s.SignalOut(many=True))
    def get(self, request, trajectory_pk: int):
        trajectory = selectors.trajectory_for(user=request.user, pk=trajectory_pk, action="signal.view")
        return Response(s.SignalOut(selectors.trajectory_signals(trajectory=trajectory), many=True).data)

    @extend_schema(request=s.SignalIn, responses={201: s.SignalOut})
    def post(self, request, trajectory_pk: int):
        trajectory = selectors.trajectory_for(user=request.user, pk=trajectory_pk, action="signal.create")
        data = valid_body(s.SignalIn, request)
        # Ids are resolved within the team only: anyone else stays an id, which the service
        # refuses without saying who it is.
        team = {m.person_id: m.person for m in selectors.team_members(trajectory=trajectory)}
        signal = services.signal_create(
            trajectory=trajectory, author=request.user, category=data["category"], urgency=data["urgency"],
            text=data["text"], recipients=[team.get(pk, pk) for pk in data["recipients"]],
            whole_team=data["whole_team"],
        )
        return Response(s.SignalOut(selectors.trajectory_signals(trajectory=trajectory).get(pk=signal.pk)).data,
                        status=status.HTTP_201_CREATED)


class SignalDetail(generics.GenericAPIView):
    serializer_class = s.SignalOut

    def get(self, request, pk: int):
        signal = selectors.signal_find(pk=pk)
        trajectory = selectors.trajectory_for(user=request.user, pk=signal.trajectory_id, action="signal.view")
        return Response(s.SignalOut(selectors.trajectory_signals(trajectory=trajectory).get(pk=pk)).data)


class SignalAcknowledge(APIView):
    @extend_schema(request=s.AcknowledgeIn, responses=s.RecipientOut)
    def post(self, request, pk: int):
        signal = selectors.signal_get(user=request.user, pk=pk, action="signal.acknowledge")
        valid_body(s.AcknowledgeIn, request)
        recipient = services.signal_acknowledge(signal=signal, person=request.user)
        return Response(s.RecipientOut(recipient).data)


class TrajectoryReferrals(generics.GenericAPIView):
    """Referrals of a trajectory (GET), or refer the client (POST)."""

    serializer_class = s.ReferralOut
    pagination_class = None

    @extend_schema(responses=s.ReferralOut(many=True))
    def get(self, request, trajectory_pk: int):
        trajectory = selectors.trajectory_for(user=request.user, pk=trajectory_pk, action="referral.view")
        return Response(s.ReferralOut(selectors.trajectory_referrals(trajectory=trajectory), many=True).data)

    @extend_schema(request=s.ReferralIn, responses={201: s.ReferralOut})
    def post(self, request, trajectory_pk: int):
        trajectory = selectors.trajectory_for(user=request.user, pk=trajectory_pk, action="referral.create")
        data = valid_body(s.ReferralIn, request)
        organisation = Organisation.objects.filter(pk=data["organisation"]).first()
        referral = services.referral_create(trajectory=trajectory, referred_by=request.user, organisation=organisation,
                                            service=data["service"], question=data["question"])
        return Response(s.ReferralOut(selectors.trajectory_referrals(trajectory=trajectory).get(pk=referral.pk)).data,
                        status=status.HTTP_201_CREATED)


class IncomingReferrals(generics.ListAPIView):
    """Referrals to the signed-in professional's organisation (`?state=` to filter)."""

    serializer_class = s.ReferralOut

    def get_queryset(self):
        return selectors.incoming_referrals(user=self.request.user, state=self.request.query_params.get("state", "")) \
            .prefetch_related("events__actor")


class ReferralDetail(generics.GenericAPIView):
    serializer_class = s.ReferralOut

    def get(self, request, pk: int):
        return Response(s.ReferralOut(selectors.referral_get(user=request.user, pk=pk)).data)


def _referral_out(pk: int) -> dict:
    # Re-read without authorizing again: the service has just authorized (and logged) the step.
    referral = selectors.referral_find(pk=pk)
    return s.ReferralOut(referral).data


class ReferralAccept(APIView):
    @extend_schema(request=s.AcceptIn, responses=s.ReferralOut)
    def post(self, request, pk: int):
        referral = selectors.referral_for(user=request.user, pk=pk, to_state=ReferralState.ACCEPTED)
        valid_body(s.AcceptIn, request)
        services.referral_accept(referral=referral, actor=request.user)
        return Response(_referral_out(pk))


class ReferralReject(APIView):
    @extend_schema(request=s.RejectIn, responses=s.ReferralOut)
    def post(self, request, pk: int):
        referral = selectors.referral_for(user=request.user, pk=pk, to_state=ReferralState.REJECTED)
        data = valid_body(s.RejectIn, request)
        services.referral_reject(referral=referral, actor=request.user, reason=data["reason"])
        return Response(_referral_out(pk))


class ReferralWithdraw(APIView):
    @extend_schema(request=s.WithdrawIn, responses=s.ReferralOut)
    def post(self, request, pk: int):
        referral = selectors.referral_for(user=request.user, pk=pk, to_state=ReferralState.WITHDRAWN)
        data = valid_body(s.WithdrawIn, request)
        services.referral_withdraw(referral=referral, actor=request.user, reason=data["reason"])
        return Response(_referral_out(pk))


class ReferralComplete(APIView):
    @extend_schema(request=s.CompleteIn, responses=s.ReferralOut)
    def post(self, request, pk: int):
        referral = selectors.referral_for(user=request.user, pk=pk, to_state=ReferralState.COMPLETED)
        data = valid_body(s.CompleteIn, request)
        services.referral_complete(referral=referral, actor=request.user,
                                   successful=data["outcome"], reason=data["reason"])
        return Response(_referral_out(pk))


class ReferralJoinTeam(APIView):
    @extend_schema(request=None, responses={201: s.MembershipOut})
    def post(self, request, pk: int):
        referral = selectors.referral_for_join(user=request.user, pk=pk)
        member = services.referral_join_team(referral=referral, person=request.user)
        return Response(s.MembershipOut(member).data, status=status.HTTP_201_CREATED)


