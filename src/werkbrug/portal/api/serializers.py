from rest_framework import serializers

from werkbrug.clients.models import ConsentDisplayState
from werkbrug.core.choices import DataCategory
from werkbrug.core.models import AccessLogRecord

from ..models import CorrectionRequest, CorrectionSubject


class ConsentRowOut(serializers.Serializer):
    organisation = serializers.IntegerField(source="organisation.pk")
    organisation_name = serializers.CharField(source="organisation.name")
    category = serializers.CharField()
    granted = serializers.BooleanField(help_text="Whether the consent counts now (false once expired).")
    state = serializers.ChoiceField(choices=ConsentDisplayState.choices, allow_blank=True,
                                    help_text="given, expired or withdrawn; empty: never given")
    valid_until = serializers.DateField(allow_null=True)
    version = serializers.IntegerField()


class ConsentChangeIn(serializers.Serializer):
    organisation = serializers.IntegerField()
    category = serializers.ChoiceField(choices=DataCategory.choices)
    give = serializers.BooleanField(help_text="true: give consent; false: withdraw it")
    version = serializers.IntegerField(min_value=0, required=False, allow_null=True,
                                       help_text="the consent's version you saw (stale: 400 `stale`)")


class AccessLogOut(serializers.ModelSerializer):
    class Meta:
        model = AccessLogRecord
        fields = ["occurred_at", "code", "actor_name", "actor_organisation", "actor_role", "data_category", "purpose"]


class PortalTeamMemberOut(serializers.Serializer):
    """Someone in the client's team, as the client sees them."""

    name = serializers.CharField(source="person.get_full_name")
    organisation = serializers.CharField(source="organisation.name")
    role = serializers.CharField()
    is_plan_director = serializers.BooleanField()
    joined_at = serializers.DateTimeField()


class TeamOut(serializers.Serializer):
    trajectory = serializers.IntegerField(allow_null=True)
    plan_director = serializers.CharField(allow_null=True)
    members = PortalTeamMemberOut(many=True)


class ActionTickIn(serializers.Serializer):
    done = serializers.BooleanField(help_text="true: I did it; false: not done yet")


class CorrectionIn(serializers.Serializer):
    subject = serializers.ChoiceField(choices=CorrectionSubject.choices)
    text = serializers.CharField(max_length=2000, help_text="what is not right, and what it should be")


class CorrectionOut(serializers.ModelSerializer):
    answered_by = serializers.CharField(source="answered_by.get_full_name", default=None, allow_null=True)

    class Meta:
        model = CorrectionRequest
        fields = ["id", "subject", "text", "requested_at", "state", "answer", "answered_by", "answered_at"]
