"""API shapes for trajectories, team, plan director, intake and caseload."""

from __future__ import annotations

from rest_framework import serializers

from werkbrug.core.choices import Role

from ..intake import INTAKE_FIELDS
from ..models import (
    CloseOutcome,
    CloseReason,
    PlanDirectorChange,
    TeamMembership,
    Trajectory,
    TrajectoryEvent,
)


class PersonRef(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="get_full_name")


class CaseloadItemOut(serializers.ModelSerializer):
    client = serializers.IntegerField(source="client_id")
    client_name = serializers.CharField(source="client.full_name")
    client_pseudonym = serializers.CharField(source="client.pseudonym")
    plan_director = PersonRef()
    ips_phase = serializers.SerializerMethodField()
    next_action_due = serializers.SerializerMethodField()
    open_signals = serializers.SerializerMethodField()
    plan_state = serializers.SerializerMethodField()

    class Meta:
        model = Trajectory
        fields = ["id", "client", "client_name", "client_pseudonym", "status", "started_on", "plan_director",
                  "ips_phase", "next_action_due", "open_signals", "plan_state"]

    def get_ips_phase(self, obj) -> str | None:
        return getattr(obj, "ips_phase", None)

    def get_next_action_due(self, obj) -> str | None:
        value = getattr(obj, "next_action_due", None)
        return value.isoformat() if value else None

    def get_open_signals(self, obj) -> int | None:
        return getattr(obj, "open_signals", None)

    def get_plan_state(self, obj) -> str | None:
        return getattr(obj, "plan_state", None)


class TeamMemberOut(serializers.ModelSerializer):
    person = PersonRef()
    organisation_name = serializers.CharField(source="organisation.name")

    class Meta:
        model = TeamMembership
        fields = ["id", "person", "organisation", "organisation_name", "role", "joined_at", "left_at"]


class PlanDirectorChangeOut(serializers.ModelSerializer):
    previous = PersonRef(allow_null=True)
    new = PersonRef()
    changed_by = PersonRef()

    class Meta:
        model = PlanDirectorChange
        fields = ["previous", "new", "changed_by", "changed_at", "note"]


class TrajectoryEventOut(serializers.ModelSerializer):
    by = PersonRef(allow_null=True)

    class Meta:
        model = TrajectoryEvent
        fields = ["kind", "close_reason", "outcome", "note", "ended_on", "by", "at"]


class TrajectoryOut(serializers.ModelSerializer):
    client = serializers.IntegerField(source="client_id")
    client_name = serializers.CharField(source="client.full_name")
    client_pseudonym = serializers.CharField(source="client.pseudonym")
    plan_director = PersonRef()
    team = serializers.SerializerMethodField()
    plan_director_history = serializers.SerializerMethodField()
    intake_status = serializers.SerializerMethodField()

    class Meta:
        model = Trajectory
        fields = ["id", "client", "client_name", "client_pseudonym", "status", "started_on", "ended_on",
                  "close_reason", "outcome", "outcome_note", "closed_at",
                  "plan_director", "team", "plan_director_history", "intake_status", "events"]

    events = serializers.SerializerMethodField()

    def get_events(self, obj) -> list[dict]:
        return TrajectoryEventOut(self.context.get("events", []), many=True).data

    def get_team(self, obj) -> list[dict]:
        return TeamMemberOut(self.context["members"], many=True).data

    def get_plan_director_history(self, obj) -> list[dict]:
        return PlanDirectorChangeOut(self.context["history"], many=True).data

    def get_intake_status(self, obj) -> str | None:
        intake = self.context.get("intake")
        return intake.status if intake else None


class TeamMemberIn(serializers.Serializer):
    person = serializers.IntegerField()
    role = serializers.ChoiceField(choices=Role.choices, help_text="A role that works with clients.")
    plan_director = serializers.BooleanField(
        required=False, default=False,
        help_text="There is exactly one plan director; true is refused (hand the role over instead).",
    )


class HandOverIn(serializers.Serializer):
    new_director = serializers.IntegerField()
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)


class IntakeSectionOut(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    category = serializers.CharField()
    shared = serializers.BooleanField(help_text="False: not shared with your organisation; values is null.")
    values = serializers.DictField(allow_null=True)


class IntakeOut(serializers.Serializer):
    status = serializers.CharField(allow_null=True)
    version = serializers.IntegerField()
    completed_at = serializers.DateTimeField(allow_null=True)
    sections = IntakeSectionOut(many=True)


class IntakeIn(serializers.Serializer):
    data = serializers.DictField(help_text="Field name → value, for the sections shared with your organisation. "
                                           "Fields: " + ", ".join(INTAKE_FIELDS))
    expected_version = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, help_text="The version you read (0: no intake yet)."
    )
    complete = serializers.BooleanField(required=False, default=False)


class CloseIn(serializers.Serializer):
    reason = serializers.ChoiceField(choices=CloseReason.choices)
    outcome = serializers.ChoiceField(choices=CloseOutcome.choices)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    ended_on = serializers.DateField(required=False, allow_null=True)


class ReopenIn(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class ArchiveItemOut(serializers.ModelSerializer):
    client = serializers.IntegerField(source="client_id")
    client_name = serializers.CharField(source="client.full_name")
    client_pseudonym = serializers.CharField(source="client.pseudonym")
    plan_director = PersonRef()

    class Meta:
        model = Trajectory
        fields = ["id", "client", "client_name", "client_pseudonym", "started_on", "ended_on", "close_reason",
                  "outcome", "closed_at", "plan_director"]
