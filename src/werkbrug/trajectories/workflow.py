"""The trajectory's states and the steps allowed between them.

A trajectory is active from its start until the plan director closes it, with a reason (work
found, moved, stopped by the client, referred elsewhere, deceased) and an outcome. A closed
trajectory is read-only: its former team (the members when it closed) reads it in the archive,
and nothing in it changes. A former team member may reopen it, with a reason, as long as the
client has no other active trajectory and the retention job has not erased it. Every close and
reopen is a `TrajectoryEvent` row; the history is never edited.

`trajectory_is_open` is the one rule "may anything in this trajectory still change?": every
service that writes to a trajectory (team, intake, plan, signals, referrals, IPS, experts' requests,
and other apps' services) calls `ensure_open`, never a status comparison of its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models.trajectories import TrajectoryStatus as S

if TYPE_CHECKING:
    from .models import Trajectory

ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    S.ACTIVE: frozenset({S.CLOSED}),
    S.CLOSED: frozenset({S.ACTIVE}),
}
OPEN_STATES = frozenset({S.ACTIVE})


def can_transition(from_state: str, to_state: str) -> bool:
    return to_state in ALLOWED_TRANSITIONS.get(from_state, frozenset())


def trajectory_is_open(trajectory: Trajectory) -> bool:
    """Whether anything in `trajectory` may still change (else it is archived: read-only)."""
    return trajectory.status in OPEN_STATES


def ensure_open(trajectory: Trajectory, message: str | None = None) -> None:
    """Refuse a write to a closed trajectory (code `closed`)."""
    if not trajectory_is_open(trajectory):
        raise ValidationError(message or _("This trajectory is closed."), code="closed")
