"""Rules for evaluation research: studies, participants, questionnaires, fidelity reviews.

Researchers see pseudonymised data of consenting clients only (domain rules): a researcher works
on a study as a member of its research team (a person with the researcher role in the study's
region). Every study page shows participant-level data, so every request by a researcher is
logged once: study-wide pages with `log=True` (no single client), a participant's own page with
the client (by platform pseudonym). Exports are logged with code E, refused ones too.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from ..choices import DataCategory, Role
from . import ALLOW, Decision, memo, rule, scope_rule
from .clients import consented_categories, is_own_file

if TYPE_CHECKING:
    from werkbrug.evaluations.models import Invitation, Memo, Participant, Study

    from ..models import User


def is_study_researcher(user: User, study: Study) -> bool:
    if not user.is_professional or not user.has_role(Role.RESEARCHER) or user.region_id != study.region_id:
        return False
    return memo.recall(memo.STUDY_RESEARCHER, user, study.pk,
                       lambda: study.researchers.filter(pk=user.pk).exists())


def _study_decision(user: User, study: Study, code: str, purpose: str) -> Decision:
    member = is_study_researcher(user, study)
    return Decision(
        member, reason="" if member else "not in the study's research team", category=DataCategory.RESEARCH,
        code=code, purpose=purpose, role=Role.RESEARCHER if member else user.primary_role,
        relation=member, consent=member, log=True, hide=True,
    )


@rule("study.create")
def create_study(user: User, _obj: object) -> Decision:
    if user.is_professional and user.has_role(Role.RESEARCHER) and user.organisation_id:
        return ALLOW
    return Decision(False, reason="researchers only", hide=False)


@rule("study.view")
def view_study(user: User, study: Study) -> Decision:
    return _study_decision(user, study, "R", "research (pseudonymised)")


@rule("study.change")
def change_study(user: User, study: Study) -> Decision:
    return _study_decision(user, study, "U", "research (pseudonymised)")


@rule("study.export")
def export_study(user: User, study: Study) -> Decision:
    decision = _study_decision(user, study, "E", "research export (pseudonymised)")
    # A refused export is logged as one (code E) and answers 404 like a missing study: a 403 would
    # tell an outsider that the study exists.
    return decision if decision.allowed else Decision(
        False, reason="exports are for the study's researchers only", category=DataCategory.RESEARCH,
        code="E", log=True, hide=True, role=user.primary_role,
    )


def _participant_decision(user: User, participant: Participant, code: str) -> Decision:
    study = participant.study
    member = is_study_researcher(user, study)
    consent = DataCategory.RESEARCH in consented_categories(participant.client, study.organisation_id, user)
    return Decision(
        member, reason="" if member else "not in the study's research team", client=participant.client,
        category=DataCategory.RESEARCH, code=code, purpose="research (pseudonymised)",
        role=Role.RESEARCHER if member else user.primary_role, relation=member, consent=consent,
    )


@rule("participant.view")
def view_participant(user: User, participant: Participant) -> Decision:
    """A participant who withdrew research consent disappears for researchers (404, like a
    participant that does not exist); the CONSORT flow keeps only the count."""
    decision = _participant_decision(user, participant, "R")
    if decision.allowed and not decision.consent:
        return replace(decision, allowed=False, reason="research consent withdrawn")
    return decision


@rule("participant.change", "participant.randomise")
def change_participant(user: User, participant: Participant) -> Decision:
    return _participant_decision(user, participant, "U")


@rule("memo.change")
def change_memo(user: User, memo: Memo) -> Decision:
    """A memo is its author's note: only the author, while still in the study's research team,
    changes or deletes it (the rest of the team reads it)."""
    decision = _study_decision(user, memo.study, "U", "research (pseudonymised)")
    if decision.allowed and memo.author_id != user.pk:
        return replace(decision, allowed=False, reason="not your memo")
    return decision


@rule("questionnaire.respond")
def respond(user: User, invitation: Invitation) -> Decision:
    """A client answers their own invitation in the portal."""
    participant = invitation.participant
    if participant is None:
        return Decision(False, reason="not a portal invitation")
    client = participant.client
    if is_own_file(user, client):
        return Decision(True, client=client, category=DataCategory.RESEARCH, code="C", purpose="own questionnaire",
                        role="client", relation=True, consent=True)
    return Decision(False, reason="not your questionnaire", client=client, category=DataCategory.RESEARCH, code="C")


def is_study_auditor(user: User, study: Study) -> bool:
    """An auditor of the study: a researcher in its region named as auditor (never in the team)."""
    if not user.is_professional or not user.has_role(Role.RESEARCHER) or user.region_id != study.region_id:
        return False
    return memo.recall(memo.STUDY_AUDITOR, user, study.pk,
                       lambda: study.auditors.filter(pk=user.pk).exists())


def _audit_decision(user: User, study: Study, allowed: bool, code: str, purpose: str) -> Decision:
    return Decision(
        allowed, reason="" if allowed else "not the study's team or auditor", category=DataCategory.RESEARCH,
        code=code, purpose=purpose, role=Role.RESEARCHER if allowed else user.primary_role, relation=allowed,
        consent=allowed, log=True, hide=True,
    )


@rule("study.allocations")
def view_allocation_log(user: User, study: Study) -> Decision:
    """The allocation log (who randomised whom when): the research team and the study's auditors."""
    allowed = is_study_researcher(user, study) or is_study_auditor(user, study)
    return _audit_decision(user, study, allowed, "R", "allocation log (pseudonymised)")


@rule("study.allocations.export")
def export_allocation_log(user: User, study: Study) -> Decision:
    allowed = is_study_researcher(user, study) or is_study_auditor(user, study)
    return _audit_decision(user, study, allowed, "E", "allocation log export (pseudonymised)")


@rule("study.sequence.view")
def view_sequence(user: User, study: Study) -> Decision:
    """Sequence numbers, blocks and block sizes (from which the next allocation could be guessed):
    the auditors always, the research team only after the recorded unblinding."""
    allowed = is_study_auditor(user, study) or (study.unblinded_at is not None and is_study_researcher(user, study))
    return Decision(allowed, reason="" if allowed else "sequence concealed until unblinding", hide=True)


@rule("study.unblind")
def unblind(user: User, study: Study) -> Decision:
    """Unblinding is the auditor's step, recorded in the study's trail."""
    return _audit_decision(user, study, is_study_auditor(user, study), "U", "unblinding")


@rule("fidelity.view", "fidelity.record")
def fidelity(user: User, _obj: object) -> Decision:
    """IPS fidelity reviews are about teams, not clients: researchers and managers."""
    if user.is_professional and user.has_role(Role.RESEARCHER, Role.MANAGER):
        return ALLOW
    return Decision(False, reason="researchers and managers only", hide=False)


@scope_rule("study.view")
def visible_studies(user: User, queryset: QuerySet) -> QuerySet:
    if not user.is_professional or not user.has_role(Role.RESEARCHER):
        return queryset.none()
    return queryset.filter(region_id=user.region_id, researchers=user)


__all__ = ["is_study_auditor", "is_study_researcher"]
