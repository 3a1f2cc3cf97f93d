"""Churn and retention study: churn rates, retention curves, drivers, lifetime value, causes.

The churn arithmetic on counts (brief section 5) lives in :mod:`csat_analysis.metrics`;
this module applies it to customer tables and adds what a churn study needs on
customer-level data: churn by segment with Wilson intervals, Kaplan-Meier retention
curves (statsmodels ``SurvfuncRight``), median lifetime and log-rank tests, a logistic
model of churn drivers (statsmodels formula API), lifetime value per segment and churn
causes (controllable or not). Every function takes a DataFrame plus column names and
returns a tidy DataFrame.

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

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from . import metrics, regression, report, survival
from ._validation import check_choice, check_columns, check_complete, describe_offenders, read_flags, read_weights
from .errors import ModelSpecError, StudyError, SurveyDataError

__all__ = [
    "CAUSE_SHARES",
    "CONTROLLABLE_CAUSES",
    "DAYS_PER_MONTH",
    "ChurnDrivers",
    "ChurnStudySetup",
    "churn_by_segment",
    "churn_by_segments",
    "for_each_segment",
    "geometric_lifetime",
    "churn_causes",
    "churn_drivers",
    "lifetime_value",
    "logrank",
    "median_lifetime",
    "restricted_mean_lifetime",
    "retention_curves",
    "retention_curves_by_segment",
    "check_assumptions",
    "dataset_key",
    "setup_study",
    "tenure_bands",
    "tier_example",
    "worked_examples",
    "COLUMN_LABELS",
    "Causes",
    "LifetimeValues",
    "Lifetimes",
    "causes",
    "drivers_finding",
    "examples_finding",
    "examples_results",
    "key_findings",
    "lifetime_values",
    "lifetimes",
    "overall_finding",
    "overall_results",
    "segment_finding",
    "simulation_check",
    "simulation_finding",
    "styled",
    "tier_finding",
    "time_segments",
    "widest_segment",
]

#: seeds 000/001: why customers leave, as shares of the churned
CAUSE_SHARES = {"death": 0.01, "moved": 0.03, "habits": 0.05, "competitor": 0.09, "quality": 0.14, "indifference": 0.68}
#: causes the company can act on (the rest: death, moving away, changed habits)
CONTROLLABLE_CAUSES = ("competitor", "quality", "indifference")
#: average month length, to express day counts (``account_length``) in months
DAYS_PER_MONTH = 30.4
#: default tenure bands in months: [0, 6), [6, 12), [12, 24), [24, 48), [48, inf)
TENURE_EDGES = (0, 6, 12, 24, 48, np.inf)


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


# --- churn rates -----------------------------------------------------------------------


def tenure_bands(tenure, edges: Sequence[float] = TENURE_EDGES) -> pd.Series:
    """Tenure cut into ordered bands labelled in months, e.g. ``"0-5"``, ``"48+"``.

    Bands are closed on the left: with the default edges a customer of 6 months is in
    ``"6-11"``.

    Examples
    --------
    >>> tenure_bands([0, 5, 6, 30, 72]).tolist()
    ['0-5', '0-5', '6-11', '24-47', '48+']
    """
    values = pd.Series(tenure) if not isinstance(tenure, pd.Series) else tenure
    edges = list(edges)
    if sorted(edges) != edges or len(set(edges)) != len(edges):
        raise SurveyDataError(f"tenure_bands: edges must increase strictly, got {edges}")
    labels = []
    for low, high in zip(edges[:-1], edges[1:]):
        labels.append(f"{low:g}+" if np.isinf(high) else f"{low:g}-{high - 1:g}")
    bands = pd.cut(values, bins=edges, right=False, labels=labels)
    outside = bands.isna() & values.notna()
    if outside.any():
        raise SurveyDataError(f"tenure_bands: values outside [{edges[0]}, {edges[-1]}): {describe_offenders(values, outside)}")
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
    """Churn rate per segment with a Wilson interval, on the seed's period counts.

    A customer table is read as one period: customers whose tenure is below
    ``new_within`` joined during the period (``new``), the others were there at its
    start (``start``), and ``end = n - churned``. The rate is then
    :func:`csat_analysis.metrics.churn_rate` on those counts, so both bases of the
    brief are available. Without ``tenure`` every customer counts as present at the
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
    weights : str, optional
        Column of positive survey weights: counts become weighted sums and the
        interval uses the Kish effective size of the starting customers.
    ci : float
        Confidence level.

    Returns
    -------
    DataFrame
        Segment columns, ``n``, ``new``, ``start``, ``end``, ``churned``,
        ``rate_start``, ``rate_end``, ``base``, ``rate``, ``low``, ``high``, ``n_eff``.
        The interval is the Wilson interval of ``churned / start``, carried to the
        end base through ``rate_end = churned / (start - churned + new)``, which is
        increasing in the churned share.

    Examples
    --------
    >>> frame = pd.DataFrame({"left": [1, 0, 0, 1, 0], "months": [3, 0, 7, 9, 2]})
    >>> row = churn_by_segment(frame, "left", tenure="months", base="end").iloc[0]
    >>> int(row.start), int(row.new), int(row.end), float(row.rate_start), round(float(row.rate), 4)
    (4, 1, 3, 0.5, 0.6667)
    """
    check_choice("base", base, ["start", "end"], error=SurveyDataError)
    by = _group_columns(data, by)
    flags = _churn_flags(data, churn).to_numpy(dtype=float)
    is_new = (_tenure_values(data, tenure) < new_within).to_numpy() if tenure else np.zeros(len(data), bool)
    w = read_weights(data, weights)
    sums = metrics.group_sums(data, by, {"_w": w, "_churned": flags * w, "_new": is_new * w,
                                         "_start_w": ~is_new * w, "_start_w2": ~is_new * w**2})
    start = sums["_w"] - sums["_new"]
    end = sums["_w"] - sums["_churned"]
    new = sums["_new"]
    churned = metrics.churned_count(start.to_numpy(), end.to_numpy(), new.to_numpy())
    with np.errstate(divide="ignore", invalid="ignore"):
        n_eff = (sums["_start_w"] ** 2 / sums["_start_w2"]).to_numpy()
    share = churned / start.to_numpy()
    low, high = metrics.wilson_interval(share, n_eff, ci)
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


def churn_by_segments(data: pd.DataFrame, churn: str, segments: Sequence[str], **kwargs) -> pd.DataFrame:
    """:func:`churn_by_segment` for each segment column in turn, stacked in long form.

    Returns one row per (``segment``, ``level``) with the columns of
    :func:`churn_by_segment`; ``level`` holds the level as text.

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
        raise SurveyDataError("for_each_segment: give at least one segment column")
    return pd.concat(tables, ignore_index=True)


def geometric_lifetime(monthly_hazard: float, horizon: float) -> dict[str, float]:
    """Median and restricted mean lifetime when churn has a constant monthly hazard.

    With survival ``S(t) = (1 - h)^t`` after ``t`` whole months (the simulator's
    geometric time to churn), the median is the first month with ``S <= 0.5`` and the
    restricted mean up to ``horizon`` months is the sum of ``S`` over months
    ``0 .. horizon - 1``. This is the known truth a Kaplan-Meier curve on simulated
    data should recover.

    Examples
    --------
    >>> geometric_lifetime(0.5, horizon=3)  # S = 1, 0.5, 0.25 -> median 1, rmst 1.75
    {'median': 1.0, 'rmst': 1.75}
    """
    if not 0 < monthly_hazard < 1:
        raise SurveyDataError(f"monthly_hazard must lie strictly between 0 and 1, got {monthly_hazard!r}")
    median = float(np.ceil(np.log(0.5) / np.log1p(-monthly_hazard) - 1e-12))
    survival = (1 - monthly_hazard) ** np.arange(int(np.floor(horizon)))
    rmst = float(survival.sum() + (horizon - np.floor(horizon)) * (1 - monthly_hazard) ** np.floor(horizon))
    return {"median": median, "rmst": rmst}


# --- retention curves --------------------------------------------------------------


def _survival_frame(data: pd.DataFrame, tenure: str, churn: str, by) -> tuple[pd.DataFrame, list[str]]:
    """Checked tenure, churn and segment columns under the names :mod:`survival` expects."""
    by = _group_columns(data, by)
    frame = pd.DataFrame({"_time": _tenure_values(data, tenure).to_numpy(),
                          "_event": _churn_flags(data, churn).to_numpy(dtype=float)}, index=data.index)
    for column in by:
        frame[column] = data[column]
    return frame, by


def retention_curves(data: pd.DataFrame, tenure: str, churn: str, by: str | Sequence[str] | None = None,
                     ci: float = 0.95) -> pd.DataFrame:
    """Kaplan-Meier retention curves, one per segment, with log-log confidence bands.

    Customers still active are right-censored at their tenure
    (:func:`csat_analysis.survival.kaplan_meier`).

    Returns
    -------
    DataFrame
        Segment columns, ``time``, ``at_risk``, ``events``, ``survival``, ``se``
        (Greenwood), ``low``, ``high``. Each curve starts with a row at time 0 with
        survival 1; the other rows are the event times.

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


def median_lifetime(data: pd.DataFrame, tenure: str, churn: str, by: str | Sequence[str] | None = None,
                    ci: float = 0.95) -> pd.DataFrame:
    """Median customer lifetime from the Kaplan-Meier curve, with its confidence interval.

    The median is the first time the retention curve reaches 0.5 or less; when it never
    does (most customers still active) ``median`` is missing and ``reached`` is False
    (:func:`csat_analysis.survival.median_survival`).

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

    Returns
    -------
    DataFrame
        One row: ``segment``, ``groups``, ``chisq``, ``df``, ``pvalue``
        (:func:`csat_analysis.survival.logrank`).

    Examples
    --------
    >>> frame = pd.DataFrame({"months": [1, 2, 3, 4, 5, 6], "left": [1, 1, 1, 0, 0, 1],
    ...                       "plan": ["a", "a", "a", "b", "b", "b"]})
    >>> int(logrank(frame, "months", "left", "plan")["df"].iloc[0])
    1
    """
    frame, (column,) = _survival_frame(data, tenure, churn, by)
    return survival.logrank(frame, "_time", "_event", column).rename(
        columns={"by": "segment", "statistic": "chisq", "dof": "df", "p_value": "pvalue"})


def restricted_mean_lifetime(data: pd.DataFrame, tenure: str, churn: str, by: str | Sequence[str] | None = None,
                             horizon: float | None = None) -> pd.DataFrame:
    """Restricted mean lifetime: the expected months of the first ``horizon`` a customer stays.

    It is the area under the Kaplan-Meier curve from 0 to ``horizon`` (restricted mean
    survival time, :func:`csat_analysis.survival.restricted_mean`). Customer tables
    rarely follow anyone to the end, so the plain mean lifetime is not estimable; the
    restricted mean is, and says so by its horizon.

    Parameters
    ----------
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
        raise SurveyDataError(f"restricted_mean_lifetime: horizon must be positive, got {horizon!r}")
    return survival.restricted_mean(frame, "_time", "_event", by=by or None, horizon=horizon)


# --- drivers ---------------------------------------------------------------------------


@dataclass
class ChurnDrivers:
    """A logistic model of churn: tidy odds ratios plus the fitted statsmodels result.

    Attributes
    ----------
    table : DataFrame
        ``term``, ``variable``, ``level`` (for categorical terms), ``coef``, ``se``,
        ``odds_ratio``, ``low``, ``high``, ``pvalue``; without the intercept.
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
    table = result.odds_ratios.rename(columns={"p_value": "pvalue"})
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

    * ``clv_seed``: seed 004's ``(revenue - acquisition cost - retention cost) /
      customers`` (:func:`csat_analysis.metrics.customer_lifetime_value`) on what the
      segment has earned so far: revenue = sum of monthly revenue x tenure, acquisition
      cost = ``acquisition_cost`` x customers, retention cost = ``retention_cost`` x
      customer-months.
    * ``clv_expected``: margin x mean monthly revenue x expected lifetime, minus the
      acquisition cost and the retention cost over that lifetime. The expected lifetime
      is the restricted mean from the Kaplan-Meier curve up to ``horizon`` months
      (:func:`restricted_mean_lifetime`), so it undercounts customers who stay longer.

    Parameters
    ----------
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
        ``clv_seed``, ``horizon``, ``expected_lifetime``, ``clv_expected``.

    Examples
    --------
    >>> frame = pd.DataFrame({"months": [1, 2, 2, 3, 4, 5], "left": [1, 1, 0, 1, 0, 1],
    ...                       "revenue": [10.0] * 6})
    >>> row = lifetime_value(frame, "months", "left", monthly_revenue="revenue", margin=0.5,
    ...                      acquisition_cost=2, retention_cost=1, horizon=4).iloc[0]
    >>> float(row.clv_seed), round(float(row.clv_expected), 3)  # (170 - 12 - 17) / 6; 5 x 2.944 - 2 - 2.944
    (23.5, 9.778)
    """
    by = _group_columns(data, by)
    metrics.churn_loss(0.0, margin)  # validates margin as a share
    for name, value in (("acquisition_cost", acquisition_cost), ("retention_cost", retention_cost)):
        if not (np.isfinite(value) and value >= 0):
            raise SurveyDataError(f"{name} must be a non-negative number, got {value!r}")
    check_columns(data, monthly_revenue, parameter="monthly_revenue")
    revenue = pd.to_numeric(data[monthly_revenue], errors="coerce")
    bad = revenue.isna() | (revenue < 0)
    if bad.any():
        raise SurveyDataError(f"monthly_revenue column {monthly_revenue!r}: needs non-negative numbers; got {describe_offenders(data[monthly_revenue], bad)}")
    months = _tenure_values(data, tenure)
    rmst = restricted_mean_lifetime(data, tenure, churn, by=by or None, horizon=horizon)
    frame = pd.DataFrame({"revenue_so_far": revenue.to_numpy() * months.to_numpy(), "months": months.to_numpy(),
                          "monthly_revenue": revenue.to_numpy(), "n": 1})
    for column in by:
        frame[column] = data[column].array  # .array keeps categorical order
    if by:
        sums = frame.groupby(by, observed=True, sort=True).agg(
            n=("n", "sum"), revenue_so_far=("revenue_so_far", "sum"), months=("months", "sum"),
            monthly_revenue=("monthly_revenue", "mean")).reset_index()
    else:
        sums = pd.DataFrame([{"n": len(frame), "revenue_so_far": frame["revenue_so_far"].sum(),
                              "months": frame["months"].sum(), "monthly_revenue": frame["monthly_revenue"].mean()}])
    n = sums["n"].to_numpy(dtype=float)
    table = sums[by].copy() if by else pd.DataFrame(index=[0])
    table["n"] = sums["n"].to_numpy()
    table["monthly_revenue"] = sums["monthly_revenue"].to_numpy()
    table["mean_tenure"] = sums["months"].to_numpy() / n
    table["clv_seed"] = np.atleast_1d(metrics.customer_lifetime_value(
        sums["revenue_so_far"].to_numpy(), acquisition_cost * n, retention_cost * sums["months"].to_numpy(), n))
    expected = rmst["rmst"].to_numpy()
    table["horizon"] = rmst["horizon"].to_numpy()
    table["expected_lifetime"] = expected
    table["clv_expected"] = margin * table["monthly_revenue"].to_numpy() * expected - acquisition_cost - retention_cost * expected
    return table.reset_index(drop=True)


# --- causes --------------------------------------------------------------------------


def churn_causes(data: pd.DataFrame, cause: str, *, churn: str | None = None,
                 controllable: Sequence[str] = CONTROLLABLE_CAUSES, ci: float = 0.95) -> pd.DataFrame:
    """Shares of churn causes among churned customers, controllable or not.

    Parameters
    ----------
    cause : str
        Column naming why each churned customer left (missing for active customers).
    churn : str, optional
        Churn column; when given, a churned customer without a cause is an error.
    controllable : sequence of str
        Causes the company can act on (default: competitor, quality, indifference).

    Returns
    -------
    DataFrame
        One row per cause (in category order), ``cause``, ``n``, ``share``, ``low``,
        ``high`` (Wilson), ``controllable`` and ``seed_share`` (seeds 000/001, missing
        for causes the seeds do not name).

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
            raise SurveyDataError(f"cause column {cause!r}: churned customers without a cause {describe_offenders(values, no_cause)}")
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
    return pd.DataFrame({
        "cause": causes,
        "n": counts.to_numpy(dtype=int),
        "share": share,
        "low": low,
        "high": high,
        "controllable": [c in set(controllable) for c in causes],
        "seed_share": [CAUSE_SHARES.get(c, np.nan) for c in causes],
    })


# --- the seed's worked examples -------------------------------------------------------


def worked_examples() -> pd.DataFrame:
    """The brief's worked examples A and B, computed with :mod:`csat_analysis.metrics`.

    Example A (seed 001, case 02): 3000 outlets, 500 new, 3300 at year end; half of
    the churned had 100k annual revenue, half 200k; margin 5% (money in thousands).
    Example B (case 03): 300,000 subscribers, 50,000 new, 320,000 at year end;
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
    return pd.DataFrame({
        "example": ["A", "B", "B at last year's revenue"],
        "description": ["small appliances, outlets (money in thousands)", "telecom subscribers, revenue 900 this year",
                        "telecom subscribers, revenue 1000 last year"],
        "start": start, "new": new, "end": end, "churned": churned,
        "rate_start": metrics.churn_rate(start, end, new, base="start"),
        "rate_end": metrics.churn_rate(start, end, new, base="end"),
        "retention": metrics.retention_rate(start, end, new),
        "lost_revenue": lost_revenue, "margin": margin,
        "churn_loss": metrics.churn_loss(lost_revenue, margin),
    })


def tier_example() -> pd.DataFrame:
    """Seed 001 case 01's dealer tiers: A-tier churn 42%, B-tier 23% in half a year.

    The seed gives only the rates; the counts here are illustrative, chosen so the
    start-based rates are exactly 42% and 23%: A-tier 50 dealers at the start, 3 new,
    32 at the end; B-tier 300 at the start, 15 new, 246 at the end.

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


# --- notebook set-up ---------------------------------------------------------------------

#: per data set: default tenure/churn/segments, revenue, drivers and how to derive columns
DATASET_DEFAULTS: dict[str, dict] = {
    "telco_churn": {
        "tenure": "tenure", "churn": "churn", "tenure_unit": "months",
        "segments": ["contract", "tenure_band", "internet_service", "payment_method"],
        "drivers": ["contract", "internet_service", "payment_method", "paperless_billing", "senior_citizen",
                    "monthly_charges"],
        "monthly_revenue": "monthly_charges", "cause": None,
    },
    "service_calls_churn": {
        "tenure": "account_length", "churn": "churn", "tenure_unit": "days",
        "segments": ["service_calls", "international_plan", "voice_mail_plan", "tenure_band"],
        "drivers": ["service_calls", "international_plan", "voice_mail_plan", "total_day_minutes"],
        "monthly_revenue": "monthly_charges", "cause": None,
    },
    "simulated": {
        "tenure": "tenure_months", "churn": "churned", "tenure_unit": "months",
        "segments": ["segment", "repurchase", "tenure_band"],
        "drivers": ["segment", "repurchase", "nps_score", "annual_revenue"],
        "monthly_revenue": "monthly_revenue", "cause": "churn_cause",
    },
}

#: derived columns :func:`setup_study` can add, usable as segments
DERIVED_SEGMENTS = ("tenure_band", "service_calls")
SERVICE_CALL_BANDS = ["0", "1", "2", "3", "4+"]


@dataclass
class ChurnStudySetup:
    """Everything the churn notebook needs after resolving its parameters.

    Attributes
    ----------
    data : DataFrame
        The study data plus derived columns: ``tenure_months`` (tenure in months),
        ``tenure_band``, and where available ``service_calls`` (calls banded 0-3, 4+)
        and ``monthly_revenue``.
    tenure, churn : str
        The columns used (``tenure`` is the original column; analyses use
        ``tenure_months``).
    tenure_unit : str
        Unit of the original tenure column ("months" or "days").
    segments, drivers : list of str
    monthly_revenue, cause : str or None
        Revenue per month and churn-cause columns, when the data has them.
    weights : str or None
        Survey-weight column (the simulator's ``weight``), used for churn rates.
    """

    data: pd.DataFrame
    tenure: str
    churn: str
    tenure_unit: str
    segments: list[str]
    drivers: list[str]
    monthly_revenue: str | None
    cause: str | None
    weights: str | None

    def describe(self, source: str) -> str:
        """The notebook's one-line data description: columns used, units, weighting.

        Examples
        --------
        >>> setup = ChurnStudySetup(pd.DataFrame(), "days", "left", "days", ["plan"], [], None, None, "weight")
        >>> setup.describe("Simulated data")[:70]
        '**Data:** Simulated data. Churn column `left`, tenure column `days` (d'
        """
        return _describe_setup(self, source)


def dataset_key(study) -> str:
    """Which defaults a :class:`~csat_analysis.datasets.StudyData` gets: its name, "simulated" or "user".

    Raises
    ------
    StudyError
        For a bundled data set without churn data (``mobi``, ``corp_rep``).

    Examples
    --------
    >>> from csat_analysis.datasets import StudyData
    >>> dataset_key(StudyData(pd.DataFrame(), "telco_churn", "real", "Real data"))
    'telco_churn'
    """
    if study.kind == "real":
        if study.name not in DATASET_DEFAULTS:
            churn_sets = [name for name in DATASET_DEFAULTS if name != "simulated"]
            raise StudyError(f"dataset={study.name!r} has no churn or tenure columns; choose one of: "
                             f"{', '.join(map(repr, [*churn_sets, 'simulated']))}, or a customer file with a schema")
        return study.name
    return study.kind


def check_assumptions(margin: float, acquisition_cost: float, retention_cost: float) -> None:
    """Fail early on impossible value assumptions (a margin outside [0, 1], negative costs).

    Examples
    --------
    >>> check_assumptions(0.3, 100, 2)
    """
    try:
        margin_ok = 0 <= float(margin) <= 1
    except (TypeError, ValueError):
        margin_ok = False
    if not margin_ok:
        raise StudyError(f"margin={margin!r} must be a profit margin share between 0 and 1 (e.g. 0.3)")
    for name, value in (("acquisition_cost", acquisition_cost), ("retention_cost", retention_cost)):
        try:
            ok = np.isfinite(float(value)) and float(value) >= 0
        except (TypeError, ValueError):
            ok = False
        if not ok:
            raise StudyError(f"{name}={value!r} must be a non-negative amount of money")


def setup_study(data: pd.DataFrame, dataset_key: str, *, segments=None, tenure: str | None = None,
                churn: str | None = None, tenure_unit: str | None = None) -> ChurnStudySetup:
    """Resolve the churn notebook's column parameters against the data; fail early.

    Parameters
    ----------
    data : DataFrame
    dataset_key : str
        ``"telco_churn"``, ``"service_calls_churn"``, ``"simulated"`` or ``"user"``;
        bundled data and the simulator have defaults for every ``None`` parameter.
    segments : str or list of str, optional
        Segment columns; the derived ``"tenure_band"`` (and ``"service_calls"`` where
        ``number_customer_service_calls`` exists) are also accepted.
    tenure, churn : str, optional
        Tenure and churn columns (required for user data).
    tenure_unit : {"months", "days"}, optional
        Unit of ``tenure`` (default: the data set's, or months).

    Raises
    ------
    StudyError
        A name that is not a column (the message lists the valid ones) or a missing
        required parameter.

    Examples
    --------
    >>> frame = pd.DataFrame({"months": [1, 30], "left": [True, False], "plan": ["a", "b"]})
    >>> setup = setup_study(frame, "user", segments="plan", tenure="months", churn="left")
    >>> setup.segments, setup.data["tenure_band"].tolist()
    (['plan'], ['0-5', '24-47'])
    """
    defaults = DATASET_DEFAULTS.get(dataset_key, {})
    frame = data.copy()
    tenure = tenure if tenure is not None else defaults.get("tenure")
    churn = churn if churn is not None else defaults.get("churn")
    for name, value in (("tenure", tenure), ("churn", churn)):
        if value is None:
            raise StudyError(f"{name}: give the {name} column for your data; columns: {', '.join(map(str, data.columns))}")
    check_columns(frame, tenure, parameter="tenure", error=StudyError)
    check_columns(frame, churn, parameter="churn", error=StudyError)
    tenure_unit = tenure_unit or defaults.get("tenure_unit", "months")
    check_choice("tenure_unit", tenure_unit, ["months", "days"], error=StudyError)
    months = _tenure_values(frame, tenure)
    frame["tenure_months"] = months / DAYS_PER_MONTH if tenure_unit == "days" else months
    frame["tenure_band"] = tenure_bands(frame["tenure_months"])
    if "number_customer_service_calls" in frame:
        calls = pd.to_numeric(frame["number_customer_service_calls"], errors="raise").clip(upper=4)
        frame["service_calls"] = pd.Categorical(calls.astype(int).astype(str).replace("4", "4+"),
                                                categories=SERVICE_CALL_BANDS, ordered=True)
    charges = [c for c in frame.columns if re.fullmatch(r"total_(day|eve|night|intl)_charge", str(c))]
    if len(charges) == 4 and "monthly_charges" not in frame:
        # MLC churn: the four usage charges make up the monthly bill
        frame["monthly_charges"] = frame[charges].sum(axis=1)
    if "annual_revenue" in frame and "monthly_revenue" not in frame:
        frame["monthly_revenue"] = pd.to_numeric(frame["annual_revenue"]) / 12
    chosen = segments if segments is not None else defaults.get("segments")
    if chosen is None:
        raise StudyError(f"segments: give the segment columns for your data; columns: {', '.join(map(str, data.columns))}, "
                         f"or the derived {', '.join(DERIVED_SEGMENTS)}")
    chosen = [chosen] if isinstance(chosen, str) else list(chosen)
    available = [c for c in frame.columns]
    unknown = [c for c in chosen if c not in available]
    if unknown:
        raise StudyError(f"segments: {', '.join(map(repr, unknown))} not in the data; choose from: "
                         f"{', '.join(map(str, available))}")
    drivers = [c for c in defaults.get("drivers", []) if c in frame] or [c for c in chosen if c != "tenure_band"]
    drivers = [*drivers, "tenure_months"] if "tenure_months" not in drivers else drivers
    revenue = defaults.get("monthly_revenue")
    revenue = revenue if revenue in frame else None
    cause = defaults.get("cause")
    cause = cause if cause in frame else None
    weights = "weight" if dataset_key == "simulated" and "weight" in frame else None
    return ChurnStudySetup(frame, tenure, churn, tenure_unit, chosen, drivers, revenue, cause, weights)




# --- report pieces: tables for readers, finding sentences, result objects -----------------

#: reader-facing labels of the study's table columns
COLUMN_LABELS = {
    "example": "example", "start": "at start", "new": "new", "end": "at end", "churned": "churned",
    "rate_start": "churn (start base)", "rate_end": "churn (end base)", "retention": "retention",
    "lost_revenue": "lost revenue", "margin": "margin", "churn_loss": "churn loss", "tier": "tier",
    "segment": "segment", "level": "level", "n": "customers", "rate": "churn rate", "low": "95% low",
    "high": "95% high", "median": "median (months)", "groups": "groups", "chisq": "chi-square", "df": "df",
    "pvalue": "p-value", "term": "term", "coef": "log-odds", "se": "std. error", "odds_ratio": "odds ratio",
    "monthly_revenue": "monthly revenue", "mean_tenure": "mean tenure so far (months)",
    "clv_seed": "CLV, seed formula (to date)", "horizon": "horizon (months)",
    "expected_lifetime": "expected lifetime (months)", "clv_expected": "CLV, expected", "cause": "cause",
    "share": "share", "controllable": "controllable", "seed_share": "seeds' share",
    "monthly_hazard": "true monthly hazard", "true_median": "true median", "km_median": "Kaplan-Meier median",
    "true_rmst": "true restricted mean", "km_rmst": "Kaplan-Meier restricted mean", "repurchase": "repurchase",
}


def _pct(value: float) -> str:
    return f"{100 * value:.1f}%"


def styled(table: pd.DataFrame, caption: str, source: str, *, percent: Sequence[str] = (), digits: int = 2,
           na_rep: str = "–", missing_labels: dict[str, str] | None = None):
    """:func:`csat_analysis.report.styled_table` with this study's :data:`COLUMN_LABELS`.

    Examples
    --------
    >>> frame = pd.DataFrame({"level": ["a"], "n": [1200], "rate": [0.1234]})
    >>> html = styled(frame, "Churn", "Real data: x", percent=["rate"]).to_html()
    >>> "12.3%" in html and "1,200" in html and "churn rate" in html and "Real data: x" in html
    True
    """
    return report.styled_table(table, caption, source, labels=COLUMN_LABELS, percent=percent, digits=digits,
                               na_rep=na_rep, missing_labels=missing_labels)


def examples_finding(examples: pd.DataFrame) -> str:
    """One sentence on the seed's worked examples (:func:`worked_examples`).

    Examples
    --------
    >>> examples_finding(worked_examples())[:62]
    'Example A loses 200 of 3,000 outlets: 6.7% of the start count '
    """
    a, b, b_last = (examples.set_index("example").loc[key] for key in ("A", "B", "B at last year's revenue"))
    return (f"Example A loses {a.churned:,.0f} of {a.start:,.0f} outlets: {_pct(a.rate_start)} of the start count "
            f"({_pct(a.rate_end)} by the seed's end count), and {a.churn_loss:,.0f}k of profit at a "
            f"{a.margin:.0%} margin. Example B loses {b.churned:,.0f} subscribers, {_pct(b.rate_start)} "
            f"({_pct(b.rate_end)} by the end count), costing {b.churn_loss:,.0f} at this year's revenue "
            f"({b_last.churn_loss:,.0f} at last year's).")


def examples_results(examples: pd.DataFrame) -> dict:
    """The recorded results ``example_a`` and ``example_b`` (B with last year's churn loss).

    Examples
    --------
    >>> examples_results(worked_examples())["example_b"]["churn_loss_last_year_revenue"]
    900000.0
    """
    table = examples.set_index("example").drop(columns="description")
    b = table.loc["B"].to_dict()
    b["churn_loss_last_year_revenue"] = float(table.loc["B at last year's revenue", "churn_loss"])
    return {"example_a": {"example": "A", **table.loc["A"].to_dict()}, "example_b": {"example": "B", **b}}


def tier_finding(tiers: pd.DataFrame) -> str:
    """One sentence comparing the dealer tiers of :func:`tier_example` (or any two tiers).

    Examples
    --------
    >>> tier_finding(tier_example())[:48]
    'Tier A loses 42.0% of its dealers against 23.0% '
    """
    ordered = tiers.sort_values("rate_start", ascending=False)
    hi, lo = ordered.iloc[0], ordered.iloc[-1]
    return (f"Tier {hi.tier} loses {_pct(hi.rate_start)} of its dealers against {_pct(lo.rate_start)} in tier "
            f"{lo.tier}. On the end count the rates would read {_pct(hi.rate_end)} and {_pct(lo.rate_end)}, "
            "so the base must always be stated.")


BASE_LABELS = {"start": "customers at the start", "end": "customers at the end (seed 001's base)"}


def overall_results(overall: pd.Series) -> dict:
    """The recorded headline churn results from one row of :func:`churn_by_segment`.

    Examples
    --------
    >>> row = churn_by_segment(pd.DataFrame({"left": [1, 0, 0, 0]}), "left").iloc[0]
    >>> overall_results(row)["churn_rate"], overall_results(row)["n_customers"]
    (0.25, 4)
    """
    return {"n_customers": int(overall.n), "churn_rate": float(overall.rate), "churn_rate_low": float(overall.low),
            "churn_rate_high": float(overall.high), "churn_base": str(overall.base)}


def overall_finding(overall: pd.Series, weighted: bool = False) -> str:
    """The headline churn sentence: rate on the chosen base, interval, the other base.

    Examples
    --------
    >>> row = churn_by_segment(pd.DataFrame({"left": [1, 0, 0, 0]}), "left").iloc[0]
    >>> overall_finding(row)[:75]
    'Of 4 customers, 1 churned: a churn rate of **25.0%** of customers at the st'
    """
    other = overall.rate_end if overall.base == "start" else overall.rate_start
    other_base = "end" if overall.base == "start" else "start"
    counts = "weighted counts; " if weighted else ""
    return (f"Of {int(overall.n):,} customers, {overall.churned:,.0f} churned: a churn rate of **{_pct(overall.rate)}** "
            f"of {BASE_LABELS[overall.base]} ({counts}95% interval {_pct(overall.low)} to {_pct(overall.high)}); "
            f"on the {other_base} count it is {_pct(other)}.")


def widest_segment(by_segment: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """The segmentation whose churn rates spread most: its highest and lowest level rows.

    Examples
    --------
    >>> table = pd.DataFrame({"segment": ["a", "a", "b", "b"], "level": ["x", "y", "u", "v"],
    ...                       "rate": [0.1, 0.2, 0.05, 0.5]})
    >>> [row.level for row in widest_segment(table)]
    ['v', 'u']
    """
    rates = by_segment.dropna(subset=["rate"])
    spread = rates.groupby("segment", sort=False)["rate"].agg(lambda r: r.max() - r.min())
    levels = rates[rates.segment == spread.idxmax()].sort_values("rate")
    return levels.iloc[-1], levels.iloc[0]


def segment_finding(by_segment: pd.DataFrame) -> str:
    """One sentence naming the segmentation with the widest spread of churn rates.

    Examples
    --------
    >>> table = pd.DataFrame({"segment": ["a", "a", "b", "b"], "level": ["x", "y", "u", "v"],
    ...                       "rate": [0.1, 0.2, 0.05, 0.5]})
    >>> segment_finding(table)
    'Churn differs most by `b`: 50.0% for v against 5.0% for u.'
    """
    top, bottom = widest_segment(by_segment)
    return f"Churn differs most by `{top.segment}`: {_pct(top.rate)} for {top.level} against {_pct(bottom.rate)} for {bottom.level}."


def _describe_setup(setup: "ChurnStudySetup", source: str) -> str:
    converted = f", converted to months at {DAYS_PER_MONTH} days a month" if setup.tenure_unit == "days" else ""
    weights = (f" Churn rates use the survey weights (`{setup.weights}`); retention curves, the driver model "
               "and lifetime values count every customer once (unweighted)." if setup.weights else "")
    return (f"**Data:** {source}. Churn column `{setup.churn}`, tenure column `{setup.tenure}` "
            f"({setup.tenure_unit}{converted}), segments: {', '.join(f'`{s}`' for s in setup.segments)}.{weights}")


def time_segments(segments: Sequence[str]) -> list[str]:
    """Segments for retention curves and lifetime value: all but ``tenure_band``.

    Tenure bands are cut from the tenure itself, so their curves would only restate the banding.

    Examples
    --------
    >>> time_segments(["contract", "tenure_band"])
    ['contract']
    """
    return [s for s in segments if s != "tenure_band"]


@dataclass
class Lifetimes:
    """Median lifetimes and log-rank tests per segment (:func:`lifetimes`).

    Attributes
    ----------
    overall : Series
        Row of :func:`median_lifetime` for all customers.
    medians : DataFrame
        ``segment``, ``level``, ``n``, ``churned``, ``median``, ``low``, ``high``, ``reached``.
    tests : DataFrame
        One :func:`logrank` row per segment (empty without segments).
    weighted_data : bool
        The data has survey weights that these (unweighted) estimates ignore.
    """

    overall: pd.Series
    medians: pd.DataFrame
    tests: pd.DataFrame
    weighted_data: bool = False

    def shortest(self) -> pd.Series | None:
        """The segment level with the shortest reached median (None without segments or reached medians)."""
        if self.tests.empty:  # no segments: the only row is all customers, said by the overall sentence
            return None
        reached = self.medians[self.medians.reached]
        return reached.sort_values("median").iloc[0] if len(reached) else None

    def to_results(self) -> dict:
        """``median_lifetime_months`` (table) and ``median_lifetime_months_overall`` (None if not reached)."""
        columns = ["segment", "level", "n", "churned", "median", "low", "high", "reached"]
        overall = float(self.overall["median"]) if self.overall.reached else None
        return {"median_lifetime_months": self.medians[columns], "median_lifetime_months_overall": overall}

    def finding(self) -> str:
        """Sentences on the overall median, the shortest segment median and the log-rank tests."""
        parts = [f"Half of all customers have left after {self.overall['median']:.0f} months." if self.overall.reached
                 else "Fewer than half of all customers have left within the observed tenure, so the overall "
                      "median lifetime is not reached."]
        shortest = self.shortest()
        if shortest is not None:
            parts.append(f"The shortest median lifetime is {shortest['median']:.1f} months "
                         f"(`{shortest.segment}` = {shortest.level}).")
        if len(self.tests):
            differ = int((self.tests.pvalue < 0.05).sum())
            parts.append(f"{differ} of {len(self.tests)} segmentations have retention curves that differ at the 5% level.")
        if self.weighted_data:
            parts.append("These curves are unweighted (every customer counts once), unlike the weighted churn rates above.")
        return " ".join(parts)


def lifetimes(data: pd.DataFrame, tenure: str, churn: str, segments: Sequence[str], *,
              weighted_data: bool = False) -> Lifetimes:
    """Median lifetime overall and per segment, and a log-rank test per segment.

    Examples
    --------
    >>> frame = pd.DataFrame({"months": [1, 2, 3, 4, 5], "left": [1, 1, 1, 0, 0], "plan": list("aaabb")})
    >>> result = lifetimes(frame, "months", "left", ["plan"])  # S = 0.8, 0.6, 0.4 at months 1, 2, 3
    >>> float(result.overall["median"]), result.medians.level.tolist(), len(result.tests)
    (3.0, ['a', 'b'], 1)
    """
    segments = list(segments)
    overall = median_lifetime(data, tenure, churn).iloc[0]
    if segments:
        medians = for_each_segment(median_lifetime, data, segments, tenure=tenure, churn=churn)
        tests = pd.concat([logrank(data, tenure, churn, s) for s in segments], ignore_index=True)
    else:
        medians = median_lifetime(data, tenure, churn).assign(segment="all", level="all")
        tests = pd.DataFrame(columns=["segment", "groups", "chisq", "df", "pvalue"])
    return Lifetimes(overall, medians, tests, weighted_data)


def retention_curves_by_segment(data: pd.DataFrame, tenure: str, churn: str, segments: Sequence[str],
                                ci: float = 0.95) -> pd.DataFrame:
    """:func:`retention_curves` per segment in long form (``segment``, ``level``, curve columns).

    Without segments there is one curve, with ``segment`` "all customers" and ``level`` "all".

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


def simulation_check(data: pd.DataFrame, tenure: str, churn: str, monthly_hazards: dict,
                     by: str = "repurchase") -> pd.DataFrame:
    """Kaplan-Meier median and restricted mean against the simulator's geometric truth.

    ``monthly_hazards`` maps ``"repurchase"`` / ``"no_repurchase"`` to the simulator's
    monthly churn hazard (``StudyData.truth["monthly_churn_hazard"]``); ``by`` is the
    boolean column they refer to. The horizon is the longest tenure in the data.

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
    truth = pd.DataFrame([{by: name == "repurchase", "monthly_hazard": hazard,
                           **{f"true_{k}": v for k, v in geometric_lifetime(hazard, horizon).items()}}
                          for name, hazard in monthly_hazards.items()])
    estimated = median_lifetime(data, tenure, churn, by=by)[[by, "median", "low", "high"]]
    rmst = restricted_mean_lifetime(data, tenure, churn, by=by, horizon=horizon)[[by, "rmst"]]
    check = truth.merge(estimated.rename(columns={"median": "km_median"}), on=by)
    check = check.merge(rmst.rename(columns={"rmst": "km_rmst"}), on=by)
    check[by] = check[by].astype(bool)
    return check[[by, "monthly_hazard", "true_median", "km_median", "low", "high", "true_rmst", "km_rmst"]].assign(
        horizon=horizon)


def simulation_finding(check: pd.DataFrame) -> str:
    """Whether the Kaplan-Meier medians cover the true medians, and how far the restricted means are off.

    A true median beyond the horizon (the longest observed tenure) cannot be estimated;
    such groups are named instead of being counted as misses.

    Examples
    --------
    >>> check = pd.DataFrame({"true_median": [10.0, 139.0], "km_median": [11.0, np.nan], "low": [9.0, np.nan],
    ...                       "high": [12.0, np.nan], "true_rmst": [20.0, 60.0], "km_rmst": [20.5, 60.0],
    ...                       "horizon": 72.0})
    >>> simulation_finding(check)
    'The 95% intervals of the Kaplan-Meier medians contain the true median in 1 of 1 groups (1 true median lies beyond the 72-month horizon, so it cannot be estimated); the restricted means are within 2.5% of the truth.'
    >>> simulation_finding(check.assign(high=[9.5, np.nan]))[:74]
    'The 95% intervals of the Kaplan-Meier medians contain the true median in 0'
    """
    estimable = check[check.true_median <= check.horizon]
    covered = int(((estimable.low <= estimable.true_median) & (estimable.true_median <= estimable.high)).sum())
    beyond = len(check) - len(estimable)
    note = (f" ({beyond} true median{' lies' if beyond == 1 else 's lie'} beyond the {check.horizon.iloc[0]:.0f}-month "
            f"horizon, so {'it' if beyond == 1 else 'they'} cannot be estimated)") if beyond else ""
    worst = float((check.km_rmst / check.true_rmst - 1).abs().max())
    return (f"The 95% intervals of the Kaplan-Meier medians contain the true median in {covered} of {len(estimable)} "
            f"groups{note}; the restricted means are within {_pct(worst)} of the truth.")


def drivers_finding(table: pd.DataFrame, alpha: float = 0.05) -> str:
    """Strongest significant risk factor and protection in an odds-ratio table.

    Examples
    --------
    >>> table = pd.DataFrame({"term": ["a", "b", "c"], "odds_ratio": [2.0, 0.5, 3.0], "pvalue": [0.01, 0.02, 0.4]})
    >>> drivers_finding(table)
    'The strongest risk factor is a (odds ratio 2.00). The strongest protection is b (odds ratio 0.50). 2 of 3 terms are significant at the 5% level.'
    >>> drivers_finding(table.assign(pvalue=0.5))
    'No term is significant at the 5% level (0 of 3).'
    """
    significant = table[table.pvalue < alpha]
    if significant.empty:
        return f"No term is significant at the {alpha:.0%} level (0 of {len(table)})."
    parts = []
    up = significant[significant.odds_ratio > 1]
    down = significant[significant.odds_ratio < 1]
    if len(up):
        row = up.sort_values("odds_ratio").iloc[-1]
        parts.append(f"The strongest risk factor is {row.term} (odds ratio {row.odds_ratio:.2f}).")
    if len(down):
        row = down.sort_values("odds_ratio").iloc[0]
        parts.append(f"The strongest protection is {row.term} (odds ratio {row.odds_ratio:.2f}).")
    parts.append(f"{len(significant)} of {len(table)} terms are significant at the {alpha:.0%} level.")
    return " ".join(parts)


@dataclass
class LifetimeValues:
    """Lifetime value per segment with the assumptions behind it (:func:`lifetime_values`).

    ``table`` is None when the data has no revenue column or no segment to compare;
    ``reason`` then says why.
    """

    table: pd.DataFrame | None
    margin: float
    acquisition_cost: float
    retention_cost: float
    monthly_revenue: str | None
    reason: str = ""

    @property
    def available(self) -> bool:
        return self.table is not None

    def assumptions(self) -> dict:
        return {"margin": self.margin, "acquisition_cost": self.acquisition_cost,
                "retention_cost_per_month": self.retention_cost, "monthly_revenue_column": self.monthly_revenue}

    def assumptions_note(self) -> str:
        """The assumptions in words, labelled as assumptions (parameters), not data.

        Examples
        --------
        >>> LifetimeValues(None, 0.3, 100, 2, "charges").assumptions_note()[:60]
        '**Assumptions (notebook parameters, not data):** profit marg'
        """
        revenue = f" Revenue per customer-month comes from the data (`{self.monthly_revenue}`)." if self.monthly_revenue else ""
        return (f"**Assumptions (notebook parameters, not data):** profit margin {self.margin:.0%} of revenue; "
                f"acquisition cost {self.acquisition_cost:,.2f} per customer, paid once; retention cost "
                f"{self.retention_cost:,.2f} per customer per month.{revenue} Change the parameters and the "
                "values below change with them.")

    def first_segment(self) -> pd.DataFrame:
        """Rows of the first segmentation, the one the figure and the finding use."""
        return self.table[self.table.segment == self.table.segment.iloc[0]]

    def finding(self) -> str:
        """Best and worst expected value in the first segmentation, or why there is none."""
        if not self.available:
            return self.reason
        rows = self.first_segment().sort_values("clv_expected")
        best, worst = rows.iloc[-1], rows.iloc[0]
        sentence = (f"Under the assumptions above, a customer with `{best.segment}` = {best.level} is expected to be "
                    f"worth {best.clv_expected:,.0f} over {best.expected_lifetime:.1f} months, against "
                    f"{worst.clv_expected:,.0f} over {worst.expected_lifetime:.1f} months for {worst.level}.")
        if best.clv_expected < 0:
            sentence += (f" No level earns back the assumed acquisition cost within the {best.horizon:.0f}-month "
                         "horizon the data covers; longer follow-up or other cost assumptions may change that.")
        return sentence

    def to_results(self) -> dict:
        """``clv_by_segment`` and ``clv_assumptions``; empty when not available."""
        return {"clv_by_segment": self.table, "clv_assumptions": self.assumptions()} if self.available else {}


def lifetime_values(data: pd.DataFrame, tenure: str, churn: str, segments: Sequence[str], *,
                    monthly_revenue: str | None, margin: float, acquisition_cost: float,
                    retention_cost: float) -> LifetimeValues:
    """:func:`lifetime_value` for each segment, or the reason it cannot be computed.

    Examples
    --------
    >>> frame = pd.DataFrame({"months": [1, 2, 3, 4], "left": [1, 0, 1, 0], "plan": list("aabb"), "rev": 10.0})
    >>> lifetime_values(frame, "months", "left", [], monthly_revenue="rev", margin=0.3,
    ...                 acquisition_cost=0, retention_cost=0).reason[:40]
    'Lifetime value needs a segment other tha'
    >>> lifetime_values(frame, "months", "left", ["plan"], monthly_revenue="rev", margin=0.3,
    ...                 acquisition_cost=0, retention_cost=0).table.level.tolist()
    ['a', 'b']
    """
    assumptions = dict(margin=margin, acquisition_cost=acquisition_cost, retention_cost=retention_cost,
                       monthly_revenue=monthly_revenue)
    if monthly_revenue is None:
        return LifetimeValues(None, **assumptions, reason="The data has no revenue column, so lifetime value is not "
                              "computed; the restricted mean lifetimes of section 3 still compare segments.")
    if not segments:
        return LifetimeValues(None, **assumptions, reason="Lifetime value needs a segment other than tenure band "
                              "(bands compare customers by how long they have already stayed); choose one in `segments`.")
    table = for_each_segment(lifetime_value, data, segments, tenure=tenure, churn=churn,
                             monthly_revenue=monthly_revenue, margin=margin,
                             acquisition_cost=acquisition_cost, retention_cost=retention_cost)
    return LifetimeValues(table, **assumptions)


@dataclass
class Causes:
    """Churn causes against the seeds' shares (:func:`causes`); ``table`` None when the data has none."""

    table: pd.DataFrame | None
    reason: str = ""

    @property
    def available(self) -> bool:
        return self.table is not None

    @property
    def controllable_share(self) -> float | None:
        if not self.available:
            return None
        return float(self.table.loc[self.table.controllable, "n"].sum() / self.table.n.sum())

    def finding(self) -> str:
        """The controllable share against the seeds' 91%, or why the section is empty.

        Examples
        --------
        >>> table = pd.DataFrame({"n": [3, 1], "controllable": [True, False]})
        >>> Causes(table).finding()[:60]
        '75.0% of churned customers left for reasons the company cont'
        """
        if not self.available:
            return self.reason
        seed = sum(CAUSE_SHARES[c] for c in CONTROLLABLE_CAUSES)
        return (f"{_pct(self.controllable_share)} of churned customers left for reasons the company controls "
                f"({', '.join(CONTROLLABLE_CAUSES)}); the seeds put this at {seed:.0%}.")

    def to_results(self) -> dict:
        return {"churn_causes": self.table, "controllable_share": self.controllable_share} if self.available else {}


def causes(data: pd.DataFrame, cause: str | None, churn: str, dataset_name: str = "this data set") -> Causes:
    """:func:`churn_causes` when the data has a cause column, else the reason there is none.

    Examples
    --------
    >>> causes(pd.DataFrame({"left": [True]}), None, "left", "telco").finding()
    'This data set (telco) records no churn causes, so this section is skipped.'
    """
    if cause is None:
        return Causes(None, f"This data set ({dataset_name}) records no churn causes, so this section is skipped.")
    return Causes(churn_causes(data, cause, churn=churn))


def key_findings(*, overall: pd.Series, by_segment: pd.DataFrame, lifetimes: Lifetimes, drivers: ChurnDrivers,
                 values: LifetimeValues, causes: Causes, examples: pd.DataFrame, source: str) -> str:
    """The closing list of findings, one markdown bullet per section that has something to say.

    Examples
    --------
    >>> frame = pd.DataFrame({"months": [1, 2, 3, 4, 5, 6, 7, 8], "left": [1, 0, 1, 0, 1, 1, 0, 0],
    ...                       "plan": list("aabbaabb"), "rev": 10.0})
    >>> overall = churn_by_segment(frame, "left").iloc[0]
    >>> text = key_findings(overall=overall, by_segment=churn_by_segments(frame, "left", ["plan"]),
    ...     lifetimes=lifetimes(frame, "months", "left", ["plan"]), drivers=churn_drivers(frame, "left", ["plan"]),
    ...     values=lifetime_values(frame, "months", "left", [], monthly_revenue=None, margin=0.3,
    ...                            acquisition_cost=0, retention_cost=0),
    ...     causes=causes(frame, None, "left"), examples=worked_examples(), source="Simulated")
    >>> text.splitlines()[0]
    '- **Churn:** 50.0% of customers at the start churned (95% interval 21.5%-78.5%), 8 customers; Simulated.'
    """
    top, bottom = widest_segment(by_segment)
    lines = [f"- **Churn:** {_pct(overall.rate)} of {BASE_LABELS[overall.base]} churned (95% interval "
             f"{_pct(overall.low)}-{_pct(overall.high)}), {int(overall.n):,} customers; {source}.",
             f"- **Who leaves:** churn varies most by `{top.segment}`, from {_pct(bottom.rate)} ({bottom.level}) "
             f"to {_pct(top.rate)} ({top.level})."]
    shortest = lifetimes.shortest()
    if shortest is not None:
        lines.append(f"- **How long they stay:** the shortest median lifetime is {shortest['median']:.1f} months "
                     f"(`{shortest.segment}` = {shortest.level}).")
    risks = drivers.table[(drivers.table.pvalue < 0.05) & (drivers.table.odds_ratio > 1)]
    if len(risks):
        up = risks.sort_values("odds_ratio").iloc[-1]
        lines.append(f"- **Drivers:** holding the rest fixed, {up.term} multiplies the odds of churning by "
                     f"{up.odds_ratio:.2f}.")
    if values.available:
        rows = values.first_segment().sort_values("clv_expected")
        lines.append(f"- **Value:** by `{rows.segment.iloc[0]}`, expected lifetime value per customer ranges from "
                     f"{rows.clv_expected.iloc[0]:,.0f} ({rows.level.iloc[0]}) to {rows.clv_expected.iloc[-1]:,.0f} "
                     f"({rows.level.iloc[-1]}), assuming a {values.margin:.0%} margin, {values.acquisition_cost:,.2f} "
                     f"to acquire and {values.retention_cost:,.2f} a month to retain a customer.")
    if causes.available:
        lines.append(f"- **Causes:** {_pct(causes.controllable_share)} of churn is controllable.")
    a, b = (examples.set_index("example").loc[key] for key in ("A", "B"))
    lines.append(f"- **Arithmetic:** the seed's examples reproduce: A {_pct(a.rate_start)} ({_pct(a.rate_end)} on "
                 f"the end count), B {_pct(b.rate_start)} ({_pct(b.rate_end)}).")
    return "\n".join(lines)
