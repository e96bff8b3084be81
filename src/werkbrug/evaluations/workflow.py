"""Recruitment stages of a study participant (the CONSORT flow) as a transition table.

eligible → informed → consented → randomised → started → followed up → analysed. Before
randomisation a participant can be excluded (with a reason: declined, not meeting criteria…);
after it they can drop out (with a reason) and, intention-to-treat, still be analysed. Studies
that do not randomise go from consented straight to started. Randomised is reached only through
`participant_randomise`. History is append-only (`StageEvent`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import Stage, StudyStatus

if TYPE_CHECKING:
    from .models import Study

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


# --- the study's lifecycle ------------------------------------------------------------------------
#
# draft → running → closed. A draft is the protocol being written: every setting can change and
# the study can be deleted, but nobody is screened, enrolled or randomised yet. Starting locks
# the protocol (arms, strata, blocks, the follow-up schedule); from then on a protocol change is
# an amendment with a reason, a date, who and what changed (`services.study_amend`), and the
# randomisation settings never change, since the sequence already drawn depends on them. A closed
# study is read-only: its pages, analysis and exports stay. Every write to a study asks
# `study_require` (one function, one table); nothing else compares the study's status.


class StudyAction:
    """What a write does to a study (the columns of the lifecycle table)."""

    EDIT_PROTOCOL = "edit_protocol"  # change any setting freely (a draft)
    DELETE = "delete"
    START = "start"
    AMEND = "amend"  # a recorded protocol amendment
    CLOSE = "close"
    TEAM = "team"  # researchers and auditors
    MATERIALS = "materials"  # questionnaires, interview rounds, codebook
    PARTICIPANTS = "participants"  # screening, enrolment, stages, randomisation, outcomes, imports
    RESPOND = "respond"  # answers to a questionnaire
    UNBLIND = "unblind"


ALLOWED_STUDY_ACTIONS: dict[str, frozenset[str]] = {
    StudyStatus.DRAFT: frozenset({
        StudyAction.EDIT_PROTOCOL, StudyAction.DELETE, StudyAction.START, StudyAction.TEAM, StudyAction.MATERIALS,
    }),
    StudyStatus.RUNNING: frozenset({
        StudyAction.AMEND, StudyAction.CLOSE, StudyAction.TEAM, StudyAction.MATERIALS, StudyAction.PARTICIPANTS,
        StudyAction.RESPOND, StudyAction.UNBLIND,
    }),
    StudyStatus.CLOSED: frozenset({StudyAction.UNBLIND}),
}
STUDY_STATUS_AFTER = {StudyAction.START: StudyStatus.RUNNING, StudyAction.CLOSE: StudyStatus.CLOSED}


def study_allows(study: Study, action: str) -> bool:
    return action in ALLOWED_STUDY_ACTIONS.get(study.status, frozenset())


def study_require(study: Study, action: str) -> None:
    """Refuse (ValidationError, code `study_status`) a write the study's status does not allow."""
    if study_allows(study, action):
        return
    messages = {
        StudyStatus.DRAFT: _("The study is still in preparation: start it first."),
        StudyStatus.RUNNING: _("The study is running: its protocol is locked. Change it through an amendment."),
        StudyStatus.CLOSED: _("The study is closed: it can be read and exported, no longer changed."),
    }
    raise ValidationError(messages.get(study.status, _("Not possible in this status.")), code="study_status")
