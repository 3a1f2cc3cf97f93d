"""The satisfaction-versus-loyalty study: settings, sections, findings and recorded results.

Satisfaction is necessary but not sufficient for loyalty. The study notebook
(``notebooks/satisfaction_vs_loyalty.ipynb``) asks, on one survey: how does loyalty
rise with satisfaction and where is the curve steep; which customers are loyal for
the wrong reasons (Dick and Basu 1994); how the Toyota Motor Sales U.S.A. dealer
table looks when rebuilt from respondents; how customers split into promoters,
passives and detractors (Reichheld 2003); which attributes drive satisfaction and
which is the short stave (Martilla and James 1977); what the satisfaction and
loyalty indices are (0-100, Fornell et al. 1996); whether the PLS model passes the
assessment a reviewer asks for (Hair et al. 2017; Henseler et al. 2015; Shmueli et
al. 2019); and how segments differ, in their scores and in their paths (Chin and
Dibbern 2010).

The analysis lives in :mod:`csat_analysis.loyalty`, :mod:`csat_analysis.drivers`,
:mod:`csat_analysis.pls` and :mod:`csat_analysis.pls_assess`; this module resolves
the notebook's parameters (:func:`resolve_settings`, defaults from the survey
description's roles) and turns each step into a
:class:`~csat_analysis.studies.core.Section` with its tables, figure, finding, cited
sources and recorded results. Every item is read on its own scale: items of one
measure on different scales are rescaled onto the scale of its first item before
they are combined, so a 1-5 satisfaction item and a 0-10 recommend item each keep
their meaning. A step that cannot be estimated on the data (too few respondents, a
model that does not converge, a missing role) becomes a
:class:`~csat_analysis.studies.core.Skipped` note saying why and what would fix it.

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

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from .. import drivers as drv
from .. import formatting as fmt
from .. import loyalty as loy
from .. import plots, pls
from .._validation import check_choice, check_columns
from ..errors import CsatError, StudyError
from ..i18n import N_, Message, _, current_language, ngettext, pgettext
from ..report import styled_table
from ..scaling import Scale, composite_score, recode
from .core import Section, Skipped

__all__ = [
    "MODELS",
    "NO_SEGMENT",
    "PARAMETERS",
    "AssessmentSection",
    "CurveSection",
    "DealerSection",
    "DriversSection",
    "IndexModel",
    "IndicesSection",
    "IpmaSection",
    "LoyaltyTypesSection",
    "MeasuresSection",
    "MultiGroupSection",
    "PathsSection",
    "PredictionSection",
    "RecommendSection",
    "SegmentsSection",
    "Settings",
    "SetupSection",
    "assessment_finding",
    "assessment_section",
    "curve_finding",
    "curve_section",
    "curve_sections",
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
    "multigroup_finding",
    "multigroup_section",
    "negative_index_weights",
    "negative_weights_finding",
    "paths_finding",
    "paths_section",
    "prediction_finding",
    "prediction_section",
    "recommend_finding",
    "recommend_section",
    "resolve_settings",
    "segment_finding",
    "segments_section",
    "settings_note",
    "setup_section",
]

#: the notebook's parameters and their defaults (the parameters cell must equal this)
PARAMETERS: dict[str, Any] = {
    "dataset": "mobi",
    "schema": None,
    "survey": None,  # survey description (path or dict); None: the data set's own
    "satisfaction": None,
    "loyalty": None,
    "recommend": None,
    "behaviour": None,
    "drivers": None,
    "segment": None,
    "segment_value": None,
    "weights": None,
    "top_box": 2,
    "model": None,
    "bootstrap": 1000,
    "permutations": 1000,
    "seed": 0,
    "language": "en",  # report language: "en" or "zh" (simplified Chinese)
    "n": 5000,
}

MODELS = ("ecsi", "simple", "none")
#: value of ``segment`` (and ``weights``) that switches the segment comparison (the weighting) off
NO_SEGMENT = "none"
#: NPS groups of a 0-10 recommend item (Reichheld 2003): name -> (lowest, highest answer)
NPS_GROUPS = {"promoters": (9, 10), "passives": (7, 8), "detractors": (0, 6)}
#: fewest respondents per group for the permutation multi-group analysis
MIN_GROUP_SIZE = 10

#: headers of the study's tables (English messages, shown in the report's language by :func:`table_labels`)
LABELS = {
    "n_eff": N_("effective n"),
    "share": N_("share"),
    "share_low": N_("share low"),
    "share_high": N_("share high"),
    "mean": N_("mean loyalty"),
    "published_rate": N_("published rate"),
    "weakest_high_importance": N_("short stave"),
    "n_items": N_("items (n)"),
    "missing_cells": N_("missing answers"),
    "original": N_("estimate"),
    "se": N_("SE"),
    "index": N_("index (0-100)"),
    "importance": N_("importance"),
    "standardised": N_("standardised total effect"),
    "q2_predict": N_("Q² predict"),
    "rmse_lm": N_("RMSE (LM)"),
    "mae_lm": N_("MAE (LM)"),
    "pls_beats_lm": N_("PLS beats LM"),
    "rmse": N_("RMSE"),
    "mae": N_("MAE"),
    "f2": N_("f²"),
    "vif": N_("VIF"),
    "htmt": N_("HTMT"),
    "path_a": N_("path (a)"),
    "path_b": N_("path (b)"),
    "n_a": N_("n (a)"),
    "n_b": N_("n (b)"),
    "group_a": N_("group a"),
    "group_b": N_("group b"),
    "effect_low": N_("effect low"),
    "effect_high": N_("effect high"),
    "effect_size": N_("effect size"),
    # the other columns of the study's tables
    "measure": N_("measure"),
    "items": N_("items"),
    "complete": N_("complete"),
    "alpha": N_("alpha"),
    "alpha_low": N_("alpha low"),
    "alpha_high": N_("alpha high"),
    "satisfaction": N_("satisfaction"),
    "n": N_("n"),
    "loyal": N_("loyal"),
    "mean_low": N_("mean low"),
    "mean_high": N_("mean high"),
    "segment": N_("segment"),
    "satisfied": N_("satisfied"),
    "repurchasing": N_("repurchasing"),
    "low": N_("low"),
    "high": N_("high"),
    "sales": N_("sales"),
    "service": N_("service"),
    "outcome": N_("outcome"),
    "rate": N_("rate"),
    "group": N_("group"),
    "answers": N_("answers"),
    "driver": N_("driver"),
    "rank": N_("rank"),
    "performance": N_("performance"),
    "quadrant": N_("quadrant"),
    "source": N_("source"),
    "target": N_("target"),
    "construct": N_("construct"),
    "R²": N_("R²"),
    "rhoC": N_("rhoC"),
    "AVE": N_("AVE"),
    "rhoA": N_("rhoA"),
    "negative_weights": N_("negative weights"),
    "construct_a": N_("construct a"),
    "construct_b": N_("construct b"),
    "verdict": N_("verdict"),
    "kind": N_("kind"),
    "variable": N_("item"),
    "flag": N_("flag"),
    "through": N_("through"),
    "effect": N_("effect"),
    "statistic": N_("statistic"),
    "significant": N_("significant"),
    "item": N_("item"),
    "path": N_("path"),
    "difference": N_("difference"),
    "p_value": N_("p value"),
    "dof": N_("dof"),
    "dof_denominator": N_("denominator dof"),
    "test": N_("test"),
    "satisfaction_index": N_("satisfaction index"),
    "satisfaction_low": N_("satisfaction low"),
    "satisfaction_high": N_("satisfaction high"),
    "loyalty_index": N_("loyalty index"),
    "loyalty_low": N_("loyalty low"),
    "loyalty_high": N_("loyalty high"),
    "loyal_share": N_("loyal share"),
    "loyal_low": N_("loyal low"),
    "loyal_high": N_("loyal high"),
    "weight": N_("weight"),
}


def table_labels() -> dict[str, str]:
    """The study's table headers in the current language.

    Returns
    -------
    dict
        Column name -> header, for :func:`csat_analysis.report.styled_table`.

    Examples
    --------
    >>> from csat_analysis.i18n import use_language
    >>> table_labels()["n_eff"]
    'effective n'
    >>> with use_language("zh"):
    ...     table_labels()["n_eff"]
    '有效样本量'
    """
    return {column: _(header) for column, header in LABELS.items()}


def _construct(name) -> str:
    """A construct's display name in the current language (the ECSI and corporate-reputation names are translated).

    Examples
    --------
    >>> _construct("Satisfaction"), _construct("my construct")
    ('Satisfaction', 'my construct')
    """
    names = {
        "Satisfaction": pgettext("construct", "Satisfaction"),
        "Loyalty": pgettext("construct", "Loyalty"),
        "Image": pgettext("construct", "Image"),
        "Expectation": pgettext("construct", "Expectation"),
        "Quality": pgettext("construct", "Quality"),
        "Value": pgettext("construct", "Value"),
        "Complaints": pgettext("construct", "Complaints"),
        "Performance": pgettext("construct", "Performance"),
        "CSR": pgettext("construct", "CSR"),
        "Attractiveness": pgettext("construct", "Attractiveness"),
        "Competence": pgettext("construct", "Competence"),
        "Likeability": pgettext("construct", "Likeability"),
    }
    return names.get(str(name), str(name))


def _vocabulary() -> dict[str, dict[str, str]]:
    """The words of the study's tables (a column -> {recorded English value: shown value}) in the current language."""
    return {
        "loyalty type": {
            "true": pgettext("loyalty type", "true"),
            "latent": pgettext("loyalty type", "latent"),
            "spurious": pgettext("loyalty type", "spurious"),
            "none": pgettext("loyalty type", "none"),
        },
        "nps group": {
            "promoters": pgettext("NPS group", "promoters"),
            "passives": pgettext("NPS group", "passives"),
            "detractors": pgettext("NPS group", "detractors"),
        },
        "outcome": {"loyal_to_dealer": _("loyal to the dealer"), "loyal_to_brand": _("loyal to the brand")},
        "quadrant": {
            "concentrate here": pgettext("quadrant", "concentrate here"),
            "possible overkill": pgettext("quadrant", "possible overkill"),
            "keep up the good work": pgettext("quadrant", "keep up the good work"),
            "low priority": pgettext("quadrant", "low priority"),
        },
        "effect": {
            "small": pgettext("effect size", "small"),
            "medium": pgettext("effect size", "medium"),
            "large": pgettext("effect size", "large"),
            "none": pgettext("effect size", "none"),
        },
        "power": {
            "high": pgettext("predictive power", "high"),
            "medium": pgettext("predictive power", "medium"),
            "low": pgettext("predictive power", "low"),
            "none": pgettext("predictive power", "no"),
        },
        "kind": {"outer": pgettext("VIF kind", "outer"), "inner": pgettext("VIF kind", "inner")},
        "flag": {"check": pgettext("VIF flag", "check"), "": ""},
        "verdict": {
            "NOT established": pgettext("HTMT verdict", "NOT established"),
            "established (liberal 0.90 only)": pgettext("HTMT verdict", "established (liberal 0.90 only)"),
            "established": pgettext("HTMT verdict", "established"),
        },
        "measure": {
            "satisfaction": pgettext("measure", "satisfaction"),
            "loyalty": pgettext("measure", "loyalty"),
            "loyal_share": pgettext("measure", "loyal share"),
        },
        "test": {
            "chi-square": _("chi-square test"),
            "Kruskal-Wallis": _("Kruskal-Wallis test"),
            "Rao-Scott F": _("Rao-Scott F test"),
            "design-based Kruskal-Wallis": _("design-based Kruskal-Wallis test"),
        },
        "effect size": {"epsilon_squared": "ε²", "cramers_v": _("Cramér's V")},
    }


def _chain(text) -> str:
    """A chain of construct names (``"A -> B"``) in the current language."""
    return " -> ".join(_construct(part) for part in str(text).split(" -> "))


#: which columns of the study's tables hold construct names and which hold words of :func:`_vocabulary`
_CONSTRUCT_COLUMNS = ("construct", "construct_a", "construct_b", "source", "target", "through", "driver")


def _shown(
    table: pd.DataFrame, words: Mapping[str, str] | None = None, *, constructs=_CONSTRUCT_COLUMNS, name=_construct
) -> pd.DataFrame:
    """A copy of ``table`` for display: construct names and recorded English words in the current language.

    ``words`` maps a column to a :func:`_vocabulary` entry. The recorded results are
    read from the original table, so they are the same in every language.
    """
    shown = table.copy()
    vocabulary = _vocabulary()
    for column in constructs:
        if column in shown.columns:
            shown[column] = [_chain(value) if column == "through" else name(value) for value in shown[column]]
    for column, kind in (words or {}).items():
        if column in shown.columns:
            mapping = vocabulary[kind]
            shown[column] = [mapping.get(value, value) if isinstance(value, str) else value for value in shown[column]]
    return shown


def _skipped(title: str, reason: str, /, fix: str = "", *, source: str = "", **fields: Any) -> Skipped:
    """A :class:`Skipped` note whose title, reason and fix are catalog messages shown in the current language.

    :meth:`StudyRun.skip <csat_analysis.studies.core.StudyRun.skip>` records the note in
    English, so the recorded results are the same in every language; the report shows
    it in the report's language. ``fields`` fill the reason's named fields (a callable
    is called when the text is shown, e.g. a display name in the current language; see
    :class:`~csat_analysis.i18n.Message`).

    Examples
    --------
    >>> from csat_analysis.i18n import use_language
    >>> skip = _skipped(N_("Loyalty types"), N_("the survey description names no drivers"))
    >>> skip.note()
    'Loyalty types: not run because the survey description names no drivers.'
    >>> with use_language("zh"):
    ...     print(skip.note())
    忠诚类型：未运行，原因是调查描述中没有指定驱动因素。
    """
    return Skipped(Message(title), Message(reason, **fields), fix=Message(fix) if fix else "", source=source)


def _items(items) -> list[str]:
    return [items] if isinstance(items, str) else list(items)


def _guarded(title: str, fix: str):
    """Turn a section builder's estimation failure (a CsatError) into a Skipped note with the reason and fix.

    A section that cannot be estimated on the data (too few respondents, a model that
    does not converge, separation, a single level) must not lose the rest of the report.
    """

    def decorate(build):
        @functools.wraps(build)
        def wrapper(*args, **kwargs):
            try:
                return build(*args, **kwargs)
            except (CsatError, np.linalg.LinAlgError) as error:
                settings = next((a for a in args if isinstance(a, Settings)), None)
                if settings is None:
                    settings = next((a.settings for a in args if isinstance(a, IndexModel)), None)
                return _skipped(
                    title,
                    N_("it cannot be estimated on these data ({reason})"),
                    fix=fix,
                    source=settings.source if settings is not None else "",
                    reason=_reason(error),
                )

        return wrapper

    return decorate


def _reason(error: Exception) -> str:
    text = " ".join(str(error).split())
    return text[:1].lower() + text[1:].rstrip(".")


# --- settings: the notebook's parameters resolved and checked ---------------------------


@dataclass(frozen=True)
class Settings:
    """The study's parameters after defaults and checks.

    Built by :func:`resolve_settings`. Shares and means are weighted (with
    design-based intervals) when ``weights`` is set; PLS, the curve fit and the tests
    stay unweighted.

    Attributes
    ----------
    data : DataFrame
        The study data, filtered to ``segment == segment_value`` when a value is
        given; the items of a measure that mixes scales are rescaled onto the scale
        of its first item.
    satisfaction, loyalty : list of str
        The item columns of the satisfaction and loyalty measures.
    drivers : list of str or dict of str to list of str
        Driver items, or driver constructs as name -> items.
    segment : str or None
        The segment column (``None``: no segment).
    segment_value : object
        The one segment kept (``None``: all).
    top_box : int
        How many top scale points count as satisfied or loyal.
    model : str
        The index model: "ecsi", "simple" or "none".
    scale : Scale
        The satisfaction measure's scale.
    behaviour : str or None
        The column behind the loyalty types.
    behaviour_is_proxy : bool
        ``behaviour`` is a stated intention item standing in for observed repurchase.
    weights : str or None
        The survey weight column when the run uses one (the simulator's ``weight``
        by default).
    dealer : dict or None
        The columns of the dealer table, when the data have them.
    source : str
        The line printed under every table and figure.
    loyalty_scale : Scale or None
        The loyalty measure's scale.
    driver_scale : Scale or None
        The drivers' scale (0-100 when driver items mix scales).
    item_scales : dict
        Every item's scale in ``data``.
    recommend : str or None
        The 0-10 recommend item (NPS groups).
    raw_data : DataFrame or None
        The answers as given, before rescaling.
    labels : dict
        Display names of columns.
    recommend_scale : Scale or None
        The recommend item's own scale.
    survey : SurveyDescription or None
        The survey description the roles and labels come from.
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
    loyalty_scale: Scale | None = None
    driver_scale: Scale | None = None
    item_scales: dict = field(default_factory=dict, repr=False)
    recommend: str | None = None
    raw_data: pd.DataFrame | None = field(default=None, repr=False)
    labels: dict = field(default_factory=dict, repr=False)
    recommend_scale: Scale | None = None
    survey: Any = field(default=None, repr=False, compare=False)

    @property
    def satisfied_threshold(self) -> float:
        """Lowest satisfaction score that counts as satisfied (the top box of the satisfaction scale)."""
        return float(self.scale.high - (self.top_box - 1))

    @property
    def loyal_threshold(self) -> float:
        """Lowest loyalty score that counts as loyal (the top box of the loyalty scale)."""
        return float(self.loyalty_scale.high - (self.top_box - 1))

    @property
    def behaviour_threshold(self) -> float | None:
        """Lowest behaviour score that counts as repurchasing (top box of its own scale; None for a flag)."""
        scale = self.item_scales.get(self.behaviour)
        return None if scale is None else float(scale.high - (self.top_box - 1))

    @property
    def compare_segments(self) -> bool:
        """Whether the run compares segments (a segment column, no single value kept)."""
        return self.segment is not None and self.segment_value is None

    def label(self, column) -> str:
        """The English display name of a column (its own name when the survey gives none); it names results.

        Parameters
        ----------
        column : str
            A column of :attr:`data`.

        Returns
        -------
        str
            The English display name, or ``column``.
        """
        return str(self.labels.get(column, column))

    def shown(self, column) -> str:
        """The display name of a column in the current language (``label: {en: ..., zh: ...}``).

        Parameters
        ----------
        column : str
            A column of :attr:`data`.

        Returns
        -------
        str
            The display name in the report's language.
        """
        if self.survey is not None and column in self.labels:
            return self.survey.label(column, language=current_language())
        return self.label(column)

    def shown_construct(self, name) -> str:
        """A construct's display name in the current language.

        Single-item drivers are constructs named by their items' English labels (see
        :meth:`model_spec`): those show their items' labels in the report's language.

        Parameters
        ----------
        name : str
            A construct of the model (or a measure's name).

        Returns
        -------
        str
            The display name in the report's language.
        """
        if not isinstance(self.drivers, Mapping):
            for item in self.drivers or []:
                if name in (item, self.label(item)):
                    return self.shown(item)
        return _construct(name)

    @property
    def measures(self) -> dict[str, list[str]]:
        """Satisfaction, loyalty and (for construct drivers) each driver construct, as name -> items."""
        measures = {"Satisfaction": list(self.satisfaction), "Loyalty": list(self.loyalty)}
        if isinstance(self.drivers, Mapping):
            measures.update({name: _items(items) for name, items in self.drivers.items()})
        return measures

    @property
    def measure_scales(self) -> dict[str, Scale]:
        """The scale each measure of :attr:`measures` is read on."""
        scales = {"Satisfaction": self.scale, "Loyalty": self.loyalty_scale}
        for name in self.measures:
            scales.setdefault(name, self.driver_scale)
        return scales

    def pls_scales(self, items) -> dict[str, tuple[float, float]]:
        """``{item: (low, high)}`` of the model's items, for the 0-100 PLS indices.

        Parameters
        ----------
        items : iterable of str
            The model's item columns.

        Returns
        -------
        dict of str to tuple of float
            Each item's scale as ``(low, high)``.
        """
        return {item: (self.item_scales[item].low, self.item_scales[item].high) for item in items}

    def model_spec(self):
        """``(measurement, structural)`` for :func:`csat_analysis.pls.estimate`, or ``None``.

        ``"ecsi"``: the ECSI model (Tenenhaus et al. 2005) with the study's
        satisfaction and loyalty items. ``"simple"``: each driver -> Satisfaction -> Loyalty.

        Returns
        -------
        tuple or None
            ``(measurement, structural)``: construct -> items, and the list of
            ``(source, target)`` paths; ``None`` with ``model="none"``.
        """
        if self.model == "none":
            return None
        if self.model == "ecsi":
            measurement, structural = pls.ecsi()
            measurement = {**measurement, "Satisfaction": list(self.satisfaction), "Loyalty": list(self.loyalty)}
            return measurement, structural
        if isinstance(self.drivers, Mapping):
            drivers = self.drivers
        else:
            # single-item drivers are constructs of their own, named by their display names where those are distinct
            items = list(self.drivers or [])
            names = [self.label(item) for item in items]
            if len(set(names)) < len(names) or {"Satisfaction", "Loyalty"} & set(names):
                names = items
            drivers = {name: [item] for name, item in zip(names, items)}
        measurement = {
            **{name: _items(items) for name, items in drivers.items()},
            "Satisfaction": list(self.satisfaction),
            "Loyalty": list(self.loyalty),
        }
        structural = [(name, "Satisfaction") for name in drivers] + [("Satisfaction", "Loyalty")]
        return measurement, structural


def _ecsi_items_besides(satisfaction_and_loyalty=("Satisfaction", "Loyalty")) -> list[str]:
    measurement, _structural = pls.ecsi()
    return [
        item for construct, items in measurement.items() if construct not in satisfaction_and_loyalty for item in items
    ]


def _survey_of(run):
    from ..survey import SurveyDescription

    survey = getattr(run, "survey", None)
    return survey if survey is not None else SurveyDescription.for_dataset(run.name)


def _own_scales(survey, data: pd.DataFrame, items: list[str], recommend: str | None, parameter: str) -> dict:
    """Each item's own scale: the survey's, 0-10 for the recommend item, else the span of the answers."""
    scales = {}
    for item in items:
        own = survey.scale(item) if survey is not None else None
        scales[item] = own if own is not None else (Scale(0, 10) if item == recommend else None)
    unknown = [item for item, own in scales.items() if own is None]
    if unknown:
        try:
            inferred = _usual_scale(loy.infer_scale(data, unknown))
        except CsatError as error:
            raise StudyError(f"{parameter}: {error}") from None
        scales.update(dict.fromkeys(unknown, inferred))
    return scales


#: the rating scales surveys use, tried in order when the survey description names none
USUAL_SCALES = ((1, 5), (1, 7), (1, 10), (0, 10))


def _usual_scale(span: Scale) -> Scale:
    """The usual rating scale holding the answers' span (2-7 answered on a 1-7 scale), else the span itself.

    Examples
    --------
    >>> _usual_scale(Scale(2, 7)), _usual_scale(Scale(0, 9)), _usual_scale(Scale(3, 40))
    (Scale(low=1, high=7, labels=None), Scale(low=0, high=10, labels=None), Scale(low=3, high=40, labels=None))
    """
    for low, high in USUAL_SCALES:
        if low <= span.low and span.high <= high:
            return Scale(low, high)
    return span


def _onto_one_scale(data: pd.DataFrame, items: list[str], scales: dict, target: Scale, done: set) -> pd.DataFrame:
    """Rescale items whose own scale differs from ``target`` linearly onto it (as composite_score does)."""
    for item in items:
        own = scales[item]
        if item in done or (own.low, own.high) == (target.low, target.high):
            continue
        numeric = recode(data[item], own, name=f"column {item!r}")
        data[item] = target.low + (numeric - own.low) / own.width * target.width
        done.add(item)
    return data


def resolve_settings(
    run,
    *,
    satisfaction=None,
    loyalty=None,
    recommend=None,
    behaviour=None,
    drivers=None,
    segment=None,
    segment_value=None,
    weights=None,
    top_box: int = 2,
    model: str | None = None,
) -> Settings:
    """Fill in the survey description's roles and check every study parameter.

    Parameters
    ----------
    run : StudyRun or csat_analysis.datasets.StudyData
        The opened data; its survey description (``run.survey``; a bundled data set's
        own) gives the default columns (roles) and each item's scale.
    satisfaction, loyalty : list of str, optional
        Item columns; default: the ``satisfaction`` and ``loyalty`` roles. Without a
        loyalty role the recommend item serves as the loyalty measure.
    recommend : str, optional
        The 0-10 recommend item (NPS groups); default: the ``recommend`` role.
    behaviour : str, optional
        Observed repurchase or retention (a flag, or an item read by its top box)
        behind the loyalty types; default: the ``behaviour`` role.
    drivers : list of str or dict name -> items, optional
    segment : str, optional
        Segment column (default: the first ``segments`` role; ``"none"`` for no segment).
    segment_value : optional
        Keep only this segment (compared as text, so ``2`` and ``"2"`` both work).
    weights : str, optional
        Survey weight column (default: the ``weight`` role; ``"none"`` for unweighted
        shares and means).
    top_box : int
    model : {"ecsi", "simple", "none"}, optional

    Returns
    -------
    Settings
        The checked parameters, the columns each section uses and the data.

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
    survey = _survey_of(run)
    roles = dict(survey.roles) if survey is not None else {}
    data = run.data
    if recommend is not None:
        check_columns(data, recommend, parameter="recommend", error=StudyError)
    else:
        recommend = roles.get("recommend")
        recommend = recommend if isinstance(recommend, str) and recommend in data.columns else None
    satisfaction = _items(satisfaction) if satisfaction is not None else roles.get("satisfaction")
    loyalty = _items(loyalty) if loyalty is not None else roles.get("loyalty") or ([recommend] if recommend else None)
    if not satisfaction or not loyalty:
        missing = [name for name, value in (("satisfaction", satisfaction), ("loyalty", loyalty)) if not value]
        raise StudyError(
            f"{' and '.join(missing)}: give the item columns (the survey description has no "
            f"{' or '.join(repr(m) for m in missing)} role; a 0-10 `recommend` item can serve as loyalty)"
        )
    satisfaction, loyalty = _items(satisfaction), _items(loyalty)
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
    if behaviour is not None:
        check_columns(data, behaviour, parameter="behaviour", error=StudyError)
        behaviour_is_proxy = False
    else:
        behaviour = roles.get("behaviour")
        behaviour = behaviour if isinstance(behaviour, str) and behaviour in data.columns else None
        behaviour_is_proxy = bool(roles.get("behaviour_is_proxy", behaviour in loyalty))

    # every item on its own scale; a measure that mixes scales is read on its first item's
    raw_data, data, done = data, data.copy(), set()
    sat_scales = _own_scales(survey, data, satisfaction, recommend, "satisfaction")
    loy_scales = _own_scales(survey, data, loyalty, recommend, "loyalty")
    scale, loyalty_scale = sat_scales[satisfaction[0]], loy_scales[loyalty[0]]
    data = _onto_one_scale(data, satisfaction, sat_scales, scale, done)
    data = _onto_one_scale(data, loyalty, loy_scales, loyalty_scale, done)
    item_scales = {**{i: scale for i in satisfaction}, **{i: loyalty_scale for i in loyalty}}
    driver_items = [
        i
        for items in (drivers.values() if isinstance(drivers, Mapping) else [drivers or []])
        for i in _items(items)
        if i not in item_scales
    ]
    driver_scale = scale
    if driver_items:
        own = _own_scales(survey, data, driver_items, recommend, "drivers")
        distinct = {(s.low, s.high) for s in own.values()}
        driver_scale = next(iter(own.values())) if len(distinct) == 1 else Scale(0, 100)
        data = _onto_one_scale(data, driver_items, own, driver_scale, done)
        item_scales.update(dict.fromkeys(driver_items, driver_scale))
    spec_items = []
    if model != "none":
        measurement = pls.ecsi()[0] if model == "ecsi" else {}
        spec_items = [i for items in measurement.values() for i in items if i not in item_scales]
    if spec_items:
        item_scales.update(_own_scales(survey, data, spec_items, recommend, "model items"))
    if behaviour is not None and behaviour not in item_scales and not _is_flag(data[behaviour]):
        item_scales.update(_own_scales(survey, data, [behaviour], recommend, "behaviour"))
    for name, own in (("satisfaction", scale), ("loyalty", loyalty_scale)):
        if isinstance(top_box, bool) or not (isinstance(top_box, (int, np.integer)) and 1 <= top_box <= own.width):
            raise StudyError(
                f"top_box={top_box!r} must be a whole number of scale points between 1 and "
                f"{own.width:g} (the {name} scale is {own.low:g}-{own.high:g})"
            )
    dealer = roles.get("dealer")
    if dealer is not None and not all(
        c in data.columns for c in [dealer["sales"], dealer["service"], *dealer["loyal"]]
    ):
        dealer = None
    labels = {column: survey.label(column) for column in data.columns} if survey is not None else {}
    source = run.source
    if segment_value is not None:
        shown_segment = survey.label(segment, language=current_language()) if survey is not None else segment
        source += _("; only {segment} = {value} (n = {n})").format(
            segment=shown_segment, value=segment_value, n=fmt.number(len(data), 0)
        )
    if weights is not None:
        source += _("; shares and means weighted by `{weights}`").format(weights=weights)
    recommend_scale = (
        _own_scales(survey, raw_data, [recommend], recommend, "recommend")[recommend] if recommend is not None else None
    )
    return Settings(
        data,
        satisfaction,
        loyalty,
        drivers,
        segment,
        segment_value,
        int(top_box),
        model,
        scale,
        behaviour,
        behaviour_is_proxy,
        weights,
        dealer,
        source,
        loyalty_scale,
        driver_scale,
        item_scales,
        recommend,
        raw_data,
        labels,
        recommend_scale,
        survey,
    )


def _is_flag(values: pd.Series) -> bool:
    """A yes/no column: boolean, or numbers that are only 0 and 1."""
    if pd.api.types.is_bool_dtype(values):
        return True
    numeric = pd.to_numeric(values, errors="coerce").dropna()
    return pd.api.types.is_numeric_dtype(values) and len(numeric) > 0 and set(numeric.unique()) <= {0, 1}


def _scale_text(scale: Scale) -> str:
    return f"{scale.low:g}-{scale.high:g}"


def settings_note(settings: Settings) -> str:
    """Markdown paragraph stating the data, measures, scales, thresholds, weighting and model of a run.

    Parameters
    ----------
    settings : Settings
        The study's checked parameters and data (from :func:`resolve_settings`).

    Returns
    -------
    str
        One Markdown paragraph in the report's language.

    Examples
    --------
    >>> from csat_analysis.datasets import open_study_data
    >>> "at least 9 (top 2 box)" in settings_note(resolve_settings(open_study_data("mobi")))
    True
    """
    weighting = (
        _(
            "Shares and means are weighted by the survey weight `{weights}` (design-based, "
            "Taylor-linearised intervals); the PLS model, the curve fit, correlations and tests are "
            "unweighted."
        ).format(weights=settings.weights)
        if settings.weights is not None
        else _("The data carry no survey weights: every estimate is unweighted.")
    )
    # Translators: separates the items of a measure, e.g. "CUSA1, CUSA2"
    names = lambda items: _(", ").join(settings.shown(i) for i in items)  # noqa: E731
    fields = dict(
        source=settings.source,
        satisfaction=names(settings.satisfaction),
        loyalty=names(settings.loyalty),
        scale=_scale_text(settings.scale),
        loyalty_scale=_scale_text(settings.loyalty_scale),
        satisfied=f"{settings.satisfied_threshold:g}",
        loyal=f"{settings.loyal_threshold:g}",
        top_box=settings.top_box,
        model=settings.model,
        weighting=weighting,
    )
    if (settings.scale.low, settings.scale.high) == (settings.loyalty_scale.low, settings.loyalty_scale.high):
        template = _(
            "**Data:** {source}.  \n**Satisfaction:** {satisfaction}; **loyalty:** {loyalty} (scale "
            "{scale}; a measure with several items is scored as the mean of its items). **Loyal / "
            "satisfied** means a score of at least {satisfied} (top {top_box} box). **Model:** {model}. "
            "{weighting}"
        )
    else:
        template = _(
            "**Data:** {source}.  \n**Satisfaction:** {satisfaction}; **loyalty:** {loyalty} (each item "
            "read on its own scale: satisfaction {scale}, loyalty {loyalty_scale}). **Satisfied** means a "
            "satisfaction score of at least {satisfied} and **loyal** a loyalty score of at least {loyal} "
            "(top {top_box} box of each scale). **Model:** {model}. {weighting}"
        )
    return template.format(**fields)


def _styled(table: pd.DataFrame, caption: str | None, source: str, percent=()):
    # yes/no cells in the report's language (the same words formatting.format_result uses)
    flags = [column for column in table.columns if pd.api.types.is_bool_dtype(table[column])]
    if flags:
        table = table.assign(
            **{
                column: [value if pd.isna(value) else _("yes") if value else _("no") for value in table[column]]
                for column in flags
            }
        )
    return styled_table(table, caption, source, labels=table_labels(), digits=3, percent=percent)


def _pct(share: float) -> str:
    return fmt.percent(share, 1)


def _relabel_legend(ax, words: Mapping[str, str], title: str | None = None) -> None:
    """Redraw the legend of ``ax`` (if any) with its entries (and title) in the current language."""
    legend = ax.get_legend()
    if legend is None:
        return
    handles, labels = ax.get_legend_handles_labels()
    kwargs = {"loc": legend._loc} if hasattr(legend, "_loc") else {}
    old_title = legend.get_title().get_text()
    ax.legend(
        handles,
        [words.get(label, label) for label in labels],
        title=title if title is not None else (old_title or None),
        **kwargs,
    )


# --- set-up and measures -----------------------------------------------------------------


@dataclass
class SetupSection(Section):
    """The run's data and measures: records ``n_respondents`` and states the settings.

    Attributes
    ----------
    title : str
        Heading of the section in the report.
    table : None
        Unused: the section is a note.
    source : str
        The data-source line printed under the section's table and figure.
    settings : Settings
        The settings the note states.
    """

    settings: Settings | None = field(default=None, repr=False)

    def results(self) -> dict:
        """Named results for the batch runner (``results.json``).

        Returns
        -------
        dict
            ``n_respondents``.
        """
        return {"n_respondents": len(self.settings.data)}

    def finding(self) -> str:
        return settings_note(self.settings)

    def headline(self) -> str:
        s = self.settings
        return ngettext(
            "{n} respondent; satisfied means at least {satisfied} on the {scale} satisfaction scale, "
            "loyal at least {loyal} on the {loyalty_scale} loyalty scale (top {top_box} box).",
            "{n} respondents; satisfied means at least {satisfied} on the {scale} satisfaction scale, "
            "loyal at least {loyal} on the {loyalty_scale} loyalty scale (top {top_box} box).",
            len(s.data),
        ).format(
            n=fmt.number(len(s.data), 0),
            satisfied=f"{s.satisfied_threshold:g}",
            scale=_scale_text(s.scale),
            loyal=f"{s.loyal_threshold:g}",
            loyalty_scale=_scale_text(s.loyalty_scale),
            top_box=s.top_box,
        )


def setup_section(settings: Settings) -> SetupSection:
    """What this run analyses (the data, measures, scales, thresholds, weighting, model).

    Parameters
    ----------
    settings : Settings
        The study's checked parameters and data (from :func:`resolve_settings`).

    Returns
    -------
    SetupSection
        The data note; it records ``n_respondents``.
    """
    return SetupSection(title=_("Data and measures"), source=settings.source, settings=settings)


def measures_finding(measure_table: pd.DataFrame, n_respondents: int, *, floor: float = 0.7) -> str:
    """One sentence on completeness and the least consistent multi-item measure.

    Parameters
    ----------
    measure_table : DataFrame
        From :func:`csat_analysis.loyalty.describe_measures` (``measure``,
        ``missing_cells``, ``alpha``, ``alpha_low``, ``alpha_high``).
    n_respondents : int
        Respondents in the data.
    floor : float
        The alpha below which a measure is called inconsistent.

    Returns
    -------
    str
        Markdown sentences in the report's language.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"measure": ["A", "B"], "missing_cells": [3, 0], "alpha": [0.65, 0.9],
    ...                       "alpha_low": [0.6, 0.85], "alpha_high": [0.7, 0.95]})
    >>> measures_finding(table, 250)
    '250 respondents; 3 missing answers across these measures. The least consistent multi-item measure is **A** (alpha = 0.65 [0.60, 0.70]), below 0.7: read its mean with care.'
    """
    missing = int(measure_table["missing_cells"].sum())
    text = ngettext(
        "{n} respondents; {missing} missing answer across these measures.",
        "{n} respondents; {missing} missing answers across these measures.",
        missing,
    ).format(n=fmt.number(n_respondents, 0), missing=fmt.number(missing, 0))
    # Translators: joins the two sentences of a finding
    return _("{first} {second}").format(first=text, second=_reliability_sentence(measure_table, floor))


def _reliability_sentence(measure_table: pd.DataFrame, floor: float = 0.7) -> str:
    multi = measure_table.dropna(subset=["alpha"])
    if multi.empty:
        return _("Every measure has a single item, so internal consistency cannot be estimated.")
    weakest = multi.loc[multi["alpha"].idxmin()]
    alpha = fmt.estimate(weakest["alpha"], weakest["alpha_low"], weakest["alpha_high"], kind="number", bounds=(None, 1))
    if weakest["alpha"] < floor:
        template = _(
            "The least consistent multi-item measure is **{measure}** (alpha = {alpha}), below {floor}: "
            "read its mean with care."
        )
    else:
        template = _(
            "The least consistent multi-item measure is **{measure}** (alpha = {alpha}); every multi-item "
            "measure passes {floor}."
        )
    return template.format(measure=weakest["measure"], alpha=alpha, floor=fmt.number(floor, 1))


@dataclass
class MeasuresSection(Section):
    """Section 1: completeness, 0-100 index and Cronbach's alpha of each measure.

    Attributes
    ----------
    title : str
        Heading of the section in the report.
    table : DataFrame
        One row per measure: ``measure``, ``items``, ``n_items``, ``complete``,
        ``missing_cells``, ``index`` (0-100) and Cronbach's ``alpha`` with its interval.
    source : str
        The data-source line printed under the section's table and figure.
    n_respondents : int
        Respondents in the data.
    """

    n_respondents: int = 0
    references = ("cronbach1951", "feldt1965")

    def tables(self) -> list:
        return [_styled(self.table, self.title, self.source)]

    def finding(self) -> str:
        return measures_finding(self.table, self.n_respondents)

    def headline(self) -> str:
        # the sample size leads the set-up's headline already; here the reliability verdict
        """The sentence of the finding that leads the report's summary.

        Returns
        -------
        str
            One Markdown sentence.
        """
        return _reliability_sentence(self.table)


def measures_section(settings: Settings) -> MeasuresSection:
    """:func:`csat_analysis.loyalty.describe_measures` on the study's measures, each on its own scale.

    Parameters
    ----------
    settings : Settings
        The study's checked parameters and data (from :func:`resolve_settings`).

    Returns
    -------
    MeasuresSection
        Completeness, index and reliability of each measure.
    """
    table = loy.describe_measures(settings.data, settings.measures, settings.measure_scales, weights=settings.weights)
    table["items"] = [_(", ").join(settings.shown(i) for i in items) for items in settings.measures.values()]
    table["measure"] = [settings.shown_construct(name) for name in table["measure"]]
    return MeasuresSection(
        title=_("Measures: completeness, index and reliability"),
        table=table,
        source=settings.source,
        n_respondents=len(settings.data),
    )


# --- the satisfaction-loyalty curve ------------------------------------------------------


def curve_finding(
    curve: pd.DataFrame, steepest: float | None, top_gain_share: float | None, lr_p_value: float | None, spearman: float
) -> str:
    """Where the loyal share starts and ends, where the fitted curve is steepest, whether it bends.

    Without a fitted curve (``steepest`` None: the fit could not be estimated) only the
    observed part is stated.

    Parameters
    ----------
    curve : DataFrame
        The observed curve (``satisfaction``, ``share``).
    steepest : float or None
        Satisfaction level where the fitted curve is steepest (``None``: no fit).
    top_gain_share : float or None
        Share of the fitted rise in loyalty that happens in the top third of the
        satisfaction range (1/3: an even rise).
    lr_p_value : float or None
        The p-value of the likelihood-ratio test of the curvature term.
    spearman : float
        Spearman's rho of satisfaction and loyalty.

    Returns
    -------
    str
        Markdown sentences in the report's language.

    Examples
    --------
    >>> import pandas as pd
    >>> curve = pd.DataFrame({"satisfaction": [1, 10], "share": [0.05, 0.8]})
    >>> curve_finding(curve, 8.4, 0.62, 0.0004, 0.55)  # doctest: +NORMALIZE_WHITESPACE
    'The loyal share rises from 5.0% at satisfaction 1 to 80.0% at 10 (Spearman rho = 0.55). The fitted curve is
    steepest near 8.4; 62.0% of the rise happens in the top third of the satisfaction range, and the curvature test
    gives p < 0.001 (the curve bends significantly).'
    """
    low_row, high_row = curve.iloc[0], curve.iloc[-1]
    template = (
        _(
            "The loyal share rises from {low_share} at satisfaction {low} to {high_share} at {high} "
            "(Spearman rho = {rho})."
        )
        if high_row["share"] >= low_row["share"]
        else _(
            "The loyal share falls from {low_share} at satisfaction {low} to {high_share} at {high} "
            "(Spearman rho = {rho})."
        )
    )
    text = template.format(
        low_share=_pct(low_row["share"]),
        low=f"{low_row['satisfaction']:g}",
        high_share=_pct(high_row["share"]),
        high=f"{high_row['satisfaction']:g}",
        rho=fmt.number(spearman),
    )
    if steepest is None:
        return text
    if lr_p_value < 0.05:
        fitted = _(
            "The fitted curve is steepest near {steepest}; {share} of the rise happens in the top third of the "
            "satisfaction range, and the curvature test gives {p_value} (the curve bends significantly)."
        )
    else:
        fitted = _(
            "The fitted curve is steepest near {steepest}; {share} of the rise happens in the top third of the "
            "satisfaction range, and the curvature test gives {p_value} (no significant bend beyond the "
            "logistic shape)."
        )
    fitted = fitted.format(
        steepest=fmt.number(steepest, 1), share=_pct(top_gain_share), p_value=fmt.p_value(lr_p_value, label=True)
    )
    return _("{first} {second}").format(first=text, second=fitted)


@dataclass
class CurveSection(Section):
    """Section 2: the observed curve (``table``), the fitted logit and Spearman's rho.

    ``table`` (:func:`csat_analysis.loyalty.loyalty_curve`) is weighted when the run
    has weights; ``fit`` and ``spearman`` are unweighted. ``fit`` is None when the
    logistic curve cannot be estimated (the report then notes why).

    Attributes
    ----------
    title : str
        Heading of the section in the report.
    table : DataFrame
        One row per satisfaction level: ``satisfaction``, ``n``, the loyal
        ``share`` and the ``mean`` loyalty, each with its interval.
    source : str
        The data-source line printed under the section's table and figure.
    fit : LoyaltyCurveFit or None
        The fitted logistic curve (``None`` when it cannot be estimated).
    spearman : float
        Spearman's rho of the satisfaction and loyalty scores.
    top_box : int
        How many top scale points count as loyal.
    scale, loyalty_scale : Scale or None
        The satisfaction and loyalty scales.
    """

    fit: loy.LoyaltyCurveFit | None = field(default=None, repr=False)
    spearman: float = float("nan")
    top_box: int = 2
    scale: Scale | None = None
    loyalty_scale: Scale | None = None
    references = ("wilson1927", "fornell1996")

    def plot(self, ax=None):
        """Both panels (loyal share with the fitted curve, mean loyalty); ``ax``: a pair of Axes.

        Parameters
        ----------
        ax : matplotlib.axes.Axes or sequence of Axes, optional
            One axes per panel to draw on; a new figure when omitted.

        Returns
        -------
        numpy.ndarray of matplotlib.axes.Axes
            One axes per panel.
        """
        axes = plots.loyalty_curve_panels(
            self.table,
            fit=None if self.fit is None else self.fit.grid,
            top_box=self.top_box,
            source=self.source,
            axes=ax,
        )
        for panel in axes:
            fmt.integer_ticks(panel, "x")  # satisfaction levels are whole scale points
        if self.loyalty_scale is not None:
            axes[1].set_ylim(self.loyalty_scale.low, self.loyalty_scale.high)
            if float(self.loyalty_scale.width).is_integer():
                fmt.integer_ticks(axes[1], "y")
        axes[0].set_ylim(0, 1)
        return axes

    def tables(self) -> list:
        return [_styled(self.table, self.title, self.source, percent=("share", "share_low", "share_high"))]

    def results(self) -> dict:
        """Named results for the batch runner (``results.json``).

        Returns
        -------
        dict
            ``loyalty_by_satisfaction``, ``satisfaction_loyalty_spearman`` and, with a fit,
            ``curve_steepest``, ``curve_top_gain_share``, ``curve_nonlinearity_pvalue``.
        """
        results = {
            "satisfaction_loyalty_spearman": self.spearman,
            "loyalty_by_satisfaction": dict(zip(self.table["satisfaction"].astype(str), self.table["share"])),
        }
        if self.fit is not None:
            results.update(
                {
                    "curve_steepest": self.fit.steepest,
                    "curve_nonlinearity_pvalue": self.fit.lr_p_value,
                    "curve_top_gain_share": self.fit.top_gain_share,
                }
            )
        return results

    def finding(self) -> str:
        fit = self.fit
        return curve_finding(
            self.table,
            None if fit is None else fit.steepest,
            None if fit is None else fit.top_gain_share,
            None if fit is None else fit.lr_p_value,
            self.spearman,
        )


def curve_sections(settings: Settings) -> list[Section]:
    """The curve section and, when the logistic curve cannot be fitted, a note saying why.

    :func:`~csat_analysis.loyalty.loyalty_curve` (weighted when the run has weights),
    :func:`~csat_analysis.loyalty.fit_loyalty_curve` and Spearman's rho of the two
    scores. A fit that does not converge or separates (a small segment) leaves the
    observed curve and adds a :class:`Skipped` note for the fitted one.

    Parameters
    ----------
    settings : Settings
        The study's checked parameters and data (from :func:`resolve_settings`).

    Returns
    -------
    list of Section
        The curve section, followed by a :class:`~csat_analysis.studies.core.Skipped`
        note when the logistic curve cannot be fitted.
    """
    data, sat_items, loy_items = settings.data, settings.satisfaction, settings.loyalty
    arguments = dict(top_box=settings.top_box, scale=settings.scale, loyalty_scale=settings.loyalty_scale)
    curve = loy.loyalty_curve(data, sat_items, loy_items, weights=settings.weights, **arguments)
    rho = stats.spearmanr(
        composite_score(data, sat_items), composite_score(data, loy_items), nan_policy="omit"
    ).statistic
    try:
        fit, skipped = loy.fit_loyalty_curve(data, sat_items, loy_items, **arguments), None
    except CsatError as error:
        fit = None
        skipped = _skipped(
            N_("Fitted satisfaction-loyalty curve"),
            N_("the logistic curve cannot be estimated on these data ({reason})"),
            fix=N_("run on more respondents (a larger segment or the whole sample)"),
            source=settings.source,
            reason=_reason(error),
        )
    section = CurveSection(
        title=_("Loyalty by satisfaction level"),
        table=curve,
        source=settings.source,
        fit=fit,
        spearman=float(rho),
        top_box=settings.top_box,
        scale=settings.scale,
        loyalty_scale=settings.loyalty_scale,
    )
    return [section] if skipped is None else [section, skipped]


def curve_section(settings: Settings) -> CurveSection:
    """The curve section of :func:`curve_sections` (its fit is None when it cannot be estimated).

    Parameters
    ----------
    settings : Settings
        The study's checked parameters and data (from :func:`resolve_settings`).

    Returns
    -------
    CurveSection
        The observed curve, with the fit when it can be estimated.
    """
    return curve_sections(settings)[0]


# --- loyalty types and the dealer table --------------------------------------------------


def loyalty_types_finding(table: pd.DataFrame, behaviour: str, behaviour_is_proxy: bool) -> str:
    """What behaviour stands for, and the shares of true, spurious and latent loyalty.

    Parameters
    ----------
    table : DataFrame
        From :func:`csat_analysis.loyalty.loyalty_segments` (``segment``, ``share``,
        ``low``, ``high``).
    behaviour : str
        Display name of the behaviour column.
    behaviour_is_proxy : bool
        The behaviour is a stated intention, not observed repurchase.

    Returns
    -------
    str
        Markdown sentences in the report's language.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"segment": ["true", "latent", "spurious", "none"], "share": [0.4, 0.1, 0.2, 0.3],
    ...                       "low": [0.35, 0.07, 0.16, 0.25], "high": [0.45, 0.13, 0.24, 0.35]})
    >>> loyalty_types_finding(table, "repurchase", False)  # doctest: +NORMALIZE_WHITESPACE
    '40.0% [35.0%, 45.0%] are truly loyal (satisfied and repurchasing); 20.0% are spuriously loyal (they stay
    without being satisfied) and 10.0% are latently loyal (satisfied but not committed). Behaviour here is
    repurchase (observed repurchase).'
    """
    shares = table.set_index("segment")
    true = shares.loc["true"]
    if behaviour_is_proxy:
        template = _(
            "{true} are truly loyal (satisfied and repurchasing); {spurious} are spuriously loyal (they stay "
            "without being satisfied) and {latent} are latently loyal (satisfied but not committed). "
            "Behaviour here is the repurchase-intention item {behaviour} (top box) as a proxy: this survey "
            "records no observed behaviour."
        )
    else:
        template = _(
            "{true} are truly loyal (satisfied and repurchasing); {spurious} are spuriously loyal (they stay "
            "without being satisfied) and {latent} are latently loyal (satisfied but not committed). "
            "Behaviour here is {behaviour} (observed repurchase)."
        )
    return template.format(
        true=fmt.estimate(true["share"], true.get("low"), true.get("high"), bounds=fmt.SHARE_BOUNDS),
        spurious=_pct(shares.loc["spurious", "share"]),
        latent=_pct(shares.loc["latent", "share"]),
        behaviour=behaviour,
    )


@dataclass
class LoyaltyTypesSection(Section):
    """Section 3: true, latent, spurious and no loyalty (Dick and Basu 1994).

    Attributes
    ----------
    title : str
        Heading of the section in the report.
    table : DataFrame
        One row per loyalty type: ``segment``, ``satisfied``, ``repurchasing``,
        ``n``, ``share``, ``low``, ``high``.
    source : str
        The data-source line printed under the section's table and figure.
    behaviour : str
        Display name of the behaviour column.
    behaviour_is_proxy : bool
        The behaviour is a stated intention, not observed repurchase.
    """

    behaviour: str = ""
    behaviour_is_proxy: bool = True
    references = ("dick_basu1994", "wilson1927")

    def plot(self, ax=None):
        """Draw the section's figure.

        Parameters
        ----------
        ax : matplotlib.axes.Axes, optional
            Axes to draw on; a new figure when omitted.

        Returns
        -------
        matplotlib.axes.Axes
            The axes holding the figure.
        """
        shown = _shown(self.table, {"segment": "loyalty type"})
        ax = plots.interval_plot(shown, x="segment", y="share", low="low", high="high", kind="bar", ax=ax)
        ax.set(ylabel=_("share of customers"), xlabel=_("loyalty type"), title=_("Loyalty types"), ylim=(0, 1))
        plots.source_note(ax, self.source)
        return ax

    def tables(self) -> list:
        return [
            _styled(
                _shown(self.table, {"segment": "loyalty type"}),
                self.title,
                self.source,
                percent=("share", "low", "high"),
            )
        ]

    def results(self) -> dict:
        """Named results for the batch runner (``results.json``).

        Returns
        -------
        dict
            ``segments``: the share of each loyalty type.
        """
        return {"segments": dict(zip(self.table["segment"], self.table["share"]))}

    def finding(self) -> str:
        return loyalty_types_finding(self.table, self.behaviour, self.behaviour_is_proxy)


@_guarded(N_("Loyalty types"), fix=N_("check the behaviour column, or run on more respondents"))
def loyalty_types_section(settings: Settings) -> LoyaltyTypesSection | Skipped:
    """:func:`~csat_analysis.loyalty.loyalty_segments` with the study's behaviour measure and thresholds.

    Attitude is satisfied (top box of the satisfaction scale); behaviour is a yes/no
    column, or an item read by the top box of its own scale.

    Parameters
    ----------
    settings : Settings
        The study's checked parameters and data (from :func:`resolve_settings`).

    Returns
    -------
    LoyaltyTypesSection or Skipped
        Shares of true, latent, spurious and no loyalty.
        A :class:`~csat_analysis.studies.core.Skipped` note says why the section
        could not run on these data and what would fix it.
    """
    if settings.behaviour is None:
        return _skipped(
            N_("Loyalty types"),
            N_("the data have no behaviour measure (observed repurchase or retention)"),
            fix=N_("name one with the `behaviour` role or parameter, e.g. a repurchase flag"),
            source=settings.source,
        )
    data = settings.data
    if _is_flag(data[settings.behaviour]):
        data = data.assign(**{settings.behaviour: data[settings.behaviour].astype("boolean")})
    is_flag = pd.api.types.is_bool_dtype(data[settings.behaviour])
    table = loy.loyalty_segments(
        data,
        settings.satisfaction,
        settings.behaviour,
        attitude_threshold=settings.satisfied_threshold,
        behaviour_threshold=None if is_flag else settings.behaviour_threshold,
        weights=settings.weights,
    )
    return LoyaltyTypesSection(
        title=_("Loyalty types"),
        table=table,
        source=settings.source,
        behaviour=settings.shown(settings.behaviour),
        behaviour_is_proxy=settings.behaviour_is_proxy,
    )


def dealer_finding(table: pd.DataFrame) -> str:
    """How many published rates the data reproduce, and whether sales or service satisfaction matters more.

    Parameters
    ----------
    table : DataFrame
        From :func:`csat_analysis.loyalty.dealer_table`.

    Returns
    -------
    str
        Markdown sentences in the report's language.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"sales": ["O", "X", "O", "X"], "service": ["O", "O", "X", "X"],
    ...                       "outcome": "loyal_to_dealer", "n": [50, 30, 20, 10], "rate": [0.8, 0.4, 0.1, 0.0],
    ...                       "low": [0.7, 0.3, 0.05, 0.0], "high": [0.9, 0.5, 0.2, 0.1],
    ...                       "published_rate": [0.85, 0.35, 0.12, 0.01]})
    >>> dealer_finding(table)  # doctest: +NORMALIZE_WHITESPACE
    'Rebuilt from 110 respondents: 4 of 4 rates of the Toyota Motor Sales U.S.A. dealer study lie inside the 95%
    intervals. Satisfied with the service only, 40.0% stay loyal to the dealer; satisfied with the sale only, 10.0%:
    service satisfaction matters more.'
    """
    inside = int(((table["low"] <= table["published_rate"]) & (table["published_rate"] <= table["high"])).sum())
    n = int(table.groupby(["sales", "service"])["n"].first().sum())
    to_dealer = table[table["outcome"] == "loyal_to_dealer"].set_index(["sales", "service"])["rate"]
    only_service, only_sales = to_dealer[("X", "O")], to_dealer[("O", "X")]
    rebuilt = _(
        "Rebuilt from {n} respondents: {inside} of {total} rates of the Toyota Motor Sales U.S.A. dealer "
        "study lie inside the 95% intervals."
    ).format(n=fmt.number(n, 0), inside=inside, total=len(table))
    if only_service > only_sales:
        template = _(
            "Satisfied with the service only, {service} stay loyal to the dealer; satisfied with the sale "
            "only, {sales}: service satisfaction matters more."
        )
    elif only_sales > only_service:
        template = _(
            "Satisfied with the service only, {service} stay loyal to the dealer; satisfied with the sale "
            "only, {sales}: sales satisfaction matters more."
        )
    else:
        template = _(
            "Satisfied with the service only, {service} stay loyal to the dealer; satisfied with the sale "
            "only, {sales}: both matter equally."
        )
    return _("{first} {second}").format(
        first=rebuilt, second=template.format(service=_pct(only_service), sales=_pct(only_sales))
    )


@dataclass
class DealerSection(Section):
    """The dealer table: loyalty to dealer and brand by sales x service satisfaction.

    Attributes
    ----------
    title : str
        Heading of the section in the report.
    table : DataFrame
        One row per sales x service cell and outcome: ``n``, ``loyal``, ``rate``,
        ``low``, ``high`` and the ``published_rate``.
    source : str
        The data-source line printed under the section's table and figure.
    """

    references = ("toyota_dealer_study", "wilson1927")

    def plot(self, ax=None):
        """Draw the section's figure.

        Parameters
        ----------
        ax : matplotlib.axes.Axes, optional
            Axes to draw on; a new figure when omitted.

        Returns
        -------
        matplotlib.axes.Axes
            The axes holding the figure.
        """
        if ax is None:
            import matplotlib.pyplot as plt

            _figure, ax = plt.subplots(figsize=(9, 4))
        cells = _shown(self.table, {"outcome": "outcome"})
        cells["cell"] = [
            _("sales {sales} / service {service}").format(sales=sales, service=service)
            for sales, service in zip(cells["sales"], cells["service"])
        ]
        plots.interval_plot(cells, x="cell", y="rate", low="low", high="high", hue="outcome", kind="bar", ax=ax)
        _relabel_legend(ax, {}, title=_("outcome"))
        ax.set(ylabel=_("share loyal"), xlabel="", title=_("Loyalty by sales x service satisfaction"), ylim=(0, 1))
        fmt.wrap_labels(ax, "x", width=14)
        plots.source_note(ax, self.source)
        return ax

    def tables(self) -> list:
        return [
            _styled(
                _shown(self.table, {"outcome": "outcome"}),
                self.title,
                self.source,
                percent=("rate", "low", "high", "published_rate"),
            )
        ]

    def results(self) -> dict:
        """Named results for the batch runner (``results.json``).

        Returns
        -------
        dict
            ``dealer_table``: the table's rows.
        """
        return {"dealer_table": {f"{r.sales}/{r.service} {r.outcome}": r.rate for r in self.table.itertuples()}}

    def finding(self) -> str:
        return dealer_finding(self.table)


@_guarded(N_("Dealer table"), fix=N_("run on more respondents"))
def dealer_section(settings: Settings) -> DealerSection | Skipped:
    """:func:`~csat_analysis.loyalty.dealer_table` on the study's data (only the simulator has the columns).

    Parameters
    ----------
    settings : Settings
        The study's checked parameters and data (from :func:`resolve_settings`).

    Returns
    -------
    DealerSection or Skipped
        Loyalty to dealer and brand per cell, against the published rates.
        A :class:`~csat_analysis.studies.core.Skipped` note says why the section
        could not run on these data and what would fix it.
    """
    title = _("Dealer table")
    if settings.dealer is None:
        return _skipped(
            N_("Dealer table"),
            N_(
                "the data have no flags for satisfaction with the sale and the service and "
                "for loyalty to dealer and brand"
            ),
            fix=N_("run on the simulator, `dataset='simulated'`"),
            source=settings.source,
        )
    dealer = settings.dealer
    table = loy.dealer_table(
        settings.data, dealer["sales"], dealer["service"], dealer["loyal"], weights=settings.weights
    )
    return DealerSection(title=title, table=table, source=settings.source)


# --- recommend: NPS groups ---------------------------------------------------------------


def recommend_finding(table: pd.DataFrame, nps) -> str:
    """The NPS with its interval and the three groups.

    Parameters
    ----------
    table : DataFrame
        One row per group (``group``, ``share``).
    nps : Estimate
        The Net Promoter Score with ``value``, ``low`` and ``high``.

    Returns
    -------
    str
        One Markdown sentence in the report's language.

    Examples
    --------
    >>> import pandas as pd
    >>> from types import SimpleNamespace
    >>> table = pd.DataFrame({"group": ["promoters", "passives", "detractors"], "share": [0.4, 0.35, 0.25]})
    >>> recommend_finding(table, SimpleNamespace(value=15.0, low=9.6, high=20.4))
    'The Net Promoter Score is +15.0 [+9.6, +20.4]: 40.0% promoters (9-10), 35.0% passives (7-8) and 25.0% detractors (0-6).'
    """
    shares = table.set_index("group")["share"]
    score = fmt.estimate(nps.value, nps.low, nps.high, kind="signed", decimals=1, bounds=(-100, 100))
    return _(
        "The Net Promoter Score is {score}: {promoters} promoters (9-10), {passives} passives (7-8) and "
        "{detractors} detractors (0-6)."
    ).format(
        score=score,
        promoters=_pct(shares["promoters"]),
        passives=_pct(shares["passives"]),
        detractors=_pct(shares["detractors"]),
    )


@dataclass
class RecommendSection(Section):
    """Promoters, passives and detractors of the 0-10 recommend item, and the NPS (Reichheld 2003).

    Attributes
    ----------
    title : str
        Heading of the section in the report.
    table : DataFrame
        One row per group (promoters, passives, detractors): ``share``, ``low``,
        ``high``.
    source : str
        The data-source line printed under the section's table and figure.
    nps : Estimate
        The Net Promoter Score with ``value``, ``low`` and ``high``.
    item : str
        Display name of the recommend item.
    """

    nps: Any = None
    item: str = ""
    references = ("reichheld2003", "wilson1927")

    def plot(self, ax=None):
        """Draw the section's figure.

        Parameters
        ----------
        ax : matplotlib.axes.Axes, optional
            Axes to draw on; a new figure when omitted.

        Returns
        -------
        matplotlib.axes.Axes
            The axes holding the figure.
        """
        shown = _shown(self.table, {"group": "nps group"})
        ax = plots.interval_plot(shown, x="group", y="share", low="low", high="high", kind="bar", ax=ax)
        ax.set(
            ylabel=_("share of customers"),
            xlabel=_("{item} (0-10)").format(item=self.item),
            title=_("Net Promoter groups"),
            ylim=(0, 1),
        )
        plots.source_note(ax, self.source)
        return ax

    def tables(self) -> list:
        return [
            _styled(
                _shown(self.table, {"group": "nps group"}), self.title, self.source, percent=("share", "low", "high")
            )
        ]

    def results(self) -> dict:
        """Named results for the batch runner (``results.json``).

        Returns
        -------
        dict
            ``nps``, ``nps_low``, ``nps_high`` and ``nps_groups``.
        """
        return {
            "nps": self.nps.value,
            "nps_low": self.nps.low,
            "nps_high": self.nps.high,
            "nps_groups": dict(zip(self.table["group"], self.table["share"])),
        }

    def finding(self) -> str:
        return recommend_finding(self.table, self.nps)


@_guarded(N_("Net Promoter groups"), fix=N_("check the recommend item's answers (0-10)"))
def recommend_section(settings: Settings) -> RecommendSection | Skipped:
    """NPS groups (0-6 / 7-8 / 9-10) of the recommend item, weighted through the survey design when weights exist.

    Parameters
    ----------
    settings : Settings
        The study's checked parameters and data (from :func:`resolve_settings`).

    Returns
    -------
    RecommendSection or Skipped
        The NPS groups and the score.
        A :class:`~csat_analysis.studies.core.Skipped` note says why the section
        could not run on these data and what would fix it.
    """
    from ..design import SurveyDesign

    title = N_("Net Promoter groups")
    if settings.recommend is None:
        return _skipped(
            title,
            N_("the data have no 0-10 recommend item"),
            fix=N_("name one with the `recommend` role or parameter"),
            source=settings.source,
        )
    data = settings.raw_data if settings.raw_data is not None else settings.data
    own = settings.recommend_scale
    if own is not None and (own.low, own.high) != (0, 10):
        recommend = settings.recommend
        return _skipped(
            title,
            N_("the recommend item {item} is on a {scale} scale, not 0-10"),
            fix=N_("name a 0-10 likelihood-to-recommend item"),
            source=settings.source,
            item=lambda: settings.shown(recommend),
            scale=_scale_text(own),
        )
    answers = pd.to_numeric(data[settings.recommend], errors="coerce")
    frame = pd.DataFrame({"answer": answers})
    frame["group"] = pd.cut(answers, [-0.5, 6.5, 8.5, 10.5], labels=["detractors", "passives", "promoters"])
    frame["group"] = frame["group"].astype(object)
    weights = None if settings.weights is None else data[settings.weights].to_numpy(dtype=float)
    design = SurveyDesign(frame, weights=weights)
    rows = []
    for group, (low, high) in NPS_GROUPS.items():
        flags = (frame["group"] == group).astype(float).where(frame["group"].notna())
        est = loy._share(
            flags.dropna().to_numpy(), None if weights is None else weights[flags.notna().to_numpy()], 0.95
        )
        rows.append(
            {
                "group": group,
                "answers": f"{low}-{high}",
                "n": int((frame["group"] == group).sum()),
                "share": est.value,
                "low": est.low,
                "high": est.high,
            }
        )
    nps = design.nps("answer")
    return RecommendSection(
        title=_(title),
        table=pd.DataFrame(rows),
        source=settings.source,
        nps=nps,
        item=settings.shown(settings.recommend),
    )


# --- key drivers ---------------------------------------------------------------------------


def _no_lag_text(table: pd.DataFrame, what: str) -> str:
    weakest = drv.weakest_important(table)
    if weakest is None:
        return (
            _("; no driver stands out as important, so there is no short stave.")
            if what == "driver"
            else _("; no construct stands out as important, so there is no short stave.")
        )
    name_column = "driver" if "driver" in table.columns else "construct"
    row = table.set_index(name_column).loc[weakest]
    template = (
        _(
            "; no important driver lags behind: the weakest of those of above-average importance, "
            "**{weakest}**, still performs above average ({performance}/100), so there is no short stave."
        )
        if what == "driver"
        else _(
            "; no important construct lags behind: the weakest of those of above-average importance, "
            "**{weakest}**, still performs above average ({performance}/100), so there is no short stave."
        )
    )
    return template.format(weakest=weakest, performance=fmt.number(row["performance"], 0))


def drivers_finding(table: pd.DataFrame, r2: float) -> str:
    """The variance explained, the most important driver and the short stave (or that none lags).

    Parameters
    ----------
    table : DataFrame
        The importance-performance table (``driver``, ``share``, ``performance``,
        ``weakest_high_importance``).
    r2 : float
        R² of the drivers' regression of satisfaction.

    Returns
    -------
    str
        Markdown sentences in the report's language.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"driver": ["Price", "Staff"], "share": [0.3, 0.7], "performance": [80.0, 55.0],
    ...                       "weakest_high_importance": [False, True]})
    >>> drivers_finding(table, 0.42)  # doctest: +NORMALIZE_WHITESPACE
    'The drivers explain R² = 0.42 of satisfaction; **Staff** matters most (70.0% of R²); the short stave is
    **Staff** (performance 55/100, the weakest of the drivers of above-average importance, below average).'
    """
    top = table.loc[table["share"].idxmax()]
    text = _("The drivers explain R² = {r2} of satisfaction; **{top}** matters most ({share} of R²)").format(
        r2=fmt.number(r2), top=top["driver"], share=_pct(top["share"])
    )
    stave = drv.short_stave(table)
    if stave is None:
        return text + _no_lag_text(table, "driver")
    row = table.set_index("driver").loc[stave]
    return text + _(
        "; the short stave is **{stave}** (performance {performance}/100, the weakest of the drivers of "
        "above-average importance, below average)."
    ).format(stave=stave, performance=fmt.number(row["performance"], 0))


@dataclass
class DriversSection(Section):
    """Section 4: importance (share of R², Shapley) against performance (0-100).

    Attributes
    ----------
    title : str
        Heading of the section in the report.
    table : DataFrame
        The importance-performance table, drivers under display names.
    source : str
        The data-source line printed under the section's table and figure.
    key : KeyDrivers or None
        The full result of :func:`csat_analysis.drivers.key_drivers`.
    settings : Settings
        The study's settings (display names of items and constructs).
    """

    key: drv.KeyDrivers | None = field(default=None, repr=False)
    settings: Settings | None = field(default=None, repr=False)
    references = ("martilla_james1977", "lindeman1980", "gromping2006")

    def plot(self, ax=None):
        """Draw the section's figure.

        Parameters
        ----------
        ax : matplotlib.axes.Axes, optional
            Axes to draw on; a new figure when omitted.

        Returns
        -------
        matplotlib.axes.Axes
            The axes holding the figure.
        """
        if ax is None:
            import matplotlib.pyplot as plt

            _figure, ax = plt.subplots(figsize=(7, 5))
        plots.importance_performance_plot(self._display(), ax=ax)
        ax.set(
            xlabel=_("performance (0-100)"), ylabel=_("share of R² (Shapley)"), title=_("Importance-performance matrix")
        )
        plots.separate_point_labels(ax)
        plots.source_note(ax, self.source)
        return ax

    def _display(self) -> pd.DataFrame:
        # the recorded driver names stay English; the report shows them in its language
        shown = _shown(self.table, {"quadrant": "quadrant"}, constructs=())
        if self.settings is not None:
            shown["driver"] = [self.settings.shown_construct(name) for name in shown["driver"]]
        return shown

    def tables(self) -> list:
        return [_styled(self._display(), self.title, self.source, percent=("share",))]

    def results(self) -> dict:
        """Named results for the batch runner (``results.json``).

        Returns
        -------
        dict
            ``key_drivers``, ``weakest_important_driver``, ``short_stave`` and
            ``short_stave_quadrant``.
        """
        return {
            "key_drivers": dict(zip(self.table["driver"], self.table["share"])),
            "short_stave": self.key.short_stave,
            "short_stave_quadrant": self.key.short_stave_quadrant,
            "weakest_important_driver": drv.weakest_important(self.table),
        }

    def finding(self) -> str:
        return drivers_finding(self._display(), self.key.r2)


@_guarded(N_("Key drivers of satisfaction"), fix=N_("check that the drivers vary, or run on more respondents"))
def drivers_section(settings: Settings) -> DriversSection | Skipped:
    """:func:`csat_analysis.drivers.key_drivers` of satisfaction (weighted when the run has weights).

    Parameters
    ----------
    settings : Settings
        The study's checked parameters and data (from :func:`resolve_settings`).

    Returns
    -------
    DriversSection or Skipped
        Importance against performance of each driver.
        A :class:`~csat_analysis.studies.core.Skipped` note says why the section
        could not run on these data and what would fix it.
    """
    if not settings.drivers:
        return _skipped(
            N_("Key drivers of satisfaction"),
            N_("the survey description names no drivers"),
            fix=N_("name them with the `drivers` role or parameter"),
            source=settings.source,
        )
    key = drv.key_drivers(
        settings.data, settings.satisfaction, settings.drivers, settings.driver_scale, weights=settings.weights
    )
    table = key.table.assign(driver=[settings.label(d) for d in key.table["driver"]])
    key = drv.KeyDrivers(table, key.r2, key.n, key.method, key.weighted)
    return DriversSection(
        title=_("Key drivers of satisfaction"), table=table, source=settings.source, key=key, settings=settings
    )


# --- the satisfaction index model ------------------------------------------------------


def negative_index_weights(pls_fit, scale) -> pd.DataFrame:
    """Items whose normalised index weight is negative: ``item``, ``construct``, ``weight``.

    :meth:`~csat_analysis.pls.PLSResult.index` keeps such weights; this table lets a
    report show them (an item pulling its construct's index down usually means it is
    collinear with a sibling item or measures something else). ``scale``: the items'
    scale, or ``{item: (low, high)}``.

    Parameters
    ----------
    pls_fit : PLSResult
        A fitted PLS model.
    scale : Scale or dict of str to tuple of float
        The items' scale, or each item's ``(low, high)``.

    Returns
    -------
    DataFrame
        One row per item with a negative weight: ``item``, ``construct``, ``weight``.
    """
    if not isinstance(scale, Mapping):
        scale = Scale.coerce(scale)
        scale = (scale.low, scale.high)
    negative = pls_fit.index(scale=scale).negative_weights
    return negative[["item", "construct", "weight"]].reset_index(drop=True)


def negative_weights_finding(table: pd.DataFrame) -> str:
    """One sentence: no negative index weight, or which items have one and what that means.

    Parameters
    ----------
    table : DataFrame
        From :func:`negative_index_weights`.

    Returns
    -------
    str
        One Markdown sentence in the report's language.

    Examples
    --------
    >>> import pandas as pd
    >>> negative_weights_finding(pd.DataFrame({"item": [], "construct": [], "weight": []}))
    'Every item has a positive weight in its index.'
    >>> negative_weights_finding(pd.DataFrame({"item": ["q1"], "construct": ["Quality"], "weight": [-0.05]}))
    '1 item has a negative index weight (q1 in Quality, -0.05): it lowers its index as its score rises; the index keeps it as estimated, so read that construct with care (the item is probably collinear with its siblings).'
    """
    if table.empty:
        return _("Every item has a positive weight in its index.")
    listed = _(", ").join(
        _("{item} in {construct}, {weight}").format(item=r.item, construct=r.construct, weight=fmt.number(r.weight))
        for r in table.itertuples()
    )
    return ngettext(
        "{n} item has a negative index weight ({listed}): it lowers its index as its score rises; the "
        "index keeps it as estimated, so read that construct with care (the item is probably collinear "
        "with its siblings).",
        "{n} items have a negative index weight ({listed}): they lower their index as their score rises; "
        "the index keeps them as estimated, so read that construct with care (the items are probably "
        "collinear with their siblings).",
        len(table),
    ).format(n=len(table), listed=listed)


def paths_finding(paths: pd.DataFrame, r2: pd.Series, n_resamples: int) -> str:
    """Significant paths (bootstrap interval excluding zero), the strongest path and the R² values.

    Parameters
    ----------
    paths : DataFrame
        Path coefficients: ``source``, ``target``, ``original``, ``low``, ``high``.
    r2 : Series
        R² of each endogenous construct.
    n_resamples : int
        Bootstrap resamples behind the intervals.

    Returns
    -------
    str
        Markdown sentences in the report's language.

    Examples
    --------
    >>> import pandas as pd
    >>> paths = pd.DataFrame({"source": ["A", "B"], "target": ["S", "S"], "original": [0.5, 0.05],
    ...                       "low": [0.4, -0.1], "high": [0.6, 0.2]})
    >>> paths_finding(paths, pd.Series({"S": 0.31}), 1000)
    '1 of 2 paths have 95% bootstrap intervals (1,000 resamples) that exclude zero; the strongest is A -> S (0.50 [0.40, 0.60]). R² of the endogenous constructs: S 0.31.'
    """
    strongest = paths.loc[paths["original"].abs().idxmax()]
    significant = int(((paths["low"] > 0) | (paths["high"] < 0)).sum())
    value = fmt.estimate(strongest["original"], strongest["low"], strongest["high"], kind="number")
    r2_text = _(", ").join(_("{construct} {r2}").format(construct=k, r2=fmt.number(v)) for k, v in r2.items())
    return ngettext(
        "{significant} of {n} paths have 95% bootstrap intervals ({resamples} resamples) that exclude "
        "zero; the strongest is {source} -> {target} ({value}). R² of the endogenous constructs: {r2}.",
        "{significant} of {n} paths have 95% bootstrap intervals ({resamples} resamples) that exclude "
        "zero; the strongest is {source} -> {target} ({value}). R² of the endogenous constructs: {r2}.",
        len(paths),
    ).format(
        significant=significant,
        n=len(paths),
        resamples=fmt.number(n_resamples, 0),
        source=strongest["source"],
        target=strongest["target"],
        value=value,
        r2=r2_text,
    )


def index_finding(results: Mapping, method: str, source: str) -> str:
    """The satisfaction and loyalty indices with intervals, the method and the source.

    Parameters
    ----------
    results : Mapping
        ``satisfaction_index`` and ``loyalty_index`` with their ``_low`` and ``_high``.
    method : str
        How the indices were computed, in words.
    source : str
        The data-source line.

    Returns
    -------
    str
        One Markdown sentence in the report's language.

    Examples
    --------
    >>> index_finding({"satisfaction_index": 70.04, "satisfaction_index_low": 68.0, "satisfaction_index_high": 72.0,
    ...                "loyalty_index": 60.0, "loyalty_index_low": 57.5, "loyalty_index_high": 62.5}, "item means", "x")
    'Satisfaction index 70.0 [68.0, 72.0] and loyalty index 60.0 [57.5, 62.5], out of 100 (item means, 95% intervals). Source: x.'
    """

    def shown(measure):
        return fmt.estimate(
            results[f"{measure}_index"],
            results[f"{measure}_index_low"],
            results[f"{measure}_index_high"],
            kind="number",
            decimals=1,
            bounds=(0, 100),
        )

    return _(
        "Satisfaction index {satisfaction} and loyalty index {loyalty}, out of 100 ({method}, 95% intervals). "
        "Source: {source}."
    ).format(satisfaction=shown("satisfaction"), loyalty=shown("loyalty"), method=method, source=source)


@dataclass
class IndexModel:
    """The study's index model: the PLS model with bootstrap intervals, or plain mean indices.

    Attributes
    ----------
    pls_fit, boot : PLSResult and BootstrapResult, or None with ``model="none"``
        (or when the model cannot be estimated: ``failure`` says why)
    indices : DataFrame
        ``measure`` ("satisfaction", "loyalty"), ``index``, ``low``, ``high`` (0-100).
    paths : DataFrame or None
        ``source``, ``target``, ``original``, ``se``, ``low``, ``high`` (bootstrap).
    negative_weights : DataFrame
        :func:`negative_index_weights` (empty without a model).
    method : str
        How the indices and their intervals were computed, in words.
    settings : Settings
    failure : str
        Why the PLS model could not be estimated ("" when it was, or was not asked for).
    seed : int
    """

    pls_fit: object
    boot: object
    indices: pd.DataFrame
    paths: pd.DataFrame | None
    negative_weights: pd.DataFrame
    method: str
    settings: Settings = field(repr=False)
    failure: str = ""
    seed: int = 0

    def constructs(self) -> pd.DataFrame:
        """Per construct: R² (endogenous only) and reliability (alpha, rhoC, AVE, rhoA).

        Returns
        -------
        DataFrame
            One row per construct: ``construct``, ``R²`` (endogenous constructs only)
            and the reliability columns.
        """
        table = self.pls_fit.reliability.copy()
        table.insert(0, "R²", self.pls_fit.r2.reindex(table.index))
        return table.rename_axis("construct").reset_index()


def _mean_indices(settings: Settings) -> tuple[pd.DataFrame, str]:
    rows = []
    for measure, items, scale in (
        ("satisfaction", settings.satisfaction, settings.scale),
        ("loyalty", settings.loyalty, settings.loyalty_scale),
    ):
        est = loy.mean_index(settings.data, items, scale=scale, weights=settings.weights)
        rows.append({"measure": measure, "index": est.value, "low": est.low, "high": est.high})
    method = (
        _("item means rescaled to 0-100, weighted, design-based intervals")
        if settings.weights
        else _("item means rescaled to 0-100, t intervals")
    )
    return pd.DataFrame(rows), method


def index_model(settings: Settings, *, bootstrap: int = 1000, seed: int = 0) -> IndexModel:
    """Estimate the study's index model (:meth:`Settings.model_spec`) with bootstrap intervals.

    PLS is unweighted (PLS-SEM has no design weights); each item is rescaled to 0-100
    from its own scale. With ``model="none"`` the indices are the (weighted, when the
    run has weights) item means rescaled to 0-100 (:func:`csat_analysis.loyalty.mean_index`).
    A PLS model that cannot be estimated on the data falls back to those mean indices
    and says why in ``failure``. Negative index weights are not warned about but
    returned in ``negative_weights``.

    Parameters
    ----------
    settings : Settings
        The study's checked parameters and data (from :func:`resolve_settings`).
    bootstrap : int
        Bootstrap resamples of the intervals.
    seed : int
        Random seed of the bootstrap.

    Returns
    -------
    IndexModel
        The fitted model, its indices and paths (mean indices with ``model="none"``
        or when the model cannot be estimated).
    """
    spec = settings.model_spec()
    empty = pd.DataFrame(columns=["item", "construct", "weight"])
    if spec is None:
        indices, method = _mean_indices(settings)
        return IndexModel(None, None, indices, None, empty, method, settings, seed=seed)
    scales = settings.pls_scales([i for items in spec[0].values() for i in items])
    try:
        pls_fit = pls.estimate(settings.data, *spec)
        negative = negative_index_weights(pls_fit, scales)
        boot = pls_fit.bootstrap(n=bootstrap, seed=seed, scale=scales)
    except (CsatError, np.linalg.LinAlgError) as error:
        indices, method = _mean_indices(settings)
        return IndexModel(None, None, indices, None, empty, method, settings, failure=_reason(error), seed=seed)
    table = boot.indices.set_index("source")
    indices = pd.DataFrame(
        [
            {
                "measure": measure,
                "index": table.loc[construct, "original"],
                "low": table.loc[construct, "low"],
                "high": table.loc[construct, "high"],
            }
            for measure, construct in (("satisfaction", "Satisfaction"), ("loyalty", "Loyalty"))
        ]
    )
    paths = boot.paths[["source", "target", "original", "se", "low", "high"]]
    method = _("PLS index, unweighted, percentile bootstrap intervals from {n} resamples").format(
        n=fmt.number(boot.n_resamples, 0)
    )
    return IndexModel(pls_fit, boot, indices, paths, negative, method, settings, seed=seed)


def _no_model(title: str, model: IndexModel) -> Skipped:
    if model.failure:
        return _skipped(
            title,
            N_("the PLS model cannot be estimated on these data ({reason})"),
            fix=N_("run on more respondents, or set `model='none'`"),
            source=model.settings.source,
            reason=model.failure,
        )
    return _skipped(
        title,
        N_("this run has no PLS model (`model='none'`)"),
        fix=N_("set `model` to 'ecsi' or 'simple'"),
        source=model.settings.source,
    )


_NUMBER_LABEL = re.compile(r"^-?\d+\.\d+$")


@dataclass
class PathsSection(Section):
    """Section 5: the PLS path model (paths with bootstrap intervals, construct quality, negative index weights).

    Attributes
    ----------
    title : str
        Heading of the section in the report.
    table : DataFrame
        Path coefficients with bootstrap intervals (``source``, ``target``,
        ``original``, ``se``, ``low``, ``high``).
    source : str
        The data-source line printed under the section's table and figure.
    model : IndexModel
        The index model the paths come from.
    """

    model: IndexModel | None = field(default=None, repr=False)
    references = ("tenenhaus2005", "hair2017", "efron_tibshirani1993")

    def plot(self, ax=None):
        """Draw the section's figure.

        Parameters
        ----------
        ax : matplotlib.axes.Axes, optional
            Axes to draw on; a new figure when omitted.

        Returns
        -------
        matplotlib.axes.Axes
            The axes holding the figure.
        """
        if ax is None:
            import matplotlib.pyplot as plt

            _figure, ax = plt.subplots(figsize=(10, 6))
        self.model.pls_fit.plot(ax=ax)
        settings = self.model.settings
        for text in ax.texts:  # path labels: one formatter, so a tiny negative path never shows as "-0.00"
            if _NUMBER_LABEL.match(text.get_text()):
                text.set_text(fmt.number(float(text.get_text())))
            else:  # a construct's box: its name (and R²) in the report's language
                name, *rest = text.get_text().split("\n")
                text.set_text("\n".join([settings.shown_construct(name), *rest]))
        ax.set_title(_("PLS path model: standardised paths, R² in the boxes"))
        plots.source_note(ax, self.source)
        return ax

    def _names(self, table: pd.DataFrame, words=None) -> pd.DataFrame:
        return _display(table, self.model.settings, words)

    def tables(self) -> list:
        shown = [
            _styled(self._names(self.table), _("Paths with percentile bootstrap intervals"), self.source),
            _styled(self._names(self.model.constructs()), _("Constructs: R² and reliability"), self.source),
        ]
        if len(self.model.negative_weights):
            shown.append(
                _styled(self._names(self.model.negative_weights), _("Items with a negative index weight"), self.source)
            )
        return shown

    def results(self) -> dict:
        """Named results for the batch runner (``results.json``).

        Returns
        -------
        dict
            ``ecsi_paths``: the paths with their bootstrap intervals.
        """
        return {"ecsi_paths": {f"{r.source}->{r.target}": r.original for r in self.table.itertuples()}}

    def finding(self) -> str:
        r2 = self.model.pls_fit.r2
        r2 = pd.Series(r2.to_numpy(), index=[self.model.settings.shown_construct(name) for name in r2.index])
        return _("{first} {second}").format(
            first=paths_finding(self._names(self.table), r2, self.model.boot.n_resamples),
            second=negative_weights_finding(self._names(self.model.negative_weights)),
        )


def _display(table: pd.DataFrame, settings: Settings, words=None) -> pd.DataFrame:
    """:func:`_shown` with the study's construct names (single-item drivers by their labels)."""
    return _shown(table, words, name=settings.shown_construct)


def paths_section(model: IndexModel) -> PathsSection | Skipped:
    """The path model of :func:`index_model` (skipped with ``model='none'`` or when it cannot be estimated).

    Parameters
    ----------
    model : IndexModel
        The study's index model (from :func:`index_model`).

    Returns
    -------
    PathsSection or Skipped
        The paths, construct quality and negative index weights.
        A :class:`~csat_analysis.studies.core.Skipped` note says why the section
        could not run on these data and what would fix it.
    """
    if model.pls_fit is None:
        return _no_model(N_("PLS path model"), model)
    return PathsSection(title=_("PLS path model"), table=model.paths, source=model.settings.source, model=model)


@dataclass
class IndicesSection(Section):
    """The satisfaction and loyalty indices (0-100) with their intervals.

    Attributes
    ----------
    title : str
        Heading of the section in the report.
    table : DataFrame
        ``measure``, ``index``, ``low``, ``high`` (0-100).
    source : str
        The data-source line printed under the section's table and figure.
    method : str
        How the indices and their intervals were computed, in words.
    """

    method: str = ""
    references = ("fornell1996",)

    def tables(self) -> list:
        return [_styled(_shown(self.table, {"measure": "measure"}), self.title, self.source)]

    def results(self) -> dict:
        """Named results for the batch runner (``results.json``).

        Returns
        -------
        dict
            ``satisfaction_index`` and ``loyalty_index``, each with ``_low`` and
            ``_high``.
        """
        results = {}
        for measure, value, low, high in self.table[["measure", "index", "low", "high"]].itertuples(index=False):
            results.update(
                {
                    f"{measure}_index": float(value),
                    f"{measure}_index_low": float(low),
                    f"{measure}_index_high": float(high),
                }
            )
        return results

    def finding(self) -> str:
        return index_finding(self.results(), self.method, self.source)


def indices_section(model: IndexModel) -> IndicesSection:
    """The indices of :func:`index_model` (PLS indices, or item means with ``model='none'``).

    Parameters
    ----------
    model : IndexModel
        The study's index model (from :func:`index_model`).

    Returns
    -------
    IndicesSection
        The satisfaction and loyalty indices.
    """
    return IndicesSection(
        title=_("Satisfaction and loyalty indices (0-100)"),
        table=model.indices,
        source=model.settings.source,
        method=model.method,
    )


def ipma_finding(table: pd.DataFrame, target: str = "Satisfaction") -> str:
    """The construct with the largest unstandardised total effect and the map's short stave (or that none lags).

    Parameters
    ----------
    table : DataFrame
        From :func:`csat_analysis.drivers.ipma` (``construct``, ``importance``,
        ``performance``, ``weakest_high_importance``).
    target : str
        Display name of the target construct.

    Returns
    -------
    str
        One Markdown sentence in the report's language.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"construct": ["Image", "Value"], "importance": [0.12, 0.31],
    ...                       "performance": [70.0, 62.0], "weakest_high_importance": [False, True]})
    >>> ipma_finding(table)
    'In the PLS model, one point more on **Value** (0-100) moves the Satisfaction index most (0.31 points); the short stave of the map is **Value** (performance 62/100).'
    """
    top = table.loc[table["importance"].idxmax()]
    text = _(
        "In the PLS model, one point more on **{construct}** (0-100) moves the {target} index most "
        "({importance} points)"
    ).format(construct=top["construct"], target=target, importance=fmt.number(top["importance"]))
    stave = drv.short_stave(table)
    if stave is None:
        return text + _no_lag_text(table, "construct")
    row = table.set_index("construct").loc[stave]
    return text + _("; the short stave of the map is **{stave}** (performance {performance}/100).").format(
        stave=stave, performance=fmt.number(row["performance"], 0)
    )


@dataclass
class IpmaSection(Section):
    """The importance-performance map of the PLS model (Ringle and Sarstedt 2016).

    Attributes
    ----------
    title : str
        Heading of the section in the report.
    table : DataFrame
        From :func:`csat_analysis.drivers.ipma`: importance and performance per construct.
    source : str
        The data-source line printed under the section's table and figure.
    target : str
        The target construct.
    settings : Settings
        The study's settings (display names of items and constructs).
    """

    target: str = "Satisfaction"
    settings: Settings | None = field(default=None, repr=False)
    references = ("ringle_sarstedt2016",)

    def _display(self) -> pd.DataFrame:
        words = {"quadrant": "quadrant"}
        return _display(self.table, self.settings, words) if self.settings is not None else _shown(self.table, words)

    def _target(self) -> str:
        return self.settings.shown_construct(self.target) if self.settings is not None else _construct(self.target)

    def plot(self, ax=None):
        """Draw the section's figure.

        Parameters
        ----------
        ax : matplotlib.axes.Axes, optional
            Axes to draw on; a new figure when omitted.

        Returns
        -------
        matplotlib.axes.Axes
            The axes holding the figure.
        """
        if ax is None:
            import matplotlib.pyplot as plt

            _figure, ax = plt.subplots(figsize=(7, 5))
        plots.importance_performance_plot(self._display(), y="importance", label="construct", ax=ax)
        ax.set(
            xlabel=_("performance (0-100 index)"),
            ylabel=_("total effect on {target} (unstandardised)").format(target=self._target()),
            title=_("Importance-performance map (PLS)"),
        )
        plots.separate_point_labels(ax)
        plots.source_note(ax, self.source)
        return ax

    def tables(self) -> list:
        return [_styled(self._display(), self.title, self.source)]

    def results(self) -> dict:
        """Named results for the batch runner (``results.json``).

        Returns
        -------
        dict
            ``ipma_short_stave``.
        """
        return {"ipma_short_stave": drv.short_stave(self.table)}

    def finding(self) -> str:
        return ipma_finding(self._display(), self._target())


@_guarded(N_("Importance-performance map"), fix=N_("run on more respondents"))
def ipma_section(model: IndexModel, target: str = "Satisfaction") -> IpmaSection | Skipped:
    """:func:`csat_analysis.drivers.ipma` of the PLS model (skipped without one).

    Parameters
    ----------
    model : IndexModel
        The study's index model (from :func:`index_model`).
    target : str
        The target construct of the map.

    Returns
    -------
    IpmaSection or Skipped
        The importance-performance map.
        A :class:`~csat_analysis.studies.core.Skipped` note says why the section
        could not run on these data and what would fix it.
    """
    title = N_("Importance-performance map")
    if model.pls_fit is None:
        return _no_model(title, model)
    scales = model.settings.pls_scales(model.pls_fit.weights.index)
    table = drv.ipma(model.pls_fit, target, scale=scales)
    return IpmaSection(
        title=_(title), table=table, source=model.settings.source, target=target, settings=model.settings
    )


# --- PLS assessment: collinearity, discriminant validity, effect sizes, mediation, prediction


def _pair(row) -> str:
    return f"{row['construct_a']}-{row['construct_b']}"


def assessment_finding(htmt: pd.DataFrame, vif: pd.DataFrame, f_squared: pd.DataFrame, indirect: pd.DataFrame) -> str:
    """Discriminant validity (HTMT), collinearity (VIF), the largest f² and the specific indirect effects.

    Parameters
    ----------
    htmt : DataFrame
        HTMT per construct pair with intervals and verdicts.
    vif : DataFrame
        Outer and inner VIFs.
    f_squared : DataFrame
        Cohen's f² per path.
    indirect : DataFrame
        Specific indirect effects with bootstrap intervals.

    Returns
    -------
    str
        Markdown sentences in the report's language.

    Examples
    --------
    >>> import pandas as pd
    >>> htmt = pd.DataFrame({"construct_a": ["A", "A"], "construct_b": ["B", "C"], "htmt": [0.91, 0.5],
    ...                      "low": [0.8, 0.4], "high": [1.02, 0.6], "discriminant_085": [False, True],
    ...                      "discriminant_090": [False, True]})
    >>> vif = pd.DataFrame({"kind": ["outer", "inner"], "vif": [2.5, 1.4]})
    >>> f2 = pd.DataFrame({"source": ["A"], "target": ["B"], "f2": [0.4], "effect": ["large"]})
    >>> indirect = pd.DataFrame({"source": ["A"], "target": ["C"], "through": ["B"], "effect": [0.2],
    ...                          "low": [0.1], "high": [0.3], "significant": [True]})
    >>> print(assessment_finding(htmt, vif, f2, indirect))  # doctest: +NORMALIZE_WHITESPACE
    Discriminant validity (HTMT below 0.85, upper bound of its 95% bootstrap interval included) holds for 1 of 2
    construct pairs; not established: A-B (0.91 [0.80, 1.02]). The largest VIF is 2.50 among the items and 1.40
    among the antecedents of a construct (above 5 would be critical). The largest effect size is A -> B
    (f² = 0.40, large); 1 of 1 specific indirect effects have intervals excluding zero, the largest A -> B -> C
    (0.20 [0.10, 0.30]).
    """
    defined = htmt.dropna(subset=["htmt"])
    failing = defined[~defined["discriminant_085"].astype(bool)]
    fields = dict(holding=len(defined) - len(failing), n=len(defined))
    if len(failing):
        fields["listed"] = _(", ").join(
            _("{pair} ({value})").format(
                pair=_pair(r), value=fmt.estimate(r["htmt"], r["low"], r["high"], kind="number")
            )
            for _row, r in failing.sort_values("htmt", ascending=False).head(4).iterrows()
        )
        if len(failing) > 4:
            fields["listed"] = _("{listed} and {more} more").format(listed=fields["listed"], more=len(failing) - 4)
        text = _(
            "Discriminant validity (HTMT below 0.85, upper bound of its 95% bootstrap interval included) holds "
            "for {holding} of {n} construct pairs; not established: {listed}."
        ).format(**fields)
    else:
        text = _(
            "Discriminant validity (HTMT below 0.85, upper bound of its 95% bootstrap interval included) holds "
            "for {holding} of {n} construct pairs."
        ).format(**fields)
    largest = vif.groupby("kind")["vif"].max()
    sentences = [
        text,
        _(
            "The largest VIF is {outer} among the items and {inner} among the antecedents of a construct "
            "(above 5 would be critical)."
        ).format(outer=fmt.number(largest.get("outer", np.nan)), inner=fmt.number(largest.get("inner", np.nan))),
    ]
    if len(indirect):
        strongest = indirect.loc[indirect["effect"].abs().idxmax()]
        chain = " -> ".join([strongest["source"], strongest["through"], strongest["target"]])
        indirect_text = _(
            "{significant} of {n} specific indirect effects have intervals excluding zero, the largest "
            "{chain} ({value})."
        ).format(
            significant=int(indirect["significant"].sum()),
            n=len(indirect),
            chain=chain,
            value=fmt.estimate(strongest["effect"], strongest["low"], strongest["high"], kind="number"),
        )
    else:
        indirect_text = _("the model has no indirect effects.")
    if len(f_squared):
        top = f_squared.loc[f_squared["f2"].idxmax()]
        sentences.append(
            _("The largest effect size is {source} -> {target} (f² = {f2}, {effect}); {indirect}").format(
                source=top["source"],
                target=top["target"],
                f2=fmt.number(top["f2"]),
                effect=top["effect"],
                indirect=indirect_text,
            )
        )
    else:
        sentences[-1] = _("{vif}; {indirect}").format(vif=sentences[-1], indirect=indirect_text)
    return _sentences(*sentences)


def _sentences(*parts: str) -> str:
    """Sentences of one finding joined as the current language joins them (a space in English, none in Chinese)."""
    text = parts[0]
    for part in parts[1:]:
        text = _("{first} {second}").format(first=text, second=part)
    return text


@dataclass
class AssessmentSection(Section):
    """The PLS assessment a reviewer asks for: HTMT, VIF, f² and specific indirect effects.

    Attributes
    ----------
    title : str
        Heading of the section in the report.
    table : DataFrame
        HTMT per construct pair with bootstrap intervals and the 0.85/0.90 verdicts.
    source : str
        The data-source line printed under the section's table and figure.
    vif : DataFrame or None
        Collinearity: outer (item) and inner (construct) VIFs.
    f_squared : DataFrame or None
        Cohen's f² of each path.
    indirect : DataFrame or None
        Specific indirect effects with bootstrap intervals.
    settings : Settings
        The study's settings (display names of items and constructs).
    """

    vif: pd.DataFrame | None = field(default=None, repr=False)
    f_squared: pd.DataFrame | None = field(default=None, repr=False)
    indirect: pd.DataFrame | None = field(default=None, repr=False)
    settings: Settings | None = field(default=None, repr=False)
    references = ("henseler2015", "hair2017", "cohen1988", "zhao2010")

    def _names(self, table: pd.DataFrame, words=None) -> pd.DataFrame:
        if self.settings is None:
            return _shown(table, words)
        return _display(table, self.settings, words)

    def _inner_names(self, vif: pd.DataFrame) -> pd.DataFrame:
        # the inner VIFs' variables are constructs (the antecedents), the outer ones items
        name = self.settings.shown_construct if self.settings is not None else _construct
        inner = self.vif["kind"].to_numpy() == "inner"
        return vif.assign(variable=[name(v) if is_inner else v for v, is_inner in zip(vif["variable"], inner)])

    def tables(self) -> list:
        htmt = self._names(
            self.table[["construct_a", "construct_b", "htmt", "low", "high", "verdict"]], {"verdict": "verdict"}
        )
        return [
            _styled(htmt, _("Discriminant validity: HTMT with 95% bootstrap intervals"), self.source),
            _styled(
                self._inner_names(self._names(self.vif, {"kind": "kind", "flag": "flag"})),
                _("Collinearity: VIF of the items (outer) and of each construct's antecedents (inner)"),
                self.source,
            ),
            _styled(self._names(self.f_squared, {"effect": "effect"}), _("Effect sizes f² of the paths"), self.source),
            _styled(
                self._names(self.indirect.drop(columns=["mean"])),
                _("Specific indirect effects with 95% bootstrap intervals"),
                self.source,
            ),
        ]

    def results(self) -> dict:
        """Named results for the batch runner (``results.json``).

        Returns
        -------
        dict
            ``htmt_not_established``, ``max_vif_outer``, ``max_vif_inner`` and
            ``indirect_effects_significant``.
        """
        defined = self.table.dropna(subset=["htmt"])
        return {
            "htmt_not_established": [_pair(r) for _index, r in defined.iterrows() if not r["discriminant_085"]],
            "max_vif_inner": float(self.vif.loc[self.vif["kind"] == "inner", "vif"].max()),
            "max_vif_outer": float(self.vif.loc[self.vif["kind"] == "outer", "vif"].max()),
            "indirect_effects_significant": int(self.indirect["significant"].sum()),
        }

    def finding(self) -> str:
        return assessment_finding(
            self._names(self.table),
            self.vif,
            self._names(self.f_squared, {"effect": "effect"}),
            self._names(self.indirect),
        )

    def headline(self) -> str:
        table = self._names(self.table)
        defined = table.dropna(subset=["htmt"])
        failing = defined[~defined["discriminant_085"].astype(bool)]
        fields = dict(holding=len(defined) - len(failing), n=len(defined))
        if failing.empty:
            return _(
                "Discriminant validity (HTMT, Henseler et al. 2015) holds for {holding} of {n} construct pairs."
            ).format(**fields)
        worst = failing.loc[failing["htmt"].idxmax()]
        return _(
            "Discriminant validity (HTMT, Henseler et al. 2015) holds for {holding} of {n} construct pairs; the "
            "closest pair is {pair} ({value})."
        ).format(
            pair=_pair(worst), value=fmt.estimate(worst["htmt"], worst["low"], worst["high"], kind="number"), **fields
        )


@_guarded(N_("PLS model assessment"), fix=N_("run on more respondents"))
def assessment_section(model: IndexModel) -> AssessmentSection | Skipped:
    """``fit.vif()``, ``fit.f_squared()``, ``boot.htmt()`` and ``boot.indirect_effects()`` of the index model.

    Parameters
    ----------
    model : IndexModel
        The study's index model (from :func:`index_model`).

    Returns
    -------
    AssessmentSection or Skipped
        HTMT, VIF, f² and indirect effects of the model.
        A :class:`~csat_analysis.studies.core.Skipped` note says why the section
        could not run on these data and what would fix it.
    """
    title = N_("PLS model assessment")
    if model.pls_fit is None:
        return _no_model(title, model)
    return AssessmentSection(
        title=_(title),
        table=model.boot.htmt(),
        source=model.settings.source,
        vif=model.pls_fit.vif(),
        f_squared=model.pls_fit.f_squared(),
        indirect=model.boot.indirect_effects(),
        settings=model.settings,
    )


def prediction_finding(table: pd.DataFrame, power: str, folds: int, repeats: int) -> str:
    """PLSpredict's verdict: predictive power, items where PLS beats the LM benchmark, Q²predict range.

    Parameters
    ----------
    table : DataFrame
        PLSpredict per item (``item``, ``q2_predict``, ``pls_beats_lm``).
    power : str
        The predictive-power verdict.
    folds, repeats : int
        The cross-validation design.

    Returns
    -------
    str
        Markdown sentences in the report's language.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"item": ["a", "b"], "q2_predict": [0.12, 0.4], "pls_beats_lm": [True, False]})
    >>> prediction_finding(table, "medium", 10, 10)  # doctest: +NORMALIZE_WHITESPACE
    'Out of sample (PLSpredict, 10 x 10-fold), the model has medium predictive power: PLS predicts 1 of 2 items
    with a lower RMSE than the linear-model benchmark, and Q²predict runs from 0.12 to 0.40 (above 0: better than
    the training mean).'
    """
    return _(
        "Out of sample (PLSpredict, {repeats} x {folds}-fold), the model has {power} predictive power: PLS "
        "predicts {better} of {n} items with a lower RMSE than the linear-model benchmark, and Q²predict runs "
        "from {low} to {high} (above 0: better than the training mean)."
    ).format(
        repeats=repeats,
        folds=folds,
        power=power,
        better=int(table["pls_beats_lm"].sum()),
        n=len(table),
        low=fmt.number(table["q2_predict"].min()),
        high=fmt.number(table["q2_predict"].max()),
    )


@dataclass
class PredictionSection(Section):
    """PLSpredict: out-of-sample Q²predict, RMSE and MAE against the linear-model benchmark.

    Attributes
    ----------
    title : str
        Heading of the section in the report.
    table : DataFrame
        PLSpredict per endogenous item: Q²predict, RMSE and MAE of PLS and the
        linear-model benchmark.
    source : str
        The data-source line printed under the section's table and figure.
    power : str
        The predictive-power verdict.
    folds, repeats : int
        Folds and repetitions of the cross-validation.
    settings : Settings
        The study's settings (display names of items and constructs).
    """

    power: str = ""
    folds: int = 10
    repeats: int = 10
    settings: Settings | None = field(default=None, repr=False)
    references = ("shmueli2019",)

    def _names(self, table: pd.DataFrame) -> pd.DataFrame:
        return _display(table, self.settings) if self.settings is not None else _shown(table)

    def plot(self, ax=None):
        """Draw the section's figure.

        Parameters
        ----------
        ax : matplotlib.axes.Axes, optional
            Axes to draw on; a new figure when omitted.

        Returns
        -------
        matplotlib.axes.Axes
            The axes holding the figure.
        """
        if ax is None:
            import matplotlib.pyplot as plt

            _figure, ax = plt.subplots(figsize=(8, 4))
        ratio = self.table.assign(ratio=self.table["rmse"] / self.table["rmse_lm"])
        colours = np.where(ratio["pls_beats_lm"], "#4c72b0", "#c44e52")
        ax.bar(ratio["item"].astype(str), ratio["ratio"], color=colours)
        ax.axhline(1, color="0.3", linestyle="--", linewidth=1)
        ax.set(
            ylabel=_("RMSE of PLS / RMSE of the LM"),
            xlabel=_("item"),
            title=_("PLSpredict: below 1, PLS predicts better"),
        )
        fmt.wrap_labels(ax, "x", width=10)
        plots.source_note(ax, self.source)
        return ax

    def tables(self) -> list:
        shown = self.table[["construct", "item", "q2_predict", "rmse", "rmse_lm", "mae", "mae_lm", "pls_beats_lm"]]
        return [_styled(self._names(shown), self.title, self.source)]

    def results(self) -> dict:
        """Named results for the batch runner (``results.json``).

        Returns
        -------
        dict
            ``predictive_power`` and ``q2_predict``.
        """
        return {
            "predictive_power": self.power,
            "q2_predict": dict(zip(self.table["item"].astype(str), self.table["q2_predict"])),
        }

    def finding(self) -> str:
        power = _vocabulary()["power"].get(self.power, self.power)
        return prediction_finding(self.table, power, self.folds, self.repeats)


@_guarded(
    N_("Out-of-sample prediction (PLSpredict)"), fix=N_("run on more respondents (each of 10 folds needs several)")
)
def prediction_section(model: IndexModel, *, folds: int = 10, repeats: int = 10) -> PredictionSection | Skipped:
    """``fit.predict()`` (PLSpredict, Shmueli et al. 2019) of the index model.

    Parameters
    ----------
    model : IndexModel
        The study's index model (from :func:`index_model`).
    folds, repeats : int
        Folds and repetitions of the cross-validation.

    Returns
    -------
    PredictionSection or Skipped
        Out-of-sample prediction against the linear-model benchmark.
        A :class:`~csat_analysis.studies.core.Skipped` note says why the section
        could not run on these data and what would fix it.
    """
    title = N_("Out-of-sample prediction (PLSpredict)")
    if model.pls_fit is None:
        return _no_model(title, model)
    result = model.pls_fit.predict(folds=folds, repeats=repeats, seed=model.seed)
    return PredictionSection(
        title=_(title),
        table=result.table,
        source=model.settings.source,
        power=result.predictive_power,
        folds=folds,
        repeats=repeats,
        settings=model.settings,
    )


# --- segments ---------------------------------------------------------------------------


def segment_finding(table: pd.DataFrame, tests: pd.DataFrame, segment: str) -> str:
    """Loyalty index range across segments and the chi-square verdict on the loyal share, with Cramér's V.

    Parameters
    ----------
    table : DataFrame
        From :func:`csat_analysis.loyalty.segment_comparison`.
    tests : DataFrame
        From :func:`csat_analysis.loyalty.segment_tests`.
    segment : str
        Display name of the segment column.

    Returns
    -------
    str
        Markdown sentences in the report's language.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"segment": [1, 2], "loyalty_index": [61.0, 70.5]})
    >>> tests = pd.DataFrame({"measure": ["loyal_share"], "p_value": [0.2], "effect": [0.08],
    ...                       "effect_low": [0.0], "effect_high": [0.15]})
    >>> print(segment_finding(table, tests, "provider"))  # doctest: +NORMALIZE_WHITESPACE
    Loyalty index from 61.0 (provider 1) to 70.5 (provider 2); the loyal share does not differ significantly between
    segments (chi-square p = 0.200, Cramér's V = 0.08 [0.00, 0.15]).
    """
    ranked = table.set_index("segment")["loyalty_index"]
    row = tests.set_index("measure").loc["loyal_share"]
    effect = fmt.estimate(row["effect"], row["effect_low"], row["effect_high"], kind="number", bounds=(0, 1))
    if row.get("test") == "Rao-Scott F":  # weighted data: the design-based test
        template = (
            _(
                "Loyalty index from {low} ({segment} {lowest}) to {high} ({segment} {highest}); the loyal share "
                "differs between segments (design-based Rao-Scott F test {p_value}, Cramér's V = {effect})."
            )
            if row["p_value"] < 0.05
            else _(
                "Loyalty index from {low} ({segment} {lowest}) to {high} ({segment} {highest}); the loyal share "
                "does not differ significantly between segments (design-based Rao-Scott F test {p_value}, "
                "Cramér's V = {effect})."
            )
        )
    elif row["p_value"] < 0.05:
        template = _(
            "Loyalty index from {low} ({segment} {lowest}) to {high} ({segment} {highest}); the loyal share "
            "differs between segments (chi-square {p_value}, Cramér's V = {effect})."
        )
    else:
        template = _(
            "Loyalty index from {low} ({segment} {lowest}) to {high} ({segment} {highest}); the loyal share "
            "does not differ significantly between segments (chi-square {p_value}, Cramér's V = {effect})."
        )
    return template.format(
        low=fmt.number(ranked.min(), 1),
        segment=segment,
        lowest=ranked.idxmin(),
        high=fmt.number(ranked.max(), 1),
        highest=ranked.idxmax(),
        p_value=fmt.p_value(row["p_value"], label=True),
        effect=effect,
    )


@dataclass
class SegmentsSection(Section):
    """Section 6: indices and loyal share per segment (``table``) and the tests with effect sizes (``tests``).

    Attributes
    ----------
    title : str
        Heading of the section in the report.
    table : DataFrame
        Indices and loyal share per segment
        (:func:`csat_analysis.loyalty.segment_comparison`).
    source : str
        The data-source line printed under the section's table and figure.
    segment : str
        Display name of the segment column.
    tests : DataFrame or None
        Tests with effect sizes (:func:`csat_analysis.loyalty.segment_tests`).
    weights : str or None
        The survey-weight column; with weights the tests are design-based (Rao-Scott F
        for the loyal share, the design-based Kruskal-Wallis test for the scores).
    """

    segment: str = ""
    tests: pd.DataFrame | None = field(default=None, repr=False)
    weights: str | None = None
    references = ("kruskal_wallis1952", "cramer1946", "tomczak2014", "wilson1927")

    def long(self) -> pd.DataFrame:
        """One row per segment and measure (satisfaction, loyalty): ``value``, ``low``, ``high``, for plotting.

        Returns
        -------
        DataFrame
            The segment table stacked by measure, with ``measure``, ``value``, ``low``
            and ``high`` added.
        """
        parts = [
            self.table.assign(
                measure=measure,
                value=self.table[f"{measure}_index"],
                low=self.table[f"{measure}_low"],
                high=self.table[f"{measure}_high"],
            )
            for measure in ("satisfaction", "loyalty")
        ]
        long = pd.concat(parts, ignore_index=True)[["segment", "measure", "value", "low", "high"]]
        long["segment"] = long["segment"].astype(str)
        return long

    @property
    def p_value(self) -> float:
        """Chi-square test of the loyal share across segments."""
        return float(self.tests.set_index("measure").loc["loyal_share", "p_value"])

    def plot(self, ax=None):
        """Draw the section's figure.

        Parameters
        ----------
        ax : matplotlib.axes.Axes, optional
            Axes to draw on; a new figure when omitted.

        Returns
        -------
        matplotlib.axes.Axes
            The axes holding the figure.
        """
        if ax is None:
            import matplotlib.pyplot as plt

            _figure, ax = plt.subplots(figsize=(8, 4))
        plots.interval_plot(
            _shown(self.long(), {"measure": "measure"}),
            x="segment",
            y="value",
            low="low",
            high="high",
            hue="measure",
            ax=ax,
        )
        _relabel_legend(ax, {}, title=_("measure"))
        ax.set(
            xlabel=self.segment, ylabel=_("index (0-100)"), title=_("Indices by {segment}").format(segment=self.segment)
        )
        fmt.wrap_labels(ax, "x", width=12)
        plots.source_note(ax, self.source)
        return ax

    def tables(self) -> list:
        return [
            _styled(self.table, self.title, self.source, percent=("loyal_share", "loyal_low", "loyal_high")),
            _styled(
                _shown(self.tests, {"measure": "measure", "test": "test", "effect_size": "effect size"}),
                _("Do the segments differ? (unweighted tests, effect sizes with 95% intervals)")
                if self.weights is None
                else _(
                    "Do the segments differ? (design-based tests weighted by `{weights}`; effect sizes with 95% "
                    "intervals, epsilon² on the unweighted ranks)"
                ).format(weights=self.weights),
                self.source,
            ),
        ]

    def results(self) -> dict:
        """Named results for the batch runner (``results.json``).

        Returns
        -------
        dict
            ``loyalty_by_segment`` and the tests: ``segment_difference_pvalue``,
            ``segment_difference_cramers_v``, ``segment_loyalty_epsilon_squared``.
        """
        tests = self.tests.set_index("measure")
        return {
            "segment_difference_pvalue": self.p_value,
            "segment_difference_cramers_v": float(tests.loc["loyal_share", "effect"]),
            "segment_loyalty_epsilon_squared": float(tests.loc["loyalty", "effect"]),
            "loyalty_by_segment": dict(zip(self.table["segment"].astype(str), self.table["loyal_share"])),
        }

    def finding(self) -> str:
        return segment_finding(self.table, self.tests, self.segment)


def _segment_skip(title: str, settings: Settings) -> Skipped:
    if settings.segment_value is not None:
        segment = settings.segment
        return _skipped(
            title,
            N_("the data were filtered to {segment} = {value}"),
            fix=N_("leave `segment_value` unset to compare every segment"),
            source=settings.source,
            segment=lambda: settings.shown(segment),
            value=settings.segment_value,
        )
    return _skipped(
        title, N_("this data set has no segment column"), fix=N_("set `segment` to name one"), source=settings.source
    )


@_guarded(N_("Segments"), fix=N_("compare fewer, larger segments"))
def segments_section(settings: Settings, *, seed: int = 0) -> SegmentsSection | Skipped:
    """Compare the segments of the study's data (skipped when there is nothing to compare).

    Parameters
    ----------
    settings : Settings
        The study's checked parameters and data (from :func:`resolve_settings`).
    seed : int
        Random seed of the tests' resampled intervals.

    Returns
    -------
    SegmentsSection or Skipped
        Indices, loyal share and tests per segment.
        A :class:`~csat_analysis.studies.core.Skipped` note says why the section
        could not run on these data and what would fix it.
    """
    if not settings.compare_segments:
        return _segment_skip(N_("Segments"), settings)
    arguments = dict(
        by=settings.segment, top_box=settings.top_box, scale=settings.scale, loyalty_scale=settings.loyalty_scale
    )
    table = loy.segment_comparison(
        settings.data, settings.satisfaction, settings.loyalty, weights=settings.weights, **arguments
    )
    tests = loy.segment_tests(
        settings.data, settings.satisfaction, settings.loyalty, seed=seed, weights=settings.weights, **arguments
    )
    segment = settings.shown(settings.segment)
    section = SegmentsSection(
        title=_("Indices and loyal share by {segment}").format(segment=segment),
        table=table,
        source=settings.source,
        segment=segment,
        tests=tests,
        weights=settings.weights,
    )
    if settings.weights is not None:  # the tests are design-based
        section.references = (*type(section).references, "rao_scott1984", "lumley_scott2013", "lumley2010")
    return section


def multigroup_finding(table: pd.DataFrame, segment: str, n_permutations: int, n_groups: int) -> str:
    """How many path differences between segments are significant, and the largest of them.

    Parameters
    ----------
    table : DataFrame
        Path differences per pair of segments (``group_a``, ``group_b``, ``source``,
        ``target``, ``difference``, ``p_value``).
    segment : str
        Display name of the segment column.
    n_permutations : int
        Permutations behind the p-values.
    n_groups : int
        Segments compared.

    Returns
    -------
    str
        Markdown sentences in the report's language.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"group_a": [1, 1], "group_b": [2, 3], "source": ["Q", "Q"], "target": ["S", "S"],
    ...                       "path_a": [0.2, 0.2], "path_b": [0.55, 0.25], "difference": [-0.35, -0.05],
    ...                       "p_value": [0.01, 0.7]})
    >>> multigroup_finding(table, "provider", 1000, 3)  # doctest: +NORMALIZE_WHITESPACE
    'Across the 3 provider groups, 1 of 2 path comparisons differ at the 5% level (permutation test, 1,000
    permutations): Q -> S, provider 1 vs 2 (0.20 vs 0.55, p = 0.010). With many comparisons, about 1 in 20
    would differ by chance alone.'
    """
    significant = table[table["p_value"] < 0.05].sort_values("p_value")
    fields = dict(
        groups=n_groups,
        segment=segment,
        significant=len(significant),
        n=len(table),
        permutations=fmt.number(n_permutations, 0),
    )
    if significant.empty:
        return _(
            "Across the {groups} {segment} groups, {significant} of {n} path comparisons differ at the 5% level "
            "(permutation test, {permutations} permutations): the structural model holds alike in every "
            "group."
        ).format(**fields)
    # Translators: separates the listed path comparisons
    listed = _("; ").join(
        _("{source} -> {target}, {segment} {group_a} vs {group_b} ({path_a} vs {path_b}, {p_value})").format(
            source=r.source,
            target=r.target,
            segment=segment,
            group_a=r.group_a,
            group_b=r.group_b,
            path_a=fmt.number(r.path_a),
            path_b=fmt.number(r.path_b),
            p_value=fmt.p_value(r.p_value, label=True),
        )
        for r in significant.head(3).itertuples()
    )
    if len(significant) > 3:
        listed = _("{listed}; and {more} more").format(listed=listed, more=len(significant) - 3)
    return _(
        "Across the {groups} {segment} groups, {significant} of {n} path comparisons differ at the 5% level "
        "(permutation test, {permutations} permutations): {listed}. With many comparisons, about 1 in 20 would "
        "differ by chance alone."
    ).format(listed=listed, **fields)


@dataclass
class MultiGroupSection(Section):
    """Permutation multi-group analysis (Chin and Dibbern 2010): path differences between segments.

    Attributes
    ----------
    title : str
        Heading of the section in the report.
    table : DataFrame
        Path differences per pair of segments, with permutation p-values.
    source : str
        The data-source line printed under the section's table and figure.
    segment : str
        Display name of the segment column.
    n_permutations : int
        Permutations behind the p-values.
    n_groups : int
        Segments compared.
    settings : Settings
        The study's settings (display names of items and constructs).
    """

    segment: str = ""
    n_permutations: int = 0
    n_groups: int = 0
    settings: Settings | None = field(default=None, repr=False)
    references = ("chin_dibbern2010", "hair2017")

    def _names(self) -> pd.DataFrame:
        return _display(self.table, self.settings) if self.settings is not None else _shown(self.table)

    def tables(self) -> list:
        names = self._names()
        shown = names.assign(path=names["source"] + " -> " + names["target"])
        shown = shown[["group_a", "group_b", "path", "path_a", "path_b", "difference", "p_value", "n_a", "n_b"]]
        return [
            _styled(
                shown,
                _("Path differences between {segment} groups (permutation test)").format(segment=self.segment),
                self.source,
            )
        ]

    def results(self) -> dict:
        """Named results for the batch runner (``results.json``).

        Returns
        -------
        dict
            ``mga_comparisons`` and ``mga_significant``.
        """
        significant = self.table[self.table["p_value"] < 0.05]
        return {
            "mga_significant": [f"{r.source}->{r.target} {r.group_a} vs {r.group_b}" for r in significant.itertuples()],
            "mga_comparisons": len(self.table),
        }

    def finding(self) -> str:
        return multigroup_finding(self._names(), self.segment, self.n_permutations, self.n_groups)


@_guarded(N_("Multi-group analysis of the paths"), fix=N_("compare fewer, larger segments"))
def multigroup_section(
    settings: Settings, model: IndexModel, *, permutations: int = 1000, seed: int = 0
) -> MultiGroupSection | Skipped:
    """``pls.mga(..., by=segment)``: every pair of segments, path by path (needs a PLS model and segments).

    Parameters
    ----------
    settings : Settings
        The study's checked parameters and data (from :func:`resolve_settings`).
    model : IndexModel
        The study's index model (from :func:`index_model`).
    permutations : int
        Permutations of the test.
    seed : int
        Random seed of the permutations.

    Returns
    -------
    MultiGroupSection or Skipped
        The path differences between segments.
        A :class:`~csat_analysis.studies.core.Skipped` note says why the section
        could not run on these data and what would fix it.
    """
    title = N_("Multi-group analysis of the paths")
    if not settings.compare_segments:
        return _segment_skip(title, settings)
    if model.pls_fit is None:
        return _no_model(title, model)
    if permutations < 1:
        return _skipped(
            title, N_("`permutations` is 0"), fix=N_("set `permutations` to e.g. 1000"), source=settings.source
        )
    sizes = settings.data[settings.segment].value_counts()
    small = sizes[sizes < MIN_GROUP_SIZE]
    if len(small) == len(sizes) or len(sizes) - len(small) < 2:
        segment = settings.segment
        return _skipped(
            title,
            N_("fewer than two {segment} groups have {size} or more respondents"),
            fix=N_("compare fewer, larger segments"),
            source=settings.source,
            segment=lambda: settings.shown(segment),
            size=MIN_GROUP_SIZE,
        )
    data = settings.data[~settings.data[settings.segment].isin(small.index)]
    result = pls.mga(data, *settings.model_spec(), by=settings.segment, n=permutations, seed=seed)
    return MultiGroupSection(
        title=_(title),
        table=result.table,
        source=settings.source,
        segment=settings.shown(settings.segment),
        n_permutations=permutations,
        n_groups=len(result.groups),
        settings=settings,
    )
