"""Rules for the client portal: a client sees their own file, and nobody else uses the portal.

Professionals read the same data through their own pages; the portal answers them 404. The one
exception is a correction request (AVG art. 16): the client asks for it in the portal, and the
trajectory's plan director reads and answers it (`correction.view`, `correction.handle`).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from ..choices import DataCategory
from . import Decision, rule
from .clients import client_data, is_own_file

if TYPE_CHECKING:
    from werkbrug.clients.models import Client
    from werkbrug.portal.models import CorrectionRequest

    from ..models import User

# Everything the download holds: the client's whole file (AVG art. 15 and 20).
EXPORT_CATEGORIES = (
    DataCategory.CARE, DataCategory.WORK_INCOME, DataCategory.DEBTS, DataCategory.PLAN, DataCategory.SIGNALS,
    DataCategory.JOB_OUTCOMES,
)
# The intake's sections beyond `participation` (see `werkbrug.trajectories.intake.SECTIONS`).
INTAKE_CATEGORIES = (DataCategory.CARE, DataCategory.DEBTS, DataCategory.WORK_INCOME)

# action → (category, further categories logged, access code)
_ACTIONS: dict[str, tuple[str, tuple[str, ...], str]] = {
    "portal.view": (DataCategory.PARTICIPATION, (), "R"),
    "portal.plan": (DataCategory.PLAN, (), "R"),
    "portal.signals": (DataCategory.SIGNALS, (), "R"),
    "portal.consents": (DataCategory.PARTICIPATION, (), "R"),
    "portal.access_log": (DataCategory.PARTICIPATION, (), "R"),
    "portal.intake": (DataCategory.PARTICIPATION, INTAKE_CATEGORIES, "R"),
    "portal.referrals": (DataCategory.PARTICIPATION, (), "R"),
    "portal.jobs": (DataCategory.JOB_OUTCOMES, (), "R"),
    "portal.export": (DataCategory.PARTICIPATION, EXPORT_CATEGORIES, "E"),
    "portal.corrections": (DataCategory.PARTICIPATION, (), "R"),
    "portal.correction": (DataCategory.PARTICIPATION, (), "C"),
}


def _own_file(action: str):
    category, more, code = _ACTIONS[action]

    def check(user: User, client: Client) -> Decision:
        if not is_own_file(user, client):
            return Decision(False, reason="the portal shows only your own file", client=client, category=category,
                            code=code)
        return replace(client_data(user, client, category, code=code), more_categories=more)

    return check


for _action in _ACTIONS:
    rule(_action)(_own_file(_action))


def _plan_director(user: User, request: CorrectionRequest, code: str) -> Decision:
    """The plan director of the request's trajectory, now (a new one inherits open requests)."""
    trajectory = request.trajectory
    decision = client_data(user, trajectory.client, DataCategory.PARTICIPATION, code=code)
    if decision.allowed and trajectory.plan_director_id != user.pk:
        return Decision(False, reason="only the plan director handles correction requests", client=trajectory.client,
                        category=DataCategory.PARTICIPATION, code=code, role=decision.role, relation=True,
                        consent=True)
    return decision


@rule("correction.view")
def view_correction(user: User, request: CorrectionRequest) -> Decision:
    """The plan director's page of one request (the client reads theirs on `portal.correction`)."""
    return _plan_director(user, request, "R")


@rule("correction.handle")
def handle_correction(user: User, request: CorrectionRequest) -> Decision:
    return _plan_director(user, request, "U")
