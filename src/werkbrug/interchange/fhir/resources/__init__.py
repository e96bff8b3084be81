"""Werkbrug's records as FHIR R4 resources, read through the pages' selectors and policy.

Each handler has `read(user, id)` (one resource; Http404 for missing and forbidden alike) and
`search(user, search)` (a page of resources and whether there are more). A search is always
about clients the acting person may see: the one named by `patient`, else the person's own
caseload (the policy's `client.view` scope); every resource in the answer is authorized, and
so logged, one by one, exactly as when the person opens it in the pages.
"""

from __future__ import annotations

from .answering import response_create
from .appointment import appointment_read, appointment_search
from .auditevent import auditevent_read, auditevent_search
from .careplan import (
    careplan_read,
    careplan_search,
    careteam_read,
    careteam_search,
    task_read,
    task_search,
    task_update,
)
from .communication import communication_create, communication_read, communication_search
from .consent import consent_read, consent_search
from .patient import patient_read, patient_search
from .questionnaire import questionnaire_read, questionnaire_search, response_read, response_search

HANDLERS = {
    "Patient": (patient_read, patient_search),
    "CarePlan": (careplan_read, careplan_search),
    "CareTeam": (careteam_read, careteam_search),
    "Task": (task_read, task_search),
    "Consent": (consent_read, consent_search),
    "Communication": (communication_read, communication_search),
    "AuditEvent": (auditevent_read, auditevent_search),
    "Appointment": (appointment_read, appointment_search),
    "Questionnaire": (questionnaire_read, questionnaire_search),
    "QuestionnaireResponse": (response_read, response_search),
}

# Writes: create (POST to the type) and update (PUT to the resource).
CREATE = {"Communication": communication_create, "QuestionnaireResponse": response_create}
UPDATE = {"Task": task_update}
