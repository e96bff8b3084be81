"""The outcomes page as a statistician reads it: chi-square beside Fisher, Newcombe intervals,
"p < 0,001", a baseline table, Kaplan–Meier censoring marks and numbers at risk."""

from __future__ import annotations

import re
from datetime import date

import numpy as np
import pytest
import time_machine
from django.utils import translation
from scipy import stats as sps
from statsmodels.stats.proportion import confint_proportions_2indep

from werkbrug.evaluations import analysis, stats
from werkbrug.evaluations.templatetags.evaluations import p, pvalue, summary


@pytest.mark.parametrize(("value", "running", "cell"), [
    (0.0004, "p < 0,001", "< 0,001"),  # never "p = < 0,001"
    (0.001, "p = 0,001", "0,001"),
    (0.04237, "p = 0,042", "0,042"),
    (1.0, "p = 1,000", "1,000"),
    (None, "p = —", "—"),
])
def test_p_values_in_dutch(value, running, cell):
    with translation.override("nl"):
        assert (p(value), pvalue(value)) == (running, cell)


@pytest.mark.parametrize(("cell", "text"), [
    (stats.summarise_category(["a", "b", "a", None], "a"), "2 (66,7 %)"),  # the missing value is not in n
    (stats.summarise_number([6.5, 7, 8.5]), "7,3 (1,0)"),  # mean (SD)
    (stats.summarise_number([1, 2, 3, 4, 5], ordinal=True), "3,0 (2,0–4,0)"),  # median (IQR)
    (stats.summarise_number([]), "—"),
])
def test_baseline_cells(cell, text):
    with translation.override("nl"):
        assert summary(cell) == text


def test_quartiles_match_numpy_and_pandas():
    values = [1, 2, 2, 3, 4, 4, 4, 5, 7]
    import pandas as pd

    cell = stats.summarise_number(values, ordinal=True)
    assert (cell.q1, cell.median, cell.q3) == tuple(pd.Series(values).quantile([0.25, 0.5, 0.75]))


@pytest.mark.parametrize(("longest", "ticks"), [
    (0, [0]),  # nobody followed up yet
    (8, [0, 2, 4, 6, 8]),
    (120, [0, 30, 60, 90, 120]),
    (400, [0, 90, 180, 270, 360]),
    (1000, [0, 365, 730]),
])
def test_time_ticks(longest, ticks):
    assert analysis.time_ticks(longest) == ticks


def test_kaplan_meier_censoring_and_numbers_at_risk_match_lifelines():
    from lifelines import KaplanMeierFitter

    rng = np.random.default_rng(3)
    durations = rng.integers(1, 200, 40).astype(float)
    events = rng.random(40) < 0.6
    curve = stats.kaplan_meier(durations, events)
    assert curve.censored == sorted(durations[~events].tolist())
    fitter = KaplanMeierFitter().fit(durations, events)
    for t in (0, 30, 60, 90, 150):
        # lifelines' "at risk" at t: still followed at t (event or censoring at or after t).
        expected = int((fitter.durations >= t).sum())
        assert stats.at_risk_at(durations, t) == expected


def test_outcomes_page_and_api(api, populated):
    study = populated.study.pk
    with time_machine.travel(date(2026, 6, 1)):
        html = api.get(f"/research/studies/{study}/outcomes/").content.decode()
        data = api.get(f"/api/v1/research/studies/{study}/outcomes/").json()
    assert "p = &lt;" not in html and "p = <" not in html
    assert "χ² = " in html and 'id="at-risk"' in html and 'id="baseline"' in html
    # One censoring stroke per censored participant, as the API lists them.
    censored = sum(len(arm["censored_days"]) for arm in data["time_to_first_job"]["arms"])
    assert censored > 0 and html.count('class="km-censored"') == censored
    at_risk = data["time_to_first_job"]["at_risk"]
    assert at_risk["days"][0] == 0
    assert [a["n"][0] for a in at_risk["arms"]] == [a["n"] for a in data["time_to_first_job"]["arms"]]
    for tp in data["time_points"]:
        rows = {row["arm"]: row for row in tp["arms"]}
        for c in tp["comparisons"]:
            a, b = rows[c["arm"]], rows[data["control"]]
            low, high = confint_proportions_2indep(a["events"], a["n"], b["events"], b["n"], method="newcomb", compare="diff")
            assert (c["ci_low"], c["ci_high"]) == (pytest.approx(low, abs=1e-9), pytest.approx(high, abs=1e-9))
            assert c["ci_method"] == "newcombe"
            table = [[a["events"], a["n"] - a["events"]], [b["events"], b["n"] - b["events"]]]
            if c["chi2"] is not None:
                assert c["chi2"] == pytest.approx(sps.chi2_contingency(table, correction=False).statistic, abs=1e-9)
                assert c["chi2_corrected_p_value"] == pytest.approx(sps.chi2_contingency(table).pvalue, abs=1e-12)
    # Baseline: the answers given on the day of randomisation, per arm (grades as mean (SD)).
    baseline = data["baseline"]
    assert sum(arm["n"] for arm in baseline["arms"]) == data["n"] == 8
    grade = next(row for row in baseline["rows"] if "Welk cijfer" in row["characteristic"])
    assert grade["statistic"] == "gemiddelde (SD)"
    assert sum(cell["n"] for cell in grade["cells"]) == 5  # five clients answered
    likert = next(row for row in baseline["rows"] if "hielp mij" in row["characteristic"])
    assert all("median" in cell for cell in likert["cells"] if cell["n"])
    assert re.search(r"\d+,\d \(\d+,\d\)", html)  # a mean (SD) cell with Dutch decimal commas
