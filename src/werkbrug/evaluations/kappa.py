"""Cohen's kappa with its large-sample standard error and 95 % confidence interval.

Two coders label the same n units. With p_ij the share of units coder 1 put in category i and
coder 2 in category j, p_i. and p_.j the margins, p_o = Σ p_ii and p_e = Σ p_i. p_.i:

- κ = (p_o − p_e) / (1 − p_e);
- the asymptotic variance (Fleiss, Cohen & Everitt 1969, "Large sample standard errors of kappa
  and weighted kappa"; Fleiss, Levin & Paik, *Statistical Methods for Rates and Proportions*, §18.1):
  var(κ) = [Σ_i p_ii (1 − (p_i. + p_.i)(1 − κ))² + (1 − κ)² Σ_{i≠j} p_ij (p_.i + p_j.)²
            − (κ − p_e (1 − κ))²] / (n (1 − p_e)²);
- the interval is κ ± 1,96 · SE (Wald), as statsmodels' `cohens_kappa` gives it; the standard error
  under the null hypothesis κ = 0 is var₀ = [p_e + p_e² − Σ_i p_i. p_.i (p_i. + p_.i)] / (n (1 − p_e)²).

The tests compare every figure with statsmodels to 1e-9.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np

from .stats import Z95


@dataclass(frozen=True)
class Kappa:
    kappa: float | None
    se: float | None
    ci_low: float | None
    ci_high: float | None
    se_null: float | None
    units: int


def _table(a: Sequence[Hashable], b: Sequence[Hashable]) -> np.ndarray:
    categories = sorted(set(a) | set(b), key=repr)
    index = {c: i for i, c in enumerate(categories)}
    table = np.zeros((len(categories), len(categories)))
    for x, y in zip(a, b, strict=True):
        table[index[x], index[y]] += 1
    return table


def kappa_from_table(table: np.ndarray) -> Kappa:
    """Kappa and its standard errors from a square table of counts (rows coder 1, columns coder 2)."""
    table = np.asarray(table, dtype=float)
    n = float(table.sum())
    if n == 0:
        return Kappa(None, None, None, None, None, 0)
    p = table / n
    rows, cols = p.sum(axis=1), p.sum(axis=0)
    observed = float(np.trace(p))
    expected = float((rows * cols).sum())
    if expected == 1:  # both coders used one and the same category throughout: kappa undefined
        return Kappa(1.0 if observed == 1 else None, None, None, None, None, int(n))
    kappa = (observed - expected) / (1 - expected)
    diagonal = np.diag(p) * (1 - (rows + cols) * (1 - kappa)) ** 2
    off = p * (cols[:, None] + rows[None, :]) ** 2
    np.fill_diagonal(off, 0)
    variance = (diagonal.sum() + (1 - kappa) ** 2 * off.sum() - (kappa - expected * (1 - kappa)) ** 2)
    variance /= n * (1 - expected) ** 2
    variance_null = (expected + expected**2 - float((rows * cols * (rows + cols)).sum())) / (n * (1 - expected) ** 2)
    se = math.sqrt(max(float(variance), 0.0))
    se_null = math.sqrt(max(variance_null, 0.0))
    return Kappa(float(kappa), se, float(kappa - Z95 * se), float(kappa + Z95 * se), se_null, int(n))


def cohens_kappa(a: Sequence[Hashable], b: Sequence[Hashable]) -> Kappa:
    """Cohen's kappa with interval for two coders who each labelled the same units."""
    if len(a) != len(b):
        raise ValueError("both coders must label the same units")
    if not a:
        return Kappa(None, None, None, None, None, 0)
    return kappa_from_table(_table(a, b))
