"""Batched PLS path-model arithmetic behind :mod:`csat_analysis.pls` (private).

With standardised, complete data every PLS quantity (outer weights, score
correlations, paths, loadings, R²) is a function of the item correlation matrix
``R``. The functions here therefore work on a *stack* of correlation matrices,
shape ``(B, p, p)``: the original fit is a stack of one and a bootstrap chunk is a
stack of B resamples, so both go through the same code.

The algorithm is Lohmöller's (1989) PLS path modelling as implemented by seminr:
outer weights start at one, construct scores and inner proxies are standardised
(n - 1), Mode A weights are item/proxy correlations, Mode B weights regress the
proxy on the block's items, weights are rescaled so each score has unit variance,
and the loop stops when the summed absolute change of all weights falls below
``tol`` (or after ``max_iter`` further passes).

Resample moments come from one matrix product: with ``F = [1, X, M]`` (a column of
ones, the centred items with missing cells set to zero, and missing-cell indicators
of the items that have any) and ``c`` a resample's row counts, ``F' diag(c) F``
holds every count, sum and cross-product a resample needs, including those of the
items after mean replacement within the resample (as seminr re-imputes each
bootstrap sample). Stacking the pairwise products of F's columns once turns a chunk
of resamples into a single ``counts @ products`` GEMM.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

#: a pivot of a unit-diagonal system below this means it is (numerically) singular:
#: one variable is explained by the others with R² > 1 - 1e-12
SINGULAR_PIVOT = 1e-12


@dataclass(frozen=True)
class CompiledModel:
    """A validated model as index arrays (items p, constructs K)."""

    items: list[str]
    constructs: list[str]
    mask: np.ndarray  # (p, K) 1 where the item belongs to the construct
    blocks: list[np.ndarray]  # item indices per construct
    mode_b: np.ndarray  # (K,) bool
    paths: np.ndarray  # (K, K) 1 at [source, target]
    endogenous: list[tuple[int, np.ndarray]]  # (construct, antecedent indices)
    scheme: str

    @cached_property
    def regression_groups(self) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """Endogenous constructs grouped by antecedent count: (positions, sources (E, a), targets)."""
        groups = []
        for size in sorted({len(sources) for _, sources in self.endogenous}):
            members = [
                (e, target, sources) for e, (target, sources) in enumerate(self.endogenous) if len(sources) == size
            ]
            groups.append(
                (
                    np.array([m[0] for m in members]),
                    np.array([m[2] for m in members]),
                    np.array([m[1] for m in members]),
                )
            )
        return groups


@dataclass
class BatchFit:
    """Everything a stack of fits produces; leading axis = resample."""

    weights: np.ndarray  # (B, p, K), scores have unit variance
    loadings: np.ndarray  # (B, p, K)
    paths: np.ndarray  # (B, K, K)
    r2: np.ndarray  # (B, n_endogenous)
    score_cor: np.ndarray  # (B, K, K)
    iterations: np.ndarray  # (B,) int
    converged: np.ndarray  # (B,) bool
    singular: np.ndarray  # (B,) bool: some system could not be solved


def batched_solve(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Solve stacked unit-diagonal SPD systems ``a x = b``; return ``(x, singular)``.

    Gauss-Jordan elimination vectorised over the stack (a loop over the few
    columns, not over the stack): for tiny systems it is several times faster than
    one LAPACK call per member. Correlation matrices need no pivoting; a pivot below
    ``SINGULAR_PIVOT`` flags the member as singular (its solution is then garbage
    and must be dropped by the caller).
    """
    a = np.array(a, dtype=float)
    b = np.array(b, dtype=float)
    size = a.shape[-1]
    singular = np.zeros(a.shape[:-2], dtype=bool)
    for j in range(size):
        pivot = a[..., j, j]
        bad = ~(pivot > SINGULAR_PIVOT)
        singular |= bad
        factor = a[..., :, j] / np.where(bad, 1.0, pivot)[..., None]
        factor[..., j] = 0.0
        a -= factor[..., :, None] * a[..., j, None, :]
        b -= factor * b[..., j, None]
    diagonal = np.diagonal(a, axis1=-2, axis2=-1)
    with np.errstate(all="ignore"):
        x = np.where(singular[..., None], 0.0, b / np.where(singular[..., None], 1.0, diagonal))
    return x, singular


def _regressions(model: CompiledModel, cor: np.ndarray):
    """Every endogenous construct regressed on its antecedents, stacked by model size.

    Yields ``(positions, sources, targets, betas, rhs, singular)`` per group of
    endogenous constructs with the same number of antecedents; ``singular`` is None
    for single-antecedent groups, which need no solve.
    """
    for positions, sources, targets in model.regression_groups:
        rhs = cor[:, sources, targets[:, None]]
        if sources.shape[1] == 1:
            # one antecedent: the standardised coefficient is the correlation
            yield positions, sources, targets, rhs, rhs, None
            continue
        betas, singular = batched_solve(cor[:, sources[:, :, None], sources[:, None, :]], rhs)
        yield positions, sources, targets, betas, rhs, singular.any(axis=1)


def _score_moments(weights: np.ndarray, r_weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Correlations and variances of the scores ``Z @ weights`` given ``r_weights = R @ weights``."""
    cov = np.swapaxes(weights, 1, 2) @ r_weights
    var = np.diagonal(cov, axis1=1, axis2=2).copy()
    with np.errstate(all="ignore"):
        sd = np.sqrt(var)
        return cov / (sd[:, :, None] * sd[:, None, :]), var


def _inner_weights(model: CompiledModel, cor: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Inner weights ``E`` (proxy_k = sum_m score_m E[m, k]) for the chosen scheme."""
    links = model.paths + model.paths.T
    singular = np.zeros(cor.shape[0], dtype=bool)
    if model.scheme == "factorial":
        return cor * links, singular
    if model.scheme == "centroid":
        return np.sign(cor) * links, singular
    # path weighting: successors enter with their correlation, antecedents with the
    # coefficients of the regression of the construct on all its antecedents
    inner = cor * model.paths.T
    for _, sources, targets, betas, _, bad in _regressions(model, cor):
        inner[:, sources, targets[:, None]] = betas
        if bad is not None:
            singular |= bad
    return inner, singular


def fit_correlations(model: CompiledModel, r: np.ndarray, *, max_iter: int, tol: float) -> BatchFit:
    """Run PLS on each correlation matrix of the stack ``r`` (B, p, p).

    One product with ``R`` per pass: the inner proxies' correlations with the items
    are ``(R W) E`` and their variances ``diag(E' C E)``, so only the new outer
    weights need ``R`` again.
    """
    n_batch = r.shape[0]
    mask = model.mask
    weights = np.broadcast_to(mask, (n_batch, *mask.shape)).copy()
    r_weights = r @ weights
    converged = np.zeros(n_batch, dtype=bool)
    singular = np.zeros(n_batch, dtype=bool)
    iterations = np.full(n_batch, max_iter, dtype=int)
    mode_b = [(k, block) for k, block in enumerate(model.blocks) if model.mode_b[k]]
    live = np.arange(n_batch)
    still = np.ones(n_batch, dtype=bool)  # which rows of the live stack are not finished
    r_live, w_live, rw_live = r, weights, r_weights
    for iteration in range(max_iter + 1):
        cor, var = _score_moments(w_live, rw_live)
        bad = ~(var > 0).all(axis=1)
        inner, bad_inner = _inner_weights(model, cor)
        bad |= bad_inner
        with np.errstate(all="ignore"):
            new = rw_live @ (inner / np.sqrt(var)[:, :, None])  # item/proxy covariances
            proxy_var = np.einsum("bkl,bkl->bl", inner, cor @ inner)
            bad |= ~(proxy_var > 0).all(axis=1)
            new *= mask / np.sqrt(proxy_var)[:, None, :]
        for k, block in mode_b:
            solved, bad_b = batched_solve(r_live[:, block[:, None], block], new[:, block, k])
            new[:, block, k] = solved
            bad |= bad_b
        r_new = r_live @ new
        with np.errstate(all="ignore"):
            new_var = np.einsum("bpk,bpk->bk", new, r_new)
            bad |= ~(new_var > 0).all(axis=1)
            sd = np.where(new_var > 0, np.sqrt(new_var), 1.0)[:, None, :]
        new /= sd
        r_new /= sd
        step = np.subtract(new, w_live)
        np.abs(step, out=step)
        change = step.sum(axis=(1, 2))
        done = (change < tol) | bad
        finished = still & (done | (iteration == max_iter))
        if finished.any():
            # finished members are frozen: their results are final
            rows = live[finished]
            singular[rows] = bad[finished]
            converged[rows] = ~bad[finished] & done[finished]
            iterations[rows] = np.where(done[finished], iteration, max_iter)
            weights[rows], r_weights[rows] = new[finished], r_new[finished]
            still &= ~finished
            if not still.any():
                break
            # finished members ride along (results ignored) until copying the stack
            # down to the active ones pays off
            if still.sum() < len(still) // 2:
                live, r_live, new, r_new, still = live[still], r_live[still], new[still], r_new[still], still[still]
        w_live, rw_live = new, r_new
    return _final_quantities(model, weights, r_weights, iterations, converged, singular)


def _final_quantities(model, weights, r_weights, iterations, converged, singular) -> BatchFit:
    cor, _ = _score_moments(weights, r_weights)
    cor = np.nan_to_num(cor)
    loadings = r_weights * model.mask
    n_batch, n_constructs = cor.shape[0], len(model.constructs)
    paths = np.zeros((n_batch, n_constructs, n_constructs))
    r2 = np.zeros((n_batch, len(model.endogenous)))
    singular = singular.copy()
    for positions, sources, targets, betas, rhs, bad in _regressions(model, cor):
        paths[:, sources, targets[:, None]] = betas
        r2[:, positions] = np.sum(betas * rhs, axis=2)
        if bad is not None:
            singular |= bad
    return BatchFit(weights, loadings, paths, r2, cor, iterations, converged, singular)


def total_effects(paths: np.ndarray) -> np.ndarray:
    """Sum of all path products ``B + B² + ...`` for stacked acyclic path matrices."""
    total = paths.copy()
    power = paths.copy()
    for _ in range(paths.shape[-1]):
        power = power @ paths
        if not power.any():
            break
        total = total + power
    return total


@dataclass(frozen=True)
class MomentDesign:
    """The columns ``F = [1, X, M]`` and their pairwise products, built once per data set."""

    products: np.ndarray  # (n, q) products of F's columns, upper triangle
    pair_index: np.ndarray  # (f, f) column of ``products`` holding F_i * F_j
    n_columns: int  # f = 1 + p + number of items with missing cells
    missing_items: np.ndarray  # item index of each missing-indicator column
    centre: np.ndarray  # (p,) value subtracted from each item
    scale: np.ndarray  # (p,) divisor of each item


def moment_design(values: np.ndarray) -> MomentDesign:
    """Prepare ``values`` (n, p; NaN = missing) for batched resample moments."""
    observed = ~np.isnan(values)
    centre = np.nanmean(values, axis=0)
    scale = np.nanstd(values, axis=0, ddof=1)
    scale = np.where(scale > 0, scale, 1.0)
    # centred and scaled so raw cross-products lose no precision to large means
    standard = np.where(observed, (values - centre) / scale, 0.0)
    missing_items = np.flatnonzero((~observed).any(axis=0))
    columns = np.column_stack([np.ones(len(values)), standard, (~observed[:, missing_items]).astype(float)])
    upper = np.triu_indices(columns.shape[1])
    products = columns[:, upper[0]] * columns[:, upper[1]]
    pair_index = np.zeros((columns.shape[1], columns.shape[1]), dtype=np.intp)
    pair_index[upper] = pair_index[upper[1], upper[0]] = np.arange(len(upper[0]))
    return MomentDesign(products, pair_index, columns.shape[1], missing_items, centre, scale)


@dataclass
class ResampleMoments:
    """Per-resample item correlations and raw-scale means and SDs."""

    cor: np.ndarray  # (B, p, p)
    mean: np.ndarray  # (B, p) on the items' own scale
    sd: np.ndarray  # (B, p)
    n: np.ndarray  # (B,) rows used
    degenerate: np.ndarray  # (B,) an item is constant or entirely missing


def resample_moments(design: MomentDesign, counts: np.ndarray, *, impute_mean: bool) -> ResampleMoments:
    """Moments of the items in each resample whose row counts are ``counts`` (B, n).

    ``impute_mean`` replaces each missing cell by the mean of the item's observed
    values within the same resample; otherwise the rows in ``design`` must be complete.
    """
    n_batch, f = counts.shape[0], design.n_columns
    p = len(design.centre)
    flat = counts @ design.products
    pair = design.pair_index
    n = flat[:, pair[0, 0]]
    first = flat[:, pair[0, 1 : 1 + p]]
    second = flat[:, pair[1 : 1 + p, 1 : 1 + p]]
    degenerate = np.zeros(n_batch, dtype=bool)
    if impute_mean and len(design.missing_items):
        # imputed item j = X_j + m_j * M_j with m_j the resample mean of its observed values
        n_missing = f - 1 - p
        indicators = np.arange(1 + p, f)
        observed = n[:, None] - flat[:, pair[0, indicators]]
        degenerate |= (observed <= 0).any(axis=1)
        with np.errstate(all="ignore"):
            means = np.nan_to_num(flat[:, pair[0, 1 + design.missing_items]] / observed)
        spread = np.zeros((n_batch, n_missing, p))
        spread[:, np.arange(n_missing), design.missing_items] = means
        cross = flat[:, pair[1 : 1 + p, indicators]] @ spread
        second = second + cross + np.swapaxes(cross, 1, 2)
        second += np.swapaxes(spread, 1, 2) @ flat[:, pair[np.ix_(indicators, indicators)]] @ spread
        first = first + np.einsum("bs,bsp->bp", flat[:, pair[0, indicators]], spread)
    first /= n[:, None]
    # in place: these (B, p, p) arrays are the largest of a chunk
    # (the n/(n-1) factor cancels in correlations; it matters for the SDs only)
    cov = second
    cov /= n[:, None, None]
    cov -= first[:, :, None] * first[:, None, :]
    var = np.diagonal(cov, axis1=1, axis2=2).copy()
    # relative to the full-sample variance (1 after scaling): below this it is constant
    degenerate |= (var <= 1e-12).any(axis=1)
    inv_sd = 1 / np.sqrt(np.clip(var, 1e-300, None))
    cov *= inv_sd[:, :, None] * inv_sd[:, None, :]
    cor = cov
    return ResampleMoments(
        cor=cor,
        mean=design.centre + design.scale * first,
        sd=design.scale * np.sqrt(np.clip(var, 0, None) * (n / (n - 1))[:, None]),
        n=n,
        degenerate=degenerate,
    )


def resample_counts(indices: np.ndarray, n_rows: int) -> np.ndarray:
    """Row counts (B, n) of stacked resample index vectors (B, n)."""
    n_batch = indices.shape[0]
    offset = indices + (np.arange(n_batch) * n_rows)[:, None]
    return np.bincount(offset.ravel(), minlength=n_batch * n_rows).reshape(n_batch, n_rows).astype(float)


def chunk_size(n_rows: int, n_products: int, budget_bytes: float = 2**30) -> int:
    """How many resamples fit the memory budget (indices, counts and products per chunk)."""
    per_resample = n_rows * 8 * 4 + n_products * 8 * 4
    return int(max(1, min(1000, budget_bytes // per_resample)))
