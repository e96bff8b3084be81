"""API serializers for research. Participants appear by study pseudonym only."""

from __future__ import annotations

from rest_framework import serializers

from ..models import (
    Arm,
    Design,
    FidelityReview,
    Level,
    Participant,
    Stage,
    Stratifier,
    Study,
)


class ArmSerializer(serializers.ModelSerializer):
    class Meta:
        model = Arm
        fields = ["id", "name", "code", "description", "ratio", "is_control", "strata"]


class StudySerializer(serializers.ModelSerializer):
    arms = ArmSerializer(many=True, read_only=True)
    organisation = serializers.CharField(source="organisation.name", read_only=True)

    class Meta:
        model = Study
        fields = ["id", "title", "research_question", "design", "eligibility", "eligible_benefits", "starts_on",
                  "ends_on", "status", "organisation", "stratify_by", "follow_up_days", "arms"]


class ArmInput(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    code = serializers.SlugField(max_length=30)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    ratio = serializers.IntegerField(min_value=1, max_value=10, default=1)
    is_control = serializers.BooleanField(default=False)
    strata = serializers.ListField(child=serializers.CharField(max_length=120), required=False, default=list)


class StudyInput(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    research_question = serializers.CharField()
    design = serializers.ChoiceField(choices=Design.choices)
    eligibility = serializers.CharField(required=False, allow_blank=True, default="")
    eligible_benefits = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    arms = ArmInput(many=True)
    stratify_by = serializers.ListField(child=serializers.ChoiceField(choices=Stratifier.choices), required=False, default=list)
    block_multipliers = serializers.ListField(child=serializers.IntegerField(), required=False)
    follow_up_days = serializers.ListField(child=serializers.IntegerField(), required=False)


class ParticipantSerializer(serializers.ModelSerializer):
    participant = serializers.CharField(source="study_pseudonym")
    arm = serializers.SerializerMethodField()
    randomised_on = serializers.SerializerMethodField()
    research_consent = serializers.BooleanField(read_only=True)

    class Meta:
        model = Participant
        fields = ["id", "participant", "stage", "stage_reason", "stratum", "arm", "randomised_on", "research_consent",
                  "not_received", "not_received_reason", "lost_to_follow_up", "lost_to_follow_up_reason",
                  "excluded_from_analysis", "excluded_from_analysis_reason"]

    def get_arm(self, obj) -> str | None:
        allocation = getattr(obj, "allocation", None)
        return allocation.arm.code if allocation else None

    def get_randomised_on(self, obj) -> str | None:
        allocation = getattr(obj, "allocation", None)
        return allocation.randomised_on.isoformat() if allocation else None


class AllocationOutput(serializers.Serializer):
    participant = serializers.CharField(source="participant.study_pseudonym")
    arm = serializers.CharField(source="arm.code")
    arm_name = serializers.CharField(source="arm.name")
    stratum = serializers.CharField()
    randomised_on = serializers.DateField()


class StageInput(serializers.Serializer):
    stage = serializers.ChoiceField(choices=Stage.choices)
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    occurred_on = serializers.DateField(required=False, allow_null=True, default=None)


class FlowInput(serializers.Serializer):
    flag = serializers.ChoiceField(choices=["not_received", "lost_to_follow_up", "excluded_from_analysis"])
    value = serializers.BooleanField()
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class CodingInput(serializers.Serializer):
    passage = serializers.IntegerField()
    code = serializers.IntegerField()
    level = serializers.ChoiceField(choices=Level.choices)
    # A span of the passage (character offsets into its text) and/or its text; none: the whole passage.
    start = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=0, max_value=10_000_000)
    end = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1, max_value=10_000_000)
    quote = serializers.CharField(required=False, allow_blank=True, default="", max_length=20_000, trim_whitespace=False)


class ResponseInput(serializers.Serializer):
    answers = serializers.DictField(child=serializers.JSONField())


class FidelityReviewSerializer(serializers.ModelSerializer):
    band = serializers.SerializerMethodField()

    class Meta:
        model = FidelityReview
        fields = ["id", "organisation", "team_name", "reviewed_on", "reviewers", "scores", "total", "band"]
        read_only_fields = ["total", "band"]

    def get_band(self, obj) -> str:
        from ..fidelity import band

        return band(obj.total)


class QuestionInput(serializers.Serializer):
    code = serializers.CharField(max_length=30)
    text = serializers.CharField(max_length=500)
    type = serializers.CharField(max_length=10)
    choices = serializers.ListField(child=serializers.CharField(max_length=200), required=False, default=list)
    required = serializers.BooleanField(default=True)
    min_value = serializers.DecimalField(max_digits=9, decimal_places=2, required=False, allow_null=True, default=None,
                                         help_text="number questions: the lowest answer allowed")
    max_value = serializers.DecimalField(max_digits=9, decimal_places=2, required=False, allow_null=True, default=None,
                                         help_text="number questions: the highest answer allowed")
    decimals = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=0, max_value=2,
                                        help_text="number questions: 0, 1 or 2 decimals (empty: up to two)")
    scale_points = serializers.IntegerField(required=False, allow_null=True, default=None,
                                            help_text="Likert scales: 3 to 11 points (empty: 5)")
    scale_labels = serializers.ListField(child=serializers.CharField(max_length=200), required=False, default=list,
                                         help_text="Likert scales: a label per point, or none")
    show_if = serializers.CharField(max_length=30, required=False, allow_blank=True, default="",
                                    help_text="branching: the variable name of an earlier question with answer options")
    show_if_value = serializers.CharField(max_length=200, required=False, allow_blank=True, default="",
                                          help_text="branching: the answer (value or label) that shows this question")


class QuestionnaireInput(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    introduction = serializers.CharField(required=False, allow_blank=True, default="")
    closes_on = serializers.DateField(required=False, allow_null=True, default=None)
    questions = QuestionInput(many=True)


class SendInput(serializers.Serializer):
    to_participants = serializers.BooleanField(default=True)
    links = serializers.ListField(child=serializers.DictField(child=serializers.CharField()), required=False, default=list)


class RoundInput(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    topics = serializers.CharField(required=False, allow_blank=True, default="")


class InterviewInput(serializers.Serializer):
    label = serializers.CharField(max_length=40)
    respondent_role = serializers.CharField(max_length=20)
    held_on = serializers.DateField()
    transcript = serializers.CharField()


class CodeInput(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    parent = serializers.IntegerField(required=False, allow_null=True, default=None)
    description = serializers.CharField(required=False, allow_blank=True, default="")


# Input parsing only: kinds, levels, assessments and the evidence rule are the services' to check,
# so their error codes reach API clients unchanged.


class EvalEnrolOutput(serializers.Serializer):
    enrolled = serializers.IntegerField()


class EvalExpectationInput(serializers.Serializer):
    round = serializers.IntegerField()
    kind = serializers.CharField(max_length=16)
    level = serializers.CharField(max_length=14)
    text = serializers.CharField(allow_blank=True)


class EvalAssessInput(serializers.Serializer):
    round = serializers.IntegerField()
    assessment = serializers.CharField(max_length=14)
    evidence = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class EvalExpectationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    level = serializers.CharField()
    text = serializers.CharField()
    round = serializers.IntegerField(source="round.number")
    assessment = serializers.CharField(allow_null=True)
    assessed_in = serializers.IntegerField(source="assessed_in.number", allow_null=True, default=None)
    evidence = serializers.CharField()


class EvalRecordedJobInput(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField(required=False, allow_null=True, default=None)
    hours_per_week = serializers.DecimalField(max_digits=5, decimal_places=1)
    competitive = serializers.BooleanField(default=True)
    hourly_wage = serializers.DecimalField(max_digits=7, decimal_places=2, required=False, allow_null=True, default=None)


class EvalRecordedJobOutput(serializers.Serializer):
    id = serializers.IntegerField()
    participant = serializers.CharField(source="participant.study_pseudonym")
    start = serializers.DateField()
    end = serializers.DateField(allow_null=True)
    hours_per_week = serializers.DecimalField(max_digits=5, decimal_places=1)
    competitive = serializers.BooleanField()
    hourly_wage = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)


class EvalQuestionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    order = serializers.IntegerField()
    code = serializers.CharField()
    text = serializers.CharField()
    type = serializers.CharField()
    choices = serializers.ListField(child=serializers.CharField())
    required = serializers.BooleanField()
    min_value = serializers.DecimalField(max_digits=9, decimal_places=2, allow_null=True)
    max_value = serializers.DecimalField(max_digits=9, decimal_places=2, allow_null=True)
    decimals = serializers.IntegerField(allow_null=True)
    scale_points = serializers.IntegerField(allow_null=True)
    scale_labels = serializers.ListField(child=serializers.CharField())
    show_if = serializers.CharField(source="show_if_question.code", default="", allow_null=True)
    show_if_value = serializers.CharField()
    options = serializers.SerializerMethodField(help_text="the answers as the respondent sees them: value and label")

    def get_options(self, obj) -> list[dict]:
        return [{"value": str(value), "label": str(label)} for value, label in obj.options()]


class EvalQuestionReorderInput(serializers.Serializer):
    questions = serializers.ListField(child=serializers.IntegerField(), help_text="every question's id once, in the new order")


class EvalCodebookImportInput(serializers.Serializer):
    file = serializers.FileField(help_text="A codebook as CSV (UTF-8, at least a `name` column) or REFI-QDA (`.qdc`).")


class EvalInterviewOutput(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField()
    respondent_role = serializers.CharField()
    held_on = serializers.DateField()
    round = serializers.IntegerField(source="round.number")
    round_id = serializers.IntegerField()
    round_title = serializers.CharField(source="round.title")
    passages = serializers.IntegerField(source="n_passages")


class EvalPassageCodingOutput(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.IntegerField(source="code_id")
    code_name = serializers.CharField(source="code.name")
    level = serializers.CharField()


class EvalPassageOutput(serializers.Serializer):
    """A passage with the requesting coder's own codes; other coders' codes only as a count
    (coding stays independent, as on the interview page)."""

    id = serializers.IntegerField()
    number = serializers.IntegerField()
    text = serializers.CharField()
    mine = EvalPassageCodingOutput(many=True)
    others = serializers.IntegerField()


class EvalQuoteOutput(serializers.Serializer):
    interview = serializers.CharField(help_text="The interview's neutral label (e.g. R1-03), never a name.")
    text = serializers.CharField()


class EvalCodeQuotesOutput(serializers.Serializer):
    code = serializers.IntegerField()
    name = serializers.CharField()
    quotes = EvalQuoteOutput(many=True)


class EvalInvitationStateOutput(serializers.Serializer):
    participant = serializers.CharField(allow_null=True, help_text="Study pseudonym; null for invitations by personal link.")
    kind = serializers.CharField()
    sent_at = serializers.DateField(help_text="The day only (never the time): see `selectors.research_day`.")
    reminders = serializers.IntegerField()
    responded_at = serializers.DateField(allow_null=True, help_text="The day only (never the time).")
    responded = serializers.BooleanField()


class EvalInvitationTrackingOutput(serializers.Serializer):
    questionnaire = serializers.CharField()
    status = serializers.CharField()
    sent = serializers.IntegerField()
    responded = serializers.IntegerField()
    reminded = serializers.IntegerField()
    response_rate = serializers.FloatField(allow_null=True)
    invitations = EvalInvitationStateOutput(many=True)


class EvalResearcherAddInput(serializers.Serializer):
    person = serializers.IntegerField(min_value=1)


class EvalTeamMemberOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="get_full_name")


class EvalTeamOutput(serializers.Serializer):
    study = serializers.IntegerField(source="pk")
    researchers = EvalTeamMemberOutput(many=True, source="researchers.all")


class RandomiseInput(serializers.Serializer):
    randomised_on = serializers.DateField(required=False, help_text="The date of a randomisation done earlier.")
