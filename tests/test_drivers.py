"""csat_analysis.drivers against independent oracles.

Shapley values: brute force over every order of entry with statsmodels OLS R²
(a different code path from the module's subset-correlation algebra). Relative
weights: Johnson's (2000) original SVD construction on the data matrix.
"""

from itertools import permutations
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf

from csat_analysis import datasets, drivers
from csat_analysis.errors import ModelSpecError, ParameterError, SurveyDataError


@pytest.fixture(scope="module")
def correlated():
    rng = np.random.default_rng(11)
    common = rng.normal(size=500)
    frame = pd.DataFrame({f"x{i}": common * (0.3 + 0.2 * i) + rng.normal(size=500) for i in range(4)})
    frame["y"] = 0.5 * frame["x0"] + 0.2 * frame["x1"] + 0.8 * frame["x3"] + rng.normal(size=500) * 2
    return frame


def _ols_r2(frame, target, members):
    if not members:
        return 0.0
    return smf.ols(f"{target} ~ {' + '.join(members)}", frame).fit().rsquared


def test_shapley_equals_brute_force_over_orders(correlated):
    names = ["x0", "x1", "x2", "x3"]
    cache = {}

    def r2(members):
        key = frozenset(members)
        if key not in cache:
            cache[key] = _ols_r2(correlated, "y", sorted(key))
        return cache[key]

    gains = dict.fromkeys(names, 0.0)
    orders = list(permutations(names))
    for order in orders:
        for k, name in enumerate(order):
            gains[name] += r2(order[: k + 1]) - r2(order[:k])
    expected = [gains[n] / len(orders) for n in names]
    table = drivers.relative_importance(correlated, "y", names, method="shapley")
    np.testing.assert_allclose(table["importance"], expected, rtol=1e-9)
    assert table["r2"].iloc[0] == pytest.approx(_ols_r2(correlated, "y", names))
    assert table["share"].sum() == pytest.approx(1)
    assert table.set_index("driver")["rank"].to_dict() == {
        n: r for n, r in zip(names, pd.Series(expected).rank(ascending=False).astype(int))
    }


def test_relative_weights_equal_johnsons_svd_construction(correlated):
    names = ["x0", "x1", "x2", "x3"]
    x = correlated[names].to_numpy()
    x = (x - x.mean(0)) / x.std(0, ddof=1)
    y = correlated["y"].to_numpy()
    y = (y - y.mean()) / y.std(ddof=1)
    p_matrix, delta, q_t = np.linalg.svd(x, full_matrices=False)
    z = p_matrix @ q_t  # orthonormal counterparts of X (up to the sqrt(n-1) scale)
    z_scaled = z * np.sqrt(len(x) - 1)
    beta = np.linalg.lstsq(z_scaled, y, rcond=None)[0]
    lam = np.linalg.lstsq(z_scaled, x, rcond=None)[0]  # regress X on Z: Λ
    expected = (lam.T**2) @ (beta**2)
    table = drivers.relative_importance(correlated, "y", names, method="relative_weights")
    np.testing.assert_allclose(table["importance"], expected, rtol=1e-8)
    assert table["importance"].sum() == pytest.approx(table["r2"].iloc[0])


@pytest.mark.parametrize("method", ["shapley", "relative_weights"])
def test_orthogonal_drivers_get_their_squared_correlations(method):
    rng = np.random.default_rng(5)
    raw = rng.normal(size=(120, 3))
    raw -= raw.mean(0)
    q, _ = np.linalg.qr(raw)  # exactly uncorrelated, centred columns
    frame = pd.DataFrame(q, columns=["a", "b", "c"])
    frame["y"] = 3 * frame["a"] + 1 * frame["b"] + 0.5 * frame["c"] + rng.normal(size=120) * 0.02
    table = drivers.relative_importance(frame, "y", ["a", "b", "c"], method=method)
    squared = [np.corrcoef(frame[c], frame["y"])[0, 1] ** 2 for c in "abc"]
    np.testing.assert_allclose(table["importance"], squared, rtol=1e-8)


def test_constructs_are_item_means_and_weights_change_the_answer():
    mobi = datasets.load("mobi")
    constructs = {"Image": [f"IMAG{i}" for i in range(1, 6)], "Value": ["PERV1", "PERV2"]}
    table = drivers.relative_importance(mobi, ["CUSA1", "CUSA2", "CUSA3"], constructs)
    assert table["driver"].tolist() == ["Image", "Value"]
    frame = pd.DataFrame(
        {
            "Image": mobi[constructs["Image"]].mean(axis=1),
            "Value": mobi[constructs["Value"]].mean(axis=1),
            "Sat": mobi[["CUSA1", "CUSA2", "CUSA3"]].mean(axis=1),
        }
    )
    assert table["r2"].iloc[0] == pytest.approx(smf.ols("Sat ~ Image + Value", frame).fit().rsquared)
    mobi["w"] = np.where(mobi["CUSA1"] > 8, 3.0, 1.0)
    weighted = drivers.relative_importance(mobi, ["CUSA1", "CUSA2", "CUSA3"], constructs, weights="w")
    frame["w"] = mobi["w"]
    assert weighted["r2"].iloc[0] == pytest.approx(
        smf.wls("Sat ~ Image + Value", frame, weights=frame["w"]).fit().rsquared
    )


def test_bad_inputs_are_clear_errors(correlated):
    with pytest.raises(ParameterError, match="'shapley', 'relative_weights'"):
        drivers.relative_importance(correlated, "y", ["x0"], method="lmg")
    with pytest.raises(SurveyDataError, match="'x9'"):
        drivers.relative_importance(correlated, "y", ["x0", "x9"])
    frame = correlated.assign(dup=correlated["x0"] * 2)
    with pytest.raises(SurveyDataError, match="collinear"):
        drivers.relative_importance(frame, "y", ["x0", "dup"])
    with pytest.raises(SurveyDataError, match="do not vary"):
        drivers.relative_importance(correlated.assign(k=1.0), "y", ["x0", "k"])


def test_short_stave_is_the_weakest_high_importance_driver():
    # Hand-made: a and b matter (importance shares above the mean), c barely.
    # Performance: a high, b middling, c lowest. The short stave is b, not c:
    # c performs worst but hardly matters.
    rng = np.random.default_rng(7)
    raw = rng.normal(size=(400, 3))
    raw -= raw.mean(0)
    q, _ = np.linalg.qr(raw)
    frame = pd.DataFrame(q / q.std(0), columns=["a", "b", "c"])
    frame["y"] = 2 * frame["a"] + 2.2 * frame["b"] + 0.3 * frame["c"]
    # shift to a 1-10 scale: means 8.5, 6, 4 -> performance 83.3, 55.6, 33.3 (cross-hair 57.4)
    frame["a"] += 8.5
    frame["b"] += 6.0
    frame["c"] += 4.0
    table = drivers.importance_performance(frame, "y", ["a", "b", "c"], (1, 10)).set_index("driver")
    assert table["performance"].to_dict() == pytest.approx({"a": 750 / 9, "b": 500 / 9, "c": 300 / 9})
    assert drivers.short_stave(table.reset_index()) == "b"
    assert table.loc["b", "quadrant"] == "concentrate here"
    assert table.loc["a", "quadrant"] == "keep up the good work"
    assert table.loc["c", "quadrant"] == "low priority"
    assert table["weakest_high_importance"].sum() == 1
    assert drivers.weakest_important(table.reset_index()) == "b"


def test_no_short_stave_when_every_important_driver_performs_above_average():
    # Hand-made: a and b matter and both perform above the cross-hair (mean performance), c neither.
    # The weakest important driver is b, but it does not lag, so there is no short stave.
    rng = np.random.default_rng(7)
    raw = rng.normal(size=(400, 3))
    raw -= raw.mean(0)
    q, _ = np.linalg.qr(raw)
    frame = pd.DataFrame(q / q.std(0), columns=["a", "b", "c"])
    frame["y"] = 2 * frame["a"] + 2.2 * frame["b"] + 0.3 * frame["c"]
    # means 8.5, 7, 2 -> performance 83.3, 66.7, 11.1 (cross-hair 53.7): b is important and above it
    frame["a"] += 8.5
    frame["b"] += 7.0
    frame["c"] += 2.0
    table = drivers.importance_performance(frame, "y", ["a", "b", "c"], (1, 10))
    assert not table["weakest_high_importance"].any()
    assert drivers.short_stave(table) is None
    assert drivers.weakest_important(table) == "b"
    result = drivers.key_drivers(frame, "y", ["a", "b", "c"], (1, 10))
    assert result.short_stave is None and result.short_stave_quadrant is None


def test_mobi_has_no_short_stave():
    # the ECSI drivers of mobi: Quality matters most and performs best, so nothing lags
    from csat_analysis.studies.roles import dataset_roles

    roles = dataset_roles("mobi")
    result = drivers.key_drivers(datasets.load("mobi"), roles["satisfaction"], roles["drivers"], (1, 10))
    table = result.table.set_index("driver")
    important = table[table["share"] >= table["share"].mean()]
    assert (important["performance"] >= table["performance"].mean()).all()
    assert result.short_stave is None and drivers.weakest_important(result.table) == "Quality"


class _FakePLS:
    """The slice of the PLS contract ipma uses: paths and index(scale).scores."""

    def __init__(self, paths, scores):
        self.paths = paths
        self._scores = scores

    def index(self, scale):
        return SimpleNamespace(scores=self._scores)


def test_ipma_total_effects_follow_every_path():
    # X -> M -> Y and X -> Y on 0-100 scores; unstandardised total X->Y = c + a*b
    rng = np.random.default_rng(9)
    x = rng.uniform(30, 90, 2000)
    m = 10 + 0.6 * x + rng.normal(0, 5, 2000)
    y = 5 + 0.3 * x + 0.5 * m + rng.normal(0, 5, 2000)
    scores = pd.DataFrame({"X": x, "M": m, "Y": y})
    names = ["X", "M", "Y"]
    paths = pd.DataFrame(0.0, index=names, columns=names)
    paths.loc["X", "M"], paths.loc["X", "Y"], paths.loc["M", "Y"] = 0.7, 0.35, 0.55
    table = drivers.ipma(_FakePLS(paths, scores), "Y", scale=(1, 10)).set_index("construct")
    a = smf.ols("M ~ X", scores).fit().params["X"]
    fit_y = smf.ols("Y ~ X + M", scores).fit().params
    assert table.loc["X", "importance"] == pytest.approx(fit_y["X"] + a * fit_y["M"])
    assert table.loc["M", "importance"] == pytest.approx(fit_y["M"])
    assert table.loc["X", "standardised"] == pytest.approx(0.35 + 0.7 * 0.55)
    assert table.loc["X", "performance"] == pytest.approx(x.mean())
    with pytest.raises(ModelSpecError, match="Satisfaction"):
        drivers.ipma(_FakePLS(paths, scores), "Satisfaction")


def test_ipma_on_the_real_pls_model_of_mobi():
    pls = pytest.importorskip("csat_analysis.pls")
    measurement, structural = pls.ecsi()
    fit = pls.estimate(datasets.load("mobi"), measurement, structural)
    table = drivers.ipma(fit, "Satisfaction", scale=(1, 10)).set_index("construct")
    assert sorted(table.index) == ["Expectation", "Image", "Quality", "Value"]
    np.testing.assert_allclose(table["standardised"], fit.total_effects.loc[table.index, "Satisfaction"], atol=1e-10)
    # independent path: statsmodels regressions on the 0-100 scores, effects summed by hand
    scores = fit.index(scale=(1, 10)).scores
    value = smf.ols("Value ~ Expectation + Quality", scores).fit().params
    quality = smf.ols("Quality ~ Expectation", scores).fit().params
    sat = smf.ols("Satisfaction ~ Image + Expectation + Quality + Value", scores).fit().params
    expectation = smf.ols("Expectation ~ Image", scores).fit().params
    quality_total = sat["Quality"] + value["Quality"] * sat["Value"]
    expectation_total = (
        sat["Expectation"] + value["Expectation"] * sat["Value"] + quality["Expectation"] * quality_total
    )
    assert table.loc["Quality", "importance"] == pytest.approx(quality_total)
    assert table.loc["Expectation", "importance"] == pytest.approx(expectation_total)
    assert table.loc["Image", "importance"] == pytest.approx(sat["Image"] + expectation["Image"] * expectation_total)
    assert table.loc["Value", "performance"] == pytest.approx(scores["Value"].mean())


def test_key_drivers_result_matches_the_importance_table(correlated):
    result = drivers.key_drivers(correlated, "y", ["x1", "x2", "x3"], (-5, 5))
    shares = drivers.relative_importance(correlated, "y", ["x1", "x2", "x3"])
    assert result.r2 == pytest.approx(shares["r2"].iloc[0])
    assert result.shares.to_dict() == pytest.approx(dict(zip(shares["driver"], shares["share"])))
    assert result.short_stave == drivers.short_stave(result.table)
    assert result.n == len(correlated) and result.method == "shapley" and not result.weighted
    summary = result.summary().iloc[0]
    assert summary["r2"] == pytest.approx(result.r2) and summary["short_stave"] == result.short_stave


def test_ipma_counts_negative_index_weights_instead_of_warning():
    import warnings

    pls = pytest.importorskip("csat_analysis.pls")
    corp = datasets.load("corp_rep")
    part = corp[corp["serviceprovider"].astype(str) == "4"]
    measurement = {
        "Quality": [f"qual_{i}" for i in range(1, 9)],
        "CSR": [f"csor_{i}" for i in range(1, 6)],
        "Satisfaction": ["cusa"],
    }
    fit = pls.estimate(part, measurement, [("Quality", "Satisfaction"), ("CSR", "Satisfaction")])
    weights = fit.index(scale=(1, 7)).weights
    assert (weights < 0).to_numpy().any()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        table = drivers.ipma(fit, "Satisfaction", scale=(1, 7)).set_index("construct")
    assert table.loc["CSR", "negative_weights"] == int((weights["CSR"] < 0).sum())
    assert table.loc["Quality", "negative_weights"] == int((weights["Quality"] < 0).sum())


def test_weights_as_a_column_or_a_vector_give_the_same_answer(correlated):
    frame = correlated.assign(w=np.linspace(0.5, 2.0, len(correlated)))
    by_name = drivers.importance_performance(frame, "y", ["x0", "x1"], (-10, 10), weights="w")
    by_vector = drivers.importance_performance(frame, "y", ["x0", "x1"], (-10, 10), weights=frame["w"].to_numpy())
    pd.testing.assert_frame_equal(by_name, by_vector)
    # oracle: performance is the weighted mean rescaled to 0-100
    expected = (np.average(frame["x0"], weights=frame["w"]) + 10) / 20 * 100
    assert by_name.set_index("driver").loc["x0", "performance"] == pytest.approx(expected)
