"""Forms for the appointment pages. They parse input only; the rules are in services.py."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from werkbrug.core.links import local_datetime

from .models import AppointmentKind

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


def _moment(label) -> forms.DateTimeField:
    # A datetime-local input posts a local time without a zone; Django reads it in the current
    # time zone (Europe/Amsterdam) and stores it aware.
    return forms.DateTimeField(
        label=label, input_formats=[DATETIME_LOCAL],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
    )


class _Choice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        if hasattr(obj, "starts_at") and hasattr(obj, "group"):  # a support-group meeting
            return f"{obj.group.name}, {obj.number}: {local_datetime(obj.starts_at)}"
        if hasattr(obj, "person"):
            return obj.person.get_full_name()
        if hasattr(obj, "get_full_name"):
            return obj.get_full_name()
        return str(obj)


class _People(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() + (f" ({obj.organisation})" if getattr(obj, "organisation_id", None) else "")


class AppointmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of appointment"), choices=AppointmentKind.choices)
    starts_at = _moment(_("Starts"))
    ends_at = _moment(_("Ends"))
    place = forms.CharField(label=_("Place"), required=False, max_length=200,
                            help_text=_("An address or room. No names or health details: the place shows in calendars."))
    video_link = forms.CharField(label=_("Video link"), required=False, max_length=500,
                                 help_text=_("Starts with https://."))
    with_client = forms.BooleanField(label=_("The client takes part"), required=False)
    participants = _People(label=_("Team members taking part"), required=False, queryset=None,
                           widget=forms.CheckboxSelectMultiple)
    expert = _Choice(label=_("Experience expert"), required=False, queryset=None, empty_label=_("No experience expert"))
    employer_contact_name = forms.CharField(label=_("Employer contact"), required=False, max_length=120)
    employer_contact_email = forms.EmailField(label=_("Employer contact's e-mail"), required=False)
    plan_action = _Choice(label=_("For plan action"), required=False, queryset=None, empty_label=_("No plan action"))
    deployment_request = _Choice(label=_("For deployment request"), required=False, queryset=None,
                                 empty_label=_("No deployment request"))
    support_group_meeting = _Choice(label=_("For support-group meeting"), required=False, queryset=None,
                                    empty_label=_("No support-group meeting"))
    reason = forms.CharField(label=_("What changed, and why"), required=False, max_length=300)

    def __init__(self, *args, trajectory=None, people=None, experts=None, actions=None, requests=None, meetings=None,
                 editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = people
        self.fields["expert"].queryset = experts
        if trajectory is None:
            del self.fields["with_client"], self.fields["plan_action"]
            self.fields["participants"].label = _("Colleagues taking part")
        else:
            self.fields["plan_action"].queryset = actions
        if editing or requests is None:
            del self.fields["deployment_request"]
        else:
            self.fields["deployment_request"].queryset = requests
        if editing or meetings is None or trajectory is not None:
            del self.fields["support_group_meeting"]
        else:
            self.fields["support_group_meeting"].queryset = meetings
        if not editing:
            del self.fields["reason"]

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["participants"] = list(data.get("participants") or [])
        data.pop("reason", None)
        return data


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Why is it cancelled?"), required=False, max_length=300)
