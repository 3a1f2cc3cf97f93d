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

    return SurvfuncRight(time, status)


def _loglog_defined(survival: np.ndarray, se: np.ndarray) -> np.ndarray:
    """Where the log(-log) transform and its derivative are finite: 0 < S < 1 and se > 0."""
    return (survival > 0) & (survival < 1) & (se > 0)


def _loglog_band(survival: np.ndarray, se: np.ndarray, z: float) -> tuple[np.ndarray, np.ndarray]:
    """Pointwise log(-log) interval; where it is undefined (S = 0 or 1, or se = 0) it is the point value."""
    defined = _loglog_defined(survival, se)
    s = np.where(defined, survival, 0.5)  # placeholder away from 0 and 1; those entries are replaced below
    se_loglog = np.where(defined, se, 0.0) / (s * np.abs(np.log(s)))
    low = np.where(defined, s ** np.exp(z * se_loglog), survival)
    high = np.where(defined, s ** np.exp(-z * se_loglog), survival)
    return low, high


def _median_interval(fit, z: float) -> tuple[float, float]:
    """Brookmeyer-Crowley interval of the median by inverting cloglog z-tests.

    The same rule as statsmodels' ``SurvfuncRight.quantile_ci(0.5)`` (SAS LIFETEST),
    evaluated only at event times where the cloglog transform is defined (0 < S < 1),
    so there is no log(0). A bound that cannot be estimated is NaN (an open upper end
    included).
    """
    survival = np.asarray(fit.surv_prob, dtype=float)
    se = np.asarray(fit.surv_prob_se, dtype=float)
    times = np.asarray(fit.surv_times, dtype=float)
    defined = _loglog_defined(survival, se)
    s = np.where(defined, survival, 0.5)
    statistic = (np.log(-np.log(s)) - np.log(-np.log(0.5))) * s * np.log(s) / -np.where(defined, se, 1.0)
    inside = np.flatnonzero(defined & (np.abs(statistic) <= z))
    if len(inside) == 0:
        return np.nan, np.nan
    high = times[inside[-1] + 1] if inside[-1] + 1 < len(times) else np.nan
    return float(times[inside[0]]), float(high)


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
        ``conf.type="log-log"``), which stays within [0, 1]. Where the transform is
        undefined (survival 1 or 0, or a zero standard error) the interval is the
        point value, so no log(0) is ever taken.

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
        low, high = _loglog_band(survival, se, z)
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
    >>> exactly_half = pd.DataFrame({"t": [1, 2, 3, 4, 5, 6], "event": [1, 1, 1, 0, 1, 0]})
    >>> float(median_survival(exactly_half, "t", "event")["median"].iloc[0])  # S(3) = 0.5
    3.0
    """
    critical_z(ci)
    by = check_columns(data, by, parameter="by")
    times, status = _inputs(data, time, event)
    rows_out = []
    for key, rows in _groups(data, by):
        fit = _fit(times[rows], status[rows])
        # statsmodels' quantile() follows SAS (strict "< 0.5"), which skips a curve that
        # sits exactly at 0.5; the documented rule here is "first time at or below 0.5".
        at_or_below = np.flatnonzero(fit.surv_prob <= 0.5 + 1e-12) if len(fit.surv_times) else []
        median = float(fit.surv_times[at_or_below[0]]) if len(at_or_below) else np.nan
        low, high = _median_interval(fit, critical_z(ci))
        rows_out.append({**key, "n": len(rows), "events": int(status[rows].sum()), "median": median,
                         "low": low, "high": high,
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
