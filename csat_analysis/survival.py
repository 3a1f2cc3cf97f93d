"""Kaplan-Meier curves, median and restricted mean survival, log-rank tests.

Generic time-to-event estimates on a DataFrame with a time column and an event flag
(true: the event happened at that time; false: right-censored there). They back the
churn study (tenure until a customer leaves) and the complaints study (hours until a
complaint is resolved). Estimation is statsmodels' ``SurvfuncRight`` and ``survdiff``.

Examples
--------
>>> import pandas as pd
>>> frame = pd.DataFrame({"t": [1, 2, 2, 3, 4, 5], "event": [1, 1, 0, 1, 0, 1]})
>>> float(median_survival(frame, "t", "event")["median"].iloc[0])
3.0
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Sequence

import numpy as np
import pandas as pd

from ._validation import check_columns, critical_z, describe_offenders, read_flags
from .errors import SurveyDataError

__all__ = ["kaplan_meier", "logrank", "median_survival", "restricted_mean"]


def _times(data: pd.DataFrame, time: str) -> np.ndarray:
    check_columns(data, time, parameter="time")
    values = data[time]
    numeric = pd.to_numeric(values, errors="coerce")
    bad = numeric.isna() | (numeric < 0)
    if bad.any():
        raise SurveyDataError(
            f"time column {time!r}: needs non-negative numbers without gaps; got {describe_offenders(values, bad)}"
        )
    return numeric.to_numpy(dtype=float)


def _inputs(data: pd.DataFrame, time: str, event: str) -> tuple[np.ndarray, np.ndarray]:
    return _times(data, time), read_flags(data, event, parameter="event", missing="raise").to_numpy()


def _groups(data: pd.DataFrame, by: list[str]) -> Iterator[tuple[dict, np.ndarray]]:
    """(key dict, row positions) per group, in category/sorted order; missing keys left out."""
    if not by:
        yield {}, np.arange(len(data))
        return
    for key, positions in data.groupby(by, observed=True, sort=True).indices.items():
        key = key if isinstance(key, tuple) else (key,)
        yield dict(zip(by, key)), positions


def _fit(time: np.ndarray, status: np.ndarray):
    from statsmodels.duration.survfunc import SurvfuncRight

    with warnings.catch_warnings():
        # statsmodels' cloglog helpers divide by log(1) = 0 at S = 1; harmless there
        warnings.simplefilter("ignore", RuntimeWarning)
        return SurvfuncRight(time, status)


def _restore_categories(result: pd.DataFrame, data: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    for column in by:
        if isinstance(data[column].dtype, pd.CategoricalDtype) and column in result:
            result[column] = pd.Categorical(result[column], categories=data[column].cat.categories,
                                            ordered=data[column].cat.ordered)
    return result


def kaplan_meier(data: pd.DataFrame, time: str, event: str, by: str | Sequence[str] | None = None,
                 ci: float = 0.95) -> pd.DataFrame:
    """Kaplan-Meier survival curves with Greenwood standard errors and log-log intervals.

    Parameters
    ----------
    data : DataFrame
    time : str
        Non-negative times (no missing values).
    event : str
        True/False or 0/1: the event happened (false: censored at ``time``).
    by : str or list of str, optional
        One curve per group (rows with a missing key are left out).
    ci : float

    Returns
    -------
    DataFrame
        ``[*by, "time", "at_risk", "events", "survival", "se", "low", "high"]``. Each
        curve starts with a row at time 0 with survival 1; the other rows are the
        event times. The interval is the log(-log) one (R survival's
        ``conf.type="log-log"``), which stays within [0, 1]; it is 0 where the curve is 0.

    Examples
    --------
    >>> frame = pd.DataFrame({"t": [1, 2, 2, 3, 4, 5], "event": [1, 1, 0, 1, 0, 1]})
    >>> kaplan_meier(frame, "t", "event")[["time", "at_risk", "survival"]].round(4)
       time  at_risk  survival
    0   0.0        6    1.0000
    1   1.0        6    0.8333
    2   2.0        5    0.6667
    3   3.0        3    0.4444
    4   5.0        1    0.0000
    """
    z = critical_z(ci)
    by = check_columns(data, by, parameter="by")
    times, status = _inputs(data, time, event)
    tables = []
    for key, rows in _groups(data, by):
        fit = _fit(times[rows], status[rows])
        survival = np.asarray(fit.surv_prob, dtype=float)
        se = np.asarray(fit.surv_prob_se, dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            se_loglog = se / (survival * np.abs(np.log(survival)))
            low = survival ** np.exp(z * se_loglog)
            high = survival ** np.exp(-z * se_loglog)
        low = np.where(survival <= 0, 0.0, np.where(survival >= 1, 1.0, low))
        high = np.where(survival <= 0, 0.0, np.where(survival >= 1, 1.0, high))
        table = pd.DataFrame({
            "time": np.r_[0.0, fit.surv_times],
            "at_risk": np.r_[len(rows), fit.n_risk].astype(int),
            "events": np.r_[0, fit.n_events].astype(int),
            "survival": np.r_[1.0, survival],
            "se": np.r_[0.0, se],
            "low": np.r_[1.0, low],
            "high": np.r_[1.0, high],
        })
        for column, value in reversed(list(key.items())):
            table.insert(0, column, value)
        tables.append(table)
    return _restore_categories(pd.concat(tables, ignore_index=True), data, by)


def median_survival(data: pd.DataFrame, time: str, event: str, by: str | Sequence[str] | None = None,
                    ci: float = 0.95) -> pd.DataFrame:
    """Median survival time per group from the Kaplan-Meier curve, with its interval.

    The median is the first time the curve reaches 0.5 or less; when it never does
    ``median`` is missing and ``reached`` is False. The interval is statsmodels'
    (Brookmeyer-Crowley, cloglog); a bound that cannot be estimated is missing.

    Returns
    -------
    DataFrame
        ``[*by, "n", "events", "median", "low", "high", "reached"]``.

    Examples
    --------
    >>> frame = pd.DataFrame({"t": [1, 2, 3, 4, 5], "event": [1, 0, 0, 0, 0]})
    >>> median_survival(frame, "t", "event")[["n", "events", "reached"]].values.tolist()
    [[5, 1, False]]
    """
    critical_z(ci)
    by = check_columns(data, by, parameter="by")
    times, status = _inputs(data, time, event)
    rows_out = []
    for key, rows in _groups(data, by):
        fit = _fit(times[rows], status[rows])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            median = float(fit.quantile(0.5))
            try:
                low, high = (float(v) for v in fit.quantile_ci(0.5, alpha=1 - ci))
            except (ValueError, IndexError):  # too few events for an interval
                low = high = np.nan
        rows_out.append({**key, "n": len(rows), "events": int(status[rows].sum()), "median": median,
                         "low": low if np.isfinite(low) else np.nan, "high": high if np.isfinite(high) else np.nan,
                         "reached": bool(np.isfinite(median))})
    return pd.DataFrame(rows_out, columns=[*by, "n", "events", "median", "low", "high", "reached"])


def _area(times: np.ndarray, survival: np.ndarray, horizon: float) -> float:
    """Area under one step curve (starting at time 0) up to ``horizon``."""
    edges = np.minimum(np.r_[times, np.inf], horizon)
    return float(np.sum(survival * np.diff(edges)))


def restricted_mean(data: pd.DataFrame, time: str, event: str, by: str | Sequence[str] | None = None,
                    horizon: float | None = None) -> pd.DataFrame:
    """Restricted mean survival time: the area under the Kaplan-Meier curve up to ``horizon``.

    Parameters
    ----------
    horizon : float, optional
        Default: the shortest of the groups' longest observed times, so every group's
        curve is observed up to the horizon.

    Returns
    -------
    DataFrame
        ``[*by, "n", "horizon", "rmst"]``.

    Examples
    --------
    >>> frame = pd.DataFrame({"t": [1, 2, 2, 3, 4, 5], "event": [1, 1, 0, 1, 0, 1]})
    >>> restricted_mean(frame, "t", "event", horizon=4)["rmst"].round(4).tolist()  # 1 + 5/6 + 2/3 + 4/9
    [2.9444]
    """
    by = check_columns(data, by, parameter="by")
    times = _times(data, time)
    groups = list(_groups(data, by))
    if horizon is None:
        horizon = min(float(times[rows].max()) for _, rows in groups)
    if not horizon > 0:
        raise SurveyDataError(f"restricted_mean: horizon must be positive, got {horizon!r}")
    curves = kaplan_meier(data, time, event, by=by or None)
    rows_out = []
    for key, rows in groups:
        curve = curves
        for column, value in key.items():
            curve = curve[curve[column] == value]
        rows_out.append({**key, "n": len(rows), "horizon": float(horizon),
                         "rmst": _area(curve["time"].to_numpy(float), curve["survival"].to_numpy(float), horizon)})
    return pd.DataFrame(rows_out, columns=[*by, "n", "horizon", "rmst"])


def logrank(data: pd.DataFrame, time: str, event: str, by: str) -> pd.DataFrame:
    """Log-rank test that the survival curves of ``by``'s levels are equal.

    statsmodels ``survdiff``: chi-square with (levels - 1) degrees of freedom.

    Returns
    -------
    DataFrame
        One row: ``by`` (the column name), ``groups``, ``chisq``, ``df``, ``pvalue``.

    Examples
    --------
    >>> frame = pd.DataFrame({"t": [1, 2, 3, 4, 5, 6], "event": [1, 1, 1, 0, 0, 1], "g": list("aaabbb")})
    >>> logrank(frame, "t", "event", "g")[["by", "groups", "df"]].values.tolist()
    [['g', 2, 1]]
    """
    from statsmodels.duration.survfunc import survdiff

    (column,) = check_columns(data, by, parameter="by")
    times, status = _inputs(data, time, event)
    codes, levels = pd.factorize(data[column], sort=True)
    if len(levels) < 2:
        raise SurveyDataError(f"logrank: column {column!r} has fewer than two levels")
    present = codes >= 0
    chisq, pvalue = survdiff(times[present], status[present], codes[present])
    return pd.DataFrame([{"by": column, "groups": len(levels), "chisq": float(chisq),
                          "df": len(levels) - 1, "pvalue": float(pvalue)}])
