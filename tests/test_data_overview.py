"""notebooks/data_overview.ipynb: runs on every bundled data set and on the simulator."""

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from csat_analysis import datasets, simulate

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "data_overview.ipynb"
BUILDER = ROOT / "notebooks" / "build" / "data_overview.py"

papermill = pytest.importorskip("papermill")


def run(tmp_path, **parameters):
    output = tmp_path / "out.ipynb"
    papermill.execute_notebook(str(NOTEBOOK), str(output), parameters=parameters, kernel_name="python3",
                               cwd=str(tmp_path), progress_bar=False)
    return json.loads((tmp_path / "results.json").read_text(encoding="utf-8")), nbformat.read(output, as_version=4)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["mobi", "corp_rep", "telco_churn", "service_calls_churn"])
def test_runs_on_every_bundled_data_set(tmp_path, name):
    results, executed = run(tmp_path, dataset=name)
    expected = datasets.load(name)
    assert results["n_rows"] == expected.shape[0]
    assert results["n_columns"] == expected.shape[1]
    assert results["n_missing_cells"] == int(expected.isna().to_numpy().sum())
    assert results["source"].startswith(f"Real data: {name}")
    text = "\n".join(str(output.get("text", "")) + json.dumps(output.get("data", {}))
                     for cell in executed.cells if cell.cell_type == "code" for output in cell.get("outputs", []))
    assert results["source"] in text  # the source line is shown
    stderr = [output for cell in executed.cells if cell.cell_type == "code"
              for output in cell.get("outputs", []) if output.get("name") == "stderr"]
    assert not stderr  # no warnings reach the report


@pytest.mark.slow
def test_runs_on_simulated_data(tmp_path):
    results, _ = run(tmp_path, dataset="simulated", n=300, seed=4)
    expected = simulate.simulate_panel(300, seed=4).data
    assert results["n_rows"] == 300
    assert results["n_columns"] == len(simulate.COLUMNS)
    assert results["n_missing_cells"] == int(expected.isna().to_numpy().sum())
    assert "Simulated data" in results["source"]


@pytest.mark.slow
def test_bad_dataset_fails_early_listing_choices(tmp_path):
    with pytest.raises(papermill.PapermillExecutionError) as error:
        run(tmp_path, dataset="mobbi")
    message = str(error.value)
    assert "mobbi" in message and "choose one of" in message
    for name in ["mobi", "corp_rep", "telco_churn", "service_calls_churn", "simulated"]:
        assert repr(name) in message
    assert "open_study_data(" in error.value.source  # the set-up cell, before any analysis


def test_committed_notebook_is_clean_and_parameterised():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert "parameters" in code_cells[0].metadata.get("tags", [])
    for name in ["dataset = ", "n = ", "seed = 0", "results_path = None"]:
        assert name in code_cells[0].source
    assert all(not cell.outputs and cell.execution_count is None for cell in code_cells)
    assert "report.set_results_path(results_path)" in code_cells[1].source
    assert "plots.set_theme()" in code_cells[1].source


def test_builder_regenerates_the_committed_notebook(tmp_path):
    target = tmp_path / "rebuilt.ipynb"
    subprocess.run([sys.executable, str(BUILDER), str(target)], check=True, capture_output=True)
    assert target.read_text(encoding="utf-8") == NOTEBOOK.read_text(encoding="utf-8")


def test_code_cells_are_thin():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            lines = [line.strip() for line in cell.source.splitlines() if line.strip()]
            assert len(lines) <= 9, cell.source  # logic lives in csat_analysis.io, tested in test_io.py
            assert not any(line.startswith(("def ", "for ", "while ", "with warnings")) for line in lines), cell.source
            assert "filterwarnings" not in cell.source
