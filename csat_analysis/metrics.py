"""Customer metrics with survey weights and intervals: CSAT, NPS, CES, churn, CLV.

Every estimator takes an array-like or Series (missing values are dropped and counted)
and optional survey ``weights``, and returns an :class:`Estimate`. Churn arithmetic on
counts (the brief's worked examples) is exact and returns plain numbers, elementwise
for arrays (one value per tier or segment).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd
from scipy import stats

from ._validation import check_choice, describe_offenders
from .errors import SurveyDataError

__all__ = [
    "Estimate",
    "churn_loss",
    "churn_rate",
    "churned_count",
    "customer_lifetime_value",
    "proportion",
    "retention_rate",
    "wilson_interval",
]


@dataclass(frozen=True)
class Estimate:
    """A point estimate with its standard error and confidence interval.

    Attributes
    ----------
    value, se, low, high : float
        Estimate, standard error and interval bounds (``nan`` when ``n == 0``).
    n : int
        Non-missing observations used.
    n_eff : float
        Kish effective sample size (equals ``n`` without weights).
    n_dropped : int
        Missing observations dropped.

    Examples
    --------
    >>> est = Estimate(value=0.5, se=0.1, low=0.3, high=0.7, n=25, n_eff=25.0)
    >>> float(est)
    0.5
    """

    value: float
    se: float
    low: float
    high: float
    n: int
    n_eff: float
    n_dropped: int = 0

    def __float__(self) -> float:
        return float(self.value)

    def to_dict(self) -> dict[str, float]:
        """The fields as a plain dict (for tables and ``report.record``)."""
        return asdict(self)

    @classmethod
    def empty(cls, n_dropped: int = 0) -> Estimate:
        """The estimate of an empty or all-missing group: n = 0 and missing values."""
        nan = float("nan")
        return cls(nan, nan, nan, nan, 0, 0.0, n_dropped)


def _z(ci: float) -> float:
    if not 0 < ci < 1:
        raise SurveyDataError(f"ci={ci!r} must lie strictly between 0 and 1")
    return float(stats.norm.ppf(0.5 + ci / 2))


def wilson_interval(p, n_eff, ci: float = 0.95):
    """Wilson score interval for a proportion ``p`` from ``n_eff`` observations.

    Works elementwise on arrays. With survey weights pass the Kish effective sample
    size as ``n_eff`` (the usual design-effect adjustment).

    Examples
    --------
    >>> low, high = wilson_interval(0.5, 100)
    >>> round(low, 4), round(high, 4)
    (0.4038, 0.5962)
    """
    z = _z(ci)
    p = np.asarray(p, dtype=float)
    n_eff = np.asarray(n_eff, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        denominator = 1 + z**2 / n_eff
        centre = (p + z**2 / (2 * n_eff)) / denominator
        half = z * np.sqrt(p * (1 - p) / n_eff + z**2 / (4 * n_eff**2)) / denominator
    low, high = centre - half, centre + half
    if low.ndim == 0:
        return float(low), float(high)
    return low, high


def _clean(values, weights=None, *, name: str = "values"):
    """Return (values, weights, n_dropped) as float arrays without missing values."""
    series = values if isinstance(values, pd.Series) else pd.Series(np.asarray(values, dtype=object).ravel())
    numeric = pd.to_numeric(series, errors="coerce")
    not_numeric = numeric.isna() & series.notna()
    if not_numeric.any():
        raise SurveyDataError(f"{name}: non-numeric values {describe_offenders(series, not_numeric)}")
    x = numeric.to_numpy(dtype=float)
    if weights is None:
        w = np.ones_like(x)
    else:
        w = np.asarray(weights, dtype=float).ravel()
        if w.shape != x.shape:
            raise SurveyDataError(f"weights: {w.size} weights for {x.size} {name}")
        bad = ~(w > 0) & ~np.isnan(w)
        if bad.any():
            raise SurveyDataError(
                f"weights: weights must be positive; got {describe_offenders(pd.Series(w, index=series.index), bad)}"
            )
    keep = ~np.isnan(x) & ~np.isnan(w)
    return x[keep], w[keep], int((~keep).sum())


def _kish(w: np.ndarray) -> float:
    return float(w.sum() ** 2 / (w**2).sum()) if w.size else 0.0


def proportion(flags, weights=None, ci: float = 0.95) -> Estimate:
    """Share of true values, with a Wilson interval (weighted: Kish n_eff).

    Parameters
    ----------
    flags : array-like of bool or 0/1
        Missing values are dropped and counted in ``n_dropped``.
    weights : array-like, optional
        Positive survey weights.
    ci : float
        Confidence level.

    Examples
    --------
    >>> est = proportion([True, False, True, True])
    >>> est.value, est.n
    (0.75, 4)
    """
    x, w, dropped = _clean(flags, weights, name="flags")
    not_binary = ~np.isin(x, (0.0, 1.0))
    if not_binary.any():
        raise SurveyDataError(f"flags: values other than 0/1 or True/False: {np.unique(x[not_binary])[:5].tolist()}")
    if x.size == 0:
        return Estimate.empty(dropped)
    p = float(np.average(x, weights=w))
    n_eff = _kish(w)
    low, high = wilson_interval(p, n_eff, ci)
    return Estimate(p, float(np.sqrt(p * (1 - p) / n_eff)), low, high, int(x.size), n_eff, dropped)


# --- churn arithmetic on counts (brief section 5) -----------------------------------


def _counts(**named):
    arrays = {}
    for name, value in named.items():
        array = np.asarray(value, dtype=float)
        if np.isnan(array).any() or (array < 0).any():
            raise SurveyDataError(f"{name}: counts must be non-negative numbers, got {value!r}")
        arrays[name] = array
    return arrays


def _out(result, *inputs):
    """Return a float for scalar input, a Series when any input was a Series, else an array."""
    for value in inputs:
        if isinstance(value, pd.Series):
            return pd.Series(result, index=value.index)
    return float(result) if np.ndim(result) == 0 else result


def churned_count(start, end, new):
    """Customers lost in a period: ``start - (end - new)`` (seed 001).

    Works elementwise, so one call covers every tier or segment.

    Raises
    ------
    SurveyDataError
        If a count is negative, or the counts imply a negative churn or more churned
        customers than there were at the start.

    Examples
    --------
    >>> churned_count(3000, 3300, 500)  # brief, worked example A
    200.0
    """
    c = _counts(start=start, end=end, new=new)
    churned = c["start"] - (c["end"] - c["new"])
    impossible = (churned < 0) | (churned > c["start"])
    if impossible.any():
        raise SurveyDataError(
            "churn: start - (end - new) must lie between 0 and start; "
            f"got start={start!r}, end={end!r}, new={new!r} (churned {churned.tolist()})"
        )
    return _out(churned, start, end, new)


def churn_rate(start, end, new, base: str = "start"):
    """Churn rate for a period, as a share.

    Parameters
    ----------
    start, end, new : int or array-like
        Customers at the start, at the end, and newly won during the period.
    base : {"start", "end"}
        Denominator. ``"start"`` (default) is the conventional definition;
        ``"end"`` is seed 001's formula ``[start - (end - new)] / end``.

    Examples
    --------
    >>> round(churn_rate(300_000, 320_000, 50_000), 4)  # worked example B
    0.1
    >>> round(churn_rate(300_000, 320_000, 50_000, base="end"), 5)
    0.09375
    """
    check_choice("base", base, ["start", "end"], error=SurveyDataError)
    churned = np.asarray(churned_count(start, end, new), dtype=float)
    denominator = np.asarray(start if base == "start" else end, dtype=float)
    if (denominator == 0).any():
        raise SurveyDataError(f"churn_rate: the {base} count is zero, so the rate is undefined")
    return _out(churned / denominator, start, end, new)


def retention_rate(start, end, new):
    """Share of the starting customers still there at the end: ``(end - new) / start``.

    Examples
    --------
    >>> retention_rate(3000, 3300, 500)
    0.9333333333333333
    """
    churned = np.asarray(churned_count(start, end, new), dtype=float)
    start_counts = np.asarray(start, dtype=float)
    if (start_counts == 0).any():
        raise SurveyDataError("retention_rate: the start count is zero, so the rate is undefined")
    return _out(1 - churned / start_counts, start, end, new)


def churn_loss(lost_revenue, margin):
    """Profit lost through churn: revenue of the churned customers times the margin.

    Examples
    --------
    >>> churn_loss(30_000, 0.05)  # worked example A, in thousands
    1500.0
    """
    revenue = _counts(lost_revenue=lost_revenue)["lost_revenue"]
    margin_values = np.asarray(margin, dtype=float)
    if np.isnan(margin_values).any() or ((margin_values < 0) | (margin_values > 1)).any():
        raise SurveyDataError(f"margin: must be a share in [0, 1], got {margin!r}")
    return _out(revenue * margin_values, lost_revenue, margin)


def customer_lifetime_value(revenue, acquisition_cost, retention_cost, customers):
    """Seed 004's customer lifetime value: ``(revenue - acquisition - retention) / customers``.

    Examples
    --------
    >>> customer_lifetime_value(1_000_000, 200_000, 100_000, 700)
    1000.0
    """
    c = _counts(acquisition_cost=acquisition_cost, retention_cost=retention_cost, customers=customers)
    if (c["customers"] == 0).any():
        raise SurveyDataError("customer_lifetime_value: customers is zero")
    value = (np.asarray(revenue, dtype=float) - c["acquisition_cost"] - c["retention_cost"]) / c["customers"]
    return _out(value, revenue, acquisition_cost, retention_cost, customers)
