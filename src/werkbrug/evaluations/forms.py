"""Forms for the research pages. Rules live in the services; forms only parse input."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from werkbrug.clients.models import Benefit

from .models import (
    Assessment,
    Design,
    ExpectationKind,
    Level,
    QuestionType,
    RespondentKind,
    RespondentRole,
    Stage,
    Stratifier,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StudyForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    research_question = forms.CharField(label=_("Research question"), widget=forms.Textarea(attrs={"rows": 3}))
    design = forms.ChoiceField(label=_("Design"), choices=Design.choices)
    eligibility = forms.CharField(label=_("Eligibility criteria"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    eligible_benefits = forms.MultipleChoiceField(
        label=_("Only clients with these benefits"), choices=Benefit.choices, required=False,
        widget=forms.SelectMultiple, help_text=_("Choose none to include every client."),
    )
    starts_on = forms.DateField(label=_("Start date"), widget=DATE)
    ends_on = forms.DateField(label=_("End date"), widget=DATE)
    arm_1 = forms.CharField(label=_("Arm 1 (intervention)"), max_length=120)
    arm_2 = forms.CharField(label=_("Arm 2 (control)"), max_length=120, required=False)
    ratio = forms.ChoiceField(label=_("Allocation ratio (arm 1 : arm 2)"), choices=[("1:1", "1 : 1"), ("2:1", "2 : 1"), ("1:2", "1 : 2")])
    stratify_by = forms.MultipleChoiceField(label=_("Stratify by"), choices=Stratifier.choices, required=False, widget=forms.SelectMultiple)
    follow_up_days = forms.CharField(label=_("Follow-up time points in days"), initial="90, 180, 365",
                                     help_text=_("Separate with commas."))

    def clean_follow_up_days(self):
        try:
            return [int(x) for x in self.cleaned_data["follow_up_days"].replace(";", ",").split(",") if x.strip()]
        except ValueError:
            raise forms.ValidationError(_("Give whole numbers of days, separated by commas.")) from None

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        r1, r2 = (int(x) for x in data["ratio"].split(":"))
        arms = [{"name": data["arm_1"], "code": "arm1", "ratio": r1}]
        if data.get("arm_2"):
            arms.append({"name": data["arm_2"], "code": "arm2", "ratio": r2, "is_control": True})
        return {
            "title": data["title"], "research_question": data["research_question"], "design": data["design"],
            "eligibility": data["eligibility"], "eligible_benefits": data["eligible_benefits"],
            "starts_on": data["starts_on"], "ends_on": data["ends_on"], "arms": arms,
            "stratify_by": data["stratify_by"], "follow_up_days": data["follow_up_days"],
        }


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=_("New stage"), choices=[c for c in Stage.choices if c[0] != Stage.RANDOMISED])
    reason = forms.CharField(label=_("Reason (for exclusion or drop-out)"), required=False, max_length=300)
    occurred_on = forms.DateField(label=_("Date"), required=False, widget=DATE)


class FlowForm(forms.Form):
    """A CONSORT status after allocation (services.participant_flow_set)."""

    flag = forms.ChoiceField(label=_("Status"), choices=[
        ("not_received", _("Did not receive allocated intervention")),
        ("lost_to_follow_up", _("Lost to follow-up")),
        ("excluded_from_analysis", _("Excluded from analysis")),
    ])
    value = forms.TypedChoiceField(label=_("Applies"), choices=[("1", _("Yes")), ("0", _("No, withdraw"))],
                                   coerce=lambda v: v == "1")
    reason = forms.CharField(label=_("Reason"), required=False, max_length=300)


class JobForm(forms.Form):
    start = forms.DateField(label=_("Start"), widget=DATE)
    end = forms.DateField(label=_("End"), required=False, widget=DATE)
    hours_per_week = forms.DecimalField(label=_("Hours per week"), max_digits=5, decimal_places=1)
    competitive = forms.BooleanField(label=_("Competitive job (regular pay, open labour market)"), required=False, initial=True)


class QuestionnaireForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    introduction = forms.CharField(label=_("Introduction"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    closes_on = forms.DateField(label=_("Closes on"), required=False, widget=DATE)


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("Question"), max_length=500)
    code = forms.CharField(label=_("Variable name"), max_length=30, help_text=_("Small letters, digits and _; for example grade."))
    type = forms.ChoiceField(label=_("Type"), choices=QuestionType.choices)
    choices = forms.CharField(label=_("Choices (one per line)"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    required = forms.BooleanField(label=_("Answer required"), required=False, initial=True)
    min_value = forms.DecimalField(label=_("Lowest number allowed"), required=False, localize=True, max_digits=9,
                                   decimal_places=2, help_text=_("Number questions only; for example 0 hours."))
    max_value = forms.DecimalField(label=_("Highest number allowed"), required=False, localize=True, max_digits=9,
                                   decimal_places=2, help_text=_("Number questions only; for example 80 hours."))
    decimals = forms.TypedChoiceField(
        label=_("Decimals"), required=False, coerce=int, empty_value=None,
        choices=[("", _("up to two")), (0, _("none (whole numbers)")), (1, _("one")), (2, _("two"))],
        help_text=_("Number questions only."),
    )
    scale_points = forms.IntegerField(label=_("Points on the scale"), required=False, min_value=3, max_value=11,
                                      help_text=_("Likert scales only: 3 to 11 points; empty is 5."))
    scale_labels = forms.CharField(label=_("Labels of the points (one per line)"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 3}),
                                   help_text=_("Likert scales only: a label for every point, or none."))
    show_if = forms.ChoiceField(label=_("Show this question only if"), required=False, choices=())
    show_if_value = forms.CharField(label=_("has the answer"), required=False, max_length=200,
                                    help_text=_("One of the answers of that question, as the respondent sees it (for "
                                                "example Yes, or 6,5)."))

    def __init__(self, *args, questions=(), **kwargs):
        """`questions`: the questions a condition may name (earlier questions with answer options)."""
        super().__init__(*args, **kwargs)
        self.fields["show_if"].choices = [("", _("(always shown)"))] + [
            (q.code, f"{q.code}: {q.text}"[:80]) for q in questions
            if q.type in (QuestionType.GRADE, QuestionType.LIKERT, QuestionType.SINGLE, QuestionType.MULTIPLE)
        ]

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["choices"] = [line for line in data["choices"].splitlines() if line.strip()]
        data["scale_labels"] = [line for line in data["scale_labels"].splitlines() if line.strip()]
        return data

    @staticmethod
    def initial_for(question) -> dict:
        return {
            "text": question.text, "code": question.code, "type": question.type, "choices": "\n".join(question.choices),
            "required": question.required, "min_value": question.min_value, "max_value": question.max_value,
            "decimals": question.decimals, "scale_points": question.scale_points, "scale_labels": "\n".join(question.scale_labels),
            "show_if": question.show_if_question.code if question.show_if_question_id else "",
            "show_if_value": dict((str(v), label) for v, label in question.show_if_question.options()).get(
                question.show_if_value, question.show_if_value) if question.show_if_question_id else "",
        }


class SendForm(forms.Form):
    to_participants = forms.BooleanField(label=_("Send to all participants (through the portal)"), required=False, initial=True)
    kind = forms.ChoiceField(label=_("Personal links go to"), choices=[c for c in RespondentKind.choices if c[0] != RespondentKind.CLIENT])
    emails = forms.CharField(label=_("E-mail addresses for personal links (one per line)"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def links(self) -> list[tuple[str, str]]:
        return [(self.cleaned_data["kind"], line.strip()) for line in self.cleaned_data["emails"].splitlines() if line.strip()]


class RoundForm(forms.Form):
    title = forms.CharField(label=_("Title of the round"), max_length=200)
    topics = forms.CharField(label=_("Topics"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class InterviewForm(forms.Form):
    label = forms.CharField(label=_("Label"), max_length=40, help_text=_("A neutral label such as R1-03; never a name."))
    respondent_role = forms.ChoiceField(label=_("Respondent"), choices=RespondentRole.choices)
    held_on = forms.DateField(label=_("Date"), widget=DATE)
    transcript = forms.CharField(label=_("Notes or transcript"), widget=forms.Textarea(attrs={"rows": 8}),
                                 help_text=_("Separate passages with an empty line; each passage is coded on its own."))


class CodeForm(forms.Form):
    name = forms.CharField(label=_("Code"), max_length=120)
    parent = forms.TypedChoiceField(label=_("Parent code"), required=False, coerce=int, empty_value=None)
    description = forms.CharField(label=_("Description"), required=False, max_length=500)

    def __init__(self, *args, codes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = [("", _("(top level)"))] + [(c.pk, "— " * depth + c.name) for c, depth in codes]


class DictionaryImportForm(forms.Form):
    file = forms.FileField(label=_("REDCap data dictionary (.csv)"))
    form = forms.CharField(label=_("Form name"), required=False, max_length=100,
                           help_text=_("Only when the dictionary holds more than one form (instrument)."))
    store = forms.BooleanField(label=_("Store the questions (otherwise only check)"), required=False)


class CodebookImportForm(forms.Form):
    file = forms.FileField(label=_("Codebook file (.csv or .qdc)"))


class CodingForm(forms.Form):
    passage = forms.IntegerField(widget=forms.HiddenInput)
    code = forms.TypedChoiceField(label=_("Code"), coerce=int)
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices)

    def __init__(self, *args, codes=(), prefix_id="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].choices = [(c.pk, "— " * depth + c.name) for c, depth in codes]
        if prefix_id:
            self.auto_id = f"id_{prefix_id}_%s"


class ExpectationForm(forms.Form):
    round = forms.TypedChoiceField(label=_("Collected in round"), coerce=int)
    kind = forms.ChoiceField(label=_("Kind"), choices=ExpectationKind.choices)
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices)
    text = forms.CharField(label=_("Expectation"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, rounds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].choices = [(r.pk, str(r)) for r in rounds]


class AssessForm(forms.Form):
    expectation = forms.IntegerField(widget=forms.HiddenInput)
    round = forms.TypedChoiceField(label=_("Assessed in round"), coerce=int)
    assessment = forms.ChoiceField(label=_("Assessment"), choices=Assessment.choices)
    evidence = forms.CharField(label=_("Evidence"), max_length=1000)

    def __init__(self, *args, rounds=(), prefix_id="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].choices = [(r.pk, str(r)) for r in rounds]
        if prefix_id:
            self.auto_id = f"id_{prefix_id}_%s"


class FidelityForm(forms.Form):
    organisation = forms.TypedChoiceField(label=_("Organisation"), coerce=int)
    team_name = forms.CharField(label=_("Team"), max_length=200)
    reviewed_on = forms.DateField(label=_("Review date"), widget=DATE)
    reviewers = forms.CharField(label=_("Reviewers"), required=False, max_length=300)

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(o.pk, o.name) for o in organisations]
