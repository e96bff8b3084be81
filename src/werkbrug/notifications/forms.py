from django import forms
from django.utils.translation import gettext_lazy as _

from .kinds import Channel, Kind


class InboxFilter(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds"))] + list(Kind.choices))
    unread = forms.BooleanField(label=_("Unread only"), required=False)


class PreferencesForm(forms.Form):
    """One choice per kind: e-mail at once, in the daily digest, or not at all."""

    def __init__(self, *args, current: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in Kind.choices:
            self.fields[kind] = forms.ChoiceField(label=label, choices=Channel.choices, initial=current[kind])
