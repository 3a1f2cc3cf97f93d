"""Batch execution of the study notebooks: study specs, parallel papermill runs, reports.

A *study specification* (YAML) names a notebook, fixed ``parameters`` and either a
``grid`` (cartesian product) or an explicit ``runs`` list. A file holds one study or
several (``studies:`` a list of such mappings); optional keys are ``name`` (the
report folder; default the notebook's stem), ``description`` and ``headline`` (the
recorded results that ``index.html`` shows first). :func:`load_studies` reads and
validates it before anything executes; :func:`run_batch` executes each run with
papermill in its own process (or on a Dask cluster) and writes, under ``reports/``:

- ``<study>/<run-id>/``: ``notebook.ipynb`` (executed), ``report.html``, ``results.json``
  and ``run.json`` (status, duration, parameters, fingerprint);
- ``<study>/<run-id>.failed/``: the partially executed notebook and ``error.txt`` of a
  run whose latest attempt failed (an earlier good report stays in ``<run-id>/``);
- ``index.html`` (every run, its status and headline results) and ``results.csv``
  (every recorded result in long form).

Start-up is kept light: papermill, nbconvert and Dask are imported only where a run
executes or a report is exported, so a fully resumed batch takes about a second.

Examples
--------
>>> import pathlib, tempfile, json
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> notebook = {"cells": [{"cell_type": "code", "metadata": {"tags": ["parameters"]},
...     "source": "dataset = 'mobi'\\nn = 100\\nseed = 0\\nresults_path = None",
...     "outputs": [], "execution_count": None}],
...     "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
>>> _ = (folder / "overview.ipynb").write_text(json.dumps(notebook))
>>> _ = (folder / "study.yaml").write_text(
...     "notebook: overview.ipynb\\nparameters: {n: 500}\\ngrid: {dataset: [mobi, simulated], seed: [1, 2]}\\n")
>>> [run.run_id for run in load_studies(folder / "study.yaml")[0].runs]
['mobi-seed-1', 'mobi-seed-2', 'simulated-seed-1', 'simulated-seed-2']
"""

from __future__ import annotations

import ast
import contextlib
import csv
import fnmatch
import functools
import hashlib
import html
import itertools
import json
import math
import os
import re
import shutil
import sys
import threading
import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import quote

from . import __version__
from .errors import CsatError, StudyError

__all__ = [
    "BatchResult",
    "Run",
    "RunOutcome",
    "Study",
    "execute_run",
    "export_html",
    "load_studies",
    "notebook_parameters",
    "run_batch",
    "run_state",
    "write_index",
]

STUDY_KEYS = ("name", "notebook", "description", "parameters", "grid", "runs", "headline")
RUN_FILE = "run.json"
FAILED_SUFFIX = ".failed"
#: how many headline results a row of index.html shows
HEADLINE_RESULTS = 5
_MAX_ID_LENGTH = 80


# --------------------------------------------------------------------------- specs


@dataclass(frozen=True)
class Run:
    """One execution of a notebook: its study, readable id and full parameters."""

    study: str
    run_id: str
    notebook: Path
    parameters: dict[str, Any]

    @property
    def key(self) -> str:
        """``study/run-id``, what ``--only`` patterns match."""
        return f"{self.study}/{self.run_id}"


@dataclass(frozen=True)
class Study:
    """A validated study: a notebook and the runs its specification expands to."""

    name: str
    notebook: Path
    source: Path
    runs: list[Run] = field(default_factory=list)
    description: str = ""
    #: names of recorded results the index shows first for this study's runs
    headline: tuple[str, ...] = ()


_UNKNOWN_DEFAULT = object()


def notebook_parameters(notebook: str | os.PathLike) -> dict[str, Any]:
    """The parameters a notebook declares in its cell tagged ``parameters``.

    Returns a dict ``name -> default``; a default that is not a literal (an expression
    such as ``Path.home()``) is returned as the text of the expression wrapped in
    :class:`_Expression`, and accepts any value.

    The cell is parsed with :mod:`ast` rather than papermill's line-based
    ``inspect_notebook``, which skips any line holding two ``=`` signs (for example
    ``schema = {"label": "a=b"}``) and would report such a parameter as undeclared.
    Defaults are read with :func:`ast.literal_eval`: nothing is ever evaluated.

    Examples
    --------
    >>> import json, pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "nb.ipynb"
    >>> cell = {"cell_type": "code", "metadata": {"tags": ["parameters"]}, "outputs": [],
    ...         "execution_count": None, "source": ["n: int = 10\\n", "labels = {'a': 'b=c'}"]}
    >>> _ = path.write_text(json.dumps({"cells": [cell], "metadata": {}, "nbformat": 4,
    ...                                 "nbformat_minor": 5}))
    >>> notebook_parameters(path)
    {'n': 10, 'labels': {'a': 'b=c'}}
    """
    path = Path(notebook)
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise StudyError(f"cannot read notebook {path}: {exc}") from None
    for cell in content.get("cells", []):
        if cell.get("cell_type") == "code" and "parameters" in cell.get("metadata", {}).get("tags", []):
            source = cell.get("source", "")
            source = "".join(source) if isinstance(source, list) else source
            return _parse_parameter_cell(source, path)
    raise StudyError(f"notebook {path} has no code cell tagged 'parameters'")


class _Expression(str):
    """A parameter default that is an expression, not a literal: any value passes."""


def _parse_parameter_cell(source: str, path: Path) -> dict[str, Any]:
    # IPython magics and shell escapes are not Python; drop them before parsing.
    lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
    try:
        tree = ast.parse("\n".join(lines))
    except SyntaxError as exc:
        raise StudyError(f"notebook {path}: the parameters cell is not valid Python: {exc}") from None
    declared: dict[str, Any] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        else:
            continue
        try:
            default = ast.literal_eval(value)
        except ValueError:
            default = _Expression(ast.unparse(value))
        for target in targets:
            if isinstance(target, ast.Name):
                declared[target.id] = default
    return declared


def load_studies(path: str | os.PathLike) -> list[Study]:
    """Read and validate a study specification file.

    Parameters
    ----------
    path : path
        A YAML file holding one study (``notebook``, optional ``name`` defaulting to
        the notebook's stem, ``parameters``, and ``grid`` or ``runs``) or several
        (``studies:`` a list of such mappings). A relative ``notebook`` path is
        relative to the specification file's folder.

    Returns
    -------
    list of Study

    Raises
    ------
    StudyError
        Naming the file, the study, the run and the key: unknown notebook, a
        parameter the notebook does not declare, a value whose type differs from the
        notebook's default (``None`` defaults accept anything, an int is accepted for
        a float), duplicate run ids or study names.
    """
    import yaml  # light (0.05 s), but only the spec commands need it

    source = Path(path)
    try:
        text = source.read_text(encoding="utf-8")
    except OSError as exc:
        raise StudyError(f"cannot read study file {source}: {exc.strerror or exc}") from None
    try:
        spec = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise StudyError(f"{source}: not valid YAML: {' '.join(str(exc).split())}") from None
    if not isinstance(spec, dict):
        raise StudyError(f"{source}: expected a mapping with 'notebook' (one study) or 'studies' (a list)")
    if "studies" in spec:
        extra = sorted(set(spec) - {"studies"})
        if extra:
            raise StudyError(f"{source}: unknown top-level key(s) {', '.join(map(repr, extra))} next to 'studies'")
        entries = spec["studies"]
        if not isinstance(entries, list) or not entries:
            raise StudyError(f"{source}: 'studies' must be a non-empty list of study mappings")
    else:
        entries = [spec]
    studies: list[Study] = []
    seen: dict[str, int] = {}
    for position, entry in enumerate(entries, start=1):
        study = _load_study(entry, source, position)
        if study.name in seen:
            raise StudyError(
                f"{source}: study '{study.name}' appears twice (entries {seen[study.name]} and {position}); "
                "give one of them a distinct 'name'"
            )
        seen[study.name] = position
        studies.append(study)
    return studies


def _load_study(entry: Any, source: Path, position: int) -> Study:
    where = f"{source}: study entry {position}"
    if not isinstance(entry, dict):
        raise StudyError(f"{where}: expected a mapping with 'notebook', 'parameters' and 'grid' or 'runs'")
    unknown = [key for key in entry if key not in STUDY_KEYS]
    if unknown:
        raise StudyError(f"{where}: unknown key {unknown[0]!r}; valid keys: {', '.join(STUDY_KEYS)}")
    if not isinstance(entry.get("notebook"), str) or not entry["notebook"]:
        raise StudyError(f"{where}: 'notebook' (a path to an .ipynb file) is required")
    notebook = Path(entry["notebook"])
    if not notebook.is_absolute():
        notebook = Path(os.path.normpath(source.parent / notebook))
    name = entry.get("name", notebook.stem)
    if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", name):
        raise StudyError(f"{where}: name {name!r} must be letters, digits, '_', '-' or '.' (it names a folder)")
    where = f"{source}: study '{name}'"
    if not notebook.is_file():
        raise StudyError(f"{where}: key 'notebook': no notebook at {notebook}")
    declared = notebook_parameters(notebook)

    fixed = entry.get("parameters") or {}
    if not isinstance(fixed, dict):
        raise StudyError(f"{where}: key 'parameters' must be a mapping of parameter names to values")
    _check_parameters(fixed, declared, notebook, f"{where}, all runs")

    if "grid" in entry and "runs" in entry:
        raise StudyError(f"{where}: give either 'grid' or 'runs', not both")
    varying = _expand_runs(entry, where)
    for position, run_parameters in enumerate(varying, start=1):
        # ids are built from the values, so values must be plain data before ids exist
        for key, value in run_parameters.items():
            _check_json_value(value, f"{where}, run {position}: key '{key}'")
    runs: list[Run] = []
    ids = _run_ids(varying)
    first_position: dict[str, int] = {}
    for position, (run_parameters, run_id) in enumerate(zip(varying, ids), start=1):
        if run_id in first_position:
            raise StudyError(
                f"{where}: duplicate run id '{run_id}': runs {first_position[run_id]} and {position} "
                "have the same parameters"
            )
        first_position[run_id] = position
        _check_parameters(run_parameters, declared, notebook, f"{where}, run '{run_id}'")
        runs.append(Run(name, run_id, notebook.resolve(), {**fixed, **run_parameters}))
    description = entry.get("description", "")
    headline = entry.get("headline") or []
    if not (isinstance(headline, list) and all(isinstance(item, str) for item in headline)):
        raise StudyError(f"{where}: key 'headline' must be a list of recorded result names")
    return Study(name, notebook.resolve(), source, runs, description if isinstance(description, str) else "",
                 tuple(headline))


def _expand_runs(entry: dict, where: str) -> list[dict[str, Any]]:
    if "grid" in entry:
        grid = entry["grid"]
        if not isinstance(grid, dict) or not grid:
            raise StudyError(f"{where}: key 'grid' must be a mapping of parameter names to lists of values")
        axes = []
        for key, values in grid.items():
            if not isinstance(values, list):
                values = [values]
            if not values:
                raise StudyError(f"{where}: grid key {key!r} has an empty list of values")
            axes.append([(key, value) for value in values])
        return [dict(point) for point in itertools.product(*axes)]
    if "runs" in entry:
        runs = entry["runs"]
        if not isinstance(runs, list) or not runs:
            raise StudyError(f"{where}: key 'runs' must be a non-empty list of parameter mappings")
        for position, run in enumerate(runs, start=1):
            if not isinstance(run, dict):
                raise StudyError(f"{where}: run {position} must be a mapping of parameter names to values")
        return [dict(run) for run in runs]
    return [{}]


def _check_parameters(parameters: dict, declared: dict[str, Any], notebook: Path, where: str) -> None:
    for key, value in parameters.items():
        if not isinstance(key, str):
            raise StudyError(f"{where}: parameter name {key!r} must be a string")
        if key not in declared:
            valid = ", ".join(declared) or "(none)"
            raise StudyError(
                f"{where}: key '{key}' is not a parameter of {notebook.name}; valid parameters: {valid}"
            )
        _check_json_value(value, f"{where}: key '{key}'")
        expected = _expected_type(declared[key])
        if expected is not None and not _matches(value, expected):
            raise StudyError(
                f"{where}: key '{key}' must be {_TYPE_NAMES[expected]} like the notebook's default "
                f"{declared[key]!r}, got {type(value).__name__} {value!r}"
            )


_TYPE_NAMES = {bool: "a bool", int: "an int", float: "a number", str: "a string", list: "a list", dict: "a mapping"}


def _expected_type(default: Any) -> type | None:
    if default is None or isinstance(default, _Expression):
        return None
    for kind in (bool, int, float, str, dict):
        if isinstance(default, kind):
            return kind
    if isinstance(default, (list, tuple, set)):
        return list
    return None


def _matches(value: Any, expected: type) -> bool:
    if expected is bool:
        return isinstance(value, bool)
    if expected is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if expected is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return isinstance(value, expected)


def _check_json_value(value: Any, where: str) -> None:
    # Parameters are data: only what JSON (and papermill's injection) represents exactly.
    if value is None or isinstance(value, (bool, int, float, str)):
        return
    if isinstance(value, list):
        for item in value:
            _check_json_value(item, where)
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise StudyError(f"{where}: mapping keys must be strings, got {key!r}")
            _check_json_value(item, where)
        return
    raise StudyError(
        f"{where}: YAML gave a {type(value).__name__} ({value!r}); quote it to pass a string"
    )


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _short_hash(value: Any) -> str:
    return hashlib.sha256(_canonical(value).encode()).hexdigest()[:8]


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.]+", "-", text).strip("-.")


def _id_part(key: str, value: Any) -> str:
    if isinstance(value, str) and _slug(value):
        return _slug(value)
    if isinstance(value, (list, tuple)) and value and all(isinstance(v, (str, int, float)) for v in value):
        return f"{key}-" + "_".join(_slug(str(v)) for v in value)
    if value is None or isinstance(value, (bool, int, float)):
        return f"{key}-{json.dumps(value)}"
    return f"{key}-{_short_hash(value)}"


def _run_ids(runs: list[dict[str, Any]]) -> list[str]:
    """Readable ids from each run's own parameters (not the study's fixed ones).

    An id depends only on its run's entry, so adding or removing other runs never
    renames it (resume keeps working). Distinct runs whose readable ids collide, and
    over-long ids, get a short hash of their parameters as a suffix.
    """
    readable = []
    for run in runs:
        run_id = "-".join(_slug(_id_part(key, value)) for key, value in run.items()) or "default"
        if len(run_id) > _MAX_ID_LENGTH:
            run_id = run_id[:_MAX_ID_LENGTH].rstrip("-.") + "-" + _short_hash(run)
        readable.append(run_id)
    counts: dict[str, set[str]] = {}
    for run_id, run in zip(readable, runs):
        counts.setdefault(run_id, set()).add(_canonical(run))
    return [
        f"{run_id}-{_short_hash(run)}" if len(counts[run_id]) > 1 else run_id
        for run_id, run in zip(readable, runs)
    ]


# --------------------------------------------------------------------------- state


def fingerprint(run: Run, *, no_input: bool = False) -> str:
    """What a report depends on: notebook content, parameters, package version, export options."""
    digest = hashlib.sha256(run.notebook.read_bytes()).hexdigest()
    payload = {"notebook": digest, "parameters": run.parameters, "csat": __version__, "no_input": no_input}
    return hashlib.sha256(_canonical(payload).encode()).hexdigest()


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def run_state(run: Run, reports_dir: str | os.PathLike = "reports", *, no_input: bool = False) -> str:
    """Where a run stands: ``"done"`` (up to date), ``"failed"``, ``"changed"`` or ``"new"``.

    ``done`` means a successful report exists whose fingerprint (notebook content,
    parameters, package version, export options) matches, and no later attempt failed.
    """
    study_dir = Path(reports_dir) / run.study
    if (study_dir / (run.run_id + FAILED_SUFFIX) / RUN_FILE).exists():
        return "failed"
    record = _read_json(study_dir / run.run_id / RUN_FILE)
    if record is None or record.get("status") != "ok":
        return "new"
    return "done" if record.get("fingerprint") == fingerprint(run, no_input=no_input) else "changed"


# --------------------------------------------------------------------------- execution


def _strip_ansi(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", text)


def _describe_error(exc: BaseException) -> tuple[str, str]:
    """A one-line summary and the full text of what went wrong in a run."""
    ename = getattr(exc, "ename", None)
    if ename is not None:  # papermill.PapermillExecutionError: the notebook raised
        evalue = _strip_ansi(str(getattr(exc, "evalue", "")))
        cell = getattr(exc, "exec_count", None)
        line = f"{ename}: {evalue}" + (f" (cell [{cell}])" if cell is not None else "")
        detail = _strip_ansi("\n".join(getattr(exc, "traceback", []) or []))
        return " ".join(line.split()), detail or line
    line = f"{type(exc).__name__}: {_strip_ansi(str(exc))}"
    return " ".join(line.split()), line


def execute_run(task: dict[str, Any]) -> dict[str, Any]:
    """Execute one run and publish its folder; returns the run record (``run.json``).

    Runs in a worker process (local pool or Dask worker). Everything is written into a
    temporary sibling folder that is renamed into place only when complete: a good
    run replaces ``<run-id>/``; a failed one goes to ``<run-id>.failed/`` and leaves an
    earlier good report intact. A failing notebook never raises here.
    """
    study_dir = Path(task["reports_dir"]) / task["study"]
    study_dir.mkdir(parents=True, exist_ok=True)
    temporary = study_dir / f".{task['run']}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    temporary.mkdir()
    started = datetime.now(timezone.utc)
    clock = time.perf_counter()
    record: dict[str, Any] = {
        "study": task["study"],
        "run": task["run"],
        "notebook": task["notebook"],
        "parameters": task["parameters"],
        "fingerprint": task["fingerprint"],
        "csat_version": __version__,
        "no_input": task["no_input"],
        "started": started.isoformat(timespec="seconds"),
        "host": os.uname().nodename if hasattr(os, "uname") else "",
    }
    try:
        output = temporary / "notebook.ipynb"
        error: tuple[str, str] | None = None
        try:
            import papermill

            kernel_log = temporary / "kernel.log" if task.get("kernel_log") else None
            with _stderr_to(kernel_log):
                papermill.execute_notebook(
                    task["notebook"],
                    str(output),
                    parameters=task["parameters"],
                    cwd=str(temporary),
                    kernel_name="python3",  # the native kernel: this worker's interpreter
                    progress_bar=False,
                    log_output=False,
                    execution_timeout=task.get("timeout"),
                )
        except Exception as exc:  # a failing run is recorded, never stops the batch
            error = _describe_error(exc)
        record["execution_seconds"] = round(time.perf_counter() - clock, 3)
        if output.exists():
            try:
                export_html(output, temporary / "report.html", no_input=task["no_input"],
                            title=f"{task['study']} / {task['run']}")
            except Exception as exc:  # noqa: BLE001 - reported as the run's failure
                if error is None:
                    error = _describe_error(exc)
                    error = (f"HTML export failed: {error[0]}", error[1])
        record["status"] = "ok" if error is None else "failed"
        record["error"] = None if error is None else error[0]
        record["duration"] = round(time.perf_counter() - clock, 3)
        record["finished"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
        if error is None and (temporary / "kernel.log").exists():
            (temporary / "kernel.log").unlink()  # only kept to explain failures
        if error is not None:
            (temporary / "error.txt").write_text(error[1] + "\n", encoding="utf-8")
        (temporary / RUN_FILE).write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
        final = study_dir / (task["run"] if error is None else task["run"] + FAILED_SUFFIX)
        _publish(temporary, final)
        if error is None:
            shutil.rmtree(study_dir / (task["run"] + FAILED_SUFFIX), ignore_errors=True)
    finally:
        if temporary.exists():
            shutil.rmtree(temporary, ignore_errors=True)
    return record


@contextlib.contextmanager
def _stderr_to(path: Path | None):
    """Send this process's stderr (fd 2, inherited by the kernel) to ``path``.

    The kernel writes start-up warnings and crash reports to stderr; in a local worker
    they would interleave with the progress bar, so they go to the run's
    ``kernel.log`` instead (kept when the run fails). Only safe in a process that runs
    one task at a time, so Dask workers leave stderr alone.
    """
    if path is None:
        yield
        return
    sys.stderr.flush()
    saved = os.dup(2)
    with open(path, "ab") as log:
        os.dup2(log.fileno(), 2)
    try:
        yield
    finally:
        sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(saved)


def _publish(temporary: Path, final: Path) -> None:
    """Move a complete run folder into place, replacing an older one."""
    if final.exists():
        # A directory cannot be renamed onto a non-empty one: move the old one aside
        # first; the window without a report is two renames long.
        retired = final.with_name(f".{final.name}.old-{os.getpid()}-{uuid.uuid4().hex[:8]}")
        final.rename(retired)
        temporary.rename(final)
        shutil.rmtree(retired, ignore_errors=True)
    else:
        temporary.rename(final)


_HEADING = re.compile(r"<h([1-3])\b[^>]*\bid=\"([^\"]+)\"[^>]*>(.*?)</h\1>", re.S)

_TOC_STYLE = """<style>
nav.csat-toc{border:1px solid #ddd;border-radius:4px;padding:0.6em 1.2em;margin:1em auto;max-width:60em;
 background:#fafafa;font-family:system-ui,sans-serif;font-size:0.95em}
nav.csat-toc ul{margin:0.3em 0;padding-left:1.2em} nav.csat-toc li.toc-2{margin-left:1.2em}
nav.csat-toc li.toc-3{margin-left:2.4em}
</style>"""


def _add_table_of_contents(page: str) -> str:
    """Insert a linked table of contents built from the page's h1-h3 headings."""
    entries = []
    for level, anchor, inner in _HEADING.findall(page):
        text = re.sub(r"<[^>]+>", "", inner).replace("\u00b6", "").strip()
        if text:
            # anchor and text come from nbconvert's output and are already HTML-escaped
            entries.append(f'<li class="toc-{level}"><a href="#{anchor}">{text}</a></li>')
    if not entries:
        return page
    nav = f'<nav class="csat-toc" aria-label="Contents"><strong>Contents</strong><ul>{"".join(entries)}</ul></nav>'
    page = page.replace("</head>", _TOC_STYLE + "\n</head>", 1)
    opening = re.search(r"<main\b[^>]*>", page) or re.search(r"<body\b[^>]*>", page)
    if opening is None:
        return nav + page
    return page[: opening.end()] + "\n" + nav + page[opening.end() :]


@functools.cache
def _html_exporter(no_input: bool, _thread: int):
    # Building the exporter loads and compiles the templates: once per worker process
    # (and thread: a Dask worker may export in several threads at once).
    from nbconvert import HTMLExporter

    return HTMLExporter(
        template_name="lab",
        embed_images=True,
        exclude_input=no_input,
        exclude_input_prompt=no_input,
        exclude_output_prompt=no_input,
    )


def export_html(
    notebook: str | os.PathLike,
    output: str | os.PathLike | None = None,
    *,
    no_input: bool = False,
    title: str | None = None,
) -> Path:
    """Export a notebook to a self-contained HTML report with a table of contents.

    Uses nbconvert's ``lab`` template with images embedded (figures are
    ``data:image/png;base64`` URIs, so the file travels alone). ``no_input=True``
    hides code cells and prompts for readers who only want the results.

    Parameters
    ----------
    notebook : path
        An ``.ipynb`` file.
    output : path, optional
        Defaults to the notebook's path with suffix ``.html``.
    no_input : bool
        Hide code.
    title : str, optional
        Page title; defaults to the notebook's stem.

    Returns
    -------
    pathlib.Path
        The HTML file, written atomically (temporary name, then rename).
    """
    import nbformat

    source = Path(notebook)
    if not source.is_file():
        raise CsatError(f"no notebook at {source}")
    target = Path(output) if output is not None else source.with_suffix(".html")
    try:
        node = nbformat.read(source, as_version=4)
    except Exception as exc:  # nbformat raises several unrelated types for bad files
        raise CsatError(f"cannot read notebook {source}: {exc}") from None
    exporter = _html_exporter(no_input, threading.get_ident())
    page, _ = exporter.from_notebook_node(node, resources={"metadata": {"name": title or source.stem}})
    page = _add_table_of_contents(page)
    temporary = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    temporary.write_text(page, encoding="utf-8")
    temporary.replace(target)
    return target


@dataclass
class RunOutcome:
    """What happened to one run in a batch: ``ok``, ``failed`` or ``skipped`` (up to date)."""

    run: Run
    status: str
    duration: float | None = None
    error: str | None = None


@dataclass
class BatchResult:
    """The outcome of :func:`run_batch`."""

    outcomes: list[RunOutcome]
    index: Path
    results: Path
    seconds: float

    @property
    def failed(self) -> list[RunOutcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    def count(self, status: str) -> int:
        return sum(o.status == status for o in self.outcomes)


def select_runs(studies: Iterable[Study], only: Sequence[str] | None = None) -> list[Run]:
    """The runs of ``studies``, filtered by ``only`` glob patterns on ``study/run-id`` or ``run-id``."""
    runs = [run for study in studies for run in study.runs]
    if not only:
        return runs
    chosen = [
        run for run in runs
        if any(fnmatch.fnmatchcase(run.key, p) or fnmatch.fnmatchcase(run.run_id, p) or run.study == p for p in only)
    ]
    if not chosen:
        raise StudyError(
            f"--only {' '.join(only)!s} matches none of the {len(runs)} runs "
            f"(patterns match 'study/run-id' or 'run-id', e.g. {runs[0].key if runs else 'study/run'})"
        )
    return chosen


def _check_unique_studies(studies: Sequence[Study]) -> None:
    seen: dict[str, Path] = {}
    for study in studies:
        if study.name in seen:
            raise StudyError(
                f"study '{study.name}' is defined in both {seen[study.name]} and {study.source}; "
                "give one of them a distinct 'name'"
            )
        seen[study.name] = study.source


def run_batch(
    studies: Sequence[Study],
    reports_dir: str | os.PathLike = "reports",
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    force: bool = False,
    only: Sequence[str] | None = None,
    no_input: bool = False,
    timeout: float | None = None,
    progress: bool = True,
) -> BatchResult:
    """Execute the runs of ``studies`` and write their reports, the index and results.csv.

    Parameters
    ----------
    studies : list of Study
        From :func:`load_studies`.
    reports_dir : path
        Root of the reports (``reports/<study>/<run-id>/``, ``reports/index.html``).
    workers : int, optional
        Runs executed at once on this machine (default: the number of cores).
    scheduler : str, optional
        ``tcp://HOST:PORT`` of a running Dask distributed scheduler: runs become tasks
        on its workers, which must see ``reports_dir`` and the notebooks at the same
        paths and have csat-analysis installed.
    force : bool
        Execute runs that are up to date too.
    only : list of str, optional
        Glob patterns on ``study/run-id`` or ``run-id``.
    no_input : bool
        Hide code in ``report.html``.
    timeout : float, optional
        Seconds a single cell may run before the run fails.
    progress : bool
        Show a tqdm progress bar on stderr.

    Returns
    -------
    BatchResult
        One outcome per selected run; ``failed`` lists the failures.
    """
    clock = time.perf_counter()
    studies = list(studies)
    _check_unique_studies(studies)
    runs = select_runs(studies, only)
    if workers is not None and workers < 1:
        raise CsatError(f"--workers must be at least 1, got {workers}")
    if timeout is not None and not timeout > 0:
        raise CsatError(f"--timeout must be a positive number of seconds, got {timeout}")
    root = Path(reports_dir).resolve()
    root.mkdir(parents=True, exist_ok=True)

    outcomes: dict[str, RunOutcome] = {}
    tasks = []
    for run in runs:
        stamp = fingerprint(run, no_input=no_input)
        if not force and run_state(run, root, no_input=no_input) == "done":
            previous = _read_json(root / run.study / run.run_id / RUN_FILE) or {}
            outcomes[run.key] = RunOutcome(run, "skipped", previous.get("duration"))
            continue
        tasks.append({
            "study": run.study, "run": run.run_id, "notebook": str(run.notebook),
            "parameters": run.parameters, "fingerprint": stamp, "no_input": no_input,
            "timeout": timeout, "reports_dir": str(root), "key": run.key,
            "kernel_log": scheduler is None,
        })
    by_key = {run.key: run for run in runs}
    try:
        if tasks:
            execute = _execute_on_dask if scheduler else _execute_locally
            for task, record, failure in execute(tasks, workers or os.cpu_count() or 1, scheduler, progress):
                run = by_key[task["key"]]
                if failure is not None:  # the worker itself died, not the notebook
                    outcomes[run.key] = RunOutcome(run, "failed", None, failure)
                else:
                    outcomes[run.key] = RunOutcome(run, record["status"], record.get("duration"), record.get("error"))
    finally:
        statuses = {(o.run.study, o.run.run_id): o.status for o in outcomes.values()}
        index = write_index(root, statuses, {study.name: study.headline for study in studies})
    ordered = [outcomes[run.key] for run in runs if run.key in outcomes]
    return BatchResult(ordered, index, root / "results.csv", time.perf_counter() - clock)


def _progress_bar(total: int, enabled: bool):
    from tqdm import tqdm

    return tqdm(total=total, desc="csat run", unit="run", file=sys.stderr, disable=not enabled,
                dynamic_ncols=True, postfix={"failed": 0})


def _as_they_finish(finished, bar):
    """Yield ``(task, record, failure)`` for ``(task, future)`` pairs as they complete.

    ``failure`` is set when the worker itself died (a crashed process, a lost Dask
    task), not when the notebook failed: that is ``record["status"]``.
    """
    failed = 0
    for task, future in finished:
        try:
            record, failure = future.result(), None
        except Exception as exc:  # the worker process or task died, not the notebook
            record, failure = None, _describe_error(exc)[0]
        failed += failure is not None or record["status"] != "ok"
        bar.set_postfix(failed=failed)
        bar.update()
        yield task, record, failure


def _execute_locally(tasks, workers, _scheduler, progress):
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    # spawn: a fresh interpreter per worker, nothing inherited from this process's
    # threads (tqdm's monitor) or state; sys.executable stays the venv's interpreter.
    context = multiprocessing.get_context("spawn")
    with _progress_bar(len(tasks), progress) as bar, ProcessPoolExecutor(
        max_workers=min(workers, len(tasks)), mp_context=context
    ) as pool:
        futures = {pool.submit(execute_run, task): task for task in tasks}
        try:
            yield from _as_they_finish(((futures[future], future) for future in as_completed(futures)), bar)
        except BaseException:
            for future in futures:
                future.cancel()
            raise


def _execute_on_dask(tasks, _workers, scheduler, progress):
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise CsatError(
            "--scheduler needs Dask distributed: pip install 'csat-analysis[dask]'"
        ) from None
    try:
        client = Client(scheduler, timeout="10s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise CsatError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
    with client, _progress_bar(len(tasks), progress) as bar:
        batch = uuid.uuid4().hex[:8]
        futures = client.map(
            execute_run, tasks, pure=False,
            key=[f"csat-{task['study']}-{task['run']}-{batch}" for task in tasks],
        )
        by_key = {future.key: task for future, task in zip(futures, tasks)}
        try:
            yield from _as_they_finish(((by_key[future.key], future) for future in as_completed(futures)), bar)
        except BaseException:
            client.cancel(futures)
            raise


# --------------------------------------------------------------------------- index


def _flatten(value: Any, prefix: str) -> list[tuple[str, Any]]:
    if isinstance(value, dict) and value:
        pairs = []
        for key, item in value.items():
            pairs.extend(_flatten(item, f"{prefix}.{key}"))
        return pairs
    return [(prefix, value)]


def _cell_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    return _canonical(value)


def _format_number(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if not math.isfinite(value):
        return str(value)
    return f"{value:.4g}"


def _headline(results: dict[str, Any], names: Sequence[str] = ()) -> list[str]:
    """A few scalar results as text: ``names`` first (the study's ``headline`` list),
    then the first other scalars up to :data:`HEADLINE_RESULTS` in all. An estimate
    dict, or a result with ``<name>_low``/``<name>_high`` siblings, shows as
    ``value [low, high]``.
    """
    def is_number(value: Any) -> bool:
        return isinstance(value, (int, float)) and not isinstance(value, bool)

    bounds = {f"{name}_{side}" for name in results for side in ("low", "high")
              if is_number(results.get(f"{name}_low")) and is_number(results.get(f"{name}_high"))}
    ordered = [name for name in names if name in results]
    ordered += [name for name in results if name not in ordered and name not in bounds]
    shown = []
    for name in ordered:
        value = results[name]
        if isinstance(value, dict) and is_number(value.get("value")):
            low, high = value.get("low"), value.get("high")
            value = value["value"]
        else:
            low, high = results.get(f"{name}_low"), results.get(f"{name}_high")
        if isinstance(value, (int, float, str)) or value is None:
            text = _format_number(value) if value is not None else "–"
        else:
            continue
        if is_number(value) and is_number(low) and is_number(high):
            text += f" [{_format_number(low)}, {_format_number(high)}]"
        shown.append(f"{name} = {text}")
        if len(shown) >= max(HEADLINE_RESULTS, len(names)):
            break
    return shown


def _collect(root: Path) -> list[dict[str, Any]]:
    """Every run folder under ``root``: its latest record, good record and results."""
    entries: dict[tuple[str, str], dict[str, Any]] = {}
    for run_file in sorted(root.glob(f"*/*/{RUN_FILE}")):
        folder = run_file.parent
        if folder.name.startswith("."):
            continue
        record = _read_json(run_file)
        if record is None:
            continue
        run_id = folder.name[: -len(FAILED_SUFFIX)] if folder.name.endswith(FAILED_SUFFIX) else folder.name
        entry = entries.setdefault((folder.parent.name, run_id), {"study": folder.parent.name, "run": run_id})
        if folder.name.endswith(FAILED_SUFFIX):
            entry["failed"], entry["failed_dir"] = record, folder
        else:
            entry["good"], entry["good_dir"] = record, folder
            entry["results"] = _read_json(folder / "results.json") or {}
    return [entries[key] for key in sorted(entries)]


def _link(root: Path, path: Path, label: str) -> str:
    if not path.exists():
        return ""
    href = quote(path.relative_to(root).as_posix())
    return f'<a href="{html.escape(href)}">{html.escape(label)}</a>'


_INDEX_STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2em;color:#222}
h1{font-size:1.5em} p.summary{color:#555}
table{border-collapse:collapse;width:100%;font-size:0.9em}
th,td{border-bottom:1px solid #ddd;padding:0.4em 0.6em;text-align:left;vertical-align:top}
th{background:#f3f3f3;position:sticky;top:0}
td.status-ok{color:#1a7f37;font-weight:600} td.status-skipped{color:#1a7f37}
td.status-failed{color:#b42318;font-weight:600}
ul.plain{list-style:none;margin:0;padding:0} code{font-size:0.95em}
.error{color:#b42318;font-family:monospace;white-space:pre-wrap}
"""


def write_index(reports_dir: str | os.PathLike, statuses: dict[tuple[str, str], str] | None = None,
                headlines: dict[str, Sequence[str]] | None = None) -> Path:
    """Write ``index.html`` and ``results.csv`` for every run folder under ``reports_dir``.

    Parameters
    ----------
    reports_dir : path
        The reports root.
    statuses : dict, optional
        ``(study, run-id) -> "ok" | "failed" | "skipped"`` from the batch just run;
        runs not in it show the status of their latest attempt.
    headlines : dict, optional
        ``study -> result names`` shown first in the "Headline results" column
        (a study's ``headline`` key).

    Returns
    -------
    pathlib.Path
        The index page. Every string on it (parameters, results, errors) is
        HTML-escaped.
    """
    root = Path(reports_dir).resolve()
    statuses = statuses or {}
    headlines = headlines or {}
    entries = _collect(root)
    rows = []
    counts = {"ok": 0, "failed": 0}
    for entry in entries:
        failed = entry.get("failed")
        good = entry.get("good")
        latest = failed if failed is not None else good
        status = "failed" if failed is not None else "ok"
        counts[status] += 1
        label = statuses.get((entry["study"], entry["run"]), status)
        if label == "skipped" and status == "ok":
            label_text = "ok (up to date)"
        else:
            label_text = status
        parameters = latest.get("parameters", {})
        parameter_items = "".join(
            f"<li><code>{html.escape(str(k))}</code> = {html.escape(_cell_text(v) if v is not None else 'None')}</li>"
            for k, v in parameters.items()
        )
        headline = "".join(f"<li>{html.escape(item)}</li>" for item in _headline(entry.get("results", {}), headlines.get(entry["study"], ()))) if good else ""
        links = []
        if failed is not None:
            folder = entry["failed_dir"]
            links += [_link(root, folder / "report.html", "failed report"),
                      _link(root, folder / "notebook.ipynb", "failed notebook"),
                      _link(root, folder / "error.txt", "error")]
        if good is not None:
            folder = entry["good_dir"]
            prefix = "last good " if failed is not None else ""
            links += [_link(root, folder / "report.html", prefix + "report"),
                      _link(root, folder / "notebook.ipynb", prefix + "notebook"),
                      _link(root, folder / "results.json", "results.json")]
        error = (
            f'<div class="error">{html.escape(str(failed.get("error") or ""))}</div>' if failed is not None else ""
        )
        duration = latest.get("duration")
        rows.append(
            "<tr>"
            f"<td>{html.escape(entry['study'])}</td>"
            f"<td>{html.escape(entry['run'])}</td>"
            f'<td class="status-{html.escape(label if status == "ok" else "failed")}">{html.escape(label_text)}{error}</td>'
            f"<td>{'' if duration is None else html.escape(f'{duration:.1f} s')}</td>"
            f"<td>{html.escape(str(latest.get('finished', '')))}</td>"
            f'<td><ul class="plain">{parameter_items}</ul></td>'
            f'<td><ul class="plain">{headline}</ul></td>'
            f'<td><ul class="plain">{"".join(f"<li>{link}</li>" for link in links if link)}</ul></td>'
            "</tr>"
        )
    generated = datetime.now(timezone.utc).isoformat(timespec="seconds")
    summary = (
        f"{len(entries)} runs: {counts['ok']} ok, {counts['failed']} failed. "
        f"Generated {generated} by csat-analysis {__version__}."
    )
    page = (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<title>csat-analysis reports</title>\n"
        f"<style>{_INDEX_STYLE}</style>\n</head>\n<body>\n<h1>csat-analysis reports</h1>\n"
        f'<p class="summary">{html.escape(summary)} <a href="results.csv">results.csv</a></p>\n'
        '<table id="runs">\n<thead><tr><th>Study</th><th>Run</th><th>Status</th><th>Duration</th>'
        "<th>Finished (UTC)</th><th>Parameters</th><th>Headline results</th><th>Links</th></tr></thead>\n"
        f"<tbody>\n{chr(10).join(rows)}\n</tbody>\n</table>\n</body>\n</html>\n"
    )
    _write_results_csv(root, entries)
    target = root / "index.html"
    temporary = root / f".index.html.tmp-{os.getpid()}"
    temporary.write_text(page, encoding="utf-8")
    temporary.replace(target)
    return target


def _write_results_csv(root: Path, entries: list[dict[str, Any]]) -> Path:
    """Every good run's results in long form: study, run, parameters..., name, value."""
    good = [e for e in entries if e.get("good") is not None]
    parameter_names = sorted({name for e in good for name in e["good"].get("parameters", {})})
    reserved = {"study", "run", "name", "value"}
    header = ["study", "run"] + [f"param_{n}" if n in reserved else n for n in parameter_names] + ["name", "value"]
    target = root / "results.csv"
    temporary = root / f".results.csv.tmp-{os.getpid()}"
    with temporary.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for entry in good:
            parameters = entry["good"].get("parameters", {})
            fixed = [entry["study"], entry["run"]] + [
                _cell_text(parameters[n]) if n in parameters else "" for n in parameter_names
            ]
            for name, value in entry.get("results", {}).items():
                for flat_name, flat_value in _flatten(value, name):
                    writer.writerow(fixed + [flat_name, _cell_text(flat_value)])
    temporary.replace(target)
    return target
