"""Reads of the longitudinal schedule: a participant's survey queue and the study's response
tracking per event; a participant's employer research contact. Participants appear by study
pseudonym only; the arm is never shown."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import EmployerContact, Participant, ScheduledInvitation, ScheduleEvent, Study
from .services.schedules import due_on, window_ends_on

UPCOMING, OPEN, ANSWERED, MISSED = "upcoming", "open", "answered", "missed"
STATE_LABELS = {UPCOMING: _("Upcoming"), OPEN: _("Invited, not yet answered"), ANSWERED: _("Answered"),
                MISSED: _("Missed")}


def _state(sent: list[ScheduledInvitation], due: date, window_end: date, today: date) -> str:
    if sent and all(s.invitation.responded_at is not None for s in sent):
        return ANSWERED
    if today < due:
        return UPCOMING
    if today > window_end:
        return MISSED
    return OPEN


def schedule_events(*, study: Study) -> list[ScheduleEvent]:
    return list(study.schedule.prefetch_related("items__questionnaire"))


def survey_queue(*, participant: Participant, today: date | None = None) -> list[dict[str, Any]]:
    """The participant's events in order: due date, window, state and the invitations sent."""
    today = today or timezone.localdate()
    allocation = getattr(participant, "allocation", None)
    if allocation is None:
        return []
    sent_by_event: dict[int, list[ScheduledInvitation]] = {}
    for s in (ScheduledInvitation.objects.select_related("invitation__questionnaire", "item")
              .filter(participant=participant)):
        sent_by_event.setdefault(s.item.event_id, []).append(s)
    rows = []
    for event in schedule_events(study=participant.study):
        due, end = due_on(event, allocation.randomised_on), window_ends_on(event, allocation.randomised_on)
        sent = sent_by_event.get(event.pk, [])
        state = _state(sent, due, end, today)
        rows.append({"event": event, "due_on": due, "window_ends_on": end, "state": state,
                     "state_label": STATE_LABELS[state], "sent": sent})
    return rows


def response_tracking(*, study: Study, today: date | None = None) -> list[dict[str, Any]]:
    """Per event: participants due so far, invited, answered, open (in the window), overdue
    (window passed without an answer) and reminded."""
    today = today or timezone.localdate()
    events = schedule_events(study=study)
    participants = list(study.participants.select_related("allocation").filter(allocation__isnull=False))
    sent: dict[tuple[int, int], list[ScheduledInvitation]] = {}
    for s in ScheduledInvitation.objects.select_related("invitation", "item").filter(participant__study=study):
        sent.setdefault((s.participant_id, s.item.event_id), []).append(s)
    rows = []
    for event in events:
        row = {"event": event, "due": 0, "invited": 0, "answered": 0, "open": 0, "overdue": 0, "reminded": 0}
        for p in participants:
            due, end = due_on(event, p.allocation.randomised_on), window_ends_on(event, p.allocation.randomised_on)
            if due > today:
                continue
            row["due"] += 1
            mine = sent.get((p.pk, event.pk), [])
            state = _state(mine, due, end, today)
            row["invited"] += bool(mine)
            row["answered"] += state == ANSWERED
            row["open"] += state == OPEN and bool(mine)
            row["overdue"] += state == MISSED
            row["reminded"] += any(s.reminded_at is not None for s in mine)
        rows.append(row)
    return rows


def employer_contact(*, participant: Participant) -> EmployerContact | None:
    """The participant's employer research contact (for the study's researchers; never exported)."""
    return EmployerContact.objects.filter(participant=participant).first()
