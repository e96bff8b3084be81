"""Krippendorff's alpha: agreement between any number of coders, with missing values, at the
nominal, ordinal, interval and ratio levels of measurement.

Built from the definition in Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability":

- a *unit* holds the values the coders gave it (None: that coder did not code it); units with
  fewer than two values cannot be paired and are left out;
- the coincidence matrix o[c][k] counts, over the units, every ordered pair of values (c, k) from
  different coders, each pair weighted 1 / (m_u − 1) where m_u is the number of values in the unit;
- with n_c the marginal of value c and n the number of pairable values,
  α = 1 − (n − 1) · Σ o[c][k] δ²(c, k) / Σ n_c n_k δ²(c, k);
- δ² by level: nominal 0 or 1; ordinal (Σ_{g=c..k} n_g − (n_c + n_k) / 2)² over the ordered
  values; interval (c − k)²; ratio ((c − k) / (c + k))².

The confidence interval is a percentile bootstrap over units (resampled with replacement), from a
fixed seed, so the same data always give the same interval. The tests compare the point estimate
with Krippendorff's published example and the `krippendorff` package.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np


class Level(StrEnum):
    NOMINAL = "nominal"
    ORDINAL = "ordinal"
    INTERVAL = "interval"
    RATIO = "ratio"


BOOTSTRAP_SAMPLES = 1000
BOOTSTRAP_SEED = 20_110_101  # fixed: the interval is part of a report and must not change on reload

Unit = Sequence[Hashable | None]


def _pairable(units: Sequence[Unit]) -> list[list[Hashable]]:
    kept = []
    for unit in units:
        values = [v for v in unit if v is not None]
        if len(values) >= 2:
            kept.append(values)
    return kept


def _pairs(units: list[list[Hashable]], index: dict[Hashable, int]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Every unit's entries of the coincidence matrix as (unit, row, column, weight) arrays: the
    ordered pairs of values from different coders, each weighted 1 / (m_u − 1)."""
    unit_ids, rows, cols, weights = [], [], [], []
    for u, values in enumerate(units):
        m = len(values)
        for i, x in enumerate(values):
            for j, y in enumerate(values):
                if i != j:
                    unit_ids.append(u)
                    rows.append(index[x])
                    cols.append(index[y])
                    weights.append(1 / (m - 1))
    return np.asarray(unit_ids, int), np.asarray(rows, int), np.asarray(cols, int), np.asarray(weights, float)


def _coincidences(pairs, size: int, unit_weights: np.ndarray | None = None) -> np.ndarray:
    unit_ids, rows, cols, weights = pairs
    matrix = np.zeros((size, size))
    np.add.at(matrix, (rows, cols), weights if unit_weights is None else weights * unit_weights[unit_ids])
    return matrix


def _delta(values: list[Hashable], marginals: np.ndarray, level: Level) -> np.ndarray:
    k = len(values)
    if level == Level.NOMINAL:
        return 1.0 - np.eye(k)
    if level == Level.ORDINAL:
        cumulative = np.concatenate([[0.0], np.cumsum(marginals)])
        delta = np.zeros((k, k))
        for i in range(k):
            for j in range(k):
                lo, hi = min(i, j), max(i, j)
                delta[i, j] = (cumulative[hi + 1] - cumulative[lo] - (marginals[i] + marginals[j]) / 2) ** 2
        return delta
    x = np.asarray(values, dtype=float)
    diff = x[:, None] - x[None, :]
    if level == Level.INTERVAL:
        return diff**2
    total = x[:, None] + x[None, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(total == 0, 0.0, diff / np.where(total == 0, 1, total))
    return ratio**2


def _ordered(values: set[Hashable], level: Level) -> list[Hashable]:
    if level == Level.NOMINAL:
        try:
            return sorted(values)  # type: ignore[type-var]
        except TypeError:  # unorderable nominal values (sets of codes): any fixed order will do
            return sorted(values, key=repr)
    return sorted(values, key=float)  # type: ignore[arg-type]


def _alpha_of(matrix: np.ndarray, values: list[Hashable], level: Level) -> float | None:
    marginals = matrix.sum(axis=1)
    n = marginals.sum()
    if n <= 1:
        return None
    delta = _delta(values, marginals, level)
    observed = float((matrix * delta).sum())
    expected = float((np.outer(marginals, marginals) * delta).sum()) / (n - 1)
    if expected == 0:
        return 1.0 if observed == 0 else None
    return float(1 - observed / expected)


def _prepare(units: list[list[Hashable]], level: Level):
    values = _ordered({v for unit in units for v in unit}, level)
    return values, _pairs(units, {v: i for i, v in enumerate(values)})


def _alpha(units: list[list[Hashable]], level: Level) -> float | None:
    if not units:
        return None
    values, pairs = _prepare(units, level)
    return _alpha_of(_coincidences(pairs, len(values)), values, level)


def krippendorff_alpha(units: Sequence[Unit], level: Level | str = Level.NOMINAL) -> float | None:
    """Krippendorff's alpha. `units`: per unit the value each coder gave (None: not coded).
    Values must be numbers for the ordinal (any order), interval and ratio levels."""
    return _alpha(_pairable(units), Level(level))


@dataclass(frozen=True)
class Reliability:
    level: str
    alpha: float | None
    ci_low: float | None
    ci_high: float | None
    units: int  # pairable units
    values: int  # pairable values
    coders: int


def reliability(
    units: Sequence[Unit], level: Level | str = Level.NOMINAL, *, samples: int = BOOTSTRAP_SAMPLES,
    seed: int = BOOTSTRAP_SEED,
) -> Reliability:
    """Alpha with a 95 % percentile bootstrap interval over units (seeded: reproducible)."""
    level = Level(level)
    kept = _pairable(units)
    alpha = _alpha(kept, level)
    low = high = None
    if alpha is not None and len(kept) > 1 and samples:
        values, pairs = _prepare(kept, level)
        rng = np.random.default_rng(seed)
        estimates = []
        for _ in range(samples):
            # A resample of units is the same units counted 0, 1, 2… times.
            times = np.bincount(rng.integers(0, len(kept), len(kept)), minlength=len(kept)).astype(float)
            value = _alpha_of(_coincidences(pairs, len(values), times), values, level)
            if value is not None:
                estimates.append(value)
        if estimates:
            low, high = (float(q) for q in np.percentile(estimates, [2.5, 97.5]))
    coders = max((len(u) for u in units), default=0)
    return Reliability(level.value, alpha, low, high, len(kept), sum(len(u) for u in kept), coders)


def disagreements(units: Sequence[Unit]) -> list[int]:
    """Indexes of the units where the coders who coded it gave different values."""
    return [i for i, unit in enumerate(units) if len({v for v in unit if v is not None}) > 1]
