"""Output serializers and dedicated input serializers for the actions. No rules here."""

from __future__ import annotations

from rest_framework import serializers

from ..models import (
    Referral,
    ReferralEvent,
    ReferralOutcome,
    ReferralService,
    Signal,
    SignalCategory,
    SignalRecipient,
    Urgency,
)


class RecipientOut(serializers.ModelSerializer):
    name = serializers.CharField(source="person.get_full_name")

    class Meta:
        model = SignalRecipient
        fields = ["person", "name", "acknowledged_at", "by_escalation"]


class SignalOut(serializers.ModelSerializer):
    author_name = serializers.CharField(source="author.get_full_name")
    recipients = RecipientOut(many=True)

    class Meta:
        model = Signal
        fields = ["id", "trajectory", "author", "author_name", "category", "urgency", "text", "whole_team",
                  "created_at", "escalated_at", "escalated_to", "recipients"]


class SignalIn(serializers.Serializer):
    category = serializers.ChoiceField(choices=SignalCategory.choices)
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.NORMAL)
    text = serializers.CharField(max_length=4000, allow_blank=True, trim_whitespace=True)
    recipients = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    whole_team = serializers.BooleanField(required=False, default=False)


class AcknowledgeIn(serializers.Serializer):
    """Acknowledging needs no input: the signed-in recipient acknowledges their own copy."""


class ReferralEventOut(serializers.ModelSerializer):
    actor_name = serializers.CharField(source="actor.get_full_name")

    class Meta:
        model = ReferralEvent
        fields = ["from_state", "to_state", "actor", "actor_name", "at", "reason"]


class ReferralOut(serializers.ModelSerializer):
    """What the receiving organisation sees too: the referral, the client's name and id, no more."""

    client_pseudonym = serializers.CharField(source="trajectory.client.pseudonym")
    client_name = serializers.CharField(source="trajectory.client.full_name")
    referred_by_name = serializers.CharField(source="referred_by.get_full_name")
    events = ReferralEventOut(many=True)

    class Meta:
        model = Referral
        fields = ["id", "trajectory", "client_pseudonym", "client_name", "organisation", "service", "question",
                  "referred_by", "referred_by_name", "state", "handled_by", "outcome", "reason", "created_at",
                  "changed_at", "events"]


class ReferralIn(serializers.Serializer):
    organisation = serializers.IntegerField()
    service = serializers.ChoiceField(choices=ReferralService.choices)
    question = serializers.CharField(max_length=2000, allow_blank=True)


class AcceptIn(serializers.Serializer):
    """Accepting needs no input; joining the team is a separate step (`join-team`)."""


class RejectIn(serializers.Serializer):
    reason = serializers.CharField(max_length=1000, allow_blank=True)


class WithdrawIn(serializers.Serializer):
    reason = serializers.CharField(max_length=1000, allow_blank=True, required=False, default="")


class CompleteIn(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=ReferralOutcome.choices)
    reason = serializers.CharField(max_length=1000, allow_blank=True)


class MembershipOut(serializers.Serializer):
    trajectory = serializers.IntegerField(source="trajectory_id")
    person = serializers.IntegerField(source="person_id")
    role = serializers.CharField()
    joined_at = serializers.DateTimeField()
