"""Participants: enrolment, recruitment stages, the CONSORT flow after allocation,
randomisation and jobs recorded at follow-up."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from werkbrug.clients.models import Client
from werkbrug.core import policy
from werkbrug.core.choices import DataCategory
from werkbrug.core.policy.clients import consented_categories

from .. import randomisation, workflow
from ..models import (
    Allocation,
    Design,
    Participant,
    RecordedJob,
    Screening,
    ScreeningOutcome,
    Stage,
    StageEvent,
    Stratifier,
    Study,
)
from ..selectors import screening_candidates
from ._common import _err

if TYPE_CHECKING:
    from werkbrug.core.models import User


# --- participants ------------------------------------------------------------------------------


def has_research_consent(client: Client, study: Study) -> bool:
    return DataCategory.RESEARCH in consented_categories(client, study.organisation_id)


def _stratum(study: Study, client: Client) -> str:
    values: dict[str, str] = {}
    if Stratifier.BENEFIT in study.stratify_by:
        values["benefit"] = client.benefit
    if Stratifier.ORGANISATION in study.stratify_by:
        from werkbrug.trajectories.models import Trajectory

        trajectory = (
            Trajectory.objects.filter(client=client, status="active").select_related("plan_director").first()
        )
        org_id = trajectory.plan_director.organisation_id if trajectory else None
        values["organisation"] = str(org_id or "none")
    return randomisation.stratum_key(values)


def _enrol(study: Study, client: Client, actor: User, now: datetime) -> Participant:
    for _attempt in range(5):
        try:
            with transaction.atomic():
                participant = Participant.objects.create(
                    study=study, client=client, stratum=_stratum(study, client), enrolled_at=now
                )
                break
        except IntegrityError:
            if Participant.objects.filter(study=study, client=client).exists():
                raise ValidationError(_("This client already takes part in the study."), code="already_enrolled") from None
            continue  # a study-pseudonym clash: draw again
    else:  # pragma: no cover
        raise ValidationError(_("Could not draw a unique participant number; try again."), code="pseudonym")
    StageEvent.objects.create(participant=participant, stage=Stage.ELIGIBLE, occurred_on=now.date(), recorded_by=actor)
    Screening.objects.create(study=study, client=client, participant=participant, outcome=ScreeningOutcome.ELIGIBLE,
                             screened_on=timezone.localdate(now), screened_by=actor)
    return participant


@transaction.atomic
def participant_enrol(*, study: Study, client: Client, enrolled_by: User) -> Participant:
    """Enrol one client (at the eligible stage). Refused without current research consent."""
    study = Study.objects.select_for_update().get(pk=study.pk)
    policy.authorize(enrolled_by, "study.change", study)
    workflow.study_require(study, workflow.StudyAction.PARTICIPANTS)
    if client.region_id != study.region_id:
        raise ValidationError(_("This client is not in the study's region."), code="other_region")
    if not has_research_consent(client, study):
        raise ValidationError(
            _("This client has not (or no longer) consented to research by %(org)s.") % {"org": study.organisation},
            code="no_research_consent",
        )
    if study.eligible_benefits and client.benefit not in study.eligible_benefits:
        raise ValidationError(_("This client does not meet the eligibility criteria."), code="not_eligible")
    return _enrol(study, client, enrolled_by, timezone.now())


@transaction.atomic
def participants_enrol_eligible(*, study: Study, enrolled_by: User, now: datetime | None = None) -> int:
    """Enrol every client in the region who consents to research and meets the criteria."""
    study = Study.objects.select_for_update().get(pk=study.pk)
    policy.authorize(enrolled_by, "study.change", study)
    workflow.study_require(study, workflow.StudyAction.PARTICIPANTS)
    now = now or timezone.now()
    count = 0
    for client in screening_candidates(study=study).order_by("pk"):
        _enrol(study, client, enrolled_by, now)
        count += 1
    return count


@transaction.atomic
def participant_stage_set(
    *, participant: Participant, stage: str, recorded_by: User, reason: str = "", occurred_on: date | None = None
) -> Participant:
    participant = Participant.objects.select_for_update().select_related("study", "client").get(pk=participant.pk)
    policy.authorize(recorded_by, "participant.change", participant)
    workflow.study_require(participant.study, workflow.StudyAction.PARTICIPANTS)
    if stage == Stage.RANDOMISED:
        raise _err({"stage": _("Use randomise to allocate a participant to an arm.")}, code="use_randomise")
    if stage not in Stage.values or not workflow.can_change(
        participant.stage, stage, randomised_design=participant.study.design == Design.RCT
    ):
        raise _err(
            {"stage": _("A participant cannot go from “%(current)s” to “%(new)s”.")
             % {"current": Stage(participant.stage).label, "new": Stage(stage).label if stage in Stage.values else stage}},
            code="invalid_transition",
        )
    reason = reason.strip()
    if stage in workflow.NEEDS_REASON and not reason:
        raise _err({"reason": _("Give the reason for exclusion or drop-out.")}, code="reason_required")
    occurred_on = occurred_on or timezone.localdate()
    if occurred_on > timezone.localdate():
        raise _err({"occurred_on": _("The date lies in the future.")}, code="future")
    participant.stage = stage
    participant.stage_reason = reason
    participant.save(update_fields=["stage", "stage_reason"])
    StageEvent.objects.create(participant=participant, stage=stage, reason=reason, occurred_on=occurred_on, recorded_by=recorded_by)
    return participant


FLOW_FLAGS = ("not_received", "lost_to_follow_up", "excluded_from_analysis")


@transaction.atomic
def participant_flow_set(*, participant: Participant, flag: str, value: bool, recorded_by: User, reason: str = "") -> Participant:
    """Record a CONSORT status after allocation: did not receive the allocated intervention, lost
    to follow-up, or excluded from analysis (which takes the participant out of the analysed set),
    each with its reason; `value=False` withdraws it. Only a randomised participant has these."""
    participant = Participant.objects.select_for_update().select_related("study", "client").get(pk=participant.pk)
    policy.authorize(recorded_by, "participant.change", participant)
    workflow.study_require(participant.study, workflow.StudyAction.PARTICIPANTS)
    if flag not in FLOW_FLAGS:
        raise _err({"flag": _("Choose: did not receive the intervention, lost to follow-up or excluded from analysis.")}, code="flag")
    if not Allocation.objects.filter(participant=participant).exists():
        raise _err({"flag": _("Only a randomised participant can have this status.")}, code="not_randomised")
    reason = reason.strip()
    if value and not reason:
        raise _err({"reason": _("Give the reason.")}, code="reason_required")
    if len(reason) > 300:
        raise _err({"reason": _("The reason is too long (at most 300 characters).")}, code="too_long")
    setattr(participant, flag, value)
    setattr(participant, f"{flag}_reason", reason if value else "")
    participant.save(update_fields=[flag, f"{flag}_reason"])
    return participant


@transaction.atomic
def participant_randomise(
    *, participant: Participant, randomised_by: User, now: datetime | None = None, randomised_on: date | None = None,
) -> Allocation:
    """Allocate the participant to an arm: the next slot of their stratum's block sequence.

    The study row is locked so two randomisations in one stratum never take the same slot.
    `randomised_on` dates a randomisation done earlier (entering a running or finished trial):
    the follow-up time points and time to first job count from that date; it lies neither in the
    future nor before the study's start. `now` is for loading history (the demo); it cannot lie
    in the future either.
    """
    participant = Participant.objects.select_related("client").get(pk=participant.pk)
    study = Study.objects.select_for_update().get(pk=participant.study_id)
    participant = Participant.objects.select_for_update().select_related("client", "study").get(pk=participant.pk)
    policy.authorize(randomised_by, "participant.randomise", participant)
    workflow.study_require(study, workflow.StudyAction.PARTICIPANTS)
    if study.design != Design.RCT:
        raise ValidationError(_("Only a randomised trial randomises participants."), code="not_a_trial")
    if Allocation.objects.filter(participant=participant).exists():
        raise ValidationError(_("This participant has already been randomised."), code="already_randomised")
    if not has_research_consent(participant.client, study):
        raise ValidationError(
            _("This client has not (or no longer) consented to research: randomisation is not allowed."),
            code="no_research_consent",
        )
    if participant.stage != Stage.CONSENTED:
        raise ValidationError(
            _("Randomise only participants who consented to the study (now: %(stage)s).")
            % {"stage": Stage(participant.stage).label},
            code="not_consented",
        )
    arms = list(study.arms.all())
    offered = randomisation.arms_in_stratum([(a.code, a.ratio, a.strata) for a in arms], participant.stratum)
    if not offered:
        raise ValidationError(
            _("No arm is offered in this participant's stratum (%(stratum)s): add an arm for it first.")
            % {"stratum": participant.stratum or "—"},
            code="stratum_without_arm",
        )
    position = Allocation.objects.filter(study=study, stratum=participant.stratum, imported_in__isnull=True).count()
    slot = randomisation.slot_at(
        seed=study.seed, stratum=participant.stratum, arms=offered, position=position,
        multipliers=study.block_multipliers,
    )
    if now is not None and now > timezone.now():
        raise ValidationError(_("A randomisation cannot lie in the future."), code="future")
    now = now or timezone.now()
    day = _randomisation_day(study, randomised_on, now)
    allocation = Allocation.objects.create(
        study=study, participant=participant, arm=next(a for a in arms if a.code == slot.arm),
        stratum=participant.stratum, sequence_number=position + 1, block_number=slot.block_number,
        block_size=slot.block_size, randomised_on=day, randomised_at=now,
        randomised_by=randomised_by,
    )
    participant.stage = Stage.RANDOMISED
    participant.stage_reason = ""
    participant.save(update_fields=["stage", "stage_reason"])
    StageEvent.objects.create(participant=participant, stage=Stage.RANDOMISED, occurred_on=allocation.randomised_on, recorded_by=randomised_by)
    return allocation


def _randomisation_day(study: Study, randomised_on: date | None, now: datetime) -> date:
    """The date of a randomisation: today, or the entered date of one done earlier."""
    if randomised_on is None:
        return timezone.localdate(now)
    if randomised_on > timezone.localdate(now):
        raise _err({"randomised_on": _("A randomisation cannot lie in the future.")}, code="future")
    if randomised_on < study.starts_on:
        raise _err({"randomised_on": _("The date lies before the study's start.")}, code="before_start")
    return randomised_on


@transaction.atomic
def recorded_job_add(
    *, participant: Participant, start: date, hours_per_week: Decimal, recorded_by: User,
    end: date | None = None, competitive: bool = True, hourly_wage: Decimal | None = None,
) -> RecordedJob:
    participant = Participant.objects.select_for_update().select_related("study", "client").get(pk=participant.pk)
    policy.authorize(recorded_by, "participant.change", participant)
    workflow.study_require(participant.study, workflow.StudyAction.PARTICIPANTS)
    _check_job(start=start, end=end, hours_per_week=hours_per_week)
    return RecordedJob.objects.create(
        participant=participant, start=start, end=end, hours_per_week=hours_per_week, competitive=competitive,
        hourly_wage=hourly_wage, recorded_by=recorded_by,
    )


def _check_job(*, start: date, end: date | None, hours_per_week: Decimal) -> None:
    if end is not None and end < start:
        raise _err({"end": _("The end date lies before the start date.")}, code="end_before_start")
    if not (Decimal(0) < Decimal(hours_per_week) <= Decimal(80)):
        raise _err({"hours_per_week": _("Hours per week lie between 0 and 80.")}, code="hours")
