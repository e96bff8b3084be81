"""Forms of the administration pages. The rules are the services'; these only parse."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from werkbrug.core.choices import OrganisationType, Role
from werkbrug.core.models import Organisation

from .models import EventAction

CHOOSE = _("— choose —")


def _with(choices, label):
    return [("", label), *choices]


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    short_name = forms.CharField(label=_("Short name"), max_length=40, required=False)
    type = forms.ChoiceField(label=_("Kind of organisation"), choices=_with(OrganisationType.choices, CHOOSE))
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    email = forms.EmailField(label=_("E-mail address"), required=False)
    phone = forms.CharField(label=_("Phone number"), max_length=30, required=False)


class _OrganisationField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        return obj.name


class PersonForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(label=_("E-mail address"), help_text=_("The invitation to choose a password is sent here."))
    organisation = _OrganisationField(label=_("Organisation"), queryset=Organisation.objects.none(), empty_label=CHOOSE)
    job_title = forms.CharField(label=_("Job title"), max_length=120, required=False)
    phone = forms.CharField(label=_("Phone number"), max_length=30, required=False)

    def __init__(self, *args, region_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(region_id=region_id).order_by("name")


class InviteForm(PersonForm):
    roles = forms.MultipleChoiceField(label=_("Roles"), required=False, choices=Role.choices,
                                      widget=forms.CheckboxSelectMultiple)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=_with(Role.choices, CHOOSE))

    def __init__(self, *args, exclude: frozenset[str] = frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = _with([(v, label) for v, label in Role.choices if v not in exclude], CHOOSE)


class IdentityForm(forms.Form):
    subject = forms.CharField(label=_("Identifier at the sign-in provider (sub)"), max_length=255)
    label = forms.CharField(label=_("Description"), max_length=120, required=False,
                            help_text=_("For example the provider's name."))


class PeopleFilterForm(forms.Form):
    organisation = _OrganisationField(label=_("Organisation"), queryset=Organisation.objects.none(),
                                      required=False, empty_label=_("All organisations"))
    role = forms.ChoiceField(label=_("Role"), required=False, choices=_with(Role.choices, _("All roles")))
    status = forms.ChoiceField(label=_("Accounts"), required=False, choices=[
        ("", _("Active")), ("inactive", _("Deactivated")), ("all", _("All")),
    ])

    def __init__(self, *args, region_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(region_id=region_id).order_by("name")


class EventFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("What"), required=False, choices=_with(EventAction.choices, _("Everything")))


class DeactivateForm(forms.Form):
    """Who coordinates the leaving coordinator's experts (where they have any), and why."""

    NOBODY = "nobody"

    coordinator = forms.ChoiceField(label=_("New coordinator of their experience experts"), required=False)
    reason = forms.CharField(label=_("Reason (optional)"), max_length=500, required=False,
                             help_text=_("Told to whoever asked for a deployment this person can no longer do."))

    def __init__(self, *args, candidates=(), needs_coordinator: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.needs_coordinator = needs_coordinator
        if needs_coordinator:
            self.fields["coordinator"].required = True
            self.fields["coordinator"].choices = [("", CHOOSE), *[(str(c.pk), c.get_full_name()) for c in candidates],
                                                  (self.NOBODY, _("Nobody for now (choose later on the profiles)"))]
        else:
            del self.fields["coordinator"]

    def successor(self) -> dict:
        """The service's `coordinator` argument: only when there are experts to hand over."""
        if not self.needs_coordinator:
            return {}
        value = self.cleaned_data["coordinator"]
        return {"coordinator": None if value == self.NOBODY else int(value)}


class ReactivateForm(forms.Form):
    reason = forms.CharField(label=_("Why is the account reactivated?"), max_length=500,
                             widget=forms.Textarea(attrs={"rows": 3}))
