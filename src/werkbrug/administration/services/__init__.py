"""Writes of region administration: organisations, people, roles, sign-in identities,
deactivation (handing over every position the person holds) and reactivation, and hand-overs. Every one of them is authorized here (the directory rules
`organisation.change` and `person.change`, and `handover.manage` / `team.hand_over` in
`core/policy/administration.py`), runs in one transaction with the changed row locked, and writes
one `AdministrationEvent` (who, when, what, before and after) in that same transaction.

This package is the only module of `administration` that other apps import for writes.
"""

from .deactivation import person_deactivate, person_reactivate
from .handovers import Successor, person_hand_over
from .organisations import organisation_create, organisation_update
from .people import (
    identity_link,
    identity_unlink,
    invitation_accept,
    invitation_resend,
    person_invite,
    person_update,
    role_give,
    role_take,
)

__all__ = [
    "Successor",
    "identity_link",
    "identity_unlink",
    "invitation_accept",
    "invitation_resend",
    "organisation_create",
    "organisation_update",
    "person_deactivate",
    "person_hand_over",
    "person_invite",
    "person_reactivate",
    "person_update",
    "role_give",
    "role_take",
]
