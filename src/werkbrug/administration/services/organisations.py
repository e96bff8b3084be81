"""Organisations of the region: added and changed by the region administrator."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from werkbrug.core import policy
from werkbrug.core.choices import OrganisationType
from werkbrug.core.models import Organisation, User

from ..models import EventAction
from .audit import changes, event_record, snapshot

FIELDS = ("name", "short_name", "type", "website", "email", "phone")


def _validate(organisation: Organisation) -> None:
    organisation.name = (organisation.name or "").strip()
    organisation.short_name = (organisation.short_name or "").strip()
    if not organisation.name:
        raise ValidationError({"name": ValidationError(_("Give the organisation a name."), code="required")})
    if organisation.type not in OrganisationType.values:
        raise ValidationError({"type": ValidationError(_("Choose the kind of organisation."), code="type")})
    clash = Organisation.objects.filter(region_id=organisation.region_id, name__iexact=organisation.name)
    if organisation.pk:
        clash = clash.exclude(pk=organisation.pk)
    if clash.exists():
        raise ValidationError({"name": ValidationError(_("The region already has an organisation of this name."), code="duplicate")})
    organisation.full_clean(exclude=["region"], validate_unique=False, validate_constraints=False)


@transaction.atomic
def organisation_create(*, actor: User, **fields: Any) -> Organisation:
    policy.authorize(actor, "organisation.change", None)
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))}, code="unknown_field")
    organisation = Organisation(region_id=actor.region_id, **{name: fields.get(name, "") for name in FIELDS})
    _validate(organisation)
    organisation.save()
    event_record(actor=actor, action=EventAction.ORGANISATION_ADDED, region_id=organisation.region_id,
                 organisation=organisation, after=snapshot(organisation, FIELDS))
    return organisation


@transaction.atomic
def organisation_update(*, organisation: Organisation, actor: User, **fields: Any) -> Organisation:
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    policy.authorize(actor, "organisation.change", organisation)
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))}, code="unknown_field")
    before = snapshot(organisation, FIELDS)
    for name, value in fields.items():
        setattr(organisation, name, value)
    _validate(organisation)
    old, new = changes(before, snapshot(organisation, FIELDS))
    if not new:
        return organisation
    organisation.save()
    event_record(actor=actor, action=EventAction.ORGANISATION_CHANGED, region_id=organisation.region_id,
                 organisation=organisation, before=old, after=new)
    return organisation
