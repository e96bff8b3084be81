"""Output serializers render what the selectors return; input serializers parse actions only."""

from __future__ import annotations

from rest_framework import serializers

from ..models import Action, ActionStatus, Goal, PlanResponse, PlanVersion
from ..workflow import AgreementState


class ActionOut(serializers.ModelSerializer):
    owner = serializers.SerializerMethodField()
    goal = serializers.UUIDField(source="goal.key")

    class Meta:
        model = Action
        fields = ["id", "key", "goal", "title", "owner", "due_on", "status"]

    def get_owner(self, obj: Action) -> str:
        return "client" if obj.owner_is_client else str(obj.owner_id)


class GoalOut(serializers.ModelSerializer):
    actions = ActionOut(many=True, read_only=True)

    class Meta:
        model = Goal
        fields = ["id", "key", "title", "description", "actions"]


class AnswerOut(serializers.ModelSerializer):
    person = serializers.IntegerField(source="person_id")
    name = serializers.CharField(source="person.get_full_name")

    class Meta:
        model = PlanResponse
        fields = ["id", "person", "name", "for_client", "kind", "comment", "responded_at"]


class VersionSummaryOut(serializers.ModelSerializer):
    created_by = serializers.CharField(source="created_by.get_full_name")

    class Meta:
        model = PlanVersion
        fields = ["number", "created_by", "created_at", "note", "submitted_at", "agreed_at", "disagreed", "client_agreed"]


class VersionOut(VersionSummaryOut):
    goals = GoalOut(many=True, read_only=True)
    answers = AnswerOut(many=True, read_only=True, source="responses")

    class Meta(VersionSummaryOut.Meta):
        fields = VersionSummaryOut.Meta.fields + ["goals", "answers"]


class ParticipantOut(serializers.Serializer):
    name = serializers.CharField()
    organisation = serializers.CharField()
    role = serializers.CharField()
    is_client = serializers.BooleanField()
    is_plan_director = serializers.BooleanField()
    person_id = serializers.IntegerField(allow_null=True)
    answer = serializers.SerializerMethodField()

    def get_answer(self, obj) -> str | None:
        return obj.answer.kind if obj.answer else None


class PlanOut(serializers.Serializer):
    trajectory = serializers.IntegerField(source="trajectory.pk")
    revision = serializers.IntegerField(help_text="counts every change to the plan; send it back when saving")
    state = serializers.ChoiceField(choices=AgreementState.choices)
    version = VersionOut(allow_null=True)
    participants = ParticipantOut(many=True)
    waiting_for = ParticipantOut(many=True)


class ActionIn(serializers.Serializer):
    key = serializers.UUIDField(required=False, allow_null=True)
    title = serializers.CharField(max_length=200, allow_blank=True)
    owner = serializers.CharField(max_length=20, help_text='"client" or the id of a team member')
    due_on = serializers.DateField()
    status = serializers.ChoiceField(choices=ActionStatus.choices, default=ActionStatus.OPEN)


class GoalIn(serializers.Serializer):
    key = serializers.UUIDField(required=False, allow_null=True)
    title = serializers.CharField(max_length=200, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    actions = ActionIn(many=True, required=False, default=list)


class PlanSaveIn(serializers.Serializer):
    based_on = serializers.IntegerField(min_value=0, help_text="the version number this change starts from (0: none)")
    revision = serializers.IntegerField(
        min_value=0, help_text="the plan's `revision` this change starts from (from GET of the plan); 409 when the plan "
        "changed since, also by an action's status")
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    submit = serializers.BooleanField(default=False, help_text="ask everyone to agree at once")
    goals = GoalIn(many=True)


class AgreeIn(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text="the version you agree to: must be the current one")
    for_client = serializers.BooleanField(default=False, help_text="a team member records the client's own answer "
                                          "(given in a conversation or on paper)")


class DisagreeIn(AgreeIn):
    comment = serializers.CharField(max_length=2000, allow_blank=True, help_text="why you do not agree (required)")


class SubmitIn(serializers.Serializer):
    version = serializers.IntegerField(min_value=1)


class ActionStatusIn(serializers.Serializer):
    status = serializers.ChoiceField(choices=ActionStatus.choices)


class ChangeOut(serializers.Serializer):
    kind = serializers.CharField()
    item = serializers.CharField()
    title = serializers.CharField()
    changed = serializers.SerializerMethodField()

    def get_changed(self, obj) -> list[dict]:
        return [{"field": str(label), "old": str(old), "new": str(new)} for label, old, new in obj.fields]
