from django import forms
from django.utils.translation import gettext_lazy as _

from werkbrug.core.choices import DataCategory

from .models import CorrectionSubject


class ConsentChangeForm(forms.Form):
    organisation = forms.IntegerField(widget=forms.HiddenInput)
    category = forms.ChoiceField(choices=DataCategory.choices, widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    give = forms.TypedChoiceField(label=_("Consent"), choices=[("1", _("Give")), ("0", _("Withdraw"))],
                                  coerce=lambda v: v == "1")


class ActionTickForm(forms.Form):
    done = forms.TypedChoiceField(choices=[("1", _("Done")), ("0", _("Not done yet"))], coerce=lambda v: v == "1")


class CorrectionForm(forms.Form):
    subject = forms.ChoiceField(label=_("What is it about?"),
                                choices=[("", _("Choose…")), *CorrectionSubject.choices])
    text = forms.CharField(label=_("What is not right, and what should it be?"), max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 5}),
                           help_text=_("Your plan director reads this and answers you here."))


class CorrectionAnswerForm(forms.Form):
    answer = forms.CharField(label=_("Your answer to the client"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 5}),
                             help_text=_("What you corrected, or why it stays as it is. The client reads this in the portal."))
