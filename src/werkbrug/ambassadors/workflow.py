"""The life of an improvement proposal.

Ambassadors draft a proposal from recurring questions and present it to a management team or the
meeting of portfolio holders, who accept or reject it; an accepted proposal is implemented later.
Each change is a `ProposalEvent` with its date and decision (append-only), enforced by
`services.proposal_transition`.
"""

from __future__ import annotations

from .models import ProposalStatus as S

ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.PRESENTED}),
    S.PRESENTED: frozenset({S.ACCEPTED, S.REJECTED}),
    S.ACCEPTED: frozenset({S.IMPLEMENTED}),
    S.REJECTED: frozenset(),
    S.IMPLEMENTED: frozenset(),
}
# Transitions that record a decision and so need its text.
NEEDS_DECISION = frozenset({S.ACCEPTED, S.REJECTED})


def can_transition(current: str, new: str) -> bool:
    return new in ALLOWED_TRANSITIONS.get(current, frozenset())
