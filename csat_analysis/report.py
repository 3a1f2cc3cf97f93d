"""Recorded results: what a study notebook hands to the batch runner.

A notebook never writes files. Each :meth:`Recorder.record` call keeps the value
and emits it as a display output of the MIME type :data:`RESULTS_MIME`; the batch
runner collects those outputs from the executed notebook (in cell order, a later
value of a name replacing an earlier one), stores them in the notebook's metadata
and in ``results.json`` inside the run folder, and drops them from the HTML report.
Running a notebook in JupyterLab therefore leaves nothing behind in the repository.

Examples
--------
>>> recorder = Recorder(emit=False)
>>> recorder.record("nps", 31.5)
>>> recorder.record("segments", {"a": 0.25})
>>> recorder.results
{'nps': 31.5, 'segments': {'a': 0.25}}
>>> results_from_outputs([{"output_type": "display_data", "data": {RESULTS_MIME: {"nps": 31.5}}}])
{'nps': 31.5}
"""

from __future__ import annotations

import functools
import html
import json
import math
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, is_dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .errors import CsatError

__all__ = [
    "RESULTS_FILE",
    "RESULTS_MIME",
    "Recorder",
    "in_kernel",
    "jsonable",
    "read_results",
    "results_from_notebook",
    "results_from_outputs",
    "styled_table",
]

#: column names shown as p-values ("<0.001" below 0.001)
P_VALUE_COLUMNS = ("p_value", "pvalue", "p")

#: MIME type of the display outputs that carry recorded results
RESULTS_MIME = "application/vnd.csat-analysis.results+json"
#: the file the batch runner writes the collected results to, inside each run folder
RESULTS_FILE = "results.json"


def in_kernel() -> bool:
    """True inside a Jupyter kernel (a notebook or a papermill run).

    Returns
    -------
    bool
        Whether a Jupyter kernel runs this code.
    """
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with ipykernel, a dependency
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


class Recorder:
    """Named results of one notebook run, handed to the batch runner as display outputs.

    Parameters
    ----------
    emit : bool, optional
        Emit each recorded value as a :data:`RESULTS_MIME` display output. Default:
        only when running inside a Jupyter kernel (a notebook, papermill).

    Attributes
    ----------
    results : dict
        Everything recorded so far, as plain JSON values (:func:`jsonable`).
    """

    def __init__(self, *, emit: bool | None = None):
        self.emit = in_kernel() if emit is None else bool(emit)
        self.results: dict[str, Any] = {}

    def record(self, name: str, value: Any) -> None:
        """Record one named result; recording a name again replaces its value.

        ``value`` is anything :func:`jsonable` converts: numbers, strings, dicts,
        Series, DataFrames, an :class:`~csat_analysis.metrics.Estimate`.

        Parameters
        ----------
        name : str
            The result's name (a key of ``results.json``).
        value : object
            The value, converted by :func:`jsonable`.
        """
        converted = jsonable(value)
        self.results[str(name)] = converted
        if self.emit:
            from IPython.display import display

            # An empty text/plain keeps JupyterLab from announcing a missing renderer.
            display({RESULTS_MIME: {str(name): converted}, "text/plain": ""}, raw=True)


def results_from_outputs(outputs: Iterable[Mapping]) -> dict[str, Any]:
    """Merge the :data:`RESULTS_MIME` payloads of notebook outputs, in order.

    Parameters
    ----------
    outputs : iterable of dict
        Notebook cell outputs (nbformat dicts).

    Returns
    -------
    dict
        Result name -> value; a later output replaces an earlier one of the same name.
    """
    results: dict[str, Any] = {}
    for output in outputs:
        payload = (
            output.get("data", {}).get(RESULTS_MIME)
            if output.get("output_type") in ("display_data", "execute_result", "update_display_data")
            else None
        )
        if isinstance(payload, str):  # nbformat may store JSON MIME bundles as text
            payload = json.loads(payload)
        if isinstance(payload, Mapping):
            results.update(payload)
    return results


def results_from_notebook(notebook: Mapping) -> dict[str, Any]:
    """Every result an executed notebook recorded (see :class:`Recorder`), in cell order.

    Parameters
    ----------
    notebook : dict
        An executed notebook (nbformat dict).

    Returns
    -------
    dict
        Result name -> value.

    See Also
    --------
    read_results : The results of a run folder.
    """
    outputs = (
        output
        for cell in notebook.get("cells", [])
        if cell.get("cell_type") == "code"
        for output in cell.get("outputs", [])
    )
    return results_from_outputs(outputs)


def jsonable(value: Any) -> Any:
    """Convert numbers, arrays, Series, DataFrames and dataclasses to plain JSON values.

    Missing and non-finite numbers become ``None``; Series become dicts keyed by their
    (stringified) index; DataFrames become a list of row dicts.

    Parameters
    ----------
    value : object
        The value to convert.

    Returns
    -------
    object
        A value ``json.dumps`` accepts (None, bool, int, float, str, list or dict).
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


def read_results(path: str | os.PathLike) -> dict[str, Any]:
    """The results stored in a run folder's ``results.json`` (empty when there is none).

    Parameters
    ----------
    path : str or path
        A ``results.json`` file.

    Returns
    -------
    dict
        Result name -> value.
    """
    target = Path(path)
    return json.loads(target.read_text(encoding="utf-8")) if target.exists() else {}


def _cell(format_value, na: str):
    """A Styler formatter: ``na`` for a missing value, else the formatter's text, HTML-escaped."""

    def formatter(value: Any) -> str:
        if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
            return html.escape(na)
        return html.escape(format_value(value))

    return formatter


def _p_value_text(value: Any) -> str:
    from . import formatting

    try:
        return formatting.p_value(value)
    except (ValueError, TypeError):  # not a p-value after all (a label): shown as it is
        return str(value)


def _percent_text(value: Any, decimals: int) -> str:
    from . import formatting

    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        return formatting.percent(float(value), decimals)
    return str(value)


def _text(value: Any, digits: int) -> str:
    return _number_text(value, digits) if isinstance(value, (float, np.floating)) else str(value)


def _yes_no(value: Any) -> str:
    from .i18n import _

    return _("yes") if value else _("no")


def _number_text(value: Any, places: int) -> str:
    from . import formatting

    if isinstance(value, (bool, np.bool_)):
        return _yes_no(value)
    if isinstance(value, (int, float, np.integer, np.floating)):
        return formatting.number(float(value), places)
    return str(value)


def styled_table(
    table: pd.DataFrame,
    caption: str | None = None,
    source: str | None = None,
    *,
    labels: Mapping[str, str] | None = None,
    percent: Sequence[str] = (),
    digits: int = 3,
    na_rep: str = "–",
    missing_labels: Mapping[str, str] | None = None,
    percent_decimals: int = 1,
):
    """A table as a report shows it: readable headers, plain numbers, caption and data source.

    Every study notebook displays its tables through this one function, so they look
    alike in the HTML reports; every number goes through :mod:`csat_analysis.formatting`
    (the formatter of findings and the index too).

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
        Shares (0-1) shown as percentages with ``percent_decimals`` decimals
        (:func:`csat_analysis.formatting.percent`).
    digits : int
        Decimals of other non-integer numbers (:func:`csat_analysis.formatting.number`:
        never ``"-0.00"``); whole-number columns show none; large numbers get
        thousands separators.
    na_rep : str
        Shown for missing values, or per column ``missing_labels[column]`` (e.g.
        ``{"median": "not reached"}``).
    missing_labels : mapping, optional
        Column name -> text shown for its missing values instead of ``na_rep``.
    percent_decimals : int, default 1
        Decimals of the percentages, the same in every study.

    Returns
    -------
    pandas Styler
        Without the index; p-value columns (``p_value``, and the names ``pvalue`` and
        ``p`` of older tables) show ``"< 0.001"`` below 0.001 and three decimals
        otherwise (:func:`csat_analysis.formatting.p_value`), booleans "yes"/"no".
        Every cell, the caption and the source are HTML-escaped.

    Examples
    --------
    >>> frame = pd.DataFrame({"level": ["a"], "n": [1200], "rate": [0.1234], "p_value": [0.0002],
    ...                       "effect": [-0.0004]})
    >>> html_text = styled_table(frame, "Churn", "Real data: x", labels={"n": "customers"}, percent=["rate"]).to_html()
    >>> all(part in html_text for part in ["12.3%", "1,200", "customers", "p value", "&lt; 0.001", "Real data: x"])
    True
    >>> ">0.000<" in html_text and "-0.000" not in html_text
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
            text = functools.partial(_percent_text, decimals=percent_decimals)
        elif column in P_VALUE_COLUMNS:
            text = _p_value_text
        elif pd.api.types.is_bool_dtype(values):
            text = _yes_no
        elif pd.api.types.is_numeric_dtype(values):
            numbers = values.to_numpy(dtype=float)
            whole = bool(np.all(np.isnan(numbers) | (numbers % 1 == 0)))
            text = functools.partial(_number_text, places=0 if whole else digits)
        else:
            text = functools.partial(_text, digits=digits)
        formats[headers[column]] = _cell(text, missing)
    lines = [html.escape(caption)] if caption else []
    if source:
        lines.append(
            f"<small>{html.escape(source)}</small>" if caption else f"<small>Source: {html.escape(source)}</small>"
        )
    styler = shown.style.format(formats).hide(axis="index")
    return styler.set_caption("<br>".join(lines)) if lines else styler
