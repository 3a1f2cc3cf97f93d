"""Key drivers of satisfaction: relative importance, importance-performance, IPMA.

Which attributes drive satisfaction most, and where is performance weakest relative
to importance (the "short stave" of the importance-performance analysis of Martilla
and James 1977)?

* :func:`relative_importance` splits the R² of a linear regression of the target on
  the drivers among the drivers: Shapley values (LMG, Lindeman, Merenda and Gold
  1980; Grömping 2006; exact, over all subsets) or Johnson's (2000) relative weights.
* :func:`importance_performance` sets importance next to performance (0-100) in the
  classic importance-performance matrix and marks the short stave.
* :func:`ipma` does the same for a PLS model (SmartPLS-style importance-performance
  map: unstandardised total effects against 0-100 construct performance; Ringle and
  Sarstedt 2016).

Drivers are item columns, or constructs given as ``{name: [items]}`` (scored as the
mean of their items).

Examples
--------
>>> import numpy as np, pandas as pd
>>> rng = np.random.default_rng(0)
>>> survey = pd.DataFrame(rng.normal(size=(200, 2)), columns=["price", "staff"])
>>> survey["sat"] = survey["price"] + 2 * survey["staff"] + rng.normal(size=200)
>>> relative_importance(survey, "sat", ["price", "staff"])["rank"].tolist()
[2, 1]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from math import factorial

import numpy as np
import pandas as pd

from ._validation import check_choice, check_columns, read_weights
from .errors import ModelSpecError, ParameterError, SurveyDataError
from .scaling import Scale, composite_score

__all__ = [
    "QUADRANTS",
    "KeyDrivers",
    "driver_scores",
    "importance_performance",
    "ipma",
    "key_drivers",
    "relative_importance",
    "short_stave",
    "weakest_important",
]

#: Martilla and James (1977) quadrant names, keyed by (high importance, high performance)
QUADRANTS = {
    (True, False): "concentrate here",
    (True, True): "keep up the good work",
    (False, False): "low priority",
    (False, True): "possible overkill",
}

#: exact Shapley decomposition visits 2^p subsets; beyond this it gets slow
MAX_SHAPLEY_DRIVERS = 15


def driver_scores(data: pd.DataFrame, drivers: Sequence[str] | Mapping[str, Sequence[str]]) -> pd.DataFrame:
    """One column per driver: the item itself, or the mean of a construct's items.

    Parameters
    ----------
    data : DataFrame
        One row per respondent.
    drivers : list of str or dict name -> items
        Driver items, or constructs each scored as the mean of its items.

    Returns
    -------
    DataFrame
        One column per driver, in the given order.

    Examples
    --------
    >>> import pandas as pd
    >>> survey = pd.DataFrame({"q1": [1, 3], "q2": [3, 5], "price": [2, 4]})
    >>> driver_scores(survey, {"Quality": ["q1", "q2"], "Price": ["price"]}).to_dict("list")
    {'Quality': [2.0, 4.0], 'Price': [2.0, 4.0]}
    """
    if isinstance(drivers, str):
        drivers = [drivers]
    if isinstance(drivers, Mapping):
        return pd.DataFrame(
            {name: composite_score(data, items, parameter=f"drivers[{name!r}]") for name, items in drivers.items()}
        )
    columns = check_columns(data, list(drivers), parameter="drivers")
    return pd.DataFrame({c: composite_score(data, c, parameter="drivers") for c in columns})


def _target_and_drivers(data, target, drivers):
    target_items = [target] if isinstance(target, str) else list(target)
    y = composite_score(data, target_items, parameter="target").rename("__target__")
    x = driver_scores(data, drivers)
    if x.shape[1] < 1:
        raise ParameterError("drivers: give at least one driver")
    frame = pd.concat([y, x], axis=1).dropna()
    if len(frame) <= x.shape[1] + 1:
        raise SurveyDataError(f"relative_importance: only {len(frame)} complete rows for {x.shape[1]} drivers")
    constant = [c for c in frame.columns if frame[c].std() == 0]
    if constant:
        raise SurveyDataError(f"relative_importance: column(s) {constant} do not vary, so they explain nothing")
    return frame


def _correlations(frame: pd.DataFrame, weights) -> np.ndarray:
    values = frame.to_numpy(dtype=float)
    covariance = np.cov(values, rowvar=False, aweights=weights)
    sd = np.sqrt(np.diag(covariance))
    return covariance / np.outer(sd, sd)


def _subset_r2(rxx: np.ndarray, rxy: np.ndarray) -> np.ndarray:
    """R² of every driver subset, indexed by bit mask (bit j set = driver j in)."""
    p = rxy.size
    r2 = np.zeros(2**p)
    for mask in range(1, 2**p):
        members = [j for j in range(p) if mask >> j & 1]
        r = rxy[members]
        r2[mask] = float(r @ np.linalg.solve(rxx[np.ix_(members, members)], r))
    return r2


def _shapley(rxx: np.ndarray, rxy: np.ndarray) -> np.ndarray:
    p = rxy.size
    r2 = _subset_r2(rxx, rxy)
    masks = np.arange(2**p)
    sizes = np.array([bin(m).count("1") for m in masks])
    weight_by_size = np.array([factorial(s) * factorial(p - s - 1) / factorial(p) for s in range(p)])
    values = np.zeros(p)
    for j in range(p):
        without = masks[(masks >> j & 1) == 0]
        values[j] = np.sum(weight_by_size[sizes[without]] * (r2[without | 1 << j] - r2[without]))
    return values


def _relative_weights(rxx: np.ndarray, rxy: np.ndarray) -> np.ndarray:
    # Johnson (2000): regress y on the orthogonal counterparts Z of X, then share each
    # Z's contribution back to the X's through the X-Z correlations Λ = R^(1/2).
    eigenvalues, eigenvectors = np.linalg.eigh(rxx)
    if eigenvalues.min() <= 1e-12:
        raise SurveyDataError("relative_importance: the drivers are perfectly collinear")
    root = eigenvectors @ np.diag(np.sqrt(eigenvalues)) @ eigenvectors.T
    beta = np.linalg.solve(root, rxy)
    return (root**2) @ (beta**2)


def relative_importance(
    data: pd.DataFrame,
    target: str | Sequence[str],
    drivers: Sequence[str] | Mapping[str, Sequence[str]],
    *,
    method: str = "shapley",
    weights=None,
) -> pd.DataFrame:
    """Split the R² of ``target ~ drivers`` among the drivers.

    Parameters
    ----------
    data : DataFrame
    target : str or list of str
        Target item(s) (several items are averaged).
    drivers : list of str or dict name -> items
    method : {"shapley", "relative_weights"}
        ``"shapley"``: each driver's average gain in R² over all orders of entry
        (LMG; exact). ``"relative_weights"``: Johnson's (2000) approximation.
        Both sum to the full model's R².
    weights : str or array-like, optional
        Survey weights, a column name or one value per row (weighted correlations).

    Returns
    -------
    DataFrame
        One row per driver, in the given order: ``driver``, ``importance`` (its part
        of R²), ``share`` (of R², sums to 1), ``rank`` (1 = most important), ``r2``
        (the full model's R², the same on every row), ``n`` (complete rows used).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(2)
    >>> survey = pd.DataFrame(rng.normal(size=(300, 3)), columns=["a", "b", "c"])
    >>> survey["y"] = survey.sum(axis=1)
    >>> table = relative_importance(survey, "y", ["a", "b", "c"])
    >>> round(float(table["share"].sum()), 10), round(float(table["r2"].iloc[0]), 10)
    (1.0, 1.0)
    """
    check_choice("method", method, ["shapley", "relative_weights"], error=ParameterError)
    frame = _target_and_drivers(data, target, drivers)
    names = list(frame.columns[1:])
    if method == "shapley" and len(names) > MAX_SHAPLEY_DRIVERS:
        raise ParameterError(
            f"relative_importance: exact Shapley values for {len(names)} drivers take too long; "
            f"use at most {MAX_SHAPLEY_DRIVERS} or method='relative_weights'"
        )
    w = None
    if weights is not None:
        w = pd.Series(read_weights(data, weights), index=data.index).loc[frame.index].to_numpy()
    correlations = _correlations(frame, w)
    rxx, rxy = correlations[1:, 1:], correlations[1:, 0]
    if np.linalg.matrix_rank(rxx) < len(names):
        raise SurveyDataError(f"relative_importance: the drivers {names} are perfectly collinear")
    r2 = float(rxy @ np.linalg.solve(rxx, rxy))
    importance = _shapley(rxx, rxy) if method == "shapley" else _relative_weights(rxx, rxy)
    table = pd.DataFrame({"driver": names, "importance": importance, "share": importance / r2})
    table["rank"] = table["importance"].rank(ascending=False, method="min").astype(int)
    table["r2"] = r2
    table["n"] = len(frame)
    return table


def _quadrants(importance: pd.Series, performance: pd.Series) -> tuple[pd.Series, pd.Series]:
    high_importance = importance >= importance.mean()
    high_performance = performance >= performance.mean()
    quadrant = pd.Series(
        [QUADRANTS[(bool(i), bool(p))] for i, p in zip(high_importance, high_performance)], index=importance.index
    )
    weakest = pd.Series(False, index=importance.index)
    if high_importance.any():
        candidate = performance[high_importance].idxmin()
        # a short stave lags: the weakest important driver is one only when it performs below average
        weakest[candidate] = not bool(high_performance[candidate])
    return quadrant, weakest


def importance_performance(
    data: pd.DataFrame,
    target: str | Sequence[str],
    drivers: Sequence[str] | Mapping[str, Sequence[str]],
    scale,
    *,
    method: str = "shapley",
    weights=None,
) -> pd.DataFrame:
    """Importance-performance matrix: what matters, how well it is done, the short stave.

    Importance is each driver's share of R² (:func:`relative_importance`);
    performance is its mean score rescaled from ``scale`` to 0-100. The cross-hairs
    are the means of importance and of performance across drivers (Martilla and
    James 1977). The short stave is the high-importance driver with the lowest
    performance.

    Parameters
    ----------
    data : DataFrame
        One row per respondent.
    target : str or list of str
        Target item(s) (several items are averaged).
    drivers : list of str or dict name -> items
        Driver items, or constructs each scored as the mean of its items.
    scale : Scale or (low, high)
        The drivers' answer scale, to rescale performance to 0-100.
    method : {"shapley", "relative_weights"}
        How R² is split (see :func:`relative_importance`).
    weights : str or array-like, optional
        Survey weights, a column name or one value per row.

    Returns
    -------
    DataFrame
        ``driver``, ``importance``, ``share``, ``rank``, ``performance``,
        ``quadrant``, ``weakest_high_importance`` (True on the short stave's row: the
        weakest driver of above-average importance, when it performs below average).

    References
    ----------
    Martilla, J. A., & James, J. C. (1977). Importance-performance analysis. *Journal of
    Marketing*, 41(1), 77-79.

    Examples
    --------
    >>> import pandas as pd
    >>> survey = pd.DataFrame({"a": [1, 2, 3, 4, 5, 2], "b": [5, 3, 4, 4, 2, 1]})
    >>> survey["y"] = 2 * survey["a"] + survey["b"]
    >>> short_stave(importance_performance(survey, "y", ["a", "b"], (1, 5)))
    'a'
    """
    scale = Scale.coerce(scale)
    table = relative_importance(data, target, drivers, method=method, weights=weights)
    scores = driver_scores(data, drivers)
    if weights is None:
        means = scores.mean()
    else:
        w = pd.Series(read_weights(data, weights), index=data.index)
        means = scores.apply(lambda column: np.average(column.dropna(), weights=w[column.notna()]))
    table["performance"] = (means[table["driver"]].to_numpy() - scale.low) / scale.width * 100
    table["quadrant"], table["weakest_high_importance"] = _quadrants(table["share"], table["performance"])
    return table.drop(columns=["r2", "n"])


def weakest_important(table: pd.DataFrame) -> str | None:
    """The driver (or construct) of above-average importance that performs worst, lagging or not.

    Unlike :func:`short_stave` it names a driver even when every important driver
    performs above average (a report then says that none lags). Importance is
    ``share`` (key drivers) or ``importance`` (a PLS map).

    Parameters
    ----------
    table : DataFrame
        An importance-performance table (:func:`importance_performance` or :func:`ipma`).

    Returns
    -------
    str or None
        The driver's name; None when no driver has above-average importance.

    See Also
    --------
    short_stave : The same driver only when it also performs below average.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"driver": ["a", "b", "c"], "share": [0.5, 0.4, 0.1],
    ...                       "performance": [80.0, 70.0, 20.0]})
    >>> weakest_important(table)
    'b'
    """
    name_column = "driver" if "driver" in table.columns else "construct"
    importance = table["share"] if "share" in table.columns else table["importance"]
    important = table[importance >= importance.mean()]
    if important.empty:
        return None
    return str(important.loc[important["performance"].idxmin(), name_column])


def short_stave(table: pd.DataFrame) -> str | None:
    """The driver flagged ``weakest_high_importance`` (``None`` when there is none).

    Only a driver of above-average importance that performs below average is a
    short stave (Martilla and James 1977: "concentrate here"); when every important
    driver performs above average nothing lags and there is none.

    Parameters
    ----------
    table : DataFrame
        An importance-performance table (:func:`importance_performance` or :func:`ipma`).

    Returns
    -------
    str or None
        The flagged driver's name, or None.

    See Also
    --------
    weakest_important : The weakest important driver, lagging or not.

    Examples
    --------
    >>> import pandas as pd
    >>> short_stave(pd.DataFrame({"driver": ["a", "b"], "weakest_high_importance": [False, True]}))
    'b'
    """
    name_column = "driver" if "driver" in table.columns else "construct"
    flagged = table.loc[table["weakest_high_importance"], name_column]
    return None if flagged.empty else str(flagged.iloc[0])


def ipma(pls_result, target: str, scale=(1, 10)) -> pd.DataFrame:
    """SmartPLS-style importance-performance map of a PLS model.

    Importance is the unstandardised total effect of each construct on ``target``:
    the structural regressions are re-estimated on the 0-100 construct scores
    (``pls_result.index(scale).scores``), and total effects are summed over every
    path, ``(I - B)^-1 - I``. Performance is the mean 0-100 score.

    Parameters
    ----------
    pls_result : csat_analysis.pls.PLSResult
        Needs ``paths`` (rows from, columns to; 0 where no path) and ``index(scale)``.
    target : str
        Target construct, e.g. ``"Satisfaction"``.
    scale : (low, high) or dict item -> (low, high)
        Item scale, for the 0-100 rescaling (one per item when they differ).

    Returns
    -------
    DataFrame
        One row per construct with a total effect on the target: ``construct``,
        ``importance`` (unstandardised total effect), ``standardised`` (total effect
        from the standardised paths), ``performance``, ``negative_weights`` (how many
        of the construct's items have a negative index weight; the index keeps them,
        so this column reports what ``index()`` would warn about), ``quadrant``,
        ``weakest_high_importance``.

    Examples
    --------
    >>> from csat_analysis import datasets, pls
    >>> fit = pls.estimate(datasets.load("mobi"), *pls.ecsi())
    >>> table = ipma(fit, "Satisfaction", scale=(1, 10))
    >>> table["construct"].tolist()
    ['Image', 'Expectation', 'Quality', 'Value']
    """

    paths = pls_result.paths
    constructs = list(paths.index)
    if target not in paths.columns:
        raise ModelSpecError(
            f"ipma: target={target!r} is not a construct of the model; constructs: {', '.join(map(str, paths.columns))}"
        )
    if (
        isinstance(scale, Mapping)
        and not isinstance(scale, Scale)
        and all(isinstance(bounds, (tuple, list, Scale)) for bounds in scale.values())
    ):
        # one scale per item (items on different scales are each rescaled from their own)
        bounds = {item: (own.low, own.high) if isinstance(own, Scale) else tuple(own) for item, own in scale.items()}
    else:
        scale = Scale.coerce(scale)
        bounds = (scale.low, scale.high)
    index_result = pls_result.index(scale=bounds)
    scores = index_result.scores[constructs]
    index_weights = getattr(index_result, "weights", None)
    negative = (index_weights < 0).sum() if index_weights is not None else pd.Series(0, index=constructs)
    structure = paths.reindex(index=constructs, columns=constructs).fillna(0).to_numpy() != 0
    unstandardised = np.zeros(structure.shape)
    values = scores.to_numpy(dtype=float)
    for j in np.flatnonzero(structure.any(axis=0)):
        predictors = np.flatnonzero(structure[:, j])
        design = np.column_stack([np.ones(len(values)), values[:, predictors]])
        coefficients = np.linalg.lstsq(design, values[:, j], rcond=None)[0]
        unstandardised[predictors, j] = coefficients[1:]
    identity = np.eye(len(constructs))
    total = np.linalg.inv(identity - unstandardised) - identity
    standardised_paths = paths.reindex(index=constructs, columns=constructs).fillna(0).to_numpy()
    total_standardised = np.linalg.inv(identity - standardised_paths) - identity
    t = constructs.index(target)
    sources = [i for i in range(len(constructs)) if i != t and abs(total_standardised[i, t]) > 0]
    table = pd.DataFrame(
        {
            "construct": [constructs[i] for i in sources],
            "importance": total[sources, t],
            "standardised": total_standardised[sources, t],
            "performance": scores.mean().to_numpy()[sources],
            "negative_weights": negative.reindex(constructs).fillna(0).astype(int).to_numpy()[sources],
        }
    )
    table["quadrant"], table["weakest_high_importance"] = _quadrants(table["importance"], table["performance"])
    return table


@dataclass(frozen=True)
class KeyDrivers:
    """Key drivers of a target (:func:`key_drivers`).

    Attributes
    ----------
    table : DataFrame
        :func:`importance_performance`.
    r2 : float
        The full regression's R².
    n : int
        Complete rows used.
    method : str
        ``"shapley"`` or ``"relative_weights"``.
    weighted : bool
        Whether survey weights were used.
    """

    table: pd.DataFrame
    r2: float
    n: int = 0
    method: str = "shapley"
    weighted: bool = False

    @property
    def short_stave(self) -> str | None:
        """The high-importance driver that performs worst (``None`` when there is none)."""
        return short_stave(self.table)

    @property
    def short_stave_quadrant(self) -> str | None:
        """The quadrant of the short stave (``None`` without one)."""
        stave = self.short_stave
        return None if stave is None else str(self.table.set_index("driver").loc[stave, "quadrant"])

    @property
    def shares(self) -> pd.Series:
        """Each driver's share of R², indexed by driver."""
        return self.table.set_index("driver")["share"]

    def summary(self) -> pd.DataFrame:
        """The model as one tidy row: ``method``, ``n``, ``r2``, the top driver and the short stave.

        Returns
        -------
        DataFrame
            One row: ``method``, ``n``, ``r2``, ``top_driver``, ``short_stave``,
            ``short_stave_quadrant``.
        """
        top = self.table.loc[self.table["share"].idxmax(), "driver"]
        return pd.DataFrame(
            [
                {
                    "method": self.method,
                    "n": self.n,
                    "r2": self.r2,
                    "top_driver": top,
                    "short_stave": self.short_stave,
                    "short_stave_quadrant": self.short_stave_quadrant,
                }
            ]
        )


def key_drivers(
    data: pd.DataFrame,
    target: str | Sequence[str],
    drivers: Sequence[str] | Mapping[str, Sequence[str]],
    scale,
    *,
    method: str = "shapley",
    weights=None,
) -> KeyDrivers:
    """Importance-performance matrix plus the model's R² (see :func:`importance_performance`).

    Parameters
    ----------
    data : DataFrame
        One row per respondent.
    target : str or list of str
        Target item(s) (several items are averaged).
    drivers : list of str or dict name -> items
        Driver items, or constructs each scored as the mean of its items.
    scale : Scale or (low, high)
        The drivers' answer scale, to rescale performance to 0-100.
    method : {"shapley", "relative_weights"}
        How R² is split (see :func:`relative_importance`).
    weights : str or array-like, optional
        Survey weights, a column name or one value per row.

    Returns
    -------
    KeyDrivers
        The importance-performance table, R², the rows used and the method.

    Examples
    --------
    >>> import pandas as pd
    >>> survey = pd.DataFrame({"a": [1, 2, 3, 4, 5, 2], "b": [5, 3, 4, 4, 2, 1]})
    >>> survey["y"] = 2 * survey["a"] + survey["b"]
    >>> result = key_drivers(survey, "y", ["a", "b"], (1, 5))
    >>> result.short_stave, round(result.r2, 6), result.n
    ('a', 1.0, 6)
    """
    table = importance_performance(data, target, drivers, scale, method=method, weights=weights)
    full = relative_importance(data, target, drivers, method=method, weights=weights)
    return KeyDrivers(table, float(full["r2"].iloc[0]), int(full["n"].iloc[0]), method, weights is not None)
