"""API shapes for the client record and consent. Input serializers parse; services decide."""

from __future__ import annotations

from rest_framework import serializers

from werkbrug.core.choices import DataCategory, Role

from ..models import (
    Benefit,
    ClientStatus,
    ConsentDisplayState,
    ConsentEvent,
    ConsentMethod,
    ConsentState,
)

# Full choice sets (one enum per vocabulary in the schema); the services refuse what does not apply.
METHODS = ConsentMethod.choices


class ClientOut(serializers.Serializer):
    id = serializers.IntegerField()
    pseudonym = serializers.CharField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    date_of_birth = serializers.DateField()
    bsn = serializers.CharField(allow_null=True, help_text="Only for organisations with a legal basis; else null.")
    has_bsn = serializers.BooleanField()
    email = serializers.CharField()
    phone = serializers.CharField()
    address = serializers.CharField()
    postcode = serializers.CharField()
    city = serializers.CharField()
    benefit = serializers.CharField()
    status = serializers.CharField()
    trajectories = serializers.ListField(child=serializers.IntegerField())


class ClientRegisterOut(ClientOut):
    trajectory = serializers.IntegerField()


class ClientFieldsIn(serializers.Serializer):
    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=150)
    date_of_birth = serializers.DateField()
    bsn = serializers.CharField(max_length=11, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    postcode = serializers.CharField(max_length=10, required=False, allow_blank=True)
    city = serializers.CharField(max_length=100, required=False, allow_blank=True)
    benefit = serializers.ChoiceField(choices=Benefit.choices, required=False)


class ClientRegisterIn(ClientFieldsIn):
    role = serializers.ChoiceField(choices=Role.choices, help_text="A role that works with clients.")
    consent_method = serializers.ChoiceField(choices=METHODS)
    consent_evidence = serializers.CharField(
        max_length=300, required=False, allow_blank=True,
        help_text="Where the client's consent can be checked (e.g. the signed form's reference).",
    )
    started_on = serializers.DateField(required=False)
    different_person = serializers.BooleanField(
        required=False, default=False,
        help_text="Register even though a person with these details may already be known in the region "
                  "(else such a registration is refused with code possibly_known).")


class ClientUpdateIn(ClientFieldsIn):
    status = serializers.ChoiceField(choices=ClientStatus.choices, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False


class ConsentStateOut(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name")
    method = serializers.CharField(source="last_event.method")
    granted = serializers.BooleanField(
        source="is_current", read_only=True, help_text="Whether the consent counts now (false once expired).")
    state = serializers.ChoiceField(source="display_state", choices=ConsentDisplayState.choices, read_only=True)
    evidence = serializers.CharField(source="last_event.evidence")

    class Meta:
        model = ConsentState
        fields = ["organisation", "organisation_name", "category", "granted", "state", "valid_until", "method",
                  "evidence", "version"]


class ConsentEventOut(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name")
    recorded_by_name = serializers.CharField(source="recorded_by.get_full_name")

    class Meta:
        model = ConsentEvent
        fields = ["id", "organisation", "organisation_name", "category", "kind", "method", "given_on",
                  "valid_until", "note", "evidence", "recorded_by_name", "recorded_at"]


class ConsentsOut(serializers.Serializer):
    current = ConsentStateOut(many=True)
    history = ConsentEventOut(many=True)


class ConsentGrantIn(serializers.Serializer):
    organisation = serializers.IntegerField()
    category = serializers.ChoiceField(choices=DataCategory.choices)
    method = serializers.ChoiceField(choices=METHODS)
    given_on = serializers.DateField(required=False, allow_null=True)
    valid_until = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)
    evidence = serializers.CharField(
        max_length=300, required=False, allow_blank=True,
        help_text="Where the consent can be checked (e.g. the signed form's reference); required from professionals.",
    )
    expected_version = serializers.IntegerField(
        required=False, allow_null=True, min_value=0,
        help_text="The consent's version when it was read (0: none yet). A stale version is refused.",
    )


class ConsentWithdrawIn(serializers.Serializer):
    organisation = serializers.IntegerField()
    category = serializers.ChoiceField(choices=DataCategory.choices)
    method = serializers.ChoiceField(choices=METHODS)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)
    expected_version = serializers.IntegerField(required=False, allow_null=True, min_value=0)


class KnownIn(serializers.Serializer):
    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=150)
    date_of_birth = serializers.DateField()


class KnownOut(serializers.Serializer):
    possibly_known = serializers.BooleanField(
        help_text="A person with these details may already be known in the region. Nothing else is told.")


class JoinAskIn(KnownIn):
    role = serializers.ChoiceField(choices=Role.choices, help_text="The casework role you would have in the team.")
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class JoinRequestOut(serializers.Serializer):
    id = serializers.IntegerField()
    trajectory = serializers.IntegerField(source="trajectory_id")
    requested_by = serializers.IntegerField(source="requested_by_id")
    requested_by_name = serializers.CharField(source="requested_by.get_full_name")
    organisation_name = serializers.CharField(source="requested_by.organisation.name", default="")
    role = serializers.CharField()
    note = serializers.CharField()
    status = serializers.CharField()
    created_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)


class JoinDecideIn(serializers.Serializer):
    accept = serializers.BooleanField(help_text="true: add the asker to the team; false: decline.")


class MergeIn(serializers.Serializer):
    surviving = serializers.CharField(max_length=16, help_text="Client id (pseudonym) of the file that stays.")
    merged = serializers.CharField(max_length=16, help_text="Client id (pseudonym) of the file merged into it.")
    reason = serializers.CharField(max_length=300)


class MergeOut(serializers.Serializer):
    id = serializers.IntegerField()
    surviving = serializers.CharField(source="surviving.pseudonym")
    merged = serializers.CharField(source="merged.pseudonym")
    merged_at = serializers.DateTimeField()
    reason = serializers.CharField()
    moved = serializers.DictField(child=serializers.IntegerField())
