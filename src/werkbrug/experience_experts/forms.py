"""Web forms. They parse input only; every rule is in `services.py`."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from werkbrug.core.choices import Role
from werkbrug.core.models import Organisation, User

from .models import DeploymentKind, ExpertProfile, LivedExperienceDomain, Setting


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        # The browser's date field needs ISO dates, whatever the language of the page.
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _domains(region_id: int):
    return LivedExperienceDomain.objects.filter(region_id=region_id, active=True)


class RequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of deployment"), choices=DeploymentKind.choices)
    topic = forms.CharField(label=_("Group or topic"), max_length=200, required=False,
                            help_text=_("For a group or topic rather than one client."))
    setting = forms.ChoiceField(label=_("Where"), choices=Setting.choices)
    domains = forms.ModelMultipleChoiceField(label=_("Wanted lived experience"), queryset=LivedExperienceDomain.objects.none(),
                                             required=False, widget=forms.CheckboxSelectMultiple)
    period_start = forms.DateField(label=_("From"), widget=DateInput)
    period_end = forms.DateField(label=_("To"), widget=DateInput)
    minutes = forms.IntegerField(label=_("Expected minutes"), initial=60)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, region_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["domains"].queryset = _domains(region_id)


class OfferForm(forms.Form):
    expert = forms.ModelChoiceField(queryset=User.objects.filter(role_assignments__role=Role.EXPERIENCE_EXPERT))


class DeploymentForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput)
    kind = forms.ChoiceField(label=_("Kind of deployment"), choices=DeploymentKind.choices)
    minutes = forms.IntegerField(label=_("Minutes"))
    setting = forms.ChoiceField(label=_("Where"), choices=Setting.choices)
    organisation_served = forms.ModelChoiceField(label=_("Organisation served"), queryset=Organisation.objects.none())
    client = forms.CharField(label=_("Client id"), max_length=16, required=False,
                             help_text=_("The client id (for example C123ABC45), when it was for one client."))
    topic = forms.CharField(label=_("Group or topic"), max_length=200, required=False)
    outcome = forms.CharField(label=_("Short outcome"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, region_id: int, planned: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation_served"].queryset = Organisation.objects.filter(region_id=region_id)
        if planned:
            for name in ("client", "topic", "organisation_served"):
                self.fields[name].disabled = True
                self.fields[name].required = False


class CheckInForm(forms.Form):
    SCORES = [(i, str(i)) for i in range(1, 6)]
    energy = forms.TypedChoiceField(label=_("Energy this week (1 low – 5 high)"), choices=SCORES, coerce=int,
                                    widget=forms.RadioSelect)
    load = forms.TypedChoiceField(label=_("Load this week (1 light – 5 heavy)"), choices=SCORES, coerce=int,
                                  widget=forms.RadioSelect)
    note = forms.CharField(label=_("A note on your limits"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ProfileForm(forms.Form):
    higher_vocational = forms.BooleanField(label=_("Higher vocational education (HBO)"), required=False)
    education_field = forms.CharField(label=_("Field of education"), max_length=120, required=False)
    training_name = forms.CharField(label=_("Experience-expertise training"), max_length=120, required=False)
    training_year = forms.IntegerField(label=_("Year of the training"), required=False, min_value=1980, max_value=2100)
    domains = forms.ModelMultipleChoiceField(label=_("Domains of lived experience"), queryset=LivedExperienceDomain.objects.none(),
                                             required=False, widget=forms.CheckboxSelectMultiple)
    contract_hours = forms.DecimalField(label=_("Contract hours per week"), max_digits=4, decimal_places=1)
    client_contact_limit = forms.DecimalField(label=_("Own limit of client-contact hours per week"), max_digits=4,
                                              decimal_places=1)
    availability = forms.CharField(label=_("Availability"), max_length=200, required=False)
    buddy = forms.ModelChoiceField(label=_("Buddy"), queryset=ExpertProfile.objects.none(), required=False)

    def __init__(self, *args, profile: ExpertProfile, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["domains"].queryset = _domains(profile.region_id)
        self.fields["buddy"].queryset = ExpertProfile.objects.filter(region_id=profile.region_id).exclude(pk=profile.pk).select_related("person")


class ProfileCreateForm(ProfileForm):
    """A coordinator's new profile: the person (an experience expert of the region without a profile)."""

    person = forms.ModelChoiceField(label=_("Experience expert"), queryset=User.objects.none(),
                                    help_text=_("A person with the role of experience expert who has no profile yet."))
    coordinator = forms.ModelChoiceField(label=_("Coordinator"), queryset=User.objects.none(), required=False)
    field_order = ["person", "coordinator"]

    def __init__(self, *args, region_id: int, can_assign: bool = False, **kwargs):
        super().__init__(*args, profile=ExpertProfile(region_id=region_id), **kwargs)
        del self.fields["buddy"]  # paired afterwards, on the profile's edit page
        if not can_assign:  # only the region administrator assigns coordinators
            del self.fields["coordinator"]
        self.fields["person"].queryset = User.objects.filter(
            region_id=region_id, is_active=True, role_assignments__role=Role.EXPERIENCE_EXPERT,
            expert_profile__isnull=True).distinct().order_by("last_name", "first_name")
        if can_assign:
            self.fields["coordinator"].queryset = coordinators_of(region_id)


def coordinators_of(region_id: int):
    return User.objects.filter(
        region_id=region_id, is_active=True, role_assignments__role=Role.EE_COORDINATOR,
    ).distinct().order_by("last_name", "first_name")


class CoordinatorForm(forms.Form):
    coordinator = forms.ModelChoiceField(label=_("Coordinator"), queryset=User.objects.none(), required=False,
                                         empty_label=_("No coordinator"))

    def __init__(self, *args, region_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coordinator"].queryset = coordinators_of(region_id)


class AbsenceForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=DateInput)
    end = forms.DateField(label=_("To"), widget=DateInput)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class DomainForm(forms.Form):
    name = forms.CharField(label=_("New domain of lived experience"), max_length=100)


class SupportGroupForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    facilitators = forms.ModelMultipleChoiceField(label=_("Facilitators"), queryset=User.objects.none(),
                                                  widget=forms.CheckboxSelectMultiple)
    first_meeting_at = forms.DateTimeField(label=_("First meeting"), widget=DateTimeInput)
    meetings = forms.IntegerField(label=_("Number of meetings"), initial=6)
    duration_minutes = forms.IntegerField(label=_("Minutes per meeting"), initial=120)

    def __init__(self, *args, region_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facilitators"].queryset = User.objects.filter(
            region_id=region_id, role_assignments__role=Role.EXPERIENCE_EXPERT).order_by("last_name")


class ParticipantForm(forms.Form):
    client = forms.CharField(label=_("Client id"), max_length=16)


class MeetingForm(forms.Form):
    theme = forms.CharField(label=_("Theme"), max_length=200)
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DateTimeInput)
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=DateTimeInput)


class AttendanceForm(forms.Form):
    present = forms.MultipleChoiceField(label=_("Present"), required=False, widget=forms.CheckboxSelectMultiple)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, participants, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [(p.pk, f"{p.client} ({p.client.pseudonym})") for p in participants]


class ReportForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=DateInput)
    end = forms.DateField(label=_("To"), widget=DateInput)


class CorrectionForm(forms.Form):
    """A correction of a registration: the figures as they should be, and why."""

    date = forms.DateField(label=_("Date"), widget=DateInput)
    kind = forms.ChoiceField(label=_("Kind of deployment"), choices=DeploymentKind.choices)
    minutes = forms.IntegerField(label=_("Minutes"))
    setting = forms.ChoiceField(label=_("Where"), choices=Setting.choices)
    organisation_served = forms.ModelChoiceField(label=_("Organisation served"), queryset=Organisation.objects.none(),
                                                 empty_label=_("Choose an organisation"))
    topic = forms.CharField(label=_("Group or topic"), max_length=200, required=False)
    outcome = forms.CharField(label=_("Short outcome"), max_length=500, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    reason = forms.CharField(label=_("Reason for the correction"), max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, region_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation_served"].queryset = Organisation.objects.filter(region_id=region_id)


class ReasonForm(forms.Form):
    """Withdrawing a registration or cancelling a request: the reason is kept with it."""

    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class ScheduleForm(forms.Form):
    """When and where a deployment takes place: chosen when accepting, changed later. The times
    are read in Europe/Amsterdam; the rules (within the requested period, end after start, a place
    or video link) are in `services._check_schedule`."""

    starts_at = forms.DateTimeField(label=_("Starts at"), input_formats=["%Y-%m-%dT%H:%M"], widget=DateTimeInput)
    ends_at = forms.DateTimeField(label=_("Ends at"), input_formats=["%Y-%m-%dT%H:%M"], widget=DateTimeInput)
    place = forms.CharField(label=_("Place"), max_length=200, required=False,
                            help_text=_("An address or room. No names or health details: the place shows in calendars."))
    video_link = forms.URLField(label=_("Video link"), max_length=500, required=False, assume_scheme="https",
                                help_text=_("Starts with https://."))

    def schedule(self):
        from .services import DeploymentSchedule

        data = self.cleaned_data
        return DeploymentSchedule(data["starts_at"], data["ends_at"], data.get("place", ""), data.get("video_link", ""))
