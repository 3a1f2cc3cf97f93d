"""Survey weights: raking to known population margins, and the Kish effective sample size.

Raking (iterative proportional fitting, Deming and Stephan 1940) adjusts weights one
variable at a time until the weighted share of every category matches its population
target. Each pass is a ``np.bincount`` per variable, so raking a million respondents
takes milliseconds per iteration.

Examples
--------
>>> sample = pd.DataFrame({"segment": ["A", "A", "A", "B"]})
>>> rake(sample, {"segment": {"A": 0.5, "B": 0.5}}).tolist()
[0.6666666666666666, 0.6666666666666666, 0.6666666666666666, 2.0]
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ._validation import check_columns, check_complete, describe_offenders
from .errors import ParameterError, SurveyDataError

__all__ = ["effective_sample_size", "rake"]

#: how far the target shares of one variable may sum from 1
SHARE_SUM_TOLERANCE = 1e-6


def _positive_weights(weights, index: pd.Index | None = None, name: str = "weights") -> np.ndarray:
    series = (
        weights
        if isinstance(weights, pd.Series)
        else pd.Series(np.asarray(weights, dtype=object).reshape(-1), index=index)
    )
    numeric = pd.to_numeric(series, errors="coerce")
    not_numeric = numeric.isna() & series.notna()
    if not_numeric.any():
        raise SurveyDataError(f"{name}: non-numeric weights {describe_offenders(series, not_numeric)}")
    w = numeric.to_numpy(dtype=float, na_value=np.nan)
    missing = np.isnan(w)
    if missing.any():
        raise SurveyDataError(f"{name}: missing weights {describe_offenders(series, missing)}")
    bad = ~((w > 0) & np.isfinite(w))
    if bad.any():
        raise SurveyDataError(
            f"{name}: weights must be positive and finite; negative or zero weights: {describe_offenders(series, bad)}"
        )
    return w


def effective_sample_size(weights, data: pd.DataFrame | None = None) -> float:
    """Kish's effective sample size ``(sum w)^2 / sum w^2``.

    Equals the number of respondents with equal weights and shrinks as weights vary:
    intervals from weighted data should use it in place of ``n``.

    Parameters
    ----------
    weights : str or array-like
        The weights, or the name of a column of ``data`` holding them.
    data : DataFrame, optional
        Needed when ``weights`` is a column name.

    Returns
    -------
    float
        Kish's effective sample size.

    Raises
    ------
    SurveyDataError
        Missing, non-numeric, negative or zero weights (naming values and rows).

    References
    ----------
    Kish, L. (1965). *Survey Sampling*. New York: Wiley.

    Examples
    --------
    >>> effective_sample_size([1, 1, 1, 1])
    4.0
    >>> effective_sample_size([2.0, 1.0, 1.0, 3.0, 1.0])  # 8**2 / 16
    4.0
    >>> effective_sample_size("w", pd.DataFrame({"w": [2.0, 1.0, 1.0, 3.0, 1.0]}))
    4.0
    """
    if isinstance(weights, str):
        if data is None:
            raise ParameterError(f"weights={weights!r} names a column: pass the data too")
        check_columns(data, weights, parameter="weights")
        weights = data[weights]
    w = _positive_weights(weights)
    if w.size == 0:
        return 0.0
    return float(w.sum() ** 2 / (w**2).sum())


def _targets(variable: str, shares) -> pd.Series:
    if isinstance(shares, pd.Series):
        targets = shares.copy()
    elif isinstance(shares, Mapping):
        targets = pd.Series(dict(shares), dtype=object)
    else:
        raise SurveyDataError(f"margins[{variable!r}]: expected a mapping category -> target share, got {shares!r}")
    numeric = pd.to_numeric(targets, errors="coerce")
    bad = numeric.isna() | (numeric < 0) | (numeric > 1)
    if bad.any():
        raise SurveyDataError(
            f"margins[{variable!r}]: target shares must lie in [0, 1]; got {describe_offenders(targets, bad)}"
        )
    if not targets.index.is_unique:
        raise SurveyDataError(
            f"margins[{variable!r}]: categories listed twice: {sorted(map(str, targets.index[targets.index.duplicated()]))}"
        )
    total = float(numeric.sum())
    if abs(total - 1) > SHARE_SUM_TOLERANCE:
        raise SurveyDataError(f"margins[{variable!r}]: target shares sum to {total:.6g}, not 1")
    return numeric.astype(float)


def _category_codes(data: pd.DataFrame, variable: str, targets: pd.Series) -> np.ndarray:
    values = data[variable]
    check_complete(values, variable, "they cannot be raked")
    codes = pd.Index(list(targets.index), dtype=object).get_indexer(values.astype(object)).astype(np.int64)
    untargeted = codes < 0
    if untargeted.any():
        distinct = sorted(map(str, values[untargeted].unique()))
        raise SurveyDataError(
            f"margins[{variable!r}]: categories {distinct} occur in the data but have no target share "
            f"({describe_offenders(values, untargeted)})"
        )
    counts = np.bincount(codes, minlength=len(targets))
    empty = (counts == 0) & (targets.to_numpy() > 0)
    if empty.any():
        raise SurveyDataError(
            f"margins[{variable!r}]: empty cells: no respondents in {list(targets.index[empty])}, "
            "whose target shares are positive"
        )
    zero_target = (counts > 0) & (targets.to_numpy() == 0)
    if zero_target.any():
        raise SurveyDataError(
            f"margins[{variable!r}]: categories {list(targets.index[zero_target])} have respondents but a target "
            "share of 0, which would need zero weights; drop those respondents first"
        )
    return codes


def rake(
    data: pd.DataFrame,
    margins: Mapping,
    max_iter: int = 100,
    tol: float = 1e-8,
    *,
    base_weights=None,
    total: float | None = None,
) -> pd.Series:
    """Rake survey weights to population margins (iterative proportional fitting).

    Parameters
    ----------
    data : DataFrame
        One row per respondent, with the raking variables as columns.
    margins : mapping
        ``{variable: {category: target share}}`` (a Series works as the inner mapping).
        The shares of each variable lie in [0, 1] and sum to 1.
    max_iter : int
        Full passes over the variables before giving up.
    tol : float
        Convergence: the largest gap between a weighted share and its target.
    base_weights : array-like or str, optional
        Design weights to start from (column name or values); default equal weights.
    total : float, optional
        The weights' sum; default the number of respondents (mean weight 1).

    Returns
    -------
    pandas.Series
        Positive weights indexed as ``data``, named ``weight``.

    Raises
    ------
    SurveyDataError
        Unknown columns; shares outside [0, 1] or not summing to 1; missing values or
        categories without a target; empty cells (a positive target with no
        respondents); non-positive base weights; and margins that the sample cannot
        reach within ``max_iter`` passes (e.g. two variables perfectly confounded in
        the sample), naming the largest gap per variable.

    See Also
    --------
    effective_sample_size : What the weights leave of the sample.
    csat_analysis.design.SurveyDesign : Raked estimates with design-based variances.

    References
    ----------
    Deming, W. E., & Stephan, F. F. (1940). On a least squares adjustment of a sampled
    frequency table when the expected marginal totals are known. *Annals of Mathematical
    Statistics*, 11(4), 427-444.

    Examples
    --------
    >>> sample = pd.DataFrame({"sex": ["f", "f", "m", "m", "m"], "age": ["young", "old", "young", "old", "old"]})
    >>> weights = rake(sample, {"sex": {"f": 0.5, "m": 0.5}, "age": {"young": 0.4, "old": 0.6}})
    >>> round(float(weights[sample["sex"] == "f"].sum() / weights.sum()), 6)
    0.5
    """
    if not isinstance(data, pd.DataFrame):
        raise ParameterError(f"rake: data must be a DataFrame, got {type(data).__name__}")
    if not isinstance(margins, Mapping) or not margins:
        raise ParameterError("rake: margins must be a non-empty mapping {variable: {category: share}}")
    variables = check_columns(data, list(margins), parameter="margins")
    if int(max_iter) < 1 or not tol > 0:
        raise ParameterError(f"rake: need max_iter >= 1 and tol > 0, got max_iter={max_iter!r}, tol={tol!r}")
    if len(data) == 0:
        raise SurveyDataError("rake: data has no rows")
    targets = {variable: _targets(variable, margins[variable]) for variable in variables}
    codes = {variable: _category_codes(data, variable, targets[variable]) for variable in variables}
    if isinstance(base_weights, str):
        check_columns(data, base_weights, parameter="base_weights")
        base_weights = data[base_weights]
    if base_weights is None:
        w = np.ones(len(data))
    else:
        size = len(base_weights) if isinstance(base_weights, pd.Series) else np.asarray(base_weights, dtype=object).size
        if size != len(data):
            raise ParameterError(f"base_weights: {size} weights for {len(data)} rows")
        w = _positive_weights(base_weights, index=data.index, name="base_weights")
        w = w.copy()

    def gaps() -> dict[str, float]:
        total_weight = w.sum()
        return {
            variable: float(
                np.abs(
                    np.bincount(codes[variable], weights=w, minlength=len(targets[variable])) / total_weight
                    - targets[variable].to_numpy()
                ).max()
            )
            for variable in variables
        }

    for _ in range(int(max_iter)):
        for variable in variables:
            target = targets[variable].to_numpy()
            current = np.bincount(codes[variable], weights=w, minlength=target.size) / w.sum()
            with np.errstate(divide="ignore", invalid="ignore"):
                factor = np.where(current > 0, target / current, 1.0)
            w *= factor[codes[variable]]
        if max(gaps().values()) < tol:
            break
    else:
        listed = ", ".join(f"{variable}: {gap:.3g}" for variable, gap in gaps().items())
        raise SurveyDataError(
            f"rake: margins unreachable from this sample: not converged after {max_iter} iterations "
            f"(largest gap between weighted share and target per variable: {listed}); check that the "
            "margins are consistent and that no variable is confounded with another in the sample"
        )
    scale = (len(data) if total is None else float(total)) / w.sum()
    return pd.Series(w * scale, index=data.index, name="weight")
