"""Batch execution of the study notebooks: study specs, parallel papermill runs, reports.

A *study specification* (YAML) names a notebook, fixed ``parameters`` and either a
``grid`` (cartesian product) or an explicit ``runs`` list. A file holds one study or
several (``studies:`` a list of such mappings); optional keys are ``name`` (the
report folder; default the notebook's stem), ``description`` and ``headline`` (the
recorded results that ``index.html`` shows first). :func:`load_studies` reads and
validates it before anything executes (paths in it are relative to the file, and
every file a run names must exist); :func:`run_batch` executes each run with
papermill in its own process (or on a Dask cluster) and writes, under ``reports/``:

- ``<study>/<run-id>/``: ``notebook.ipynb`` (executed, its recorded results in the
  metadata ``csat_analysis.results``), ``report.html`` (a reader's report: no code,
  sections that did not run on the data folded away; ``show_code=True`` for the
  analyst's page), ``results.json``, ``warnings.log`` (every warning of the run, kept
  out of the report) and ``run.json`` (status, duration, parameters, warning count,
  fingerprint and the inputs it covers);
- ``<study>/<run-id>.failed/``: the partially executed notebook and ``error.txt`` of a
  run whose latest attempt failed (an earlier good report stays in ``<run-id>/``);
- ``index.html`` (this batch's runs with their outcome grouped under each study's
  description in spec order, then earlier runs) and ``results.csv`` (every recorded
  result in long form).

A notebook records a result by displaying a mapping under the MIME type
:data:`RESULTS_MIME` (what :func:`csat_analysis.report.record` does); notebooks never
write files for the runner. A run is up to date when its fingerprint matches: the
notebook's content, the parameters, the content of every file a parameter names (data,
schema, survey description; a bundled data set via its manifest checksum, verified
against the file), the installed ``csat_analysis`` source and the versions of its
runtime dependencies.

Start-up is kept light: papermill, nbconvert and Dask are imported only where a run
executes or a report is exported, so a fully resumed batch takes about a second.

Examples
--------
>>> import pathlib, tempfile, json
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> notebook = {"cells": [{"cell_type": "code", "metadata": {"tags": ["parameters"]},
...     "source": "dataset = 'mobi'\\nn = 100\\nseed = 0",
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
import ctypes
import errno
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
import signal
import socket
import sys
import threading
import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from . import __version__, resources
from ._safety import csv_cell, escape_html, markdown_to_safe_html, safe_yaml_load, sanitize_html
from .errors import CsatError, ParameterError, StudyError
from .i18n import N_, check_language, translate_notebook, translator

#: MIME type of the display outputs that carry recorded results (``{name: value}``);
#: equal to ``csat_analysis.report.RESULTS_MIME`` (a test checks), repeated here so the
#: runner's start-up does not import pandas through the report module.
RESULTS_MIME = "application/vnd.csat-analysis.results+json"

__all__ = [
    "RESULTS_MIME",
    "BatchResult",
    "ReportsBusyError",
    "Run",
    "RunOutcome",
    "RunState",
    "Study",
    "execute_run",
    "explain_state",
    "count_warnings",
    "export_html",
    "fingerprint",
    "load_studies",
    "with_language",
    "notebook_parameters",
    "run_batch",
    "run_inputs",
    "run_state",
    "summary_line",
    "write_index",
]

STUDY_KEYS = ("name", "notebook", "description", "parameters", "grid", "runs", "headline", "language")
RUN_FILE = "run.json"
FAILED_SUFFIX = ".failed"
#: how many headline results a row of index.html shows
HEADLINE_RESULTS = 5
_MAX_ID_LENGTH = 80
#: a study file larger than this (bytes) is refused
SPEC_MAX_BYTES = 1_000_000
#: values a study file may expand to, YAML aliases counted in full
SPEC_MAX_NODES = 100_000
#: runs one study may expand to
MAX_RUNS = 10_000
#: items (list elements, mapping entries, scalars) one parameter value may hold
MAX_PARAMETER_ITEMS = 10_000
#: characters of one parameter value written as JSON
MAX_PARAMETER_CHARS = 100_000
#: parameters whose string values name input files (``dataset`` unless a bundled name)
FILE_PARAMETERS = ("dataset", "schema", "survey")
#: values of ``dataset`` that are not files
SIMULATED_DATASET = "simulated"
#: parameter names that look like an output location (the runner owns every output)
_OUTPUT_NAME = re.compile(
    r"(^|_)(output|outputs|out|results?|report|save|export)(_(path|file|dir|folder))?$"
    r"|^(output|out|save|export|write)_",
    re.I,
)


# --------------------------------------------------------------------------- specs


@dataclass(frozen=True)
class Run:
    """One execution of a notebook: its study, readable id and full parameters.

    Attributes
    ----------
    study : str
        The study's name.
    run_id : str
        The run's readable id (its folder name).
    notebook : Path
        The notebook executed.
    parameters : dict
        Every parameter passed to the notebook, paths resolved.
    """

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
    """A validated study: a notebook and the runs its specification expands to.

    Attributes
    ----------
    name : str
        The study's name (its folder under the reports folder).
    notebook : Path
        The study notebook.
    source : Path
        The specification file it comes from.
    runs : list of Run
        The runs, in the order of the specification.
    description : str
        Shown under the study's name in the index.
    headline : tuple of str
        Recorded results the index shows first.
    """

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

    Parameters
    ----------
    notebook : str or path
        The notebook (``.ipynb``).

    Returns
    -------
    dict
        Parameter name -> default, in the cell's order.

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
        The runs of the specification, in file order, validated.

    Raises
    ------
    StudyError
        Naming the file, the study, the run and the key: unknown notebook, a
        parameter the notebook does not declare, a value whose type differs from the
        notebook's default (``None`` defaults accept anything, an int is accepted for
        a float), duplicate run ids or study names.
    """
    source = Path(path)
    try:
        source.stat()
    except OSError as exc:
        raise StudyError(f"cannot read study file {source}: {exc.strerror or exc}") from None
    try:
        # bounded: a small file of nested YAML aliases would otherwise expand without limit
        spec = safe_yaml_load(source, max_bytes=SPEC_MAX_BYTES, max_nodes=SPEC_MAX_NODES)
    except CsatError as exc:
        raise StudyError(str(exc)) from None
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
    # a bare name (``notebook: satisfaction_vs_loyalty``) is a bundled study, else a path
    notebook = resources.resolve_notebook(entry["notebook"], source.parent)
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
    if "language" in entry:  # shorthand for the notebook parameter of every run
        try:
            fixed = {**fixed, "language": check_language(entry["language"])}
        except ParameterError as exc:
            raise StudyError(f"{where}: key 'language': {exc}") from None
    _check_parameters(fixed, declared, notebook, f"{where}, all runs")
    fixed = _resolve_paths(fixed, source.parent, f"{where}, all runs")

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
        run_parameters = _resolve_paths(run_parameters, source.parent, f"{where}, run '{run_id}'")
        runs.append(Run(name, run_id, notebook.resolve(), {**fixed, **run_parameters}))
    description = entry.get("description", "")
    headline = entry.get("headline") or []
    if not (isinstance(headline, list) and all(isinstance(item, str) for item in headline)):
        raise StudyError(f"{where}: key 'headline' must be a list of recorded result names")
    return Study(
        name, notebook.resolve(), source, runs, description if isinstance(description, str) else "", tuple(headline)
    )


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
        total = math.prod(len(axis) for axis in axes)
        if total > MAX_RUNS:
            raise StudyError(f"{where}: the grid expands to {total:,} runs; the limit is {MAX_RUNS:,}")
        return [dict(point) for point in itertools.product(*axes)]
    if "runs" in entry:
        runs = entry["runs"]
        if not isinstance(runs, list) or not runs:
            raise StudyError(f"{where}: key 'runs' must be a non-empty list of parameter mappings")
        if len(runs) > MAX_RUNS:
            raise StudyError(f"{where}: {len(runs):,} runs; the limit is {MAX_RUNS:,}")
        for position, run in enumerate(runs, start=1):
            if not isinstance(run, dict):
                raise StudyError(f"{where}: run {position} must be a mapping of parameter names to values")
        return [dict(run) for run in runs]
    return [{}]


def _check_parameters(parameters: dict, declared: dict[str, Any], notebook: Path, where: str) -> None:
    for key, value in parameters.items():
        if not isinstance(key, str):
            raise StudyError(f"{where}: parameter name {key!r} must be a string")
        if key == "results_path" or (_OUTPUT_NAME.search(key) and value is not None):
            raise StudyError(
                f"{where}: key '{key}': the runner writes every output inside the run's own folder "
                "(results go to results.json and the executed notebook's metadata); remove this key"
            )
        if key not in declared:
            valid = ", ".join(declared) or "(none)"
            raise StudyError(f"{where}: key '{key}' is not a parameter of {notebook.name}; valid parameters: {valid}")
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
    # Parameters are data: only what JSON (and papermill's injection) represents exactly,
    # and small: a settings value, not a data set (those belong in a file).
    items = 0
    stack = [value]
    while stack:
        item = stack.pop()
        items += 1
        if items > MAX_PARAMETER_ITEMS:
            raise StudyError(
                f"{where}: the value holds more than {MAX_PARAMETER_ITEMS:,} items; parameters are "
                "settings: put large inputs in a file and pass its path"
            )
        if item is None or isinstance(item, (bool, int, float, str)):
            continue
        if isinstance(item, list):
            stack.extend(item)
            continue
        if isinstance(item, dict):
            for key, member in item.items():
                if not isinstance(key, str):
                    raise StudyError(f"{where}: mapping keys must be strings, got {key!r}")
                stack.append(member)
            continue
        raise StudyError(f"{where}: YAML gave a {type(item).__name__} ({item!r}); quote it to pass a string")
    if isinstance(value, (str, list, dict)):
        size = len(_canonical(value))
        if size > MAX_PARAMETER_CHARS:
            raise StudyError(
                f"{where}: the value is {size:,} characters long as JSON; the limit is "
                f"{MAX_PARAMETER_CHARS:,}: put large inputs in a file and pass its path"
            )


def _data_dir() -> Path:
    # As csat_analysis.datasets.DATA_DIR, read at call time and without importing pandas.
    return resources.data_dir()


def _bundled_manifest() -> dict[str, dict[str, Any]]:
    """``name -> {"file", "sha256", ...}`` of the bundled data sets (empty if there is no manifest)."""
    path = _data_dir() / "manifest.json"
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        return {}
    return _read_manifest(str(path), stamp)


@functools.lru_cache(maxsize=4)
def _read_manifest(path: str, _stamp: int) -> dict[str, dict[str, Any]]:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))["datasets"]
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def _resolve_paths(parameters: dict[str, Any], base: Path, where: str) -> dict[str, Any]:
    """Parameters with file names made absolute (relative to the study file) and checked.

    ``dataset`` (unless a bundled name or ``simulated``), ``schema`` and ``survey``
    strings must name readable files; any other string parameter naming an existing
    file relative to the study file is made absolute too, so the notebook finds it
    from its run folder.
    """
    resolved = dict(parameters)
    bundled = _bundled_manifest()
    for key, value in parameters.items():
        if not isinstance(value, str) or not value or "\0" in value:
            continue
        required = key in FILE_PARAMETERS and not (
            key == "dataset" and (value in bundled or value == SIMULATED_DATASET)
        )
        if not required and not ("/" in value or os.sep in value or Path(value).suffix):
            continue  # a label such as "north" is not a file name, even if such a file exists
        candidate = Path(os.path.abspath(base / Path(value).expanduser()))
        try:
            exists = candidate.is_file()
        except (OSError, ValueError):  # a name too long for the file system, say
            exists = False
        if not exists:
            if required:
                extra = ""
                if key == "dataset":
                    names = ", ".join([*bundled, SIMULATED_DATASET])
                    extra = f"; not a bundled data set either ({names})"
                raise StudyError(
                    f"{where}: key '{key}': no file {value!r} (looked for {candidate}, paths are relative "
                    f"to the study file){extra}"
                )
            continue
        if not os.access(candidate, os.R_OK):
            raise StudyError(f"{where}: key '{key}': file {candidate} is not readable")
        resolved[key] = str(candidate)
    return resolved


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
        if run_id.lower().endswith(FAILED_SUFFIX):
            # "<id>.failed" names the failed attempt of run "<id>": never a run of its own
            run_id = run_id[: -len(FAILED_SUFFIX)] + "-" + run_id[-len(FAILED_SUFFIX) + 1 :]
        readable.append(run_id)
    counts: dict[str, set[str]] = {}
    for run_id, run in zip(readable, runs):
        counts.setdefault(run_id, set()).add(_canonical(run))
    return [
        f"{run_id}-{_short_hash(run)}" if len(counts[run_id]) > 1 else run_id for run_id, run in zip(readable, runs)
    ]


# --------------------------------------------------------------------------- state


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@functools.lru_cache(maxsize=1024)
def _file_digest_cached(path: str, _size: int, _mtime_ns: int) -> str:
    return _sha256_file(Path(path))


def _file_digest(path: Path) -> str:
    """SHA-256 of a file's content, computed once per batch for an unchanged file."""
    status = path.stat()
    return _file_digest_cached(str(path), status.st_size, status.st_mtime_ns)


@functools.cache
def _package_digest(package: Path | None = None) -> str:
    """SHA-256 over the installed ``csat_analysis`` package (or ``package``): every source and data file."""
    package = Path(__file__).resolve().parent if package is None else package
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts or path.suffix in (".pyc", ".pyo"):
            continue
        digest.update(path.relative_to(package).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


#: runtime dependencies when the distribution metadata cannot be read (a source checkout)
_FALLBACK_DEPENDENCIES = (
    "numpy",
    "pandas",
    "scipy",
    "statsmodels",
    "matplotlib",
    "seaborn",
    "papermill",
    "nbconvert",
    "nbformat",
    "ipykernel",
    "pyyaml",
    "tqdm",
)


@functools.cache
def _dependency_versions() -> dict[str, str]:
    """Installed versions of csat-analysis's runtime dependencies (no extras)."""
    from importlib import metadata

    try:
        requirements = metadata.requires("csat-analysis") or []
        names = [re.match(r"[A-Za-z0-9_.\-]+", line).group(0) for line in requirements if "extra ==" not in line]
    except metadata.PackageNotFoundError:
        names = list(_FALLBACK_DEPENDENCIES)
    versions = {}
    for name in sorted(set(names), key=str.lower):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


@functools.lru_cache(maxsize=256)
def _notebook_digest(path: str, _size: int, _mtime_ns: int) -> str:
    return _sha256_file(Path(path))


def _bundled_problem(name: str) -> str | None:
    """Why bundled data set ``name`` cannot be used (missing or altered file), or ``None``."""
    entry = _bundled_manifest().get(name)
    if entry is None:
        return None
    path = _data_dir() / entry["file"]
    try:
        digest = _file_digest(path)
    except OSError as exc:
        return f"bundled data set '{name}': cannot read {path}: {exc.strerror or exc}"
    if digest != entry.get("sha256"):
        return (
            f"bundled data set '{name}': {path} has SHA-256 {digest} but the manifest records "
            f"{entry.get('sha256')}; the file was altered. Restore it from git or rerun "
            "scripts/fetch_raw_data.py"
        )
    return None


def _show_code(show_code: bool, no_input: bool | None) -> bool:
    """The export option from ``show_code`` and the deprecated ``no_input`` (which wins when given)."""
    return (not no_input) if no_input is not None else bool(show_code)


def run_inputs(run: Run, *, show_code: bool = False, no_input: bool | None = None) -> dict[str, Any]:
    """Everything a run's report depends on, as recorded in ``run.json`` under ``inputs``.

    Keys: ``notebook`` (SHA-256 of its content), ``parameters``, ``files`` (parameter
    -> ``{"path", "sha256"}`` for every parameter naming an existing file), ``bundled``
    (data set -> manifest checksum), ``package`` (digest of the installed
    ``csat_analysis`` source and data), ``dependencies`` (name -> installed version),
    ``show_code`` (the export option: a reader's report without code, or an analyst's
    with it). ``no_input`` is the deprecated spelling of ``show_code=False``.

    Parameters
    ----------
    run : Run
        The run.
    show_code : bool
        The export option: a report with the code (for analysts) or without (for readers).
    no_input : bool, optional
        Deprecated spelling of ``show_code=False``; wins when given.

    Returns
    -------
    dict
        The inputs listed above.
    """
    status = run.notebook.stat()
    files: dict[str, dict[str, str]] = {}
    bundled: dict[str, str] = {}
    manifest = _bundled_manifest()
    for key, value in run.parameters.items():
        if not isinstance(value, str):
            continue
        if key == "dataset" and value in manifest:
            bundled[value] = manifest[value].get("sha256", "")
            continue
        path = Path(value)
        if path.is_absolute() and path.is_file():
            files[key] = {"path": value, "sha256": _file_digest(path)}
    return {
        "notebook": _notebook_digest(str(run.notebook), status.st_size, status.st_mtime_ns),
        "parameters": run.parameters,
        "files": files,
        "bundled": bundled,
        "package": _package_digest(),
        "dependencies": _dependency_versions(),
        "show_code": _show_code(show_code, no_input),
    }


def fingerprint(
    run: Run, *, show_code: bool = False, no_input: bool | None = None, inputs: dict[str, Any] | None = None
) -> str:
    """SHA-256 of :func:`run_inputs`: equal fingerprints mean an equal report.

    Parameters
    ----------
    run : Run
        The run.
    show_code : bool
        The export option: a report with the code (for analysts) or without (for readers).
    no_input : bool, optional
        Deprecated spelling of ``show_code=False``; wins when given.
    inputs : dict, optional
        The run's :func:`run_inputs`, when already computed.

    Returns
    -------
    str
        Hexadecimal SHA-256 digest.
    """
    inputs = run_inputs(run, show_code=show_code, no_input=no_input) if inputs is None else inputs
    return hashlib.sha256(_canonical(inputs).encode()).hexdigest()


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) else None


@dataclass(frozen=True)
class RunState:
    """Where a run stands and why: ``state`` is ``done``, ``changed``, ``failed`` or ``new``.

    Attributes
    ----------
    state : str
        ``done``, ``changed``, ``failed`` or ``new``.
    reasons : tuple of str
        Why the run is not up to date (empty when it is).
    """

    state: str
    reasons: tuple[str, ...] = ()


def _differences(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """Readable reasons why recorded inputs ``old`` differ from the current ``new``."""
    reasons = []
    if old.get("notebook") != new["notebook"]:
        reasons.append("the notebook changed")
    old_parameters, new_parameters = old.get("parameters") or {}, new["parameters"]
    changed = sorted(
        k
        for k in set(old_parameters) | set(new_parameters)
        if _canonical(old_parameters.get(k)) != _canonical(new_parameters.get(k))
    )
    if changed:
        reasons.append("parameters changed: " + ", ".join(changed))
    old_files, new_files = old.get("files") or {}, new["files"]
    for key in sorted(set(old_files) | set(new_files)):
        before, after = old_files.get(key), new_files.get(key)
        if before is None or after is None:
            continue  # the parameter itself changed, said above
        if before.get("path") == after.get("path") and before.get("sha256") != after.get("sha256"):
            reasons.append(f"input file {after['path']} ({key}) changed")
    old_bundled, new_bundled = old.get("bundled") or {}, new["bundled"]
    for name in sorted(set(old_bundled) & set(new_bundled)):
        if old_bundled[name] != new_bundled[name]:
            reasons.append(f"bundled data set '{name}' has a new checksum in the manifest")
    if old.get("package") != new["package"]:
        reasons.append("the csat_analysis source changed")
    old_versions, new_versions = old.get("dependencies") or {}, new["dependencies"]
    updated = [
        f"{name} {old_versions.get(name, 'none')} -> {version}"
        for name, version in new_versions.items()
        if old_versions.get(name) != version
    ]
    if updated:
        reasons.append("dependencies changed: " + ", ".join(updated))
    # reports made before reader reports were the default recorded "no_input" (False: code shown)
    old_show_code = old["show_code"] if "show_code" in old else not old.get("no_input", False)
    if bool(old_show_code) != bool(new["show_code"]):
        reasons.append("export option changed: --show-code " + ("on" if new["show_code"] else "off"))
    return reasons


def explain_state(
    run: Run, reports_dir: str | os.PathLike = "reports", *, show_code: bool = False, no_input: bool | None = None
) -> RunState:
    """Where a run stands, with the reasons a report is not up to date.

    ``done``: a successful report exists whose inputs (see :func:`run_inputs`) all
    match and no later attempt failed; ``failed``: the latest attempt failed (reason:
    its error); ``changed``: a good report exists but an input differs, or a bundled
    data file no longer matches its manifest checksum (reasons name each);
    ``new``: no report yet.

    Parameters
    ----------
    run : Run
        The run.
    reports_dir : str or path
        The reports folder.
    show_code : bool
        The export option: a report with the code (for analysts) or without (for readers).
    no_input : bool, optional
        Deprecated spelling of ``show_code=False``; wins when given.

    Returns
    -------
    RunState
        The state and its reasons.

    See Also
    --------
    run_state : The state alone.
    """
    study_dir = Path(reports_dir) / run.study
    failed = _read_json(study_dir / (run.run_id + FAILED_SUFFIX) / RUN_FILE)
    if failed is not None or (study_dir / (run.run_id + FAILED_SUFFIX) / RUN_FILE).exists():
        error = (failed or {}).get("error") or "see error.txt"
        return RunState("failed", (f"the latest attempt failed: {error}",))
    record = _read_json(study_dir / run.run_id / RUN_FILE)
    if record is None or record.get("status") != "ok":
        return RunState("new")
    problems = [problem for name in _bundled_names(run) if (problem := _bundled_problem(name))]
    inputs = run_inputs(run, show_code=show_code, no_input=no_input)
    if record.get("fingerprint") == fingerprint(run, inputs=inputs) and not problems:
        return RunState("done")
    recorded = record.get("inputs")
    if not isinstance(recorded, dict):
        reasons = ["the report was made by an older csat-analysis that did not record its inputs"]
    else:
        reasons = _differences(recorded, inputs) or ["the fingerprint differs"]
    if problems:
        reasons = problems + (reasons if record.get("fingerprint") != fingerprint(run, inputs=inputs) else [])
    return RunState("changed", tuple(reasons))


def _bundled_names(run: Run) -> list[str]:
    value = run.parameters.get("dataset")
    return [value] if isinstance(value, str) and value in _bundled_manifest() else []


def run_state(
    run: Run, reports_dir: str | os.PathLike = "reports", *, show_code: bool = False, no_input: bool | None = None
) -> str:
    """Where a run stands: ``"done"`` (up to date), ``"failed"``, ``"changed"`` or ``"new"``.

    The state of :func:`explain_state`, without the reasons.

    Parameters
    ----------
    run : Run
        The run.
    reports_dir : str or path
        The reports folder.
    show_code : bool
        The export option: a report with the code (for analysts) or without (for readers).
    no_input : bool, optional
        Deprecated spelling of ``show_code=False``; wins when given.

    Returns
    -------
    str
        ``"done"``, ``"failed"``, ``"changed"`` or ``"new"``.
    """
    return explain_state(run, reports_dir, show_code=show_code, no_input=no_input).state


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


def _take_results(node: Any) -> dict[str, Any]:
    """Remove every recorded-results output from an executed notebook and return them merged.

    Outputs carrying :data:`RESULTS_MIME` are read in cell order; a name recorded again
    later replaces the earlier value. They are removed so the report never shows them.
    """
    results: dict[str, Any] = {}
    for cell in node.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        kept = []
        for output in cell.get("outputs", []):
            data = output.get("data") if hasattr(output, "get") else None
            if not data or RESULTS_MIME not in data:
                kept.append(output)
                continue
            payload = data[RESULTS_MIME]
            if isinstance(payload, str):
                try:
                    payload = json.loads(payload)
                except ValueError:
                    payload = None
            if isinstance(payload, dict):
                results.update(payload)
        cell["outputs"] = kept
    return results


def _record_results(output: Path, folder: Path) -> dict[str, Any]:
    """Move recorded results from the notebook's outputs into its metadata and ``results.json``."""
    import nbformat

    node = nbformat.read(output, as_version=4)
    # A notebook still calling report.set_results_path(None) wrote ./results.json into
    # its run folder: read it first, recorded outputs take precedence.
    legacy = _read_json(folder / "results.json") or {}
    results = {**legacy, **_take_results(node)}
    node.metadata.setdefault("csat_analysis", {})["results"] = results
    nbformat.write(node, output)
    _write_text(folder / "results.json", json.dumps(results, indent=2) + "\n")
    return results


def _write_text(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    try:
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(path)
    finally:
        if temporary.exists():
            temporary.unlink()


def _write_error(exc: OSError, what: str) -> tuple[str, str]:
    where = f" ({exc.filename})" if exc.filename else ""
    line = f"could not write {what}: {exc.strerror or exc}{where}"
    return line, line


def execute_run(task: dict[str, Any]) -> dict[str, Any]:
    """Execute one run and publish its folder; returns the run record (``run.json``).

    Runs in a worker process (local pool or Dask worker). Everything is written into a
    temporary sibling folder that is renamed into place only when complete: a good
    run replaces ``<run-id>/``; a failed one goes to ``<run-id>.failed/`` and leaves an
    earlier good report intact. Neither a failing notebook nor a failed write (a full
    or read-only disk) raises here: the record says ``failed`` and why.

    Warnings never reach the report: the kernel logs every Python warning to the run's
    ``warnings.log`` (see :func:`_warnings_to_log`), output streams named ``stderr``
    (logging messages, library chatter) are moved there from the executed notebook,
    and the record counts them under ``warnings``.

    Parameters
    ----------
    task : dict
        The run's description as :func:`run_batch` sends it to a worker (plain values, so it pickles).

    Returns
    -------
    dict
        The run record written to ``run.json``: status, timings, error, results, warnings.
    """
    study_dir = Path(task["reports_dir"]) / task["study"]
    show_code = (not task["no_input"]) if "no_input" in task else bool(task.get("show_code", False))
    started = datetime.now(UTC)
    clock = time.perf_counter()
    record: dict[str, Any] = {
        "study": task["study"],
        "run": task["run"],
        "notebook": task["notebook"],
        "parameters": task["parameters"],
        "fingerprint": task["fingerprint"],
        "inputs": task.get("inputs"),
        "csat_version": __version__,
        "show_code": show_code,
        "description": task.get("description", ""),
        "started": started.isoformat(timespec="seconds"),
        "host": os.uname().nodename if hasattr(os, "uname") else "",
    }
    temporary: Path | None = None
    try:
        study_dir.mkdir(parents=True, exist_ok=True)
        temporary = study_dir / f".{task['run']}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        temporary.mkdir()
        output = temporary / "notebook.ipynb"
        warnings_log = temporary / WARNINGS_FILE
        error: tuple[str, str] | None = None
        try:
            import papermill

            kernel_log = temporary / "kernel.log" if task.get("kernel_log") else None
            with _stderr_to(kernel_log), _inline_figures():
                papermill.execute_notebook(
                    _translated_notebook(task["notebook"], task["parameters"].get("language", "en")),
                    str(output),
                    parameters=task["parameters"],
                    cwd=str(temporary),
                    kernel_name="python3",  # the native kernel: this worker's interpreter
                    progress_bar=False,
                    log_output=False,
                    execution_timeout=task.get("timeout"),
                    extra_arguments=_warnings_to_log(warnings_log),
                )
        except OSError as exc:
            error = _write_error(exc, "the executed notebook")
        except Exception as exc:  # a failing run is recorded, never stops the batch
            error = _describe_error(exc)
        record["execution_seconds"] = round(time.perf_counter() - clock, 3)
        if output.exists():
            try:
                record["results"] = sorted(_record_results(output, temporary))
                _move_stderr(output, warnings_log)
                export_html(
                    output,
                    temporary / "report.html",
                    show_code=show_code,
                    title=task.get("title") or _report_title(task["study"], task["run"], _task_language(task)),
                    notebook_link="notebook.ipynb",
                )
            except OSError as exc:
                error = error or _write_error(exc, "the report")
            except Exception as exc:  # noqa: BLE001 - reported as the run's failure
                if error is None:
                    error = _describe_error(exc)
                    error = (f"HTML export failed: {error[0]}", error[1])
        record["warnings"] = count_warnings(warnings_log)
        record["status"] = "ok" if error is None else "failed"
        record["error"] = None if error is None else error[0]
        record["duration"] = round(time.perf_counter() - clock, 3)
        record["finished"] = datetime.now(UTC).isoformat(timespec="seconds")
        if error is None and (temporary / "kernel.log").exists():
            (temporary / "kernel.log").unlink()  # only kept to explain failures
        if error is not None:
            (temporary / "error.txt").write_text(error[1] + "\n", encoding="utf-8")
        (temporary / RUN_FILE).write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
        final = study_dir / (task["run"] if error is None else task["run"] + FAILED_SUFFIX)
        _publish(temporary, final)
        if error is None:
            shutil.rmtree(study_dir / (task["run"] + FAILED_SUFFIX), ignore_errors=True)
    except OSError as exc:  # a full or read-only reports folder: the run is lost, say so
        record["status"] = "failed"
        record["error"] = _write_error(exc, "the run folder")[0]
        record.setdefault("duration", round(time.perf_counter() - clock, 3))
    finally:
        if temporary is not None and temporary.exists():
            shutil.rmtree(temporary, ignore_errors=True)
    return record


#: reader-facing names of the bundled studies (report titles)
STUDY_TITLES = {
    "data_overview": N_("Data overview"),
    "satisfaction_vs_loyalty": N_("Satisfaction versus loyalty"),
    "complaint_resolution": N_("Complaint resolution"),
    "churn_and_retention": N_("Churn and retention"),
    "customer_comments": N_("What customers say"),
}


def _task_language(task: dict[str, Any]) -> str:
    language = task["parameters"].get("language", "en")
    return language if language in ("en", "zh") else "en"


def _report_title(study: str, run_id: str, language: str = "en") -> str:
    """The page title of a run's report: ``"Complaint resolution: mobi"`` (in the run's language)."""
    from .formatting import display_name

    name = translator(language).gettext(STUDY_TITLES[study]) if study in STUDY_TITLES else display_name(study)
    return f"{name}: {run_id}"


#: the run's log of warnings (Python warnings and stderr output of the notebook)
WARNINGS_FILE = "warnings.log"
#: how each warning entry of :data:`WARNINGS_FILE` starts (one entry may span lines)
_WARNING_ENTRY = "warning: "

# Run by the kernel before the notebook (ipykernel's exec_lines): every warning becomes
# one entry of the run's log instead of a stderr output inside the report.
_WARNINGS_HOOK = """\
import warnings as _csat_warnings
def _csat_show_warning(message, category, filename, lineno, file=None, line=None, _path={path!r}):
    text = " ".join(str(message).split())
    with open(_path, "a", encoding="utf-8") as _handle:
        _handle.write(f"warning: {{category.__name__}}: {{text}} [{{filename}}:{{lineno}}]\\n")
_csat_warnings.showwarning = _csat_show_warning
del _csat_show_warning"""


def _warnings_to_log(path: Path) -> list[str]:
    """Kernel arguments that send every Python warning to the log at ``path``.

    nbclient passes ``extra_arguments`` to the kernel's command line; ipykernel runs
    ``--IPKernelApp.exec_lines`` before the first cell. ``warnings.showwarning`` is
    what the ``warnings`` module calls to display a warning that its filters let
    through, so the filters (and their once-per-location default) still apply.
    """
    return ["--IPKernelApp.exec_lines=" + json.dumps([_WARNINGS_HOOK.format(path=str(path))])]


def _move_stderr(notebook: Path, log: Path) -> int:
    """Move the stderr stream outputs of an executed notebook into ``log``; how many moved."""
    import nbformat

    node = nbformat.read(notebook, as_version=4)
    entries = []
    for position, cell in enumerate(node.cells, start=1):
        if cell.get("cell_type") != "code":
            continue
        kept = []
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                text = output.get("text", "")
                text = "".join(text) if isinstance(text, list) else str(text)
                if text.strip():
                    entries.append(f"{_WARNING_ENTRY}stderr of cell {position}:\n{text.rstrip()}\n")
                continue
            kept.append(output)
        cell["outputs"] = kept
    if entries:
        nbformat.write(node, notebook)
        with log.open("a", encoding="utf-8") as handle:
            handle.write("".join(entries))
    return len(entries)


def count_warnings(log: str | os.PathLike) -> int:
    """How many warnings a run's ``warnings.log`` holds (0 when there is none).

    Parameters
    ----------
    log : str or path
        A run's ``warnings.log``.

    Returns
    -------
    int
        The number of warnings logged.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> log = pathlib.Path(tempfile.mkdtemp()) / "warnings.log"
    >>> count_warnings(log)
    0
    >>> _ = log.write_text("warning: UserWarning: x [a.py:1]\\nwarning: stderr of cell 3:\\nline\\n")
    >>> count_warnings(log)
    2
    """
    try:
        text = Path(log).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return 0
    return sum(line.startswith(_WARNING_ENTRY) for line in text.splitlines())


def _translated_notebook(notebook: str, language: str):
    """The notebook to execute: its path, or for another language than English its node
    with every Markdown cell replaced by the catalog's translation (see
    :func:`csat_analysis.i18n.translate_notebook`; a cell without one stays in English).
    """
    if language == "en":
        return notebook
    import nbformat

    node = nbformat.read(notebook, as_version=4)
    translate_notebook(node, check_language(language))
    return node


@contextlib.contextmanager
def _inline_figures():
    """Let the kernel pick its inline figure backend, whatever ``MPLBACKEND`` says here.

    The kernel inherits this process's environment; ``MPLBACKEND=Agg`` (common on
    servers and in CI) would make every ``plt.show()`` draw nothing and the reports
    would lose their figures.
    """
    saved = os.environ.pop("MPLBACKEND", None)
    try:
        yield
    finally:
        if saved is not None:
            os.environ["MPLBACKEND"] = saved


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


_RENAME_EXCHANGE = 2  # linux/fs.h
_AT_FDCWD = -100


@functools.cache
def _renameat2():
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # glibc before 2.28, musl
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically (Linux ``renameat2(RENAME_EXCHANGE)``); ``False`` if unsupported."""
    function = _renameat2()
    if function is None:
        return False
    if function(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):  # kernel or file system without it
        return False
    raise OSError(code, os.strerror(code), str(second))


def _publish(temporary: Path, final: Path) -> None:
    """Move a complete run folder into place, replacing an older one, atomically.

    Readers see the old folder or the new one, never a missing or half-written one.
    Safe when several processes publish the same run at once: the last one wins and
    none raises.
    """
    for _attempt in range(1000):
        try:
            os.rename(temporary, final)  # no folder yet (or an empty one)
            return
        except OSError as exc:
            if exc.errno not in (errno.ENOTEMPTY, errno.EEXIST):
                raise
        try:
            if _exchange(temporary, final):
                shutil.rmtree(temporary, ignore_errors=True)  # now holds the replaced folder
                return
        except FileNotFoundError:
            continue  # another process moved the folder away meanwhile: rename again
        # Without an atomic exchange: move the old folder aside, then rename.
        retired = final.with_name(f".{final.name}.old-{os.getpid()}-{uuid.uuid4().hex[:8]}")
        try:
            final.rename(retired)
        except FileNotFoundError:
            continue
        try:
            os.rename(temporary, final)
        except OSError as exc:
            if exc.errno not in (errno.ENOTEMPTY, errno.EEXIST):
                raise
            continue
        finally:
            shutil.rmtree(retired, ignore_errors=True)
        return
    raise OSError(errno.EBUSY, "the run folder kept changing while publishing", str(final))


#: the HTML ``lang`` of each report language
_HTML_LANG = {"en": "en", "zh": "zh-Hans"}

_HEADING = re.compile(r"<h([1-3])\b[^>]*\bid=\"([^\"]+)\"[^>]*>(.*?)</h\1>", re.S)

_TOC_STYLE = """<style>
nav.csat-toc{border:1px solid #ddd;border-radius:4px;padding:0.6em 1.2em;margin:1em auto;max-width:60em;
 background:#fafafa;font-family:system-ui,sans-serif;font-size:0.95em}
nav.csat-toc ul{margin:0.3em 0;padding-left:1.2em} nav.csat-toc li.toc-2{margin-left:1.2em}
nav.csat-toc li.toc-3{margin-left:2.4em}
</style>"""


def _add_table_of_contents(page: str, language: str = "en") -> str:
    """Insert a linked table of contents built from the page's h1-h3 headings."""
    entries = []
    for level, anchor, inner in _HEADING.findall(page):
        text = html.unescape(re.sub(r"<[^>]+>", "", inner)).replace("\u00b6", "").strip()
        if text:
            # headings may come from outputs showing data (column names...): escaped again
            href = "#" + quote(html.unescape(anchor), safe="")
            entries.append(f'<li class="toc-{level}"><a href="{escape_html(href)}">{escape_html(text)}</a></li>')
    if not entries:
        return page
    contents = escape_html(translator(language).gettext("Contents"))
    nav = f'<nav class="csat-toc" aria-label="{contents}"><strong>{contents}</strong><ul>{"".join(entries)}</ul></nav>'
    page = page.replace("</head>", _TOC_STYLE + "\n</head>", 1)
    opening = re.search(r"<main\b[^>]*>", page) or re.search(r"<body\b[^>]*>", page)
    if opening is None:
        return nav + page
    return page[: opening.end()] + "\n" + nav + page[opening.end() :]


#: output MIME types that would run code in the report page: dropped
_ACTIVE_MIME_TYPES = (
    "application/javascript",
    "text/javascript",
    "application/x-javascript",
    "application/vnd.jupyter.widget-view+json",
)


def _sanitize_outputs(node: Any) -> None:
    """Make every rich output of a notebook inert before it becomes a report page.

    Outputs show data (file names, column names, labels) that may hold markup. HTML
    outputs are rebuilt from an allow-list (:func:`csat_analysis._safety.sanitize_html`);
    Markdown outputs are rendered and sanitised the same way (raw HTML inside Markdown
    would otherwise pass through); SVG becomes an image (scripts in an ``<img>`` never
    run); JavaScript outputs and recorded-results payloads are dropped. Plain-text,
    stream and error outputs are escaped by the exporter itself.
    """
    import base64

    for cell in node.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        kept = []
        for output in cell.get("outputs", []):
            data = output.get("data")
            if data:
                for mime in (*_ACTIVE_MIME_TYPES, RESULTS_MIME):
                    data.pop(mime, None)
                if "text/markdown" in data:
                    markdown = data.pop("text/markdown")
                    markdown = "".join(markdown) if isinstance(markdown, list) else str(markdown)
                    data["text/html"] = markdown_to_safe_html(markdown)
                elif "text/html" in data:
                    fragment = data["text/html"]
                    data["text/html"] = sanitize_html("".join(fragment) if isinstance(fragment, list) else fragment)
                if "image/svg+xml" in data:
                    svg = data.pop("image/svg+xml")
                    svg = "".join(svg) if isinstance(svg, list) else str(svg)
                    if "text/html" not in data and "image/png" not in data:
                        encoded = base64.b64encode(svg.encode("utf-8")).decode("ascii")
                        data["text/html"] = f'<img src="data:image/svg+xml;base64,{encoded}" alt="figure">'
                if not any(value for key, value in data.items() if key != "text/plain") and not data.get("text/plain"):
                    continue  # nothing left to show
            kept.append(output)
        cell["outputs"] = kept


@functools.cache
def _html_exporter(show_code: bool, _thread: int):
    # Building the exporter loads and compiles the templates: once per worker process
    # (and thread: a Dask worker may export in several threads at once).
    from nbconvert import HTMLExporter

    return HTMLExporter(
        template_name="lab",
        embed_images=True,
        exclude_input=not show_code,
        exclude_input_prompt=not show_code,
        exclude_output_prompt=not show_code,
    )


#: output metadata that marks the one-line note of a section that did not run on the data
SKIPPED_KEY = "skipped"


def _is_skipped_note(output: Any) -> bool:
    metadata = output.get("metadata") or {}
    marker = metadata.get("csat_analysis") if hasattr(metadata, "get") else None
    return isinstance(marker, dict) and bool(marker.get(SKIPPED_KEY))


def _drop_stderr(node: Any) -> int:
    """Remove stream outputs named ``stderr`` (warnings, logging): a report never shows them."""
    dropped = 0
    for cell in node.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        outputs = cell.get("outputs", [])
        kept = [o for o in outputs if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]
        dropped += len(outputs) - len(kept)
        cell["outputs"] = kept
    return dropped


#: cells with this tag are for analysts editing the notebook; reader reports leave them out
ANALYST_TAG = "analyst-only"


def _reader_cells(node: Any) -> list[str]:
    """Shape a notebook into a reader's report: fold skipped sections, drop empty code cells.

    A section that did not run on these data shows a one-line note whose output
    metadata holds ``{"csat_analysis": {"skipped": title}}``; the report's summary box
    already lists it ("Not run on these data: ..."). Here the note is removed, and when
    its cell shows nothing else, so are the Markdown cells directly above it (back to
    the previous code cell) that introduce the section. Code cells that show nothing
    (the parameters, the set-up) are removed too, so hidden code leaves no gaps, and so
    are cells tagged :data:`ANALYST_TAG` (notes for whoever edits the notebook, such as
    the set-up heading).

    Returns the titles of the folded sections.
    """
    folded: list[str] = []
    cells = list(node.get("cells", []))
    drop: set[int] = set()
    for position, cell in enumerate(cells):
        if ANALYST_TAG in cell.get("metadata", {}).get("tags", []):
            drop.add(position)
            continue
        if cell.get("cell_type") != "code":
            continue
        outputs = cell.get("outputs", [])
        notes = [o for o in outputs if _is_skipped_note(o)]
        kept = [o for o in outputs if not _is_skipped_note(o)]
        cell["outputs"] = kept
        folded += [str(o["metadata"]["csat_analysis"][SKIPPED_KEY]) for o in notes]
        if kept:
            continue
        drop.add(position)
        if notes:
            above = position - 1
            while above >= 0 and cells[above].get("cell_type") != "code":
                if cells[above].get("cell_type") == "markdown":
                    drop.add(above)
                above -= 1
    node["cells"] = [cell for position, cell in enumerate(cells) if position not in drop]
    return folded


_ANALYST_STYLE = """<style>
p.csat-analyst{max-width:60em;margin:2em auto 1em;color:#666;font-family:system-ui,sans-serif;font-size:0.9em}
</style>"""


def _add_notebook_link(page: str, href: str, language: str = "en") -> str:
    """A line at the end of a reader's report linking the executed notebook with its code."""
    link = f'<a href="{escape_html(quote(href))}">{escape_html(href)}</a>'
    text = translator(language).gettext(
        "For analysts: the code and every intermediate output are in the executed notebook, {link}."
    )
    line = f'<p class="csat-analyst">{escape_html(text).replace("{link}", link)}</p>'
    page = page.replace("</head>", _ANALYST_STYLE + "\n</head>", 1)
    closing = page.rfind("</main>")
    if closing < 0:
        closing = page.rfind("</body>")
    if closing < 0:
        return page + line
    return page[:closing] + line + "\n" + page[closing:]


def export_html(
    notebook: str | os.PathLike,
    output: str | os.PathLike | None = None,
    *,
    show_code: bool = False,
    no_input: bool | None = None,
    title: str | None = None,
    notebook_link: str | None = None,
) -> Path:
    """Export a notebook to a self-contained HTML report with a table of contents.

    Uses nbconvert's ``lab`` template with images embedded (figures are
    ``data:image/png;base64`` URIs, so the file travels alone). By default the page is
    a reader's report: no code, no prompts, no empty code cells, and sections that did
    not run on these data folded away (see :func:`_reader_cells`); ``show_code=True``
    gives the analyst's page with every cell and note. Either way stream outputs named
    ``stderr`` (warnings, logging) are left out: the batch runner keeps them in the
    run's ``warnings.log``.

    Parameters
    ----------
    notebook : path
        An ``.ipynb`` file (it is read, never changed).
    output : path, optional
        Defaults to the notebook's path with suffix ``.html``.
    show_code : bool, default False
        Show the code cells, their prompts and the notes of skipped sections.
    no_input : bool, optional
        Deprecated spelling: ``no_input=True`` is the default reader's report,
        ``no_input=False`` is ``show_code=True``.
    title : str, optional
        Page title; defaults to the notebook's stem.
    notebook_link : str, optional
        A relative link to the executed notebook, added at the end of a reader's
        report for analysts who want the code.

    Returns
    -------
    pathlib.Path
        The HTML file, written atomically (temporary name, then rename).
    """
    import nbformat

    show_code = _show_code(show_code, no_input)
    source = Path(notebook)
    if not source.is_file():
        raise CsatError(f"no notebook at {source}")
    target = Path(output) if output is not None else source.with_suffix(".html")
    try:
        node = nbformat.read(source, as_version=4)
    except Exception as exc:  # nbformat raises several unrelated types for bad files
        raise CsatError(f"cannot read notebook {source}: {exc}") from None
    _sanitize_outputs(node)
    _drop_stderr(node)
    if not show_code:
        _reader_cells(node)
    exporter = _html_exporter(show_code, threading.get_ident())
    page, _ = exporter.from_notebook_node(node, resources={"metadata": {"name": title or source.stem}})
    language = (node.metadata.get("csat_analysis") or {}).get("language", "en")
    language = language if language in ("en", "zh") else "en"
    page = _add_table_of_contents(page, language)
    if language != "en":
        page = re.sub(r'<html lang="en"', f'<html lang="{_HTML_LANG[language]}"', page, count=1)
    if notebook_link and not show_code:
        page = _add_notebook_link(page, notebook_link, language)
    temporary = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    temporary.write_text(page, encoding="utf-8")
    temporary.replace(target)
    return target


@dataclass
class RunOutcome:
    """What happened to one run in a batch: ``ok``, ``failed`` or ``skipped`` (up to date).

    Attributes
    ----------
    run : Run
        The run.
    status : str
        ``ok``, ``failed`` or ``skipped``.
    duration : float or None
        Seconds the run took (None when skipped).
    error : str or None
        The error of a failed run.
    """

    run: Run
    status: str
    duration: float | None = None
    error: str | None = None


@dataclass
class BatchResult:
    """The outcome of :func:`run_batch`.

    ``index_error`` is set when ``index.html`` or ``results.csv`` could not be
    written (a full disk, say); the outcomes are complete either way.

    Attributes
    ----------
    outcomes : list of RunOutcome
        One per run, in the order of the specification.
    index : Path
        ``index.html``.
    results : Path
        ``results.csv``.
    seconds : float
        Wall time of the batch.
    index_error : str or None
        Why the index could not be written, if it could not.
    """

    outcomes: list[RunOutcome]
    index: Path
    results: Path
    seconds: float
    index_error: str | None = None

    @property
    def failed(self) -> list[RunOutcome]:
        """The outcomes of the runs that failed."""
        return [o for o in self.outcomes if o.status == "failed"]

    def count(self, status: str) -> int:
        """Count the runs with one status.

        Parameters
        ----------
        status : str
            ``"ok"``, ``"failed"`` or ``"skipped"``.

        Returns
        -------
        int
            How many runs ended with that status.
        """
        return sum(o.status == status for o in self.outcomes)


def summary_line(outcomes: Sequence[RunOutcome], language: str = "en") -> str:
    """``"N runs: a ok, b failed, c up to date (skipped)"``: the CLI and the index print this one line.

    Parameters
    ----------
    outcomes : sequence of RunOutcome
        The batch's outcomes.
    language : str
        Language of the line (``"en"`` or ``"zh"``).

    Returns
    -------
    str
        The counts of runs by status, in one line.
    """
    ok = sum(o.status == "ok" for o in outcomes)
    failed = sum(o.status == "failed" for o in outcomes)
    skipped = sum(o.status == "skipped" for o in outcomes)
    # one template for every count: the CLI's English line is read by scripts and tests as it always was
    template = translator(language).gettext("{total} runs: {ok} ok, {failed} failed, {skipped} up to date (skipped)")
    return template.format(total=len(outcomes), ok=ok, failed=failed, skipped=skipped)


def with_language(runs: Iterable[Run], language: str) -> list[Run]:
    """``runs`` with their ``language`` parameter set (runs whose notebook has none are unchanged).

    Parameters
    ----------
    runs : iterable of Run
        The runs.
    language : str
        A supported language code (``"en"``, ``"zh"``).

    Returns
    -------
    list of Run
        The runs, each with ``language`` set where its notebook declares it.
    """
    try:
        language = check_language(language)
    except ParameterError as exc:
        raise CsatError(f"--language: {exc}") from None
    return [
        replace(run, parameters={**run.parameters, "language": language})
        if "language" in notebook_parameters(run.notebook)
        else run
        for run in runs
    ]


class ReportsBusyError(CsatError):
    """Another ``csat run`` holds the lock on the reports folder."""


def select_runs(studies: Iterable[Study], only: Sequence[str] | None = None) -> list[Run]:
    """The runs of ``studies``, filtered by ``only`` glob patterns on ``study/run-id`` or ``run-id``."""
    runs = [run for study in studies for run in study.runs]
    if not only:
        return runs
    chosen = [
        run
        for run in runs
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


LOCK_FILE = ".lock"


@contextlib.contextmanager
def _reports_lock(root: Path):
    """Hold an exclusive lock on ``root`` (``flock`` on ``root/.lock``) or raise :class:`ReportsBusyError`.

    The lock belongs to this process's open file: it is released when the process
    ends, however it ends, and worker processes do not inherit it.
    """
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks here; one batch at a time is on the user
        yield
        return
    path = root / LOCK_FILE
    handle = open(path, "a+", encoding="utf-8")
    try:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = " ".join(handle.read().split()) or "another process"
            raise ReportsBusyError(
                f"another csat run is using the reports folder {root} ({holder}); wait until it "
                "finishes, or give this batch its own --reports folder"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(
            f"pid {os.getpid()} on {socket.gethostname()} since {datetime.now(UTC).isoformat(timespec='seconds')}\n"
        )
        handle.flush()
        yield
    finally:
        handle.close()  # releases the lock


def _remove_leftovers(root: Path, studies: Iterable[str]) -> None:
    """Remove temporary and retired folders that killed workers left behind (we hold the lock)."""
    for study in set(studies):
        folder = root / study
        if not folder.is_dir():
            continue
        for path in folder.iterdir():
            if path.name.startswith(".") and (".tmp-" in path.name or ".old-" in path.name):
                shutil.rmtree(path, ignore_errors=True)


def _record_failure(root: Path, run: Run, task: dict[str, Any] | None, error: str) -> None:
    """Leave ``<run-id>.failed/`` for a run that failed outside a worker (best effort)."""
    record = {
        "study": run.study,
        "run": run.run_id,
        "notebook": str(run.notebook),
        "parameters": run.parameters,
        "fingerprint": (task or {}).get("fingerprint"),
        "inputs": (task or {}).get("inputs"),
        "csat_version": __version__,
        "status": "failed",
        "error": error,
        "duration": None,
        "finished": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    study_dir = root / run.study
    temporary = study_dir / f".{run.run_id}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    try:
        temporary.mkdir(parents=True)
        (temporary / "error.txt").write_text(error + "\n", encoding="utf-8")
        (temporary / RUN_FILE).write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
        _publish(temporary, study_dir / (run.run_id + FAILED_SUFFIX))
    except OSError:
        pass  # the outcome still reaches the index and the command's summary
    finally:
        shutil.rmtree(temporary, ignore_errors=True)


def run_batch(
    studies: Sequence[Study],
    reports_dir: str | os.PathLike = "reports",
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    force: bool = False,
    only: Sequence[str] | None = None,
    show_code: bool = False,
    no_input: bool | None = None,
    timeout: float | None = None,
    progress: bool = True,
    scheduler_timeout: float = 10.0,
    language: str | None = None,
) -> BatchResult:
    """Execute the runs of ``studies`` and write their reports, the index and results.csv.

    Parameters
    ----------
    studies : list of Study
        From :func:`load_studies`.
    reports_dir : path
        Root of the reports (``reports/<study>/<run-id>/``, ``reports/index.html``).
        Locked while the batch runs: a second batch on the same folder raises
        :class:`ReportsBusyError` at once.
    workers : int, optional
        Runs executed at once on this machine (default: the number of cores).
    scheduler : str, optional
        ``tcp://HOST:PORT`` (or ``tls://`` with certificates in Dask's configuration)
        of a running Dask distributed scheduler: runs become tasks on its workers,
        which must see ``reports_dir`` and the notebooks at the same paths and have
        csat-analysis installed.
    force : bool
        Execute runs that are up to date too.
    only : list of str, optional
        Glob patterns on ``study/run-id`` or ``run-id``.
    show_code : bool, default False
        Show the code in ``report.html`` (an analyst's page); by default it is a
        reader's report without code (the executed notebook is linked from it).
    no_input : bool, optional
        Deprecated: ``no_input=False`` is ``show_code=True``.
    timeout : float, optional
        Seconds a single cell may run before the run fails.
    progress : bool
        Show a tqdm progress bar on stderr.
    scheduler_timeout : float
        Seconds allowed for connecting to the scheduler and its handshake.
    language : {"en", "zh"}, optional
        The language of every report (``csat run --language zh``): overrides the
        ``language`` parameter of each run whose notebook declares one, and writes
        the index page in it. Default: each run's own ``language`` (English unless
        its spec says otherwise), the index in English.

    Returns
    -------
    BatchResult
        One outcome per selected run, in spec order; ``failed`` lists the failures
        (a notebook error, a run whose worker died twice, a run that could not be
        written, a run whose bundled data file no longer matches its checksum).
    """
    clock = time.perf_counter()
    studies = list(studies)
    _check_unique_studies(studies)
    runs = select_runs(studies, only)
    if language is not None:
        runs = with_language(runs, language)
    if workers is not None and workers < 1:
        raise CsatError(f"--workers must be at least 1, got {workers}")
    if timeout is not None and not timeout > 0:
        raise CsatError(f"--timeout must be a positive number of seconds, got {timeout}")
    if scheduler is not None:
        _scheduler_address(scheduler)
    show_code = _show_code(show_code, no_input)
    descriptions = {study.name: study.description for study in studies}
    root = Path(reports_dir).resolve()
    root.mkdir(parents=True, exist_ok=True)

    with _reports_lock(root):
        _remove_leftovers(root, (run.study for run in runs))
        outcomes: dict[str, RunOutcome] = {}
        tasks = []
        for run in runs:
            problems = [problem for name in _bundled_names(run) if (problem := _bundled_problem(name))]
            inputs = run_inputs(run, show_code=show_code)
            task = {
                "study": run.study,
                "run": run.run_id,
                "notebook": str(run.notebook),
                "parameters": run.parameters,
                "fingerprint": fingerprint(run, inputs=inputs),
                "inputs": inputs,
                "show_code": show_code,
                "timeout": timeout,
                "reports_dir": str(root),
                "key": run.key,
                "kernel_log": scheduler is None,
                "description": descriptions.get(run.study, ""),
            }
            if problems:  # never serve (nor make) a report from altered bundled data
                outcomes[run.key] = RunOutcome(run, "failed", None, problems[0])
                _record_failure(root, run, task, problems[0])
                continue
            if not force and run_state(run, root, show_code=show_code) == "done":
                previous = _read_json(root / run.study / run.run_id / RUN_FILE) or {}
                outcomes[run.key] = RunOutcome(run, "skipped", previous.get("duration"))
                continue
            tasks.append(task)
        by_key = {run.key: run for run in runs}
        index_error = None
        try:
            if tasks:
                if scheduler:
                    execute = functools.partial(_execute_on_dask, connect_timeout=scheduler_timeout)
                else:
                    execute = _execute_locally
                for task, record, failure in execute(tasks, workers or os.cpu_count() or 1, scheduler, progress):
                    run = by_key[task["key"]]
                    if failure is not None:  # the worker itself died, not the notebook
                        outcomes[run.key] = RunOutcome(run, "failed", None, failure)
                        _record_failure(root, run, task, failure)
                    else:
                        outcomes[run.key] = RunOutcome(
                            run, record["status"], record.get("duration"), record.get("error")
                        )
        finally:
            ordered = [outcomes[run.key] for run in runs if run.key in outcomes]
            try:
                index = write_index(
                    root,
                    ordered,
                    {study.name: study.headline for study in studies},
                    descriptions=descriptions,
                    order=[run.key for run in select_runs(studies)],
                    language=language or "en",
                )
            except OSError as exc:
                index = root / "index.html"
                index_error = _write_error(exc, "the index")[0]
            _remove_leftovers(root, (run.study for run in runs))
    return BatchResult(ordered, index, root / "results.csv", time.perf_counter() - clock, index_error)


def _progress_bar(total: int, enabled: bool):
    from tqdm import tqdm

    return tqdm(
        total=total,
        desc="csat run",
        unit="run",
        file=sys.stderr,
        disable=not enabled,
        dynamic_ncols=True,
        postfix={"failed": 0},
    )


def _finished(bar, record, failure) -> None:
    bar.failed = getattr(bar, "failed", 0) + (failure is not None or record["status"] != "ok")
    bar.set_postfix(failed=bar.failed)
    bar.update()


# --------------------------------------------------------------------------- workers

_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _die_with_parent(parent: int) -> None:
    """Pool initializer: end this worker when the process that started it ends.

    On Linux the kernel sends SIGKILL when the parent dies (``prctl(PR_SET_PDEATHSIG)``);
    elsewhere, and as a fallback, a daemon thread polls the parent's pid. The
    notebook kernels a worker starts watch their parent the same way (ipykernel's
    parent poller), so killing ``csat`` stops the whole tree instead of leaving
    workers running and publishing.
    """
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(1.0)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="csat-parent-watch", daemon=True).start()


def _execute_locally(tasks, workers, _scheduler, progress):
    """Yield ``(task, record, failure)`` as runs finish in a local process pool.

    A run whose worker process died (the out-of-memory killer, a kill signal) is run
    again once in a fresh pool; if it is lost again it is reported failed with the
    reason. A dead worker breaks its whole pool, so the runs pending in it get their
    second chance too.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    # spawn: a fresh interpreter per worker, nothing inherited from this process's
    # threads (tqdm's monitor) or state; sys.executable stays the venv's interpreter.
    context = multiprocessing.get_context("spawn")
    attempts = {task["key"]: 0 for task in tasks}
    pending = list(tasks)
    with _progress_bar(len(tasks), progress) as bar:
        while pending:
            retry = []
            with ProcessPoolExecutor(
                max_workers=min(workers, len(pending)),
                mp_context=context,
                initializer=_die_with_parent,
                initargs=(os.getpid(),),
            ) as pool:
                futures = {pool.submit(execute_run, task): task for task in pending}
                try:
                    for future in as_completed(futures):
                        task = futures[future]
                        record = failure = None
                        try:
                            record = future.result()
                        except BrokenProcessPool:
                            attempts[task["key"]] += 1
                            if attempts[task["key"]] < 2:
                                retry.append(task)
                                continue
                            failure = (
                                "the worker process executing this run died (killed by a signal, e.g. "
                                "by the out-of-memory killer), in the first pool and again in a fresh one"
                            )
                        except Exception as exc:  # noqa: BLE001 - the task itself broke, not the notebook
                            failure = _describe_error(exc)[0]
                        _finished(bar, record, failure)
                        yield task, record, failure
                except BaseException:
                    for future in futures:
                        future.cancel()
                    raise
            pending = retry


_SCHEDULER_ADDRESS = re.compile(
    r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://(?P<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252}))"
    r":(?P<port>[0-9]{1,5})/?"
)


def _scheduler_address(address: str) -> tuple[str, str, int]:
    """``(scheme, host, port)`` of a ``tcp://HOST:PORT`` or ``tls://HOST:PORT`` address, or CsatError."""
    match = _SCHEDULER_ADDRESS.fullmatch(address.strip()) if isinstance(address, str) else None
    example = "e.g. tcp://scheduler-host:8786"
    if match is None:
        raise CsatError(f"--scheduler must be tcp://HOST:PORT or tls://HOST:PORT ({example}), got {address!r}")
    scheme = match["scheme"].lower()
    if scheme not in ("tcp", "tls"):
        raise CsatError(f"--scheduler: scheme {scheme!r} is not supported; use tcp:// or tls:// ({example})")
    port = int(match["port"])
    if not 1 <= port <= 65535:
        raise CsatError(f"--scheduler: port {port} is outside 1-65535 ({example})")
    return scheme, match["host"].strip("[]"), port


def _connect_dask(scheduler: str, timeout: float):
    """A Dask ``Client`` for ``scheduler``, connection and handshake bounded by ``timeout`` seconds."""
    scheme, host, port = _scheduler_address(scheduler)
    try:
        from distributed import Client
    except ImportError:
        raise CsatError("--scheduler needs Dask distributed: pip install 'csat-analysis[dask]'") from None
    try:
        probe = socket.create_connection((host, port), timeout=timeout)
    except OSError as exc:
        raise CsatError(f"cannot reach the Dask scheduler at {scheduler}: {exc.strerror or exc}") from None
    with probe:
        if scheme == "tcp":
            # A Dask scheduler greets every connection first; anything else stays silent.
            import select

            readable, _, _ = select.select([probe], [], [], timeout)
            if not readable:
                raise CsatError(
                    f"cannot reach the Dask scheduler at {scheduler}: the port accepted the connection but "
                    f"sent no Dask handshake within {timeout:g} s (is a Dask scheduler listening there?)"
                )
    security = None
    if scheme == "tls":
        from distributed.security import Security

        security = Security()  # certificates from Dask's configuration (distributed.comm.tls.*)
        if not (security.tls_ca_file and security.tls_client_cert):
            raise CsatError(
                f"--scheduler {scheduler}: tls:// needs certificates in Dask's configuration "
                "(distributed.comm.tls.ca-file, distributed.comm.tls.client.cert and .key); "
                "see https://distributed.dask.org/en/stable/tls.html"
            )
    box: dict[str, Any] = {}

    def connect() -> None:
        try:
            box["client"] = Client(scheduler, timeout=f"{timeout}s", security=security)
        except BaseException as exc:  # noqa: BLE001 - handed to the caller below
            box["error"] = exc

    # distributed's own timeout does not cover a peer that stalls mid-handshake.
    thread = threading.Thread(target=connect, name="csat-dask-connect", daemon=True)
    thread.start()
    thread.join(timeout + 5)
    if thread.is_alive():
        raise CsatError(f"cannot reach the Dask scheduler at {scheduler}: no handshake within {timeout:g} s")
    if "error" in box:
        exc = box["error"]
        raise CsatError(f"cannot reach the Dask scheduler at {scheduler}: {type(exc).__name__}: {exc}") from None
    return box["client"]


def _execute_on_dask(tasks, _workers, scheduler, progress, *, connect_timeout: float = 10.0):
    from distributed import as_completed

    client = _connect_dask(scheduler, connect_timeout)
    with client, _progress_bar(len(tasks), progress) as bar:
        batch = uuid.uuid4().hex[:8]
        futures = client.map(
            execute_run,
            tasks,
            pure=False,
            key=[f"csat-{task['study']}-{task['run']}-{batch}" for task in tasks],
        )
        by_key = {future.key: task for future, task in zip(futures, tasks)}
        try:
            for future in as_completed(futures):
                task = by_key[future.key]
                try:
                    record, failure = future.result(), None
                except Exception as exc:  # noqa: BLE001 - a lost task or killed worker
                    record, failure = None, _describe_error(exc)[0]
                _finished(bar, record, failure)
                yield task, record, failure
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


#: characters of a parameter value the index shows; longer ones are shortened, full on hover
PARAMETER_CHARS = 36


def _headline_text(name: str, value: Any) -> str | None:
    """``"Display name: formatted value"`` through :func:`csat_analysis.formatting.format_result`."""
    from .formatting import display_name, format_result

    try:
        shown = format_result(name, value)
    except (ValueError, TypeError):  # a value the formatter refuses (a p-value above 1...): shown as recorded
        shown = _cell_text(value)
    return f"{display_name(name)}: {shown}"


def _headline(results: dict[str, Any], names: Sequence[str] = ()) -> list[str]:
    """A run's headline results as text, formatted once (:mod:`csat_analysis.formatting`).

    ``names`` (the study's ``headline`` list) come first, whatever their value (an
    empty list reads "none": a finding that found nothing); then the first other
    numeric results (or estimates) up to :data:`HEADLINE_RESULTS` in all: labels,
    tables and ``notes`` (its own column) stay in ``results.json``. A result with ``<name>_low``/``<name>_high`` siblings shows as
    ``value [low, high]``; an estimate dict (``value``, ``low``, ``high``, ``kind``,
    ``verdict``) as its estimate, interval and verdict.

    Examples
    --------
    >>> _headline({"churn_rate": 0.1471, "n": 1200, "nps": 12.0, "nps_low": 4.0, "nps_high": 20.0}, ["nps"])
    ['NPS: 12.00 [4.00, 20.00]', 'Churn rate: 14.7%', 'N: 1,200']
    """

    def is_number(value: Any) -> bool:
        return isinstance(value, (int, float)) and not isinstance(value, bool)

    bounds = {
        f"{name}_{side}"
        for name in results
        for side in ("low", "high")
        if is_number(results.get(f"{name}_low")) and is_number(results.get(f"{name}_high"))
    }
    named = [name for name in names if name in results]
    others = [name for name in results if name not in named and name not in bounds and name != "notes"]
    shown = []
    for name in named + others:
        value = results[name]
        if name in bounds:
            continue
        if is_number(value) and f"{name}_low" in bounds:
            value = {"value": value, "low": results[f"{name}_low"], "high": results[f"{name}_high"]}
        elif name not in named and not (is_number(value) or (isinstance(value, dict) and "value" in value)):
            continue  # labels, tables and lists of an unnamed result belong in results.json
        text = _headline_text(name, value)
        if text is not None:
            shown.append(text)
        if len(shown) >= max(HEADLINE_RESULTS, len(named)):
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


def _link(root: Path, path: Path | None, label: str) -> str:
    if path is None or not path.exists():
        return ""
    href = quote(path.relative_to(root).as_posix())
    return f'<a href="{escape_html(href)}">{escape_html(label)}</a>'


_INDEX_STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC",sans-serif;margin:2em;color:#222}
h1{font-size:1.5em} p.summary{color:#555}
table{border-collapse:collapse;width:100%;font-size:0.9em;table-layout:fixed}
th,td{border-bottom:1px solid #ddd;padding:0.4em 0.6em;text-align:left;vertical-align:top;overflow-wrap:break-word}
thead th{background:#f3f3f3;position:sticky;top:0}
col.run{width:13%} col.status{width:9%} col.finished{width:10%} col.parameters{width:20%}
col.headline{width:28%} col.notes{width:9%} col.links{width:11%}
td.status-ok{color:#1a7f37;font-weight:600} td.status-skipped{color:#1a7f37}
td.status-failed{color:#b42318;font-weight:600}
tr.earlier td{color:#666} tr.group th{background:#fff;font-weight:600;padding-top:1.2em}
tr.study th{background:#fafafa;font-weight:600;padding-top:0.9em}
tr.study .description{display:block;font-weight:normal;color:#555;margin-top:0.2em}
ul.plain{list-style:none;margin:0;padding:0} code{font-size:0.95em}
.error{color:#b42318;font-family:monospace;white-space:pre-wrap}
"""
_COLUMNS = (
    ("run", N_("Run")),
    ("status", N_("Status")),
    ("finished", N_("Finished (UTC)")),
    ("parameters", N_("Parameters")),
    ("headline", N_("Headline results")),
    ("notes", N_("Notes and warnings")),
    ("links", N_("Links")),
)


def _notes_cell(results: dict[str, Any], language: str = "en") -> str:
    """The ``notes`` result (sections skipped because of the data): a count that opens the list."""
    notes = results.get("notes")
    if isinstance(notes, str):
        notes = [notes]
    if not isinstance(notes, list) or not notes:
        return ""
    label = translator(language).ngettext("{n} note", "{n} notes", len(notes)).format(n=len(notes))
    if language != "en":
        # recorded notes are English (results do not depend on the language); the report's
        # summary box lists them in the report's language, so the index gives the count only
        return f'<div class="notes">{escape_html(label)}</div>'
    items = "".join(f"<li>{escape_html(_cell_text(note))}</li>" for note in notes)
    return f'<details class="notes"><summary>{escape_html(label)}</summary><ul>{items}</ul></details>'


def _warnings_cell(root: Path, folder: Path | None, record: dict[str, Any] | None, language: str = "en") -> str:
    """``"2 warnings"`` linking the run's ``warnings.log`` (nothing when it logged none)."""
    if folder is None or record is None:
        return ""
    count = record.get("warnings")
    if not isinstance(count, int) or isinstance(count, bool) or count <= 0:
        return ""
    label = translator(language).ngettext("{n} warning", "{n} warnings", count).format(n=count)
    return f'<div class="warnings">{_link(root, folder / WARNINGS_FILE, label) or escape_html(label)}</div>'


def _parameter_value(value: Any) -> str:
    """A parameter value as the index shows it: shortened past :data:`PARAMETER_CHARS`, full on hover."""
    text = _cell_text(value) if value is not None else "None"
    if len(text) <= PARAMETER_CHARS:
        return escape_html(text)
    if "/" in text or os.sep in text:  # a path: its end names the file
        short = "…" + text[-(PARAMETER_CHARS - 1) :]
    else:
        short = text[: PARAMETER_CHARS - 1] + "…"
    return f'<span title="{escape_html(text)}">{escape_html(short)}</span>'


def _index_row(
    root: Path,
    entry: dict[str, Any],
    headline_names: Sequence[str],
    outcome: RunOutcome | None,
    earlier: bool = False,
    language: str = "en",
) -> tuple[str, str]:
    """One ``<tr>`` of the index and its status (``ok``, ``skipped`` or ``failed``)."""
    _ = translator(language).gettext
    failed, good = entry.get("failed"), entry.get("good")
    if outcome is not None:
        status = outcome.status
        error = outcome.error if status == "failed" else None
        latest = (failed if status == "failed" else good) or {
            "parameters": outcome.run.parameters,
            "duration": outcome.duration,
        }
        current_results = entry.get("results", {}) if status != "failed" else {}
    else:
        status = "failed" if failed is not None else "ok"
        error = failed.get("error") if failed is not None else None
        latest = failed if failed is not None else good
        current_results = entry.get("results", {}) if failed is None else {}
    label_text = {"ok": _("ok"), "skipped": _("ok (up to date)"), "failed": _("failed")}[status]
    parameters = latest.get("parameters") or {}
    parameter_items = "".join(
        f"<li><code>{escape_html(k)}</code> = {_parameter_value(v)}</li>" for k, v in parameters.items()
    )
    headline = "".join(f"<li>{escape_html(item)}</li>" for item in _headline(current_results, headline_names))
    links = []
    if status == "failed":
        folder = entry.get("failed_dir")
        links += [
            _link(root, folder and folder / "report.html", _("failed report")),
            _link(root, folder and folder / "notebook.ipynb", _("failed notebook")),
            _link(root, folder and folder / "error.txt", _("error")),
        ]
        warnings = _warnings_cell(root, folder, failed, language)
    else:
        warnings = _warnings_cell(root, entry.get("good_dir"), good, language)
    if good is not None:
        folder = entry["good_dir"]
        last_good = status == "failed"
        links += [
            _link(root, folder / "report.html", _("last good report") if last_good else _("report")),
            _link(root, folder / "notebook.ipynb", _("last good notebook") if last_good else _("notebook")),
            _link(root, folder / "results.json", _("last good results.json") if last_good else "results.json"),
        ]
    error_html = f'<div class="error">{escape_html(error or "")}</div>' if status == "failed" else ""
    duration = latest.get("duration")
    duration_text = _("{seconds} s").format(seconds=f"{duration:.1f}") if isinstance(duration, (int, float)) else ""
    finished = " ".join(
        part
        for part in (
            escape_html((latest.get("finished") or "").replace("T", " ").replace("+00:00", "")),
            f"<br>{escape_html(duration_text)}" if duration_text else "",
        )
        if part
    )
    css = "failed" if status == "failed" else status
    row_class = "run earlier" if earlier else "run"
    row = (
        f'<tr class="{row_class}" data-study="{escape_html(entry["study"])}">'
        f"<td>{_breakable(entry['run'])}</td>"
        f'<td class="status-{css}">{escape_html(label_text)}</td>'
        f"<td>{finished}</td>"
        f'<td class="parameters"><ul class="plain">{parameter_items}</ul></td>'
        f'<td class="headline">{error_html}<ul class="plain">{headline}</ul></td>'
        f"<td>{_notes_cell(current_results, language)}{warnings}</td>"
        f'<td><ul class="plain">{"".join(f"<li>{link}</li>" for link in links if link)}</ul></td>'
        "</tr>"
    )
    return row, status


def _breakable(text: str) -> str:
    """Escaped ``text`` that a narrow column may break after ``_``, ``-`` and ``.`` (run ids)."""
    return re.sub(r"([_.-])", r"\1<wbr>", escape_html(text))


def _study_row(study: str, description: str) -> str:
    from .formatting import display_name

    text = f'<span class="description">{escape_html(description)}</span>' if description else ""
    return (
        f'<tr class="study"><th colspan="{len(_COLUMNS)}" id="study-{escape_html(study)}">'
        f"{escape_html(display_name(study))} <code>{escape_html(study)}</code>{text}</th></tr>"
    )


def write_index(
    reports_dir: str | os.PathLike,
    outcomes: Sequence[RunOutcome] | None = None,
    headlines: dict[str, Sequence[str]] | None = None,
    *,
    descriptions: dict[str, str] | None = None,
    order: Sequence[str] = (),
    language: str = "en",
) -> Path:
    """Write ``index.html`` and ``results.csv`` for the runs under ``reports_dir``.

    Parameters
    ----------
    reports_dir : path
        The reports root.
    outcomes : list of RunOutcome, optional
        The batch just run (:func:`run_batch`): these rows come first, in this order,
        each with the status and error of its outcome, including runs that left no
        folder (a dead worker, a failed write); the header repeats
        :func:`summary_line` of exactly these outcomes. Run folders on disk that are
        not in the batch follow as earlier runs. Without ``outcomes`` every run folder
        shows the status of its latest attempt.
    headlines : dict, optional
        ``study -> result names`` shown first in the "Headline results" column
        (a study's ``headline`` key), formatted by
        :func:`csat_analysis.formatting.format_result` under their display names.
    descriptions : dict, optional
        ``study -> description`` shown under each study's name (else the description
        its runs recorded).
    order : list of str, optional
        ``study/run-id`` keys in spec order: earlier runs follow it (others after,
        alphabetically).
    language : {"en", "zh"}, default "en"
        The language of the page's own words (headings, statuses, links, summary).

    Returns
    -------
    pathlib.Path
        The index page: runs grouped under their study, each with its parameters
        (long values shortened, the full value on hover), headline results, the
        count of notes (sections not run on its data) and of logged warnings, and
        links. Every string on it is HTML-escaped.
    """
    root = Path(reports_dir).resolve()
    headlines = headlines or {}
    descriptions = dict(descriptions or {})
    _ = translator(check_language(language)).gettext
    entries = {(e["study"], e["run"]): e for e in _collect(root)}
    for entry in entries.values():
        recorded = (entry.get("good") or entry.get("failed") or {}).get("description")
        if isinstance(recorded, str) and recorded:
            descriptions.setdefault(entry["study"], recorded)
    rows: list[str] = []
    csv_entries: list[dict[str, Any]] = []
    batch_keys = set()
    current_study = None
    for outcome in outcomes or ():
        key = (outcome.run.study, outcome.run.run_id)
        batch_keys.add(key)
        entry = entries.get(key, {"study": key[0], "run": key[1]})
        if key[0] != current_study:
            current_study = key[0]
            rows.append(_study_row(key[0], descriptions.get(key[0], "")))
        row, status = _index_row(root, entry, headlines.get(key[0], ()), outcome, language=language)
        rows.append(row)
        if status != "failed" and entry.get("good") is not None:
            csv_entries.append(entry)
    position = {key: index for index, key in enumerate(order)}
    earlier = sorted(
        (entry for key, entry in entries.items() if key not in batch_keys),
        key=lambda e: (position.get(f"{e['study']}/{e['run']}", len(position)), e["study"], e["run"]),
    )
    counts = {"ok": 0, "failed": 0}
    if earlier and outcomes is not None:
        group = _("Earlier runs in this folder, not part of this batch ({count})").format(count=len(earlier))
        rows.append(f'<tr class="group"><th colspan="{len(_COLUMNS)}">{escape_html(group)}</th></tr>')
    current_study = None
    for entry in earlier:
        if entry["study"] != current_study:
            current_study = entry["study"]
            rows.append(_study_row(current_study, descriptions.get(current_study, "")))
        row, status = _index_row(
            root, entry, headlines.get(entry["study"], ()), None, outcomes is not None, language=language
        )
        counts[status] += 1
        rows.append(row)
        if status == "ok":
            csv_entries.append(entry)
        elif entry.get("good") is not None:
            pass  # a later attempt failed: its last good results may be stale, kept out of results.csv
    generated = datetime.now(UTC).isoformat(timespec="seconds")
    if outcomes is not None:
        summary = _("This batch: {summary}.").format(summary=summary_line(outcomes, language))
        if earlier:
            summary += _(" Also listed: {count} earlier runs ({ok} ok, {failed} failed).").format(
                count=len(earlier), ok=counts["ok"], failed=counts["failed"]
            )
    else:
        summary = _("{count} runs: {ok} ok, {failed} failed.").format(
            count=len(earlier), ok=counts["ok"], failed=counts["failed"]
        )
    summary += _(" Generated {time} by csat-analysis {version}.").format(time=generated, version=__version__)
    title = escape_html(_("csat-analysis reports"))
    columns = "".join(f'<col class="{css}">' for css, _title in _COLUMNS)
    header = "".join(f"<th>{escape_html(_(title_text))}</th>" for _css, title_text in _COLUMNS)
    page = (
        f'<!DOCTYPE html>\n<html lang="{_HTML_LANG[language]}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title}</title>\n"
        f"<style>{_INDEX_STYLE}</style>\n</head>\n<body>\n<h1>{title}</h1>\n"
        f'<p class="summary">{escape_html(summary)} <a href="results.csv">results.csv</a></p>\n'
        f'<table id="runs">\n<colgroup>{columns}</colgroup>\n<thead><tr>{header}</tr></thead>\n'
        f"<tbody>\n{chr(10).join(rows)}\n</tbody>\n</table>\n</body>\n</html>\n"
    )
    _write_results_csv(root, csv_entries)
    target = root / "index.html"
    _write_text(target, page)
    return target


def _write_results_csv(root: Path, entries: list[dict[str, Any]]) -> Path:
    """The given runs' results in long form: study, run, parameters..., name, value.

    Every cell goes through :func:`csat_analysis._safety.csv_cell`: a value that a
    spreadsheet would evaluate (``=HYPERLINK(...)``) is written as text.
    """
    parameter_names = sorted({name for e in entries for name in e["good"].get("parameters", {})})
    reserved = {"study", "run", "name", "value"}
    header = ["study", "run"] + [f"param_{n}" if n in reserved else n for n in parameter_names] + ["name", "value"]
    target = root / "results.csv"
    temporary = root / f".results.csv.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    try:
        with temporary.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow([csv_cell(name) for name in header])
            for entry in entries:
                parameters = entry["good"].get("parameters", {})
                fixed = [entry["study"], entry["run"]] + [
                    _cell_text(parameters[n]) if n in parameters else "" for n in parameter_names
                ]
                for name, value in entry.get("results", {}).items():
                    for flat_name, flat_value in _flatten(value, name):
                        writer.writerow([csv_cell(cell) for cell in fixed + [flat_name, _cell_text(flat_value)]])
        temporary.replace(target)
    finally:
        if temporary.exists():
            temporary.unlink()
    return target
