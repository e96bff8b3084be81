from __future__ import annotations

from rest_framework import serializers

from werkbrug.core.models import Organisation

from ..models import (
    Absence,
    AbsenceReason,
    Ambassador,
    Audience,
    Message,
    Proposal,
    ProposalEvent,
    ProposalStatus,
    Question,
    QuestionEvent,
    QuestionGroup,
    Topic,
    Urgency,
)


class TopicSerializer(serializers.ModelSerializer):
    class Meta:
        model = Topic
        fields = ["id", "name", "active", "position"]


class TopicInput(serializers.Serializer):
    name = serializers.CharField(max_length=120)


class AmbassadorSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="person.get_full_name")
    stand_ins = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Ambassador
        fields = ["id", "person", "name", "organisation", "position", "active", "stand_ins"]


class AppointInput(serializers.Serializer):
    person = serializers.IntegerField()
    position = serializers.IntegerField(min_value=0, default=0)


class StandInsInput(serializers.Serializer):
    stand_ins = serializers.ListField(child=serializers.IntegerField())


class AbsenceSerializer(serializers.ModelSerializer):
    """An absence; `reason` is null for who may not read it (`ambassador_absence.view_reason`)."""

    reason = serializers.ChoiceField(choices=AbsenceReason.choices, allow_null=True)

    class Meta:
        model = Absence
        fields = ["id", "ambassador", "starts_on", "ends_on", "reason"]


class AbsenceInput(serializers.Serializer):
    ambassador = serializers.IntegerField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    reason = serializers.ChoiceField(choices=AbsenceReason.choices, default=AbsenceReason.HOLIDAY)


class MessageSerializer(serializers.ModelSerializer):
    author_name = serializers.CharField(source="author.get_full_name")

    class Meta:
        model = Message
        fields = ["id", "kind", "author", "author_name", "text", "created_at"]


class EventSerializer(serializers.ModelSerializer):
    class Meta:
        model = QuestionEvent
        fields = ["kind", "at", "actor", "ambassador", "note"]


class QuestionSerializer(serializers.ModelSerializer):
    timeliness = serializers.SerializerMethodField()

    def get_timeliness(self, obj: Question) -> str:
        """on_time, late or very_late (open questions: measured until now)."""
        from django.utils import timezone

        from ..selectors import timeliness_of

        return str(timeliness_of(obj, timezone.now()))

    class Meta:
        model = Question
        fields = ["id", "organisation", "topic", "text", "urgency", "asked_by", "asked_at", "status", "assignee",
                  "deadline_hours", "deadline_mode", "deadline_at", "reminder_due_at", "reminded_at", "escalated_at",
                  "answered_at", "answered_by", "useful", "published", "group", "timeliness"]


class QuestionDetailSerializer(QuestionSerializer):
    messages = MessageSerializer(many=True, read_only=True)
    events = EventSerializer(many=True, read_only=True)

    class Meta(QuestionSerializer.Meta):
        fields = [*QuestionSerializer.Meta.fields, "messages", "events"]


class AskInput(serializers.Serializer):
    organisation = serializers.IntegerField()
    topic = serializers.IntegerField()
    text = serializers.CharField(max_length=5000, allow_blank=True)
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.NORMAL)
    confirm = serializers.BooleanField(
        default=False, help_text="The asker checked that the text identifies no client; required (true) when the "
        "identity guard finds something (a name, date of birth, phone number, address or client number).")


class TextInput(serializers.Serializer):
    text = serializers.CharField(max_length=5000, allow_blank=True)
    confirm = serializers.BooleanField(
        default=False, help_text="Required (true) when the identity guard finds something in the text.")


class UnpublishInput(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


class RateInput(serializers.Serializer):
    useful = serializers.BooleanField()


class PublishInput(serializers.Serializer):
    public_question = serializers.CharField(allow_blank=True)
    public_answer = serializers.CharField(allow_blank=True)


class QASerializer(serializers.ModelSerializer):
    question = serializers.CharField(source="public_question")
    answer = serializers.CharField(source="public_answer")

    class Meta:
        model = Question
        fields = ["id", "topic", "organisation", "question", "answer", "published_at"]


class SuggestionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    question = serializers.CharField()
    answer = serializers.CharField()
    published = serializers.BooleanField()
    score = serializers.FloatField()


class WarningSerializer(serializers.Serializer):
    kind = serializers.CharField()
    excerpt = serializers.CharField()
    blocking = serializers.BooleanField()
    message = serializers.CharField()


class CheckOutput(serializers.Serializer):
    warnings = WarningSerializer(many=True)
    suggestions = SuggestionSerializer(many=True)


class GroupSerializer(serializers.ModelSerializer):
    size = serializers.IntegerField(read_only=True)
    questions = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = QuestionGroup
        fields = ["id", "title", "terms", "pinned", "size", "questions"]


class MergeInput(serializers.Serializer):
    groups = serializers.ListField(child=serializers.IntegerField(), min_length=2)
    title = serializers.CharField(required=False, allow_blank=True, default="")


class SplitInput(serializers.Serializer):
    questions = serializers.ListField(child=serializers.IntegerField(), min_length=1)
    title = serializers.CharField(required=False, allow_blank=True, default="")


class ProposalEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProposalEvent
        fields = ["from_status", "to_status", "on", "note", "by", "at"]


class ProposalSerializer(serializers.ModelSerializer):
    events = ProposalEventSerializer(many=True, read_only=True)
    groups = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    organisations = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Proposal
        fields = ["id", "title", "problem", "process", "proposal", "organisations", "groups", "audience",
                  "audience_organisation", "question_count", "status", "created_at", "presented_on", "decided_on",
                  "decision", "implemented_on", "events"]


class ProposalInput(serializers.Serializer):
    title = serializers.CharField(max_length=200, allow_blank=True)
    problem = serializers.CharField(allow_blank=True)
    process = serializers.CharField(allow_blank=True)
    proposal = serializers.CharField(allow_blank=True)
    audience = serializers.ChoiceField(choices=Audience.choices)
    audience_organisation = serializers.IntegerField(required=False, allow_null=True)
    groups = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    organisations = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)


class TransitionInput(serializers.Serializer):
    to_status = serializers.ChoiceField(choices=ProposalStatus.choices)
    on = serializers.DateField(required=False)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class SettingsInput(serializers.Serializer):
    deadline_hours = serializers.IntegerField()
    deadline_mode = serializers.CharField()


class OrganisationRef(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name"]


class AmbTopicPatchInput(serializers.Serializer):
    name = serializers.CharField(max_length=120, required=False, allow_blank=True)
    active = serializers.BooleanField(required=False)

    def validate(self, attrs):
        if not attrs:
            raise serializers.ValidationError("give name or active")
        return attrs


class AmbGroupDetailSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    terms = serializers.ListField(child=serializers.CharField())
    pinned = serializers.BooleanField()
    size = serializers.IntegerField()
    organisations = serializers.ListField(child=serializers.CharField())
    topics = serializers.ListField(child=serializers.CharField())
    questions = QuestionSerializer(many=True)
