"""Effect sizes against scipy (an independent implementation of the tests and of
Cramér's V), the defining equations of the intervals, and simulated coverage."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from scipy.stats.contingency import association

from csat_analysis import datasets, effsize
from csat_analysis.errors import SurveyDataError


@pytest.fixture(scope="module")
def telco():
    return datasets.load("telco_churn")


def test_cramers_v_matches_scipy(telco):
    out = effsize.cramers_v(telco, "contract", "payment_method").iloc[0]
    table = pd.crosstab(telco["contract"], telco["payment_method"]).to_numpy()
    chi2, p, dof, _ = stats.chi2_contingency(table, correction=False)
    assert out["value"] == pytest.approx(association(table, method="cramer"), rel=1e-12)
    assert out["statistic"] == pytest.approx(chi2, rel=1e-12)
    assert out["dof"] == dof == 6
    assert out["n"] == len(telco)
    assert out["p_value"] > 0  # scipy prints 0 here; the survival function does not underflow
    assert out["p_value"] == pytest.approx(stats.chi2.sf(chi2, dof), rel=1e-12)
    assert out["low"] < out["value"] < out["high"]


def test_cramers_v_interval_solves_its_defining_equations():
    table = np.array([[25, 15, 10], [12, 20, 18]])
    out = effsize.cramers_v_table(table, ci=0.9).iloc[0]
    n, k = table.sum(), 2
    lam_low, lam_high = out["low"] ** 2 * n * (k - 1), out["high"] ** 2 * n * (k - 1)
    assert stats.ncx2.cdf(out["statistic"], 2, lam_low) == pytest.approx(0.95, abs=1e-9)
    assert stats.ncx2.cdf(out["statistic"], 2, lam_high) == pytest.approx(0.05, abs=1e-9)


def test_cramers_v_lower_bound_is_zero_without_association():
    out = effsize.cramers_v_table([[20, 20], [20, 21]]).iloc[0]
    assert out["low"] == 0.0 and out["high"] > 0


def test_cramers_v_interval_covers_the_truth():
    # known truth: a 2 x 3 population table with V ~ 0.42; the 90% interval must cover at
    # least about 90% (the noncentral approximation is conservative for large effects)
    rng = np.random.default_rng(3)
    probabilities = np.array([[0.25, 0.15, 0.10], [0.05, 0.15, 0.30]])
    expected = np.outer(probabilities.sum(1), probabilities.sum(0))
    truth = np.sqrt(np.sum((probabilities - expected) ** 2 / expected) / 1)
    covered = 0
    simulations = 300
    for _ in range(simulations):
        table = rng.multinomial(400, probabilities.ravel()).reshape(2, 3)
        out = effsize.cramers_v_table(table, ci=0.9).iloc[0]
        covered += out["low"] <= truth <= out["high"]
    assert 0.86 <= covered / simulations <= 0.99


def test_kruskal_epsilon_matches_scipy_with_ties(telco):
    out = effsize.kruskal_epsilon(telco, "monthly_charges", "contract", n_boot=300, seed=2).iloc[0]
    groups = [g["monthly_charges"].to_numpy() for _, g in telco.groupby("contract")]
    h, p = stats.kruskal(*groups)
    assert out["statistic"] == pytest.approx(h, rel=1e-10)
    assert out["value"] == pytest.approx(h / (len(telco) - 1), rel=1e-10)
    assert out["p_value"] == pytest.approx(stats.chi2.sf(h, 2), rel=1e-10)
    assert out["low"] < out["value"] < out["high"]


def test_kruskal_epsilon_bootstrap_is_reproducible_and_vectorised_correctly():
    frame = pd.DataFrame({"x": [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8], "g": list("aaaabbbbcccc")})
    first = effsize.kruskal_epsilon(frame, "x", "g", n_boot=50, seed=7)
    assert first.equals(effsize.kruskal_epsilon(frame, "x", "g", n_boot=50, seed=7))
    # each batched resample's H equals scipy's on the same resample
    codes = np.repeat([0, 1, 2], 4)
    rng = np.random.default_rng(0)
    draws = rng.integers(0, 4, size=(5, 12)) + np.repeat([0, 4, 8], 4)
    x = frame["x"].to_numpy(float)[draws]
    batched = effsize._kruskal_h(stats.rankdata(x, axis=1), codes, 3)
    for row, h in zip(x, batched):
        if np.ptp(row) > 0:
            assert h == pytest.approx(stats.kruskal(row[:4], row[4:8], row[8:]).statistic, rel=1e-10)


def test_cohens_h_hand_formula():
    frame = pd.DataFrame(
        {"g": ["x"] * 100 + ["y"] * 50, "yes": [True] * 60 + [False] * 40 + [True] * 10 + [False] * 40}
    )
    out = effsize.cohens_h(frame, "yes", "g").iloc[0]
    h = 2 * np.arcsin(np.sqrt(0.6)) - 2 * np.arcsin(np.sqrt(0.2))
    se = np.sqrt(1 / 100 + 1 / 50)
    assert out["value"] == pytest.approx(h, rel=1e-12)
    assert out["high"] - out["value"] == pytest.approx(stats.norm.ppf(0.975) * se, rel=1e-12)
    assert out["p_value"] == pytest.approx(2 * stats.norm.sf(h / se), rel=1e-12)


def test_output_vocabulary():
    out = effsize.cramers_v_table([[5, 6], [7, 2]])
    assert list(out.columns) == ["effect_size", "value", "low", "high", "statistic", "dof", "p_value", "n"]


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: effsize.cohens_h(pd.DataFrame({"f": [0, 2], "g": ["a", "b"]}), "f", "g"), "0/1"),
        (lambda: effsize.cohens_h(pd.DataFrame({"f": [0, 1, 1], "g": ["a", "b", "c"]}), "f", "g"), "exactly two"),
        (lambda: effsize.cramers_v_table([[1, 2, 3]]), "at least 2 rows"),
        (lambda: effsize.kruskal_epsilon(pd.DataFrame({"x": [1, 2], "g": ["a", "a"]}), "x", "g"), "two groups"),
        (lambda: effsize.kruskal_epsilon(pd.DataFrame({"x": ["a", "b"], "g": ["a", "b"]}), "x", "g"), "numeric"),
    ],
)
def test_bad_input_is_named(call, match):
    with pytest.raises(SurveyDataError, match=match):
        call()
