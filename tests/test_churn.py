"""csat_analysis.churn against hand-computed values, the brief's worked examples and reference libraries."""

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from csat_analysis import churn as ch
from csat_analysis.datasets import StudyData
from csat_analysis.errors import ModelSpecError, StudyError, SurveyDataError

# A tiny survival table worked by hand (Kaplan-Meier):
#   t=1: 6 at risk, 1 event -> S = 5/6
#   t=2: 5 at risk, 1 event (and 1 censored) -> S = 5/6 * 4/5 = 2/3
#   t=3: 3 at risk, 1 event -> S = 2/3 * 2/3 = 4/9
#   t=4: censored
#   t=5: 1 at risk, 1 event -> S = 0
HAND = pd.DataFrame({"months": [1, 2, 2, 3, 4, 5], "left": [1, 1, 0, 1, 0, 1]})
HAND_SURVIVAL = [1, 5 / 6, 2 / 3, 4 / 9, 0]


# --- the brief's worked examples ------------------------------------------------------


def test_worked_examples_match_the_brief():
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


def test_tier_example_gives_the_seed_rates():
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
    frame = pd.DataFrame({
        "plan": ["a"] * 10 + ["b"] * 5,
        "left": [1, 1, 1, 0, 0, 0, 0, 0, 0, 0] + [1, 1, 0, 0, 0],
    })
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


def test_churn_by_segment_all_churned_segment_has_undefined_end_rate():
    frame = pd.DataFrame({"plan": ["a", "a", "b"], "left": [True, True, False]})
    table = ch.churn_by_segment(frame, "left", by="plan").set_index("plan")
    assert table.loc["a", "rate_start"] == 1.0
    assert math.isnan(table.loc["a", "rate_end"])
    assert table.loc["b", "rate_end"] == 0.0


def test_churn_by_segments_is_long_and_keeps_category_order():
    frame = pd.DataFrame({"band": pd.Categorical(["late", "early", "late"], categories=["early", "late"], ordered=True),
                          "left": [True, False, False]})
    table = ch.churn_by_segments(frame, "left", ["band"])
    assert table["level"].tolist() == ["early", "late"]
    assert table["rate"].tolist() == [0.0, 0.5]


@pytest.mark.parametrize("values, message", [
    ([1, None, 0], r"missing values nan \(row 1\)"),
    (["yes", "no", "no"], r"'yes' \(row 0\)"),
    ([0, 2, 1], r"2 \(row 1\)"),
])
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


def test_logrank_names_the_segment():
    frame = pd.DataFrame({"months": [1, 2, 3, 4, 5, 6], "left": [1, 1, 1, 0, 0, 1], "plan": list("aaabbb")})
    row = ch.logrank(frame, "months", "left", "plan").iloc[0]
    assert row.segment == "plan" and row.groups == 2 and row.df == 1


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
    frame = pd.DataFrame({"monthly charge": x, "has plan?": rng.random(400) < 0.5,
                          "left": rng.random(400) < 1 / (1 + np.exp(-(0.8 * x)))})
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
    row = ch.lifetime_value(frame, "months", "left", monthly_revenue="revenue", margin=0.5,
                            acquisition_cost=2, retention_cost=1, horizon=4).iloc[0]
    # revenue so far: 10*1 + 10*2 + 20*2 + 20*3 + 10*4 + 10*5 = 220; customer-months 17
    assert row.clv_seed == pytest.approx((220 - 2 * 6 - 1 * 17) / 6)
    lifetime = 1 + 5 / 6 + 2 / 3 + 4 / 9
    mean_revenue = 80 / 6
    assert row.expected_lifetime == pytest.approx(lifetime)
    assert row.clv_expected == pytest.approx(0.5 * mean_revenue * lifetime - 2 - 1 * lifetime)


def test_lifetime_value_rejects_bad_assumptions():
    frame = HAND.assign(revenue=10.0)
    with pytest.raises(SurveyDataError, match="margin"):
        ch.lifetime_value(frame, "months", "left", monthly_revenue="revenue", margin=1.5)
    with pytest.raises(SurveyDataError, match="acquisition_cost"):
        ch.lifetime_value(frame, "months", "left", monthly_revenue="revenue", margin=0.2, acquisition_cost=-1)
    with pytest.raises(StudyError, match="margin"):
        ch.check_assumptions(2, 0, 0)
    with pytest.raises(StudyError, match="retention_cost"):
        ch.check_assumptions(0.2, 0, "lots")


# --- causes -----------------------------------------------------------------------------------------


def test_churn_causes_shares_flags_and_seed_shares():
    causes = pd.Categorical(["quality"] * 3 + ["moved"] + ["indifference"] * 6 + [None] * 5,
                            categories=list(ch.CAUSE_SHARES))
    frame = pd.DataFrame({"why": causes, "left": [True] * 10 + [False] * 5})
    table = ch.churn_causes(frame, "why", churn="left").set_index("cause")
    assert list(table.index) == list(ch.CAUSE_SHARES)  # category order, empty causes kept
    assert table.loc["indifference", "share"] == pytest.approx(0.6)
    assert table.loc["death", "n"] == 0
    low, high = proportion_confint(3, 10, method="wilson")
    assert (table.loc["quality", "low"], table.loc["quality", "high"]) == pytest.approx((low, high))
    assert table.loc[table.controllable].index.tolist() == ["competitor", "quality", "indifference"]
    assert table.loc["indifference", "seed_share"] == 0.68
    assert sum(ch.CAUSE_SHARES.values()) == pytest.approx(1)


def test_churned_customer_without_cause_is_an_error():
    frame = pd.DataFrame({"why": ["quality", None], "left": [True, True]})
    with pytest.raises(SurveyDataError, match=r"without a cause.*row 1"):
        ch.churn_causes(frame, "why", churn="left")


# --- notebook set-up ----------------------------------------------------------------------------------


def test_setup_study_defaults_for_service_calls_convert_days():
    frame = pd.DataFrame({"account_length": [30.4, 304.0], "churn": [True, False], "number_customer_service_calls": [0, 7],
                          **{f"total_{p}_charge": [1.0, 2.0] for p in ["day", "eve", "night", "intl"]}})
    setup = ch.setup_study(frame, "service_calls_churn", segments=["service_calls"])
    assert setup.data["tenure_months"].tolist() == pytest.approx([1.0, 10.0])
    assert setup.data["service_calls"].astype(str).tolist() == ["0", "4+"]
    assert setup.data["monthly_charges"].tolist() == [4.0, 8.0]
    assert setup.tenure_unit == "days" and setup.monthly_revenue == "monthly_charges"


def test_setup_study_wrong_names_fail_with_choices():
    frame = pd.DataFrame({"months": [1, 2], "left": [True, False], "plan": ["a", "b"]})
    with pytest.raises(StudyError, match=r"segments: 'plna' not in the data; choose from: .*plan.*tenure_band"):
        ch.setup_study(frame, "user", segments=["plna"], tenure="months", churn="left")
    with pytest.raises(StudyError, match=r"tenure: .*'month'.*available columns: months, left, plan"):
        ch.setup_study(frame, "user", segments="plan", tenure="month", churn="left")
    with pytest.raises(StudyError, match="give the churn column"):
        ch.setup_study(frame, "user", segments="plan", tenure="months")
    with pytest.raises(StudyError, match="'telco_churn', 'service_calls_churn', 'simulated'"):
        ch.dataset_key(StudyData(pd.DataFrame(), "mobi", "real", "Real data: mobi"))


# --- report pieces: finding sentences and result objects (hand-made inputs) -----------------


def _overall(base="start"):
    # 10 starters (tenure >= 1), 2 new; 3 churned -> end 9; start base 3/10, end base 3/9
    frame = pd.DataFrame({"left": [1, 1, 1] + [0] * 9, "months": [5] * 10 + [0, 0]})
    return ch.churn_by_segment(frame, "left", tenure="months", base=base).iloc[0]


def test_overall_finding_and_results_name_rate_base_interval_and_other_base():
    row = _overall()
    low, high = proportion_confint(3, 10, method="wilson")
    text = ch.overall_finding(row)
    assert "Of 12 customers, 3 churned" in text and "**30.0%** of customers at the start" in text
    assert f"{100 * low:.1f}% to {100 * high:.1f}%" in text and "on the end count it is 33.3%" in text
    end_text = ch.overall_finding(_overall("end"), weighted=True)
    assert "**33.3%** of customers at the end" in end_text and "on the start count it is 30.0%" in end_text
    assert "weighted counts" in end_text
    assert ch.overall_results(row) == {"n_customers": 12, "churn_rate": pytest.approx(0.3),
                                       "churn_rate_low": pytest.approx(low), "churn_rate_high": pytest.approx(high),
                                       "churn_base": "start"}


def test_segment_finding_picks_widest_spread():
    table = pd.DataFrame({"segment": ["plan", "plan", "region", "region", "region"],
                          "level": ["a", "b", "n", "s", "w"], "rate": [0.10, 0.40, 0.20, 0.25, np.nan]})
    top, bottom = ch.widest_segment(table)
    assert (top.level, bottom.level) == ("b", "a")
    assert ch.segment_finding(table) == "Churn differs most by `plan`: 40.0% for b against 10.0% for a."


def test_examples_and_tier_findings_quote_the_seed_numbers():
    text = ch.examples_finding(ch.worked_examples())
    for piece in ["200 of 3,000 outlets", "6.7% of the start count", "6.1% by the seed's end count", "1,500k",
                  "30,000 subscribers", "10.0% (9.4% by the end count)", "810,000", "900,000"]:
        assert piece in text
    results = ch.examples_results(ch.worked_examples())
    assert results["example_a"]["churn_loss"] == pytest.approx(1500)
    assert results["example_b"]["rate_end"] == pytest.approx(0.09375)
    tiers = pd.DataFrame({"tier": ["low", "high"], "rate_start": [0.1, 0.5], "rate_end": [0.12, 0.9]})
    assert ch.tier_finding(tiers).startswith("Tier high loses 50.0% of its dealers against 10.0% in tier low.")


def test_drivers_finding_both_directions_and_none():
    table = pd.DataFrame({"term": ["x", "y", "z", "w"], "odds_ratio": [1.5, 3.0, 0.8, 0.2],
                          "pvalue": [0.01, 0.2, 0.001, 0.3]})
    text = ch.drivers_finding(table)
    # y (3.0) and w (0.2) are not significant: x and z are the strongest significant terms
    assert "risk factor is x (odds ratio 1.50)" in text and "protection is z (odds ratio 0.80)" in text
    assert "2 of 4 terms are significant" in text
    only_risk = ch.drivers_finding(table[table.odds_ratio > 1])
    assert "protection" not in only_risk and "1 of 2 terms" in only_risk
    assert ch.drivers_finding(table.assign(pvalue=0.5)) == "No term is significant at the 5% level (0 of 4)."


def test_lifetimes_summary_finding_reached_and_not():
    # plan a: S = 2/3, 1/3 at months 1, 2 -> median 2; plan b: nobody churns
    frame = pd.DataFrame({"months": [1, 2, 3, 4, 5, 6], "left": [1, 1, 0, 0, 0, 0], "plan": list("aaabbb")})
    result = ch.lifetimes(frame, "months", "left", ["plan"], weighted_data=True)
    assert not result.overall.reached
    assert result.shortest().level == "a" and result.shortest()["median"] == 2
    text = result.finding()
    assert "Fewer than half of all customers have left" in text
    assert "shortest median lifetime is 2.0 months (`plan` = a)" in text
    assert "of 1 segmentations" in text and "unweighted" in text
    recorded = result.to_results()
    assert recorded["median_lifetime_months_overall"] is None
    assert recorded["median_lifetime_months"]["level"].tolist() == ["a", "b"]
    reached = ch.lifetimes(HAND, "months", "left", [])
    assert reached.finding() == "Half of all customers have left after 3 months."
    assert reached.to_results()["median_lifetime_months_overall"] == 3.0


def test_simulation_check_compares_km_with_geometric_truth():
    rng = np.random.default_rng(11)
    n = 20_000
    repurchase = rng.random(n) < 0.5
    hazard = np.where(repurchase, 0.02, 0.08)
    time_to_churn = rng.geometric(hazard)
    exposure = rng.integers(1, 61, n)
    frame = pd.DataFrame({"m": np.minimum(time_to_churn, exposure), "left": time_to_churn <= exposure,
                          "repurchase": repurchase})
    check = ch.simulation_check(frame, "m", "left", {"repurchase": 0.02, "no_repurchase": 0.08}).set_index("repurchase")
    # true medians: ceil(log 0.5 / log(1 - h)) = 35 and 9 months
    assert check.loc[True, "true_median"] == 35 and check.loc[False, "true_median"] == 9
    assert check.loc[False, "km_median"] == 9
    assert check["km_rmst"].to_numpy() == pytest.approx(check["true_rmst"].to_numpy(), rel=0.03)
    assert ch.simulation_finding(check.reset_index()).startswith("The 95% intervals of the Kaplan-Meier medians")


def test_lifetime_values_states_assumptions_and_negative_branch():
    frame = HAND.assign(revenue=10.0, plan=list("aabbab"))
    values = ch.lifetime_values(frame, "months", "left", ["plan"], monthly_revenue="revenue", margin=0.25,
                                acquisition_cost=40, retention_cost=1.5)
    note = values.assumptions_note()
    assert "not data" in note and "25%" in note and "40.00 per customer, paid once" in note
    assert "1.50 per customer per month" in note and "`revenue`" in note
    assert set(values.to_results()) == {"clv_by_segment", "clv_assumptions"}
    assert values.to_results()["clv_assumptions"]["retention_cost_per_month"] == 1.5
    # 0.25 x 10 - 1.5 = 1 a month against 40 up front: negative over a few months
    assert (values.table.clv_expected < 0).all()
    assert "No level earns back the assumed acquisition cost" in values.finding()
    rich = ch.lifetime_values(frame, "months", "left", ["plan"], monthly_revenue="revenue", margin=1.0,
                              acquisition_cost=0, retention_cost=0)
    best = rich.table.sort_values("clv_expected").iloc[-1]
    assert f"`plan` = {best.level} is expected to be worth {best.clv_expected:,.0f}" in rich.finding()
    assert "earns back" not in rich.finding()
    no_revenue = ch.lifetime_values(frame, "months", "left", ["plan"], monthly_revenue=None, margin=0.3,
                                    acquisition_cost=0, retention_cost=0)
    assert not no_revenue.available and no_revenue.to_results() == {}
    assert "no revenue column" in no_revenue.finding()


def test_causes_result_controllable_share_and_skip():
    frame = pd.DataFrame({"why": ["quality", "moved", "indifference", "indifference", None],
                          "left": [True, True, True, True, False]})
    result = ch.causes(frame, "why", "left")
    assert result.controllable_share == pytest.approx(3 / 4)
    assert result.finding().startswith("75.0% of churned customers left for reasons the company controls")
    assert "the seeds put this at 91%" in result.finding()
    assert set(result.to_results()) == {"churn_causes", "controllable_share"}
    skipped = ch.causes(frame, None, "left", "telco_churn")
    assert skipped.to_results() == {} and "telco_churn" in skipped.finding()


def test_key_findings_lists_sections_that_have_something_to_say():
    frame = HAND.assign(revenue=10.0, plan=list("aabbab"))
    by_segment = ch.churn_by_segments(frame, "left", ["plan"])
    drivers = ch.ChurnDrivers(pd.DataFrame({"term": ["plan: b"], "odds_ratio": [2.5], "pvalue": [0.01]}), 6, 0.1, "", None)
    values = ch.lifetime_values(frame, "months", "left", ["plan"], monthly_revenue="revenue", margin=0.3,
                                acquisition_cost=5, retention_cost=1)
    text = ch.key_findings(overall=ch.churn_by_segment(frame, "left").iloc[0], by_segment=by_segment,
                           lifetimes=ch.lifetimes(frame, "months", "left", ["plan"]), drivers=drivers, values=values,
                           causes=ch.causes(frame, None, "left"), examples=ch.worked_examples(), source="Hand data")
    lines = text.splitlines()
    assert lines[0].startswith("- **Churn:** 66.7% of customers at the start churned") and "Hand data" in lines[0]
    assert any("plan: b multiplies the odds of churning by 2.50" in line for line in lines)
    assert any("30% margin, 5.00 to acquire and 1.00 a month" in line for line in lines)
    assert not any("**Causes:**" in line for line in lines)
    assert lines[-1].startswith("- **Arithmetic:** the seed's examples reproduce: A 6.7%")


def test_styled_table_labels_percent_and_missing_labels():
    table = pd.DataFrame({"level": ["a", "b"], "n": [1200, 5], "rate": [0.1234, np.nan], "median": [3.0, np.nan],
                          "pvalue": [0.0001, 0.2]})
    html = ch.styled(table, "Caption", "Real data: test", percent=["rate"], missing_labels={"median": "not reached"}).to_html()
    assert "12.3%" in html and "1,200" in html and "not reached" in html and "&lt;0.001" in html
    assert "churn rate" in html and "median (months)" in html and "Real data: test" in html
