"""Krippendorff's alpha at four levels against the published example and the `krippendorff`
package; the bootstrap interval and the disagreement list."""

from __future__ import annotations

import krippendorff
import numpy as np
import pytest

from werkbrug.evaluations import reliability, stats

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: four observers,
# twelve units, missing values (None). Coders are rows here; units are columns.
TEXTBOOK = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]
UNITS = list(zip(*TEXTBOOK, strict=True))


def _matrix(rows):
    return np.array([[np.nan if v is None else v for v in row] for row in rows], dtype=float)


@pytest.mark.parametrize(("level", "published"), [
    ("nominal", 0.743),  # Krippendorff (2011), p. 4
    ("ordinal", 0.815),  # as printed in the `krippendorff` package's documentation of this example
    ("interval", 0.849),  # Krippendorff (2011), p. 6
    ("ratio", 0.797),
])
def test_textbook_example_at_every_level(level, published):
    alpha = reliability.krippendorff_alpha(UNITS, level)
    assert round(alpha, 3) == published
    reference = krippendorff.alpha(reliability_data=_matrix(TEXTBOOK), level_of_measurement=level)
    assert alpha == pytest.approx(reference, abs=1e-9)
    assert stats.krippendorff_alpha(UNITS, level) == alpha


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval", "ratio"])
def test_random_coders_with_missing_values_match_the_package(seed, level):
    rng = np.random.default_rng(seed)
    coders, units = int(rng.integers(2, 7)), int(rng.integers(8, 40))
    truth = rng.integers(1, 6, units)
    data = np.where(rng.random((coders, units)) < 0.7, truth, rng.integers(1, 6, (coders, units))).astype(float)
    data[rng.random((coders, units)) < 0.2] = np.nan
    rows = [[None if np.isnan(v) else int(v) for v in row] for row in data]
    ours = reliability.krippendorff_alpha(list(zip(*rows, strict=True)), level)
    assert ours == pytest.approx(krippendorff.alpha(reliability_data=data, level_of_measurement=level), abs=1e-9)


def test_perfect_agreement_and_nothing_pairable():
    assert reliability.krippendorff_alpha([("a", "a"), ("b", "b", None)]) == 1.0
    assert reliability.krippendorff_alpha([("a", None), (None, "b")]) is None
    assert reliability.krippendorff_alpha([]) is None


def test_sets_of_codes_are_nominal_values():
    units = [(frozenset({1, 2}), frozenset({1, 2}), None), (frozenset({1}), frozenset({2}), frozenset({1}))]
    assert reliability.krippendorff_alpha(units) == pytest.approx(
        reliability.krippendorff_alpha([("x", "x", None), ("y", "z", "y")])
    )


def test_bootstrap_interval_is_reproducible_and_brackets_alpha():
    first = reliability.reliability(UNITS, "interval")
    second = reliability.reliability(UNITS, "interval")
    assert first == second  # seeded
    assert first.ci_low <= first.alpha <= first.ci_high <= 1
    assert (first.units, first.values, first.coders) == (11, 40, 4)  # unit 12 has one value only
    other_seed = reliability.reliability(UNITS, "interval", seed=7)
    assert (other_seed.ci_low, other_seed.ci_high) != (first.ci_low, first.ci_high)


def test_disagreements_list_the_units_where_coders_differ():
    # Units 2, 6 and 8 (1-based) of the textbook example have differing values; unit 11 is 1, 1.
    assert [i + 1 for i in reliability.disagreements(UNITS)] == [2, 6, 8]
