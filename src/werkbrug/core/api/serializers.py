from rest_framework import serializers

from ..models import AccessLogRecord, Organisation, Region, User


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["id", "name", "slug"]


class OrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "region", "name", "short_name", "type", "website", "email", "phone"]


class PersonSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="get_full_name")
    roles = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "name", "organisation", "job_title", "email", "roles"]

    def get_roles(self, obj: User) -> list[str]:
        return sorted(a.role for a in obj.role_assignments.all())


class AccessLogRecordSerializer(serializers.ModelSerializer):
    class Meta:
        model = AccessLogRecord
        fields = [
            "id", "occurred_at", "code", "action", "granted", "actor_name", "actor_organisation",
            "actor_role", "on_behalf_of", "client_pseudonym", "data_category", "object_type",
            "object_id", "purpose", "check_authorised", "check_relation", "check_consent",
            "check_emergency", "request_id", "ip_address",
        ]
