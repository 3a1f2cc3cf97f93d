"""Tests of csat_analysis.complaints against hand-worked values and textbook formulas."""

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats as scipy_stats

from csat_analysis import complaints, effsize
from csat_analysis.errors import ParameterError, SurveyDataError

Z95 = 1.959963984540054


def wilson_by_hand(successes, n, z=Z95):
    """Wilson (1927) score interval, written out from the textbook formula."""
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


# --- funnel ------------------------------------------------------------------------------


def funnel_panel():
    # 10 customers: 6 with a problem, 4 complained; of those 1 resolved at first
    # contact, 2 reached middle management, 1 of them the top.
    return pd.DataFrame(
        {
            "problem": [False] * 4 + [True] * 6,
            "complained": [False] * 6 + [True] * 4,
            "resolved_first_contact": [None] * 6 + [True, False, False, False],
            "escalation_level": [0] * 6 + [1, 1, 2, 3],
        }
    )


def test_funnel_counts_and_shares_by_hand():
    funnel = complaints.complaint_funnel(funnel_panel()).set_index("stage")
    assert funnel["count"].tolist() == [10, 6, 4, 1, 2, 1]
    assert funnel.loc["complained", "share"] == pytest.approx(4 / 6)
    assert funnel.loc["top_management", "share"] == pytest.approx(1 / 2)
    low, high = wilson_by_hand(4, 6)
    assert (funnel.loc["complained", "low"], funnel.loc["complained", "high"]) == pytest.approx((low, high))
    assert funnel.loc["escalated", "of_stage"] == "complained"


def test_funnel_weighted_share_uses_weights():
    panel = funnel_panel().assign(w=[1.0] * 4 + [1, 1, 2, 2, 2, 2])
    funnel = complaints.complaint_funnel(panel, weights="w").set_index("stage")
    assert funnel.loc["complained", "share"] == pytest.approx(8 / 10)
    assert funnel.loc["complained", "count"] == 4


def test_funnel_rejects_complaint_without_problem():
    panel = funnel_panel()
    panel.loc[0, "complained"] = True
    with pytest.raises(SurveyDataError, match=r"row 0"):
        complaints.complaint_funnel(panel)


def test_funnel_weights_as_a_vector_equal_the_column():
    panel = funnel_panel().assign(w=[1.0] * 4 + [1, 1, 2, 2, 2, 2])
    by_name = complaints.complaint_funnel(panel, weights="w")
    by_vector = complaints.complaint_funnel(panel, weights=panel["w"].to_numpy())
    pd.testing.assert_frame_equal(by_name, by_vector)
    with pytest.raises(ParameterError, match="3 values given for 10 rows"):
        complaints.complaint_funnel(panel, weights=[1.0, 2.0, 3.0])
    with pytest.raises(SurveyDataError, match=r"-1.0 \(row 2\)"):
        complaints.complaint_funnel(panel, weights=[1.0, 1.0, -1.0] + [1.0] * 7)


def test_tarp_pyramid_and_comparison():
    pyramid = complaints.escalation_pyramid()
    assert pyramid["share_of_previous"].iloc[1] == pytest.approx(200 / 500)
    compared = complaints.compare_funnel(complaints.complaint_funnel(funnel_panel())).set_index("stage")
    assert compared.loc["complained", "published_share"] == 0.04  # TARP's voice rate, not the pyramid's 200/500
    assert compared.loc["resolved_first_contact", "published_share"] == pytest.approx(1 - 50 / 200)
    assert compared.loc["escalated", "published_share"] == pytest.approx(10 / 200)
    low, high = wilson_by_hand(4, 6)  # 4 of 6 complained: 4% is far outside
    assert not compared.loc["complained", "published_in_interval"] and low > 0.04
    own = complaints.compare_funnel(complaints.complaint_funnel(funnel_panel()), {"complained": 0.5})
    assert own["published_in_interval"].tolist() == [True]


def test_tarp_table_holds_the_published_rates():
    table = complaints.tarp_table().set_index(["status", "severity"])["rate"]
    assert table.to_dict() == {
        ("no_complaint", "major"): 0.09,
        ("no_complaint", "minor"): 0.37,
        ("unresolved", "major"): 0.19,
        ("unresolved", "minor"): 0.46,
        ("resolved", "major"): 0.54,
        ("resolved", "minor"): 0.74,
        ("resolved_quickly", "major"): 0.82,
        ("resolved_quickly", "minor"): 0.95,
    }


# --- TARP table ----------------------------------------------------------------------------


def tarp_log():
    return pd.DataFrame(
        {
            "status": ["no_problem"] * 5 + ["no_complaint"] * 4 + ["resolved"] * 3,
            "severity": [None] * 5 + ["major", "major", "minor", "minor"] + ["minor"] * 3,
            "rep": [1, 1, 1, 1, 0] + [0, 0, 1, 0] + [1, 1, 0],
            "w": [1.0] * 5 + [1, 3, 1, 1] + [1, 1, 2],
        }
    )


def test_repurchase_table_by_hand():
    table = complaints.repurchase_table(tarp_log(), "rep", "status", "severity")
    assert list(zip(table["status"], table["severity"])) == [
        ("no_problem", "none"),
        ("no_complaint", "major"),
        ("no_complaint", "minor"),
        ("resolved", "minor"),
    ]
    assert table["n"].tolist() == [5, 2, 2, 3]
    assert table["rate"].tolist() == pytest.approx([0.8, 0.0, 0.5, 2 / 3])
    low, high = wilson_by_hand(4, 5)
    assert (table["low"].iloc[0], table["high"].iloc[0]) == pytest.approx((low, high))


def test_repurchase_table_weighted_uses_design_based_size():
    table = complaints.repurchase_table(tarp_log(), "rep", "status", "severity", weights="w")
    resolved = table.iloc[-1]
    assert resolved["rate"] == pytest.approx(2 / 4)  # weights 1, 1 repurchase; 2 not
    # Taylor linearisation of a domain mean (R survey, each row its own unit): scores
    # z = w (y - p) / W on the domain's rows (0 elsewhere), var = n / (n - 1) * sum (z - mean z)^2
    z = np.zeros(12)
    z[-3:] = np.array([1.0, 1.0, 2.0]) * (np.array([1, 1, 0]) - 0.5) / 4
    variance = 12 / 11 * ((z - z.mean()) ** 2).sum()
    assert resolved["n_eff"] == pytest.approx(0.25 / variance)  # 2.444..., not Kish's 16 / 6
    low, high = wilson_by_hand(0.5 * 0.25 / variance, 0.25 / variance)
    assert (resolved["low"], resolved["high"]) == pytest.approx((low, high))


def test_repurchase_table_errors_name_rows_and_choices():
    log = tarp_log()
    log.loc[7, "severity"] = None
    with pytest.raises(SurveyDataError, match=r"severity.*row 7"):
        complaints.repurchase_table(log, "rep", "status", "severity")
    log = tarp_log()
    log.loc[2, "status"] = "fixed"
    with pytest.raises(SurveyDataError, match=r"'fixed' \(row 2\).*resolved_quickly"):
        complaints.repurchase_table(log, "rep", "status", "severity")
    log = tarp_log()
    log.loc[3, "rep"] = 2
    with pytest.raises(SurveyDataError, match=r"'rep'.*row 3"):
        complaints.repurchase_table(log, "rep", "status", "severity")
    with pytest.raises(SurveyDataError, match=r"'repurchase'.*available columns"):
        complaints.repurchase_table(log, "repurchase", "status", "severity")


def test_chi_square_matches_pearson_by_hand():
    # one severity, three statuses x outcome: observed counts
    observed = np.array([[10, 30], [20, 20], [30, 10]])  # rows: statuses; cols: no, yes
    statuses = ["no_complaint", "unresolved", "resolved"]
    rows = []
    for status, (no, yes) in zip(statuses, observed):
        rows += [(status, "major", 0)] * no + [(status, "major", 1)] * yes
    log = pd.DataFrame(rows, columns=["status", "severity", "rep"])
    expected = observed.sum(1, keepdims=True) * observed.sum(0, keepdims=True) / observed.sum()
    chi2 = ((observed - expected) ** 2 / expected).sum()
    result = complaints.chi_square_tests(log, "rep", "status", "severity").iloc[0]
    assert result["statistic"] == pytest.approx(chi2)
    assert result["dof"] == 2
    assert result["p_value"] == pytest.approx(math.exp(-chi2 / 2))  # chi-square(2) survival


def test_outcome_model_odds_ratio_is_cross_product_ratio():
    # 2x2: no_problem 30 yes / 10 no; resolved 12 yes / 18 no
    log = pd.DataFrame(
        {
            "status": ["no_problem"] * 40 + ["resolved"] * 30,
            "rep": [1] * 30 + [0] * 10 + [1] * 12 + [0] * 18,
        }
    )
    table = complaints.outcome_model(log, "rep", "status")
    assert table["term"].tolist() == ["status: resolved"]
    assert table["odds_ratio"].item() == pytest.approx((12 / 18) / (30 / 10), rel=1e-6)
    se = math.sqrt(1 / 30 + 1 / 10 + 1 / 12 + 1 / 18)  # Woolf's standard error of log OR
    assert table["low"].item() == pytest.approx((12 / 18) / 3 * math.exp(-Z95 * se), rel=1e-5)


def test_outcome_model_severity_and_covariate_terms():
    rng = np.random.default_rng(3)
    n = 4000
    status = rng.choice(["no_problem", "no_complaint", "resolved"], n)
    major = (status != "no_problem") & (rng.random(n) < 0.5)
    age = rng.normal(size=n)
    logit = 1.0 - 1.5 * (status == "no_complaint") - 0.5 * (status == "resolved") - 1.0 * major + 0.3 * age
    rep = rng.random(n) < 1 / (1 + np.exp(-logit))
    log = pd.DataFrame(
        {
            "status": status,
            "severity": np.where(status == "no_problem", None, np.where(major, "major", "minor")),
            "rep": rep,
            "age years": age,
        }
    )
    table = complaints.outcome_model(log, "rep", "status", "severity", ["age years"]).set_index("term")
    for term, coef in {
        "status: no_complaint": -1.5,
        "status: resolved": -0.5,
        "severity: major": -1.0,
        "age years": 0.3,
    }.items():
        assert table.loc[term, "low"] < math.exp(coef) < table.loc[term, "high"], term


def test_outcome_model_reference_must_be_present():
    with pytest.raises(ParameterError, match="no_problem"):
        complaints.outcome_model(tarp_log(), "rep", "status", reference="resolved_quickly")


# --- recovery paradox ---------------------------------------------------------------------


def paradox_log(fast_yes, fast_n, base_yes, base_n):
    return pd.DataFrame(
        {
            "status": ["resolved_quickly"] * fast_n + ["no_problem"] * base_n,
            "rep": [1] * fast_yes + [0] * (fast_n - fast_yes) + [1] * base_yes + [0] * (base_n - base_yes),
        }
    )


def test_recovery_paradox_matches_newcombe_1998():
    # Newcombe (1998), Statistics in Medicine 17: 873-890, example (a): 56/70 - 48/80,
    # method 10 (score interval from Wilson limits): +0.0524 to +0.3339.
    result = complaints.recovery_paradox(paradox_log(56, 70, 48, 80), "rep", "status")
    assert result.difference == pytest.approx(0.2)
    assert (result.low, result.high) == pytest.approx((0.0524, 0.3339), abs=5e-5)
    pooled = 104 / 150
    z = 0.2 / math.sqrt(pooled * (1 - pooled) * (1 / 70 + 1 / 80))
    assert result.p_value == pytest.approx(math.erfc(z / math.sqrt(2)))
    assert result.verdict == "supported"


def test_recovery_paradox_verdicts_never_overclaim():
    assert complaints.recovery_paradox(paradox_log(30, 70, 60, 80), "rep", "status").verdict == "contradicted"
    assert complaints.recovery_paradox(paradox_log(50, 70, 58, 80), "rep", "status").verdict == "inconclusive"
    # for churn, a higher rate among the fast group is the opposite of the paradox
    churn = complaints.recovery_paradox(paradox_log(56, 70, 48, 80), "rep", "status", higher_is_better=False)
    assert churn.verdict == "contradicted"


def test_recovery_paradox_bootstrap_close_to_newcombe():
    result = complaints.recovery_paradox(paradox_log(560, 700, 480, 800), "rep", "status", bootstrap=4000, seed=1)
    assert result.bootstrap_low == pytest.approx(result.low, abs=0.01)
    assert result.bootstrap_high == pytest.approx(result.high, abs=0.01)


def test_recovery_paradox_missing_group_is_an_error():
    with pytest.raises(SurveyDataError, match="resolved_quickly"):
        complaints.recovery_paradox(tarp_log(), "rep", "status")
    with pytest.raises(ParameterError, match="fast='quick'"):
        complaints.recovery_paradox(tarp_log(), "rep", "status", fast="quick")


def test_recovery_paradox_weights_as_column_or_vector():
    log = paradox_log(56, 70, 48, 80).assign(w=np.tile([1.0, 3.0], 75))
    by_name = complaints.recovery_paradox(log, "rep", "status", weights="w")
    by_vector = complaints.recovery_paradox(log, "rep", "status", weights=log["w"].to_numpy())
    assert by_name.to_dict() == by_vector.to_dict()
    fast = log[log["status"] == "resolved_quickly"]
    assert by_name.fast_rate == pytest.approx((fast["rep"] * fast["w"]).sum() / fast["w"].sum())
    # design-based effective size of the domain share (R survey's linearisation, each row its own unit)
    p = by_name.fast_rate
    z = np.where(log["status"] == "resolved_quickly", log["w"] * (log["rep"] - p) / fast["w"].sum(), 0.0)
    variance = len(log) / (len(log) - 1) * ((z - z.mean()) ** 2).sum()
    assert by_name.extra["n_eff_fast"] == pytest.approx(p * (1 - p) / variance)


def test_derive_fast_status_and_missing_time():
    log = pd.DataFrame(
        {"status": ["resolved", "resolved", "unresolved", "no_problem"], "hours": [24.0, 24.5, None, None]}
    )
    assert complaints.derive_fast_status(log, "status", "hours", 24).tolist() == [
        "resolved_quickly",
        "resolved",
        "unresolved",
        "no_problem",
    ]
    log.loc[1, "hours"] = None
    with pytest.raises(SurveyDataError, match=r"row 1"):
        complaints.derive_fast_status(log, "status", "hours", 24)
    with pytest.raises(ParameterError, match="fast_hours=0"):
        complaints.derive_fast_status(log, "status", "hours", 0)


# --- resolution time ---------------------------------------------------------------------


def test_kaplan_meier_by_hand():
    # resolved at 2, 3, 3, 6, 8; still open at 4 and 9; one non-complainant (neither)
    log = pd.DataFrame({"h": [2, 3, 3, None, 6, 8, None, None], "open": [None, None, None, 4, None, None, 9, None]})
    curve = complaints.resolution_times(log, "h", "open")
    # product-limit: at risk 7, 6, 3, 2 at times 2, 3, 6, 8
    s = np.cumprod([6 / 7, 4 / 6, 2 / 3, 1 / 2])
    assert curve["hours"].tolist() == [2, 3, 6, 8]
    assert curve["at_risk"].tolist() == [7, 6, 3, 2]
    assert curve["unresolved_share"].to_numpy() == pytest.approx(s)
    # Greenwood variance and the log(-log) interval at t = 3
    greenwood = 1 / (7 * 6) + 2 / (6 * 4)
    se_loglog = math.sqrt(greenwood) / abs(math.log(s[1]))
    low = s[1] ** math.exp(Z95 * se_loglog)
    assert curve["low"].iloc[1] == pytest.approx(low, rel=1e-6)
    summary = complaints.resolution_summary(log, "h", "open", fast_hours=3).iloc[0]
    assert summary["complaints"] == 7 and summary["still_open"] == 2
    assert summary["resolved_within_fast"] == pytest.approx(1 - s[1])


def test_resolution_times_rejects_both_times_set():
    log = pd.DataFrame({"h": [2.0, 3.0], "open": [None, 5.0]})
    with pytest.raises(SurveyDataError, match=r"row 1"):
        complaints.resolution_times(log, "h", "open")


def test_outcome_by_resolution_time_bins_by_hand():
    log = pd.DataFrame({"h": [1, 5, 20, 30, 50, 90], "rep": [1, 1, 0, 1, 0, 0]})
    table = complaints.outcome_by_resolution_time(log, "h", "rep", bins=[0, 24, 100])
    assert table["n"].tolist() == [3, 3]
    assert table["rate"].tolist() == pytest.approx([2 / 3, 1 / 3])
    assert table["median_hours"].tolist() == [5, 50]


def test_resolution_time_effect_recovers_slope():
    rng = np.random.default_rng(7)
    hours = rng.lognormal(3, 1, 5000)
    rep = rng.random(5000) < 1 / (1 + np.exp(-(1.5 - 0.4 * np.log2(hours))))
    effect = complaints.resolution_time_effect(pd.DataFrame({"h": hours, "rep": rep}), "h", "rep")
    assert effect.low < math.exp(-0.4) < effect.high
    assert effect.high < 1
    assert effect.curve["fitted"].is_monotonic_decreasing


# --- service calls ------------------------------------------------------------------------


def test_churn_by_calls_and_threshold_by_hand():
    accounts = pd.DataFrame(
        {
            "calls": [0] * 100 + [1] * 100 + [2] * 40,
            "churn": [1] * 10 + [0] * 90 + [1] * 12 + [0] * 88 + [1] * 20 + [0] * 20,
        }
    )
    table = complaints.churn_by_calls(accounts, "calls", "churn")
    assert table["rate"].tolist() == pytest.approx([0.10, 0.12, 0.5])
    rows = complaints.call_threshold(table).set_index("calls")
    # level 2 against the pooled 22/200 below it, one-sided z-test by hand
    pooled = 42 / 240
    z = (0.5 - 0.11) / math.sqrt(pooled * (1 - pooled) * (1 / 40 + 1 / 200))
    assert rows.loc[2, "p_value"] == pytest.approx(0.5 * math.erfc(z / math.sqrt(2)))
    assert rows["threshold"].tolist() == [False, True]


def test_call_threshold_on_real_service_calls():
    from csat_analysis import datasets

    accounts = datasets.load("service_calls_churn")
    table = complaints.churn_by_calls(accounts, "number_customer_service_calls", "churn")
    assert table["n"].sum() == len(accounts)
    counts = pd.crosstab(accounts["number_customer_service_calls"], accounts["churn"])
    assert table["rate"].to_numpy() == pytest.approx((counts[True] / counts.sum(axis=1)).to_numpy())
    rows = complaints.call_threshold(table)
    assert rows.loc[rows["threshold"], "calls"].item() == 4


def test_calls_model_threshold_odds_ratio_is_cross_product_ratio():
    accounts = pd.DataFrame(
        {"calls": [1] * 50 + [5] * 20, "churn": [1] * 5 + [0] * 45 + [1] * 10 + [0] * 10, "plan": [True, False] * 35}
    )
    table = complaints.calls_model(accounts, "churn", "calls", threshold=4)
    assert table["odds_ratio"].item() == pytest.approx((10 / 10) / (5 / 45), rel=1e-6)
    with_plan = complaints.calls_model(accounts, "churn", "calls", ["plan"])
    assert sorted(with_plan["term"]) == ["calls", "plan: True"]


def test_churn_by_calls_rejects_fractional_calls():
    with pytest.raises(SurveyDataError, match=r"1.5 \(row 1\)"):
        complaints.churn_by_calls(pd.DataFrame({"c": [1, 1.5], "churn": [True, False]}), "c", "churn")


# --- complaint handling and loyalty ------------------------------------------------------


def test_loyalty_by_rating_by_hand():
    survey = pd.DataFrame({"CUSCO": [2, 2, 2, 9, 9], "L1": [4, 6, 10, 9, 10], "L2": [6, 6, 8, 9, 8]})
    table = complaints.loyalty_by_rating(survey, "CUSCO", ["L1", "L2"], scale=(1, 10)).set_index("rating")
    scores = np.array([5.0, 6.0, 9.0])
    half = 4.302652729911275 * scores.std(ddof=1) / math.sqrt(3)  # t(2) 97.5% quantile
    assert table.loc[2, "mean_loyalty"] == pytest.approx(20 / 3)
    assert table.loc[2, "mean_low"] == pytest.approx(20 / 3 - half)
    assert table.loc[2, "mean_low"] > 1  # inside the scale, so not cut
    assert table.loc[2, "top_box"] == pytest.approx(1 / 3)
    assert table.loc[9, "top_box"] == pytest.approx(1.0)
    assert (table.loc[2, "top_low"], table.loc[2, "top_high"]) == pytest.approx(wilson_by_hand(1, 3))


def test_loyalty_by_rating_uses_the_one_top_box_rule():
    # on 1-10 with two top boxes a mean of 9 is top box and a mean of 8.5 is not (scaling.top_box)
    survey = pd.DataFrame({"CUSCO": [5, 5, 5, 5], "L1": [9, 9, 8, 10], "L2": [9, 8, 9, 10]})
    table = complaints.loyalty_by_rating(survey, "CUSCO", ["L1", "L2"], scale=(1, 10))
    assert table["top_box"].item() == pytest.approx(2 / 4)
    three_boxes = complaints.loyalty_by_rating(survey, "CUSCO", ["L1", "L2"], scale=(1, 10), k=3)
    assert three_boxes["top_box"].item() == pytest.approx(1.0)


def test_rank_correlation_by_hand():
    frame = pd.DataFrame({"x": [1, 2, 3, 4, 5, 6], "y": [2, 1, 4, 3, 6, 5]})
    d = np.array([1, -1, 1, -1, 1, -1])
    rho = 1 - 6 * (d**2).sum() / (6 * 35)
    result = complaints.rank_correlation(frame, "x", "y").iloc[0]
    assert result["rho"] == pytest.approx(rho)
    se = math.sqrt((1 + rho**2 / 2) / 3)
    assert result["low"] == pytest.approx(math.tanh(math.atanh(rho) - Z95 * se))


# --- word of mouth ------------------------------------------------------------------------


def test_word_of_mouth_arithmetic_by_hand():
    share = complaints.word_of_mouth(30, 70).set_index("story")
    assert share.loc["negative", "people_per_customer"] == pytest.approx(0.8 * 10 + 0.2 * 20)
    assert share.loc["negative", "people_reached"] == pytest.approx(30 * 12)
    assert share.loc["positive", "people_reached"] == pytest.approx(70 * 5)
    cascade = complaints.word_of_mouth(30, 70, reading="cascade").set_index("story")
    assert cascade.loc["negative", "people_reached"] == pytest.approx(30 * (10 + 0.2 * 10 * 20))
    assert share.loc["negative", "assumption"].startswith("assumed (TARP 1986 multipliers)")
    with pytest.raises(ParameterError, match="'share', 'cascade'"):
        complaints.word_of_mouth(1, 1, reading="viral")
    with pytest.raises(ParameterError, match="retell_share"):
        complaints.word_of_mouth(1, 1, retell_share=1.5)


# --- the TARP table recovered from a large simulated panel -------------------------------


@pytest.mark.slow
def test_tarp_table_recovered_from_large_simulated_panel():
    from scipy import stats

    simulate = pytest.importorskip("csat_analysis.simulate")
    # a high voice rate fills the complaint cells without a huge panel
    panel = simulate.simulate_panel(200_000, seed=11, voice_rate=0.5)
    truth = panel.truth["repurchase_rates"]
    table = complaints.repurchase_table(panel.data, "repurchase", "complaint_status", "severity", ci=0.999)
    expected = table.apply(
        lambda r: truth[r["status"]] if r["status"] == "no_problem" else truth[r["status"]][r["severity"]], axis=1
    )
    assert len(table) == 9
    inside = (table["low"] <= expected) & (expected <= table["high"])
    assert inside.all(), table.assign(expected=expected)[~inside]
    # and jointly: chi-square goodness of fit over the nine cells
    chi2 = (((table["events"] - table["n"] * expected) ** 2) / (table["n"] * expected * (1 - expected))).sum()
    assert stats.chi2.sf(chi2, len(table)) > 0.001
    # the funnel's voice rate and escalation shares match the generating values too
    funnel = complaints.complaint_funnel(panel.data, ci=0.999).set_index("stage")
    esc = panel.truth["escalation"]
    for stage, value in {
        "complained": 0.5,
        "escalated": esc["front_line_unresolved"] * esc["middle_escalate"],
        "top_management": esc["middle_unresolved"] * esc["top_escalate"],
    }.items():
        assert funnel.loc[stage, "low"] <= value <= funnel.loc[stage, "high"], stage


def test_loyalty_by_rating_interval_cut_to_scale():
    survey = pd.DataFrame({"CUSCO": [3, 3, 3], "L1": [1, 2, 10]})
    table = complaints.loyalty_by_rating(survey, "CUSCO", "L1", scale=(1, 10))
    assert table["mean_low"].item() == 1 and table["mean_high"].item() == 10


# --- paradox by severity, customers by status, call threshold ---------------------------------


def test_paradox_by_severity_compares_each_severity_with_no_problem():
    log = pd.DataFrame(
        {
            "status": ["no_problem"] * 80 + ["resolved_quickly"] * 40 + ["resolved_quickly"] * 30,
            "severity": [None] * 80 + ["major"] * 40 + ["minor"] * 30,
            "rep": [1] * 48 + [0] * 32 + [1] * 20 + [0] * 20 + [1] * 27 + [0] * 3,
        }
    )
    table = complaints.paradox_by_severity(log, "rep", "status", "severity").set_index("severity")
    assert table.loc["major", "difference"] == pytest.approx(20 / 40 - 48 / 80)
    assert table.loc["minor", "difference"] == pytest.approx(27 / 30 - 48 / 80)
    assert table.loc["minor", "verdict"] == "supported"
    assert list(table.columns) == [
        "fast_rate",
        "baseline_rate",
        "n_fast",
        "n_baseline",
        "difference",
        "low",
        "high",
        "p_value",
        "verdict",
    ]
    assert table.loc["major", "n_fast"] == 40 and table.loc["major", "n_baseline"] == 80


def test_word_of_mouth_by_status_counts_customers_by_hand():
    log = pd.DataFrame({"s": ["no_complaint"] * 3 + ["unresolved"] * 2 + ["resolved"] + ["no_problem"] * 4})
    table = complaints.word_of_mouth_by_status(log, "s")
    share = table[table["reading"] == "share"].set_index("story")
    assert share.loc["negative", "customers"] == 5 and share.loc["positive", "customers"] == 5
    assert share.loc["negative", "people_reached"] == 5 * (0.8 * 10 + 0.2 * 20)


def test_status_counts_and_threshold_level():
    counts = complaints.status_counts(pd.DataFrame({"s": ["resolved", "no_problem", "resolved"]}), "s")
    assert dict(zip(counts["status"], counts["n"])) == {
        "no_problem": 1,
        "no_complaint": 0,
        "unresolved": 0,
        "resolved": 2,
        "resolved_quickly": 0,
    }
    jumps = complaints.call_threshold(pd.DataFrame({"calls": [0, 1, 2], "n": [500, 500, 100], "events": [50, 55, 45]}))
    assert complaints.threshold_level(jumps) == 2
    flat = complaints.call_threshold(pd.DataFrame({"calls": [0, 1], "n": [500, 500], "events": [50, 52]}))
    assert complaints.threshold_level(flat) is None


# --- status derived from yes/no answers, funnels of the stages the data have, effect sizes


def test_derive_status_from_answers_and_times():
    survey = pd.DataFrame(
        {
            "problem": [False, True, True, True, True, True],
            "complained": [False, False, True, True, True, True],
            "resolved": [None, None, 0, 1, 1, 1],
            "quick": [None, None, None, 0, 1, 0],
            "hours": [None, None, None, 60.0, 30.0, 5.0],
        }
    )
    by_flag = complaints.derive_status(
        survey, problem="problem", complained="complained", resolved="resolved", resolved_quickly="quick"
    )
    assert by_flag.tolist() == ["no_problem", "no_complaint", "unresolved", "resolved", "resolved_quickly", "resolved"]
    by_time = complaints.derive_status(
        survey, problem="problem", complained="complained", resolved="resolved", resolution_hours="hours", fast_hours=24
    )
    assert by_time.tolist() == ["no_problem", "no_complaint", "unresolved", "resolved", "resolved", "resolved_quickly"]
    # no resolved column: a complaint with a resolution time is resolved
    by_time_only = complaints.derive_status(
        survey, problem="problem", complained="complained", resolution_hours="hours", fast_hours=40
    )
    assert by_time_only.tolist() == [
        "no_problem",
        "no_complaint",
        "unresolved",
        "resolved",
        "resolved_quickly",
        "resolved_quickly",
    ]
    without_speed = complaints.derive_status(survey, problem="problem", complained="complained", resolved="resolved")
    assert "resolved_quickly" not in set(without_speed)


def test_derive_status_errors_name_columns_and_rows():
    # asked only after a problem: a missing complaint answer is "no" where there was no problem
    skipped = pd.DataFrame({"problem": [False, True], "complained": [None, False]})
    assert complaints.derive_status(
        skipped, problem="problem", complained="complained", resolved="complained"
    ).tolist() == ["no_problem", "no_complaint"]
    with pytest.raises(SurveyDataError, match=r"'complained'.*missing for customers with a problem.*row 1"):
        complaints.derive_status(
            skipped.assign(complained=[None, None]), problem="problem", complained="complained", resolved="complained"
        )
    survey = pd.DataFrame({"problem": [False, True], "complained": [True, True], "resolved": [None, None]})
    with pytest.raises(SurveyDataError, match=r"'complained'.*row 0"):
        complaints.derive_status(survey, problem="problem", complained="complained", resolved="resolved")
    survey.loc[0, "complained"] = False
    with pytest.raises(SurveyDataError, match=r"'resolved'.*row 1"):
        complaints.derive_status(survey, problem="problem", complained="complained", resolved="resolved")
    with pytest.raises(ParameterError, match="resolved"):
        complaints.derive_status(survey, problem="problem", complained="complained")


def test_derived_status_reproduces_the_simulators_status():
    from csat_analysis.datasets import open_study_data

    panel = open_study_data("simulated", n=3000, seed=2).data
    derived = complaints.derive_status(
        panel, problem="problem", complained="complained", resolution_hours="resolution_hours", fast_hours=24
    )
    assert (derived.astype(str) == panel["complaint_status"].astype(str)).all()


def test_funnel_has_only_the_stages_the_data_support():
    panel = funnel_panel()
    short = complaints.complaint_funnel(panel, first_contact=None, escalation=None).set_index("stage")
    assert short.index.tolist() == ["respondents", "problem", "complained"]
    assert short.loc["complained", "share"] == pytest.approx(4 / 6)
    with_resolved = complaints.complaint_funnel(
        panel.assign(res=[None] * 6 + [True, True, False, True]), first_contact=None, escalation=None, resolved="res"
    ).set_index("stage")
    assert with_resolved.loc["resolved", "share"] == pytest.approx(3 / 4)
    assert with_resolved.loc["resolved", "of_stage"] == "complained"


def test_funnel_weighted_voice_rate_uses_design_based_size():
    panel = funnel_panel().assign(w=[1.0] * 4 + [1, 1, 2, 2, 2, 2])
    row = complaints.complaint_funnel(panel, weights="w").set_index("stage").loc["complained"]
    p = 8 / 10
    z = np.zeros(10)
    in_problem = np.arange(10) >= 4
    flags = np.arange(10) >= 6
    z[in_problem] = panel["w"].to_numpy()[in_problem] * (flags[in_problem] - p) / 10
    variance = 10 / 9 * ((z - z.mean()) ** 2).sum()
    low, high = wilson_by_hand(p * p * (1 - p) / variance, p * (1 - p) / variance)
    assert (row["low"], row["high"]) == pytest.approx((low, high))


def test_chi_square_tests_report_cramers_v_and_exact_tails():
    from scipy.stats.contingency import association

    observed = np.array([[10, 30], [20, 20], [30, 10]])
    rows = []
    for status, (no, yes) in zip(["no_complaint", "unresolved", "resolved"], observed):
        rows += [(status, "major", 0)] * no + [(status, "major", 1)] * yes
    log = pd.DataFrame(rows, columns=["status", "severity", "rep"])
    result = complaints.chi_square_tests(log, "rep", "status", "severity").iloc[0]
    assert result["cramers_v"] == pytest.approx(association(observed, method="cramer"))
    assert result["low"] < result["cramers_v"] < result["high"]
    overall = complaints.chi_square_tests(log, "rep", "status").iloc[0]
    assert overall["severity"] == "all"
    assert overall["statistic"] == pytest.approx(result["statistic"])
    # a strong association: the tail is far below 1e-16 and still reported, not 0
    strong = pd.DataFrame(
        {
            "status": ["resolved"] * 400 + ["unresolved"] * 400,
            "severity": "minor",
            "rep": [1] * 380 + [0] * 20 + [0] * 380 + [1] * 20,
        }
    )
    tail = complaints.chi_square_tests(strong, "rep", "status", "severity").iloc[0]
    assert 0 < tail["p_value"] < 1e-100


def test_recovery_paradox_cohens_h_by_hand():
    result = complaints.recovery_paradox(paradox_log(56, 70, 48, 80), "rep", "status")
    h = 2 * math.asin(math.sqrt(0.8)) - 2 * math.asin(math.sqrt(0.6))
    assert result.cohens_h == pytest.approx(h)
    half = Z95 * math.sqrt(1 / 70 + 1 / 80)
    assert (result.cohens_h_low, result.cohens_h_high) == pytest.approx((h - half, h + half))


def weighted_log() -> pd.DataFrame:
    """Two severities x three statuses x outcome with deterministic weights 1, 1.5, 2, 2.5 repeating."""
    rows = []
    for severity, observed in (("major", [[10, 30], [20, 20], [30, 10]]), ("minor", [[12, 8], [9, 11], [5, 15]])):
        for status, (no, yes) in zip(["no_complaint", "unresolved", "resolved"], observed):
            rows += [(status, severity, 0)] * no + [(status, severity, 1)] * yes
    log = pd.DataFrame(rows, columns=["status", "severity", "rep"])
    return log.assign(w=1 + (np.arange(len(log)) % 4) / 2)


def test_weighted_chi_square_is_r_svychisq():
    # R 4 survey 4.1.1, per severity: svychisq(~status + rep,
    #   svydesign(ids = ~1, weights = ~w, data = log[log$severity == s, ]))
    # printed with sprintf("%.17g"): F, ndf, ddf, p
    r_svychisq = {
        "major": (9.0334953595924112, 1.9992130522470037, 237.90635321739344, 0.00016580119162347006),
        "minor": (2.5798153585850376, 1.9995797581593981, 117.97520573140449, 0.080070364809759903),
    }
    table = complaints.chi_square_tests(weighted_log(), "rep", "status", "severity", weights="w").set_index("severity")
    for severity, expected in r_svychisq.items():
        row = table.loc[severity]
        assert row["test"] == "Rao-Scott F"
        got = [row["statistic"], row["dof"], row["dof_denominator"], row["p_value"]]
        np.testing.assert_allclose(got, expected, rtol=1e-8, atol=0, err_msg=severity)


def test_weighted_chi_square_cramers_v_is_that_of_the_weighted_table_scaled_to_n():
    log = weighted_log()
    table = complaints.chi_square_tests(log, "rep", "status", "severity", weights=log["w"].to_numpy())
    by_name = complaints.chi_square_tests(log, "rep", "status", "severity", weights="w")
    pd.testing.assert_frame_equal(table, by_name)
    major = log[log["severity"] == "major"]
    weighted = major.pivot_table(index="status", columns="rep", values="w", aggfunc="sum").to_numpy()
    row = table.set_index("severity").loc["major"]
    assert row["n"] == len(major) == 120
    # V does not depend on the table's scale: sqrt(X² / (N (k - 1))) of the weighted table itself
    x2 = scipy_stats.chi2_contingency(weighted, correction=False)[0]
    assert row["cramers_v"] == pytest.approx(np.sqrt(x2 / weighted.sum()), rel=1e-12)
    # the interval is that of the table scaled to n (a table of 120, not of the weight sum 210)
    scaled = effsize.cramers_v_table(weighted * len(major) / weighted.sum()).iloc[0]
    assert (row["low"], row["high"]) == pytest.approx((scaled["low"], scaled["high"]), rel=1e-12)
    assert list(table.columns) == [
        "severity",
        "n",
        "statuses",
        "test",
        "statistic",
        "dof",
        "dof_denominator",
        "p_value",
        "cramers_v",
        "low",
        "high",
    ]


def test_equal_weights_give_pearson_times_n_minus_1_over_n():
    # one respondent per PSU, equal weights: every generalised design effect is n / (n - 1),
    # so the Rao-Scott F of a 2x2 is Pearson's X² (n - 1) / n on 1 and n - 1 dof
    log = pd.DataFrame(
        {"status": ["resolved"] * 20 + ["unresolved"] * 20, "rep": [1] * 15 + [0] * 5 + [1] * 5 + [0] * 15}
    )
    row = complaints.chi_square_tests(log, "rep", "status", weights=np.ones(40)).iloc[0]
    assert row["statistic"] == pytest.approx(10.0 * 39 / 40, rel=1e-12)
    assert (row["dof"], row["dof_denominator"]) == pytest.approx((1.0, 39.0), rel=1e-12)
    assert row["p_value"] == pytest.approx(scipy_stats.f.sf(10.0 * 39 / 40, 1, 39), rel=1e-10)


def test_unweighted_chi_square_columns_are_unchanged():
    table = complaints.chi_square_tests(weighted_log(), "rep", "status", "severity")
    assert list(table.columns) == [
        "severity",
        "n",
        "statuses",
        "statistic",
        "dof",
        "p_value",
        "cramers_v",
        "low",
        "high",
    ]
    assert table["dof"].tolist() == [2, 2]


def test_weighted_chi_square_refuses_bad_weights():
    log = weighted_log()
    with pytest.raises(SurveyDataError, match="positive"):
        complaints.chi_square_tests(log, "rep", "status", "severity", weights=np.zeros(len(log)))
