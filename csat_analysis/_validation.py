"""Small checks shared by every module: choices, columns and offending values.

They build the messages the project promises: name the parameter or column, list the
valid choices, and show the first offending values with their row labels.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from .errors import CsatError, ParameterError, SurveyDataError

#: how many offending values an error message shows before it says "and N more"
MAX_SHOWN = 5


def check_choice(name: str, value: Any, choices: Iterable[Any], *, error: type[CsatError] = ParameterError) -> Any:
    """Return ``value`` if it is one of ``choices``, else raise ``error`` listing them.

    An unknown choice is an argument mistake, so ``error`` defaults to
    :class:`~csat_analysis.errors.ParameterError`.

    Examples
    --------
    >>> check_choice("base", "start", ["start", "end"])
    'start'
    """
    choices = list(choices)
    if value not in choices:
        listed = ", ".join(repr(c) for c in choices)
        raise error(f"{name}={value!r} is not valid; choose one of: {listed}")
    return value


def check_columns(
    data: pd.DataFrame,
    columns: str | Sequence[str] | None,
    *,
    parameter: str = "columns",
    error: type[CsatError] = SurveyDataError,
) -> list[str]:
    """Return ``columns`` as a list after checking that each is in ``data``.

    A missing column raises ``error`` naming the parameter, the missing names and the
    columns that do exist.
    """
    if columns is None:
        return []
    wanted = [columns] if isinstance(columns, str) else list(columns)
    missing = [c for c in wanted if c not in data.columns]
    if missing:
        available = ", ".join(map(str, data.columns))
        raise error(
            f"{parameter}: column(s) {', '.join(map(repr, missing))} not in the data; available columns: {available}"
        )
    return wanted


def describe_offenders(values: pd.Series, mask: pd.Series | Any) -> str:
    """Describe the first offending values of ``values`` where ``mask`` is true.

    Returns text such as ``"11 (row 3), 'x' (row 7) and 2 more"``; row labels are the
    Series index, so they match what the user sees in the DataFrame.
    """
    mask = pd.Series(mask, index=values.index).fillna(False).astype(bool)
    bad = values[mask]
    shown = ", ".join(f"{v!r} (row {i})" for i, v in list(bad.items())[:MAX_SHOWN])
    extra = len(bad) - MAX_SHOWN
    return shown + (f" and {extra} more" if extra > 0 else "")


def critical_z(ci: float) -> float:
    """Two-sided standard normal quantile for confidence level ``ci`` (0.95 -> 1.96).

    Examples
    --------
    >>> round(critical_z(0.95), 4)
    1.96
    """
    if not 0 < ci < 1:
        raise ParameterError(f"ci={ci!r} must lie strictly between 0 and 1")
    return float(stats.norm.ppf(0.5 + ci / 2))


def read_numbers(series: pd.Series, name: str) -> pd.Series:
    """Float values of ``series`` (missing values NaN); text that is not a number is an error.

    Numbers written as text (``"4"``, ``" 2.5 "``) are numbers: a CSV file has no
    other way to write them. Anything else raises :class:`SurveyDataError` naming
    ``name``, the offending values and their rows.

    Examples
    --------
    >>> read_numbers(pd.Series(["4", None, 2.5], dtype=object), "spend").tolist()
    [4.0, nan, 2.5]
    >>> read_numbers(pd.Series(["4", "lots"]), "column 'spend'")
    Traceback (most recent call last):
    ...
    csat_analysis.errors.SurveyDataError: column 'spend': non-numeric values 'lots' (row 1)
    """
    if isinstance(series.dtype, pd.CategoricalDtype):
        series = series.astype(object)
    if pd.api.types.is_bool_dtype(series.dtype) or pd.api.types.is_numeric_dtype(series.dtype):
        numeric = series
    else:
        numeric = pd.to_numeric(series, errors="coerce")
        not_numeric = numeric.isna() & series.notna()
        if not_numeric.any():
            raise SurveyDataError(f"{name}: non-numeric values {describe_offenders(series, not_numeric)}")
    return pd.Series(numeric.to_numpy(dtype=float, na_value=np.nan), index=series.index, name=series.name)


def read_flags(data: pd.DataFrame, column: str, *, parameter: str | None = None, missing: str = "keep") -> pd.Series:
    """A True/False or 0/1 column as floats 0.0/1.0 (missing values NaN).

    ``missing="raise"`` makes a missing value an error instead. Anything else (text,
    2, 0.5) is an error naming the column, the values and their rows.

    Examples
    --------
    >>> read_flags(pd.DataFrame({"left": [True, False, None]}), "left").tolist()
    [1.0, 0.0, nan]
    """
    check_choice("missing", missing, ["keep", "raise"])
    check_columns(data, column, parameter=parameter or "column")
    label = f"{parameter} column {column!r}" if parameter else f"column {column!r}"
    values = data[column]
    if values.dtype == bool:
        return values.astype(float)
    absent = values.isna()
    if missing == "raise" and absent.any():
        raise SurveyDataError(f"{label}: missing values {describe_offenders(values, absent)}")
    numeric = pd.to_numeric(values.astype("object").where(~absent), errors="coerce")
    bad = (numeric.isna() & ~absent) | ~(numeric.isin([0.0, 1.0]) | numeric.isna())
    if bad.any():
        raise SurveyDataError(f"{label}: must be True/False or 0/1; got {describe_offenders(values, bad)}")
    return numeric.astype(float)


def read_weights(data: pd.DataFrame, weights) -> np.ndarray:
    """Survey weights (ones when None); each must be a positive, finite number.

    ``weights`` is a column of ``data`` named by a string, or the weights themselves
    (a Series, array or list with one value per row), as seaborn reads ``hue=``.

    Raises
    ------
    SurveyDataError
        Missing, non-numeric, zero, negative or infinite weights (naming the rows).
    ParameterError
        A vector of weights whose length differs from the number of rows.

    Examples
    --------
    >>> read_weights(pd.DataFrame({"w": [1, 2.5]}), "w").tolist()
    [1.0, 2.5]
    >>> read_weights(pd.DataFrame({"x": [7, 8]}), [2, 0.5]).tolist()
    [2.0, 0.5]
    """
    if weights is None:
        return np.ones(len(data))
    if isinstance(weights, str):
        check_columns(data, weights, parameter="weights")
        values, label = data[weights], f"weights column {weights!r}"
    else:
        if isinstance(weights, pd.DataFrame):
            raise ParameterError("weights: expected a column name or one weight per row, got a DataFrame")
        array = np.asarray(weights, dtype=object).reshape(-1) if not isinstance(weights, pd.Series) else None
        if (len(weights) if array is None else array.size) != len(data):
            size = len(weights) if array is None else array.size
            raise ParameterError(f"weights: {size} weights for {len(data)} rows")
        values = weights.set_axis(data.index) if array is None else pd.Series(array, index=data.index)
        label = "weights"
    w = pd.to_numeric(values.astype(object) if values.dtype == object else values, errors="coerce")
    w = w.to_numpy(dtype=float, na_value=np.nan)
    bad = ~((w > 0) & np.isfinite(w))
    if bad.any():
        raise SurveyDataError(f"{label}: weights must be positive numbers; got {describe_offenders(values, bad)}")
    return w


def check_complete(values: pd.Series, what: str, advice: str = "") -> None:
    """Raise :class:`SurveyDataError` if ``values`` has missing values.

    The message reads ``"{what}: missing values <offenders>[; advice]"``, e.g.
    ``check_complete(data["plan"], "covariate 'plan'", "drop or impute them first")``.

    Examples
    --------
    >>> check_complete(pd.Series([1, None]), "column 'x'", "drop them first")
    Traceback (most recent call last):
    ...
    csat_analysis.errors.SurveyDataError: column 'x': missing values nan (row 1); drop them first
    """
    missing = values.isna()
    if missing.any():
        raise SurveyDataError(
            f"{what}: missing values {describe_offenders(values, missing)}" + (f"; {advice}" if advice else "")
        )
