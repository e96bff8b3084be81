"""Input and output of the appointments API. Input serializers parse only; services decide."""

from __future__ import annotations

from rest_framework import serializers

from ..models import Appointment, AppointmentChange, AppointmentKind


class AppointmentChangeOut(serializers.ModelSerializer):
    class Meta:
        model = AppointmentChange
        fields = ["kind", "sequence", "starts_at", "ends_at", "previous_starts_at", "reason", "changed_by", "changed_at"]


class AppointmentOut(serializers.ModelSerializer):
    participants = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    ics = serializers.SerializerMethodField()

    class Meta:
        model = Appointment
        fields = [
            "id", "trajectory", "kind", "status", "starts_at", "ends_at", "place", "video_link", "with_client",
            "participants", "expert", "employer_contact_name", "employer_contact_email", "plan_action",
            "deployment_request", "support_group_meeting", "organiser", "sequence", "created_at", "updated_at", "ics",
        ]

    def get_ics(self, obj: Appointment) -> str:
        from django.urls import reverse

        return reverse("api:appointments-ics", kwargs={"pk": obj.pk})


class AppointmentDetailOut(AppointmentOut):
    changes = AppointmentChangeOut(many=True, read_only=True)

    class Meta(AppointmentOut.Meta):
        fields = [*AppointmentOut.Meta.fields, "changes"]


_ID = serializers.IntegerField(min_value=1, max_value=2**63 - 1)


class AppointmentIn(serializers.Serializer):
    kind = serializers.ChoiceField(choices=AppointmentKind.choices)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    video_link = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    with_client = serializers.BooleanField(required=False, default=False)
    participants = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
                                         required=False, default=list, max_length=50)
    expert = serializers.IntegerField(min_value=1, max_value=2**63 - 1, required=False, allow_null=True, default=None,
                                      help_text="An experience expert's profile id.")
    employer_contact_name = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    employer_contact_email = serializers.EmailField(required=False, allow_blank=True, default="")
    plan_action = serializers.IntegerField(min_value=1, max_value=2**63 - 1, required=False, allow_null=True,
                                           default=None)


class AppointmentCreateIn(AppointmentIn):
    deployment_request = serializers.IntegerField(min_value=1, max_value=2**63 - 1, required=False, allow_null=True,
                                                  default=None)
    support_group_meeting = serializers.IntegerField(min_value=1, max_value=2**63 - 1, required=False,
                                                     allow_null=True, default=None)


class AppointmentUpdateIn(AppointmentIn):
    """Every field as it should be after the change (fields left out keep their value)."""

    kind = serializers.ChoiceField(choices=AppointmentKind.choices, required=False)
    starts_at = serializers.DateTimeField(required=False)
    ends_at = serializers.DateTimeField(required=False)
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class CancelIn(serializers.Serializer):
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
