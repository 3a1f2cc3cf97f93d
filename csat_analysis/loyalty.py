"""Satisfaction versus loyalty: the curve, loyalty types, the dealer table, segments.

Brief section 3: satisfaction is necessary but not sufficient for loyalty. These
functions answer how loyalty rises with satisfaction (:func:`loyalty_curve`,
:func:`fit_loyalty_curve`), which customers are loyal for the wrong reasons
(:func:`loyalty_segments`), the TMS-USA dealer table from respondent data
(:func:`dealer_table`), and how segments differ (:func:`segment_comparison`,
:func:`segment_tests`).

Multi-item measures are summarised by the mean of their items
(:func:`composite_score`); a respondent is "top box" on a measure when that mean
lies in the top ``top_box`` points of the scale (on a 1-10 scale with
``top_box=2``: a mean of 9 or more).

Examples
--------
>>> import pandas as pd
>>> survey = pd.DataFrame({"sat": [3, 4, 5, 5, 4, 2], "loy": [2, 5, 5, 4, 3, 1]})
>>> curve = loyalty_curve(survey, "sat", "loy", top_box=1, scale=(1, 5))
>>> curve[["satisfaction", "n", "share"]].to_dict("list")
{'satisfaction': [2, 3, 4, 5], 'n': [1, 1, 2, 2], 'share': [0.0, 0.0, 0.5, 0.5]}
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from . import metrics, pls, report
from ._validation import check_choice, check_columns, describe_offenders, read_weights
from .errors import StudyError, SurveyDataError
from .metrics import Estimate, proportion
from .scaling import Scale

__all__ = [
    "DEALER_COLUMNS",
    "LOYALTY_TYPES",
    "MODELS",
    "SEED_DEALER_LOYALTY",
    "STUDY_DEFAULTS",
    "WEIGHT_COLUMN",
    "CurveStudy",
    "IndexModel",
    "LoyaltyCurveFit",
    "SegmentStudy",
    "StudySettings",
    "composite_score",
    "curve_finding",
    "curve_study",
    "dealer_finding",
    "dealer_records",
    "dealer_table",
    "describe_measures",
    "fit_loyalty_curve",
    "index_finding",
    "index_model",
    "infer_scale",
    "loyalty_curve",
    "loyalty_segments",
    "loyalty_types_finding",
    "mean_index",
    "measures_finding",
    "negative_index_weights",
    "negative_weights_finding",
    "no_segment_reason",
    "paths_finding",
    "resolve_settings",
    "segment_comparison",
    "segment_finding",
    "segment_study",
    "segment_tests",
    "settings_note",
    "study_dealer_table",
    "study_loyalty_types",
    "study_measures",
    "study_source",
    "styled_table",
    "summarize_findings",
    "top_box_flags",
]

#: loyalty types crossing attitude (satisfied?) with behaviour (repurchasing?)
LOYALTY_TYPES = {
    "true": (True, True),
    "latent": (True, False),
    "spurious": (False, True),
    "none": (False, False),
}

#: seed 004 (TMS-USA): loyalty rate by (sales satisfied, service satisfied)
SEED_DEALER_LOYALTY = {
    (True, True): {"loyal_to_dealer": 0.85, "loyal_to_brand": 0.83},
    (False, True): {"loyal_to_dealer": 0.35, "loyal_to_brand": 0.72},
    (True, False): {"loyal_to_dealer": 0.12, "loyal_to_brand": 0.42},
    (False, False): {"loyal_to_dealer": 0.01, "loyal_to_brand": 0.38},
}


def _items(items: str | Sequence[str]) -> list[str]:
    return [items] if isinstance(items, str) else list(items)


def _numeric_items(data: pd.DataFrame, items: list[str], parameter: str) -> pd.DataFrame:
    check_columns(data, items, parameter=parameter)
    frame = data[items]
    for column in items:
        values = frame[column]
        if pd.api.types.is_bool_dtype(values):
            continue
        numeric = pd.to_numeric(values, errors="coerce")
        bad = numeric.isna() & values.notna()
        if bad.any():
            raise SurveyDataError(f"{parameter}: column {column!r} has non-numeric values {describe_offenders(values, bad)}")
    return frame.apply(pd.to_numeric, errors="coerce").astype(float)


def composite_score(data: pd.DataFrame, items: str | Sequence[str], *, parameter: str = "items") -> pd.Series:
    """Mean of a measure's items per respondent (missing items are skipped).

    A respondent who answered none of the items gets a missing score.

    Examples
    --------
    >>> import pandas as pd
    >>> composite_score(pd.DataFrame({"a": [1, 4, None], "b": [3, None, None]}), ["a", "b"]).tolist()
    [2.0, 4.0, nan]
    """
    frame = _numeric_items(data, _items(items), parameter)
    return frame.mean(axis=1, skipna=True).rename("+".join(frame.columns) if frame.shape[1] > 1 else frame.columns[0])


def infer_scale(data: pd.DataFrame, items: str | Sequence[str]) -> Scale:
    """The rating scale spanned by the observed items (rounded outward to integers).

    Use a known scale when there is one; this fallback is only as wide as the answers.

    Examples
    --------
    >>> import pandas as pd
    >>> scale = infer_scale(pd.DataFrame({"a": [2, 7], "b": [1, 5]}), ["a", "b"])
    >>> scale.low, scale.high
    (1.0, 7.0)
    """
    frame = _numeric_items(data, _items(items), "items")
    low, high = np.floor(np.nanmin(frame.to_numpy())), np.ceil(np.nanmax(frame.to_numpy()))
    return Scale(float(low), float(high))


def _scale(scale, data, items) -> Scale:
    return infer_scale(data, items) if scale is None else Scale.coerce(scale)


def top_box_flags(scores: pd.Series, scale, top_box: int = 2) -> pd.Series:
    """True where a score lies in the top ``top_box`` points of ``scale`` (missing stays missing).

    Examples
    --------
    >>> import pandas as pd
    >>> top_box_flags(pd.Series([10, 8.5, 9, None]), (1, 10), top_box=2).tolist()
    [True, False, True, <NA>]
    """
    scale = Scale.coerce(scale)
    if not (isinstance(top_box, (int, np.integer)) and 1 <= top_box <= scale.width):
        raise StudyError(f"top_box={top_box!r} must be a whole number of scale points between 1 and {scale.width:g}")
    threshold = scale.high - (top_box - 1)
    flags = (scores >= threshold).astype("boolean")
    flags[scores.isna()] = pd.NA
    return flags


def _weights(data: pd.DataFrame, weights: str | None) -> pd.Series:
    return pd.Series(read_weights(data, weights), index=data.index)


def mean_index(data: pd.DataFrame, items: str | Sequence[str], *, scale=None, weights: str | None = None,
               ci: float = 0.95) -> Estimate:
    """Index 0-100 of a measure without a model: the mean item score rescaled to 0-100.

    Each respondent's item mean is mapped from ``scale`` to 0-100; the index is their
    (weighted) mean with a t interval (Kish effective n with weights).

    Examples
    --------
    >>> import pandas as pd
    >>> est = mean_index(pd.DataFrame({"a": [1, 10, 10, 1]}), "a", scale=(1, 10))
    >>> est.value, est.n
    (50.0, 4)
    """
    items = _items(items)
    scale = _scale(scale, data, items)
    score = (composite_score(data, items) - scale.low) / scale.width * 100
    return metrics.mean(score, weights=None if weights is None else read_weights(data, weights), ci=ci)


def loyalty_curve(data: pd.DataFrame, satisfaction: str | Sequence[str], loyalty: str | Sequence[str], *,
                  top_box: int = 2, scale=None, loyalty_scale=None, weights: str | None = None,
                  ci: float = 0.95) -> pd.DataFrame:
    """Loyalty at each satisfaction level: top-box share (Wilson) and mean (t interval).

    Parameters
    ----------
    data : DataFrame
    satisfaction, loyalty : str or list of str
        Item column(s). Several items are averaged per respondent; the satisfaction
        mean is then rounded half up to the nearest scale point to form the levels.
    top_box : int
        A respondent is loyal when their loyalty score lies in the top ``top_box``
        points of the loyalty scale.
    scale, loyalty_scale : Scale or (low, high), optional
        The satisfaction and loyalty scales (``loyalty_scale`` defaults to ``scale``;
        both default to the observed range).
    weights : str, optional
        Column of survey weights (shares and means weighted, intervals use Kish n_eff).

    Returns
    -------
    DataFrame
        One row per satisfaction level: ``satisfaction``, ``n``, ``n_eff``, ``loyal``
        (top-box count), ``share``, ``share_low``, ``share_high``, ``mean``,
        ``mean_low``, ``mean_high``. Respondents missing either score are dropped.

    Examples
    --------
    >>> import pandas as pd
    >>> survey = pd.DataFrame({"sat": [1, 1, 2, 2], "loy": [1, 2, 2, 2]})
    >>> loyalty_curve(survey, "sat", "loy", top_box=1, scale=(1, 2))["share"].tolist()
    [0.5, 1.0]
    """
    satisfaction, loyalty = _items(satisfaction), _items(loyalty)
    scale = _scale(scale, data, satisfaction)
    loyalty_scale = scale if loyalty_scale is None else Scale.coerce(loyalty_scale)
    sat = np.floor(composite_score(data, satisfaction, parameter="satisfaction") + 0.5)
    loy = composite_score(data, loyalty, parameter="loyalty")
    loyal = top_box_flags(loy, loyalty_scale, top_box)
    keep = sat.notna() & loy.notna()
    frame = pd.DataFrame({"satisfaction": sat[keep].astype(int), "loy": loy[keep], "loyal": loyal[keep].astype(float)})
    w = None if weights is None else read_weights(data, weights)[keep.to_numpy()]
    shares = metrics.rates(frame, "loyal", "satisfaction", weights=w, ci=ci)
    means = metrics.mean_table(frame, "loy", "satisfaction", weights=w, ci=ci)
    curve = shares.rename(columns={"events": "loyal", "rate": "share", "low": "share_low", "high": "share_high"})
    curve[["mean", "mean_low", "mean_high"]] = means[["mean", "low", "high"]].to_numpy()
    return curve[["satisfaction", "n", "n_eff", "loyal", "share", "share_low", "share_high", "mean", "mean_low", "mean_high"]]


@dataclass(frozen=True)
class LoyaltyCurveFit:
    """A fitted satisfaction-loyalty curve (see :func:`fit_loyalty_curve`).

    Attributes
    ----------
    linear, curved : statsmodels Logit results
        Logit of top-box loyalty on satisfaction: straight and with the curvature term.
    lr_statistic, lr_df, lr_pvalue : float
        Likelihood-ratio test of the curvature term (non-linearity on the logit scale).
    grid : DataFrame
        ``satisfaction``, ``predicted``, ``low``, ``high`` (curved model, response
        scale, pointwise interval) and ``slope`` (change in predicted share per scale point).
    steepest : float
        Satisfaction level where the curved model's slope is largest.
    top_gain_share : float
        Share of the predicted rise in loyalty (lowest to highest observed
        satisfaction) that happens in the top third of that range; 1/3 would mean an
        even rise, more means the effect is concentrated at the top.
    form : str
    n : int
    """

    linear: object
    curved: object
    lr_statistic: float
    lr_df: int
    lr_pvalue: float
    grid: pd.DataFrame
    steepest: float
    top_gain_share: float
    form: str
    n: int


def fit_loyalty_curve(data: pd.DataFrame, satisfaction: str | Sequence[str], loyalty: str | Sequence[str], *,
                      top_box: int = 2, scale=None, loyalty_scale=None, form: str = "quadratic",
                      spline_df: int = 3, grid_points: int = 91, ci: float = 0.95) -> LoyaltyCurveFit:
    """Logistic regression of top-box loyalty on satisfaction, with a test of non-linearity.

    Fits ``loyal ~ satisfaction`` and ``loyal ~ satisfaction + I(satisfaction**2)``
    (``form="quadratic"``) or ``loyal ~ bs(satisfaction, df=spline_df)``
    (``form="spline"``) as logits (:func:`csat_analysis.regression.fit_logit`, so
    perfect separation is a :class:`~csat_analysis.errors.ModelSpecError`) and
    compares them with a likelihood-ratio test. Satisfaction is the respondent's item
    mean (not rounded). Unweighted: the curve describes respondents, and survey
    weights would make the likelihood-ratio test invalid.

    Returns
    -------
    LoyaltyCurveFit

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(1)
    >>> sat = rng.integers(1, 11, 400)
    >>> loy = np.where(rng.random(400) < 1 / (1 + np.exp(-(sat - 8))), 10, 5)
    >>> fit = fit_loyalty_curve(pd.DataFrame({"s": sat, "l": loy}), "s", "l", scale=(1, 10))
    >>> 7 <= fit.steepest <= 9
    True
    """
    from .regression import fit_logit

    check_choice("form", form, ["quadratic", "spline"], error=StudyError)
    satisfaction, loyalty = _items(satisfaction), _items(loyalty)
    scale = _scale(scale, data, satisfaction)
    loyalty_scale = scale if loyalty_scale is None else Scale.coerce(loyalty_scale)
    sat = composite_score(data, satisfaction, parameter="satisfaction")
    loyal = top_box_flags(composite_score(data, loyalty, parameter="loyalty"), loyalty_scale, top_box)
    frame = pd.DataFrame({"satisfaction": sat, "loyal": loyal.astype(float)}).dropna()
    if frame["loyal"].nunique() < 2 or frame["satisfaction"].nunique() < 3:
        raise StudyError(
            f"fit_loyalty_curve: need both loyal and non-loyal respondents and at least 3 satisfaction levels; "
            f"got {int(frame['loyal'].sum())} loyal of {len(frame)} over {frame['satisfaction'].nunique()} levels"
        )
    linear = fit_logit("loyal ~ satisfaction", frame)
    term = "satisfaction + I(satisfaction ** 2)" if form == "quadratic" else f"bs(satisfaction, df={spline_df})"
    curved = fit_logit(f"loyal ~ {term}", frame)
    lr = max(2 * (curved.llf - linear.llf), 0.0)
    lr_df = int(curved.df_model - linear.df_model)
    low, high = frame["satisfaction"].min(), frame["satisfaction"].max()
    xs = np.linspace(low, high, grid_points)
    prediction = curved.get_prediction(pd.DataFrame({"satisfaction": xs})).summary_frame(alpha=1 - ci)
    predicted = prediction["predicted"].to_numpy()
    slope = np.gradient(predicted, xs)
    grid = pd.DataFrame({"satisfaction": xs, "predicted": predicted, "low": prediction["ci_lower"].to_numpy(),
                         "high": prediction["ci_upper"].to_numpy(), "slope": slope})
    rise = predicted[-1] - predicted[0]
    top_third = xs >= high - (high - low) / 3
    gain_top = predicted[-1] - predicted[top_third][0]
    return LoyaltyCurveFit(linear, curved, float(lr), lr_df, float(stats.chi2.sf(lr, lr_df)), grid,
                           float(xs[np.argmax(slope)]), float(gain_top / rise) if rise > 0 else float("nan"),
                           form, len(frame))


def loyalty_segments(data: pd.DataFrame, attitude: str | Sequence[str], behaviour: str | Sequence[str], *,
                     attitude_threshold: float, behaviour_threshold: float | None = None,
                     weights: str | None = None, ci: float = 0.95) -> pd.DataFrame:
    """Loyalty types crossing attitude (satisfaction) with behaviour (repurchase).

    ``true``: satisfied and repurchasing; ``latent``: satisfied, not repurchasing;
    ``spurious``: repurchasing without being satisfied; ``none``: neither.

    Parameters
    ----------
    attitude : str or list of str
        Satisfaction item(s); their mean is compared with ``attitude_threshold``.
    behaviour : str or list of str
        A boolean column (e.g. ``repurchase``) or rating item(s), compared with
        ``behaviour_threshold`` (required unless the column is boolean).
    attitude_threshold, behaviour_threshold : float
        Satisfied / repurchasing when the score is at least the threshold.

    Returns
    -------
    DataFrame
        One row per type: ``segment``, ``satisfied``, ``repurchasing``, ``n``,
        ``share``, ``low``, ``high`` (Wilson; weighted with Kish n_eff).

    Examples
    --------
    >>> import pandas as pd
    >>> survey = pd.DataFrame({"sat": [9, 9, 3, 2], "bought": [True, False, True, False]})
    >>> loyalty_segments(survey, "sat", "bought", attitude_threshold=8)["n"].tolist()
    [1, 1, 1, 1]
    """
    satisfied = composite_score(data, attitude, parameter="attitude") >= attitude_threshold
    attitude_missing = composite_score(data, attitude, parameter="attitude").isna()
    behaviour = _items(behaviour)
    check_columns(data, behaviour, parameter="behaviour")
    if len(behaviour) == 1 and pd.api.types.is_bool_dtype(data[behaviour[0]]):
        repurchasing = data[behaviour[0]].astype("boolean")
        behaviour_missing = repurchasing.isna()
        repurchasing = repurchasing.fillna(False).astype(bool)
    else:
        if behaviour_threshold is None:
            raise StudyError(f"loyalty_segments: behaviour {behaviour} is not boolean, so give behaviour_threshold")
        score = composite_score(data, behaviour, parameter="behaviour")
        behaviour_missing = score.isna()
        repurchasing = score >= behaviour_threshold
    keep = ~(attitude_missing | behaviour_missing)
    w = _weights(data, weights)[keep].to_numpy()
    rows = []
    for name, (is_satisfied, is_repurchasing) in LOYALTY_TYPES.items():
        member = ((satisfied == is_satisfied) & (repurchasing == is_repurchasing))[keep].to_numpy()
        est = proportion(member, weights=w, ci=ci)
        rows.append({"segment": name, "satisfied": is_satisfied, "repurchasing": is_repurchasing,
                     "n": int(member.sum()), "share": est.value, "low": est.low, "high": est.high})
    return pd.DataFrame(rows)


def dealer_table(data: pd.DataFrame, sales: str, service: str, loyal: Sequence[str] = ("loyal_to_dealer", "loyal_to_brand"),
                 *, weights: str | None = None, ci: float = 0.95, seed_rates: Mapping | None = SEED_DEALER_LOYALTY) -> pd.DataFrame:
    """The brief's TMS-USA table: loyalty rate by sales x service satisfaction.

    Parameters
    ----------
    sales, service : str
        Boolean columns: satisfied with the sales / the service experience.
    loyal : list of str
        Boolean loyalty outcomes (one rate per outcome and cell).
    seed_rates : mapping, optional
        ``{(sales, service): {outcome: rate}}`` to show next to the data (default:
        seed 004's rates); ``None`` leaves the column out.

    Returns
    -------
    DataFrame
        One row per cell and outcome, cells in the seed's order (O/O, X/O, O/X, X/X):
        ``sales``, ``service`` ("O" satisfied, "X" not), ``outcome``, ``n``,
        ``loyal``, ``rate``, ``low``, ``high`` and ``seed_rate``.

    Examples
    --------
    >>> import pandas as pd
    >>> survey = pd.DataFrame({"s": [True, True, False, False], "v": [True, False, True, False],
    ...                        "loyal_to_dealer": [True, False, True, False]})
    >>> dealer_table(survey, "s", "v", ["loyal_to_dealer"])["rate"].tolist()
    [1.0, 1.0, 0.0, 0.0]
    """
    loyal = _items(loyal)
    columns = check_columns(data, [sales, service, *loyal], parameter="dealer_table")
    for column in columns:
        if not pd.api.types.is_bool_dtype(data[column]):
            raise SurveyDataError(f"dealer_table: column {column!r} must be boolean (True = satisfied / loyal), got {data[column].dtype}")
    w = _weights(data, weights)
    rows = []
    for is_sales, is_service in SEED_DEALER_LOYALTY:
        cell = (data[sales] == is_sales) & (data[service] == is_service)
        for outcome in loyal:
            values = data.loc[cell, outcome].astype("boolean")
            present = values.notna()
            est = proportion(values[present].astype(float).to_numpy(), weights=w[cell][present].to_numpy(), ci=ci)
            seed = (seed_rates or {}).get((is_sales, is_service), {}).get(outcome, np.nan)
            rows.append({"sales": "O" if is_sales else "X", "service": "O" if is_service else "X", "outcome": outcome,
                         "n": int(present.sum()), "loyal": int(values[present].sum()), "rate": est.value,
                         "low": est.low, "high": est.high, "seed_rate": seed})
    table = pd.DataFrame(rows)
    return table if seed_rates is not None else table.drop(columns="seed_rate")


def _groups(data: pd.DataFrame, segment: str) -> list:
    check_columns(data, segment, parameter="segment", error=StudyError)
    values = data[segment]
    if isinstance(values.dtype, pd.CategoricalDtype):
        return [c for c in values.cat.categories if (values == c).any()]
    return sorted(values.dropna().unique().tolist())


def segment_comparison(data: pd.DataFrame, segment: str, satisfaction: str | Sequence[str], loyalty: str | Sequence[str], *,
                       top_box: int = 2, scale=None, loyalty_scale=None, weights: str | None = None,
                       ci: float = 0.95) -> pd.DataFrame:
    """Satisfaction and loyalty indices (0-100) and top-box loyalty per segment.

    With ``weights`` (a survey weight column) indices and shares are weighted and
    their intervals use the Kish effective n.

    Returns
    -------
    DataFrame
        One row per segment value: ``segment``, ``n``, ``satisfaction_index``,
        ``satisfaction_low``, ``satisfaction_high``, ``loyalty_index``, ``loyalty_low``,
        ``loyalty_high``, ``loyal_share``, ``loyal_low``, ``loyal_high``.

    Examples
    --------
    >>> import pandas as pd
    >>> survey = pd.DataFrame({"g": ["a", "a", "b", "b"], "s": [1, 3, 5, 5], "l": [1, 5, 5, 5]})
    >>> segment_comparison(survey, "g", "s", "l", top_box=1, scale=(1, 5))["satisfaction_index"].tolist()
    [25.0, 100.0]
    """
    satisfaction, loyalty = _items(satisfaction), _items(loyalty)
    scale = _scale(scale, data, satisfaction)
    loyalty_scale = scale if loyalty_scale is None else Scale.coerce(loyalty_scale)
    loyal = top_box_flags(composite_score(data, loyalty, parameter="loyalty"), loyalty_scale, top_box)
    w = _weights(data, weights)
    rows = []
    for value in _groups(data, segment):
        part = data[segment] == value
        sat = mean_index(data[part], satisfaction, scale=scale, weights=weights, ci=ci)
        loy = mean_index(data[part], loyalty, scale=loyalty_scale, weights=weights, ci=ci)
        answered = part & loyal.notna()
        share = proportion(loyal[answered].astype(float).to_numpy(), weights=w[answered].to_numpy(), ci=ci)
        rows.append({"segment": value, "n": int(part.sum()),
                     "satisfaction_index": sat.value, "satisfaction_low": sat.low, "satisfaction_high": sat.high,
                     "loyalty_index": loy.value, "loyalty_low": loy.low, "loyalty_high": loy.high,
                     "loyal_share": share.value, "loyal_low": share.low, "loyal_high": share.high})
    return pd.DataFrame(rows)


def segment_tests(data: pd.DataFrame, segment: str, satisfaction: str | Sequence[str], loyalty: str | Sequence[str], *,
                  top_box: int = 2, scale=None, loyalty_scale=None) -> pd.DataFrame:
    """Do segments differ? Kruskal-Wallis on the scores, chi-square on top-box loyalty.

    Returns
    -------
    DataFrame
        ``measure`` (satisfaction, loyalty, loyal_share), ``test``, ``statistic``,
        ``df``, ``pvalue``.

    Examples
    --------
    >>> import pandas as pd
    >>> survey = pd.DataFrame({"g": list("aaaabbbb"), "s": [1, 2, 1, 2, 5, 4, 5, 4], "l": [1, 1, 2, 1, 5, 5, 4, 5]})
    >>> segment_tests(survey, "g", "s", "l", top_box=1, scale=(1, 5))["test"].tolist()
    ['Kruskal-Wallis', 'Kruskal-Wallis', 'chi-square']
    """
    satisfaction, loyalty = _items(satisfaction), _items(loyalty)
    scale = _scale(scale, data, satisfaction)
    loyalty_scale = scale if loyalty_scale is None else Scale.coerce(loyalty_scale)
    groups = _groups(data, segment)
    rows = []
    for measure, items in (("satisfaction", satisfaction), ("loyalty", loyalty)):
        score = composite_score(data, items, parameter=measure)
        samples = [score[(data[segment] == g) & score.notna()].to_numpy() for g in groups]
        result = stats.kruskal(*samples)
        rows.append({"measure": measure, "test": "Kruskal-Wallis", "statistic": float(result.statistic),
                     "df": len(groups) - 1, "pvalue": float(result.pvalue)})
    loyal = top_box_flags(composite_score(data, loyalty, parameter="loyalty"), loyalty_scale, top_box)
    table = pd.crosstab(data[segment][loyal.notna()], loyal.dropna().astype(bool))
    chi2, pvalue, dof, _ = stats.chi2_contingency(table, correction=False)
    rows.append({"measure": "loyal_share", "test": "chi-square", "statistic": float(chi2), "df": int(dof), "pvalue": float(pvalue)})
    return pd.DataFrame(rows)


def _pct(value: float) -> str:
    return f"{100 * value:.0f}%"


def summarize_findings(results: Mapping) -> list[str]:
    """Plain-language findings from a study's recorded results (``report.read_results()``).

    Each sentence is built from the numbers; a result that was not recorded is skipped.

    Examples
    --------
    >>> summarize_findings({"satisfaction_index": 71.2, "satisfaction_index_low": 69.0,
    ...                     "satisfaction_index_high": 73.1})[0]
    'The satisfaction index is 71.2 out of 100 (95% interval 69.0 to 73.1).'
    """
    lines = []
    for name in ("satisfaction", "loyalty"):
        key = f"{name}_index"
        if results.get(key) is not None:
            lines.append(f"The {name} index is {results[key]:.1f} out of 100 "
                         f"(95% interval {results[key + '_low']:.1f} to {results[key + '_high']:.1f}).")
    rho = results.get("satisfaction_loyalty_spearman")
    if rho is not None:
        strength = "strong" if abs(rho) >= 0.5 else "moderate" if abs(rho) >= 0.3 else "weak"
        lines.append(f"Satisfaction and loyalty are {strength}ly related (Spearman rho = {rho:.2f}).")
    curve = results.get("loyalty_by_satisfaction")
    if curve:
        levels = sorted(curve, key=float)
        lines.append(f"The top-box loyalty share rises from {_pct(curve[levels[0]])} at satisfaction {levels[0]} "
                     f"to {_pct(curve[levels[-1]])} at {levels[-1]}.")
    if results.get("curve_steepest") is not None:
        top_share = results.get("curve_top_gain_share")
        pvalue = results.get("curve_nonlinearity_pvalue")
        text = f"The curve is steepest near satisfaction {results['curve_steepest']:.1f}"
        if top_share is not None:
            where = "concentrated at the top of the scale" if top_share > 0.5 else "spread over the scale"
            text += f"; {_pct(top_share)} of the rise in loyalty comes in the top third of the satisfaction range ({where})"
        if pvalue is not None:
            text += (f"; the curvature test beyond the logistic shape gives p = {pvalue:.3f}"
                     f" ({'significant' if pvalue < 0.05 else 'not significant'})")
        lines.append(text + ".")
    segments = results.get("segments")
    if segments:
        lines.append(f"{_pct(segments.get('true', 0))} of customers are truly loyal, {_pct(segments.get('spurious', 0))} "
                     f"are spuriously loyal (repurchasing without being satisfied) and {_pct(segments.get('latent', 0))} "
                     "are latently loyal (satisfied but not repurchasing).")
    drivers = results.get("key_drivers")
    if drivers:
        top = max(drivers, key=drivers.get)
        lines.append(f"The strongest driver of satisfaction is {top} ({_pct(drivers[top])} of the explained variance).")
    if results.get("short_stave"):
        if results.get("short_stave_quadrant") == "keep up the good work":
            lines.append(f"No important driver lags behind: the weakest of them, {results['short_stave']}, "
                         "still performs above average.")
        else:
            lines.append(f"The short stave (high importance, lowest performance) is {results['short_stave']}: "
                         "improve it first.")
    if results.get("segment_difference_pvalue") is not None:
        p = results["segment_difference_pvalue"]
        lines.append(f"Segments {'differ' if p < 0.05 else 'do not differ significantly'} in top-box loyalty (chi-square p = {p:.3f}).")
    return lines


# --- study settings: the notebook's parameters resolved and checked ------------------

_ECSI_DRIVERS = {"Image": [f"IMAG{i}" for i in range(1, 6)], "Expectation": [f"CUEX{i}" for i in range(1, 4)],
                 "Quality": [f"PERQ{i}" for i in range(1, 8)], "Value": ["PERV1", "PERV2"]}
_ECSI_DEFAULTS = {"satisfaction": ["CUSA1", "CUSA2", "CUSA3"], "loyalty": ["CUSL1", "CUSL2", "CUSL3"],
                  "drivers": _ECSI_DRIVERS, "model": "ecsi", "scale": (1, 10)}
#: per data set: defaults of the study parameters, the behaviour measure of the loyalty
#: types (``proxy`` when it is a stated intention, not observed behaviour)
STUDY_DEFAULTS = {
    "mobi": {**_ECSI_DEFAULTS, "segment": None, "behaviour": "CUSL1", "behaviour_is_proxy": True},
    "simulated": {**_ECSI_DEFAULTS, "segment": "segment", "behaviour": "repurchase", "behaviour_is_proxy": False},
    "corp_rep": {
        "satisfaction": ["cusa"], "loyalty": ["cusl_1", "cusl_2", "cusl_3"],
        "drivers": {"Quality": [f"qual_{i}" for i in range(1, 9)], "Performance": [f"perf_{i}" for i in range(1, 6)],
                    "CSR": [f"csor_{i}" for i in range(1, 6)], "Attractiveness": [f"attr_{i}" for i in range(1, 4)],
                    "Competence": [f"comp_{i}" for i in range(1, 4)], "Likeability": [f"like_{i}" for i in range(1, 4)]},
        "model": "simple", "scale": (1, 7), "segment": "serviceprovider", "behaviour": "cusl_2", "behaviour_is_proxy": True,
    },
}
MODELS = ("ecsi", "simple", "none")
#: value of ``segment`` that switches the segment comparison off
NO_SEGMENT = "none"
#: survey weight column used for shares and means when a data set has it (the simulator)
WEIGHT_COLUMN = "weight"


@dataclass(frozen=True)
class StudySettings:
    """The satisfaction-versus-loyalty study's parameters after defaults and checks.

    ``data`` is already filtered to ``segment == segment_value`` when a value is given.
    ``behaviour`` is the column behind the loyalty types (``behaviour_is_proxy``: a
    stated intention item standing in for observed repurchase). ``weights`` is the
    survey weight column (:data:`WEIGHT_COLUMN`) when the data carry one (the
    simulator does): shares and means are then weighted; PLS, the curve fit and the
    tests stay unweighted.
    """

    data: pd.DataFrame
    satisfaction: list
    loyalty: list
    drivers: object
    segment: str | None
    segment_value: object
    top_box: int
    model: str
    scale: Scale
    behaviour: str | None
    behaviour_is_proxy: bool
    weights: str | None = None

    @property
    def satisfied_threshold(self) -> float:
        """Lowest item mean that counts as satisfied (the top box)."""
        return float(self.scale.high - (self.top_box - 1))

    @property
    def compare_segments(self) -> bool:
        return self.segment is not None and self.segment_value is None

    def model_spec(self):
        """``(measurement, structural)`` for :func:`csat_analysis.pls.estimate`, or ``None``.

        ``"ecsi"``: the brief's ECSI model with the study's satisfaction and loyalty
        items. ``"simple"``: each driver -> Satisfaction -> Loyalty.
        """
        if self.model == "none":
            return None
        if self.model == "ecsi":

            measurement, structural = pls.ecsi()
            measurement = {**measurement, "Satisfaction": list(self.satisfaction), "Loyalty": list(self.loyalty)}
            return measurement, structural
        drivers = self.drivers if isinstance(self.drivers, Mapping) else {d: [d] for d in (self.drivers or [])}
        measurement = {**{name: list(items) for name, items in drivers.items()},
                       "Satisfaction": list(self.satisfaction), "Loyalty": list(self.loyalty)}
        structural = [(name, "Satisfaction") for name in drivers] + [("Satisfaction", "Loyalty")]
        return measurement, structural


def resolve_settings(study, *, satisfaction=None, loyalty=None, drivers=None, segment=None, segment_value=None,
                     top_box: int = 2, model: str | None = None) -> StudySettings:
    """Fill in the data set's defaults and check every study parameter.

    Parameters
    ----------
    study : csat_analysis.datasets.StudyData
    satisfaction, loyalty : list of str, optional
        Item columns; default per data set (mobi and the simulator CUSA1-3 / CUSL1-3,
        corp_rep ``cusa`` / ``cusl_1-3``); required for user data.
    drivers : list of str or dict name -> items, optional
    segment : str, optional
        Segment column (default per data set; ``"none"`` for no segment).
    segment_value : optional
        Keep only this segment (compared as text, so ``2`` and ``"2"`` both work).
    top_box : int
    model : {"ecsi", "simple", "none"}, optional

    Raises
    ------
    StudyError
        For a wrong name or value; the message lists the valid choices.

    Examples
    --------
    >>> from csat_analysis.datasets import open_study_data
    >>> settings = resolve_settings(open_study_data("corp_rep"), segment_value=2)
    >>> settings.model, len(settings.data), settings.satisfied_threshold
    ('simple', 127, 6.0)
    """
    defaults = STUDY_DEFAULTS.get(study.name if study.kind != "user" else "", {})
    data = study.data
    satisfaction = _items(satisfaction) if satisfaction is not None else defaults.get("satisfaction")
    loyalty = _items(loyalty) if loyalty is not None else defaults.get("loyalty")
    if satisfaction is None or loyalty is None:
        raise StudyError("satisfaction and loyalty: give the item columns for this data set (no defaults for user data)")
    check_columns(data, satisfaction, parameter="satisfaction", error=StudyError)
    check_columns(data, loyalty, parameter="loyalty", error=StudyError)
    drivers = drivers if drivers is not None else defaults.get("drivers")
    if isinstance(drivers, str):
        drivers = [drivers]
    if isinstance(drivers, Mapping):
        for name, items in drivers.items():
            check_columns(data, _items(items), parameter=f"drivers[{name!r}]", error=StudyError)
    elif drivers is not None:
        check_columns(data, drivers, parameter="drivers", error=StudyError)
    model = check_choice("model", model if model is not None else defaults.get("model", "simple"), MODELS, error=StudyError)
    if model == "ecsi":
        missing = [i for items in _ECSI_DRIVERS.values() for i in items] + ["CUSCO"]
        missing = [i for i in missing if i not in data.columns]
        if missing:
            raise StudyError(f"model='ecsi' needs the ECSI items; missing {missing}. Use model='simple' or 'none'")
    segment = defaults.get("segment") if segment is None else segment
    segment = None if segment in (NO_SEGMENT, "", False) else segment
    if segment is not None:
        check_columns(data, segment, parameter="segment", error=StudyError)
    if segment_value is not None:
        if segment is None:
            raise StudyError("segment_value needs a segment column: set segment")
        text = data[segment].astype(str)
        check_choice("segment_value", str(segment_value), sorted(text.dropna().unique()), error=StudyError)
        data = data[text == str(segment_value)]
    scale = Scale.coerce(defaults["scale"]) if "scale" in defaults else infer_scale(data, [*satisfaction, *loyalty])
    if not (isinstance(top_box, (int, np.integer)) and not isinstance(top_box, bool) and 1 <= top_box <= scale.width):
        raise StudyError(f"top_box={top_box!r} must be a whole number of scale points between 1 and {scale.width:g}")
    behaviour = defaults.get("behaviour")
    if behaviour is not None and behaviour not in data.columns:
        behaviour = None
    return StudySettings(data, satisfaction, loyalty, drivers, segment, segment_value, int(top_box), model, scale,
                         behaviour, bool(defaults.get("behaviour_is_proxy", True)),
                         WEIGHT_COLUMN if WEIGHT_COLUMN in data.columns else None)


def describe_measures(data: pd.DataFrame, measures: Mapping[str, Sequence[str]], scale, *,
                      weights: str | None = None) -> pd.DataFrame:
    """Items, completeness, mean (0-100) and Cronbach's alpha of each measure.

    Alpha (with Feldt's interval, :func:`csat_analysis.scaling.cronbach_alpha`) is
    missing for single-item measures, whose reliability cannot be estimated. With
    ``weights`` the index is a weighted mean (alpha stays unweighted).

    Returns
    -------
    DataFrame
        ``measure``, ``items``, ``n_items``, ``complete`` (respondents answering every
        item), ``missing_cells``, ``index`` (mean item score rescaled to 0-100),
        ``alpha``, ``alpha_low``, ``alpha_high``.

    Examples
    --------
    >>> import pandas as pd
    >>> survey = pd.DataFrame({"a": [1, 4, 7, None], "b": [2, 4, 6, 5]})
    >>> describe_measures(survey, {"m": ["a", "b"], "b": ["b"]}, (1, 7))[["measure", "complete", "missing_cells"]].to_dict("list")
    {'measure': ['m', 'b'], 'complete': [3, 4], 'missing_cells': [1, 0]}
    """
    from .scaling import cronbach_alpha

    scale = Scale.coerce(scale)
    rows = []
    for name, items in measures.items():
        items = _items(items)
        frame = _numeric_items(data, items, f"measures[{name!r}]")
        alpha = cronbach_alpha(frame) if len(items) > 1 else None
        rows.append({"measure": name, "items": ", ".join(items), "n_items": len(items),
                     "complete": int(frame.notna().all(axis=1).sum()), "missing_cells": int(frame.isna().sum().sum()),
                     "index": mean_index(data, items, scale=scale, weights=weights).value,
                     "alpha": alpha.value if alpha else np.nan, "alpha_low": alpha.low if alpha else np.nan,
                     "alpha_high": alpha.high if alpha else np.nan})
    return pd.DataFrame(rows)


# --- the study notebook's steps: tables, records and finding sentences ---------------


def study_source(study, settings: StudySettings) -> str:
    """The data source line of every figure and table, naming a segment filter and the weights.

    Examples
    --------
    >>> from csat_analysis.datasets import open_study_data
    >>> corp = open_study_data("corp_rep")
    >>> study_source(corp, resolve_settings(corp, segment_value=2)).endswith("only serviceprovider = 2 (n = 127)")
    True
    """
    text = study.source
    if settings.segment_value is not None:
        text += f"; only {settings.segment} = {settings.segment_value} (n = {len(settings.data):,})"
    if settings.weights is not None:
        text += f"; shares and means weighted by `{settings.weights}`"
    return text


def settings_note(settings: StudySettings, source: str) -> str:
    """Markdown paragraph stating the data, measures, thresholds, weighting and model of a run.

    Examples
    --------
    >>> from csat_analysis.datasets import open_study_data
    >>> mobi = open_study_data("mobi")
    >>> "at least 9 (top 2 box)" in settings_note(resolve_settings(mobi), mobi.source)
    True
    """
    weighting = (f"Shares and means are weighted by the survey weight `{settings.weights}`; the PLS model, the "
                 "curve fit, correlations and tests are unweighted." if settings.weights is not None else
                 "The data carry no survey weights: every estimate is unweighted.")
    return (f"**Data:** {source}.  \n**Satisfaction:** {', '.join(settings.satisfaction)}; **loyalty:** "
            f"{', '.join(settings.loyalty)} (scale {settings.scale.low:g}-{settings.scale.high:g}; a measure with "
            f"several items is scored as the mean of its items). **Loyal / satisfied** means a score of at least "
            f"{settings.satisfied_threshold:g} (top {settings.top_box} box). **Model:** {settings.model}. {weighting}")


def study_measures(settings: StudySettings) -> dict:
    """Satisfaction, loyalty and (for construct drivers) each driver construct, as name -> items."""
    measures = {"Satisfaction": list(settings.satisfaction), "Loyalty": list(settings.loyalty)}
    if isinstance(settings.drivers, Mapping):
        measures.update({name: _items(items) for name, items in settings.drivers.items()})
    return measures


def measures_finding(measure_table: pd.DataFrame, n_respondents: int, *, floor: float = 0.7) -> str:
    """One sentence on completeness and the least consistent multi-item measure.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"measure": ["A", "B"], "missing_cells": [3, 0], "alpha": [0.65, 0.9],
    ...                       "alpha_low": [0.6, 0.85], "alpha_high": [0.7, 0.95]})
    >>> measures_finding(table, 250)
    '250 respondents; 3 missing answers across these measures. The least consistent multi-item measure is **A** (alpha = 0.65, 95% interval 0.60-0.70), below 0.7: read its mean with care.'
    """
    text = f"{n_respondents:,} respondents; {int(measure_table['missing_cells'].sum())} missing answers across these measures."
    multi = measure_table.dropna(subset=["alpha"])
    if multi.empty:
        return text + " Every measure has a single item, so internal consistency cannot be estimated."
    weakest = multi.loc[multi["alpha"].idxmin()]
    verdict = (f", below {floor:g}: read its mean with care." if weakest["alpha"] < floor
               else f"; every multi-item measure passes {floor:g}.")
    return (text + f" The least consistent multi-item measure is **{weakest['measure']}** (alpha = {weakest['alpha']:.2f}, "
            f"95% interval {weakest['alpha_low']:.2f}-{weakest['alpha_high']:.2f})" + verdict)


@dataclass(frozen=True)
class CurveStudy:
    """Section 2 of the study: the observed curve, the fitted logit and Spearman's rho.

    ``curve`` (see :func:`loyalty_curve`) is weighted when ``weighted``; ``fit`` and
    ``spearman`` are unweighted.
    """

    curve: pd.DataFrame
    fit: LoyaltyCurveFit
    spearman: float
    weighted: bool

    def to_results(self) -> dict:
        """The recorded results of this section, name -> value."""
        return {"satisfaction_loyalty_spearman": self.spearman,
                "loyalty_by_satisfaction": dict(zip(self.curve["satisfaction"].astype(str), self.curve["share"])),
                "curve_steepest": self.fit.steepest, "curve_nonlinearity_pvalue": self.fit.lr_pvalue,
                "curve_top_gain_share": self.fit.top_gain_share}

    def finding(self) -> str:
        """The section's finding sentence, from the numbers."""
        return curve_finding(self.curve, self.fit.steepest, self.fit.top_gain_share, self.fit.lr_pvalue, self.spearman)


def curve_finding(curve: pd.DataFrame, steepest: float, top_gain_share: float, lr_pvalue: float, spearman: float) -> str:
    """Where the loyal share starts and ends, where the fitted curve is steepest, whether it bends.

    Examples
    --------
    >>> import pandas as pd
    >>> curve = pd.DataFrame({"satisfaction": [1, 10], "share": [0.05, 0.8]})
    >>> curve_finding(curve, 8.4, 0.62, 0.001, 0.55)  # doctest: +NORMALIZE_WHITESPACE
    'The loyal share rises from 5% at satisfaction 1 to 80% at 10 (Spearman rho = 0.55). The fitted curve is steepest
    near 8.4; 62% of the rise happens in the top third of the satisfaction range, and the curvature test gives
    p = 0.001 (the curve bends significantly).'
    """
    low_row, high_row = curve.iloc[0], curve.iloc[-1]
    direction = "rises" if high_row["share"] >= low_row["share"] else "falls"
    bend = ("(the curve bends significantly)." if lr_pvalue < 0.05
            else "(no significant bend beyond the logistic shape).")
    return (f"The loyal share {direction} from {low_row['share']:.0%} at satisfaction {low_row['satisfaction']:g} to "
            f"{high_row['share']:.0%} at {high_row['satisfaction']:g} (Spearman rho = {spearman:.2f}). "
            f"The fitted curve is steepest near {steepest:.1f}; {top_gain_share:.0%} of the rise happens in the top "
            f"third of the satisfaction range, and the curvature test gives p = {lr_pvalue:.3f} {bend}")


def curve_study(settings: StudySettings) -> CurveStudy:
    """Run section 2 on the study's data: :func:`loyalty_curve` (weighted when the data
    carry weights), :func:`fit_loyalty_curve` and Spearman's rho of the two scores."""
    data, sat_items, loy_items = settings.data, settings.satisfaction, settings.loyalty
    curve = loyalty_curve(data, sat_items, loy_items, top_box=settings.top_box, scale=settings.scale,
                          weights=settings.weights)
    fit = fit_loyalty_curve(data, sat_items, loy_items, top_box=settings.top_box, scale=settings.scale)
    rho = stats.spearmanr(composite_score(data, sat_items), composite_score(data, loy_items), nan_policy="omit").statistic
    return CurveStudy(curve, fit, float(rho), settings.weights is not None)


def study_loyalty_types(settings: StudySettings) -> pd.DataFrame | None:
    """:func:`loyalty_segments` with the study's behaviour measure and thresholds (``None`` without one)."""
    if settings.behaviour is None:
        return None
    is_flag = pd.api.types.is_bool_dtype(settings.data[settings.behaviour])
    return loyalty_segments(settings.data, settings.satisfaction, settings.behaviour,
                            attitude_threshold=settings.satisfied_threshold,
                            behaviour_threshold=None if is_flag else settings.satisfied_threshold,
                            weights=settings.weights)


def loyalty_types_finding(table: pd.DataFrame, behaviour: str, behaviour_is_proxy: bool) -> str:
    """What behaviour stands for, and the shares of true, spurious and latent loyalty.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"segment": ["true", "latent", "spurious", "none"], "share": [0.4, 0.1, 0.2, 0.3]})
    >>> loyalty_types_finding(table, "repurchase", False)
    'Behaviour here is `repurchase` (observed repurchase). 40% are truly loyal; 20% are spuriously loyal (they stay without being satisfied) and 10% are latently loyal (satisfied but not committed).'
    """
    shares = table.set_index("segment")["share"]
    behaviour_text = (f"`{behaviour}` (observed repurchase)" if not behaviour_is_proxy else
                      f"the repurchase-intention item `{behaviour}` (top box) as a proxy: this survey records no "
                      "observed behaviour")
    return (f"Behaviour here is {behaviour_text}. {shares['true']:.0%} are truly loyal; {shares['spurious']:.0%} are "
            f"spuriously loyal (they stay without being satisfied) and {shares['latent']:.0%} are latently loyal "
            "(satisfied but not committed).")


#: columns the dealer table (seed 004) needs; only the simulator has them
DEALER_COLUMNS = ("sales_satisfied", "service_satisfied", "loyal_to_dealer", "loyal_to_brand")


def study_dealer_table(settings: StudySettings) -> pd.DataFrame | None:
    """:func:`dealer_table` on the study's data with a ``cell`` label, or ``None`` when the columns are missing."""
    if not all(c in settings.data.columns for c in DEALER_COLUMNS):
        return None
    table = dealer_table(settings.data, "sales_satisfied", "service_satisfied", weights=settings.weights)
    table.insert(0, "cell", "sales " + table["sales"] + " / service " + table["service"])
    return table


def dealer_records(table: pd.DataFrame) -> dict:
    """``{"dealer_table": {"O/X loyal_to_dealer": rate, ...}}``."""
    return {"dealer_table": {f"{r.sales}/{r.service} {r.outcome}": r.rate for r in table.itertuples()}}


def dealer_finding(table: pd.DataFrame) -> str:
    """How many seed rates the data reproduce, and whether sales or service satisfaction matters more.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"sales": ["O", "X", "O", "X"], "service": ["O", "O", "X", "X"],
    ...                       "outcome": "loyal_to_dealer", "n": [50, 30, 20, 10], "rate": [0.8, 0.4, 0.1, 0.0],
    ...                       "low": [0.7, 0.3, 0.05, 0.0], "high": [0.9, 0.5, 0.2, 0.1],
    ...                       "seed_rate": [0.85, 0.35, 0.12, 0.01]})
    >>> dealer_finding(table)
    'Rebuilt from 110 respondents: 4 of 4 seed rates lie inside the 95% intervals. Satisfied with the service only, 40% stay loyal to the dealer; satisfied with the sale only, 10%: service satisfaction matters more.'
    """
    inside = int(((table["low"] <= table["seed_rate"]) & (table["seed_rate"] <= table["high"])).sum())
    n = int(table.groupby(["sales", "service"])["n"].first().sum())
    to_dealer = table[table["outcome"] == "loyal_to_dealer"].set_index(["sales", "service"])["rate"]
    only_service, only_sales = to_dealer[("X", "O")], to_dealer[("O", "X")]
    verdict = ("service satisfaction matters more." if only_service > only_sales
               else "sales satisfaction matters more." if only_sales > only_service else "both matter equally.")
    return (f"Rebuilt from {n:,} respondents: {inside} of {len(table)} seed rates lie inside the 95% intervals. "
            f"Satisfied with the service only, {only_service:.0%} stay loyal to the dealer; satisfied with the sale "
            f"only, {only_sales:.0%}: {verdict}")


# --- the satisfaction index model -----------------------------------------------------

def negative_index_weights(pls_fit, scale) -> pd.DataFrame:
    """Items whose normalised index weight is negative: ``item``, ``construct``, ``weight``.

    :meth:`~csat_analysis.pls.PLSResult.index` keeps such weights and warns; this
    function catches exactly that warning and returns the weights as a table, so a
    report can show them (an item pulling its construct's index down usually means it
    is collinear with a sibling item or measures something else).
    """
    import warnings

    scale = Scale.coerce(scale)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pls.NegativeIndexWeightWarning)
        weights = pls_fit.index(scale=(scale.low, scale.high)).weights
    tidy = weights.stack().rename("weight").rename_axis(["item", "construct"]).reset_index()
    return tidy[tidy["weight"] < 0].reset_index(drop=True)


def negative_weights_finding(table: pd.DataFrame) -> str:
    """One sentence: no negative index weight, or which items have one and what that means.

    Examples
    --------
    >>> import pandas as pd
    >>> negative_weights_finding(pd.DataFrame({"item": [], "construct": [], "weight": []}))
    'Every item has a positive weight in its index.'
    >>> negative_weights_finding(pd.DataFrame({"item": ["q1"], "construct": ["Quality"], "weight": [-0.05]}))
    '1 item has a negative index weight (q1 in Quality, -0.05): it lowers its index as its score rises; the index keeps it as estimated, so read that construct with care (the item is probably collinear with its siblings).'
    """
    if table.empty:
        return "Every item has a positive weight in its index."
    listed = ", ".join(f"{r.item} in {r.construct}, {r.weight:.2f}" for r in table.itertuples())
    many = len(table) > 1
    return (f"{len(table)} item{'s have' if many else ' has'} a negative index weight ({listed}): "
            f"{'they lower their' if many else 'it lowers its'} index as {'their' if many else 'its'} score rises; "
            f"the index keeps {'them' if many else 'it'} as estimated, so read that construct with care "
            f"(the item{'s are' if many else ' is'} probably collinear with {'their' if many else 'its'} siblings).")


@dataclass
class IndexModel:
    """Section 5 of the study: the PLS model with bootstrap intervals, or plain mean indices.

    Attributes
    ----------
    pls_fit, boot : PLSResult and BootstrapResult, or None with ``model="none"``
    indices : DataFrame
        ``measure`` ("satisfaction", "loyalty"), ``index``, ``low``, ``high`` (0-100).
    paths : DataFrame or None
        ``source``, ``target``, ``original``, ``se``, ``low``, ``high`` (bootstrap).
    negative_weights : DataFrame
        :func:`negative_index_weights` (empty without a model).
    method : str
        How the indices and their intervals were computed, in words.
    """

    pls_fit: object
    boot: object
    indices: pd.DataFrame
    paths: pd.DataFrame | None
    negative_weights: pd.DataFrame
    method: str

    def to_results(self) -> dict:
        """``satisfaction_index`` (+``_low``/``_high``), ``loyalty_index`` (...) and ``ecsi_paths`` with a model."""
        results = {}
        for measure, value, low, high in self.indices[["measure", "index", "low", "high"]].itertuples(index=False):
            results.update({f"{measure}_index": float(value), f"{measure}_index_low": float(low),
                            f"{measure}_index_high": float(high)})
        if self.paths is not None:
            results["ecsi_paths"] = {f"{r.source}->{r.target}": r.original for r in self.paths.itertuples()}
        return results

    def constructs(self) -> pd.DataFrame:
        """Per construct: R² (endogenous only) and reliability (alpha, rhoC, AVE, rhoA)."""
        table = self.pls_fit.reliability.copy()
        table.insert(0, "R²", self.pls_fit.r2.reindex(table.index))
        return table.rename_axis("construct").reset_index()

    def paths_finding(self) -> str:
        """How many paths are significant, the strongest one and the R² of the endogenous constructs."""
        return paths_finding(self.paths, self.pls_fit.r2, self.boot.n_resamples)

    def index_finding(self, source: str) -> str:
        """Both indices with their intervals and how they were computed."""
        return index_finding(self.to_results(), self.method, source)


def paths_finding(paths: pd.DataFrame, r2: pd.Series, n_resamples: int) -> str:
    """Significant paths (bootstrap interval excluding zero), the strongest path and the R² values.

    Examples
    --------
    >>> import pandas as pd
    >>> paths = pd.DataFrame({"source": ["A", "B"], "target": ["S", "S"], "original": [0.5, 0.05],
    ...                       "low": [0.4, -0.1], "high": [0.6, 0.2]})
    >>> paths_finding(paths, pd.Series({"S": 0.31}), 1000)
    '1 of 2 paths have 95% bootstrap intervals (1000 resamples) that exclude zero; the strongest is A -> S (0.50). R² of the endogenous constructs: S 0.31.'
    """
    strongest = paths.loc[paths["original"].abs().idxmax()]
    significant = int(((paths["low"] > 0) | (paths["high"] < 0)).sum())
    return (f"{significant} of {len(paths)} paths have 95% bootstrap intervals ({n_resamples} resamples) that exclude "
            f"zero; the strongest is {strongest['source']} -> {strongest['target']} ({strongest['original']:.2f}). "
            "R² of the endogenous constructs: " + ", ".join(f"{k} {v:.2f}" for k, v in r2.items()) + ".")


def index_finding(results: Mapping, method: str, source: str) -> str:
    """The satisfaction and loyalty indices with intervals, the method and the source.

    Examples
    --------
    >>> index_finding({"satisfaction_index": 70.04, "satisfaction_index_low": 68.0, "satisfaction_index_high": 72.0,
    ...                "loyalty_index": 60.0, "loyalty_index_low": 57.5, "loyalty_index_high": 62.5}, "item means", "x")
    '**Satisfaction index** 70.0 (95% interval 68.0-72.0); **loyalty index** 60.0 (57.5-62.5), out of 100 (item means). Source: x.'
    """
    return (f"**Satisfaction index** {results['satisfaction_index']:.1f} (95% interval "
            f"{results['satisfaction_index_low']:.1f}-{results['satisfaction_index_high']:.1f}); **loyalty index** "
            f"{results['loyalty_index']:.1f} ({results['loyalty_index_low']:.1f}-{results['loyalty_index_high']:.1f}), "
            f"out of 100 ({method}). Source: {source}.")


def index_model(settings: StudySettings, *, bootstrap: int = 1000, seed: int = 0) -> IndexModel:
    """Estimate the study's index model (:meth:`StudySettings.model_spec`) with bootstrap intervals.

    PLS is unweighted (PLS-SEM has no design weights). With ``model="none"`` the indices
    are the (weighted, when the data carry weights) item means rescaled to 0-100 with
    t intervals (:func:`mean_index`). Negative index weights are not warned about but
    returned in ``negative_weights``.
    """
    spec = settings.model_spec()
    scale = (settings.scale.low, settings.scale.high)
    if spec is None:
        rows = []
        for measure, items in (("satisfaction", settings.satisfaction), ("loyalty", settings.loyalty)):
            est = mean_index(settings.data, items, scale=settings.scale, weights=settings.weights)
            rows.append({"measure": measure, "index": est.value, "low": est.low, "high": est.high})
        method = "item means rescaled to 0-100, t intervals" + (", weighted" if settings.weights else "")
        return IndexModel(None, None, pd.DataFrame(rows), None, pd.DataFrame(columns=["item", "construct", "weight"]), method)
    pls_fit = pls.estimate(settings.data, *spec)
    negative = negative_index_weights(pls_fit, settings.scale)
    boot = pls_fit.bootstrap(n=bootstrap, seed=seed, scale=scale)
    table = boot.indices.set_index("source")
    indices = pd.DataFrame([{"measure": measure, "index": table.loc[construct, "original"],
                             "low": table.loc[construct, "low"], "high": table.loc[construct, "high"]}
                            for measure, construct in (("satisfaction", "Satisfaction"), ("loyalty", "Loyalty"))])
    paths = boot.paths[["source", "target", "original", "se", "low", "high"]]
    method = f"PLS index, unweighted, percentile bootstrap intervals from {boot.n_resamples} resamples"
    return IndexModel(pls_fit, boot, indices, paths, negative, method)


# --- segments -------------------------------------------------------------------------


@dataclass(frozen=True)
class SegmentStudy:
    """Section 6: indices and loyal share per segment (:func:`segment_comparison`) and tests."""

    segment: str
    table: pd.DataFrame
    tests: pd.DataFrame

    def long(self) -> pd.DataFrame:
        """One row per segment and measure (satisfaction, loyalty): ``value``, ``low``, ``high``, for plotting."""
        parts = [self.table.assign(measure=measure, value=self.table[f"{measure}_index"],
                                   low=self.table[f"{measure}_low"], high=self.table[f"{measure}_high"])
                 for measure in ("satisfaction", "loyalty")]
        long = pd.concat(parts, ignore_index=True)[["segment", "measure", "value", "low", "high"]]
        long["segment"] = long["segment"].astype(str)
        return long

    def to_results(self) -> dict:
        """``segment_difference_pvalue`` (chi-square on the loyal share) and ``loyalty_by_segment``."""
        return {"segment_difference_pvalue": float(self.tests.set_index("measure").loc["loyal_share", "pvalue"]),
                "loyalty_by_segment": dict(zip(self.table["segment"].astype(str), self.table["loyal_share"]))}

    def finding(self) -> str:
        """Lowest and highest loyalty index and whether the loyal share differs."""
        return segment_finding(self.table, self.to_results()["segment_difference_pvalue"], self.segment)


def segment_finding(table: pd.DataFrame, pvalue: float, segment: str) -> str:
    """Loyalty index range across segments and the chi-square verdict on the loyal share.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"segment": [1, 2], "loyalty_index": [61.0, 70.5]})
    >>> segment_finding(table, 0.2, "provider")
    'Loyalty index from 61.0 (provider 1) to 70.5 (provider 2); the loyal share does not differ significantly between segments (chi-square p = 0.200).'
    """
    ranked = table.set_index("segment")["loyalty_index"]
    verdict = "differs" if pvalue < 0.05 else "does not differ significantly"
    return (f"Loyalty index from {ranked.min():.1f} ({segment} {ranked.idxmin()}) to {ranked.max():.1f} "
            f"({segment} {ranked.idxmax()}); the loyal share {verdict} between segments (chi-square p = {pvalue:.3f}).")


def segment_study(settings: StudySettings) -> SegmentStudy | None:
    """Compare the segments of the study's data (``None`` when there is nothing to compare)."""
    if not settings.compare_segments:
        return None
    arguments = dict(top_box=settings.top_box, scale=settings.scale)
    table = segment_comparison(settings.data, settings.segment, settings.satisfaction, settings.loyalty,
                               weights=settings.weights, **arguments)
    tests = segment_tests(settings.data, settings.segment, settings.satisfaction, settings.loyalty, **arguments)
    return SegmentStudy(settings.segment, table, tests)


def no_segment_reason(settings: StudySettings) -> str:
    """Why a run has no segment comparison, in one sentence."""
    if settings.segment_value is not None:
        return f"No segment comparison: the data were filtered to {settings.segment} = {settings.segment_value}."
    return "No segment comparison: this data set has no segment column (set `segment` to name one)."


def styled_table(table: pd.DataFrame, source: str, *, precision: int = 3):
    """:func:`csat_analysis.report.styled_table` with the source as the caption.

    Examples
    --------
    >>> import pandas as pd
    >>> html = styled_table(pd.DataFrame({"share_low": [0.123456]}), "survey x").to_html()
    >>> "share low" in html and "0.123" in html and "0.1234" not in html and "Source: survey x" in html
    True
    """
    return report.styled_table(table, source=source, digits=precision)
