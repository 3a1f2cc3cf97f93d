"""Batch runner: spec validation, real papermill executions, resume, Dask, the index page.

The notebook executed here is ``tests/notebooks/record_and_plot.ipynb`` (regenerate it
with ``tests/notebooks/make_notebooks.py``): it records ``doubled = 2 * value``, an
interval around ``value`` and ``notes`` through the display contract, counts the rows of
a ``dataset`` file (showing its file and column names unescaped), draws one figure, and
raises when ``fail`` is true.
"""

from __future__ import annotations

import csv
import errno
import json
import multiprocessing
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import nbformat
import pytest

from csat_analysis import CsatError, StudyError, runner
from csat_analysis._safety import csv_cell, escape_markdown, markdown_to_safe_html, safe_yaml_load, sanitize_html
from csat_analysis.runner import (
    RESULTS_MIME,
    ReportsBusyError,
    execute_run,
    explain_state,
    export_html,
    load_studies,
    notebook_parameters,
    run_batch,
    run_inputs,
    run_state,
    write_index,
)

NOTEBOOK = Path(__file__).parent / "notebooks" / "record_and_plot.ipynb"


@pytest.fixture
def workspace(tmp_path):
    """A folder with its own copy of the test notebook (tests edit it) and a reports dir."""
    shutil.copy(NOTEBOOK, tmp_path / "tiny.ipynb")
    return tmp_path


def write_spec(folder: Path, text: str, name: str = "study.yaml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- specs


def test_grid_expands_to_cartesian_product_with_readable_stable_ids(workspace):
    spec = write_spec(
        workspace, "notebook: tiny.ipynb\nparameters: {value: 2.5}\ngrid:\n  label: [north, south]\n  seed: [1, 2, 3]\n"
    )
    (study,) = load_studies(spec)
    assert study.name == "tiny"  # defaults to the notebook's stem
    assert [run.run_id for run in study.runs] == [
        "north-seed-1",
        "north-seed-2",
        "north-seed-3",
        "south-seed-1",
        "south-seed-2",
        "south-seed-3",
    ]
    assert study.runs[4].parameters == {"value": 2.5, "label": "south", "seed": 2}
    # stable: the same spec gives the same ids
    assert [r.run_id for r in load_studies(spec)[0].runs] == [r.run_id for r in study.runs]


def test_multi_study_file_with_runs_lists(workspace):
    spec = write_spec(
        workspace,
        """
studies:
  - name: first
    notebook: tiny.ipynb
    runs:
      - {label: corp_rep, options: {segment: serviceprovider, segment_value: 1}}
      - {label: corp_rep}
  - notebook: tiny.ipynb
    parameters: {fail: false}
""",
    )
    first, second = load_studies(spec)
    assert first.name == "first" and second.name == "tiny"
    ids = [run.run_id for run in first.runs]
    assert ids[1] == "corp_rep"
    assert ids[0].startswith("corp_rep-options-") and len(set(ids)) == 2
    assert [run.run_id for run in second.runs] == ["default"]
    assert second.runs[0].parameters == {"fail": False}


def test_colliding_readable_ids_get_a_stable_hash_suffix(workspace):
    spec = write_spec(workspace, "notebook: tiny.ipynb\nruns:\n  - {label: 'a b'}\n  - {label: 'a-b'}\n")
    ids = [run.run_id for run in load_studies(spec)[0].runs]
    assert len(set(ids)) == 2 and all(i.startswith("a-b-") for i in ids)
    assert ids == [run.run_id for run in load_studies(spec)[0].runs]


def test_notebook_parameters_reads_the_tagged_cell_without_evaluating(workspace):
    declared = notebook_parameters(workspace / "tiny.ipynb")
    assert declared == {
        "label": "a",
        "value": 1.0,
        "fail": False,
        "busy_seconds": 0.0,
        "options": None,
        "seed": 0,
        "dataset": None,
        "schema": None,
    }


@pytest.mark.parametrize(
    ("spec", "fragments"),
    [
        ("notebook: missing.ipynb\n", ["study 'missing'", "key 'notebook'", "missing.ipynb"]),
        (
            "notebook: tiny.ipynb\nparameters: {lable: x}\n",
            ["study 'tiny', all runs", "key 'lable'", "valid parameters: label, value"],
        ),
        (
            "notebook: tiny.ipynb\ngrid: {label: [a, b], colour: [red]}\n",
            ["run 'a-red'", "key 'colour'", "not a parameter of tiny.ipynb"],
        ),
        ("notebook: tiny.ipynb\nruns:\n  - {value: high}\n", ["run 'high'", "key 'value'", "must be a number"]),
        ("notebook: tiny.ipynb\nruns:\n  - {seed: 1.5}\n", ["key 'seed'", "must be an int"]),
        ("notebook: tiny.ipynb\nruns:\n  - {fail: 'yes'}\n", ["key 'fail'", "must be a bool"]),
        ("notebook: tiny.ipynb\nruns:\n  - {seed: true}\n", ["key 'seed'", "must be an int"]),
        ("notebook: tiny.ipynb\nruns:\n  - {label: 2024-01-31}\n", ["key 'label'", "date", "quote it"]),
        ("notebook: tiny.ipynb\nruns:\n  - {label: a}\n  - {label: a}\n", ["duplicate run id 'a'", "runs 1 and 2"]),
        ("notebook: tiny.ipynb\ngrid: {label: [a]}\nruns: [{label: b}]\n", ["either 'grid' or 'runs'"]),
        ("notebook: tiny.ipynb\nparameter: {label: a}\n", ["unknown key 'parameter'", "valid keys"]),
        ("studies:\n  - {notebook: tiny.ipynb}\n  - {notebook: tiny.ipynb}\n", ["study 'tiny' appears twice"]),
        ("notebook: tiny.ipynb\nruns: [{label: !!python/object/apply:os.getcwd []}]\n", ["not valid YAML"]),
        ("notebook: [tiny.ipynb\n", ["not valid YAML"]),
    ],
)
def test_invalid_specs_raise_study_error_naming_file_run_and_key(workspace, spec, fragments):
    path = write_spec(workspace, spec)
    with pytest.raises(StudyError) as raised:
        load_studies(path)
    message = str(raised.value)
    assert str(path) in message
    for fragment in fragments:
        assert fragment in message, message


def test_none_default_accepts_anything_and_int_is_accepted_for_float(workspace):
    spec = write_spec(
        workspace, "notebook: tiny.ipynb\nruns:\n  - {options: [1, x], value: 3}\n  - {options: {a: 1}, value: 3.5}\n"
    )
    runs = load_studies(spec)[0].runs
    assert [r.parameters["options"] for r in runs] == [[1, "x"], {"a": 1}]


def test_missing_parameters_cell_is_reported(workspace):
    node = nbformat.read(workspace / "tiny.ipynb", as_version=4)
    node.cells[1].metadata["tags"] = []
    nbformat.write(node, workspace / "untagged.ipynb")
    with pytest.raises(StudyError, match="no code cell tagged 'parameters'"):
        load_studies(write_spec(workspace, "notebook: untagged.ipynb\n"))


def test_only_patterns_and_no_match(workspace):
    from csat_analysis.runner import select_runs

    studies = load_studies(write_spec(workspace, "notebook: tiny.ipynb\ngrid: {label: [a, b, c]}\n"))
    assert [r.run_id for r in select_runs(studies, ["tiny/b"])] == ["b"]
    assert [r.run_id for r in select_runs(studies, ["[ac]"])] == ["a", "c"]
    with pytest.raises(StudyError, match="matches none of the 3 runs"):
        select_runs(studies, ["zzz"])


# --------------------------------------------------------------------------- execution


def read_csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []
        self.rows = 0
        self._in_body = False

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs.append(dict(attrs)["href"])
        if tag == "tbody":
            self._in_body = True
        if tag == "tr" and self._in_body and "run" in (dict(attrs).get("class") or "").split():
            self.rows += 1  # a run's row (study rows head each study's runs)


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """One real batch: two good runs and a failing one, executed by 2 local workers."""
    folder = tmp_path_factory.mktemp("batch")
    shutil.copy(NOTEBOOK, folder / "tiny.ipynb")
    spec = write_spec(
        folder,
        """
notebook: tiny.ipynb
parameters: {value: 1.5}
runs:
  - {label: north}
  - {label: "<b>south & co</b>", value: 4}
  - {label: broken, fail: true}
""",
    )
    studies = load_studies(spec)
    result = run_batch(studies, folder / "reports", workers=2, progress=False)
    return folder, spec, result


@pytest.mark.slow
def test_failing_run_does_not_stop_the_others(batch):
    folder, _spec, result = batch
    assert [(o.run.run_id, o.status) for o in result.outcomes] == [
        ("north", "ok"),
        ("b-south-co-b-value-4", "ok"),
        ("broken-fail-true", "failed"),
    ]
    assert "RuntimeError: asked to fail for label 'broken'" in result.failed[0].error
    reports = folder / "reports" / "tiny"
    for run_id, value in [("north", 1.5), ("b-south-co-b-value-4", 4)]:
        results = json.loads((reports / run_id / "results.json").read_text())
        assert results["doubled"] == 2 * value
        assert results["interval"] == {"value": value, "low": value - 1, "high": value + 1}
        record = json.loads((reports / run_id / "run.json").read_text())
        assert record["status"] == "ok" and record["duration"] > 0
    failed = reports / "broken-fail-true.failed"
    assert not (reports / "broken-fail-true").exists()
    assert "asked to fail" in (failed / "error.txt").read_text()
    executed = nbformat.read(failed / "notebook.ipynb", as_version=4)
    errors = [
        o
        for cell in executed.cells
        if cell.cell_type == "code"
        for o in cell.get("outputs", [])
        if o.output_type == "error"
    ]
    assert errors and errors[0].ename == "RuntimeError"
    # nothing half-written is left behind
    assert not [p for p in reports.iterdir() if p.name.startswith(".")]


@pytest.mark.slow
def test_results_csv_is_long_form_with_parameters(batch):
    folder, _spec, _result = batch
    rows = read_csv_rows(folder / "reports" / "results.csv")
    assert list(rows[0]) == ["study", "run", "label", "param_value", "name", "value"]
    assert {row["name"] for row in rows} >= {"doubled", "interval.high", "label", "notes"}
    by_key = {(row["run"], row["name"]): row for row in rows}
    assert by_key[("north", "doubled")]["value"] == "3.0"
    assert by_key[("b-south-co-b-value-4", "interval.high")]["value"] == "5"
    assert by_key[("b-south-co-b-value-4", "label")]["label"] == "<b>south & co</b>"
    assert by_key[("north", "doubled")]["param_value"] == "1.5"
    assert {row["run"] for row in rows} == {"north", "b-south-co-b-value-4"}  # the failed run recorded nothing


@pytest.mark.slow
def test_report_html_embeds_its_figure_and_has_a_table_of_contents(batch, tmp_path):
    folder, _spec, _result = batch
    page = (folder / "reports" / "tiny" / "north" / "report.html").read_text()
    assert os.environ.get("MPLBACKEND") == "Agg"  # conftest: the kernel must not inherit it
    assert len(re.findall(r'<img alt="[^"]*" class="" src="data:image/png;base64,', page)) == 1  # the figure
    assert '<nav class="csat-toc"' in page and 'href="#Figure"' in page
    assert "RESULTS_MIME" not in page  # a reader's report: no code by default
    assert '<a href="notebook.ipynb">notebook.ipynb</a>' in page  # the code stays one click away
    shown = export_html(
        folder / "reports" / "tiny" / "north" / "notebook.ipynb", tmp_path / "with-code.html", show_code=True
    ).read_text()
    assert "RESULTS_MIME" in shown and "data:image/png;base64," in shown
    # the deprecated spelling still works: no_input=False is show_code=True
    legacy = export_html(
        folder / "reports" / "tiny" / "north" / "notebook.ipynb", tmp_path / "legacy.html", no_input=False
    ).read_text()
    assert "RESULTS_MIME" in legacy


@pytest.mark.slow
def test_index_escapes_every_string(batch):
    folder, _spec, _result = batch
    page = (folder / "reports" / "index.html").read_text()
    assert "<b>south" not in page
    assert "&lt;b&gt;south &amp; co&lt;/b&gt;" in page
    assert "asked to fail for label &#x27;broken&#x27;" in page


def chromium_or_skip() -> str:
    path = shutil.which("chromium")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is missing in CI: .ci/run installs Debian's chromium package")
        pytest.skip("chromium not installed (apt-get install chromium)")
    return path


@pytest.mark.slow
def test_index_renders_in_headless_chromium_with_every_link_resolving(batch, tmp_path):
    folder, _spec, _result = batch
    index = folder / "reports" / "index.html"
    command = [
        chromium_or_skip(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'chromium'}",
        "--dump-dom",
        index.as_uri(),
    ]
    dom = subprocess.run(command, capture_output=True, text=True, timeout=120, check=True).stdout
    parser = _Links()
    parser.feed(dom)
    assert parser.rows == 3
    assert "csat-analysis reports" in dom and "ok" in dom and "failed" in dom
    assert "&lt;b&gt;south &amp; co&lt;/b&gt;" in dom  # rendered as text, not markup
    assert len(parser.hrefs) >= 10
    for href in parser.hrefs:
        target = folder / "reports" / unquote(urlparse(href).path)
        assert target.is_file(), href


@pytest.mark.slow
def test_resume_skips_unchanged_runs_and_force_reruns(workspace):
    spec = write_spec(workspace, "notebook: tiny.ipynb\ngrid: {label: [a, b]}\n")
    reports = workspace / "reports"
    studies = load_studies(spec)
    first = run_batch(studies, reports, workers=2, progress=False)
    assert [o.status for o in first.outcomes] == ["ok", "ok"]
    stamps = {r.run_id: (reports / "tiny" / r.run_id / "run.json").read_text() for r in studies[0].runs}

    again = run_batch(load_studies(spec), reports, workers=2, progress=False)
    assert [o.status for o in again.outcomes] == ["skipped", "skipped"]
    assert stamps == {k: (reports / "tiny" / k / "run.json").read_text() for k in stamps}
    assert "ok (up to date)" in again.index.read_text()

    forced = run_batch(load_studies(spec), reports, workers=2, force=True, only=["tiny/a"], progress=False)
    assert [(o.run.run_id, o.status) for o in forced.outcomes] == [("a", "ok")]
    assert (reports / "tiny" / "a" / "run.json").read_text() != stamps["a"]

    # editing the notebook changes its fingerprint: the runs execute again
    node = nbformat.read(workspace / "tiny.ipynb", as_version=4)
    node.cells.append(nbformat.v4.new_markdown_cell("An added note."))
    nbformat.write(node, workspace / "tiny.ipynb")
    assert {run_state(r, reports) for r in load_studies(spec)[0].runs} == {"changed"}
    changed = run_batch(load_studies(spec), reports, workers=2, progress=False)
    assert [o.status for o in changed.outcomes] == ["ok", "ok"]


@pytest.mark.slow
def test_failure_keeps_the_earlier_good_report(workspace):
    spec = write_spec(workspace, "notebook: tiny.ipynb\nruns: [{label: kept}]\n")
    reports = workspace / "reports"
    run_batch(load_studies(spec), reports, workers=1, progress=False)
    good = (reports / "tiny" / "kept" / "run.json").read_text()

    # same run id, but the notebook now breaks
    node = nbformat.read(workspace / "tiny.ipynb", as_version=4)
    original = node.cells[2].source
    node.cells[2].source = original + "\nraise ValueError('broken on purpose')"
    nbformat.write(node, workspace / "tiny.ipynb")
    broken = run_batch(load_studies(spec), reports, workers=1, progress=False)
    assert broken.failed and "broken on purpose" in broken.failed[0].error
    assert (reports / "tiny" / "kept" / "run.json").read_text() == good
    assert (reports / "tiny" / "kept" / "report.html").is_file()
    assert (reports / "tiny" / "kept.failed" / "error.txt").is_file()
    page = broken.index.read_text()
    assert "last good report" in page and "broken on purpose" in page
    assert run_state(load_studies(spec)[0].runs[0], reports) == "failed"

    node.cells[2].source = original
    nbformat.write(node, workspace / "tiny.ipynb")
    fixed = run_batch(load_studies(spec), reports, workers=1, progress=False)
    assert [o.status for o in fixed.outcomes] == ["ok"]
    assert not (reports / "tiny" / "kept.failed").exists()


def test_leftovers_of_an_interrupted_batch_are_ignored(workspace):
    """A run interrupted mid-way leaves only a dot-folder, which index and resume ignore."""
    reports = workspace / "reports"
    good = reports / "tiny" / "a"
    good.mkdir(parents=True)
    run = load_studies(write_spec(workspace, "notebook: tiny.ipynb\nruns: [{label: a}]\n"))[0].runs[0]
    from csat_analysis.runner import fingerprint

    (good / "run.json").write_text(
        json.dumps({"status": "ok", "fingerprint": fingerprint(run), "parameters": run.parameters, "duration": 1.0})
    )
    (good / "results.json").write_text(json.dumps({"doubled": 2.0}))
    half = reports / "tiny" / ".a.tmp-999-deadbeef"
    half.mkdir()
    (half / "run.json").write_text(json.dumps({"status": "failed", "parameters": {}}))
    assert run_state(run, reports) == "done"
    page = write_index(reports).read_text()
    assert page.count('<tr class="run"') == 1  # the good run only
    assert "Doubled: 2.00" in page


@pytest.mark.slow
def test_execute_run_records_a_failure_without_raising(workspace):
    task = {
        "study": "tiny",
        "run": "x",
        "notebook": str(workspace / "tiny.ipynb"),
        "parameters": {"fail": True},
        "fingerprint": "f",
        "no_input": False,
        "timeout": None,
        "reports_dir": str(workspace / "reports"),
    }
    record = execute_run(task)
    assert record["status"] == "failed" and record["error"].startswith("RuntimeError")


@pytest.mark.slow
def test_runs_on_a_loopback_dask_cluster(workspace):
    distributed = pytest.importorskip("distributed")
    spec = write_spec(workspace, "notebook: tiny.ipynb\nruns: [{label: dask}, {label: bad, fail: true}]\n")
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as cluster:
        result = run_batch(
            load_studies(spec), workspace / "reports", scheduler=cluster.scheduler_address, progress=False
        )
    assert [(o.run.run_id, o.status) for o in result.outcomes] == [("dask", "ok"), ("bad-fail-true", "failed")]
    results = json.loads((workspace / "reports" / "tiny" / "dask" / "results.json").read_text())
    assert results["label"] == "dask"
    record = json.loads((workspace / "reports" / "tiny" / "dask" / "run.json").read_text())
    assert record["fingerprint"] and record["status"] == "ok"


def test_unreachable_scheduler_is_a_clear_error(workspace):
    pytest.importorskip("distributed")
    from csat_analysis import CsatError

    spec = write_spec(workspace, "notebook: tiny.ipynb\nruns: [{label: x}]\n")
    with pytest.raises(CsatError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:9"):
        run_batch(load_studies(spec), workspace / "reports", scheduler="tcp://127.0.0.1:9", progress=False)


def test_headline_puts_named_results_first_and_joins_interval_bounds():
    from csat_analysis.runner import _headline

    results = {
        "n": 250,
        "spearman": 0.5,
        "index": 72.5,
        "index_low": 70.75,
        "index_high": 74.25,
        "nps": {"value": 12.0, "low": 4.0, "high": 20.0},
        "table": {"a": 1},
    }
    # formatted once, by csat_analysis.formatting: display names, fixed decimals, thousands
    assert _headline(results, ["index", "nps"]) == [
        "Index: 72.50 [70.75, 74.25]",
        "NPS: 12.00 [4.00, 20.00]",
        "N: 250",
        "Spearman: 0.50",
    ]
    assert _headline(results)[:2] == ["N: 250", "Spearman: 0.50"]
    # a named headline shows whatever it holds: an empty finding reads "none"; unnamed
    # labels and tables stay out; shares are percentages; an estimate shows its verdict
    results = {
        "short_stave": [],
        "label": "north",
        "churn_rate": 0.1471,
        "table": [{"a": 1}],
        "recovery_paradox": {"value": 0.031, "low": -0.02, "high": 0.082, "kind": "points", "verdict": "inconclusive"},
    }
    assert _headline(results, ["short_stave", "recovery_paradox"]) == [
        "Short stave: none",
        "Recovery paradox: +3.1 pp [-2.0 pp, +8.2 pp] (inconclusive)",
        "Churn rate: 14.7%",
    ]


def test_headline_key_must_be_a_list_of_names(tmp_path):
    notebook = Path(__file__).parent / "notebooks" / "record_and_plot.ipynb"
    spec = tmp_path / "study.yaml"
    spec.write_text(f"notebook: {notebook}\nheadline: answer\nruns: [{{}}]\n")
    with pytest.raises(StudyError, match="headline"):
        load_studies(spec)


def test_results_mime_matches_the_report_module():
    report = pytest.importorskip("csat_analysis.report")
    assert getattr(report, "RESULTS_MIME", RESULTS_MIME) == RESULTS_MIME


# --------------------------------------------------------------------------- recorded results


@pytest.mark.slow
def test_results_go_to_metadata_and_results_json_and_leave_the_outputs(batch):
    folder, _spec, _result = batch
    run_dir = folder / "reports" / "tiny" / "north"
    executed = nbformat.read(run_dir / "notebook.ipynb", as_version=4)
    recorded = json.loads((run_dir / "results.json").read_text())
    assert executed.metadata["csat_analysis"]["results"] == recorded
    assert recorded["notes"] == ["no data file given (dataset=None): the row count is skipped"]
    outputs = [o for cell in executed.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if RESULTS_MIME in o.get("data", {})]
    assert any("image/png" in o.get("data", {}) for o in outputs)  # other outputs stay
    # the index shows the notes of each good run as a count that opens the list
    page = (folder / "reports" / "index.html").read_text()
    assert page.count("<summary>1 note</summary>") == 2
    assert "the row count is skipped" in page


def test_take_results_merges_in_cell_order_later_names_win():
    node = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell(
                "a",
                outputs=[
                    nbformat.v4.new_output("display_data", {RESULTS_MIME: {"x": 1, "y": 2}, "text/plain": ""}),
                    nbformat.v4.new_output("stream", text="kept\n"),
                ],
            ),
            nbformat.v4.new_markdown_cell("text"),
            nbformat.v4.new_code_cell(
                "b",
                outputs=[nbformat.v4.new_output("display_data", {RESULTS_MIME: {"y": 3, "z": [1]}, "text/plain": ""})],
            ),
        ]
    )
    assert runner._take_results(node) == {"x": 1, "y": 3, "z": [1]}
    assert [len(cell.get("outputs", [])) for cell in node.cells] == [1, 0, 0]


# --------------------------------------------------------------------------- specs: paths, sizes, YAML


def test_paths_in_a_spec_are_relative_to_the_spec_and_checked_before_running(workspace):
    (workspace / "data").mkdir()
    (workspace / "data" / "survey.csv").write_text("x\n1\n")
    (workspace / "studies").mkdir()
    shutil.move(workspace / "tiny.ipynb", workspace / "studies" / "tiny.ipynb")
    spec = write_spec(
        workspace / "studies",
        "notebook: tiny.ipynb\nruns:\n  - {dataset: ../data/survey.csv}\n"
        "  - {dataset: mobi}\n  - {dataset: simulated}\n",
    )
    runs = load_studies(spec)[0].runs
    assert runs[0].parameters["dataset"] == str(workspace / "data" / "survey.csv")
    assert [run.parameters["dataset"] for run in runs[1:]] == ["mobi", "simulated"]
    missing = write_spec(
        workspace / "studies", "notebook: tiny.ipynb\nruns: [{dataset: ../data/nope.csv}]\n", "missing.yaml"
    )
    with pytest.raises(StudyError) as raised:
        load_studies(missing)
    message = str(raised.value)
    for fragment in [
        "key 'dataset'",
        "../data/nope.csv",
        str(workspace / "data" / "nope.csv"),
        "relative to",
        "not a bundled data set either (mobi, corp_rep",
    ]:
        assert fragment in message, message
    with pytest.raises(StudyError, match="key 'schema': no file 'schema.yaml'"):
        load_studies(
            write_spec(
                workspace / "studies", "notebook: tiny.ipynb\nparameters: {schema: schema.yaml}\n", "schema.yaml.spec"
            )
        )
    # any other parameter naming an existing file is made absolute too
    label = (
        load_studies(
            write_spec(
                workspace / "studies", "notebook: tiny.ipynb\nruns: [{label: ../data/survey.csv}]\n", "label.yaml"
            )
        )[0]
        .runs[0]
        .parameters["label"]
    )
    assert label == str(workspace / "data" / "survey.csv")
    (workspace / "studies" / "north").write_text("")
    plain = (
        load_studies(write_spec(workspace / "studies", "notebook: tiny.ipynb\nruns: [{label: north}]\n", "plain.yaml"))[
            0
        ]
        .runs[0]
        .parameters["label"]
    )
    assert plain == "north"  # a word is not taken for a file name


def test_null_is_accepted_where_the_default_is_none(workspace):
    runs = load_studies(
        write_spec(workspace, "notebook: tiny.ipynb\nparameters: {schema: null}\ngrid: {options: [null, 2]}\n")
    )[0].runs
    assert [run.parameters["options"] for run in runs] == [None, 2]
    with pytest.raises(StudyError, match="key 'label' must be a string"):
        load_studies(write_spec(workspace, "notebook: tiny.ipynb\nruns: [{label: null}]\n"))


@pytest.mark.parametrize("key", ["results_path", "output_path", "report_file", "output"])
def test_output_locations_outside_the_run_folder_are_refused(workspace, key):
    path = write_spec(workspace, f"notebook: tiny.ipynb\nruns: [{{{key}: /tmp/victim.txt}}]\n")
    with pytest.raises(StudyError, match=f"key '{key}': the runner writes every output inside the run's own folder"):
        load_studies(path)


def test_run_ids_never_end_in_the_failed_suffix(workspace):
    runs = load_studies(
        write_spec(workspace, "notebook: tiny.ipynb\nruns: [{label: x.failed}, {label: x}, {label: y.FAILED}]\n")
    )[0].runs
    assert [run.run_id for run in runs] == ["x-failed", "x", "y-FAILED"]


def run_with_deadline(function, seconds: float = 60.0):
    """Run ``function`` in a thread; fail the test (instead of hanging) past ``seconds``."""
    box = {}

    def target():
        try:
            box["value"] = function()
        except BaseException as exc:  # noqa: BLE001 - re-raised below
            box["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still running after {seconds} s"
    if "error" in box:
        raise box["error"]
    return box.get("value")


ALIAS_BOMB = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
notebook: tiny.ipynb
runs: [{options: *i}]
"""


def test_a_yaml_alias_bomb_is_refused_at_once(workspace):
    path = write_spec(workspace, ALIAS_BOMB)
    assert path.stat().st_size < 700
    with pytest.raises(StudyError, match="expands to more than 100,000 values"):
        run_with_deadline(lambda: load_studies(path), 30)


def test_recursive_aliases_and_large_spec_files_are_refused(workspace, tmp_path):
    with pytest.raises(CsatError, match="refers to the collection that contains it"):
        safe_yaml_load("a: &a [1, *a]\n")
    big = write_spec(workspace, "notebook: tiny.ipynb\n# " + "x" * 1_100_000 + "\n")
    with pytest.raises(StudyError, match=r"has 1,100,\d{3} bytes; the limit is 1,000,000"):
        load_studies(big)
    assert safe_yaml_load(tmp_path / "missing.yaml" if False else "x: 1", max_bytes=10) == {"x": 1}
    with pytest.raises(CsatError, match="the limit is 10"):
        safe_yaml_load("x: 1234567890", max_bytes=10)


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("[" + ", ".join(["0"] * 20_000) + "]", "more than 10,000 items"),
        ("'" + "x" * 150_000 + "'", "characters long as JSON; the limit is 100,000"),
    ],
)
def test_parameter_sizes_are_capped(workspace, value, fragment):
    path = write_spec(workspace, f"notebook: tiny.ipynb\nruns: [{{options: {value}}}]\n")
    with pytest.raises(StudyError, match=fragment):
        run_with_deadline(lambda: load_studies(path), 60)


def test_aliases_cannot_smuggle_a_huge_parameter(workspace):
    hundred = "[" + ", ".join(["0"] * 100) + "]"
    path = write_spec(
        workspace, f"base: &x {hundred}\nnotebook: tiny.ipynb\nruns: [{{options: [{', '.join(['*x'] * 150)}]}}]\n"
    )
    with pytest.raises(StudyError, match="unknown key 'base'"):
        load_studies(path)  # the spec is read whole; the parameter cap holds too:
    path = write_spec(
        workspace,
        f"notebook: tiny.ipynb\nruns: [{{options: &x {hundred}}}, {{options: [{', '.join(['*x'] * 150)}]}}]\n",
    )
    with pytest.raises(StudyError, match="more than 10,000 items"):
        load_studies(path)


def test_a_grid_is_capped_in_runs(workspace):
    values = "[" + ", ".join(str(i) for i in range(101)) + "]"
    path = write_spec(workspace, f"notebook: tiny.ipynb\ngrid: {{seed: {values}, value: {values}}}\n")
    with pytest.raises(StudyError, match="expands to 10,201 runs; the limit is 10,000"):
        load_studies(path)


# --------------------------------------------------------------------------- one place for escaping


def test_sanitize_html_keeps_tables_and_drops_active_content():
    table = (
        '<style type="text/css">#T_1 td {color: red}</style><table id="T_1"><caption>Churn &amp; co'
        '</caption><tr><th class="col_heading">a</th><td colspan="2">1</td></tr></table>'
    )
    assert sanitize_html(table) == table
    hostile = (
        '<img src=x onerror="alert(1)"><a href="javascript:alert(2)">x</a><script>alert(3)</script>'
        '<iframe src="http://e"></iframe><svg onload="alert(4)"><circle/></svg>'
        '<div style="background:url(javascript:alert(5))" onclick=alert(6)>t</div>'
        '<a href="https://example.org/?a=1&amp;b=2" title="&quot;q&quot;">ok</a>'
        '<img src="data:image/png;base64,AAAA"><img src="data:text/html;base64,AAAA">'
    )
    clean = sanitize_html(hostile)
    assert "alert" not in clean and "javascript" not in clean.lower() and "<script" not in clean
    assert '<img src="x">' in clean and "<div>t</div>" in clean
    assert '<a href="https://example.org/?a=1&amp;b=2" title="&quot;q&quot;">ok</a>' in clean
    assert '<img src="data:image/png;base64,AAAA">' in clean and "data:text/html" not in clean
    assert sanitize_html("1 < 2 &amp; 3 > 2") == "1 &lt; 2 &amp; 3 &gt; 2"


def test_markdown_with_backticks_and_html_renders_inert():
    column = "a` <img src=y onerror=alert(12)> `b"
    rendered = markdown_to_safe_html(f"columns: `{column}`, **bold**")
    assert "onerror" not in rendered and "<strong>bold</strong>" in rendered
    literal = markdown_to_safe_html(escape_markdown(column + " *not emphasis* [x](javascript:y)"))
    assert "&lt;img src=y onerror=alert(12)&gt;" in literal
    assert "<em>" not in literal and "<a" not in literal


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+1+2", "'+1+2"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("-0.25", "-0.25"),
        ("+3", "+3"),
        ("-1e-05", "-1e-05"),
        ("north", "north"),
        ("", ""),
        (None, ""),
        (-3, "-3"),
    ],
)
def test_csv_cells_never_start_a_formula(value, expected):
    assert csv_cell(value) == expected


# --------------------------------------------------------------------------- fingerprint and staleness


def fake_good_report(reports: Path, run, **changes) -> None:
    """A run folder as a successful run leaves it, without executing the notebook."""
    inputs = run_inputs(run)
    folder = reports / run.study / run.run_id
    folder.mkdir(parents=True)
    record = {
        "status": "ok",
        "fingerprint": runner.fingerprint(run, inputs=inputs),
        "inputs": inputs,
        "parameters": run.parameters,
        "duration": 1.0,
        **changes,
    }
    (folder / "run.json").write_text(json.dumps(record))
    (folder / "results.json").write_text(json.dumps({"doubled": 2.0}))


def test_package_source_and_dependency_versions_are_part_of_the_fingerprint(workspace, monkeypatch, tmp_path):
    package = Path(runner.__file__).parent
    copy = tmp_path / "csat_analysis"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__"))
    assert runner._package_digest(copy) == runner._package_digest(package)
    with (copy / "loyalty.py").open("a") as handle:
        handle.write("\n# an edit\n")
    runner._package_digest.cache_clear()
    assert runner._package_digest(copy) != runner._package_digest(package)

    run = load_studies(write_spec(workspace, "notebook: tiny.ipynb\nruns: [{label: a}]\n"))[0].runs[0]
    reports = workspace / "reports"
    fake_good_report(reports, run)
    assert explain_state(run, reports).state == "done"
    monkeypatch.setattr(runner, "_package_digest", lambda: "edited")
    assert explain_state(run, reports).reasons == ("the csat_analysis source changed",)
    monkeypatch.undo()
    versions = {**runner._dependency_versions(), "pandas": "99.0"}
    monkeypatch.setattr(runner, "_dependency_versions", lambda: versions)
    state = explain_state(run, reports)
    assert state.state == "changed"
    assert state.reasons[0].startswith("dependencies changed: pandas ") and state.reasons[0].endswith("-> 99.0")


def test_dependency_versions_cover_the_runtime_requirements():
    versions = runner._dependency_versions()
    assert {"numpy", "pandas", "papermill", "nbconvert"} <= {name.lower() for name in versions}
    assert all(version for version in versions.values())


@pytest.fixture
def bundled_copy(tmp_path, monkeypatch):
    """A copy of data/raw that tests may corrupt, used through CSAT_DATA_DIR."""
    copy = tmp_path / "raw"
    shutil.copytree(runner._data_dir(), copy)
    monkeypatch.setenv("CSAT_DATA_DIR", str(copy))
    return copy


def test_an_altered_bundled_file_fails_the_run_even_with_a_report(workspace, bundled_copy, capsys):
    from csat_analysis.cli import main

    spec = write_spec(workspace, "notebook: tiny.ipynb\nruns: [{dataset: mobi}, {dataset: simulated}]\n")
    mobi, simulated = load_studies(spec)[0].runs
    reports = workspace / "reports"
    fake_good_report(reports, mobi)
    fake_good_report(reports, simulated)
    assert {run_state(run, reports) for run in (mobi, simulated)} == {"done"}
    with (bundled_copy / "mobi.csv").open("a") as handle:
        handle.write("1,2,3\n")
    state = explain_state(mobi, reports)
    assert state.state == "changed" and "bundled data set 'mobi'" in state.reasons[0]
    assert "the file was altered" in state.reasons[0]

    assert main(["run", str(spec), "--reports", str(reports), "--quiet"]) == 1  # `make run` fails
    out, err = capsys.readouterr()
    assert "2 runs: 0 ok, 1 failed, 1 up to date (skipped)" in out
    assert "csat: run tiny/mobi failed: bundled data set 'mobi'" in err
    page = (reports / "index.html").read_text()
    assert "This batch: 2 runs: 0 ok, 1 failed, 1 up to date (skipped)." in page
    assert (reports / "tiny" / "mobi.failed" / "error.txt").read_text().startswith("bundled data set 'mobi'")
    assert {row["run"] for row in read_csv_rows(reports / "results.csv")} == {"simulated"}  # no stale results
    assert main(["list", str(spec), "--reports", str(reports)]) == 0
    assert "why: the latest attempt failed: bundled data set 'mobi'" in capsys.readouterr().out


@pytest.mark.slow
def test_changed_input_files_make_a_run_stale_and_it_reruns(workspace):
    data = workspace / "data"
    data.mkdir()
    survey = data / "survey.csv"
    survey.write_text("id,score\n" + "".join(f"{i},{i % 10}\n" for i in range(300)))
    schema = data / "schema.yaml"
    schema.write_text("columns:\n  score: {type: rating}\n")
    (workspace / "studies").mkdir()
    shutil.move(workspace / "tiny.ipynb", workspace / "studies" / "tiny.ipynb")
    spec = write_spec(
        workspace / "studies",
        "notebook: tiny.ipynb\nruns: [{dataset: ../data/survey.csv, schema: ../data/schema.yaml}]\n",
    )
    reports = workspace / "reports"
    first = run_batch(load_studies(spec), reports, workers=1, progress=False)
    assert [o.status for o in first.outcomes] == ["ok"], first.outcomes
    (run,) = load_studies(spec)[0].runs
    folder = reports / "tiny" / run.run_id
    assert json.loads((folder / "results.json").read_text())["n_rows"] == 300
    assert explain_state(run, reports).state == "done"

    survey.write_text("id,score\n" + "".join(f"{i},{i % 10}\n" for i in range(200)))
    state = explain_state(run, reports)
    assert state == runner.RunState("changed", (f"input file {survey} (dataset) changed",))
    schema.write_text("columns:\n  score: {type: rating}\n  id: {type: id}\n")
    assert explain_state(run, reports).reasons[1] == f"input file {schema} (schema) changed"

    second = run_batch(load_studies(spec), reports, workers=1, progress=False)
    assert [o.status for o in second.outcomes] == ["ok"]
    results = json.loads((folder / "results.json").read_text())
    assert results["n_rows"] == 200 and results["schema_lines"] == 3
    assert explain_state(run, reports).state == "done"


# --------------------------------------------------------------------------- failures never hidden


def temporary_folders(study_dir: Path, run_id: str) -> list[Path]:
    return sorted(study_dir.glob(f".{run_id}.tmp-*")) if study_dir.is_dir() else []


def worker_pid(folder: Path) -> int:
    """The pid of the worker writing a temporary run folder ``.<run>.tmp-<pid>-<hex>``."""
    return int(folder.name.rsplit(".tmp-", 1)[1].split("-")[0])


@pytest.mark.slow
def test_a_killed_worker_is_retried_once_then_reported_failed(workspace):
    spec = write_spec(workspace, "notebook: tiny.ipynb\nruns: [{label: victim, busy_seconds: 300}, {label: fine}]\n")
    reports = workspace / "reports"
    study_dir = reports / "tiny"
    killed: list[int] = []
    done = threading.Event()

    def kill_the_victim_twice():
        while not done.is_set() and len(killed) < 2:
            for folder in temporary_folders(study_dir, "victim-busy_seconds-300"):
                pid = worker_pid(folder)
                # the second time, only once the innocent run is safely published
                if pid not in killed and (not killed or (study_dir / "fine" / "run.json").exists()):
                    os.kill(pid, signal.SIGKILL)  # as the out-of-memory killer would
                    killed.append(pid)
            time.sleep(0.2)

    killer = threading.Thread(target=kill_the_victim_twice)
    killer.start()
    try:
        result = run_batch(load_studies(spec), reports, workers=2, progress=False)
    finally:
        done.set()
        killer.join()
    assert len(killed) == 2
    outcomes = {o.run.run_id: o for o in result.outcomes}
    assert outcomes["fine"].status == "ok"  # lost with the first pool, done in the fresh one
    victim = outcomes["victim-busy_seconds-300"]
    assert victim.status == "failed" and "worker process" in victim.error and "fresh one" in victim.error
    page = result.index.read_text()
    assert "This batch: 2 runs: 1 ok, 1 failed, 0 up to date (skipped)." in page
    assert "worker process executing this run died" in page
    assert "worker process" in (study_dir / "victim-busy_seconds-300.failed" / "error.txt").read_text()
    assert not [p for p in study_dir.iterdir() if p.name.startswith(".")]  # no leftovers


@pytest.mark.slow
def test_killing_csat_stops_its_workers_and_their_kernels(workspace):
    psutil = pytest.importorskip("psutil")
    if not sys.platform.startswith("linux"):
        pytest.skip("parent-death signal is Linux only (elsewhere a polling thread, slower)")
    write_spec(workspace, "notebook: tiny.ipynb\nruns: [{label: long, busy_seconds: 300}]\n")
    command = subprocess.Popen(
        [sys.executable, "-m", "csat_analysis", "run", "study.yaml", "--quiet"],
        cwd=workspace,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    study_dir = workspace / "reports" / "tiny"
    try:
        deadline = time.monotonic() + 120
        worker = kernel = None
        while time.monotonic() < deadline and kernel is None:
            folders = temporary_folders(study_dir, "long-busy_seconds-300")
            if folders:
                worker = psutil.Process(worker_pid(folders[0]))
                children = worker.children()
                kernel = children[0] if children else None
            time.sleep(0.2)
        assert kernel is not None, "the run never started its kernel"
    finally:
        command.kill()  # kill -9: no chance to clean up
        command.wait()

    def gone(process) -> bool:
        try:
            return process.status() == psutil.STATUS_ZOMBIE
        except psutil.NoSuchProcess:
            return True

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not (gone(worker) and gone(kernel)):
        time.sleep(0.2)
    assert gone(worker) and gone(kernel)
    assert not (study_dir / "long-busy_seconds-300").exists()


@pytest.mark.slow
def test_a_full_disk_fails_the_runs_and_the_index_agrees_with_the_command(workspace):
    import resource

    write_spec(workspace, "notebook: tiny.ipynb\ngrid: {label: [a, b]}\n")

    def small_files_only():  # as a full disk: writes past 150 kB fail (reports are ~300 kB)
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (150_000, 150_000))

    ran = subprocess.run(
        [sys.executable, "-m", "csat_analysis", "run", "study.yaml", "--quiet", "--workers", "2"],
        cwd=workspace,
        capture_output=True,
        text=True,
        timeout=600,
        preexec_fn=small_files_only,
    )
    assert ran.returncode == 1, ran.stderr
    assert "2 runs: 0 ok, 2 failed, 0 up to date (skipped)" in ran.stdout
    assert ran.stderr.count("could not write the report: File too large") == 2
    page = (workspace / "reports" / "index.html").read_text()
    assert "This batch: 2 runs: 0 ok, 2 failed, 0 up to date (skipped)." in page
    assert page.count("could not write the report: File too large") == 2


@pytest.mark.slow
def test_a_write_error_while_publishing_is_a_failed_run_not_a_crash(workspace, monkeypatch):
    def no_space(_temporary, final):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(final))

    monkeypatch.setattr(runner, "_publish", no_space)
    task = {
        "study": "tiny",
        "run": "x",
        "notebook": str(workspace / "tiny.ipynb"),
        "parameters": {},
        "fingerprint": "f",
        "no_input": False,
        "timeout": None,
        "reports_dir": str(workspace / "reports"),
    }
    record = execute_run(task)
    assert record["status"] == "failed"
    assert record["error"].startswith("could not write the run folder: No space left on device")
    assert not [p for p in (workspace / "reports" / "tiny").iterdir()]  # the temporary folder is gone


def test_an_index_write_error_is_reported_and_fails_the_command(workspace, bundled_copy, monkeypatch, capsys):
    from csat_analysis.cli import main

    spec = write_spec(workspace, "notebook: tiny.ipynb\nruns: [{dataset: simulated}]\n")
    fake_good_report(workspace / "reports", load_studies(spec)[0].runs[0])

    def full_disk(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(workspace / "reports" / "index.html"))

    monkeypatch.setattr(runner, "write_index", full_disk)
    assert main(["run", str(spec), "--reports", str(workspace / "reports"), "--quiet"]) == 1
    out, err = capsys.readouterr()
    assert "could not write the index: No space left on device" in err
    assert "1 runs: 0 ok, 0 failed, 1 up to date (skipped)" in out and "the index was not updated" in out


# --------------------------------------------------------------------------- concurrency


def test_a_second_batch_on_a_locked_reports_folder_exits_with_a_clear_message(workspace, capsys):
    import fcntl

    from csat_analysis.cli import main

    spec = write_spec(workspace, "notebook: tiny.ipynb\nruns: [{label: a}]\n")
    reports = workspace / "reports"
    reports.mkdir()
    with (reports / ".lock").open("a+") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        held.write("pid 4242 on elsewhere since earlier\n")
        held.flush()
        with pytest.raises(ReportsBusyError, match="another csat run is using the reports folder .*pid 4242"):
            run_batch(load_studies(spec), reports, progress=False)
        assert main(["run", str(spec), "--reports", str(reports), "--quiet"]) == 3
        assert "wait until it finishes, or give this batch its own --reports folder" in capsys.readouterr().err
    assert not (reports / "tiny").exists()  # nothing executed


def _publish_many(folder: str, worker: int, count: int) -> int:
    """Publish ``count`` complete run folders to one place; return how many publishes raised."""
    failures = 0
    for attempt in range(count):
        temporary = Path(folder) / f".run.tmp-{worker}-{attempt}"
        temporary.mkdir()
        (temporary / "run.json").write_text(json.dumps({"worker": worker, "attempt": attempt}))
        try:
            runner._publish(temporary, Path(folder) / "run")
        except OSError:
            failures += 1
            shutil.rmtree(temporary, ignore_errors=True)
    return failures


def test_publishing_is_atomic_under_concurrency(tmp_path):
    context = multiprocessing.get_context("spawn")
    with context.Pool(4) as pool:
        failures = pool.starmap(_publish_many, [(str(tmp_path), worker, 300) for worker in range(4)])
    assert failures == [0, 0, 0, 0]
    assert json.loads((tmp_path / "run" / "run.json").read_text())["attempt"] == 299
    assert [p.name for p in tmp_path.iterdir()] == ["run"]  # every replaced folder was removed


# --------------------------------------------------------------------------- scheduler address


@pytest.mark.parametrize(
    ("address", "fragment"),
    [
        ("scheduler-host:8786", "must be tcp://HOST:PORT or tls://HOST:PORT"),
        ("http://scheduler-host:8786", "scheme 'http' is not supported"),
        ("tcp://scheduler-host", "must be tcp://HOST:PORT"),
        ("tcp://scheduler-host:99999", "port 99999 is outside 1-65535"),
        ("tcp://:8786", "must be tcp://HOST:PORT"),
        ("tcp://host name:8786", "must be tcp://HOST:PORT"),
    ],
)
def test_scheduler_addresses_are_validated(workspace, address, fragment):
    spec = write_spec(workspace, "notebook: tiny.ipynb\nruns: [{label: x}]\n")
    with pytest.raises(CsatError, match=fragment):
        run_batch(load_studies(spec), workspace / "reports", scheduler=address, progress=False)
    assert not (workspace / "reports").exists()


@pytest.fixture
def silent_server():
    """A TCP port on 127.0.0.1 that accepts connections and never says a word."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    accepted = []
    stop = threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1], accepted
    stop.set()
    thread.join()
    for connection in accepted:
        connection.close()
    server.close()


@pytest.mark.parametrize("scheme", ["tcp", "tls"])
def test_a_scheduler_that_never_answers_is_a_bounded_clear_error(workspace, silent_server, scheme):
    pytest.importorskip("distributed")
    port, accepted = silent_server
    spec = write_spec(workspace, "notebook: tiny.ipynb\nruns: [{label: x}]\n")
    address = f"{scheme}://127.0.0.1:{port}"
    with pytest.raises(CsatError) as raised:
        run_with_deadline(
            lambda: run_batch(
                load_studies(spec), workspace / "reports", scheduler=address, progress=False, scheduler_timeout=1.0
            ),
            60,
        )
    message = str(raised.value)
    assert address in message
    if scheme == "tcp":
        assert "sent no Dask handshake within 1 s" in message and accepted
    else:
        assert "tls:// needs certificates in Dask's configuration" in message


# --------------------------------------------------------------------------- foreign HTML


class _ActiveContent(HTMLParser):
    """Every event-handler attribute, script body and javascript: URL on a page."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self._in_script = tag == "script"
        for name, value in attrs:
            if name.startswith("on") or "javascript:" in (value or "").lower():
                self.found.append(f"<{tag} {name}={value}>")

    def handle_data(self, data):
        if self._in_script and "alert(" in data:
            self.found.append(f"script: {data[:80]}")

    def handle_endtag(self, tag):
        self._in_script = False


@pytest.mark.slow
def test_hostile_file_and_column_names_and_formula_values_stay_inert(workspace):
    data = workspace / "data"
    data.mkdir()
    hostile = data / "<img src=x onerror=alert(11)>.csv"
    hostile.write_text(
        "a` <img src=y onerror=alert(12)> `b,<script>alert(13)</script>\n"
        '"=HYPERLINK(""http://example.invalid"",""x"")",2\n',
        encoding="utf-8",
    )
    spec = write_spec(
        workspace,
        "notebook: tiny.ipynb\nruns:\n"
        "  - {dataset: 'data/<img src=x onerror=alert(11)>.csv', label: '<svg onload=alert(14)>'}\n",
    )
    result = run_batch(load_studies(spec), workspace / "reports", workers=1, progress=False)
    assert [o.status for o in result.outcomes] == ["ok"], result.outcomes
    run_dir = workspace / "reports" / "tiny" / result.outcomes[0].run.run_id
    results = json.loads((run_dir / "results.json").read_text())
    assert results["n_rows"] == 1  # the notebook did read the file through the resolved path
    for page in [run_dir / "report.html", result.index]:
        text = page.read_text(encoding="utf-8")
        scanner = _ActiveContent()
        scanner.feed(text)
        assert scanner.found == [], (page.name, scanner.found)
    report = (run_dir / "report.html").read_text(encoding="utf-8")
    assert "Data file" in report and "1 rows" in report  # the Markdown output is still shown, inert
    rows = read_csv_rows(workspace / "reports" / "results.csv")
    formula = next(row for row in rows if row["name"] == "first_cell")
    assert formula["value"] == '\'=HYPERLINK("http://example.invalid","x")'
    assert all(not value.startswith(("=", "+", "@")) for row in rows for value in row.values())


# --------------------------------------------------------------------------- reader reports


def _reader_notebook(path: Path) -> Path:
    """A notebook with a skipped section, a kept one, a Python warning and stderr chatter."""
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    skipped_note = (
        'display(Markdown("*Funnel: not run because the data have no statuses.*"), '
        'metadata={"csat_analysis": {"skipped": "Funnel"}})'
    )
    cells = [
        new_markdown_cell("# Reader study"),
        new_code_cell("label = 'a'", metadata={"tags": ["parameters"]}),
        new_code_cell(
            "import sys, warnings\nfrom IPython.display import Markdown, display\n"
            # the texts are assembled so that the code itself does not contain them
            "warnings.warn('Glyph ' + '21326 missing from font(s) DejaVu Sans.')\n"
            "print('Traceback ' + 'chatter on stderr', file=sys.stderr)\n"
            "display(Markdown('**Key findings** for ' + label))"
        ),
        new_markdown_cell("## 1. The funnel"),
        new_markdown_cell("How complaints move up the ladder."),
        new_code_cell(skipped_note),
        new_markdown_cell("## 2. Kept section"),
        new_code_cell("display(Markdown('The kept finding.'))"),
    ]
    notebook = new_notebook(
        cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    )
    nbformat.write(notebook, path)
    return path


def _visible_text(page: str) -> str:
    """The text a reader sees: no style or script content, no tags."""
    page = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.S | re.I)
    return " ".join(re.sub(r"<[^>]+>", " ", page).split())


def test_reader_cells_fold_skipped_sections_back_to_the_previous_code_cell():
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

    def note(title):
        return new_output(
            "display_data",
            data={"text/markdown": f"*{title}: not run*"},
            metadata={"csat_analysis": {"skipped": title}},
        )

    shown = new_output("display_data", data={"text/markdown": "a finding"})
    node = new_notebook(
        cells=[
            new_markdown_cell("# Title"),
            new_code_cell("setup()", outputs=[shown]),
            new_markdown_cell("## 1. Folded"),
            new_markdown_cell("intro"),
            new_code_cell("run.show(a)", outputs=[note("A")]),
            new_markdown_cell("## 2. Partly shown"),
            new_code_cell("run.show(b)", outputs=[note("B"), shown]),
            new_code_cell("parameters = 1"),  # shows nothing: dropped from a reader's page
            new_markdown_cell("## 3. Last"),
        ]
    )
    assert runner._reader_cells(node) == ["A", "B"]
    assert [cell.source for cell in node.cells] == [
        "# Title",
        "setup()",
        "## 2. Partly shown",
        "run.show(b)",
        "## 3. Last",
    ]
    assert node.cells[3].outputs == [shown]


def test_reader_cells_drop_cells_tagged_for_analysts():
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

    shown = new_output("display_data", data={"text/markdown": "Key findings"})
    set_up = new_markdown_cell("## Set-up\nParameters are checked here.")
    set_up.metadata["tags"] = [runner.ANALYST_TAG]
    node = new_notebook(
        cells=[new_markdown_cell("# Title"), set_up, new_code_cell("run = StudyRun()", outputs=[shown])]
    )
    runner._reader_cells(node)
    assert [cell.source for cell in node.cells] == ["# Title", "run = StudyRun()"]


@pytest.mark.slow
def test_reader_report_folds_skipped_sections_and_logs_warnings_out_of_the_page(workspace):
    _reader_notebook(workspace / "reader.ipynb")
    spec = write_spec(
        workspace, "notebook: reader.ipynb\ndescription: A study <em>for</em> readers.\nruns: [{label: north}]\n"
    )
    result = run_batch(load_studies(spec), workspace / "reports", progress=False)
    assert [o.status for o in result.outcomes] == ["ok"]
    folder = workspace / "reports" / "reader" / "north"
    text = _visible_text((folder / "report.html").read_text())
    assert "Key findings for north" in text and "2. Kept section" in text and "The kept finding." in text
    for gone in (
        "1. The funnel",
        "How complaints move up",
        "not run because",
        "Glyph",
        "Traceback",
        "Warning",
        "warnings.warn",
        "label = ",
    ):
        assert gone not in text, gone
    # the executed notebook keeps everything but the warnings, which are in the run's log
    executed = nbformat.read(folder / "notebook.ipynb", as_version=4)
    outputs = [o for cell in executed.cells if cell.cell_type == "code" for o in cell.outputs]
    assert any(o.get("metadata", {}).get("csat_analysis", {}).get("skipped") == "Funnel" for o in outputs)
    assert not [o for o in outputs if o.get("name") == "stderr"]
    log = (folder / "warnings.log").read_text()
    assert "UserWarning: Glyph 21326 missing from font(s) DejaVu Sans." in log
    assert "Traceback chatter on stderr" in log
    assert json.loads((folder / "run.json").read_text())["warnings"] == 2
    page = (workspace / "reports" / "index.html").read_text()
    assert '<a href="reader/north/warnings.log">2 warnings</a>' in page
    assert "A study &lt;em&gt;for&lt;/em&gt; readers." in page  # the description, escaped
    # the analyst's page shows the code and the note, but never the warnings
    analyst = _visible_text(
        export_html(folder / "notebook.ipynb", workspace / "analyst.html", show_code=True).read_text()
    )
    assert "1. The funnel" in analyst and "not run because" in analyst and "label = 'a'" in analyst
    assert "Traceback chatter" not in analyst and "Glyph 21326" not in analyst


def test_index_follows_spec_order_shortens_long_values_and_formats_headlines(workspace):
    spec = write_spec(
        workspace,
        "notebook: tiny.ipynb\nheadline: [interval]\ndescription: Tiny study.\n"
        "runs: [{label: zeta}, {label: alpha, dataset: null}]\n",
    )
    (study,) = load_studies(spec)
    reports = workspace / "reports"
    long_value = "x" * 200
    for run, results in zip(
        study.runs,
        (
            {"interval": {"value": 0.5, "low": 0.25, "high": 0.75}, "churn_rate": 0.1471},
            {"interval": 1.0, "doubled": 2.0},
        ),
    ):
        folder = reports / run.study / run.run_id
        folder.mkdir(parents=True)
        record = {
            "status": "ok",
            "parameters": {**run.parameters, "options": long_value},
            "duration": 1.0,
            "description": "Tiny study.",
            "warnings": 0,
        }
        (folder / "run.json").write_text(json.dumps(record))
        (folder / "results.json").write_text(json.dumps(results))
    page = write_index(reports, headlines={"tiny": ["interval"]}, order=[run.key for run in study.runs]).read_text()
    assert page.index("zeta") < page.index("alpha")  # spec order, not alphabetical
    assert "Interval: 0.50 [0.25, 0.75]" in page and "Churn rate: 14.7%" in page
    assert f'<span title="{long_value}">{"x" * 35}…</span>' in page  # full value on hover
    assert long_value not in page.replace(f'title="{long_value}"', "")
    assert "Tiny study." in page and "warning" not in _visible_text(page).lower().replace("notes and warnings", "")
