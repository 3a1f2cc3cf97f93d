"""Execute notebooks/complaint_resolution.ipynb through papermill on each data source."""

import json
from pathlib import Path

import nbformat
import pandas as pd
import pytest

papermill = pytest.importorskip("papermill")

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "complaint_resolution.ipynb"

pytestmark = pytest.mark.slow


def run(tmp_path, **parameters):
    results = tmp_path / "results.json"
    output = tmp_path / "out.ipynb"
    papermill.execute_notebook(str(NOTEBOOK), str(output), parameters={"results_path": str(results), **parameters},
                               kernel_name="python3", cwd=str(tmp_path), progress_bar=False)
    return json.loads(results.read_text()), nbformat.read(output, as_version=4)


def markdown_outputs(notebook):
    return "\n".join(o["data"]["text/markdown"] for c in notebook.cells if c.cell_type == "code"
                     for o in c.get("outputs", []) if "text/markdown" in o.get("data", {}))


def test_notebook_is_committed_clean_with_tagged_parameters():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert "parameters" in code[0].metadata.get("tags", [])
    for name in ("dataset", "schema", "n", "outcome", "status", "severity", "fast_hours", "bootstrap", "seed",
                 "tell_dissatisfied", "retell_share", "retell_count", "tell_satisfied", "results_path"):
        assert f"\n{name} = " in "\n" + code[0].source, name
    assert all(not c.outputs and c.execution_count is None for c in code)


def test_simulated_run_records_results(tmp_path):
    results, notebook = run(tmp_path, dataset="simulated", n=20000, bootstrap=200)
    assert results["n_respondents"] == 20000
    funnel = results["funnel"]
    assert funnel["respondents"] == 20000 and funnel["problem"] >= funnel["complained"] >= funnel["escalated"]
    assert 0.02 < results["voice_rate"] < 0.07  # generated at 0.04
    assert set(results["repurchase_by_status"]) == {"no_problem", "no_complaint", "unresolved", "resolved", "resolved_quickly"}
    paradox = results["recovery_paradox"]
    assert paradox["low"] <= paradox["difference"] <= paradox["high"]
    assert "churn_by_service_calls" not in results
    text = markdown_outputs(notebook)
    assert "Simulated data" in text
    assert "Service-recovery paradox: **" in text
    assert "Under seed 003's multipliers" in text


def test_service_calls_run_records_churn_by_calls(tmp_path):
    from csat_analysis import datasets

    results, notebook = run(tmp_path, dataset="service_calls_churn")
    accounts = datasets.load("service_calls_churn")
    by_hand = accounts.groupby("number_customer_service_calls")["churn"].mean()
    recorded = pd.Series(results["churn_by_service_calls"]).rename(int)
    assert recorded.to_numpy() == pytest.approx(by_hand.loc[recorded.index].to_numpy())
    assert results["n_respondents"] == 5000 and "recovery_paradox" not in results
    text = markdown_outputs(notebook)
    assert "Churn jumps at 4" in text and "Real data: service_calls_churn" in text
    assert "has no complaint statuses" in text


def test_mobi_run_shows_cusco_against_loyalty(tmp_path):
    results, notebook = run(tmp_path, dataset="mobi")
    assert results == {"n_respondents": 250}
    text = markdown_outputs(notebook)
    assert "Spearman rho" in text and "Real data: mobi" in text


def test_user_log_derives_quick_status_from_fast_hours(tmp_path):
    rows = []
    for i in range(400):
        status = ["no_problem", "no_complaint", "unresolved", "resolved"][i % 4]
        hours = None if status != "resolved" else float(1 + (i * 7) % 60)
        severity = None if status == "no_problem" else ["major", "minor"][(i // 4) % 2]
        rows.append({"status": status, "severity": severity, "bought_again": "yes" if (i * 13) % 10 < 6 else "no",
                     "resolution_hours": hours})
    path = tmp_path / "log.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    schema = {"columns": {"status": {"categories": ["no_problem", "no_complaint", "unresolved", "resolved"]},
                          "severity": {"categories": ["major", "minor"]},
                          "bought_again": {"type": "bool", "true": ["yes"], "false": ["no"]},
                          "resolution_hours": {"type": "float", "min": 0}}}
    results, notebook = run(tmp_path, dataset=str(path), schema=schema, outcome="bought_again", status="status",
                            fast_hours=12.0, bootstrap=0)
    quick = sum(1 for r in rows if r["resolution_hours"] is not None and r["resolution_hours"] <= 12)
    assert quick > 0
    assert set(results["repurchase_by_status"]) >= {"resolved", "resolved_quickly"}
    assert "User data: log.csv" in markdown_outputs(notebook)


@pytest.mark.parametrize(("parameters", "message"), [
    ({"dataset": "simulatd"}, "choose one of"),
    ({"dataset": "simulated", "n": 2000, "status": "complaint_stat"}, "available columns"),
    ({"dataset": "service_calls_churn", "outcome": "churned"}, "available columns"),
    ({"dataset": "simulated", "n": 2000, "retell_share": 2}, "retell_share"),
])
def test_wrong_parameters_fail_early_listing_choices(tmp_path, parameters, message):
    with pytest.raises(papermill.PapermillExecutionError, match=message) as error:
        run(tmp_path, **parameters)
    assert error.value.exec_count <= 3
