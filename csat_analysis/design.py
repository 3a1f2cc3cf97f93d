"""Design-based survey estimates with Taylor-linearised standard errors.

Weights, strata, clusters, finite population correction, raking and
post-stratification.

:class:`SurveyDesign` reproduces R's ``survey`` package (Lumley 2004, 2010): the
point estimates are weighted means and totals, and the variance is that of the
linearised estimator (its influence values) under a stratified single-stage cluster
design (with-replacement PSUs, or without replacement when ``fpc`` gives the number
of PSUs in each stratum's population). Calibration is accounted for as
``survey::rake`` and ``survey::postStratify`` do: the influence values are replaced
by their residuals from the calibration cells (for raking the same ten back-fitting
sweeps over the margins as R's ``rake``, or the exact projection of R's
``calibrate(calfun="raking")``), which removes the variance the calibration explains.
Kish-style effective sample sizes plugged into simple-random-sampling formulas (the
usual shortcut) are off by several per cent in either direction on raked data;
these are the numbers that R ``survey``, Stata ``svy`` and SPSS Complex Samples print.

:meth:`SurveyDesign.chisq` tests the independence of two categorical columns under the
design, with Rao and Scott's corrections of Pearson's X² (R ``svychisq``); it uses the
full design covariance of the cell proportions.

:meth:`SurveyDesign.ranktest` compares a score across groups with Lumley and Scott's
(2013) design-based rank tests (R ``svyranktest``; Kruskal-Wallis for several groups).

Missing values in the analysed column are handled as R's ``na.rm=TRUE``: those rows
form the complement of a domain (weight zero in the estimate, kept in the design), and
``Estimate.n_dropped`` counts them. ``by=`` estimates are domain estimates in the same
way (R's ``svyby``).

Examples
--------
>>> import pandas as pd
>>> frame = pd.DataFrame({"score": [9, 10, 6, 8, 3, 10], "region": list("NNNSSS"),
...                       "w": [1.0, 2.0, 1.0, 1.5, 1.0, 0.5]})
>>> design = SurveyDesign(frame, weights="w", rake={"region": {"N": 0.5, "S": 0.5}})
>>> round(design.mean("score").value, 4)  # (35/4 + 20/3) / 2: each region half
7.7083
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from ._validation import check_choice, check_columns, critical_z, describe_offenders
from .errors import ConvergenceWarning, ParameterError, SurveyDataError
from .metrics import Estimate

__all__ = ["RankTest", "RaoScottTest", "SurveyDesign"]

#: NPS categories on the 0-10 likelihood-to-recommend scale (Reichheld 2003)
PROMOTER_FROM, DETRACTOR_TO = 9, 6


@dataclass(frozen=True)
class _Calibration:
    """One calibration step: cell codes and the weights after it (R's ``postStrata`` entry)."""

    kind: str  # "rake" (back-fitting residuals), "calibrate" (projection) or "poststratify"
    codes: tuple[np.ndarray, ...]  # per margin, cell code of every row
    weights: tuple[np.ndarray, ...]  # per margin, weights right after adjusting it
    old_weights: np.ndarray | None = None  # poststratify and calibrate: the weights before


@dataclass(frozen=True)
class RaoScottTest:
    """A design-based test of independence of two categorical columns (see :meth:`SurveyDesign.chisq`).

    Attributes
    ----------
    test : str
        ``"Rao-Scott F"`` (second-order correction) or ``"Rao-Scott chi-square"`` (first-order).
    row, col : str
        The two columns tested.
    statistic : float
        The F statistic ``pearson / trace(Delta)``, or the first-order chi-square
        ``pearson / design_effect``.
    dof : float
        Numerator degrees of freedom of the F test, ``d0 = trace(Delta)² / trace(Delta²)``
        (not an integer); for the chi-square, ``(r - 1)(c - 1)``.
    dof_denominator : float
        Denominator degrees of freedom of the F test, ``d0`` times the design's degrees of
        freedom (PSUs minus strata); NaN for the chi-square.
    p_value : float
        Upper tail of the reference distribution.
    n : int
        Rows with both columns observed.
    n_dropped : int
        Rows missing either column (left out as a domain).
    pearson : float
        Pearson's X² of the weighted table scaled to ``n`` (no continuity correction).
    design_effect : float
        Mean generalised design effect, the mean eigenvalue of ``Delta``.
    table : DataFrame
        The weighted table scaled to ``n``: rows are the levels of ``row``, columns those of ``col``.
    """

    test: str
    row: str
    col: str
    statistic: float
    dof: float
    dof_denominator: float
    p_value: float
    n: int
    n_dropped: int
    pearson: float
    design_effect: float
    table: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        """The test as one tidy row.

        Returns
        -------
        DataFrame
            One row: ``row``, ``col``, ``test``, ``statistic``, ``dof``,
            ``dof_denominator``, ``p_value``, ``n``, ``pearson``, ``design_effect``.
        """
        fields = ("row", "col", "test", "statistic", "dof", "dof_denominator", "p_value", "n", "pearson")
        return pd.DataFrame([{**{f: getattr(self, f) for f in fields}, "design_effect": self.design_effect}])

    def summary(self) -> str:
        """Printable one-paragraph report of the test.

        Returns
        -------
        str
            The report text.
        """
        if self.test == "Rao-Scott F":
            reference = f"F({self.dof:.3f}, {self.dof_denominator:.2f}) = {self.statistic:.4f}"
        else:
            reference = f"chi-square({self.dof:.0f}) = {self.statistic:.4f}"
        return (
            f"{self.test} test of independence of {self.row!r} and {self.col!r} (n={self.n}, "
            f"{self.n_dropped} dropped): {reference}, p = {self.p_value:.4g}; "
            f"Pearson X2 of the weighted table = {self.pearson:.4f}, mean design effect = {self.design_effect:.4f}"
        )


#: rank score functions of :meth:`SurveyDesign.ranktest`, of the estimated rank ``r`` and population size ``N``
_RANK_SCORES = {
    "KruskalWallis": lambda r, N: r / N,
    "wilcoxon": lambda r, N: r / N,
    "vanderWaerden": lambda r, N: stats.norm.ppf(r / N),
    "median": lambda r, N: (r > N / 2).astype(float),
}
_RANK_TEST_NAMES = {
    "KruskalWallis": "design-based Kruskal-Wallis",
    "wilcoxon": "design-based Wilcoxon",
    "vanderWaerden": "design-based van der Waerden",
    "median": "design-based median",
}


@dataclass(frozen=True)
class RankTest:
    """A design-based rank test of a score across groups (see :meth:`SurveyDesign.ranktest`).

    Attributes
    ----------
    test : str
        ``"design-based Kruskal-Wallis"`` (or Wilcoxon, van der Waerden, median).
    column, by : str
        The score compared and the grouping column.
    statistic : float
        The F statistic ``wald / dof``; with two groups the square of R's t statistic.
    dof : float
        Numerator degrees of freedom, the number of groups minus one.
    dof_denominator : float
        Denominator degrees of freedom: the design's degrees of freedom (PSUs minus
        strata, counting those with a respondent tested) minus ``dof``.
    p_value : float
        Upper tail of the F distribution (with two groups, R's two-sided t p-value).
    n : int
        Rows with both columns observed.
    n_dropped : int
        Rows missing either column (left out).
    wald : float
        Wald chi-square of the group contrasts of the mean rank score.
    groups : int
        Number of groups.
    difference : float
        Two groups: the second group's mean rank score minus the first's (levels
        sorted), R's ``estimate``; NaN with more groups.
    mean_rank_scores : Series
        The weighted mean rank score of each group.
    """

    test: str
    column: str
    by: str
    statistic: float
    dof: float
    dof_denominator: float
    p_value: float
    n: int
    n_dropped: int
    wald: float
    groups: int
    difference: float
    mean_rank_scores: pd.Series

    def to_frame(self) -> pd.DataFrame:
        """The test as one tidy row.

        Returns
        -------
        DataFrame
            One row: ``column``, ``by``, ``test``, ``statistic``, ``dof``,
            ``dof_denominator``, ``p_value``, ``n``, ``n_dropped``, ``wald``.
        """
        fields = ("column", "by", "test", "statistic", "dof", "dof_denominator", "p_value", "n", "n_dropped", "wald")
        return pd.DataFrame([{f: getattr(self, f) for f in fields}])

    def summary(self) -> str:
        """Printable one-paragraph report of the test.

        Returns
        -------
        str
            The report text.
        """
        return (
            f"{self.test} test of {self.column!r} across {self.groups} groups of {self.by!r} "
            f"(n={self.n}, {self.n_dropped} dropped): F({self.dof:.0f}, {self.dof_denominator:.0f}) = "
            f"{self.statistic:.4f}, p = {self.p_value:.4g}; Wald chi-square = {self.wald:.4f}"
        )


def _vector(data: pd.DataFrame, value, name: str) -> np.ndarray | None:
    """A column name or a vector as a float array aligned with ``data`` (None passes through)."""
    if value is None:
        return None
    if isinstance(value, str):
        check_columns(data, value, parameter=name)
        series = data[value]
    else:
        array = np.asarray(value)
        if array.ndim != 1 or len(array) != len(data):
            raise SurveyDataError(
                f"{name}: a vector must have one value per row ({len(data)}), got shape {array.shape}"
            )
        series = pd.Series(array, index=data.index, name=name)
    return series


def _codes(series: pd.Series, name: str) -> tuple[np.ndarray, pd.Index]:
    missing = series.isna()
    if missing.any():
        raise SurveyDataError(
            f"{name} {series.name!r}: missing values {describe_offenders(series, missing)}; "
            "every row needs a value for the design"
        )
    codes, levels = pd.factorize(series, sort=True)
    return codes, pd.Index(levels)


def _group_mean(values: np.ndarray, codes: np.ndarray, n_groups: int, weights: np.ndarray | None = None) -> np.ndarray:
    """Per-row mean of ``values`` (n, m) within its group (weighted when ``weights`` given)."""
    w = np.ones(len(codes)) if weights is None else weights
    sums = np.zeros((n_groups, values.shape[1]))
    np.add.at(sums, codes, values * w[:, None])
    totals = np.bincount(codes, weights=w, minlength=n_groups)
    with np.errstate(all="ignore"):
        return (sums / totals[:, None])[codes]


class SurveyDesign:
    """A survey sample with its design: weights, strata, clusters, fpc, calibration.

    Parameters
    ----------
    data : DataFrame
        One row per respondent.
    weights : str or array, optional
        Base (design) weights: a column name or a vector; ones when omitted.
    strata : str or array, optional
        Stratum of each row.
    cluster : str or array, optional
        Primary sampling unit of each row (nested within strata: the same label in
        two strata is two clusters). Without it each row is its own unit.
    rake : dict, optional
        ``{column: {level: population share}}``: weights are raked (iterative
        proportional fitting, as R ``survey::rake``) to these margins. Shares are
        scaled to the sum of the base weights, so totals keep that population size.
        One margin is plain post-stratification.
    fpc : str or array, optional
        Population number of PSUs in the row's stratum (without-replacement sampling);
        omitted: with-replacement variance (no finite population correction).
    poststratify : dict, optional
        ``{column: {level: population share}}`` with a single column: R
        ``survey::postStratify`` (its variance correction weights cells by the base
        weights, where ``rake`` does not).
    rake_variance : {"rake", "calibrate"}
        How raking enters the variance: ``"rake"`` as R ``survey::rake`` (ten
        back-fitting sweeps of the margins over the influence values), ``"calibrate"``
        as R ``survey::calibrate(..., calfun="raking")`` (the exact residuals of the
        regression on all margins' indicators). The weights are the same; R's rake
        residuals approximate the projection, so the standard errors differ slightly
        (about 0.1% on the test data).
    ci : float
        Level of the normal-theory intervals (as R ``confint`` on ``svymean``).
    max_iter, tol : int, float
        Raking stops when no cell total of the margins' cross-classification moves by
        more than ``tol`` times the sum of the weights, or warns after ``max_iter`` passes.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0], "s": ["a", "a", "b", "b"]})
    >>> design = SurveyDesign(frame, strata="s")
    >>> est = design.mean("x")
    >>> est.value, round(est.se, 6)
    (2.5, 0.353553)
    """

    def __init__(
        self,
        data: pd.DataFrame,
        weights=None,
        strata=None,
        cluster=None,
        rake: Mapping | None = None,
        fpc=None,
        *,
        poststratify: Mapping | None = None,
        rake_variance: str = "rake",
        ci: float = 0.95,
        max_iter: int = 100,
        tol: float = 1e-12,
    ):
        if not isinstance(data, pd.DataFrame):
            raise ParameterError(f"data must be a pandas DataFrame, got {type(data).__name__}")
        critical_z(ci)
        check_choice("rake_variance", rake_variance, ("rake", "calibrate"), error=ParameterError)
        self.data, self.ci, self.rake_variance = data, ci, rake_variance
        n = len(data)
        base = _vector(data, weights, "weights")
        if base is None:
            self.base_weights = np.ones(n)
        else:
            numeric = pd.to_numeric(base, errors="coerce")
            bad = ~(numeric > 0)
            if bad.any():
                raise SurveyDataError(
                    f"weights {base.name!r}: weights must be positive numbers; got {describe_offenders(base, bad)}"
                )
            self.base_weights = numeric.to_numpy(dtype=float)
        strata_series = _vector(data, strata, "strata")
        self.strata, _ = (
            _codes(strata_series, "strata") if strata_series is not None else (np.zeros(n, dtype=int), None)
        )
        cluster_series = _vector(data, cluster, "cluster")
        if cluster_series is None:
            units = np.arange(n)
        else:
            codes, _ = _codes(cluster_series, "cluster")
            # clusters are nested in strata (R's nest=TRUE)
            units = pd.factorize(pd.Series(self.strata) * (codes.max() + 1) + codes)[0]
        self.units = units
        self.fpc = None
        fpc_series = _vector(data, fpc, "fpc")
        if fpc_series is not None:
            population = pd.to_numeric(fpc_series, errors="coerce").to_numpy(dtype=float)
            bad = ~(population > 0)
            if bad.any():
                raise SurveyDataError(
                    f"fpc {fpc_series.name!r}: needs the population number of PSUs per stratum; "
                    f"got {describe_offenders(fpc_series, pd.Series(bad, index=data.index))}"
                )
            varying = pd.Series(population).groupby(self.strata).nunique() > 1
            if varying.any():
                raise SurveyDataError(
                    f"fpc {fpc_series.name!r}: differs within stratum (stratum codes {list(varying.index[varying])})"
                )
            sampled = pd.Series(self.units).groupby(self.strata).nunique()
            too_small = population > sampled.reindex(self.strata).to_numpy() - 1e-9
            if not too_small.all():
                raise SurveyDataError(
                    f"fpc {fpc_series.name!r}: population PSUs below the sampled number in some strata"
                )
            self.fpc = population
        self.calibrations: list[_Calibration] = []
        self.weights = self.base_weights.copy()
        self.converged = True
        if rake and poststratify:
            raise ParameterError("give either rake= or poststratify=, not both")
        if poststratify:
            if len(poststratify) != 1:
                raise ParameterError(
                    f"poststratify takes one column (its cells), got {list(poststratify)}; use rake= for several margins"
                )
            self._poststratify(poststratify)
        elif rake:
            self._rake(rake, int(max_iter), float(tol))

    # ----------------------------------------------------------------- calibration
    def _margin(self, column: str, shares: Mapping) -> tuple[np.ndarray, np.ndarray]:
        """(codes of each row, population total of each code) for one margin."""
        check_columns(self.data, column, parameter="rake")
        series = self.data[column]
        if not isinstance(shares, Mapping) or not shares:
            raise ParameterError(f"rake[{column!r}] must be a non-empty {{level: share}} mapping")
        targets = pd.Series({k: float(v) for k, v in shares.items()})
        if (targets <= 0).any() or not np.isclose(targets.sum(), 1.0, atol=1e-6):
            raise ParameterError(f"rake[{column!r}]: shares must be positive and sum to 1, got {dict(shares)}")
        unknown = series.notna() & ~series.isin(list(targets.index))
        if series.isna().any() or unknown.any():
            raise SurveyDataError(
                f"rake column {column!r}: values without a population share "
                f"{describe_offenders(series, series.isna() | unknown)}; shares given for {list(targets.index)}"
            )
        codes = pd.Categorical(series, categories=list(targets.index)).codes.astype(int)
        empty = [level for k, level in enumerate(targets.index) if not (codes == k).any()]
        if empty:
            raise SurveyDataError(f"rake column {column!r}: level(s) {empty} have a population share but no respondent")
        return codes, targets.to_numpy() / targets.sum() * self.base_weights.sum()

    @staticmethod
    def _adjust(weights: np.ndarray, codes: np.ndarray, population: np.ndarray) -> np.ndarray:
        totals = np.bincount(codes, weights=weights, minlength=len(population))
        return weights * (population / totals)[codes]

    def _poststratify(self, spec: Mapping) -> None:
        ((column, shares),) = spec.items()
        codes, population = self._margin(column, shares)
        old = self.weights.copy()
        self.weights = self._adjust(self.weights, codes, population)
        self.calibrations.append(_Calibration("poststratify", (codes,), (self.weights.copy(),), old))

    def _rake(self, spec: Mapping, max_iter: int, tol: float) -> None:
        margins = [self._margin(column, shares) for column, shares in spec.items()]
        # convergence is judged on the cross-classification of all margins, as R does
        cross = pd.factorize(pd.MultiIndex.from_arrays([codes for codes, _ in margins]))[0]
        n_cells = cross.max() + 1
        epsilon = tol * self.base_weights.sum()
        weights = self.base_weights.copy()
        old_table = np.bincount(cross, weights=weights, minlength=n_cells)
        self.converged = False
        for _ in range(max_iter):
            after = []
            for codes, population in margins:
                weights = self._adjust(weights, codes, population)
                after.append(weights.copy())
            table = np.bincount(cross, weights=weights, minlength=n_cells)
            if np.max(np.abs(table - old_table)) < epsilon:
                self.converged = True
                break
            old_table = table
        if not self.converged:
            import warnings

            warnings.warn(
                f"raking did not converge in {max_iter} passes; the weights are the last pass's",
                ConvergenceWarning,
                stacklevel=3,
            )
        codes = tuple(c for c, _ in margins)
        if self.rake_variance == "calibrate":
            self.calibrations.append(_Calibration("calibrate", codes, (weights.copy(),), self.weights.copy()))
        else:
            self.calibrations.append(_Calibration("rake", codes, tuple(after)))
        self.weights = weights

    def _calibration_residuals(self, x: np.ndarray) -> np.ndarray:
        """Influence values minus what the calibration cells explain (R ``svyrecvar``)."""
        for step in self.calibrations:
            if step.kind == "rake":
                sizes = [c.max() + 1 for c in step.codes]
                for _ in range(10):  # R's fixed number of back-fitting sweeps
                    for codes, psw, size in zip(step.codes, step.weights, sizes):
                        x = x - psw[:, None] * _group_mean(x / psw[:, None], codes, size)
            elif step.kind == "calibrate":
                # R: qr.resid(qr(mm * sqrt(w0)), x / (g sqrt(w0))) * g sqrt(w0), mm spanning every margin
                root = np.sqrt(step.old_weights)
                scaled = step.weights[0] / root  # g * sqrt(w0)
                design = np.column_stack([np.eye(c.max() + 1)[c] for c in step.codes]) * root[:, None]
                target = x / scaled[:, None]
                coef, *_ = np.linalg.lstsq(design, target, rcond=None)
                x = (target - design @ coef) * scaled[:, None]
            else:
                codes, psw, old = step.codes[0], step.weights[0], step.old_weights
                x = x - psw[:, None] * _group_mean(x / psw[:, None], codes, codes.max() + 1, old)
        return x

    def _centred_unit_totals(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """PSU totals of the calibration residuals of ``x`` (n, m), centred in their stratum,
        and each PSU's variance factor (``n_h / (n_h - 1)``, times the fpc when given)."""
        x = self._calibration_residuals(x)
        n_units = self.units.max() + 1
        unit_totals = np.zeros((n_units, x.shape[1]))
        np.add.at(unit_totals, self.units, x)
        unit_stratum = np.zeros(n_units, dtype=int)
        unit_stratum[self.units] = self.strata
        n_strata = self.strata.max() + 1
        n_h = np.bincount(unit_stratum, minlength=n_strata).astype(float)
        centred = unit_totals - _group_mean(unit_totals, unit_stratum, n_strata)
        with np.errstate(all="ignore"):
            scale = np.where(n_h > 1, n_h / (n_h - 1), 1.0)
        if self.fpc is not None:
            population = np.zeros(n_strata)
            population[self.strata] = self.fpc
            scale = scale * (population - n_h) / population
        return centred, scale[unit_stratum]

    def _covariance(self, x: np.ndarray) -> np.ndarray:
        """Stratified with-replacement (or fpc) covariance matrix (m, m) of the totals of ``x`` (n, m)."""
        centred, scale = self._centred_unit_totals(x)
        return centred.T @ (scale[:, None] * centred)

    def _variance(self, x: np.ndarray) -> np.ndarray:
        """The variances of the totals of ``x`` (n, m): the diagonal of :meth:`_covariance`."""
        centred, scale = self._centred_unit_totals(x)
        return np.einsum("u,um,um->m", scale, centred, centred)

    # ----------------------------------------------------------------- estimates
    def _values(self, column: str) -> tuple[np.ndarray, np.ndarray]:
        check_columns(self.data, column, parameter="column")
        series = self.data[column]
        numeric = pd.to_numeric(series, errors="coerce")
        bad = numeric.isna() & series.notna()
        if bad.any():
            raise SurveyDataError(
                f"column {column!r} must be numeric; offending values {describe_offenders(series, bad)}"
            )
        values = numeric.to_numpy(dtype=float)
        return values, ~np.isnan(values)

    def _domains(self, by) -> tuple[list[str], pd.DataFrame | None, np.ndarray | None]:
        if by is None:
            return [], None, None
        by = check_columns(self.data, by, parameter="by")
        keys = self.data[by]
        usable = keys.notna().all(axis=1).to_numpy()
        frame = keys[usable].drop_duplicates().sort_values(by).reset_index(drop=True)
        codes = np.full(len(self.data), -1)
        codes[usable] = pd.MultiIndex.from_frame(frame).get_indexer(pd.MultiIndex.from_frame(keys[usable]))
        return by, frame, codes

    def _estimate(self, values: np.ndarray, observed: np.ndarray, *, total: bool, by) -> Estimate | pd.DataFrame:
        names, frame, codes = self._domains(by)
        z = critical_z(self.ci)
        domains = [observed] if frame is None else [observed & (codes == k) for k in range(len(frame))]
        clean = np.where(observed, values, 0.0)
        columns = []
        point = []
        for mask in domains:
            w = np.where(mask, self.weights, 0.0)
            if total:
                point.append(float(np.sum(w * clean)))
                columns.append(w * clean)
            else:
                size = w.sum()
                mean = float(np.sum(w * clean) / size) if size > 0 else np.nan
                point.append(mean)
                columns.append(w * (clean - mean) / size if size > 0 else np.zeros(len(w)))
        variance = self._variance(np.column_stack(columns))
        out = []
        for mask, value, var in zip(domains, point, variance):
            w = self.weights[mask]
            se = float(np.sqrt(var)) if mask.any() else np.nan
            n_eff = float(w.sum() ** 2 / np.sum(w**2)) if mask.any() else 0.0
            out.append(Estimate(value, se, value - z * se, value + z * se, int(mask.sum()), n_eff))
        if frame is None:
            estimate = out[0]
            return Estimate(
                estimate.value,
                estimate.se,
                estimate.low,
                estimate.high,
                estimate.n,
                estimate.n_eff,
                int((~observed).sum()),
            )
        table = frame.copy()
        for field in ("value", "se", "low", "high", "n", "n_eff"):
            table[field] = [getattr(e, field) for e in out]
        table["n_dropped"] = [int((~observed & (codes == k)).sum()) for k in range(len(frame))]
        return table

    def mean(self, column: str, by=None) -> Estimate | pd.DataFrame:
        """Weighted mean of ``column`` with its linearised standard error (R ``svymean``).

        Parameters
        ----------
        column : str
            Numeric column; missing values are left out as a domain (R ``na.rm=TRUE``).
        by : str or list of str, optional
            Domain estimates per group (R ``svyby``).

        Returns
        -------
        Estimate or pandas.DataFrame
            The mean, or with ``by`` one row per domain: ``[*by, value, se, low, high, n, n_eff, n_dropped]``.

        Examples
        --------
        >>> import pandas as pd
        >>> frame = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0], "g": list("abab")})
        >>> SurveyDesign(frame).mean("x", by="g")[["g", "value", "n"]].values.tolist()
        [['a', 2.0, 2], ['b', 3.0, 2]]
        """
        values, observed = self._values(column)
        return self._estimate(values, observed, total=False, by=by)

    def total(self, column: str, by=None) -> Estimate | pd.DataFrame:
        """Weighted total of ``column`` (R ``svytotal``); see :meth:`mean`.

        Parameters
        ----------
        column : str
            Numeric column; missing values are left out as a domain.
        by : str or list of str, optional
            Domain estimates per group (R ``svyby``).

        Returns
        -------
        Estimate or DataFrame
            An :class:`~csat_analysis.estimate.Estimate`; with ``by``, one row per group:
            ``[*by, value, se, low, high, n, n_eff, n_dropped]``.

        Examples
        --------
        >>> import pandas as pd
        >>> frame = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0]})
        >>> SurveyDesign(frame, weights=[10.0, 10.0, 20.0, 20.0]).total("x").value
        170.0
        """
        values, observed = self._values(column)
        return self._estimate(values, observed, total=True, by=by)

    def proportion(self, column: str, level, by=None) -> Estimate | pd.DataFrame:
        """Weighted share of rows where ``column == level`` (R ``svymean`` of the indicator).

        Parameters
        ----------
        column : str
            The column compared with ``level``.
        level : object
            The value whose share is estimated.
        by : str or list of str, optional
            Domain estimates per group (R ``svyby``).

        Returns
        -------
        Estimate or DataFrame
            An :class:`~csat_analysis.estimate.Estimate`; with ``by``, one row per group:
            ``[*by, value, se, low, high, n, n_eff, n_dropped]``.

        Examples
        --------
        >>> import pandas as pd
        >>> frame = pd.DataFrame({"plan": ["a", "b", "a", None]})
        >>> est = SurveyDesign(frame).proportion("plan", "a")
        >>> round(est.value, 4), est.n, est.n_dropped
        (0.6667, 3, 1)
        """
        check_columns(self.data, column, parameter="column")
        series = self.data[column]
        observed = series.notna().to_numpy()
        if not (series == level).any():
            raise SurveyDataError(
                f"proportion: level {level!r} does not occur in column {column!r}; "
                f"levels present: {sorted(series.dropna().unique().tolist(), key=str)[:10]}"
            )
        values = (series == level).to_numpy(dtype=float)
        return self._estimate(values, observed, total=False, by=by)

    def nps(self, column: str, by=None) -> Estimate | pd.DataFrame:
        """Net Promoter Score (-100..100) of a 0-10 column: the mean of +100 (9-10), 0 (7-8), -100 (0-6).

        Parameters
        ----------
        column : str
            Column of 0-10 recommendation scores.
        by : str or list of str, optional
            Domain estimates per group (R ``svyby``).

        Returns
        -------
        Estimate or DataFrame
            An :class:`~csat_analysis.estimate.Estimate`; with ``by``, one row per group:
            ``[*by, value, se, low, high, n, n_eff, n_dropped]``.

        Examples
        --------
        >>> import pandas as pd
        >>> frame = pd.DataFrame({"ltr": [10, 9, 8, 3, 10]})
        >>> SurveyDesign(frame).nps("ltr").value
        40.0
        """
        values, observed = self._values(column)
        outside = observed & ((values < 0) | (values > 10))
        if outside.any():
            series = self.data[column]
            raise SurveyDataError(
                f"nps: column {column!r} must be on the 0-10 scale; got "
                f"{describe_offenders(series, pd.Series(outside, index=series.index))}"
            )
        scored = np.where(values >= PROMOTER_FROM, 100.0, np.where(values <= DETRACTOR_TO, -100.0, 0.0))
        return self._estimate(np.where(observed, scored, np.nan), observed, total=False, by=by)

    def chisq(self, row: str, col: str, statistic: str = "F") -> RaoScottTest:
        """Design-based test of independence of two categorical columns (R ``svychisq``).

        Rao and Scott's (1981, 1984) corrections of Pearson's X² for a complex sample, as
        R ``survey::svychisq(~row + col, design, statistic=...)`` computes them (Lumley
        2010, *Complex Surveys: A Guide to Analysis Using R*, Wiley, section 6.2). X² is
        that of the weighted table scaled to the sample size. ``Delta`` compares the
        design covariance of the cell proportions (linearised, with strata, clusters, fpc
        and calibration as in :meth:`mean`) with the multinomial one, on the contrasts of
        the interaction (the cells' deviations from independence); its eigenvalues are the
        generalised design effects.

        * ``"F"`` (second-order): ``F = X² / trace(Delta)`` on ``d0`` and ``d0 * nu``
          degrees of freedom, ``d0 = trace(Delta)² / trace(Delta²)`` and ``nu`` the
          design's degrees of freedom (PSUs minus strata).
        * ``"Chisq"`` (first-order): ``X² / mean(eigenvalues of Delta)`` against a
          chi-square on ``(r - 1)(c - 1)`` degrees of freedom. (R prints the
          uncorrected X² beside this test's p-value; here it is ``pearson``.)

        Without weights, strata, clusters or calibration ``pearson`` is Pearson's X² of
        the counts and every design effect is ``N / (N - 1)`` (the with-replacement
        variance's factor, ``N`` the rows of the design), so the first-order statistic
        is X² (N - 1) / N.

        Parameters
        ----------
        row, col : str
            The two categorical columns. Rows missing either are left out as a domain
            (R's ``na.rm=TRUE``): they stay in the design with no weight in the cells.
        statistic : {"F", "Chisq"}
            Second-order (the default, as in R) or first-order correction.

        Returns
        -------
        RaoScottTest
            ``statistic``, ``dof``, ``dof_denominator``, ``p_value``, ``n``, ``pearson``,
            ``design_effect`` and the weighted ``table``; ``to_frame()`` gives one tidy row.

        Raises
        ------
        SurveyDataError
            A column with fewer than two observed levels.

        Notes
        -----
        R scales the weighted table to all rows of the design, those missing a column
        included; here it is scaled to the ``n`` rows analysed, so ``pearson`` is the
        X² of a table of ``n`` respondents. The F and chi-square statistics and their
        p-values do not depend on this scale. The table's levels are those seen in the
        rows analysed; R also keeps a level seen only beside a missing value of the
        other column, as a table row or column with no respondents that adds degrees of
        freedom (its answer here is R's with that level set to missing).

        References
        ----------
        Rao, J. N. K. and Scott, A. J. (1981). The analysis of categorical data from
        complex sample surveys. *Journal of the American Statistical Association*,
        76(374), 221-230.

        Rao, J. N. K. and Scott, A. J. (1984). On chi-squared tests for multiway
        contingency tables with cell proportions estimated from survey data. *The
        Annals of Statistics*, 12(1), 46-60.

        Examples
        --------
        >>> import pandas as pd
        >>> frame = pd.DataFrame({"plan": list("aabbab") * 10, "left": list("yynnny") * 10,
        ...                       "w": [1.0, 2.0, 1.5, 1.0, 0.5, 2.0] * 10})
        >>> plain = SurveyDesign(frame).chisq("plan", "left", statistic="Chisq")
        >>> round(plain.pearson, 4), round(plain.statistic, 4)  # X² of the counts; X² * 59 / 60
        (6.6667, 6.5556)
        >>> test = SurveyDesign(frame, weights="w").chisq("plan", "left")
        >>> test.test, round(test.statistic, 4), round(test.dof, 4), round(test.dof_denominator, 2)
        ('Rao-Scott F', 14.7901, 1.0, 59.0)
        """
        check_choice("statistic", statistic, ("F", "Chisq"), error=ParameterError)
        check_columns(self.data, [row, col], parameter="chisq")
        if row == col:
            raise ParameterError(f"chisq: row and col are the same column {row!r}")
        first, second = self.data[row], self.data[col]
        observed = (first.notna() & second.notna()).to_numpy()
        row_codes, row_levels = pd.factorize(first[observed], sort=True)
        col_codes, col_levels = pd.factorize(second[observed], sort=True)
        for name, levels in ((row, row_levels), (col, col_levels)):
            if len(levels) < 2:
                raise SurveyDataError(
                    f"chisq: column {name!r} has {len(levels)} level(s) {list(levels)} among the "
                    f"{int(observed.sum())} rows with both columns observed; a test of independence needs two"
                )
        n_rows, n_cols = len(row_levels), len(col_levels)
        n_cells = n_rows * n_cols
        # cells ordered as R's interaction(): the row level varies fastest
        cells = np.full(len(self.data), -1)
        cells[observed] = row_codes + n_rows * col_codes
        indicators = np.zeros((len(self.data), n_cells))
        indicators[np.flatnonzero(observed), cells[observed]] = 1.0
        w = np.where(observed, self.weights, 0.0)
        size = w.sum()
        shares = w @ indicators / size
        # influence values of the domain means of the cell indicators (zero outside the domain)
        influence = w[:, None] * (indicators - shares) / size
        covariance = self._covariance(influence)

        n = int(observed.sum())
        grid_rows = np.tile(np.arange(n_rows), n_cols)
        grid_cols = np.repeat(np.arange(n_cols), n_rows)
        main = np.column_stack([np.ones(n_cells), np.eye(n_rows)[grid_rows][:, 1:], np.eye(n_cols)[grid_cols][:, 1:]])
        interaction = np.column_stack(
            [(grid_rows == i) & (grid_cols == j) for j in range(1, n_cols) for i in range(1, n_rows)]
        ).astype(float)
        coef, *_ = np.linalg.lstsq(main, interaction, rcond=None)
        contrasts = interaction - main @ coef
        with np.errstate(divide="ignore"):
            inverse_shares = np.where(shares == 0, 0.0, 1.0 / shares)
        scaled = inverse_shares[:, None] * contrasts
        denominator = contrasts.T @ scaled / n
        numerator = scaled.T @ covariance @ scaled
        delta = np.linalg.solve(denominator, numerator)
        trace = float(np.trace(delta))
        d0 = trace**2 / float(np.trace(delta @ delta))
        nu = (self.units.max() + 1) - (self.strata.max() + 1)

        table = shares.reshape(n_cols, n_rows).T * n
        pearson = float(stats.chi2_contingency(table, correction=False).statistic)
        k = (n_rows - 1) * (n_cols - 1)
        design_effect = trace / k
        if statistic == "F":
            value = pearson / trace
            dof, dof_denominator = d0, d0 * nu
            p_value = float(stats.f.sf(value, dof, dof_denominator))
            name = "Rao-Scott F"
        else:
            value = pearson / design_effect
            dof, dof_denominator = float(k), np.nan
            p_value = float(stats.chi2.sf(value, k))
            name = "Rao-Scott chi-square"
        return RaoScottTest(
            test=name,
            row=row,
            col=col,
            statistic=float(value),
            dof=float(dof),
            dof_denominator=float(dof_denominator),
            p_value=p_value,
            n=n,
            n_dropped=int(len(self.data) - n),
            pearson=pearson,
            design_effect=float(design_effect),
            table=pd.DataFrame(table, index=pd.Index(row_levels, name=row), columns=pd.Index(col_levels, name=col)),
        )

    def ranktest(self, column: str, by: str, test: str = "KruskalWallis") -> RankTest:
        """Design-based rank test of ``column`` across the groups of ``by`` (R ``svyranktest``).

        Lumley and Scott's (2013) rank tests for complex samples, as R
        ``survey::svyranktest(column ~ by, design, test=...)`` computes them. Each
        respondent's rank is estimated from the design-weighted distribution of
        ``column``: the weight of the respondents with a lower score plus half their own
        weight (tied respondents get the unweighted mean of theirs, the order of ties
        being that of the rows, as R's ``ave``), divided by the sum of the weights ``N``.
        The weighted mean of this rank score in each group is compared with that of the
        first group by weighted least squares (R ``glm(score ~ factor(by), weights=w)``);
        the contrasts' covariance is the design's (linearised, with strata, clusters,
        fpc and calibration as in :meth:`mean`), and their Wald chi-square divided by
        the number of contrasts is referred to an F distribution on ``groups - 1`` and
        ``nu - (groups - 1)`` degrees of freedom, ``nu`` the design's degrees of freedom
        (PSUs minus strata).

        With two groups R reports a t statistic on ``nu - 1`` degrees of freedom; its
        square is the F statistic here and the p-values are the same (``difference``
        holds R's estimate). ``"wilcoxon"`` is the same test as ``"KruskalWallis"`` (the
        same rank score ``r / N``, as in R); ``"vanderWaerden"`` scores the ranks by the
        normal quantile of ``r / N`` and ``"median"`` by whether ``r > N / 2``.

        With equal weights and neither strata, clusters, fpc nor calibration the Wald
        chi-square is a Kruskal-Wallis H computed with the groups' sample variances of
        the ranks in place of the pooled one (not scipy's H, which pools under the null).

        Parameters
        ----------
        column : str
            Numeric score. Rows missing it or ``by`` are left out: as R does, they get no
            weight in the ranks and the estimates and add nothing to the variance, and
            the degrees of freedom count only the PSUs and strata with a row tested.
        by : str
            The grouping column (two groups or more).
        test : {"KruskalWallis", "wilcoxon", "vanderWaerden", "median"}
            The rank score.

        Returns
        -------
        RankTest
            ``statistic`` (F), ``dof``, ``dof_denominator``, ``p_value``, ``n``,
            ``n_dropped``, ``wald``, ``mean_rank_scores``; ``to_frame()`` gives one tidy row.

        Raises
        ------
        SurveyDataError
            A non-numeric score, fewer than two groups among the rows tested, or a design
            with no degrees of freedom left for the test.

        References
        ----------
        Lumley, T. and Scott, A. J. (2013). Two-sample rank tests under complex sampling.
        *Biometrika*, 100(4), 831-842.

        Examples
        --------
        >>> import pandas as pd
        >>> frame = pd.DataFrame({"score": [3, 5, 4, 8, 9, 7, 6, 6, 5, 2, 10, 4],
        ...                       "plan": list("aaabbbcccabc"),
        ...                       "w": [1.0, 2.0, 1.0, 1.5, 1.0, 0.5, 2.0, 1.0, 1.0, 0.5, 1.5, 1.0]})
        >>> result = SurveyDesign(frame, weights="w").ranktest("score", by="plan")
        >>> result.test, result.dof, result.dof_denominator  # 12 respondents, 3 groups
        ('design-based Kruskal-Wallis', 2.0, 9.0)
        >>> round(result.statistic, 4), round(result.p_value, 6)  # R: Chisq = 2 * F, same p
        (23.3656, 0.000273)
        """
        check_choice("test", test, tuple(_RANK_SCORES), error=ParameterError)
        check_columns(self.data, [column, by], parameter="ranktest")
        if column == by:
            raise ParameterError(f"ranktest: column and by are the same column {column!r}")
        values, observed = self._values(column)
        groups = self.data[by]
        observed &= groups.notna().to_numpy()
        group_codes, levels = pd.factorize(groups[observed], sort=True)
        n_groups = len(levels)
        if n_groups < 2:
            raise SurveyDataError(
                f"ranktest: column {by!r} has {n_groups} group(s) {list(levels)} among the "
                f"{int(observed.sum())} rows with {column!r} observed; a rank test needs two"
            )
        rows = np.flatnonzero(observed)
        dof = n_groups - 1
        design_dof = len(np.unique(self.units[observed])) - len(np.unique(self.strata[observed]))
        dof_denominator = design_dof - dof
        if dof_denominator <= 0:
            raise SurveyDataError(
                f"ranktest: the design has {design_dof} degrees of freedom (PSUs minus strata) among the rows "
                f"tested, too few for {n_groups} groups of {by!r}"
            )
        w = self.weights[rows]
        y = values[rows]
        size = w.sum()
        # estimated population rank: weight below plus half one's own; ties share the mean (R's ave)
        order = np.argsort(y, kind="stable")
        midpoints = np.cumsum(w[order]) - w[order] / 2
        tie_codes = np.unique(y[order], return_inverse=True)[1]
        tie_means = np.bincount(tie_codes, weights=midpoints) / np.bincount(tie_codes)
        rank = np.empty(len(rows))
        rank[order] = tie_means[tie_codes]
        score = _RANK_SCORES[test](rank, size)

        group_weights = np.bincount(group_codes, weights=w, minlength=n_groups)
        means = np.bincount(group_codes, weights=w * score, minlength=n_groups) / group_weights
        # influence values of the group means (zero outside each group and on the rows left out)
        influence = np.zeros((len(self.data), n_groups))
        influence[rows, group_codes] = w * (score - means[group_codes]) / group_weights[group_codes]
        contrasts = influence[:, 1:] - influence[:, :1]
        covariance = np.atleast_2d(self._covariance(contrasts))
        difference = means[1:] - means[0]
        # singular when the groups' rank scores do not vary: judged against the contrasts'
        # variances were the scores independent with their overall spread (rounding leaves ~1e-33)
        spread = np.sum(w * (score - np.sum(w * score) / size) ** 2) / size
        independent = spread * np.bincount(group_codes, weights=w**2, minlength=n_groups) / group_weights**2
        reference = np.sqrt(independent[1:] + independent[0])
        with np.errstate(all="ignore"):
            standardised = covariance / np.outer(reference, reference)
        if spread <= 0 or not np.all(np.isfinite(standardised)) or np.linalg.eigvalsh(standardised).min() < 1e-10:
            raise SurveyDataError(
                f"ranktest: the mean ranks of {column!r} in the groups of {by!r} have no variation "
                "under the design (singular covariance); every group needs scores that differ"
            )
        wald = float(difference @ np.linalg.solve(covariance, difference))
        statistic = wald / dof
        return RankTest(
            test=_RANK_TEST_NAMES[test],
            column=column,
            by=by,
            statistic=statistic,
            dof=float(dof),
            dof_denominator=float(dof_denominator),
            p_value=float(stats.f.sf(statistic, dof, dof_denominator)),
            n=len(rows),
            n_dropped=int(len(self.data) - len(rows)),
            wald=wald,
            groups=n_groups,
            difference=float(difference[0]) if n_groups == 2 else np.nan,
            mean_rank_scores=pd.Series(means, index=pd.Index(levels, name=by), name="mean_rank_score"),
        )

    def __repr__(self) -> str:
        parts = [f"n={len(self.data)}", f"strata={self.strata.max() + 1}", f"PSUs={self.units.max() + 1}"]
        if self.calibrations:
            parts.append(f"calibrated ({self.calibrations[-1].kind})")
        if self.fpc is not None:
            parts.append("fpc")
        return f"<SurveyDesign: {', '.join(parts)}>"
