"""Rules for signals and referrals.

Signals are client data of the category `signals`: team members read and send them only with the
client's consent for their organisation; a recipient acknowledges only their own copy.

Referrals are read by the referring team under `participation`. The receiving organisation's
professionals are not (yet) in the team: they see a referral addressed to their organisation,
and no other client data, while the client consents to that organisation taking part — the
consent a referral needs in the first place. Withdrawing that consent hides the referral at once.

Signals and referrals of a closed trajectory are its archive: its former team reads them
(`trajectory_data`), nobody sends, acknowledges, withdraws or completes anything in it
(`trajectory_write`), and the client's next team does not see them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..choices import CASEWORK_ROLES, DataCategory
from . import Decision, rule
from .clients import consented_categories
from .trajectories import trajectory_data, trajectory_write

if TYPE_CHECKING:
    from werkbrug.collaboration.models import Referral, Signal
    from werkbrug.trajectories.models import Trajectory

    from ..models import User


def _professional_only(decision: Decision, user: User) -> Decision:
    if user.is_client:
        return Decision(False, reason="professionals only", client=decision.client, category=decision.category,
                        code=decision.code, role="client", relation=True, consent=True)
    return decision


@rule("signal.view")
def view_signals(user: User, trajectory: Trajectory) -> Decision:
    return trajectory_data(user, trajectory, DataCategory.SIGNALS)


@rule("signal.create")
def create_signal(user: User, trajectory: Trajectory) -> Decision:
    return _professional_only(trajectory_write(user, trajectory, DataCategory.SIGNALS, code="C"), user)


@rule("signal.acknowledge")
def acknowledge_signal(user: User, signal: Signal) -> Decision:
    decision = _professional_only(trajectory_write(user, signal.trajectory, DataCategory.SIGNALS, code="U"), user)
    if decision.allowed and not signal.recipients.filter(person=user).exists():
        return Decision(False, reason="not a recipient", client=decision.client, category=decision.category,
                        code="U", role=decision.role, relation=True, consent=True, hide=False)
    return decision


def receiver_decision(user: User, referral: Referral, *, code: str = "R") -> Decision:
    """A professional of the receiving organisation, while the client consents to it taking part."""
    client = referral.trajectory.client
    category = DataCategory.PARTICIPATION
    if (
        not user.is_professional
        or user.region_id != client.region_id
        or user.organisation_id != referral.organisation_id
        or not (user.roles & CASEWORK_ROLES)
    ):
        return Decision(False, reason="not the receiving organisation", client=client, category=category, code=code,
                        role=user.primary_role)
    consent = category in consented_categories(client, user.organisation_id, user)
    # A closed trajectory's referral is archived: its receivers still read it, nobody answers it.
    from werkbrug.trajectories.workflow import trajectory_is_open

    closed = code != "R" and not trajectory_is_open(referral.trajectory)
    allowed = consent and not closed
    return Decision(
        allowed, reason="closed" if closed else ("" if consent else "no consent"), client=client, category=category,
        code=code,
        purpose="referral to own organisation", role=user.primary_role, relation=False, consent=consent,
    )


@rule("referral.view")
def view_referrals(user: User, trajectory: Trajectory) -> Decision:
    return trajectory_data(user, trajectory, DataCategory.PARTICIPATION)


@rule("referral.create")
def create_referral(user: User, trajectory: Trajectory) -> Decision:
    return _professional_only(trajectory_write(user, trajectory, DataCategory.PARTICIPATION, code="C"), user)


@rule("referral.view_one")
def view_referral(user: User, referral: Referral) -> Decision:
    team = trajectory_data(user, referral.trajectory, DataCategory.PARTICIPATION)
    if team.allowed:
        return team
    receiver = receiver_decision(user, referral)
    return receiver if receiver.allowed else team


@rule("referral.respond")
def respond_to_referral(user: User, referral: Referral) -> Decision:
    return receiver_decision(user, referral, code="U")


@rule("referral.join")
def join_after_referral(user: User, referral: Referral) -> Decision:
    return receiver_decision(user, referral, code="C")


@rule("referral.withdraw")
def withdraw_referral(user: User, referral: Referral) -> Decision:
    return _professional_only(trajectory_write(user, referral.trajectory, DataCategory.PARTICIPATION, code="U"), user)


@rule("referral.complete")
def complete_referral(user: User, referral: Referral) -> Decision:
    receiver = receiver_decision(user, referral, code="U")
    if receiver.allowed:
        return receiver
    return _professional_only(trajectory_write(user, referral.trajectory, DataCategory.PARTICIPATION, code="U"), user)


@rule("referral.incoming")
def incoming_referrals(user: User, _obj: Any) -> Decision:
    """The list of referrals to the user's organisation: client data of several clients, logged once."""
    allowed = user.is_professional and user.organisation_id is not None and bool(user.roles & CASEWORK_ROLES)
    return Decision(
        allowed, reason="" if allowed else "casework professionals only", code="R",
        category=DataCategory.PARTICIPATION, purpose="incoming referrals", role=user.primary_role,
        relation=False, consent=allowed, hide=False, log=True,
    )
