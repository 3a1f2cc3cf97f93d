"""Satisfaction versus loyalty: the curve, loyalty types, the dealer table, segments.

Satisfaction is necessary but not sufficient for loyalty. These functions answer how
loyalty rises with satisfaction (:func:`loyalty_curve`, :func:`fit_loyalty_curve`),
which customers are loyal for the wrong reasons (:func:`loyalty_segments`, the
attitude-by-behaviour types of Dick and Basu 1994), the Toyota Motor Sales U.S.A.
dealer table rebuilt from respondent data (:func:`dealer_table`), how segments differ
(:func:`segment_comparison`, :func:`segment_tests`) and how consistent each measure
is (:func:`describe_measures`).

Multi-item measures are summarised by the mean of their items
(:func:`csat_analysis.scaling.composite_score`); a respondent is "top box" on a
measure when that mean lies in the top ``top_box`` points of the scale, the one
top-box rule of :func:`csat_analysis.scaling.top_box` (on a 1-10 scale with
``top_box=2``: a mean of 9 or more, so 8.5 is not). Survey ``weights`` are a column
name or one value per row.

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

from . import metrics, scaling
from ._validation import check_choice, check_columns, describe_offenders, read_weights
from .errors import ParameterError, SurveyDataError
from .metrics import proportion
from .scaling import Scale, composite_score

__all__ = [
    "DEALER_LOYALTY_RATES",
    "LOYALTY_TYPES",
    "LoyaltyCurveFit",
    "dealer_table",
    "describe_measures",
    "fit_loyalty_curve",
    "infer_scale",
    "loyalty_curve",
    "loyalty_segments",
    "mean_index",
    "segment_comparison",
    "segment_tests",
]

#: loyalty types crossing attitude (satisfied?) with behaviour (repurchasing?), Dick and Basu (1994)
LOYALTY_TYPES = {
    "true": (True, True),
    "latent": (True, False),
    "spurious": (False, True),
    "none": (False, False),
}

#: Toyota Motor Sales U.S.A. dealer study: loyalty rate by (sales satisfied, service satisfied)
DEALER_LOYALTY_RATES = {
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
            raise SurveyDataError(
                f"{parameter}: column {column!r} has non-numeric values {describe_offenders(values, bad)}"
            )
    return frame.apply(pd.to_numeric, errors="coerce").astype(float)


def infer_scale(data: pd.DataFrame, items: str | Sequence[str]) -> Scale:
    """The rating scale spanned by the observed items (rounded outward to integers).

    Use a known scale when there is one; this fallback is only as wide as the answers.

    Parameters
    ----------
    data : DataFrame
        One row per respondent.
    items : str or list of str
        Item column(s).

    Returns
    -------
    Scale
        From the smallest to the largest observed answer, rounded outward to integers.

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


def _check_top_box(top_box, scale: Scale) -> int:
    if isinstance(top_box, bool) or not (isinstance(top_box, (int, np.integer)) and 1 <= top_box <= scale.width):
        raise ParameterError(
            f"top_box={top_box!r} must be a whole number of scale points between 1 and {scale.width:g}"
        )
    return int(top_box)


def _loyal_flags(scores: pd.Series, scale: Scale, top_box) -> pd.Series:
    """Top-box flags of loyalty scores (:func:`csat_analysis.scaling.top_box`); missing stays missing."""
    return scaling.top_box(scores, scale, _check_top_box(top_box, scale), name="loyalty")


def _design_estimate(values, weights, ci: float, bounds: tuple[float, float] | None = None) -> metrics.Estimate:
    """Weighted mean of ``values`` with a Taylor-linearised standard error (R ``survey::svymean``).

    The interval is normal-theory, as R's ``confint``; ``bounds`` clip it to the range
    the quantity cannot leave (0-1 for a share, the scale for a mean score).
    """
    from dataclasses import replace

    from .design import SurveyDesign

    values = np.asarray(values, dtype=float)
    weights = np.asarray(weights, dtype=float)
    keep = ~np.isnan(values)
    if not keep.any():
        return metrics.Estimate.empty(n_dropped=int((~keep).sum()))
    est = SurveyDesign(pd.DataFrame({"x": values[keep]}), weights=weights[keep], ci=ci).mean("x")
    est = replace(est, n_dropped=int((~keep).sum()))
    if bounds is not None:
        est = replace(est, low=float(np.clip(est.low, *bounds)), high=float(np.clip(est.high, *bounds)))
    return est


def _share(flags, weights, ci: float) -> metrics.Estimate:
    """A share: Wilson interval unweighted, the linearised design interval (clipped to 0-1) weighted."""
    if weights is None:
        return proportion(np.asarray(flags, dtype=float), ci=ci)
    return _design_estimate(flags, weights, ci, bounds=(0.0, 1.0))


def mean_index(
    data: pd.DataFrame, items: str | Sequence[str], *, scale=None, weights=None, ci: float = 0.95
) -> metrics.Estimate:
    """Index 0-100 of a measure without a model: the mean item score rescaled to 0-100.

    Each respondent's item mean is mapped from ``scale`` to 0-100; the index is their
    mean with a t interval or, with ``weights``, their weighted mean with a
    Taylor-linearised interval (:class:`csat_analysis.design.SurveyDesign`, as R
    ``survey::svymean``), clipped to 0-100.

    Parameters
    ----------
    data : DataFrame
        One row per respondent.
    items : str or list of str
        Item column(s), averaged per respondent.
    scale : Scale or (low, high), optional
        The items' scale (default: the observed range).
    weights : str or array-like, optional
        Survey weights: a column name or one value per row.
    ci : float
        Confidence level.

    Returns
    -------
    Estimate
        The 0-100 index with its interval and sample size.

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
    if weights is None:
        return metrics.mean(score, ci=ci)
    return _design_estimate(score.to_numpy(), read_weights(data, weights), ci, bounds=(0.0, 100.0))


def loyalty_curve(
    data: pd.DataFrame,
    satisfaction: str | Sequence[str],
    loyalty: str | Sequence[str],
    *,
    top_box: int = 2,
    scale=None,
    loyalty_scale=None,
    weights=None,
    ci: float = 0.95,
) -> pd.DataFrame:
    """Loyalty at each satisfaction level: top-box share (Wilson) and mean (t interval).

    Parameters
    ----------
    data : DataFrame
    satisfaction, loyalty : str or list of str
        Item column(s). Several items are averaged per respondent; the satisfaction
        mean is then rounded half up to the nearest scale point to form the levels.
    top_box : int
        A respondent is loyal when their loyalty score lies in the top ``top_box``
        points of the loyalty scale (:func:`csat_analysis.scaling.top_box`).
    scale, loyalty_scale : Scale or (low, high), optional
        The satisfaction and loyalty scales (``loyalty_scale`` defaults to ``scale``;
        both default to the observed range).
    weights : str or array-like, optional
        Survey weights, a column name or one value per row (shares and means
        weighted, with Taylor-linearised intervals as R ``survey``).
    ci : float
        Confidence level.

    Returns
    -------
    DataFrame
        One row per satisfaction level: ``satisfaction``, ``n``, ``n_eff``, ``loyal``
        (top-box count), ``share``, ``share_low``, ``share_high``, ``mean``,
        ``mean_low``, ``mean_high``. Respondents missing either score are dropped.
        Intervals are clipped to the range the quantity cannot leave (0-1 for the
        share, the loyalty scale for the mean): a mean-loyalty interval never
        reaches below the scale's floor.

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
    loyal = _loyal_flags(loy, loyalty_scale, top_box)
    keep = sat.notna() & loy.notna()
    frame = pd.DataFrame({"satisfaction": sat[keep].astype(int), "loy": loy[keep], "loyal": loyal[keep].astype(float)})
    if weights is None:
        shares = metrics.rates(frame, "loyal", "satisfaction", ci=ci)
        means = metrics.mean_table(frame, "loy", "satisfaction", ci=ci)
        curve = shares.rename(columns={"events": "loyal", "rate": "share", "low": "share_low", "high": "share_high"})
        curve[["mean", "mean_low", "mean_high"]] = means[["mean", "low", "high"]].to_numpy()
    else:
        w = read_weights(data, weights)[keep.to_numpy()]
        rows = []
        for level in sorted(frame["satisfaction"].unique()):
            member = (frame["satisfaction"] == level).to_numpy()
            share = _share(frame["loyal"].to_numpy()[member], w[member], ci)
            mean = _design_estimate(frame["loy"].to_numpy()[member], w[member], ci)
            rows.append(
                {
                    "satisfaction": int(level),
                    "n": int(member.sum()),
                    "n_eff": share.n_eff,
                    "loyal": int(frame["loyal"].to_numpy()[member].sum()),
                    "share": share.value,
                    "share_low": share.low,
                    "share_high": share.high,
                    "mean": mean.value,
                    "mean_low": mean.low,
                    "mean_high": mean.high,
                }
            )
        curve = pd.DataFrame(rows)
    # a t interval of a mean near the floor can cross it; the mean of a bounded score cannot
    curve["mean_low"] = curve["mean_low"].clip(loyalty_scale.low, loyalty_scale.high)
    curve["mean_high"] = curve["mean_high"].clip(loyalty_scale.low, loyalty_scale.high)
    return curve[
        ["satisfaction", "n", "n_eff", "loyal", "share", "share_low", "share_high", "mean", "mean_low", "mean_high"]
    ]


@dataclass(frozen=True)
class LoyaltyCurveFit:
    """A fitted satisfaction-loyalty curve (see :func:`fit_loyalty_curve`).

    Attributes
    ----------
    linear, curved : statsmodels Logit results
        Logit of top-box loyalty on satisfaction: straight and with the curvature term.
    lr_statistic, lr_dof, lr_p_value : float
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
    lr_dof: int
    lr_p_value: float
    grid: pd.DataFrame
    steepest: float
    top_gain_share: float
    form: str
    n: int

    def summary(self) -> pd.DataFrame:
        """The curvature test and the shape of the curve as one tidy row.

        Columns ``form``, ``n``, ``statistic``, ``dof``, ``p_value`` (the likelihood-ratio
        test), ``steepest`` and ``top_gain_share``.

        Returns
        -------
        DataFrame
            One row: ``form``, ``n``, ``statistic``, ``dof``, ``p_value``, ``steepest``, ``top_gain_share``.
        """
        return pd.DataFrame(
            [
                {
                    "form": self.form,
                    "n": self.n,
                    "statistic": self.lr_statistic,
                    "dof": self.lr_dof,
                    "p_value": self.lr_p_value,
                    "steepest": self.steepest,
                    "top_gain_share": self.top_gain_share,
                }
            ]
        )


def fit_loyalty_curve(
    data: pd.DataFrame,
    satisfaction: str | Sequence[str],
    loyalty: str | Sequence[str],
    *,
    top_box: int = 2,
    scale=None,
    loyalty_scale=None,
    form: str = "quadratic",
    spline_df: int = 3,
    grid_points: int = 91,
    ci: float = 0.95,
) -> LoyaltyCurveFit:
    """Logistic regression of top-box loyalty on satisfaction, with a test of non-linearity.

    Fits ``loyal ~ satisfaction`` and ``loyal ~ satisfaction + I(satisfaction**2)``
    (``form="quadratic"``) or ``loyal ~ bs(satisfaction, df=spline_df)``
    (``form="spline"``) as logits (:func:`csat_analysis.regression.fit_logit`, so
    perfect separation is a :class:`~csat_analysis.errors.ModelSpecError`) and
    compares them with a likelihood-ratio test. Satisfaction is the respondent's item
    mean (not rounded). Unweighted: the curve describes respondents, and survey
    weights would make the likelihood-ratio test invalid.

    Parameters
    ----------
    data : DataFrame
        One row per respondent.
    satisfaction, loyalty : str or list of str
        Item column(s); several items are averaged per respondent.
    top_box : int
        A respondent is loyal when their loyalty score lies in the top ``top_box`` points
        of the loyalty scale.
    scale : Scale or (low, high), optional
        The satisfaction scale (default: the observed range).
    loyalty_scale : Scale or (low, high), optional
        The loyalty scale (default: ``scale``).
    form : {"quadratic", "spline"}
        The curved model.
    spline_df : int
        Degrees of freedom of the B-spline (``form="spline"``).
    grid_points : int
        Satisfaction levels in the fitted curve ``grid``.
    ci : float
        Confidence level.

    Returns
    -------
    LoyaltyCurveFit
        The straight and curved logit fits, the curvature test and the predicted curve with its interval.

    Raises
    ------
    ParameterError
        For an unknown ``form`` or a ``top_box`` that does not fit the scale.
    SurveyDataError
        When the data have only loyal or only non-loyal respondents, or fewer than
        three satisfaction levels.

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

    check_choice("form", form, ["quadratic", "spline"], error=ParameterError)
    satisfaction, loyalty = _items(satisfaction), _items(loyalty)
    scale = _scale(scale, data, satisfaction)
    loyalty_scale = scale if loyalty_scale is None else Scale.coerce(loyalty_scale)
    sat = composite_score(data, satisfaction, parameter="satisfaction")
    loyal = _loyal_flags(composite_score(data, loyalty, parameter="loyalty"), loyalty_scale, top_box)
    frame = pd.DataFrame({"satisfaction": sat, "loyal": loyal.astype(float)}).dropna()
    if frame["loyal"].nunique() < 2 or frame["satisfaction"].nunique() < 3:
        raise SurveyDataError(
            f"fit_loyalty_curve: need both loyal and non-loyal respondents and at least 3 satisfaction levels; "
            f"got {int(frame['loyal'].sum())} loyal of {len(frame)} over {frame['satisfaction'].nunique()} levels"
        )
    linear = fit_logit("loyal ~ satisfaction", frame)
    term = "satisfaction + I(satisfaction ** 2)" if form == "quadratic" else f"bs(satisfaction, df={spline_df})"
    curved = fit_logit(f"loyal ~ {term}", frame)
    lr = max(2 * (curved.llf - linear.llf), 0.0)
    lr_dof = int(curved.df_model - linear.df_model)
    low, high = frame["satisfaction"].min(), frame["satisfaction"].max()
    xs = np.linspace(low, high, grid_points)
    prediction = curved.get_prediction(pd.DataFrame({"satisfaction": xs})).summary_frame(alpha=1 - ci)
    predicted = prediction["predicted"].to_numpy()
    slope = np.gradient(predicted, xs)
    grid = pd.DataFrame(
        {
            "satisfaction": xs,
            "predicted": predicted,
            "low": prediction["ci_lower"].to_numpy(),
            "high": prediction["ci_upper"].to_numpy(),
            "slope": slope,
        }
    )
    rise = predicted[-1] - predicted[0]
    top_third = xs >= high - (high - low) / 3
    gain_top = predicted[-1] - predicted[top_third][0]
    return LoyaltyCurveFit(
        linear,
        curved,
        float(lr),
        lr_dof,
        float(stats.chi2.sf(lr, lr_dof)),
        grid,
        float(xs[np.argmax(slope)]),
        float(gain_top / rise) if rise > 0 else float("nan"),
        form,
        len(frame),
    )


def loyalty_segments(
    data: pd.DataFrame,
    attitude: str | Sequence[str],
    behaviour: str | Sequence[str],
    *,
    attitude_threshold: float,
    behaviour_threshold: float | None = None,
    weights=None,
    ci: float = 0.95,
) -> pd.DataFrame:
    """Loyalty types crossing attitude (satisfaction) with behaviour (repurchase).

    The types of Dick and Basu (1994): ``true``, satisfied and repurchasing;
    ``latent``, satisfied, not repurchasing; ``spurious``, repurchasing without being
    satisfied; ``none``, neither.

    Parameters
    ----------
    data : DataFrame
        One row per respondent.
    attitude : str or list of str
        Satisfaction item(s); their mean is compared with ``attitude_threshold``.
    behaviour : str or list of str
        A boolean column (e.g. ``repurchase``) or rating item(s), compared with
        ``behaviour_threshold`` (required unless the column is boolean).
    attitude_threshold, behaviour_threshold : float
        Satisfied / repurchasing when the score is at least the threshold.
    weights : str or array-like, optional
        Survey weights: a column name or one value per row.
    ci : float
        Confidence level.

    Returns
    -------
    DataFrame
        One row per type: ``segment``, ``satisfied``, ``repurchasing``, ``n``,
        ``share``, ``low``, ``high`` (Wilson; weighted: Taylor-linearised, as R ``survey``).

    Examples
    --------
    >>> import pandas as pd
    >>> survey = pd.DataFrame({"sat": [9, 9, 3, 2], "bought": [True, False, True, False]})
    >>> loyalty_segments(survey, "sat", "bought", attitude_threshold=8)["n"].tolist()
    [1, 1, 1, 1]
    """
    attitude_score = composite_score(data, attitude, parameter="attitude")
    satisfied = attitude_score >= attitude_threshold
    attitude_missing = attitude_score.isna()
    behaviour = _items(behaviour)
    check_columns(data, behaviour, parameter="behaviour")
    if len(behaviour) == 1 and pd.api.types.is_bool_dtype(data[behaviour[0]]):
        repurchasing = data[behaviour[0]].astype("boolean")
        behaviour_missing = repurchasing.isna()
        repurchasing = repurchasing.fillna(False).astype(bool)
    else:
        if behaviour_threshold is None:
            raise ParameterError(f"loyalty_segments: behaviour {behaviour} is not boolean, so give behaviour_threshold")
        score = composite_score(data, behaviour, parameter="behaviour")
        behaviour_missing = score.isna()
        repurchasing = score >= behaviour_threshold
    keep = ~(attitude_missing | behaviour_missing)
    w = None if weights is None else read_weights(data, weights)[keep.to_numpy()]
    rows = []
    for name, (is_satisfied, is_repurchasing) in LOYALTY_TYPES.items():
        member = ((satisfied == is_satisfied) & (repurchasing == is_repurchasing))[keep].to_numpy()
        est = _share(member, w, ci)
        rows.append(
            {
                "segment": name,
                "satisfied": is_satisfied,
                "repurchasing": is_repurchasing,
                "n": int(member.sum()),
                "share": est.value,
                "low": est.low,
                "high": est.high,
            }
        )
    return pd.DataFrame(rows)


def dealer_table(
    data: pd.DataFrame,
    sales: str,
    service: str,
    loyal: Sequence[str] = ("loyal_to_dealer", "loyal_to_brand"),
    *,
    weights=None,
    ci: float = 0.95,
    published_rates: Mapping | None = DEALER_LOYALTY_RATES,
) -> pd.DataFrame:
    """The Toyota Motor Sales U.S.A. dealer table from respondent data: loyalty by sales x service satisfaction.

    Parameters
    ----------
    data : DataFrame
        One row per respondent.
    sales, service : str
        Boolean columns: satisfied with the sales / the service experience.
    loyal : list of str
        Boolean loyalty outcomes (one rate per outcome and cell).
    weights : str or array-like, optional
        Survey weights: a column name or one value per row.
    ci : float
        Confidence level.
    published_rates : mapping, optional
        ``{(sales, service): {outcome: rate}}`` to show next to the data (default:
        the dealer study's rates, :data:`DEALER_LOYALTY_RATES`); ``None`` leaves the
        column out.

    Returns
    -------
    DataFrame
        One row per cell and outcome, cells in the study's order (O/O, X/O, O/X,
        X/X): ``sales``, ``service`` ("O" satisfied, "X" not), ``outcome``, ``n``,
        ``loyal``, ``rate``, ``low``, ``high`` and ``published_rate``.

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
            raise SurveyDataError(
                f"dealer_table: column {column!r} must be boolean (True = satisfied / loyal), got {data[column].dtype}"
            )
    w = pd.Series(read_weights(data, weights), index=data.index)
    rows = []
    for is_sales, is_service in DEALER_LOYALTY_RATES:
        cell = (data[sales] == is_sales) & (data[service] == is_service)
        for outcome in loyal:
            values = data.loc[cell, outcome].astype("boolean")
            present = values.notna()
            flags = values[present].astype(float).to_numpy()
            est = (
                _share(flags, w[cell][present].to_numpy(), ci)
                if weights is not None and len(flags)
                else proportion(flags, ci=ci)
            )
            published = (published_rates or {}).get((is_sales, is_service), {}).get(outcome, np.nan)
            rows.append(
                {
                    "sales": "O" if is_sales else "X",
                    "service": "O" if is_service else "X",
                    "outcome": outcome,
                    "n": int(present.sum()),
                    "loyal": int(values[present].sum()),
                    "rate": est.value,
                    "low": est.low,
                    "high": est.high,
                    "published_rate": published,
                }
            )
    table = pd.DataFrame(rows)
    return table if published_rates is not None else table.drop(columns="published_rate")


def _groups(data: pd.DataFrame, by: str) -> list:
    check_columns(data, by, parameter="by")
    values = data[by]
    if isinstance(values.dtype, pd.CategoricalDtype):
        return [c for c in values.cat.categories if (values == c).any()]
    return sorted(values.dropna().unique().tolist())


def segment_comparison(
    data: pd.DataFrame,
    satisfaction: str | Sequence[str],
    loyalty: str | Sequence[str],
    *,
    by: str,
    top_box: int = 2,
    scale=None,
    loyalty_scale=None,
    weights=None,
    ci: float = 0.95,
) -> pd.DataFrame:
    """Satisfaction and loyalty indices (0-100) and top-box loyalty per segment.

    With ``weights`` (a column name or one value per row) indices and shares are
    weighted, with Taylor-linearised intervals (:class:`csat_analysis.design.SurveyDesign`).

    Parameters
    ----------
    data : DataFrame
        One row per respondent.
    satisfaction, loyalty : str or list of str
        Item column(s); several items are averaged per respondent.
    by : str
        The segment column.
    top_box : int
        A respondent is loyal when their loyalty score lies in the top ``top_box`` points
        of the loyalty scale.
    scale : Scale or (low, high), optional
        The satisfaction scale (default: the observed range).
    loyalty_scale : Scale or (low, high), optional
        The loyalty scale (default: ``scale``).
    weights : str or array-like, optional
        Survey weights, a column name or one value per row.
    ci : float
        Confidence level.

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
    >>> segment_comparison(survey, "s", "l", by="g", top_box=1, scale=(1, 5))["satisfaction_index"].tolist()
    [25.0, 100.0]
    """
    satisfaction, loyalty = _items(satisfaction), _items(loyalty)
    scale = _scale(scale, data, satisfaction)
    loyalty_scale = scale if loyalty_scale is None else Scale.coerce(loyalty_scale)
    loyal = _loyal_flags(composite_score(data, loyalty, parameter="loyalty"), loyalty_scale, top_box)
    w = pd.Series(read_weights(data, weights), index=data.index)
    rows = []
    for value in _groups(data, by):
        part = data[by] == value
        part_weights = None if weights is None else w[part].to_numpy()
        sat = mean_index(data[part], satisfaction, scale=scale, weights=part_weights, ci=ci)
        loy = mean_index(data[part], loyalty, scale=loyalty_scale, weights=part_weights, ci=ci)
        answered = part & loyal.notna()
        share = _share(
            loyal[answered].astype(float).to_numpy(), None if weights is None else w[answered].to_numpy(), ci
        )
        rows.append(
            {
                "segment": value,
                "n": int(part.sum()),
                "satisfaction_index": sat.value,
                "satisfaction_low": sat.low,
                "satisfaction_high": sat.high,
                "loyalty_index": loy.value,
                "loyalty_low": loy.low,
                "loyalty_high": loy.high,
                "loyal_share": share.value,
                "loyal_low": share.low,
                "loyal_high": share.high,
            }
        )
    return pd.DataFrame(rows)


_SEGMENT_TEST_COLUMNS = [
    "measure",
    "test",
    "statistic",
    "dof",
    "p_value",
    "n",
    "effect_size",
    "effect",
    "effect_low",
    "effect_high",
]


def _weighted_loyal_test(segments: pd.Series, loyal: pd.Series, weights: np.ndarray) -> dict:
    """The loyal_share row of :func:`segment_tests` with survey weights: Rao-Scott F and Cramér's V."""
    from . import effsize
    from .design import SurveyDesign

    row = {"measure": "loyal_share", "test": "Rao-Scott F", "effect_size": "cramers_v"}
    frame = pd.DataFrame({"segment": segments, "loyal": loyal.astype(object)})
    both = frame["segment"].notna() & frame["loyal"].notna()
    row["n"] = int(both.sum())
    if frame.loc[both, "segment"].nunique() < 2 or frame.loc[both, "loyal"].nunique() < 2:
        # one segment, or everyone (or no one) loyal: no association to test, V undefined
        return {**row, "statistic": np.nan, "dof": np.nan, "dof_denominator": np.nan, "p_value": np.nan}
    test = SurveyDesign(frame, weights=weights).chisq("segment", "loyal", statistic="F")
    effect = effsize.cramers_v_table(test.table.to_numpy(), ci=0.95).iloc[0]
    return {
        **row,
        "statistic": test.statistic,
        "dof": test.dof,
        "dof_denominator": test.dof_denominator,
        "p_value": test.p_value,
        "effect": float(effect["value"]),
        "effect_low": float(effect["low"]),
        "effect_high": float(effect["high"]),
    }


def _weighted_rank_test(frame: pd.DataFrame, weights: np.ndarray) -> dict:
    """A score row of :func:`segment_tests` with survey weights: the design-based Kruskal-Wallis F test."""
    from .design import SurveyDesign

    row = {"test": "design-based Kruskal-Wallis"}
    try:
        test = SurveyDesign(frame, weights=weights).ranktest("score", by="group")
    except SurveyDataError:
        # one segment answered, or every segment's scores are all tied: nothing to test
        return {**row, "statistic": np.nan, "dof": np.nan, "dof_denominator": np.nan, "p_value": np.nan}
    return {
        **row,
        "statistic": test.statistic,
        "dof": test.dof,
        "dof_denominator": test.dof_denominator,
        "p_value": test.p_value,
    }


def segment_tests(
    data: pd.DataFrame,
    satisfaction: str | Sequence[str],
    loyalty: str | Sequence[str],
    *,
    by: str,
    top_box: int = 2,
    scale=None,
    loyalty_scale=None,
    n_boot: int = 2000,
    seed: int | None = 0,
    weights=None,
) -> pd.DataFrame:
    """Do segments differ? Kruskal-Wallis on the scores, chi-square on top-box loyalty, with effect sizes.

    Beside each test its effect size: epsilon² = H / (n - 1) for Kruskal-Wallis
    (bootstrap interval, :func:`csat_analysis.effsize.kruskal_epsilon`) and Cramér's V
    for the chi-square (noncentral chi-square interval,
    :func:`csat_analysis.effsize.cramers_v`), so a significant difference can be read
    for its size.

    Without ``weights`` both are tests on respondents. With ``weights`` the tests are
    design-based. The top-box test is the Rao-Scott (1984) second-order corrected F
    test of R ``survey::svychisq(~by + loyal, svydesign(ids=~1, weights=~w, data))``
    (:meth:`csat_analysis.design.SurveyDesign.chisq`; respondents missing the segment
    or the loyalty score are left out as a domain), and its Cramér's V is that of the
    weighted table scaled to the ``n`` respondents tested (the interval does not reflect
    the design). The satisfaction and loyalty scores are compared by Lumley and Scott's
    (2013) design-based Kruskal-Wallis test, R
    ``survey::svyranktest(score ~ by, svydesign(ids=~1, weights=~w, data), test="KruskalWallis")``
    (:meth:`csat_analysis.design.SurveyDesign.ranktest`): an F test on the
    design-weighted ranks (with two segments its square root is R's t). Their epsilon²
    stays that of the unweighted ranks of the respondents (H / (n - 1) and its bootstrap
    interval ignore the weights).

    Parameters
    ----------
    data : DataFrame
        One row per respondent.
    satisfaction, loyalty : str or list of str
        Item column(s); several items are averaged per respondent.
    by : str
        The segment column.
    top_box : int
        A respondent is loyal when their loyalty score lies in the top ``top_box`` points
        of the loyalty scale.
    scale : Scale or (low, high), optional
        The satisfaction scale (default: the observed range).
    loyalty_scale : Scale or (low, high), optional
        The loyalty scale (default: ``scale``).
    n_boot : int
        Bootstrap resamples for the effect sizes' intervals.
    seed : int, optional
        Seed of the bootstrap.
    weights : str or array-like, optional
        Survey weights, a column name or one value per row: the top-box test becomes
        the Rao-Scott F test, the score tests the design-based Kruskal-Wallis F test.

    Returns
    -------
    DataFrame
        ``measure`` (satisfaction, loyalty, loyal_share), ``test``, ``statistic``,
        ``dof``, ``p_value``, ``n`` (respondents in the test), ``effect_size``
        ("epsilon_squared" or "cramers_v"), ``effect``, ``effect_low``, ``effect_high``.
        With ``weights`` the loyal_share row's ``test`` is "Rao-Scott F" (its ``dof``
        the F's numerator degrees of freedom, not an integer), the satisfaction and
        loyalty rows' "design-based Kruskal-Wallis" (``statistic`` an F on segments
        minus one degrees of freedom), and a column ``dof_denominator`` after ``dof``
        holds each F's denominator degrees of freedom (for the score tests, the
        respondents tested minus one minus ``dof``, as R). A score test is NaN when
        its scores cannot be compared (one segment answered, or every segment's scores
        tied).

    Examples
    --------
    >>> import pandas as pd
    >>> survey = pd.DataFrame({"g": list("aaaabbbb"), "s": [1, 2, 1, 2, 5, 4, 5, 4], "l": [1, 1, 2, 1, 5, 5, 4, 5]})
    >>> segment_tests(survey, "s", "l", by="g", top_box=1, scale=(1, 5))["test"].tolist()
    ['Kruskal-Wallis', 'Kruskal-Wallis', 'chi-square']
    >>> weighted = segment_tests(survey, "s", "l", by="g", top_box=1, scale=(1, 5), n_boot=20,
    ...                          weights=[1.0, 2.0, 1.0, 2.0, 1.0, 2.0, 1.0, 2.0])
    >>> weighted[["test", "dof", "dof_denominator"]].values.tolist()[0]
    ['design-based Kruskal-Wallis', 1.0, 6.0]
    """
    satisfaction, loyalty = _items(satisfaction), _items(loyalty)
    scale = _scale(scale, data, satisfaction)
    loyalty_scale = scale if loyalty_scale is None else Scale.coerce(loyalty_scale)
    from . import effsize

    groups = _groups(data, by)
    weight_values = None if weights is None else read_weights(data, weights)
    rows = []
    for measure, items in (("satisfaction", satisfaction), ("loyalty", loyalty)):
        score = composite_score(data, items, parameter=measure)
        samples = [score[(data[by] == g) & score.notna()].to_numpy() for g in groups]
        frame = pd.DataFrame({"score": score, "group": data[by]})
        effect = effsize.kruskal_epsilon(frame, "score", "group", ci=0.95, n_boot=n_boot, seed=seed).iloc[0]
        if weight_values is None:
            result = stats.kruskal(*samples)
            test = {"test": "Kruskal-Wallis", "statistic": float(result.statistic), "dof": len(groups) - 1}
            test["p_value"] = float(result.pvalue)
        else:
            test = _weighted_rank_test(frame, weight_values)
        rows.append(
            {
                "measure": measure,
                **test,
                "n": int(sum(map(len, samples))),
                "effect_size": "epsilon_squared",
                "effect": float(effect["value"]),
                "effect_low": float(effect["low"]),
                "effect_high": float(effect["high"]),
            }
        )
    loyal = _loyal_flags(composite_score(data, loyalty, parameter="loyalty"), loyalty_scale, top_box)
    if weight_values is not None:
        rows.append(_weighted_loyal_test(data[by], loyal, weight_values))
        return pd.DataFrame(rows).reindex(
            columns=[*_SEGMENT_TEST_COLUMNS[:4], "dof_denominator", *_SEGMENT_TEST_COLUMNS[4:]]
        )
    table = pd.crosstab(data[by][loyal.notna()], loyal.dropna().astype(bool))
    statistic, p_value, dof, _ = stats.chi2_contingency(table, correction=False)
    # with everyone (or no one) loyal the table has one column and V is undefined
    effect = (
        effsize.cramers_v_table(table.to_numpy(), ci=0.95).iloc[0]
        if min(table.shape) > 1
        else pd.Series({"value": np.nan, "low": np.nan, "high": np.nan})
    )
    rows.append(
        {
            "measure": "loyal_share",
            "test": "chi-square",
            "statistic": float(statistic),
            "dof": int(dof),
            "p_value": float(p_value),
            "n": int(table.to_numpy().sum()),
            "effect_size": "cramers_v",
            "effect": float(effect["value"]),
            "effect_low": float(effect["low"]),
            "effect_high": float(effect["high"]),
        }
    )
    return pd.DataFrame(rows)


def describe_measures(
    data: pd.DataFrame, measures: Mapping[str, Sequence[str]], scale, *, weights=None
) -> pd.DataFrame:
    """Items, completeness, mean (0-100) and Cronbach's alpha of each measure.

    Alpha (with Feldt's interval, :func:`csat_analysis.scaling.cronbach_alpha`) is
    missing for single-item measures, whose reliability cannot be estimated. With
    ``weights`` (a column name or one value per row) the index is a weighted mean
    (alpha stays unweighted). ``scale`` is the items' scale, or a mapping measure ->
    scale when the measures are on different scales (each index is read on its own).

    Parameters
    ----------
    data : DataFrame
        One row per respondent.
    measures : mapping of str to list of str
        Measure name -> its items.
    scale : Scale, (low, high) or mapping
        The items' scale, or measure -> scale.
    weights : str or array-like, optional
        Survey weights, a column name or one value per row.

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

    per_measure = (
        isinstance(scale, Mapping)
        and not isinstance(scale, Scale)
        and bool(scale)
        and all(name in measures for name in scale)
    )
    scales = (
        {name: Scale.coerce(scale[name]) for name in measures}
        if per_measure
        else dict.fromkeys(measures, Scale.coerce(scale))
    )
    rows = []
    for name, items in measures.items():
        items = _items(items)
        scale = scales[name]
        frame = _numeric_items(data, items, f"measures[{name!r}]")
        alpha = cronbach_alpha(frame) if len(items) > 1 else None
        rows.append(
            {
                "measure": name,
                "items": ", ".join(items),
                "n_items": len(items),
                "complete": int(frame.notna().all(axis=1).sum()),
                "missing_cells": int(frame.isna().sum().sum()),
                "index": mean_index(data, items, scale=scale, weights=weights).value,
                "alpha": alpha.value if alpha else np.nan,
                "alpha_low": alpha.low if alpha else np.nan,
                "alpha_high": alpha.high if alpha else np.nan,
            }
        )
    return pd.DataFrame(rows)
