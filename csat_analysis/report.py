"""Recorded results: what a study notebook hands to the batch runner.

A notebook calls :func:`record` for each headline number. Results go to
``results.json`` in the directory the notebook runs in (the batch runner runs each
notebook in its own run folder), or to the file named by the notebook parameter
``results_path`` once the notebook passes it to :func:`set_results_path`.

Examples
--------
>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "results.json"
>>> record("nps", 31.5, path=path)
>>> read_results(path)
{'nps': 31.5}
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Mapping, Sequence
import os
from dataclasses import asdict, is_dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .errors import CsatError

__all__ = ["jsonable", "read_results", "record", "results_file", "set_results_path", "styled_table"]

#: column names shown as p-values ("<0.001" below 0.001)
P_VALUE_COLUMNS = ("p_value", "pvalue", "p")

RESULTS_FILE = "results.json"
_results_path: Path | None = None


def set_results_path(path: str | os.PathLike | None) -> None:
    """Send later :func:`record` calls to ``path`` (``None``: ``./results.json``).

    The first call also clears what an earlier execution left in that file, so a
    re-run never mixes old and new results.
    """
    global _results_path
    _results_path = Path(path) if path is not None else None
    target = results_file()
    if target.exists():
        target.unlink()


def results_file(path: str | os.PathLike | None = None) -> Path:
    """The file :func:`record` writes to: ``path``, the configured path, or ``./results.json``."""
    if path is not None:
        return Path(path)
    return _results_path if _results_path is not None else Path.cwd() / RESULTS_FILE


def jsonable(value: Any) -> Any:
    """Convert numbers, arrays, Series, DataFrames and dataclasses to plain JSON values.

    Missing and non-finite numbers become ``None``; Series become dicts keyed by their
    (stringified) index; DataFrames become a list of row dicts.
    """
    if is_dataclass(value) and not isinstance(value, type):
        return jsonable(asdict(value))
    if isinstance(value, pd.DataFrame):
        return [jsonable(row) for row in value.reset_index().to_dict(orient="records")]
    if isinstance(value, pd.Series):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, np.ndarray)):
        return [jsonable(v) for v in value]
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value) if math.isfinite(value) else None
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, str):
        return value
    raise CsatError(f"record: cannot store a {type(value).__name__} as JSON: {value!r}")


def read_results(path: str | os.PathLike | None = None) -> dict[str, Any]:
    """The results recorded so far (empty when nothing was recorded)."""
    target = results_file(path)
    return json.loads(target.read_text(encoding="utf-8")) if target.exists() else {}


def record(name: str, value: Any, *, path: str | os.PathLike | None = None) -> None:
    """Record one named result for the batch runner (``results.json``).

    Parameters
    ----------
    name : str
        Result name, e.g. ``"satisfaction_index"``; recording it again replaces it.
    value
        Anything :func:`jsonable` converts: numbers, strings, dicts, Series, DataFrames,
        an :class:`~csat_analysis.metrics.Estimate`.
    path : path, optional
        Write here instead of the configured results file.
    """
    target = results_file(path)
    results = read_results(target)
    results[str(name)] = jsonable(value)
    # Write-then-rename so a crash mid-write never leaves a truncated results file.
    temporary = target.with_name(target.name + ".tmp")
    temporary.parent.mkdir(parents=True, exist_ok=True)
    temporary.write_text(json.dumps(results, indent=2, allow_nan=False) + "\n", encoding="utf-8")
    temporary.replace(target)


def _percent(value: float) -> str:
    return f"{100 * value:.1f}%"


def styled_table(table: pd.DataFrame, caption: str | None = None, source: str | None = None, *,
                 labels: Mapping[str, str] | None = None, percent: Sequence[str] = (), digits: int = 3,
                 na_rep: str = "–", missing_labels: Mapping[str, str] | None = None):
    """A table as a report shows it: readable headers, plain numbers, caption and data source.

    Every study notebook displays its tables through this one function, so they look
    alike in the HTML reports.

    Parameters
    ----------
    table : DataFrame
    caption : str, optional
        Title above the table.
    source : str, optional
        The data source line (``StudyData.source``), shown under the caption (or, with
        no caption, as "Source: ...").
    labels : mapping, optional
        Column name -> header; other columns show their name with ``_`` as spaces.
    percent : list of str
        Shares (0-1) shown as percentages with one decimal.
    digits : int
        Decimals of other non-integer numbers; whole-number columns show none and
        large numbers get thousands separators.
    na_rep : str
        Shown for missing values, or per column ``missing_labels[column]`` (e.g.
        ``{"median": "not reached"}``).

    Returns
    -------
    pandas Styler
        Without the index; p-value columns (``p_value``, ``pvalue``, ``p``) show
        "<0.001" below 0.001, booleans "yes"/"no". Caption and source are HTML-escaped.

    Examples
    --------
    >>> frame = pd.DataFrame({"level": ["a"], "n": [1200], "rate": [0.1234], "p_value": [0.0002]})
    >>> html_text = styled_table(frame, "Churn", "Real data: x", labels={"n": "customers"}, percent=["rate"]).to_html()
    >>> all(part in html_text for part in ["12.3%", "1,200", "customers", "p value", "&lt;0.001", "Real data: x"])
    True
    """
    labels = dict(labels or {})
    missing_labels = dict(missing_labels or {})
    headers = {column: labels.get(column, str(column).replace("_", " ")) for column in table.columns}
    shown = table.rename(columns=headers)
    formats = {}
    for column in table.columns:
        values = table[column]
        missing = missing_labels.get(column, na_rep)
        if column in percent:
            formats[headers[column]] = lambda v, na=missing: na if pd.isna(v) else _percent(v)
        elif column in P_VALUE_COLUMNS:
            formats[headers[column]] = lambda v, na=missing: na if pd.isna(v) else ("&lt;0.001" if v < 0.001 else f"{v:.3f}")
        elif pd.api.types.is_bool_dtype(values):
            formats[headers[column]] = lambda v, na=missing: na if pd.isna(v) else ("yes" if v else "no")
        elif pd.api.types.is_numeric_dtype(values):
            numbers = values.to_numpy(dtype=float)
            whole = bool(np.all(np.isnan(numbers) | (numbers % 1 == 0)))
            places = 0 if whole else digits
            formats[headers[column]] = lambda v, na=missing, d=places: na if pd.isna(v) else f"{v:,.{d}f}"
        else:
            formats[headers[column]] = lambda v, na=missing: na if pd.api.types.is_scalar(v) and pd.isna(v) else (
                f"{v:,.6g}" if isinstance(v, (float, np.floating)) else html.escape(str(v)))
    lines = [html.escape(caption)] if caption else []
    if source:
        lines.append(f"<small>{html.escape(source)}</small>" if caption else f"<small>Source: {html.escape(source)}</small>")
    styler = shown.style.format(formats).hide(axis="index")
    return styler.set_caption("<br>".join(lines)) if lines else styler
