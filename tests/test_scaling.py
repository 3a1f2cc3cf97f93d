"""Scale transforms, reliability (against seminr and textbook formulas) and quality flags."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from csat_analysis import datasets
from csat_analysis.errors import ParameterError, SurveyDataError
from csat_analysis.scaling import (
    Scale,
    alpha_if_deleted,
    average_variance_extracted,
    bottom_box,
    composite_reliability,
    cronbach_alpha,
    flag_speeders,
    flag_straightliners,
    item_total_correlations,
    recode,
    rescale,
    reverse,
    top_box,
)

LABELS_5 = {"非常不满意": 1, "不满意": 2, "一般": 3, "满意": 4, "非常满意": 5}
MOBI_BLOCKS = {
    "Image": [f"IMAG{i}" for i in range(1, 6)],
    "Expectation": [f"CUEX{i}" for i in range(1, 4)],
    "Quality": [f"PERQ{i}" for i in range(1, 8)],
    "Satisfaction": [f"CUSA{i}" for i in range(1, 4)],
    "Loyalty": ["CUSL1", "CUSL2", "CUSL3"],
}


@pytest.fixture(scope="module")
def mobi():
    return datasets.load("mobi")


# --- transforms ----------------------------------------------------------------------------


def test_reverse_rescale_and_boxes_by_hand():
    assert reverse([1, 2, 3, 4, 5], (1, 5)).tolist() == [5, 4, 3, 2, 1]
    assert reverse(["满意"], LABELS_5).tolist() == [2.0]
    assert rescale([1, 5.5, 10], (1, 10)).tolist() == pytest.approx([0, 50, 100])
    assert rescale([0, 5, 10], Scale(0, 10), to=(1, 5)).tolist() == pytest.approx([1, 3, 5])
    assert top_box([5, 4, 3, 2, 1], (1, 5)).tolist() == [True, True, False, False, False]
    assert top_box([10, 9, 8], (0, 10), k=1).tolist() == [True, False, False]
    assert bottom_box([5, 4, 3, 2, 1], (1, 5), k=1).tolist() == [False, False, False, False, True]
    flags = bottom_box(pd.Series(["不满意", None, "非常满意"], index=[7, 8, 9]), LABELS_5)
    assert list(flags.index) == [7, 8, 9]
    assert flags.tolist() == [True, pd.NA, False]


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: reverse([1, 6], (1, 5)), r"outside the scale 1\.\.5: 6 \(row 1\)"),
        (lambda: rescale(["x"], (1, 5)), r"unknown labels \['x'\]"),
        (lambda: top_box(["满意", "超级满意", "很好"], LABELS_5), r"unknown labels \['很好', '超级满意'\]"),
        (lambda: recode(pd.Series([1.0, 7.0]), (1, 5)), r"7\.0 \(row 1\)"),
    ],
)
def test_transform_bad_input(call, message):
    with pytest.raises(SurveyDataError, match=message):
        call()


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: top_box([1, 2], (1, 5), k=0), "from 1 to 4"),
    ],
)
def test_transform_argument_mistakes(call, message):
    with pytest.raises(ParameterError, match=message):
        call()


# --- reliability ---------------------------------------------------------------------------


def hoyt_alpha(items: np.ndarray) -> float:
    """Cronbach's alpha from a two-way ANOVA (Hoyt 1941): 1 - MS_residual / MS_persons."""
    n, k = items.shape
    grand = items.mean()
    ss_persons = k * np.sum((items.mean(axis=1) - grand) ** 2)
    ss_items = n * np.sum((items.mean(axis=0) - grand) ** 2)
    ss_residual = np.sum((items - grand) ** 2) - ss_persons - ss_items
    return 1 - (ss_residual / ((n - 1) * (k - 1))) / (ss_persons / (n - 1))


def seminr_model(mobi):
    seminr = pytest.importorskip("seminr")
    measurement = seminr.constructs(*(seminr.composite(name, items) for name, items in MOBI_BLOCKS.items()))
    structural = seminr.relationships(
        seminr.paths("Image", ["Expectation", "Satisfaction", "Loyalty"]),
        seminr.paths("Expectation", ["Quality", "Satisfaction"]),
        seminr.paths("Quality", "Satisfaction"),
        seminr.paths("Satisfaction", "Loyalty"),
    )
    return seminr, seminr.estimate_pls(mobi, measurement, structural)


@pytest.mark.parametrize("construct", list(MOBI_BLOCKS))
def test_cronbach_alpha_on_mobi_matches_hoyt_anova(mobi, construct):
    items = mobi[MOBI_BLOCKS[construct]]
    est = cronbach_alpha(items)
    assert est.value == pytest.approx(hoyt_alpha(items.to_numpy(float)), abs=1e-12)
    assert est.n == 250 and est.n_dropped == 0


def test_standardized_alpha_on_mobi_matches_seminr(mobi):
    seminr, model = seminr_model(mobi)
    reference = seminr.cronbachs_alpha(model)
    for construct, items in MOBI_BLOCKS.items():
        ours = cronbach_alpha(mobi[items], standardized=True).value
        assert ours == pytest.approx(reference.get(construct, "alpha"), abs=1e-10)


def test_composite_reliability_and_ave_match_seminr(mobi):
    seminr, model = seminr_model(mobi)
    loadings = pd.DataFrame(
        model.outer_loadings.values, index=list(model.outer_loadings.rows), columns=list(model.outer_loadings.cols)
    )
    reference = seminr.rhoC_AVE(model)
    rho_c = composite_reliability(loadings)
    ave = average_variance_extracted(loadings)
    for construct in MOBI_BLOCKS:
        assert rho_c[construct] == pytest.approx(reference.get(construct, "rhoC"), abs=1e-12)
        assert ave[construct] == pytest.approx(reference.get(construct, "AVE"), abs=1e-12)
        one = loadings.loc[loadings[construct] != 0, construct]
        assert composite_reliability(one.to_numpy()) == pytest.approx(rho_c[construct])


def test_feldt_interval_hand_case():
    items = pd.DataFrame({"q1": [1, 2, 3, 4, 5], "q2": [2, 2, 3, 5, 5], "q3": [1, 3, 3, 4, 4]})
    est = cronbach_alpha(items, ci=0.90)
    alpha = 1.5 * (1 - (2.5 + 2.3 + 1.5) / 17.3)  # item variances and the sum score's, by hand
    assert est.value == pytest.approx(alpha)
    # Feldt (1965): (1 - alpha) / (1 - alpha_hat) ~ F(n - 1, (n - 1)(k - 1)); here F(4, 8)
    assert est.low == pytest.approx(1 - (1 - alpha) * stats.f.ppf(0.95, 4, 8))
    assert est.high == pytest.approx(1 - (1 - alpha) * stats.f.ppf(0.05, 4, 8))
    assert est.low < est.value < est.high


def test_alpha_if_deleted_and_item_total_correlations_on_mobi(mobi):
    items = mobi[MOBI_BLOCKS["Quality"]]
    deleted = alpha_if_deleted(items)
    assert list(deleted.index) == MOBI_BLOCKS["Quality"]
    for item in items.columns:
        assert deleted[item] == pytest.approx(hoyt_alpha(items.drop(columns=item).to_numpy(float)))
    corrected = item_total_correlations(items)
    plain = item_total_correlations(items, corrected=False)
    for item in items.columns:
        rest = items.drop(columns=item).sum(axis=1)
        assert corrected[item] == pytest.approx(np.corrcoef(items[item], rest)[0, 1])
        assert plain[item] == pytest.approx(np.corrcoef(items[item], items.sum(axis=1))[0, 1])


def test_reliability_drops_incomplete_rows():
    corp_rep = datasets.load("corp_rep")
    items = corp_rep[["cusl_1", "cusl_2", "cusl_3"]]
    complete = items.dropna()
    est = cronbach_alpha(items)
    assert est.n == len(complete) and est.n_dropped == len(items) - len(complete)
    assert est.value == pytest.approx(hoyt_alpha(complete.to_numpy(float)))
    assert est.n_dropped > 0  # corp_rep codes some loyalty answers -99 (missing)
    with pytest.raises(SurveyDataError, match="nan_policy='raise'"):
        cronbach_alpha(items, nan_policy="raise")


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: cronbach_alpha(pd.DataFrame({"a": [1, 2, 3]})), "at least 2 item columns"),
        (lambda: cronbach_alpha(pd.DataFrame({"a": [1, 2, 3], "b": [1, "x", 2]})), r"'b'.*'x' \(row 1\)"),
        (lambda: cronbach_alpha(pd.DataFrame({"a": [1, 1, 1], "b": [1, 2, 3]})), "no variance"),
        (lambda: composite_reliability([0.8, 1.3]), "outside -1..1"),
    ],
)
def test_reliability_bad_input(call, message):
    with pytest.raises(SurveyDataError, match=message):
        call()


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: cronbach_alpha(pd.DataFrame({"a": [1, 2, 3], "b": [1, 3, 2]}), ci=0), "between 0 and 1"),
    ],
)
def test_reliability_argument_mistakes(call, message):
    with pytest.raises(ParameterError, match=message):
        call()


# --- response quality ----------------------------------------------------------------------


def test_straightliners_and_speeders():
    grid = pd.DataFrame(
        {"q1": [3, 1, 5, 2], "q2": [3, 2, 5, np.nan], "q3": [3, 4, np.nan, np.nan]}, index=[10, 11, 12, 13]
    )
    assert flag_straightliners(grid).tolist() == [True, False, False, False]
    flags = flag_straightliners(grid, min_items=2)
    assert flags.tolist() == [True, False, True, False] and list(flags.index) == [10, 11, 12, 13]
    assert flag_speeders([100, 40, None], threshold=60).tolist() == [False, True, pd.NA]
    # median of 200, 90, 400, 210 is 205; half of it is 102.5
    assert flag_speeders([200, 90, 400, 210], threshold=0.5, relative=True).tolist() == [False, True, False, False]


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: flag_speeders([10, -5], threshold=3), r"negative durations -5 \(row 1\)"),
        (lambda: flag_speeders(["fast"], threshold=1), "non-numeric"),
    ],
)
def test_quality_flags_bad_input(call, message):
    with pytest.raises(SurveyDataError, match=message):
        call()


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: flag_speeders([10, 5], threshold=0), "positive number"),
        (lambda: flag_straightliners(pd.DataFrame({"a": [1], "b": [1]}), min_items=3), "between 2 and"),
    ],
)
def test_quality_flags_argument_mistakes(call, message):
    with pytest.raises(ParameterError, match=message):
        call()


# --- one top-box rule and composite scores ----------------------------------------------


def test_top_box_rule_for_means_of_items():
    # a mean of 8.5 on 1-10 is below the top two boxes (9 and 10): value >= high - (k - 1)
    assert top_box([8.5, 8.99, 9.0, 9.5, 10], (1, 10), k=2).tolist() == [False, False, True, True, True]
    assert top_box([4.5, 5.0], (1, 5), k=1).tolist() == [False, True]
    assert bottom_box([1.0, 2.0, 2.5], (1, 5), k=2).tolist() == [True, True, False]


def test_composite_score_is_the_item_mean_and_rescales_mixed_scales():
    from csat_analysis.scaling import composite_score

    frame = pd.DataFrame({"a": [1, 4, None, 5], "b": [3, None, None, 5]}, index=[7, 8, 9, 10])
    score = composite_score(frame, ["a", "b"])
    assert score.tolist()[:2] == [2.0, 4.0] and np.isnan(score.iloc[2]) and score.name == "a+b"
    assert list(score.index) == [7, 8, 9, 10]
    assert composite_score(frame, "a").name == "a"
    # a 1-5 item put on the 1-10 scale of the first item: 3 -> 1 + (3 - 1) / 4 * 9 = 5.5
    mixed = pd.DataFrame({"ten": [10.0, 2.0], "five": [3, 5]})
    scores = composite_score(mixed, ["ten", "five"], scale={"ten": (1, 10), "five": (1, 5)})
    assert scores.tolist() == pytest.approx([(10 + 5.5) / 2, (2 + 10) / 2])
    # one common scale: values off it are an error naming the column
    with pytest.raises(SurveyDataError, match=r"'ten'.*10"):
        composite_score(mixed, ["ten"], scale=(1, 5))
    with pytest.raises(ParameterError, match="without a scale"):
        composite_score(mixed, ["ten", "five"], scale={"ten": (1, 10)})
    with pytest.raises(SurveyDataError, match=r"'x'.*not in the data"):
        composite_score(mixed, ["x"])


def test_scaling_does_not_import_metrics():
    import subprocess
    import sys

    code = (
        "import sys, csat_analysis.scaling as s; import pandas as pd; "
        "s.cronbach_alpha(pd.DataFrame({'a': [1, 2, 3, 4], 'b': [2, 1, 4, 3]})); "
        "print('csat_analysis.metrics' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
