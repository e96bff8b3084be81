from __future__ import annotations

from rest_framework import serializers

from werkbrug.core.choices import OrganisationType, Role
from werkbrug.core.models import Organisation, User

from ..models import AdministrationEvent, OIDCIdentity


class AdminOrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name", "short_name", "type", "website", "email", "phone"]


class AdminOrganisationInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False)
    short_name = serializers.CharField(max_length=40, required=False, allow_blank=True)
    type = serializers.ChoiceField(choices=OrganisationType.choices, required=False)
    website = serializers.URLField(required=False, allow_blank=True, max_length=200)
    email = serializers.EmailField(required=False, allow_blank=True)
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True)


class OIDCIdentitySerializer(serializers.ModelSerializer):
    class Meta:
        model = OIDCIdentity
        fields = ["id", "subject", "label", "linked_at"]


class AdminPersonSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()
    organisation = serializers.IntegerField(source="organisation_id", allow_null=True)
    invited = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "first_name", "last_name", "email", "organisation", "job_title", "phone",
                  "is_active", "invited", "roles"]

    def get_roles(self, obj: User) -> list[str]:
        prefetched = getattr(obj, "role_list", None)  # the list view prefetches (`selectors.person_list`)
        return sorted(a.role for a in prefetched) if prefetched is not None else sorted(obj.roles)

    def get_invited(self, obj: User) -> bool:
        return not obj.has_usable_password()


class AdminPersonDetailSerializer(AdminPersonSerializer):
    identities = OIDCIdentitySerializer(source="oidc_identities", many=True, read_only=True)

    class Meta(AdminPersonSerializer.Meta):
        fields = [*AdminPersonSerializer.Meta.fields, "identities"]


class AdminPersonInputSerializer(serializers.Serializer):
    first_name = serializers.CharField(max_length=150, required=False)
    last_name = serializers.CharField(max_length=150, required=False)
    email = serializers.EmailField(required=False)
    organisation = serializers.IntegerField(min_value=1, max_value=2**63 - 1, required=False)
    job_title = serializers.CharField(max_length=120, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True)


class AdminInviteInputSerializer(AdminPersonInputSerializer):
    first_name = serializers.CharField(max_length=150)
    last_name = serializers.CharField(max_length=150)
    email = serializers.EmailField()
    organisation = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    roles = serializers.ListField(child=serializers.ChoiceField(choices=Role.choices), required=False, max_length=20)


class RoleInputSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices)


class IdentityInputSerializer(serializers.Serializer):
    subject = serializers.CharField(max_length=255)
    label = serializers.CharField(max_length=120, required=False, allow_blank=True)


class IdentityRefSerializer(serializers.Serializer):
    identity = serializers.IntegerField(min_value=1, max_value=2**63 - 1)


class SuccessorInputSerializer(serializers.Serializer):
    trajectory = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    kind = serializers.ChoiceField(choices=[("colleague", "colleague"), ("appoint", "appoint"), ("leave", "leave")])
    person = serializers.IntegerField(min_value=1, max_value=2**63 - 1, required=False, allow_null=True)


class HandOverInputSerializer(serializers.Serializer):
    successors = SuccessorInputSerializer(many=True, max_length=1000)


class SeatSerializer(serializers.Serializer):
    """A place in a client team, named by trajectory number only."""

    trajectory = serializers.IntegerField(source="trajectory.pk")
    started_on = serializers.DateField()
    role = serializers.CharField()
    plan_director = serializers.BooleanField(source="is_director")
    team = serializers.SerializerMethodField()

    def get_team(self, seat) -> list[dict]:
        return [{"person": m.person_id, "name": m.person.get_full_name(), "organisation": m.organisation_id}
                for m in seat.team]


class HandOverSerializer(serializers.Serializer):
    seats = SeatSerializer(many=True)
    colleagues = serializers.ListField(child=serializers.DictField())


class AdministrationEventSerializer(serializers.ModelSerializer):
    actor = serializers.IntegerField(source="actor_id")
    person = serializers.IntegerField(source="person_id", allow_null=True)
    organisation = serializers.IntegerField(source="organisation_id", allow_null=True)

    class Meta:
        model = AdministrationEvent
        fields = ["id", "at", "actor", "action", "person", "organisation", "before", "after"]


class DeactivateInputSerializer(serializers.Serializer):
    coordinator = serializers.IntegerField(
        min_value=1, max_value=2**63 - 1, required=False, allow_null=True,
        help_text="Who coordinates the person's experience experts from now on (null: nobody for now). Required when "
                  "the person coordinates experts.")
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True)


class ReactivateInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class _NamedPersonSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField(source="get_full_name")


class _CoordinatedExpertSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="person_id")
    name = serializers.CharField(source="person.get_full_name")


class _ExpertRequestSerializer(serializers.Serializer):
    """A deployment request in the leaving expert's hands, by number only."""

    id = serializers.IntegerField(source="pk")
    status = serializers.CharField()
    outcome = serializers.SerializerMethodField()

    def get_outcome(self, request) -> str:
        return "reopened" if request.status == "offered" else "cancelled"


class DeactivationPreviewSerializer(serializers.Serializer):
    """What deactivation hands over; questions and requests by number only."""

    seats = SeatSerializer(many=True)
    ambassador_organisation = serializers.IntegerField(source="ambassador.organisation_id", allow_null=True,
                                                       default=None)
    ambassador_questions = serializers.ListField(source="ambassador_question_ids", child=serializers.IntegerField())
    ambassador_colleagues = serializers.SerializerMethodField()
    fallback_needed = serializers.BooleanField()
    coordinated_experts = _CoordinatedExpertSerializer(source="coordinated", many=True)
    coordinator_candidates = _NamedPersonSerializer(many=True)
    expert_requests = _ExpertRequestSerializer(many=True)
    expert_profile_active = serializers.SerializerMethodField()
    calendar_feed = serializers.BooleanField()
    roles = serializers.SerializerMethodField()

    def get_ambassador_colleagues(self, positions) -> list[int]:
        return [a.person_id for a in positions.ambassador_colleagues]

    def get_expert_profile_active(self, positions) -> bool:
        return positions.expert_profile is not None

    def get_roles(self, positions) -> list[str]:
        return sorted(self.context["person"].roles)
