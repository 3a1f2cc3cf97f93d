"""notebooks/satisfaction_vs_loyalty.ipynb: structure, and papermill runs on small settings."""

import json
from pathlib import Path

import nbformat
import pytest

from csat_analysis import datasets, loyalty
from csat_analysis.errors import StudyError

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "satisfaction_vs_loyalty.ipynb"
CONTRACT_PARAMETERS = {"dataset", "schema", "satisfaction", "loyalty", "drivers", "segment", "segment_value", "top_box",
                       "model", "bootstrap", "seed", "n", "results_path"}
REQUIRED_RESULTS = {"n_respondents", "satisfaction_index", "satisfaction_index_low", "satisfaction_index_high",
                    "loyalty_index", "loyalty_index_low", "loyalty_index_high", "satisfaction_loyalty_spearman",
                    "loyalty_by_satisfaction", "segments", "key_drivers"}


def test_committed_notebook_has_tagged_parameters_and_no_outputs():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    code_cells = [c for c in notebook.cells if c.cell_type == "code"]
    first = code_cells[0]
    assert "parameters" in first.metadata.get("tags", [])
    namespace = {}
    exec(first.source, namespace)
    assert CONTRACT_PARAMETERS <= set(namespace)
    assert namespace["results_path"] is None and namespace["seed"] == 0
    assert all(not c.outputs and c.execution_count is None for c in code_cells)


def _run(tmp_path, **parameters):
    papermill = pytest.importorskip("papermill")
    papermill.execute_notebook(str(NOTEBOOK), str(tmp_path / "out.ipynb"), parameters=parameters,
                               kernel_name="python3", cwd=str(tmp_path), progress_bar=False)
    return json.loads((tmp_path / "results.json").read_text())


@pytest.mark.slow
def test_runs_on_mobi_with_the_ecsi_model(tmp_path):
    results = _run(tmp_path, dataset="mobi", bootstrap=50)
    assert REQUIRED_RESULTS | {"ecsi_paths"} <= set(results)
    assert results["n_respondents"] == 250
    assert results["satisfaction_index_low"] < results["satisfaction_index"] < results["satisfaction_index_high"]
    assert set(results["segments"]) == {"true", "latent", "spurious", "none"}
    assert sum(results["segments"].values()) == pytest.approx(1)
    assert set(results["key_drivers"]) == {"Image", "Expectation", "Quality", "Value"}
    assert "Satisfaction->Loyalty" in results["ecsi_paths"]


@pytest.mark.slow
def test_runs_on_one_corp_rep_provider_with_results_path(tmp_path):
    target = tmp_path / "elsewhere.json"
    _run_path = tmp_path / "run"
    _run_path.mkdir()
    papermill = pytest.importorskip("papermill")
    papermill.execute_notebook(str(NOTEBOOK), str(_run_path / "out.ipynb"), kernel_name="python3", cwd=str(_run_path),
                               progress_bar=False, parameters={"dataset": "corp_rep", "segment_value": 3, "bootstrap": 50,
                                                               "results_path": str(target)})
    results = json.loads(target.read_text())
    assert not (_run_path / "results.json").exists()
    assert results["n_respondents"] == 44
    assert "segment_difference_pvalue" not in results
    assert "Satisfaction->Loyalty" in results["ecsi_paths"]


@pytest.mark.slow
def test_runs_on_the_simulator_and_rebuilds_the_dealer_table(tmp_path):
    results = _run(tmp_path, dataset="simulated", n=3000, bootstrap=50, model="none")
    assert REQUIRED_RESULTS | {"dealer_table", "segment_difference_pvalue"} <= set(results)
    assert "ecsi_paths" not in results
    # the simulator draws dealer loyalty from seed 004's rates: within sampling error
    assert results["dealer_table"]["O/O loyal_to_dealer"] == pytest.approx(0.85, abs=0.05)
    assert results["dealer_table"]["X/X loyal_to_brand"] == pytest.approx(0.38, abs=0.1)


@pytest.mark.slow
def test_a_wrong_model_name_fails_in_the_first_cells(tmp_path):
    papermill = pytest.importorskip("papermill")
    with pytest.raises(papermill.PapermillExecutionError, match="'ecsi', 'simple', 'none'") as failure:
        papermill.execute_notebook(str(NOTEBOOK), str(tmp_path / "out.ipynb"), kernel_name="python3", cwd=str(tmp_path),
                                   progress_bar=False, parameters={"dataset": "mobi", "model": "acsi"})
    assert failure.value.exec_count <= 3


def test_settings_list_valid_choices_for_wrong_names():
    corp = datasets.open_study_data("corp_rep")
    with pytest.raises(StudyError, match=r"segment_value='9' is not valid; choose one of: '1', '2', '3', '4'"):
        loyalty.resolve_settings(corp, segment_value=9)
    with pytest.raises(StudyError, match="satisfaction: column.*'CUSA1'.*available columns"):
        loyalty.resolve_settings(corp, satisfaction=["CUSA1"])
    with pytest.raises(StudyError, match="model='ecsi' needs the ECSI items"):
        loyalty.resolve_settings(corp, model="ecsi")
    with pytest.raises(StudyError, match="top_box"):
        loyalty.resolve_settings(corp, top_box=7)


def test_settings_defaults_per_data_set():
    mobi = loyalty.resolve_settings(datasets.open_study_data("mobi"))
    assert (mobi.model, mobi.segment, mobi.behaviour, mobi.satisfied_threshold) == ("ecsi", None, "CUSL1", 9.0)
    measurement, structural = mobi.model_spec()
    assert measurement["Satisfaction"] == ["CUSA1", "CUSA2", "CUSA3"] and len(structural) == 12
    corp = loyalty.resolve_settings(datasets.open_study_data("corp_rep"))
    assert corp.compare_segments and corp.segment == "serviceprovider"
    measurement, structural = corp.model_spec()
    assert ("Satisfaction", "Loyalty") in structural and ("Quality", "Satisfaction") in structural
    assert loyalty.resolve_settings(datasets.open_study_data("corp_rep"), segment="none").segment is None


@pytest.mark.slow
def test_provider_4_lists_its_negative_index_weights_and_prints_no_warning(tmp_path):
    results = _run(tmp_path, dataset="corp_rep", segment_value=4, bootstrap=50)
    assert results["n_respondents"] == 43
    executed = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    outputs = [o for c in executed.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.get("name") == "stderr"]
    shown = " ".join(str(o.get("data", {}).get("text/markdown", "")) for o in outputs)
    assert "have a negative index weight" in shown and "csor_2 in CSR" in shown
