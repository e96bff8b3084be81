"""IPS fidelity reviews."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from werkbrug.core import policy

from .. import fidelity as fidelity_scale
from ..models import (
    FidelityReview,
)
from ._common import _err

if TYPE_CHECKING:
    from werkbrug.core.models import Organisation, User


# --- IPS fidelity --------------------------------------------------------------------------------


@transaction.atomic
def fidelity_review_record(
    *, organisation: Organisation, team_name: str, reviewed_on: date, scores: list[int], recorded_by: User,
    reviewers: str = "",
) -> FidelityReview:
    policy.authorize(recorded_by, "fidelity.record")
    if organisation.region_id != recorded_by.region_id:
        raise _err({"organisation": _("This organisation is not in your region.")}, code="other_region")
    if len(scores) != len(fidelity_scale.ITEMS):
        raise _err({"scores": _("Score all 25 items.")}, code="scores")
    try:
        scores = [int(s) for s in scores]
    except (TypeError, ValueError):
        raise _err({"scores": _("Every item is scored 1 to 5.")}, code="scores") from None
    if any(s < 1 or s > 5 for s in scores):
        raise _err({"scores": _("Every item is scored 1 to 5.")}, code="scores")
    if not team_name.strip():
        raise _err({"team_name": _("Name the team.")}, code="team")
    if reviewed_on > timezone.localdate():
        raise _err({"reviewed_on": _("The date lies in the future.")}, code="future")
    return FidelityReview.objects.create(
        region_id=recorded_by.region_id, organisation=organisation, team_name=team_name.strip(),
        reviewed_on=reviewed_on, reviewers=reviewers, scores=scores, total=sum(scores), recorded_by=recorded_by,
    )
