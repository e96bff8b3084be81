from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from werkbrug.core.models import Organisation

from .deadlines import Mode, Timeliness
from .models import AbsenceReason, Audience, QuestionGroup, QuestionStatus, Topic, Urgency


class AskForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Which organisation do you ask?"), queryset=Organisation.objects.none(),
                                          help_text=_("The organisation whose process your question is about."))
    topic = forms.ModelChoiceField(label=_("Topic"), queryset=Topic.objects.none())
    text = forms.CharField(
        label=_("Your question"), max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6, "aria-describedby": "id_text_hint ask-feedback"}),
        help_text=_("Describe the situation without anything that identifies the client: no name, no date of birth, no BSN."),
    )
    urgency = forms.ChoiceField(label=_("How urgent is it?"), choices=Urgency.choices, initial=Urgency.NORMAL)
    confirm = forms.BooleanField(label=_("I checked: my question contains nothing that identifies the client."), required=False)

    def __init__(self, *args, region_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(region_id=region_id, ambassadors__active=True).distinct().order_by("name")
        self.fields["topic"].queryset = Topic.objects.filter(region_id=region_id, active=True)


class TextForm(forms.Form):
    text = forms.CharField(label=_("Text"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    confirm = forms.BooleanField(label=_("I checked: my text contains nothing that identifies the client."), required=False)


class UnpublishForm(forms.Form):
    reason = forms.CharField(label=_("Why is the Q&A taken back?"), max_length=200)


class RateForm(forms.Form):
    useful = forms.TypedChoiceField(label=_("Was the answer useful?"), choices=[("1", _("Useful")), ("0", _("Not useful"))],
                                    coerce=lambda v: v == "1")


class PublishForm(forms.Form):
    public_question = forms.CharField(label=_("Question as published"), widget=forms.Textarea(attrs={"rows": 3}),
                                      help_text=_("Rewrite it so that nobody can recognise the client."))
    public_answer = forms.CharField(label=_("Answer as published"), widget=forms.Textarea(attrs={"rows": 4}))


class QuestionFilter(forms.Form):
    timeliness = forms.ChoiceField(label=_("On time"), required=False, choices=[
        ("", _("All")), (Timeliness.ON_TIME, _("On time")), (Timeliness.LATE, _("Late")),
        (Timeliness.VERY_LATE, _("More than three times late"))])
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All")), *QuestionStatus.choices])
    organisation = forms.ModelChoiceField(label=_("Organisation"), required=False, queryset=Organisation.objects.none(), empty_label=_("All"))
    topic = forms.ModelChoiceField(label=_("Topic"), required=False, queryset=Topic.objects.none(), empty_label=_("All"))

    def __init__(self, *args, region_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(region_id=region_id, ambassadors__isnull=False).distinct()
        self.fields["topic"].queryset = Topic.objects.filter(region_id=region_id)


class MergeForm(forms.Form):
    groups = forms.ModelMultipleChoiceField(label=_("Groups to merge"), queryset=QuestionGroup.objects.none(), widget=forms.CheckboxSelectMultiple)
    title = forms.CharField(label=_("Name of the merged group"), required=False, max_length=200)

    def __init__(self, *args, region_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["groups"].queryset = QuestionGroup.objects.filter(region_id=region_id)


class SplitForm(forms.Form):
    questions = forms.MultipleChoiceField(label=_("Questions to move to a new group"), widget=forms.CheckboxSelectMultiple)
    title = forms.CharField(label=_("Name of the new group"), required=False, max_length=200)

    def __init__(self, *args, group: QuestionGroup, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["questions"].choices = [(q.pk, f"#{q.pk} {q.text[:120]}") for q in group.questions.order_by("asked_at", "id")]


class ProposalForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    problem = forms.CharField(label=_("Problem"), widget=forms.Textarea(attrs={"rows": 3}))
    process = forms.CharField(label=_("Process involved"), widget=forms.Textarea(attrs={"rows": 2}))
    proposal = forms.CharField(label=_("Proposal"), widget=forms.Textarea(attrs={"rows": 4}))
    groups = forms.ModelMultipleChoiceField(label=_("Supporting question groups"), queryset=QuestionGroup.objects.none(),
                                            required=False, widget=forms.CheckboxSelectMultiple)
    organisations = forms.ModelMultipleChoiceField(label=_("Organisations involved"), queryset=Organisation.objects.none(),
                                                   required=False, widget=forms.CheckboxSelectMultiple,
                                                   help_text=_("The organisations of the chosen groups are added automatically."))
    audience = forms.ChoiceField(label=_("To whom"), choices=Audience.choices)
    audience_organisation = forms.ModelChoiceField(label=_("Management team of"), queryset=Organisation.objects.none(), required=False)

    def __init__(self, *args, region_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["groups"].queryset = QuestionGroup.objects.filter(region_id=region_id)
        orgs = Organisation.objects.filter(region_id=region_id).order_by("name")
        self.fields["organisations"].queryset = orgs
        self.fields["audience_organisation"].queryset = orgs


class TransitionForm(forms.Form):
    to_status = forms.ChoiceField(label=_("New status"), choices=[])
    on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Decision or note"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("Required when the proposal is accepted or rejected."))

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = choices


class ReportFilter(forms.Form):
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Up to and including"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError(_("The end date lies before the start date."))
        return data


class SettingsForm(forms.Form):
    deadline_hours = forms.IntegerField(label=_("Answer deadline (hours)"), help_text=_("For example 48, or 24."))
    deadline_mode = forms.ChoiceField(label=_("The deadline counts"), choices=[
        (Mode.CALENDAR, _("Calendar hours (every hour counts)")),
        (Mode.WORKING, _("Working hours (weekends and public holidays do not count)"))])


class TopicForm(forms.Form):
    name = forms.CharField(label=_("New topic"), max_length=120)


class AppointForm(forms.Form):
    """Appoint a professional with the ambassador role (the choices: `selectors.appointable_people`)."""

    person = forms.TypedChoiceField(label=_("Professional"), coerce=int, choices=())
    position = forms.IntegerField(label=_("Order (lower is asked first)"), min_value=0, max_value=999, initial=0)

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", "—")] + [
            (p.pk, f"{p.get_full_name()} · {p.organisation}") for p in people]


class AbsenceForm(forms.Form):
    starts_on = forms.DateField(label=_("First day"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.ChoiceField(label=_("Reason"), choices=AbsenceReason.choices)
