"""SurveyDesign.chisq against R survey's svychisq (fixture from tests/oracles/survey_chisq.R),
Pearson's X² of scipy on a simple random sample, hand formulas, and bad input."""

from __future__ import annotations

import shutil
import subprocess

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from survey_oracles import ORACLES, make_design

from csat_analysis.design import SurveyDesign
from csat_analysis.errors import ParameterError, SurveyDataError


@pytest.fixture(scope="module")
def sample():
    frame = pd.read_csv(ORACLES / "survey_sample.csv")
    # as survey_chisq.R: two levels, missing where monthly_charges is
    band = np.where(frame["monthly_charges"] > 70, "high", "low").astype(object)
    band[frame["monthly_charges"].isna().to_numpy()] = None
    return frame.assign(charge_band=band)


@pytest.fixture(scope="module")
def oracle():
    return pd.read_csv(
        ORACLES / "survey_chisq.csv",
        keep_default_na=False,
        converters={"statistic": float, "ndf": float, "p_value": float},
    )


def test_every_design_matches_svychisq_to_1e8(sample, oracle):
    checked = 0
    for name, rows in oracle.groupby("design"):
        design = make_design(sample, name)
        for (row, col), part in rows.groupby(["row", "col"]):
            r = part.set_index("test")
            f_test = design.chisq(row, col, statistic="F")
            first_order = design.chisq(row, col, statistic="Chisq")
            where = f"{name} {row} x {col}"
            expected_f = r.loc["F", ["statistic", "ndf", "p_value"]].tolist() + [float(r.loc["F", "ddf"])]
            got_f = [f_test.statistic, f_test.dof, f_test.p_value, f_test.dof_denominator]
            np.testing.assert_allclose(got_f, expected_f, rtol=1e-8, atol=0, err_msg=f"F: {where}")
            # R prints the uncorrected X² of the table scaled to all rows of the design
            # (missing ones included), here scaled to the n analysed rows
            scale = r.loc["Chisq", "rows_in_design"] / first_order.n
            expected_c = [r.loc["Chisq", "statistic"], r.loc["Chisq", "ndf"], r.loc["Chisq", "p_value"]]
            got_c = [first_order.pearson * scale, first_order.dof, first_order.p_value]
            np.testing.assert_allclose(got_c, expected_c, rtol=1e-8, atol=0, err_msg=f"Chisq: {where}")
            # first-order statistic = X² / mean(diag Delta) = (r-1)(c-1) * R's F
            assert first_order.statistic == pytest.approx(first_order.dof * r.loc["F", "statistic"], rel=1e-8)
            assert np.isnan(first_order.dof_denominator)
            checked += 2
    assert checked == len(oracle) == 170


def test_missing_values_are_a_domain(sample):
    design = make_design(sample, "cluster+rake")
    test = design.chisq("charge_band", "contract")
    missing = int(sample["monthly_charges"].isna().sum())
    assert test.n_dropped == missing > 0
    assert test.n == len(sample) - missing
    assert test.table.to_numpy().sum() == pytest.approx(test.n, rel=1e-12)


@pytest.mark.parametrize("row, col", [("churn", "contract"), ("senior", "churn"), ("charge_band", "contract")])
def test_simple_random_sample_first_order_is_pearson(sample, row, col):
    # independent check: scipy's Pearson X² of the counts; every generalised design
    # effect is N / (N - 1) there, N the rows of the design (the with-replacement
    # variance's factor; rows missing a column are a domain, still counted in N)
    test = SurveyDesign(sample).chisq(row, col, statistic="Chisq")
    counts = pd.crosstab(sample[row], sample[col])
    x2, p_value, dof, _ = stats.chi2_contingency(counts, correction=False)
    n, rows = counts.to_numpy().sum(), len(sample)
    factor = rows / (rows - 1)
    assert test.n == n
    assert test.pearson == pytest.approx(x2, rel=1e-10)
    assert test.design_effect == pytest.approx(factor, rel=1e-10)
    assert test.statistic == pytest.approx(x2 / factor, rel=1e-10)
    assert test.p_value == pytest.approx(stats.chi2.sf(x2 / factor, dof), rel=1e-9)
    assert test.dof == dof
    np.testing.assert_allclose(test.table.to_numpy(), counts.to_numpy(), rtol=1e-12)
    f_test = SurveyDesign(sample).chisq(row, col)
    # all eigenvalues equal: d0 is the number of contrasts and F the corrected X² / dof
    assert f_test.dof == pytest.approx(dof, rel=1e-10)
    assert f_test.statistic == pytest.approx(x2 / factor / dof, rel=1e-10)
    assert f_test.dof_denominator == pytest.approx(dof * (rows - 1), rel=1e-10)


def test_a_level_seen_only_beside_a_missing_value_is_no_table_row():
    # row 0 has a = "z" and b missing. R's svychisq (survey 4.1.1) still counts "z" as a
    # table row with no respondents and tests a 3x2 table: F = 0.1598 on 1.999 and 117.9
    # dof. Here the levels are those of the rows analysed, which is R's answer with that
    # "z" set to NA too: svychisq(~a + b, svydesign(ids = ~1, weights = ~w, data = d)),
    # sprintf("%.17g"): F, ndf, ddf, p
    r_without_the_level = (0.31793108028145523, 1.0, 59.0, 0.57499073983594617)
    i = np.arange(60)
    frame = pd.DataFrame(
        {
            "a": np.where((i * 7) % 5 < 2, "x", "y").astype(object),
            "b": np.where((i * 3) % 4 < 2, "u", "v").astype(object),
            "w": 0.5 + (i % 7) / 5,
        }
    )
    frame.loc[0, ["a", "b"]] = ["z", None]
    test = SurveyDesign(frame, weights="w").chisq("a", "b")
    got = [test.statistic, test.dof, test.dof_denominator, test.p_value]
    np.testing.assert_allclose(got, r_without_the_level, rtol=1e-8, atol=0)
    assert list(test.table.index) == ["x", "y"] and test.n_dropped == 1


def test_two_by_two_hand_worked():
    frame = pd.DataFrame(
        {
            "a": ["x"] * 20 + ["y"] * 20,
            "b": ["u"] * 15 + ["v"] * 5 + ["u"] * 5 + ["v"] * 15,
        }
    )
    test = SurveyDesign(frame).chisq("a", "b", statistic="Chisq")
    # X² = 40 (15*15 - 5*5)² / (20^4) = 10
    assert test.pearson == pytest.approx(10.0, rel=1e-12)
    assert test.statistic == pytest.approx(10.0 * 39 / 40, rel=1e-12)
    assert test.p_value == pytest.approx(stats.chi2.sf(10.0 * 39 / 40, 1), rel=1e-12)


def test_clustering_inflates_the_design_effect(sample):
    # the cluster design (25 consecutive rows per PSU) has a larger design effect than
    # the same weights without clusters, for a PSU-correlated pair
    plain = make_design(sample, "strata").chisq("churn", "internet_service")
    clustered = make_design(sample, "cluster").chisq("churn", "internet_service")
    assert plain.pearson == pytest.approx(clustered.pearson, rel=1e-12)
    assert clustered.design_effect != pytest.approx(plain.design_effect, rel=1e-3)
    assert clustered.dof_denominator < plain.dof_denominator


def test_covariance_diagonal_is_the_variance(sample):
    design = make_design(sample, "cluster_fpc+rake")
    x = np.column_stack([sample["tenure"].to_numpy(float), sample["churned"].to_numpy(float)])
    cov = design._covariance(x)
    np.testing.assert_allclose(np.diag(cov), design._variance(x), rtol=1e-13)
    np.testing.assert_allclose(cov, cov.T, rtol=1e-13)


def test_to_frame_and_summary(sample):
    test = make_design(sample, "plain").chisq("gender", "internet_service")
    row = test.to_frame().iloc[0]
    assert row["test"] == "Rao-Scott F"
    assert row["p_value"] == test.p_value and row["dof_denominator"] == test.dof_denominator
    assert "Rao-Scott F" in test.summary() and "'gender'" in test.summary()


def test_bad_input_is_refused():
    frame = pd.DataFrame({"a": ["x", "x", "x", None], "b": ["u", "v", "u", "v"]})
    design = SurveyDesign(frame)
    with pytest.raises(SurveyDataError, match="'a' has 1 level"):
        design.chisq("a", "b")
    with pytest.raises(ParameterError, match="statistic"):
        design.chisq("b", "a", statistic="Wald")
    with pytest.raises(ParameterError, match="same column"):
        design.chisq("b", "b")
    with pytest.raises(Exception, match="nope"):
        design.chisq("nope", "b")


@pytest.mark.skipif(shutil.which("Rscript") is None, reason="R not installed")
def test_r_script_reproduces_the_fixture(tmp_path):
    subprocess.run(
        ["Rscript", str(ORACLES / "survey_chisq.R"), str(tmp_path)],
        check=True,
        capture_output=True,
        cwd=ORACLES.parent.parent,
    )
    assert (tmp_path / "survey_chisq.csv").read_text() == (ORACLES / "survey_chisq.csv").read_text()
