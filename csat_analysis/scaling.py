"""Rating scales, the reliability of multi-item scales and response-quality flags.

Recoding, reversing, rescaling, composite scores, top and bottom boxes; reliability of
multi-item scales (Cronbach's alpha with Feldt's interval, composite reliability, AVE);
response-quality flags (straight-lining, speeding).

Examples
--------
>>> satisfaction = Scale(1, 5, labels={"Very dissatisfied": 1, "Dissatisfied": 2,
...     "Neutral": 3, "Satisfied": 4, "Very satisfied": 5})
>>> recode(["Satisfied", "Very satisfied"], satisfaction).tolist()
[4.0, 5.0]
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ._validation import check_choice, check_columns, describe_offenders
from .errors import ParameterError, SurveyDataError
from .estimate import Estimate

__all__ = [
    "Scale",
    "alpha_if_deleted",
    "average_variance_extracted",
    "bottom_box",
    "composite_reliability",
    "composite_score",
    "cronbach_alpha",
    "flag_speeders",
    "flag_straightliners",
    "item_total_correlations",
    "recode",
    "rescale",
    "reverse",
    "top_box",
]


@dataclass(frozen=True)
class Scale:
    """A closed rating scale ``low..high`` with optional text labels.

    Parameters
    ----------
    low, high : int or float
        Scale end points (``low < high``).
    labels : mapping, optional
        Text label -> scale value, e.g. ``{"非常满意": 5, "Very satisfied": 5}``.
        Several labels may map to the same value (English and Chinese wording).

    Examples
    --------
    >>> Scale(0, 10).width
    10
    """

    low: float
    high: float
    labels: Mapping[str, float] | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if not self.low < self.high:
            raise SurveyDataError(f"Scale: low={self.low!r} must be below high={self.high!r}")
        if self.labels:
            outside = {k: v for k, v in self.labels.items() if not self.low <= v <= self.high}
            if outside:
                raise SurveyDataError(f"Scale: labels map outside {self.low}..{self.high}: {outside}")

    @property
    def width(self) -> float:
        """The scale's range, ``high - low``."""
        return self.high - self.low

    @classmethod
    def coerce(cls, scale: Scale | tuple | Mapping) -> Scale:
        """Accept a Scale, a ``(low, high)`` tuple or a label mapping."""
        if isinstance(scale, Scale):
            return scale
        if isinstance(scale, Mapping):
            values = list(scale.values())
            return cls(min(values), max(values), labels=dict(scale))
        low, high = scale
        return cls(low, high)


def recode(values, scale_or_labels: Scale | Mapping, *, name: str = "values") -> pd.Series:
    """Map text labels to scale values; numbers already on the scale pass through.

    Parameters
    ----------
    values : array-like or Series
        Labels (and/or numbers). Missing values stay missing.
    scale_or_labels : Scale or mapping
        A :class:`Scale` with ``labels``, or the label -> value mapping itself.
        Labels match after stripping surrounding white space; case matters.
    name : str
        Column name used in error messages.

    Returns
    -------
    pandas.Series
        Float scale values, indexed as ``values``.

    Raises
    ------
    SurveyDataError
        Listing every unknown label (and the rows of the first ones), or numbers
        outside the scale.

    Examples
    --------
    >>> recode(["非常满意", "不满意"], {"非常满意": 5, "满意": 4, "不满意": 2}).tolist()
    [5.0, 2.0]
    """
    scale = Scale.coerce(scale_or_labels)
    series = (
        values.copy()
        if isinstance(values, pd.Series)
        else pd.Series(list(values) if not np.isscalar(values) else [values])
    )
    labels = {str(k).strip(): float(v) for k, v in (scale.labels or {}).items()}
    if _is_plain_numeric(series):
        # numbers need no label lookup: skip the per-value Python mapping
        numeric = pd.Series(series.to_numpy(dtype=float, na_value=np.nan), index=series.index, name=series.name)
        unknown = pd.Series(False, index=series.index)
    else:
        as_text = series.map(lambda v: v.strip() if isinstance(v, str) else v)
        mapped = as_text.map(lambda v: labels.get(v, np.nan) if isinstance(v, str) else v)
        numeric = pd.to_numeric(mapped, errors="coerce")
        unknown = numeric.isna() & series.notna()
    if unknown.any():
        distinct = sorted({str(v) for v in as_text[unknown]})
        known = ", ".join(repr(k) for k in labels) or "none (numbers only)"
        raise SurveyDataError(
            f"{name}: unknown labels {distinct} at {describe_offenders(series, unknown)}; known labels: {known}"
        )
    outside = (numeric < scale.low) | (numeric > scale.high)
    if outside.any():
        raise SurveyDataError(
            f"{name}: values outside the scale {scale.low:g}..{scale.high:g}: {describe_offenders(series, outside)}"
        )
    return numeric.astype(float)


def _is_plain_numeric(series: pd.Series) -> bool:
    dtype = series.dtype
    return not isinstance(dtype, pd.CategoricalDtype) and (
        pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype)
    )


# --- transforming ratings -------------------------------------------------------------


def reverse(values, scale: Scale | tuple | Mapping, *, name: str = "values") -> pd.Series:
    """Reverse-code ratings: ``low + high - value`` (1..5: 1 <-> 5, 2 <-> 4).

    Parameters
    ----------
    values : array-like or Series
        Ratings (numbers or the scale's labels); missing values stay missing.
    scale : Scale, (low, high) or label mapping
    name : str
        Column name used in error messages.

    Returns
    -------
    pandas.Series
        Float reversed ratings, indexed as ``values``.

    Raises
    ------
    SurveyDataError
        Unknown labels or ratings outside the scale.

    Examples
    --------
    >>> reverse([1, 2, 5], (1, 5)).tolist()
    [5.0, 4.0, 1.0]
    """
    scale = Scale.coerce(scale)
    return scale.low + scale.high - recode(values, scale, name=name)


def rescale(
    values, scale: Scale | tuple | Mapping, to: tuple[float, float] = (0, 100), *, name: str = "values"
) -> pd.Series:
    """Map ratings linearly from ``scale`` onto ``to`` (default 0-100, as ACSI indices).

    Parameters
    ----------
    values : array-like or Series
        Ratings on ``scale`` (numbers, or the scale's labels); missing stays missing.
    scale : Scale, (low, high) or label mapping
        The rating scale the values are on.
    to : tuple of float
        Lowest and highest value of the target range.
    name : str
        Column name used in error messages.

    Returns
    -------
    pandas.Series
        The rescaled values, float; missing stays missing.

    Examples
    --------
    >>> rescale([1, 4, 10], (1, 10)).tolist()
    [0.0, 33.33333333333333, 100.0]
    >>> rescale([1, 3, 5], (1, 5), to=(-1, 1)).tolist()
    [-1.0, 0.0, 1.0]
    """
    scale = Scale.coerce(scale)
    target = Scale.coerce(to)
    share = (recode(values, scale, name=name) - scale.low) / scale.width
    return target.low + share * target.width


def _item_scales(items: list[str], scale) -> dict[str, Scale] | None:
    """One Scale per item from ``scale``: None, one scale for all, or a mapping item -> scale."""
    if scale is None:
        return None
    if (
        isinstance(scale, Mapping)
        and not isinstance(scale, Scale)
        and scale
        and all(not isinstance(v, (int, float, np.number)) for v in scale.values())
    ):
        unknown = [item for item in scale if item not in items]
        missing = [item for item in items if item not in scale]
        if unknown or missing:
            raise ParameterError(
                f"scale: a mapping item -> scale must name every item and only them; "
                f"not items: {unknown}, without a scale: {missing}"
            )
        return {item: Scale.coerce(scale[item]) for item in items}
    common = Scale.coerce(scale)
    return {item: common for item in items}


def composite_score(
    data: pd.DataFrame, items: str | list[str] | tuple[str, ...], *, scale=None, parameter: str = "items"
) -> pd.Series:
    """Mean of a measure's items per respondent (missing items are skipped).

    A respondent who answered none of the items gets a missing score. Items on
    different scales are each rescaled first, linearly onto the scale of the first
    item (``low + (x - low_i) / width_i * width``), so that a 1-5 item and a 1-10 item
    weigh alike and the score reads on the first item's scale; items on one scale are
    averaged as they are.

    Parameters
    ----------
    data : DataFrame
    items : str or list of str
        The item columns (numbers; text that is not a number is an error).
    scale : Scale, (low, high) or mapping item -> scale, optional
        The items' rating scale (values off it are an error), or one scale per item.
        Without it the items are averaged as they are.
    parameter : str
        Name of the argument in error messages (e.g. ``"drivers['Quality']"``).

    Returns
    -------
    pandas.Series
        Float scores indexed as ``data``, named after the item (``"a+b"`` for several).

    Raises
    ------
    SurveyDataError
        Unknown item columns, non-numeric answers or answers off the scale.
    ParameterError
        A per-item scale mapping that does not match ``items``.

    Examples
    --------
    >>> composite_score(pd.DataFrame({"a": [1, 4, None], "b": [3, None, None]}), ["a", "b"]).tolist()
    [2.0, 4.0, nan]
    >>> frame = pd.DataFrame({"q5": [5, 1], "q10": [10, 1]})  # a 1-5 and a 1-10 item
    >>> composite_score(frame, ["q10", "q5"], scale={"q10": (1, 10), "q5": (1, 5)}).tolist()
    [10.0, 1.0]
    """
    columns = [items] if isinstance(items, str) else list(items)
    if not columns:
        raise ParameterError(f"{parameter}: name at least one item column")
    check_columns(data, columns, parameter=parameter)
    scales = _item_scales(columns, scale)
    values = {}
    for column in columns:
        series = data[column]
        if scales is not None:
            numeric = recode(series, scales[column], name=f"{parameter} column {column!r}")
        elif _is_plain_numeric(series):
            numeric = series.astype(float)
        else:
            numeric = pd.to_numeric(series.astype(object), errors="coerce")
            bad = numeric.isna() & series.notna()
            if bad.any():
                raise SurveyDataError(
                    f"{parameter}: column {column!r} has non-numeric values {describe_offenders(series, bad)}"
                )
        values[column] = numeric.astype(float)
    frame = pd.DataFrame(values, index=data.index)
    if scales is not None:
        target = scales[columns[0]]
        for column in columns[1:]:
            own = scales[column]
            if (own.low, own.high) != (target.low, target.high):
                frame[column] = target.low + (frame[column] - own.low) / own.width * target.width
    name = "+".join(map(str, columns)) if len(columns) > 1 else columns[0]
    return frame.mean(axis=1, skipna=True).rename(name)


def _box_count(k, scale: Scale, name: str = "k") -> int:
    if isinstance(k, bool) or not float(k).is_integer() or not 1 <= k <= scale.width:
        raise ParameterError(
            f"{name}={k!r}: must be a whole number of boxes from 1 to {scale.width:g} on a "
            f"{scale.low:g}..{scale.high:g} scale"
        )
    return int(k)


def _top_box_threshold(scale: Scale, k, name: str = "k") -> float:
    """The lowest value in the top ``k`` boxes: ``high - (k - 1)`` (the one top-box rule)."""
    return scale.high - (_box_count(k, scale, name) - 1)


def top_box(values, scale: Scale | tuple | Mapping, k: int = 2, *, name: str = "values") -> pd.Series:
    """Flag ratings (or means of items) in the top ``k`` boxes: ``value >= high - (k - 1)``.

    This is the one top-box rule of the package: CSAT (:func:`csat_analysis.metrics.csat_score`),
    the loyalty curves and every study count a respondent as top box with it. A
    composite score (a mean of items, :func:`composite_score`) is top box when it
    reaches the lowest point of the top ``k`` boxes: on a 1-10 scale with ``k=2`` a mean
    of 9 is top box and a mean of 8.5 is not.

    Parameters
    ----------
    values : array-like or Series
        Ratings on ``scale`` (numbers, or the scale's labels); missing stays missing.
    scale : Scale, (low, high) or label mapping
    k : int
        Number of top boxes (1 to the scale's width).
    name : str
        Column name used in error messages.

    Returns
    -------
    pandas.Series
        Nullable booleans; missing ratings stay missing.

    Raises
    ------
    ParameterError
        ``k`` is not a whole number of boxes on the scale.
    SurveyDataError
        Unknown labels or ratings outside the scale.

    Examples
    --------
    >>> top_box([5, 4, 3, None], (1, 5)).tolist()
    [True, True, False, <NA>]
    >>> top_box([10, 9, 8.5], (1, 10), k=2).tolist()
    [True, True, False]
    """
    scale = Scale.coerce(scale)
    threshold = _top_box_threshold(scale, k)
    numeric = recode(values, scale, name=name)
    return (numeric >= threshold).astype("boolean").mask(numeric.isna())


def bottom_box(values, scale: Scale | tuple | Mapping, k: int = 2, *, name: str = "values") -> pd.Series:
    """Flag ratings in the bottom ``k`` boxes: ``value <= low + (k - 1)`` (mirror of :func:`top_box`).

    Parameters
    ----------
    values : array-like or Series
        Ratings on ``scale`` (numbers, or the scale's labels); missing stays missing.
    scale : Scale, (low, high) or label mapping
        The rating scale.
    k : int
        Number of bottom boxes (1 to the scale's width).
    name : str
        Column name used in error messages.

    Returns
    -------
    pandas.Series
        Nullable boolean; missing ratings stay missing.

    Examples
    --------
    >>> bottom_box(["Very dissatisfied", "Satisfied"], {"Very dissatisfied": 1, "Dissatisfied": 2,
    ...     "Neutral": 3, "Satisfied": 4, "Very satisfied": 5}).tolist()
    [True, False]
    """
    scale = Scale.coerce(scale)
    k = _box_count(k, scale)
    numeric = recode(values, scale, name=name)
    return (numeric <= scale.low + (k - 1)).astype("boolean").mask(numeric.isna())


# --- reliability of multi-item scales ---------------------------------------------------


def _item_matrix(items: pd.DataFrame, nan_policy: str = "omit", min_items: int = 2) -> tuple[np.ndarray, list, int]:
    """Numeric item matrix of the complete cases, the item names and the rows dropped."""
    check_choice("nan_policy", nan_policy, ["omit", "raise"], error=ParameterError)
    if not isinstance(items, pd.DataFrame):
        raise SurveyDataError(f"items: expected a DataFrame with one column per item, got {type(items).__name__}")
    if items.shape[1] < min_items:
        raise SurveyDataError(f"items: need at least {min_items} item columns, got {list(items.columns)}")
    columns = {}
    for column in items.columns:
        values = items[column]
        if _is_plain_numeric(values):
            columns[column] = values.to_numpy(dtype=float, na_value=np.nan)
            continue
        numeric = pd.to_numeric(values.astype(object), errors="coerce")
        bad = numeric.isna() & values.notna()
        if bad.any():
            raise SurveyDataError(f"items: column {column!r} has non-numeric values {describe_offenders(values, bad)}")
        columns[column] = numeric.to_numpy(dtype=float)
    matrix = np.column_stack(list(columns.values()))
    incomplete = np.isnan(matrix).any(axis=1)
    if incomplete.any() and nan_policy == "raise":
        raise SurveyDataError(
            f"items: rows with missing answers (nan_policy='raise'): "
            f"{describe_offenders(pd.Series(items.index, index=items.index), incomplete)}"
        )
    return matrix[~incomplete], list(items.columns), int(incomplete.sum())


def _item_covariance(matrix: np.ndarray, standardized: bool) -> np.ndarray:
    if matrix.shape[0] < 3:
        raise SurveyDataError(f"items: need at least 3 complete responses, got {matrix.shape[0]}")
    cov = np.cov(matrix, rowvar=False, ddof=1)
    variances = np.diag(cov)
    if (variances == 0).any():
        raise SurveyDataError("items: an item has no variance in the complete responses, so alpha is undefined")
    if standardized:
        scale = np.sqrt(variances)
        cov = cov / np.outer(scale, scale)
    return cov


def cronbach_alpha(items: pd.DataFrame, ci: float = 0.95, *, standardized: bool = False, nan_policy: str = "omit"):
    """Cronbach's alpha of a multi-item scale, with Feldt's confidence interval.

    ``alpha = k / (k - 1) * (1 - sum of item variances / variance of the sum score)``.
    Feldt (1965): with ``n`` respondents, ``(1 - alpha) / (1 - alpha_hat)`` follows an F
    distribution on ``n - 1`` and ``(n - 1)(k - 1)`` degrees of freedom, so the bounds are
    ``1 - (1 - alpha_hat) * F_{(1 -/+ ci)/2}``.

    Parameters
    ----------
    items : DataFrame
        One column per item, one row per respondent. Rows with a missing answer are
        dropped (listwise) and counted.
    ci : float
        Confidence level of the interval.
    standardized : bool
        Use the item correlation matrix (standardised alpha, as seminr and SmartPLS
        report) instead of the covariance matrix.
    nan_policy : {"omit", "raise"}

    Returns
    -------
    Estimate
        ``value`` alpha, ``low``/``high`` Feldt bounds, ``n`` complete responses,
        ``n_dropped`` incomplete ones; ``se`` is not defined (nan).

    See Also
    --------
    alpha_if_deleted : Alpha without each item.
    composite_reliability : Reliability from PLS loadings.

    References
    ----------
    Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests.
    *Psychometrika*, 16(3), 297-334.

    Feldt, L. S. (1965). The approximate sampling distribution of Kuder-Richardson
    reliability coefficient twenty. *Psychometrika*, 30(3), 357-370.

    Examples
    --------
    >>> items = pd.DataFrame({"q1": [1, 2, 3, 4, 5], "q2": [2, 2, 3, 5, 5], "q3": [1, 3, 3, 4, 4]})
    >>> round(cronbach_alpha(items).value, 4)  # 1.5 * (1 - (2.5 + 2.3 + 1.5) / 17.3)
    0.9538
    """
    from scipy import stats

    if not 0 < ci < 1:
        raise ParameterError(f"ci={ci!r} must lie strictly between 0 and 1")
    matrix, _, dropped = _item_matrix(items, nan_policy)
    n, k = matrix.shape
    cov = _item_covariance(matrix, standardized)
    alpha = k / (k - 1) * (1 - np.trace(cov) / cov.sum())
    df1, df2 = n - 1, (n - 1) * (k - 1)
    low = 1 - (1 - alpha) * stats.f.isf((1 - ci) / 2, df1, df2)
    high = 1 - (1 - alpha) * stats.f.isf((1 + ci) / 2, df1, df2)
    return Estimate(float(alpha), float("nan"), float(low), float(high), n, float(n), dropped)


def alpha_if_deleted(items: pd.DataFrame, *, standardized: bool = False, nan_policy: str = "omit") -> pd.Series:
    """Cronbach's alpha of the scale without each item in turn (complete cases).

    Parameters
    ----------
    items : DataFrame
        One column per item, one row per respondent; incomplete rows are dropped.
    standardized : bool
        Use the item correlation matrix (standardised alpha) instead of the covariances.
    nan_policy : {"omit", "raise"}
        Drop incomplete rows (default) or raise an error naming them.

    Returns
    -------
    pandas.Series
        Cronbach's alpha without each item, indexed by item, named ``alpha_if_deleted`` (NaN with only 2 items).

    Examples
    --------
    >>> items = pd.DataFrame({"q1": [1, 2, 3, 4, 5], "q2": [2, 2, 3, 5, 5], "q3": [5, 1, 4, 2, 3]})
    >>> alpha_if_deleted(items).round(3).tolist()  # q3 runs against the others
    [-0.526, -0.857, 0.968]
    """
    matrix, names, _ = _item_matrix(items, nan_policy)
    k = matrix.shape[1]
    cov = _item_covariance(matrix, standardized)
    diagonal = np.diag(cov)
    # variance of the sum of the other items, and the sum of their variances
    rest_total = cov.sum() - 2 * cov.sum(axis=1) + diagonal
    rest_trace = diagonal.sum() - diagonal
    with np.errstate(divide="ignore", invalid="ignore"):
        alpha = (k - 1) / (k - 2) * (1 - rest_trace / rest_total) if k > 2 else np.full(k, np.nan)
    return pd.Series(alpha, index=pd.Index(names, name="item"), name="alpha_if_deleted")


def item_total_correlations(items: pd.DataFrame, *, corrected: bool = True, nan_policy: str = "omit") -> pd.Series:
    """Correlation of each item with the sum score (complete cases).

    Parameters
    ----------
    items : DataFrame
        One column per item, one row per respondent; incomplete rows are dropped.
    corrected : bool
        Correlate with the sum of the *other* items (default), so an item does not
        correlate with itself.
    nan_policy : {"omit", "raise"}
        Drop incomplete rows (default) or raise an error naming them.

    Returns
    -------
    pandas.Series
        The corrected item-total correlations, indexed by item, named ``item_total_correlation``.

    Examples
    --------
    >>> items = pd.DataFrame({"q1": [1, 2, 3, 4, 5], "q2": [2, 2, 3, 5, 5], "q3": [1, 3, 3, 4, 4]})
    >>> item_total_correlations(items).round(3).tolist()
    [0.97, 0.903, 0.87]
    """
    matrix, names, _ = _item_matrix(items, nan_policy)
    cov = _item_covariance(matrix, standardized=False)
    diagonal = np.diag(cov)
    row_sums = cov.sum(axis=1)
    if corrected:
        covariance_with_rest = row_sums - diagonal
        rest_variance = cov.sum() - 2 * row_sums + diagonal
        r = covariance_with_rest / np.sqrt(diagonal * rest_variance)
    else:
        r = row_sums / np.sqrt(diagonal * cov.sum())
    return pd.Series(r, index=pd.Index(names, name="item"), name="item_total_correlation")


def _loading_columns(loadings) -> tuple[dict[str, np.ndarray], bool]:
    """Non-zero standardised loadings per construct; True when the input was one construct."""
    if isinstance(loadings, pd.DataFrame):
        frame, single = loadings, False
    else:
        frame, single = pd.DataFrame({"construct": np.asarray(loadings, dtype=float).reshape(-1)}), True
    out = {}
    for construct in frame.columns:
        values = pd.to_numeric(frame[construct], errors="coerce").to_numpy(dtype=float)
        bad = np.isnan(values) | (np.abs(values) > 1)
        if bad.any():
            raise SurveyDataError(
                f"loadings: construct {construct!r} has loadings that are missing or outside -1..1 "
                f"(standardised loadings expected): {describe_offenders(frame[construct], bad)}"
            )
        values = values[values != 0]
        if values.size == 0:
            raise SurveyDataError(f"loadings: construct {construct!r} has no non-zero loadings")
        out[construct] = values
    return out, single


def composite_reliability(loadings):
    """Composite reliability rhoC: ``(sum L)^2 / ((sum L)^2 + sum(1 - L^2))``.

    Parameters
    ----------
    loadings : array-like or DataFrame
        Standardised outer loadings of one construct, or an items x constructs
        DataFrame (zeros where an item does not measure a construct, as PLS output).

    Returns
    -------
    float or pandas.Series
        The reliability for one construct, else a Series indexed by construct.

    See Also
    --------
    average_variance_extracted : Convergent validity from the same loadings.
    cronbach_alpha : Reliability from the item covariances.

    References
    ----------
    Fornell, C., & Larcker, D. F. (1981). Evaluating structural equation models with
    unobservable variables and measurement error. *Journal of Marketing Research*,
    18(1), 39-50.

    Examples
    --------
    >>> round(composite_reliability([0.8, 0.7, 0.9]), 4)  # 2.4**2 / (2.4**2 + 1.06)
    0.8446
    """
    columns, single = _loading_columns(loadings)
    result = {c: float(v.sum() ** 2 / (v.sum() ** 2 + (1 - v**2).sum())) for c, v in columns.items()}
    return result["construct"] if single else pd.Series(result, name="rhoC")


def average_variance_extracted(loadings):
    """Average variance extracted: the mean squared standardised loading.

    Parameters
    ----------
    loadings : array-like or DataFrame
        As in :func:`composite_reliability`.

    Returns
    -------
    float or Series
        A float for one construct, else a Series indexed by construct.

    References
    ----------
    Fornell, C., & Larcker, D. F. (1981). Evaluating structural equation models with
    unobservable variables and measurement error. *Journal of Marketing Research*,
    18(1), 39-50.

    Examples
    --------
    >>> round(average_variance_extracted([0.8, 0.7, 0.9]), 4)
    0.6467
    """
    columns, single = _loading_columns(loadings)
    result = {c: float((v**2).mean()) for c, v in columns.items()}
    return result["construct"] if single else pd.Series(result, name="AVE")


# --- response quality ------------------------------------------------------------------


def flag_straightliners(items: pd.DataFrame, min_items: int | None = None) -> pd.Series:
    """Flag respondents who gave the same answer to every item of a grid.

    Parameters
    ----------
    items : DataFrame
        One column per item (numeric ratings).
    min_items : int, optional
        Answered items needed before a row can be flagged (default: all items).
        Missing answers are ignored among the answered ones.

    Returns
    -------
    pandas.Series
        Booleans indexed as ``items``, named ``straightliner``.

    Examples
    --------
    >>> grid = pd.DataFrame({"q1": [3, 1, 5], "q2": [3, 2, 5], "q3": [3, 4, None]})
    >>> flag_straightliners(grid).tolist()
    [True, False, False]
    >>> flag_straightliners(grid, min_items=2).tolist()
    [True, False, True]
    """
    if not isinstance(items, pd.DataFrame) or items.shape[1] < 2:
        raise SurveyDataError("items: expected a DataFrame with at least 2 item columns")
    matrix = np.column_stack([_numeric_column(items[column], f"items[{column!r}]") for column in items.columns])
    k = matrix.shape[1]
    needed = k if min_items is None else int(min_items)
    if not 2 <= needed <= k:
        raise ParameterError(f"min_items={min_items!r}: must lie between 2 and the {k} items")
    answered = (~np.isnan(matrix)).sum(axis=1)
    filled_high = np.where(np.isnan(matrix), -np.inf, matrix).max(axis=1)
    filled_low = np.where(np.isnan(matrix), np.inf, matrix).min(axis=1)
    flags = (answered >= needed) & (filled_high == filled_low)
    return pd.Series(flags, index=items.index, name="straightliner")


def _numeric_column(values: pd.Series, name: str) -> np.ndarray:
    if _is_plain_numeric(values):
        return values.to_numpy(dtype=float, na_value=np.nan)
    numeric = pd.to_numeric(values.astype(object), errors="coerce")
    bad = numeric.isna() & values.notna()
    if bad.any():
        raise SurveyDataError(f"{name}: non-numeric values {describe_offenders(values, bad)}")
    return numeric.to_numpy(dtype=float)


def flag_speeders(durations, threshold: float, *, relative: bool = False) -> pd.Series:
    """Flag responses completed faster than ``threshold``.

    Parameters
    ----------
    durations : array-like or Series
        Completion times (any unit, e.g. seconds); missing stays missing.
    threshold : float
        Same unit as ``durations``; with ``relative=True`` a share of the median
        duration instead (e.g. 0.5: faster than half the median, a common rule).
    relative : bool
        Read ``threshold`` as a share of the median duration.

    Returns
    -------
    pandas.Series
        Nullable booleans, named ``speeder``.

    Raises
    ------
    SurveyDataError
        Negative or non-numeric durations, or a threshold that is not positive.

    Examples
    --------
    >>> flag_speeders([300, 90, 420, None], threshold=120).tolist()
    [False, True, False, <NA>]
    >>> flag_speeders([300, 90, 420, 310], threshold=0.5, relative=True).tolist()
    [False, True, False, False]
    """
    series = durations if isinstance(durations, pd.Series) else pd.Series(list(durations))
    values = _numeric_column(series, "durations")
    negative = values < 0
    if negative.any():
        raise SurveyDataError(f"durations: negative durations {describe_offenders(series, negative)}")
    if not np.isfinite(threshold) or threshold <= 0:
        raise ParameterError(f"threshold={threshold!r}: must be a positive number")
    cutoff = threshold * np.nanmedian(values) if relative else threshold
    flags = pd.Series(values < cutoff, index=series.index, name="speeder").astype("boolean")
    return flags.mask(np.isnan(values))
