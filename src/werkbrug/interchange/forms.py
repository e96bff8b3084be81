from django import forms
from django.utils.translation import gettext_lazy as _

from werkbrug.core.models import Organisation, User

from .models import all_scopes


class SystemForm(forms.Form):
    name = forms.CharField(label=_("Name of the system"), max_length=120)
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none(),
                                          empty_label=_("Choose an organisation"))
    acting_person = forms.ModelChoiceField(
        label=_("Acts on behalf of"), queryset=User.objects.none(), empty_label=_("Choose a person"),
        help_text=_("An active professional of the same organisation: the system reads and writes what this "
                    "person may, and the access log names both."),
    )
    scopes = forms.MultipleChoiceField(label=_("What the system may do"), widget=forms.CheckboxSelectMultiple,
                                       choices=[(s, s) for s in all_scopes()])

    def __init__(self, *args, region_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(region_id=region_id).order_by("name")
        self.fields["acting_person"].queryset = (
            User.objects.filter(region_id=region_id, is_active=True, organisation__isnull=False)
            .select_related("organisation").order_by("last_name", "first_name")
        )
        self.fields["acting_person"].label_from_instance = lambda p: f"{p.get_full_name()} ({p.organisation})"


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("What to import"))
    file = forms.FileField(label=_("File (CSV or Excel)"),
                           help_text=_("The first line names the columns; CSV with commas or semicolons, in UTF-8."))
    dry_run = forms.BooleanField(label=_("Only check, import nothing yet"), required=False, initial=True)

    def __init__(self, *args, kinds: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds
