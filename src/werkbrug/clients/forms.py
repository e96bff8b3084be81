"""Forms for the client record and consent pages. Rules live in the services, not here."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from werkbrug.core.choices import CASEWORK_ROLES, DataCategory, Role

from .models import Benefit, ClientStatus, ConsentMethod

DATE = {"type": "date"}
PROFESSIONAL_METHODS = [(m.value, m.label) for m in (ConsentMethod.VERBAL, ConsentMethod.PAPER)]


class ClientForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    date_of_birth = forms.DateField(label=_("Date of birth"), widget=forms.DateInput(attrs=DATE))
    bsn = forms.CharField(
        label=_("Citizen service number (BSN)"), max_length=11, required=False,
        help_text=_("Nine digits. Only organisations with a legal basis see it."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    email = forms.EmailField(label=_("Email address"), required=False)
    phone = forms.CharField(label=_("Phone number"), max_length=30, required=False)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=10, required=False)
    city = forms.CharField(label=_("Place"), max_length=100, required=False)
    benefit = forms.ChoiceField(label=_("Benefit"), choices=Benefit.choices, initial=Benefit.NONE)


class ClientRegisterForm(ClientForm):
    role = forms.ChoiceField(label=_("Your role in this trajectory"), choices=())
    consent_method = forms.ChoiceField(
        label=_("How did the client agree that your organisation takes part?"), choices=PROFESSIONAL_METHODS,
        widget=forms.RadioSelect,
    )
    consent_evidence = forms.CharField(
        label=_("Evidence of the consent"), max_length=300, required=False,
        help_text=_("Where the consent can be checked, for example the reference of the signed form."),
    )

    # Set after "Known in the region?" said a person with these details may be known and the
    # professional confirmed this is someone else.
    different_person = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = _role_choices(user)


def _role_choices(user) -> list[tuple[str, str]]:
    roles = [r for r in Role if r in CASEWORK_ROLES and (user is None or r in user.roles)] or [
        r for r in Role if r in CASEWORK_ROLES
    ]
    return [(r.value, r.label) for r in roles]


class KnownCheckForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    date_of_birth = forms.DateField(label=_("Date of birth"), widget=forms.DateInput(attrs=DATE))


class JoinAskForm(KnownCheckForm):
    """The same details again (hidden), and the role the asker would have in the team."""

    role = forms.ChoiceField(label=_("Your role in the team"), choices=())
    note = forms.CharField(label=_("Note for the plan director"), max_length=300, required=False,
                           help_text=_("Why you ask, for example: referred by the GP. No health details."))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = _role_choices(user)
        for name in ("first_name", "last_name", "date_of_birth"):
            self.fields[name].widget = forms.HiddenInput()


class MergeForm(forms.Form):
    surviving = forms.CharField(label=_("Client id of the file that stays"), max_length=16)
    merged = forms.CharField(label=_("Client id of the file merged into it"), max_length=16)
    reason = forms.CharField(label=_("Why these files are one person"), max_length=300,
                             widget=forms.Textarea(attrs={"rows": 2}))
    # The pair the preview showed ("surviving>merged"): a merge runs only for the pair checked.
    confirm = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)

    def clean_surviving(self):
        return self.cleaned_data["surviving"].strip().upper()

    def clean_merged(self):
        return self.cleaned_data["merged"].strip().upper()


class ClientEditForm(ClientForm):
    status = forms.ChoiceField(label=_("Status"), choices=ClientStatus.choices)

    def __init__(self, *args, show_bsn: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not show_bsn:
            del self.fields["bsn"]
        else:
            self.fields["bsn"].help_text = _("Leave empty to remove the BSN.")


class ConsentGrantForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None)
    categories = forms.MultipleChoiceField(
        label=_("Which data"), choices=DataCategory.choices, widget=forms.CheckboxSelectMultiple
    )
    method = forms.ChoiceField(label=_("How was consent given?"), choices=PROFESSIONAL_METHODS, widget=forms.RadioSelect)
    given_on = forms.DateField(label=_("Given on"), required=False, widget=forms.DateInput(attrs=DATE),
                               help_text=_("Empty: today."))
    valid_until = forms.DateField(label=_("Valid until"), required=False, widget=forms.DateInput(attrs=DATE),
                                  help_text=_("Empty: until the client withdraws it."))
    evidence = forms.CharField(
        label=_("Evidence"), max_length=300,
        help_text=_("Where the consent can be checked, for example the reference of the signed form. "
                    "The client sees this recording in the portal."),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    seen_event = forms.IntegerField(widget=forms.HiddenInput, min_value=0)  # see services.consent_grant_many

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class ConsentWithdrawForm(forms.Form):
    organisation = forms.IntegerField(widget=forms.HiddenInput)
    category = forms.ChoiceField(choices=DataCategory.choices, widget=forms.HiddenInput)
    expected_version = forms.IntegerField(widget=forms.HiddenInput)
    method = forms.ChoiceField(label=_("How was it withdrawn?"), choices=PROFESSIONAL_METHODS,
                               initial=ConsentMethod.VERBAL)
