"""Tests of csat_analysis.complaints against hand-worked values and textbook formulas."""

import math

import numpy as np
import pandas as pd
import pytest

from csat_analysis import complaints
from csat_analysis.errors import StudyError, SurveyDataError

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
    return pd.DataFrame({
        "problem": [False] * 4 + [True] * 6,
        "complained": [False] * 6 + [True] * 4,
        "resolved_first_contact": [None] * 6 + [True, False, False, False],
        "escalation_level": [0] * 6 + [1, 1, 2, 3],
    })


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


def test_seed_pyramid_and_comparison():
    pyramid = complaints.seed_escalation_pyramid()
    assert pyramid["share_of_previous"].iloc[1] == pytest.approx(0.4)
    compared = complaints.compare_funnel_to_seed(complaints.complaint_funnel(funnel_panel())).set_index("stage")
    assert compared.loc["resolved_first_contact", "seed_share"] == pytest.approx(0.75)
    assert compared.loc["escalated", "seed_share"] == pytest.approx(0.05)


# --- TARP table ----------------------------------------------------------------------------


def tarp_log():
    return pd.DataFrame({
        "status": ["no_problem"] * 5 + ["no_complaint"] * 4 + ["resolved"] * 3,
        "severity": [None] * 5 + ["major", "major", "minor", "minor"] + ["minor"] * 3,
        "rep": [1, 1, 1, 1, 0] + [0, 0, 1, 0] + [1, 1, 0],
        "w": [1.0] * 5 + [1, 3, 1, 1] + [1, 1, 2],
    })


def test_repurchase_table_by_hand():
    table = complaints.repurchase_table(tarp_log(), "rep", "status", "severity")
    assert list(zip(table["status"], table["severity"])) == [
        ("no_problem", "none"), ("no_complaint", "major"), ("no_complaint", "minor"), ("resolved", "minor")]
    assert table["n"].tolist() == [5, 2, 2, 3]
    assert table["rate"].tolist() == pytest.approx([0.8, 0.0, 0.5, 2 / 3])
    low, high = wilson_by_hand(4, 5)
    assert (table["low"].iloc[0], table["high"].iloc[0]) == pytest.approx((low, high))


def test_repurchase_table_weighted_uses_kish_size():
    table = complaints.repurchase_table(tarp_log(), "rep", "status", "severity", weights="w")
    resolved = table.iloc[-1]
    assert resolved["rate"] == pytest.approx(2 / 4)  # weights 1, 1 repurchase; 2 not
    assert resolved["n_eff"] == pytest.approx(16 / 6)  # (sum w)^2 / sum w^2


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
    assert result["chi2"] == pytest.approx(chi2)
    assert result["dof"] == 2
    assert result["p_value"] == pytest.approx(math.exp(-chi2 / 2))  # chi-square(2) survival


def test_outcome_model_odds_ratio_is_cross_product_ratio():
    # 2x2: no_problem 30 yes / 10 no; resolved 12 yes / 18 no
    log = pd.DataFrame({
        "status": ["no_problem"] * 40 + ["resolved"] * 30,
        "rep": [1] * 30 + [0] * 10 + [1] * 12 + [0] * 18,
    })
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
    log = pd.DataFrame({"status": status, "severity": np.where(status == "no_problem", None, np.where(major, "major", "minor")),
                        "rep": rep, "age years": age})
    table = complaints.outcome_model(log, "rep", "status", "severity", ["age years"]).set_index("term")
    for term, coef in {"status: no_complaint": -1.5, "status: resolved": -0.5, "severity: major": -1.0, "age years": 0.3}.items():
        assert table.loc[term, "low"] < math.exp(coef) < table.loc[term, "high"], term


def test_outcome_model_reference_must_be_present():
    with pytest.raises(StudyError, match="no_problem"):
        complaints.outcome_model(tarp_log(), "rep", "status", reference="resolved_quickly")


# --- recovery paradox ---------------------------------------------------------------------


def paradox_log(fast_yes, fast_n, base_yes, base_n):
    return pd.DataFrame({
        "status": ["resolved_quickly"] * fast_n + ["no_problem"] * base_n,
        "rep": [1] * fast_yes + [0] * (fast_n - fast_yes) + [1] * base_yes + [0] * (base_n - base_yes),
    })


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
    with pytest.raises(StudyError, match="resolved_quickly"):
        complaints.recovery_paradox(tarp_log(), "rep", "status")


def test_derive_fast_status_and_missing_time():
    log = pd.DataFrame({"status": ["resolved", "resolved", "unresolved", "no_problem"], "hours": [24.0, 24.5, None, None]})
    assert complaints.derive_fast_status(log, "status", "hours", 24).tolist() == ["resolved_quickly", "resolved", "unresolved", "no_problem"]
    log.loc[1, "hours"] = None
    with pytest.raises(SurveyDataError, match=r"row 1"):
        complaints.derive_fast_status(log, "status", "hours", 24)


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
    accounts = pd.DataFrame({"calls": [0] * 100 + [1] * 100 + [2] * 40,
                             "churn": [1] * 10 + [0] * 90 + [1] * 12 + [0] * 88 + [1] * 20 + [0] * 20})
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
    accounts = pd.DataFrame({"calls": [1] * 50 + [5] * 20, "churn": [1] * 5 + [0] * 45 + [1] * 10 + [0] * 10,
                             "plan": [True, False] * 35})
    table = complaints.calls_model(accounts, "churn", "calls", threshold=4)
    assert table["odds_ratio"].item() == pytest.approx((10 / 10) / (5 / 45), rel=1e-6)
    with_plan = complaints.calls_model(accounts, "churn", "calls", ["plan"])
    assert sorted(with_plan["term"]) == ["calls", "plan: True"]


def test_churn_by_calls_rejects_fractional_calls():
    with pytest.raises(SurveyDataError, match=r"1.5 \(row 1\)"):
        complaints.churn_by_calls(pd.DataFrame({"c": [1, 1.5], "churn": [True, False]}), "c", "churn")


# --- complaint handling and loyalty ------------------------------------------------------


def test_loyalty_by_rating_by_hand():
    survey = pd.DataFrame({"CUSCO": [2, 2, 2, 9, 9], "L1": [3, 5, 10, 9, 10], "L2": [5, 5, 8, 9, 8]})
    table = complaints.loyalty_by_rating(survey, "CUSCO", ["L1", "L2"], top_box=9).set_index("rating")
    scores = np.array([4.0, 5.0, 9.0])
    half = 4.302652729911275 * scores.std(ddof=1) / math.sqrt(3)  # t(2) 97.5% quantile
    assert table.loc[2, "mean_loyalty"] == pytest.approx(6.0)
    assert table.loc[2, "mean_low"] == pytest.approx(6.0 - half)
    assert table.loc[2, "top_box"] == pytest.approx(1 / 3)
    assert table.loc[9, "top_box"] == pytest.approx(1.0)
    assert (table.loc[2, "top_low"], table.loc[2, "top_high"]) == pytest.approx(wilson_by_hand(1, 3))


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
    assert "seed 003 assumption" in share.loc["negative", "assumption"]
    with pytest.raises(StudyError, match="'share', 'cascade'"):
        complaints.word_of_mouth(1, 1, reading="viral")
    with pytest.raises(StudyError, match="retell_share"):
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
    expected = table.apply(lambda r: truth[r["status"]] if r["status"] == "no_problem" else truth[r["status"]][r["severity"]], axis=1)
    assert len(table) == 9
    inside = (table["low"] <= expected) & (expected <= table["high"])
    assert inside.all(), table.assign(expected=expected)[~inside]
    # and jointly: chi-square goodness of fit over the nine cells
    chi2 = (((table["events"] - table["n"] * expected) ** 2) / (table["n"] * expected * (1 - expected))).sum()
    assert stats.chi2.sf(chi2, len(table)) > 0.001
    # the funnel's voice rate and escalation shares match the generating values too
    funnel = complaints.complaint_funnel(panel.data, ci=0.999).set_index("stage")
    esc = panel.truth["escalation"]
    for stage, value in {"complained": 0.5, "escalated": esc["front_line_unresolved"] * esc["middle_escalate"],
                         "top_management": esc["middle_unresolved"] * esc["top_escalate"]}.items():
        assert funnel.loc[stage, "low"] <= value <= funnel.loc[stage, "high"], stage


def test_loyalty_by_rating_interval_cut_to_scale():
    survey = pd.DataFrame({"CUSCO": [3, 3, 3], "L1": [1, 2, 10]})
    table = complaints.loyalty_by_rating(survey, "CUSCO", "L1", top_box=9, scale=(1, 10))
    assert table["mean_low"].item() == 1 and table["mean_high"].item() == 10


# --- notebook helpers: columns, findings and records ---------------------------------------


def test_study_columns_resolves_defaults_and_rejects_wrong_names():
    from types import SimpleNamespace

    accounts = pd.DataFrame({"churn": [True, False], "number_customer_service_calls": [4, 0]})
    columns = complaints.study_columns(SimpleNamespace(data=accounts, name="acc", kind="real"))
    assert (columns.outcome, columns.status, columns.calls, columns.churn) == ("churn", None, "number_customer_service_calls", "churn")
    assert not columns.has_status and columns.has_calls and not columns.higher_is_better
    assert "has no complaint statuses" in columns.missing("complaint statuses")
    with pytest.raises(StudyError, match="available columns"):  # a name the user chose must exist
        complaints.study_columns(SimpleNamespace(data=accounts, name="acc", kind="real"), outcome="churned")
    with pytest.raises(StudyError, match="available columns"):  # on simulated/user data even the default must
        complaints.study_columns(SimpleNamespace(data=accounts, name="acc", kind="user"))


def test_study_columns_derives_quick_status_from_hours():
    from types import SimpleNamespace

    log = pd.DataFrame({"complaint_status": ["resolved", "resolved", "no_problem"], "severity": ["minor", "major", None],
                        "repurchase": [1, 0, 1], "resolution_hours": [3.0, 40.0, None]})
    columns = complaints.study_columns(SimpleNamespace(data=log, name="log", kind="user"), fast_hours=24)
    assert columns.data["complaint_status"].astype(str).tolist() == ["resolved_quickly", "resolved", "no_problem"]
    assert columns.has_status and columns.has_times and columns.higher_is_better


@pytest.mark.parametrize("bad", [{"retell_share": 1.5}, {"fast_hours": 0}, {"n": -1}, {"bootstrap": "many"}])
def test_check_parameters_names_the_bad_one(bad):
    good = dict(n=10, bootstrap=0, fast_hours=24, retell_share=0.2, tell_dissatisfied=10, retell_count=20, tell_satisfied=5)
    complaints.check_parameters(**good)
    with pytest.raises(StudyError, match=list(bad)[0]):
        complaints.check_parameters(**{**good, **bad})


def test_funnel_finding_and_record_both_verdicts():
    funnel = complaints.complaint_funnel(funnel_panel())  # 4 of 6 complained
    sentence = complaints.funnel_finding(funnel)
    low, high = wilson_by_hand(4, 6)
    assert "66.7% complained" in sentence and f"{low:.1%} to {high:.1%}" in sentence
    assert "lies outside" in sentence
    assert "lies inside" in complaints.funnel_finding(funnel, seed_voice_rate=0.5)
    record = complaints.funnel_record(funnel)
    assert record["voice_rate"] == pytest.approx(4 / 6)
    assert record["funnel"] == {"respondents": 10, "problem": 6, "complained": 4, "resolved_first_contact": 1,
                                "escalated": 2, "top_management": 1}


def test_tarp_findings_range_and_coverage():
    table = pd.DataFrame({"status": ["no_problem", "resolved", "unresolved"], "severity": ["none", "minor", "major"],
                          "rate": [0.9, 0.7, 0.2], "low": [0.85, 0.6, 0.1], "high": [0.95, 0.8, 0.3]})
    coverage, spread = complaints.tarp_findings(table, "repurchase", {"no_problem": 0.9, "resolved": {"minor": 0.5},
                                                                       "unresolved": {"major": 0.25}})
    assert "inside 67% of the 95% intervals" in coverage  # 2 of 3 cells cover the truth
    assert spread == "The repurchase rate ranges from 20% (unresolved, major) to 90% (no_problem, none)."
    assert len(complaints.tarp_findings(table, "repurchase")) == 1
    assert complaints.tarp_record(table) == {"no_problem": {"none": 0.9}, "resolved": {"minor": 0.7},
                                             "unresolved": {"major": 0.2}}
    seeded = complaints.with_seed_rates(table, True)
    assert seeded["seed_rate"].tolist()[1:] == [0.74, 0.19]
    assert "seed_rate" not in complaints.with_seed_rates(table, False)


def test_chi_square_finding_lists_significant_severities():
    tests = pd.DataFrame({"severity": ["major", "minor"], "p_value": [0.01, 0.2]})
    assert complaints.chi_square_finding(tests, "churn").endswith("for severity: major.")
    assert complaints.chi_square_finding(tests.assign(p_value=0.5), "churn").endswith("for severity: none.")


def test_paradox_finding_states_numbers_verdict_and_bootstrap_agreement():
    result = complaints.recovery_paradox(paradox_log(56, 70, 48, 80), "rep", "status", bootstrap=2000, seed=1)
    sentence = complaints.paradox_finding(result, "rep", 2000)
    assert "rep 80.0% (n = 70)" in sentence and "no problem: 60.0% (n = 80)" in sentence
    assert "difference +20.0%" in sentence and "**supported**" in sentence and "agrees" in sentence
    fragile = complaints.RecoveryParadox(0.8, 0.6, 70, 80, 0.2, 0.01, 0.39, 0.04, "supported",
                                         bootstrap_low=-0.01, bootstrap_high=0.4)
    assert "does not agree, so the verdict is fragile" in complaints.paradox_finding(fragile, "rep", 500)
    assert "bootstrap" not in complaints.paradox_finding(result, "rep", 0)
    assert complaints.paradox_record(result) == {"difference": pytest.approx(0.2), "low": result.low,
                                                 "high": result.high, "p_value": result.p_value}
    assert complaints.paradox_table(result)["verdict"].item() == "supported"


def test_paradox_by_severity_compares_each_severity_with_no_problem():
    log = pd.DataFrame({
        "status": ["no_problem"] * 80 + ["resolved_quickly"] * 40 + ["resolved_quickly"] * 30,
        "severity": [None] * 80 + ["major"] * 40 + ["minor"] * 30,
        "rep": [1] * 48 + [0] * 32 + [1] * 20 + [0] * 20 + [1] * 27 + [0] * 3,
    })
    table = complaints.paradox_by_severity(log, "rep", "status", "severity").set_index("severity")
    assert table.loc["major", "difference"] == pytest.approx(20 / 40 - 48 / 80)
    assert table.loc["minor", "difference"] == pytest.approx(27 / 30 - 48 / 80)
    assert table.loc["minor", "verdict"] == "supported"


def test_resolution_findings_read_the_interval():
    summary = pd.DataFrame({"median_hours": [30.2], "resolved_within_fast": [0.41]})
    slower_worse = complaints.TimeEffect(0.8, 0.7, 0.9, 0.001, 100, pd.DataFrame())
    median, effect = complaints.resolution_findings(summary, slower_worse, "repurchase", 24)
    assert median == "Half of the complaints are resolved within 30 hours (Kaplan-Meier median); 41% within 24 hours."
    assert "by 0.80 (95% CI 0.70 to 0.90" in effect and effect.endswith("slower resolution, less repurchase.")
    unclear = complaints.TimeEffect(1.1, 0.9, 1.3, 0.4, 100, pd.DataFrame())
    assert complaints.resolution_findings(summary, unclear, "repurchase", 24)[1].endswith("no clear effect of the resolution time.")
    never = complaints.resolution_findings(summary.assign(median_hours=np.nan), unclear, "repurchase", 24)[0]
    assert never.startswith("Fewer than half of the complaints are resolved")


def test_calls_finding_with_and_without_a_threshold():
    jumps = complaints.call_threshold(pd.DataFrame({"calls": [0, 1, 2], "n": [500, 500, 100], "events": [50, 55, 45]}))
    odds = pd.DataFrame({"term": ["calls_at_or_above_threshold"], "odds_ratio": [7.14], "low": [4.6], "high": [11.0]})
    sentence = complaints.calls_finding(jumps, odds, "calls", ["plan"])
    assert sentence.startswith("Churn jumps at 2 calls: 45% against 10% below")  # 105/1000 below
    assert "adjusted for plan, the odds ratio is 7.1 (95% CI 4.6 to 11.0)" in sentence
    assert complaints.threshold_level(jumps) == 2
    flat = complaints.call_threshold(pd.DataFrame({"calls": [0, 1], "n": [500, 500], "events": [50, 52]}))
    assert complaints.threshold_level(flat) is None
    assert complaints.calls_finding(flat, odds, "calls") == "No call count shows churn significantly above the levels below it."


def test_correlation_finding_direction_from_interval():
    row = pd.DataFrame({"n": [250], "rho": [-0.41], "low": [-0.5], "high": [-0.3]})
    assert "move in opposite directions: Spearman rho = -0.41 (95% CI -0.50 to -0.30, n = 250)" in complaints.correlation_finding(row)


def test_word_of_mouth_by_status_counts_customers_by_hand():
    log = pd.DataFrame({"s": ["no_complaint"] * 3 + ["unresolved"] * 2 + ["resolved"] + ["no_problem"] * 4})
    table = complaints.word_of_mouth_by_status(log, "s")
    share = table[table["reading"] == "share"].set_index("story")
    assert share.loc["negative", "customers"] == 5 and share.loc["positive", "customers"] == 5
    assert share.loc["negative", "people_reached"] == 5 * (0.8 * 10 + 0.2 * 20)
    assert complaints.word_of_mouth_finding(table).startswith(
        "Under seed 003's multipliers, 5 dissatisfied customers reach about 60 people with a negative story and "
        "5 satisfied customers about 25")
