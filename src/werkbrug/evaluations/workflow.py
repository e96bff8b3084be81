"""Recruitment stages of a study participant (the CONSORT flow) as a transition table.

eligible → informed → consented → randomised → started → followed up → analysed. Before
randomisation a participant can be excluded (with a reason: declined, not meeting criteria…);
after it they can drop out (with a reason) and, intention-to-treat, still be analysed. Studies
that do not randomise go from consented straight to started. Randomised is reached only through
`participant_randomise`. History is append-only (`StageEvent`).
"""

from __future__ import annotations

from .models import Stage

ALLOWED_STAGE_CHANGES: dict[str, frozenset[str]] = {
    Stage.ELIGIBLE: frozenset({Stage.INFORMED, Stage.EXCLUDED}),
    Stage.INFORMED: frozenset({Stage.CONSENTED, Stage.EXCLUDED}),
    Stage.CONSENTED: frozenset({Stage.EXCLUDED, Stage.STARTED}),
    Stage.RANDOMISED: frozenset({Stage.STARTED, Stage.DROPPED_OUT}),
    Stage.STARTED: frozenset({Stage.FOLLOWED_UP, Stage.DROPPED_OUT}),
    Stage.FOLLOWED_UP: frozenset({Stage.ANALYSED, Stage.DROPPED_OUT}),
    Stage.DROPPED_OUT: frozenset({Stage.ANALYSED}),
    Stage.EXCLUDED: frozenset(),
    Stage.ANALYSED: frozenset(),
}
NEEDS_REASON = frozenset({Stage.EXCLUDED, Stage.DROPPED_OUT})
BEFORE_RANDOMISATION = frozenset({Stage.ELIGIBLE, Stage.INFORMED, Stage.CONSENTED, Stage.EXCLUDED})


def can_change(current: str, new: str, *, randomised_design: bool) -> bool:
    if randomised_design and current == Stage.CONSENTED and new == Stage.STARTED:
        return False  # a trial randomises first
    return new in ALLOWED_STAGE_CHANGES.get(current, frozenset())
