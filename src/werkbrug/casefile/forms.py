"""Web forms for the journal and the documents. Rules live in the services; forms only parse."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from werkbrug.core.choices import DataCategory

from .models import DocumentKind, JournalKind
from .uploads import ACCEPT

# What a note or a document can be filed under (research participation is not case-file data).
CATEGORY_CHOICES = [(value, label) for value, label in DataCategory.choices if value != DataCategory.RESEARCH]


def _category_field(categories: frozenset[str] | None) -> forms.ChoiceField:
    choices = [(v, label) for v, label in CATEGORY_CHOICES if categories is None or v in categories]
    return forms.ChoiceField(
        label=_("Kind of data"), choices=choices, initial=DataCategory.PARTICIPATION,
        help_text=_("Decides who in the team may read it: only organisations the client gave consent to for this "
                    "kind of data."),
    )


class NoteForm(forms.Form):
    occurred_on = forms.DateField(label=_("Date of the contact"),
                                  widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    kind = forms.ChoiceField(label=_("Kind of contact"), choices=JournalKind.choices)
    with_whom = forms.CharField(label=_("With whom"), max_length=200, required=False,
                                help_text=_("For example: the client, the employer, the client and the therapist."))
    text = forms.CharField(label=_("Note"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 6}))
    shared_with_client = forms.BooleanField(label=_("Share this note with the client"), required=False,
                                            help_text=_("The client then reads it in the portal."))

    def __init__(self, *args, categories: frozenset[str] | None = None, with_category: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if with_category:
            self.fields["category"] = _category_field(categories)
            self.order_fields(["occurred_on", "kind", "with_whom", "category", "text", "shared_with_client"])
        if not self.is_bound and "occurred_on" not in self.initial:
            self.initial["occurred_on"] = timezone.localdate()


class CorrectionForm(NoteForm):
    """The note's fields again, its category among them (a note filed under the wrong kind of data
    is re-filed by a correction), and why it is corrected."""

    reason = forms.CharField(label=_("Why do you correct the note?"), max_length=300)

    def __init__(self, *args, categories: frozenset[str] | None = None, **kwargs):
        super().__init__(*args, categories=categories, **kwargs)
        self.fields["category"].required = False  # left out: the note keeps its category
        self.fields["category"].help_text = _(
            "Filed under the wrong kind of data? Choose the right one: from then on it decides who reads the note; "
            "earlier versions stay readable only for whoever may read the kind of data they were filed under.")


class UploadForm(forms.Form):
    file = forms.FileField(label=_("File"), widget=forms.FileInput(attrs={"accept": ACCEPT}),
                           help_text=_("PDF, PNG, JPEG, DOCX, XLSX or ODT."), allow_empty_file=True)
    title = forms.CharField(label=_("Title"), max_length=200, required=False,
                            help_text=_("Empty: the file name."))
    kind = forms.ChoiceField(label=_("Kind of document"), choices=DocumentKind.choices)
    consent_event = forms.TypedChoiceField(label=_("Belongs to the consent record"), required=False, coerce=int,
                                           empty_value=None)

    def __init__(self, *args, categories: frozenset[str] | None = None, consent_records=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"] = _category_field(categories)
        self.fields["consent_event"].choices = [("", _("No consent record"))] + [
            (e.pk, f"{e.get_category_display()} — {e.organisation} ({date_format(localtime(e.recorded_at), 'j F Y')})") for e in consent_records
        ]
        self.order_fields(["file", "title", "kind", "category", "consent_event"])


class ReplaceForm(forms.Form):
    file = forms.FileField(label=_("New file"), widget=forms.FileInput(attrs={"accept": ACCEPT}),
                           allow_empty_file=True)
    note = forms.CharField(label=_("What changed?"), max_length=300, required=False)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search in the journal"), required=False)
