"""NPS, CSAT, CES, CSS, compare and summarize against hand-worked and textbook oracles."""

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint, proportions_ztest

from csat_analysis import metrics
from csat_analysis.errors import ParameterError, SurveyDataError
from csat_analysis.metrics import (
    Comparison,
    Estimate,
    ces,
    compare,
    csat_score,
    disconfirmation,
    disconfirmation_score,
    nps,
    satisfaction_ratio,
    summarize,
)
from csat_analysis.scaling import Scale

Z95 = 1.959963984540054

# --- NPS ---------------------------------------------------------------------------------


def test_nps_hand_example():
    # promoters 10, 9, 10, 10, 9 (5 of 10); detractors 6, 3, 0 (3 of 10)
    est = nps([10, 9, 8, 7, 6, 3, 10, 10, 9, 0])
    assert est.value == pytest.approx(20.0)
    assert est.se == pytest.approx(100 * np.sqrt((0.5 + 0.3 - 0.2**2) / 10))
    assert (est.low, est.high) == pytest.approx((20 - Z95 * est.se, 20 + Z95 * est.se))
    assert (est.n, est.n_eff, est.n_dropped) == (10, 10.0, 0)
    assert float(est) == pytest.approx(20.0)


def test_nps_variance_is_the_variance_of_the_plus_minus_score():
    # textbook: NPS is the mean of +1 (promoter), 0, -1 (detractor); var = population var / n
    rng = np.random.default_rng(3)
    scores = rng.integers(0, 11, 5000)
    plus_minus = np.where(scores >= 9, 1.0, np.where(scores <= 6, -1.0, 0.0))
    est = nps(scores)
    assert est.value == pytest.approx(100 * plus_minus.mean())
    assert est.se == pytest.approx(100 * plus_minus.std(ddof=0) / np.sqrt(scores.size))


def test_weighted_nps_against_direct_weighted_computation():
    rng = np.random.default_rng(4)
    scores = rng.integers(0, 11, 400)
    weights = rng.uniform(0.2, 3.0, 400)
    promoters = np.sum(weights * (scores >= 9)) / weights.sum()
    detractors = np.sum(weights * (scores <= 6)) / weights.sum()
    n_eff = weights.sum() ** 2 / np.sum(weights**2)
    est = nps(scores, weights=weights)
    assert est.value == pytest.approx(100 * (promoters - detractors))
    assert est.n_eff == pytest.approx(n_eff)
    assert est.se == pytest.approx(100 * np.sqrt((promoters + detractors - (promoters - detractors) ** 2) / n_eff))


def test_nps_interval_stays_on_the_scale():
    est = nps([10, 10, 10])
    assert est.value == 100 and est.high == 100 and est.low <= 100


def test_nps_bootstrap_is_seeded_and_agrees_with_analytic_for_large_n():
    rng = np.random.default_rng(5)
    scores = rng.choice(11, 20_000, p=np.r_[np.full(7, 0.04), 0.1, 0.12, 0.2, 0.3])
    analytic = nps(scores)
    boot = nps(scores, method="bootstrap", n_boot=10_000, seed=11)
    again = nps(scores, method="bootstrap", n_boot=10_000, seed=11)
    other = nps(scores, method="bootstrap", n_boot=10_000, seed=12)
    assert boot == again
    assert boot.low != other.low
    assert boot.value == analytic.value
    # 10,000 resamples estimate the se to about 0.7%; the percentile interval is near-normal
    assert boot.se == pytest.approx(analytic.se, rel=0.04)
    assert boot.low == pytest.approx(analytic.low, abs=0.1 * analytic.se)
    assert boot.high == pytest.approx(analytic.high, abs=0.1 * analytic.se)


def test_weighted_nps_bootstrap_resamples_n_eff():
    rng = np.random.default_rng(6)
    scores = rng.integers(0, 11, 3000)
    weights = rng.choice([1.0, 4.0], 3000)
    analytic = nps(scores, weights=weights)
    boot = nps(scores, weights=weights, method="bootstrap", n_boot=8000, seed=1)
    assert boot.se == pytest.approx(analytic.se, rel=0.05)
    assert boot.low < boot.value < boot.high


def test_nps_missing_values_are_dropped_and_counted():
    est = nps(pd.Series([10, None, 0, np.nan, 9]))
    assert (est.n, est.n_dropped) == (3, 2)
    assert est.value == pytest.approx(100 * (2 / 3 - 1 / 3))
    with pytest.raises(SurveyDataError, match=r"nan_policy='raise'.*row 1"):
        nps(pd.Series([10, None, 0]), nan_policy="raise")


def test_nps_of_nothing_is_empty():
    est = nps([np.nan, np.nan])
    assert est.n == 0 and est.n_dropped == 2 and np.isnan(est.value)


# --- CSAT and CES ------------------------------------------------------------------------


def test_csat_hand_example_and_wilson_oracle():
    scores = [5, 4, 4, 3, 2, 5, 1, 4]  # 5 of 8 answer 4 or 5
    est = csat_score(scores)
    assert est.value == pytest.approx(62.5)
    low, high = proportion_confint(5, 8, alpha=0.05, method="wilson")
    assert (est.low, est.high) == pytest.approx((100 * low, 100 * high))
    assert est.se == pytest.approx(100 * np.sqrt(0.625 * 0.375 / 8))


def test_csat_top_box_and_scale_choices():
    assert csat_score([5, 4, 4, 3], top_box=1).value == pytest.approx(25.0)
    assert csat_score([10, 9, 8, 0], scale=(0, 10), top_box=2).value == pytest.approx(50.0)
    labels = Scale(
        1, 5, labels={"Very dissatisfied": 1, "Dissatisfied": 2, "Neutral": 3, "Satisfied": 4, "Very satisfied": 5}
    )
    assert csat_score(["Satisfied", "Neutral", "Very satisfied", "Dissatisfied"], scale=labels).value == 50.0


def test_weighted_csat_against_direct_weighted_share():
    scores = np.array([5, 1, 4, 2, 3, 5])
    weights = np.array([1.0, 2.0, 0.5, 1.5, 1.0, 3.0])
    share = weights[scores >= 4].sum() / weights.sum()
    n_eff = weights.sum() ** 2 / np.sum(weights**2)
    est = csat_score(scores, weights=weights)
    assert est.value == pytest.approx(100 * share)
    assert est.n_eff == pytest.approx(n_eff)
    centre = (share + Z95**2 / (2 * n_eff)) / (1 + Z95**2 / n_eff)
    half = Z95 * np.sqrt(share * (1 - share) / n_eff + Z95**2 / (4 * n_eff**2)) / (1 + Z95**2 / n_eff)
    assert (est.low, est.high) == pytest.approx((100 * (centre - half), 100 * (centre + half)))


def test_csat_bootstrap_close_to_binomial_se():
    rng = np.random.default_rng(8)
    scores = rng.integers(1, 6, 10_000)
    boot = csat_score(scores, method="bootstrap", seed=2)
    assert boot.se == pytest.approx(csat_score(scores).se, rel=0.04)


def test_ces_against_scipy_t_interval():
    scores = np.array([2, 3, 1, 4, 2, 6, 5, 2])
    est = ces(scores)
    low, high = stats.t.interval(0.95, scores.size - 1, loc=scores.mean(), scale=stats.sem(scores))
    assert est.value == pytest.approx(scores.mean())
    assert est.se == pytest.approx(stats.sem(scores))
    assert (est.low, est.high) == pytest.approx((low, high))


def test_weighted_ces_against_direct_formula():
    scores = np.array([1.0, 2, 7, 4, 5, 3])
    weights = np.array([2.0, 1, 1, 3, 1, 2])
    mean = np.sum(weights * scores) / weights.sum()
    n_eff = weights.sum() ** 2 / np.sum(weights**2)
    variance = np.sum(weights * (scores - mean) ** 2) / weights.sum() * n_eff / (n_eff - 1)
    se = np.sqrt(variance / n_eff)
    est = ces(scores, weights=weights)
    assert est.value == pytest.approx(mean)
    assert est.se == pytest.approx(se)
    assert est.high == pytest.approx(mean + stats.t.ppf(0.975, n_eff - 1) * se)


def test_ces_bootstrap_close_to_analytic():
    rng = np.random.default_rng(9)
    scores = rng.integers(1, 8, 5000)
    assert ces(scores, method="bootstrap", seed=3).se == pytest.approx(ces(scores).se, rel=0.04)


# --- expectation and perception ----------------------------------------------------------


def test_satisfaction_ratio_and_disconfirmation():
    assert satisfaction_ratio(9, 8) == pytest.approx(1.125)
    ratios = satisfaction_ratio(pd.Series([6, 8, 10], index=list("xyz")), 8)
    assert list(ratios.index) == list("xyz")
    np.testing.assert_allclose(ratios, [0.75, 1.0, 1.25])
    assert disconfirmation_score(7, 8) == -1.0
    categories = disconfirmation([6, 8.3, 8.5, 10, np.nan], [8, 8, 8, 8, 8], tolerance=0.05)
    # 8.3 / 8 = 1.0375 lies in the band; 8.5 / 8 = 1.0625 does not
    assert categories.tolist()[:4] == ["disappointed", "satisfied", "delighted", "delighted"]
    assert pd.isna(categories.iloc[4])
    assert list(categories.cat.categories) == ["disappointed", "satisfied", "delighted"]
    assert disconfirmation(8, 8, tolerance=0) == "satisfied"
    assert disconfirmation(7.9, 8, tolerance=0) == "disappointed"


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: satisfaction_ratio([5, 6], [0, 4]), r"positive.*0 \(row 0\)"),
        (lambda: satisfaction_ratio(["a"], [4]), "non-numeric"),
    ],
)
def test_css_bad_input(call, message):
    with pytest.raises(SurveyDataError, match=message):
        call()


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: disconfirmation(5, 4, tolerance=-0.1), "non-negative"),
    ],
)
def test_css_argument_mistakes(call, message):
    with pytest.raises(ParameterError, match=message):
        call()


# --- compare -------------------------------------------------------------------------------


def test_compare_nps_hand_worked():
    a = [10, 9, 9, 7, 3] * 40  # NPS 40 on 200
    b = [10, 8, 6, 5, 3] * 40  # NPS -40 on 200
    result = compare(a, b, metric="nps")
    se_a = 100 * np.sqrt((0.6 + 0.2 - 0.4**2) / 200)
    se_b = 100 * np.sqrt((0.2 + 0.6 - 0.4**2) / 200)
    se = np.hypot(se_a, se_b)
    assert isinstance(result, Comparison)
    assert result.difference == pytest.approx(80)
    assert result.se == pytest.approx(se)
    assert result.p_value == pytest.approx(2 * stats.norm.sf(80 / se))
    assert (result.low, result.high) == pytest.approx((80 - Z95 * se, 80 + Z95 * se))
    assert (result.n_a, result.n_b) == (200, 200)
    assert list(result.to_frame().columns) == [
        "metric",
        "value_a",
        "value_b",
        "difference",
        "se",
        "low",
        "high",
        "p_value",
        "n_a",
        "n_b",
    ]


def test_compare_csat_against_statsmodels_two_proportion_test():
    a = [5] * 45 + [3] * 55
    b = [4] * 30 + [2] * 90
    result = compare(a, b, metric="csat")
    _, p_value = proportions_ztest([45, 30], [100, 120])
    low, high = confint_proportions_2indep(45, 100, 30, 120, method="wald", compare="diff")
    assert result.difference == pytest.approx(100 * (0.45 - 0.25))
    assert result.p_value == pytest.approx(p_value)
    assert (result.low, result.high) == pytest.approx((100 * low, 100 * high))


def test_compare_proportion_uses_shares():
    result = compare([1] * 30 + [0] * 70, [1] * 50 + [0] * 50, metric="proportion")
    _, p_value = proportions_ztest([30, 50], [100, 100])
    assert result.difference == pytest.approx(-0.2)
    assert result.p_value == pytest.approx(p_value)


def test_compare_ces_against_welch_t_test():
    rng = np.random.default_rng(12)
    a = rng.integers(1, 8, 60)
    b = rng.integers(2, 8, 45)
    result = compare(a, b, metric="ces")
    welch = stats.ttest_ind(a, b, equal_var=False)
    interval = welch.confidence_interval(0.95)
    assert result.difference == pytest.approx(a.mean() - b.mean())
    assert result.p_value == pytest.approx(welch.pvalue)
    assert (result.low, result.high) == pytest.approx((interval.low, interval.high))


def test_compare_rejects_unknown_metric_listing_choices():
    with pytest.raises(ParameterError, match="'nps', 'csat', 'ces', 'proportion'"):
        compare([1], [2], metric="mean")


# --- summarize -----------------------------------------------------------------------------


@pytest.fixture
def responses():
    rng = np.random.default_rng(21)
    n = 3000
    frame = pd.DataFrame(
        {
            "store": rng.choice(["north", "south", "east"], n),
            "month": pd.Categorical(rng.choice(["jan", "feb"], n), categories=["jan", "feb", "mar"]),
            "nps": rng.integers(0, 11, n).astype(float),
            "csat": rng.integers(1, 6, n).astype(float),
            "ces": rng.integers(1, 8, n).astype(float),
            "w": rng.uniform(0.5, 2.0, n),
        }
    )
    frame.loc[rng.choice(n, 100, replace=False), "nps"] = np.nan
    return frame


def test_summarize_matches_direct_groupby_computation(responses):
    table = summarize(responses, ["store", "month"], nps="nps", csat="csat", ces="ces")
    assert list(table.columns) == ["store", "month", "metric", "value", "se", "low", "high", "n", "n_eff"]
    groups = responses.groupby(["store", "month"], observed=True)
    direct_nps = groups["nps"].apply(lambda s: 100 * ((s.dropna() >= 9).mean() - (s.dropna() <= 6).mean()))
    direct_csat = groups["csat"].apply(lambda s: 100 * (s >= 4).mean())
    direct_ces = groups["ces"].agg(["mean", "sem", "count"])
    got = table.set_index(["store", "month", "metric"])
    keys = list(direct_nps.index)
    assert [k[:2] for k in got.xs("nps", level="metric").index] == keys  # groupby's order
    np.testing.assert_allclose(got.xs("nps", level="metric")["value"], direct_nps)
    np.testing.assert_allclose(got.xs("nps", level="metric")["n"], groups["nps"].count())
    np.testing.assert_allclose(got.xs("csat", level="metric")["value"], direct_csat)
    np.testing.assert_allclose(got.xs("ces", level="metric")["value"], direct_ces["mean"])
    np.testing.assert_allclose(got.xs("ces", level="metric")["se"], direct_ces["sem"])


def test_summarize_agrees_with_single_group_estimators(responses):
    table = summarize(responses, "store", nps="nps", csat="csat", weights="w")
    for store, group in responses.groupby("store"):
        for metric, function in (("nps", nps), ("csat", csat_score)):
            row = table[(table["store"] == store) & (table["metric"] == metric)].iloc[0]
            est = function(group[metric], weights=group["w"])
            assert (row["value"], row["se"], row["low"], row["high"], row["n_eff"]) == pytest.approx(
                (est.value, est.se, est.low, est.high, est.n_eff)
            )
            assert row["n"] == est.n


def test_summarize_weighted_against_direct_weighted_share(responses):
    table = summarize(responses, "store", csat="csat", weights="w")
    for store, group in responses.groupby("store"):
        share = group.loc[group["csat"] >= 4, "w"].sum() / group["w"].sum()
        row = table[table["store"] == store].iloc[0]
        assert row["value"] == pytest.approx(100 * share)
        assert row["n_eff"] == pytest.approx(group["w"].sum() ** 2 / (group["w"] ** 2).sum())


def test_summarize_categorical_groupers_and_empty_groups(responses):
    observed = summarize(responses, "month", nps="nps")
    assert observed["month"].tolist() == ["jan", "feb"]  # category order, unused "mar" left out
    assert isinstance(observed["month"].dtype, pd.CategoricalDtype)
    everything = summarize(responses, "month", nps="nps", observed=False)
    empty = everything[everything["month"] == "mar"].iloc[0]
    assert empty["n"] == 0 and empty["n_eff"] == 0
    assert np.isnan(empty[["value", "se", "low", "high"]].astype(float)).all()


def test_summarize_all_missing_group_gives_n_zero_row():
    frame = pd.DataFrame({"g": ["a", "a", "b"], "nps": [9, 10, np.nan], "ces": [1, 2, 3]})
    table = summarize(frame, "g", nps="nps", ces="ces")
    row = table[(table["g"] == "b") & (table["metric"] == "nps")].iloc[0]
    assert row["n"] == 0 and np.isnan(row["value"])
    assert table[(table["g"] == "b") & (table["metric"] == "ces")]["n"].item() == 1


def test_summarize_without_groups_and_with_missing_keys():
    frame = pd.DataFrame({"g": ["a", None, "b", "a"], "nps": [10, 0, 9, 3]})
    overall = summarize(frame, nps="nps")
    assert list(overall.columns) == ["metric", "value", "se", "low", "high", "n", "n_eff"]
    assert overall["value"].item() == pytest.approx(nps(frame["nps"]).value)
    by_group = summarize(frame, "g", nps="nps")
    assert by_group["g"].tolist() == ["a", "b"] and by_group["n"].tolist() == [2, 1]


def test_summarize_integer_keys_keep_their_values():
    frame = pd.DataFrame({"store": [1007, 1003, 1007, 2000], "nps": [10, 0, 9, 5]})
    table = summarize(frame, "store", nps="nps")
    assert table["store"].tolist() == [1003, 1007, 2000]
    assert table["value"].tolist() == pytest.approx([-100.0, 100.0, -100.0])


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"nps": "nps", "by": "shop"}, r"by: column\(s\) 'shop' not in the data"),
        ({"csat": "nps"}, r"outside the scale 1\.\.5: 9\.0 \(row 1\)"),
        ({"nps": "nps", "weights": "bad_w"}, r"weights must be positive and finite; got -1\.0 \(row 2\)"),
        ({"nps": "nps", "nan_policy": "raise"}, r"nan_policy='raise'.*row 3"),
    ],
)
def test_summarize_bad_input(kwargs, message):
    frame = pd.DataFrame({"nps": [1, 9, 10, np.nan], "bad_w": [1.0, 1.0, -1.0, 1.0]})
    with pytest.raises(SurveyDataError, match=message):
        summarize(frame, **kwargs)


@pytest.mark.parametrize(
    "call, message",
    [
        ({}, "at least one score column"),
        ({"nps": "nps", "nan_policy": "skip"}, "'omit', 'raise'"),
    ],
)
def test_summarize_argument_mistakes(call, message):
    frame = pd.DataFrame({"nps": [1, 9, 10, np.nan]})
    with pytest.raises(ParameterError, match=message):
        summarize(frame, **call)


# --- bad input for the estimators ----------------------------------------------------------


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: nps([3, 11, 12]), r"outside the scale 0\.\.10: 11 \(row 1\), 12 \(row 2\)"),
        (lambda: nps(["9", "ten"]), r"non-numeric values 'ten' \(row 1\)"),
        (lambda: csat_score([0, 5]), r"outside the scale 1\.\.5: 0 \(row 0\)"),
        (lambda: ces([8]), r"outside the scale 1\.\.7"),
        (lambda: nps([9, 10], weights=[1, -2]), r"positive and finite; got -2 \(row 1\)"),
        (lambda: nps([9, 10], weights=[1, 0]), r"positive.*got 0 \(row 1\)"),
        (lambda: csat_score(["Great"], scale=Scale(1, 5, labels={"Good": 4})), r"unknown labels \['Great'\]"),
    ],
)
def test_estimator_bad_input(call, message):
    with pytest.raises(SurveyDataError, match=message):
        call()


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: nps([9, 10], weights=[1]), "1 weights for 2"),
        (lambda: nps([9], method="jackknife"), "'analytic', 'bootstrap'"),
        (lambda: nps([9], ci=1.5), "between 0 and 1"),
        (lambda: csat_score([5], top_box=5), "from 1 to 4"),
        (lambda: nps([9], method="bootstrap", n_boot=1), "at least 2"),
    ],
)
def test_estimator_argument_mistakes(call, message):
    with pytest.raises(ParameterError, match=message):
        call()


def test_estimate_is_unchanged_for_existing_callers():
    est = Estimate(1.0, 0.1, 0.8, 1.2, 10, 10.0)
    assert est.n_dropped == 0 and float(est) == 1.0
    assert Estimate.empty(3).n_dropped == 3


# --- tidy grouped rates and means -------------------------------------------------------


def test_rates_match_wilson_per_group_and_count_events():
    from statsmodels.stats.proportion import proportion_confint

    frame = pd.DataFrame({"g": ["b"] * 7 + ["a"] * 5 + ["c"], "y": [1, 1, 0, 1, 0, 0, 1] + [0, 0, 1, 0, None] + [1]})
    table = metrics.rates(frame, "y", "g")
    assert table.columns.tolist() == ["g", "n", "n_eff", "events", "rate", "low", "high"]
    assert table["g"].tolist() == ["a", "b", "c"]
    assert table["n"].tolist() == [4, 7, 1] and table["events"].tolist() == [1, 4, 1]
    for row, (events, n) in zip(table.itertuples(), [(1, 4), (4, 7), (1, 1)]):
        low, high = proportion_confint(events, n, method="wilson")
        assert row.rate == pytest.approx(events / n)
        assert (row.low, row.high) == pytest.approx((low, high))


def test_rates_weighted_use_kish_effective_size():
    frame = pd.DataFrame({"y": [1, 0, 0, 1], "w": [1.0, 3.0, 1.0, 1.0]})
    row = metrics.rates(frame, "y", weights="w").iloc[0]
    n_eff = 6**2 / 12  # (sum w)^2 / sum w^2
    assert row.rate == pytest.approx(2 / 6) and row.n_eff == pytest.approx(n_eff)
    assert (row.low, row.high) == pytest.approx(metrics.wilson_interval(2 / 6, n_eff))


def test_rates_bad_flag_names_rows():
    with pytest.raises(SurveyDataError, match=r"'y'.*2 \(row 1\)"):
        metrics.rates(pd.DataFrame({"y": [1, 2]}), "y")


def test_mean_matches_t_interval_and_ces():
    values = [2.0, 3.0, 1.0, 4.0, 2.0, 6.0]
    est = metrics.mean(values)
    low, high = stats.t.interval(0.95, len(values) - 1, loc=np.mean(values), scale=stats.sem(values))
    assert (est.value, est.low, est.high) == pytest.approx((3.0, low, high))
    assert metrics.ces(values).to_dict() == pytest.approx(est.to_dict())
    assert math.isnan(metrics.mean([5.0]).se)


def test_mean_table_per_group_equals_scipy_and_weighted_mean():
    frame = pd.DataFrame({"g": list("aaabb"), "x": [1.0, 2.0, 6.0, 4.0, None], "w": [1.0, 1.0, 2.0, 1.0, 1.0]})
    table = metrics.mean_table(frame, "x", "g")
    a = table.iloc[0]
    low, high = stats.t.interval(0.95, 2, loc=3.0, scale=stats.sem([1, 2, 6]))
    assert (a["mean"], a.low, a.high) == pytest.approx((3.0, low, high))
    assert table["n"].tolist() == [3, 1]
    weighted = metrics.mean_table(frame, "x", "g", weights="w").iloc[0]
    assert weighted["mean"] == pytest.approx((1 + 2 + 12) / 4) and weighted.n_eff == pytest.approx(16 / 6)


def test_group_sums_are_groupby_sums():
    frame = pd.DataFrame({"g": ["b", "a", "b", None], "v": [1.0, 2.0, 3.0, 4.0]})
    table = metrics.group_sums(frame, "g", {"v": frame["v"].to_numpy()})
    expected = frame.groupby("g")["v"].agg(["size", "sum"])
    assert table["n"].tolist() == expected["size"].tolist() and table["v"].tolist() == expected["sum"].tolist()


# --- one vocabulary ------------------------------------------------------------------------


def test_estimate_lives_in_its_own_module_and_metrics_reexports_it():
    from csat_analysis import estimate, scaling

    assert metrics.Estimate is estimate.Estimate
    alpha = scaling.cronbach_alpha(pd.DataFrame({"a": [1, 2, 3, 4], "b": [2, 1, 4, 3], "c": [1, 3, 3, 4]}))
    assert isinstance(alpha, metrics.Estimate)


def test_csat_uses_the_one_top_box_rule():
    from csat_analysis.scaling import top_box

    # means of two items on 1-10: 8.5 is not in the top two boxes, 9 is
    scores = [8.5, 9.0, 9.5, 7.0, 10.0, 8.99]
    expected = 100 * float(top_box(scores, (1, 10), k=2).mean())
    assert expected == pytest.approx(50.0)
    assert csat_score(scores, scale=(1, 10), top_box=2).value == pytest.approx(expected)
    table = summarize(pd.DataFrame({"s": scores}), csat="s", csat_scale=(1, 10), top_box=2)
    assert table["value"].iloc[0] == pytest.approx(expected)
    assert compare(scores, scores, metric="csat", scale=(1, 10)).value_a == pytest.approx(expected)


def test_grouped_tables_take_weights_by_name_or_vector():
    frame = pd.DataFrame({"g": ["a", "a", "b", "b"], "nps": [10, 0, 9, 7], "w": [3.0, 1.0, 1.0, 2.0]})
    by_name = summarize(frame, "g", nps="nps", weights="w")
    by_vector = summarize(frame, by="g", nps="nps", weights=frame["w"].to_numpy())
    pd.testing.assert_frame_equal(by_name, by_vector)
    # weighted NPS of group a: (3 promoters - 1 detractor) / 4 weight
    assert by_name["value"].iloc[0] == pytest.approx(50.0)


def test_a_column_name_without_data_is_an_argument_mistake():
    with pytest.raises(ParameterError, match=r"pass data\['w'\]"):
        nps([9, 10], weights="w")
