"""csat_analysis.regression: odds ratios against the 2x2 cross-product ratio and Woolf's standard error."""

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from csat_analysis import regression
from csat_analysis.errors import ModelSpecError, SurveyDataError

# plan b: 6 churned / 4 stayed; plan a: 3 churned / 7 stayed -> OR = (6*7)/(4*3) = 3.5
TWO_BY_TWO = pd.DataFrame({"left": [1] * 3 + [0] * 7 + [1] * 6 + [0] * 4, "plan": ["a"] * 10 + ["b"] * 10})
WOOLF_SE = math.sqrt(1 / 6 + 1 / 4 + 1 / 3 + 1 / 7)  # saturated 2x2: Wald se of log OR = Woolf's


def test_two_by_two_odds_ratio_is_cross_product_ratio_with_woolf_se():
    result = regression.logistic(TWO_BY_TWO, "left", ["plan"])
    row = result.odds_ratios.iloc[0]
    assert row.term == "plan: b" and row.variable == "plan" and row.level == "b"
    assert row.odds_ratio == pytest.approx(6 * 7 / (4 * 3), rel=1e-6)
    assert row.se == pytest.approx(WOOLF_SE, rel=1e-5)
    z = stats.norm.ppf(0.975)
    assert row.low == pytest.approx(3.5 * math.exp(-z * WOOLF_SE), rel=1e-5)
    assert row.high == pytest.approx(3.5 * math.exp(z * WOOLF_SE), rel=1e-5)
    assert result.n == 20
    assert "Logit" in str(result.summary())


def test_reference_level_inverts_the_odds_ratio():
    row = regression.logistic(TWO_BY_TWO, "left", ["plan"], reference={"plan": "b"}).odds_ratios.iloc[0]
    assert row.term == "plan: a"
    assert row.odds_ratio == pytest.approx(4 * 3 / (6 * 7), rel=1e-6)


def test_odds_ratio_table_of_a_formula_fit_at_other_level():
    frame = TWO_BY_TWO.assign(b=(TWO_BY_TWO.plan == "b").astype(int))
    table = regression.odds_ratio_table(regression.fit_logit("left ~ b", frame), ci=0.9)
    z = stats.norm.ppf(0.95)
    assert table["term"].tolist() == ["b"]
    assert table["low"].iloc[0] == pytest.approx(3.5 * math.exp(-z * WOOLF_SE), rel=1e-5)


def test_awkward_names_are_quoted_and_numeric_terms_linear():
    rng = np.random.default_rng(0)
    x = rng.normal(size=400)
    frame = pd.DataFrame({"monthly charge ($)": x, "left": rng.random(400) < 1 / (1 + np.exp(-x))})
    row = regression.logistic(frame, "left", ["monthly charge ($)"]).odds_ratios.iloc[0]
    assert row.term == "monthly charge ($)" and row.level == ""
    assert row.low < math.e < row.high


def test_separation_and_bad_inputs_are_clear_errors():
    separated = pd.DataFrame({"y": [0, 0, 0, 1, 1, 1], "g": list("aaabbb")})
    with pytest.raises(ModelSpecError, match="did not converge|cannot be estimated"):
        regression.logistic(separated, "y", ["g"])
    with pytest.raises(SurveyDataError, match=r"'g'.*row 1"):
        regression.logistic(pd.DataFrame({"y": [0, 1, 0], "g": ["a", None, "b"]}), "y", ["g"])
    with pytest.raises(ModelSpecError, match="at least one covariate"):
        regression.logistic(TWO_BY_TWO, "left", [])
    with pytest.raises(ModelSpecError, match="not a covariate"):
        regression.logistic(TWO_BY_TWO, "left", ["plan"], reference={"tier": "x"})
