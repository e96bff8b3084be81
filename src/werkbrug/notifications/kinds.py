"""What a notification can be about, and how each kind reads and travels.

A notification's title is made here from its kind and a neutral reference (a number such as
"#24"), never from free text: a title shows in the header badge's list, in mail subjects and
on lock screens, so it must never carry a client's name or any health data. The link leads to
the signed-in page where the details are.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    SIGNAL_RECEIVED = "signal_received", _("Signal received")
    SIGNAL_ESCALATED = "signal_escalated", _("Signal escalated to you")
    SIGNAL_ACKNOWLEDGED = "signal_acknowledged", _("Signal acknowledged")
    REFERRAL_RECEIVED = "referral_received", _("Referral to your organisation")
    REFERRAL_ACCEPTED = "referral_accepted", _("Referral accepted")
    REFERRAL_REJECTED = "referral_rejected", _("Referral rejected")
    REFERRAL_COMPLETED = "referral_completed", _("Referral completed")
    PLAN_AGREEMENT_REQUESTED = "plan_agreement_requested", _("Plan waiting for your agreement")
    PLAN_AGREED = "plan_agreed", _("Plan agreed by everyone")
    PLAN_DISAGREED = "plan_disagreed", _("Plan not agreed")
    ACTION_ASSIGNED = "action_assigned", _("Action assigned to you")
    ACTION_DUE = "action_due", _("Action due tomorrow")
    ACTION_OVERDUE = "action_overdue", _("Action overdue")
    ACTION_DONE_BY_CLIENT = "action_done_by_client", _("Action ticked off by the client")
    CORRECTION_REQUESTED = "correction_requested", _("Correction requested by the client")
    CORRECTION_ANSWERED = "correction_answered", _("Your correction request has an answer")
    PLAN_DIRECTOR = "plan_director", _("You became plan director")
    TEAM_MEMBER = "team_member", _("You joined a team")
    CONSENT_CHANGED = "consent_changed", _("Consent changed")
    QUESTION_RECEIVED = "question_received", _("Ambassador question for you")
    QUESTION_FOLLOW_UP = "question_follow_up", _("Follow-up on an ambassador question")
    QUESTION_REMINDER = "question_reminder", _("Ambassador question due soon")
    QUESTION_ESCALATED = "question_escalated", _("Ambassador question passed on")
    QUESTION_ANSWERED = "question_answered", _("Your question has an answer")
    DEPLOYMENT_OFFERED = "deployment_offered", _("Deployment request offered to you")
    DEPLOYMENT_ACCEPTED = "deployment_accepted", _("Deployment request accepted")
    DEPLOYMENT_DECLINED = "deployment_declined", _("Deployment request declined")
    DEPLOYMENT_CANCELLED = "deployment_cancelled", _("Deployment request cancelled")
    BALANCE_SIGNAL = "balance_signal", _("Balance signal")
    WELLBEING_SIGNAL = "wellbeing_signal", _("Wellbeing signal")
    QUESTIONNAIRE_INVITATION = "questionnaire_invitation", _("Questionnaire invitation")
    QUESTIONNAIRE_REMINDER = "questionnaire_reminder", _("Questionnaire reminder")
    PROPOSAL_DECISION = "proposal_decision", _("Decision on a proposal")
    KNOWLEDGE_REVIEW = "knowledge_review", _("Knowledge items due for review")
    APPOINTMENT_PLANNED = "appointment_planned", _("Appointment planned")
    APPOINTMENT_CHANGED = "appointment_changed", _("Appointment changed")
    APPOINTMENT_CANCELLED = "appointment_cancelled", _("Appointment cancelled")
    TRAJECTORY_CLOSED = "trajectory_closed", _("Trajectory closed")
    TRAJECTORY_REOPENED = "trajectory_reopened", _("Trajectory reopened")
    JOIN_REQUESTED = "join_requested", _("Request to join a team")
    JOIN_DECIDED = "join_decided", _("Answer to your request to join a team")
    EXPERTS_HANDED_OVER = "experts_handed_over", _("Experience experts handed over to you")
    REQUESTS_HANDED_OVER = "requests_handed_over", _("Deployment request handed over to you")
    MONTHLY_REPORT = "monthly_report", _("Monthly regional report")


class Channel(models.TextChoices):
    IMMEDIATE = "immediate", _("E-mail immediately")
    DIGEST = "digest", _("Daily digest")
    OFF = "off", _("No e-mail")


@dataclass(frozen=True)
class KindInfo:
    default_channel: str
    # Always mailed at once when the notification is urgent, whatever the person chose.
    urgent_capable: bool = False


_DIGEST = KindInfo(Channel.DIGEST)
_NOW = KindInfo(Channel.IMMEDIATE)
INFO: dict[str, KindInfo] = {kind: _DIGEST for kind in Kind.values}
INFO.update({
    Kind.SIGNAL_RECEIVED: KindInfo(Channel.IMMEDIATE, urgent_capable=True),
    Kind.SIGNAL_ESCALATED: KindInfo(Channel.IMMEDIATE, urgent_capable=True),
    Kind.QUESTION_RECEIVED: _NOW,
    Kind.QUESTION_REMINDER: _NOW,
    Kind.QUESTION_ESCALATED: _NOW,
    Kind.QUESTION_ANSWERED: _NOW,
    Kind.DEPLOYMENT_OFFERED: _NOW,
    Kind.DEPLOYMENT_CANCELLED: _NOW,
    Kind.QUESTIONNAIRE_INVITATION: _NOW,
    Kind.QUESTIONNAIRE_REMINDER: _NOW,
    Kind.WELLBEING_SIGNAL: _NOW,
    Kind.APPOINTMENT_CHANGED: _NOW,
    Kind.APPOINTMENT_CANCELLED: _NOW,
    Kind.JOIN_REQUESTED: _NOW,
    Kind.MONTHLY_REPORT: _NOW,
})


def title(kind: str, ref: str = "") -> str:
    """The one-line title in the active language: the kind's label and its neutral reference."""
    label = str(Kind(kind).label)
    return f"{label} ({ref})" if ref else label
