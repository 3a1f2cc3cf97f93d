"""PLS path models against the seminr oracle (GPL-3.0, imported only here), the
simulator's known paths, hand formulas for the indices, and every bad specification."""

from __future__ import annotations

import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from csat_analysis import datasets, pls  # noqa: E402
from csat_analysis.errors import ConvergenceWarning, CsatWarning, ModelSpecError, SurveyDataError  # noqa: E402

try:  # the seminr oracle (GPL-3.0, test-only): without it only the comparisons with it skip
    import seminr
except ImportError:
    seminr = None
requires_seminr = pytest.mark.skipif(seminr is None, reason="the seminr oracle is not installed (pip install seminr)")

TOL = 1e-6

CORP_MEASUREMENT = {
    "COMP": ["comp_1", "comp_2", "comp_3"],
    "LIKE": ["like_1", "like_2", "like_3"],
    "CUSA": ["cusa"],
    "CUSL": ["cusl_1", "cusl_2", "cusl_3"],
}
CORP_STRUCTURAL = [("COMP", "CUSA"), ("LIKE", "CUSA"), ("COMP", "CUSL"), ("LIKE", "CUSL"), ("CUSA", "CUSL")]
SUB_MEASUREMENT = {c: pls.ecsi()[0][c] for c in ("Image", "Expectation", "Value", "Satisfaction")}
SUB_STRUCTURAL = [("Image", "Satisfaction"), ("Expectation", "Satisfaction"), ("Value", "Satisfaction")]


@pytest.fixture(scope="module")
def mobi():
    return datasets.load("mobi")


@pytest.fixture(scope="module")
def corp_rep():
    return datasets.load("corp_rep")


@pytest.fixture(scope="module")
def ecsi_fit(mobi):
    measurement, structural = pls.ecsi()
    return pls.estimate(mobi, measurement, structural)


def seminr_fit(data, measurement, structural, modes=None, scheme="path", missing="mean", missing_value=None):
    modes = modes or {}
    mm = seminr.constructs(
        *[
            seminr.composite(c, items, weights=seminr.mode_B if modes.get(c) == "B" else seminr.mode_A)
            for c, items in measurement.items()
        ]
    )
    sm = seminr.relationships(*[seminr.paths(a, b) for a, b in structural])
    inner = {"path": seminr.path_weighting, "factorial": seminr.path_factorial}[scheme]
    strategy = {"mean": seminr.mean_replacement, "drop": seminr.na_omit}[missing]
    return seminr.estimate_pls(data, mm, sm, inner_weights=inner, missing=strategy, missing_value=missing_value)


def frame(named) -> pd.DataFrame:
    return pd.DataFrame(named.values, index=list(named.rows), columns=list(named.cols))


def assert_matches_seminr(ours, ref):
    for name, theirs in [("paths", ref.path_coef), ("loadings", ref.outer_loadings), ("weights", ref.outer_weights)]:
        mine = getattr(ours, name)
        theirs = frame(theirs).loc[mine.index, mine.columns]
        np.testing.assert_allclose(mine.to_numpy(), theirs.to_numpy(), atol=TOL, err_msg=name)
    r2 = frame(ref.r_squared).loc["Rsq", ours.r2.index]
    np.testing.assert_allclose(ours.r2.to_numpy(), r2.to_numpy(), atol=TOL)
    adj = frame(ref.r_squared).loc["AdjRsq", ours.r2.index]
    np.testing.assert_allclose(ours.r2_adj.to_numpy(), adj.to_numpy(), atol=TOL)
    rel = frame(seminr.reliability_table(ref)).loc[ours.reliability.index, ["alpha", "rhoC", "AVE", "rhoA"]]
    np.testing.assert_allclose(ours.reliability.to_numpy(), rel.to_numpy(), atol=TOL)
    htmt = frame(seminr.htmt(ref)).loc[ours.htmt.index, ours.htmt.columns].to_numpy()
    upper = np.triu_indices(len(htmt), 1)
    np.testing.assert_allclose(ours.htmt.to_numpy()[upper], htmt[upper], atol=TOL)
    total = frame(seminr.total_effects(ref.path_coef)).loc[ours.total_effects.index, ours.total_effects.columns]
    np.testing.assert_allclose(ours.total_effects.to_numpy(), total.to_numpy(), atol=TOL)
    assert ours.iterations == ref.iterations


# --------------------------------------------------------------------------- oracle: estimates


@requires_seminr
def test_full_ecsi_on_mobi_matches_seminr(mobi, ecsi_fit):
    measurement, structural = pls.ecsi()
    assert_matches_seminr(ecsi_fit, seminr_fit(mobi.astype(float), measurement, structural))
    assert ecsi_fit.converged


@requires_seminr
@pytest.mark.parametrize("scheme", ["path", "factorial"])
def test_four_construct_submodel_matches_seminr(mobi, scheme):
    ours = pls.estimate(mobi, SUB_MEASUREMENT, SUB_STRUCTURAL, scheme=scheme)
    assert_matches_seminr(ours, seminr_fit(mobi.astype(float), SUB_MEASUREMENT, SUB_STRUCTURAL, scheme=scheme))


@requires_seminr
def test_corp_rep_with_minus_99_mean_replacement_matches_seminr(corp_rep):
    ours = pls.estimate(corp_rep, CORP_MEASUREMENT, CORP_STRUCTURAL, missing="mean")
    items = [i for items in CORP_MEASUREMENT.values() for i in items]
    assert corp_rep[items].isna().any().any(), "corp_rep should have missing answers"
    raw_codes = corp_rep[items].fillna(-99)  # the file's own coding, decoded by seminr
    ref = seminr_fit(raw_codes, CORP_MEASUREMENT, CORP_STRUCTURAL, missing_value=-99)
    assert_matches_seminr(ours, ref)


@requires_seminr
def test_corp_rep_listwise_deletion_matches_seminr(corp_rep):
    ours = pls.estimate(corp_rep, CORP_MEASUREMENT, CORP_STRUCTURAL, missing="drop")
    items = [i for items in CORP_MEASUREMENT.values() for i in items]
    ref = seminr_fit(corp_rep[items], CORP_MEASUREMENT, CORP_STRUCTURAL, missing="drop")
    assert_matches_seminr(ours, ref)
    assert ours.n == int(corp_rep[items].notna().all(axis=1).sum()) < len(corp_rep)


@requires_seminr
def test_mode_b_and_factorial_match_seminr(mobi):
    modes = {"Quality": "B", "Image": "B"}
    measurement, structural = pls.ecsi()
    ours = pls.estimate(mobi, measurement, structural, modes=modes, scheme="factorial")
    assert_matches_seminr(
        ours, seminr_fit(mobi.astype(float), measurement, structural, modes=modes, scheme="factorial")
    )
    assert ours.reliability.loc["Quality", "rhoA"] == 1.0


def test_centroid_scheme_agrees_with_path_scheme_closely(mobi, ecsi_fit):
    # seminr has no centroid scheme; the three schemes are known to differ only slightly
    measurement, structural = pls.ecsi()
    centroid = pls.estimate(mobi, measurement, structural, scheme="centroid")
    assert centroid.converged
    assert np.abs(centroid.paths - ecsi_fit.paths).to_numpy().max() < 0.05
    np.testing.assert_allclose(centroid.scores.var(), 1.0)


def test_scores_are_standardised_and_weights_reproduce_them(mobi, ecsi_fit):
    scores = ecsi_fit.scores
    np.testing.assert_allclose(scores.mean(), 0, atol=1e-12)
    np.testing.assert_allclose(scores.std(ddof=1), 1, atol=1e-12)
    z = (mobi[ecsi_fit.weights.index] - mobi[ecsi_fit.weights.index].mean()) / mobi[ecsi_fit.weights.index].std()
    np.testing.assert_allclose((z.to_numpy() @ ecsi_fit.weights.to_numpy()), scores.to_numpy(), atol=1e-10)
    # loadings are the item/score correlations (textbook definition)
    np.testing.assert_allclose(
        mobi["PERQ1"].corr(scores["Quality"]), ecsi_fit.loadings.loc["PERQ1", "Quality"], atol=1e-10
    )


# --------------------------------------------------------------------------- simulator recovery


def test_recovers_simulated_paths():
    simulate = pytest.importorskip("csat_analysis.simulate")
    measurement, structural = pls.ecsi()
    items = [i for block in measurement.values() for i in block]
    errors = {}
    for loading in (0.8, 0.97):
        panel = simulate.simulate_panel(20000, seed=11, loadings={i: loading for i in items})
        fit = pls.estimate(panel.data, measurement, structural)
        truth = pd.Series(panel.truth["paths"])
        estimates = pd.Series({k: fit.paths.loc[k.split("->")[0], k.split("->")[1]] for k in truth.index})
        errors[loading] = (estimates - truth).abs()
        assert np.corrcoef(estimates, truth)[0, 1] > 0.97
    # composite PLS is consistent at large: with near-perfect items the paths are recovered
    # (sampling SE at n=20000 is about 0.01; residual attenuation from 1-10 rounding stays
    # below 0.06), and less reliable items attenuate the paths more, as theory says
    assert errors[0.97].max() < 0.06
    assert errors[0.97].mean() < errors[0.8].mean()


# --------------------------------------------------------------------------- indices


def test_index_is_weighted_mean_of_rescaled_items(mobi, ecsi_fit):
    idx = ecsi_fit.index(scale=(1, 10))
    items = ecsi_fit.weights.index[ecsi_fit.weights["Satisfaction"] != 0]
    w = ecsi_fit.weights.loc[items, "Satisfaction"] / mobi[items].std()
    w = w / w.sum()
    expected = ((mobi[items] - 1) / 9 * 100) @ w
    np.testing.assert_allclose(idx.scores["Satisfaction"], expected, atol=1e-10)
    np.testing.assert_allclose(idx.weights.loc[items, "Satisfaction"], w, atol=1e-12)
    mean = expected.mean()
    half = 1.969615 * expected.std() / np.sqrt(len(expected))  # t(0.975, 249)
    row = idx.summary.loc["Satisfaction"]
    assert row["index"] == pytest.approx(mean)
    assert row["low"] == pytest.approx(mean - half, abs=1e-4)
    assert row["high"] == pytest.approx(mean + half, abs=1e-4)
    assert (idx.scores.to_numpy() >= -1e-9).all() and (idx.scores.to_numpy() <= 100 + 1e-9).all()
    assert (idx.summary["negative_weights"] == 0).all()


def test_negative_index_weights_are_reported(mobi):
    data = mobi.copy()
    data["CUSL2"] = 11 - data["CUSL2"]  # reverse-coded item left unreversed
    measurement, structural = pls.ecsi()
    fit = pls.estimate(data, measurement, structural)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # reported on the result, not by a warning
        idx = fit.index()
    assert idx.summary.loc["Loyalty", "negative_weights"] == 1
    assert idx.negative_weights[["item", "construct"]].values.tolist() == [["CUSL2", "Loyalty"]]
    assert fit.summary().negative_index_weights["item"].tolist() == ["CUSL2"]
    assert "Negative index weights" in str(fit.summary())
    assert issubclass(pls.NegativeIndexWeightWarning, CsatWarning)
    assert idx.weights.loc["CUSL2", "Loyalty"] < 0


def test_index_rejects_values_outside_the_scale(ecsi_fit):
    with pytest.raises(SurveyDataError, match="outside the scale 1..7"):
        ecsi_fit.index(scale=(1, 7))


# --------------------------------------------------------------------------- bootstrap


def seminr_boot_frame(boot, ref_fit):
    rows = {}
    for kind, reps, original in [
        ("path", boot.boot_paths, ref_fit.path_coef),
        ("loading", boot.boot_loadings, ref_fit.outer_loadings),
        ("weight", boot.boot_weights, ref_fit.outer_weights),
    ]:
        stack = np.stack([r.values for r in reps])
        for i, source in enumerate(original.rows):
            for j, target in enumerate(original.cols):
                if original.values[i, j] != 0:
                    rows[(kind, source, target)] = (
                        stack[:, i, j].mean(),
                        stack[:, i, j].std(ddof=1),
                        np.quantile(stack[:, i, j], 0.025),
                        np.quantile(stack[:, i, j], 0.975),
                    )
    return pd.DataFrame(rows, index=["mean", "se", "low", "high"]).T


@requires_seminr
@pytest.mark.parametrize("dataset, missing", [("mobi", "mean"), ("corp_rep", "mean"), ("corp_rep", "drop")])
def test_bootstrap_with_same_resamples_matches_seminr(dataset, missing, mobi, corp_rep):
    if dataset == "mobi":
        data = mobi.astype(float)
        measurement, structural = pls.ecsi()
    else:  # missing answers: seminr re-imputes (or re-drops) inside every resample, so must we
        data = corp_rep[[i for block in CORP_MEASUREMENT.values() for i in block]]
        measurement, structural = CORP_MEASUREMENT, CORP_STRUCTURAL
    ours = pls.estimate(data, measurement, structural, missing=missing)
    ref = seminr_fit(data, measurement, structural, missing=missing)
    indices = np.random.default_rng(5).integers(0, len(data), size=(40, len(data)))
    boot = ours.bootstrap(indices=indices, sign_change="none", scale=None)
    theirs = seminr_boot_frame(seminr.bootstrap_model(ref, nboot=40, indices=indices), ref)
    mine = boot.table.set_index(["kind", "source", "target"])
    theirs = theirs.loc[mine.index]
    np.testing.assert_allclose(mine[["mean", "se", "low", "high"]].to_numpy(), theirs.to_numpy(), atol=TOL)
    assert boot.n_resamples == 40 and boot.n_failed == 0


@requires_seminr
def test_bootstrap_standard_errors_agree_with_seminr_within_monte_carlo_error(mobi, ecsi_fit):
    measurement, structural = pls.ecsi()
    ref = seminr_fit(mobi.astype(float), measurement, structural)
    n_ref, n_ours = 150, 3000
    theirs = seminr_boot_frame(seminr.bootstrap_model(ref, nboot=n_ref, seed=123), ref)
    mine = ecsi_fit.bootstrap(n=n_ours, seed=7).paths.set_index(["kind", "source", "target"])
    ratio = mine["se"] / theirs.loc[mine.index, "se"]
    # relative SE of a bootstrap SD with B draws is about 1/sqrt(2B); allow 4 of them
    allowed = 4 * np.sqrt(1 / (2 * n_ref) + 1 / (2 * n_ours))
    assert (ratio - 1).abs().max() < allowed, ratio


def test_bootstrap_is_reproducible_and_tidy(ecsi_fit):
    first = ecsi_fit.bootstrap(n=300, seed=3)
    again = ecsi_fit.bootstrap(n=300, seed=3)
    other = ecsi_fit.bootstrap(n=300, seed=4)
    pd.testing.assert_frame_equal(first.table, again.table)
    assert not np.allclose(first.table["se"], other.table["se"])
    assert list(first.table.columns) == ["kind", "source", "target", "original", "mean", "se", "t", "low", "high"]
    assert set(first.table["kind"]) == {"path", "loading", "weight", "index"}
    assert len(first.paths) == 12 and len(first.loadings) == 24 and len(first.weights) == 24
    indices = first.indices
    assert list(indices["source"]) == ecsi_fit.paths.index.tolist() and set(indices["target"]) == {"index"}
    np.testing.assert_allclose(indices["original"], ecsi_fit.index().summary["index"])
    assert ((indices["low"] < indices["original"]) & (indices["original"] < indices["high"])).all()
    np.testing.assert_allclose(first.paths["t"], first.paths["original"] / first.paths["se"])
    # chunking must not change the result
    chunked = ecsi_fit.bootstrap(n=300, seed=3, memory_bytes=1)
    pd.testing.assert_frame_equal(first.table, chunked.table, check_exact=False, rtol=1e-10)
    single = first.table[(first.table["source"] == "CUSCO")]
    assert (single["se"] == 0).all() and single["t"].isna().all()


def test_bootstrap_mean_index_matches_refits_on_resampled_data(mobi, ecsi_fit):
    measurement, structural = pls.ecsi()
    indices = np.random.default_rng(9).integers(0, len(mobi), size=(3, len(mobi)))
    boot = ecsi_fit.bootstrap(indices=indices)
    refits = [
        pls.estimate(mobi.iloc[row].reset_index(drop=True), measurement, structural).index().summary["index"]
        for row in indices
    ]
    expected = pd.concat(refits, axis=1)
    np.testing.assert_allclose(boot.draws["index"], expected.T.to_numpy(), atol=1e-9)


def test_sign_change_flips_constructs_that_point_away(mobi):
    measurement, structural = pls.ecsi()
    fit = pls.estimate(mobi, measurement, structural)
    aligned = fit.bootstrap(n=200, seed=1, sign_change="construct")
    raw = fit.bootstrap(n=200, seed=1, sign_change="none")
    # mobi's blocks are all positively related to their neighbours: nothing flips
    assert aligned.n_sign_changes == 0
    pd.testing.assert_frame_equal(aligned.table, raw.table)

    # a block of pure noise has no sign of its own: resamples flip it at random
    rng = np.random.default_rng(0)
    data = mobi.assign(NOISE1=rng.normal(size=len(mobi)), NOISE2=rng.normal(size=len(mobi)))
    noisy = pls.estimate(data, dict(measurement, Noise=["NOISE1", "NOISE2"]), structural + [("Noise", "Loyalty")])
    aligned_boot = noisy.bootstrap(n=300, seed=2, sign_change="construct", scale=None)
    raw_boot = noisy.bootstrap(n=300, seed=2, sign_change="none", scale=None)
    aligned = aligned_boot.table.set_index(["kind", "source", "target"])
    raw = raw_boot.table.set_index(["kind", "source", "target"])
    assert raw_boot.n_sign_changes == 0  # "none" never flips
    assert 0 < aligned_boot.n_sign_changes < 300
    k = noisy.weights.columns.get_loc("Noise")
    original = noisy.weights.to_numpy()[:, k]
    agreement_raw = raw_boot.draws["weights"][:, :, k] @ original
    agreement_aligned = aligned_boot.draws["weights"][:, :, k] @ original
    # raw resamples point away from the original about as often as the flips counted;
    # aligned ones never do, and differ from the raw ones exactly by the sign
    assert (agreement_raw < 0).sum() == aligned_boot.n_sign_changes
    assert (agreement_aligned >= 0).all()
    np.testing.assert_allclose(np.abs(agreement_aligned), np.abs(agreement_raw))
    # constructs that never flip are untouched by the alignment
    other = [i for i in raw.index if i[0] == "loading" and i[2] == "Quality"]
    np.testing.assert_allclose(aligned.loc[other, "se"], raw.loc[other, "se"])


# --------------------------------------------------------------------------- reporting


def test_summary_plot_and_repr(ecsi_fit):
    text = str(ecsi_fit.summary())
    for section in ("Paths", "R²", "Reliability", "HTMT", "Satisfaction"):
        assert section in text
    assert "converged" in repr(ecsi_fit)
    fig, ax = plt.subplots()
    assert ecsi_fit.plot(ax=ax) is ax
    labels = [t.get_text() for t in ax.texts]
    assert any(t.startswith("Satisfaction\nR² = 0.68") for t in labels)
    assert f"{ecsi_fit.paths.loc['Quality', 'Satisfaction']:.2f}" in labels
    plt.close(fig)


def test_plot_uses_given_positions(ecsi_fit):
    fig, ax = plt.subplots()
    layout = {c: (float(i), 0.0) for i, c in enumerate(ecsi_fit.paths.index)}
    ecsi_fit.plot(ax=ax, positions=layout)
    centres = {
        t.get_text().split("\n")[0]: t.get_position()
        for t in ax.texts
        if "\n" in t.get_text() or t.get_text() == "Image"
    }
    assert centres["Satisfaction"] == layout["Satisfaction"]
    with pytest.raises(ModelSpecError, match="Loyalty"):
        ecsi_fit.plot(ax=ax, positions={c: xy for c, xy in layout.items() if c != "Loyalty"})
    plt.close(fig)


def test_ecsi_prefixes():
    measurement, structural = pls.ecsi({"Image": "img_", "Complaints": "complaint"})
    assert measurement["Image"] == ["img_1", "img_2", "img_3", "img_4", "img_5"]
    assert measurement["Complaints"] == ["complaint"]
    assert measurement["Quality"] == [f"PERQ{i}" for i in range(1, 8)]
    assert ("Complaints", "Loyalty") in structural and len(structural) == 12
    with pytest.raises(ModelSpecError, match="Imagee"):
        pls.ecsi({"Imagee": "x"})


# --------------------------------------------------------------------------- bad specifications


def test_cycle_is_rejected(mobi):
    with pytest.raises(ModelSpecError, match="cycle"):
        pls.estimate(mobi, SUB_MEASUREMENT, SUB_STRUCTURAL + [("Satisfaction", "Image")])


def test_unknown_items_are_listed(mobi):
    measurement = dict(SUB_MEASUREMENT, Value=["PERV1", "PERV9"])
    with pytest.raises(ModelSpecError, match="PERV9.*available columns"):
        pls.estimate(mobi, measurement, SUB_STRUCTURAL)


def test_construct_without_items(mobi):
    with pytest.raises(ModelSpecError, match="Loyalty.*no items"):
        pls.estimate(mobi, SUB_MEASUREMENT, SUB_STRUCTURAL + [("Satisfaction", "Loyalty")])
    with pytest.raises(ModelSpecError, match="no items"):
        pls.estimate(mobi, dict(SUB_MEASUREMENT, Value=[]), SUB_STRUCTURAL)


def test_zero_variance_item_is_named(mobi):
    data = mobi.assign(PERV2=5)
    with pytest.raises(ModelSpecError, match="PERV2.*zero variance"):
        pls.estimate(data, SUB_MEASUREMENT, SUB_STRUCTURAL)


def test_singular_system(mobi):
    data = mobi.assign(PERV_copy=mobi["PERV1"])
    measurement = dict(SUB_MEASUREMENT, Value=["PERV1", "PERV2", "PERV_copy"])
    with pytest.raises(ModelSpecError, match="singular"):
        pls.estimate(data, measurement, SUB_STRUCTURAL, modes={"Value": "B"})


def test_nonconvergence_raises_or_warns(mobi):
    measurement, structural = pls.ecsi()
    with pytest.raises(ModelSpecError, match="did not converge"):
        pls.estimate(mobi, measurement, structural, max_iter=2)
    with pytest.warns(ConvergenceWarning, match="did not converge"):
        flagged = pls.estimate(mobi, measurement, structural, max_iter=2, on_nonconvergence="warn")
    assert not flagged.converged and flagged.iterations == 2


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"scheme": "pathx"}, "'path', 'factorial', 'centroid'"),
        ({"missing": "impute"}, "'mean', 'drop', 'error'"),
        ({"modes": {"Value": "C"}}, "'A', 'B'"),
        ({"modes": {"Nope": "B"}}, "Nope"),
    ],
)
def test_unknown_choices_list_the_valid_ones(mobi, kwargs, match):
    with pytest.raises(ModelSpecError, match=match):
        pls.estimate(mobi, SUB_MEASUREMENT, SUB_STRUCTURAL, **kwargs)


def test_missing_error_and_non_numeric_items(corp_rep, mobi):
    with pytest.raises(SurveyDataError, match="missing values"):
        pls.estimate(corp_rep, CORP_MEASUREMENT, CORP_STRUCTURAL, missing="error")
    data = mobi.astype({"PERV1": object})
    data.loc[3, "PERV1"] = "x"
    with pytest.raises(SurveyDataError, match="PERV1.*'x' \\(row 3\\)"):
        pls.estimate(data, SUB_MEASUREMENT, SUB_STRUCTURAL)


def test_item_in_two_constructs_and_unconnected_construct(mobi):
    with pytest.raises(ModelSpecError, match="more than one construct"):
        pls.estimate(mobi, dict(SUB_MEASUREMENT, Value=["PERV1", "CUSA1"]), SUB_STRUCTURAL)
    with pytest.raises(ModelSpecError, match="no path"):
        pls.estimate(mobi, dict(SUB_MEASUREMENT, Loyalty=["CUSL1"]), SUB_STRUCTURAL)


def test_errors_are_value_errors_too(mobi):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError):
            pls.estimate(mobi, SUB_MEASUREMENT, [("Image", "Image")])
