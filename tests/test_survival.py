"""csat_analysis.survival against a Kaplan-Meier table worked by hand and scipy's log-rank test."""

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from csat_analysis import survival
from csat_analysis.errors import SurveyDataError

# A tiny survival table worked by hand (Kaplan-Meier):
#   t=1: 6 at risk, 1 event -> S = 5/6
#   t=2: 5 at risk, 1 event (and 1 censored) -> S = 5/6 * 4/5 = 2/3
#   t=3: 3 at risk, 1 event -> S = 2/3 * 2/3 = 4/9
#   t=4: censored
#   t=5: 1 at risk, 1 event -> S = 0
HAND = pd.DataFrame({"t": [1, 2, 2, 3, 4, 5], "event": [1, 1, 0, 1, 0, 1]})
HAND_SURVIVAL = [1, 5 / 6, 2 / 3, 4 / 9, 0]


def test_kaplan_meier_matches_hand_table():
    curve = survival.kaplan_meier(HAND, "t", "event")
    assert curve["time"].tolist() == [0, 1, 2, 3, 5]
    assert curve["at_risk"].tolist() == [6, 6, 5, 3, 1]
    assert curve["events"].tolist() == [0, 1, 1, 1, 1]
    np.testing.assert_allclose(curve["survival"], HAND_SURVIVAL)
    # Greenwood at t=1: S * sqrt(d / (n (n - d))) = 5/6 * sqrt(1/30)
    assert curve["se"].iloc[1] == pytest.approx(5 / 6 * math.sqrt(1 / 30))
    # log-log interval at t=2 by hand: Greenwood variance sum d/(n(n-d)) = 1/30 + 1/20
    s, greenwood = 2 / 3, 1 / 30 + 1 / 20
    se_loglog = math.sqrt(greenwood) / abs(math.log(s))
    z = stats.norm.ppf(0.975)
    assert curve["low"].iloc[2] == pytest.approx(s ** math.exp(z * se_loglog))
    assert curve["high"].iloc[2] == pytest.approx(s ** math.exp(-z * se_loglog))
    # where the curve reaches 0 (and at the start, at 1) the log-log interval is missing, as in R
    assert curve[["low", "high"]].iloc[[0, -1]].isna().all().all()


def test_kaplan_meier_by_group_keeps_category_order():
    frame = pd.concat([HAND.assign(g="b"), HAND.assign(g="a", t=HAND.t * 2)], ignore_index=True)
    frame["g"] = pd.Categorical(frame["g"], categories=["b", "a"])
    curves = survival.kaplan_meier(frame, "t", "event", by="g")
    assert list(curves["g"].cat.categories) == ["b", "a"]
    assert curves["g"].iloc[0] == "b"
    np.testing.assert_allclose(curves.loc[curves.g == "a", "time"], [0, 2, 4, 6, 10])
    np.testing.assert_allclose(curves.loc[curves.g == "a", "survival"], HAND_SURVIVAL)


def test_median_survival_hand_and_not_reached():
    row = survival.median_survival(HAND, "t", "event").iloc[0]
    assert row["median"] == 3.0 and row.n == 6 and row.events == 4 and row.reached
    mostly_censored = pd.DataFrame({"t": [1, 2, 3, 4, 5], "event": [1, 0, 0, 0, 0]})
    row = survival.median_survival(mostly_censored, "t", "event").iloc[0]
    assert not row.reached and math.isnan(row["median"])


def test_restricted_mean_is_area_under_hand_curve():
    rmst = survival.restricted_mean(HAND, "t", "event", horizon=4)["rmst"].iloc[0]
    assert rmst == pytest.approx(1 + 5 / 6 + 2 / 3 + 4 / 9)
    rmst = survival.restricted_mean(HAND, "t", "event", horizon=2.5)["rmst"].iloc[0]
    assert rmst == pytest.approx(1 + 5 / 6 + 0.5 * 2 / 3)
    frame = pd.concat([HAND.assign(g="a"), HAND.assign(g="b", t=HAND.t * 2)], ignore_index=True)
    assert survival.restricted_mean(frame, "t", "event", by="g")["horizon"].tolist() == [5.0, 5.0]


def test_logrank_matches_scipy():
    rng = np.random.default_rng(1)
    n = 300
    group = np.repeat(["a", "b"], n // 2)
    time = np.ceil(rng.exponential(np.where(group == "a", 20, 30)))
    censor = rng.integers(1, 40, n)
    frame = pd.DataFrame({"g": group, "t": np.minimum(time, censor), "event": time <= censor})
    ours = survival.logrank(frame, "t", "event", "g").iloc[0]

    def censored(rows):
        return stats.CensoredData(uncensored=frame.t[rows & frame.event], right=frame.t[rows & ~frame.event])

    reference = stats.logrank(censored(frame.g == "a"), censored(frame.g == "b"))
    assert ours.statistic == pytest.approx(reference.statistic**2, rel=1e-6)
    assert ours.p_value == pytest.approx(reference.pvalue, rel=1e-6)
    assert ours.dof == 1 and ours["by"] == "g"


def test_logrank_tiny_p_values_are_not_zero():
    # telco's internet service and payment method differ with p far below 1e-16:
    # 1 - cdf would print 0; the survival function keeps the tail (R: 1e-113-ish)
    from csat_analysis import datasets

    telco = datasets.load("telco_churn")
    for column, exponent in (("internet_service", -100), ("payment_method", -150)):
        row = survival.logrank(telco, "tenure", "churn", column).iloc[0]
        assert 0 < row.p_value < 10.0**exponent
        assert row.p_value == pytest.approx(stats.chi2.sf(row.statistic, row.dof), rel=1e-12)


def test_kaplan_meier_matches_r_log_log_band():
    # R: survfit(Surv(t, e) ~ 1, conf.type = "log-log") on HAND (printed by survival 3.x)
    curve = survival.kaplan_meier(HAND, "t", "event")
    np.testing.assert_allclose(curve["low"].iloc[1:4], [0.27312285, 0.19461664, 0.06618675], rtol=1e-7)
    np.testing.assert_allclose(curve["high"].iloc[1:4], [0.9747124, 0.9044342, 0.7849084], rtol=1e-6)


def test_bad_inputs_name_column_and_rows():
    with pytest.raises(SurveyDataError, match=r"time column 't'.*-1 \(row 1\)"):
        survival.kaplan_meier(pd.DataFrame({"t": [1, -1], "event": [1, 0]}), "t", "event")
    with pytest.raises(SurveyDataError, match=r"event column 'event'.*'yes' \(row 0\)"):
        survival.kaplan_meier(pd.DataFrame({"t": [1, 2], "event": ["yes", 0]}), "t", "event")
    with pytest.raises(SurveyDataError, match="fewer than two levels"):
        survival.logrank(HAND.assign(g="a"), "t", "event", "g")
    with pytest.raises(SurveyDataError, match="horizon"):
        survival.restricted_mean(HAND, "t", "event", horizon=0)


def test_bands_take_no_log_of_zero_and_are_missing_where_undefined():
    # the curve is 1 before the first event and 0 after the last: the log(-log)
    # transform is undefined there, so the band is missing (as R's NA), with no RuntimeWarning
    import warnings

    frame = pd.DataFrame({"t": [1, 1, 2, 3, 3], "event": [0, 0, 1, 1, 1]})  # censored first, ends at 0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        curve = survival.kaplan_meier(frame, "t", "event")
        median = survival.median_survival(frame, "t", "event")
    edge = curve["survival"].isin([0.0, 1.0])
    assert edge.sum() == 2
    assert curve.loc[edge, ["low", "high"]].isna().all().all()
    inside = ~edge
    assert (curve.loc[inside, "low"] < curve.loc[inside, "survival"]).all()
    assert (curve.loc[inside, "survival"] < curve.loc[inside, "high"]).all()
    assert median["median"].item() == 3


def test_median_interval_matches_statsmodels_quantile_ci():
    # oracle: statsmodels' SurvfuncRight.quantile_ci (cloglog), which evaluates log(0)
    # at the curve's ends (its warnings are silenced here, in the oracle only)
    import warnings

    from statsmodels.duration.survfunc import SurvfuncRight

    rng = np.random.default_rng(7)
    for _ in range(50):
        n = int(rng.integers(5, 80))
        times = rng.integers(1, 25, n).astype(float)
        events = rng.random(n) < rng.uniform(0.3, 1.0)
        ours = survival.median_survival(pd.DataFrame({"t": times, "e": events}), "t", "e").iloc[0]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            low, high = SurvfuncRight(times, events.astype(int)).quantile_ci(0.5)
        expected = [v if np.isfinite(v) else np.nan for v in (low, high)]
        np.testing.assert_allclose([ours["low"], ours["high"]], expected)
