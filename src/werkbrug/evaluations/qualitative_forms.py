"""Forms of the qualitative pages: span coding, memos, code changes, the REFI-QDA import."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .forms import CodingForm
from .models import Level, RespondentRole
from .qualitative import MAX_MEMO

MAX_POSITION = 10_000_000


class SpanCodingForm(CodingForm):
    """A code on a passage or on a span of it. The page's script fills the positions and the text
    from the selection; without it, the coder types the exact text (or the positions)."""

    start = forms.IntegerField(label=_("From character"), required=False, min_value=0, max_value=MAX_POSITION)
    end = forms.IntegerField(label=_("To character"), required=False, min_value=1, max_value=MAX_POSITION)
    quote = forms.CharField(label=_("Text to code (exactly as in the passage; empty: the whole passage)"),
                            required=False, max_length=20_000, strip=False)


class MemoForm(forms.Form):
    text = forms.CharField(label=_("Memo"), max_length=MAX_MEMO, widget=forms.Textarea(attrs={"rows": 3}))


class RenameForm(forms.Form):
    name = forms.CharField(label=_("New name"), max_length=120)
    reason = forms.CharField(label=_("Reason (optional)"), required=False, max_length=500)


class MergeForm(forms.Form):
    into = forms.TypedChoiceField(label=_("Merge into"), coerce=int)
    reason = forms.CharField(label=_("Reason (optional)"), required=False, max_length=500)

    def __init__(self, *args, codes=(), exclude=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].choices = [("", _("(choose a code)"))] + [
            (c.pk, "— " * depth + c.name) for c, depth in codes if c.pk != exclude
        ]


class DeleteForm(forms.Form):
    confirm = forms.CharField(label=_("Type the code's name to confirm"), max_length=120)
    reason = forms.CharField(label=_("Reason (optional)"), required=False, max_length=500)


class ProjectImportForm(forms.Form):
    file = forms.FileField(label=_("REFI-QDA project (.qdpx)"))
    respondent_role = forms.ChoiceField(label=_("Respondents of the imported interviews"),
                                        choices=[("", _("(choose)"))] + RespondentRole.choices)
    level = forms.ChoiceField(label=_("Level of the imported codings"), choices=[("", _("(choose)"))] + Level.choices)
