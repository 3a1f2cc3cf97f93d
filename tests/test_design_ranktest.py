"""SurveyDesign.ranktest against R survey's svyranktest (fixture from tests/oracles/survey_ranktest.R),
scipy's Kruskal-Wallis H and rank formulas on a simple random sample, hand-worked ranks, and bad input."""

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
    return pd.read_csv(ORACLES / "survey_sample.csv")


@pytest.fixture(scope="module")
def oracle():
    return pd.read_csv(ORACLES / "survey_ranktest.csv", keep_default_na=False)


def test_every_design_matches_svyranktest_to_1e8(sample, oracle):
    checked = 0
    for name, rows in oracle.groupby("design"):
        design = make_design(sample, name)
        for r in rows.itertuples():
            result = design.ranktest(r.column, by=r.by, test=r.test)
            where = f"{name} {r.column} by {r.by} ({r.test})"
            assert result.dof == float(r.ndf), where
            assert result.dof_denominator == float(r.ddf), where
            assert result.p_value == pytest.approx(float(r.p_value), rel=1e-8, abs=0), where
            if r.groups == 2:
                # R: t = difference / SE on the design's dof - 1; here F = t²
                t = float(r.t)
                assert result.groups == 2
                assert np.sign(result.difference) * np.sqrt(result.statistic) == pytest.approx(t, rel=1e-8), where
                assert result.difference == pytest.approx(float(r.estimate), rel=1e-8), where
                assert result.wald == pytest.approx(t**2, rel=1e-8), where
            else:
                assert result.wald == pytest.approx(float(r.wald), rel=1e-8), where
                assert result.statistic == pytest.approx(float(r.wald) / float(r.ndf), rel=1e-8), where
                assert np.isnan(result.difference)
            checked += 1
    assert checked == len(oracle) == 115


def test_missing_scores_are_left_out(sample):
    design = make_design(sample, "cluster+rake")
    result = design.ranktest("monthly_charges", by="contract")
    missing = int(sample["monthly_charges"].isna().sum())
    assert result.n_dropped == missing > 0
    assert result.n == len(sample) - missing


def test_a_psu_with_every_score_missing_leaves_the_degrees_of_freedom():
    # R survey 4.1.1, sprintf("%.17g"), on this frame (R's rows 41 and 42 are 40 and 41 there):
    #   des <- svydesign(ids = ~psu, strata = ~st, weights = ~w, data = d)
    #   svyranktest(score ~ g, des, test = "KruskalWallis"): Chisq, df, ddf, p
    #   svyranktest(score ~ g, subset(des, g != "z")): t, df, p, estimate
    r_three = (0.045334817115199696, 2.0, 5.0, 0.97768742805890252)
    r_two = (-0.18216440137595361, 6.0, 0.86145248689594123, -0.026281525001459572)
    i = np.arange(60)
    frame = pd.DataFrame(
        {
            "score": ((i * 7) % 11 + i // 20).astype(float),
            "g": np.array(list("xyz"))[(i * 5) % 3],
            "psu": i // 6,
            "st": i // 30,
            "w": 0.5 + (i % 7) / 5,
        }
    )
    frame.loc[frame["psu"] == 2, "score"] = np.nan  # a whole PSU: 10 PSUs - 1 - 2 strata = 7
    frame.loc[[39, 40], "score"] = np.nan
    three = SurveyDesign(frame, weights="w", strata="st", cluster="psu").ranktest("score", by="g")
    got = (three.wald, three.dof, three.dof_denominator, three.p_value)
    np.testing.assert_allclose(got, r_three, rtol=1e-8, atol=0)
    # R's subset() of a design keeps each stratum's sampled PSU count: as a missing group
    two_groups = frame.assign(g=frame["g"].where(frame["g"] != "z"))
    two = SurveyDesign(two_groups, weights="w", strata="st", cluster="psu").ranktest("score", by="g")
    got = (np.sign(two.difference) * np.sqrt(two.statistic), two.dof_denominator, two.p_value, two.difference)
    np.testing.assert_allclose(got, r_two, rtol=1e-8, atol=0)


def test_hand_worked_weighted_ranks():
    # sorted (stable) scores 1, 1, 2, 2, 3 with weights 2, 1, 1, 3, 1: cumulative weight
    # minus half one's own is 1, 2.5, 3.5, 5.5, 7.5; ties share their mean: 1.75, 1.75,
    # 4.5, 4.5, 7.5; N = 8. Group a (rows 0, 2, 4): (4.5 + 3 * 4.5 + 1.75) / 5 / 8;
    # group b (rows 1, 3): (2 * 1.75 + 7.5) / 3 / 8
    frame = pd.DataFrame({"y": [2, 1, 2, 3, 1], "g": list("ababa"), "w": [1.0, 2.0, 3.0, 1.0, 1.0]})
    result = SurveyDesign(frame, weights="w").ranktest("y", by="g")
    expected = {"a": 19.75 / 5 / 8, "b": 11 / 3 / 8}
    assert result.mean_rank_scores.to_dict() == pytest.approx(expected, rel=1e-14)
    assert result.difference == pytest.approx(expected["b"] - expected["a"], rel=1e-14)
    assert (result.dof, result.dof_denominator) == (1.0, 3.0)


def heteroscedastic_wald(scores, groups):
    """Wald chi-square of equal mean ranks with each group's own rank variance (SRS, with replacement)."""
    ranks = stats.rankdata(scores)  # midranks; the design's estimated ranks are these minus 1/2
    big_n = len(ranks)
    means, variances = [], []
    for g in np.unique(groups):
        r = ranks[groups == g]
        means.append(r.mean())
        variances.append(big_n / (big_n - 1) * np.sum((r - r.mean()) ** 2) / len(r) ** 2)
    means, precisions = np.array(means), 1 / np.array(variances)
    pooled = np.sum(precisions * means) / precisions.sum()
    return float(np.sum(precisions * (means - pooled) ** 2))


@pytest.mark.parametrize("column, by", [("ltr", "contract"), ("tenure", "internet_service"), ("ltr", "senior")])
def test_simple_random_sample_is_a_heteroscedastic_kruskal_wallis(sample, column, by):
    # independent check: with equal weights and no design the group means of the ranks
    # have the with-replacement variances N/(N-1) SS_k / n_k² and no covariance, so the
    # Wald chi-square of their contrasts is sum_k (mean_k - pooled)² / var_k, pooled
    # their precision-weighted mean (the ranks' scale 1/N cancels)
    result = SurveyDesign(sample).ranktest(column, by=by)
    expected = heteroscedastic_wald(sample[column].to_numpy(float), sample[by].to_numpy())
    assert result.wald == pytest.approx(expected, rel=1e-10)
    assert result.dof_denominator == len(sample) - 1 - result.dof


def test_balanced_equal_spread_groups_give_scipy_kruskal_wallis():
    # groups of equal size whose ranks are shifts of one another (k, k + 3, k + 6, ...):
    # every var_k is SS_within / (K n²) (N/(N-1) / N² on the score scale), so
    # Wald = (N - 1) B / SS_within with B the between-group sum of squares of the ranks,
    # while scipy's H = (N - 1) B / (B + SS_within): H = (N - 1) Wald / (N - 1 + Wald)
    n_per, k = 20, 3
    scores = np.arange(1.0, n_per * k + 1)
    groups = np.array(["a", "b", "c"])[(np.arange(n_per * k)) % k]
    frame = pd.DataFrame({"s": scores**1.5, "g": groups})  # a monotone transform: ranks unchanged
    result = SurveyDesign(frame).ranktest("s", by="g")
    h = stats.kruskal(*[frame.loc[frame["g"] == g, "s"] for g in "abc"]).statistic
    big_n = len(frame)
    assert h == pytest.approx((big_n - 1) * result.wald / (big_n - 1 + result.wald), rel=1e-12)
    assert h > 0.1  # the groups do differ a little: the check is not 0 == 0


def test_clustering_changes_the_test(sample):
    plain = make_design(sample, "strata").ranktest("tenure", by="internet_service")
    clustered = make_design(sample, "cluster").ranktest("tenure", by="internet_service")
    assert plain.mean_rank_scores.to_numpy() == pytest.approx(clustered.mean_rank_scores.to_numpy(), rel=1e-12)
    assert clustered.wald != pytest.approx(plain.wald, rel=1e-3)
    assert clustered.dof_denominator < plain.dof_denominator


def test_to_frame_and_summary(sample):
    result = make_design(sample, "plain").ranktest("tenure", by="contract")
    row = result.to_frame().iloc[0]
    assert row["test"] == "design-based Kruskal-Wallis"
    assert row["p_value"] == result.p_value and row["dof_denominator"] == result.dof_denominator
    assert row["statistic"] == result.statistic and row["n"] == result.n
    assert "Kruskal-Wallis" in result.summary() and "'contract'" in result.summary()
    assert make_design(sample, "plain").ranktest("tenure", by="senior", test="wilcoxon").test == (
        "design-based Wilcoxon"
    )


def test_bad_input_is_refused():
    frame = pd.DataFrame(
        {"s": [1.0, 2.0, 3.0, 4.0], "g": ["x", "x", "x", None], "t": ["a", "b", "c", "d"], "h": list("uvuv")}
    )
    design = SurveyDesign(frame)
    with pytest.raises(SurveyDataError, match="'g' has 1 group"):
        design.ranktest("s", by="g")
    with pytest.raises(ParameterError, match="test"):
        design.ranktest("s", by="h", test="mood")
    with pytest.raises(ParameterError, match="same column"):
        design.ranktest("s", by="s")
    with pytest.raises(SurveyDataError, match="'t' must be numeric"):
        design.ranktest("t", by="h")
    with pytest.raises(SurveyDataError, match="degrees of freedom"):
        design.ranktest("s", by="t")  # four groups of one: 3 design dof, none left
    with pytest.raises(SurveyDataError, match="no variation"):
        SurveyDesign(pd.DataFrame({"s": [1.0, 1.0, 2.0, 2.0], "g": list("aabb")})).ranktest("s", by="g")
    with pytest.raises(Exception, match="nope"):
        design.ranktest("nope", by="h")


@pytest.mark.skipif(shutil.which("Rscript") is None, reason="R not installed")
def test_r_script_reproduces_the_fixture(tmp_path):
    subprocess.run(
        ["Rscript", str(ORACLES / "survey_ranktest.R"), str(tmp_path)],
        check=True,
        capture_output=True,
        cwd=ORACLES.parent.parent,
    )
    assert (tmp_path / "survey_ranktest.csv").read_text() == (ORACLES / "survey_ranktest.csv").read_text()
