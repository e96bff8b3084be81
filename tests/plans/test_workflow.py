"""The agreement rule as a pure function: one table, each row commented."""

import pytest

from werkbrug.plans.workflow import (
    ALLOWED_STEPS,
    AgreementState,
    Step,
    facts,
    step_allowed,
    version_state,
)

A, B = 1, 2  # two team members

CASES = [
    # submitted, disagreed, client agreed, members, agreed members → state
    (False, False, False, {A, B}, set(), AgreementState.DRAFT),  # saved, nobody asked
    (False, False, True, {A, B}, {A, B}, AgreementState.DRAFT),  # answers cannot exist on a draft; draft wins
    (True, False, False, {A, B}, set(), AgreementState.AWAITING),  # asked, no answers
    (True, False, True, {A, B}, {A}, AgreementState.AWAITING),  # B has not agreed
    (True, False, False, {A, B}, {A, B}, AgreementState.AWAITING),  # the client has not agreed
    (True, False, True, {A, B}, {A, B}, AgreementState.AGREED),  # everyone
    (True, False, True, {A}, {A, B}, AgreementState.AGREED),  # B left the team after agreeing
    (True, False, True, {A, B}, {A}, AgreementState.AWAITING),  # B joined after the others agreed
    (True, False, True, set(), set(), AgreementState.AGREED),  # nobody else may see the plan: the client decides
    (True, True, True, {A, B}, {A, B}, AgreementState.DISAGREED),  # one "no" outweighs the rest
]


@pytest.mark.parametrize(("submitted", "disagreed", "client", "members", "agreed", "expected"), CASES)
def test_version_state(submitted, disagreed, client, members, agreed, expected):
    assert version_state(facts(submitted=submitted, disagreed=disagreed, client_agreed=client,
                               members=members, agreed=agreed)) == expected


@pytest.mark.parametrize(
    ("state", "step", "allowed"),
    [
        (AgreementState.NONE, Step.EDIT, True),  # the first version
        (AgreementState.NONE, Step.AGREE, False),  # nothing to agree to
        (AgreementState.DRAFT, Step.AGREE, False),  # nobody asked yet
        (AgreementState.DRAFT, Step.SUBMIT, True),
        (AgreementState.AWAITING, Step.SUBMIT, False),  # already asked
        (AgreementState.AWAITING, Step.DISAGREE, True),
        (AgreementState.AGREED, Step.AGREE, True),  # a member who joined later
        (AgreementState.DISAGREED, Step.EDIT, True),  # the way forward: a new version
    ],
)
def test_allowed_steps(state, step, allowed):
    assert step_allowed(state, step) is allowed


def test_every_state_has_a_row():
    assert set(ALLOWED_STEPS) == set(AgreementState.values)
