"""Batch runner: spec validation, real papermill executions, resume, Dask, the index page.

The notebook executed here is ``tests/notebooks/record_and_plot.ipynb`` (regenerate it
with ``tests/notebooks/make_notebooks.py``): it records ``doubled = 2 * value`` and an
interval around ``value``, draws one figure, and raises when ``fail`` is true.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import nbformat
import pytest

from csat_analysis import StudyError
from csat_analysis.runner import (
    execute_run,
    export_html,
    load_studies,
    notebook_parameters,
    run_batch,
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
    spec = write_spec(workspace, "notebook: tiny.ipynb\nparameters: {value: 2.5}\n"
                      "grid:\n  label: [north, south]\n  seed: [1, 2, 3]\n")
    (study,) = load_studies(spec)
    assert study.name == "tiny"  # defaults to the notebook's stem
    assert [run.run_id for run in study.runs] == [
        "north-seed-1", "north-seed-2", "north-seed-3", "south-seed-1", "south-seed-2", "south-seed-3",
    ]
    assert study.runs[4].parameters == {"value": 2.5, "label": "south", "seed": 2}
    # stable: the same spec gives the same ids
    assert [r.run_id for r in load_studies(spec)[0].runs] == [r.run_id for r in study.runs]


def test_multi_study_file_with_runs_lists(workspace):
    spec = write_spec(workspace, """
studies:
  - name: first
    notebook: tiny.ipynb
    runs:
      - {label: corp_rep, options: {segment: serviceprovider, segment_value: 1}}
      - {label: corp_rep}
  - notebook: tiny.ipynb
    parameters: {fail: false}
""")
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
    assert declared == {"label": "a", "value": 1.0, "fail": False, "busy_seconds": 0.0,
                        "options": None, "seed": 0, "results_path": None}


@pytest.mark.parametrize(
    ("spec", "fragments"),
    [
        ("notebook: missing.ipynb\n", ["study 'missing'", "key 'notebook'", "missing.ipynb"]),
        ("notebook: tiny.ipynb\nparameters: {lable: x}\n",
         ["study 'tiny', all runs", "key 'lable'", "valid parameters: label, value"]),
        ("notebook: tiny.ipynb\ngrid: {label: [a, b], colour: [red]}\n",
         ["run 'a-red'", "key 'colour'", "not a parameter of tiny.ipynb"]),
        ("notebook: tiny.ipynb\nruns:\n  - {value: high}\n", ["run 'high'", "key 'value'", "must be a number"]),
        ("notebook: tiny.ipynb\nruns:\n  - {seed: 1.5}\n", ["key 'seed'", "must be an int"]),
        ("notebook: tiny.ipynb\nruns:\n  - {fail: 'yes'}\n", ["key 'fail'", "must be a bool"]),
        ("notebook: tiny.ipynb\nruns:\n  - {seed: true}\n", ["key 'seed'", "must be an int"]),
        ("notebook: tiny.ipynb\nruns:\n  - {label: 2024-01-31}\n", ["key 'label'", "date", "quote it"]),
        ("notebook: tiny.ipynb\nruns:\n  - {label: a}\n  - {label: a}\n",
         ["duplicate run id 'a'", "runs 1 and 2"]),
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
    spec = write_spec(workspace, "notebook: tiny.ipynb\nruns:\n  - {options: [1, x], value: 3}\n"
                      "  - {options: {a: 1}, value: 3.5}\n")
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
        if tag == "tr" and self._in_body:
            self.rows += 1


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """One real batch: two good runs and a failing one, executed by 2 local workers."""
    folder = tmp_path_factory.mktemp("batch")
    shutil.copy(NOTEBOOK, folder / "tiny.ipynb")
    spec = write_spec(folder, """
notebook: tiny.ipynb
parameters: {value: 1.5}
runs:
  - {label: north}
  - {label: "<b>south & co</b>", value: 4}
  - {label: broken, fail: true}
""")
    studies = load_studies(spec)
    result = run_batch(studies, folder / "reports", workers=2, progress=False)
    return folder, spec, result


@pytest.mark.slow
def test_failing_run_does_not_stop_the_others(batch):
    folder, _spec, result = batch
    assert [(o.run.run_id, o.status) for o in result.outcomes] == [
        ("north", "ok"), ("b-south-co-b-value-4", "ok"), ("broken-fail-true", "failed"),
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
    errors = [o for cell in executed.cells if cell.cell_type == "code" for o in cell.get("outputs", [])
              if o.output_type == "error"]
    assert errors and errors[0].ename == "RuntimeError"
    # nothing half-written is left behind
    assert not [p for p in reports.iterdir() if p.name.startswith(".")]


@pytest.mark.slow
def test_results_csv_is_long_form_with_parameters(batch):
    folder, _spec, _result = batch
    rows = read_csv_rows(folder / "reports" / "results.csv")
    assert list(rows[0]) == ["study", "run", "label", "param_value", "name", "value"]
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
    assert page.count("data:image/png;base64,") >= 1
    assert '<nav class="csat-toc"' in page and 'href="#Figure"' in page
    assert "set_results_path" in page
    hidden = export_html(folder / "reports" / "tiny" / "north" / "notebook.ipynb",
                         tmp_path / "results-only.html", no_input=True).read_text()
    assert "set_results_path" not in hidden and "data:image/png;base64," in hidden


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
        chromium_or_skip(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={tmp_path / 'chromium'}", "--dump-dom", index.as_uri(),
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

    (good / "run.json").write_text(json.dumps({"status": "ok", "fingerprint": fingerprint(run),
                                               "parameters": run.parameters, "duration": 1.0}))
    (good / "results.json").write_text(json.dumps({"doubled": 2.0}))
    half = reports / "tiny" / ".a.tmp-999-deadbeef"
    half.mkdir()
    (half / "run.json").write_text(json.dumps({"status": "failed", "parameters": {}}))
    assert run_state(run, reports) == "done"
    page = write_index(reports).read_text()
    assert page.count("<tr>") == 2  # header + the good run
    assert "doubled = 2" in page


@pytest.mark.slow
def test_execute_run_records_a_failure_without_raising(workspace):
    task = {"study": "tiny", "run": "x", "notebook": str(workspace / "tiny.ipynb"),
            "parameters": {"fail": True}, "fingerprint": "f", "no_input": False, "timeout": None,
            "reports_dir": str(workspace / "reports")}
    record = execute_run(task)
    assert record["status"] == "failed" and record["error"].startswith("RuntimeError")


@pytest.mark.slow
def test_runs_on_a_loopback_dask_cluster(workspace):
    distributed = pytest.importorskip("distributed")
    spec = write_spec(workspace, "notebook: tiny.ipynb\nruns: [{label: dask}, {label: bad, fail: true}]\n")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        result = run_batch(load_studies(spec), workspace / "reports", scheduler=cluster.scheduler_address,
                           progress=False)
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

    results = {"n": 250, "spearman": 0.5, "index": 72.5, "index_low": 70.75, "index_high": 74.25,
               "nps": {"value": 12.0, "low": 4.0, "high": 20.0}, "table": {"a": 1}}
    assert _headline(results, ["index", "nps"]) == [
        "index = 72.5 [70.75, 74.25]", "nps = 12 [4, 20]", "n = 250", "spearman = 0.5",
    ]
    assert _headline(results)[:2] == ["n = 250", "spearman = 0.5"]


def test_headline_key_must_be_a_list_of_names(tmp_path):
    notebook = Path(__file__).parent / "notebooks" / "record_and_plot.ipynb"
    spec = tmp_path / "study.yaml"
    spec.write_text(f"notebook: {notebook}\nheadline: answer\nruns: [{{}}]\n")
    with pytest.raises(StudyError, match="headline"):
        load_studies(spec)
