"""Writes for experience experts (ervaringsdeskundigen).

An experience expert is a trained peer worker who uses their own recovery methodically. This
module keeps their profile, the requests professionals make for them and the answer the expert
gives (accepting or declining — declining needs no reason), one uniform registration of every
deployment whatever its kind, the weekly wellbeing check-in and the signals that watch the
expert's time balance and own limits, and support-group series.

A request for a client needs the client's consent for the expert's organisation to take part;
recording that consent is the professional's job (in the client's file), these services refuse
without it. An expert who accepts a client request joins the client's team through
`trajectories.services.team_member_add`, which writes the one access-log record of that request.
"""

from __future__ import annotations

from .deployments import deployment_complete, deployment_register
from .profiles import (
    absence_add,
    absence_remove,
    absent_days,
    buddy_pair,
    coordinator_assign,
    domain_create,
    domain_update,
    profile_create,
    profile_update,
)
from .requests import (
    DeploymentSchedule,
    client_wish_record,
    deployment_plan,
    request_accept,
    request_create,
    request_decline,
    request_offer,
)
from .support_groups import attendance_record, meeting_update, participant_add, support_group_create
from .wellbeing import checkin_submit, expert_signals_check, signals_check_region

__all__ = [
    "absence_remove", "absent_days", "signals_check_region",
    "absence_add", "attendance_record", "buddy_pair", "checkin_submit", "client_wish_record", "coordinator_assign",
    "DeploymentSchedule", "deployment_complete", "deployment_plan", "deployment_register", "domain_create", "domain_update", "expert_signals_check",
    "meeting_update", "participant_add", "profile_create", "profile_update", "request_accept",
    "request_create", "request_decline", "request_offer", "support_group_create",
]

# Corrections and withdrawals of registrations, cancelling and expiring requests (a module of
# their own; re-exported here, the module other code imports).
from .registrations import (  # noqa: E402
    deployment_correct,
    deployment_withdraw,
    expert_open_requests,
    expert_requests_release,
    request_cancel,
    requester_open_requests,
    requester_requests_hand_over,
    requests_expire,
)

__all__ += ["deployment_correct", "deployment_withdraw", "expert_open_requests", "expert_requests_release",
            "request_cancel", "requester_open_requests", "requester_requests_hand_over", "requests_expire"]
