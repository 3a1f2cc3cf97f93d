"""The churn and retention study: settings, sections and findings of its notebook.

The notebook ``notebooks/churn_and_retention.ipynb`` resolves its parameters with
:func:`settings` and then shows one section per cell: the churn arithmetic of worked
examples from churn-management training material, churn on the data, retention curves,
drivers of churn (a logistic model and a Cox proportional-hazards model), lifetime
value, and churn causes against the widely quoted figures attributed to a Rockefeller
Corporation study (e.g. M. LeBoeuf, *How to Win Customers and Keep Them for Life*,
1987). The numbers come from :mod:`csat_analysis.churn` and
:func:`csat_analysis.survival.cox`; this module turns them into tables, figures,
sentences and recorded results. A section that cannot be estimated on the data (too
few customers, no churn, a single level, a missing role) becomes a
:class:`~csat_analysis.studies.core.Skipped` note saying why and what would fix it.

Examples
--------
>>> from csat_analysis.studies import StudyRun
>>> run = StudyRun("service_calls_churn", study="churn_and_retention", emit=False)
>>> chosen = settings(run)
>>> chosen.tenure, chosen.tenure_unit, chosen.segments[0]
('account_length', 'days', 'service_calls')
>>> run.show(overall_section(chosen))  # doctest: +ELLIPSIS
Of 5,000 customers, 707 churned: a churn rate of **14.7% [13.7%, 15.7%]** of customers at the start ...
>>> run.recorder.results["n_customers"]
5000
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .. import churn as ch
from .. import formatting as fmt
from ..churn import CAUSE_SHARES, CONTROLLABLE_CAUSES, DAYS_PER_MONTH
from ..errors import ConvergenceWarning, CsatError, ParameterError, StudyError
from ..i18n import N_, Message, _, current_language, ngettext, pgettext
from ..report import styled_table
from .core import Section, Skipped, StudyRun
from .data_overview import _without_count, dataset_references

__all__ = [
    "LABELS",
    "PARAMETERS",
    "CausesSection",
    "ChurnSettings",
    "CoxSection",
    "DriversSection",
    "ExamplesSection",
    "KeyFindings",
    "OverallSection",
    "RetentionSection",
    "SegmentChurnSection",
    "SimulationCheckSection",
    "TiersSection",
    "ValueSection",
    "causes_section",
    "cox_section",
    "drivers_section",
    "examples_section",
    "key_findings",
    "overall_section",
    "retention_section",
    "segment_section",
    "settings",
    "simulation_section",
    "tiers_section",
    "value_section",
]

#: the notebook's parameters and their defaults (the parameters cell must match)
PARAMETERS: dict[str, Any] = {
    "dataset": "telco_churn",
    "schema": None,
    "survey": None,  # survey description (path or dict); None: the data set's own
    "n": 20000,
    "segments": None,
    "segment": None,  # keep only customers with segment == segment_value
    "segment_value": None,
    "tenure": None,
    "churn": None,
    "margin": 0.3,
    "acquisition_cost": 100.0,
    "retention_cost": 2.0,
    "churn_base": "start",
    "seed": 0,
    "language": "en",  # report language: "en" or "zh" (simplified Chinese)
}

#: the analyses' tenure column, added by :func:`settings` (months, whatever the data's unit)
TENURE = "tenure_months"
#: derived columns :func:`settings` can add, usable as segments
DERIVED_SEGMENTS = ("tenure_band", "service_calls")
SERVICE_CALL_BANDS = ["0", "1", "2", "3", "4+"]
#: the column of customer-service calls that ``service_calls`` bands
SERVICE_CALLS_COLUMN = "number_customer_service_calls"

#: reader-facing headers of the study's table columns (English messages, shown translated by :func:`table_labels`)
LABELS = {
    "example": N_("example"),
    "start": N_("at start"),
    "new": N_("new"),
    "end": N_("at end"),
    "churned": N_("churned"),
    "rate_start": N_("churn (start base)"),
    "rate_end": N_("churn (end base)"),
    "retention": N_("retention"),
    "lost_revenue": N_("lost revenue"),
    "margin": N_("margin"),
    "churn_loss": N_("churn loss"),
    "tier": N_("tier"),
    "segment": N_("segment"),
    "level": N_("level"),
    "n": N_("customers"),
    "rate": N_("churn rate"),
    "low": N_("95% low"),
    "high": N_("95% high"),
    "median": N_("median (months)"),
    "groups": N_("groups"),
    "statistic": N_("chi-square"),
    "dof": N_("degrees of freedom"),
    "p_value": N_("p-value"),
    "term": N_("term"),
    "coef": N_("log-odds"),
    "se": N_("std. error"),
    "odds_ratio": N_("odds ratio"),
    "monthly_revenue": N_("monthly revenue"),
    "mean_tenure": N_("mean tenure so far (months)"),
    "clv_to_date": N_("CLV to date (revenue less costs per customer)"),
    "horizon": N_("horizon (months)"),
    "expected_lifetime": N_("expected lifetime (months)"),
    "clv_expected": N_("CLV, expected"),
    "cause": N_("cause"),
    "share": N_("share"),
    "controllable": N_("controllable"),
    "quoted_share": N_("quoted share (Rockefeller figures)"),
    "monthly_hazard": N_("true monthly hazard"),
    "true_median": N_("true median"),
    "km_median": N_("Kaplan-Meier median"),
    "true_rmst": N_("true restricted mean"),
    "km_rmst": N_("Kaplan-Meier restricted mean"),
    "repurchase": N_("repurchase"),
    "hazard_ratio": N_("hazard ratio"),
    "cramers_v": N_("Cramér's V"),
    "V_low": N_("V 95% low"),
    "V_high": N_("V 95% high"),
}


#: display names of the columns the study derives
DERIVED_LABELS = {
    TENURE: N_("tenure (months)"),
    "tenure_band": N_("tenure band (months)"),
    "service_calls": N_("customer-service calls"),
    "monthly_charges": N_("monthly charges"),
    "monthly_revenue": N_("monthly revenue"),
}

BASE_LABELS = {
    "start": N_("customers at the start"),
    "end": N_("customers at the end (the base of churn-management training material)"),
}
EXAMPLES_SOURCE = N_("Worked examples from churn-management training material (not the study data)")
CAUSES_REFERENCE = N_("the widely quoted figures attributed to a Rockefeller Corporation study (LeBoeuf 1987)")
#: display names of the churn causes of :data:`csat_analysis.churn.CAUSE_SHARES` (the data keep the codes)
CAUSE_LABELS = {
    "death": N_("death"),
    "moved": N_("moved"),
    "habits": N_("habits"),
    "competitor": N_("competitor"),
    "quality": N_("quality"),
    "indifference": N_("indifference"),
}
#: the third row of the worked examples, shown under a translated name (results keep the English key)
_LAST_YEAR_EXAMPLE = "B at last year's revenue"


def table_labels() -> dict[str, str]:
    """The table headers of :data:`LABELS` in the report's language.

    Examples
    --------
    >>> from csat_analysis.i18n import use_language
    >>> table_labels()["rate_start"]
    'churn (start base)'
    >>> with use_language("zh"):
    ...     table_labels()["rate_start"]
    '流失率（期初口径）'
    """
    return {column: _(header) for column, header in LABELS.items()}


def _skipped(title: str, reason: str, fix: str = "", **fields) -> Skipped:
    """A :class:`Skipped` section whose title, reason and fix are messages (``fields`` fill the reason)."""
    return Skipped(Message(title), Message(reason, **fields), fix=Message(fix) if fix else "")


def _sentences(parts: Sequence[str]) -> str:
    """Sentences joined as the language writes them: a space in English, nothing after a Chinese full stop."""
    return ("" if current_language() == "zh" else " ").join(part for part in parts if part)


def _pct(value: float) -> str:
    return fmt.percent(value)


def _count(value) -> str:
    """A whole number with thousands separators, in the report's language."""
    return fmt.number(value, 0)


def _guarded(title: str, fix: str, compute):
    """``compute()``, or a :class:`Skipped` section when the data cannot support the estimate.

    Small segments break models in ways no parameter check foresees: no churned
    customer, a single level, perfect separation, a fit that does not converge. The
    section then says why and what would fix it, and the rest of the report renders.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        try:
            return compute()
        except ConvergenceWarning as warning:
            return _skipped(
                title, N_("the model did not converge on these data ({warning})"), fix, warning=str(warning)
            )
        except (CsatError, np.linalg.LinAlgError) as error:
            # the error's own message names columns and values; it stays as the package raised it
            return Skipped(Message(title), _reason(error), fix=Message(fix))


def _reason(error: Exception) -> str:
    """The error's message as a reason: without the function prefix and model formulas a reader cannot use."""
    text = re.sub(r"\s*'[^']*~[^']*'", "", str(error)).strip().rstrip(".")
    text = re.sub(r"^(churn_drivers|cox|logistic): ", "", text)
    return text[:1].lower() + text[1:] if text else type(error).__name__


# --- settings ---------------------------------------------------------------------------


@dataclass
class ChurnSettings:
    """The notebook's parameters checked against the data, with the columns the study uses.

    Attributes
    ----------
    data : DataFrame
        The study data plus derived columns: ``tenure_months`` (tenure in months),
        ``tenure_band`` and, where the data allow, ``service_calls`` (calls banded
        0-3, 4+), ``monthly_charges`` and ``monthly_revenue``.
    name, kind, source : str
        The data set, its kind and its source line.
    truth : dict or None
        The simulator's generating values.
    tenure, churn : str
        The columns used (``tenure`` is the original column; analyses use
        ``tenure_months``).
    tenure_unit : str
        Unit of the original tenure column ("months" or "days").
    segments, drivers : list of str
    monthly_revenue, cause : str or None
        Revenue per month and churn-cause columns, when the data have them.
    weights : str or None
        Survey-weight column (the simulator's ``weight``), used for churn rates.
    churn_base : str
        Denominator of the churn rate, "start" or "end".
    margin, acquisition_cost, retention_cost : float
        The value assumptions (parameters, not data).
    segment, segment_value : optional
        The filter applied to the data (``data`` holds only ``segment == segment_value``).
    labels : dict
        Display names of columns (the survey description's labels).
    """

    data: pd.DataFrame = field(repr=False)
    name: str
    kind: str
    source: str
    tenure: str
    churn: str
    tenure_unit: str
    segments: list[str]
    drivers: list[str]
    monthly_revenue: str | None
    cause: str | None
    weights: str | None
    churn_base: str = "start"
    margin: float = 0.3
    acquisition_cost: float = 100.0
    retention_cost: float = 2.0
    truth: dict | None = field(default=None, repr=False)
    segment: str | None = None
    segment_value: Any = None
    labels: dict = field(default_factory=dict, repr=False)

    @property
    def is_simulated(self) -> bool:
        """Whether the data come from the package's simulator (with a known truth)."""
        return self.kind == "simulated"

    def label(self, column: str) -> str:
        """The display name of a column (its survey label, else the name).

        Parameters
        ----------
        column : str
            A column of :attr:`data`.

        Returns
        -------
        str
            The survey label, the study's name for a derived column, or ``column``.
        """
        if column in self.labels:
            return str(self.labels[column])
        return _(DERIVED_LABELS[column]) if column in DERIVED_LABELS else column

    @property
    def cox_covariates(self) -> list[str]:
        """The driver columns without tenure: tenure is the time axis of a hazard model."""
        return [c for c in self.drivers if c != TENURE]

    @property
    def time_segments(self) -> list[str]:
        """Segments for retention curves and lifetime value: all but ``tenure_band``.

        Tenure bands are cut from the tenure itself, so their curves would only restate the banding.
        """
        return [s for s in self.segments if s != "tenure_band"]

    def describe(self) -> str:
        """The data description in one paragraph: columns used, units, weighting.

        Returns
        -------
        str
            Markdown text in the report's language.

        Examples
        --------
        >>> chosen = ChurnSettings(pd.DataFrame(), "x", "user", "User data: x", "days", "left", "days", ["plan"],
        ...                        [], None, None, "weight")
        >>> chosen.describe()[:70]
        '**Data:** User data: x. Churn column `left`, tenure column `days` (day'
        """
        # Translators: the separator between the names of a list
        segments = _(", ").join(self.label(s) for s in self.segments) or _("none")
        if self.tenure_unit == "days":
            text = _(
                "**Data:** {source}. Churn column `{churn}`, tenure column `{tenure}` (days, converted to months "
                "at {days} days a month), segments: {segments}."
            )
        else:
            text = _(
                "**Data:** {source}. Churn column `{churn}`, tenure column `{tenure}` (months), segments: {segments}."
            )
        parts = [
            text.format(
                source=self.source,
                churn=self.churn,
                tenure=self.tenure,
                days=fmt.number(DAYS_PER_MONTH, 1),
                segments=segments,
            )
        ]
        if self.weights:
            parts.append(
                _(
                    "Churn rates use the survey weights (`{weights}`) with design-based (Taylor-linearised) "
                    "intervals; retention curves, the segment tests, the driver models and lifetime values "
                    "count every customer once (unweighted)."
                ).format(weights=self.weights)
            )
        return _sentences(parts)

    def _repr_markdown_(self) -> str:
        return self.describe()


def _check_assumptions(margin, acquisition_cost, retention_cost) -> None:
    try:
        ch._check_assumptions(margin, acquisition_cost, retention_cost)
    except ParameterError as error:
        raise StudyError(str(error)) from error


def _derived_columns(data: pd.DataFrame, tenure: str, tenure_unit: str) -> pd.DataFrame:
    """The data plus tenure in months, tenure bands, banded service calls and monthly revenue."""
    frame = data.copy()
    months = ch._tenure_values(frame, tenure)
    frame[TENURE] = months / DAYS_PER_MONTH if tenure_unit == "days" else months
    frame["tenure_band"] = ch.tenure_bands(frame[TENURE])
    if SERVICE_CALLS_COLUMN in frame:
        calls = pd.to_numeric(frame[SERVICE_CALLS_COLUMN], errors="raise").clip(upper=4)
        frame["service_calls"] = pd.Categorical(
            calls.astype(int).astype(str).replace("4", "4+"), categories=SERVICE_CALL_BANDS, ordered=True
        )
    charges = [c for c in frame.columns if re.fullmatch(r"total_(day|eve|night|intl)_charge", str(c))]
    if len(charges) == 4 and "monthly_charges" not in frame:
        # MLC++ churn data: the four usage charges make up the monthly bill
        frame["monthly_charges"] = frame[charges].sum(axis=1)
    if "annual_revenue" in frame and "monthly_revenue" not in frame:
        frame["monthly_revenue"] = pd.to_numeric(frame["annual_revenue"]) / 12
    return frame


def _note_filter(run, source: str) -> None:
    """Let the run's summary box name the filtered data it reports on."""
    import dataclasses

    if hasattr(run, "study_data"):
        run.study_data = dataclasses.replace(run.study_data, source=source)


def settings(
    run: StudyRun,
    *,
    segments: str | Sequence[str] | None = None,
    tenure: str | None = None,
    churn: str | None = None,
    tenure_unit: str | None = None,
    churn_base: str = "start",
    margin: float = 0.3,
    acquisition_cost: float = 100.0,
    retention_cost: float = 2.0,
    segment: str | None = None,
    segment_value: Any = None,
) -> ChurnSettings:
    """Check the notebook's parameters against the data, fill defaults from the survey's roles.

    Every ``None`` parameter comes from the survey description's ``churn`` roles
    (``churned``, ``tenure``, ``revenue``, ``segments``, ``drivers``, ``cause``; see
    :attr:`StudyRun.roles`): the bundled churn data and the simulator have them, and so
    does a user file whose description names them. Otherwise a user file must name
    its tenure and churn columns; segments are optional (without them the segment
    sections are skipped).

    Parameters
    ----------
    run : StudyRun
    segments : str or list of str, optional
        Segment columns; the derived ``"tenure_band"`` (and ``"service_calls"`` where
        ``number_customer_service_calls`` exists) are also accepted.
    tenure, churn : str, optional
        Tenure and churn columns.
    tenure_unit : {"months", "days"}, optional
        Unit of ``tenure`` (default: the data set's, or months).
    churn_base : {"start", "end"}
        Denominator of the churn rate.
    margin, acquisition_cost, retention_cost : float
        Value assumptions: profit margin share, one-off cost of winning a customer,
        monthly cost of keeping one.
    segment, segment_value : optional
        Keep only the customers whose ``segment`` column equals ``segment_value``
        (compared as text, so ``2`` matches a level ``"2"``). ``segment`` may be a
        derived column such as ``"tenure_band"``.

    Returns
    -------
    ChurnSettings
        The checked parameters, the columns the study uses and the data with
        derived columns.

    Raises
    ------
    StudyError
        A bundled data set without churn data, a name that is not a column (the
        message lists the valid ones), a missing required parameter or an impossible
        assumption.

    Examples
    --------
    >>> run = StudyRun("telco_churn", study="churn_and_retention", emit=False)
    >>> settings(run, segments="contract").drivers[-1]
    'tenure_months'
    >>> settings(run, segment="contract", segment_value="Two year").data["contract"].unique().tolist()
    ['Two year']
    >>> settings(run, churn_base="middle")
    Traceback (most recent call last):
    ...
    csat_analysis.errors.StudyError: churn_base='middle' is not valid; choose one of: 'start', 'end'
    """
    from .._validation import check_choice, check_columns

    check_choice("churn_base", churn_base, ["start", "end"], error=StudyError)
    _check_assumptions(margin, acquisition_cost, retention_cost)
    roles = run.roles.get("churn")
    if run.kind == "real" and roles is None:
        from .roles import DATASET_ROLES

        churn_sets = [name for name, entry in DATASET_ROLES.items() if "churn" in entry and name != "simulated"]
        raise StudyError(
            f"dataset={run.name!r} has no churn or tenure columns; choose one of: "
            f"{', '.join(map(repr, [*churn_sets, 'simulated']))}, or a customer file with a schema"
        )
    defaults = roles or {}
    data = run.data
    tenure = tenure if tenure is not None else defaults.get("tenure")
    churn = churn if churn is not None else defaults.get("churned")
    for name, value in (("tenure", tenure), ("churn", churn)):
        if value is None:
            raise StudyError(
                f"{name}: give the {name} column for your data; columns: {', '.join(map(str, data.columns))}"
            )
    check_columns(data, tenure, parameter="tenure", error=StudyError)
    check_columns(data, churn, parameter="churn", error=StudyError)
    tenure_unit = tenure_unit or defaults.get("tenure_unit", "months")
    check_choice("tenure_unit", tenure_unit, ["months", "days"], error=StudyError)
    frame = _derived_columns(data, tenure, tenure_unit)
    chosen = segments if segments is not None else defaults.get("segments", run.roles.get("segments")) or []
    chosen = [chosen] if isinstance(chosen, str) else list(chosen)
    unknown = [c for c in chosen if c not in frame.columns]
    if unknown:
        raise StudyError(
            f"segments: {', '.join(map(repr, unknown))} not in the data; choose from: "
            f"{', '.join(map(str, frame.columns))}"
        )
    source = run.source
    if segment_value is not None and segment is None:
        raise StudyError("segment_value needs a segment column: set segment")
    if segment is not None:
        check_columns(frame, segment, parameter="segment", error=StudyError)
        if segment_value is not None:
            text = frame[segment].astype(str).where(frame[segment].notna())
            check_choice("segment_value", str(segment_value), sorted(text.dropna().unique()), error=StudyError)
            frame = frame[(text == str(segment_value)).to_numpy()].reset_index(drop=True)
            if isinstance(frame[segment].dtype, pd.CategoricalDtype):
                frame[segment] = frame[segment].cat.remove_unused_categories()
            source = _("{source}; only {segment} = {value} (n = {n})").format(
                source=_without_count(source), segment=segment, value=segment_value, n=_count(len(frame))
            )
            # one level left: the filter column no longer splits anyone
            chosen = [c for c in chosen if c != segment]
            _note_filter(run, source)
    drivers = [c for c in defaults.get("drivers", []) if c in frame] or [c for c in chosen if c != "tenure_band"]
    drivers = [c for c in drivers if c != segment or segment_value is None]
    drivers = [*drivers, TENURE] if TENURE not in drivers else drivers
    revenue = defaults.get("revenue")
    cause = defaults.get("cause")
    weights = run.roles.get("weight")
    survey = getattr(run, "survey", None)
    columns = [c for c in frame.columns if isinstance(c, str)]
    language = getattr(run, "language", current_language())
    labels = survey.labels(columns, language=language) if survey is not None else {}
    # a column without a survey label reads as words, not as a variable name
    labels = {
        c: (_(DERIVED_LABELS[c]) if c in DERIVED_LABELS else c.replace("_", " "))
        if labels.get(c, c) == c
        else labels[c]
        for c in columns
    }
    return ChurnSettings(
        data=frame,
        name=run.name,
        kind=run.kind,
        source=source,
        tenure=tenure,
        churn=churn,
        tenure_unit=tenure_unit,
        segments=chosen,
        drivers=drivers,
        monthly_revenue=revenue if revenue in frame else None,
        cause=cause if cause in frame else None,
        weights=weights if weights in frame else None,
        churn_base=churn_base,
        margin=float(margin),
        acquisition_cost=float(acquisition_cost),
        retention_cost=float(retention_cost),
        truth=run.truth,
        segment=segment,
        segment_value=segment_value,
        labels=labels,
    )


# --- figures ----------------------------------------------------------------------------


def _panel_axes(ax, count: int, width: float, height: float) -> np.ndarray:
    """``count`` axes in a row: the given ones (one per panel) or a new figure's."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, axes = plt.subplots(1, count, figsize=(width * count, height), sharey=True, squeeze=False)
        return axes[0]
    axes = np.atleast_1d(np.asarray(ax, dtype=object)).ravel()
    if len(axes) != count:
        raise ParameterError(f"ax: give one axes per panel ({count}), got {len(axes)}")
    return axes


def _single_axes(ax, figsize):
    import matplotlib.pyplot as plt

    if ax is not None:
        return ax
    return plt.subplots(figsize=figsize)[1]


def _percent_axis(axis) -> None:
    import matplotlib.ticker as mticker

    axis.set_major_formatter(mticker.PercentFormatter(1.0))


# --- 1. worked examples -----------------------------------------------------------------


@dataclass
class ExamplesSection(Section):
    """Worked churn examples A and B (:func:`csat_analysis.churn.worked_examples`).

    Attributes
    ----------
    title : str
        Heading of the section in the report.
    table : DataFrame
        One row per example (A, B, and B at last year's revenue): customers at
        start and end, churned, churn rates on both bases, retention and churn loss.
    source : str
        The data-source line printed under the section's table and figure.
    """

    references = ("churn_training",)

    def tables(self) -> list:
        shown = self.table.drop(columns="description")
        shown = shown.assign(example=shown.example.replace({_LAST_YEAR_EXAMPLE: _("B at last year's revenue")}))
        return [
            styled_table(
                shown,
                _("Worked examples A and B (money in the examples' units)"),
                self.source,
                labels=table_labels(),
                percent=["rate_start", "rate_end", "retention", "margin"],
                digits=2,
            )
        ]

    def finding(self) -> str:
        """One sentence per example: churned, both rates, churn loss.

        Returns
        -------
        str
            Markdown sentences in the report's language.

        Examples
        --------
        >>> examples_section().finding()[:62]
        'Example A loses 200 of 3,000 outlets: 6.7% of the start count '
        """
        a, b, b_last = (self.table.set_index("example").loc[key] for key in ("A", "B", _LAST_YEAR_EXAMPLE))
        first = _(
            "Example A loses {churned} of {start} outlets: {rate_start} of the start count ({rate_end} by the "
            "end count), and {loss}k of profit at a {margin} margin."
        ).format(
            churned=_count(a.churned),
            start=_count(a.start),
            rate_start=_pct(a.rate_start),
            rate_end=_pct(a.rate_end),
            loss=_count(a.churn_loss),
            margin=fmt.percent(a.margin, 0),
        )
        second = _(
            "Example B loses {churned} subscribers, {rate_start} ({rate_end} by the end count), costing "
            "{loss} at this year's revenue ({loss_last_year} at last year's)."
        ).format(
            churned=_count(b.churned),
            rate_start=_pct(b.rate_start),
            rate_end=_pct(b.rate_end),
            loss=_count(b.churn_loss),
            loss_last_year=_count(b_last.churn_loss),
        )
        return _sentences([first, second])

    def results(self) -> dict:
        """``example_a`` and ``example_b`` (B with last year's churn loss).

        Returns
        -------
        dict
            ``example_a`` and ``example_b``, one dict of the table's columns each.

        Examples
        --------
        >>> examples_section().results()["example_b"]["churn_loss_last_year_revenue"]
        900000.0
        """
        table = self.table.set_index("example").drop(columns="description")
        b = table.loc["B"].to_dict()
        b["churn_loss_last_year_revenue"] = float(table.loc[_LAST_YEAR_EXAMPLE, "churn_loss"])
        return {"example_a": {"example": "A", **table.loc["A"].to_dict()}, "example_b": {"example": "B", **b}}


def examples_section() -> ExamplesSection:
    """The worked examples A and B of churn-management training material.

    Returns
    -------
    ExamplesSection
        The worked examples; they do not depend on the study data.
    """
    return ExamplesSection(title=_("Worked examples"), table=ch.worked_examples(), source=_(EXAMPLES_SOURCE))


@dataclass
class TiersSection(Section):
    """Churn per dealer tier (:func:`csat_analysis.churn.tier_example`).

    Attributes
    ----------
    title : str
        Heading of the section in the report.
    table : DataFrame
        One row per dealer tier: counts, churn rates on both bases and retention.
    source : str
        The data-source line printed under the section's table and figure.
    """

    references = ("churn_training",)

    def tables(self) -> list:
        return [
            styled_table(
                self.table,
                _("Churn per dealer tier (illustrative counts)"),
                self.source,
                labels=table_labels(),
                percent=["rate_start", "rate_end", "retention"],
                digits=2,
            )
        ]

    def finding(self) -> str:
        """The two tiers compared on both bases.

        Returns
        -------
        str
            Markdown sentences in the report's language.

        Examples
        --------
        >>> tiers = pd.DataFrame({"tier": ["low", "high"], "rate_start": [0.1, 0.5], "rate_end": [0.12, 0.9]})
        >>> TiersSection(table=tiers).finding()[:64]
        'Tier high loses 50.0% of its dealers against 10.0% in tier low. '
        """
        ordered = self.table.sort_values("rate_start", ascending=False)
        hi, lo = ordered.iloc[0], ordered.iloc[-1]
        first = _("Tier {high_tier} loses {high_rate} of its dealers against {low_rate} in tier {low_tier}.").format(
            high_tier=hi.tier, high_rate=_pct(hi.rate_start), low_rate=_pct(lo.rate_start), low_tier=lo.tier
        )
        second = _(
            "On the end count the rates would read {high_rate} and {low_rate}, so the base must always be stated."
        ).format(high_rate=_pct(hi.rate_end), low_rate=_pct(lo.rate_end))
        return _sentences([first, second])


def tiers_section() -> TiersSection:
    """The dealer-tier example (rates from training material, counts illustrative).

    Returns
    -------
    TiersSection
        The dealer-tier example; it does not depend on the study data.
    """
    return TiersSection(
        title=_("Churn per tier"),
        table=ch.tier_example(),
        source=_("Worked example from churn-management training material (rates as given, counts illustrative)"),
    )


# --- 2. churn on the data ------------------------------------------------------------------


@dataclass
class OverallSection(Section):
    """The headline churn rate (one row of :func:`csat_analysis.churn.churn_by_segment`).

    Attributes
    ----------
    title : str
        Heading of the section in the report.
    table : DataFrame
        One row for all customers: ``n``, ``churned``, the churn ``rate`` on the
        chosen base with its 95% ``low`` and ``high``, and the rate on the other base.
    source : str
        The data-source line printed under the section's table and figure.
    weighted : bool
        The rate and its interval use survey weights (design-based interval).
    dataset : str
        Name of the data set, whose published source the section cites.
    """

    weighted: bool = False
    dataset: str = ""

    @property
    def references(self) -> tuple[str, ...]:
        """Keys of the published sources the section cites (data set, base, interval method)."""
        method = ("lumley2004",) if self.weighted else ("wilson1927",)
        return (*dataset_references(self.dataset), "churn_training", *method)

    @property
    def row(self) -> pd.Series:
        """The table's single row: churn among all customers."""
        return self.table.iloc[0]

    def tables(self) -> list:
        """No tables: the section is stated in words.

        Returns
        -------
        list of pandas.io.formats.style.Styler
            Always empty: the finding carries the section's numbers.
        """
        return []

    def finding(self) -> str:
        """Rate on the chosen base, its interval and the rate on the other base.

        Returns
        -------
        str
            Markdown sentences in the report's language.

        Examples
        --------
        >>> table = ch.churn_by_segment(pd.DataFrame({"left": [1, 0, 0, 0]}), "left")
        >>> OverallSection(table=table).finding()[:114]
        'Of 4 customers, 1 churned: a churn rate of **25.0% [4.6%, 69.9%]** of customers at the start (Wilson 95% interval)'
        """
        row = self.row
        other = row.rate_end if row.base == "start" else row.rate_start
        how = _("weighted counts, design-based 95% interval") if self.weighted else _("Wilson 95% interval")
        bounds = fmt.SHARE_BOUNDS if row.base == "start" else None
        if row.base == "start":
            text = _(
                "Of {n} customers, {churned} churned: a churn rate of **{rate}** of {base} ({how}); on the end "
                "count it is {other}."
            )
        else:
            text = _(
                "Of {n} customers, {churned} churned: a churn rate of **{rate}** of {base} ({how}); on the start "
                "count it is {other}."
            )
        return text.format(
            n=_count(int(row.n)),
            churned=_count(row.churned),
            rate=fmt.estimate(row.rate, row.low, row.high, bounds=bounds),
            base=_(BASE_LABELS[row.base]),
            how=how,
            other=_pct(other),
        )

    def results(self) -> dict:
        """Named results for the batch runner (``results.json``).

        Returns
        -------
        dict
            ``n_customers``, ``churn_base``, ``churn_rate`` with ``churn_rate_low`` and
            ``churn_rate_high``.
        """
        row = self.row
        return {
            "n_customers": int(row.n),
            "churn_rate": float(row.rate),
            "churn_rate_low": float(row.low),
            "churn_rate_high": float(row.high),
            "churn_base": str(row.base),
        }


def overall_section(chosen: ChurnSettings) -> OverallSection:
    """Churn among all customers on the chosen base, with a Wilson interval.

    Parameters
    ----------
    chosen : ChurnSettings
        The checked notebook parameters and data (from :func:`settings`).

    Returns
    -------
    OverallSection
        Churn among all customers, with its interval.
    """
    table = ch.churn_by_segment(
        chosen.data, chosen.churn, tenure=TENURE, base=chosen.churn_base, weights=chosen.weights
    )
    return OverallSection(
        title=_("Churn"), table=table, source=chosen.source, weighted=chosen.weights is not None, dataset=chosen.name
    )


def widest_segment(by_segment: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """The segmentation whose churn rates spread most: its highest and lowest level rows.

    Examples
    --------
    >>> table = pd.DataFrame({"segment": ["a", "a", "b", "b"], "level": ["x", "y", "u", "v"],
    ...                       "rate": [0.1, 0.2, 0.05, 0.5]})
    >>> [row.level for row in widest_segment(table)]
    ['v', 'u']
    """
    rates = by_segment.dropna(subset=["rate"])
    spread = rates.groupby("segment", sort=False)["rate"].agg(lambda r: r.max() - r.min())
    levels = rates[rates.segment == spread.idxmax()].sort_values("rate")
    return levels.iloc[-1], levels.iloc[0]


@dataclass
class SegmentChurnSection(Section):
    """Churn per level of each segment column (:func:`csat_analysis.churn.churn_by_segments`).

    Attributes
    ----------
    title : str
        Heading of the section in the report.
    table : DataFrame
        One row per level of each segment column: ``segment``, ``level``, ``n``,
        counts, churn rates on both bases and the 95% ``low`` and ``high``.
    source : str
        The data-source line printed under the section's table and figure.
    base : str
        Denominator of the churn rate, "start" or "end".
    tests : DataFrame
        One chi-square test per segment column: ``statistic``, ``dof``, ``p_value``
        and Cramér's V with its interval.
    weighted : bool
        Rates, intervals and tests use survey weights.
    labels : dict
        Display names of columns and model terms (``{column: name}``).
    """

    base: str = "start"
    #: per segment column: chi-square test of churn with Cramér's V (:func:`csat_analysis.churn.segment_association`)
    tests: pd.DataFrame | None = field(default=None, repr=False)
    weighted: bool = False
    labels: dict = field(default_factory=dict, repr=False)

    @property
    def references(self) -> tuple[str, ...]:
        """Keys of the published sources the section cites (interval method, Cramér's V)."""
        return ("lumley2004" if self.weighted else "wilson1927", "cramer1946")

    def _label(self, column) -> str:
        return str(self.labels.get(column, column))

    def plot(self, ax=None):
        """One bar panel per segment column with 95% intervals; long level names wrap or turn; returns the axes.

        Parameters
        ----------
        ax : matplotlib.axes.Axes or sequence of Axes, optional
            One axes per panel to draw on; a new figure when omitted.

        Returns
        -------
        numpy.ndarray of matplotlib.axes.Axes
            One axes per panel.
        """
        from .. import plots

        groups = list(self.table.groupby("segment", sort=False))
        axes = _panel_axes(ax, len(groups), width=4.2, height=4.0)
        for panel, (name, rows) in zip(axes, groups):
            plots.interval_plot(rows, x="level", y="rate", low="low", high="high", ax=panel, kind="bar")
            panel.set_title(self._label(name))
            panel.set(xlabel="", ylabel="")
            panel.set_xticks(range(len(rows)), [str(v) for v in rows["level"]], fontsize=9)
        axes[0].set_ylabel(_("churn rate (start base)") if self.base == "start" else _("churn rate (end base)"))
        _percent_axis(axes[0].yaxis)
        axes[0].figure.suptitle(
            _("Churn rate by segment, with 95% design-based intervals")
            if self.weighted
            else _("Churn rate by segment, with 95% Wilson intervals")
        )
        axes[0].figure.tight_layout()
        for panel in axes:
            fmt.wrap_labels(panel, "x", width=12)
        plots.source_note(axes[0], self.source)
        return axes

    def tables(self) -> list:
        shown = self.table[
            ["segment", "level", "n", "start", "new", "churned", "rate_start", "rate_end", "low", "high"]
        ]
        shown = shown.assign(segment=shown.segment.map(self._label))
        caption = (
            _("Churn by segment (95% interval for the start-based rate)")
            if self.base == "start"
            else _("Churn by segment (95% interval for the end-based rate)")
        )
        tables = [
            styled_table(
                shown,
                caption,
                self.source,
                labels=table_labels(),
                percent=["rate_start", "rate_end", "low", "high"],
                digits=1,
            )
        ]
        if self.tests is not None and len(self.tests):
            tests = self.tests.rename(columns={"low": "V_low", "high": "V_high"})
            tests = tests.assign(segment=tests.segment.map(self._label))
            tables.append(
                styled_table(
                    tests,
                    _(
                        "Does churn differ between a segment's levels? Chi-square tests with "
                        "Cramér's V (unweighted counts)"
                    ),
                    self.source,
                    labels=table_labels(),
                    digits=3,
                )
            )
        return tables

    def finding(self) -> str:
        """The segmentation with the widest spread of churn rates.

        Returns
        -------
        str
            Markdown sentences in the report's language.

        Examples
        --------
        >>> table = pd.DataFrame({"segment": ["a", "a", "b", "b"], "level": ["x", "y", "u", "v"],
        ...                       "rate": [0.1, 0.2, 0.05, 0.5]})
        >>> table = pd.DataFrame({"segment": ["a", "a", "b", "b"], "level": ["x", "y", "u", "v"],
        ...                       "rate": [0.1, 0.2, 0.05, 0.5], "low": [0.05, 0.1, 0.02, 0.4],
        ...                       "high": [0.2, 0.3, 0.1, 0.6]})
        >>> tests = pd.DataFrame({"segment": ["b"], "p_value": [1e-9], "cramers_v": [0.42], "low": [0.3], "high": [0.5]})
        >>> SegmentChurnSection(table=table, tests=tests).finding()
        "Churn differs most by b: 50.0% [40.0%, 60.0%] for v against 5.0% [2.0%, 10.0%] for u. Cramér's V is 0.42 [0.30, 0.50] (chi-square p < 0.001)."
        """
        top, bottom = widest_segment(self.table)
        bounds = fmt.SHARE_BOUNDS if self.base == "start" else None
        parts = [
            _("Churn differs most by {segment}: {high} for {high_level} against {low} for {low_level}.").format(
                segment=self._label(top.segment),
                high=fmt.estimate(top.rate, top.low, top.high, bounds=bounds),
                high_level=top.level,
                low=fmt.estimate(bottom.rate, bottom.low, bottom.high, bounds=bounds),
                low_level=bottom.level,
            )
        ]
        if self.tests is not None and (self.tests.segment == top.segment).any():
            test = self.tests[self.tests.segment == top.segment].iloc[0]
            if pd.notna(test.cramers_v):
                parts.append(
                    _("Cramér's V is {v} (chi-square {p}).").format(
                        v=fmt.estimate(test.cramers_v, test.low, test.high, kind="number"),
                        p=fmt.p_value(test.p_value, label=True),
                    )
                )
        return _sentences(parts)

    def results(self) -> dict:
        """Named results for the batch runner (``results.json``).

        Returns
        -------
        dict
            ``churn_by_segment`` (the table's rows) and ``churn_segment_tests``.
        """
        results = {"churn_by_segment": self.table[["segment", "level", "n", "churned", "rate", "low", "high"]]}
        if self.tests is not None:
            results["churn_segment_tests"] = self.tests
        return results


def segment_section(chosen: ChurnSettings) -> SegmentChurnSection | Skipped:
    """Churn by level of each segment column, with a chi-square test and Cramér's V per column.

    Parameters
    ----------
    chosen : ChurnSettings
        The checked notebook parameters and data (from :func:`settings`).

    Returns
    -------
    SegmentChurnSection or Skipped
        Churn rates per level and one test per segment column.
        A :class:`~csat_analysis.studies.core.Skipped` note says why the
        section could not run on these data and what would fix it.
    """
    title = N_("Churn by segment")
    if not chosen.segments:
        return _skipped(title, N_("no segment column is named"), N_("name them in `segments` or the survey's roles"))

    def compute():
        table = ch.churn_by_segments(
            chosen.data, chosen.churn, chosen.segments, tenure=TENURE, base=chosen.churn_base, weights=chosen.weights
        )
        if table["rate"].notna().sum() == 0:
            return _skipped(
                title,
                N_("no segment level has customers at the start of the period"),
                N_("use more data or the start base"),
            )
        tests = ch.segment_association(chosen.data, chosen.churn, chosen.segments)
        return SegmentChurnSection(
            title=_(title),
            table=table,
            source=chosen.source,
            base=chosen.churn_base,
            tests=tests,
            weighted=chosen.weights is not None,
            labels=chosen.labels,
        )

    return _guarded(title, N_("check the segment columns"), compute)


# --- 3. retention curves --------------------------------------------------------------------


@dataclass
class RetentionSection(Section):
    """Kaplan-Meier curves, median lifetimes and log-rank tests per segment.

    Attributes
    ----------
    table : DataFrame
        Median lifetimes: ``segment``, ``level``, ``n``, ``churned``, ``median``, ``low``,
        ``high``, ``reached`` (:func:`csat_analysis.churn.median_lifetime`).
    curves : DataFrame
        Long retention curves (:func:`csat_analysis.churn.retention_curves_by_segment`).
    overall : Series
        The median lifetime of all customers.
    tests : DataFrame
        One log-rank test per segment (:func:`csat_analysis.churn.logrank_by_segment`).
    weighted_data : bool
        The data have survey weights that these (unweighted) estimates ignore.
    title : str
        Heading of the section in the report.
    source : str
        The data-source line printed under the section's table and figure.
    labels : dict
        Display names of columns and model terms (``{column: name}``).
    """

    curves: pd.DataFrame | None = field(default=None, repr=False)
    overall: pd.Series | None = field(default=None, repr=False)
    tests: pd.DataFrame | None = field(default=None, repr=False)
    weighted_data: bool = False
    labels: dict = field(default_factory=dict, repr=False)

    references = ("kaplan_meier1958", "greenwood1926", "brookmeyer_crowley1982", "mantel1966")

    def _label(self, column) -> str:
        return str(self.labels.get(column, column))

    def plot(self, ax=None):
        """One panel of retention curves per segment column; returns the axes.

        The log-log bands are missing where they are undefined (before a level's first
        churn, where the curve is still 1): no band is drawn there, rather than a band
        of zero width that would suggest certainty.

        Parameters
        ----------
        ax : matplotlib.axes.Axes or sequence of Axes, optional
            One axes per panel to draw on; a new figure when omitted.

        Returns
        -------
        numpy.ndarray of matplotlib.axes.Axes
            One axes per panel.
        """
        from .. import plots

        groups = list(self.curves.groupby("segment", sort=False))
        axes = _panel_axes(ax, len(groups), width=4.6, height=4.0)
        for panel, (name, curves) in zip(axes, groups):
            plots.retention_plot(curves, hue="level", ax=panel)
            panel.legend(title=self._label(name), fontsize=8, title_fontsize=9)
            panel.set_title(self._label(name))
            panel.set(xlabel=_("tenure (months)"), ylabel="")
        axes[0].set_ylabel(_("share still a customer"))
        axes[0].figure.suptitle(_("Kaplan-Meier retention curves (unweighted, 95% bands)"))
        plots.source_note(axes[0], self.source)
        return axes

    def tables(self) -> list:
        medians = self.table.drop(columns="reached")
        # Translators: the segment and level of the row of all customers in the median-lifetime table
        everyone = pgettext("all customers", "all")
        medians = medians.assign(
            segment=medians.segment.map(lambda s: everyone if s == "all" else self._label(s)),
            level=medians.level.map(lambda v: everyone if v == "all" else v),
        )
        tables = [
            styled_table(
                medians,
                _("Median customer lifetime in months"),
                self.source,
                labels=table_labels(),
                digits=1,
                missing_labels={"median": _("not reached")},
            )
        ]
        if len(self.tests):
            tests = self.tests.assign(segment=self.tests.segment.map(self._label))
            tables.append(
                styled_table(
                    tests,
                    _("Log-rank tests: do the retention curves differ between a segment's levels?"),
                    self.source,
                    labels=table_labels(),
                    digits=2,
                )
            )
        return tables

    def shortest(self) -> pd.Series | None:
        """The segment level with the shortest reached median (None without segments or reached medians).

        Returns
        -------
        Series or None
            The row of :attr:`table` with the shortest reached median lifetime; ``None``
            without segments or when no median is reached.
        """
        if self.tests.empty:  # no segments: the only row is all customers, said by the overall sentence
            return None
        reached = self.table[self.table.reached]
        return reached.sort_values("median").iloc[0] if len(reached) else None

    def finding(self) -> str:
        """The overall median, the shortest segment median and how many log-rank tests reject.

        Returns
        -------
        str
            Markdown sentences in the report's language.
        """
        return _sentences(self._sentences())

    def _sentences(self) -> list[str]:
        overall = self.overall
        parts = [
            _("Half of all customers have left after {median} months.").format(
                median=fmt.estimate(overall["median"], overall["low"], overall["high"], kind="number", decimals=1)
            )
            if overall.reached
            else _(
                "Fewer than half of all customers have left within the observed tenure, so the overall "
                "median lifetime is not reached."
            )
        ]
        shortest = self.shortest()
        if shortest is not None:
            parts.append(
                _("The shortest median lifetime is {median} months ({segment} = {level}).").format(
                    median=fmt.estimate(
                        shortest["median"], shortest["low"], shortest["high"], kind="number", decimals=1
                    ),
                    segment=self._label(shortest.segment),
                    level=shortest.level,
                )
            )
        if len(self.tests):
            differ = int((self.tests.p_value < 0.05).sum())
            strongest = self.tests.sort_values("statistic").iloc[-1]
            parts.append(
                _(
                    "{differ} of {n} segmentations have retention curves that differ at the 5% level "
                    "(log-rank; most clearly {segment}, {p})."
                ).format(
                    differ=differ,
                    n=len(self.tests),
                    segment=self._label(strongest.segment),
                    p=fmt.p_value(strongest.p_value, label=True),
                )
            )
        if self.weighted_data:
            parts.append(
                _("These curves are unweighted (every customer counts once), unlike the weighted churn rates above.")
            )
        return parts

    def headline(self) -> str:
        """The overall median, or, where it is not reached, that and the shortest segment median.

        Returns
        -------
        str
            One Markdown sentence.
        """
        from .core import first_sentence

        parts = self._sentences()
        if self.overall.reached or self.shortest() is None:
            return first_sentence(parts[0])
        if current_language() == "zh":
            return f"{parts[0][:-1]}；{parts[1]}"
        return f"{parts[0][:-1]}; {parts[1][:1].lower()}{parts[1][1:]}"

    def results(self) -> dict:
        """``median_lifetime_months`` (table) and ``median_lifetime_months_overall`` (None if not reached).

        Returns
        -------
        dict
            The median lifetimes per segment level, and that of all customers.
        """
        columns = ["segment", "level", "n", "churned", "median", "low", "high", "reached"]
        overall = float(self.overall["median"]) if self.overall.reached else None
        return {"median_lifetime_months": self.table[columns], "median_lifetime_months_overall": overall}


def retention_section(chosen: ChurnSettings) -> RetentionSection:
    """Retention curves, median lifetimes and log-rank tests for the segments other than tenure band.

    Parameters
    ----------
    chosen : ChurnSettings
        The checked notebook parameters and data (from :func:`settings`).

    Returns
    -------
    RetentionSection
        Retention curves, median lifetimes and log-rank tests.

    Examples
    --------
    >>> frame = pd.DataFrame({"months": [1, 2, 3, 4, 5, 6], "left": [1, 1, 0, 0, 0, 0], "plan": list("aaabbb")})
    >>> chosen = ChurnSettings(frame.assign(tenure_months=frame.months), "x", "user", "Hand data", "months", "left",
    ...                        "months", ["plan"], [], None, None, None)
    >>> section = retention_section(chosen)  # plan a: S = 2/3, 1/3; log-rank (2 - 0.9)^2 / 0.49 = 2.47 on 1 dof
    >>> section.finding()  # doctest: +NORMALIZE_WHITESPACE
    'Fewer than half of all customers have left within the observed tenure, so the overall median lifetime is not
    reached. The shortest median lifetime is 2.0 months (plan = a). 0 of 1 segmentations have retention curves that
    differ at the 5% level (log-rank; most clearly plan, p = 0.116).'
    """
    title = N_("Retention curves")
    data = chosen.data
    # a segment column with a single level left (a filtered segment) has no curves to compare
    segments = [c for c in chosen.time_segments if data[c].nunique() > 1]

    def compute():
        overall = ch.median_lifetime(data, TENURE, chosen.churn).iloc[0]
        if segments:
            medians = ch.for_each_segment(ch.median_lifetime, data, segments, tenure=TENURE, churn=chosen.churn)
        else:
            medians = ch.median_lifetime(data, TENURE, chosen.churn).assign(segment="all", level="all")
        return RetentionSection(
            title=_(title),
            table=medians,
            source=chosen.source,
            curves=ch.retention_curves_by_segment(data, TENURE, chosen.churn, segments),
            overall=overall,
            tests=ch.logrank_by_segment(data, TENURE, chosen.churn, segments),
            weighted_data=chosen.weights is not None,
            labels=chosen.labels,
        )

    return _guarded(title, N_("use more customers"), compute)


@dataclass
class SimulationCheckSection(Section):
    """Kaplan-Meier estimates against the simulator's geometric truth (:func:`csat_analysis.churn.simulation_check`).

    Attributes
    ----------
    title : str
        Heading of the section in the report.
    table : DataFrame
        Kaplan-Meier medians and restricted means against the simulator's true
        values (:func:`csat_analysis.churn.simulation_check`).
    source : str
        The data-source line printed under the section's table and figure.
    """

    references = ("kaplan_meier1958", "brookmeyer_crowley1982")

    def tables(self) -> list:
        return [
            styled_table(
                self.table,
                _("Simulated data: Kaplan-Meier against the known geometric churn"),
                self.source,
                labels=table_labels(),
                digits=2,
                percent=["monthly_hazard"],
            )
        ]

    def finding(self) -> str:
        """Whether the Kaplan-Meier medians cover the true medians, and how far the restricted means are off.

        A true median beyond the horizon (the longest observed tenure) cannot be
        estimated; such groups are named instead of being counted as misses.

        Returns
        -------
        str
            Markdown sentences in the report's language.

        Examples
        --------
        >>> check = pd.DataFrame({"true_median": [10.0, 139.0], "km_median": [11.0, np.nan], "low": [9.0, np.nan],
        ...                       "high": [12.0, np.nan], "true_rmst": [20.0, 60.0], "km_rmst": [20.5, 60.0],
        ...                       "horizon": 72.0})
        >>> SimulationCheckSection(table=check).finding()
        'The 95% intervals of the Kaplan-Meier medians contain the true median in 1 of 1 groups (1 true median lies beyond the 72-month horizon, so it cannot be estimated); the restricted means are within 2.5% of the truth.'
        """
        check = self.table
        estimable = check[check.true_median <= check.horizon]
        covered = int(((estimable.low <= estimable.true_median) & (estimable.true_median <= estimable.high)).sum())
        beyond = len(check) - len(estimable)
        worst = float((check.km_rmst / check.true_rmst - 1).abs().max())
        if not beyond:
            text = _(
                "The 95% intervals of the Kaplan-Meier medians contain the true median in {covered} of {groups} "
                "groups; the restricted means are within {worst} of the truth."
            )
        else:
            text = ngettext(
                "The 95% intervals of the Kaplan-Meier medians contain the true median in {covered} of {groups} "
                "groups ({beyond} true median lies beyond the {horizon}-month horizon, so it cannot be estimated); "
                "the restricted means are within {worst} of the truth.",
                "The 95% intervals of the Kaplan-Meier medians contain the true median in {covered} of {groups} "
                "groups ({beyond} true medians lie beyond the {horizon}-month horizon, so they cannot be estimated); "
                "the restricted means are within {worst} of the truth.",
                beyond,
            )
        return text.format(
            covered=covered,
            groups=len(estimable),
            beyond=beyond,
            horizon=fmt.number(check.horizon.iloc[0], 0),
            worst=_pct(worst),
        )


def simulation_section(chosen: ChurnSettings) -> SimulationCheckSection | Skipped:
    """The known-truth check on simulated data; skipped on other data.

    Parameters
    ----------
    chosen : ChurnSettings
        The checked notebook parameters and data (from :func:`settings`).

    Returns
    -------
    SimulationCheckSection or Skipped
        The estimates against the simulator's truth (on simulated data).
        A :class:`~csat_analysis.studies.core.Skipped` note says why the
        section could not run on these data and what would fix it.
    """
    title = N_("Check against the known truth")
    if not chosen.is_simulated or not chosen.truth or "monthly_churn_hazard" not in chosen.truth:
        reason = (
            N_("{name} is real data with no known truth") if chosen.kind == "real" else N_("{name} has no known truth")
        )
        return _skipped(title, reason, N_('run it with dataset="simulated"'), name=chosen.name)
    if "repurchase" not in chosen.data or chosen.data["repurchase"].nunique() < 2:
        return _skipped(
            title,
            N_("the known truth is given per repurchase group and these data hold only one"),
            N_("leave `segment_value` unset or filter on another column"),
        )
    return _guarded(
        title,
        N_("simulate more customers (`n`)"),
        lambda: SimulationCheckSection(
            title=_(title),
            table=ch.simulation_check(chosen.data, TENURE, chosen.churn, chosen.truth["monthly_churn_hazard"]),
            source=chosen.source,
        ),
    )


# --- 4. drivers -----------------------------------------------------------------------------------


@dataclass
class DriversSection(Section):
    """Odds ratios of a logistic model of churn (:func:`csat_analysis.churn.churn_drivers`).

    Attributes
    ----------
    title : str
        Heading of the section in the report.
    table : DataFrame
        One row per model term: ``term``, ``coef`` (log-odds), ``se``,
        ``odds_ratio`` with its 95% ``low`` and ``high``, and ``p_value``.
    source : str
        The data-source line printed under the section's table and figure.
    n : int
        Customers in the model.
    pseudo_r2 : float
        McFadden's pseudo R-squared of the model.
    alpha : float
        Significance level used to call a term a driver.
    labels : dict
        Display names of columns and model terms (``{column: name}``).
    """

    n: int = 0
    pseudo_r2: float = float("nan")
    alpha: float = 0.05
    labels: dict = field(default_factory=dict, repr=False)

    references = ("mcfadden1974",)

    @property
    def shown(self) -> pd.DataFrame:
        """The table with terms under display names (recorded results keep the model's terms)."""
        return _labelled_terms(self.table, self.labels)

    def plot(self, ax=None):
        """Forest plot of the odds ratios on a log axis; returns the axes.

        Parameters
        ----------
        ax : matplotlib.axes.Axes, optional
            Axes to draw on; a new figure when omitted.

        Returns
        -------
        matplotlib.axes.Axes
            The axes holding the figure.
        """
        import matplotlib.ticker as mticker

        from .. import plots

        ax = _single_axes(ax, (7, 0.4 * len(self.table) + 1.5))
        plots.odds_ratio_plot(self.shown, ax=ax)
        ax.xaxis.set_major_locator(mticker.LogLocator(base=10, subs=(1, 2, 5)))
        ax.xaxis.set_major_formatter(mticker.FuncFormatter(lambda value, position: f"{value:g}"))
        ax.xaxis.set_minor_formatter(mticker.NullFormatter())
        ax.set(xlabel=_("odds ratio (log scale)"), title=_("Odds ratios of churning (95% intervals)"))
        plots.source_note(ax, self.source)
        return ax

    def tables(self) -> list:
        caption = _("Logistic model of churn, n = {n}, McFadden pseudo R² = {pseudo_r2}").format(
            n=_count(self.n), pseudo_r2=fmt.number(self.pseudo_r2, 3)
        )
        return [
            styled_table(
                self.shown.drop(columns=["variable", "level"], errors="ignore"),
                caption,
                self.source,
                labels=table_labels(),
                digits=3,
            )
        ]

    def finding(self) -> str:
        """Strongest significant risk factor and protection.

        Returns
        -------
        str
            Markdown sentences in the report's language.

        Examples
        --------
        >>> table = pd.DataFrame({"term": ["a", "b", "c"], "odds_ratio": [2.0, 0.5, 3.0], "p_value": [0.01, 0.02, 0.4]})
        >>> table = table.assign(low=[1.2, 0.3, 0.8], high=[3.3, 0.8, 11.0])
        >>> DriversSection(table=table).finding()
        'The strongest risk factor is a (odds ratio 2.00 [1.20, 3.30]). The strongest protection is b (odds ratio 0.50 [0.30, 0.80]). 2 of 3 terms are significant at the 5% level.'
        >>> DriversSection(table=table.assign(p_value=0.5)).finding()
        'No term is significant at the 5% level (0 of 3).'
        """
        return _ratio_finding(self.shown, "odds_ratio", self.alpha)

    def strongest_risk(self) -> pd.Series | None:
        """The significant term with the largest odds ratio above 1 (None if there is none).

        Returns
        -------
        Series or None
            The row of :attr:`shown` with the largest significant odds ratio above 1;
            ``None`` when no term raises the odds of churn significantly.
        """
        shown = self.shown
        risks = shown[(shown.p_value < self.alpha) & (shown.odds_ratio > 1)]
        return risks.sort_values("odds_ratio").iloc[-1] if len(risks) else None

    def results(self) -> dict:
        """Named results for the batch runner (``results.json``).

        Returns
        -------
        dict
            ``churn_drivers``: the model's terms with their odds ratios.
        """
        return {"churn_drivers": self.table[["term", "odds_ratio", "low", "high", "p_value"]]}


def _ratio_finding(table: pd.DataFrame, column: str, alpha: float) -> str:
    """Strongest significant ratio above and below 1, with intervals, and how many terms are significant.

    ``column`` is ``"odds_ratio"`` or ``"hazard_ratio"``; each has its own sentences.
    """
    significant = table[table.p_value < alpha]
    level = fmt.percent(alpha, 0)
    if significant.empty:
        return _("No term is significant at the {level} level (0 of {n}).").format(level=level, n=len(table))
    parts = []
    up = significant[significant[column] > 1]
    down = significant[significant[column] < 1]
    if column == "hazard_ratio":
        risk = _("The strongest risk factor is {term} (hazard ratio {ratio}).")
        protection = _("The strongest protection is {term} (hazard ratio {ratio}).")
    else:
        risk = _("The strongest risk factor is {term} (odds ratio {ratio}).")
        protection = _("The strongest protection is {term} (odds ratio {ratio}).")

    def stated(template: str, row) -> str:
        return template.format(
            term=row.term, ratio=fmt.estimate(row[column], row.get("low"), row.get("high"), kind="number")
        )

    if len(up):
        parts.append(stated(risk, up.sort_values(column).iloc[-1]))
    if len(down):
        parts.append(stated(protection, down.sort_values(column).iloc[0]))
    parts.append(
        _("{significant} of {n} terms are significant at the {level} level.").format(
            significant=len(significant), n=len(table), level=level
        )
    )
    return _sentences(parts)


def _labelled_terms(table: pd.DataFrame, labels: dict) -> pd.DataFrame:
    """Model terms named by display names: ``"contract: One year"`` -> ``"Contract: One year"`` when labelled."""

    def rename(term: str) -> str:
        for column in sorted(labels, key=len, reverse=True):
            if term == column or term.startswith((f"{column}: ", f"{column}[")):
                return str(labels[column]) + term[len(column) :]
        return _(DERIVED_LABELS[term]) if term in DERIVED_LABELS else term

    return table.assign(term=table["term"].astype(str).map(rename))


def drivers_section(chosen: ChurnSettings) -> DriversSection | Skipped:
    """A logistic model of churn on the driver columns and tenure (a note when it cannot be estimated).

    Parameters
    ----------
    chosen : ChurnSettings
        The checked notebook parameters and data (from :func:`settings`).

    Returns
    -------
    DriversSection or Skipped
        Odds ratios of the logistic model of churn.
        A :class:`~csat_analysis.studies.core.Skipped` note says why the
        section could not run on these data and what would fix it.
    """
    title = N_("Drivers of churn")
    if not 0 < int(chosen.data[chosen.churn].astype(bool).sum()) < len(chosen.data):
        return _skipped(
            title,
            N_("a model of churn needs customers who churned and customers who stayed"),
            N_("use a larger segment"),
        )

    def compute():
        drivers = ch.churn_drivers(chosen.data, chosen.churn, chosen.drivers)
        return DriversSection(
            title=_(title),
            table=drivers.table,
            source=chosen.source,
            n=drivers.n,
            pseudo_r2=drivers.pseudo_r2,
            labels=chosen.labels,
        )

    return _guarded(title, N_("use more customers or fewer drivers"), compute)


# --- 4b. Cox proportional hazards ----------------------------------------------------------------


@dataclass
class CoxSection(Section):
    """Hazard ratios of a Cox proportional-hazards model of time to churn (:func:`csat_analysis.survival.cox`).

    Attributes
    ----------
    table : DataFrame
        ``term``, ``hazard_ratio``, ``low``, ``high``, ``p_value`` (and the model's other columns).
    concordance : float
        Harrell's C of the model (0.5: no better than chance; 1: perfect ranking).
    ph_test : DataFrame
        The Grambsch-Therneau proportional-hazards check per covariate and ``GLOBAL``.
    n, events : int
        Customers in the model and churn events among them.
    title : str
        Heading of the section in the report.
    source : str
        The data-source line printed under the section's table and figure.
    alpha : float
        Significance level of the proportional-hazards check and of the drivers named.
    labels : dict
        Display names of columns and model terms (``{column: name}``).
    """

    concordance: float = float("nan")
    ph_test: pd.DataFrame | None = field(default=None, repr=False)
    n: int = 0
    events: int = 0
    alpha: float = 0.05
    labels: dict = field(default_factory=dict, repr=False)

    references = ("cox1972", "harrell1982", "grambsch_therneau1994")

    @property
    def shown(self) -> pd.DataFrame:
        """The table with terms under display names (recorded results keep the model's terms)."""
        return _labelled_terms(self.table, self.labels)

    def plot(self, ax=None):
        """Forest plot of the hazard ratios on a log axis; returns the axes.

        Parameters
        ----------
        ax : matplotlib.axes.Axes, optional
            Axes to draw on; a new figure when omitted.

        Returns
        -------
        matplotlib.axes.Axes
            The axes holding the figure.
        """
        import matplotlib.ticker as mticker

        from .. import plots

        ax = _single_axes(ax, (7, 0.4 * len(self.table) + 1.5))
        plots.odds_ratio_plot(self.shown, odds_ratio="hazard_ratio", ax=ax)
        ax.xaxis.set_major_locator(mticker.LogLocator(base=10, subs=(1, 2, 5)))
        ax.xaxis.set_major_formatter(mticker.FuncFormatter(lambda value, position: f"{value:g}"))
        ax.xaxis.set_minor_formatter(mticker.NullFormatter())
        ax.set(xlabel=_("hazard ratio (log scale)"), title=_("Hazard ratios of churning (95% intervals)"))
        plots.source_note(ax, self.source)
        return ax

    def tables(self) -> list:
        shown = self.shown[["term", "hazard_ratio", "low", "high", "p_value"]]
        ph = _labelled_terms(self.ph_test, self.labels)
        # Translators: the row of the proportional-hazards check that tests all covariates together
        ph = ph.assign(term=ph.term.replace({"GLOBAL": pgettext("proportional-hazards check", "GLOBAL")}))
        caption = _(
            "Cox proportional-hazards model of time to churn, n = {n}, {events} churned, concordance {concordance}"
        ).format(n=_count(self.n), events=_count(self.events), concordance=fmt.number(self.concordance, 3))
        return [
            styled_table(shown, caption, self.source, labels=table_labels(), digits=3),
            styled_table(
                ph,
                _("Proportional-hazards check (Grambsch-Therneau; small p: the hazard ratio changes with tenure)"),
                self.source,
                labels=table_labels(),
                digits=2,
            ),
        ]

    def headline(self) -> str:
        """The strongest hazard ratio with its interval, and the model's concordance.

        Returns
        -------
        str
            One Markdown sentence.
        """
        from .core import first_sentence

        strongest = first_sentence(_ratio_finding(self.shown, "hazard_ratio", self.alpha))
        if current_language() == "en":
            strongest = strongest[:1].lower() + strongest[1:]
        return _("Cox model (concordance {concordance}): {finding}").format(
            concordance=fmt.number(self.concordance), finding=strongest
        )

    def ph_violations(self) -> list[str]:
        """Covariates whose hazard ratio changes with tenure (proportional-hazards check p < alpha).

        Returns
        -------
        list of str
            Display names of the covariates that fail the check (empty: none does).
        """
        ph = _labelled_terms(self.ph_test, self.labels)
        rows = ph[(ph.term != "GLOBAL") & (ph.p_value < self.alpha)]
        return rows["term"].astype(str).tolist()

    def finding(self) -> str:
        """Concordance, the strongest hazard ratios and the proportional-hazards verdict.

        Returns
        -------
        str
            Markdown sentences in the report's language.

        Examples
        --------
        >>> table = pd.DataFrame({"term": ["a", "b"], "hazard_ratio": [2.0, 0.9], "low": [1.5, 0.7],
        ...                       "high": [2.7, 1.1], "p_value": [1e-6, 0.3]})
        >>> ph = pd.DataFrame({"term": ["a", "b", "GLOBAL"], "statistic": [9.0, 0.1, 9.1], "dof": [1, 1, 2],
        ...                    "p_value": [0.003, 0.75, 0.01]})
        >>> CoxSection(table=table, ph_test=ph, concordance=0.71).finding()  # doctest: +NORMALIZE_WHITESPACE
        'The Cox model ranks who churns sooner with a concordance of 0.71 (0.5: chance). The strongest risk factor
        is a (hazard ratio 2.00 [1.50, 2.70]). 1 of 2 terms are significant at the 5% level. The hazards of a
        change with tenure (proportional-hazards check p < 0.05), so its hazard ratio is an average over tenure.'
        """
        parts = [
            _("The Cox model ranks who churns sooner with a concordance of {concordance} (0.5: chance).").format(
                concordance=fmt.number(self.concordance)
            ),
            _ratio_finding(self.shown, "hazard_ratio", self.alpha),
        ]
        violations = self.ph_violations()
        if violations:
            parts.append(
                ngettext(
                    "The hazards of {terms} change with tenure (proportional-hazards check p < {alpha}), so its hazard "
                    "ratio is an average over tenure.",
                    "The hazards of {terms} change with tenure (proportional-hazards check p < {alpha}), so their hazard "
                    "ratios are an average over tenure.",
                    len(violations),
                ).format(terms=_(", ").join(violations), alpha=fmt.number(self.alpha))
            )
        else:
            parts.append(_("The proportional-hazards check finds no hazard ratio that changes with tenure."))
        return _sentences(parts)

    def results(self) -> dict:
        """Named results for the batch runner (``results.json``).

        Returns
        -------
        dict
            ``cox_hazard_ratios``, ``cox_concordance`` and ``cox_ph_test``.
        """
        return {
            "cox_concordance": float(self.concordance),
            "cox_hazard_ratios": self.table[["term", "hazard_ratio", "low", "high", "p_value"]],
            "cox_ph_test": self.ph_test,
        }


def cox_section(chosen: ChurnSettings) -> CoxSection | Skipped:
    """A Cox proportional-hazards model of time to churn on the driver columns (tenure is its time axis).

    Parameters
    ----------
    chosen : ChurnSettings
        The checked notebook parameters and data (from :func:`settings`).

    Returns
    -------
    CoxSection or Skipped
        Hazard ratios of the Cox model and its proportional-hazards check.
        A :class:`~csat_analysis.studies.core.Skipped` note says why the
        section could not run on these data and what would fix it.
    """
    from .. import survival

    title = N_("Hazard of churning (Cox model)")
    covariates = chosen.cox_covariates
    if not covariates:
        return _skipped(
            title,
            N_("the driver model has no covariate besides tenure, which is the hazard model's time axis"),
            N_("name driver columns in the survey's churn roles or `segments`"),
        )
    if not 0 < int(chosen.data[chosen.churn].astype(bool).sum()) < len(chosen.data):
        return _skipped(
            title, N_("a hazard model needs customers who churned and customers who stayed"), N_("use a larger segment")
        )

    def compute():
        fit = survival.cox(chosen.data, TENURE, chosen.churn, covariates)
        if not np.isfinite(fit.table["hazard_ratio"]).all() or not np.isfinite(fit.concordance):
            return _skipped(
                title,
                N_("the partial likelihood has no finite maximum on these data"),
                N_("use more customers or fewer drivers"),
            )
        table = fit.table.copy()
        table["p_value"] = np.maximum(table["p_value"].to_numpy(dtype=float), ch.P_VALUE_FLOOR)
        return CoxSection(
            title=_(title),
            table=table,
            source=chosen.source,
            concordance=fit.concordance,
            ph_test=fit.ph_test,
            n=fit.n,
            events=fit.events,
            labels=chosen.labels,
        )

    return _guarded(title, N_("use more customers or fewer drivers"), compute)


# --- 5. lifetime value ---------------------------------------------------------------------------


@dataclass
class ValueSection(Section):
    """Lifetime value per segment under stated assumptions (:func:`csat_analysis.churn.lifetime_value`).

    Attributes
    ----------
    title : str
        Heading of the section in the report.
    table : DataFrame
        Lifetime value per level of each segment column: ``monthly_revenue``,
        ``mean_tenure``, ``clv_to_date``, ``horizon``, ``expected_lifetime`` and
        ``clv_expected`` (:func:`csat_analysis.churn.lifetime_value`).
    source : str
        The data-source line printed under the section's table and figure.
    margin : float
        Profit margin, as a share of revenue (an assumption, not data).
    acquisition_cost : float
        One-off cost of winning a customer (an assumption).
    retention_cost : float
        Monthly cost of keeping a customer (an assumption).
    monthly_revenue : str or None
        The column of revenue per month.
    labels : dict
        Display names of columns and model terms (``{column: name}``).
    """

    margin: float = 0.3
    acquisition_cost: float = 100.0
    retention_cost: float = 2.0
    monthly_revenue: str | None = None
    labels: dict = field(default_factory=dict, repr=False)

    references = ("churn_training", "kaplan_meier1958")

    def _label(self, column) -> str:
        return str(self.labels.get(column, column))

    def headline(self) -> str:
        """The best against the worst expected value (the assumptions stay in the section).

        Returns
        -------
        str
            One Markdown sentence.
        """
        from .core import first_sentence

        return first_sentence(self.finding().split("\n\n", 1)[-1])

    def assumptions(self) -> dict:
        """The value assumptions as recorded results (margin, costs, revenue column).

        Returns
        -------
        dict
            The keys ``margin``, ``acquisition_cost``, ``retention_cost_per_month`` and
            ``monthly_revenue_column``.
        """
        return {
            "margin": self.margin,
            "acquisition_cost": self.acquisition_cost,
            "retention_cost_per_month": self.retention_cost,
            "monthly_revenue_column": self.monthly_revenue,
        }

    def assumptions_note(self) -> str:
        """The assumptions in words, labelled as assumptions (parameters), not data.

        Returns
        -------
        str
            One Markdown sentence in the report's language.

        Examples
        --------
        >>> ValueSection(margin=0.3, acquisition_cost=100, retention_cost=2, monthly_revenue="charges").assumptions_note()[:60]
        '**Assumptions (notebook parameters, not data):** profit marg'
        """
        parts = [
            _(
                "**Assumptions (notebook parameters, not data):** profit margin {margin} of revenue; acquisition "
                "cost {acquisition_cost} per customer, paid once; retention cost {retention_cost} per customer per "
                "month."
            ).format(
                margin=fmt.percent(self.margin, 0),
                acquisition_cost=fmt.number(self.acquisition_cost, 2),
                retention_cost=fmt.number(self.retention_cost, 2),
            )
        ]
        if self.monthly_revenue:
            parts.append(
                _("Revenue per customer-month comes from the data (`{column}`).").format(column=self.monthly_revenue)
            )
        parts.append(_("Change the parameters and the values change with them."))
        return _sentences(parts)

    def first_segment(self) -> pd.DataFrame:
        """Rows of the first segmentation, the one the figure and the finding use.

        Returns
        -------
        DataFrame
            The rows of :attr:`table` for the first segment column.
        """
        return self.table[self.table.segment == self.table.segment.iloc[0]]

    def plot(self, ax=None):
        """Expected lifetime value per level of the first segmentation; returns the axes.

        Parameters
        ----------
        ax : matplotlib.axes.Axes, optional
            Axes to draw on; a new figure when omitted.

        Returns
        -------
        matplotlib.axes.Axes
            The axes holding the figure.
        """
        from .. import plots

        first = self.first_segment()
        ax = _single_axes(ax, (6, 4))
        ax.bar(first.level.map(str), first.clv_expected, color="C0")
        ax.axhline(0, color="0.3", linewidth=1)
        title = _("Expected lifetime value by {segment}\n(assumed margin {margin}, horizon {horizon} months)")
        ax.set(
            xlabel="",
            ylabel=_("expected lifetime value per customer"),
            title=title.format(
                segment=self._label(first.segment.iloc[0]),
                margin=fmt.percent(self.margin, 0),
                horizon=fmt.number(first.horizon.iloc[0], 0),
            ),
        )
        plots.source_note(ax, self.source)
        return ax

    def tables(self) -> list:
        shown = self.table.assign(segment=self.table.segment.map(self._label))
        caption = _("Lifetime value per customer under the assumptions stated below (revenue column: {column})").format(
            column=self.monthly_revenue
        )
        return [styled_table(shown, caption, self.source, labels=table_labels(), digits=1)]

    def finding(self) -> str:
        """The assumptions, then the best and worst expected value in the first segmentation.

        Returns
        -------
        str
            Markdown sentences in the report's language.
        """
        rows = self.first_segment().sort_values("clv_expected")
        best, worst = rows.iloc[-1], rows.iloc[0]
        parts = [
            _(
                "Under these assumptions, a customer with {segment} = {best_level} is expected to be worth "
                "{best_value} over {best_lifetime} months, against {worst_value} over {worst_lifetime} months for "
                "{worst_level}."
            ).format(
                segment=self._label(best.segment),
                best_level=best.level,
                best_value=fmt.number(best.clv_expected, 0),
                best_lifetime=fmt.number(best.expected_lifetime, 1),
                worst_value=fmt.number(worst.clv_expected, 0),
                worst_lifetime=fmt.number(worst.expected_lifetime, 1),
                worst_level=worst.level,
            )
        ]
        if best.clv_expected < 0:
            parts.append(
                _(
                    "No level earns back the assumed acquisition cost within the {horizon}-month horizon the "
                    "data covers; longer follow-up or other cost assumptions may change that."
                ).format(horizon=fmt.number(best.horizon, 0))
            )
        return f"{self.assumptions_note()}\n\n{_sentences(parts)}"

    def results(self) -> dict:
        """Named results for the batch runner (``results.json``).

        Returns
        -------
        dict
            ``clv_by_segment`` and ``clv_assumptions``.
        """
        return {"clv_by_segment": self.table, "clv_assumptions": self.assumptions()}


def value_section(chosen: ChurnSettings) -> ValueSection | Skipped:
    """Lifetime value per segment (segments other than tenure band), or why it cannot be computed.

    Parameters
    ----------
    chosen : ChurnSettings
        The checked notebook parameters and data (from :func:`settings`).

    Returns
    -------
    ValueSection or Skipped
        Lifetime value per segment level under the stated assumptions.
        A :class:`~csat_analysis.studies.core.Skipped` note says why the
        section could not run on these data and what would fix it.
    """
    title = N_("Lifetime value")
    if chosen.monthly_revenue is None:
        return _skipped(
            title,
            N_("the data have no revenue column"),
            N_("the restricted mean lifetimes of the retention curves still compare segments"),
        )
    if not chosen.time_segments:
        return _skipped(
            title,
            N_(
                "lifetime value needs a segment other than tenure band (bands compare customers by "
                "how long they have already stayed)"
            ),
            N_("choose one in `segments`"),
        )

    def compute():
        table = ch.for_each_segment(
            ch.lifetime_value,
            chosen.data,
            chosen.time_segments,
            tenure=TENURE,
            churn=chosen.churn,
            monthly_revenue=chosen.monthly_revenue,
            margin=chosen.margin,
            acquisition_cost=chosen.acquisition_cost,
            retention_cost=chosen.retention_cost,
        )
        return ValueSection(
            title=_(title),
            table=table,
            source=chosen.source,
            margin=chosen.margin,
            acquisition_cost=chosen.acquisition_cost,
            retention_cost=chosen.retention_cost,
            monthly_revenue=chosen.monthly_revenue,
            labels=chosen.labels,
        )

    return _guarded(title, N_("use more customers"), compute)


# --- 6. causes ---------------------------------------------------------------------------------


@dataclass
class CausesSection(Section):
    """Churn causes with the quoted Rockefeller shares (:func:`csat_analysis.churn.churn_causes`).

    Attributes
    ----------
    title : str
        Heading of the section in the report.
    table : DataFrame
        One row per churn cause: ``cause``, ``n``, ``share`` with its Wilson 95%
        ``low`` and ``high``, ``controllable`` and the ``quoted_share`` of the
        Rockefeller figures (:func:`csat_analysis.churn.churn_causes`).
    source : str
        The data-source line printed under the section's table and figure.
    """

    references = ("leboeuf1987", "wilson1927")

    @property
    def controllable_share(self) -> float:
        """Share of churned customers who left for a cause the company controls."""
        return float(self.table.loc[self.table.controllable, "n"].sum() / self.table.n.sum())

    def plot(self, ax=None):
        """Shares of causes with Wilson intervals, the quoted shares as dashes; returns the axes.

        Parameters
        ----------
        ax : matplotlib.axes.Axes, optional
            Axes to draw on; a new figure when omitted.

        Returns
        -------
        matplotlib.axes.Axes
            The axes holding the figure.
        """
        from .. import plots

        ax = _single_axes(ax, (7, 4))
        plots.interval_plot(self.shown, x="cause", y="share", low="low", high="high", ax=ax, kind="bar")
        ax.scatter(
            range(len(self.table)),
            self.table.quoted_share,
            marker="_",
            s=400,
            color="black",
            zorder=3,
            label=_("quoted share (Rockefeller figures)"),
        )
        _percent_axis(ax.yaxis)
        ax.legend()
        ax.set(xlabel="", ylabel=_("share of churned customers"), title=_("Churn causes"))
        plots.source_note(ax, self.source)
        return ax

    def tables(self) -> list:
        shown = self.shown
        if "controllable" in shown:
            shown = shown.assign(controllable=shown.controllable.map(lambda flag: _("yes") if flag else _("no")))
        return [
            styled_table(
                shown,
                _(
                    "Churn causes among churned customers (Wilson 95% intervals) against the "
                    "widely quoted Rockefeller Corporation shares"
                ),
                self.source,
                labels=table_labels(),
                percent=["share", "low", "high", "quoted_share"],
                digits=2,
            )
        ]

    @property
    def shown(self) -> pd.DataFrame:
        """The table with the causes under their display names (recorded results keep the codes)."""
        return self.table.assign(cause=self.table.cause.map(lambda code: _cause(code)))

    def finding(self) -> str:
        """The controllable share against the quoted 91%.

        Returns
        -------
        str
            Markdown sentences in the report's language.

        Examples
        --------
        >>> table = pd.DataFrame({"n": [3, 1], "controllable": [True, False]})
        >>> CausesSection(table=table).finding()[:60]
        '75.0% of churned customers left for reasons the company cont'
        """
        quoted = sum(CAUSE_SHARES[c] for c in CONTROLLABLE_CAUSES)
        return _(
            "{share} of churned customers left for reasons the company controls ({causes}); {reference} put "
            "this at {quoted}."
        ).format(
            share=_pct(self.controllable_share),
            causes=_(", ").join(_cause(c) for c in CONTROLLABLE_CAUSES),
            reference=_(CAUSES_REFERENCE),
            quoted=fmt.percent(quoted, 0),
        )

    def results(self) -> dict:
        """Named results for the batch runner (``results.json``).

        Returns
        -------
        dict
            ``churn_causes`` and ``controllable_share``.
        """
        return {"churn_causes": self.table, "controllable_share": self.controllable_share}


def causes_section(chosen: ChurnSettings) -> CausesSection | Skipped:
    """Why churned customers left, when the data record it.

    Parameters
    ----------
    chosen : ChurnSettings
        The checked notebook parameters and data (from :func:`settings`).

    Returns
    -------
    CausesSection or Skipped
        Shares of churn causes against the quoted figures.
        A :class:`~csat_analysis.studies.core.Skipped` note says why the
        section could not run on these data and what would fix it.
    """
    title = N_("Why customers leave")
    if chosen.cause is None:
        return _skipped(
            title,
            N_("this data set ({name}) records no churn causes"),
            N_('the simulator does: dataset="simulated"'),
            name=chosen.name,
        )
    return _guarded(
        title,
        N_("check the churn-cause column"),
        lambda: CausesSection(
            title=_(title), table=ch.churn_causes(chosen.data, chosen.cause, churn=chosen.churn), source=chosen.source
        ),
    )


def _cause(code) -> str:
    """A churn cause's display name in the report's language (an unknown code as it is)."""
    return _(CAUSE_LABELS[code]) if code in CAUSE_LABELS else str(code)


# --- 7. findings -------------------------------------------------------------------------------


@dataclass
class KeyFindings(Section):
    """The closing list of findings, one Markdown bullet per section that has something to say.

    Attributes
    ----------
    title : str
        Heading of the section in the report.
    table : None
        Unused: the findings are text.
    source : str
        Unused.
    lines : list of str
        One Markdown bullet per section with a finding.
    """

    lines: list[str] = field(default_factory=list)

    def tables(self) -> list:
        """No tables: the section is stated in words.

        Returns
        -------
        list of pandas.io.formats.style.Styler
            Always empty: the finding carries the section's numbers.
        """
        return []

    def finding(self) -> str:
        return "\n".join(self.lines)

    def headline(self) -> str:
        return ""  # the recap repeats findings the summary box already leads with


def key_findings(
    *,
    overall: OverallSection,
    by_segment: SegmentChurnSection | Skipped,
    retention: RetentionSection | Skipped,
    drivers: DriversSection | Skipped,
    value: ValueSection | Skipped,
    causes: CausesSection | Skipped,
    examples: ExamplesSection,
) -> KeyFindings:
    """The closing findings from the sections shown before (skipped sections are left out).

    Parameters
    ----------
    overall : OverallSection
        From :func:`overall_section`.
    by_segment : SegmentChurnSection or Skipped
        From :func:`segment_section`.
    retention : RetentionSection or Skipped
        From :func:`retention_section`.
    drivers : DriversSection or Skipped
        From :func:`drivers_section`.
    value : ValueSection or Skipped
        From :func:`value_section`.
    causes : CausesSection or Skipped
        From :func:`causes_section`.
    examples : ExamplesSection
        From :func:`examples_section`.

    Returns
    -------
    KeyFindings
        The closing section: one Markdown bullet per section with a finding.

    Examples
    --------
    >>> frame = pd.DataFrame({"months": [1, 2, 3, 4, 5, 6, 7, 8], "left": [1, 0, 1, 0, 1, 1, 0, 0],
    ...                       "plan": list("aabbaabb"), "rev": 10.0})
    >>> chosen = ChurnSettings(frame.assign(tenure_months=frame.months), "x", "user", "Hand data", "months",
    ...                        "left", "months", ["plan"], ["plan"], None, None, None)
    >>> text = key_findings(overall=overall_section(chosen), by_segment=segment_section(chosen),
    ...                     retention=retention_section(chosen), drivers=drivers_section(chosen),
    ...                     value=value_section(chosen), causes=causes_section(chosen),
    ...                     examples=examples_section()).finding()
    >>> text.splitlines()[0]
    '- **Churn:** 50.0% of customers at the start churned (95% interval 21.5%-78.5%), 8 customers; Hand data.'
    """
    row = overall.row
    lines = [
        _("- **Churn:** {rate} of {base} churned (95% interval {low}-{high}), {n} customers; {source}.").format(
            rate=_pct(row.rate),
            base=_(BASE_LABELS[row.base]),
            low=_pct(row.low),
            high=_pct(row.high),
            n=_count(int(row.n)),
            source=overall.source,
        )
    ]
    if isinstance(by_segment, SegmentChurnSection):
        top, bottom = widest_segment(by_segment.table)
        lines.append(
            _(
                "- **Who leaves:** churn varies most by `{segment}`, from {low} ({low_level}) to {high} ({high_level})."
            ).format(
                segment=top.segment,
                low=_pct(bottom.rate),
                low_level=bottom.level,
                high=_pct(top.rate),
                high_level=top.level,
            )
        )
    shortest = retention.shortest() if isinstance(retention, RetentionSection) else None
    if shortest is not None:
        lines.append(
            _(
                "- **How long they stay:** the shortest median lifetime is {median} months (`{segment}` = {level})."
            ).format(median=fmt.number(shortest["median"], 1), segment=shortest.segment, level=shortest.level)
        )
    risk = drivers.strongest_risk() if isinstance(drivers, DriversSection) else None
    if risk is not None:
        lines.append(
            _("- **Drivers:** holding the rest fixed, {term} multiplies the odds of churning by {odds_ratio}.").format(
                term=risk.term, odds_ratio=fmt.number(risk.odds_ratio)
            )
        )
    if isinstance(value, ValueSection):
        rows = value.first_segment().sort_values("clv_expected")
        lines.append(
            _(
                "- **Value:** by `{segment}`, expected lifetime value per customer ranges from {low} "
                "({low_level}) to {high} ({high_level}), assuming a {margin} margin, {acquisition_cost} to "
                "acquire and {retention_cost} a month to retain a customer."
            ).format(
                segment=rows.segment.iloc[0],
                low=_count(rows.clv_expected.iloc[0]),
                low_level=rows.level.iloc[0],
                high=_count(rows.clv_expected.iloc[-1]),
                high_level=rows.level.iloc[-1],
                margin=fmt.percent(value.margin, 0),
                acquisition_cost=fmt.number(value.acquisition_cost, 2),
                retention_cost=fmt.number(value.retention_cost, 2),
            )
        )
    if isinstance(causes, CausesSection):
        lines.append(_("- **Causes:** {share} of churn is controllable.").format(share=_pct(causes.controllable_share)))
    a, b = (examples.table.set_index("example").loc[key] for key in ("A", "B"))
    lines.append(
        _(
            "- **Arithmetic:** the worked examples reproduce: A {a_start} ({a_end} on the end count), "
            "B {b_start} ({b_end})."
        ).format(a_start=_pct(a.rate_start), a_end=_pct(a.rate_end), b_start=_pct(b.rate_start), b_end=_pct(b.rate_end))
    )
    return KeyFindings(title=_("Findings"), source=overall.source, lines=lines)
