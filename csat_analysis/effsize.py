"""Effect sizes to report beside significance tests of segment differences.

* :func:`cramers_v` for a chi-square test of independence (Cramér 1946), with the
  interval from inverting the noncentral chi-square distribution of the statistic
  (Smithson 2003; Steiger 2004), as R ``effectsize`` reports two-sided intervals.
* :func:`kruskal_epsilon` for a Kruskal-Wallis test: epsilon² = H / (n - 1)
  (Kelley 1935; Tomczak and Tomczak 2014), with a percentile bootstrap interval (no
  closed form is standard; R ``rcompanion::epsilonSquared`` bootstraps too).
* :func:`cohens_h` for two proportions: h = 2 asin(sqrt(p1)) - 2 asin(sqrt(p2))
  (Cohen 1988), with the normal interval of the arcsine transform, whose variance
  is 1/n per group.

Each returns a one-row tidy DataFrame: ``effect_size`` (name), ``value``, ``low``,
``high``, the test's ``statistic``, ``dof``, ``p_value`` and ``n``. p-values are
upper tails from survival functions, so they stay exact down to about 1e-300.

Examples
--------
>>> import pandas as pd
>>> frame = pd.DataFrame({"segment": list("aaaabbbb"), "loyal": [1, 1, 1, 0, 0, 0, 1, 0]})
>>> round(float(cohens_h(frame, "loyal", "segment")["value"].iloc[0]), 4)
1.0472
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import optimize, stats

from ._validation import check_columns, critical_z, describe_offenders
from .errors import ParameterError, SurveyDataError

__all__ = ["cohens_h", "cramers_v", "cramers_v_table", "kruskal_epsilon"]

COLUMNS = ["effect_size", "value", "low", "high", "statistic", "dof", "p_value", "n"]


def _ncp_bound(statistic: float, dof: int, probability: float) -> float:
    """Noncentrality ``lam`` with ``P(X <= statistic | lam) = probability``; 0 if even lam = 0 is below it."""
    cdf = lambda lam: stats.ncx2.cdf(statistic, dof, lam) if lam > 0 else stats.chi2.cdf(statistic, dof)  # noqa: E731
    if cdf(0.0) < probability:
        return 0.0
    upper = max(10.0, 2 * statistic)
    while cdf(upper) > probability:
        upper *= 2
    return float(optimize.brentq(lambda lam: cdf(lam) - probability, 0.0, upper, xtol=1e-12, rtol=1e-12))


def cramers_v_table(table, ci: float = 0.95) -> pd.DataFrame:
    """Cramér's V of a contingency table (counts), with the chi-square test beside it.

    ``V = sqrt(X² / (n (k - 1)))`` with ``k`` the smaller table dimension and ``X²``
    Pearson's statistic without continuity correction. The interval maps the
    noncentrality bounds ``lam`` (from ``P(X² <= observed | lam) = 1 - a/2, a/2``)
    the same way, ``sqrt(lam / (n (k - 1)))``, capped at 1. For large effects the
    noncentral approximation makes the interval conservative (wider than nominal).

    Parameters
    ----------
    table : DataFrame or array-like
        A two-way contingency table of counts.
    ci : float
        Confidence level of the interval.

    Returns
    -------
    DataFrame
        One row: ``effect_size`` ("cramers_v"), ``value``, ``low``, ``high``, ``statistic``,
        ``dof``, ``p_value``, ``n``.

    Examples
    --------
    >>> out = cramers_v_table([[30, 10], [10, 30]])
    >>> round(float(out["value"].iloc[0]), 4), float(out["statistic"].iloc[0]), int(out["dof"].iloc[0])
    (0.5, 20.0, 1)
    """
    critical_z(ci)
    counts = np.asarray(table, dtype=float)
    if counts.ndim != 2 or min(counts.shape) < 2:
        raise SurveyDataError(f"cramers_v: needs a table with at least 2 rows and 2 columns, got shape {counts.shape}")
    if (counts < 0).any() or not np.isfinite(counts).all():
        raise SurveyDataError("cramers_v: table counts must be finite and non-negative")
    counts = counts[counts.sum(axis=1) > 0][:, counts.sum(axis=0) > 0]
    if min(counts.shape) < 2:
        raise SurveyDataError("cramers_v: after dropping empty rows and columns fewer than 2 remain on one side")
    n = counts.sum()
    expected = np.outer(counts.sum(axis=1), counts.sum(axis=0)) / n
    statistic = float(np.sum((counts - expected) ** 2 / expected))
    dof = (counts.shape[0] - 1) * (counts.shape[1] - 1)
    scale = n * (min(counts.shape) - 1)
    alpha = 1 - ci
    low = np.sqrt(_ncp_bound(statistic, dof, 1 - alpha / 2) / scale)
    high = np.sqrt(_ncp_bound(statistic, dof, alpha / 2) / scale)
    return pd.DataFrame(
        [
            {
                "effect_size": "cramers_v",
                "value": float(np.sqrt(statistic / scale)),
                "low": float(min(low, 1.0)),
                "high": float(min(high, 1.0)),
                "statistic": statistic,
                "dof": int(dof),
                "p_value": float(stats.chi2.sf(statistic, dof)),
                "n": int(n),
            }
        ],
        columns=COLUMNS,
    )


def cramers_v(data: pd.DataFrame, x: str, y: str, ci: float = 0.95) -> pd.DataFrame:
    """Cramér's V between two categorical columns (rows missing either are left out).

    Parameters
    ----------
    data : DataFrame
        One row per respondent.
    x, y : str
        The two categorical columns.
    ci : float
        Confidence level of the interval.

    Returns
    -------
    DataFrame
        One row: ``effect_size`` ("cramers_v"), ``value``, ``low``, ``high``, ``statistic``,
        ``dof``, ``p_value``, ``n``.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"plan": ["a"] * 40 + ["b"] * 40, "left": [1] * 30 + [0] * 10 + [1] * 10 + [0] * 30})
    >>> round(float(cramers_v(frame, "plan", "left")["value"].iloc[0]), 4)
    0.5
    """
    check_columns(data, [x, y], parameter="cramers_v")
    usable = data[[x, y]].dropna()
    return cramers_v_table(pd.crosstab(usable[x], usable[y]).to_numpy(), ci=ci)


def _kruskal_h(ranks: np.ndarray, codes: np.ndarray, n_groups: int) -> np.ndarray:
    """Tie-corrected Kruskal-Wallis H for stacked rank rows (B, n) sharing group codes."""
    n = ranks.shape[1]
    sizes = np.bincount(codes, minlength=n_groups).astype(float)
    onehot = np.eye(n_groups)[codes]  # (n, g)
    sums = ranks @ onehot  # (B, g)
    h = 12 / (n * (n + 1)) * np.sum(sums**2 / sizes, axis=1) - 3 * (n + 1)
    # tie correction 1 - sum(t³ - t) / (n³ - n) from the rank variance: sum over ranks of (r - mean)²
    tie = np.sum((ranks - (n + 1) / 2) ** 2, axis=1) / ((n**3 - n) / 12)
    with np.errstate(all="ignore"):
        return h / tie


def kruskal_epsilon(
    data: pd.DataFrame, value: str, by: str, ci: float = 0.95, *, n_boot: int = 2000, seed: int | None = 0
) -> pd.DataFrame:
    """Kruskal-Wallis test of ``value`` across ``by`` with epsilon² = H / (n - 1).

    The interval is the percentile bootstrap of epsilon², resampling respondents
    within each group (group sizes kept); all resamples are ranked at once.

    Parameters
    ----------
    data : DataFrame
        One row per respondent.
    value : str
        Numeric (or ordinal) column compared across groups.
    by : str
        Grouping column.
    ci : float
        Confidence level of the bootstrap interval.
    n_boot : int
        Bootstrap resamples.
    seed : int, optional
        Seed of the bootstrap's random generator.

    Returns
    -------
    DataFrame
        One row: ``effect_size`` ("epsilon_squared"), ``value``, ``low``, ``high``, ``statistic``,
        ``dof``, ``p_value``, ``n``.

    References
    ----------
    Kruskal, W. H., & Wallis, W. A. (1952). Use of ranks in one-criterion variance
    analysis. *Journal of the American Statistical Association*, 47(260), 583-621.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"score": [1, 2, 3, 4, 5, 6, 7, 8, 9], "g": list("aaabbbccc")})
    >>> out = kruskal_epsilon(frame, "score", "g", n_boot=200)
    >>> round(float(out["statistic"].iloc[0]), 4), round(float(out["value"].iloc[0]), 4)
    (7.2, 0.9)
    """
    critical_z(ci)
    check_columns(data, [value, by], parameter="kruskal_epsilon")
    usable = data[[value, by]].dropna()
    numeric = pd.to_numeric(usable[value], errors="coerce")
    if numeric.isna().any():
        raise SurveyDataError(
            f"kruskal_epsilon: column {value!r} must be numeric; got {describe_offenders(usable[value], numeric.isna())}"
        )
    codes, levels = pd.factorize(usable[by], sort=True)
    if len(levels) < 2:
        raise SurveyDataError(f"kruskal_epsilon: column {by!r} needs at least two groups, got {list(levels)}")
    if int(n_boot) < 2:
        raise ParameterError(f"n_boot must be at least 2, got {n_boot}")
    x = numeric.to_numpy(dtype=float)
    n = len(x)
    if np.ptp(x) == 0:
        raise SurveyDataError(f"kruskal_epsilon: column {value!r} is constant; ranks carry no information")
    h = float(_kruskal_h(stats.rankdata(x)[None, :], codes, len(levels))[0])
    rng = np.random.default_rng(seed)
    order = np.argsort(codes, kind="stable")
    sorted_codes = codes[order]
    starts = np.r_[0, np.cumsum(np.bincount(codes))[:-1]]
    sizes = np.bincount(codes)
    draws = np.floor(rng.random((int(n_boot), n)) * sizes[sorted_codes]).astype(int) + starts[sorted_codes]
    resampled = x[order][draws]
    with np.errstate(all="ignore"):
        boot = _kruskal_h(stats.rankdata(resampled, axis=1), sorted_codes, len(levels)) / (n - 1)
    boot = boot[np.isfinite(boot)]
    low, high = np.quantile(boot, [(1 - ci) / 2, (1 + ci) / 2])
    dof = len(levels) - 1
    return pd.DataFrame(
        [
            {
                "effect_size": "epsilon_squared",
                "value": h / (n - 1),
                "low": float(low),
                "high": float(high),
                "statistic": h,
                "dof": dof,
                "p_value": float(stats.chi2.sf(h, dof)),
                "n": n,
            }
        ],
        columns=COLUMNS,
    )


def cohens_h(data: pd.DataFrame, flag: str, by: str, ci: float = 0.95) -> pd.DataFrame:
    """Cohen's h between the shares of ``flag`` in the two groups of ``by`` (first minus second).

    ``flag`` holds 0/1 or True/False; the test beside it is the two-sample z-test
    of the arcsine difference (``statistic`` = h / SE, two-sided ``p_value``).

    Parameters
    ----------
    data : DataFrame
        One row per respondent.
    flag : str
        0/1 or True/False column whose shares are compared.
    by : str
        Column with exactly two groups.
    ci : float
        Confidence level of the interval.

    Returns
    -------
    DataFrame
        One row: ``effect_size`` ("cohens_h"), ``value``, ``low``, ``high``, ``statistic``,
        ``dof``, ``p_value``, ``n``.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"g": ["x"] * 100 + ["y"] * 100, "yes": [1] * 50 + [0] * 50 + [1] * 20 + [0] * 80})
    >>> out = cohens_h(frame, "yes", "g")
    >>> round(float(out["value"].iloc[0]), 4)  # 2 asin(sqrt(.5)) - 2 asin(sqrt(.2))
    0.6435
    """
    z = critical_z(ci)
    check_columns(data, [flag, by], parameter="cohens_h")
    usable = data[[flag, by]].dropna()
    values = pd.to_numeric(usable[flag].astype(float) if usable[flag].dtype == bool else usable[flag], errors="coerce")
    bad = ~values.isin([0, 1])
    if bad.any():
        raise SurveyDataError(
            f"cohens_h: column {flag!r} must be 0/1 or True/False; got {describe_offenders(usable[flag], bad)}"
        )
    groups = sorted(usable[by].unique().tolist(), key=str)
    if len(groups) != 2:
        raise SurveyDataError(f"cohens_h: column {by!r} must have exactly two groups, got {groups}")
    shares, sizes = [], []
    for group in groups:
        part = values[usable[by] == group]
        shares.append(part.mean())
        sizes.append(len(part))
    h = float(2 * np.arcsin(np.sqrt(shares[0])) - 2 * np.arcsin(np.sqrt(shares[1])))
    se = float(np.sqrt(1 / sizes[0] + 1 / sizes[1]))
    statistic = h / se
    return pd.DataFrame(
        [
            {
                "effect_size": "cohens_h",
                "value": h,
                "low": h - z * se,
                "high": h + z * se,
                "statistic": statistic,
                "dof": np.nan,
                "p_value": float(2 * stats.norm.sf(abs(statistic))),
                "n": int(sum(sizes)),
            }
        ],
        columns=COLUMNS,
    )
