"""Merging two files of one person (the region administrator).

A person registered twice has two files: two teams that do not know of each other, and consent
recorded in two places. The region administrator picks the file that survives and merges the
other into it, in one transaction: its trajectories, consent (the history in full; per
organisation and category the newest answer counts), requests to join and every other app's rows
about the client move to the surviving file; its BSN and portal account move when the surviving
file has none. The merged file stays, inactive and pointing at the surviving one
(`Client.merged_into`), so the access log's pseudonym still leads somewhere. The merge is
recorded in `ClientMerge` (who, when, why, what moved) and logged for both clients.

Refused: two files of different regions, two files each with a BSN (different BSNs are two
people; the same BSN cannot be registered twice), each with a portal account, or each with an
active trajectory (close one first, so that one team remains).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werkbrug.core import policy
from werkbrug.core.policy import memo

from ..models import Client, ClientMerge, ClientStatus, ConsentEvent, ConsentState

if TYPE_CHECKING:
    from werkbrug.core.models import User

__all__ = ["client_merge"]

# Relations to Client this module moves itself (or that must not move).
_HANDLED = {"clients.ConsentState", "clients.ConsentEvent", "clients.ClientMerge", "clients.Client",
            "trajectories.Trajectory"}


def _invalid(message, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def _merge_consents(surviving: Client, merged: Client) -> int:
    moved = 0
    theirs = {(s.organisation_id, s.category): s for s in
              ConsentState.objects.select_for_update().filter(client=surviving).select_related("last_event")}
    for state in ConsentState.objects.select_for_update().filter(client=merged).select_related("last_event").order_by("pk"):
        kept = theirs.get((state.organisation_id, state.category))
        if kept is None:
            state.client = surviving
            state.save(update_fields=["client"])
        else:
            if (state.last_event.recorded_at, state.last_event_id) > (kept.last_event.recorded_at, kept.last_event_id):
                kept.granted, kept.valid_until, kept.last_event = state.granted, state.valid_until, state.last_event
                kept.version += 1
                kept.save(update_fields=["granted", "valid_until", "last_event", "version"])
            state.delete()
        moved += 1
    moved += ConsentEvent.objects.filter(client=merged).update(client=surviving)
    return moved


def _move_other_rows(surviving: Client, merged: Client) -> dict[str, int]:
    """Every other app's rows about the merged client (reverse foreign keys), moved."""
    moved: dict[str, int] = {}
    for relation in Client._meta.related_objects:
        model = relation.related_model
        if model._meta.label in _HANDLED or relation.many_to_many or relation.one_to_one:
            continue
        try:
            with transaction.atomic():
                count = model._default_manager.filter(**{relation.field.name: merged}).update(
                    **{relation.field.name: surviving})
        except IntegrityError as exc:
            raise _invalid(_("Both files hold a record that can exist only once per client (%(what)s). "
                             "Resolve it in one of the files first.") % {"what": model._meta.verbose_name},
                           "conflict") from exc
        if count:
            moved[model._meta.label_lower] = count
    return moved


@transaction.atomic
def client_merge(*, surviving: Client, merged: Client, merged_by: User, reason: str) -> ClientMerge:
    """Merge `merged` into `surviving` (see the module docstring)."""
    from werkbrug.trajectories.models import TeamMembership, Trajectory, TrajectoryStatus

    policy.authorize(merged_by, "client.merge", surviving)
    policy.authorize(merged_by, "client.merge", merged)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _invalid(_("Say why these files are one person."), "required")})
    if len(reason) > 300:
        raise ValidationError({"reason": _invalid(_("Keep the reason under 300 characters."), "too_long")})
    if surviving.pk == merged.pk:
        raise _invalid(_("Choose two different files."), "same")
    first, second = sorted((surviving.pk, merged.pk))
    locked = {c.pk: c for c in Client.objects.select_for_update().filter(pk__in=[first, second]).order_by("pk")}
    surviving, merged = locked[surviving.pk], locked[merged.pk]
    if surviving.region_id != merged.region_id:
        raise _invalid(_("The files are in different regions."), "other_region")
    if merged.merged_into_id is not None or surviving.merged_into_id is not None:
        raise _invalid(_("One of the files has been merged already."), "merged")
    if surviving.bsn_hash and merged.bsn_hash:
        raise _invalid(_("Both files have a BSN: they are two different people."), "two_bsns")
    if surviving.user_id and merged.user_id:
        raise _invalid(_("Both files have a portal account. Deactivate one first."), "two_accounts")
    active = Trajectory.objects.filter(client_id__in=[first, second], status=TrajectoryStatus.ACTIVE).count()
    if active > 1:
        raise _invalid(_("Both files have an active trajectory. Close one of them first, so one team remains."),
                       "two_active")
    moved: dict[str, int] = {}
    moved["trajectories.trajectory"] = Trajectory.objects.filter(client=merged).update(client=surviving)
    # The caseload's copy of the client's name on each membership follows its trajectory's client
    # (`caseload_sync.py`): touching the rows lets the database copy it again.
    TeamMembership.objects.filter(trajectory__client=surviving).update(left_at=F("left_at"))
    moved["clients.consent"] = _merge_consents(surviving, merged)
    moved.update(_move_other_rows(surviving, merged))
    if merged.bsn_hash and not surviving.bsn_hash:
        bsn_hash, bsn_encrypted = merged.bsn_hash, merged.bsn_encrypted
        merged.bsn_hash = merged.bsn_encrypted = ""
        merged.save(update_fields=["bsn_hash", "bsn_encrypted"])
        surviving.bsn_hash, surviving.bsn_encrypted = bsn_hash, bsn_encrypted
        surviving.save(update_fields=["bsn_hash", "bsn_encrypted"])
        moved["clients.bsn"] = 1
    if merged.user_id and not surviving.user_id:
        user_id = merged.user_id
        merged.user = None
        merged.save(update_fields=["user"])
        surviving.user_id = user_id
        surviving.save(update_fields=["user"])
        moved["clients.portal_account"] = 1
    merged.merged_into = surviving
    merged.status = ClientStatus.INACTIVE
    merged.save(update_fields=["merged_into", "status"])
    memo.forget(facts=(memo.TEAM_ROLE, memo.FORMER_ROLE, memo.CONSENTS))
    return ClientMerge.objects.create(surviving=surviving, merged=merged, merged_by=merged_by,
                                      merged_at=timezone.now(), reason=reason,
                                      moved={k: v for k, v in moved.items() if v})
