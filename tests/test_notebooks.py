"""The contract every study notebook keeps (one parametrised test per notebook).

- the ``.ipynb`` and its jupytext text twin (``py:percent``) hold the same cells;
- no outputs or execution counts are committed;
- the first code cell is tagged ``parameters`` and declares exactly the parameters,
  with the defaults, of the study module's ``PARAMETERS`` contract;
- cells stay thin: no function or class definitions, no private ``csat_analysis._*``
  imports (logic lives in the package, where it is tested);
- it executes through papermill on a small setting, records results as notebook
  outputs, and leaves nothing behind in the folder it runs in.
"""

from __future__ import annotations

import ast
import importlib
import json
from pathlib import Path

import nbformat
import pytest

from csat_analysis.report import RESULTS_MIME, results_from_notebook

jupytext = pytest.importorskip("jupytext")

NOTEBOOKS_DIR = Path(__file__).resolve().parents[1] / "notebooks"
NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))
#: small settings under which each notebook must run (a few seconds each)
QUICK_PARAMETERS = {
    "data_overview": {"dataset": "mobi"},
    "satisfaction_vs_loyalty": {"dataset": "mobi", "bootstrap": 30},
    "complaint_resolution": {"dataset": "simulated", "n": 3000, "bootstrap": 0},
    "churn_and_retention": {"dataset": "service_calls_churn"},
    "customer_comments": {"dataset": "fine_food_reviews", "sample": 600, "n_topics": 4},
}


def _ids(paths):
    return [path.stem for path in paths]


def _code_cells(notebook):
    return [cell for cell in notebook.cells if cell.cell_type == "code"]


def _parameters_namespace(notebook) -> dict:
    namespace: dict = {}
    exec(_code_cells(notebook)[0].source, namespace)
    namespace.pop("__builtins__", None)
    return namespace


def test_every_notebook_is_listed_here():
    assert {path.stem for path in NOTEBOOKS} == set(QUICK_PARAMETERS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_text_twin_holds_the_same_cells(path):
    twin = path.with_suffix(".py")
    assert twin.exists(), f"{path.name} has no jupytext twin {twin.name}: run `jupytext --sync {path}`"
    notebook = nbformat.read(path, as_version=4)
    paired = jupytext.read(twin)
    assert [(c.cell_type, c.source) for c in notebook.cells] == [(c.cell_type, c.source) for c in paired.cells], (
        f"{path.name} and {twin.name} differ: run `jupytext --sync {twin}`"
    )
    assert [c.metadata.get("tags", []) for c in notebook.cells] == [c.metadata.get("tags", []) for c in paired.cells]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_committed_without_outputs(path):
    notebook = nbformat.read(path, as_version=4)
    for number, cell in enumerate(_code_cells(notebook)):
        assert not cell.outputs and cell.execution_count is None, f"{path.name}: code cell {number} has outputs"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_parameters_cell_matches_the_declared_contract(path):
    notebook = nbformat.read(path, as_version=4)
    assert "parameters" in _code_cells(notebook)[0].metadata.get("tags", [])
    contract = importlib.import_module(f"csat_analysis.studies.{path.stem}").PARAMETERS
    assert _parameters_namespace(notebook) == dict(contract)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_cells_are_thin(path):
    notebook = nbformat.read(path, as_version=4)
    for number, cell in enumerate(_code_cells(notebook)):
        tree = ast.parse(cell.source)
        for node in ast.walk(tree):
            assert not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)), (
                f"{path.name}: cell {number} defines code; move it into csat_analysis"
            )
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("csat_analysis"):
                modules = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
            elif isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            else:
                continue
            private = [
                m
                for m in modules
                if m.startswith("csat_analysis") and any(part.startswith("_") for part in m.split("."))
            ]
            assert not private, f"{path.name}: cell {number} imports private {private}"


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_executes_on_a_small_setting_and_leaves_nothing_behind(path, tmp_path):
    papermill = pytest.importorskip("papermill")
    workdir = tmp_path / "cwd"
    workdir.mkdir()
    output = tmp_path / "out.ipynb"
    papermill.execute_notebook(
        str(path),
        str(output),
        parameters=QUICK_PARAMETERS[path.stem],
        kernel_name="python3",
        cwd=str(workdir),
        progress_bar=False,
    )
    assert list(workdir.iterdir()) == []
    results = results_from_notebook(json.loads(output.read_text(encoding="utf-8")))
    assert results, f"{path.name} recorded nothing (outputs of type {RESULTS_MIME})"
    assert "notes" not in results or all(isinstance(note, str) for note in results["notes"])
