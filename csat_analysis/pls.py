"""PLS path models for ACSI/ECSI satisfaction indices, with a fast bootstrap.

:func:`estimate` fits a composite PLS path model (Lohmöller 1989; Tenenhaus et al.
2005) with the conventions of R seminr, whose numbers it reproduces: items are
standardised with n - 1, outer weights start at one and are rescaled every pass so
each construct score has unit variance, Mode A weights are item/proxy correlations,
Mode B weights come from the regression of the inner proxy on the block's items,
and the loop stops once the summed absolute change of all outer weights is below
``tol``. Reliability follows seminr too: standardised Cronbach's alpha, rhoC and AVE
from the loadings, Dijkstra-Henseler rhoA from the weights (single-item constructs
get 1 everywhere, Mode B constructs rhoA = 1), HTMT from absolute item correlations.

:meth:`PLSResult.index` gives ACSI-style 0-100 indices (items rescaled to 0-100,
outer weights divided by the item SD and normalised to sum to one; negative weights
kept and reported on the result) and :meth:`PLSResult.bootstrap` percentile intervals
for paths, loadings, weights, mean indices, HTMT and specific indirect effects. The
assessment criteria of :mod:`csat_analysis.pls_assess` are methods here too:
:meth:`PLSResult.vif`, :meth:`PLSResult.f_squared`, :meth:`PLSResult.predict`
(PLSpredict), :meth:`BootstrapResult.htmt`, :meth:`BootstrapResult.indirect_effects`,
and :func:`mga` (permutation multi-group analysis). The bootstrap estimates all resamples together:
with standardised data every PLS quantity is a function of the item correlation
matrix, so a chunk of resamples costs one matrix product for the moments plus the
PLS iterations on a stack of small matrices (see :mod:`csat_analysis._pls_core`).
Each resample is treated as seminr treats it (missing values re-imputed or dropped
within the resample); given the same resample indices the results agree with
``seminr.bootstrap_model``.

Differences from seminr: ``htmt`` is the full symmetric matrix (seminr fills the
upper triangle), a centroid scheme is offered, and bad input raises
:class:`~csat_analysis.errors.ModelSpecError` instead of being estimated anyway.

Examples
--------
>>> from csat_analysis import datasets, pls
>>> measurement, structural = pls.ecsi()
>>> fit = pls.estimate(datasets.load("mobi"), measurement, structural)
>>> round(float(fit.paths.loc["Satisfaction", "Loyalty"]), 3)
0.485
>>> round(float(fit.index().summary.loc["Satisfaction", "index"]), 1)
72.5
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from . import _pls_core as core
from . import pls_assess
from ._validation import check_choice, check_columns, describe_offenders
from .errors import ConvergenceWarning, CsatWarning, ModelSpecError, SurveyDataError
from .pls_assess import MGAResult, PredictResult, mga
from .scaling import Scale, average_variance_extracted, composite_reliability

__all__ = [
    "BootstrapResult",
    "IndexResult",
    "MGAResult",
    "NegativeIndexWeightWarning",
    "PLSResult",
    "PLSSummary",
    "PredictResult",
    "bootstrap",
    "ecsi",
    "estimate",
    "mga",
]

SCHEMES = ("path", "factorial", "centroid")
MODES = ("A", "B")
MISSING = ("mean", "drop", "error")
ON_NONCONVERGENCE = ("error", "warn")
SIGN_CHANGES = ("construct", "none")

#: the standard ECSI model (Tenenhaus et al. 2005), items named as in ``mobi``
ECSI_ITEMS = {
    "Image": ("IMAG", 5),
    "Expectation": ("CUEX", 3),
    "Quality": ("PERQ", 7),
    "Value": ("PERV", 2),
    "Satisfaction": ("CUSA", 3),
    "Complaints": ("CUSCO", 1),
    "Loyalty": ("CUSL", 3),
}
ECSI_PATHS = [
    ("Image", "Expectation"),
    ("Image", "Satisfaction"),
    ("Image", "Loyalty"),
    ("Expectation", "Quality"),
    ("Expectation", "Value"),
    ("Expectation", "Satisfaction"),
    ("Quality", "Value"),
    ("Quality", "Satisfaction"),
    ("Value", "Satisfaction"),
    ("Satisfaction", "Complaints"),
    ("Satisfaction", "Loyalty"),
    ("Complaints", "Loyalty"),
]


class NegativeIndexWeightWarning(CsatWarning):
    """An item got a negative index weight: it pulls its construct's 0-100 index down.

    :meth:`PLSResult.index` no longer issues it: negative weights are kept (ACSI
    practice would constrain them) and reported on the result instead
    (``IndexResult.negative_weights``, ``PLSSummary.negative_index_weights``). The
    class stays so code that filters it keeps working.
    """


#: textbook layout of the ECSI path diagram (x, y) used by :meth:`PLSResult.plot`
ECSI_LAYOUT = {
    "Image": (0.0, 2.6),
    "Expectation": (0.0, 0.0),
    "Quality": (0.0, -2.6),
    "Value": (2.6, -2.6),
    "Satisfaction": (4.2, 0.0),
    "Complaints": (7.0, -2.6),
    "Loyalty": (7.0, 2.6),
}


def ecsi(prefixes: Mapping[str, str] | None = None) -> tuple[dict[str, list[str]], list[tuple[str, str]]]:
    """The standard ECSI model as ``(measurement, structural)``.

    Items are named as in ``mobi`` and the simulator: IMAG1-5, CUEX1-3, PERQ1-7,
    PERV1-2, CUSA1-3, CUSCO, CUSL1-3.

    Parameters
    ----------
    prefixes : dict, optional
        Construct -> item prefix for data named differently, e.g. ``{"Image": "img_"}``
        gives ``img_1`` .. ``img_5``. The single-item ``Complaints`` construct takes
        its prefix as the whole item name. The lists are the standard ones whatever
        the data hold: a missing item is reported by :func:`estimate`.

    Returns
    -------
    tuple of (dict, list)
        ``measurement`` (construct -> items) and ``structural`` (list of ``(source, target)``).

    References
    ----------
    Tenenhaus, M., Esposito Vinzi, V., Chatelin, Y.-M., & Lauro, C. (2005). PLS path
    modeling. *Computational Statistics & Data Analysis*, 48(1), 159-205.

    Examples
    --------
    >>> measurement, structural = ecsi({"Complaints": "complaint_handling"})
    >>> measurement["Complaints"], measurement["Value"], len(structural)
    (['complaint_handling'], ['PERV1', 'PERV2'], 12)
    """
    prefixes = dict(prefixes or {})
    unknown = sorted(set(prefixes) - set(ECSI_ITEMS))
    if unknown:
        raise ModelSpecError(f"ecsi: unknown construct(s) {unknown} in prefixes; ECSI constructs: {list(ECSI_ITEMS)}")
    measurement = {}
    for construct, (default, count) in ECSI_ITEMS.items():
        prefix = prefixes.get(construct, default)
        measurement[construct] = [prefix] if count == 1 else [f"{prefix}{i}" for i in range(1, count + 1)]
    return measurement, list(ECSI_PATHS)


# --------------------------------------------------------------------------- specification


def _topological_depth(constructs: list[str], structural: list[tuple[str, str]]) -> dict[str, int]:
    """Longest-path depth of each construct; a cycle is a :class:`ModelSpecError`."""
    depth = {c: 0 for c in constructs}
    incoming = {c: [s for s, t in structural if t == c] for c in constructs}
    state: dict[str, int] = {}  # 1 visiting, 2 done

    def visit(node: str, trail: list[str]) -> int:
        if state.get(node) == 2:
            return depth[node]
        if state.get(node) == 1:
            cycle = trail[trail.index(node) :] + [node]
            raise ModelSpecError(
                f"structural model has a cycle: {' -> '.join(reversed(cycle))}; PLS path models must be recursive"
            )
        state[node] = 1
        depth[node] = max((visit(s, trail + [node]) + 1 for s in incoming[node]), default=0)
        state[node] = 2
        return depth[node]

    for c in constructs:
        visit(c, [])
    return depth


def _compile(data: pd.DataFrame, measurement, structural, modes, scheme) -> tuple[core.CompiledModel, dict[str, int]]:
    check_choice("scheme", scheme, SCHEMES, error=ModelSpecError)
    if not isinstance(measurement, Mapping) or not measurement:
        raise ModelSpecError("measurement must be a non-empty dict: construct -> list of item columns")
    blocks: dict[str, list[str]] = {}
    for construct, items in measurement.items():
        items = [items] if isinstance(items, str) else list(items)
        if not items:
            raise ModelSpecError(f"construct {construct!r} has no items; give at least one item column")
        blocks[str(construct)] = items
    all_items = [item for items in blocks.values() for item in items]
    repeated = sorted({i for i in all_items if all_items.count(i) > 1})
    if repeated:
        raise ModelSpecError(f"item(s) {repeated} are assigned to more than one construct")
    check_columns(data, all_items, parameter="measurement", error=ModelSpecError)

    structural = [tuple(pair) for pair in structural]
    if not structural:
        raise ModelSpecError("structural model is empty; give (from, to) pairs")
    bad_pairs = [pair for pair in structural if len(pair) != 2]
    if bad_pairs:
        raise ModelSpecError(f"structural: each path must be a (from, to) pair, got {bad_pairs}")
    named = {c for pair in structural for c in pair}
    without_items = sorted(named - set(blocks))
    if without_items:
        raise ModelSpecError(
            f"construct(s) {without_items} appear in the structural model but have no items in measurement; constructs with items: {list(blocks)}"
        )
    unconnected = [c for c in blocks if c not in named]
    if unconnected:
        raise ModelSpecError(f"construct(s) {unconnected} have items but no path in the structural model")
    duplicates = sorted({p for p in structural if structural.count(p) > 1})
    if duplicates:
        raise ModelSpecError(f"structural: path(s) given more than once: {duplicates}")
    loops = [s for s, t in structural if s == t]
    if loops:
        raise ModelSpecError(f"structural model has a cycle: {loops[0]} -> {loops[0]}")

    constructs = list(blocks)
    depth = _topological_depth(constructs, structural)
    modes = dict(modes or {})
    unknown_modes = sorted(set(modes) - set(constructs))
    if unknown_modes:
        raise ModelSpecError(f"modes: unknown construct(s) {unknown_modes}; constructs: {constructs}")
    for construct, mode in modes.items():
        check_choice(f"modes[{construct!r}]", mode, MODES, error=ModelSpecError)

    index = {c: k for k, c in enumerate(constructs)}
    item_index = {item: j for j, item in enumerate(all_items)}
    mask = np.zeros((len(all_items), len(constructs)))
    for c, items in blocks.items():
        mask[[item_index[i] for i in items], index[c]] = 1.0
    paths = np.zeros((len(constructs), len(constructs)))
    for s, t in structural:
        paths[index[s], index[t]] = 1.0
    endogenous = [(k, np.flatnonzero(paths[:, k])) for k in range(len(constructs)) if paths[:, k].any()]
    model = core.CompiledModel(
        items=all_items,
        constructs=constructs,
        mask=mask,
        blocks=[np.array([item_index[i] for i in blocks[c]]) for c in constructs],
        mode_b=np.array([modes.get(c, "A") == "B" for c in constructs]),
        paths=paths,
        endogenous=endogenous,
        scheme=scheme,
    )
    return model, depth


def _item_values(data: pd.DataFrame, items: list[str]) -> np.ndarray:
    for item in items:
        column = data[item]
        if not pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column):
            bad = pd.to_numeric(column, errors="coerce").isna() & column.notna()
            raise SurveyDataError(
                f"item {item!r} must be numeric (dtype {column.dtype}); offending values: {describe_offenders(column, bad) or 'boolean column'}"
            )
    values = data[items].to_numpy(dtype=float, na_value=np.nan)
    infinite = np.isinf(values)
    if infinite.any():
        j = int(np.flatnonzero(infinite.any(axis=0))[0])
        column = data[items[j]]
        raise SurveyDataError(
            f"item {items[j]!r} has infinite values: {describe_offenders(column, np.isinf(values[:, j]))}"
        )
    return values


def _apply_missing(
    data: pd.DataFrame, values: np.ndarray, items: list[str], missing: str
) -> tuple[np.ndarray, np.ndarray]:
    """Return the estimation values and the boolean mask of rows kept."""
    holes = np.isnan(values)
    keep = np.ones(len(values), dtype=bool)
    if not holes.any():
        return values, keep
    if missing == "error":
        j = int(np.flatnonzero(holes.any(axis=0))[0])
        counts = {items[k]: int(holes[:, k].sum()) for k in np.flatnonzero(holes.any(axis=0))}
        rows = list(data.index[holes[:, j]][:5])
        raise SurveyDataError(
            f"missing values in model items {counts} (item {items[j]!r}, rows {rows}...); "
            "use missing='mean' (mean replacement, as seminr) or missing='drop'"
        )
    if missing == "drop":
        keep = ~holes.any(axis=1)
        return values[keep], keep
    all_missing = [items[k] for k in np.flatnonzero(holes.all(axis=0))]
    if all_missing:
        raise ModelSpecError(f"item(s) {all_missing} have no observed values")
    filled = values.copy()
    means = np.nanmean(values, axis=0)
    filled[holes] = np.take(means, np.nonzero(holes)[1])
    return filled, keep


# --------------------------------------------------------------------------- estimation


def estimate(
    data: pd.DataFrame,
    measurement: Mapping[str, Sequence[str] | str],
    structural: Sequence[tuple[str, str]],
    *,
    modes: Mapping[str, str] | None = None,
    scheme: str = "path",
    missing: str = "mean",
    max_iter: int = 300,
    tol: float = 1e-7,
    on_nonconvergence: str = "error",
) -> PLSResult:
    """Estimate a PLS path model (composite, Lohmöller's algorithm, as R seminr).

    Parameters
    ----------
    data : DataFrame
        One row per respondent; item columns numeric.
    measurement : dict
        Construct -> list of item columns (a single item may be a string).
    structural : list of (from, to)
        The paths; the model must be recursive (no cycles).
    modes : dict, optional
        Construct -> ``"A"`` (reflective/correlation weights, default) or ``"B"``
        (formative/regression weights).
    scheme : {"path", "factorial", "centroid"}
        Inner weighting scheme.
    missing : {"mean", "drop", "error"}
        Mean replacement per item (seminr's default), listwise deletion over the
        model's items, or a :class:`SurveyDataError`.
    max_iter, tol : int, float
        Stop when the summed absolute change of the outer weights is below ``tol``
        (seminr's ``stop_criterion=7`` is ``tol=1e-7``) or after ``max_iter`` passes.
    on_nonconvergence : {"error", "warn"}
        ``"warn"`` returns a result flagged ``converged=False`` with a warning
        instead of raising :class:`ModelSpecError`.

    Returns
    -------
    PLSResult
        Weights, loadings, scores, path coefficients, R² and the convergence record of the fit.

    See Also
    --------
    ecsi : The ECSI model's constructs and paths.
    bootstrap : Intervals for the estimates.
    csat_analysis.pls_assess.mga : Path differences between groups.

    References
    ----------
    Tenenhaus, M., Esposito Vinzi, V., Chatelin, Y.-M., & Lauro, C. (2005). PLS path
    modeling. *Computational Statistics & Data Analysis*, 48(1), 159-205.

    Hair, J. F., Hult, G. T. M., Ringle, C. M., & Sarstedt, M. (2017). *A Primer on
    Partial Least Squares Structural Equation Modeling (PLS-SEM)* (2nd ed.). Thousand
    Oaks, CA: Sage.

    Examples
    --------
    >>> from csat_analysis import datasets
    >>> data = datasets.load("corp_rep")
    >>> measurement = {"COMP": ["comp_1", "comp_2", "comp_3"], "LIKE": ["like_1", "like_2", "like_3"],
    ...                "CUSA": "cusa", "CUSL": ["cusl_1", "cusl_2", "cusl_3"]}
    >>> structural = [("COMP", "CUSA"), ("LIKE", "CUSA"), ("COMP", "CUSL"), ("LIKE", "CUSL"), ("CUSA", "CUSL")]
    >>> fit = estimate(data, measurement, structural)
    >>> fit.r2.round(3).to_dict()
    {'CUSA': 0.295, 'CUSL': 0.562}
    """
    check_choice("missing", missing, MISSING, error=ModelSpecError)
    check_choice("on_nonconvergence", on_nonconvergence, ON_NONCONVERGENCE, error=ModelSpecError)
    if not isinstance(data, pd.DataFrame):
        raise ModelSpecError(f"data must be a pandas DataFrame, got {type(data).__name__}")
    if int(max_iter) < 1 or not tol > 0:
        raise ModelSpecError(f"max_iter must be >= 1 and tol > 0 (got max_iter={max_iter}, tol={tol})")
    model, depth = _compile(data, measurement, structural, modes, scheme)
    raw = _item_values(data, model.items)
    values, keep = _apply_missing(data, raw, model.items, missing)
    if len(values) < 3:
        raise ModelSpecError(f"only {len(values)} complete respondent(s); PLS needs at least 3")
    sd = values.std(axis=0, ddof=1)
    constant = [model.items[j] for j in np.flatnonzero(~(sd > 0))]
    if constant:
        raise ModelSpecError(
            f"item(s) {constant} have zero variance (every answer the same); drop them from the measurement model"
        )

    design = core.moment_design(values)
    moments = core.resample_moments(design, np.ones((1, len(values))), impute_mean=False)
    fit = core.fit_correlations(model, moments.cor, max_iter=int(max_iter), tol=tol)
    if fit.singular[0]:
        raise ModelSpecError(
            "singular system: the item or construct correlations are collinear "
            "(e.g. a duplicated item, or antecedents that are perfectly correlated); "
            "check the measurement model and the Mode B blocks"
        )
    if not fit.converged[0]:
        message = (
            f"PLS did not converge in {max_iter} iterations (tol={tol}); "
            "try another scheme, a larger max_iter, or check the model"
        )
        if on_nonconvergence == "error":
            raise ModelSpecError(message + " (on_nonconvergence='warn' returns the flagged result)")
        warnings.warn(message, ConvergenceWarning, stacklevel=2)
    index = data.index[keep]
    return PLSResult(
        model=model,
        depth=depth,
        fit=fit,
        raw_values=raw,
        values=values,
        index=index,
        missing=missing,
        settings={
            "scheme": scheme,
            "missing": missing,
            "max_iter": int(max_iter),
            "tol": tol,
            "modes": {c: ("B" if b else "A") for c, b in zip(model.constructs, model.mode_b)},
        },
    )


def _frame(values: np.ndarray, rows: list[str], cols: list[str]) -> pd.DataFrame:
    return pd.DataFrame(values, index=pd.Index(rows), columns=pd.Index(cols))


class PLSResult:
    """An estimated PLS path model; see :func:`estimate`.

    Attributes
    ----------
    paths, total_effects : DataFrame
        Rows = from, columns = to, zero where there is no path.
    loadings, weights : DataFrame
        Rows = items, columns = constructs, zero where an item does not belong.
    scores : DataFrame
        Standardised construct scores (unit variance, n - 1), one row per respondent used.
    r2, r2_adj : Series
        (Adjusted) R² per endogenous construct.
    reliability : DataFrame
        Index = construct; ``alpha`` (standardised), ``rhoC``, ``AVE``, ``rhoA``.
    htmt : DataFrame
        Heterotrait-monotrait ratios, symmetric, NaN on the diagonal.
    iterations : int
    converged : bool
    """

    def __init__(self, *, model, depth, fit, raw_values, values, index, missing, settings):
        self._model, self._depth, self._missing = model, depth, missing
        self._raw_values, self._values, self.settings = raw_values, values, settings
        items, constructs = model.items, model.constructs
        self.n = len(values)
        self.iterations = int(fit.iterations[0])
        self.converged = bool(fit.converged[0])
        self.weights = _frame(fit.weights[0], items, constructs)
        self.loadings = _frame(fit.loadings[0], items, constructs)
        self.paths = _frame(fit.paths[0], constructs, constructs)
        self.total_effects = _frame(core.total_effects(fit.paths[:1])[0], constructs, constructs)
        endogenous = [constructs[k] for k, _ in model.endogenous]
        self.r2 = pd.Series(fit.r2[0], index=pd.Index(endogenous), name="r2")
        n_predictors = np.array([len(sources) for _, sources in model.endogenous])
        self.r2_adj = pd.Series(
            1 - (1 - fit.r2[0]) * (self.n - 1) / (self.n - n_predictors - 1), index=pd.Index(endogenous), name="r2_adj"
        )
        self.item_mean = values.mean(axis=0)
        self.item_sd = values.std(axis=0, ddof=1)
        standardised = (values - self.item_mean) / self.item_sd
        self.scores = pd.DataFrame(standardised @ fit.weights[0], index=index, columns=pd.Index(constructs))
        item_cor = np.corrcoef(values, rowvar=False)
        self.reliability = _reliability(model, item_cor, fit.weights[0], fit.loadings[0])
        self.htmt = _htmt(model, item_cor)

    # ----------------------------------------------------------------- reporting
    def __repr__(self) -> str:
        status = f"converged in {self.iterations} iterations" if self.converged else "NOT converged"
        return (
            f"<PLSResult: {len(self._model.constructs)} constructs, {len(self._model.items)} items, "
            f"{int(self.paths.ne(0).sum().sum())} paths, n={self.n}, {self.settings['scheme']} scheme, {status}>"
        )

    def summary(self) -> PLSSummary:
        """Paths, R², reliability, loadings and HTMT as one printable bundle.

        Returns
        -------
        PLSSummary
            Printable with ``print``; its fields hold the tables.
        """
        tidy_paths = self.paths.stack().rename("estimate").rename_axis(["source", "target"]).reset_index()
        tidy_paths = tidy_paths[self._model.paths.ravel() > 0].reset_index(drop=True)
        tidy_paths["total_effect"] = [
            self.total_effects.loc[s, t] for s, t in zip(tidy_paths["source"], tidy_paths["target"])
        ]
        tidy_loadings = self.loadings.stack().rename("loading").rename_axis(["item", "construct"]).reset_index()
        keep = self._model.mask.ravel() > 0
        tidy_loadings = tidy_loadings[keep].reset_index(drop=True)
        tidy_loadings["weight"] = self.weights.to_numpy().ravel()[keep]
        info = {
            "n": self.n,
            "scheme": self.settings["scheme"],
            "missing": self.settings["missing"],
            "iterations": self.iterations,
            "converged": self.converged,
        }
        r2 = pd.DataFrame({"r2": self.r2, "r2_adj": self.r2_adj})
        index_weights = _frame(
            _index_weights(self.weights.to_numpy(), self.item_sd), self._model.items, self._model.constructs
        )
        return PLSSummary(
            info=info,
            paths=tidy_paths,
            r2=r2,
            reliability=self.reliability,
            loadings=tidy_loadings,
            htmt=self.htmt,
            negative_index_weights=_negative_weights(index_weights, self._model),
        )

    def plot(self, ax=None, positions: dict[str, tuple[float, float]] | None = None):
        """Draw the path diagram with matplotlib: coefficients on arrows, R² in nodes.

        Parameters
        ----------
        ax : matplotlib Axes, optional
        positions : dict construct -> (x, y), optional
            Where to put each construct. By default the standard ECSI model gets the
            textbook layout (antecedents left, satisfaction centre, outcomes right) and
            any other model is laid out in columns by depth in the structural model.

        Returns
        -------
        matplotlib.axes.Axes
            The axes holding the path diagram.
        """
        import matplotlib.pyplot as plt
        from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

        ax = ax if ax is not None else plt.gca()
        constructs = self._model.constructs
        if positions is None and set(constructs) == set(ECSI_LAYOUT):
            positions = ECSI_LAYOUT
        if positions is not None:
            missing = [c for c in constructs if c not in positions]
            if missing:
                raise ModelSpecError(f"plot: positions lack construct(s) {missing}")
            position = {c: tuple(positions[c]) for c in constructs}
        else:
            layers: dict[int, list[str]] = {}
            for c in constructs:
                layers.setdefault(self._depth[c], []).append(c)
            position = {}
            for d, members in layers.items():
                for i, c in enumerate(members):
                    # alternate layers up and down so arrows skipping layers do not overlap
                    shift = 0.6 * (d % 2) if len(members) == 1 else 0.0
                    position[c] = (d * 3.4, (i - (len(members) - 1) / 2) * 1.3 + shift)
        # where on each arrow its coefficient sits: nearer the source in the layered
        # layout, so the labels of arrows converging on one construct do not pile up
        label_at = 0.5 if positions is not None else 0.35
        half_w, half_h = 0.8, 0.42
        boxes = {}
        for c, (x, y) in position.items():
            boxes[c] = FancyBboxPatch(
                (x - half_w, y - half_h),
                2 * half_w,
                2 * half_h,
                boxstyle="round,pad=0.02",
                facecolor="#dbe9f6",
                edgecolor="0.25",
                zorder=2,
            )
            ax.add_patch(boxes[c])
            label = c if c not in self.r2.index else f"{c}\nR² = {self.r2[c]:.2f}"
            ax.text(x, y, label, ha="center", va="center", fontsize=8, zorder=3)
        long_edges = 0
        label_points = []
        for s, t in zip(*np.nonzero(self._model.paths)):
            source, target = constructs[s], constructs[t]
            (x0, y0), (x1, y1) = position[source], position[target]
            span = self._depth[target] - self._depth[source]
            # arrows that skip layers bow out, alternately up and down, to clear the boxes between
            rad = 0.0
            if span > 1 and positions is None:
                rad = 1.1 / span * (-1) ** long_edges
                long_edges += 1
            ax.add_patch(
                FancyArrowPatch(
                    (x0, y0),
                    (x1, y1),
                    connectionstyle=f"arc3,rad={rad}",
                    arrowstyle="-|>",
                    mutation_scale=12,
                    color="0.3",
                    zorder=1,
                    patchA=boxes[source],
                    patchB=boxes[target],
                    shrinkA=1,
                    shrinkB=1,
                )
            )
            # arc3 draws a quadratic Bezier whose control point is offset by rad x (dy, -dx)
            cx, cy = (x0 + x1) / 2 + rad * (y1 - y0), (y0 + y1) / 2 - rad * (x1 - x0)
            u = label_at
            mx = (1 - u) ** 2 * x0 + 2 * (1 - u) * u * cx + u**2 * x1
            my = (1 - u) ** 2 * y0 + 2 * (1 - u) * u * cy + u**2 * y1
            label_points.append((mx, my))
            ax.text(
                mx,
                my,
                f"{self.paths.loc[source, target]:.2f}",
                ha="center",
                va="center",
                fontsize=8,
                bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none"},
                zorder=4,
            )
        xs = [p[0] for p in [*position.values(), *label_points]]
        ys = [p[1] for p in [*position.values(), *label_points]]
        ax.set_xlim(min(xs) - 1.0, max(xs) + 1.0)
        ax.set_ylim(min(ys) - 0.7, max(ys) + 0.7)
        ax.set_aspect("equal")
        ax.axis("off")
        return ax

    # ----------------------------------------------------------------- indices
    def index(self, scale: Any = (1, 10), ci: float = 0.95) -> IndexResult:
        """ACSI-style 0-100 indices per construct and respondent.

        Each item is rescaled to 0-100 from ``scale``; a construct's index is the
        weighted mean of its rescaled items with the outer weights unstandardised
        (divided by the item's SD) and normalised to sum to one. Negative weights are
        kept and reported: ``weights``, the count in ``summary.negative_weights`` and
        the list in ``negative_weights`` (no warning: a report shows them).

        Parameters
        ----------
        scale : (low, high), Scale or dict item -> (low, high)
            The answer scale of the items.
        ci : float
            Level of the t-interval of the mean index (``summary.low``/``high``).

        Returns
        -------
        IndexResult
            Respondent scores, the per-construct summary and the index weights.

        References
        ----------
        Fornell, C., Johnson, M. D., Anderson, E. W., Cha, J., & Bryant, B. E. (1996).
        The American Customer Satisfaction Index: Nature, purpose, and findings.
        *Journal of Marketing*, 60(4), 7-18.
        """
        low, high = _scale_bounds(scale, self._model.items)
        index_weights = _index_weights(self.weights.to_numpy(), self.item_sd)
        outside = (self._values < low) | (self._values > high)
        if outside.any():
            j = int(np.flatnonzero(outside.any(axis=0))[0])
            column = pd.Series(self._values[:, j], index=self.scores.index)
            raise SurveyDataError(
                f"item {self._model.items[j]!r} has values outside the scale {low[j]:g}..{high[j]:g}: "
                f"{describe_offenders(column, outside[:, j])}"
            )
        rescaled = 100 * (self._values - low) / (high - low)
        scores = pd.DataFrame(
            rescaled @ index_weights, index=self.scores.index, columns=pd.Index(self._model.constructs)
        )
        weights = _frame(index_weights, self._model.items, self._model.constructs)
        negative = (weights < 0).sum()
        mean = scores.mean()
        half = stats.t.ppf(0.5 + ci / 2, len(scores) - 1) * scores.std(ddof=1) / np.sqrt(len(scores))
        summary = pd.DataFrame(
            {
                "index": mean,
                "low": mean - half,
                "high": mean + half,
                "n": len(scores),
                "negative_weights": negative.astype(int),
            }
        )
        summary.index.name = "construct"
        return IndexResult(
            scores=scores,
            summary=summary,
            weights=weights,
            interval=f"t-interval of the mean index ({ci:.0%})",
            negative_weights=_negative_weights(weights, self._model),
        )

    # ----------------------------------------------------------------- assessment
    def vif(self) -> pd.DataFrame:
        """Outer and inner collinearity (VIF); see :func:`csat_analysis.pls_assess.vif`.

        Returns
        -------
        DataFrame
            As :func:`csat_analysis.pls_assess.vif`.
        """
        return pls_assess.vif(self)

    def f_squared(self) -> pd.DataFrame:
        """Cohen's f² of every path; see :func:`csat_analysis.pls_assess.f_squared`.

        Returns
        -------
        DataFrame
            As :func:`csat_analysis.pls_assess.f_squared`.
        """
        return pls_assess.f_squared(self)

    def predict(
        self, folds: int = 10, repeats: int = 10, seed: int | None = 0, *, technique: str = "DA", orderings=None
    ) -> PredictResult:
        """PLSpredict (Q²predict, RMSE and MAE vs the LM benchmark); see :func:`csat_analysis.pls_assess.predict`.

        Parameters
        ----------
        folds, repeats, seed, technique, orderings
            As in :func:`csat_analysis.pls_assess.predict`.

        Returns
        -------
        PredictResult
            Out-of-sample metrics per endogenous item.
        """
        return pls_assess.predict(
            self, folds=folds, repeats=repeats, seed=seed, technique=technique, orderings=orderings
        )

    # ----------------------------------------------------------------- bootstrap
    def bootstrap(
        self,
        n: int = 5000,
        seed: int = 0,
        ci: float = 0.95,
        *,
        scale: Any = (1, 10),
        sign_change: str = "construct",
        indices: np.ndarray | None = None,
        memory_bytes: float = 2**30,
    ) -> BootstrapResult:
        """Bootstrap paths, loadings, weights and mean indices; see :func:`bootstrap`.

        Parameters
        ----------
        n, seed, ci, scale, sign_change, indices, memory_bytes
            As in :func:`bootstrap`.

        Returns
        -------
        BootstrapResult
            Resample statistics and percentile intervals.
        """
        return bootstrap(
            self,
            n=n,
            seed=seed,
            ci=ci,
            scale=scale,
            sign_change=sign_change,
            indices=indices,
            memory_bytes=memory_bytes,
        )


def _scale_bounds(scale, items: list[str]) -> tuple[np.ndarray, np.ndarray]:
    if isinstance(scale, Mapping) and not all(isinstance(v, (int, float)) for v in scale.values()):
        missing = [i for i in items if i not in scale]
        if missing:
            raise SurveyDataError(f"scale: no scale given for item(s) {missing}")
        bounds = [Scale.coerce(scale[i]) for i in items]
    else:
        bounds = [Scale.coerce(scale)] * len(items)
    return np.array([b.low for b in bounds], dtype=float), np.array([b.high for b in bounds], dtype=float)


def _index_weights(weights: np.ndarray, item_sd: np.ndarray) -> np.ndarray:
    """Unstandardise outer weights (w / sd) and normalise each construct's to sum 1; stacks allowed."""
    raw = weights / item_sd[..., :, None]
    with np.errstate(all="ignore"):
        return raw / raw.sum(axis=-2, keepdims=True)


def _reliability(
    model: core.CompiledModel, item_cor: np.ndarray, weights: np.ndarray, loadings: np.ndarray
) -> pd.DataFrame:
    rows = []
    for k, block in enumerate(model.blocks):
        size = len(block)
        if size == 1:
            rows.append((1.0, 1.0, 1.0, 1.0))
            continue
        r = item_cor[np.ix_(block, block)]
        alpha = size / (size - 1) * (1 - size / r.sum())
        lam = loadings[block, k]
        rho_c, ave = composite_reliability(lam), average_variance_extracted(lam)
        if model.mode_b[k]:
            rho_a = 1.0
        else:
            # Dijkstra & Henseler (2015): (w'w)² w'(S - diag S)w / w'(ww' - diag(ww'))w
            w = weights[block, k]
            off = r - np.diag(np.diag(r))
            outer = np.outer(w, w)
            rho_a = (w @ w) ** 2 * (w @ off @ w) / (w @ (outer - np.diag(np.diag(outer))) @ w)
        rows.append((alpha, rho_c, ave, rho_a))
    frame = pd.DataFrame(
        rows, index=pd.Index(model.constructs, name="construct"), columns=["alpha", "rhoC", "AVE", "rhoA"]
    )
    return frame


def _negative_weights(index_weights: pd.DataFrame, model: core.CompiledModel) -> pd.DataFrame:
    """Tidy list ``item``, ``construct``, ``weight`` of the negative index weights."""
    rows = [
        (item, construct, float(index_weights.loc[item, construct]))
        for construct, block in zip(model.constructs, model.blocks)
        for item in [model.items[j] for j in block]
        if index_weights.loc[item, construct] < 0
    ]
    return pd.DataFrame(rows, columns=["item", "construct", "weight"])


def _htmt(model: core.CompiledModel, item_cor: np.ndarray) -> pd.DataFrame:
    """Henseler et al. (2015) HTMT on absolute item correlations (as seminr)."""
    absolute = np.abs(item_cor)
    mono = []
    for block in model.blocks:
        if len(block) == 1:
            mono.append(1.0)
            continue
        sub = absolute[np.ix_(block, block)]
        mono.append(sub[np.triu_indices(len(block), 1)].mean())
    size = len(model.blocks)
    out = np.full((size, size), np.nan)
    for a in range(size):
        for b in range(a + 1, size):
            hetero = absolute[np.ix_(model.blocks[a], model.blocks[b])].mean()
            out[a, b] = out[b, a] = hetero / np.sqrt(mono[a] * mono[b])
    return _frame(out, model.constructs, model.constructs)


# --------------------------------------------------------------------------- result records


@dataclass
class PLSSummary:
    """Printable bundle returned by :meth:`PLSResult.summary`.

    Attributes
    ----------
    info : dict
        Model settings and fit facts (respondents, iterations, scheme).
    paths, r2, reliability, loadings, htmt : DataFrame
        As the :class:`PLSResult` attributes of the same names.
    negative_index_weights : DataFrame
        ``item``, ``construct``, ``weight`` of every negative ACSI index weight
        (empty: none).
    """

    info: dict
    paths: pd.DataFrame
    r2: pd.DataFrame
    reliability: pd.DataFrame
    loadings: pd.DataFrame
    htmt: pd.DataFrame
    #: ``item``, ``construct``, ``weight`` of every negative ACSI index weight (empty: none)
    negative_index_weights: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["item", "construct", "weight"])
    )

    def __str__(self) -> str:
        head = ", ".join(f"{k}={v}" for k, v in self.info.items())
        parts = [
            f"PLS path model ({head})",
            "",
            "Paths",
            self.paths.round(3).to_string(index=False),
            "",
            "R²",
            self.r2.round(3).to_string(),
            "",
            "Reliability",
            self.reliability.round(3).to_string(),
            "",
            "Loadings and weights",
            self.loadings.round(3).to_string(index=False),
            "",
            "HTMT",
            self.htmt.round(3).to_string(na_rep=""),
        ]
        if len(self.negative_index_weights):
            parts += [
                "",
                "Negative index weights (they pull the 0-100 index down)",
                self.negative_index_weights.round(3).to_string(index=False),
            ]
        return "\n".join(parts)

    __repr__ = __str__


@dataclass
class IndexResult:
    """ACSI-style 0-100 indices (:meth:`PLSResult.index`).

    Attributes
    ----------
    scores : DataFrame
        Respondents x constructs, each on 0-100.
    summary : DataFrame
        Per construct ``index`` (mean), ``low``/``high`` (t-interval of the mean
        index, level in ``interval``), ``n``, ``negative_weights`` (count).
    weights : DataFrame
        The normalised unstandardised outer weights.
    interval : str
        Level and kind of the interval.
    negative_weights : DataFrame
        ``item``, ``construct``, ``weight`` of each negative weight.

    References
    ----------
    Fornell, C., Johnson, M. D., Anderson, E. W., Cha, J., & Bryant, B. E. (1996).
    The American Customer Satisfaction Index: Nature, purpose, and findings.
    *Journal of Marketing*, 60(4), 7-18.
    """

    scores: pd.DataFrame
    summary: pd.DataFrame
    weights: pd.DataFrame
    interval: str
    negative_weights: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["item", "construct", "weight"])
    )


@dataclass
class BootstrapResult:
    """Bootstrap of a PLS model (:func:`bootstrap`).

    ``table`` is tidy: ``kind`` ("path", "loading", "weight", "index"), ``source``,
    ``target`` (item -> construct for loadings and weights, construct -> "index"
    for indices), ``original``, ``mean``, ``se`` (SD of the resamples, n - 1),
    ``t`` (original / se), ``low``, ``high`` (percentile interval).

    Attributes
    ----------
    table : DataFrame
        The tidy table described above.
    n_resamples, n_failed, n_nonconverged, n_sign_changes : int
        Resamples drawn; dropped (a constant item or a singular system); not
        converged; with at least one construct sign flipped.
    seed : int or None
        Seed of the resampling.
    ci : float
        Level of the percentile intervals.
    draws : dict
        The raw resample estimates by kind (arrays, resamples first).
    model : object
        The model specification the resamples were estimated with.
    original_paths, original_htmt : numpy.ndarray or None
        The full-sample path and HTMT matrices.

    References
    ----------
    Efron, B., & Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*.
    Chapman & Hall.
    """

    table: pd.DataFrame
    n_resamples: int
    n_failed: int
    n_nonconverged: int
    n_sign_changes: int
    seed: int | None
    ci: float
    draws: dict = field(repr=False, default_factory=dict)
    model: Any = field(repr=False, default=None)
    original_paths: np.ndarray | None = field(repr=False, default=None)
    original_htmt: np.ndarray | None = field(repr=False, default=None)

    def htmt(self) -> pd.DataFrame:
        """HTMT with bootstrap intervals and the 0.85 / 0.90 verdicts; see :func:`csat_analysis.pls_assess.htmt_table`.

        Returns
        -------
        DataFrame
            As :func:`csat_analysis.pls_assess.htmt_table`.
        """
        return pls_assess.htmt_table(self)

    def indirect_effects(self, ci: float | None = None) -> pd.DataFrame:
        """Specific indirect effects with intervals; see :func:`csat_analysis.pls_assess.indirect_effects`.

        Parameters
        ----------
        ci : float, optional
            Level of the percentile intervals; default the bootstrap's own.

        Returns
        -------
        DataFrame
            As :func:`csat_analysis.pls_assess.indirect_effects`.
        """
        return pls_assess.indirect_effects(self, ci=ci)

    def summary(self) -> str:
        """Paths, HTMT verdicts and indirect effects as text.

        Returns
        -------
        str
            The report text.
        """
        return "\n".join(
            [
                f"Bootstrap: {self.n_resamples} resamples ({self.n_failed} failed), {self.ci:.0%} percentile intervals",
                self.paths.round(3).to_string(index=False),
                "",
                "HTMT",
                self.htmt().round(3).to_string(index=False),
                "",
                "Specific indirect effects",
                self.indirect_effects().round(3).to_string(index=False),
            ]
        )

    def _kind(self, kind: str) -> pd.DataFrame:
        return self.table[self.table["kind"] == kind].reset_index(drop=True)

    @property
    def paths(self) -> pd.DataFrame:
        """The rows of ``table`` for the path coefficients."""
        return self._kind("path")

    @property
    def loadings(self) -> pd.DataFrame:
        """The rows of ``table`` for the outer loadings."""
        return self._kind("loading")

    @property
    def weights(self) -> pd.DataFrame:
        """The rows of ``table`` for the outer weights."""
        return self._kind("weight")

    @property
    def indices(self) -> pd.DataFrame:
        """The rows of ``table`` for the 0-100 index values."""
        return self._kind("index")


# --------------------------------------------------------------------------- bootstrap


def bootstrap(
    result: PLSResult,
    n: int = 5000,
    seed: int | None = 0,
    ci: float = 0.95,
    *,
    scale: Any = (1, 10),
    sign_change: str = "construct",
    indices: np.ndarray | None = None,
    memory_bytes: float = 2**30,
) -> BootstrapResult:
    """Bootstrap a fitted model: all resamples estimated together in batched NumPy.

    Respondents (the rows given to :func:`estimate`, including incomplete ones) are
    resampled with replacement from ``numpy.random.default_rng(seed)``; each resample
    is treated as seminr treats it (mean replacement within the resample, or
    listwise deletion), its item correlations come from one batched matrix product,
    and the PLS iterations run on the stack of small correlation matrices, in chunks
    that keep memory under about ``memory_bytes``. Resamples with a constant item or
    a singular system are dropped and counted (``n_failed``), as seminr does.

    Parameters
    ----------
    result : PLSResult
        The fitted model (:func:`estimate`).
    n : int
        Number of resamples.
    seed : int
        Same seed (and same data and model) -> same result.
    ci : float
        Level of the percentile intervals (R's type-7 quantiles).
    scale : (low, high), Scale, dict or None
        Answer scale for the mean-index rows (kind "index"); ``None`` leaves them out.
    sign_change : {"construct", "none"}
        ``"construct"`` (default) flips a resample's construct when its outer weights
        point away from the original ones (Tenenhaus et al. 2005), so an arbitrary sign
        does not inflate standard errors; ``"none"`` keeps raw resample signs, as
        seminr. With the usual all-positive blocks both give the same numbers.
    indices : array (n, n_rows), optional
        Explicit resample row positions (0-based) instead of drawing them.
    memory_bytes : float
        Memory the batched estimation may use at once; more resamples are cut into
        chunks.

    Returns
    -------
    BootstrapResult
        The tidy resample table, intervals and resample counts.

    See Also
    --------
    estimate : The model being resampled.
    csat_analysis.pls_assess.htmt_table : HTMT with bootstrap intervals.

    References
    ----------
    Efron, B., & Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*. New York:
    Chapman & Hall.

    Examples
    --------
    >>> from csat_analysis import datasets
    >>> measurement, structural = ecsi()
    >>> fit = estimate(datasets.load("mobi"), measurement, structural)
    >>> boot = fit.bootstrap(n=200, seed=1)
    >>> list(boot.paths.columns)
    ['kind', 'source', 'target', 'original', 'mean', 'se', 't', 'low', 'high']
    >>> bool((boot.paths["se"] > 0).all())
    True
    """
    check_choice("sign_change", sign_change, SIGN_CHANGES, error=ModelSpecError)
    if not 0 < ci < 1:
        raise ModelSpecError(f"ci must be between 0 and 1, got {ci}")
    model = result._model
    raw = result._raw_values
    n_rows = len(raw)
    if indices is not None:
        indices = np.asarray(indices)
        if indices.ndim != 2 or indices.shape[1] != n_rows or indices.min() < 0 or indices.max() >= n_rows:
            raise ModelSpecError(f"indices must be an (n_resamples, {n_rows}) array of row positions 0..{n_rows - 1}")
        n = indices.shape[0]
    n = int(n)
    if n < 2:
        raise ModelSpecError(f"n must be at least 2 resamples, got {n}")
    if scale is not None:
        low, high = _scale_bounds(scale, model.items)
        outside = (result._values < low) | (result._values > high)
        if outside.any():
            result.index(scale)  # raises the detailed error
    complete = ~np.isnan(raw).any(axis=1)
    if result._missing == "drop":
        # resample all respondents, then drop the incomplete ones inside each resample (as seminr's na.omit)
        design = core.moment_design(raw[complete])
        rows_used = complete
    else:
        design = core.moment_design(raw)
        rows_used = np.ones(n_rows, dtype=bool)
    impute = result._missing == "mean"
    original_w = result.weights.to_numpy()
    rng = np.random.default_rng(seed)
    batch = core.chunk_size(n_rows, design.products.shape[1], memory_bytes)

    collected: dict[str, list[np.ndarray]] = {
        "paths": [],
        "loadings": [],
        "weights": [],
        "index": [],
        "htmt": [],
        "ok": [],
        "conv": [],
        "flips": [],
    }
    for start in range(0, n, batch):
        size = min(batch, n - start)
        chunk = indices[start : start + size] if indices is not None else rng.integers(0, n_rows, size=(size, n_rows))
        counts = core.resample_counts(chunk, n_rows)[:, rows_used]
        moments = core.resample_moments(design, counts, impute_mean=impute)
        fit = core.fit_correlations(
            model, moments.cor, max_iter=result.settings["max_iter"], tol=result.settings["tol"]
        )
        ok = ~(fit.singular | moments.degenerate | (moments.n < 3))
        weights, loadings, paths = fit.weights, fit.loadings, fit.paths
        flips = np.zeros((size, len(model.constructs)), dtype=bool)
        if sign_change == "construct":
            flips = np.sum(weights * original_w, axis=1) < 0
            sign = np.where(flips, -1.0, 1.0)
            weights = weights * sign[:, None, :]
            loadings = loadings * sign[:, None, :]
            paths = paths * sign[:, :, None] * sign[:, None, :]
        collected["paths"].append(paths)
        collected["loadings"].append(loadings)
        collected["weights"].append(weights)
        if scale is not None:
            index_weights = _index_weights(weights, moments.sd)
            rescaled_means = 100 * (moments.mean - low) / (high - low)
            collected["index"].append(np.einsum("bp,bpk->bk", rescaled_means, index_weights))
        collected["htmt"].append(pls_assess.htmt_stack(model, moments.cor))
        collected["ok"].append(ok)
        collected["conv"].append(fit.converged)
        collected["flips"].append(flips.any(axis=1) & ok)

    ok = np.concatenate(collected["ok"])
    draws = {
        key: np.concatenate(collected[key])[ok]
        for key in ("paths", "loadings", "weights", "index", "htmt")
        if collected[key]
    }
    if ok.sum() < 2:
        raise ModelSpecError(f"only {int(ok.sum())} of {n} resamples could be estimated")
    table = _boot_table(result, draws, ci, scale)
    return BootstrapResult(
        table=table,
        n_resamples=int(ok.sum()),
        n_failed=int((~ok).sum()),
        n_nonconverged=int((~np.concatenate(collected["conv"])[ok]).sum()),
        n_sign_changes=int(np.concatenate(collected["flips"]).sum()),
        seed=seed if indices is None else None,
        ci=ci,
        draws=draws,
        model=model,
        original_paths=result.paths.to_numpy(),
        original_htmt=result.htmt.to_numpy(),
    )


def _boot_table(result: PLSResult, draws: dict, ci: float, scale) -> pd.DataFrame:
    model = result._model
    items, constructs = model.items, model.constructs
    blocks = []

    def add(kind, original, samples, sources, targets):
        quantiles = np.quantile(samples, [(1 - ci) / 2, (1 + ci) / 2], axis=0)
        se = samples.std(axis=0, ddof=1)
        # a single item's weight and loading are 1 in every resample: SE 0 up to rounding
        se = np.where(se < 1e-12 * np.maximum(1.0, np.abs(original)), 0.0, se)
        with np.errstate(all="ignore"):
            t = np.where(se > 0, original / se, np.nan)
        blocks.append(
            pd.DataFrame(
                {
                    "kind": kind,
                    "source": sources,
                    "target": targets,
                    "original": original,
                    "mean": samples.mean(axis=0),
                    "se": se,
                    "t": t,
                    "low": quantiles[0],
                    "high": quantiles[1],
                }
            )
        )

    s, t = np.nonzero(model.paths)
    add(
        "path",
        result.paths.to_numpy()[s, t],
        draws["paths"][:, s, t],
        [constructs[i] for i in s],
        [constructs[i] for i in t],
    )
    j, k = np.nonzero(model.mask)
    add(
        "loading",
        result.loadings.to_numpy()[j, k],
        draws["loadings"][:, j, k],
        [items[i] for i in j],
        [constructs[i] for i in k],
    )
    add(
        "weight",
        result.weights.to_numpy()[j, k],
        draws["weights"][:, j, k],
        [items[i] for i in j],
        [constructs[i] for i in k],
    )
    if scale is not None:
        original = result.index(scale).summary["index"].to_numpy()
        add("index", original, draws["index"], list(constructs), ["index"] * len(constructs))
    return pd.concat(blocks, ignore_index=True)
