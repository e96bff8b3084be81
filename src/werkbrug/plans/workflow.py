"""Agreement states of a plan version, and which answers each state allows.

A version starts as a *draft* (saved, nobody asked yet). Asking for agreement makes it *awaiting
agreement*. It is *agreed* when the client and every active team member have agreed to that same
version, and *disagreed* as soon as anyone does not agree (with a comment). Changing the content
makes a new version, which starts over; answers to an older version no longer count, and
answering an older version is refused. Team changes count at once: a member who joins must agree
too, so an agreed version is awaiting again until they have; a member who leaves is no longer
waited for. Only members whose organisation the client lets see the plan (consent for `plan`)
take part: a member who may not read the plan is not waited for.

The state is computed from facts (asked at, who agreed, did anyone disagree) by `version_state`,
so that it is never out of date after a team change; `caseload_annotations` in selectors.py is
the same rule in SQL.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class AgreementState(models.TextChoices):
    NONE = "none", _("No plan yet")
    DRAFT = "draft", _("Draft")
    AWAITING = "awaiting", _("Awaiting agreement")
    AGREED = "agreed", _("Agreed by everyone")
    DISAGREED = "disagreed", _("Not agreed")


class Step(models.TextChoices):
    SUBMIT = "submit", _("Ask for agreement")
    AGREE = "agree", _("Agree")
    DISAGREE = "disagree", _("Disagree")
    EDIT = "edit", _("Change the plan")


# Which steps each state of the *current* version allows. Editing is always possible: it makes
# a new version. Nobody answers a draft; an answer is given once per person per version.
ALLOWED_STEPS: dict[str, frozenset[str]] = {
    AgreementState.NONE: frozenset({Step.EDIT}),
    AgreementState.DRAFT: frozenset({Step.SUBMIT, Step.EDIT}),
    AgreementState.AWAITING: frozenset({Step.AGREE, Step.DISAGREE, Step.EDIT}),
    # Agreed can still get an answer: from a member who joined after the others agreed (the
    # state is then awaiting again), or a late "no" from someone who has not answered yet.
    AgreementState.AGREED: frozenset({Step.AGREE, Step.DISAGREE, Step.EDIT}),
    AgreementState.DISAGREED: frozenset({Step.AGREE, Step.DISAGREE, Step.EDIT}),
}


def step_allowed(state: str, step: str) -> bool:
    return step in ALLOWED_STEPS[state]


@dataclass(frozen=True)
class Facts:
    """What the state of one version follows from."""

    submitted: bool
    disagreed: bool
    client_agreed: bool
    members: frozenset[int]  # ids of the active team members now
    agreed_members: frozenset[int]  # ids of people who agreed to this version

    @property
    def waiting_for(self) -> frozenset[int]:
        return self.members - self.agreed_members


def version_state(facts: Facts) -> AgreementState:
    if not facts.submitted:
        return AgreementState.DRAFT
    if facts.disagreed:
        return AgreementState.DISAGREED
    if facts.client_agreed and not facts.waiting_for:
        return AgreementState.AGREED
    return AgreementState.AWAITING


def facts(*, submitted: bool, disagreed: bool, client_agreed: bool, members: Iterable[int], agreed: Iterable[int]) -> Facts:
    return Facts(submitted, disagreed, client_agreed, frozenset(members), frozenset(agreed))
