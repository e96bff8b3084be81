from django import forms
from django.utils.translation import gettext_lazy as _

from werkbrug.core.choices import DataCategory


class ConsentChangeForm(forms.Form):
    organisation = forms.IntegerField(widget=forms.HiddenInput)
    category = forms.ChoiceField(choices=DataCategory.choices, widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    give = forms.TypedChoiceField(label=_("Consent"), choices=[("1", _("Give")), ("0", _("Withdraw"))],
                                  coerce=lambda v: v == "1")
