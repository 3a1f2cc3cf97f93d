"""The satisfaction-versus-loyalty study: settings, sections, findings and recorded results.

Satisfaction is necessary but not sufficient for loyalty. The study notebook
(``notebooks/satisfaction_vs_loyalty.ipynb``) asks, on one survey: how does loyalty
rise with satisfaction and where is the curve steep; which customers are loyal for
the wrong reasons (Dick and Basu 1994); how the Toyota Motor Sales U.S.A. dealer
table looks when rebuilt from respondents; which attributes drive satisfaction and
which is the short stave (Martilla and James 1977); what the satisfaction and
loyalty indices are (0-100, Fornell et al. 1996); and how segments differ.

The analysis lives in :mod:`csat_analysis.loyalty`, :mod:`csat_analysis.drivers`
and :mod:`csat_analysis.pls`; this module resolves the notebook's parameters
(:func:`resolve_settings`, defaults from :mod:`csat_analysis.studies.roles`) and
turns each step into a :class:`~csat_analysis.studies.core.Section` with its
tables, figure, finding and recorded results.

Examples
--------
>>> from csat_analysis.studies import StudyRun
>>> run = StudyRun("corp_rep", study="satisfaction_vs_loyalty", emit=False)
>>> settings = resolve_settings(run, segment_value=2)
>>> settings.model, len(settings.data), settings.satisfied_threshold
('simple', 127, 6.0)
>>> measures_section(settings).results()
{}
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from .. import drivers as drv
from .. import loyalty as loy
from .. import pls, plots
from .._validation import check_choice, check_columns
from ..errors import StudyError
from ..report import styled_table
from ..scaling import Scale, composite_score
from .core import Section, Skipped
from .roles import dataset_roles

__all__ = [
    "MODELS",
    "NO_SEGMENT",
    "PARAMETERS",
    "CurveSection",
    "DealerSection",
    "DriversSection",
    "IndexModel",
    "IndicesSection",
    "IpmaSection",
    "LoyaltyTypesSection",
    "MeasuresSection",
    "PathsSection",
    "SegmentsSection",
    "Settings",
    "SetupSection",
    "curve_finding",
    "curve_section",
    "dealer_finding",
    "dealer_section",
    "drivers_finding",
    "drivers_section",
    "index_finding",
    "index_model",
    "indices_section",
    "ipma_finding",
    "ipma_section",
    "loyalty_types_finding",
    "loyalty_types_section",
    "measures_finding",
    "measures_section",
    "negative_index_weights",
    "negative_weights_finding",
    "paths_finding",
    "paths_section",
    "references",
    "resolve_settings",
    "segment_finding",
    "segments_section",
    "settings_note",
    "setup_section",
    "summarize_findings",
    "summary",
]

#: the notebook's parameters and their defaults (the parameters cell must equal this)
PARAMETERS: dict[str, Any] = {
    "dataset": "mobi",
    "schema": None,
    "survey": None,  # survey description (path or dict); None: the data set's own
    "satisfaction": None,
    "loyalty": None,
    "drivers": None,
    "segment": None,
    "segment_value": None,
    "weights": None,
    "top_box": 2,
    "model": None,
    "bootstrap": 1000,
    "seed": 0,
    "n": 5000,
}

MODELS = ("ecsi", "simple", "none")
#: value of ``segment`` (and ``weights``) that switches the segment comparison (the weighting) off
NO_SEGMENT = "none"

#: headers of the study's tables (other columns show their name with spaces)
LABELS = {
    "n_eff": "effective n", "share": "share loyal", "share_low": "share low", "share_high": "share high",
    "mean": "mean loyalty", "published_rate": "published rate", "weakest_high_importance": "short stave",
    "n_items": "items (n)", "missing_cells": "missing answers", "original": "estimate", "se": "SE",
    "index": "index (0-100)", "importance": "importance", "standardised": "standardised total effect",
}

#: published works the sections rest on, keyed by what they support
REFERENCES = {
    "acsi": "Fornell, Johnson, Anderson, Cha and Bryant (1996), \"The American Customer Satisfaction Index\", "
            "*Journal of Marketing* 60(4).",
    "ecsi": "Tenenhaus, Esposito Vinzi, Chatelin and Lauro (2005), \"PLS path modeling\", "
            "*Computational Statistics & Data Analysis* 48.",
    "pls": "Hair, Hult, Ringle and Sarstedt, *A Primer on Partial Least Squares Structural Equation Modeling "
           "(PLS-SEM)*.",
    "ipma": "Ringle and Sarstedt (2016), \"Gain more insight from your PLS-SEM results: the importance-performance "
            "map analysis\", *Industrial Management & Data Systems* 116(9).",
    "types": "Dick and Basu (1994), \"Customer Loyalty: Toward an Integrated Conceptual Framework\", "
             "*Journal of the Academy of Marketing Science* 22(2).",
    "dealer": "Toyota Motor Sales U.S.A. dealer study, as quoted in automotive after-sales training material.",
    "ipa": "Martilla and James (1977), \"Importance-Performance Analysis\", *Journal of Marketing* 41(1).",
    "shapley": "Lindeman, Merenda and Gold (1980), *Introduction to Bivariate and Multivariate Analysis*; "
               "Grömping (2006), \"Relative Importance for Linear Regression in R\", "
               "*Journal of Statistical Software* 17(1).",
    "intervals": "Wilson (1927), \"Probable Inference\", *JASA* 22; Feldt (1965), *Psychometrika* 30; "
                 "Kish (1965), *Survey Sampling*.",
}


# --- settings: the notebook's parameters resolved and checked ---------------------------


def _items(items) -> list[str]:
    return [items] if isinstance(items, str) else list(items)


@dataclass(frozen=True)
class Settings:
    """The study's parameters after defaults and checks.

    ``data`` is already filtered to ``segment == segment_value`` when a value is given.
    ``behaviour`` is the column behind the loyalty types (``behaviour_is_proxy``: a
    stated intention item standing in for observed repurchase). ``weights`` is the
    survey weight column when the run uses one (the simulator's ``weight`` by
    default): shares and means are then weighted; PLS, the curve fit and the tests
    stay unweighted. ``dealer`` names the columns of the dealer table (``sales``,
    ``service``, ``loyal``) when the data have them. ``source`` is the line printed
    under every table and figure.
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
    dealer: dict | None = None
    source: str = ""

    @property
    def satisfied_threshold(self) -> float:
        """Lowest item mean that counts as satisfied (the top box)."""
        return float(self.scale.high - (self.top_box - 1))

    @property
    def compare_segments(self) -> bool:
        return self.segment is not None and self.segment_value is None

    @property
    def measures(self) -> dict[str, list[str]]:
        """Satisfaction, loyalty and (for construct drivers) each driver construct, as name -> items."""
        measures = {"Satisfaction": list(self.satisfaction), "Loyalty": list(self.loyalty)}
        if isinstance(self.drivers, Mapping):
            measures.update({name: _items(items) for name, items in self.drivers.items()})
        return measures

    def model_spec(self):
        """``(measurement, structural)`` for :func:`csat_analysis.pls.estimate`, or ``None``.

        ``"ecsi"``: the ECSI model (Tenenhaus et al. 2005) with the study's
        satisfaction and loyalty items. ``"simple"``: each driver -> Satisfaction -> Loyalty.
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


def _ecsi_items_besides(satisfaction_and_loyalty=("Satisfaction", "Loyalty")) -> list[str]:
    measurement, _ = pls.ecsi()
    return [item for construct, items in measurement.items() if construct not in satisfaction_and_loyalty
            for item in items]


def resolve_settings(run, *, satisfaction=None, loyalty=None, drivers=None, segment=None, segment_value=None,
                     weights=None, top_box: int = 2, model: str | None = None) -> Settings:
    """Fill in the data set's defaults and check every study parameter.

    Parameters
    ----------
    run : StudyRun or csat_analysis.datasets.StudyData
        The opened data; a bundled data set or the simulator brings its column roles
        (:func:`~csat_analysis.studies.roles.dataset_roles`).
    satisfaction, loyalty : list of str, optional
        Item columns; default per data set (mobi and the simulator CUSA1-3 / CUSL1-3,
        corp_rep ``cusa`` / ``cusl_1-3``); required for user data.
    drivers : list of str or dict name -> items, optional
    segment : str, optional
        Segment column (default per data set; ``"none"`` for no segment).
    segment_value : optional
        Keep only this segment (compared as text, so ``2`` and ``"2"`` both work).
    weights : str, optional
        Survey weight column (default per data set: the simulator's ``weight``;
        ``"none"`` for unweighted shares and means).
    top_box : int
    model : {"ecsi", "simple", "none"}, optional

    Raises
    ------
    StudyError
        For a wrong name or value; the message lists the valid choices.

    Examples
    --------
    >>> from csat_analysis.datasets import open_study_data
    >>> settings = resolve_settings(open_study_data("mobi"))
    >>> settings.model, settings.segment, settings.behaviour, settings.satisfied_threshold
    ('ecsi', None, 'CUSL1', 9.0)
    """
    roles = dataset_roles(run.name) if run.kind != "user" else {}
    data = run.data
    satisfaction = _items(satisfaction) if satisfaction is not None else roles.get("satisfaction")
    loyalty = _items(loyalty) if loyalty is not None else roles.get("loyalty")
    if satisfaction is None or loyalty is None:
        raise StudyError("satisfaction and loyalty: give the item columns for this data set (no defaults for user data)")
    check_columns(data, satisfaction, parameter="satisfaction", error=StudyError)
    check_columns(data, loyalty, parameter="loyalty", error=StudyError)
    drivers = drivers if drivers is not None else roles.get("drivers")
    if isinstance(drivers, str):
        drivers = [drivers]
    if isinstance(drivers, Mapping):
        for name, items in drivers.items():
            check_columns(data, _items(items), parameter=f"drivers[{name!r}]", error=StudyError)
    elif drivers is not None:
        check_columns(data, drivers, parameter="drivers", error=StudyError)
    default_model = roles.get("studies", {}).get("model", "simple")
    model = check_choice("model", model if model is not None else default_model, MODELS, error=StudyError)
    if model == "ecsi":
        missing = [item for item in _ecsi_items_besides() if item not in data.columns]
        if missing:
            raise StudyError(f"model='ecsi' needs the ECSI items; missing {missing}. Use model='simple' or 'none'")
    if segment is None:
        segment = (roles.get("segments") or [None])[0]
    segment = None if segment in (NO_SEGMENT, "", False) else segment
    if segment is not None:
        check_columns(data, segment, parameter="segment", error=StudyError)
    if segment_value is not None:
        if segment is None:
            raise StudyError("segment_value needs a segment column: set segment")
        text = data[segment].astype(str)
        check_choice("segment_value", str(segment_value), sorted(text.dropna().unique()), error=StudyError)
        data = data[text == str(segment_value)]
    if weights is None:
        weights = roles.get("weight")
        weights = weights if weights in data.columns else None
    elif weights in (NO_SEGMENT, "", False):
        weights = None
    else:
        check_columns(data, weights, parameter="weights", error=StudyError)
    scale = Scale.coerce(roles["scale"]) if "scale" in roles else loy.infer_scale(data, [*satisfaction, *loyalty])
    if isinstance(top_box, bool) or not (isinstance(top_box, (int, np.integer)) and 1 <= top_box <= scale.width):
        raise StudyError(f"top_box={top_box!r} must be a whole number of scale points between 1 and {scale.width:g}")
    behaviour = roles.get("behaviour")
    if behaviour is not None and behaviour not in data.columns:
        behaviour = None
    dealer = roles.get("dealer")
    if dealer is not None and not all(c in data.columns for c in [dealer["sales"], dealer["service"], *dealer["loyal"]]):
        dealer = None
    source = run.source
    if segment_value is not None:
        source += f"; only {segment} = {segment_value} (n = {len(data):,})"
    if weights is not None:
        source += f"; shares and means weighted by `{weights}`"
    return Settings(data, satisfaction, loyalty, drivers, segment, segment_value, int(top_box), model, scale,
                    behaviour, bool(roles.get("behaviour_is_proxy", True)), weights, dealer, source)


def settings_note(settings: Settings) -> str:
    """Markdown paragraph stating the data, measures, thresholds, weighting and model of a run.

    Examples
    --------
    >>> from csat_analysis.datasets import open_study_data
    >>> "at least 9 (top 2 box)" in settings_note(resolve_settings(open_study_data("mobi")))
    True
    """
    weighting = (f"Shares and means are weighted by the survey weight `{settings.weights}`; the PLS model, the "
                 "curve fit, correlations and tests are unweighted." if settings.weights is not None else
                 "The data carry no survey weights: every estimate is unweighted.")
    return (f"**Data:** {settings.source}.  \n**Satisfaction:** {', '.join(settings.satisfaction)}; **loyalty:** "
            f"{', '.join(settings.loyalty)} (scale {settings.scale.low:g}-{settings.scale.high:g}; a measure with "
            f"several items is scored as the mean of its items). **Loyal / satisfied** means a score of at least "
            f"{settings.satisfied_threshold:g} (top {settings.top_box} box). **Model:** {settings.model}. {weighting}")


def _styled(table: pd.DataFrame, caption: str | None, source: str):
    return styled_table(table, caption, source, labels=LABELS, digits=3)


# --- set-up and measures -----------------------------------------------------------------


@dataclass
class SetupSection(Section):
    """The run's data and measures: records ``n_respondents`` and states the settings."""

    settings: Settings | None = field(default=None, repr=False)

    def results(self) -> dict:
        return {"n_respondents": len(self.settings.data)}

    def finding(self) -> str:
        return settings_note(self.settings)


def setup_section(settings: Settings) -> SetupSection:
    """What this run analyses (the data, measures, thresholds, weighting, model)."""
    return SetupSection(title="Data and measures", source=settings.source, settings=settings)


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


@dataclass
class MeasuresSection(Section):
    """Section 1: completeness, 0-100 index and Cronbach's alpha of each measure."""

    n_respondents: int = 0

    def tables(self) -> list:
        return [_styled(self.table, self.title, self.source)]

    def finding(self) -> str:
        return measures_finding(self.table, self.n_respondents)


def measures_section(settings: Settings) -> MeasuresSection:
    """:func:`csat_analysis.loyalty.describe_measures` on the study's measures."""
    table = loy.describe_measures(settings.data, settings.measures, settings.scale, weights=settings.weights)
    return MeasuresSection(title="Measures: completeness, index and reliability", table=table,
                           source=settings.source, n_respondents=len(settings.data))


# --- the satisfaction-loyalty curve ------------------------------------------------------


def curve_finding(curve: pd.DataFrame, steepest: float, top_gain_share: float, lr_p_value: float, spearman: float) -> str:
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
    bend = ("(the curve bends significantly)." if lr_p_value < 0.05
            else "(no significant bend beyond the logistic shape).")
    return (f"The loyal share {direction} from {low_row['share']:.0%} at satisfaction {low_row['satisfaction']:g} to "
            f"{high_row['share']:.0%} at {high_row['satisfaction']:g} (Spearman rho = {spearman:.2f}). "
            f"The fitted curve is steepest near {steepest:.1f}; {top_gain_share:.0%} of the rise happens in the top "
            f"third of the satisfaction range, and the curvature test gives p = {lr_p_value:.3f} {bend}")


@dataclass
class CurveSection(Section):
    """Section 2: the observed curve (``table``), the fitted logit and Spearman's rho.

    ``table`` (:func:`csat_analysis.loyalty.loyalty_curve`) is weighted when the run
    has weights; ``fit`` and ``spearman`` are unweighted.
    """

    fit: loy.LoyaltyCurveFit | None = field(default=None, repr=False)
    spearman: float = float("nan")
    top_box: int = 2

    def plot(self, ax=None):
        """Both panels (loyal share with the fitted curve, mean loyalty); ``ax``: a pair of Axes."""
        return plots.loyalty_curve_panels(self.table, fit=self.fit.grid, top_box=self.top_box, source=self.source,
                                          axes=ax)

    def tables(self) -> list:
        return [_styled(self.table, self.title, self.source)]

    def results(self) -> dict:
        return {"satisfaction_loyalty_spearman": self.spearman,
                "loyalty_by_satisfaction": dict(zip(self.table["satisfaction"].astype(str), self.table["share"])),
                "curve_steepest": self.fit.steepest, "curve_nonlinearity_pvalue": self.fit.lr_p_value,
                "curve_top_gain_share": self.fit.top_gain_share}

    def finding(self) -> str:
        return curve_finding(self.table, self.fit.steepest, self.fit.top_gain_share, self.fit.lr_p_value, self.spearman)


def curve_section(settings: Settings) -> CurveSection:
    """:func:`~csat_analysis.loyalty.loyalty_curve` (weighted when the run has weights),
    :func:`~csat_analysis.loyalty.fit_loyalty_curve` and Spearman's rho of the two scores."""
    data, sat_items, loy_items = settings.data, settings.satisfaction, settings.loyalty
    curve = loy.loyalty_curve(data, sat_items, loy_items, top_box=settings.top_box, scale=settings.scale,
                              weights=settings.weights)
    fit = loy.fit_loyalty_curve(data, sat_items, loy_items, top_box=settings.top_box, scale=settings.scale)
    rho = stats.spearmanr(composite_score(data, sat_items), composite_score(data, loy_items),
                          nan_policy="omit").statistic
    return CurveSection(title="Loyalty by satisfaction level", table=curve, source=settings.source, fit=fit,
                        spearman=float(rho), top_box=settings.top_box)


# --- loyalty types and the dealer table --------------------------------------------------


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


@dataclass
class LoyaltyTypesSection(Section):
    """Section 3: true, latent, spurious and no loyalty (Dick and Basu 1994)."""

    behaviour: str = ""
    behaviour_is_proxy: bool = True

    def plot(self, ax=None):
        ax = plots.interval_plot(self.table, x="segment", y="share", low="low", high="high", kind="bar", ax=ax)
        ax.set(ylabel="share of customers", xlabel="loyalty type", title="Loyalty types")
        plots.source_note(ax, self.source)
        return ax

    def tables(self) -> list:
        return [_styled(self.table, self.title, self.source)]

    def results(self) -> dict:
        return {"segments": dict(zip(self.table["segment"], self.table["share"]))}

    def finding(self) -> str:
        return loyalty_types_finding(self.table, self.behaviour, self.behaviour_is_proxy)


def loyalty_types_section(settings: Settings) -> LoyaltyTypesSection | Skipped:
    """:func:`~csat_analysis.loyalty.loyalty_segments` with the study's behaviour measure and thresholds."""
    title = "Loyalty types"
    if settings.behaviour is None:
        return Skipped(title, "the data have no behaviour measure (a repurchase flag or a repurchase-intention item)",
                       fix="run on a data set that has one, e.g. the simulator's `repurchase`", source=settings.source)
    is_flag = pd.api.types.is_bool_dtype(settings.data[settings.behaviour])
    table = loy.loyalty_segments(settings.data, settings.satisfaction, settings.behaviour,
                                 attitude_threshold=settings.satisfied_threshold,
                                 behaviour_threshold=None if is_flag else settings.satisfied_threshold,
                                 weights=settings.weights)
    return LoyaltyTypesSection(title=title, table=table, source=settings.source, behaviour=settings.behaviour,
                               behaviour_is_proxy=settings.behaviour_is_proxy)


def dealer_finding(table: pd.DataFrame) -> str:
    """How many published rates the data reproduce, and whether sales or service satisfaction matters more.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"sales": ["O", "X", "O", "X"], "service": ["O", "O", "X", "X"],
    ...                       "outcome": "loyal_to_dealer", "n": [50, 30, 20, 10], "rate": [0.8, 0.4, 0.1, 0.0],
    ...                       "low": [0.7, 0.3, 0.05, 0.0], "high": [0.9, 0.5, 0.2, 0.1],
    ...                       "published_rate": [0.85, 0.35, 0.12, 0.01]})
    >>> dealer_finding(table)  # doctest: +NORMALIZE_WHITESPACE
    'Rebuilt from 110 respondents: 4 of 4 rates of the Toyota Motor Sales U.S.A. dealer study lie inside the 95%
    intervals. Satisfied with the service only, 40% stay loyal to the dealer; satisfied with the sale only, 10%:
    service satisfaction matters more.'
    """
    inside = int(((table["low"] <= table["published_rate"]) & (table["published_rate"] <= table["high"])).sum())
    n = int(table.groupby(["sales", "service"])["n"].first().sum())
    to_dealer = table[table["outcome"] == "loyal_to_dealer"].set_index(["sales", "service"])["rate"]
    only_service, only_sales = to_dealer[("X", "O")], to_dealer[("O", "X")]
    verdict = ("service satisfaction matters more." if only_service > only_sales
               else "sales satisfaction matters more." if only_sales > only_service else "both matter equally.")
    return (f"Rebuilt from {n:,} respondents: {inside} of {len(table)} rates of the Toyota Motor Sales U.S.A. dealer "
            f"study lie inside the 95% intervals. Satisfied with the service only, {only_service:.0%} stay loyal to the "
            f"dealer; satisfied with the sale only, {only_sales:.0%}: {verdict}")


@dataclass
class DealerSection(Section):
    """The dealer table: loyalty to dealer and brand by sales x service satisfaction."""

    def plot(self, ax=None):
        if ax is None:
            import matplotlib.pyplot as plt

            _, ax = plt.subplots(figsize=(9, 4))
        cells = self.table.assign(cell="sales " + self.table["sales"] + " / service " + self.table["service"])
        plots.interval_plot(cells, x="cell", y="rate", low="low", high="high", hue="outcome", kind="bar", ax=ax)
        ax.set(ylabel="share loyal", xlabel="", title="Loyalty by sales x service satisfaction")
        plots.source_note(ax, self.source)
        return ax

    def tables(self) -> list:
        return [_styled(self.table, self.title, self.source)]

    def results(self) -> dict:
        return {"dealer_table": {f"{r.sales}/{r.service} {r.outcome}": r.rate for r in self.table.itertuples()}}

    def finding(self) -> str:
        return dealer_finding(self.table)


def dealer_section(settings: Settings) -> DealerSection | Skipped:
    """:func:`~csat_analysis.loyalty.dealer_table` on the study's data (only the simulator has the columns)."""
    title = "Dealer table"
    if settings.dealer is None:
        return Skipped(title, "the data have no flags for satisfaction with the sale and the service and for loyalty "
                       "to dealer and brand", fix="run on the simulator, `dataset='simulated'`", source=settings.source)
    dealer = settings.dealer
    table = loy.dealer_table(settings.data, dealer["sales"], dealer["service"], dealer["loyal"], weights=settings.weights)
    return DealerSection(title=title, table=table, source=settings.source)


# --- key drivers ---------------------------------------------------------------------------


def drivers_finding(table: pd.DataFrame, r2: float) -> str:
    """The variance explained, the most important driver and the short stave.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"driver": ["Price", "Staff"], "share": [0.3, 0.7], "performance": [55.0, 80.0],
    ...                       "weakest_high_importance": [False, True]})
    >>> drivers_finding(table, 0.42)
    'The drivers explain R² = 0.42 of satisfaction. **Staff** matters most (70% of R²); the short stave is **Staff** (performance 80/100, the weakest of the drivers of above-average importance).'
    """
    top = table.loc[table["share"].idxmax()]
    text = f"The drivers explain R² = {r2:.2f} of satisfaction. **{top['driver']}** matters most ({top['share']:.0%} of R²)"
    stave = drv.short_stave(table)
    if stave is None:
        return text + "; no driver stands out as important, so there is no short stave."
    row = table.set_index("driver").loc[stave]
    if row.get("quadrant") == drv.QUADRANTS[(True, True)]:
        return (text + f"; the weakest of the drivers of above-average importance, **{stave}**, still performs above "
                f"average ({row['performance']:.0f}/100), so no important driver lags behind.")
    return (text + f"; the short stave is **{stave}** (performance {row['performance']:.0f}/100, the weakest of the "
            "drivers of above-average importance).")


@dataclass
class DriversSection(Section):
    """Section 4: importance (share of R², Shapley) against performance (0-100)."""

    key: drv.KeyDrivers | None = field(default=None, repr=False)

    def plot(self, ax=None):
        if ax is None:
            import matplotlib.pyplot as plt

            _, ax = plt.subplots(figsize=(7, 5))
        plots.importance_performance_plot(self.table, ax=ax)
        ax.set(xlabel="performance (0-100)", ylabel="share of R² (Shapley)", title="Importance-performance matrix")
        plots.source_note(ax, self.source)
        return ax

    def tables(self) -> list:
        return [_styled(self.table, self.title, self.source)]

    def results(self) -> dict:
        return {"key_drivers": dict(zip(self.table["driver"], self.table["share"])), "short_stave": self.key.short_stave,
                "short_stave_quadrant": self.key.short_stave_quadrant}

    def finding(self) -> str:
        return drivers_finding(self.table, self.key.r2)


def drivers_section(settings: Settings) -> DriversSection:
    """:func:`csat_analysis.drivers.key_drivers` of satisfaction (weighted when the run has weights)."""
    key = drv.key_drivers(settings.data, settings.satisfaction, settings.drivers, settings.scale, weights=settings.weights)
    return DriversSection(title="Key drivers of satisfaction", table=key.table, source=settings.source, key=key)


# --- the satisfaction index model ------------------------------------------------------


def negative_index_weights(pls_fit, scale) -> pd.DataFrame:
    """Items whose normalised index weight is negative: ``item``, ``construct``, ``weight``.

    :meth:`~csat_analysis.pls.PLSResult.index` keeps such weights; this table lets a
    report show them (an item pulling its construct's index down usually means it is
    collinear with a sibling item or measures something else).
    """
    scale = Scale.coerce(scale)
    negative = pls_fit.index(scale=(scale.low, scale.high)).negative_weights
    return negative[["item", "construct", "weight"]].reset_index(drop=True)


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


@dataclass
class IndexModel:
    """The study's index model: the PLS model with bootstrap intervals, or plain mean indices.

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
    settings : Settings
    """

    pls_fit: object
    boot: object
    indices: pd.DataFrame
    paths: pd.DataFrame | None
    negative_weights: pd.DataFrame
    method: str
    settings: Settings = field(repr=False)

    def constructs(self) -> pd.DataFrame:
        """Per construct: R² (endogenous only) and reliability (alpha, rhoC, AVE, rhoA)."""
        table = self.pls_fit.reliability.copy()
        table.insert(0, "R²", self.pls_fit.r2.reindex(table.index))
        return table.rename_axis("construct").reset_index()


def index_model(settings: Settings, *, bootstrap: int = 1000, seed: int = 0) -> IndexModel:
    """Estimate the study's index model (:meth:`Settings.model_spec`) with bootstrap intervals.

    PLS is unweighted (PLS-SEM has no design weights). With ``model="none"`` the indices
    are the (weighted, when the run has weights) item means rescaled to 0-100 with t
    intervals (:func:`csat_analysis.loyalty.mean_index`). Negative index weights are
    not warned about but returned in ``negative_weights``.
    """
    spec = settings.model_spec()
    scale = (settings.scale.low, settings.scale.high)
    if spec is None:
        rows = []
        for measure, items in (("satisfaction", settings.satisfaction), ("loyalty", settings.loyalty)):
            est = loy.mean_index(settings.data, items, scale=settings.scale, weights=settings.weights)
            rows.append({"measure": measure, "index": est.value, "low": est.low, "high": est.high})
        method = "item means rescaled to 0-100, t intervals" + (", weighted" if settings.weights else "")
        return IndexModel(None, None, pd.DataFrame(rows), None, pd.DataFrame(columns=["item", "construct", "weight"]),
                          method, settings)
    pls_fit = pls.estimate(settings.data, *spec)
    negative = negative_index_weights(pls_fit, settings.scale)
    boot = pls_fit.bootstrap(n=bootstrap, seed=seed, scale=scale)
    table = boot.indices.set_index("source")
    indices = pd.DataFrame([{"measure": measure, "index": table.loc[construct, "original"],
                             "low": table.loc[construct, "low"], "high": table.loc[construct, "high"]}
                            for measure, construct in (("satisfaction", "Satisfaction"), ("loyalty", "Loyalty"))])
    paths = boot.paths[["source", "target", "original", "se", "low", "high"]]
    method = f"PLS index, unweighted, percentile bootstrap intervals from {boot.n_resamples} resamples"
    return IndexModel(pls_fit, boot, indices, paths, negative, method, settings)


def _no_model(title: str, settings: Settings) -> Skipped:
    return Skipped(title, "this run has no PLS model (`model='none'`)", fix="set `model` to 'ecsi' or 'simple'",
                   source=settings.source)


@dataclass
class PathsSection(Section):
    """Section 5: the PLS path model (paths with bootstrap intervals, construct quality, negative index weights)."""

    model: IndexModel | None = field(default=None, repr=False)

    def plot(self, ax=None):
        if ax is None:
            import matplotlib.pyplot as plt

            _, ax = plt.subplots(figsize=(10, 6))
        self.model.pls_fit.plot(ax=ax)
        ax.set_title("PLS path model: standardised paths, R² in the boxes")
        plots.source_note(ax, self.source)
        return ax

    def tables(self) -> list:
        shown = [_styled(self.table, "Paths with percentile bootstrap intervals", self.source),
                 _styled(self.model.constructs(), "Constructs: R² and reliability", self.source)]
        if len(self.model.negative_weights):
            shown.append(_styled(self.model.negative_weights, "Items with a negative index weight", self.source))
        return shown

    def results(self) -> dict:
        return {"ecsi_paths": {f"{r.source}->{r.target}": r.original for r in self.table.itertuples()}}

    def finding(self) -> str:
        return (paths_finding(self.table, self.model.pls_fit.r2, self.model.boot.n_resamples) + " "
                + negative_weights_finding(self.model.negative_weights))


def paths_section(model: IndexModel) -> PathsSection | Skipped:
    """The path model of :func:`index_model` (skipped with ``model='none'``)."""
    if model.pls_fit is None:
        return _no_model("PLS path model", model.settings)
    return PathsSection(title="PLS path model", table=model.paths, source=model.settings.source, model=model)


@dataclass
class IndicesSection(Section):
    """The satisfaction and loyalty indices (0-100) with their intervals."""

    method: str = ""

    def tables(self) -> list:
        return [_styled(self.table, self.title, self.source)]

    def results(self) -> dict:
        results = {}
        for measure, value, low, high in self.table[["measure", "index", "low", "high"]].itertuples(index=False):
            results.update({f"{measure}_index": float(value), f"{measure}_index_low": float(low),
                            f"{measure}_index_high": float(high)})
        return results

    def finding(self) -> str:
        return index_finding(self.results(), self.method, self.source)


def indices_section(model: IndexModel) -> IndicesSection:
    """The indices of :func:`index_model` (PLS indices, or item means with ``model='none'``)."""
    return IndicesSection(title="Satisfaction and loyalty indices (0-100)", table=model.indices,
                          source=model.settings.source, method=model.method)


def ipma_finding(table: pd.DataFrame, target: str = "Satisfaction") -> str:
    """The construct with the largest unstandardised total effect and the map's short stave.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"construct": ["Image", "Value"], "importance": [0.12, 0.31],
    ...                       "performance": [70.0, 62.0], "weakest_high_importance": [False, True]})
    >>> ipma_finding(table)
    'In the PLS model, one point more on **Value** (0-100) moves the Satisfaction index most (0.31 points); the short stave of the map is **Value** (performance 62/100).'
    """
    top = table.loc[table["importance"].idxmax()]
    text = (f"In the PLS model, one point more on **{top['construct']}** (0-100) moves the {target} index most "
            f"({top['importance']:.2f} points)")
    stave = drv.short_stave(table)
    if stave is None:
        return text + "; no construct is both important and weak, so the map has no short stave."
    row = table.set_index("construct").loc[stave]
    if row.get("quadrant") == drv.QUADRANTS[(True, True)]:
        return (text + f"; the weakest important construct, **{stave}**, still performs above average "
                f"({row['performance']:.0f}/100), so no important construct lags behind.")
    return text + f"; the short stave of the map is **{stave}** (performance {row['performance']:.0f}/100)."


@dataclass
class IpmaSection(Section):
    """The importance-performance map of the PLS model (Ringle and Sarstedt 2016)."""

    target: str = "Satisfaction"

    def plot(self, ax=None):
        if ax is None:
            import matplotlib.pyplot as plt

            _, ax = plt.subplots(figsize=(7, 5))
        plots.importance_performance_plot(self.table, y="importance", label="construct", ax=ax)
        ax.set(xlabel="performance (0-100 index)", ylabel=f"total effect on {self.target} (unstandardised)",
               title="Importance-performance map (PLS)")
        plots.source_note(ax, self.source)
        return ax

    def tables(self) -> list:
        return [_styled(self.table, self.title, self.source)]

    def finding(self) -> str:
        return ipma_finding(self.table, self.target)


def ipma_section(model: IndexModel, target: str = "Satisfaction") -> IpmaSection | Skipped:
    """:func:`csat_analysis.drivers.ipma` of the PLS model (skipped with ``model='none'``)."""
    title = "Importance-performance map"
    if model.pls_fit is None:
        return _no_model(title, model.settings)
    scale = model.settings.scale
    table = drv.ipma(model.pls_fit, target, scale=(scale.low, scale.high))
    return IpmaSection(title=title, table=table, source=model.settings.source, target=target)


# --- segments ---------------------------------------------------------------------------


def segment_finding(table: pd.DataFrame, p_value: float, segment: str) -> str:
    """Loyalty index range across segments and the chi-square verdict on the loyal share.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"segment": [1, 2], "loyalty_index": [61.0, 70.5]})
    >>> segment_finding(table, 0.2, "provider")
    'Loyalty index from 61.0 (provider 1) to 70.5 (provider 2); the loyal share does not differ significantly between segments (chi-square p = 0.200).'
    """
    ranked = table.set_index("segment")["loyalty_index"]
    verdict = "differs" if p_value < 0.05 else "does not differ significantly"
    return (f"Loyalty index from {ranked.min():.1f} ({segment} {ranked.idxmin()}) to {ranked.max():.1f} "
            f"({segment} {ranked.idxmax()}); the loyal share {verdict} between segments (chi-square p = {p_value:.3f}).")


@dataclass
class SegmentsSection(Section):
    """Section 6: indices and loyal share per segment (``table``) and the tests (``tests``)."""

    segment: str = ""
    tests: pd.DataFrame | None = field(default=None, repr=False)

    def long(self) -> pd.DataFrame:
        """One row per segment and measure (satisfaction, loyalty): ``value``, ``low``, ``high``, for plotting."""
        parts = [self.table.assign(measure=measure, value=self.table[f"{measure}_index"],
                                   low=self.table[f"{measure}_low"], high=self.table[f"{measure}_high"])
                 for measure in ("satisfaction", "loyalty")]
        long = pd.concat(parts, ignore_index=True)[["segment", "measure", "value", "low", "high"]]
        long["segment"] = long["segment"].astype(str)
        return long

    @property
    def p_value(self) -> float:
        """Chi-square test of the loyal share across segments."""
        return float(self.tests.set_index("measure").loc["loyal_share", "p_value"])

    def plot(self, ax=None):
        if ax is None:
            import matplotlib.pyplot as plt

            _, ax = plt.subplots(figsize=(8, 4))
        plots.interval_plot(self.long(), x="segment", y="value", low="low", high="high", hue="measure", ax=ax)
        ax.set(xlabel=self.segment, ylabel="index (0-100)", title=f"Indices by {self.segment}")
        plots.source_note(ax, self.source)
        return ax

    def tables(self) -> list:
        return [_styled(self.table, self.title, self.source),
                _styled(self.tests, "Do the segments differ? (unweighted tests)", self.source)]

    def results(self) -> dict:
        return {"segment_difference_pvalue": self.p_value,
                "loyalty_by_segment": dict(zip(self.table["segment"].astype(str), self.table["loyal_share"]))}

    def finding(self) -> str:
        return segment_finding(self.table, self.p_value, self.segment)


def segments_section(settings: Settings) -> SegmentsSection | Skipped:
    """Compare the segments of the study's data (skipped when there is nothing to compare)."""
    title = "Segments"
    if not settings.compare_segments:
        if settings.segment_value is not None:
            reason = f"the data were filtered to {settings.segment} = {settings.segment_value}"
            fix = "leave `segment_value` unset to compare every segment"
        else:
            reason = "this data set has no segment column"
            fix = "set `segment` to name one"
        return Skipped(title, reason, fix=fix, source=settings.source)
    arguments = dict(by=settings.segment, top_box=settings.top_box, scale=settings.scale)
    table = loy.segment_comparison(settings.data, settings.satisfaction, settings.loyalty, weights=settings.weights,
                                   **arguments)
    tests = loy.segment_tests(settings.data, settings.satisfaction, settings.loyalty, **arguments)
    return SegmentsSection(title=f"Indices and loyal share by {settings.segment}", table=table, source=settings.source,
                           segment=settings.segment, tests=tests)


# --- summary -----------------------------------------------------------------------------


def _pct(value: float) -> str:
    return f"{100 * value:.0f}%"


def summarize_findings(results: Mapping) -> list[str]:
    """Plain-language findings from a run's recorded results (``run.recorder.results``).

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
        p_value = results.get("curve_nonlinearity_pvalue")
        text = f"The curve is steepest near satisfaction {results['curve_steepest']:.1f}"
        if top_share is not None:
            where = "concentrated at the top of the scale" if top_share > 0.5 else "spread over the scale"
            text += f"; {_pct(top_share)} of the rise in loyalty comes in the top third of the satisfaction range ({where})"
        if p_value is not None:
            text += (f"; the curvature test beyond the logistic shape gives p = {p_value:.3f}"
                     f" ({'significant' if p_value < 0.05 else 'not significant'})")
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
        if results.get("short_stave_quadrant") == drv.QUADRANTS[(True, True)]:
            lines.append(f"No important driver lags behind: the weakest of them, {results['short_stave']}, "
                         "still performs above average.")
        else:
            lines.append(f"The short stave (high importance, lowest performance) is {results['short_stave']}: "
                         "improve it first.")
    if results.get("segment_difference_pvalue") is not None:
        p = results["segment_difference_pvalue"]
        lines.append(f"Segments {'differ' if p < 0.05 else 'do not differ significantly'} in top-box loyalty (chi-square p = {p:.3f}).")
    return lines


def references(results: Mapping) -> list[str]:
    """The published works behind what a run recorded, in the order the report cites them.

    Examples
    --------
    >>> [text.split(" (")[0] for text in references({"segments": {}, "key_drivers": {}})]
    ['Wilson', 'Dick and Basu', 'Martilla and James', 'Lindeman, Merenda and Gold']
    """
    keys = ["intervals"]
    if "segments" in results:
        keys.append("types")
    if "dealer_table" in results:
        keys.append("dealer")
    if "key_drivers" in results:
        keys += ["ipa", "shapley"]
    if "satisfaction_index" in results:
        keys.append("acsi")
    if "ecsi_paths" in results:
        keys += ["ecsi", "pls", "ipma"]
    return [REFERENCES[key] for key in keys]


def summary(run, settings: Settings | None = None) -> Any:
    """The closing section of the report: the findings as bullets, the source, the references.

    Built from what the run recorded (``run.recorder.results``) and the notes of the
    sections that could not run; returns Markdown that a notebook shows as the cell's
    output. ``settings`` gives the source line of a filtered or weighted run.
    """
    from IPython.display import Markdown

    results = run.recorder.results
    source = settings.source if settings is not None else run.source
    lines = [f"- {line}" for line in summarize_findings(results)]
    lines += [f"- {note}" for note in run.notes]
    text = "\n".join(lines) + f"\n\n*{source}.*\n\n**References**\n\n" + "\n".join(
        f"- {reference}" for reference in references(results))
    return Markdown(text)
