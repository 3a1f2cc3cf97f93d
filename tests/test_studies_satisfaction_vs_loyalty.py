"""csat_analysis.studies.satisfaction_vs_loyalty: settings, sections, findings, and notebook runs.

The notebook's structure (twin in sync, parameters contract, thin cells) is checked by
tests/test_notebooks.py; here the study's own logic is checked against the library
functions and hand-worked numbers, and the notebook is run on each data set it supports.
"""

import json
import warnings
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest

from csat_analysis import datasets, drivers, loyalty
from csat_analysis.errors import StudyError
from csat_analysis.report import results_from_notebook
from csat_analysis.scaling import composite_score
from csat_analysis.studies import StudyRun, dataset_roles
from csat_analysis.studies import satisfaction_vs_loyalty as svl
from csat_analysis.studies.core import Skipped

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "satisfaction_vs_loyalty.ipynb"
REQUIRED_RESULTS = {"n_respondents", "satisfaction_index", "satisfaction_index_low", "satisfaction_index_high",
                    "loyalty_index", "loyalty_index_low", "loyalty_index_high", "satisfaction_loyalty_spearman",
                    "loyalty_by_satisfaction", "segments", "key_drivers"}


@pytest.fixture(scope="module")
def corp():
    return datasets.open_study_data("corp_rep")


@pytest.fixture(scope="module")
def mobi_settings():
    return svl.resolve_settings(datasets.open_study_data("mobi"))


def _user_data(frame):
    return datasets.StudyData(frame, "my_survey.csv", "user", "User data: my_survey.csv, n = 4")


# --- settings ----------------------------------------------------------------------------


def test_settings_list_valid_choices_for_wrong_names(corp):
    with pytest.raises(StudyError, match=r"segment_value='9' is not valid; choose one of: '1', '2', '3', '4'"):
        svl.resolve_settings(corp, segment_value=9)
    with pytest.raises(StudyError, match="satisfaction: column.*'CUSA1'.*available columns"):
        svl.resolve_settings(corp, satisfaction=["CUSA1"])
    with pytest.raises(StudyError, match="model='ecsi' needs the ECSI items"):
        svl.resolve_settings(corp, model="ecsi")
    with pytest.raises(StudyError, match="'ecsi', 'simple', 'none'"):
        svl.resolve_settings(corp, model="acsi")
    with pytest.raises(StudyError, match="top_box"):
        svl.resolve_settings(corp, top_box=7)
    with pytest.raises(StudyError, match="weights: column"):
        svl.resolve_settings(corp, weights="weight")
    with pytest.raises(StudyError, match="segment_value needs a segment column"):
        svl.resolve_settings(corp, segment="none", segment_value=1)


def test_settings_defaults_come_from_the_data_set_roles(mobi_settings, corp):
    roles = dataset_roles("mobi")
    assert mobi_settings.satisfaction == roles["satisfaction"] and mobi_settings.loyalty == roles["loyalty"]
    assert (mobi_settings.model, mobi_settings.segment, mobi_settings.behaviour) == ("ecsi", None, "CUSL1")
    assert mobi_settings.satisfied_threshold == 9.0 and mobi_settings.weights is None
    measurement, structural = mobi_settings.model_spec()
    assert measurement["Satisfaction"] == ["CUSA1", "CUSA2", "CUSA3"] and len(structural) == 12
    settings = svl.resolve_settings(corp)
    assert settings.compare_segments and settings.segment == "serviceprovider"
    assert (settings.scale.low, settings.scale.high) == (1, 7) and settings.satisfied_threshold == 6.0
    measurement, structural = settings.model_spec()
    assert ("Satisfaction", "Loyalty") in structural and ("Quality", "Satisfaction") in structural
    assert svl.resolve_settings(corp, segment="none").segment is None
    one = svl.resolve_settings(corp, segment_value="2")
    assert len(one.data) == 127 and not one.compare_segments
    assert one.source.endswith("only serviceprovider = 2 (n = 127)")


def test_simulated_settings_use_the_survey_weights_and_the_dealer_columns():
    sim = datasets.open_study_data("simulated", n=500, seed=3)
    settings = svl.resolve_settings(sim)
    assert settings.weights == "weight" and "weighted by `weight`" in settings.source
    assert settings.dealer == dataset_roles("simulated")["dealer"]
    assert svl.resolve_settings(sim, weights="none").weights is None


def test_user_data_need_items_and_infer_the_scale():
    frame = pd.DataFrame({"s": [2, 5, 7, 6], "l": [1, 4, 7, 7], "x": [3, 4, 5, 6]})
    with pytest.raises(StudyError, match="give the item columns"):
        svl.resolve_settings(_user_data(frame))
    settings = svl.resolve_settings(_user_data(frame), satisfaction="s", loyalty="l", drivers=["x"], model="none")
    assert (settings.scale.low, settings.scale.high) == (1, 7)
    assert settings.behaviour is None and settings.dealer is None and settings.segment is None


def test_settings_note_names_threshold_weighting_and_model(mobi_settings):
    note = svl.settings_note(mobi_settings)
    assert "at least 9 (top 2 box)" in note and "**Model:** ecsi" in note and "unweighted" in note


# --- sections against the library ----------------------------------------------------------


def test_setup_and_measures_sections(mobi_settings):
    setup = svl.setup_section(mobi_settings)
    assert setup.results() == {"n_respondents": 250}
    measures = svl.measures_section(mobi_settings)
    expected = loyalty.describe_measures(mobi_settings.data, mobi_settings.measures, mobi_settings.scale)
    pd.testing.assert_frame_equal(measures.table, expected)
    assert list(measures.table["measure"]) == ["Satisfaction", "Loyalty", "Image", "Expectation", "Quality", "Value"]
    assert measures.finding().startswith("250 respondents;")


def test_curve_section_records_the_curve_and_the_fit(mobi_settings):
    section = svl.curve_section(mobi_settings)
    results = section.results()
    curve = loyalty.loyalty_curve(mobi_settings.data, mobi_settings.satisfaction, mobi_settings.loyalty,
                                  scale=(1, 10))
    assert results["loyalty_by_satisfaction"] == dict(zip(curve["satisfaction"].astype(str), curve["share"]))
    # oracle: Spearman's rho as the Pearson correlation of the ranks
    sat = composite_score(mobi_settings.data, mobi_settings.satisfaction)
    loy = composite_score(mobi_settings.data, mobi_settings.loyalty)
    assert results["satisfaction_loyalty_spearman"] == pytest.approx(np.corrcoef(sat.rank(), loy.rank())[0, 1])
    assert results["curve_nonlinearity_pvalue"] == section.fit.lr_p_value
    assert "Spearman rho = " in section.finding()


def test_sections_that_cannot_run_say_why_and_how_to_fix_it(mobi_settings):
    dealer = svl.dealer_section(mobi_settings)
    assert isinstance(dealer, Skipped) and "simulated" in dealer.fix
    segments = svl.segments_section(mobi_settings)
    assert isinstance(segments, Skipped) and "no segment column" in segments.note()
    corp_one = svl.resolve_settings(datasets.open_study_data("corp_rep"), segment_value=3)
    assert "filtered to serviceprovider = 3" in svl.segments_section(corp_one).note()
    frame = pd.DataFrame({"s": [2, 5, 7, 6], "l": [1, 4, 7, 7], "x": [3, 4, 5, 6]})
    user = svl.resolve_settings(_user_data(frame), satisfaction="s", loyalty="l", drivers=["x"], model="none")
    assert "no behaviour measure" in svl.loyalty_types_section(user).note()
    model = svl.index_model(user)
    for section in (svl.paths_section(model), svl.ipma_section(model)):
        assert isinstance(section, Skipped) and "model='none'" in section.note()


def test_model_none_indices_are_weighted_item_means():
    sim = datasets.open_study_data("simulated", n=2000, seed=3)
    settings = svl.resolve_settings(sim, model="none")
    section = svl.indices_section(svl.index_model(settings, bootstrap=2))
    sat = sim.data[["CUSA1", "CUSA2", "CUSA3"]].mean(axis=1)
    expected = np.average((sat - 1) / 9 * 100, weights=sim.data["weight"])
    assert section.results()["satisfaction_index"] == pytest.approx(expected)
    assert "weighted" in section.method


def test_loyalty_types_dealer_and_segments_on_the_simulator():
    sim = datasets.open_study_data("simulated", n=3000, seed=5)
    settings = svl.resolve_settings(sim)
    types = svl.loyalty_types_section(settings)
    assert sum(types.results()["segments"].values()) == pytest.approx(1)
    assert "(observed repurchase)" in types.finding()
    dealer = svl.dealer_section(settings).results()["dealer_table"]
    assert len(dealer) == 8 and dealer["O/O loyal_to_dealer"] == pytest.approx(0.85, abs=0.06)
    segments = svl.segments_section(settings)
    results = segments.results()
    assert set(results["loyalty_by_segment"]) == set(sim.data["segment"].astype(str))
    expected = loyalty.segment_tests(sim.data, settings.satisfaction, settings.loyalty, by="segment", scale=(1, 10))
    assert results["segment_difference_pvalue"] == expected.set_index("measure").loc["loyal_share", "p_value"]


def test_drivers_section_records_the_key_drivers(mobi_settings):
    section = svl.drivers_section(mobi_settings)
    results = section.results()
    shares = drivers.relative_importance(mobi_settings.data, mobi_settings.satisfaction, mobi_settings.drivers)
    assert results["key_drivers"] == pytest.approx(dict(zip(shares["driver"], shares["share"])))
    assert results["short_stave"] == drivers.short_stave(section.table)
    assert "of satisfaction" in section.finding()


def test_corp_rep_provider_4_reports_its_negative_index_weights_without_warning(corp):
    settings = svl.resolve_settings(corp, segment_value=4)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model = svl.index_model(settings, bootstrap=20, seed=1)
        paths = svl.paths_section(model)
    negative = model.negative_weights
    assert len(negative) > 0 and (negative["weight"] < 0).all()
    # oracle: the weights PLSResult.index reports
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        weights = model.pls_fit.index(scale=(1, 7)).weights
    assert sorted(zip(negative["item"], negative["construct"])) == sorted(
        (i, c) for c in weights.columns for i in weights.index[weights[c] < 0])
    assert "have a negative index weight" in paths.finding() and "csor_2 in CSR" in paths.finding()
    assert len(paths.tables()) == 3
    assert set(svl.indices_section(model).results()) == {
        f"{m}_index{s}" for m in ("satisfaction", "loyalty") for s in ("", "_low", "_high")}
    assert "Satisfaction->Loyalty" in paths.results()["ecsi_paths"]


def test_run_show_records_each_section_and_the_summary_cites_sources():
    run = StudyRun("mobi", study="satisfaction_vs_loyalty", emit=False)
    settings = svl.resolve_settings(run, model="none")
    for section in (svl.setup_section(settings), svl.curve_section(settings), svl.dealer_section(settings),
                    svl.indices_section(svl.index_model(settings))):
        run.show(section)
    assert run.recorder.results["n_respondents"] == 250
    assert run.recorder.results["notes"] == [svl.dealer_section(settings).note()]
    text = svl.summary(run, settings).data
    assert "The satisfaction index is" in text and "Dealer table: not run" in text
    assert "**References**" in text and "Wilson (1927)" in text and "Fornell" in text
    assert "Tenenhaus" not in text.split("**References**")[1]  # no PLS model was estimated


# --- finding sentences ----------------------------------------------------------------------


def test_summary_findings_are_built_from_the_numbers():
    results = {
        "satisfaction_index": 70.0, "satisfaction_index_low": 68.0, "satisfaction_index_high": 72.0,
        "satisfaction_loyalty_spearman": 0.62,
        "loyalty_by_satisfaction": {"1": 0.0, "5": 0.2, "10": 0.8},
        "segments": {"true": 0.4, "latent": 0.1, "spurious": 0.25, "none": 0.25},
        "key_drivers": {"Image": 0.3, "Quality": 0.5, "Value": 0.2},
        "short_stave": "Value",
        "curve_steepest": 8.2, "curve_nonlinearity_pvalue": 0.01, "curve_top_gain_share": 0.6,
    }
    text = " ".join(svl.summarize_findings(results))
    for expected in ["70.0", "68.0 to 72.0", "strongly related", "0% at satisfaction 1", "80% at 10",
                     "25% are spuriously loyal", "Quality (50%", "short stave", "Value", "concentrated at the top"]:
        assert expected in text
    assert svl.summarize_findings({}) == []


def test_summary_does_not_call_a_well_performing_driver_a_short_stave():
    lagging = " ".join(svl.summarize_findings({"short_stave": "Value", "short_stave_quadrant": "concentrate here"}))
    assert "short stave (high importance, lowest performance) is Value: improve it first" in lagging
    fine = " ".join(svl.summarize_findings({"short_stave": "Quality", "short_stave_quadrant": "keep up the good work"}))
    assert "No important driver lags behind" in fine and "Quality" in fine and "improve it first" not in fine


def test_measures_finding_both_verdicts_and_single_items():
    table = pd.DataFrame({"measure": ["A", "B", "C"], "missing_cells": [2, 1, 0], "alpha": [0.81, 0.93, np.nan],
                          "alpha_low": [0.75, 0.9, np.nan], "alpha_high": [0.86, 0.95, np.nan]})
    good = svl.measures_finding(table, 1200)
    assert good.startswith("1,200 respondents; 3 missing answers") and "**A** (alpha = 0.81" in good
    assert "every multi-item measure passes 0.7" in good
    table.loc[0, "alpha"] = 0.55
    assert "**A** (alpha = 0.55, 95% interval 0.75-0.86), below 0.7" in svl.measures_finding(table, 10)
    assert "cannot be estimated" in svl.measures_finding(table.iloc[[2]], 10)


def test_curve_finding_both_bend_verdicts():
    curve = pd.DataFrame({"satisfaction": [2, 7], "share": [0.1, 0.65]})
    bent = svl.curve_finding(curve, 6.2, 0.48, 0.004, 0.41)
    assert "from 10% at satisfaction 2 to 65% at 7 (Spearman rho = 0.41)" in bent
    assert "steepest near 6.2; 48% of the rise" in bent and "p = 0.004 (the curve bends significantly)" in bent
    flat = svl.curve_finding(curve, 6.2, 0.48, 0.3, 0.41)
    assert "p = 0.300 (no significant bend" in flat


def test_loyalty_types_finding_names_proxy_or_observed_behaviour():
    table = pd.DataFrame({"segment": ["true", "latent", "spurious", "none"], "share": [0.31, 0.12, 0.08, 0.49]})
    proxy = svl.loyalty_types_finding(table, "CUSL1", True)
    assert "`CUSL1` (top box) as a proxy" in proxy and "31% are truly loyal; 8% are spuriously" in proxy
    assert "12% are latently" in proxy
    assert "(observed repurchase)" in svl.loyalty_types_finding(table, "repurchase", False)


def test_dealer_finding_both_verdicts_and_interval_count():
    table = pd.DataFrame({"sales": ["O", "X", "O", "X"], "service": ["O", "O", "X", "X"], "outcome": "loyal_to_dealer",
                          "n": [40, 20, 30, 10], "rate": [0.8, 0.2, 0.3, 0.0], "low": [0.7, 0.1, 0.2, 0.0],
                          "high": [0.9, 0.3, 0.4, 0.1], "published_rate": [0.85, 0.35, 0.12, 0.01]})
    text = svl.dealer_finding(table)
    assert "Rebuilt from 100 respondents: 2 of 4 rates of the Toyota Motor Sales U.S.A. dealer study" in text
    assert "service only, 20%" in text and "sale only, 30%: sales satisfaction matters more." in text
    table.loc[1, "rate"] = 0.5
    assert svl.dealer_finding(table).endswith("service satisfaction matters more.")


def test_paths_and_index_findings_count_significant_paths():
    paths = pd.DataFrame({"source": ["A", "B", "C"], "target": ["S", "S", "L"], "original": [0.3, -0.6, 0.1],
                          "low": [0.1, -0.8, -0.05], "high": [0.5, -0.4, 0.25]})
    text = svl.paths_finding(paths, pd.Series({"S": 0.4, "L": 0.25}), 500)
    assert text.startswith("2 of 3 paths") and "(500 resamples)" in text and "B -> S (-0.60)" in text
    assert "S 0.40, L 0.25" in text
    results = {"satisfaction_index": 71.26, "satisfaction_index_low": 69.0, "satisfaction_index_high": 73.5,
               "loyalty_index": 58.0, "loyalty_index_low": 55.04, "loyalty_index_high": 61.0}
    assert "**Satisfaction index** 71.3 (95% interval 69.0-73.5); **loyalty index** 58.0 (55.0-61.0)" in (
        svl.index_finding(results, "m", "src"))


def test_negative_weights_finding_singular_plural_and_none():
    none = pd.DataFrame({"item": [], "construct": [], "weight": []})
    assert svl.negative_weights_finding(none) == "Every item has a positive weight in its index."
    two = pd.DataFrame({"item": ["a", "b"], "construct": ["X", "Y"], "weight": [-0.1, -0.02]})
    text = svl.negative_weights_finding(two)
    assert text.startswith("2 items have a negative index weight (a in X, -0.10, b in Y, -0.02)")


def test_segment_finding_both_verdicts():
    table = pd.DataFrame({"segment": ["north", "south", "east"], "loyalty_index": [55.0, 71.25, 60.0]})
    assert "from 55.0 (region north) to 71.2 (region south); the loyal share differs" in (
        svl.segment_finding(table, 0.01, "region"))
    assert "does not differ significantly between segments (chi-square p = 0.510)" in (
        svl.segment_finding(table, 0.51, "region"))


def test_drivers_finding_with_and_without_a_short_stave():
    table = pd.DataFrame({"driver": ["Price", "Staff", "Speed"], "share": [0.5, 0.3, 0.2],
                          "performance": [40.0, 75.0, 60.0], "weakest_high_importance": [True, False, False]})
    text = svl.drivers_finding(table, 0.37)
    assert "R² = 0.37" in text and "**Price** matters most (50% of R²)" in text
    assert "short stave is **Price** (performance 40/100" in text
    table["weakest_high_importance"] = False
    assert "no short stave" in svl.drivers_finding(table, 0.37)


def test_ipma_finding_with_and_without_a_short_stave():
    table = pd.DataFrame({"construct": ["Image", "Value"], "importance": [0.4, 0.2], "performance": [55.0, 70.0],
                          "weakest_high_importance": [True, False]})
    text = svl.ipma_finding(table)
    assert "**Image** (0-100) moves the Satisfaction index most (0.40 points)" in text
    assert "short stave of the map is **Image** (performance 55/100)" in text
    table["weakest_high_importance"] = False
    assert "no short stave" in svl.ipma_finding(table)


def test_findings_when_the_only_important_driver_performs_well():
    table = pd.DataFrame({"driver": ["Quality", "Value"], "share": [0.7, 0.3], "performance": [75.0, 60.0],
                          "quadrant": ["keep up the good work", "low priority"],
                          "weakest_high_importance": [True, False]})
    text = svl.drivers_finding(table, 0.5)
    assert "**Quality**, still performs above average (75/100), so no important driver lags behind" in text
    assert "the short stave is" not in text
    ipma_table = table.rename(columns={"driver": "construct", "share": "importance"})
    assert "still performs above average (75/100)" in svl.ipma_finding(ipma_table)


def test_reader_facing_text_cites_published_sources():
    import inspect
    import re

    text = inspect.getsource(svl) + NOTEBOOK.with_suffix(".py").read_text(encoding="utf-8")
    assert not re.search(r"seed 0[0-9]{2}|brief|seed's", text)


# --- the notebook, run through papermill -----------------------------------------------------


def _run(tmp_path, **parameters):
    papermill = pytest.importorskip("papermill")
    workdir = tmp_path / "cwd"
    workdir.mkdir()
    output = tmp_path / "out.ipynb"
    papermill.execute_notebook(str(NOTEBOOK), str(output), parameters=parameters, kernel_name="python3",
                               cwd=str(workdir), progress_bar=False)
    assert list(workdir.iterdir()) == []
    executed = json.loads(output.read_text(encoding="utf-8"))
    return results_from_notebook(executed), nbformat.reads(json.dumps(executed), as_version=4)


@pytest.mark.slow
def test_runs_on_mobi_with_the_ecsi_model(tmp_path):
    results, _ = _run(tmp_path, dataset="mobi", bootstrap=50)
    assert REQUIRED_RESULTS | {"ecsi_paths"} <= set(results)
    assert results["n_respondents"] == 250
    assert results["satisfaction_index_low"] < results["satisfaction_index"] < results["satisfaction_index_high"]
    assert set(results["segments"]) == {"true", "latent", "spurious", "none"}
    assert sum(results["segments"].values()) == pytest.approx(1)
    assert set(results["key_drivers"]) == {"Image", "Expectation", "Quality", "Value"}
    assert "Satisfaction->Loyalty" in results["ecsi_paths"]
    assert len(results["notes"]) == 2  # no dealer columns, no segment column


@pytest.mark.slow
def test_runs_on_one_corp_rep_provider(tmp_path):
    results, _ = _run(tmp_path, dataset="corp_rep", segment_value=3, bootstrap=50)
    assert results["n_respondents"] == 44
    assert "segment_difference_pvalue" not in results
    assert "Satisfaction->Loyalty" in results["ecsi_paths"]


@pytest.mark.slow
def test_runs_on_the_simulator_and_rebuilds_the_dealer_table(tmp_path):
    results, _ = _run(tmp_path, dataset="simulated", n=3000, bootstrap=50, model="none")
    assert REQUIRED_RESULTS | {"dealer_table", "segment_difference_pvalue"} <= set(results)
    assert "ecsi_paths" not in results
    # the simulator draws dealer loyalty from the dealer study's published rates: within sampling error
    assert results["dealer_table"]["O/O loyal_to_dealer"] == pytest.approx(0.85, abs=0.05)
    assert results["dealer_table"]["X/X loyal_to_brand"] == pytest.approx(0.38, abs=0.1)


@pytest.mark.slow
def test_a_wrong_model_name_fails_in_the_set_up_cell(tmp_path):
    papermill = pytest.importorskip("papermill")
    with pytest.raises(papermill.PapermillExecutionError, match="'ecsi', 'simple', 'none'") as failure:
        papermill.execute_notebook(str(NOTEBOOK), str(tmp_path / "out.ipynb"), kernel_name="python3", cwd=str(tmp_path),
                                   progress_bar=False, parameters={"dataset": "mobi", "model": "acsi"})
    assert failure.value.exec_count <= 3


@pytest.mark.slow
def test_provider_4_lists_its_negative_index_weights_and_prints_no_warning(tmp_path):
    results, executed = _run(tmp_path, dataset="corp_rep", segment_value=4, bootstrap=50)
    assert results["n_respondents"] == 43
    outputs = [o for c in executed.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.get("name") == "stderr"]
    shown = " ".join(str(o.get("data", {}).get("text/markdown", "")) for o in outputs)
    assert "have a negative index weight" in shown and "csor_2 in CSR" in shown
    assert "**References**" in shown
