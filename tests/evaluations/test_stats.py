"""The statistics against the reference libraries (statsmodels, lifelines) and published values."""

from __future__ import annotations

import numpy as np
import pytest
from lifelines import KaplanMeierFitter
from lifelines.statistics import logrank_test, multivariate_logrank_test
from statsmodels.stats.inter_rater import cohens_kappa as sm_kappa
from statsmodels.stats.inter_rater import to_table
from statsmodels.stats.proportion import confint_proportions_2indep
from statsmodels.stats.weightstats import DescrStatsW, ttest_ind

from werkbrug.evaluations import stats

RNG_SEEDS = [1, 2, 3, 4, 5]


@pytest.mark.parametrize("seed", RNG_SEEDS)
def test_describe_matches_numpy_and_statsmodels(seed):
    rng = np.random.default_rng(seed)
    values = list(rng.integers(1, 11, size=37))
    d = stats.describe(values)
    ref = DescrStatsW(np.asarray(values, float))
    assert d.n == 37
    assert d.mean == pytest.approx(ref.mean)
    assert d.sd == pytest.approx(ref.std * np.sqrt(37 / 36))  # statsmodels' std is the population SD
    assert d.median == pytest.approx(np.median(values))
    assert (d.minimum, d.maximum) == (min(values), max(values))
    assert sum(d.distribution.values()) == 37


def test_describe_empty_and_single():
    assert stats.describe([]).n == 0 and stats.describe([]).mean is None
    one = stats.describe([7])
    assert one.mean == 7 and one.sd is None


@pytest.mark.parametrize("seed", RNG_SEEDS)
def test_risk_difference_ci_matches_statsmodels(seed):
    rng = np.random.default_rng(seed)
    n_a, n_b = int(rng.integers(20, 80)), int(rng.integers(20, 80))
    e_a, e_b = int(rng.integers(1, n_a)), int(rng.integers(1, n_b))
    result = stats.compare_proportions(e_a, n_a, e_b, n_b)
    low, high = confint_proportions_2indep(e_a, n_a, e_b, n_b, method="wald", compare="diff")
    assert result.difference == pytest.approx(e_a / n_a - e_b / n_b)
    assert (result.wald_low, result.wald_high) == (pytest.approx(low, abs=1e-9), pytest.approx(high, abs=1e-9))
    low, high = confint_proportions_2indep(e_a, n_a, e_b, n_b, method="newcomb", compare="diff")
    assert (result.ci_low, result.ci_high) == (pytest.approx(low, abs=1e-9), pytest.approx(high, abs=1e-9))


# (events_a, n_a, events_b, n_b): small two-arm tables, with zero and full cells.
SMALL_TABLES = [(7, 11, 2, 11), (0, 8, 4, 9), (5, 5, 1, 6), (3, 12, 3, 12), (9, 10, 0, 10), (1, 4, 3, 4)]


@pytest.mark.parametrize(("e_a", "n_a", "e_b", "n_b"), SMALL_TABLES)
def test_two_arm_table_against_scipy_and_statsmodels(e_a, n_a, e_b, n_b):
    from scipy import stats as sps

    result = stats.compare_proportions(e_a, n_a, e_b, n_b)
    table = [[e_a, n_a - e_a], [e_b, n_b - e_b]]
    low, high = confint_proportions_2indep(e_a, n_a, e_b, n_b, method="newcomb", compare="diff")
    assert (result.ci_low, result.ci_high) == (pytest.approx(low, abs=1e-9), pytest.approx(high, abs=1e-9))
    assert result.p_value == pytest.approx(sps.fisher_exact(table).pvalue, abs=1e-12)
    if min(n_a - e_a + n_b - e_b, e_a + e_b) == 0:
        assert result.chi2 is None
        return
    plain = sps.chi2_contingency(table, correction=False)
    yates = sps.chi2_contingency(table, correction=True)
    assert (result.chi2, result.chi2_p) == (pytest.approx(plain.statistic, abs=1e-9), pytest.approx(plain.pvalue, abs=1e-12))
    assert (result.chi2_corrected, result.chi2_corrected_p) == (
        pytest.approx(yates.statistic, abs=1e-9), pytest.approx(yates.pvalue, abs=1e-12))


@pytest.mark.parametrize(("e_a", "n_a", "e_b", "n_b"), [*SMALL_TABLES, (4, 4, 0, 3), (5, 6, 1, 6), (6, 6, 2, 6)])
def test_newcombe_interval_is_sound_where_wald_is_not(e_a, n_a, e_b, n_b):
    # At small n the Wald interval leaves [−1, 1], collapses to a point (4/4 vs 0/3: 1 to 1) or
    # excludes 0 where Fisher's exact test is far from significant. Newcombe's interval stays
    # inside [−1, 1], has width, and its bound nearest 0 is more cautious than Wald's.
    # (Newcombe is not an exact test: at 7/11 vs 2/11 it excludes 0 while Fisher gives p = 0.08.)
    result = stats.compare_proportions(e_a, n_a, e_b, n_b)
    assert -1 <= result.ci_low < result.difference < result.ci_high <= 1 or result.difference in (-1, 1)
    assert result.ci_high - result.ci_low > 0.1
    if result.difference > 0:
        assert result.ci_low < result.wald_low
    elif result.difference < 0:
        assert result.ci_high > result.wald_high


def test_wald_contradicts_fisher_where_newcombe_does_not():
    # 6/6 against 2/6: Fisher p = 0.06; Wald 0.29 to 1.04 (beyond 1); Newcombe 0.13 to 0.90.
    result = stats.compare_proportions(6, 6, 2, 6)
    assert result.p_value == pytest.approx(0.0606, abs=1e-4)
    assert result.wald_high > 1
    assert (round(result.ci_low, 3), round(result.ci_high, 3)) == (0.131, 0.903)
def test_fisher_exact_against_published_tea_tasting():
    # Fisher's lady tasting tea: [[3, 1], [1, 3]] → two-sided p = 0.4857 (Fisher 1935).
    result = stats.contingency_test([[3, 1], [1, 3]])
    assert result.test == "fisher"
    assert result.p_value == pytest.approx(0.48571, abs=1e-4)


def test_chi_square_for_larger_tables_matches_statsmodels():
    from statsmodels.stats.contingency_tables import Table

    table = [[12, 18], [20, 10], [15, 15]]
    result = stats.contingency_test(table)
    ref = Table(np.asarray(table)).test_nominal_association()
    assert result.test == "chi2"
    assert result.statistic == pytest.approx(ref.statistic)
    assert result.p_value == pytest.approx(ref.pvalue)
    assert result.dof == ref.df


def _survival_data(seed, n=60):
    rng = np.random.default_rng(seed)
    durations = rng.integers(1, 400, size=n).astype(float)
    events = rng.random(n) < 0.6
    return durations, events


@pytest.mark.parametrize("seed", RNG_SEEDS)
def test_kaplan_meier_matches_lifelines(seed):
    durations, events = _survival_data(seed)
    curve = stats.kaplan_meier(durations, events)
    kmf = KaplanMeierFitter().fit(durations, events)
    for t in [0, 30, 90, 180, 365, 399]:
        assert stats.survival_at(curve, t) == pytest.approx(float(kmf.survival_function_at_times(t).iloc[0]))
    expected_median = kmf.median_survival_time_
    if np.isinf(expected_median):
        assert curve.median is None
    else:
        assert curve.median == pytest.approx(expected_median)


@pytest.mark.parametrize("seed", RNG_SEEDS)
def test_logrank_two_groups_matches_lifelines(seed):
    d1, e1 = _survival_data(seed)
    d2, e2 = _survival_data(seed + 100, n=45)
    d2 = d2 * 1.3
    ours = stats.logrank([(d1, e1), (d2, e2)])
    ref = logrank_test(d1, d2, event_observed_A=e1, event_observed_B=e2)
    assert ours.statistic == pytest.approx(ref.test_statistic)
    assert ours.p_value == pytest.approx(ref.p_value)


def test_logrank_three_groups_matches_lifelines():
    groups = [_survival_data(s, n=40) for s in (7, 8, 9)]
    ours = stats.logrank(groups)
    durations = np.concatenate([g[0] for g in groups])
    events = np.concatenate([g[1] for g in groups])
    labels = np.repeat([0, 1, 2], 40)
    ref = multivariate_logrank_test(durations, labels, events)
    assert ours.dof == 2
    assert ours.statistic == pytest.approx(ref.test_statistic)
    assert ours.p_value == pytest.approx(ref.p_value)


def test_welch_t_test_matches_statsmodels():
    rng = np.random.default_rng(3)
    a, b = rng.normal(20, 5, 30), rng.normal(16, 8, 25)
    ours = stats.compare_means(list(a), list(b))
    _t, p, _df = ttest_ind(a, b, usevar="unequal")
    assert ours.p_value == pytest.approx(p)
    assert ours.difference == pytest.approx(a.mean() - b.mean())


def test_cohens_kappa_published_example():
    # Wikipedia's worked example: 50 proposals, yes/yes 20, yes/no 5, no/yes 10, no/no 15 → κ = 0.4.
    a = ["yes"] * 25 + ["no"] * 25
    b = ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15
    assert stats.cohens_kappa(a, b) == pytest.approx(0.4)


@pytest.mark.parametrize("seed", RNG_SEEDS)
def test_cohens_kappa_matches_statsmodels(seed):
    rng = np.random.default_rng(seed)
    a = rng.integers(0, 4, 80)
    b = np.where(rng.random(80) < 0.6, a, rng.integers(0, 4, 80))
    table, _ = to_table(np.column_stack([a, b]))
    assert stats.cohens_kappa(list(a), list(b)) == pytest.approx(sm_kappa(table).kappa)


def test_krippendorff_alpha_published_reference():
    # Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", the example with four
    # observers, 12 units and missing values: nominal α = 0.743.
    data = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
        [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
    ]
    units = list(zip(*data, strict=True))
    assert stats.krippendorff_alpha(units) == pytest.approx(0.743, abs=5e-4)


def test_krippendorff_two_coders_close_to_kappa_and_perfect_agreement():
    a = ["x", "y", "x", "z", "y", "x"]
    assert stats.krippendorff_alpha(list(zip(a, a, strict=True))) == 1.0
    assert stats.cohens_kappa(a, a) == 1.0
