"""Logistic regression reported as odds ratios (statsmodels formula API).

:func:`logistic` fits ``outcome ~ covariates`` on a DataFrame with any column names
(quoted with ``Q("...")``), numeric covariates entering linearly and the rest as
treatment dummies. :func:`fit_logit` fits a ready formula and turns estimation
failures (perfect separation, a singular design, no convergence) into
:class:`~csat_analysis.errors.ModelSpecError`; :func:`odds_ratio_table` makes the tidy
table of any fitted logit.

Examples
--------
>>> import pandas as pd
>>> frame = pd.DataFrame({"left": [1] * 3 + [0] * 7 + [1] * 6 + [0] * 4, "plan": ["a"] * 10 + ["b"] * 10})
>>> result = logistic(frame, "left", ["plan"])
>>> result.odds_ratios[["term", "odds_ratio"]].round(4)  # (6/4) / (3/7)
      term  odds_ratio
0  plan: b         3.5
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ._validation import check_columns, check_complete, critical_z, read_flags
from .errors import ModelSpecError

__all__ = ["LogisticResult", "fit_logit", "logistic", "odds_ratio_table"]

# a term as patsy names it: Q("x"), C(Q("x"))[T.level] or C(Q("x"), Treatment(...))[T.level]
_TERM = re.compile(r'^(?:C\()?Q\("(?P<name>[^"]+)"\)(?:, Treatment\(.*\))?\)?(?:\[T\.(?P<level>.*)\])?$')


def fit_logit(formula: str, data: pd.DataFrame):
    """Fit ``smf.logit(formula, data)``; failures to estimate are a :class:`ModelSpecError`.

    Perfect separation, a singular design, no convergence or infinite standard errors
    all raise, with the formula in the message.

    Parameters
    ----------
    formula : str
        A statsmodels (patsy) formula, ``"outcome ~ x1 + x2"``.
    data : DataFrame
        The data the formula's columns come from.

    Returns
    -------
    statsmodels.discrete.discrete_model.BinaryResultsWrapper
        The fitted logit.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"y": [0, 1, 0, 1, 1, 0], "x": [1, 2, 3, 4, 5, 2]})
    >>> fit_logit("y ~ x", frame).params.index.tolist()
    ['Intercept', 'x']
    """
    import statsmodels.formula.api as smf

    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fit = smf.logit(formula, data=data).fit(disp=False)
    except (np.linalg.LinAlgError, ValueError) as error:
        raise ModelSpecError(f"the logistic model {formula!r} cannot be estimated: {error}") from error
    separation = [
        w for w in caught if "separation" in type(w.message).__name__.lower() or "separation" in str(w.message).lower()
    ]
    if separation or not fit.mle_retvals.get("converged", True) or not np.isfinite(fit.bse).all():
        reason = f" ({separation[0].message})" if separation else ""
        raise ModelSpecError(
            f"the logistic model {formula!r} did not converge{reason}; "
            "a covariate level where everyone (or no one) has the outcome usually causes this: merge or drop it"
        )
    return fit


def odds_ratio_table(fit, ci: float = 0.95) -> pd.DataFrame:
    """Tidy odds ratios of a fitted logit, without the intercept.

    Parameters
    ----------
    fit : statsmodels LogitResults
        A fitted logit, for example from :func:`fit_logit`.
    ci : float
        Confidence level of the Wald intervals.

    Returns
    -------
    DataFrame
        ``term``, ``coef``, ``se``, ``odds_ratio``, ``low``, ``high`` (Wald interval
        ``exp(coef +/- z se)``), ``p_value``.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"y": [1, 0, 0, 0, 1, 1, 1, 0], "x": [0, 0, 0, 0, 1, 1, 1, 1]})
    >>> round(float(odds_ratio_table(fit_logit("y ~ x", frame))["odds_ratio"].iloc[0]), 4)  # (3/1) / (1/3)
    9.0
    """
    z = critical_z(ci)
    coef, se = fit.params.to_numpy(dtype=float), fit.bse.to_numpy(dtype=float)
    table = pd.DataFrame(
        {
            "term": fit.params.index,
            "coef": coef,
            "se": se,
            "odds_ratio": np.exp(coef),
            "low": np.exp(coef - z * se),
            "high": np.exp(coef + z * se),
            "p_value": fit.pvalues.to_numpy(dtype=float),
        }
    )
    return table[table["term"] != "Intercept"].reset_index(drop=True)


@dataclass
class LogisticResult:
    """A logistic regression: the statsmodels fit plus its tidy odds-ratio table.

    Attributes
    ----------
    fit : statsmodels ``LogitResults``
    odds_ratios : DataFrame
        ``term`` (``"x"`` or ``"x: level"``), ``variable``, ``level``, ``coef``, ``se``,
        ``odds_ratio``, ``low``, ``high``, ``p_value``; without the intercept.
    formula : str
    n : int
    pseudo_r2 : float
        McFadden's pseudo R-squared.
    """

    fit: object = field(repr=False)
    odds_ratios: pd.DataFrame
    formula: str
    n: int
    pseudo_r2: float

    def summary(self):
        """The statsmodels summary of the fit.

        Returns
        -------
        statsmodels.iolib.summary.Summary
            Printable summary tables.
        """
        return self.fit.summary()


def _term(column: str, values: pd.Series, reference: Mapping[str, object]) -> str:
    if column in reference:
        return f'C(Q("{column}"), Treatment({reference[column]!r}))'
    numeric = pd.api.types.is_numeric_dtype(values) and values.dtype != bool
    return f'Q("{column}")' if numeric else f'C(Q("{column}"))'


def logistic(
    data: pd.DataFrame,
    outcome: str,
    covariates: Sequence[str],
    *,
    reference: Mapping[str, object] | None = None,
    ci: float = 0.95,
) -> LogisticResult:
    """Logistic regression of a True/False (0/1) ``outcome`` on ``covariates``, as odds ratios.

    Numeric covariates enter linearly; booleans, text and categoricals as dummies
    against their first level, or against ``reference[column]``. Column names are
    quoted with ``Q("...")``, so any name without a double quote works.

    Parameters
    ----------
    data : DataFrame
        One row per observation.
    outcome : str
        True/False (or 0/1) column to model.
    covariates : sequence of str
        Columns on the right-hand side.
    reference : dict, optional
        ``{column: level}``: the reference level of a categorical covariate (default
        its first level).
    ci : float
        Confidence level of the odds-ratio intervals.

    Returns
    -------
    LogisticResult
        Odds ratios (``table``), fit statistics and the statsmodels fit.

    Raises
    ------
    SurveyDataError
        Missing values in the outcome or a covariate (named with their rows).
    ModelSpecError
        No covariate, or the model cannot be estimated (perfect separation, singular design).

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"y": [1, 0, 0, 0, 1, 1, 1, 0], "plan": list("aaaabbbb")})
    >>> result = logistic(frame, "y", ["plan"], reference={"plan": "b"})
    >>> result.odds_ratios[["term", "odds_ratio"]].round(4)  # (1/3) / (3/1)
          term  odds_ratio
    0  plan: a      0.1111
    """
    critical_z(ci)
    reference = dict(reference or {})
    covariates = check_columns(data, list(covariates), parameter="covariates")
    if not covariates:
        raise ModelSpecError("logistic: give at least one covariate")
    unknown = [c for c in reference if c not in covariates]
    if unknown:
        raise ModelSpecError(f"logistic: reference for {', '.join(map(repr, unknown))}, which is not a covariate")
    for column in [outcome, *covariates]:
        if '"' in str(column):
            raise ModelSpecError(f"logistic: column name {column!r} contains a double quote; rename it")
    frame = data[covariates].copy()
    frame[outcome] = read_flags(data, outcome, parameter="outcome", missing="raise")
    for column in covariates:
        check_complete(frame[column], f"logistic: covariate {column!r}", "drop or impute them first")
    formula = f'Q("{outcome}") ~ ' + " + ".join(_term(c, frame[c], reference) for c in covariates)
    fit = fit_logit(formula, frame)
    table = odds_ratio_table(fit, ci)
    variables, levels = [], []
    for term in table["term"]:
        match = _TERM.match(term)
        variables.append(match["name"] if match else term)
        levels.append(match["level"] if match and match["level"] is not None else "")
    table["term"] = [f"{v}: {lv}" if lv else v for v, lv in zip(variables, levels)]
    table.insert(1, "variable", variables)
    table.insert(2, "level", levels)
    return LogisticResult(fit, table, formula, int(fit.nobs), float(fit.prsquared))
