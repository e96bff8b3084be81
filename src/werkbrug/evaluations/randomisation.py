"""Randomisation by permuted blocks with random block sizes, per stratum, from the study's seed.

The rules:

- Each arm appears in a block as often as its allocation ratio says, times a multiplier drawn at
  random from the study's block multipliers (e.g. 1:1 with multipliers [1, 2, 3] gives blocks of
  2, 4 or 6). Random block sizes keep the next allocation unguessable even to someone who knows
  the previous ones and the block scheme; every block is balanced to the ratio.
- Each stratum (e.g. "benefit=wajong|organisation=12") has its own sequence, so the arms stay
  balanced within every stratum.
- The sequence is a pure function of (seed, stratum, arms, multipliers): the same study
  randomises the same way on every machine (reproducible), and the sequence is never stored:
  the next allocation is computed only at the moment a participant is randomised (concealment).
- Arms may be offered in some strata only; a stratum without any arm cannot be randomised.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

DEFAULT_MULTIPLIERS = (1, 2, 3)


@dataclass(frozen=True)
class Slot:
    arm: str
    position: int  # 0-based position in the stratum's sequence
    block_number: int  # 1-based
    block_size: int


def stratum_key(values: dict[str, str]) -> str:
    """A stable text key for a stratum: "benefit=wajong|organisation=12" (sorted by factor)."""
    return "|".join(f"{name}={values[name]}" for name in sorted(values))


def arms_in_stratum(arms: Sequence[tuple[str, int, Sequence[str]]], stratum: str) -> list[tuple[str, int]]:
    """The (code, ratio) of arms offered in `stratum`. An arm's list of strata matches when any of
    its entries ("benefit=wajong") is part of the stratum key; an empty list means every stratum."""
    parts = set(stratum.split("|")) if stratum else set()
    return [(code, ratio) for code, ratio, strata in arms if ratio > 0 and (not strata or parts & set(strata))]


def sequence(
    *, seed: int, stratum: str, arms: Sequence[tuple[str, int]], multipliers: Sequence[int] = DEFAULT_MULTIPLIERS
) -> Iterator[Slot]:
    """The endless allocation sequence of one stratum."""
    if not arms:
        raise ValueError("no arms")
    multipliers = [m for m in multipliers if m > 0] or list(DEFAULT_MULTIPLIERS)
    arms_key = ",".join(f"{code}:{ratio}" for code, ratio in arms)
    # A str seed is hashed with SHA-512 by `random.seed`: stable across runs and platforms.
    rng = random.Random(f"{seed}|{stratum}|{arms_key}")
    base = [code for code, ratio in arms for _ in range(ratio)]
    position, block_number = 0, 0
    while True:
        block = base * rng.choice(multipliers)
        rng.shuffle(block)
        block_number += 1
        for arm in block:
            yield Slot(arm=arm, position=position, block_number=block_number, block_size=len(block))
            position += 1


def slot_at(
    *, seed: int, stratum: str, arms: Sequence[tuple[str, int]], position: int,
    multipliers: Sequence[int] = DEFAULT_MULTIPLIERS,
) -> Slot:
    for slot in sequence(seed=seed, stratum=stratum, arms=arms, multipliers=multipliers):
        if slot.position == position:
            return slot
    raise AssertionError("unreachable")  # pragma: no cover
