"""Forms for caseload, intake, team and plan-director pages. Rules live in the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from werkbrug.core.choices import CASEWORK_ROLES, Role

from .intake import SECTIONS
from .models import CloseOutcome, CloseReason, Intake

CASEWORK_CHOICES = [(r.value, r.label) for r in Role if r in CASEWORK_ROLES]
PLAN_STATES = [
    ("", _("All")), ("none", _("No plan yet")), ("draft", _("Draft")), ("awaiting", _("Waiting for agreement")),
    ("agreed", _("Agreed")), ("disagreed", _("Not agreed")),
]
SORT_CHOICES = [
    ("name", _("Name (A–Z)")), ("-name", _("Name (Z–A)")), ("-started", _("Newest trajectory first")),
    ("started", _("Oldest trajectory first")), ("due", _("Next action due")), ("signals", _("Most open signals")),
    ("phase", _("Phase")),
]


class CaseloadFilter(forms.Form):
    q = forms.CharField(label=_("Search by name or client id"), required=False, max_length=100,
                        widget=forms.SearchInput)
    role = forms.ChoiceField(label=_("My role"), required=False, choices=[("", _("All"))] + CASEWORK_CHOICES)
    plan_state = forms.ChoiceField(label=_("Plan"), required=False, choices=PLAN_STATES)
    mine = forms.BooleanField(label=_("Only where I am plan director"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_CHOICES)


class IntakeForm(forms.ModelForm):
    """Only the sections the professional may see are fields; the rest are left alone."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Intake
        fields = [name for section in SECTIONS for name in section.fields]
        widgets = {
            "wished_hours_per_week": forms.NumberInput(attrs={"min": 1, "max": 60}),
        }

    def __init__(self, *args, visible_fields=(), **kwargs):
        super().__init__(*args, **kwargs)
        for name in list(self.fields):
            if name != "expected_version" and name not in visible_fields:
                del self.fields[name]
        for field in self.fields.values():
            if isinstance(field.widget, forms.Textarea):
                field.widget.attrs["rows"] = 3

    def section_fields(self, section):
        return [self[name] for name in section.fields if name in self.fields]


class TeamMemberAddForm(forms.Form):
    person = forms.ChoiceField(label=_("Professional"))
    role = forms.ChoiceField(label=_("Role in this trajectory"), choices=CASEWORK_CHOICES)

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", "—")] + [
            (str(p.pk), f"{p.get_full_name()} — {p.organisation}") for p in candidates
        ]


class HandOverForm(forms.Form):
    new_director = forms.ChoiceField(label=_("New plan director"))
    note = forms.CharField(label=_("Note"), max_length=300, required=False,
                           help_text=_("Why the role moves, for the team."))

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_director"].choices = [("", "—")] + [
            (str(m.person_id), f"{m.person.get_full_name()} — {m.organisation}") for m in members
        ]


class CloseForm(forms.Form):
    reason = forms.ChoiceField(label=_("Why does the trajectory end?"),
                               choices=[("", _("Choose a reason"))] + list(CloseReason.choices))
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[("", _("Choose the outcome"))] + list(CloseOutcome.choices))
    note = forms.CharField(label=_("The outcome in words"), max_length=500, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("For the former team. No health details."))
    ended_on = forms.DateField(label=_("End date"), required=False, help_text=_("Empty: today."),
                               widget=forms.DateInput(attrs={"type": "date"}))


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Why is the trajectory reopened?"), max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}))


class ArchiveFilter(forms.Form):
    q = forms.CharField(label=_("Search by name or client id"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search"}))
    reason = forms.ChoiceField(label=_("Reason for closing"), required=False,
                               choices=[("", _("All"))] + list(CloseReason.choices))
