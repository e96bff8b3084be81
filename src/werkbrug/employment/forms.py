"""Web forms for IPS. Rules live in the services; forms only parse input."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ContractType, EmployerContactKind, IPSPhase, JobEndReason


class DateInput(forms.DateInput):
    """A native date picker; it needs ISO dates whatever the interface language."""

    input_type = "date"

    def __init__(self, attrs=None, format="%Y-%m-%d"):  # noqa: A002 — Django's argument name
        super().__init__(attrs=attrs, format=format)


class PhaseForm(forms.Form):
    phase = forms.ChoiceField(label=_("New phase"), choices=IPSPhase.choices)
    changed_on = forms.DateField(label=_("From date"), widget=DateInput)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class EmployerContactForm(forms.Form):
    contacted_on = forms.DateField(label=_("Date"), widget=DateInput)
    employer_name = forms.CharField(label=_("Employer"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind of contact"), choices=EmployerContactKind.choices)
    note = forms.CharField(label=_("Note"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3}))


class JobStartForm(forms.Form):
    employer_name = forms.CharField(label=_("Employer"), max_length=200)
    job_title = forms.CharField(label=_("Job title"), max_length=200)
    start = forms.DateField(label=_("Start date"), widget=DateInput)
    hours_per_week = forms.DecimalField(label=_("Hours per week"), max_digits=4, decimal_places=1)
    hourly_wage = forms.DecimalField(label=_("Hourly wage (€)"), max_digits=6, decimal_places=2, required=False)
    contract_type = forms.ChoiceField(label=_("Contract type"), choices=ContractType.choices)
    competitive = forms.BooleanField(
        label=_("Competitive job"), required=False,
        help_text=_("A regular job open to anyone, paid at least the minimum wage."),
    )


class JobEndForm(forms.Form):
    end = forms.DateField(label=_("Last working day"), widget=DateInput)
    reason = forms.ChoiceField(label=_("Reason for ending"), choices=JobEndReason.choices)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
