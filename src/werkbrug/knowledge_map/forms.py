"""Forms for the knowledge map pages. Validation of content is the services' job."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from werkbrug.core.models import User

from .keys import key_validate
from .models import Audience, ItemKind, ItemStatus, RelationKind, Scope, Theme

CHOOSE = _("— choose —")


def _with_all(choices, label):
    return [("", label), *choices]


class MapFilterForm(forms.Form):
    audience = forms.ChoiceField(label=_("Audience"), required=False, choices=_with_all(Audience.choices, _("Everyone")))
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=_with_all(ItemKind.choices, _("All kinds")))
    theme = forms.ChoiceField(label=_("Theme"), required=False, choices=_with_all(Theme.choices, _("All themes")))
    q = forms.CharField(label=_("Search"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search"}))


class ItemForm(forms.Form):
    key = forms.CharField(
        label=_("Short name"), required=False, validators=[key_validate],
        help_text=_("A short fixed name, e.g. ips or wia-wga. Leave it empty and Werkbrug makes one from the title."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=_with_all(ItemKind.choices, CHOOSE))
    title = forms.CharField(label=_("Title"), max_length=160)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea,
                              help_text=_("In plain Dutch (B1): what is it and when does it help?"))
    links = forms.CharField(
        label=_("Links"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: the web address, then a space and a label (optional)."),
    )
    audience = forms.MultipleChoiceField(label=_("Audience"), required=False, choices=Audience.choices,
                                         widget=forms.CheckboxSelectMultiple)
    theme = forms.ChoiceField(label=_("Theme"), choices=_with_all(Theme.choices, CHOOSE))
    scope = forms.ChoiceField(label=_("National or regional"), choices=Scope.choices)
    tags = forms.CharField(label=_("Tags"), required=False, max_length=300, help_text=_("Separated by commas."))
    owner = forms.ModelChoiceField(label=_("Owner"), required=False, queryset=User.objects.none(), empty_label=CHOOSE)
    review_on = forms.DateField(label=_("Next review date"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, region_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = User.objects.filter(
            region_id=region_id, kind="professional", is_active=True
        ).order_by("last_name", "first_name")

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        if not data.get("key"):
            data.pop("key", None)  # a new item gets a key made from its title; an edit keeps its key
        links = []
        for line in (data.get("links") or "").splitlines():
            if line.strip():
                url, _sep, label = line.strip().partition(" ")
                links.append({"url": url, "label": label.strip()})
        data["links"] = links
        return data

    @staticmethod
    def initial_from(item) -> dict:
        return {
            "key": item.key, "kind": item.kind, "title": item.title, "summary": item.summary,
            "links": "\n".join(f"{link['url']} {link.get('label', '')}".strip() for link in item.links),
            "audience": item.audience_list, "theme": item.theme, "scope": item.scope, "tags": item.tags,
            "owner": item.owner_id, "review_on": item.review_on,
        }


class RelationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Relation"), choices=_with_all(RelationKind.choices, CHOOSE))
    target = forms.IntegerField(label=_("Item"), widget=forms.Select)

    def __init__(self, *args, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Grouped by theme, as on the map; the page's script adds a search box that narrows it.
        groups: dict[str, list] = {}
        for item in targets:
            groups.setdefault(item.get_theme_display(), []).append((item.pk, item.title))
        self.fields["target"].widget.choices = [("", CHOOSE), *sorted(groups.items())]
        self.fields["target"].widget.attrs["data-searchable"] = _("Search an item")


class ImportForm(forms.Form):
    file = forms.FileField(label=_("File (JSON or CSV, UTF-8)"))


class CurationFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=_with_all(ItemStatus.choices, _("All")))
    review = forms.ChoiceField(
        label=_("Review"), required=False,
        choices=[("", _("All")), ("overdue", _("Review date passed")), ("soon", _("Review soon")),
                 ("none", _("No review date")), ("ok", _("In order"))],
    )
