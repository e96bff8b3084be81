"""The review flow of a knowledge item: draft → published, and back or to the archive.

An editor writes a draft; publishing makes it visible to every professional of the region.
Withdrawing puts it back in draft (to rework it); archiving hides it without deleting its
history. Enforced in `services.item_transition`, the only place the status changes.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .models import ItemStatus

S = ItemStatus

# (from, to) → the verb recorded in the change history
ALLOWED_TRANSITIONS: dict[tuple[str, str], str] = {
    (S.DRAFT, S.PUBLISHED): "published",
    (S.PUBLISHED, S.DRAFT): "withdrawn",
    (S.DRAFT, S.ARCHIVED): "archived",
    (S.PUBLISHED, S.ARCHIVED): "archived",
    (S.ARCHIVED, S.DRAFT): "restored",
}

TRANSITION_LABELS = {
    S.PUBLISHED: _("Publish"),
    S.DRAFT: _("Back to draft"),
    S.ARCHIVED: _("Archive"),
}


def allowed_targets(status: str) -> list[str]:
    return [to for (frm, to) in ALLOWED_TRANSITIONS if frm == status]

# The change history in words (`ItemChange.action` → what the history page shows).
CHANGE_LABELS = {
    "created": _("Created"),
    "updated": _("Changed"),
    "published": _("Published"),
    "withdrawn": _("Back to draft"),
    "archived": _("Archived"),
    "restored": _("Restored from the archive"),
    "relation_added": _("Connection added"),
    "relation_removed": _("Connection removed"),
    "linked_national": _("Connected to the national item"),
    "synced": _("Brought up to date from Werkbrug"),
    "imported": _("Imported"),
}
