"""The statistics of the evaluation module, on plain numbers (no ORM), built on SciPy.

- `describe`: n, mean, median, SD (sample, n−1), minimum, maximum and the distribution;
- `compare_proportions`: two proportions, risk difference with Newcombe's hybrid score 95 % CI
  (Wilson intervals combined, as statsmodels' `confint_proportions_2indep(method="newcomb")`; it
  agrees with exact tests at small n) and the Wald CI beside it, Fisher's exact test and Pearson's
  chi-square with and without Yates' continuity correction;
- `contingency_test`: Fisher's exact test for 2×2 tables, Pearson's chi-square for larger ones;
- `kaplan_meier`, `logrank`: survival curves with their median (the first time S(t) ≤ 0.5, as
  lifelines), and the k-group log-rank test (as lifelines' `multivariate_logrank_test`);
- `cohens_kappa` and `krippendorff_alpha` (any number of coders, missing values, four levels;
  `reliability.py`) for inter-coder agreement.

The tests check every function against statsmodels, lifelines and published reference values.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import stats as sps

Z95 = float(sps.norm.ppf(0.975))


@dataclass(frozen=True)
class Description:
    n: int
    mean: float | None
    median: float | None
    sd: float | None
    minimum: float | None
    maximum: float | None
    distribution: dict = field(default_factory=dict)


def describe(values: Sequence[float]) -> Description:
    data = np.asarray([float(v) for v in values], dtype=float)
    distribution = dict(sorted(Counter(values).items()))
    if data.size == 0:
        return Description(0, None, None, None, None, None, {})
    sd = float(np.std(data, ddof=1)) if data.size > 1 else None
    return Description(
        n=int(data.size), mean=float(data.mean()), median=float(np.median(data)), sd=sd,
        minimum=float(data.min()), maximum=float(data.max()), distribution=distribution,
    )


def wilson_interval(events: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson's score interval of one proportion (as statsmodels' `proportion_confint(method="wilson")`)."""
    p = events / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


def newcombe_interval(events_a: int, n_a: int, events_b: int, n_b: int) -> tuple[float, float]:
    """Newcombe's hybrid score interval (method 10, 1998) for p_a − p_b from the two Wilson intervals."""
    p_a, p_b = events_a / n_a, events_b / n_b
    low_a, high_a = wilson_interval(events_a, n_a)
    low_b, high_b = wilson_interval(events_b, n_b)
    diff = p_a - p_b
    return (diff - math.sqrt((p_a - low_a) ** 2 + (high_b - p_b) ** 2),
            diff + math.sqrt((high_a - p_a) ** 2 + (p_b - low_b) ** 2))


@dataclass(frozen=True)
class Summary:
    """One cell of a baseline table: n (%) for a category, mean (SD) for a number, median
    (quartiles, NumPy's default linear interpolation as R's type 7) for an ordinal scale."""

    kind: str  # "count", "mean" or "median"
    n: int  # participants with a value
    count: int | None = None
    percent: float | None = None
    mean: float | None = None
    sd: float | None = None
    median: float | None = None
    q1: float | None = None
    q3: float | None = None


def summarise_category(values: Sequence[Hashable | None], category: Hashable) -> Summary:
    known = [v for v in values if v is not None]
    count = sum(1 for v in known if v == category)
    return Summary("count", len(known), count=count, percent=count / len(known) * 100 if known else None)


def summarise_number(values: Sequence[float | None], *, ordinal: bool = False) -> Summary:
    data = np.asarray([float(v) for v in values if v is not None], dtype=float)
    if ordinal:
        if data.size == 0:
            return Summary("median", 0)
        q1, median, q3 = (float(x) for x in np.percentile(data, [25, 50, 75]))
        return Summary("median", int(data.size), median=median, q1=q1, q3=q3)
    if data.size == 0:
        return Summary("mean", 0)
    return Summary("mean", int(data.size), mean=float(data.mean()), sd=float(np.std(data, ddof=1)) if data.size > 1 else None)


@dataclass(frozen=True)
class ProportionComparison:
    events_a: int
    n_a: int
    events_b: int
    n_b: int
    p_a: float | None
    p_b: float | None
    difference: float | None
    ci_low: float | None  # Newcombe (hybrid score)
    ci_high: float | None
    p_value: float | None  # Fisher's exact test
    test: str
    wald_low: float | None = None
    wald_high: float | None = None
    chi2: float | None = None  # Pearson, no continuity correction
    chi2_p: float | None = None
    chi2_corrected: float | None = None  # with Yates' continuity correction
    chi2_corrected_p: float | None = None


def pearson_chi2(table: Sequence[Sequence[int]], *, correction: bool) -> tuple[float | None, float | None]:
    """Pearson's chi-square of a table (Yates' correction on request, 2×2 only); None when a row or
    column is empty (no expected counts)."""
    array = np.asarray(table, dtype=int)
    if (array.sum(axis=0) == 0).any() or (array.sum(axis=1) == 0).any():
        return None, None
    result = sps.chi2_contingency(array, correction=correction)
    return float(result.statistic), float(result.pvalue)


def compare_proportions(events_a: int, n_a: int, events_b: int, n_b: int) -> ProportionComparison:
    """Arm A against arm B (usually the control): risk difference p_a − p_b with a 95 % Newcombe
    CI (and the Wald CI), Fisher's exact test and Pearson's chi-square."""
    if n_a == 0 or n_b == 0:
        return ProportionComparison(events_a, n_a, events_b, n_b, None, None, None, None, None, None, "")
    p_a, p_b = events_a / n_a, events_b / n_b
    diff = p_a - p_b
    se = math.sqrt(p_a * (1 - p_a) / n_a + p_b * (1 - p_b) / n_b)
    table = [[events_a, n_a - events_a], [events_b, n_b - events_b]]
    p_value = float(sps.fisher_exact(table).pvalue)
    low, high = newcombe_interval(events_a, n_a, events_b, n_b)
    chi2, chi2_p = pearson_chi2(table, correction=False)
    chi2_c, chi2_c_p = pearson_chi2(table, correction=True)
    return ProportionComparison(
        events_a, n_a, events_b, n_b, p_a, p_b, diff, low, high, p_value, "fisher",
        wald_low=diff - Z95 * se, wald_high=diff + Z95 * se, chi2=chi2, chi2_p=chi2_p,
        chi2_corrected=chi2_c, chi2_corrected_p=chi2_c_p,
    )


@dataclass(frozen=True)
class TableTest:
    test: str
    statistic: float | None
    p_value: float | None
    dof: int | None


def contingency_test(table: Sequence[Sequence[int]]) -> TableTest:
    """Fisher's exact test for a 2×2 table; Pearson's chi-square (no correction) for larger ones."""
    array = np.asarray(table, dtype=int)
    # Rows or columns that are all zero carry no information and break the expected counts.
    array = array[array.sum(axis=1) > 0][:, array.sum(axis=0) > 0]
    if array.shape[0] < 2 or array.shape[1] < 2:
        return TableTest("", None, None, None)
    if array.shape == (2, 2):
        result = sps.fisher_exact(array)
        return TableTest("fisher", float(result.statistic), float(result.pvalue), None)
    result = sps.chi2_contingency(array, correction=False)
    return TableTest("chi2", float(result.statistic), float(result.pvalue), int(result.dof))


@dataclass(frozen=True)
class SurvivalCurve:
    times: list[float]  # 0 and each distinct event or censoring time
    survival: list[float]
    at_risk: list[int]
    median: float | None
    n: int
    events: int
    censored: list[float] = field(default_factory=list)  # one entry per censored participant


def kaplan_meier(durations: Sequence[float], events: Sequence[bool]) -> SurvivalCurve:
    t = np.asarray(durations, dtype=float)
    e = np.asarray(events, dtype=bool)
    times, survival, at_risk = [0.0], [1.0], [int(t.size)]
    s = 1.0
    median = None
    for time in np.unique(t):
        n = int((t >= time).sum())
        d = int(((t == time) & e).sum())
        if n and d:
            s *= 1 - d / n
        times.append(float(time))
        survival.append(s)
        at_risk.append(n)
        if median is None and s <= 0.5:
            median = float(time)
    censored = sorted(float(x) for x in t[~e])
    return SurvivalCurve(times, survival, at_risk, median, int(t.size), int(e.sum()), censored)


def at_risk_at(durations: Sequence[float], time: float) -> int:
    """Numbers at risk at `time`: participants whose event or censoring comes at or after it
    (as lifelines' `add_at_risk_counts` "At risk")."""
    return sum(1 for d in durations if d >= time)


def survival_at(curve: SurvivalCurve, time: float) -> float:
    value = 1.0
    for t, s in zip(curve.times, curve.survival, strict=True):
        if t > time:
            break
        value = s
    return value


@dataclass(frozen=True)
class LogRank:
    statistic: float | None
    dof: int
    p_value: float | None


def logrank(groups: Sequence[tuple[Sequence[float], Sequence[bool]]]) -> LogRank:
    """The k-group log-rank test: observed minus expected events with the hypergeometric variance."""
    k = len(groups)
    if k < 2:
        return LogRank(None, 0, None)
    durations = [np.asarray(d, dtype=float) for d, _ in groups]
    events = [np.asarray(e, dtype=bool) for _, e in groups]
    all_event_times = np.unique(np.concatenate([d[e] for d, e in zip(durations, events, strict=True)]))
    observed_minus_expected = np.zeros(k)
    variance = np.zeros((k, k))
    for time in all_event_times:
        n = np.array([(d >= time).sum() for d in durations], dtype=float)
        d = np.array([((dur == time) & ev).sum() for dur, ev in zip(durations, events, strict=True)], dtype=float)
        total_n, total_d = n.sum(), d.sum()
        if total_n == 0:
            continue
        observed_minus_expected += d - n * total_d / total_n
        if total_n > 1:
            factor = total_d * (total_n - total_d) / (total_n - 1) / total_n
            variance += factor * (np.diag(n) - np.outer(n, n) / total_n)
    z, v = observed_minus_expected[:-1], variance[:-1, :-1]
    if not np.any(v):
        return LogRank(None, k - 1, None)
    statistic = float(z @ np.linalg.pinv(v) @ z)
    return LogRank(statistic, k - 1, float(sps.chi2.sf(statistic, k - 1)))


@dataclass(frozen=True)
class MeanComparison:
    mean_a: float | None
    mean_b: float | None
    difference: float | None
    p_value: float | None


def compare_means(a: Sequence[float], b: Sequence[float]) -> MeanComparison:
    """Welch's t-test (unequal variances) of two groups."""
    if len(a) < 2 or len(b) < 2:
        ma = float(np.mean(a)) if len(a) else None
        mb = float(np.mean(b)) if len(b) else None
        return MeanComparison(ma, mb, None if ma is None or mb is None else ma - mb, None)
    result = sps.ttest_ind(np.asarray(a, float), np.asarray(b, float), equal_var=False)
    ma, mb = float(np.mean(a)), float(np.mean(b))
    p = float(result.pvalue)
    return MeanComparison(ma, mb, ma - mb, None if math.isnan(p) else p)


def cohens_kappa(a: Sequence[Hashable], b: Sequence[Hashable]) -> float | None:
    """Cohen's kappa for two coders who each labelled the same units."""
    if len(a) != len(b):
        raise ValueError("both coders must label the same units")
    n = len(a)
    if n == 0:
        return None
    observed = sum(x == y for x, y in zip(a, b, strict=True)) / n
    count_a, count_b = Counter(a), Counter(b)
    expected = sum(count_a[c] * count_b[c] for c in set(count_a) | set(count_b)) / (n * n)
    if expected == 1:
        return 1.0 if observed == 1 else None
    return (observed - expected) / (1 - expected)


def krippendorff_alpha(units: Sequence[Sequence[Hashable | None]], level: str = "nominal") -> float | None:
    """Krippendorff's alpha (see `reliability.py`): per unit the value each coder gave (None: not
    coded), at the nominal, ordinal, interval or ratio level."""
    from .reliability import krippendorff_alpha as alpha

    return alpha(units, level)
