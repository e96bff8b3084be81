"""Appointment: a client's (or a group's) appointment, as the appointment page shows it.

Read through the appointments' own selector under `appointment.view` (a client's appointment is
client data of the category participation: team members with the client's consent; one without
a client is for those taking part); a search is the policy's `appointment.view` scope, narrowed
to the named patient (authorized as when the person opens the client), each result authorized
and so logged one by one.

Mapping: status planned → booked, tentative (time to be agreed) → pending, cancelled →
cancelled; start and end in Europe/Amsterdam with their offset; participants are the client (as
a Patient reference, when taking part), the team members and the experience expert (by display
name), the employer contact (by display name) and the place (a Location by display); the video
link is an extension (R4 has no virtual-service element). A linked deployment request is the
appointment's `basedOn` (a ServiceRequest, by display); a linked plan action, a Task, is named
in `supportingInformation` (R4's `basedOn` only takes a ServiceRequest).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404

from werkbrug.appointments import selectors as appointment_selectors
from werkbrug.appointments.models import Appointment, AppointmentStatus
from werkbrug.core import policy

from ..base import EXTENSION, FhirError, Search, filter_updated, instant
from .common import clients_of, page, patient_ref, practitioner, readable

if TYPE_CHECKING:
    from werkbrug.core.models import User

KIND_SYSTEM = EXTENSION + "appointment-kind"
STATUS = {AppointmentStatus.PLANNED: "booked", AppointmentStatus.TENTATIVE: "pending",
          AppointmentStatus.CANCELLED: "cancelled"}
FROM_FHIR = {fhir: ours for ours, fhir in STATUS.items()}


def _participant(actor: dict, kind: str | None = None) -> dict:
    entry = {"actor": actor, "required": "required", "status": "accepted"}
    if kind:
        entry["type"] = [{"text": kind}]
    return entry


def appointment_resource(appointment: Appointment) -> dict:
    client = appointment.trajectory.client if appointment.trajectory_id else None
    participants = []
    if client is not None and appointment.with_client:
        participants.append(_participant({**patient_ref(client), "type": "Patient"}))
    participants += [_participant({**practitioner(p), "type": "Practitioner"})
                     for p in sorted(appointment.participants.all(), key=lambda p: (p.first_name, p.last_name, p.pk))]
    if appointment.expert_id is not None:
        participants.append(_participant({**practitioner(appointment.expert.person), "type": "Practitioner"},
                                         "ervaringsdeskundige"))
    if appointment.employer_contact_name:
        participants.append(_participant({"type": "RelatedPerson", "display": appointment.employer_contact_name},
                                         "werkgever"))
    if appointment.place:
        participants.append(_participant({"type": "Location", "display": appointment.place}))
    resource = {
        "resourceType": "Appointment", "id": str(appointment.pk),
        "meta": {"versionId": str(appointment.sequence), "lastUpdated": instant(appointment.updated_at)},
        "status": STATUS[appointment.status],
        "serviceType": [{"coding": [{"system": KIND_SYSTEM, "code": appointment.kind}],
                         "text": str(appointment.get_kind_display())}],
        "description": str(appointment.get_kind_display()),
        "start": instant(appointment.starts_at), "end": instant(appointment.ends_at),
        "created": instant(appointment.created_at),
        "participant": participants,
    }
    if appointment.video_link:
        resource["extension"] = [{"url": EXTENSION + "video-link", "valueUrl": appointment.video_link}]
    if appointment.deployment_request_id is not None:
        resource["basedOn"] = [{"type": "ServiceRequest",
                                "display": f"Inzetverzoek #{appointment.deployment_request_id}"}]
    if appointment.plan_action_id is not None:
        resource["supportingInformation"] = [{"reference": f"Task/{appointment.plan_action_id}",
                                              "display": appointment.plan_action.title}]
    if client is not None:
        resource["supportingInformation"] = [*resource.get("supportingInformation", []),
                                             {"reference": f"CarePlan/{appointment.trajectory_id}"}]
    return resource


def appointment_read(user: User, pk: str) -> dict:
    if not pk.isdigit() or len(pk) > 18:
        raise Http404
    # As the appointment page: one access-log record for a client's appointment.
    return appointment_resource(appointment_selectors.appointment_get(user=user, pk=int(pk)))


def _appointments(user: User, search: Search) -> QuerySet[Appointment]:
    queryset = policy.scope(user, "appointment.view", Appointment.objects.all())
    if search.patient is not None:
        queryset = queryset.filter(trajectory__client__in=clients_of(user, search))
    if search.status is not None:
        if search.status not in FROM_FHIR:
            raise FhirError(400, "invalid", "status is one of " + ", ".join(FROM_FHIR))
        queryset = queryset.filter(status=FROM_FHIR[search.status])
    return filter_updated(queryset, "updated_at", search)


def appointment_search(user: User, search: Search) -> tuple[list[dict], bool]:
    rows = (Appointment.objects.filter(pk__in=_appointments(user, search).values("pk"))
            .select_related("trajectory__client", "expert__person", "plan_action")
            .prefetch_related("participants").order_by("starts_at", "pk"))
    found, more = page(rows, search)
    return [appointment_resource(a) for a in found if readable(user, "appointment.view", a)], more
