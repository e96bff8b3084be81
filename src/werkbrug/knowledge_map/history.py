"""An item's change history in words: what the history page shows for each `ItemChange`.

The history stores codes (the action, field names, choice values, "kind:key" for relations,
ISO dates, usernames) so it stays exact; this module is the one place that turns them into
Dutch words for people: the action's label, the field's name, a choice's label, "leidt tot
<title>", 31-01-2027, a person's name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from werkbrug.core.models import User

from .models import (
    Audience,
    Item,
    ItemChange,
    ItemKind,
    ItemStatus,
    RelationKind,
    Scope,
    SourceType,
    Theme,
)
from .workflow import CHANGE_LABELS

__all__ = ["ChangeInWords", "changes_in_words"]

_CHOICES = {
    "status": ItemStatus, "kind": ItemKind, "theme": Theme, "scope": Scope, "source_type": SourceType,
}


@dataclass
class ChangeInWords:
    change: ItemChange
    label: str
    rows: list[tuple[str, str, str]]


def _field_name(name: str) -> str:
    if name == "relation":
        return _("connection")
    try:
        return str(Item._meta.get_field(name).verbose_name)
    except Exception:  # a field that no longer exists: its stored name is all there is
        return name


def changes_in_words(changes: list[ItemChange], *, region_id: int) -> list[ChangeInWords]:
    """Each change with its action and its changed fields as words (old → new)."""
    keys: set[str] = set()
    usernames: set[str] = set()
    for change in changes:
        for name, values in change.changes.items():
            for value in values:
                if name == "relation" and isinstance(value, str):
                    keys.add(value.partition(":")[2])
                elif name == "owner" and isinstance(value, str):
                    usernames.add(value)
    titles = dict(Item.objects.filter(region_id=region_id, key__in=keys).values_list("key", "title"))
    people = {u.username: u.get_full_name() or u.username for u in User.objects.filter(username__in=usernames)}
    labels = {name: {k: str(v) for k, v in c.choices} for name, c in _CHOICES.items()}
    relation_labels = {k: str(v) for k, v in RelationKind.choices}
    audience_labels = {k: str(v) for k, v in Audience.choices}

    def shown(name: str, value: Any) -> str:
        if value in (None, "", []):
            return ""
        if name == "relation" and isinstance(value, str):
            kind, _sep, key = value.partition(":")
            return f"{relation_labels.get(kind, kind)} {titles.get(key, key)}"
        if name == "audience" and isinstance(value, str):
            return ", ".join(audience_labels.get(a, a) for a in value.split(",") if a)
        if name == "owner" and isinstance(value, str):
            return people.get(value, value)
        if name == "review_on" and isinstance(value, str):
            try:
                return date.fromisoformat(value).strftime("%d-%m-%Y")
            except ValueError:
                return value
        if name == "links" and isinstance(value, list):
            return ", ".join(str(v.get("url", "")) if isinstance(v, dict) else str(v) for v in value)
        if name in labels and isinstance(value, str):
            return labels[name].get(value, value)
        return str(value)

    return [
        ChangeInWords(
            change=change,
            label=str(CHANGE_LABELS.get(change.action, change.action)),
            rows=[(_field_name(name), shown(name, values[0]), shown(name, values[1]))
                  for name, values in change.changes.items() if isinstance(values, list) and len(values) == 2],
        )
        for change in changes
    ]
