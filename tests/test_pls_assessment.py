"""PLS assessment criteria against seminr (GPL-3.0, imported only in tests) where it
computes the same quantity (VIF, f², bootstrapped HTMT, specific effects, PLSpredict
RMSE/MAE), hand computations (Q²predict, fold split) and simulated known truths
(permutation MGA)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from csat_analysis import datasets, pls
from csat_analysis.errors import ParameterError, SurveyDataError
from csat_analysis.pls_assess import cut_folds

seminr = pytest.importorskip("seminr")

TOL = 1e-6
CORP_MEASUREMENT = {
    "COMP": ["comp_1", "comp_2", "comp_3"],
    "LIKE": ["like_1", "like_2", "like_3"],
    "CUSA": ["cusa"],
    "CUSL": ["cusl_1", "cusl_2", "cusl_3"],
}
CORP_STRUCTURAL = [("COMP", "CUSA"), ("LIKE", "CUSA"), ("COMP", "CUSL"), ("LIKE", "CUSL"), ("CUSA", "CUSL")]
ITEMS = [i for items in CORP_MEASUREMENT.values() for i in items]


@pytest.fixture(scope="module")
def corp():
    data = datasets.load("corp_rep")
    return data[ITEMS + ["serviceprovider"]].dropna().reset_index(drop=True)


@pytest.fixture(scope="module")
def fit(corp):
    return pls.estimate(corp, CORP_MEASUREMENT, CORP_STRUCTURAL)


@pytest.fixture(scope="module")
def reference(corp):
    mm = seminr.constructs(*[seminr.composite(c, items) for c, items in CORP_MEASUREMENT.items()])
    sm = seminr.relationships(*[seminr.paths(a, b) for a, b in CORP_STRUCTURAL])
    return seminr.estimate_pls(corp[ITEMS].astype(float), mm, sm)


@pytest.fixture(scope="module")
def mobi_pair():
    mobi = datasets.load("mobi")
    measurement, structural = pls.ecsi()
    ours = pls.estimate(mobi, measurement, structural)
    mm = seminr.constructs(*[seminr.composite(c, items) for c, items in measurement.items()])
    sm = seminr.relationships(*[seminr.paths(a, b) for a, b in structural])
    return ours, seminr.estimate_pls(mobi.astype(float), mm, sm)


def named(matrix) -> pd.DataFrame:
    return pd.DataFrame(matrix.values, index=list(matrix.rows), columns=list(matrix.cols))


# --------------------------------------------------------------------------- VIF and f²


@pytest.mark.parametrize("which", ["corp", "mobi"])
def test_vif_matches_seminr(which, fit, reference, mobi_pair):
    ours, ref = (fit, reference) if which == "corp" else mobi_pair
    summary = seminr.summarize(ref)
    table = ours.vif()
    outer = table[table["kind"] == "outer"]
    expected = [summary.validity.vif_items[c][i] for c, i in zip(outer["construct"], outer["variable"])]
    np.testing.assert_allclose(outer["vif"], expected, rtol=TOL)
    inner = table[table["kind"] == "inner"]
    expected = np.array([summary.vif_antecedents[c][v] for c, v in zip(inner["construct"], inner["variable"])])
    # seminr leaves a lone antecedent's VIF undefined; by definition it is 1 (no other predictor)
    lone = np.isnan(expected)
    np.testing.assert_allclose(inner["vif"][~lone], expected[~lone], rtol=TOL)
    assert (inner["vif"][lone] == 1.0).all()
    assert len(inner) == int(ours._model.paths.sum())


def test_vif_flags_collinear_items(corp):
    data = corp.assign(comp_4=corp["comp_1"] + np.random.default_rng(0).normal(0, 0.1, len(corp)))
    measurement = {**CORP_MEASUREMENT, "COMP": ["comp_1", "comp_2", "comp_3", "comp_4"]}
    table = pls.estimate(data, measurement, CORP_STRUCTURAL).vif().set_index("variable")
    assert table.loc["comp_1", "flag"] == "critical" and table.loc["comp_4", "vif"] > 5
    assert table.loc["like_1", "flag"] == ""


@pytest.mark.parametrize("which", ["corp", "mobi"])
def test_f_squared_matches_seminr(which, fit, reference, mobi_pair):
    ours, ref = (fit, reference) if which == "corp" else mobi_pair
    theirs = named(seminr.summarize(ref).f_square)
    table = ours.f_squared()
    np.testing.assert_allclose(
        table["f2"], [theirs.loc[s, t] for s, t in zip(table["source"], table["target"])], rtol=TOL, atol=1e-12
    )
    assert set(table["effect"]) <= {"none", "small", "medium", "large"}


# --------------------------------------------------------------------------- bootstrap: HTMT, indirect effects


@pytest.fixture(scope="module")
def boot_pair(corp, fit, reference):
    indices = np.random.default_rng(11).integers(0, len(corp), size=(60, len(corp)))
    ours = fit.bootstrap(indices=indices, sign_change="none", scale=None)
    return ours, seminr.bootstrap_model(reference, nboot=60, indices=indices)


def test_bootstrapped_htmt_matches_seminr(boot_pair):
    ours, theirs = boot_pair
    table = ours.htmt()
    reference = named(seminr.summarize(theirs).bootstrapped_htmt)
    reference.index = [tuple(name.split("  ->  ")) for name in reference.index]
    expected = reference.loc[list(zip(table["construct_a"], table["construct_b"]))]
    np.testing.assert_allclose(table["htmt"], expected["Original Est."], rtol=TOL)
    np.testing.assert_allclose(table["mean"], expected["Bootstrap Mean"], rtol=TOL)
    np.testing.assert_allclose(table["se"], expected["Bootstrap SD"], rtol=TOL)
    np.testing.assert_allclose(table["low"], expected["2.5% CI"], rtol=TOL)
    np.testing.assert_allclose(table["high"], expected["97.5% CI"], rtol=TOL)


def test_specific_indirect_effects_match_seminr(boot_pair):
    ours, theirs = boot_pair
    table = ours.indirect_effects()
    # COMP and LIKE each reach CUSL through CUSA: the model's only chains
    assert table[["source", "through", "target"]].values.tolist() == [
        ["COMP", "CUSA", "CUSL"],
        ["LIKE", "CUSA", "CUSL"],
    ]
    for row in table.itertuples():
        ref = seminr.specific_effect_significance(theirs, from_=row.source, to=row.target, through=[row.through])
        assert (row.effect, row.mean, row.se, row.low, row.high) == pytest.approx(
            (ref.original_est, ref.bootstrap_mean, ref.bootstrap_sd, ref.ci_lower, ref.ci_upper), rel=TOL
        )


def test_serial_chains_of_the_ecsi_model(mobi_pair):
    ours, _ = mobi_pair
    table = ours.bootstrap(n=200, seed=2, scale=None).indirect_effects()
    serial = table[
        (table["source"] == "Expectation")
        & (table["target"] == "Satisfaction")
        & (table["through"] == "Quality -> Value")
    ]
    assert len(serial) == 1
    p = ours.paths
    expected = p.loc["Expectation", "Quality"] * p.loc["Quality", "Value"] * p.loc["Value", "Satisfaction"]
    assert serial["effect"].item() == pytest.approx(expected, rel=1e-12)
    # the specific indirect effects of a pair sum to the total indirect effect
    pair = table[(table["source"] == "Image") & (table["target"] == "Loyalty")]
    total_indirect = ours.total_effects.loc["Image", "Loyalty"] - p.loc["Image", "Loyalty"]
    assert pair["effect"].sum() == pytest.approx(total_indirect, rel=1e-10)


def test_htmt_verdicts():
    rng = np.random.default_rng(5)
    n = 300
    a = rng.normal(size=n)
    b = 0.98 * a + 0.2 * rng.normal(size=n)  # practically the same construct
    c = 0.3 * a + rng.normal(size=n)
    data = pd.DataFrame(
        {
            f"{name}{i}": latent + 0.5 * rng.normal(size=n)
            for name, latent in (("a", a), ("b", b), ("c", c))
            for i in (1, 2, 3)
        }
    )
    measurement = {k: [f"{k.lower()}{i}" for i in (1, 2, 3)] for k in ("A", "B", "C")}
    fit = pls.estimate(data, measurement, [("A", "C"), ("B", "C")])
    table = fit.bootstrap(n=300, seed=1, scale=None).htmt().set_index(["construct_a", "construct_b"])
    assert table.loc[("A", "B"), "verdict"] == "NOT established" and table.loc[("A", "B"), "htmt"] > 0.9
    assert table.loc[("A", "C"), "verdict"] == "established" and table.loc[("A", "C"), "high"] < 0.85


# --------------------------------------------------------------------------- PLSpredict


def test_cut_folds_is_r_cut():
    # R: cut(seq(1, 10), breaks = 3, labels = FALSE) -> 1 1 1 1 2 2 2 3 3 3
    assert (cut_folds(10, 3) + 1).tolist() == [1, 1, 1, 1, 2, 2, 2, 3, 3, 3]
    # R: table(cut(seq(1, 336), breaks = 10, labels = FALSE))
    assert np.bincount(cut_folds(336, 10)).tolist() == [34, 34, 33, 34, 33, 34, 33, 34, 33, 34]


@pytest.mark.parametrize("which", ["corp", "mobi"])
def test_predict_matches_seminr_on_the_same_folds(which, fit, reference, mobi_pair):
    ours, ref = (fit, reference) if which == "corp" else mobi_pair
    ordering = np.random.default_rng(3).permutation(ours.n)
    result = ours.predict(folds=10, orderings=[ordering])
    theirs = seminr.summarize(seminr.predict_pls(ref, no_folds=10, ordering=ordering.tolist()))
    pls_oos, lm_oos = named(theirs.pls_out_of_sample), named(theirs.lm_out_of_sample)
    items = result.table["item"].tolist()
    np.testing.assert_allclose(result.table["rmse"], pls_oos.loc["RMSE", items], rtol=TOL)
    np.testing.assert_allclose(result.table["mae"], pls_oos.loc["MAE", items], rtol=TOL)
    np.testing.assert_allclose(result.table["rmse_lm"], lm_oos.loc["RMSE", items], rtol=TOL)
    np.testing.assert_allclose(result.table["mae_lm"], lm_oos.loc["MAE", items], rtol=TOL)


def test_q2_predict_by_hand(fit, corp):
    ordering = np.arange(fit.n)
    result = fit.predict(folds=5, orderings=[ordering])
    folds = cut_folds(fit.n, 5)
    actual = corp["cusl_2"].to_numpy(float)
    naive = np.empty(fit.n)
    for k in range(5):
        naive[folds == k] = actual[folds != k].mean()
    row = result.table.set_index("item").loc["cusl_2"]
    sse_pls = row["rmse"] ** 2 * fit.n
    assert row["q2_predict"] == pytest.approx(1 - sse_pls / np.sum((actual - naive) ** 2), rel=1e-10)
    assert row["q2_predict"] > 0


def test_predict_repeats_and_verdict(fit):
    result = fit.predict(folds=10, repeats=5, seed=4)
    assert result.repeats == 5 and result.predictions.shape == (5, fit.n, 4)
    assert result.predictive_power in {"none", "low", "medium", "high"}
    again = fit.predict(folds=10, repeats=5, seed=4)
    pd.testing.assert_frame_equal(result.table, again.table)
    assert "PLSpredict" in result.summary()
    ea = fit.predict(folds=10, repeats=1, technique="EA")
    assert not np.allclose(ea.table["rmse"], fit.predict(folds=10, repeats=1).table["rmse"])


def test_predict_bad_arguments(fit):
    with pytest.raises(ParameterError, match="folds"):
        fit.predict(folds=1)
    with pytest.raises(ParameterError, match="permutations"):
        fit.predict(orderings=[[0, 0, 1]])
    with pytest.raises(ParameterError, match="technique"):
        fit.predict(technique="XX")


# --------------------------------------------------------------------------- MGA


def simulated_groups(difference: float, n: int = 250, seed: int = 0) -> pd.DataFrame:
    """Two groups; X -> Y path 0.5 in group a and 0.5 + difference in b; Z -> Y 0.3 in both."""
    rng = np.random.default_rng(seed)
    frames = []
    for group, beta in (("a", 0.5), ("b", 0.5 + difference)):
        x, z = rng.normal(size=n), rng.normal(size=n)
        y = beta * x + 0.3 * z + np.sqrt(max(1 - beta**2 - 0.09, 0.05)) * rng.normal(size=n)
        frames.append(
            pd.DataFrame(
                {
                    f"{name}{i}": latent + 0.6 * rng.normal(size=n)
                    for name, latent in (("x", x), ("z", z), ("y", y))
                    for i in (1, 2, 3)
                }
            ).assign(group=group)
        )
    return pd.concat(frames, ignore_index=True)


SIM_MEASUREMENT = {k: [f"{k.lower()}{i}" for i in (1, 2, 3)] for k in ("X", "Z", "Y")}
SIM_STRUCTURAL = [("X", "Y"), ("Z", "Y")]


def test_mga_detects_a_known_difference_and_not_an_absent_one():
    out = pls.mga(simulated_groups(-0.35), SIM_MEASUREMENT, SIM_STRUCTURAL, by="group", n=1000, seed=1)
    table = out.table.set_index(["source", "target"])
    assert table.loc[("X", "Y"), "p_value"] < 0.01
    assert table.loc[("X", "Y"), "difference"] == pytest.approx(0.35, abs=0.12)
    assert table.loc[("Z", "Y"), "p_value"] > 0.05


def test_mga_p_values_are_uniform_under_the_null():
    # known truth: no difference -> p-values spread over (0, 1); few below 0.05
    ps = [
        pls.mga(simulated_groups(0.0, n=120, seed=s), SIM_MEASUREMENT, SIM_STRUCTURAL, by="group", n=199, seed=s)
        .table["p_value"]
        .to_numpy()
        for s in range(20)
    ]
    ps = np.concatenate(ps)
    assert (ps < 0.05).mean() <= 0.15 and 0.3 < ps.mean() < 0.7


def test_mga_group_estimates_equal_separate_fits_and_permutations_equal_refits(corp):
    out = pls.mga(corp, CORP_MEASUREMENT, CORP_STRUCTURAL, by="serviceprovider", n=20, seed=7)
    assert len(out.table) == 6 * 5 and set(out.n_permutations.values()) == {20}
    row = out.table[(out.table["group_a"] == 1) & (out.table["group_b"] == 3)]
    for group, column in ((1, "path_a"), (3, "path_b")):
        alone = pls.estimate(corp[corp["serviceprovider"] == group], CORP_MEASUREMENT, CORP_STRUCTURAL).paths
        np.testing.assert_allclose(
            row[column], [alone.loc[s, t] for s, t in zip(row["source"], row["target"])], atol=1e-9
        )
    # the first permutations, redrawn as mga draws them, refitted one by one (the naive loop)
    pair = corp[corp["serviceprovider"].isin([1, 2])].reset_index(drop=True)
    size_a = int((pair["serviceprovider"] == 1).sum())
    rng = np.random.default_rng(7)
    membership = np.argsort(rng.random((20, len(pair))), axis=1) < size_a
    for k in range(3):
        first = pls.estimate(pair[membership[k]], CORP_MEASUREMENT, CORP_STRUCTURAL).paths
        second = pls.estimate(pair[~membership[k]], CORP_MEASUREMENT, CORP_STRUCTURAL).paths
        expected = [first.loc[s, t] - second.loc[s, t] for s, t in CORP_STRUCTURAL]
        order = [CORP_STRUCTURAL.index((s, t)) for s, t in zip(out.table["source"][:5], out.table["target"][:5])]
        np.testing.assert_allclose(out.draws["1 vs 2"][k], np.array(expected)[order], atol=1e-9)


def test_mga_rest_and_summary(corp):
    out = pls.mga(corp, CORP_MEASUREMENT, CORP_STRUCTURAL, by="serviceprovider", n=50, comparisons="rest")
    assert out.table["group_b"].unique().tolist() == ["rest"] and len(out.table) == 4 * 5
    assert (out.table["n_a"] + out.table["n_b"] == len(corp)).all()
    assert (out.table["p_value"] >= 1 / 51).all()
    assert "Chin and Dibbern" in out.summary()


def test_mga_bad_input(corp):
    with pytest.raises(SurveyDataError, match="at least two groups"):
        pls.mga(corp.assign(g=1), CORP_MEASUREMENT, CORP_STRUCTURAL, by="g", n=10)
    with pytest.raises(SurveyDataError, match="fewer than 3"):
        pls.mga(corp.assign(g=["x"] * (len(corp) - 2) + ["y", "y"]), CORP_MEASUREMENT, CORP_STRUCTURAL, by="g", n=10)
    with pytest.raises(ParameterError, match="comparisons"):
        pls.mga(corp, CORP_MEASUREMENT, CORP_STRUCTURAL, by="serviceprovider", comparisons="all")
