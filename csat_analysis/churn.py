"""Churn and retention analysis: churn rates, retention curves, drivers, lifetime value, causes.

The churn arithmetic on counts (churned = start - (end - new), the rate on the start
or the end count, churn loss, lifetime value) lives in :mod:`csat_analysis.metrics`;
this module applies it to customer tables and adds what a churn analysis needs on
customer-level data: churn by segment with Wilson intervals, Kaplan-Meier retention
curves (statsmodels ``SurvfuncRight``), median and restricted mean lifetime, log-rank
tests, a logistic model of churn drivers (statsmodels formula API), lifetime value per
segment and churn causes (controllable or not). Every function takes a DataFrame plus
column names and returns a tidy DataFrame (or a result object holding one).

The worked churn examples (:func:`worked_examples`, :func:`tier_example`) are worked
examples from churn-management training material; the shares of churn causes
(:data:`CAUSE_SHARES`) are the widely quoted figures attributed to a Rockefeller
Corporation study, e.g. in M. LeBoeuf, *How to Win Customers and Keep Them for Life*
(1987).

Examples
--------
>>> import pandas as pd
>>> customers = pd.DataFrame({"plan": ["a", "a", "b", "b"], "left": [True, False, False, False]})
>>> churn_by_segment(customers, "left", by="plan")[["plan", "n", "churned", "rate"]]
  plan  n  churned  rate
0    a  2        1   0.5
1    b  2        0   0.0
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from . import metrics, regression, survival
from ._validation import (
    check_choice,
    check_columns,
    check_complete,
    critical_z,
    describe_offenders,
    read_flags,
    read_weights,
)
from .errors import ModelSpecError, ParameterError, SurveyDataError

__all__ = [
    "CAUSE_SHARES",
    "CONTROLLABLE_CAUSES",
    "DAYS_PER_MONTH",
    "P_VALUE_FLOOR",
    "TENURE_EDGES",
    "ChurnDrivers",
    "churn_by_segment",
    "churn_by_segments",
    "churn_causes",
    "churn_drivers",
    "for_each_segment",
    "geometric_lifetime",
    "lifetime_value",
    "logrank",
    "logrank_by_segment",
    "median_lifetime",
    "restricted_mean_lifetime",
    "retention_curves",
    "retention_curves_by_segment",
    "segment_association",
    "simulation_check",
    "tenure_bands",
    "tier_example",
    "worked_examples",
]

#: why customers leave, as shares of the churned: the widely quoted figures attributed to
#: a Rockefeller Corporation study (e.g. M. LeBoeuf, How to Win Customers and Keep Them
#: for Life, 1987)
CAUSE_SHARES = {"death": 0.01, "moved": 0.03, "habits": 0.05, "competitor": 0.09, "quality": 0.14, "indifference": 0.68}
#: causes the company can act on (the rest: death, moving away, changed habits)
CONTROLLABLE_CAUSES = ("competitor", "quality", "indifference")
#: average month length, to express day counts (``account_length``) in months
DAYS_PER_MONTH = 30.4
#: default tenure bands in months: [0, 6), [6, 12), [12, 24), [24, 48), [48, inf)
TENURE_EDGES = (0, 6, 12, 24, 48, np.inf)
#: the smallest p-value reported: a chi-square tail beyond the smallest positive double is floored here
P_VALUE_FLOOR = float(np.finfo(float).tiny)
#: :func:`csat_analysis.survival.logrank` column -> this module's name. The one place its
#: table is read: names already in the new vocabulary pass through unchanged.
_LOGRANK_COLUMNS = {"by": "segment", "chisq": "statistic", "df": "dof", "pvalue": "p_value"}


# --- validation ----------------------------------------------------------------------


def _churn_flags(data: pd.DataFrame, churn: str) -> pd.Series:
    """The churn column as booleans; missing or non-0/1 values are an error."""
    return read_flags(data, churn, parameter="churn", missing="raise").astype(bool)


def _tenure_values(data: pd.DataFrame, tenure: str) -> pd.Series:
    """The tenure column as floats; missing, non-numeric or negative values are an error."""
    check_columns(data, tenure, parameter="tenure")
    values = data[tenure]
    numeric = pd.to_numeric(values, errors="coerce")
    bad = numeric.isna() | (numeric < 0)
    if bad.any():
        raise SurveyDataError(
            f"tenure column {tenure!r}: needs non-negative numbers without gaps; got {describe_offenders(values, bad)}"
        )
    return numeric.astype(float)


def _group_columns(data: pd.DataFrame, by) -> list[str]:
    columns = check_columns(data, by, parameter="by")
    for column in columns:
        check_complete(data[column], f"segment column {column!r}", "recode them to a level (e.g. 'unknown') first")
    return columns


def _weights(data: pd.DataFrame, weights) -> np.ndarray:
    """Survey weights from a column name or a vector (ones when None); each must be positive."""
    if weights is None or isinstance(weights, str):
        return read_weights(data, weights)
    values = pd.Series(np.asarray(weights, dtype=object).ravel())
    if len(values) != len(data):
        raise ParameterError(f"weights: give one weight per row ({len(data)}), got {len(values)}")
    numeric = pd.to_numeric(values, errors="coerce")
    bad = ~(numeric > 0)
    if bad.any():
        raise SurveyDataError(f"weights: weights must be positive numbers; got {describe_offenders(values, bad)}")
    return numeric.to_numpy(dtype=float)


def _check_assumptions(margin: float, acquisition_cost: float, retention_cost: float) -> None:
    """A margin share in [0, 1] and non-negative costs, else :class:`ParameterError`."""
    try:
        margin_ok = 0 <= float(margin) <= 1
    except (TypeError, ValueError):
        margin_ok = False
    if not margin_ok:
        raise ParameterError(f"margin={margin!r} must be a profit margin share between 0 and 1 (e.g. 0.3)")
    for name, value in (("acquisition_cost", acquisition_cost), ("retention_cost", retention_cost)):
        try:
            ok = bool(np.isfinite(float(value)) and float(value) >= 0)
        except (TypeError, ValueError):
            ok = False
        if not ok:
            raise ParameterError(f"{name}={value!r} must be a non-negative amount of money")


# --- churn rates -----------------------------------------------------------------------


def tenure_bands(tenure, edges: Sequence[float] = TENURE_EDGES) -> pd.Series:
    """Tenure cut into ordered bands labelled in months, e.g. ``"0-5"``, ``"48+"``.

    Bands are closed on the left: with the default edges a customer of 6 months is in
    ``"6-11"``.

    Parameters
    ----------
    tenure : array-like or Series
        Tenure in months.
    edges : sequence of float
        Strictly increasing band edges; the last may be ``np.inf``.

    Returns
    -------
    Series
        Categorical bands, closed on the left, labelled in months.

    Examples
    --------
    >>> tenure_bands([0, 5, 6, 30, 72]).tolist()
    ['0-5', '0-5', '6-11', '24-47', '48+']
    """
    values = pd.Series(tenure) if not isinstance(tenure, pd.Series) else tenure
    edges = list(edges)
    if sorted(edges) != edges or len(set(edges)) != len(edges):
        raise ParameterError(f"tenure_bands: edges must increase strictly, got {edges}")
    labels = []
    for low, high in zip(edges[:-1], edges[1:]):
        labels.append(f"{low:g}+" if np.isinf(high) else f"{low:g}-{high - 1:g}")
    bands = pd.cut(values, bins=edges, right=False, labels=labels)
    outside = bands.isna() & values.notna()
    if outside.any():
        raise SurveyDataError(
            f"tenure_bands: values outside [{edges[0]}, {edges[-1]}): {describe_offenders(values, outside)}"
        )
    return bands


def _defined_rate(start, end, new, base):
    """metrics.churn_rate where its denominator is positive, missing elsewhere.

    A small segment where everyone churned has end = 0: its end-based rate is
    undefined, which should not stop the rates of the other segments.
    """
    denominator = start if base == "start" else end
    rate = np.full(start.shape, np.nan)
    defined = denominator > 0
    if defined.any():
        rate[defined] = metrics.churn_rate(start[defined], end[defined], new[defined], base=base)
    return rate


def churn_by_segment(
    data: pd.DataFrame,
    churn: str,
    by: str | Sequence[str] | None = None,
    *,
    tenure: str | None = None,
    new_within: float = 1.0,
    base: str = "start",
    weights: str | None = None,
    ci: float = 0.95,
) -> pd.DataFrame:
    """Churn rate per segment with a Wilson interval, on period counts (start, new, end).

    A customer table is read as one period: customers whose tenure is below
    ``new_within`` joined during the period (``new``), the others were there at its
    start (``start``), and ``end = n - churned``. The rate is then
    :func:`csat_analysis.metrics.churn_rate` on those counts, so both bases (the
    conventional start count and the end count of churn-management training material)
    are available. Without ``tenure`` every customer counts as present at the
    start, and the start-based rate is the plain share of customers who churned.

    Parameters
    ----------
    data : DataFrame
    churn : str
        Boolean (or 0/1) column: the customer left.
    by : str or list of str, optional
        Segment column(s); several columns are crossed.
    tenure : str, optional
        Tenure column, in the same unit as ``new_within``.
    new_within : float
        Tenure below which a customer counts as new in the period.
    base : {"start", "end"}
        Denominator of ``rate`` (``rate_start`` and ``rate_end`` are both returned).
    weights : str or array-like, optional
        Positive survey weights, as a column name or one value per row: counts become
        weighted sums and the interval is design-based (see Returns).
    ci : float
        Confidence level.

    Returns
    -------
    DataFrame
        Segment columns, ``n``, ``new``, ``start``, ``end``, ``churned``,
        ``rate_start``, ``rate_end``, ``base``, ``rate``, ``low``, ``high``, ``n_eff``.
        Unweighted, the interval is the Wilson interval of ``churned / start``
        (Wilson 1927). Weighted, ``churned / start`` is a ratio of weighted totals:
        its standard error is Taylor-linearised (:class:`csat_analysis.design.SurveyDesign`,
        as R ``survey::svyratio``; Lumley 2004) and the interval is formed on the
        logit scale, as R ``svyciprop``'s default, so it stays within [0, 1]; a rate of
        exactly 0 or 1 has a zero standard error and a degenerate interval. Either
        interval is carried to the end base through
        ``rate_end = churned / (start - churned + new)``, which is increasing in the
        churned share. ``n_eff`` is the Kish effective size of the starting customers.

    Examples
    --------
    >>> frame = pd.DataFrame({"left": [1, 0, 0, 1, 0], "months": [3, 0, 7, 9, 2]})
    >>> row = churn_by_segment(frame, "left", tenure="months", base="end").iloc[0]
    >>> int(row.start), int(row.new), int(row.end), float(row.rate_start), round(float(row.rate), 4)
    (4, 1, 3, 0.5, 0.6667)
    """
    check_choice("base", base, ["start", "end"], error=ParameterError)
    by = _group_columns(data, by)
    flags = _churn_flags(data, churn).to_numpy(dtype=float)
    is_new = (_tenure_values(data, tenure) < new_within).to_numpy() if tenure else np.zeros(len(data), bool)
    w = _weights(data, weights)
    sums = metrics.group_sums(
        data,
        by,
        {"_w": w, "_churned": flags * w, "_new": is_new * w, "_start_w": ~is_new * w, "_start_w2": ~is_new * w**2},
    )
    start = sums["_w"] - sums["_new"]
    end = sums["_w"] - sums["_churned"]
    new = sums["_new"]
    churned = metrics.churned_count(start.to_numpy(), end.to_numpy(), new.to_numpy())
    with np.errstate(divide="ignore", invalid="ignore"):
        n_eff = (sums["_start_w"] ** 2 / sums["_start_w2"]).to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        share = churned / start.to_numpy()
    if weights is None:
        low, high = metrics.wilson_interval(share, n_eff, ci)
    else:
        low, high = _linearised_share_interval(data, by, flags, ~is_new, w, share, ci)
    low, high = np.atleast_1d(low), np.atleast_1d(high)
    rate_start = _defined_rate(start.to_numpy(), end.to_numpy(), new.to_numpy(), "start")
    rate_end = _defined_rate(start.to_numpy(), end.to_numpy(), new.to_numpy(), "end")
    if base == "end":
        start_v, new_v = start.to_numpy(), new.to_numpy()
        low, high = (q * start_v / (start_v * (1 - q) + new_v) for q in (low, high))
    counts_are_whole = weights is None
    table = sums[by].copy() if by else pd.DataFrame(index=[0])
    table["n"] = sums["n"].to_numpy()
    for name, values in (("new", new), ("start", start), ("end", end), ("churned", churned)):
        values = np.asarray(values, dtype=float)
        table[name] = values.round().astype(int) if counts_are_whole else values
    table["rate_start"] = np.atleast_1d(rate_start)
    table["rate_end"] = np.atleast_1d(rate_end)
    table["base"] = base
    table["rate"] = table["rate_start"] if base == "start" else table["rate_end"]
    table["low"], table["high"] = low, high
    table["n_eff"] = n_eff
    return table.reset_index(drop=True)


def _linearised_share_interval(
    data: pd.DataFrame,
    by: list[str],
    churned: np.ndarray,
    at_start: np.ndarray,
    weights: np.ndarray,
    share: np.ndarray,
    ci: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Logit-scale interval of the weighted ratio ``sum(w churned) / sum(w at_start)`` per group.

    The ratio ``R`` linearises to ``sum(w (churned - R at_start)) / X`` with ``X`` the
    group's weighted start count. The domain mean of ``u = (churned - R at_start) W / X``
    (``W`` the group's weight total) is zero and its linearised influence is exactly
    that of ``R``, so :meth:`SurveyDesign.mean` of ``u`` gives the ratio's standard error.
    """
    from .design import SurveyDesign

    frame = pd.DataFrame({"_churned": churned, "_start": at_start.astype(float)}, index=data.index)
    # the same group codes as metrics.group_sums, so the errors line up with its rows
    codes = metrics._group_codes(data, by, True)[0] if by else np.zeros(len(frame), dtype=int)
    totals = np.bincount(codes, weights=weights)
    starts = np.bincount(codes, weights=weights * frame["_start"].to_numpy())
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.bincount(codes, weights=weights * churned) / starts
        frame["_u"] = np.nan_to_num((churned - ratio[codes] * frame["_start"].to_numpy()) * (totals / starts)[codes])
    frame["_group"] = codes
    design = SurveyDesign(frame, weights=weights, ci=ci)
    se = design.mean("_u", by="_group")["se"].to_numpy() if by else np.array([design.mean("_u").se])
    z = critical_z(ci)
    share = np.atleast_1d(np.asarray(share, dtype=float))
    with np.errstate(divide="ignore", invalid="ignore"):
        logit = np.log(share / (1 - share))
        spread = z * se / (share * (1 - share))
        low = 1 / (1 + np.exp(-(logit - spread)))
        high = 1 / (1 + np.exp(-(logit + spread)))
    degenerate = (share <= 0) | (share >= 1)
    low = np.where(degenerate, share, low)
    high = np.where(degenerate, share, high)
    return low, high


def churn_by_segments(data: pd.DataFrame, churn: str, segments: Sequence[str], **kwargs) -> pd.DataFrame:
    """:func:`churn_by_segment` for each segment column in turn, stacked in long form.

    Parameters
    ----------
    data : DataFrame
        Customer table, one row per customer.
    churn : str
        Boolean (or 0/1) column: the customer left.
    segments : sequence of str
        Segment columns, each analysed on its own.
    **kwargs
        Passed to :func:`churn_by_segment` (``tenure``, ``base``, ``weights``, ``ci``, ...).

    Returns
    -------
    DataFrame
        One row per (``segment``, ``level``) with the columns of
        :func:`churn_by_segment`; ``level`` holds the level as text.

    See Also
    --------
    churn_by_segment : One segmentation at a time.
    for_each_segment : The stacking used here.

    Examples
    --------
    >>> frame = pd.DataFrame({"a": ["x", "y"], "b": [1, 1], "left": [True, False]})
    >>> churn_by_segments(frame, "left", ["a", "b"])[["segment", "level", "rate"]]
      segment level  rate
    0       a     x   1.0
    1       a     y   0.0
    2       b     1   0.5
    """
    return for_each_segment(churn_by_segment, data, segments, churn=churn, **kwargs)


def for_each_segment(function, data: pd.DataFrame, segments: Sequence[str], **kwargs) -> pd.DataFrame:
    """Call ``function(data, by=column, **kwargs)`` per segment column and stack the results.

    The segment column of each result becomes ``segment`` (its name) and ``level``
    (the level as text), so several segmentations fit in one tidy table.

    Parameters
    ----------
    function : callable
        A function taking ``data`` and ``by=`` and returning a table with the ``by`` column.
    data : DataFrame
        Customer table, one row per customer.
    segments : sequence of str
        Segment columns, each analysed on its own.
    **kwargs
        Passed to ``function``.

    Returns
    -------
    DataFrame
        The results stacked, with ``segment`` and ``level`` first.

    Examples
    --------
    >>> frame = pd.DataFrame({"months": [1, 2, 3, 4], "left": [1, 0, 1, 0], "plan": list("aabb")})
    >>> for_each_segment(median_lifetime, frame, ["plan"], tenure="months", churn="left")[["segment", "level", "n"]]
      segment level  n
    0    plan     a  2
    1    plan     b  2
    """
    tables = []
    for column in check_columns(data, list(segments), parameter="segments"):
        table = function(data, by=column, **kwargs)
        levels = table.pop(column).astype(str)
        table.insert(0, "level", levels)
        table.insert(0, "segment", column)
        tables.append(table)
    if not tables:
        raise ParameterError("for_each_segment: give at least one segment column")
    return pd.concat(tables, ignore_index=True)


def geometric_lifetime(monthly_hazard: float, horizon: float) -> dict[str, float]:
    """Median and restricted mean lifetime when churn has a constant monthly hazard.

    With survival ``S(t) = (1 - h)^t`` after ``t`` whole months (the simulator's
    geometric time to churn), the median is the first month with ``S <= 0.5`` and the
    restricted mean up to ``horizon`` months is the sum of ``S`` over months
    ``0 .. horizon - 1``. This is the known truth a Kaplan-Meier curve on simulated
    data should recover.

    Parameters
    ----------
    monthly_hazard : float
        Constant monthly churn probability, strictly between 0 and 1.
    horizon : float
        Restriction time of the restricted mean, in months.

    Returns
    -------
    dict
        ``median`` and ``rmst`` (restricted mean up to ``horizon``), in months.

    Examples
    --------
    >>> geometric_lifetime(0.5, horizon=3)  # S = 1, 0.5, 0.25 -> median 1, rmst 1.75
    {'median': 1.0, 'rmst': 1.75}
    """
    if not 0 < monthly_hazard < 1:
        raise ParameterError(f"monthly_hazard must lie strictly between 0 and 1, got {monthly_hazard!r}")
    median = float(np.ceil(np.log(0.5) / np.log1p(-monthly_hazard) - 1e-12))
    survival = (1 - monthly_hazard) ** np.arange(int(np.floor(horizon)))
    rmst = float(survival.sum() + (horizon - np.floor(horizon)) * (1 - monthly_hazard) ** np.floor(horizon))
    return {"median": median, "rmst": rmst}


# --- retention curves --------------------------------------------------------------


def _survival_frame(data: pd.DataFrame, tenure: str, churn: str, by) -> tuple[pd.DataFrame, list[str]]:
    """Checked tenure, churn and segment columns under the names :mod:`survival` expects."""
    by = _group_columns(data, by)
    frame = pd.DataFrame(
        {"_time": _tenure_values(data, tenure).to_numpy(), "_event": _churn_flags(data, churn).to_numpy(dtype=float)},
        index=data.index,
    )
    for column in by:
        frame[column] = data[column]
    return frame, by


def retention_curves(
    data: pd.DataFrame, tenure: str, churn: str, by: str | Sequence[str] | None = None, ci: float = 0.95
) -> pd.DataFrame:
    """Kaplan-Meier retention curves, one per segment, with log-log confidence bands.

    Customers still active are right-censored at their tenure
    (:func:`csat_analysis.survival.kaplan_meier`).

    Parameters
    ----------
    data : DataFrame
        Customer table, one row per customer.
    tenure : str
        Tenure column (months); customers still active are censored at their tenure.
    churn : str
        Boolean (or 0/1) column: the customer left.
    by : str or list of str, optional
        Segment column(s); several columns are crossed. Default: all customers together.
    ci : float
        Confidence level.

    Returns
    -------
    DataFrame
        Segment columns, ``time``, ``at_risk``, ``events``, ``survival``, ``se``
        (Greenwood), ``low``, ``high``. Each curve starts with a row at time 0 with
        survival 1; the other rows are the event times.

    See Also
    --------
    csat_analysis.survival.kaplan_meier : The estimator.
    median_lifetime : The median read off these curves.

    Examples
    --------
    >>> frame = pd.DataFrame({"months": [1, 2, 2, 3, 4, 5], "left": [1, 1, 0, 1, 0, 1]})
    >>> retention_curves(frame, "months", "left")[["time", "at_risk", "survival"]].round(4)
       time  at_risk  survival
    0   0.0        6    1.0000
    1   1.0        6    0.8333
    2   2.0        5    0.6667
    3   3.0        3    0.4444
    4   5.0        1    0.0000
    """
    frame, by = _survival_frame(data, tenure, churn, by)
    return survival.kaplan_meier(frame, "_time", "_event", by=by or None, ci=ci)


def median_lifetime(
    data: pd.DataFrame, tenure: str, churn: str, by: str | Sequence[str] | None = None, ci: float = 0.95
) -> pd.DataFrame:
    """Median customer lifetime from the Kaplan-Meier curve, with its confidence interval.

    The median is the first time the retention curve reaches 0.5 or less; when it never
    does (most customers still active) ``median`` is missing and ``reached`` is False
    (:func:`csat_analysis.survival.median_survival`).

    Parameters
    ----------
    data : DataFrame
        Customer table, one row per customer.
    tenure : str
        Tenure column (months); customers still active are censored at their tenure.
    churn : str
        Boolean (or 0/1) column: the customer left.
    by : str or list of str, optional
        Segment column(s); several columns are crossed. Default: all customers together.
    ci : float
        Confidence level.

    Returns
    -------
    DataFrame
        Segment columns, ``n``, ``churned``, ``median``, ``low``, ``high``, ``reached``.

    Examples
    --------
    >>> frame = pd.DataFrame({"months": [1, 2, 2, 3, 4, 5], "left": [1, 1, 0, 1, 0, 1]})
    >>> float(median_lifetime(frame, "months", "left")["median"].iloc[0])
    3.0
    """
    frame, by = _survival_frame(data, tenure, churn, by)
    table = survival.median_survival(frame, "_time", "_event", by=by or None, ci=ci)
    return table.rename(columns={"events": "churned"})


def logrank(data: pd.DataFrame, tenure: str, churn: str, by: str) -> pd.DataFrame:
    """Log-rank test that the retention curves of ``by``'s levels are equal.

    Parameters
    ----------
    data : DataFrame
        Customer table, one row per customer.
    tenure : str
        Tenure column (months); customers still active are censored at their tenure.
    churn : str
        Boolean (or 0/1) column: the customer left.
    by : str
        Segment column whose levels are compared.

    Returns
    -------
    DataFrame
        One row: ``segment`` (the column name), ``groups``, ``statistic`` (the
        log-rank chi-square), ``dof``, ``p_value`` (:func:`csat_analysis.survival.logrank`,
        the chi-square survival function). A tail beyond the smallest positive double
        (the IBM telco contracts give about 1e-511) is reported at that floor,
        :data:`P_VALUE_FLOOR`: an upper bound, never an impossible 0.

    See Also
    --------
    logrank_by_segment : One test per segment column.
    csat_analysis.survival.logrank : The test.

    Examples
    --------
    >>> frame = pd.DataFrame({"months": [1, 2, 3, 4, 5, 6], "left": [1, 1, 1, 0, 0, 1],
    ...                       "plan": ["a", "a", "a", "b", "b", "b"]})
    >>> logrank(frame, "months", "left", "plan")[["segment", "groups", "dof"]]
      segment  groups  dof
    0    plan       2    1
    """
    frame, (column,) = _survival_frame(data, tenure, churn, by)
    table = survival.logrank(frame, "_time", "_event", column).rename(columns=_LOGRANK_COLUMNS)
    table["p_value"] = np.maximum(table["p_value"].to_numpy(dtype=float), P_VALUE_FLOOR)
    return table[["segment", "groups", "statistic", "dof", "p_value"]]


def segment_association(data: pd.DataFrame, churn: str, segments: Sequence[str], ci: float = 0.95) -> pd.DataFrame:
    """Chi-square test of churn against each segment column, with Cramér's V beside it.

    Counts are unweighted (the test's reference distribution needs counts). A
    segment column with a single level, or data where nobody or everybody churned,
    gives a row with missing statistics rather than an error.

    Parameters
    ----------
    data : DataFrame
        Customer table, one row per customer.
    churn : str
        Boolean (or 0/1) column: the customer left.
    segments : sequence of str
        Segment columns, each analysed on its own.
    ci : float
        Confidence level. of Cramér's V.

    Returns
    -------
    DataFrame
        One row per segment column: ``segment``, ``groups``, ``n``, ``statistic``
        (Pearson's chi-square, no continuity correction), ``dof``, ``p_value`` (floored
        at :data:`P_VALUE_FLOOR`), ``cramers_v`` with its interval ``low``, ``high``
        (:func:`csat_analysis.effsize.cramers_v`).

    Examples
    --------
    >>> frame = pd.DataFrame({"plan": ["a"] * 40 + ["b"] * 40, "left": [1] * 30 + [0] * 10 + [1] * 10 + [0] * 30})
    >>> row = segment_association(frame, "left", ["plan"]).iloc[0]
    >>> float(row.statistic), round(float(row.cramers_v), 4)  # 2x2: V = sqrt(X2 / n) = sqrt(20 / 80)
    (20.0, 0.5)
    """
    from . import effsize

    flags = _churn_flags(data, churn)
    rows = []
    for column in _group_columns(data, list(segments)):
        frame = pd.DataFrame({"segment": data[column].astype(object).to_numpy(), "churned": flags.to_numpy()})
        groups = int(frame["segment"].nunique())
        row = {
            "segment": column,
            "groups": groups,
            "n": len(frame),
            "statistic": np.nan,
            "dof": np.nan,
            "p_value": np.nan,
            "cramers_v": np.nan,
            "low": np.nan,
            "high": np.nan,
        }
        if groups > 1 and 0 < flags.sum() < len(flags):
            effect = effsize.cramers_v(frame, "segment", "churned", ci=ci).iloc[0]
            row.update(
                statistic=float(effect.statistic),
                dof=int(effect.dof),
                p_value=max(float(effect.p_value), P_VALUE_FLOOR),
                cramers_v=float(effect.value),
                low=float(effect.low),
                high=float(effect.high),
            )
        rows.append(row)
    return pd.DataFrame(
        rows, columns=["segment", "groups", "n", "statistic", "dof", "p_value", "cramers_v", "low", "high"]
    )


def logrank_by_segment(data: pd.DataFrame, tenure: str, churn: str, segments: Sequence[str]) -> pd.DataFrame:
    """:func:`logrank` for each segment column in turn, one row per segment column.

    Without segments the table is empty (with its columns).

    Parameters
    ----------
    data : DataFrame
        Customer table, one row per customer.
    tenure : str
        Tenure column (months); customers still active are censored at their tenure.
    churn : str
        Boolean (or 0/1) column: the customer left.
    segments : sequence of str
        Segment columns, each analysed on its own.

    Returns
    -------
    DataFrame
        The rows of :func:`logrank`, one per segment column.

    Examples
    --------
    >>> frame = pd.DataFrame({"months": [1, 2, 3, 4, 5, 6], "left": [1, 1, 1, 0, 0, 1],
    ...                       "plan": list("aaabbb"), "region": list("nsnsns")})
    >>> logrank_by_segment(frame, "months", "left", ["plan", "region"])["segment"].tolist()
    ['plan', 'region']
    """
    tables = [logrank(data, tenure, churn, column) for column in segments]
    if not tables:
        return pd.DataFrame(columns=["segment", "groups", "statistic", "dof", "p_value"])
    return pd.concat(tables, ignore_index=True)


def restricted_mean_lifetime(
    data: pd.DataFrame, tenure: str, churn: str, by: str | Sequence[str] | None = None, horizon: float | None = None
) -> pd.DataFrame:
    """Restricted mean lifetime: the expected months of the first ``horizon`` a customer stays.

    It is the area under the Kaplan-Meier curve from 0 to ``horizon`` (restricted mean
    survival time, :func:`csat_analysis.survival.restricted_mean`). Customer tables
    rarely follow anyone to the end, so the plain mean lifetime is not estimable; the
    restricted mean is, and says so by its horizon.

    Parameters
    ----------
    data : DataFrame
        Customer table, one row per customer.
    tenure : str
        Tenure column (months); customers still active are censored at their tenure.
    churn : str
        Boolean (or 0/1) column: the customer left.
    by : str or list of str, optional
        Segment column(s); several columns are crossed. Default: all customers together.
    horizon : float, optional
        Default: the shortest of the segments' longest observed tenures, so every
        segment's curve is observed up to the horizon.

    Returns
    -------
    DataFrame
        Segment columns, ``n``, ``horizon``, ``rmst``.

    Examples
    --------
    >>> frame = pd.DataFrame({"months": [1, 2, 2, 3, 4, 5], "left": [1, 1, 0, 1, 0, 1]})
    >>> restricted_mean_lifetime(frame, "months", "left", horizon=4)["rmst"].round(4).tolist()
    [2.9444]
    """
    frame, by = _survival_frame(data, tenure, churn, by)
    if horizon is not None and not horizon > 0:
        raise ParameterError(f"restricted_mean_lifetime: horizon must be positive, got {horizon!r}")
    return survival.restricted_mean(frame, "_time", "_event", by=by or None, horizon=horizon)


# --- drivers ---------------------------------------------------------------------------


@dataclass
class ChurnDrivers:
    """A logistic model of churn: tidy odds ratios plus the fitted statsmodels result.

    Attributes
    ----------
    table : DataFrame
        ``term``, ``variable``, ``level`` (for categorical terms), ``coef``, ``se``,
        ``odds_ratio``, ``low``, ``high``, ``p_value``; without the intercept.
    n : int
        Customers in the model.
    pseudo_r2 : float
        McFadden's pseudo R-squared.
    formula : str
    fit : statsmodels result
    """

    table: pd.DataFrame
    n: int
    pseudo_r2: float
    formula: str
    fit: object = field(repr=False)


def churn_drivers(data: pd.DataFrame, churn: str, covariates: Sequence[str], ci: float = 0.95) -> ChurnDrivers:
    """Logistic regression of churn on covariates, reported as odds ratios.

    Numeric covariates enter linearly; booleans, text and categoricals as dummies
    against their first level. Column names are quoted with ``Q("...")``, so any name
    works.

    Parameters
    ----------
    data : DataFrame
        Customer table, one row per customer.
    churn : str
        Boolean (or 0/1) column: the customer left.
    covariates : sequence of str
        Columns entering the model.
    ci : float
        Confidence level.

    Returns
    -------
    ChurnDrivers
        Odds ratios with intervals, the sample size, McFadden's pseudo R-squared and the fit.

    Raises
    ------
    ModelSpecError
        If the model cannot be estimated (perfect separation, singular design).

    Examples
    --------
    >>> frame = pd.DataFrame({"left": [1] * 3 + [0] * 7 + [1] * 6 + [0] * 4,
    ...                       "plan": ["a"] * 10 + ["b"] * 10})
    >>> drivers = churn_drivers(frame, "left", ["plan"])
    >>> round(float(drivers.table["odds_ratio"].iloc[0]), 4)  # (6/4) / (3/7)
    3.5
    """
    check_columns(data, list(covariates), parameter="covariates")
    _churn_flags(data, churn)
    try:
        result = regression.logistic(data, churn, covariates, ci=ci)
    except ModelSpecError as error:
        raise ModelSpecError(f"churn_drivers: {error}") from error
    table = result.odds_ratios
    return ChurnDrivers(table, result.n, result.pseudo_r2, result.formula, result.fit)


# --- lifetime value ------------------------------------------------------------------


def lifetime_value(
    data: pd.DataFrame,
    tenure: str,
    churn: str,
    by: str | Sequence[str] | None = None,
    *,
    monthly_revenue: str,
    margin: float,
    acquisition_cost: float = 0.0,
    retention_cost: float = 0.0,
    horizon: float | None = None,
) -> pd.DataFrame:
    """Customer lifetime value per segment, two ways.

    * ``clv_to_date``: ``(revenue - acquisition cost - retention cost) / customers``
      (:func:`csat_analysis.metrics.customer_lifetime_value`, the formula of
      churn-management training material) on what the
      segment has earned so far: revenue = sum of monthly revenue x tenure, acquisition
      cost = ``acquisition_cost`` x customers, retention cost = ``retention_cost`` x
      customer-months.
    * ``clv_expected``: margin x mean monthly revenue x expected lifetime, minus the
      acquisition cost and the retention cost over that lifetime. The expected lifetime
      is the restricted mean from the Kaplan-Meier curve up to ``horizon`` months
      (:func:`restricted_mean_lifetime`), so it undercounts customers who stay longer.

    Parameters
    ----------
    data : DataFrame
        Customer table, one row per customer.
    tenure : str
        Tenure column, in months.
    churn : str
        Boolean (or 0/1) column: the customer left.
    by : str or list of str, optional
        Segment column(s); several columns are crossed. Default: all customers together.
    monthly_revenue : str
        Column of revenue per customer per month (tenure must be in months).
    margin : float
        Profit margin, a share in [0, 1].
    acquisition_cost : float
        One-off cost of winning one customer.
    retention_cost : float
        Cost of keeping one customer for one month.
    horizon : float, optional
        See :func:`restricted_mean_lifetime`.

    Returns
    -------
    DataFrame
        Segment columns, ``n``, ``monthly_revenue`` (mean), ``mean_tenure``,
        ``clv_to_date``, ``horizon``, ``expected_lifetime``, ``clv_expected``.

    Examples
    --------
    >>> frame = pd.DataFrame({"months": [1, 2, 2, 3, 4, 5], "left": [1, 1, 0, 1, 0, 1],
    ...                       "revenue": [10.0] * 6})
    >>> row = lifetime_value(frame, "months", "left", monthly_revenue="revenue", margin=0.5,
    ...                      acquisition_cost=2, retention_cost=1, horizon=4).iloc[0]
    >>> float(row.clv_to_date), round(float(row.clv_expected), 3)  # (170 - 12 - 17) / 6; 5 x 2.944 - 2 - 2.944
    (23.5, 9.778)
    """
    by = _group_columns(data, by)
    _check_assumptions(margin, acquisition_cost, retention_cost)
    check_columns(data, monthly_revenue, parameter="monthly_revenue")
    revenue = pd.to_numeric(data[monthly_revenue], errors="coerce")
    bad = revenue.isna() | (revenue < 0)
    if bad.any():
        raise SurveyDataError(
            f"monthly_revenue column {monthly_revenue!r}: needs non-negative numbers; got {describe_offenders(data[monthly_revenue], bad)}"
        )
    months = _tenure_values(data, tenure)
    rmst = restricted_mean_lifetime(data, tenure, churn, by=by or None, horizon=horizon)
    frame = pd.DataFrame(
        {
            "revenue_so_far": revenue.to_numpy() * months.to_numpy(),
            "months": months.to_numpy(),
            "monthly_revenue": revenue.to_numpy(),
            "n": 1,
        }
    )
    for column in by:
        frame[column] = data[column].array  # .array keeps categorical order
    if by:
        sums = (
            frame.groupby(by, observed=True, sort=True)
            .agg(
                n=("n", "sum"),
                revenue_so_far=("revenue_so_far", "sum"),
                months=("months", "sum"),
                monthly_revenue=("monthly_revenue", "mean"),
            )
            .reset_index()
        )
    else:
        sums = pd.DataFrame(
            [
                {
                    "n": len(frame),
                    "revenue_so_far": frame["revenue_so_far"].sum(),
                    "months": frame["months"].sum(),
                    "monthly_revenue": frame["monthly_revenue"].mean(),
                }
            ]
        )
    n = sums["n"].to_numpy(dtype=float)
    table = sums[by].copy() if by else pd.DataFrame(index=[0])
    table["n"] = sums["n"].to_numpy()
    table["monthly_revenue"] = sums["monthly_revenue"].to_numpy()
    table["mean_tenure"] = sums["months"].to_numpy() / n
    table["clv_to_date"] = np.atleast_1d(
        metrics.customer_lifetime_value(
            sums["revenue_so_far"].to_numpy(), acquisition_cost * n, retention_cost * sums["months"].to_numpy(), n
        )
    )
    expected = rmst["rmst"].to_numpy()
    table["horizon"] = rmst["horizon"].to_numpy()
    table["expected_lifetime"] = expected
    table["clv_expected"] = (
        margin * table["monthly_revenue"].to_numpy() * expected - acquisition_cost - retention_cost * expected
    )
    return table.reset_index(drop=True)


# --- causes --------------------------------------------------------------------------


def churn_causes(
    data: pd.DataFrame,
    cause: str,
    *,
    churn: str | None = None,
    controllable: Sequence[str] = CONTROLLABLE_CAUSES,
    ci: float = 0.95,
) -> pd.DataFrame:
    """Shares of churn causes among churned customers, controllable or not.

    Parameters
    ----------
    data : DataFrame
        Customer table, one row per customer.
    cause : str
        Column naming why each churned customer left (missing for active customers).
    churn : str, optional
        Churn column; when given, a churned customer without a cause is an error.
    controllable : sequence of str
        Causes the company can act on (default: competitor, quality, indifference).
    ci : float
        Confidence level.

    Returns
    -------
    DataFrame
        One row per cause (in category order), ``cause``, ``n``, ``share``, ``low``,
        ``high`` (Wilson), ``controllable`` and ``quoted_share`` (:data:`CAUSE_SHARES`,
        the widely quoted Rockefeller Corporation figures; missing for other causes).

    Examples
    --------
    >>> frame = pd.DataFrame({"why": ["quality", "moved", "quality", None]})
    >>> churn_causes(frame, "why")[["cause", "n", "share", "controllable"]]
         cause  n     share  controllable
    0    moved  1  0.333333         False
    1  quality  2  0.666667          True
    """
    check_columns(data, cause, parameter="cause")
    values = data[cause]
    if churn is not None:
        flags = _churn_flags(data, churn)
        no_cause = flags & values.isna()
        if no_cause.any():
            raise SurveyDataError(
                f"cause column {cause!r}: churned customers without a cause {describe_offenders(values, no_cause)}"
            )
    present = values.dropna()
    if present.empty:
        raise SurveyDataError(f"cause column {cause!r}: no churned customer has a cause")
    counts = present.value_counts(sort=False)
    if isinstance(values.dtype, pd.CategoricalDtype):
        counts = counts.reindex(values.cat.categories, fill_value=0)
    else:
        counts = counts.sort_index()
    total = int(counts.sum())
    share = counts.to_numpy(dtype=float) / total
    low, high = metrics.wilson_interval(share, np.full(share.shape, total), ci)
    causes = [str(c) for c in counts.index]
    return pd.DataFrame(
        {
            "cause": causes,
            "n": counts.to_numpy(dtype=int),
            "share": share,
            "low": low,
            "high": high,
            "controllable": [c in set(controllable) for c in causes],
            "quoted_share": [CAUSE_SHARES.get(c, np.nan) for c in causes],
        }
    )


# --- worked examples from churn-management training material -------------------------------------------------------


def worked_examples() -> pd.DataFrame:
    """Worked churn examples A and B, computed with :mod:`csat_analysis.metrics`.

    Worked examples from churn-management training material. Example A (small
    appliances): 3000 outlets, 500 new, 3300 at year end; half of
    the churned had 100k annual revenue, half 200k; margin 5% (money in thousands).
    Example B (telecom): 300,000 subscribers, 50,000 new, 320,000 at year end;
    revenue per subscriber 900 this year (1000 last year); margin 3%.

    Returns
    -------
    DataFrame
        One row per example (B twice: at this year's and last year's revenue):
        ``example``, ``start``, ``new``, ``end``, ``churned``, ``rate_start``,
        ``rate_end``, ``retention``, ``lost_revenue``, ``margin``, ``churn_loss``.

    Examples
    --------
    >>> worked_examples().set_index("example").loc["A", ["churned", "churn_loss"]].tolist()
    [200.0, 1500.0]
    """
    start = np.array([3000, 300_000, 300_000], dtype=float)
    end = np.array([3300, 320_000, 320_000], dtype=float)
    new = np.array([500, 50_000, 50_000], dtype=float)
    margin = np.array([0.05, 0.03, 0.03])
    churned = metrics.churned_count(start, end, new)
    # A: half the churned outlets at 100k, half at 200k; B: churned x revenue per subscriber
    lost_revenue = np.array([churned[0] / 2 * 100 + churned[0] / 2 * 200, churned[1] * 900, churned[2] * 1000])
    return pd.DataFrame(
        {
            "example": ["A", "B", "B at last year's revenue"],
            "description": [
                "small appliances, outlets (money in thousands)",
                "telecom subscribers, revenue 900 this year",
                "telecom subscribers, revenue 1000 last year",
            ],
            "start": start,
            "new": new,
            "end": end,
            "churned": churned,
            "rate_start": metrics.churn_rate(start, end, new, base="start"),
            "rate_end": metrics.churn_rate(start, end, new, base="end"),
            "retention": metrics.retention_rate(start, end, new),
            "lost_revenue": lost_revenue,
            "margin": margin,
            "churn_loss": metrics.churn_loss(lost_revenue, margin),
        }
    )


def tier_example() -> pd.DataFrame:
    """Churn per dealer tier: A-tier churn 42%, B-tier 23% in half a year.

    A worked example from churn-management training material (an industrial parts
    maker after a harsh policy change). The example gives only the rates; the counts here are illustrative, chosen so the
    start-based rates are exactly 42% and 23%: A-tier 50 dealers at the start, 3 new,
    32 at the end; B-tier 300 at the start, 15 new, 246 at the end.

    Returns
    -------
    DataFrame
        ``tier``, ``start``, ``new``, ``end``, ``churned``, ``rate_start``, ``rate_end``, ``retention``.

    Examples
    --------
    >>> tier_example()["rate_start"].round(2).tolist()
    [0.42, 0.23]
    """
    tiers = pd.DataFrame({"tier": ["A", "B"], "start": [50, 300], "new": [3, 15], "end": [32, 246]})
    tiers["churned"] = metrics.churned_count(tiers["start"], tiers["end"], tiers["new"])
    tiers["rate_start"] = metrics.churn_rate(tiers["start"], tiers["end"], tiers["new"], base="start")
    tiers["rate_end"] = metrics.churn_rate(tiers["start"], tiers["end"], tiers["new"], base="end")
    tiers["retention"] = metrics.retention_rate(tiers["start"], tiers["end"], tiers["new"])
    return tiers


def retention_curves_by_segment(
    data: pd.DataFrame, tenure: str, churn: str, segments: Sequence[str], ci: float = 0.95
) -> pd.DataFrame:
    """:func:`retention_curves` per segment in long form (``segment``, ``level``, curve columns).

    Without segments there is one curve, with ``segment`` "all customers" and ``level`` "all".

    Parameters
    ----------
    data : DataFrame
        Customer table, one row per customer.
    tenure : str
        Tenure column (months); customers still active are censored at their tenure.
    churn : str
        Boolean (or 0/1) column: the customer left.
    segments : sequence of str
        Segment columns, each analysed on its own.
    ci : float
        Confidence level.

    Returns
    -------
    DataFrame
        ``segment``, ``level`` and the columns of :func:`retention_curves`.

    Examples
    --------
    >>> frame = pd.DataFrame({"months": [1, 2, 3, 4], "left": [1, 0, 1, 0], "plan": list("abab")})
    >>> retention_curves_by_segment(frame, "months", "left", ["plan"]).groupby("level").size().tolist()  # a: time 0 and its 2 churn months; b: no churn
    [3, 1]
    >>> retention_curves_by_segment(frame, "months", "left", [])["segment"].unique().tolist()
    ['all customers']
    """
    if not segments:
        return retention_curves(data, tenure, churn, ci=ci).assign(segment="all customers", level="all")
    return for_each_segment(retention_curves, data, segments, tenure=tenure, churn=churn, ci=ci)


def simulation_check(
    data: pd.DataFrame, tenure: str, churn: str, monthly_hazards: dict, by: str = "repurchase"
) -> pd.DataFrame:
    """Kaplan-Meier median and restricted mean against the simulator's geometric truth.

    ``monthly_hazards`` maps ``"repurchase"`` / ``"no_repurchase"`` to the simulator's
    monthly churn hazard (``StudyData.truth["monthly_churn_hazard"]``); ``by`` is the
    boolean column they refer to. The horizon is the longest tenure in the data.

    Parameters
    ----------
    data : DataFrame
        Customer table, one row per customer.
    tenure : str
        Tenure column (months); customers still active are censored at their tenure.
    churn : str
        Boolean (or 0/1) column: the customer left.
    monthly_hazards : dict
        ``{"repurchase": h1, "no_repurchase": h2}``, the simulator's monthly hazards.
    by : str
        Boolean column the hazards refer to.

    Returns
    -------
    DataFrame
        ``repurchase``, ``monthly_hazard``, ``true_median``, ``km_median``, ``low``,
        ``high``, ``true_rmst``, ``km_rmst``, ``horizon``.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> time = rng.geometric(0.2, 4000); exposure = rng.integers(1, 30, 4000)
    >>> frame = pd.DataFrame({"m": np.minimum(time, exposure), "left": time <= exposure,
    ...                       "repurchase": rng.random(4000) < 0.5})
    >>> check = simulation_check(frame, "m", "left", {"repurchase": 0.2, "no_repurchase": 0.2})
    >>> check[["true_median", "km_median"]].to_numpy().tolist()
    [[4.0, 4.0], [4.0, 4.0]]
    """
    horizon = float(_tenure_values(data, tenure).max())
    truth = pd.DataFrame(
        [
            {
                by: name == "repurchase",
                "monthly_hazard": hazard,
                **{f"true_{k}": v for k, v in geometric_lifetime(hazard, horizon).items()},
            }
            for name, hazard in monthly_hazards.items()
        ]
    )
    estimated = median_lifetime(data, tenure, churn, by=by)[[by, "median", "low", "high"]]
    rmst = restricted_mean_lifetime(data, tenure, churn, by=by, horizon=horizon)[[by, "rmst"]]
    check = truth.merge(estimated.rename(columns={"median": "km_median"}), on=by)
    check = check.merge(rmst.rename(columns={"rmst": "km_rmst"}), on=by)
    check[by] = check[by].astype(bool)
    return check[[by, "monthly_hazard", "true_median", "km_median", "low", "high", "true_rmst", "km_rmst"]].assign(
        horizon=horizon
    )
