"""csat_analysis.loyalty against independent oracles (statsmodels, scipy, hand counts)."""

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from csat_analysis import datasets, loyalty
from csat_analysis.errors import ParameterError, SurveyDataError


@pytest.fixture(scope="module")
def mobi():
    return datasets.load("mobi")


def test_unknown_column_names_the_parameter_and_the_column(mobi):
    with pytest.raises(SurveyDataError, match=r"satisfaction: column\(s\) 'CUSA9'"):
        loyalty.loyalty_curve(mobi, ["CUSA1", "CUSA9"], ["CUSL1"], scale=(1, 10))


def test_text_in_an_item_is_an_error_naming_rows():
    frame = pd.DataFrame({"s": [1, "x", 3], "l": [1, 2, 3]})
    with pytest.raises(SurveyDataError, match=r"'x' \(row 1\)"):
        loyalty.loyalty_curve(frame, "s", "l", scale=(1, 3))


@pytest.mark.parametrize("top_box", [0, 11, 1.5, True])
def test_top_box_must_fit_the_scale(top_box):
    frame = pd.DataFrame({"s": [1, 10], "l": [1, 10]})
    with pytest.raises(ParameterError, match="top_box"):
        loyalty.loyalty_curve(frame, "s", "l", top_box=top_box, scale=(1, 10))


def test_a_mean_of_8_5_is_not_top_two_box_on_1_to_10():
    # the one top-box rule: a mean is top box when it reaches high - (k - 1) = 9
    frame = pd.DataFrame({"s": [5, 5, 5], "l1": [8, 9, 10], "l2": [9, 9, 9]})  # loyalty means 8.5, 9, 9.5
    curve = loyalty.loyalty_curve(frame, "s", ["l1", "l2"], top_box=2, scale=(1, 10))
    assert curve["loyal"].tolist() == [2]


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
        # the t interval, clipped to the 1-10 scale a mean score cannot leave
        assert (row["mean_low"], row["mean_high"]) == pytest.approx((max(t_low, 1.0), min(t_high, 10.0)))
    # at level 4 the t interval reaches below the floor (0.58): the table stops at 1; at 10 above the ceiling
    by_level = curve.set_index("satisfaction")
    assert by_level.loc[4, "mean_low"] == 1.0 and by_level.loc[10, "mean_high"] == 10.0


def test_weighted_curve_share_is_weighted_mean():
    frame = pd.DataFrame({"s": [5, 5, 5], "l": [5, 1, 1], "w": [2.0, 1.0, 1.0]})
    curve = loyalty.loyalty_curve(frame, "s", "l", top_box=1, scale=(1, 5), weights="w")
    assert curve["share"].iloc[0] == pytest.approx(0.5)
    assert curve["n_eff"].iloc[0] == pytest.approx(16 / 6)


def test_weighted_estimates_use_the_linearised_design_variance():
    # oracle: R survey::svymean's linearised SE of a weighted mean (with-replacement design),
    # var = n / (n - 1) * sum(w_i^2 (y_i - ybar)^2) / (sum w)^2, written out by hand
    rng = np.random.default_rng(4)
    frame = pd.DataFrame({"s": np.full(60, 7), "l": rng.integers(1, 8, 60), "w": rng.uniform(0.5, 3, 60)})
    curve = loyalty.loyalty_curve(frame, "s", "l", top_box=2, scale=(1, 7), weights="w")
    y, w = frame["l"].to_numpy(float), frame["w"].to_numpy()
    mean = np.average(y, weights=w)
    se = np.sqrt(len(y) / (len(y) - 1) * np.sum(w**2 * (y - mean) ** 2) / w.sum() ** 2)
    assert curve["mean"].iloc[0] == pytest.approx(mean)
    assert curve["mean_high"].iloc[0] - curve["mean"].iloc[0] == pytest.approx(stats.norm.ppf(0.975) * se)
    index = loyalty.mean_index(frame, "l", scale=(1, 7), weights="w")
    assert index.value == pytest.approx((mean - 1) / 6 * 100)
    assert index.se == pytest.approx(se / 6 * 100)


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
    assert fit.lr_p_value > 0.001


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
    assert fit.lr_p_value == pytest.approx(stats.chi2.sf(lr, 1), rel=1e-6)
    assert fit.lr_p_value < 0.001  # the jump at 8 is a strong non-linearity
    assert fit.top_gain_share > 1 / 3


def test_spline_form_and_grid_bounds():
    frame = _logistic_sample(3000, -6, 0.8, seed=5)
    fit = loyalty.fit_loyalty_curve(frame, "sat", "loy", scale=(1, 10), form="spline", spline_df=4)
    assert fit.lr_dof == 3
    grid = fit.grid
    assert ((grid["low"] <= grid["predicted"]) & (grid["predicted"] <= grid["high"])).all()
    assert grid["satisfaction"].min() == 1 and grid["satisfaction"].max() == 10


def test_fit_refuses_a_constant_outcome():
    frame = pd.DataFrame({"sat": [1, 2, 3, 4], "loy": [1, 1, 1, 1]})
    with pytest.raises(SurveyDataError, match="loyal and non-loyal"):
        loyalty.fit_loyalty_curve(frame, "sat", "loy", scale=(1, 10))


def test_wrong_form_lists_choices():
    frame = _logistic_sample(100, -6, 0.8, seed=5)
    with pytest.raises(ParameterError, match="'quadratic', 'spline'"):
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
    with pytest.raises(ParameterError, match="behaviour_threshold"):
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


def test_dealer_table_recovers_the_published_rates_from_respondents():
    frame = _dealer_data(loyalty.DEALER_LOYALTY_RATES, 100)
    table = loyalty.dealer_table(frame, "sales", "service")
    assert table[["sales", "service"]].drop_duplicates().apply("".join, axis=1).tolist() == ["OO", "XO", "OX", "XX"]
    np.testing.assert_allclose(table["rate"], table["published_rate"])
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
    table = loyalty.segment_comparison(
        corp, "cusa", ["cusl_1", "cusl_2", "cusl_3"], by="serviceprovider", top_box=2, scale=(1, 7)
    )
    assert table["segment"].tolist() == [1, 2, 3, 4]
    assert table["n"].tolist() == [130, 127, 44, 43]
    provider_two = corp[corp["serviceprovider"] == 2]
    assert table.loc[1, "satisfaction_index"] == pytest.approx(((provider_two["cusa"].dropna() - 1) / 6 * 100).mean())
    tests = loyalty.segment_tests(
        corp, "cusa", ["cusl_1", "cusl_2", "cusl_3"], by="serviceprovider", top_box=2, scale=(1, 7)
    )
    # chi-square by hand from the observed 4 x 2 table
    loyal = corp[["cusl_1", "cusl_2", "cusl_3"]].mean(axis=1) >= 6
    present = corp[["cusl_1", "cusl_2", "cusl_3"]].notna().any(axis=1)
    observed = pd.crosstab(corp.loc[present, "serviceprovider"], loyal[present]).to_numpy(dtype=float)
    expected = observed.sum(1, keepdims=True) * observed.sum(0, keepdims=True) / observed.sum()
    chi2 = ((observed - expected) ** 2 / expected).sum()
    row = tests.set_index("measure").loc["loyal_share"]
    assert row["statistic"] == pytest.approx(chi2)
    assert row["dof"] == 3
    assert row["p_value"] == pytest.approx(stats.chi2.sf(chi2, 3))
    assert row["n"] == present.sum()
    assert list(tests.columns) == [
        "measure",
        "test",
        "statistic",
        "dof",
        "p_value",
        "n",
        "effect_size",
        "effect",
        "effect_low",
        "effect_high",
    ]
    # effect sizes by hand: Cramér's V = sqrt(chi2 / (n (min(r, c) - 1))), epsilon² = H / (n - 1)
    assert row["effect"] == pytest.approx(np.sqrt(chi2 / observed.sum()))
    kruskal = tests.set_index("measure").loc["satisfaction"]
    assert kruskal["effect"] == pytest.approx(kruskal["statistic"] / (kruskal["n"] - 1))
    assert kruskal["effect_low"] <= kruskal["effect"] <= kruskal["effect_high"]


def test_kruskal_wallis_matches_the_textbook_statistic_without_ties():
    frame = pd.DataFrame({"g": list("aaabbbccc"), "s": [1.1, 2.2, 3.3, 4.4, 5.5, 6.6, 7.7, 8.8, 9.9], "l": range(9)})
    tests = loyalty.segment_tests(frame, "s", "l", by="g", top_box=2, scale=(0, 10))
    ranks = np.arange(1, 10).reshape(3, 3)
    n = 9
    h = 12 / (n * (n + 1)) * sum(r.sum() ** 2 / 3 for r in ranks) - 3 * (n + 1)
    assert tests.set_index("measure").loc["satisfaction", "statistic"] == pytest.approx(h)


def test_unknown_segment_column_names_the_by_argument():
    frame = pd.DataFrame({"s": [1, 2], "l": [1, 2]})
    with pytest.raises(SurveyDataError, match=r"by: column\(s\) 'provider'"):
        loyalty.segment_comparison(frame, "s", "l", by="provider", scale=(1, 2), top_box=1)


def test_curve_fit_separation_is_a_model_spec_error():
    from csat_analysis.errors import ModelSpecError

    frame = pd.DataFrame({"sat": [1, 2, 3, 4, 8, 9, 10, 10], "loy": [1, 1, 1, 1, 10, 10, 10, 10]})
    with pytest.raises(ModelSpecError, match="did not converge"):
        loyalty.fit_loyalty_curve(frame, "sat", "loy", scale=(1, 10))


def test_fit_summary_is_the_likelihood_ratio_test():
    frame = _logistic_sample(2000, -6, 0.8, seed=7)
    fit = loyalty.fit_loyalty_curve(frame, "sat", "loy", scale=(1, 10))
    row = fit.summary().iloc[0]
    assert row["statistic"] == pytest.approx(2 * (fit.curved.llf - fit.linear.llf))
    assert row["dof"] == 1 and row["p_value"] == pytest.approx(stats.chi2.sf(row["statistic"], 1))
    assert row["n"] == 2000


def test_weights_as_a_column_or_a_vector_give_the_same_tables():
    rng = np.random.default_rng(8)
    frame = pd.DataFrame(
        {
            "g": rng.choice(["a", "b"], 300),
            "s": rng.integers(1, 8, 300),
            "l": rng.integers(1, 8, 300),
            "bought": rng.random(300) < 0.5,
            "w": rng.uniform(0.5, 2, 300),
        }
    )
    by_name = loyalty.loyalty_curve(frame, "s", "l", scale=(1, 7), weights="w")
    by_vector = loyalty.loyalty_curve(frame, "s", "l", scale=(1, 7), weights=frame["w"].to_numpy())
    pd.testing.assert_frame_equal(by_name, by_vector)
    pd.testing.assert_frame_equal(
        loyalty.segment_comparison(frame, "s", "l", by="g", scale=(1, 7), weights="w"),
        loyalty.segment_comparison(frame, "s", "l", by="g", scale=(1, 7), weights=list(frame["w"])),
    )
    types = loyalty.loyalty_segments(frame, "s", "bought", attitude_threshold=6, weights="w")
    # oracle: the weighted share of each type by hand
    satisfied = frame["s"] >= 6
    true_share = np.average(satisfied & frame["bought"], weights=frame["w"])
    assert types.set_index("segment").loc["true", "share"] == pytest.approx(true_share)
    with pytest.raises(ParameterError, match="weights"):
        loyalty.loyalty_curve(frame, "s", "l", scale=(1, 7), weights=[1.0, 2.0])


def test_describe_measures_counts_and_alpha_against_the_textbook_formula():
    rng = np.random.default_rng(9)
    common = rng.normal(size=200)
    frame = pd.DataFrame({f"q{i}": np.clip(np.round(5 + 1.5 * common + rng.normal(size=200)), 1, 10) for i in range(3)})
    frame.loc[[3, 7], "q1"] = np.nan
    table = loyalty.describe_measures(frame, {"M": ["q0", "q1", "q2"], "single": ["q0"]}, (1, 10)).set_index("measure")
    complete = frame.dropna()
    k = 3
    alpha = k / (k - 1) * (1 - complete.var(ddof=1).sum() / complete.sum(axis=1).var(ddof=1))
    assert table.loc["M", "alpha"] == pytest.approx(alpha)
    assert (table.loc["M", "complete"], table.loc["M", "missing_cells"]) == (198, 2)
    assert table.loc["M", "index"] == pytest.approx(((frame.mean(axis=1) - 1) / 9 * 100).mean())
    assert np.isnan(table.loc["single", "alpha"])


def test_weighted_segment_tests_top_box_is_r_svychisq():
    # R 4 survey 4.1.1 on data/raw/corp_rep.csv (-99 as NA):
    #   loyal <- rowMeans(cusl_1..3, na.rm = TRUE) >= 6; w <- 1 + (row %% 5) / 4
    #   svychisq(~serviceprovider + loyal, svydesign(ids = ~1, weights = ~w, data = d))
    # printed with sprintf("%.17g"): F, ndf, ddf, p
    expected = (5.9531998029353961, 2.9993267122840037, 1028.7690623134133, 0.00050414762103719686)
    corp = datasets.load("corp_rep")
    weights = 1 + (np.arange(1, len(corp) + 1) % 5) / 4
    loyalty_items = ["cusl_1", "cusl_2", "cusl_3"]
    tests = loyalty.segment_tests(
        corp, "cusa", loyalty_items, by="serviceprovider", top_box=2, scale=(1, 7), n_boot=50, weights=weights
    )
    row = tests.set_index("measure").loc["loyal_share"]
    assert row["test"] == "Rao-Scott F"
    got = [row["statistic"], row["dof"], row["dof_denominator"], row["p_value"]]
    np.testing.assert_allclose(got, expected, rtol=1e-8, atol=0)
    # Cramér's V of the weighted table (its scale does not matter to V)
    loyal = corp[loyalty_items].mean(axis=1) >= 6
    table = pd.Series(weights).groupby([corp["serviceprovider"].to_numpy(), loyal.to_numpy()]).sum().unstack()
    x2 = stats.chi2_contingency(table.to_numpy(), correction=False)[0]
    assert row["effect"] == pytest.approx(np.sqrt(x2 / table.to_numpy().sum()), rel=1e-12)
    assert row["effect_low"] < row["effect"] < row["effect_high"]
    # the scores: R's design-based Kruskal-Wallis on the same design (loy = the row mean
    # of cusl_1..3, na.rm = TRUE), sprintf("%.17g") of Chisq / df, df, ddf, p:
    #   svyranktest(cusa ~ serviceprovider, des, test = "KruskalWallis")
    #   svyranktest(loy ~ serviceprovider, des, test = "KruskalWallis")
    r_rank_tests = {
        "satisfaction": (1.9867886349334014, 3.0, 339.0, 0.11570556737761052),
        "loyalty": (4.2367808544698518, 3.0, 340.0, 0.0058613906821186881),
    }
    unweighted = loyalty.segment_tests(
        corp, "cusa", loyalty_items, by="serviceprovider", top_box=2, scale=(1, 7), n_boot=50
    ).set_index("measure")
    weighted = tests.set_index("measure")
    for measure, expected_rank in r_rank_tests.items():
        row = weighted.loc[measure]
        assert row["test"] == "design-based Kruskal-Wallis"
        got = [row["statistic"], row["dof"], row["dof_denominator"], row["p_value"]]
        np.testing.assert_allclose(got, expected_rank, rtol=1e-8, atol=0)
        # epsilon² stays that of the unweighted ranks, and the test counts the same respondents
        assert row["effect"] == unweighted.loc[measure, "effect"]
        assert row["n"] == unweighted.loc[measure, "n"]
    assert list(tests.columns) == [
        "measure",
        "test",
        "statistic",
        "dof",
        "dof_denominator",
        "p_value",
        "n",
        "effect_size",
        "effect",
        "effect_low",
        "effect_high",
    ]


def test_weighted_segment_tests_leave_missing_answers_out_as_a_domain():
    from csat_analysis.design import SurveyDesign

    rng = np.random.default_rng(7)
    n = 300
    frame = pd.DataFrame(
        {
            "g": rng.choice(["a", "b", "c"], n),
            "s": rng.integers(1, 11, n).astype(float),
            "l": rng.integers(1, 11, n).astype(float),
            "w": rng.uniform(0.5, 2.0, n),
        }
    )
    frame.loc[::13, "l"] = np.nan
    frame.loc[::17, "g"] = None
    tests = loyalty.segment_tests(frame, "s", "l", by="g", top_box=3, scale=(1, 10), n_boot=20, weights="w")
    row = tests.set_index("measure").loc["loyal_share"]
    loyal = (frame["l"] >= 8).where(frame["l"].notna())
    direct = SurveyDesign(frame.assign(loyal=loyal.astype(object)), weights="w").chisq("g", "loyal")
    assert row["n"] == direct.n == (frame["g"].notna() & frame["l"].notna()).sum()
    assert (row["statistic"], row["p_value"]) == pytest.approx((direct.statistic, direct.p_value), rel=1e-12)
    # the design keeps every row: nu = 300 - 1
    assert row["dof_denominator"] == pytest.approx(row["dof"] * (n - 1), rel=1e-12)
    # the rank test of loyalty leaves out the rows missing it or the segment (as R's svyranktest)
    rank_row = tests.set_index("measure").loc["loyalty"]
    rank = SurveyDesign(frame, weights="w").ranktest("l", by="g")
    assert rank_row["n"] == rank.n == (frame["g"].notna() & frame["l"].notna()).sum()
    assert (rank_row["statistic"], rank_row["p_value"]) == pytest.approx((rank.statistic, rank.p_value), rel=1e-12)
    assert rank_row["dof_denominator"] == rank.n - 1 - 2


def test_weighted_segment_tests_with_everyone_loyal_give_nan():
    frame = pd.DataFrame({"g": list("aabb"), "s": [1, 2, 3, 4], "l": [4, 5, 5, 4]})
    row = loyalty.segment_tests(frame, "s", "l", by="g", top_box=2, scale=(1, 5), n_boot=20, weights=[1, 2, 1, 2])
    loyal_share = row.set_index("measure").loc["loyal_share"]
    assert loyal_share["test"] == "Rao-Scott F" and np.isnan(loyal_share["statistic"])
    assert np.isnan(loyal_share["effect"])


def test_weighted_segment_tests_with_every_segment_tied_give_nan_rank_tests():
    # each segment's satisfaction scores are all equal: the design-based rank test has no
    # variance to refer to; the loyalty scores differ and are tested
    frame = pd.DataFrame({"g": list("aaabbb"), "s": [2, 2, 2, 4, 4, 4], "l": [1, 3, 2, 5, 4, 3]})
    tests = loyalty.segment_tests(
        frame, "s", "l", by="g", top_box=2, scale=(1, 5), n_boot=20, weights=[1, 2, 1, 2, 1, 2]
    )
    rows = tests.set_index("measure")
    assert rows.loc["satisfaction", "test"] == "design-based Kruskal-Wallis"
    assert np.isnan(rows.loc["satisfaction", ["statistic", "dof", "dof_denominator", "p_value"]].astype(float)).all()
    assert rows.loc["loyalty", "p_value"] < 1 and rows.loc["loyalty", "dof_denominator"] == 4
