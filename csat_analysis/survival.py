"""Kaplan-Meier curves, median and restricted mean survival, log-rank tests, Cox models.

Generic time-to-event estimates on a DataFrame with a time column and an event flag
(true: the event happened at that time; false: right-censored there). They back the
churn study (tenure until a customer leaves) and the complaints study (hours until a
complaint is resolved). Estimation is statsmodels' ``SurvfuncRight``, ``survdiff`` and
``PHReg``; :func:`cox` adds Harrell's concordance and the Grambsch-Therneau (1994)
proportional-hazards test as R ``survival::cox.zph`` computes it. Chi-square p-values
are upper tails from survival functions (``chi2.sf``), exact down to about 1e-300.

Examples
--------
>>> import pandas as pd
>>> frame = pd.DataFrame({"t": [1, 2, 2, 3, 4, 5], "event": [1, 1, 0, 1, 0, 1]})
>>> float(median_survival(frame, "t", "event")["median"].iloc[0])
3.0
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from ._validation import check_choice, check_columns, check_complete, critical_z, describe_offenders, read_flags
from .errors import ConvergenceWarning, ModelSpecError, SurveyDataError

__all__ = ["CoxResult", "cox", "kaplan_meier", "logrank", "median_survival", "restricted_mean"]


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
    """Pointwise log(-log) interval; missing (NaN) where it is undefined (S = 0 or 1, or se = 0), as R."""
    defined = _loglog_defined(survival, se)
    s = np.where(defined, survival, 0.5)  # placeholder away from 0 and 1; those entries are replaced below
    se_loglog = np.where(defined, se, 0.0) / (s * np.abs(np.log(s)))
    low = np.where(defined, s ** np.exp(z * se_loglog), np.nan)
    high = np.where(defined, s ** np.exp(-z * se_loglog), np.nan)
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
            result[column] = pd.Categorical(
                result[column], categories=data[column].cat.categories, ordered=data[column].cat.ordered
            )
    return result


def kaplan_meier(
    data: pd.DataFrame, time: str, event: str, by: str | Sequence[str] | None = None, ci: float = 0.95
) -> pd.DataFrame:
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
        undefined (survival 1 before the first event, survival 0, or a zero standard
        error) ``low`` and ``high`` are missing, as R reports them: a curve that
        stays at 1 has no estimable uncertainty from the log-log transform, not zero
        uncertainty (and no log(0) is ever taken).

    See Also
    --------
    median_survival : Median lifetime per group.
    logrank : Test that the curves are equal.
    cox : Hazard ratios of covariates.

    References
    ----------
    Kaplan, E. L., & Meier, P. (1958). Nonparametric estimation from incomplete
    observations. *Journal of the American Statistical Association*, 53(282), 457-481.

    Greenwood, M. (1926). *The Natural Duration of Cancer*. Reports on Public Health and
    Medical Subjects, No. 33. London: His Majesty's Stationery Office.

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
        table = pd.DataFrame(
            {
                "time": np.r_[0.0, fit.surv_times],
                "at_risk": np.r_[len(rows), fit.n_risk].astype(int),
                "events": np.r_[0, fit.n_events].astype(int),
                "survival": np.r_[1.0, survival],
                "se": np.r_[0.0, se],
                "low": np.r_[np.nan, low],
                "high": np.r_[np.nan, high],
            }
        )
        for column, value in reversed(list(key.items())):
            table.insert(0, column, value)
        tables.append(table)
    return _restore_categories(pd.concat(tables, ignore_index=True), data, by)


def median_survival(
    data: pd.DataFrame, time: str, event: str, by: str | Sequence[str] | None = None, ci: float = 0.95
) -> pd.DataFrame:
    """Median survival time per group from the Kaplan-Meier curve, with its interval.

    The median is the first time the curve reaches 0.5 or less; when it never does
    ``median`` is missing and ``reached`` is False. The interval is statsmodels'
    (Brookmeyer-Crowley, cloglog); a bound that cannot be estimated is missing.

    Parameters
    ----------
    data : DataFrame
        One row per subject.
    time : str
        Non-negative times (no missing values).
    event : str
        True/False or 0/1: the event happened (false: censored at ``time``).
    by : str or list of str, optional
        One median per group (rows with a missing key are left out).
    ci : float
        Confidence level of the interval.

    Returns
    -------
    DataFrame
        ``[*by, "n", "events", "median", "low", "high", "reached"]``.

    References
    ----------
    Brookmeyer, R., & Crowley, J. (1982). A confidence interval for the median survival
    time. *Biometrics*, 38(1), 29-41.

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
        rows_out.append(
            {
                **key,
                "n": len(rows),
                "events": int(status[rows].sum()),
                "median": median,
                "low": low,
                "high": high,
                "reached": bool(np.isfinite(median)),
            }
        )
    return pd.DataFrame(rows_out, columns=[*by, "n", "events", "median", "low", "high", "reached"])


def _area(times: np.ndarray, survival: np.ndarray, horizon: float) -> float:
    """Area under one step curve (starting at time 0) up to ``horizon``."""
    edges = np.minimum(np.r_[times, np.inf], horizon)
    return float(np.sum(survival * np.diff(edges)))


def restricted_mean(
    data: pd.DataFrame, time: str, event: str, by: str | Sequence[str] | None = None, horizon: float | None = None
) -> pd.DataFrame:
    """Restricted mean survival time: the area under the Kaplan-Meier curve up to ``horizon``.

    Parameters
    ----------
    data : DataFrame
        One row per subject.
    time : str
        Non-negative times (no missing values).
    event : str
        True/False or 0/1: the event happened (false: censored at ``time``).
    by : str or list of str, optional
        One restricted mean per group (rows with a missing key are left out).
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
        rows_out.append(
            {
                **key,
                "n": len(rows),
                "horizon": float(horizon),
                "rmst": _area(curve["time"].to_numpy(float), curve["survival"].to_numpy(float), horizon),
            }
        )
    return pd.DataFrame(rows_out, columns=[*by, "n", "horizon", "rmst"])


def logrank(data: pd.DataFrame, time: str, event: str, by: str) -> pd.DataFrame:
    """Log-rank test that the survival curves of ``by``'s levels are equal.

    statsmodels ``survdiff``: chi-square with (levels - 1) degrees of freedom; the
    p-value is the chi-square upper tail (``chi2.sf``), so tiny p-values stay
    positive instead of rounding to 0.

    Parameters
    ----------
    data : DataFrame
        One row per subject.
    time : str
        Non-negative times (no missing values).
    event : str
        True/False or 0/1: the event happened (false: censored at ``time``).
    by : str
        Column whose levels are compared.

    Returns
    -------
    DataFrame
        One row: ``by`` (the column name), ``groups``, ``statistic`` (chi-square),
        ``dof``, ``p_value``.

    References
    ----------
    Mantel, N. (1966). Evaluation of survival data and two new rank order statistics
    arising in its consideration. *Cancer Chemotherapy Reports*, 50(3), 163-170.

    Examples
    --------
    >>> frame = pd.DataFrame({"t": [1, 2, 3, 4, 5, 6], "event": [1, 1, 1, 0, 0, 1], "g": list("aaabbb")})
    >>> logrank(frame, "t", "event", "g")[["by", "groups", "dof"]].values.tolist()
    [['g', 2, 1]]
    """
    from statsmodels.duration.survfunc import survdiff

    (column,) = check_columns(data, by, parameter="by")
    times, status = _inputs(data, time, event)
    codes, levels = pd.factorize(data[column], sort=True)
    if len(levels) < 2:
        raise SurveyDataError(f"logrank: column {column!r} has fewer than two levels")
    present = codes >= 0
    statistic, _ = survdiff(times[present], status[present], codes[present])
    dof = len(levels) - 1
    return pd.DataFrame(
        [
            {
                "by": column,
                "groups": len(levels),
                "statistic": float(statistic),
                "dof": dof,
                "p_value": float(stats.chi2.sf(statistic, dof)),
            }
        ]
    )


# --------------------------------------------------------------------------- Cox model

TIES = ("efron", "breslow")


def _design_matrix(data: pd.DataFrame, covariates: list[str]) -> tuple[np.ndarray, list[str], dict[str, list[int]]]:
    """Numeric covariates as they are, others as treatment dummies (first level = reference, as R)."""
    blocks, names, terms = [], [], {}
    for column in covariates:
        series = data[column]
        check_complete(series, f"covariate {column!r}", "drop or impute those rows first")
        if pd.api.types.is_bool_dtype(series) or pd.api.types.is_numeric_dtype(series):
            values = series.to_numpy(dtype=float)[:, None]
            labels = [column]
        else:
            categorical = series if isinstance(series.dtype, pd.CategoricalDtype) else pd.Categorical(series)
            categories = [c for c in pd.Categorical(categorical).categories if (categorical == c).any()]
            if len(categories) < 2:
                raise SurveyDataError(
                    f"cox: covariate {column!r} has a single level {categories}; it cannot enter the model"
                )
            values = np.column_stack([(series == level).to_numpy(dtype=float) for level in categories[1:]])
            labels = [f"{column}: {level}" for level in categories[1:]]
        terms[column] = list(range(len(names), len(names) + len(labels)))
        blocks.append(values)
        names.extend(labels)
    return np.column_stack(blocks), names, terms


def _event_sets(times: np.ndarray, status: np.ndarray, x: np.ndarray, eta: np.ndarray, ties: str):
    """Per event (Efron-expanded): risk-set weighted means and covariances of ``x``.

    Returns ``(event_rows, means (D, p), covariances (D, p, p), event_time_index)``
    where row ``k`` of the outputs is the ``k``-th death in time order and its
    risk set is reduced by the Efron fraction of its tied deaths.
    """
    risk = np.exp(eta - eta.max())
    order = np.argsort(-times, kind="stable")
    # cumulative sums from the longest time down give risk-set sums at each time
    cum0 = np.cumsum(risk[order])
    cum1 = np.cumsum(risk[order, None] * x[order], axis=0)
    cum2 = np.cumsum(risk[order, None, None] * x[order, :, None] * x[order, None, :], axis=0)
    event_rows = np.flatnonzero(status)
    event_rows = event_rows[np.argsort(times[event_rows], kind="stable")]
    unique_times, first, tie_size = np.unique(times[event_rows], return_index=True, return_counts=True)
    # number of rows with time >= t: position in the descending order
    at_risk = len(times) - np.searchsorted(np.sort(times), unique_times, side="left")
    s0, s1, s2 = cum0[at_risk - 1], cum1[at_risk - 1], cum2[at_risk - 1]
    group = np.repeat(np.arange(len(unique_times)), tie_size)
    d0 = np.bincount(group, weights=risk[event_rows], minlength=len(unique_times))
    d1 = np.zeros_like(s1)
    np.add.at(d1, group, risk[event_rows, None] * x[event_rows])
    d2 = np.zeros_like(s2)
    np.add.at(d2, group, risk[event_rows, None, None] * x[event_rows, :, None] * x[event_rows, None, :])
    fraction = (
        (np.arange(len(event_rows)) - first[group]) / tie_size[group] if ties == "efron" else np.zeros(len(event_rows))
    )
    denominator = s0[group] - fraction * d0[group]
    means = (s1[group] - fraction[:, None] * d1[group]) / denominator[:, None]
    second = (s2[group] - fraction[:, None, None] * d2[group]) / denominator[:, None, None]
    covariances = second - means[:, :, None] * means[:, None, :]
    return event_rows, means, covariances, group


def _concordance(
    times: np.ndarray, status: np.ndarray, eta: np.ndarray, chunk: int = 256
) -> tuple[float, int, int, int]:
    """Harrell's C as R ``concordance``: (concordant + tied/2) / (concordant + discordant + tied).

    A pair is comparable when the shorter time is an event (a censored time equal
    to an event time counts as longer); pairs with tied event times are left out.
    """
    events = np.flatnonzero(status)
    concordant = discordant = tied = 0
    for start in range(0, len(events), chunk):
        rows = events[start : start + chunk]
        t_i, e_i = times[rows, None], eta[rows, None]
        comparable = (times[None, :] > t_i) | ((times[None, :] == t_i) & ~status[None, :])
        concordant += int(np.sum(comparable & (e_i > eta[None, :])))
        discordant += int(np.sum(comparable & (e_i < eta[None, :])))
        tied += int(np.sum(comparable & (e_i == eta[None, :])))
    total = concordant + discordant + tied
    return (concordant + tied / 2) / total if total else np.nan, concordant, discordant, tied


def _km_transform(times: np.ndarray, status: np.ndarray) -> np.ndarray:
    """1 - S(t-) for every row, the Kaplan-Meier time scale of R ``cox.zph``."""
    event_times, deaths = np.unique(times[status], return_counts=True)
    at_risk = len(times) - np.searchsorted(np.sort(times), event_times, side="left")
    survival = np.cumprod(1 - deaths / at_risk)
    before = np.searchsorted(event_times, times, side="left")  # event times strictly below t
    return 1 - np.r_[1.0, survival][before]


def _ph_test(times, status, x, eta, ties, terms: dict[str, list[int]]) -> pd.DataFrame:
    """Grambsch-Therneau score test of ``x * g(t)`` terms, g the KM transform (R ``cox.zph``)."""
    transformed = _km_transform(times, status)
    g = transformed - transformed[status].mean()
    event_rows, means, covariances, _ = _event_sets(times, status, x, eta, ties)
    g_event = g[event_rows]
    p = x.shape[1]
    score = np.sum(g_event[:, None] * (x[event_rows] - means), axis=0)
    info = np.zeros((2 * p, 2 * p))
    info[:p, :p] = covariances.sum(axis=0)
    info[:p, p:] = info[p:, :p] = np.einsum("k,kab->ab", g_event, covariances)
    info[p:, p:] = np.einsum("k,kab->ab", g_event**2, covariances)
    rows = []
    for term, columns in [*terms.items(), ("GLOBAL", list(range(p)))]:
        keep = np.r_[np.arange(p), p + np.asarray(columns)]
        u = np.r_[np.zeros(p), score[columns]]
        statistic = float(u @ np.linalg.solve(info[np.ix_(keep, keep)], u))
        rows.append(
            {
                "term": term,
                "statistic": statistic,
                "dof": len(columns),
                "p_value": float(stats.chi2.sf(statistic, len(columns))),
            }
        )
    return pd.DataFrame(rows)


def format_p(p: float) -> str:
    """``"< 0.001"`` for small p-values, else ``"= 0.xyz"``-style three decimals (without "=")."""
    return "< 0.001" if p < 0.001 else f"= {p:.3f}"


def _printable(table: pd.DataFrame) -> pd.DataFrame:
    shown = table.round(4)
    shown["p_value"] = [format_p(p).removeprefix("= ") for p in table["p_value"]]
    return shown


@dataclass
class CoxResult:
    """A fitted Cox proportional-hazards model (:func:`cox`).

    Attributes
    ----------
    table : DataFrame
        Per model column: ``term``, ``coef`` (log hazard ratio), ``hazard_ratio``,
        ``se``, ``low``/``high`` (interval of the hazard ratio), ``statistic`` (Wald z),
        ``p_value``.
    concordance : float
        Harrell's C of the linear predictor (0.5 = no discrimination).
    ph_test : DataFrame
        Proportional-hazards test per covariate and ``GLOBAL``: ``term``,
        ``statistic``, ``dof``, ``p_value`` (small p: the hazard ratio changes over time).
    n, events : int
        Subjects and events used.
    loglik : float
        Log partial likelihood at the estimate.
    ties : str
        Tie handling (``"efron"`` or ``"breslow"``).
    counts : dict
        Pair counts behind the concordance: ``concordant``, ``discordant``, ``tied_x``.

    References
    ----------
    Cox, D. R. (1972). Regression models and life-tables. *Journal of the Royal
    Statistical Society: Series B*, 34(2), 187-220.
    """

    table: pd.DataFrame
    concordance: float
    ph_test: pd.DataFrame
    n: int
    events: int
    loglik: float
    ties: str
    counts: dict = field(default_factory=dict, repr=False)

    def summary(self) -> str:
        """Printable report: hazard ratios, concordance and the proportional-hazards check.

        p-values below 0.001 print as "< 0.001" (the tables keep the exact values).

        Returns
        -------
        str
            The report text.
        """
        global_row = self.ph_test.iloc[-1]
        return "\n".join(
            [
                f"Cox proportional-hazards model (n={self.n}, events={self.events}, ties={self.ties}, "
                f"log-likelihood={self.loglik:.3f})",
                _printable(self.table).to_string(index=False),
                "",
                f"Concordance (Harrell's C): {self.concordance:.4f}",
                "",
                "Proportional-hazards check (Grambsch-Therneau, KM time scale)",
                _printable(self.ph_test).to_string(index=False),
                f"Global: {'hazards look proportional' if global_row['p_value'] >= 0.05 else 'evidence of non-proportional hazards'} "
                f"(p {format_p(global_row['p_value'])})",
            ]
        )

    def __str__(self) -> str:
        return self.summary()


def cox(
    data: pd.DataFrame, time: str, event: str, covariates: str | Sequence[str], *, ties: str = "efron", ci: float = 0.95
) -> CoxResult:
    """Cox proportional-hazards model with hazard ratios, concordance and a PH check.

    Estimation is statsmodels ``PHReg``; Efron's tie handling (the default) is R
    ``survival::coxph``'s default too, so the coefficients, standard errors,
    concordance and ``cox.zph`` tests agree with R.

    Parameters
    ----------
    data : DataFrame
    time, event : str
        As in :func:`kaplan_meier`.
    covariates : str or list of str
        Numeric columns enter as they are; text or categorical columns as treatment
        dummies against their first level (named ``"column: level"``). No missing values.
    ties : {"efron", "breslow"}
    ci : float

    Returns
    -------
    CoxResult
        Hazard ratios with intervals, concordance, the proportional-hazards check and ``.summary()``.

    References
    ----------
    Cox, D. R. (1972). Regression models and life-tables. *Journal of the Royal
    Statistical Society, Series B*, 34(2), 187-220.

    Examples
    --------
    >>> frame = pd.DataFrame({"t": [1, 2, 3, 4, 5, 6, 7, 8], "event": [1, 1, 0, 1, 1, 0, 1, 0],
    ...                       "plan": list("aabababb")})
    >>> fit = cox(frame, "t", "event", "plan")
    >>> fit.table["term"].tolist(), 0 <= fit.concordance <= 1
    (['plan: b'], True)
    """
    from statsmodels.duration.hazard_regression import PHReg

    check_choice("ties", ties, TIES, error=ModelSpecError)
    z = critical_z(ci)
    covariates = check_columns(data, covariates, parameter="covariates")
    if not covariates:
        raise ModelSpecError("cox: give at least one covariate")
    times, status = _inputs(data, time, event)
    status = status.astype(bool)
    if not status.any():
        raise SurveyDataError(f"cox: column {event!r} has no events; a hazard model needs some")
    x, names, terms = _design_matrix(data, covariates)
    rank = np.linalg.matrix_rank(x - x.mean(axis=0))
    if rank < x.shape[1]:
        raise ModelSpecError(f"cox: the covariates {names} are collinear (rank {rank} of {x.shape[1]})")
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fit = PHReg(times, x, status=status.astype(float), ties=ties).fit(gtol=1e-10)
    if any("converge" in str(w.message).lower() for w in caught):
        warnings.warn(
            "cox: the partial-likelihood fit did not converge; check for covariates that separate events perfectly",
            ConvergenceWarning,
            stacklevel=2,
        )
    coef = np.asarray(fit.params, dtype=float)
    se = np.asarray(fit.bse, dtype=float)
    statistic = coef / se
    table = pd.DataFrame(
        {
            "term": names,
            "coef": coef,
            "hazard_ratio": np.exp(coef),
            "se": se,
            "low": np.exp(coef - z * se),
            "high": np.exp(coef + z * se),
            "statistic": statistic,
            "p_value": 2 * stats.norm.sf(np.abs(statistic)),
        }
    )
    eta = x @ coef
    concordance, concordant, discordant, tied = _concordance(times, status, eta)
    ph_test = _ph_test(times, status, x - x.mean(axis=0), eta - eta.mean(), ties, terms)
    return CoxResult(
        table=table,
        concordance=float(concordance),
        ph_test=ph_test,
        n=len(times),
        events=int(status.sum()),
        loglik=float(fit.llf),
        ties=ties,
        counts={"concordant": concordant, "discordant": discordant, "tied_x": tied},
    )
