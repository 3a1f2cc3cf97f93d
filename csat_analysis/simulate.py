"""Simulated survey panels with a known truth, for testing studies and estimators.

:func:`simulate_panel` draws one row per respondent: ECSI rating items built from
latent constructs with known standardised path coefficients, NPS and CES scores,
the TMS-USA dealer satisfaction/loyalty flags, problems, complaints and their
escalation and resolution, repurchase (TARP rates), churn with causes and tenure,
revenue, segments and survey weights. Every generating value is a documented default
in :class:`SimulationParams` (the published figures: TARP 1986, the Toyota Motor Sales
U.S.A. dealer study, LeBoeuf 1987, the ECSI model of Tenenhaus et al. 2005, where they
give a number; labelled assumptions where they do not) and is returned
in ``SimulatedPanel.truth``, so a study run on simulated data can be checked against
what generated it.

How the columns are generated (all vectorised NumPy):

* ``segment`` is sampled with ``segment_sample_shares`` (over/under-representation);
  ``weight`` = population share / realised sample share of the respondent's segment,
  so weighted segment shares equal ``segment_population_shares`` exactly whenever
  every segment is drawn (one-margin raking, i.e. post-stratification).
* Latent constructs follow a standardised linear SEM ``eta = B eta + zeta`` in the
  order Image, Expectation, Quality, Value, Satisfaction, Complaints, Loyalty. Image
  gets a segment shift (``segment_image_shift``, centred on the sample) and each error
  variance is ``1 - R²`` so that every latent has unit variance: ``truth["paths"]``
  are the standardised coefficients the latents follow. Items are
  ``loading * latent + sqrt(1 - loading²) * noise`` cut into 1..10 at the normal
  quantiles of ``item_category_shares`` (shaped like the real ``mobi`` answers).
* ``nps_score`` (0-10) and ``ces_score`` (1-7, low = little effort) are cut the same
  way from ``+/- link * Satisfaction + noise``.
* ``sales_satisfied`` and ``service_satisfied`` are thresholded satisfaction-linked
  scores (rates ``sales_satisfied_rate``, ``service_satisfied_rate``);
  ``loyal_to_dealer``/``loyal_to_brand`` are Bernoulli with the TMS-USA rates of the
  respondent's sales x service cell (``dealer_loyalty``).
* ``problem``: the ``problem_rate`` share of respondents with the highest
  ``-problem_link * Satisfaction + noise`` (low satisfaction, more problems; the
  realised rate equals ``problem_rate`` up to rounding). ``severity`` is major with
  probability ``major_share``; ``complained`` with probability ``voice_rate`` among
  respondents with a problem.
* Escalation (the TARP (1986) escalation funnel, conditional shares): a complaint stays unresolved at
  the front line with ``escalation["front_line_unresolved"]`` (50/200), escalates to
  middle management with ``middle_escalate`` (10/50), stays unresolved there with
  ``middle_unresolved`` (2/10), reaches top management with ``top_escalate`` (1/2) and
  stays unresolved there with ``top_unresolved`` (assumption: 0). Complaints that do
  not escalate further stay ``unresolved``. Resolved complaints get lognormal
  ``resolution_hours`` whose median is set so that a share ``quick_share`` is at most
  ``fast_hours`` (status ``resolved_quickly``); unresolved ones get lognormal
  ``hours_open`` (a censoring time). ``resolved_first_contact`` is true for a share
  ``first_contact_share`` of complaints resolved at the front line.
* ``repurchase`` ~ Bernoulli(``repurchase_rates[status][severity]``): the TARP table,
  plus ``repurchase_rates["no_problem"]`` (assumption: 0.90).
* Churn: each respondent has been a customer for ``exposure`` ~ uniform 1..
  ``max_tenure_months`` months and has a geometric time to churn with monthly hazard
  ``monthly_churn_hazard["repurchase"]`` or ``["no_repurchase"]``; ``churned`` =
  time to churn <= exposure and ``tenure_months`` = min(time to churn, exposure), so
  non-churners are right-censored. ``churn_cause`` is drawn with ``churn_cause_shares``.
* ``annual_revenue`` is lognormal with median ``revenue_median[segment]``.

Dtypes are tight so that 10 million rows fit in memory: rating items, ``nps_score``,
``ces_score`` and ``escalation_level`` are ``int8``, so convert before arithmetic that
can leave -128..127 (``data[items].astype(float) * 100``; ``(x - 1) * 100`` on int8
wraps around). Hours are float32, ``resolved_first_contact`` is pandas' nullable
``boolean`` (missing unless complained).

Examples
--------
>>> panel = simulate_panel(1000, seed=1)
>>> panel.data.shape[0], panel.truth["voice_rate"]
(1000, 0.04)
>>> panel.truth["paths"]["Quality->Satisfaction"]
0.51
"""

from __future__ import annotations

import copy
import math
from dataclasses import asdict, dataclass, field, fields
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from ._validation import check_choice
from .errors import SurveyDataError

__all__ = [
    "COLUMNS",
    "COMPLAINT_STATUSES",
    "CONSTRUCTS",
    "CHURN_CAUSES",
    "CONTROLLABLE_CAUSES",
    "ITEMS",
    "SEGMENTS",
    "SimulatedPanel",
    "SimulationParams",
    "simulate_panel",
]

#: latent constructs of the ECSI model, in causal order
CONSTRUCTS = ["Image", "Expectation", "Quality", "Value", "Satisfaction", "Complaints", "Loyalty"]

#: rating items per construct, named exactly as in the real ``mobi`` data set
ITEMS = {
    "Image": ["IMAG1", "IMAG2", "IMAG3", "IMAG4", "IMAG5"],
    "Expectation": ["CUEX1", "CUEX2", "CUEX3"],
    "Quality": ["PERQ1", "PERQ2", "PERQ3", "PERQ4", "PERQ5", "PERQ6", "PERQ7"],
    "Value": ["PERV1", "PERV2"],
    "Satisfaction": ["CUSA1", "CUSA2", "CUSA3"],
    "Complaints": ["CUSCO"],
    "Loyalty": ["CUSL1", "CUSL2", "CUSL3"],
}

#: columns of ``SimulatedPanel.data``, in order (the project's Simulator contract)
COLUMNS = [
    "respondent_id",
    "segment",
    "weight",
    *[item for items in ITEMS.values() for item in items],
    "nps_score",
    "ces_score",
    "sales_satisfied",
    "service_satisfied",
    "loyal_to_dealer",
    "loyal_to_brand",
    "problem",
    "severity",
    "complained",
    "complaint_status",
    "resolved_first_contact",
    "escalation_level",
    "resolution_hours",
    "hours_open",
    "repurchase",
    "churned",
    "churn_cause",
    "tenure_months",
    "annual_revenue",
]

#: ``complaint_status`` categories, in this order
COMPLAINT_STATUSES = ["no_problem", "no_complaint", "unresolved", "resolved", "resolved_quickly"]
#: the four TARP statuses of customers with a problem
TARP_STATUSES = COMPLAINT_STATUSES[1:]
SEVERITIES = ["major", "minor"]
CHURN_CAUSES = ["death", "moved", "habits", "competitor", "quality", "indifference"]
#: churn causes the company can act on (LeBoeuf 1987)
CONTROLLABLE_CAUSES = ["competitor", "quality", "indifference"]
SEGMENTS = ["A", "B", "C", "D"]
#: dealer table cells: sales satisfied (O) or not (X) / service satisfied (O) or not (X)
DEALER_CELLS = ["O/O", "X/O", "O/X", "X/X"]

#: standardised ECSI path coefficients, close to the published ``mobi`` estimates
#: (Tenenhaus et al. 2005)
DEFAULT_PATHS = {
    "Image->Expectation": 0.50,
    "Image->Satisfaction": 0.18,
    "Image->Loyalty": 0.21,
    "Expectation->Quality": 0.56,
    "Expectation->Value": 0.06,
    "Expectation->Satisfaction": 0.07,
    "Quality->Value": 0.56,
    "Quality->Satisfaction": 0.51,
    "Value->Satisfaction": 0.19,
    "Satisfaction->Complaints": 0.53,
    "Satisfaction->Loyalty": 0.47,
    "Complaints->Loyalty": 0.07,
}
#: standardised loading of every item on its construct (override per item with ``loadings=``)
DEFAULT_LOADING = 0.8
#: shares of the answers 1..10 of a rating item (the average profile of ``mobi``'s items)
ITEM_CATEGORY_SHARES = (0.02, 0.02, 0.025, 0.03, 0.085, 0.08, 0.215, 0.26, 0.105, 0.16)
#: shares of NPS answers 0..10 (25% detractors, 45% promoters: NPS = 20)
NPS_CATEGORY_SHARES = (0.02, 0.01, 0.02, 0.03, 0.03, 0.07, 0.07, 0.12, 0.18, 0.20, 0.25)
#: shares of CES answers 1..7 (1 = very little effort)
CES_CATEGORY_SHARES = (0.20, 0.25, 0.20, 0.15, 0.10, 0.06, 0.04)
#: TARP (1986) repurchase intentions; "no_problem" is an assumption
DEFAULT_REPURCHASE_RATES = {
    "no_complaint": {"major": 0.09, "minor": 0.37},
    "unresolved": {"major": 0.19, "minor": 0.46},
    "resolved": {"major": 0.54, "minor": 0.74},
    "resolved_quickly": {"major": 0.82, "minor": 0.95},
    "no_problem": 0.90,
}
#: escalation funnel (as commonly quoted from TARP 1986: 500 dissatisfied -> 200 complain -> 50 remain
#: dissatisfied -> 10 go to middle management -> 2 remain dissatisfied -> 1 reaches the
#: top), as conditional shares after the complaint step; ``top_unresolved`` is an assumption
DEFAULT_ESCALATION = {
    "front_line_unresolved": 50 / 200,
    "middle_escalate": 10 / 50,
    "middle_unresolved": 2 / 10,
    "top_escalate": 1 / 2,
    "top_unresolved": 0.0,
}
#: why customers leave (figures attributed to a Rockefeller Corporation study, LeBoeuf 1987)
DEFAULT_CHURN_CAUSE_SHARES = {
    "death": 0.01,
    "moved": 0.03,
    "habits": 0.05,
    "competitor": 0.09,
    "quality": 0.14,
    "indifference": 0.68,
}
#: Toyota Motor Sales U.S.A. dealer study: loyalty rates per sales/service satisfaction cell
DEFAULT_DEALER_LOYALTY = {
    "O/O": {"loyal_to_dealer": 0.85, "loyal_to_brand": 0.83},
    "X/O": {"loyal_to_dealer": 0.35, "loyal_to_brand": 0.72},
    "O/X": {"loyal_to_dealer": 0.12, "loyal_to_brand": 0.42},
    "X/X": {"loyal_to_dealer": 0.01, "loyal_to_brand": 0.38},
}
DEFAULT_SEGMENT_POPULATION_SHARES = {"A": 0.40, "B": 0.30, "C": 0.20, "D": 0.10}
#: segments are sampled equally: A is under-, C and D over-represented
DEFAULT_SEGMENT_SAMPLE_SHARES = {"A": 0.25, "B": 0.25, "C": 0.25, "D": 0.25}
#: shift of the latent Image by segment (so unweighted and weighted estimates differ)
DEFAULT_SEGMENT_IMAGE_SHIFT = {"A": 0.3, "B": 0.1, "C": -0.2, "D": -0.5}
#: median annual revenue per segment (churn-management training material, worked example B: about 1000 per subscriber)
DEFAULT_REVENUE_MEDIAN = {"A": 1000.0, "B": 1200.0, "C": 800.0, "D": 1500.0}
#: monthly churn hazard for customers who intend to repurchase or not (assumptions)
DEFAULT_MONTHLY_CHURN_HAZARD = {"repurchase": 0.005, "no_repurchase": 0.03}


def _dict(default: dict) -> Any:
    return field(default_factory=lambda: copy.deepcopy(default))


@dataclass(frozen=True)
class SimulationParams:
    """Every parameter of :func:`simulate_panel`, with its documented default.

    Attributes
    ----------
    paths : dict
        ``"From->To"`` -> standardised coefficient, for the ECSI structure's 12 paths.
    loadings : dict
        Item -> standardised loading; items not given use ``DEFAULT_LOADING``.
    item_category_shares, nps_category_shares, ces_category_shares : tuple
        Answer shares that fix the cut points of the 1-10, 0-10 and 1-7 scales.
    nps_link, ces_link : float
        Correlation of the NPS / (negated) CES latent score with Satisfaction.
    sales_satisfied_rate, service_satisfied_rate : float
        Shares satisfied with the sales and the service experience.
    dealer_link : float
        Correlation of the sales/service satisfaction scores with Satisfaction.
    dealer_loyalty : dict
        Cell ``"O/O"``, ``"X/O"``, ``"O/X"``, ``"X/X"`` (sales/service satisfied: O
        yes, X no) -> ``{"loyal_to_dealer": rate, "loyal_to_brand": rate}`` (Toyota Motor Sales U.S.A. dealer study).
    problem_rate : float
        Share of customers with a problem, dissatisfied to some degree (0.25, a commonly quoted figure).
    problem_link : float
        Correlation of the problem propensity with low Satisfaction.
    major_share : float
        Share of problems that are major (assumption: 0.4).
    voice_rate : float
        Share of customers with a problem who complain (TARP 1986: 4%).
    escalation : dict
        Conditional funnel shares (see :data:`DEFAULT_ESCALATION`).
    fast_hours : float
        A resolved complaint is ``resolved_quickly`` when resolved within this many hours.
    quick_share : float
        Share of resolved complaints resolved within ``fast_hours`` (assumption: 0.5).
    resolution_hours_sigma : float
        Log-scale spread of resolution times.
    first_contact_share : float
        Share of front-line resolutions achieved at the first contact (assumption).
    open_hours_median, open_hours_sigma : float
        Lognormal hours open so far of unresolved complaints.
    repurchase_rates : dict
        TARP status -> ``{"major": rate, "minor": rate}``, plus ``"no_problem"`` -> rate.
    monthly_churn_hazard : dict
        ``{"repurchase": h, "no_repurchase": h}``: geometric monthly churn hazards.
    max_tenure_months : int
        Months since joining are uniform on 1..max_tenure_months.
    churn_cause_shares : dict
        Cause -> share among churners (LeBoeuf 1987).
    segment_population_shares, segment_sample_shares : dict
        Segment shares in the population and in the sample.
    segment_image_shift : dict
        Shift of latent Image per segment.
    revenue_median : dict
        Median annual revenue per segment.
    revenue_sigma : float
        Log-scale spread of annual revenue.
    """

    paths: dict = _dict(DEFAULT_PATHS)
    loadings: dict = _dict({})
    item_category_shares: tuple = ITEM_CATEGORY_SHARES
    nps_category_shares: tuple = NPS_CATEGORY_SHARES
    ces_category_shares: tuple = CES_CATEGORY_SHARES
    nps_link: float = 0.7
    ces_link: float = 0.5
    sales_satisfied_rate: float = 0.70
    service_satisfied_rate: float = 0.65
    dealer_link: float = 0.5
    dealer_loyalty: dict = _dict(DEFAULT_DEALER_LOYALTY)
    problem_rate: float = 0.25
    problem_link: float = 0.5
    major_share: float = 0.4
    voice_rate: float = 0.04
    escalation: dict = _dict(DEFAULT_ESCALATION)
    fast_hours: float = 24.0
    quick_share: float = 0.5
    resolution_hours_sigma: float = 1.0
    first_contact_share: float = 0.7
    open_hours_median: float = 72.0
    open_hours_sigma: float = 1.0
    repurchase_rates: dict = _dict(DEFAULT_REPURCHASE_RATES)
    monthly_churn_hazard: dict = _dict(DEFAULT_MONTHLY_CHURN_HAZARD)
    max_tenure_months: int = 72
    churn_cause_shares: dict = _dict(DEFAULT_CHURN_CAUSE_SHARES)
    segment_population_shares: dict = _dict(DEFAULT_SEGMENT_POPULATION_SHARES)
    segment_sample_shares: dict = _dict(DEFAULT_SEGMENT_SAMPLE_SHARES)
    segment_image_shift: dict = _dict(DEFAULT_SEGMENT_IMAGE_SHIFT)
    revenue_median: dict = _dict(DEFAULT_REVENUE_MEDIAN)
    revenue_sigma: float = 0.6


#: parameters that are probabilities or shares and must lie in [0, 1]
_RATES = [
    "sales_satisfied_rate",
    "service_satisfied_rate",
    "problem_rate",
    "major_share",
    "voice_rate",
    "quick_share",
    "first_contact_share",
]
#: correlations, in [0, 1)
_LINKS = ["nps_link", "ces_link", "dealer_link", "problem_link"]
_POSITIVE = ["fast_hours", "resolution_hours_sigma", "open_hours_median", "open_hours_sigma", "revenue_sigma"]


@dataclass(frozen=True)
class SimulatedPanel:
    """A simulated panel: ``data`` (one row per respondent) and the ``truth`` behind it.

    Attributes
    ----------
    data : DataFrame
        One row per simulated respondent.
    truth : dict
        The generating values (paths, rates, shares) the data were drawn from.

    See Also
    --------
    simulate_panel : Draws a panel.
    """

    data: pd.DataFrame
    truth: dict


# --- parameter handling -------------------------------------------------------------


def _merge(name: str, default: Any, given: Any) -> Any:
    """Merge a partial dict override into its default; reject unknown keys."""
    if not isinstance(default, dict) or not default:
        return given
    if not isinstance(given, dict):
        raise SurveyDataError(f"{name} must be a dict like {default!r}; got {given!r}")
    merged = copy.deepcopy(default)
    for key, value in given.items():
        check_choice(f"{name} key", key, default, error=SurveyDataError)
        merged[key] = _merge(f"{name}[{key!r}]", default[key], value)
    return merged


def _check_rate(name: str, value: Any, *, upper_open: bool = False) -> None:
    ok = isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)
    ok = ok and 0 <= value <= 1 and not (upper_open and value >= 1)
    if not ok:
        bound = "[0, 1)" if upper_open else "[0, 1]"
        raise SurveyDataError(f"{name}={value!r} must be a number in {bound}")


def _check_shares(name: str, shares: Any, expected_length: int | None = None) -> None:
    values = list(shares.values()) if isinstance(shares, dict) else list(shares)
    for i, value in enumerate(values):
        _check_rate(f"{name}[{i}]", value)
    if expected_length is not None and len(values) != expected_length:
        raise SurveyDataError(f"{name} needs {expected_length} shares; got {len(values)}")
    if not math.isclose(sum(values), 1.0, abs_tol=1e-9):
        raise SurveyDataError(f"{name} must sum to 1; they sum to {sum(values):g}")


def _resolve_params(params: dict[str, Any]) -> SimulationParams:
    defaults = SimulationParams()
    valid = [f.name for f in fields(SimulationParams)]
    resolved = {}
    for name, value in params.items():
        if name not in valid:
            raise SurveyDataError(f"simulate_panel: unknown parameter {name!r}; valid parameters: {', '.join(valid)}")
        if name == "loadings":
            if not isinstance(value, dict):
                raise SurveyDataError(f"loadings must be a dict item -> loading; got {value!r}")
            items = [item for group in ITEMS.values() for item in group]
            for item in value:
                check_choice("loadings key", item, items, error=SurveyDataError)
            resolved[name] = dict(value)
        else:
            resolved[name] = _merge(name, getattr(defaults, name), value)
    p = SimulationParams(**resolved)

    for name in _RATES:
        _check_rate(name, getattr(p, name))
    for name in _LINKS:
        _check_rate(name, getattr(p, name), upper_open=True)
    for name in _POSITIVE:
        value = getattr(p, name)
        if not (isinstance(value, (int, float)) and value > 0):
            raise SurveyDataError(f"{name}={value!r} must be a positive number")
    for name, value in p.escalation.items():
        _check_rate(f"escalation[{name!r}]", value)
    for status, rates in p.repurchase_rates.items():
        if isinstance(rates, dict):
            for severity, rate in rates.items():
                _check_rate(f"repurchase_rates[{status!r}][{severity!r}]", rate)
        else:
            _check_rate(f"repurchase_rates[{status!r}]", rates)
    for cell, rates in p.dealer_loyalty.items():
        for column, rate in rates.items():
            _check_rate(f"dealer_loyalty[{cell!r}][{column!r}]", rate)
    for name, rate in p.monthly_churn_hazard.items():
        _check_rate(f"monthly_churn_hazard[{name!r}]", rate)
        if rate == 0:
            raise SurveyDataError(f"monthly_churn_hazard[{name!r}] must be above 0")
    for item, loading in p.loadings.items():
        _check_rate(f"loadings[{item!r}]", loading)
    for name in ["segment_population_shares", "segment_sample_shares", "churn_cause_shares"]:
        _check_shares(name, getattr(p, name))
    if min(p.segment_sample_shares.values()) <= 0 or min(p.segment_population_shares.values()) <= 0:
        raise SurveyDataError("segment shares must all be above 0 (every segment is sampled and weighted)")
    _check_shares("item_category_shares", p.item_category_shares, 10)
    _check_shares("nps_category_shares", p.nps_category_shares, 11)
    _check_shares("ces_category_shares", p.ces_category_shares, 7)
    if not (isinstance(p.max_tenure_months, (int, np.integer)) and p.max_tenure_months >= 1):
        raise SurveyDataError(f"max_tenure_months={p.max_tenure_months!r} must be an integer >= 1")
    for segment, median in p.revenue_median.items():
        if not median > 0:
            raise SurveyDataError(f"revenue_median[{segment!r}]={median!r} must be above 0")
    return p


def _path_matrix(paths: dict[str, float]) -> np.ndarray:
    """``B[to, from]`` of the standardised structural model."""
    index = {c: i for i, c in enumerate(CONSTRUCTS)}
    matrix = np.zeros((len(CONSTRUCTS), len(CONSTRUCTS)))
    for edge, coefficient in paths.items():
        source, target = edge.split("->")
        matrix[index[target], index[source]] = coefficient
    return matrix


def _error_variances(paths: dict[str, float]) -> dict[str, float]:
    """Structural error variances that give every latent unit variance.

    Constructs are in causal order, so the covariance matrix is built one construct at
    a time: ``Var(eta_j) = b' Sigma b + psi_j = 1``.
    """
    b = _path_matrix(paths)
    k = len(CONSTRUCTS)
    sigma = np.eye(k)
    psi = {}
    for j in range(k):
        explained = float(b[j, :j] @ sigma[:j, :j] @ b[j, :j])
        if explained >= 1:
            incoming = {e: v for e, v in paths.items() if e.endswith("->" + CONSTRUCTS[j])}
            raise SurveyDataError(
                f"paths: the paths into {CONSTRUCTS[j]} {incoming} explain R² = {explained:.3f} >= 1 "
                "of a standardised latent; make them smaller"
            )
        psi[CONSTRUCTS[j]] = 1.0 - explained
        covariances = b[j, :j] @ sigma[:j, :j]
        sigma[j, :j] = sigma[:j, j] = covariances
    return psi


def _cut_points(shares) -> np.ndarray:
    return stats.norm.ppf(np.cumsum(shares)[:-1]).astype(np.float32)


def _discretise(score: np.ndarray, cuts: np.ndarray, lowest: int) -> np.ndarray:
    """Answer = lowest + number of cut points below the score (same as searchsorted, faster)."""
    answer = np.full(score.shape, lowest, dtype=np.int8)
    for cut in cuts:  # at most 10 cut points: one comparison pass each
        answer += score > cut
    return answer


def _normal(rng: np.random.Generator, n: int) -> np.ndarray:
    return rng.standard_normal(n, dtype=np.float32)


def _link(rng, latent: np.ndarray, r: float) -> np.ndarray:
    """A standard-normal score correlated ``r`` with the (standardised) ``latent``."""
    noise = _normal(rng, latent.size)
    noise *= np.float32(math.sqrt(1 - r * r))
    noise += np.float32(r) * latent
    return noise


# --- the simulator ------------------------------------------------------------------


def simulate_panel(n: int, seed: int = 0, **params: Any) -> SimulatedPanel:
    """Simulate a survey panel of ``n`` respondents with a known truth.

    Parameters
    ----------
    n : int
        Number of respondents (rows).
    seed : int
        Seed of NumPy's default generator: the same seed gives identical data.
    **params
        Overrides of :class:`SimulationParams` fields. Dict parameters may be partial
        (``paths={"Quality->Satisfaction": 0.6}`` keeps the other paths).

    Returns
    -------
    SimulatedPanel
        ``data``: one row per respondent (columns in the module docstring and the
        project's Simulator contract); ``truth``: every parameter value plus the
        derived ``error_variances``, ``loadings`` (all items), ``n`` and ``seed``.

    Raises
    ------
    SurveyDataError
        Unknown parameter names (the message lists the valid ones), rates or shares
        outside [0, 1], shares that do not sum to 1, or paths that explain more than
        all the variance of a construct.

    Examples
    --------
    >>> panel = simulate_panel(2000, seed=3, voice_rate=0.5)
    >>> complainants = panel.data.loc[panel.data["problem"], "complained"]
    >>> bool(0.4 < complainants.mean() < 0.6)
    True
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise SurveyDataError(f"n={n!r} must be a positive integer")
    n = int(n)
    p = _resolve_params(params)
    rng = np.random.default_rng(seed)
    columns: dict[str, Any] = {}

    columns["respondent_id"] = np.arange(1, n + 1, dtype=np.int32 if n < 2**31 - 1 else np.int64)

    # segments and post-stratification weights
    segment_names = list(p.segment_sample_shares)
    sample_shares = np.array([p.segment_sample_shares[s] for s in segment_names])
    segment_codes = rng.choice(len(segment_names), size=n, p=sample_shares).astype(np.int8)
    counts = np.bincount(segment_codes, minlength=len(segment_names))
    population = np.array([p.segment_population_shares.get(s, 0.0) for s in segment_names])
    with np.errstate(divide="ignore", invalid="ignore"):
        weight_by_segment = np.where(counts > 0, population * n / counts, 0.0)
    columns["segment"] = pd.Categorical.from_codes(segment_codes, categories=segment_names)
    columns["weight"] = weight_by_segment[segment_codes]

    # latent constructs
    psi = _error_variances(p.paths)
    b = _path_matrix(p.paths)
    shift = np.array([p.segment_image_shift.get(s, 0.0) for s in segment_names])
    shift = shift - (counts / n) @ shift  # centred on the sample, so Image has mean 0
    shift_variance = float((counts / n) @ shift**2)
    if shift_variance >= 1:
        raise SurveyDataError(
            "segment_image_shift: the segment shifts explain all of Image's variance; make them smaller"
        )
    latents: dict[str, np.ndarray] = {}
    for j, construct in enumerate(CONSTRUCTS):
        value = _normal(rng, n)
        if construct == "Image":
            value *= np.float32(math.sqrt(1 - shift_variance))
            value += shift.astype(np.float32)[segment_codes]
        else:
            value *= np.float32(math.sqrt(psi[construct]))
            for i in range(j):
                if b[j, i]:
                    value += np.float32(b[j, i]) * latents[CONSTRUCTS[i]]
        latents[construct] = value

    item_cuts = _cut_points(p.item_category_shares)
    loadings = {}
    for construct, items in ITEMS.items():
        for item in items:
            loading = float(p.loadings.get(item, DEFAULT_LOADING))
            loadings[item] = loading
            columns[item] = _discretise(_link(rng, latents[construct], loading), item_cuts, 1)

    satisfaction = latents["Satisfaction"]
    columns["nps_score"] = _discretise(_link(rng, satisfaction, p.nps_link), _cut_points(p.nps_category_shares), 0)
    columns["ces_score"] = _discretise(-_link(rng, satisfaction, p.ces_link), _cut_points(p.ces_category_shares), 1)

    # TMS-USA dealer table
    sales = _link(rng, satisfaction, p.dealer_link) > stats.norm.ppf(1 - p.sales_satisfied_rate)
    service = _link(rng, satisfaction, p.dealer_link) > stats.norm.ppf(1 - p.service_satisfied_rate)
    cell = np.where(sales, 0, 1) + np.where(service, 0, 2)  # index into DEALER_CELLS
    columns["sales_satisfied"] = sales
    columns["service_satisfied"] = service
    for outcome in ["loyal_to_dealer", "loyal_to_brand"]:
        rates = np.array([p.dealer_loyalty[c][outcome] for c in DEALER_CELLS], dtype=np.float32)
        columns[outcome] = rng.random(n, dtype=np.float32) < rates[cell]

    # problems and complaints
    propensity = _link(rng, -satisfaction, p.problem_link)
    n_problems = int(round(p.problem_rate * n))
    problem = np.zeros(n, dtype=bool)
    if n_problems:
        problem[np.argpartition(propensity, n - n_problems)[n - n_problems :]] = True
    major = problem & (rng.random(n, dtype=np.float32) < p.major_share)
    complained = problem & (rng.random(n) < p.voice_rate)
    columns["problem"] = problem
    columns["severity"] = pd.Categorical.from_codes(
        np.where(problem, np.where(major, 0, 1), -1).astype(np.int8), categories=SEVERITIES
    )
    columns["complained"] = complained

    esc = p.escalation
    draw = rng.random((4, n), dtype=np.float32)
    front_unresolved = complained & (draw[0] < esc["front_line_unresolved"])
    to_middle = front_unresolved & (draw[1] < esc["middle_escalate"])
    middle_unresolved = to_middle & (draw[2] < esc["middle_unresolved"])
    to_top = middle_unresolved & (draw[3] < esc["top_escalate"])
    top_unresolved = to_top & (rng.random(n, dtype=np.float32) < esc["top_unresolved"])
    unresolved = (front_unresolved & ~to_middle) | (middle_unresolved & ~to_top) | top_unresolved
    resolved = complained & ~unresolved
    columns["escalation_level"] = (complained.astype(np.int8) + to_middle + to_top).astype(np.int8)

    first_contact = complained & ~front_unresolved & (rng.random(n, dtype=np.float32) < p.first_contact_share)
    columns["resolved_first_contact"] = pd.array(first_contact, dtype="boolean")
    columns["resolved_first_contact"][~complained] = pd.NA

    resolution_mu = math.log(p.fast_hours) - p.resolution_hours_sigma * stats.norm.ppf(p.quick_share)
    hours = np.exp(resolution_mu + p.resolution_hours_sigma * _normal(rng, n)).astype(np.float32)
    columns["resolution_hours"] = np.where(resolved, hours, np.nan).astype(np.float32)
    quickly = resolved & (hours <= np.float32(p.fast_hours))
    open_hours = np.exp(math.log(p.open_hours_median) + p.open_hours_sigma * _normal(rng, n)).astype(np.float32)
    columns["hours_open"] = np.where(unresolved, open_hours, np.nan).astype(np.float32)

    status = np.where(problem, 1, 0) + complained * 1 + resolved * 1 + quickly * 1  # codes of COMPLAINT_STATUSES
    status = status.astype(np.int8)
    columns["complaint_status"] = pd.Categorical.from_codes(status, categories=COMPLAINT_STATUSES)

    del latents, propensity, satisfaction  # the largest arrays; lowers peak memory on big panels

    # repurchase: TARP table by status x severity
    rate_table = np.empty((len(COMPLAINT_STATUSES), 2), dtype=np.float32)
    rate_table[0, :] = p.repurchase_rates["no_problem"]
    for code, name in enumerate(TARP_STATUSES, start=1):
        rate_table[code] = [p.repurchase_rates[name]["major"], p.repurchase_rates[name]["minor"]]
    repurchase = rng.random(n, dtype=np.float32) < rate_table[status, np.where(major, 0, 1)]
    columns["repurchase"] = repurchase

    # churn: geometric time to churn, censored at the months since joining
    exposure = rng.integers(1, p.max_tenure_months + 1, size=n, dtype=np.int16)
    hazard = np.where(repurchase, p.monthly_churn_hazard["repurchase"], p.monthly_churn_hazard["no_repurchase"])
    time_to_churn = rng.geometric(hazard)
    churned = time_to_churn <= exposure
    columns["churned"] = churned
    cause_names = list(p.churn_cause_shares)
    cause = rng.choice(len(cause_names), size=n, p=list(p.churn_cause_shares.values())).astype(np.int8)
    columns["churn_cause"] = pd.Categorical.from_codes(
        np.where(churned, cause, -1).astype(np.int8), categories=cause_names
    )
    columns["tenure_months"] = np.minimum(time_to_churn, exposure).astype(np.int16)

    medians = np.array([p.revenue_median.get(s, 1000.0) for s in segment_names])
    columns["annual_revenue"] = np.log(medians)[segment_codes] + p.revenue_sigma * rng.standard_normal(n)
    np.exp(columns["annual_revenue"], out=columns["annual_revenue"])

    data = pd.DataFrame({name: columns[name] for name in COLUMNS}, copy=False)
    truth = asdict(p)
    truth.update(
        loadings=loadings,
        error_variances=psi,
        controllable_causes=[c for c in CONTROLLABLE_CAUSES if c in cause_names],
        n=n,
        seed=seed,
    )
    return SimulatedPanel(data, truth)
