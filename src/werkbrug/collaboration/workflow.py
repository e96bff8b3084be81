"""The referral's states and the steps allowed between them.

A team member refers the client to another organisation's service (requested). The receiving
organisation accepts it, or rejects it with a reason. The referrer's team may withdraw it while it
is requested or accepted. An accepted referral ends as completed, with an outcome (successful or
not) and a reason. Rejected, withdrawn and completed are final. Every step is a `ReferralEvent`
row: the history is never edited. `referral_transition` in `services.py` is the one place that
enforces this table.
"""

from __future__ import annotations

from .models import ReferralState as S

ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    S.REQUESTED: frozenset({S.ACCEPTED, S.REJECTED, S.WITHDRAWN}),
    S.ACCEPTED: frozenset({S.COMPLETED, S.WITHDRAWN}),
    S.REJECTED: frozenset(),
    S.WITHDRAWN: frozenset(),
    S.COMPLETED: frozenset(),
}

# Steps that need a reason.
REASON_REQUIRED = frozenset({S.REJECTED, S.COMPLETED})
FINAL_STATES = frozenset(state for state, nxt in ALLOWED_TRANSITIONS.items() if not nxt)
OPEN_STATES = frozenset({S.REQUESTED, S.ACCEPTED})

# Which side takes a step: the receiving organisation or the referring team.
RECEIVER_STEPS = frozenset({S.ACCEPTED, S.REJECTED, S.COMPLETED})
TEAM_STEPS = frozenset({S.WITHDRAWN, S.COMPLETED})


def can_transition(from_state: str, to_state: str) -> bool:
    return to_state in ALLOWED_TRANSITIONS.get(from_state, frozenset())
