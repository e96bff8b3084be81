"""The screening log: every client assessed for eligibility, feeding CONSORT's first box.

An eligible client who consents to research is enrolled at once (`participant_enrol`, which
writes the screening row itself, as enrolling all eligible clients does). A client who is not
eligible (with the reason) or declines is counted with the reason but not named: researchers know
only clients who consented to research, by study pseudonym.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from werkbrug.core import policy

from .. import workflow
from ..models import Screening, ScreeningOutcome, Study
from ._common import _err
from .participants import participant_enrol

if TYPE_CHECKING:
    from werkbrug.clients.models import Client
    from werkbrug.core.models import User

REASON_MAX = 300


@transaction.atomic
def screening_record(
    *, study: Study, outcome: str, screened_by: User, reason: str = "", screened_on: date | None = None,
    client: Client | None = None,
) -> Screening:
    """Record one assessment. `client` only for an eligible client, who is then enrolled."""
    study = Study.objects.select_for_update().get(pk=study.pk)
    policy.authorize(screened_by, "study.change", study)
    workflow.study_require(study, workflow.StudyAction.PARTICIPANTS)
    reason = reason.strip()
    screened_on = screened_on or timezone.localdate()
    if outcome not in ScreeningOutcome.values:
        raise _err({"outcome": _("Choose: eligible, not eligible or declined.")}, code="outcome")
    if screened_on > timezone.localdate():
        raise _err({"screened_on": _("The date lies in the future.")}, code="future")
    if len(reason) > REASON_MAX:
        raise _err({"reason": _("The reason is too long (at most 300 characters).")}, code="too_long")
    if outcome == ScreeningOutcome.ELIGIBLE:
        if client is None:
            raise _err({"client": _("Choose the client to enrol.")}, code="client_required")
        participant = participant_enrol(study=study, client=client, enrolled_by=screened_by)
        screening = participant.screening
        if screened_on != screening.screened_on:
            Screening.objects.filter(pk=screening.pk).update(screened_on=screened_on)
            screening.screened_on = screened_on
        return screening
    if client is not None:
        raise _err({"client": _("A client who is not enrolled is counted without a name.")}, code="anonymous")
    if outcome == ScreeningOutcome.NOT_ELIGIBLE and not reason:
        raise _err({"reason": _("Give the reason the client is not eligible.")}, code="reason_required")
    return Screening.objects.create(study=study, outcome=outcome, reason=reason, screened_on=screened_on,
                                    screened_by=screened_by)
