"""What changed between two versions of a plan: goals and actions added, removed, changed.

Goals and actions keep their `key` from version to version, so a renamed goal is "changed", not
"removed + added". Pure: works on plain snapshots, so it is tested without a database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

GOAL_FIELDS = {"title": _("goal"), "description": _("explanation")}
ACTION_FIELDS = {"title": _("action"), "goal": _("goal"), "owner": _("who does it"), "due_on": _("due date"), "status": _("status")}


@dataclass
class Change:
    kind: str  # "added", "removed", "changed"
    item: str  # "goal" or "action"
    title: str
    fields: list[tuple[Any, Any, Any]] = field(default_factory=list)  # (label, old, new)


def snapshot(version) -> dict[str, dict]:
    """{"goals": {key: {...}}, "actions": {key: {...}}} with display values."""
    if version is None:
        return {"goals": {}, "actions": {}}
    goals = {}
    titles, keys = {}, {}
    for g in version.goals.all():
        goals[str(g.key)] = {"title": g.title, "description": g.description}
        titles[g.pk], keys[g.pk] = g.title, str(g.key)
    actions = {}
    for a in version.actions.all():
        owner = str(_("the client")) if a.owner_is_client else (a.owner.get_full_name() if a.owner else "")
        actions[str(a.key)] = {
            "title": a.title, "goal": titles.get(a.goal_id, ""), "goal_key": keys.get(a.goal_id), "owner": owner,
            "due_on": a.due_on, "status": a.get_status_display(),
        }
    return {"goals": goals, "actions": actions}


def _compared(values: dict, name: str) -> Any:
    # An action moved to another goal is a change; its goal being renamed is not.
    if name == "goal" and "goal_key" in values:
        return values["goal_key"]
    return values[name]


def diff(old: dict[str, dict], new: dict[str, dict]) -> list[Change]:
    changes: list[Change] = []
    for item, labels in (("goal", GOAL_FIELDS), ("action", ACTION_FIELDS)):
        before, after = old[item + "s"], new[item + "s"]
        for key, values in after.items():
            if key not in before:
                changes.append(Change("added", item, values["title"]))
            else:
                fields = [(label, before[key][name], values[name]) for name, label in labels.items()
                          if _compared(before[key], name) != _compared(values, name)]
                if fields:
                    changes.append(Change("changed", item, values["title"], fields))
        for key, values in before.items():
            if key not in after:
                changes.append(Change("removed", item, values["title"]))
    return changes


def version_diff(old_version, new_version) -> list[Change]:
    return diff(snapshot(old_version), snapshot(new_version))
