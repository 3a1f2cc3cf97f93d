"""csat_analysis.loyalty against independent oracles (statsmodels, scipy, hand counts)."""

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from csat_analysis import datasets, loyalty
from csat_analysis.errors import StudyError, SurveyDataError


@pytest.fixture(scope="module")
def mobi():
    return datasets.load("mobi")


def test_composite_is_item_mean_and_missing_when_all_missing():
    frame = pd.DataFrame({"a": [1.0, np.nan, np.nan], "b": [3.0, 6.0, np.nan]})
    assert loyalty.composite_score(frame, ["a", "b"]).tolist()[:2] == [2.0, 6.0]
    assert np.isnan(loyalty.composite_score(frame, ["a", "b"]).iloc[2])


def test_unknown_column_names_the_parameter_and_the_column(mobi):
    with pytest.raises(SurveyDataError, match=r"satisfaction: column\(s\) 'CUSA9'"):
        loyalty.loyalty_curve(mobi, ["CUSA1", "CUSA9"], ["CUSL1"], scale=(1, 10))


def test_text_in_an_item_is_an_error_naming_rows():
    frame = pd.DataFrame({"s": [1, "x", 3], "l": [1, 2, 3]})
    with pytest.raises(SurveyDataError, match=r"'x' \(row 1\)"):
        loyalty.loyalty_curve(frame, "s", "l", scale=(1, 3))


@pytest.mark.parametrize("top_box", [0, 11, 1.5])
def test_top_box_must_fit_the_scale(top_box):
    with pytest.raises(StudyError, match="top_box"):
        loyalty.top_box_flags(pd.Series([1.0, 10.0]), (1, 10), top_box)


def test_loyalty_curve_matches_hand_counts_and_wilson(mobi):
    curve = loyalty.loyalty_curve(mobi, ["CUSA1", "CUSA2", "CUSA3"], ["CUSL1", "CUSL3"], top_box=2, scale=(1, 10))
    # independent path: round-half-up levels, loyal when the loyalty mean >= 9
    level = np.floor(mobi[["CUSA1", "CUSA2", "CUSA3"]].mean(axis=1) + 0.5).astype(int)
    loyal = mobi[["CUSL1", "CUSL3"]].mean(axis=1) >= 9
    counts = pd.crosstab(level, loyal)
    assert curve["satisfaction"].tolist() == counts.index.tolist()
    assert curve["n"].tolist() == counts.sum(axis=1).tolist()
    assert curve["loyal"].tolist() == counts[True].tolist()
    low, high = proportion_confint(counts[True], counts.sum(axis=1), method="wilson")
    np.testing.assert_allclose(curve["share_low"], low, atol=1e-12)
    np.testing.assert_allclose(curve["share_high"], high, atol=1e-12)
    # mean loyalty with a t interval (scipy) at every level with n >= 2
    means = mobi[["CUSL1", "CUSL3"]].mean(axis=1).groupby(level)
    for _, row in curve[curve["n"] >= 2].iterrows():
        values = means.get_group(row["satisfaction"])
        t_low, t_high = stats.t.interval(0.95, len(values) - 1, loc=values.mean(), scale=stats.sem(values))
        assert row["mean"] == pytest.approx(values.mean())
        assert (row["mean_low"], row["mean_high"]) == pytest.approx((t_low, t_high))


def test_weighted_curve_share_is_weighted_mean():
    frame = pd.DataFrame({"s": [5, 5, 5], "l": [5, 1, 1], "w": [2.0, 1.0, 1.0]})
    curve = loyalty.loyalty_curve(frame, "s", "l", top_box=1, scale=(1, 5), weights="w")
    assert curve["share"].iloc[0] == pytest.approx(0.5)
    assert curve["n_eff"].iloc[0] == pytest.approx(16 / 6)


def _logistic_sample(n, intercept, slope, seed):
    rng = np.random.default_rng(seed)
    sat = rng.integers(1, 11, n).astype(float)
    p = 1 / (1 + np.exp(-(intercept + slope * sat)))
    loy = np.where(rng.random(n) < p, 10.0, 3.0)
    return pd.DataFrame({"sat": sat, "loy": loy})


def test_fit_finds_the_steepest_point_of_a_known_logistic():
    # true curve 1/(1+exp(-(x - 7.5))): slope is steepest at x = 7.5
    frame = _logistic_sample(20_000, -7.5, 1.0, seed=3)
    fit = loyalty.fit_loyalty_curve(frame, "sat", "loy", scale=(1, 10))
    assert fit.steepest == pytest.approx(7.5, abs=0.3)
    # the truth is linear on the logit scale: the curvature test should not be extreme
    assert fit.lr_pvalue > 0.001


def test_fit_likelihood_ratio_matches_an_independent_logit():
    # flat at 10% loyal up to 7, then a jump to 90%: loyalty concentrated at the top
    rng = np.random.default_rng(4)
    sat = rng.integers(1, 11, 2000).astype(float)
    p = np.where(sat <= 7, 0.1, np.where(sat == 8, 0.5, 0.9))
    frame = pd.DataFrame({"sat": sat, "loy": np.where(rng.random(2000) < p, 10.0, 3.0)})
    fit = loyalty.fit_loyalty_curve(frame, "sat", "loy", scale=(1, 10), form="quadratic")
    y = (frame["loy"] >= 9).astype(float)
    x = frame["sat"].to_numpy()
    linear = sm.Logit(y, np.column_stack([np.ones_like(x), x])).fit(disp=0)
    curved = sm.Logit(y, np.column_stack([np.ones_like(x), x, x**2])).fit(disp=0)
    lr = 2 * (curved.llf - linear.llf)
    assert fit.lr_statistic == pytest.approx(lr, rel=1e-6)
    assert fit.lr_pvalue == pytest.approx(stats.chi2.sf(lr, 1), rel=1e-6)
    assert fit.lr_pvalue < 0.001  # the jump at 8 is a strong non-linearity
    assert fit.top_gain_share > 1 / 3


def test_spline_form_and_grid_bounds():
    frame = _logistic_sample(3000, -6, 0.8, seed=5)
    fit = loyalty.fit_loyalty_curve(frame, "sat", "loy", scale=(1, 10), form="spline", spline_df=4)
    assert fit.lr_df == 3
    grid = fit.grid
    assert ((grid["low"] <= grid["predicted"]) & (grid["predicted"] <= grid["high"])).all()
    assert grid["satisfaction"].min() == 1 and grid["satisfaction"].max() == 10


def test_fit_refuses_a_constant_outcome():
    frame = pd.DataFrame({"sat": [1, 2, 3, 4], "loy": [1, 1, 1, 1]})
    with pytest.raises(StudyError, match="loyal and non-loyal"):
        loyalty.fit_loyalty_curve(frame, "sat", "loy", scale=(1, 10))


def test_wrong_form_lists_choices():
    frame = _logistic_sample(100, -6, 0.8, seed=5)
    with pytest.raises(StudyError, match="'quadratic', 'spline'"):
        loyalty.fit_loyalty_curve(frame, "sat", "loy", scale=(1, 10), form="cubic")


def test_loyalty_segments_hand_made():
    # 3 true, 2 latent, 4 spurious, 1 none
    sat = [9, 9, 10, 9, 10, 2, 3, 4, 5, 1]
    bought = [True, True, True, False, False, True, True, True, True, False]
    table = loyalty.loyalty_segments(pd.DataFrame({"sat": sat, "b": bought}), "sat", "b", attitude_threshold=9)
    assert table.set_index("segment")["n"].to_dict() == {"true": 3, "latent": 2, "spurious": 4, "none": 1}
    assert table["share"].sum() == pytest.approx(1)
    low, high = proportion_confint(4, 10, method="wilson")
    spurious = table.set_index("segment").loc["spurious"]
    assert (spurious["low"], spurious["high"]) == pytest.approx((low, high))


def test_loyalty_segments_rating_behaviour_needs_threshold_and_drops_missing():
    frame = pd.DataFrame({"sat": [9, 2, np.nan, 9], "again": [7, 7, 7, np.nan]})
    with pytest.raises(StudyError, match="behaviour_threshold"):
        loyalty.loyalty_segments(frame, "sat", "again", attitude_threshold=8)
    table = loyalty.loyalty_segments(frame, "sat", "again", attitude_threshold=8, behaviour_threshold=6)
    assert table.set_index("segment")["n"].to_dict() == {"true": 1, "latent": 0, "spurious": 1, "none": 0}


def _dealer_data(rates, per_cell):
    rows = []
    for (sales, service), outcome in rates.items():
        loyal = int(round(outcome["loyal_to_dealer"] * per_cell))
        brand = int(round(outcome["loyal_to_brand"] * per_cell))
        for i in range(per_cell):
            rows.append({"sales": sales, "service": service, "loyal_to_dealer": i < loyal, "loyal_to_brand": i < brand})
    return pd.DataFrame(rows)


def test_dealer_table_recovers_the_seed_rates_from_respondents():
    frame = _dealer_data(loyalty.SEED_DEALER_LOYALTY, 100)
    table = loyalty.dealer_table(frame, "sales", "service")
    assert table[["sales", "service"]].drop_duplicates().apply("".join, axis=1).tolist() == ["OO", "XO", "OX", "XX"]
    np.testing.assert_allclose(table["rate"], table["seed_rate"])
    assert table["n"].eq(100).all()
    low, high = proportion_confint(table["loyal"], table["n"], method="wilson")
    np.testing.assert_allclose(table["low"], low)
    np.testing.assert_allclose(table["high"], high)


def test_dealer_table_wants_booleans():
    frame = pd.DataFrame({"sales": [1, 0], "service": [True, False], "loyal_to_dealer": [True, False]})
    with pytest.raises(SurveyDataError, match="'sales' must be boolean"):
        loyalty.dealer_table(frame, "sales", "service", ["loyal_to_dealer"])


def test_mean_index_hand_worked():
    # item means 1, 5.5, 10 -> 0, 50, 100 -> mean 50
    frame = pd.DataFrame({"a": [1, 5, 10], "b": [1, 6, 10]})
    est = loyalty.mean_index(frame, ["a", "b"], scale=(1, 10))
    assert est.value == pytest.approx(50)
    t_low, t_high = stats.t.interval(0.95, 2, loc=50, scale=stats.sem([0, 50, 100]))
    assert (est.low, est.high) == pytest.approx((t_low, t_high))


def test_segment_comparison_and_tests_against_hand_formulas():
    corp = datasets.load("corp_rep")
    table = loyalty.segment_comparison(corp, "serviceprovider", "cusa", ["cusl_1", "cusl_2", "cusl_3"], top_box=2, scale=(1, 7))
    assert table["segment"].tolist() == [1, 2, 3, 4]
    assert table["n"].tolist() == [130, 127, 44, 43]
    provider_two = corp[corp["serviceprovider"] == 2]
    assert table.loc[1, "satisfaction_index"] == pytest.approx(((provider_two["cusa"].dropna() - 1) / 6 * 100).mean())
    tests = loyalty.segment_tests(corp, "serviceprovider", "cusa", ["cusl_1", "cusl_2", "cusl_3"], top_box=2, scale=(1, 7))
    # chi-square by hand from the observed 4 x 2 table
    loyal = corp[["cusl_1", "cusl_2", "cusl_3"]].mean(axis=1) >= 6
    present = corp[["cusl_1", "cusl_2", "cusl_3"]].notna().any(axis=1)
    observed = pd.crosstab(corp.loc[present, "serviceprovider"], loyal[present]).to_numpy(dtype=float)
    expected = observed.sum(1, keepdims=True) * observed.sum(0, keepdims=True) / observed.sum()
    chi2 = ((observed - expected) ** 2 / expected).sum()
    row = tests.set_index("measure").loc["loyal_share"]
    assert row["statistic"] == pytest.approx(chi2)
    assert row["df"] == 3


def test_kruskal_wallis_matches_the_textbook_statistic_without_ties():
    frame = pd.DataFrame({"g": list("aaabbbccc"), "s": [1.1, 2.2, 3.3, 4.4, 5.5, 6.6, 7.7, 8.8, 9.9], "l": range(9)})
    tests = loyalty.segment_tests(frame, "g", "s", "l", top_box=2, scale=(0, 10))
    ranks = np.arange(1, 10).reshape(3, 3)
    n = 9
    h = 12 / (n * (n + 1)) * sum(r.sum() ** 2 / 3 for r in ranks) - 3 * (n + 1)
    assert tests.set_index("measure").loc["satisfaction", "statistic"] == pytest.approx(h)


def test_unknown_segment_column_is_a_study_error():
    frame = pd.DataFrame({"s": [1, 2], "l": [1, 2]})
    with pytest.raises(StudyError, match="segment"):
        loyalty.segment_comparison(frame, "provider", "s", "l", scale=(1, 2), top_box=1)


def test_findings_are_built_from_the_numbers():
    results = {
        "satisfaction_index": 70.0, "satisfaction_index_low": 68.0, "satisfaction_index_high": 72.0,
        "satisfaction_loyalty_spearman": 0.62,
        "loyalty_by_satisfaction": {"1": 0.0, "5": 0.2, "10": 0.8},
        "segments": {"true": 0.4, "latent": 0.1, "spurious": 0.25, "none": 0.25},
        "key_drivers": {"Image": 0.3, "Quality": 0.5, "Value": 0.2},
        "short_stave": "Value",
        "curve_steepest": 8.2, "curve_nonlinearity_pvalue": 0.01, "curve_top_gain_share": 0.6,
    }
    text = " ".join(loyalty.summarize_findings(results))
    for expected in ["70.0", "68.0 to 72.0", "strongly related", "0% at satisfaction 1", "80% at 10",
                     "25% are spuriously loyal", "Quality (50%", "short stave", "Value", "concentrated at the top"]:
        assert expected in text
    assert loyalty.summarize_findings({}) == []


# --- the study's finding sentences and result objects ---------------------------------


def test_curve_fit_separation_is_a_model_spec_error():
    from csat_analysis.errors import ModelSpecError

    frame = pd.DataFrame({"sat": [1, 2, 3, 4, 8, 9, 10, 10], "loy": [1, 1, 1, 1, 10, 10, 10, 10]})
    with pytest.raises(ModelSpecError, match="did not converge"):
        loyalty.fit_loyalty_curve(frame, "sat", "loy", scale=(1, 10))


def test_measures_finding_both_verdicts_and_single_items():
    table = pd.DataFrame({"measure": ["A", "B", "C"], "missing_cells": [2, 1, 0], "alpha": [0.81, 0.93, np.nan],
                          "alpha_low": [0.75, 0.9, np.nan], "alpha_high": [0.86, 0.95, np.nan]})
    good = loyalty.measures_finding(table, 1200)
    assert good.startswith("1,200 respondents; 3 missing answers") and "**A** (alpha = 0.81" in good
    assert "every multi-item measure passes 0.7" in good
    table.loc[0, "alpha"] = 0.55
    assert "**A** (alpha = 0.55, 95% interval 0.75-0.86), below 0.7" in loyalty.measures_finding(table, 10)
    assert "cannot be estimated" in loyalty.measures_finding(table.iloc[[2]], 10)


def test_curve_finding_both_bend_verdicts():
    curve = pd.DataFrame({"satisfaction": [2, 7], "share": [0.1, 0.65]})
    bent = loyalty.curve_finding(curve, 6.2, 0.48, 0.004, 0.41)
    assert "from 10% at satisfaction 2 to 65% at 7 (Spearman rho = 0.41)" in bent
    assert "steepest near 6.2; 48% of the rise" in bent and "p = 0.004 (the curve bends significantly)" in bent
    flat = loyalty.curve_finding(curve, 6.2, 0.48, 0.3, 0.41)
    assert "p = 0.300 (no significant bend" in flat


def test_loyalty_types_finding_names_proxy_or_observed_behaviour():
    table = pd.DataFrame({"segment": ["true", "latent", "spurious", "none"], "share": [0.31, 0.12, 0.08, 0.49]})
    proxy = loyalty.loyalty_types_finding(table, "CUSL1", True)
    assert "`CUSL1` (top box) as a proxy" in proxy and "31% are truly loyal; 8% are spuriously" in proxy
    assert "12% are latently" in proxy
    assert "(observed repurchase)" in loyalty.loyalty_types_finding(table, "repurchase", False)


def test_dealer_finding_both_verdicts_and_interval_count():
    table = pd.DataFrame({"sales": ["O", "X", "O", "X"], "service": ["O", "O", "X", "X"], "outcome": "loyal_to_dealer",
                          "n": [40, 20, 30, 10], "rate": [0.8, 0.2, 0.3, 0.0], "low": [0.7, 0.1, 0.2, 0.0],
                          "high": [0.9, 0.3, 0.4, 0.1], "seed_rate": [0.85, 0.35, 0.12, 0.01]})
    text = loyalty.dealer_finding(table)
    assert "Rebuilt from 100 respondents: 2 of 4 seed rates" in text
    assert "service only, 20%" in text and "sale only, 30%: sales satisfaction matters more." in text
    table.loc[1, "rate"] = 0.5
    assert loyalty.dealer_finding(table).endswith("service satisfaction matters more.")


def test_paths_and_index_findings_count_significant_paths():
    paths = pd.DataFrame({"source": ["A", "B", "C"], "target": ["S", "S", "L"], "original": [0.3, -0.6, 0.1],
                          "low": [0.1, -0.8, -0.05], "high": [0.5, -0.4, 0.25]})
    text = loyalty.paths_finding(paths, pd.Series({"S": 0.4, "L": 0.25}), 500)
    assert text.startswith("2 of 3 paths") and "(500 resamples)" in text and "B -> S (-0.60)" in text
    assert "S 0.40, L 0.25" in text
    results = {"satisfaction_index": 71.26, "satisfaction_index_low": 69.0, "satisfaction_index_high": 73.5,
               "loyalty_index": 58.0, "loyalty_index_low": 55.04, "loyalty_index_high": 61.0}
    assert "**Satisfaction index** 71.3 (95% interval 69.0-73.5); **loyalty index** 58.0 (55.0-61.0)" in (
        loyalty.index_finding(results, "m", "src"))


def test_negative_weights_finding_singular_plural_and_none():
    none = pd.DataFrame({"item": [], "construct": [], "weight": []})
    assert loyalty.negative_weights_finding(none) == "Every item has a positive weight in its index."
    two = pd.DataFrame({"item": ["a", "b"], "construct": ["X", "Y"], "weight": [-0.1, -0.02]})
    text = loyalty.negative_weights_finding(two)
    assert text.startswith("2 items have a negative index weight (a in X, -0.10, b in Y, -0.02)")


def test_segment_finding_both_verdicts():
    table = pd.DataFrame({"segment": ["north", "south", "east"], "loyalty_index": [55.0, 71.25, 60.0]})
    assert "from 55.0 (region north) to 71.2 (region south); the loyal share differs" in (
        loyalty.segment_finding(table, 0.01, "region"))
    assert "does not differ significantly between segments (chi-square p = 0.510)" in (
        loyalty.segment_finding(table, 0.51, "region"))


def test_corp_rep_provider_4_reports_its_negative_index_weights_without_warning():
    import warnings

    corp = datasets.open_study_data("corp_rep")
    settings = loyalty.resolve_settings(corp, segment_value=4)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = loyalty.index_model(settings, bootstrap=20, seed=1)
    negative = result.negative_weights
    assert len(negative) > 0 and (negative["weight"] < 0).all()
    # oracle: the weights PLSResult.index reports (IndexResult.negative_weights lists exactly these)
    weights = result.pls_fit.index(scale=(1, 7)).weights
    assert sorted(zip(negative["item"], negative["construct"])) == sorted(
        (i, c) for c in weights.columns for i in weights.index[weights[c] < 0])
    assert set(result.to_results()) >= {"satisfaction_index", "loyalty_index_high", "ecsi_paths"}


def test_simulated_settings_use_the_survey_weights_for_shares():
    sim = datasets.open_study_data("simulated", n=2000, seed=3)
    settings = loyalty.resolve_settings(sim)
    assert settings.weights == "weight"
    assert loyalty.resolve_settings(datasets.open_study_data("mobi")).weights is None
    result = loyalty.index_model(loyalty.resolve_settings(sim, model="none"), bootstrap=2)
    sat = loyalty.composite_score(sim.data, ["CUSA1", "CUSA2", "CUSA3"])
    keep = sat.notna()
    expected = np.average((sat[keep] - 1) / 9 * 100, weights=sim.data.loc[keep, "weight"])
    assert result.to_results()["satisfaction_index"] == pytest.approx(expected)
    assert "weighted" in result.method and "ecsi_paths" not in result.to_results()


def test_summary_does_not_call_a_well_performing_driver_a_short_stave():
    lagging = " ".join(loyalty.summarize_findings({"short_stave": "Value", "short_stave_quadrant": "concentrate here"}))
    assert "short stave (high importance, lowest performance) is Value: improve it first" in lagging
    fine = " ".join(loyalty.summarize_findings({"short_stave": "Quality", "short_stave_quadrant": "keep up the good work"}))
    assert "No important driver lags behind" in fine and "Quality" in fine and "improve it first" not in fine
