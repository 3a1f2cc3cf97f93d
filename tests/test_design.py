"""SurveyDesign against R survey (fixtures from tests/oracles/survey_designs.R), hand
formulas, and bad input."""

from __future__ import annotations

import shutil
import subprocess

import numpy as np
import pandas as pd
import pytest
from survey_oracles import ORACLES, SHARES, make_design

from csat_analysis.design import SurveyDesign
from csat_analysis.errors import ParameterError, SurveyDataError


@pytest.fixture(scope="module")
def sample():
    return pd.read_csv(ORACLES / "survey_sample.csv")


@pytest.fixture(scope="module")
def oracle():
    return pd.read_csv(ORACLES / "survey_designs.csv", keep_default_na=False, converters={"value": float, "se": float})


def test_every_design_matches_r_survey_to_1e8(sample, oracle):
    checked = 0
    for name, rows in oracle.groupby("design"):
        design = make_design(sample, name)
        for (statistic, column, by), part in rows.groupby(["statistic", "column", "by"]):
            method = getattr(design, statistic)
            if by:
                table = method(column, by=by).set_index(by)
                got = table.loc[part["domain"], ["value", "se"]].to_numpy()
            else:
                est = method(column)
                got = np.array([[est.value, est.se]])
            np.testing.assert_allclose(
                got,
                part[["value", "se"]].to_numpy(),
                rtol=1e-8,
                atol=0,
                err_msg=f"{name} {statistic} {column} by={by!r}",
            )
            checked += len(part)
    assert checked == len(oracle) == 320


def test_calibration_changes_the_standard_error(sample, oracle):
    # the raked SE differs from the uncalibrated one: the correction is not a no-op
    plain = make_design(sample, "plain").mean("tenure").se
    raked = make_design(sample, "plain+rake").mean("tenure").se
    assert abs(raked / plain - 1) > 0.01


def test_rake_and_calibrate_variances_agree_closely(sample):
    # the same weights; R's rake() residuals (back-fitting on unweighted cell means of
    # x / w) approximate calibrate()'s exact projection: about 0.1% apart on this sample
    rake = make_design(sample, "cluster+rake").mean("tenure")
    calibrate = make_design(sample, "cluster+cal").mean("tenure")
    assert rake.value == pytest.approx(calibrate.value, rel=1e-12)
    assert rake.se == pytest.approx(calibrate.se, rel=1e-2)
    assert rake.se != pytest.approx(calibrate.se, rel=1e-6)


def test_raked_weights_hit_the_margins(sample):
    design = make_design(sample, "cluster+rake")
    for column, shares in SHARES.items():
        got = pd.Series(design.weights).groupby(sample[column].to_numpy()).sum() / design.weights.sum()
        for level, share in shares.items():
            assert got[level] == pytest.approx(share, abs=1e-10)


def test_nps_and_proportion_are_means_of_scored_columns(sample):
    design = make_design(sample, "strata+rake")
    nps = design.nps("ltr")
    same = design.mean("nps_score")
    assert (nps.value, nps.se) == pytest.approx((same.value, same.se), rel=1e-12)
    share = design.proportion("churn", "Yes")
    flag = design.mean("churned")
    assert (share.value, share.se) == pytest.approx((flag.value, flag.se), rel=1e-12)


def test_srs_hand_formula():
    # unweighted, no strata: SE = sd / sqrt(n) * sqrt((n - 1) / n) * sqrt(n / (n - 1)) = sd / sqrt(n)
    x = np.array([3.0, 5.0, 7.0, 11.0, 2.0])
    est = SurveyDesign(pd.DataFrame({"x": x})).mean("x")
    assert est.value == pytest.approx(x.mean())
    assert est.se == pytest.approx(x.std(ddof=1) / np.sqrt(len(x)), rel=1e-12)
    assert est.low == pytest.approx(est.value - 1.959963984540054 * est.se)


def test_fpc_of_a_census_gives_zero_variance():
    frame = pd.DataFrame({"x": [1.0, 2.0, 4.0], "N": [3, 3, 3]})
    assert SurveyDesign(frame, fpc="N").mean("x").se == pytest.approx(0.0, abs=1e-15)


def test_missing_values_are_counted(sample):
    est = make_design(sample, "plain").mean("monthly_charges")
    assert est.n_dropped == int(sample["monthly_charges"].isna().sum()) > 0
    assert est.n == int(sample["monthly_charges"].notna().sum())


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"weights": [1.0, -1.0, 1.0]}, SurveyDataError, "positive"),
        ({"rake": {"g": {"a": 0.5, "b": 0.4}}}, ParameterError, "sum to 1"),
        ({"rake": {"g": {"a": 1.0}}}, SurveyDataError, "without a population share"),
        ({"rake": {"g": {"a": 0.5, "c": 0.5}}}, SurveyDataError, "without a population share"),
        ({"strata": "nope"}, Exception, "nope"),
        ({"poststratify": {"g": {"a": 0.5, "b": 0.5}}, "rake": {"g": {"a": 0.5, "b": 0.5}}}, ParameterError, "either"),
    ],
)
def test_bad_designs_are_refused(kwargs, error, match):
    frame = pd.DataFrame({"x": [1.0, 2.0, 3.0], "g": ["a", "b", "b"]})
    with pytest.raises(error, match=match):
        SurveyDesign(frame, **kwargs)


def test_non_numeric_column_is_named():
    frame = pd.DataFrame({"x": ["1", "two", "3"]})
    with pytest.raises(SurveyDataError, match="'x'.*two"):
        SurveyDesign(frame).mean("x")


@pytest.mark.skipif(shutil.which("Rscript") is None, reason="R not installed")
def test_r_script_reproduces_the_fixture(tmp_path):
    subprocess.run(
        ["Rscript", str(ORACLES / "survey_designs.R"), str(tmp_path)],
        check=True,
        capture_output=True,
        cwd=ORACLES.parent.parent,
    )
    for name in ("survey_sample.csv", "survey_designs.csv"):
        assert (tmp_path / name).read_text() == (ORACLES / name).read_text()
