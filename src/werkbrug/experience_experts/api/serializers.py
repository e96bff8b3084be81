"""API serializers: output serializers per entity, dedicated input serializers per action."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from ..models import (
    Absence,
    CheckIn,
    ClientWish,
    CoordinatorAssignment,
    Deployment,
    DeploymentKind,
    DeploymentRequest,
    DeploymentVersion,
    ExpertProfile,
    ExpertSignal,
    LivedExperienceDomain,
    RequestOffer,
    Setting,
    SupportGroup,
    SupportGroupMeeting,
)


class DomainSerializer(serializers.ModelSerializer):
    class Meta:
        model = LivedExperienceDomain
        fields = ["id", "name", "active"]
        read_only_fields = ["id", "active"]


class ExpertDomainPatchIn(serializers.Serializer):
    """A domain change: rename and/or switch off (or on again); only the fields sent change."""

    name = serializers.CharField(max_length=100, required=False)
    active = serializers.BooleanField(required=False)


class ExpertAbsenceSerializer(serializers.ModelSerializer):
    """An absence; the note only for who may read it (`ee_absence.view_note`, as on the page)."""

    class Meta:
        model = Absence
        fields = ["id", "profile", "start", "end", "note"]


class ExpertAbsenceIn(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class ExpertBuddyIn(serializers.Serializer):
    """The buddy's profile id, or null to end the pair."""

    buddy = serializers.IntegerField(allow_null=True)


class ProfileSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="person.get_full_name", read_only=True)
    organisation = serializers.IntegerField(source="person.organisation_id", read_only=True)
    domains = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    buddy = serializers.IntegerField(source="buddy_id", read_only=True, allow_null=True)

    class Meta:
        model = ExpertProfile
        fields = ["id", "person", "name", "organisation", "higher_vocational", "education_field", "training_name",
                  "training_year", "domains", "contract_hours", "client_contact_limit", "buddy", "availability", "active"]


class ExpertProfileIn(serializers.Serializer):
    """A new profile: `person` is an experience expert of the region without a profile; domains by id."""

    person = serializers.IntegerField()
    coordinator = serializers.IntegerField(required=False, allow_null=True, default=None)
    contract_hours = serializers.DecimalField(max_digits=4, decimal_places=1)
    client_contact_limit = serializers.DecimalField(max_digits=4, decimal_places=1)
    domains = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    higher_vocational = serializers.BooleanField(required=False, default=False)
    education_field = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    training_name = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    training_year = serializers.IntegerField(min_value=1980, max_value=2100, required=False, allow_null=True, default=None)
    availability = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class ExpertProfilePatchIn(serializers.Serializer):
    """A profile change: only the fields sent change. Who coordinates: `coordinator` action."""

    contract_hours = serializers.DecimalField(max_digits=4, decimal_places=1, required=False)
    client_contact_limit = serializers.DecimalField(max_digits=4, decimal_places=1, required=False)
    domains = serializers.ListField(child=serializers.IntegerField(), required=False)
    higher_vocational = serializers.BooleanField(required=False)
    education_field = serializers.CharField(max_length=120, required=False, allow_blank=True)
    training_name = serializers.CharField(max_length=120, required=False, allow_blank=True)
    training_year = serializers.IntegerField(min_value=1980, max_value=2100, required=False, allow_null=True)
    availability = serializers.CharField(max_length=200, required=False, allow_blank=True)
    active = serializers.BooleanField(required=False)


class ExpertCoordinatorIn(serializers.Serializer):
    """The coordinator's person id, or null for none (region administrators only)."""

    coordinator = serializers.IntegerField(allow_null=True)


class ExpertCoordinatorAssignmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = CoordinatorAssignment
        fields = ["id", "profile", "coordinator", "previous", "assigned_by", "assigned_at"]


class ExpertClientWishIn(serializers.Serializer):
    trajectory = serializers.IntegerField()


class ExpertClientWishSerializer(serializers.ModelSerializer):
    class Meta:
        model = ClientWish
        fields = ["id", "trajectory", "recorded_by", "recorded_at"]


class OfferSerializer(serializers.ModelSerializer):
    class Meta:
        model = RequestOffer
        fields = ["id", "expert", "offered_at", "reasons", "outcome", "decided_at"]


class RequestSerializer(serializers.ModelSerializer):
    client = serializers.CharField(source="client.pseudonym", default=None, read_only=True, allow_null=True)
    domains = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    offers = OfferSerializer(many=True, read_only=True)

    class Meta:
        model = DeploymentRequest
        fields = ["id", "kind", "setting", "client", "trajectory", "topic", "domains", "period_start", "period_end",
                  "minutes", "note", "status", "expert", "requested_by", "organisation", "created_at", "offers",
                  "closed_at", "closed_by", "close_reason"]


class RequestIn(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DeploymentKind.choices)
    setting = serializers.ChoiceField(choices=Setting.choices, default=Setting.OWN_OFFICE)
    trajectory = serializers.IntegerField(required=False, allow_null=True)
    topic = serializers.CharField(required=False, allow_blank=True, default="")
    domains = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    minutes = serializers.IntegerField(default=60)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class OfferIn(serializers.Serializer):
    expert = serializers.IntegerField()


class MatchSerializer(serializers.Serializer):
    expert = serializers.IntegerField(source="candidate.expert_id")
    name = serializers.CharField(source="candidate.name")
    score = serializers.IntegerField()
    available = serializers.BooleanField()
    consent = serializers.BooleanField(source="candidate.consent")
    reasons = serializers.ListField(child=serializers.CharField())


class DeploymentSerializer(serializers.ModelSerializer):
    client = serializers.CharField(source="client.pseudonym", default=None, read_only=True, allow_null=True)

    class Meta:
        model = Deployment
        fields = ["id", "expert", "request", "status", "date", "kind", "minutes", "setting", "client", "topic",
                  "organisation_served", "outcome", "registered_at"]


class DeploymentScheduleIn(serializers.Serializer):
    """When and where a deployment takes place: a day within the request's period; times with
    their zone (or read in Europe/Amsterdam); a place or an https video link."""

    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    place = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    video_link = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)

    def schedule(self):
        from ..services import DeploymentSchedule

        return DeploymentSchedule(**self.validated_data)


class DeploymentIn(serializers.Serializer):
    date = serializers.DateField()
    kind = serializers.ChoiceField(choices=DeploymentKind.choices)
    minutes = serializers.IntegerField()
    setting = serializers.ChoiceField(choices=Setting.choices)
    organisation_served = serializers.IntegerField()
    client = serializers.CharField(required=False, allow_blank=True, default="", help_text="client id (pseudonym)")
    topic = serializers.CharField(required=False, allow_blank=True, default="")
    outcome = serializers.CharField(required=False, allow_blank=True, default="")


class DeploymentCompleteIn(serializers.Serializer):
    date = serializers.DateField()
    minutes = serializers.IntegerField()
    setting = serializers.ChoiceField(choices=Setting.choices)
    outcome = serializers.CharField(required=False, allow_blank=True, default="")


class RegistrationSerializer(serializers.ModelSerializer):
    """A registration as its corrections show it: whether it was for a client, not which client."""

    for_client = serializers.SerializerMethodField()

    class Meta:
        model = Deployment
        fields = ["id", "expert", "status", "date", "kind", "minutes", "setting", "for_client", "topic",
                  "organisation_served", "outcome", "registered_at"]

    def get_for_client(self, obj: Deployment) -> bool:
        return obj.client_id is not None


class RegistrationCorrectionIn(serializers.Serializer):
    """Only the fields sent change; the reason is required."""

    reason = serializers.CharField(help_text="why (checked by the service: at most 500 characters)")
    date = serializers.DateField(required=False)
    kind = serializers.ChoiceField(choices=DeploymentKind.choices, required=False)
    minutes = serializers.IntegerField(required=False)
    setting = serializers.ChoiceField(choices=Setting.choices, required=False)
    organisation_served = serializers.IntegerField(required=False)
    topic = serializers.CharField(required=False, allow_blank=True)
    outcome = serializers.CharField(required=False, allow_blank=True)


class ReasonIn(serializers.Serializer):
    reason = serializers.CharField(help_text="why (checked by the service: at most 500 characters)")


class VersionSerializer(serializers.ModelSerializer):
    changed_by = serializers.CharField(source="changed_by.get_full_name", read_only=True)

    class Meta:
        model = DeploymentVersion
        fields = ["number", "change", "data", "reason", "changed_by", "changed_at"]


class CheckInSerializer(serializers.ModelSerializer):
    class Meta:
        model = CheckIn
        fields = ["id", "expert", "week", "energy", "load", "note", "created_at"]


class CheckInIn(serializers.Serializer):
    # Range checked by the service, so the API and the page give the same message.
    energy = serializers.IntegerField()
    load = serializers.IntegerField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class SignalSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExpertSignal
        fields = ["id", "expert", "kind", "period", "detail", "created_at"]


class MeetingSerializer(serializers.ModelSerializer):
    class Meta:
        model = SupportGroupMeeting
        fields = ["id", "number", "theme", "starts_at", "ends_at", "notes"]


class ExpertMeetingPatchIn(serializers.Serializer):
    """A meeting change: only the fields sent change; the facilitators' overlap is checked."""

    theme = serializers.CharField(max_length=200, required=False, allow_blank=True)
    starts_at = serializers.DateTimeField(required=False)
    ends_at = serializers.DateTimeField(required=False)
    notes = serializers.CharField(required=False, allow_blank=True)


class SupportGroupSerializer(serializers.ModelSerializer):
    meetings = MeetingSerializer(many=True, read_only=True)
    participants = serializers.SerializerMethodField()

    class Meta:
        model = SupportGroup
        fields = ["id", "name", "organisation", "facilitators", "notes", "meetings", "participants"]

    def get_participants(self, group) -> list[dict]:
        return [{"id": p.pk, "client": p.client.pseudonym} for p in group.participants.all()]


class SupportGroupListSerializer(serializers.ModelSerializer):
    """The list names no participants (that would be client data for every group at once)."""

    meetings = MeetingSerializer(many=True, read_only=True)

    class Meta:
        model = SupportGroup
        fields = ["id", "name", "organisation", "facilitators", "notes", "meetings"]


class SupportGroupIn(serializers.Serializer):
    name = serializers.CharField()
    facilitators = serializers.ListField(child=serializers.IntegerField())
    first_meeting_at = serializers.DateTimeField()
    meetings = serializers.IntegerField(default=6)
    duration_minutes = serializers.IntegerField(default=120)


class ParticipantIn(serializers.Serializer):
    client = serializers.CharField(help_text="client id (pseudonym)")


class AttendanceIn(serializers.Serializer):
    meeting = serializers.IntegerField()
    present = serializers.ListField(child=serializers.IntegerField(), default=list)
    notes = serializers.CharField(required=False, allow_blank=True, allow_null=True, default=None)


@extend_schema_field({"oneOf": [{"type": "integer"}, {"type": "string", "enum": ["<5", "x"]}]})
class SuppressedCountField(serializers.Field):
    """A count, or "<5" / "x" where small-number suppression hides it (werkbrug.core.suppression)."""

    def to_representation(self, value):
        return value


@extend_schema_serializer(many=False)  # the report is one object, also from the viewset's `list`
class ReportSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    by_kind = serializers.ListField()
    by_setting = serializers.ListField()
    by_month = serializers.ListField()
    clients_reached = SuppressedCountField()
    requests_made = SuppressedCountField()
    requests_accepted = SuppressedCountField()
    offers_declined = SuppressedCountField()
    balance_rows = serializers.ListField()
    attendance_rows = serializers.ListField()
    total_minutes = serializers.IntegerField()
