"""survival.cox against R survival::coxph, concordance() and cox.zph()
(fixture from tests/oracles/cox_telco.R), plus hand-checkable small cases."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from csat_analysis import datasets, survival
from csat_analysis.errors import ModelSpecError, SurveyDataError

ORACLES = Path(__file__).parent / "oracles"
COVARIATES = ["monthly_charges", "senior_citizen", "contract", "paperless_billing"]


@pytest.fixture(scope="module")
def telco():
    return datasets.load("telco_churn")


@pytest.fixture(scope="module")
def oracle():
    return json.loads((ORACLES / "cox_telco.json").read_text())


@pytest.fixture(scope="module")
def fit(telco):
    return survival.cox(telco, "tenure", "churn", COVARIATES)


def test_coefficients_and_standard_errors_match_r(fit, oracle):
    assert fit.table["term"].tolist() == [
        "monthly_charges",
        "senior_citizen",
        "contract: One year",
        "contract: Two year",
        "paperless_billing",
    ]
    np.testing.assert_allclose(fit.table["coef"], oracle["coef"], rtol=1e-8)
    np.testing.assert_allclose(fit.table["se"], oracle["se"], rtol=1e-8)
    np.testing.assert_allclose(fit.table["hazard_ratio"], np.exp(oracle["coef"]), rtol=1e-8)
    assert fit.loglik == pytest.approx(oracle["loglik"], rel=1e-10)


def test_concordance_matches_r(fit, oracle):
    assert fit.concordance == pytest.approx(oracle["concordance"], rel=1e-10)
    assert fit.counts == {
        "concordant": oracle["concordant"],
        "discordant": oracle["discordant"],
        "tied_x": oracle["tied_x"],
    }


def test_proportional_hazards_test_matches_cox_zph(fit, oracle):
    assert fit.ph_test["term"].tolist() == oracle["zph_terms"]
    np.testing.assert_allclose(fit.ph_test["statistic"], oracle["zph_statistic"], rtol=1e-8)
    np.testing.assert_allclose(fit.ph_test["dof"], oracle["zph_dof"])
    np.testing.assert_allclose(fit.ph_test["p_value"], oracle["zph_p_value"], rtol=1e-6)
    assert 0 < fit.ph_test["p_value"].iloc[-1] < 1e-30  # reported, not rounded to 0


def test_summary_mentions_every_part(fit):
    text = fit.summary()
    assert "Concordance" in text and "GLOBAL" in text and "contract: Two year" in text
    assert "< 0.001" in text and " 0.0 " not in text and "0.0000" not in text.split("Concordance")[1]


def test_breslow_without_ties_equals_efron():
    rng = np.random.default_rng(4)
    frame = pd.DataFrame({"t": rng.permutation(40) + 1.0, "e": rng.random(40) < 0.7, "x": rng.normal(size=40)})
    efron = survival.cox(frame, "t", "e", "x")
    breslow = survival.cox(frame, "t", "e", "x", ties="breslow")
    np.testing.assert_allclose(efron.table["coef"], breslow.table["coef"], rtol=1e-10)


def test_concordance_hand_example():
    # times 1..4 all events, risk scores decreasing with time: every pair concordant
    times = np.array([1.0, 2.0, 3.0, 4.0])
    status = np.ones(4, dtype=bool)
    assert survival._concordance(times, status, np.array([4.0, 3.0, 2.0, 1.0]))[0] == 1.0
    assert survival._concordance(times, status, np.array([1.0, 2.0, 3.0, 4.0]))[0] == 0.0
    assert survival._concordance(times, status, np.zeros(4))[0] == 0.5


def test_bad_input():
    frame = pd.DataFrame({"t": [1, 2, 3, 4], "e": [0, 0, 0, 0], "x": [1.0, 2.0, 3.0, 4.0]})
    with pytest.raises(SurveyDataError, match="no events"):
        survival.cox(frame, "t", "e", "x")
    frame["e"] = [1, 0, 1, 1]
    with pytest.raises(ModelSpecError, match="collinear"):
        survival.cox(frame.assign(y=frame.x * 2), "t", "e", ["x", "y"])
    with pytest.raises(SurveyDataError, match="covariate 'x'"):
        survival.cox(frame.assign(x=[1.0, None, 2.0, 3.0]), "t", "e", "x")
    with pytest.raises(ModelSpecError, match="ties"):
        survival.cox(frame, "t", "e", "x", ties="exact")


@pytest.mark.skipif(shutil.which("Rscript") is None, reason="R not installed")
def test_r_script_reproduces_the_fixture(tmp_path):
    subprocess.run(
        ["Rscript", str(ORACLES / "cox_telco.R"), str(tmp_path)],
        check=True,
        capture_output=True,
        cwd=ORACLES.parent.parent,
    )
    assert (tmp_path / "cox_telco.json").read_text() == (ORACLES / "cox_telco.json").read_text()
