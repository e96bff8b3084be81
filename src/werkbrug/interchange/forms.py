from django import forms
from django.utils.translation import gettext_lazy as _

from werkbrug.core.models import Organisation, User

from .models import all_scopes


def _person_label(person: User) -> str:
    return f"{person.get_full_name()} ({person.organisation}) · {person.username}"


class _PersonsAndKeys(forms.Form):
    acting_person = forms.ModelChoiceField(
        label=_("Acts on behalf of"), queryset=User.objects.none(), empty_label=_("Choose a person"),
        help_text=_("An active professional of the same organisation: the system reads and writes what this "
                    "person may, and the access log names both. A call that names no person acts for this one."),
    )
    persons = forms.ModelMultipleChoiceField(
        label=_("May also act for"), queryset=User.objects.none(), required=False,
        help_text=_("Professionals of the same organisation a call may name, by user name, in the header "
                    "X-Werkbrug-Acting-Person."),
    )
    jwks = forms.CharField(
        label=_("Public keys (JWK Set)"), required=False, max_length=16384,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        help_text=_("For SMART Backend Services: the system's public keys (RS384 or ES384) as a JWK Set in JSON, "
                    "as its supplier gives them. Never a private key. Empty: the system signs in with its secret."),
    )

    def _people(self, region_id: int) -> None:
        people = (User.objects.filter(region_id=region_id, is_active=True, organisation__isnull=False)
                  .select_related("organisation").order_by("last_name", "first_name"))
        for name in ("acting_person", "persons"):
            self.fields[name].queryset = people
            self.fields[name].label_from_instance = _person_label


class SystemForm(_PersonsAndKeys):
    name = forms.CharField(label=_("Name of the system"), max_length=120)
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none(),
                                          empty_label=_("Choose an organisation"))
    scopes = forms.MultipleChoiceField(label=_("What the system may do"), widget=forms.CheckboxSelectMultiple,
                                       choices=[(s, s) for s in all_scopes()])
    field_order = ["name", "organisation", "acting_person", "persons", "scopes", "jwks"]

    def __init__(self, *args, region_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(region_id=region_id).order_by("name")
        self._people(region_id)


class SystemChangeForm(_PersonsAndKeys):
    def __init__(self, *args, system, **kwargs):
        super().__init__(*args, **kwargs)
        self._people(system.region_id)
        self.fields["acting_person"].queryset = self.fields["acting_person"].queryset.filter(
            organisation_id=system.organisation_id)
        self.fields["persons"].queryset = self.fields["persons"].queryset.filter(organisation_id=system.organisation_id)


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("What to import"))
    file = forms.FileField(label=_("File (CSV or Excel)"),
                           help_text=_("The first line names the columns; CSV with commas or semicolons, in UTF-8."))
    dry_run = forms.BooleanField(label=_("Only check, import nothing yet"), required=False, initial=True)

    def __init__(self, *args, kinds: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds
