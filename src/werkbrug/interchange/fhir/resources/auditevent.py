"""AuditEvent: the access log, for the region's privacy officer (`access_log.search`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404

from werkbrug.core import policy
from werkbrug.core.access_log import access_log_search
from werkbrug.core.models import AccessLogRecord

from ..base import EXTENSION, FhirError, Search, filter_updated, instant
from .common import page

if TYPE_CHECKING:
    from werkbrug.core.models import User

ACTION = {"C": "C", "R": "R", "U": "U", "D": "D", "E": "E"}


def auditevent(record: AccessLogRecord) -> dict:
    entity = []
    if record.client_pseudonym:
        entity.append({"what": {"reference": f"Patient/{record.client_pseudonym}"}, "role": {"code": "1"},
                       **({"securityLabel": [{"system": EXTENSION + "data-category", "code": record.data_category}]}
                          if record.data_category else {})})
    if record.object_type:
        entity.append({"what": {"display": f"{record.object_type} {record.object_id}"}, "role": {"code": "4"}})
    agent = {"type": {"text": record.actor_role or "-"}, "who": {"display": record.actor_name},
             "requestor": True, **({"network": {"address": record.ip_address, "type": "2"}} if record.ip_address else {})}
    if record.actor_organisation:
        agent["altId"] = record.actor_organisation
    if record.purpose:
        agent["purposeOfUse"] = [{"text": record.purpose}]
    return {
        "resourceType": "AuditEvent", "id": str(record.pk),
        "type": {"system": "http://terminology.hl7.org/CodeSystem/audit-event-type", "code": "rest"},
        "subtype": [{"code": record.action}],
        "action": ACTION.get(record.code, "E"),
        "recorded": instant(record.occurred_at),
        "outcome": "0" if record.granted else "4",
        "agent": [agent],
        "source": {"observer": {"display": "Werkbrug"}},
        "entity": entity,
    }


def auditevent_read(user: User, pk: str) -> dict:
    if not pk.isdigit() or len(pk) > 18:
        raise Http404
    record = AccessLogRecord.objects.filter(pk=int(pk)).first()
    if record is None:
        raise Http404
    policy.authorize(user, "access_log.view", record)
    return auditevent(record)


def auditevent_search(user: User, search: Search) -> tuple[list[dict], bool]:
    policy.authorize(user, "access_log.search", None)
    if search.status is not None:
        raise FhirError(400, "not-supported", "AuditEvent has no status search")
    records = access_log_search(region_id=None if user.is_superuser else user.region_id,
                                client_pseudonym=search.patient or "")
    rows, more = page(filter_updated(records, "occurred_at", search), search)
    return [auditevent(r) for r in rows], more
