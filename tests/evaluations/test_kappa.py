"""Cohen's kappa with its standard error and interval, against statsmodels to 1e-9."""

from __future__ import annotations

import numpy as np
import pytest
from statsmodels.stats.inter_rater import cohens_kappa as sm_kappa

from werkbrug.evaluations.kappa import cohens_kappa, kappa_from_table

TABLES = [
    # Fleiss, Levin & Paik (2003), table 18.1-style three-category example
    [[22, 4, 1], [5, 18, 3], [0, 2, 15]],
    # two categories, moderate agreement
    [[20, 5], [10, 15]],
    # four categories with an empty cell row for one coder
    [[8, 1, 0, 1], [2, 6, 1, 0], [0, 1, 7, 2], [0, 0, 0, 3]],
    # near-perfect agreement
    [[40, 1], [0, 9]],
]


@pytest.mark.parametrize("table", TABLES)
def test_kappa_se_and_interval_match_statsmodels(table):
    ours = kappa_from_table(np.array(table))
    theirs = sm_kappa(np.array(table))
    assert ours.kappa == pytest.approx(theirs.kappa, abs=1e-9)
    assert ours.se == pytest.approx(theirs.std_kappa, abs=1e-9)
    assert ours.se_null == pytest.approx(theirs.std_kappa0, abs=1e-9)
    assert ours.ci_low == pytest.approx(theirs.kappa_low, abs=1e-9)
    assert ours.ci_high == pytest.approx(theirs.kappa_upp, abs=1e-9)


def test_kappa_from_labels_builds_the_table_of_both_coders():
    a = ["S", "S", "T", "K", "S", "T", "K", "K", "S", "T"]
    b = ["S", "T", "T", "K", "S", "T", "S", "K", "S", "K"]
    categories = ["K", "S", "T"]
    table = np.zeros((3, 3))
    for x, y in zip(a, b, strict=True):
        table[categories.index(x), categories.index(y)] += 1
    ours, theirs = cohens_kappa(a, b), sm_kappa(table)
    assert ours.units == 10
    assert (ours.kappa, ours.se) == (pytest.approx(theirs.kappa, abs=1e-9), pytest.approx(theirs.std_kappa, abs=1e-9))


def test_kappa_without_variation_has_no_interval():
    result = cohens_kappa(["a", "a"], ["a", "a"])
    assert result.kappa == 1.0 and result.se is None and result.ci_low is None
    assert cohens_kappa([], []).kappa is None


def test_agreement_page_and_api_give_kappa_with_interval(api, populated, research):
    study = populated.study.pk
    a, b = research.researcher.pk, research.second.pk
    body = api.get(f"/api/v1/research/studies/{study}/agreement/?a={a}&b={b}").json()
    # Passages: {S},{S} / {T},{T} / {S},{K}: categories K, S, T.
    expected = sm_kappa(np.array([[0, 0, 0], [1, 1, 0], [0, 0, 1]]))
    interval = body["cohens_kappa_interval"]
    assert body["cohens_kappa"] == pytest.approx(expected.kappa, abs=1e-9)
    assert interval["se"] == pytest.approx(expected.std_kappa, abs=1e-9)
    assert interval["ci_low"] == pytest.approx(expected.kappa_low, abs=1e-9)
    page = api.get(f"/research/studies/{study}/agreement/?a={a}&b={b}").content.decode()
    assert "95 %" in page and "SE" in page
