"""Customer metrics with survey weights and intervals: CSAT, NPS, CES, churn, CLV.

Every estimator takes an array-like or Series (missing values are dropped and counted)
and optional survey ``weights``, and returns an :class:`Estimate`. Churn arithmetic on
counts (the worked examples of churn-management training material) is exact and returns plain numbers, elementwise
for arrays (one value per tier or segment).

Intervals are analytic by default: Wilson for shares (CSAT, proportions), the
multinomial variance for NPS, a t interval for means (CES). With survey weights every
formula uses the Kish effective sample size ``n_eff = (sum w)^2 / sum w^2`` in place of
``n`` (a design-effect adjustment; it ignores stratification and clustering).
``method="bootstrap"`` gives a seeded percentile interval from multinomial resampling
of the response categories, vectorised over resamples (see :func:`nps`).

:func:`summarize` computes the same estimators for many groups at once from
``np.bincount`` sums, without a Python loop over groups.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd
from scipy import stats

from ._validation import check_choice, check_columns, critical_z, describe_offenders, read_flags, read_numbers
from .errors import ParameterError, SurveyDataError
from .estimate import Estimate
from .scaling import Scale, _top_box_threshold, recode
from .weighting import effective_sample_size

__all__ = [
    "Comparison",
    "Estimate",
    "ces",
    "churn_loss",
    "churn_rate",
    "churned_count",
    "compare",
    "csat_score",
    "customer_lifetime_value",
    "disconfirmation",
    "disconfirmation_score",
    "group_sums",
    "mean",
    "mean_table",
    "nps",
    "proportion",
    "rates",
    "retention_rate",
    "satisfaction_ratio",
    "summarize",
    "wilson_interval",
]


_z = critical_z


def wilson_interval(p, n_eff, ci: float = 0.95):
    """Wilson score interval for a proportion ``p`` from ``n_eff`` observations.

    Works elementwise on arrays. With survey weights pass the Kish effective sample
    size as ``n_eff`` (the usual design-effect adjustment).

    Parameters
    ----------
    p : float or array-like
        Observed proportions, between 0 and 1.
    n_eff : float or array-like
        Number of observations (with weights, Kish's effective sample size).
    ci : float
        Confidence level.

    Returns
    -------
    tuple of float or numpy.ndarray
        ``(low, high)`` bounds, floats for scalar inputs, arrays for array inputs.

    See Also
    --------
    proportion : A weighted share with this interval.

    References
    ----------
    Wilson, E. B. (1927). Probable inference, the law of succession, and statistical
    inference. *Journal of the American Statistical Association*, 22(158), 209-212.

    Examples
    --------
    >>> low, high = wilson_interval(0.5, 100)
    >>> round(low, 4), round(high, 4)
    (0.4038, 0.5962)
    >>> wilson_interval(0.0, 20)[0]
    0.0
    """
    z = _z(ci)
    p = np.asarray(p, dtype=float)
    n_eff = np.asarray(n_eff, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        denominator = 1 + z**2 / n_eff
        centre = (p + z**2 / (2 * n_eff)) / denominator
        half = z * np.sqrt(p * (1 - p) / n_eff + z**2 / (4 * n_eff**2)) / denominator
    # Rounding can leave a bound a hair on the wrong side of p (at p = 0 or 1 also
    # outside [0, 1]), which would put the estimate outside its own interval; the exact
    # Wilson bounds always contain p.
    with np.errstate(invalid="ignore"):
        low = np.clip(np.minimum(centre - half, p), 0.0, 1.0)
        high = np.clip(np.maximum(centre + half, p), 0.0, 1.0)
    if low.ndim == 0:
        return float(low), float(high)
    return low, high


def proportion(flags, weights=None, ci: float = 0.95, *, nan_policy: str = "omit") -> Estimate:
    """Share of true values, with a Wilson interval (weighted: Kish n_eff).

    Parameters
    ----------
    flags : array-like of bool or 0/1
        Missing values are dropped and counted in ``n_dropped``.
    weights : array-like, optional
        Positive survey weights.
    ci : float
        Confidence level.
    nan_policy : {"omit", "raise"}
        Drop missing values (counted in ``n_dropped``) or raise.

    Returns
    -------
    Estimate
        The weighted share (0-1) with its Wilson interval, ``n`` and ``n_eff``.

    Examples
    --------
    >>> est = proportion([True, False, True, True])
    >>> est.value, est.n
    (0.75, 4)
    """
    x, w, dropped = _prepare(flags, weights, scale=None, name="flags", nan_policy=nan_policy)
    x = x.astype(float, copy=False)
    w = np.ones_like(x) if w is None else w
    not_binary = ~np.isin(x, (0.0, 1.0))
    if not_binary.any():
        raise SurveyDataError(f"flags: values other than 0/1 or True/False: {np.unique(x[not_binary])[:5].tolist()}")
    if x.size == 0:
        return Estimate.empty(dropped)
    p = float(np.average(x, weights=w))
    n_eff = effective_sample_size(w)
    low, high = wilson_interval(p, n_eff, ci)
    return Estimate(p, float(np.sqrt(p * (1 - p) / n_eff)), low, high, int(x.size), n_eff, dropped)


# --- churn arithmetic on counts -----------------------------------------------------


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
    """Customers lost in a period: ``start - (end - new)`` (churn-management training material).

    Works elementwise, so one call covers every tier or segment.

    Parameters
    ----------
    start : int or array-like
        Customers at the start of the period.
    end : int or array-like
        Customers at the end of the period.
    new : int or array-like
        Customers won during the period.

    Returns
    -------
    float or numpy.ndarray
        The customers lost: a float for scalar inputs, an array for array inputs.

    Raises
    ------
    SurveyDataError
        If a count is negative, or the counts imply a negative churn or more churned
        customers than there were at the start.

    Examples
    --------
    >>> churned_count(3000, 3300, 500)  # worked example A
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
        ``"end"`` is the formula ``[start - (end - new)] / end`` of churn-management
        training material.

    Returns
    -------
    float or numpy.ndarray
        The churn rate, a share: a float for scalar inputs, an array for array inputs.

    Examples
    --------
    >>> round(churn_rate(300_000, 320_000, 50_000), 4)  # worked example B
    0.1
    >>> round(churn_rate(300_000, 320_000, 50_000, base="end"), 5)
    0.09375
    """
    check_choice("base", base, ["start", "end"], error=ParameterError)
    churned = np.asarray(churned_count(start, end, new), dtype=float)
    denominator = np.asarray(start if base == "start" else end, dtype=float)
    if (denominator == 0).any():
        raise SurveyDataError(f"churn_rate: the {base} count is zero, so the rate is undefined")
    return _out(churned / denominator, start, end, new)


def retention_rate(start, end, new):
    """Share of the starting customers still there at the end: ``(end - new) / start``.

    Parameters
    ----------
    start : int or array-like
        Customers at the start of the period.
    end : int or array-like
        Customers at the end of the period.
    new : int or array-like
        Customers won during the period.

    Returns
    -------
    float or numpy.ndarray
        The retention rate, a share: a float for scalar inputs, an array for array inputs.

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

    Parameters
    ----------
    lost_revenue : float or array-like
        Revenue the churned customers brought in the period.
    margin : float or array-like
        Profit margin on that revenue, a share between 0 and 1.

    Returns
    -------
    float or numpy.ndarray
        The lost profit: a float for scalar inputs, an array for array inputs.

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
    """Customer lifetime value as churn-management training material defines it.

    The value is ``(revenue - acquisition - retention) / customers``.

    Parameters
    ----------
    revenue : float or array-like
        Revenue from the customers over their lifetime.
    acquisition_cost : float or array-like
        Cost of winning them.
    retention_cost : float or array-like
        Cost of keeping them.
    customers : int or array-like
        Number of customers the figures refer to.

    Returns
    -------
    float or numpy.ndarray
        The value per customer: a float for scalar inputs, an array for array inputs.

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


# --- survey scores: NPS, CSAT, CES ---------------------------------------------------

#: how missing values are handled: dropped and counted, or an error
NAN_POLICIES = ("omit", "raise")
#: interval methods of the score estimators
METHODS = ("analytic", "bootstrap")
#: the 0-10 likelihood-to-recommend scale; promoters answer 9-10, detractors 0-6
NPS_SCALE = Scale(0, 10)
PROMOTER_MIN = 9
DETRACTOR_MAX = 6
#: resample x category cells drawn per bootstrap chunk (bounds memory, not speed)
BOOTSTRAP_CHUNK_CELLS = 4_000_000
#: most groups that ``summarize(observed=False)`` will lay out
MAX_GROUPS = 50_000_000


def _as_series(values, name: str) -> pd.Series:
    if isinstance(values, pd.Series):
        return values
    if isinstance(values, pd.DataFrame):
        raise SurveyDataError(f"{name}: expected one column of values, got a DataFrame")
    array = np.asarray(values)
    if array.dtype.kind in "biuf":
        return pd.Series(array.reshape(-1))
    return pd.Series(np.asarray(values, dtype=object).reshape(-1))


def _numeric(series: pd.Series, name: str) -> np.ndarray:
    """Float values of ``series`` (missing -> nan); text that is not a number is an error."""
    if isinstance(series.dtype, np.dtype) and series.dtype.kind in "biu":
        # plain integers and bools cannot hold missing values: keep them, skip a float copy
        return series.to_numpy()
    return read_numbers(series, name).to_numpy()


def _read_scores(values, scale: Scale | None, name: str) -> tuple[pd.Series, np.ndarray]:
    """The scores as floats with missing values kept; ratings off the scale are an error."""
    series = _as_series(values, name)
    if scale is not None and scale.labels and not pd.api.types.is_numeric_dtype(series.dtype):
        series = recode(series, scale, name=name)
    x = _numeric(series, name)
    if scale is not None:
        outside = (x < scale.low) | (x > scale.high)
        if outside.any():
            raise SurveyDataError(
                f"{name}: ratings outside the scale {scale.low:g}..{scale.high:g}: {describe_offenders(series, outside)}"
            )
    return series, x


def _read_weights(weights, size: int, index: pd.Index, name: str = "weights") -> np.ndarray | None:
    if weights is None:
        return None
    if isinstance(weights, str):
        # a column name needs a table to look it up in; these estimators take the values
        raise ParameterError(
            f"{name}={weights!r} names a column, but this estimator takes values: pass data[{weights!r}] "
            "(summarize, rates and mean_table take the column name)"
        )
    w = _numeric(_as_series(weights, name), name)
    if w.size != size:
        raise ParameterError(f"{name}: {w.size} weights for {size} responses")
    bad = ~((w > 0) & np.isfinite(w)) & ~np.isnan(w)
    if bad.any():
        raise SurveyDataError(
            f"{name}: weights must be positive and finite; got {describe_offenders(pd.Series(w, index=index), bad)}"
        )
    return w.astype(float, copy=False)


def _missing_mask(series: pd.Series, x: np.ndarray, w: np.ndarray | None, name: str, nan_policy: str) -> np.ndarray:
    """Rows to drop (missing score or weight); with ``nan_policy="raise"`` an error instead."""
    missing = np.isnan(x) if x.dtype.kind == "f" else np.zeros(x.shape, dtype=bool)
    if w is not None:
        missing |= np.isnan(w)
    if nan_policy == "raise" and missing.any():
        what = "missing values" if w is None else "missing values or weights"
        raise SurveyDataError(f"{name}: {what} with nan_policy='raise': {describe_offenders(series, missing)}")
    return missing


def _prepare(values, weights, *, scale: Scale | None, name: str, nan_policy: str):
    """Return (x, w, n_dropped) with missing values dropped; ``w`` is None without weights."""
    check_choice("nan_policy", nan_policy, NAN_POLICIES, error=ParameterError)
    series, x = _read_scores(values, scale, name)
    w = _read_weights(weights, x.size, series.index)
    missing = _missing_mask(series, x, w, name, nan_policy)
    if missing.any():
        x = x[~missing]
        w = None if w is None else w[~missing]
    return x, w, int(missing.sum())


def _cell_sums(cell: np.ndarray, counts: np.ndarray, w: np.ndarray | None) -> np.ndarray:
    return counts.astype(float) if w is None else np.bincount(cell, weights=w, minlength=counts.size)


def _squared_weight_sums(codes, w, n, n_groups) -> np.ndarray:
    return n.astype(float) if w is None else np.bincount(codes, weights=w * w, minlength=n_groups)


def _nps_table(codes, x, w, n_groups: int, ci: float) -> dict[str, np.ndarray]:
    """NPS per group from one bincount over (group, category) cells."""
    # cell = 3 * group + category (0 detractor, 1 passive, 2 promoter), built in place
    cell = codes * 3
    cell += x > DETRACTOR_MAX
    cell += x >= PROMOTER_MIN
    counts = np.bincount(cell, minlength=3 * n_groups)
    n = counts.reshape(n_groups, 3).sum(axis=1)
    sums = _cell_sums(cell, counts, w).reshape(n_groups, 3)
    sum_w = sums.sum(axis=1)
    sum_w2 = _squared_weight_sums(codes, w, n, n_groups)
    with np.errstate(divide="ignore", invalid="ignore"):
        detractors, promoters = sums[:, 0] / sum_w, sums[:, 2] / sum_w
        n_eff = np.where(n > 0, sum_w**2 / sum_w2, 0.0)
        difference = promoters - detractors
        # multinomial variance of p+ - p-: p+ + p- - (p+ - p-)^2, over n_eff
        variance = np.maximum(promoters + detractors - difference**2, 0.0) / n_eff
        se = 100 * np.sqrt(variance)
    value = 100 * difference
    half = _z(ci) * se
    return {
        "value": value,
        "se": se,
        "low": np.clip(value - half, -100, 100),
        "high": np.clip(value + half, -100, 100),
        "n": n,
        "n_eff": n_eff,
    }


def _share_table(codes, flags, w, n_groups: int, ci: float, unit: float = 1.0) -> dict[str, np.ndarray]:
    """Share of true ``flags`` per group with Wilson intervals, times ``unit`` (100: percent)."""
    cell = codes * 2
    cell += flags
    counts = np.bincount(cell, minlength=2 * n_groups)
    n = counts.reshape(n_groups, 2).sum(axis=1)
    sums = _cell_sums(cell, counts, w).reshape(n_groups, 2)
    sum_w = sums.sum(axis=1)
    sum_w2 = _squared_weight_sums(codes, w, n, n_groups)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = sums[:, 1] / sum_w
        n_eff = np.where(n > 0, sum_w**2 / sum_w2, 0.0)
        se = np.sqrt(p * (1 - p) / n_eff)
    low, high = wilson_interval(p, np.where(n > 0, n_eff, np.nan), ci)
    return {"value": unit * p, "se": unit * se, "low": unit * low, "high": unit * high, "n": n, "n_eff": n_eff}


def _mean_table(codes, x, w, n_groups: int, ci: float) -> dict[str, np.ndarray]:
    """Weighted mean per group with a t interval on n_eff - 1 degrees of freedom."""
    n = np.bincount(codes, minlength=n_groups)
    if w is None:
        sum_w = n.astype(float)
        sum_wx = np.bincount(codes, weights=x, minlength=n_groups)
    else:
        sum_w = np.bincount(codes, weights=w, minlength=n_groups)
        sum_wx = np.bincount(codes, weights=w * x, minlength=n_groups)
    sum_w2 = _squared_weight_sums(codes, w, n, n_groups)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = sum_wx / sum_w
        # second pass on deviations: stable where sum(x^2) - n mean^2 would cancel
        deviation = x - mean[codes]
        squares = deviation * deviation if w is None else w * deviation * deviation
        sum_sq = np.bincount(codes, weights=squares, minlength=n_groups)
        n_eff = np.where(n > 0, sum_w**2 / sum_w2, 0.0)
        # ss / sum_w * n_eff / (n_eff - 1) is the sample variance (ddof=1) without weights
        se = np.sqrt(sum_sq / sum_w / (n_eff - 1))
        se = np.where(n_eff > 1, se, np.nan)
        t = stats.t.ppf(0.5 + ci / 2, np.where(n_eff > 1, n_eff - 1, np.nan))
    return {"value": mean, "se": se, "low": mean - t * se, "high": mean + t * se, "n": n, "n_eff": n_eff}


def _single(table: dict[str, np.ndarray], n_dropped: int) -> Estimate:
    if table["n"][0] == 0:
        return Estimate.empty(n_dropped)
    return Estimate(
        *(float(table[key][0]) for key in ("value", "se", "low", "high")),
        n=int(table["n"][0]),
        n_eff=float(table["n_eff"][0]),
        n_dropped=n_dropped,
    )


def _bootstrap_interval(
    shares: np.ndarray,
    n_draw: int,
    statistic: Callable[[np.ndarray], np.ndarray],
    *,
    n_boot: int,
    seed,
    ci: float,
) -> tuple[float, float, float]:
    """Percentile interval from multinomial resamples of category counts.

    A resample of n responses from K categories is one multinomial draw of K counts,
    so ``rng.multinomial(n, shares, size=B)`` gives B resamples at once; chunks bound
    the memory of the B x K count matrix.
    """
    if int(n_boot) < 2:
        raise ParameterError(f"n_boot={n_boot!r}: need at least 2 bootstrap resamples")
    rng = np.random.default_rng(seed)
    shares = shares / shares.sum()
    draws = np.empty(int(n_boot))
    chunk = max(1, BOOTSTRAP_CHUNK_CELLS // shares.size)
    for start in range(0, draws.size, chunk):
        size = min(chunk, draws.size - start)
        draws[start : start + size] = statistic(rng.multinomial(n_draw, shares, size=size))
    low, high = np.quantile(draws, [(1 - ci) / 2, (1 + ci) / 2])
    return float(draws.std(ddof=1)), float(low), float(high)


def _draw_size(n: int, n_eff: float, weighted: bool) -> int:
    # weighted data: resample n_eff responses from the weighted category shares
    return max(1, int(round(n_eff))) if weighted else n


def _with_bootstrap(estimate: Estimate, interval: tuple[float, float, float]) -> Estimate:
    se, low, high = interval
    return Estimate(estimate.value, se, low, high, estimate.n, estimate.n_eff, estimate.n_dropped)


def nps(
    scores,
    weights=None,
    ci: float = 0.95,
    method: str = "analytic",
    *,
    n_boot: int = 10_000,
    seed=0,
    nan_policy: str = "omit",
) -> Estimate:
    """Net Promoter Score on the -100..100 scale: % promoters (9-10) minus % detractors (0-6).

    Parameters
    ----------
    scores : array-like or Series
        Likelihood-to-recommend answers on 0..10. Missing values are dropped and
        counted in ``n_dropped``.
    weights : array-like, optional
        Positive survey weights (shares are weighted; ``n_eff`` is Kish's).
    ci : float
        Confidence level.
    method : {"analytic", "bootstrap"}
        ``"analytic"``: normal interval with the multinomial variance
        ``[p+ + p- - (p+ - p-)^2] / n_eff`` (times 100), clipped to -100..100.
        ``"bootstrap"``: percentile interval of ``n_boot`` resamples, each a
        multinomial draw of detractor/passive/promoter counts (vectorised). With
        weights a resample draws ``round(n_eff)`` responses from the weighted
        category shares. ``se`` is then the resamples' standard deviation.
    n_boot, seed : int
        Resamples and random seed of the bootstrap.
    nan_policy : {"omit", "raise"}
        Drop missing values (default) or raise :class:`SurveyDataError`.

    Returns
    -------
    Estimate
        The score with its standard error, interval and sample sizes.

    Raises
    ------
    SurveyDataError
        Scores outside 0..10 or not numeric (naming values and rows), bad weights.

    See Also
    --------
    csat_score : Share of satisfied customers.
    ces : Customer effort score.
    csat_analysis.design.SurveyDesign.nps : NPS under a complex survey design.

    References
    ----------
    Reichheld, F. F. (2003). The one number you need to grow. *Harvard Business Review*,
    81(12), 46-54.

    Examples
    --------
    >>> est = nps([10, 9, 8, 7, 6, 3, 10, 10, 9, 0])  # 5 promoters, 3 detractors
    >>> est.value, est.n
    (20.0, 10)
    >>> round(est.se, 2)  # 100 * sqrt((0.5 + 0.3 - 0.2**2) / 10)
    27.57
    """
    check_choice("method", method, METHODS, error=ParameterError)
    _z(ci)
    x, w, dropped = _prepare(scores, weights, scale=NPS_SCALE, name="scores", nan_policy=nan_policy)
    if x.size == 0:
        return Estimate.empty(dropped)
    estimate = _single(_nps_table(np.zeros(x.size, dtype=np.int64), x, w, 1, ci), dropped)
    if method == "bootstrap":
        category = (x >= PROMOTER_MIN).astype(np.int64) - (x <= DETRACTOR_MAX) + 1
        shares = np.bincount(category, weights=w, minlength=3).astype(float)
        n_draw = _draw_size(x.size, estimate.n_eff, w is not None)
        estimate = _with_bootstrap(
            estimate,
            _bootstrap_interval(
                shares,
                n_draw,
                lambda counts: 100 * (counts[:, 2] - counts[:, 0]) / n_draw,
                n_boot=n_boot,
                seed=seed,
                ci=ci,
            ),
        )
    return estimate


def csat_score(
    scores,
    scale=(1, 5),
    top_box: int = 2,
    weights=None,
    ci: float = 0.95,
    method: str = "analytic",
    *,
    n_boot: int = 10_000,
    seed=0,
    nan_policy: str = "omit",
) -> Estimate:
    """CSAT: percent of responses in the top ``top_box`` boxes of the scale, Wilson interval.

    Parameters
    ----------
    scores : array-like or Series
        Ratings on ``scale`` (numbers, or text labels when ``scale`` is a
        :class:`~csat_analysis.scaling.Scale` with labels).
    scale : (low, high) or Scale
        The rating scale; the top k boxes are the k highest points (``score >= high - (k - 1)``,
        the rule of :func:`csat_analysis.scaling.top_box`).
    top_box : int
        Number of top boxes counted as satisfied (2: "satisfied" or "very satisfied" on 1-5).
    weights, ci, method, n_boot, seed, nan_policy
        As in :func:`nps`; the bootstrap draws binomial counts.

    Returns
    -------
    Estimate
        In percent (0-100).

    See Also
    --------
    csat_analysis.scaling.top_box : The top-box rule it counts with.
    nps : Net Promoter Score.

    Examples
    --------
    >>> est = csat_score([5, 4, 4, 3, 2, 5, 1, 4])
    >>> est.value
    62.5
    >>> round(est.low, 1), round(est.high, 1)
    (30.6, 86.3)
    """
    check_choice("method", method, METHODS, error=ParameterError)
    _z(ci)
    scale = Scale.coerce(scale)
    threshold = _top_box_threshold(scale, top_box, name="top_box")
    x, w, dropped = _prepare(scores, weights, scale=scale, name="scores", nan_policy=nan_policy)
    if x.size == 0:
        return Estimate.empty(dropped)
    top = x >= threshold
    estimate = _single(_share_table(np.zeros(x.size, dtype=np.int64), top, w, 1, ci, unit=100.0), dropped)
    if method == "bootstrap":
        shares = np.bincount(top.astype(np.int64), weights=w, minlength=2).astype(float)
        n_draw = _draw_size(x.size, estimate.n_eff, w is not None)
        estimate = _with_bootstrap(
            estimate,
            _bootstrap_interval(
                shares, n_draw, lambda counts: 100 * counts[:, 1] / n_draw, n_boot=n_boot, seed=seed, ci=ci
            ),
        )
    return estimate


def _mean_estimate(x: np.ndarray, w: np.ndarray | None, dropped: int, ci: float) -> Estimate:
    if x.size == 0:
        return Estimate.empty(dropped)
    return _single(_mean_table(np.zeros(x.size, dtype=np.int64), x, w, 1, ci), dropped)


def mean(values, weights=None, ci: float = 0.95, scale=None, *, nan_policy: str = "omit") -> Estimate:
    """(Weighted) mean with a t interval on the Kish effective sample size.

    The interval is ``mean +/- t(n_eff - 1) * se`` with
    ``se^2 = sum w (x - mean)^2 / sum w / (n_eff - 1)``: the usual ``s^2 / n`` without
    weights. Fewer than two responses give a missing interval.

    Parameters
    ----------
    values : array-like or Series
        Numbers; missing values are dropped and counted in ``n_dropped``.
    weights : array-like, optional
        Positive survey weights.
    ci : float
    scale : (low, high) or Scale, optional
        When given, values off the scale are an error (and text labels are recoded).
    nan_policy : {"omit", "raise"}

    Returns
    -------
    Estimate
        The mean with its standard error, interval and (effective) sample sizes.

    Examples
    --------
    >>> est = mean([2, 3, 1, 4, 2, 6])
    >>> est.value, round(est.se, 4), est.n
    (3.0, 0.7303, 6)
    """
    _z(ci)
    scale = None if scale is None else Scale.coerce(scale)
    x, w, dropped = _prepare(values, weights, scale=scale, name="values", nan_policy=nan_policy)
    return _mean_estimate(x, w, dropped, ci)


def ces(
    scores,
    scale=(1, 7),
    weights=None,
    ci: float = 0.95,
    method: str = "analytic",
    *,
    n_boot: int = 10_000,
    seed=0,
    nan_policy: str = "omit",
) -> Estimate:
    """Customer Effort Score: the (weighted) mean effort rating, with a t interval.

    Parameters
    ----------
    scores : array-like or Series
        Effort ratings on ``scale`` (default 1..7, low = little effort).
    scale : (low, high) or Scale
    weights, ci, method, n_boot, seed, nan_policy
        As in :func:`nps`. The analytic interval is ``mean +/- t(n_eff - 1) * se`` with
        ``se^2 = sum w (x - mean)^2 / sum w / (n_eff - 1)`` (the usual ``s^2 / n``
        without weights). The bootstrap draws multinomial counts of the distinct ratings.

    Returns
    -------
    Estimate
        The mean effort score with its standard error, interval and sample sizes.

    References
    ----------
    Dixon, M., Freeman, K., & Toman, N. (2010). Stop trying to delight your customers.
    *Harvard Business Review*, 88(7/8), 116-122.

    Examples
    --------
    >>> est = ces([2, 3, 1, 4, 2, 6])
    >>> est.value, round(est.se, 4)
    (3.0, 0.7303)
    """
    check_choice("method", method, METHODS, error=ParameterError)
    _z(ci)
    scale = Scale.coerce(scale)
    x, w, dropped = _prepare(scores, weights, scale=scale, name="scores", nan_policy=nan_policy)
    estimate = _mean_estimate(x, w, dropped, ci)
    if method == "bootstrap" and x.size:
        ratings, category = np.unique(x, return_inverse=True)
        shares = np.bincount(category, weights=w, minlength=ratings.size).astype(float)
        n_draw = _draw_size(x.size, estimate.n_eff, w is not None)
        estimate = _with_bootstrap(
            estimate,
            _bootstrap_interval(
                shares, n_draw, lambda counts: counts @ ratings / n_draw, n_boot=n_boot, seed=seed, ci=ci
            ),
        )
    return estimate


# --- expectation and perception (Oliver 1980) ------------------------------------------

#: disconfirmation categories, from worst to best
DISCONFIRMATION_CATEGORIES = ["disappointed", "satisfied", "delighted"]


def _pair(perceived, expected):
    p_series, e_series = _as_series(perceived, "perceived"), _as_series(expected, "expected")
    p = _numeric(p_series, "perceived").astype(float)
    e = _numeric(e_series, "expected").astype(float)
    if p.size != e.size and 1 not in (p.size, e.size):
        raise SurveyDataError(f"perceived has {p.size} values but expected has {e.size}")
    return p_series, p, e_series, e


def _elementwise(result: np.ndarray, *inputs):
    for value in inputs:
        if isinstance(value, pd.Series):
            return pd.Series(result, index=value.index)
    if all(np.ndim(value) == 0 for value in inputs):
        return result.reshape(-1)[0].item() if result.dtype != object else result.reshape(-1)[0]
    return result


def satisfaction_ratio(perceived, expected):
    """Customer satisfaction ratio: perceived performance / expectation (Oliver 1980's disconfirmation).

    Works elementwise; missing values give missing ratios.

    Parameters
    ----------
    perceived : float or array-like
        Perceived performance ratings.
    expected : float or array-like
        Expectation ratings on the same scale.

    Returns
    -------
    float or numpy.ndarray
        Perceived over expected: a float for scalar inputs, an array for array inputs.

    Raises
    ------
    SurveyDataError
        If an expectation is zero or negative (the ratio is undefined), or values are
        not numeric.

    See Also
    --------
    disconfirmation_score : The difference instead of the ratio.

    References
    ----------
    Oliver, R. L. (1980). A cognitive model of the antecedents and consequences of
    satisfaction decisions. *Journal of Marketing Research*, 17(4), 460-469.

    Examples
    --------
    >>> satisfaction_ratio(9, 8)
    1.125
    >>> satisfaction_ratio([6, 8], [8, 8]).tolist()
    [0.75, 1.0]
    """
    p_series, p, e_series, e = _pair(perceived, expected)
    not_positive = e <= 0
    if not_positive.any():
        raise SurveyDataError(
            f"expected: expectations must be positive for a ratio; got {describe_offenders(e_series, not_positive)}"
        )
    return _elementwise(p / e, perceived, expected)


def disconfirmation_score(perceived, expected):
    """Signed disconfirmation: perceived minus expected (positive: expectations exceeded).

    Parameters
    ----------
    perceived : float or array-like
        Perceived performance ratings.
    expected : float or array-like
        Expectation ratings on the same scale.

    Returns
    -------
    float or numpy.ndarray
        Perceived minus expected: a float for scalar inputs, an array for array inputs.

    See Also
    --------
    satisfaction_ratio : The ratio instead of the difference.

    References
    ----------
    Oliver, R. L. (1980). A cognitive model of the antecedents and consequences of
    satisfaction decisions. *Journal of Marketing Research*, 17(4), 460-469.

    Examples
    --------
    >>> disconfirmation_score([7, 9], [8, 8]).tolist()
    [-1.0, 1.0]
    """
    _, p, _, e = _pair(perceived, expected)
    return _elementwise(p - e, perceived, expected)


def disconfirmation(perceived, expected, tolerance: float = 0.05):
    """Expectation-disconfirmation category: ``delighted``, ``satisfied`` or ``disappointed``.

    A response is ``satisfied`` when the satisfaction ratio lies within
    ``1 +/- tolerance`` (an exact ratio of 1 is rare on real scales), ``delighted``
    above that band and ``disappointed`` below it.

    Parameters
    ----------
    perceived, expected : number or array-like
    tolerance : float
        Half-width of the band around a ratio of 1 (>= 0).

    Returns
    -------
    str or pandas.Series
        The category for scalar input, else an ordered categorical Series
        (disappointed < satisfied < delighted); missing input gives a missing category.

    Examples
    --------
    >>> disconfirmation(9, 8)
    'delighted'
    >>> disconfirmation([6, 8.2, 10], [8, 8, 8]).tolist()
    ['disappointed', 'satisfied', 'delighted']
    """
    if not np.isfinite(tolerance) or tolerance < 0:
        raise ParameterError(f"tolerance={tolerance!r}: must be a non-negative number")
    ratio = np.asarray(satisfaction_ratio(perceived, expected), dtype=float).reshape(-1)
    codes = np.select([ratio < 1 - tolerance, ratio > 1 + tolerance], [0, 2], default=1)
    codes = np.where(np.isnan(ratio), -1, codes)
    categories = pd.Categorical.from_codes(codes, categories=DISCONFIRMATION_CATEGORIES, ordered=True)
    if np.ndim(perceived) == 0 and np.ndim(expected) == 0:
        return categories[0] if codes[0] >= 0 else None
    index = next((v.index for v in (perceived, expected) if isinstance(v, pd.Series)), None)
    return pd.Series(categories, index=index, name="disconfirmation")


# --- comparing two groups -------------------------------------------------------------

#: metrics :func:`compare` can test
COMPARE_METRICS = ("nps", "csat", "ces", "proportion")


@dataclass(frozen=True)
class Comparison:
    """Difference between two independent groups (``a - b``) with interval and p-value.

    Attributes
    ----------
    metric : str
    value_a, value_b : float
        The two estimates (NPS points, CSAT percent, CES mean, or a share).
    difference, se, low, high : float
        ``value_a - value_b``, its standard error and confidence interval.
    p_value : float
        Two-sided p-value of "no difference".
    n_a, n_b : int
        Non-missing responses in each group.

    Examples
    --------
    >>> result = Comparison("nps", 30.0, 10.0, 20.0, 5.0, 10.2, 29.8, 0.0001, 400, 400)
    >>> list(result.to_frame().columns)[:4]
    ['metric', 'value_a', 'value_b', 'difference']
    """

    metric: str
    value_a: float
    value_b: float
    difference: float
    se: float
    low: float
    high: float
    p_value: float
    n_a: int
    n_b: int

    def to_dict(self) -> dict:
        """The fields as a plain dict (for ``report.record``).

        Returns
        -------
        dict
            Field name -> value.
        """
        return asdict(self)

    def to_frame(self) -> pd.DataFrame:
        """A one-row tidy DataFrame.

        Returns
        -------
        DataFrame
            One row holding every field.
        """
        return pd.DataFrame([self.to_dict()])


def compare(
    a,
    b,
    metric: str = "nps",
    *,
    weights_a=None,
    weights_b=None,
    scale=None,
    top_box: int = 2,
    ci: float = 0.95,
    nan_policy: str = "omit",
) -> Comparison:
    """Compare a metric between two independent groups: difference, interval, p-value.

    Parameters
    ----------
    a, b : array-like or Series
        Responses of the two groups.
    metric : {"nps", "csat", "ces", "proportion"}
        ``"nps"``: difference of two NPS with their analytic (multinomial) variances,
        normal z-test. ``"csat"`` (percent points) and ``"proportion"`` (0/1 flags,
        shares): two-proportion z-test with the pooled share for the p-value and the
        unpooled (Wald) standard error for the interval. ``"ces"``: Welch's t-test.
        With weights every ``n`` becomes the group's Kish ``n_eff``.
    weights_a, weights_b : array-like, optional
    scale : (low, high) or Scale, optional
        Rating scale for ``"csat"`` (default 1..5) and ``"ces"`` (default 1..7).
    top_box : int
        Top boxes counted by ``"csat"``.
    ci : float
    nan_policy : {"omit", "raise"}

    Returns
    -------
    Comparison
        ``difference = value_a - value_b``; ``Comparison.to_frame()`` gives one tidy row.
        A group without responses gives missing values.

    Examples
    --------
    >>> result = compare([10, 9, 9, 7, 3] * 40, [10, 8, 6, 5, 3] * 40, metric="nps")
    >>> result.value_a, result.value_b, result.difference, result.p_value < 0.001
    (40.0, -40.0, 80.0, True)
    """
    check_choice("metric", metric, COMPARE_METRICS, error=ParameterError)
    z = _z(ci)
    if metric == "nps":
        est_a = nps(a, weights_a, ci=ci, nan_policy=nan_policy)
        est_b = nps(b, weights_b, ci=ci, nan_policy=nan_policy)
    elif metric == "csat":
        the_scale = (1, 5) if scale is None else scale
        est_a = csat_score(a, the_scale, top_box, weights_a, ci=ci, nan_policy=nan_policy)
        est_b = csat_score(b, the_scale, top_box, weights_b, ci=ci, nan_policy=nan_policy)
    elif metric == "ces":
        the_scale = (1, 7) if scale is None else scale
        est_a = ces(a, the_scale, weights_a, ci=ci, nan_policy=nan_policy)
        est_b = ces(b, the_scale, weights_b, ci=ci, nan_policy=nan_policy)
    else:
        check_choice("nan_policy", nan_policy, NAN_POLICIES, error=ParameterError)
        est_a, est_b = proportion(a, weights_a, ci=ci), proportion(b, weights_b, ci=ci)
        if nan_policy == "raise" and (est_a.n_dropped or est_b.n_dropped):
            raise SurveyDataError(
                f"compare: {est_a.n_dropped} missing values in a and {est_b.n_dropped} in b with nan_policy='raise'"
            )
    difference = est_a.value - est_b.value
    nan = float("nan")
    if est_a.n == 0 or est_b.n == 0:
        return Comparison(metric, est_a.value, est_b.value, nan, nan, nan, nan, nan, est_a.n, est_b.n)
    se = float(np.hypot(est_a.se, est_b.se))
    with np.errstate(divide="ignore", invalid="ignore"):
        if metric in ("csat", "proportion"):
            unit = 100.0 if metric == "csat" else 1.0
            p_a, p_b = est_a.value / unit, est_b.value / unit
            pooled = (p_a * est_a.n_eff + p_b * est_b.n_eff) / (est_a.n_eff + est_b.n_eff)
            se_null = unit * np.sqrt(pooled * (1 - pooled) * (1 / est_a.n_eff + 1 / est_b.n_eff))
            p_value = 2 * stats.norm.sf(abs(difference) / se_null) if se_null > 0 else float(difference == 0)
            half = z * se
        elif metric == "ces":
            # Welch-Satterthwaite degrees of freedom
            df = se**4 / (est_a.se**4 / (est_a.n_eff - 1) + est_b.se**4 / (est_b.n_eff - 1))
            p_value = 2 * stats.t.sf(abs(difference) / se, df) if se > 0 else float(difference == 0)
            half = float(stats.t.ppf(0.5 + ci / 2, df)) * se
        else:
            p_value = 2 * stats.norm.sf(abs(difference) / se) if se > 0 else float(difference == 0)
            half = z * se
    return Comparison(
        metric,
        est_a.value,
        est_b.value,
        float(difference),
        se,
        float(difference - half),
        float(difference + half),
        float(p_value),
        est_a.n,
        est_b.n,
    )


# --- many groups at once --------------------------------------------------------------


def _key_codes(values: pd.Series, observed: bool):
    """Integer codes (-1: missing), number of levels and a maker of key values from codes."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        dtype = values.dtype
        return (values.cat.codes.to_numpy(), len(dtype.categories), lambda i: pd.Categorical.from_codes(i, dtype=dtype))
    if isinstance(values.dtype, np.dtype) and values.dtype.kind in "iu" and len(values):
        # integer keys with a modest range: offsets are codes, no hashing or sorting
        array = values.to_numpy()
        low, high = int(array.min()), int(array.max())
        if high - low <= max(4 * len(array), 1 << 16):
            codes = array.astype(np.int64) - low
            if not observed:  # only the values that occur, as groupby does for non-categoricals
                present = np.flatnonzero(np.bincount(codes, minlength=high - low + 1))
                renumber = np.zeros(high - low + 1, dtype=np.int64)
                renumber[present] = np.arange(present.size)
                return renumber[codes], present.size, lambda i: pd.Index(present[i] + low, dtype=values.dtype)
            return codes, high - low + 1, lambda i: pd.Index(np.asarray(i) + low, dtype=values.dtype)
    codes, levels = pd.factorize(values, sort=True)
    return codes, len(levels), levels.take


def _group_codes(data: pd.DataFrame, by: list[str], observed: bool) -> tuple[np.ndarray, pd.DataFrame]:
    """Integer group code per row (-1: a missing key) and the groups' keys, sorted.

    Each key column is coded once (categoricals by their codes, so groups follow
    category order as in ``groupby``); the codes combine into one integer per row.
    """
    n_rows = len(data)
    if not by:
        return np.zeros(n_rows, dtype=np.int64), pd.DataFrame(index=range(1))
    coded = [_key_codes(data[column], observed) for column in by]
    sizes = [size for _, size, _ in coded]
    total = int(np.prod(sizes, dtype=object))
    combined = np.zeros(n_rows, dtype=np.int64)
    missing_key = None
    for codes, size, _ in coded:
        combined *= size
        combined += codes
        if codes.dtype.kind == "i" and codes.size and codes.min() < 0:
            missing_key = codes < 0 if missing_key is None else missing_key | (codes < 0)
    if not observed:
        if total > MAX_GROUPS:
            raise ParameterError(f"summarize: observed=False would lay out {total} groups; use observed=True")
        group_ids = np.arange(total)
        codes = combined if missing_key is None else np.where(missing_key, -1, combined)
    elif total <= 4 * n_rows + 1024:
        # dense: mark the key combinations that occur, then renumber them 0..G-1
        if missing_key is not None:
            combined[missing_key] = total
        present = np.bincount(combined, minlength=total + 1)[:total] > 0
        group_ids = np.flatnonzero(present)
        if group_ids.size == total and missing_key is None:
            codes = combined
        else:
            renumber = np.full(total + 1, -1, dtype=np.int64)
            renumber[group_ids] = np.arange(group_ids.size)
            codes = renumber[combined]
    else:
        codes = np.full(n_rows, -1, dtype=np.int64)
        keep = slice(None) if missing_key is None else ~missing_key
        codes[keep], group_ids = pd.factorize(combined[keep], sort=True)
    positions = np.unravel_index(group_ids, sizes) if group_ids.size else [np.array([], dtype=np.int64)] * len(by)
    keys = pd.DataFrame({column: make(position) for column, (_, _, make), position in zip(by, coded, positions)})
    return codes, keys


def summarize(
    data: pd.DataFrame,
    by=None,
    *,
    nps: str | None = None,
    csat: str | None = None,
    csat_scale=(1, 5),
    top_box: int = 2,
    ces: str | None = None,
    ces_scale=(1, 7),
    weights=None,
    ci: float = 0.95,
    observed: bool = True,
    nan_policy: str = "omit",
) -> pd.DataFrame:
    """NPS, CSAT and CES with intervals for every group, in one long tidy table.

    The group keys are factorised once; every estimate then comes from ``np.bincount``
    sums per group and vectorised interval formulas (the same ones as :func:`nps`,
    :func:`csat_score` and :func:`ces`), so the cost barely grows with the number of groups.

    Parameters
    ----------
    data : DataFrame
        One row per response.
    by : str or list of str, optional
        Grouping columns. Rows with a missing key are left out (as ``groupby`` does).
    nps : str, optional
        Column of 0-10 recommendation scores.
    csat : str, optional
        Column of satisfaction ratings on ``csat_scale``; CSAT is the percentage in the
        top ``top_box`` boxes.
    csat_scale : tuple of int
        Lowest and highest point of the satisfaction scale.
    top_box : int
        Number of top boxes that count as satisfied.
    ces : str, optional
        Column of effort ratings on ``ces_scale``.
    ces_scale : tuple of int
        Lowest and highest point of the effort scale.
    weights : str or array-like, optional
        Column name (or values) of positive survey weights.
    ci : float
        Confidence level of the intervals.
    observed : bool
        With categorical groupers, ``True`` lists only key combinations that occur;
        ``False`` lists every combination of categories (absent ones with ``n = 0``).
    nan_policy : {"omit", "raise"}
        Missing scores (or weights) are dropped per metric (``n`` counts what is left),
        or raise an error.

    Returns
    -------
    DataFrame
        Columns ``[*by, "metric", "value", "se", "low", "high", "n", "n_eff"]``, one row
        per group and metric (``"nps"``, ``"csat"``, ``"ces"``). A group without
        responses has ``n = 0`` and missing values.

    Examples
    --------
    >>> frame = pd.DataFrame({"store": ["a", "a", "a", "b", "b"], "nps": [10, 9, 3, 8, None],
    ...                       "csat": [5, 4, 2, 5, 5]})
    >>> table = summarize(frame, "store", nps="nps", csat="csat")
    >>> table[["store", "metric", "value", "n"]].round(1)
      store metric  value  n
    0     a    nps   33.3  3
    1     a   csat   66.7  3
    2     b    nps    0.0  1
    3     b   csat  100.0  2
    """
    if not isinstance(data, pd.DataFrame):
        raise ParameterError(f"summarize: data must be a DataFrame, got {type(data).__name__}")
    check_choice("nan_policy", nan_policy, NAN_POLICIES, error=ParameterError)
    by_columns = check_columns(data, by, parameter="by")
    metrics = {name: column for name, column in (("nps", nps), ("csat", csat), ("ces", ces)) if column is not None}
    if not metrics:
        raise ParameterError("summarize: name at least one score column with nps=, csat= or ces=")
    for name, column in metrics.items():
        check_columns(data, column, parameter=name)
    _z(ci)
    csat_scale, ces_scale = Scale.coerce(csat_scale), Scale.coerce(ces_scale)
    threshold = _top_box_threshold(csat_scale, top_box, name="top_box") if "csat" in metrics else None

    codes, keys = _group_codes(data, by_columns, observed)
    n_groups = len(keys)
    if isinstance(weights, str):
        check_columns(data, weights, parameter="weights")
        weights = data[weights]
    w_all = _read_weights(weights, len(data), data.index)
    has_key = codes >= 0
    all_keys = bool(has_key.all())

    tables = []
    for name, column in metrics.items():
        scale = {"nps": NPS_SCALE, "csat": csat_scale, "ces": ces_scale}[name]
        series, x = _read_scores(data[column], scale, column)
        missing = _missing_mask(series, x, w_all, column, nan_policy)
        if all_keys and not missing.any():
            group, values, w = codes, x, w_all
        else:
            keep = has_key & ~missing
            group, values, w = codes[keep], x[keep], None if w_all is None else w_all[keep]
        if name == "nps":
            tables.append(_nps_table(group, values, w, n_groups, ci))
        elif name == "csat":
            tables.append(_share_table(group, values >= threshold, w, n_groups, ci, unit=100.0))
        else:
            tables.append(_mean_table(group, values, w, n_groups, ci))

    n_metrics = len(tables)
    out = keys.iloc[np.repeat(np.arange(n_groups), n_metrics)].reset_index(drop=True)
    out["metric"] = np.tile(np.array(list(metrics), dtype=object), n_groups)
    for field in ("value", "se", "low", "high", "n_eff"):
        out[field] = np.column_stack([table[field] for table in tables]).reshape(-1).astype(float)
    out["n"] = np.column_stack([table["n"] for table in tables]).reshape(-1).astype(np.int64)
    return out[[*by_columns, "metric", "value", "se", "low", "high", "n", "n_eff"]]


# --- tidy grouped shares, means and sums ------------------------------------------------


def _grouped_inputs(data: pd.DataFrame, by, weights, observed: bool, caller: str):
    if not isinstance(data, pd.DataFrame):
        raise ParameterError(f"{caller}: data must be a DataFrame, got {type(data).__name__}")
    by_columns = check_columns(data, by, parameter="by")
    if isinstance(weights, str):
        check_columns(data, weights, parameter="weights")
        weights = data[weights]
    w = _read_weights(weights, len(data), data.index)
    codes, keys = _group_codes(data, by_columns, observed)
    return by_columns, codes, keys, w


def rates(
    data: pd.DataFrame, flag: str, by=None, *, weights=None, ci: float = 0.95, observed: bool = True
) -> pd.DataFrame:
    """Share of true ``flag`` per group, with Wilson intervals on the Kish effective size.

    Built on the same ``np.bincount`` sums as :func:`summarize` (no loop over groups).

    Parameters
    ----------
    data : DataFrame
    flag : str
        True/False or 0/1 column; rows where it is missing are left out.
    by : str or list of str, optional
        Grouping columns; rows with a missing key are left out (as ``groupby`` does).
    weights : str or array-like, optional
        Positive survey weights (column name or values).
    ci : float
    observed : bool
        As in :func:`summarize`.

    Returns
    -------
    DataFrame
        ``[*by, "n", "n_eff", "events", "rate", "low", "high"]``: ``n`` rows and
        ``events`` true flags (unweighted counts), ``rate`` the (weighted) share.

    Examples
    --------
    >>> frame = pd.DataFrame({"plan": ["a", "a", "b", "b", "b"], "left": [1, 0, 1, 1, 0]})
    >>> rates(frame, "left", "plan")[["plan", "n", "events", "rate"]].round(3)
      plan  n  events   rate
    0    a  2       1  0.500
    1    b  3       2  0.667
    """
    by_columns, codes, keys, w = _grouped_inputs(data, by, weights, observed, "rates")
    _z(ci)
    y = read_flags(data, flag, parameter="flag").to_numpy()
    keep = (codes >= 0) & ~np.isnan(y)
    if w is not None:
        keep &= ~np.isnan(w)
    flags = y[keep].astype(np.int64)
    group = codes[keep]
    table = _share_table(group, flags, None if w is None else w[keep], len(keys), ci)
    out = keys.reset_index(drop=True)
    out["n"] = table["n"].astype(np.int64)
    out["n_eff"] = table["n_eff"].astype(float)
    out["events"] = np.bincount(group, weights=flags, minlength=len(keys)).astype(np.int64)
    for field in ("rate", "low", "high"):
        out[field] = np.asarray(table["value" if field == "rate" else field], dtype=float)
    return out[[*by_columns, "n", "n_eff", "events", "rate", "low", "high"]]


def mean_table(
    data: pd.DataFrame, column: str, by=None, *, weights=None, ci: float = 0.95, observed: bool = True
) -> pd.DataFrame:
    """(Weighted) mean of ``column`` per group with the t interval of :func:`mean`.

    Parameters
    ----------
    data : DataFrame
        One row per response.
    column : str
        Numeric column to average.
    by : str or list of str, optional
        Grouping columns; one overall row when omitted.
    weights : str or array-like, optional
        Column name (or values) of positive survey weights.
    ci : float
        Confidence level of the t interval.
    observed : bool
        With categorical groupers, list only key combinations that occur.

    Returns
    -------
    DataFrame
        ``[*by, "n", "n_eff", "mean", "se", "low", "high"]``; missing values and keys
        are left out.

    Examples
    --------
    >>> frame = pd.DataFrame({"plan": ["a", "a", "b"], "score": [1.0, 3.0, 5.0]})
    >>> mean_table(frame, "score", "plan")[["plan", "n", "mean"]]
      plan  n  mean
    0    a  2   2.0
    1    b  1   5.0
    """
    by_columns, codes, keys, w = _grouped_inputs(data, by, weights, observed, "mean_table")
    _z(ci)
    check_columns(data, column, parameter="column")
    series, x = _read_scores(data[column], None, column)
    x = x.astype(float, copy=False)
    keep = (codes >= 0) & ~np.isnan(x)
    if w is not None:
        keep &= ~np.isnan(w)
    table = _mean_table(codes[keep], x[keep], None if w is None else w[keep], len(keys), ci)
    out = keys.reset_index(drop=True)
    out["n"] = table["n"].astype(np.int64)
    out["n_eff"] = table["n_eff"].astype(float)
    for field in ("mean", "se", "low", "high"):
        out[field] = np.asarray(table["value" if field == "mean" else field], dtype=float)
    return out[[*by_columns, "n", "n_eff", "mean", "se", "low", "high"]]


def group_sums(data: pd.DataFrame, by, values: dict[str, np.ndarray], *, observed: bool = True) -> pd.DataFrame:
    """Row counts and sums of ``values`` (name -> array, one per row) per group of ``by``.

    Parameters
    ----------
    data : DataFrame
        One row per response.
    by : str or list of str, optional
        Grouping columns.
    values : dict of str to numpy.ndarray
        Arrays to sum per group, each with one value per row of ``data``.
    observed : bool
        With categorical groupers, list only key combinations that occur.

    Returns
    -------
    DataFrame
        ``[*by, "n", *values]``, groups sorted as in ``groupby``.

    Examples
    --------
    >>> frame = pd.DataFrame({"plan": ["b", "a", "b"]})
    >>> group_sums(frame, "plan", {"spend": np.array([1.0, 2.0, 3.0])})
      plan  n  spend
    0    a  1    2.0
    1    b  2    4.0
    """
    by_columns = check_columns(data, by, parameter="by")
    codes, keys = _group_codes(data, by_columns, observed)
    keep = codes >= 0
    group = codes[keep]
    out = keys.reset_index(drop=True)
    out["n"] = np.bincount(group, minlength=len(keys)).astype(np.int64)
    for name, array in values.items():
        out[name] = np.bincount(group, weights=np.asarray(array, dtype=float)[keep], minlength=len(keys))
    return out
