"""Web forms for signals and referrals. Rules live in the services; forms only parse input."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from werkbrug.core.models import Organisation, User

from .models import ReferralOutcome, ReferralService, SignalCategory, Urgency


class SignalForm(forms.Form):
    category = forms.ChoiceField(label=_("What is it about?"), choices=SignalCategory.choices)
    urgency = forms.ChoiceField(
        label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL, widget=forms.RadioSelect,
        help_text=_("An urgent signal that nobody acknowledges within a day goes to the plan director."),
    )
    text = forms.CharField(label=_("Message"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5}),
                           help_text=_("Write only what the others need to know for the route to work."))
    whole_team = forms.BooleanField(label=_("Send to the whole team"), required=False)
    recipients = forms.ModelMultipleChoiceField(
        label=_("Or choose recipients"), queryset=User.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        ids = [m.person_id for m in members]
        self.fields["recipients"].queryset = User.objects.filter(pk__in=ids).order_by("last_name", "first_name")
        labels = {m.person_id: f"{m.person} — {m.get_role_display()}, {m.organisation}" for m in members}
        self.fields["recipients"].label_from_instance = lambda u: labels.get(u.pk, str(u))


class ReferralForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("To organisation"), queryset=Organisation.objects.none())
    service = forms.ChoiceField(label=_("Service"), choices=ReferralService.choices)
    question = forms.CharField(
        label=_("Question"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the client needs from this service. Share only what the referral needs."),
    )

    def __init__(self, *args, region_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(region_id=region_id).order_by("name")


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3}))


class CompleteForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ReferralOutcome.choices, widget=forms.RadioSelect)
    reason = forms.CharField(label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
