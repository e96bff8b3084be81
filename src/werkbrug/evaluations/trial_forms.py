"""Forms of the trial pages (lifecycle, amendments, screening, auditors, unblinding, import).
Rules live in the services; forms only parse input."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .forms import DATE
from .models import ScreeningOutcome
from .trial_import import MAX_BYTES


class CloseForm(forms.Form):
    reason = forms.CharField(label=_("Reason (optional)"), required=False, max_length=2000)


class AmendmentForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the amendment"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    effective_on = forms.DateField(label=_("Effective date"), widget=DATE)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    research_question = forms.CharField(label=_("Research question"), required=False, max_length=5000,
                                        widget=forms.Textarea(attrs={"rows": 2}))
    eligibility = forms.CharField(label=_("Eligibility criteria"), required=False, max_length=5000,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    ends_on = forms.DateField(label=_("End date"), required=False, widget=DATE)
    follow_up_days = forms.CharField(label=_("Follow-up time points (days, separated by commas)"), required=False,
                                     max_length=200)

    def clean_follow_up_days(self):
        raw = self.cleaned_data["follow_up_days"].strip()
        if not raw:
            return None
        try:
            return [int(part) for part in raw.replace(";", ",").split(",") if part.strip()]
        except ValueError:
            raise forms.ValidationError(_("Give whole numbers of days, separated by commas.")) from None

    def changes(self) -> dict:
        """Only the fields filled in: an empty field is not changed."""
        data = self.cleaned_data
        changes = {name: data[name] for name in ("title", "research_question", "eligibility", "ends_on")
                   if data.get(name) not in (None, "")}
        if data.get("follow_up_days"):
            changes["follow_up_days"] = data["follow_up_days"]
        return changes


class ScreeningForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ScreeningOutcome.choices)
    reason = forms.CharField(label=_("Reason (required when not eligible)"), required=False, max_length=300)
    screened_on = forms.DateField(label=_("Assessed on"), required=False, widget=DATE)
    client = forms.ChoiceField(label=_("Client (only when eligible: is enrolled)"), required=False)

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["client"].choices = [("", _("— not named —"))] + [(c, c) for c in candidates]


class PersonForm(forms.Form):
    person = forms.ChoiceField(label=_("Researcher"))

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", _("— choose —"))] + [(str(p.pk), p.get_full_name()) for p in people]


class UnblindForm(forms.Form):
    reason = forms.CharField(label=_("Reason for unblinding"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class RandomiseForm(forms.Form):
    randomised_on = forms.DateField(label=_("Randomised on (empty: today)"), required=False, widget=DATE)


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("The file holds"), choices=[
        ("allocations", _("Allocations (participant, randomisation date, arm)")),
        ("jobs", _("Jobs (participant, start date, end date, hours per week, competitive)")),
        ("answers", _("Questionnaire answers (participant, date, one column per question)")),
    ])
    questionnaire = forms.ChoiceField(label=_("Questionnaire (for answers)"), required=False)
    file = forms.FileField(label=_("File (.csv or .xlsx, at most 2 MB)"))
    store = forms.BooleanField(label=_("Store (leave unticked for a dry run that only checks)"), required=False)

    def __init__(self, *args, questionnaires=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["questionnaire"].choices = [("", _("— none —"))] + [(str(q.pk), q.title) for q in questionnaires]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is too large (at most 2 MB)."))
        return upload
