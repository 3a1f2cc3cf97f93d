"""Churn arithmetic against worked examples from churn-management training material."""

import numpy as np
import pandas as pd
import pytest

from csat_analysis.errors import ParameterError, SurveyDataError
from csat_analysis.metrics import (
    churn_loss,
    churn_rate,
    churned_count,
    customer_lifetime_value,
    proportion,
    retention_rate,
    wilson_interval,
)


def test_worked_example_a():
    # 3000 outlets, 500 new, 3300 at year end; half the churned had 100k revenue, half 200k; margin 5%
    churned = churned_count(3000, 3300, 500)
    assert churned == 200
    assert churn_rate(3000, 3300, 500) == pytest.approx(200 / 3000)
    assert round(100 * churn_rate(3000, 3300, 500), 2) == 6.67
    assert round(100 * churn_rate(3000, 3300, 500, base="end"), 2) == 6.06
    lost_revenue = churned / 2 * 100 + churned / 2 * 200
    assert lost_revenue == 30_000
    assert churn_loss(lost_revenue, 0.05) == pytest.approx(1_500)


def test_worked_example_b():
    assert churned_count(300_000, 320_000, 50_000) == 30_000
    assert churn_rate(300_000, 320_000, 50_000) == pytest.approx(0.10)
    assert churn_rate(300_000, 320_000, 50_000, base="end") == pytest.approx(0.09375)
    assert churn_loss(30_000 * 900, 0.03) == pytest.approx(810_000)
    assert churn_loss(30_000 * 1000, 0.03) == pytest.approx(900_000)


def test_per_tier_arithmetic_is_elementwise():
    tiers = pd.DataFrame({"start": [100, 200], "end": [70, 160], "new": [12, 6]}, index=["A", "B"])
    rates = churn_rate(tiers["start"], tiers["end"], tiers["new"])
    assert list(rates.index) == ["A", "B"]
    np.testing.assert_allclose(rates, [0.42, 0.23])
    np.testing.assert_allclose(retention_rate(tiers["start"], tiers["end"], tiers["new"]), [0.58, 0.77])


def test_clv():
    assert customer_lifetime_value(1_000_000, 200_000, 100_000, 700) == pytest.approx(1000)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: churned_count(100, 150, 10), "between 0 and start"),
        (lambda: churned_count(-1, 10, 0), "non-negative"),
        (lambda: churn_loss(1000, 1.5), r"\[0, 1\]"),
        (lambda: customer_lifetime_value(10, 1, 1, 0), "customers is zero"),
    ],
)
def test_bad_input(call, message):
    with pytest.raises(SurveyDataError, match=message):
        call()


def test_unknown_base_is_an_argument_mistake():
    with pytest.raises(ParameterError, match="'start', 'end'"):
        churn_rate(100, 90, 0, base="middle")


def test_wilson_textbook_value():
    # Newcombe (1998), Statistics in Medicine 17: 81/263 gives 0.2553 to 0.3662
    low, high = wilson_interval(81 / 263, 263)
    assert (round(low, 4), round(high, 4)) == (0.2553, 0.3662)


def test_weighted_proportion_uses_kish_n():
    flags = np.array([1, 0, 1, 1, 0])
    weights = np.array([2.0, 1.0, 1.0, 3.0, 1.0])
    est = proportion(flags, weights)
    assert est.value == pytest.approx((2 + 1 + 3) / 8)
    assert est.n_eff == pytest.approx(64 / 16)
    assert est.n == 5


def test_proportion_drops_and_counts_missing():
    est = proportion(pd.Series([1, None, 0, 1]))
    assert (est.n, est.n_dropped) == (3, 1)
    with pytest.raises(SurveyDataError, match="0/1"):
        proportion([0, 2])
