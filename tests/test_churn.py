"""csat_analysis.churn against hand-computed values, worked examples from churn-management training material
and reference libraries."""

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from csat_analysis import churn as ch
from csat_analysis.errors import ModelSpecError, ParameterError, SurveyDataError

# A tiny survival table worked by hand (Kaplan-Meier):
#   t=1: 6 at risk, 1 event -> S = 5/6
#   t=2: 5 at risk, 1 event (and 1 censored) -> S = 5/6 * 4/5 = 2/3
#   t=3: 3 at risk, 1 event -> S = 2/3 * 2/3 = 4/9
#   t=4: censored
#   t=5: 1 at risk, 1 event -> S = 0
HAND = pd.DataFrame({"months": [1, 2, 2, 3, 4, 5], "left": [1, 1, 0, 1, 0, 1]})
HAND_SURVIVAL = [1, 5 / 6, 2 / 3, 4 / 9, 0]


# --- worked examples from churn-management training material ------------------------------------------------------


def test_worked_examples_match_the_published_arithmetic():
    table = ch.worked_examples().set_index("example")
    a, b, b_last = table.loc["A"], table.loc["B"], table.loc["B at last year's revenue"]
    assert a.churned == 200
    assert round(100 * a.rate_start, 2) == 6.67
    assert round(100 * a.rate_end, 2) == 6.06
    assert a.lost_revenue == 30_000 and a.churn_loss == pytest.approx(1_500)
    assert b.churned == 30_000
    assert b.rate_start == pytest.approx(0.10) and b.rate_end == pytest.approx(0.09375)
    assert b.churn_loss == pytest.approx(810_000)
    assert b_last.churn_loss == pytest.approx(900_000)


def test_tier_example_gives_the_quoted_tier_rates():
    tiers = ch.tier_example().set_index("tier")
    # churned = start - (end - new): A 50 - (32 - 3) = 21, B 300 - (246 - 15) = 69
    assert tiers.loc["A", "churned"] == 21 and tiers.loc["B", "churned"] == 69
    assert tiers.loc["A", "rate_start"] == pytest.approx(0.42)
    assert tiers.loc["B", "rate_start"] == pytest.approx(0.23)
    assert tiers.loc["A", "rate_end"] == pytest.approx(21 / 32)


# --- churn rates -------------------------------------------------------------------------


def test_tenure_bands_are_closed_on_the_left_and_ordered():
    bands = ch.tenure_bands(pd.Series([0, 5.9, 6, 11, 12, 47, 48, 100]))
    assert bands.tolist() == ["0-5", "0-5", "6-11", "6-11", "12-23", "24-47", "48+", "48+"]
    assert list(bands.cat.categories) == ["0-5", "6-11", "12-23", "24-47", "48+"]
    assert bands.cat.ordered
    with pytest.raises(SurveyDataError, match="outside"):
        ch.tenure_bands([-1, 3])


def test_churn_by_segment_counts_and_wilson_interval():
    frame = pd.DataFrame(
        {
            "plan": ["a"] * 10 + ["b"] * 5,
            "left": [1, 1, 1, 0, 0, 0, 0, 0, 0, 0] + [1, 1, 0, 0, 0],
        }
    )
    table = ch.churn_by_segment(frame, "left", by="plan").set_index("plan")
    assert table.loc["a", ["n", "churned", "start", "end", "new"]].tolist() == [10, 3, 10, 7, 0]
    assert table.loc["a", "rate"] == pytest.approx(0.3)
    low, high = proportion_confint(3, 10, method="wilson")
    assert (table.loc["a", "low"], table.loc["a", "high"]) == pytest.approx((low, high))
    low, high = proportion_confint(2, 5, method="wilson", alpha=0.10)
    b = ch.churn_by_segment(frame, "left", by="plan", ci=0.90).set_index("plan").loc["b"]
    assert (b.low, b.high) == pytest.approx((low, high))


def test_churn_by_segment_period_counts_and_end_base():
    # tenure < 1 month: new in the period. n=6, new=2 (tenure 0), start=4, churned=2, end=4
    frame = pd.DataFrame({"left": [1, 1, 0, 0, 0, 0], "months": [3, 5, 0, 0, 8, 9]})
    start_based = ch.churn_by_segment(frame, "left", tenure="months").iloc[0]
    end_based = ch.churn_by_segment(frame, "left", tenure="months", base="end").iloc[0]
    assert start_based[["n", "new", "start", "end", "churned"]].tolist() == [6, 2, 4, 4, 2]
    assert start_based.rate == pytest.approx(2 / 4)
    assert end_based.rate == pytest.approx(2 / 4) and end_based.rate_end == pytest.approx(2 / 4)
    low, high = proportion_confint(2, 4, method="wilson")
    assert (start_based.low, start_based.high) == pytest.approx((low, high))
    # the end-based bound maps a churned share q of the 4 starters to q*4 / (4*(1-q) + 2)
    assert end_based.low == pytest.approx(low * 4 / (4 * (1 - low) + 2))
    assert end_based.high == pytest.approx(high * 4 / (4 * (1 - high) + 2))


def test_churn_by_segment_weights_use_weighted_counts_and_kish_n():
    frame = pd.DataFrame({"left": [1, 0, 0, 1], "w": [2.0, 1.0, 1.0, 4.0]})
    row = ch.churn_by_segment(frame, "left", weights="w").iloc[0]
    assert row.churned == pytest.approx(6) and row.start == pytest.approx(8)
    assert row.rate == pytest.approx(6 / 8)
    assert row.n_eff == pytest.approx(64 / 22)


def test_churn_by_segment_weights_as_a_vector_equal_the_column():
    frame = pd.DataFrame({"left": [1, 0, 0, 1, 1], "plan": list("aabbb"), "w": [2.0, 1.0, 1.0, 4.0, 0.5]})
    by_column = ch.churn_by_segment(frame, "left", by="plan", weights="w")
    by_vector = ch.churn_by_segment(frame.drop(columns="w"), "left", by="plan", weights=frame["w"].to_numpy())
    pd.testing.assert_frame_equal(by_column, by_vector)
    with pytest.raises(ParameterError, match=r"one weight per row \(5\), got 2"):
        ch.churn_by_segment(frame, "left", weights=[1.0, 2.0])
    with pytest.raises(SurveyDataError, match=r"positive.*-1.0 \(row 2\)"):
        ch.churn_by_segment(frame, "left", weights=[1.0, 2.0, -1.0, 1.0, 1.0])


def test_argument_mistakes_are_parameter_errors():
    frame = pd.DataFrame({"left": [1, 0], "months": [1, 2]})
    with pytest.raises(ParameterError, match="base='middle' is not valid"):
        ch.churn_by_segment(frame, "left", base="middle")
    with pytest.raises(ParameterError, match="edges must increase"):
        ch.tenure_bands([1, 2], edges=[0, 5, 3])
    with pytest.raises(ParameterError, match="horizon must be positive"):
        ch.restricted_mean_lifetime(frame, "months", "left", horizon=0)
    with pytest.raises(ParameterError, match="monthly_hazard"):
        ch.geometric_lifetime(1.5, horizon=10)
    with pytest.raises(ParameterError, match="at least one segment"):
        ch.for_each_segment(ch.median_lifetime, frame, [], tenure="months", churn="left")


def test_churn_by_segment_all_churned_segment_has_undefined_end_rate():
    frame = pd.DataFrame({"plan": ["a", "a", "b"], "left": [True, True, False]})
    table = ch.churn_by_segment(frame, "left", by="plan").set_index("plan")
    assert table.loc["a", "rate_start"] == 1.0
    assert math.isnan(table.loc["a", "rate_end"])
    assert table.loc["b", "rate_end"] == 0.0


def test_churn_by_segments_is_long_and_keeps_category_order():
    frame = pd.DataFrame(
        {
            "band": pd.Categorical(["late", "early", "late"], categories=["early", "late"], ordered=True),
            "left": [True, False, False],
        }
    )
    table = ch.churn_by_segments(frame, "left", ["band"])
    assert table["level"].tolist() == ["early", "late"]
    assert table["rate"].tolist() == [0.0, 0.5]


@pytest.mark.parametrize(
    "values, message",
    [
        ([1, None, 0], r"missing values nan \(row 1\)"),
        (["yes", "no", "no"], r"'yes' \(row 0\)"),
        ([0, 2, 1], r"2 \(row 1\)"),
    ],
)
def test_bad_churn_column_names_column_and_rows(values, message):
    frame = pd.DataFrame({"left": values, "months": [1, 2, 3]})
    with pytest.raises(SurveyDataError, match=message):
        ch.churn_by_segment(frame, "left")


def test_bad_tenure_and_missing_segment_are_errors():
    frame = pd.DataFrame({"left": [1, 0], "months": [-3, 2], "plan": ["a", None]})
    with pytest.raises(SurveyDataError, match=r"tenure column 'months'.*-3 \(row 0\)"):
        ch.retention_curves(frame, "months", "left")
    with pytest.raises(SurveyDataError, match=r"segment column 'plan'.*row 1"):
        ch.churn_by_segment(frame, "left", by="plan")
    with pytest.raises(SurveyDataError, match="available columns"):
        ch.churn_by_segment(frame, "gone")


# --- retention curves ----------------------------------------------------------------------


def test_retention_curves_are_kaplan_meier_of_tenure_and_churn():
    # the hand-computed curve itself is tested in test_survival.py
    curve = ch.retention_curves(HAND, "months", "left")
    np.testing.assert_allclose(curve["survival"], HAND_SURVIVAL)
    assert curve["at_risk"].tolist() == [6, 6, 5, 3, 1]


def _logrank_by_hand(time, event, group):
    """Two-group log-rank chi-square from the textbook sums of O - E and the hypergeometric variance."""
    time, event, group = map(np.asarray, (time, event, group))
    observed_minus_expected, variance = 0.0, 0.0
    for t in np.unique(time[event == 1]):
        at_risk = time >= t
        n, n_a = at_risk.sum(), (at_risk & (group == group[0])).sum()
        d = ((time == t) & (event == 1)).sum()
        d_a = ((time == t) & (event == 1) & (group == group[0])).sum()
        observed_minus_expected += d_a - d * n_a / n
        if n > 1:
            variance += d * (n_a / n) * (1 - n_a / n) * (n - d) / (n - 1)
    return observed_minus_expected**2 / variance


def test_logrank_names_the_segment_and_matches_the_textbook_statistic():
    frame = pd.DataFrame(
        {"months": [1, 2, 3, 4, 5, 6, 2, 3, 7, 8], "left": [1, 1, 1, 0, 0, 1, 0, 1, 1, 0], "plan": list("aaabbbabba")}
    )
    table = ch.logrank(frame, "months", "left", "plan")
    assert list(table.columns) == ["segment", "groups", "statistic", "dof", "p_value"]
    row = table.iloc[0]
    assert row.segment == "plan" and row.groups == 2 and row.dof == 1
    statistic = _logrank_by_hand(frame.months, frame.left, frame.plan)
    assert row.statistic == pytest.approx(statistic, rel=1e-9)
    assert row.p_value == pytest.approx(stats.chi2.sf(statistic, 1), rel=1e-9)


def test_logrank_by_segment_stacks_one_row_per_segment_column():
    frame = HAND.assign(plan=list("aabbab"), region=list("nnnsss"))
    table = ch.logrank_by_segment(frame, "months", "left", ["plan", "region"])
    assert table["segment"].tolist() == ["plan", "region"]
    assert table.loc[1, "statistic"] == pytest.approx(ch.logrank(frame, "months", "left", "region").statistic.iloc[0])
    assert ch.logrank_by_segment(frame, "months", "left", []).empty


def test_retention_curves_by_segment_keep_segment_column():
    frame = pd.concat([HAND.assign(plan="a"), HAND.assign(plan="b", months=HAND.months * 2)], ignore_index=True)
    curves = ch.retention_curves(frame, "months", "left", by="plan")
    b = curves[curves.plan == "b"]
    assert b["time"].tolist() == [0, 2, 4, 6, 10]
    np.testing.assert_allclose(b["survival"], HAND_SURVIVAL)


def test_median_lifetime_hand_and_not_reached():
    assert ch.median_lifetime(HAND, "months", "left")["median"].iloc[0] == 3.0
    mostly_active = pd.DataFrame({"months": [1, 2, 3, 4, 5], "left": [1, 0, 0, 0, 0]})
    row = ch.median_lifetime(mostly_active, "months", "left").iloc[0]
    assert not row.reached and math.isnan(row["median"])


def test_restricted_mean_lifetime_is_area_under_hand_curve():
    # area to 4 months: 1*1 + 5/6*1 + 2/3*1 + 4/9*1 (partial steps: tests/test_survival.py)
    rmst = ch.restricted_mean_lifetime(HAND, "months", "left", horizon=4)["rmst"].iloc[0]
    assert rmst == pytest.approx(1 + 5 / 6 + 2 / 3 + 4 / 9)
    # default horizon: the shortest of the segments' longest tenures
    frame = pd.concat([HAND.assign(plan="a"), HAND.assign(plan="b", months=HAND.months * 2)], ignore_index=True)
    assert ch.restricted_mean_lifetime(frame, "months", "left", by="plan")["horizon"].tolist() == [5.0, 5.0]


def test_kaplan_meier_recovers_geometric_truth():
    hazard, n = 0.05, 40_000
    rng = np.random.default_rng(7)
    time_to_churn = rng.geometric(hazard, n)
    exposure = rng.integers(1, 61, n)
    frame = pd.DataFrame({"months": np.minimum(time_to_churn, exposure), "left": time_to_churn <= exposure})
    truth = ch.geometric_lifetime(hazard, horizon=60)
    assert truth["median"] == math.ceil(math.log(0.5) / math.log(1 - hazard))
    assert truth["rmst"] == pytest.approx((1 - (1 - hazard) ** 60) / hazard)
    assert ch.median_lifetime(frame, "months", "left")["median"].iloc[0] == truth["median"]
    rmst = ch.restricted_mean_lifetime(frame, "months", "left", horizon=60)["rmst"].iloc[0]
    assert rmst == pytest.approx(truth["rmst"], rel=0.02)


# --- drivers ----------------------------------------------------------------------------------


def test_churn_drivers_reports_levels_and_cross_product_odds_ratio():
    # plan b: 6 churned / 4 stayed; plan a: 3 churned / 7 stayed -> OR = (6*7)/(4*3) = 3.5
    frame = pd.DataFrame({"left": [1] * 3 + [0] * 7 + [1] * 6 + [0] * 4, "plan": ["a"] * 10 + ["b"] * 10})
    drivers = ch.churn_drivers(frame, "left", ["plan"])
    row = drivers.table.iloc[0]
    assert row.term == "plan: b" and row.variable == "plan" and row.level == "b"
    assert row.odds_ratio == pytest.approx(6 * 7 / (4 * 3), rel=1e-6)
    assert drivers.n == 20


def test_churn_drivers_quotes_awkward_names_and_numeric_terms():
    rng = np.random.default_rng(3)
    x = rng.normal(size=400)
    frame = pd.DataFrame(
        {
            "monthly charge": x,
            "has plan?": rng.random(400) < 0.5,
            "left": rng.random(400) < 1 / (1 + np.exp(-(0.8 * x))),
        }
    )
    table = ch.churn_drivers(frame, "left", ["monthly charge", "has plan?"]).table.set_index("term")
    assert set(table.index) == {"monthly charge", "has plan?: True"}
    assert 1.5 < table.loc["monthly charge", "odds_ratio"] < 3.5  # true OR exp(0.8) = 2.23


def test_churn_drivers_separation_is_model_spec_error():
    frame = pd.DataFrame({"left": [1, 1, 1, 0, 0, 0], "plan": ["a", "a", "a", "b", "b", "b"]})
    with pytest.raises(ModelSpecError, match="did not converge|cannot be estimated"):
        ch.churn_drivers(frame, "left", ["plan"])


def test_churn_drivers_missing_covariate_names_rows():
    frame = pd.DataFrame({"left": [1, 0, 1], "x": [1.0, None, 2.0]})
    with pytest.raises(SurveyDataError, match=r"'x'.*row 1"):
        ch.churn_drivers(frame, "left", ["x"])


# --- lifetime value ------------------------------------------------------------------------------


def test_lifetime_value_hand_computed():
    frame = HAND.assign(revenue=[10.0, 10.0, 20.0, 20.0, 10.0, 10.0])
    row = ch.lifetime_value(
        frame, "months", "left", monthly_revenue="revenue", margin=0.5, acquisition_cost=2, retention_cost=1, horizon=4
    ).iloc[0]
    # revenue so far: 10*1 + 10*2 + 20*2 + 20*3 + 10*4 + 10*5 = 220; customer-months 17
    assert row.clv_to_date == pytest.approx((220 - 2 * 6 - 1 * 17) / 6)
    lifetime = 1 + 5 / 6 + 2 / 3 + 4 / 9
    mean_revenue = 80 / 6
    assert row.expected_lifetime == pytest.approx(lifetime)
    assert row.clv_expected == pytest.approx(0.5 * mean_revenue * lifetime - 2 - 1 * lifetime)


def test_lifetime_value_rejects_bad_assumptions():
    frame = HAND.assign(revenue=10.0)
    with pytest.raises(ParameterError, match="margin"):
        ch.lifetime_value(frame, "months", "left", monthly_revenue="revenue", margin=1.5)
    with pytest.raises(ParameterError, match="acquisition_cost"):
        ch.lifetime_value(frame, "months", "left", monthly_revenue="revenue", margin=0.2, acquisition_cost=-1)
    with pytest.raises(ParameterError, match="retention_cost='lots'"):
        ch.lifetime_value(frame, "months", "left", monthly_revenue="revenue", margin=0.2, retention_cost="lots")


# --- causes -----------------------------------------------------------------------------------------


def test_churn_causes_shares_flags_and_quoted_shares():
    causes = pd.Categorical(
        ["quality"] * 3 + ["moved"] + ["indifference"] * 6 + [None] * 5, categories=list(ch.CAUSE_SHARES)
    )
    frame = pd.DataFrame({"why": causes, "left": [True] * 10 + [False] * 5})
    table = ch.churn_causes(frame, "why", churn="left").set_index("cause")
    assert list(table.index) == list(ch.CAUSE_SHARES)  # category order, empty causes kept
    assert table.loc["indifference", "share"] == pytest.approx(0.6)
    assert table.loc["death", "n"] == 0
    low, high = proportion_confint(3, 10, method="wilson")
    assert (table.loc["quality", "low"], table.loc["quality", "high"]) == pytest.approx((low, high))
    assert table.loc[table.controllable].index.tolist() == ["competitor", "quality", "indifference"]
    assert table.loc["indifference", "quoted_share"] == 0.68
    assert sum(ch.CAUSE_SHARES.values()) == pytest.approx(1)


def test_churned_customer_without_cause_is_an_error():
    frame = pd.DataFrame({"why": ["quality", None], "left": [True, True]})
    with pytest.raises(SurveyDataError, match=r"without a cause.*row 1"):
        ch.churn_causes(frame, "why", churn="left")


def test_churn_drivers_table_uses_p_value():
    frame = pd.DataFrame({"left": [1] * 3 + [0] * 7 + [1] * 6 + [0] * 4, "plan": ["a"] * 10 + ["b"] * 10})
    table = ch.churn_drivers(frame, "left", ["plan"]).table
    assert {"odds_ratio", "low", "high", "p_value"} <= set(table.columns) and "pvalue" not in table.columns
    # Wald test of the log odds ratio log(3.5) with se sqrt(1/6 + 1/4 + 1/3 + 1/7)
    z = math.log(3.5) / math.sqrt(1 / 6 + 1 / 4 + 1 / 3 + 1 / 7)
    assert table.p_value.iloc[0] == pytest.approx(2 * stats.norm.sf(z), rel=1e-5)


# --- known truth --------------------------------------------------------------------------------------


def test_simulation_check_compares_km_with_geometric_truth():
    rng = np.random.default_rng(11)
    n = 20_000
    repurchase = rng.random(n) < 0.5
    hazard = np.where(repurchase, 0.02, 0.08)
    time_to_churn = rng.geometric(hazard)
    exposure = rng.integers(1, 61, n)
    frame = pd.DataFrame(
        {"m": np.minimum(time_to_churn, exposure), "left": time_to_churn <= exposure, "repurchase": repurchase}
    )
    check = ch.simulation_check(frame, "m", "left", {"repurchase": 0.02, "no_repurchase": 0.08}).set_index("repurchase")
    # true medians: ceil(log 0.5 / log(1 - h)) = 35 and 9 months
    assert check.loc[True, "true_median"] == 35 and check.loc[False, "true_median"] == 9
    assert check.loc[False, "km_median"] == 9
    assert check["km_rmst"].to_numpy() == pytest.approx(check["true_rmst"].to_numpy(), rel=0.03)
    assert (check["horizon"] == 60).all()


def test_retention_curves_by_segment_is_long_and_has_an_all_customers_curve():
    frame = HAND.assign(plan=list("aabbab"))
    curves = ch.retention_curves_by_segment(frame, "months", "left", ["plan"])
    assert set(curves["segment"]) == {"plan"} and set(curves["level"]) == {"a", "b"}
    a = curves[curves.level == "a"]
    single = ch.retention_curves(frame[frame.plan == "a"], "months", "left")
    np.testing.assert_allclose(a["survival"].to_numpy(), single["survival"].to_numpy())
    everyone = ch.retention_curves_by_segment(frame, "months", "left", [])
    assert everyone["segment"].unique().tolist() == ["all customers"]
    np.testing.assert_allclose(everyone["survival"], HAND_SURVIVAL)


# --- design-based weighted churn rates, p-value floor, segment tests -------------------------------------------


def _linearised_ratio_se(churned, at_start, weights, n_units=None):
    """Standard error of sum(w y) / sum(w x) by the textbook linearisation (with-replacement, one stratum).

    z_i = w_i (y_i - R x_i) / X; var = n / (n - 1) * sum((z_i - mean z)^2): Cochran (1977) 6.9, R svyratio.
    """
    y, x, w = (np.asarray(a, dtype=float) for a in (churned, at_start, weights))
    ratio = np.sum(w * y) / np.sum(w * x)
    z = w * (y - ratio * x) / np.sum(w * x)
    n = len(z)
    return ratio, math.sqrt(n / (n - 1) * np.sum((z - z.mean()) ** 2))


def test_weighted_churn_rate_interval_is_the_linearised_ratio_on_the_logit_scale():
    rng = np.random.default_rng(7)
    n = 400
    frame = pd.DataFrame(
        {
            "left": rng.random(n) < 0.3,
            "months": rng.integers(0, 30, n).astype(float),
            "w": rng.uniform(0.3, 3.0, n),
            "plan": rng.choice(["a", "b"], n),
        }
    )
    table = ch.churn_by_segment(frame, "left", tenure="months", weights="w")
    at_start = (frame.months >= 1).to_numpy()
    ratio, se = _linearised_ratio_se(frame.left, at_start, frame.w)
    assert table.rate.iloc[0] == pytest.approx(ratio, rel=1e-12)
    z = stats.norm.ppf(0.975)
    logit, spread = math.log(ratio / (1 - ratio)), z * se / (ratio * (1 - ratio))
    assert table.low.iloc[0] == pytest.approx(1 / (1 + math.exp(-(logit - spread))), rel=1e-10)
    assert table.high.iloc[0] == pytest.approx(1 / (1 + math.exp(-(logit + spread))), rel=1e-10)
    # per segment: the domain linearisation z_i = w_i 1[i in d] (y_i - R_d x_i) / X_d over the whole sample
    by_plan = ch.churn_by_segment(frame, "left", by="plan", tenure="months", weights="w").set_index("plan")
    for level in ("a", "b"):
        inside = (frame.plan == level).to_numpy()
        y, x, w = frame.left.to_numpy() * inside, at_start * inside, frame.w.to_numpy()
        r = np.sum(w * y) / np.sum(w * x)
        zi = w * (y - r * x) / np.sum(w * x)
        se_d = math.sqrt(n / (n - 1) * np.sum((zi - zi.mean()) ** 2))
        spread = z * se_d / (r * (1 - r))
        assert by_plan.loc[level, "low"] == pytest.approx(
            1 / (1 + math.exp(-(math.log(r / (1 - r)) - spread))), rel=1e-10
        )


def test_weighted_churn_rate_without_new_customers_matches_the_design_proportion():
    from csat_analysis.design import SurveyDesign

    frame = pd.DataFrame(
        {
            "left": [1, 0, 0, 1, 0, 0, 1, 0],
            "months": [3, 5, 7, 9, 2, 4, 6, 8],
            "w": [1.0, 2.0, 0.5, 1.5, 1.0, 1.0, 2.5, 0.5],
        }
    )
    row = ch.churn_by_segment(frame, "left", tenure="months", weights="w").iloc[0]
    design = SurveyDesign(frame, weights="w").proportion("left", 1)
    assert row.rate == pytest.approx(design.value)
    # the logit interval has the design's standard error at its centre: back out se from the interval width
    z = stats.norm.ppf(0.975)
    se = (math.log(row.high / (1 - row.high)) - math.log(row.low / (1 - row.low))) / (2 * z) * row.rate * (1 - row.rate)
    assert se == pytest.approx(design.se, rel=1e-10)


def test_log_rank_p_value_underflow_is_floored_not_zero():
    # 3,000 customers who all churn in month 1 against 3,000 who never do: chi-square far beyond 1e-308
    frame = pd.DataFrame(
        {"months": [1.0] * 3000 + [24.0] * 3000, "left": [1] * 3000 + [0] * 3000, "plan": ["a"] * 3000 + ["b"] * 3000}
    )
    row = ch.logrank(frame, "months", "left", "plan").iloc[0]
    assert stats.chi2.sf(row.statistic, 1) == 0.0  # the raw tail underflows
    assert row.p_value == ch.P_VALUE_FLOOR > 0
    from csat_analysis import formatting

    assert formatting.p_value(row.p_value) == "< 0.001"


def test_segment_association_matches_scipy_chi_square_and_cramers_v():
    rng = np.random.default_rng(3)
    frame = pd.DataFrame({"left": rng.random(300) < 0.3, "plan": rng.choice(list("abc"), 300), "one": "x"})
    table = ch.segment_association(frame, "left", ["plan", "one"]).set_index("segment")
    counts = pd.crosstab(frame.plan, frame.left).to_numpy()
    chi2, p, dof, _ = stats.chi2_contingency(counts, correction=False)
    row = table.loc["plan"]
    assert row.statistic == pytest.approx(chi2, rel=1e-12) and row.dof == dof and row.p_value == pytest.approx(p)
    assert row.cramers_v == pytest.approx(math.sqrt(chi2 / (300 * 1)), rel=1e-12)
    assert row.low <= row.cramers_v <= row.high
    # a single level cannot be tested: its row is there, with missing statistics
    assert table.loc["one", "groups"] == 1 and np.isnan(table.loc["one", "statistic"])
