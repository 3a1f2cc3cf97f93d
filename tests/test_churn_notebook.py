"""The churn study notebook: committed as built, parameters per the contract, runs through papermill."""

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "churn_and_retention.ipynb"
BUILD = ROOT / "notebooks" / "build" / "churn_and_retention.py"
CONTRACT_PARAMETERS = {"dataset", "schema", "n", "segments", "tenure", "churn", "margin", "acquisition_cost",
                       "retention_cost", "churn_base", "seed", "results_path"}
RECORDED = {"n_customers", "churn_rate", "churn_rate_low", "churn_rate_high", "churn_base", "churn_by_segment",
            "median_lifetime_months", "median_lifetime_months_overall", "churn_drivers", "clv_by_segment",
            "clv_assumptions", "example_a", "example_b"}


def test_committed_notebook_is_the_built_one_without_outputs(tmp_path):
    rebuilt = tmp_path / "rebuilt.ipynb"
    subprocess.run([sys.executable, str(BUILD), str(rebuilt)], check=True, capture_output=True)
    assert rebuilt.read_text(encoding="utf-8") == NOTEBOOK.read_text(encoding="utf-8"), (
        "notebooks/churn_and_retention.ipynb is stale: run notebooks/build/churn_and_retention.py")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    code_cells = [c for c in notebook.cells if c.cell_type == "code"]
    assert code_cells[0].metadata.get("tags") == ["parameters"]
    assert all(not c.outputs and c.execution_count is None for c in code_cells)
    names = {line.split("=")[0].strip() for line in code_cells[0].source.splitlines() if "=" in line}
    assert names == CONTRACT_PARAMETERS
    # warnings are dealt with in the package, never silenced in the notebook
    assert not any("filterwarnings" in c.source or "catch_warnings" in c.source for c in code_cells)


def test_papermill_reads_every_parameter():
    papermill = pytest.importorskip("papermill")
    inferred = papermill.inspect_notebook(str(NOTEBOOK))
    assert set(inferred) == CONTRACT_PARAMETERS
    assert inferred["n"]["default"] == "20000"


def _run(tmp_path, **parameters):
    papermill = pytest.importorskip("papermill")
    output = tmp_path / "out.ipynb"
    results = tmp_path / "results.json"
    papermill.execute_notebook(str(NOTEBOOK), str(output), parameters={"results_path": str(results), **parameters},
                               kernel_name="python3", cwd=str(tmp_path), progress_bar=False)
    return json.loads(results.read_text()), nbformat.read(output, as_version=4)


@pytest.mark.slow
@pytest.mark.parametrize("dataset, n", [("telco_churn", 0), ("service_calls_churn", 0), ("simulated", 3000)])
def test_notebook_runs_and_records(tmp_path, dataset, n):
    if dataset == "simulated" and not (ROOT / "csat_analysis" / "simulate.py").exists():
        pytest.skip("csat_analysis.simulate not there yet")
    parameters = {"dataset": dataset, **({"n": n} if n else {})}
    results, executed = _run(tmp_path, **parameters)
    assert RECORDED <= set(results)
    text = "\n".join(str(output.get("data", {}).get("text/markdown", "")) for cell in executed.cells
                     for output in cell.get("outputs", []))
    # the value assumptions are stated, as assumptions, next to the lifetime values
    assert "Assumptions (notebook parameters, not data):** profit margin 30% of revenue" in text
    assert results["clv_assumptions"]["acquisition_cost"] == 100.0
    assert results["example_a"]["churn_loss"] == pytest.approx(1500)
    assert results["example_b"]["rate_end"] == pytest.approx(0.09375)
    assert results["churn_rate_low"] < results["churn_rate"] < results["churn_rate_high"]
    if dataset == "telco_churn":
        # 1869 of the 7043 IBM telco customers churned; 11 joined this month (tenure 0)
        assert results["n_customers"] == 7043
        assert results["churn_rate"] == pytest.approx(1869 / 7032)
    if dataset == "simulated":
        assert "churn_causes" in results


@pytest.mark.slow
@pytest.mark.parametrize("parameters, message", [
    ({"churn_base": "middle"}, "churn_base='middle' is not valid; choose one of: 'start', 'end'"),
    ({"segments": ["contrat"]}, "segments: 'contrat' not in the data; choose from"),
    ({"dataset": "mobi"}, "has no churn or tenure columns"),
])
def test_wrong_parameters_fail_early_with_choices(tmp_path, parameters, message):
    papermill = pytest.importorskip("papermill")
    with pytest.raises(papermill.PapermillExecutionError) as failure:
        _run(tmp_path, **parameters)
    assert message in str(failure.value)
    assert "StudyError" in failure.value.ename
