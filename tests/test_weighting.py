"""Raking against post-stratification by hand and a table-level Deming-Stephan IPF."""

import numpy as np
import pandas as pd
import pytest

from csat_analysis.errors import SurveyDataError
from csat_analysis.weighting import effective_sample_size, rake


def test_one_variable_raking_is_post_stratification():
    sample = pd.DataFrame({"segment": ["A"] * 6 + ["B"] * 3 + ["C"]}, index=range(100, 110))
    targets = {"A": 0.3, "B": 0.3, "C": 0.4}
    weights = rake(sample, {"segment": targets})
    # weight = target share / sample share, scaled to mean 1
    expected = sample["segment"].map({"A": 0.3 / 0.6, "B": 0.3 / 0.3, "C": 0.4 / 0.1})
    np.testing.assert_allclose(weights, expected)
    assert list(weights.index) == list(sample.index) and weights.name == "weight"


def deming_stephan(cell_counts: np.ndarray, row_targets: np.ndarray, col_targets: np.ndarray) -> np.ndarray:
    """Textbook IPF on a two-way table of counts: alternately scale rows and columns."""
    table = cell_counts.astype(float) / cell_counts.sum()
    for _ in range(1000):
        table *= (row_targets / table.sum(axis=1))[:, None]
        table *= (col_targets / table.sum(axis=0))[None, :]
    return table


def test_two_variable_raking_matches_table_ipf():
    rng = np.random.default_rng(1)
    sample = pd.DataFrame(
        {
            "region": rng.choice(["n", "s", "e"], 900, p=[0.5, 0.3, 0.2]),
            "age": rng.choice(["young", "mid", "old"], 900, p=[0.2, 0.5, 0.3]),
        }
    )
    regions, ages = ["n", "s", "e"], ["young", "mid", "old"]
    row_targets, col_targets = np.array([0.4, 0.35, 0.25]), np.array([0.3, 0.4, 0.3])
    weights = rake(
        sample,
        {"region": dict(zip(regions, row_targets)), "age": dict(zip(ages, col_targets))},
        tol=1e-12,
        max_iter=500,
    )
    counts = pd.crosstab(sample["region"], sample["age"]).loc[regions, ages].to_numpy()
    fitted = deming_stephan(counts, row_targets, col_targets)
    # each respondent's share of the total weight: fitted cell share / cell count
    share = weights / weights.sum()
    for i, region in enumerate(regions):
        for j, age in enumerate(ages):
            in_cell = (sample["region"] == region) & (sample["age"] == age)
            np.testing.assert_allclose(share[in_cell], fitted[i, j] / counts[i, j], rtol=1e-9)
    # and the weighted margins hit the targets, computed directly
    np.testing.assert_allclose(weights.groupby(sample["region"]).sum()[regions] / weights.sum(), row_targets)
    np.testing.assert_allclose(weights.groupby(sample["age"]).sum()[ages] / weights.sum(), col_targets)
    assert weights.sum() == pytest.approx(len(sample))


def test_base_weights_and_total():
    sample = pd.DataFrame({"g": ["a", "a", "b"], "design": [1.0, 3.0, 2.0]})
    weights = rake(sample, {"g": pd.Series({"a": 0.5, "b": 0.5})}, base_weights="design", total=1.0)
    # within a category raking keeps the design-weight ratios
    assert weights.tolist() == pytest.approx([0.125, 0.375, 0.5])


def test_effective_sample_size_kish():
    assert effective_sample_size([1.0] * 7) == pytest.approx(7)
    weights = np.array([0.5, 1.0, 2.0, 4.0])
    assert effective_sample_size(weights) == pytest.approx(7.5**2 / 21.25)


@pytest.mark.parametrize(
    "margins, message",
    [
        ({"sex": {"f": 1.2, "m": -0.2}}, r"\[0, 1\].*1\.2 \(row f\).*-0\.2 \(row m\)"),
        ({"sex": {"f": 0.5, "m": 0.4}}, "sum to 0.9, not 1"),
        ({"sex": {"f": 0.5, "m": 0.3, "x": 0.2}}, r"empty cells: no respondents in \['x'\]"),
        ({"sex": {"f": 1.0}}, r"categories \['m'\] occur in the data but have no target"),
        ({"sex": {"f": 1.0, "m": 0.0}}, r"\['m'\] have respondents but a target share of 0"),
        ({"gender": {"f": 1.0}}, r"margins: column\(s\) 'gender' not in the data"),
        ({"sex": {"f": 0.5, "m": 0.5}, "age": {"young": 0.8, "old": 0.2}}, "margins unreachable"),
    ],
)
def test_rake_bad_margins(margins, message):
    # sex and age are confounded in this sample (every woman young, every man old)
    sample = pd.DataFrame({"sex": ["f", "f", "m", "m"], "age": ["young", "young", "old", "old"]})
    with pytest.raises(SurveyDataError, match=message):
        rake(sample, margins)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: rake(pd.DataFrame({"g": ["a", None]}), {"g": {"a": 1.0}}), r"g: missing values.*row 1"),
        (
            lambda: rake(pd.DataFrame({"g": ["a", "b"]}), {"g": {"a": 0.5, "b": 0.5}}, base_weights=[1, -1]),
            r"base_weights: .*negative or zero weights: -1 \(row 1\)",
        ),
        (lambda: effective_sample_size([1.0, 0.0]), r"negative or zero weights: 0\.0 \(row 1\)"),
        (lambda: effective_sample_size([1.0, None]), r"missing weights None \(row 1\)"),
        (lambda: effective_sample_size(["heavy"]), "non-numeric"),
    ],
)
def test_weights_bad_input(call, message):
    with pytest.raises(SurveyDataError, match=message):
        call()


def test_weights_are_a_column_name_or_a_vector():
    frame = pd.DataFrame({"w": [0.5, 1.0, 2.0, 4.0], "g": ["a", "a", "b", "b"]})
    by_name = effective_sample_size("w", frame)
    assert by_name == pytest.approx(7.5**2 / 21.25)
    assert effective_sample_size(frame["w"]) == by_name
    margins = {"g": {"a": 0.5, "b": 0.5}}
    assert rake(frame, margins, base_weights="w").tolist() == pytest.approx(
        rake(frame, margins, base_weights=frame["w"].to_numpy()).tolist()
    )


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: effective_sample_size("w"), "pass the data"),
        (lambda: rake(pd.DataFrame({"g": ["a"]}), {}), "non-empty mapping"),
        (lambda: rake(pd.DataFrame({"g": ["a"]}), {"g": {"a": 1.0}}, max_iter=0), "max_iter >= 1"),
        (
            lambda: rake(pd.DataFrame({"g": ["a", "b"]}), {"g": {"a": 0.5, "b": 0.5}}, base_weights=[1.0]),
            "1 weights for 2 rows",
        ),
    ],
)
def test_argument_mistakes_raise_parameter_error(call, message):
    from csat_analysis.errors import ParameterError

    with pytest.raises(ParameterError, match=message):
        call()
