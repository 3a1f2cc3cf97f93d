"""Reading survey files and validating them against a schema.

:func:`read_survey` reads a CSV, Parquet or Excel file (chosen by the file suffix)
and checks every column the schema names. The schema is a dict or the path of a YAML
file with the same content::

    id: respondent_id            # optional: respondent id column, must be unique
    columns:
      satisfaction:              # a rating: numbers on the scale and/or text labels
        scale: [1, 5]
        labels: {"Very satisfied": 5, "Satisfied": 4, "Neutral": 3,
                 "非常满意": 5, "满意": 4, "一般": 3, "不满意": 2, "非常不满意": 1}
        missing: [-99, 99]       # codes that mean "no answer": they become NaN first
        required: true           # the file must have this column
      effort:   {scale: [1, 7], reverse: true}     # reverse-coded: low + high - x
      store:    {type: category}                   # any values, categorical dtype
      region:   {categories: [north, south]}       # only these values
      spend:    {type: float, min: 0}
      visits:   {type: int, min: 0, max: 365}
      churned:  {type: bool, "true": ["yes", 1], "false": ["no", 0]}
      comment:  {type: text}

(In YAML, quote ``"true"``, ``"false"``, ``"yes"`` and ``"no"``: unquoted, YAML reads
them as booleans. An unquoted ``true:``/``false:`` key is accepted all the same.)

Column keys: ``type`` (``rating``, ``float``, ``int``, ``bool``, ``category``,
``text``; ``rating`` is implied by ``scale`` or ``labels`` and ``category`` by
``categories``), ``scale`` ([low, high]), ``labels`` (text -> number, several labels
may share a number), ``missing`` (codes such as ``-99``, ``"NA"`` or ``"n/a"``,
turned into NaN before anything else; otherwise only empty cells are missing),
``required`` (default false: an absent optional column is simply not in the result),
``reverse`` (ratings only), ``categories`` and ``ordered``, ``min`` and ``max``
(numbers), ``true`` and ``false`` (booleans; by default only real True/False values
are accepted, so ``yes``/``no`` or ``1``/``0`` are accepted only when declared).

Nothing is coerced silently: out-of-range ratings, unknown labels or categories, text
in a numeric column, undeclared boolean spellings, missing required columns and
duplicate or missing respondent ids raise :class:`~csat_analysis.errors.SurveyDataError`
naming the column, the first offending values and their rows. **Rows are 0-based data
rows** (the first data row under the header is row 0; in a CSV file with a header,
row r is on file line r + 2). Ratings are reverse-coded only after validation, as
``low + high - x``. Columns the schema does not name pass through unchanged.

The module also describes a data set column by column (:func:`column_overview`,
:func:`missing_overview`), as the data-overview notebook shows.

Examples
--------
>>> import pandas as pd, tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "survey.csv"
>>> pd.DataFrame({"id": [1, 2], "sat": ["非常满意", "2"]}).to_csv(path, index=False)
>>> schema = {"id": "id", "columns": {"sat": {"scale": [1, 5], "labels": {"非常满意": 5}}}}
>>> read_survey(path, schema)["sat"].tolist()
[5.0, 2.0]
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ._validation import check_choice, check_columns, describe_offenders, read_numbers
from .errors import SurveyDataError
from .scaling import Scale, recode

__all__ = ["ROWS_NOTE", "SUFFIXES", "read_schema", "read_survey"]

#: appended to every error about rows, so users know how to find them in the file
ROWS_NOTE = "(rows are 0-based data rows: row 0 is the first row under the header)"

#: file suffix -> (format name, optional module it needs)
SUFFIXES = {
    ".csv": ("csv", None),
    ".parquet": ("parquet", "pyarrow"),
    ".pq": ("parquet", "pyarrow"),
    ".xlsx": ("excel", "openpyxl"),
    ".xlsm": ("excel", "openpyxl"),
}
COLUMN_TYPES = ["rating", "float", "int", "bool", "category", "text"]
COLUMN_KEYS = ["type", "scale", "labels", "missing", "required", "reverse", "categories", "ordered",
               "min", "max", "true", "false"]
SCHEMA_KEYS = ["id", "columns"]


# --- schema -------------------------------------------------------------------------


def read_schema(schema: Mapping | str | os.PathLike) -> dict:
    """Return the schema as a checked dict (a YAML path is read with ``yaml.safe_load``).

    Raises
    ------
    SurveyDataError
        Unknown keys or types (the message lists the valid ones), a missing file,
        invalid YAML, or a scale whose labels fall outside it.

    Examples
    --------
    >>> read_schema({"columns": {"q1": {"scale": [1, 5]}}})["columns"]["q1"]["type"]
    'rating'
    """
    if isinstance(schema, (str, os.PathLike)):
        import yaml

        path = Path(schema)
        if not path.is_file():
            raise SurveyDataError(f"schema file {str(path)!r} does not exist")
        try:
            loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as error:
            raise SurveyDataError(f"schema file {str(path)!r} is not valid YAML: {error}") from error
        schema = loaded if loaded is not None else {}
    if not isinstance(schema, Mapping):
        raise SurveyDataError(f"schema must be a mapping with keys {SCHEMA_KEYS}; got {type(schema).__name__}")
    for key in schema:
        check_choice("schema key", key, SCHEMA_KEYS, error=SurveyDataError)
    columns = schema.get("columns") or {}
    if not isinstance(columns, Mapping):
        raise SurveyDataError("schema 'columns' must map column names to their specifications")
    checked = {}
    for name, spec in columns.items():
        spec = {("true" if k is True else "false" if k is False else k): v for k, v in dict(spec or {}).items()}
        for key in spec:
            check_choice(f"schema column {name!r} key", key, COLUMN_KEYS, error=SurveyDataError)
        if "type" not in spec:
            spec["type"] = ("rating" if "scale" in spec or "labels" in spec
                            else "category" if "categories" in spec else None)
            if spec["type"] is None:
                raise SurveyDataError(f"schema column {name!r}: give a type (one of {COLUMN_TYPES}), a scale or categories")
        check_choice(f"schema column {name!r} type", spec["type"], COLUMN_TYPES, error=SurveyDataError)
        if spec["type"] == "rating":
            spec["scale_object"] = _scale(name, spec)
        elif spec.get("reverse"):
            raise SurveyDataError(f"schema column {name!r}: reverse applies to ratings (give a scale)")
        checked[name] = spec
    return {"id": schema.get("id"), "columns": checked}


def _scale(name: str, spec: dict) -> Scale:
    labels = spec.get("labels")
    if labels is not None and not isinstance(labels, Mapping):
        raise SurveyDataError(f"schema column {name!r}: labels must map text to numbers")
    if "scale" in spec:
        bounds = spec["scale"]
        if not (isinstance(bounds, (list, tuple)) and len(bounds) == 2):
            raise SurveyDataError(f"schema column {name!r}: scale must be [low, high]; got {bounds!r}")
        try:
            return Scale(bounds[0], bounds[1], labels=labels)
        except SurveyDataError as error:
            raise SurveyDataError(f"schema column {name!r}: {error}") from error
    return Scale.coerce(labels)


# --- reading ------------------------------------------------------------------------


def _require(module: str, fmt: str) -> None:
    try:
        importlib.import_module(module)
    except ImportError as error:
        raise SurveyDataError(
            f"reading {fmt} files needs the optional package {module!r}; "
            "install it with: pip install csat-analysis[formats]"
        ) from error


def _read_file(path: Path) -> pd.DataFrame:
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise SurveyDataError(
            f"{path.name}: unsupported file type {suffix!r}; supported: {', '.join(SUFFIXES)}"
        )
    if not path.is_file():
        raise SurveyDataError(f"survey file {str(path)!r} does not exist")
    fmt, module = SUFFIXES[suffix]
    if module is not None:
        _require(module, fmt)
    # Only empty cells are missing: pandas would also turn text such as "NA", "null"
    # or "nan" into missing values, which would hide answers; declare such codes
    # with the schema's ``missing`` instead.
    if fmt == "csv":
        return pd.read_csv(path, keep_default_na=False, na_values=[""])
    if fmt == "parquet":
        return pd.read_parquet(path).reset_index(drop=True)
    return pd.read_excel(path, engine="openpyxl", keep_default_na=False, na_values=[""])


def _error(column: str, what: str, values: pd.Series, mask) -> SurveyDataError:
    return SurveyDataError(f"column {column!r}: {what}: {describe_offenders(values, mask)} {ROWS_NOTE}")


def _apply_missing_codes(series: pd.Series, codes) -> pd.Series:
    codes = list(codes) if isinstance(codes, (list, tuple, set)) else [codes]
    numeric_codes = {float(c) for c in codes if isinstance(c, (int, float)) and not isinstance(c, bool)}
    text_codes = {str(c).strip() for c in codes}

    def is_code(value) -> bool:
        if isinstance(value, str):
            return value.strip() in text_codes
        if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_)):
            return float(value) in numeric_codes
        return False

    mask = series.map(is_code).astype(bool)
    return series.astype(object).where(~mask, np.nan) if mask.any() else series


def _parse_numeric_text(series: pd.Series, scale: Scale) -> pd.Series:
    """Read numbers written as text ("4" in a column that also holds labels) as numbers.

    A CSV column mixing labels and numbers arrives as text; a file has no other way
    to write a number, so this is parsing, not coercion. The scale's labels win over
    numbers, and "nan" or "inf" stay text: :func:`~csat_analysis.scaling.recode` then
    maps the labels, checks the range and reports any other text as an unknown label.
    """
    if not (pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series)):
        return series
    values = series.astype(object)
    text = values.map(lambda v: v.strip() if isinstance(v, str) else None)
    numbers = pd.to_numeric(text, errors="coerce")
    labels = {str(k).strip() for k in (scale.labels or {})}
    numeric_text = np.isfinite(numbers) & ~text.isin(labels)
    return values.where(~numeric_text, numbers)


def _numbers(column: str, series: pd.Series) -> pd.Series:
    if pd.api.types.is_bool_dtype(series):
        raise _error(column, "true/false values in a numeric column", series, series.notna())
    try:
        return read_numbers(series, f"column {column!r}")
    except SurveyDataError as error:
        raise SurveyDataError(f"{error} {ROWS_NOTE}") from error


def _bool_key(value):
    if isinstance(value, (bool, np.bool_)):
        return ("bool", bool(value))
    if isinstance(value, (int, float, np.integer, np.floating)):
        return ("number", float(value))
    text = str(value).strip()
    try:  # "1" in a text column is the number 1, as a file cannot write it otherwise
        number = float(text)
    except ValueError:
        return ("text", text)
    return ("number", number) if np.isfinite(number) else ("text", text)


def _validate_column(column: str, series: pd.Series, spec: dict) -> pd.Series:
    if "missing" in spec:
        series = _apply_missing_codes(series, spec["missing"])
    kind = spec["type"]
    if kind == "rating":
        scale = spec["scale_object"]
        series = _parse_numeric_text(series, scale)
        try:
            values = recode(series, scale, name=f"column {column!r}")
        except SurveyDataError as error:
            raise SurveyDataError(f"{error} {ROWS_NOTE}") from error
        if spec.get("reverse"):
            values = scale.low + scale.high - values
        return values
    if kind in ("float", "int"):
        values = _numbers(column, series)
        if kind == "int":
            fractional = values.notna() & (values != np.round(values))
            if fractional.any():
                raise _error(column, "non-integer values in an integer column", series, fractional)
        for bound, outside in (("min", values < spec.get("min", -np.inf)), ("max", values > spec.get("max", np.inf))):
            if outside.any():
                raise _error(column, f"values beyond {bound}={spec[bound]!r}", series, outside)
        if kind == "int":
            return values.astype("Int64") if values.isna().any() else values.astype("int64")
        return values
    if kind == "bool":
        true_values = spec.get("true", [True])
        false_values = spec.get("false", [False])
        true_values = true_values if isinstance(true_values, list) else [true_values]
        false_values = false_values if isinstance(false_values, list) else [false_values]
        lookup = {_bool_key(v): True for v in true_values} | {_bool_key(v): False for v in false_values}
        mapped = series.map(lambda v: lookup.get(_bool_key(v)) if pd.notna(v) else None)
        unknown = mapped.isna() & series.notna()
        if unknown.any():
            declared = ", ".join(repr(v) for v in [*true_values, *false_values])
            raise _error(column, f"values other than the declared true/false values ({declared})", series, unknown)
        if mapped.isna().any():
            return pd.array(mapped.tolist(), dtype="boolean")
        return mapped.astype(bool)
    if kind == "category":
        if "categories" in spec:
            categories = list(spec["categories"])
            unknown = series.notna() & ~series.isin(categories)
            if unknown.any():
                raise _error(column, f"unknown categories (declared: {categories})", series, unknown)
            return pd.Series(pd.Categorical(series, categories=categories, ordered=bool(spec.get("ordered"))), index=series.index)
        return series.astype("category")
    return series  # text


def read_survey(path: str | os.PathLike, schema: Mapping | str | os.PathLike) -> pd.DataFrame:
    """Read a survey file and validate it against a schema.

    Parameters
    ----------
    path : path
        A ``.csv``, ``.parquet``/``.pq`` or ``.xlsx``/``.xlsm`` file (Parquet needs
        ``pyarrow`` and Excel ``openpyxl``: ``pip install csat-analysis[formats]``).
    schema : dict or path
        The schema (see the module docstring), or the path of a YAML file holding it.

    Returns
    -------
    pandas.DataFrame
        The file's columns in file order: ratings as float (missing codes as NaN,
        reverse-coded where the schema says so), categories categorical, booleans
        bool (nullable ``boolean`` when some are missing), integers int64 (``Int64``
        with missing values), floats float, unlisted columns unchanged.

    Raises
    ------
    SurveyDataError
        For any value, column or row that does not fit the schema; the message names
        the column, the first offending values and their 0-based data rows.

    Examples
    --------
    >>> import pandas as pd, tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "survey.csv"
    >>> pd.DataFrame({"effort": [1, 7, -99]}).to_csv(path, index=False)
    >>> schema = {"columns": {"effort": {"scale": [1, 7], "reverse": True, "missing": [-99]}}}
    >>> read_survey(path, schema)["effort"].tolist()
    [7.0, 1.0, nan]
    """
    spec = read_schema(schema)
    path = Path(path)
    frame = _read_file(path)
    frame.index = pd.RangeIndex(len(frame))

    required_missing = [c for c, s in spec["columns"].items() if s.get("required") and c not in frame.columns]
    if required_missing:
        raise SurveyDataError(
            f"{path.name}: required column(s) {', '.join(map(repr, required_missing))} missing; "
            f"columns in the file: {', '.join(map(str, frame.columns))}"
        )

    id_column = spec["id"]
    if id_column is not None:
        if id_column not in frame.columns:
            raise SurveyDataError(
                f"{path.name}: id column {id_column!r} missing; columns in the file: {', '.join(map(str, frame.columns))}"
            )
        ids = frame[id_column]
        if ids.isna().any():
            raise _error(id_column, "missing respondent ids", ids, ids.isna())
        duplicated = ids.duplicated(keep=False)
        if duplicated.any():
            raise _error(id_column, "duplicate respondent ids", ids, duplicated)

    result = frame.copy()
    for column, column_spec in spec["columns"].items():
        if column in frame.columns:
            result[column] = _validate_column(column, frame[column], column_spec)
    return result
