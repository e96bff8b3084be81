"""The one way an administration event is written (append-only; see `models/events.py`)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from werkbrug.core.models import Organisation, User

from ..models import AdministrationEvent


def event_record(
    *, actor: User, action: str, region_id: int, person: User | None = None,
    organisation: Organisation | None = None, before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AdministrationEvent:
    return AdministrationEvent.objects.create(
        region_id=region_id, at=timezone.now(), actor=actor, action=action, person=person,
        organisation=organisation, before=before or {}, after=after or {},
    )


def snapshot(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    """The values of `fields` as the audit trail keeps them (foreign keys by id)."""
    result = {}
    for name in fields:
        value = getattr(obj, name)
        result[name] = value if isinstance(value, str | int | bool | type(None)) else str(value)
    return result


def changes(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only what differs, on both sides."""
    names = [name for name in after if before.get(name) != after[name]]
    return {name: before.get(name) for name in names}, {name: after[name] for name in names}
