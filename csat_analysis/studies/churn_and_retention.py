"""The churn and retention study: settings, sections and findings of its notebook.

The notebook ``notebooks/churn_and_retention.ipynb`` resolves its parameters with
:func:`settings` and then shows one section per cell: the churn arithmetic of worked
examples from churn-management training material, churn on the data, retention curves,
drivers of churn, lifetime value, churn causes against the widely quoted figures
attributed to a Rockefeller Corporation study (e.g. M. LeBoeuf, *How to Win Customers
and Keep Them for Life*, 1987), and a closing list of findings. The numbers come from
:mod:`csat_analysis.churn`; this module turns them into tables, figures, sentences and
recorded results.

Examples
--------
>>> from csat_analysis.studies import StudyRun
>>> run = StudyRun("service_calls_churn", study="churn_and_retention", emit=False)
>>> chosen = settings(run)
>>> chosen.tenure, chosen.tenure_unit, chosen.segments[0]
('account_length', 'days', 'service_calls')
>>> run.show(overall_section(chosen))  # doctest: +ELLIPSIS
Of 5,000 customers, 707 churned: a churn rate of **14.7%** of customers at the start ...
>>> run.recorder.results["n_customers"]
5000
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .. import churn as ch
from ..churn import CAUSE_SHARES, CONTROLLABLE_CAUSES, DAYS_PER_MONTH
from ..errors import ParameterError, StudyError
from ..report import styled_table
from .core import Section, Skipped, StudyRun

__all__ = [
    "LABELS",
    "PARAMETERS",
    "CausesSection",
    "ChurnSettings",
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

#: reader-facing headers of the study's table columns
LABELS = {
    "example": "example", "start": "at start", "new": "new", "end": "at end", "churned": "churned",
    "rate_start": "churn (start base)", "rate_end": "churn (end base)", "retention": "retention",
    "lost_revenue": "lost revenue", "margin": "margin", "churn_loss": "churn loss", "tier": "tier",
    "segment": "segment", "level": "level", "n": "customers", "rate": "churn rate", "low": "95% low",
    "high": "95% high", "median": "median (months)", "groups": "groups", "statistic": "chi-square",
    "dof": "degrees of freedom", "p_value": "p-value", "term": "term", "coef": "log-odds", "se": "std. error",
    "odds_ratio": "odds ratio", "monthly_revenue": "monthly revenue", "mean_tenure": "mean tenure so far (months)",
    "clv_to_date": "CLV to date (revenue less costs per customer)", "horizon": "horizon (months)",
    "expected_lifetime": "expected lifetime (months)", "clv_expected": "CLV, expected", "cause": "cause",
    "share": "share", "controllable": "controllable", "quoted_share": "quoted share (Rockefeller figures)",
    "monthly_hazard": "true monthly hazard", "true_median": "true median", "km_median": "Kaplan-Meier median",
    "true_rmst": "true restricted mean", "km_rmst": "Kaplan-Meier restricted mean", "repurchase": "repurchase",
}


BASE_LABELS = {"start": "customers at the start",
               "end": "customers at the end (the base of churn-management training material)"}
EXAMPLES_SOURCE = "Worked examples from churn-management training material (not the study data)"
CAUSES_REFERENCE = ("the widely quoted figures attributed to a Rockefeller Corporation study "
                    "(LeBoeuf 1987)")


def _pct(value: float) -> str:
    return f"{100 * value:.1f}%"


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

    @property
    def is_simulated(self) -> bool:
        return self.kind == "simulated"

    @property
    def time_segments(self) -> list[str]:
        """Segments for retention curves and lifetime value: all but ``tenure_band``.

        Tenure bands are cut from the tenure itself, so their curves would only restate the banding.
        """
        return [s for s in self.segments if s != "tenure_band"]

    def describe(self) -> str:
        """The data description in one paragraph: columns used, units, weighting.

        Examples
        --------
        >>> chosen = ChurnSettings(pd.DataFrame(), "x", "user", "User data: x", "days", "left", "days", ["plan"],
        ...                        [], None, None, "weight")
        >>> chosen.describe()[:70]
        '**Data:** User data: x. Churn column `left`, tenure column `days` (day'
        """
        converted = f", converted to months at {DAYS_PER_MONTH} days a month" if self.tenure_unit == "days" else ""
        weights = (f" Churn rates use the survey weights (`{self.weights}`); retention curves, the driver model "
                   "and lifetime values count every customer once (unweighted)." if self.weights else "")
        return (f"**Data:** {self.source}. Churn column `{self.churn}`, tenure column `{self.tenure}` "
                f"({self.tenure_unit}{converted}), segments: {', '.join(f'`{s}`' for s in self.segments)}.{weights}")

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
        frame["service_calls"] = pd.Categorical(calls.astype(int).astype(str).replace("4", "4+"),
                                                categories=SERVICE_CALL_BANDS, ordered=True)
    charges = [c for c in frame.columns if re.fullmatch(r"total_(day|eve|night|intl)_charge", str(c))]
    if len(charges) == 4 and "monthly_charges" not in frame:
        # MLC++ churn data: the four usage charges make up the monthly bill
        frame["monthly_charges"] = frame[charges].sum(axis=1)
    if "annual_revenue" in frame and "monthly_revenue" not in frame:
        frame["monthly_revenue"] = pd.to_numeric(frame["annual_revenue"]) / 12
    return frame


def settings(run: StudyRun, *, segments: str | Sequence[str] | None = None, tenure: str | None = None,
             churn: str | None = None, tenure_unit: str | None = None, churn_base: str = "start",
             margin: float = 0.3, acquisition_cost: float = 100.0, retention_cost: float = 2.0) -> ChurnSettings:
    """Check the notebook's parameters against the data, fill defaults from the data set's roles.

    Bundled churn data and the simulator take every ``None`` parameter from
    :func:`~csat_analysis.studies.roles.dataset_roles` (``churn`` roles); a user file
    must name its tenure, churn and segment columns.

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
        raise StudyError(f"dataset={run.name!r} has no churn or tenure columns; choose one of: "
                         f"{', '.join(map(repr, [*churn_sets, 'simulated']))}, or a customer file with a schema")
    defaults = roles or {}
    data = run.data
    tenure = tenure if tenure is not None else defaults.get("tenure")
    churn = churn if churn is not None else defaults.get("churned")
    for name, value in (("tenure", tenure), ("churn", churn)):
        if value is None:
            raise StudyError(f"{name}: give the {name} column for your data; columns: {', '.join(map(str, data.columns))}")
    check_columns(data, tenure, parameter="tenure", error=StudyError)
    check_columns(data, churn, parameter="churn", error=StudyError)
    tenure_unit = tenure_unit or defaults.get("tenure_unit", "months")
    check_choice("tenure_unit", tenure_unit, ["months", "days"], error=StudyError)
    frame = _derived_columns(data, tenure, tenure_unit)
    chosen = segments if segments is not None else defaults.get("segments")
    if chosen is None:
        raise StudyError(f"segments: give the segment columns for your data; columns: {', '.join(map(str, data.columns))}, "
                         f"or the derived {', '.join(DERIVED_SEGMENTS)}")
    chosen = [chosen] if isinstance(chosen, str) else list(chosen)
    unknown = [c for c in chosen if c not in frame.columns]
    if unknown:
        raise StudyError(f"segments: {', '.join(map(repr, unknown))} not in the data; choose from: "
                         f"{', '.join(map(str, frame.columns))}")
    drivers = [c for c in defaults.get("drivers", []) if c in frame] or [c for c in chosen if c != "tenure_band"]
    drivers = [*drivers, TENURE] if TENURE not in drivers else drivers
    revenue = defaults.get("revenue")
    cause = defaults.get("cause")
    weights = run.roles.get("weight")
    return ChurnSettings(
        data=frame, name=run.name, kind=run.kind, source=run.source, tenure=tenure, churn=churn,
        tenure_unit=tenure_unit, segments=chosen, drivers=drivers,
        monthly_revenue=revenue if revenue in frame else None, cause=cause if cause in frame else None,
        weights=weights if weights in frame else None, churn_base=churn_base, margin=float(margin),
        acquisition_cost=float(acquisition_cost), retention_cost=float(retention_cost), truth=run.truth)


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
    """Worked churn examples A and B (:func:`csat_analysis.churn.worked_examples`)."""

    def tables(self) -> list:
        return [styled_table(self.table.drop(columns="description"),
                             "Worked examples A and B (money in the examples' units)", self.source, labels=LABELS,
                             percent=["rate_start", "rate_end", "retention", "margin"], digits=2)]

    def finding(self) -> str:
        """One sentence per example: churned, both rates, churn loss.

        Examples
        --------
        >>> examples_section().finding()[:62]
        'Example A loses 200 of 3,000 outlets: 6.7% of the start count '
        """
        a, b, b_last = (self.table.set_index("example").loc[key] for key in ("A", "B", "B at last year's revenue"))
        return (f"Example A loses {a.churned:,.0f} of {a.start:,.0f} outlets: {_pct(a.rate_start)} of the start count "
                f"({_pct(a.rate_end)} by the end count), and {a.churn_loss:,.0f}k of profit at a "
                f"{a.margin:.0%} margin. Example B loses {b.churned:,.0f} subscribers, {_pct(b.rate_start)} "
                f"({_pct(b.rate_end)} by the end count), costing {b.churn_loss:,.0f} at this year's revenue "
                f"({b_last.churn_loss:,.0f} at last year's).")

    def results(self) -> dict:
        """``example_a`` and ``example_b`` (B with last year's churn loss).

        Examples
        --------
        >>> examples_section().results()["example_b"]["churn_loss_last_year_revenue"]
        900000.0
        """
        table = self.table.set_index("example").drop(columns="description")
        b = table.loc["B"].to_dict()
        b["churn_loss_last_year_revenue"] = float(table.loc["B at last year's revenue", "churn_loss"])
        return {"example_a": {"example": "A", **table.loc["A"].to_dict()}, "example_b": {"example": "B", **b}}


def examples_section() -> ExamplesSection:
    """The worked examples A and B of churn-management training material."""
    return ExamplesSection(title="Worked examples", table=ch.worked_examples(), source=EXAMPLES_SOURCE)


@dataclass
class TiersSection(Section):
    """Churn per dealer tier (:func:`csat_analysis.churn.tier_example`)."""

    def tables(self) -> list:
        return [styled_table(self.table, "Churn per dealer tier (illustrative counts)", self.source, labels=LABELS,
                             percent=["rate_start", "rate_end", "retention"], digits=2)]

    def finding(self) -> str:
        """The two tiers compared on both bases.

        Examples
        --------
        >>> tiers = pd.DataFrame({"tier": ["low", "high"], "rate_start": [0.1, 0.5], "rate_end": [0.12, 0.9]})
        >>> TiersSection(table=tiers).finding()[:64]
        'Tier high loses 50.0% of its dealers against 10.0% in tier low. '
        """
        ordered = self.table.sort_values("rate_start", ascending=False)
        hi, lo = ordered.iloc[0], ordered.iloc[-1]
        return (f"Tier {hi.tier} loses {_pct(hi.rate_start)} of its dealers against {_pct(lo.rate_start)} in tier "
                f"{lo.tier}. On the end count the rates would read {_pct(hi.rate_end)} and {_pct(lo.rate_end)}, "
                "so the base must always be stated.")


def tiers_section() -> TiersSection:
    """The dealer-tier example (rates from training material, counts illustrative)."""
    return TiersSection(title="Churn per tier", table=ch.tier_example(),
                        source="Worked example from churn-management training material (rates as given, counts "
                               "illustrative)")


# --- 2. churn on the data ------------------------------------------------------------------


@dataclass
class OverallSection(Section):
    """The headline churn rate (one row of :func:`csat_analysis.churn.churn_by_segment`)."""

    weighted: bool = False

    @property
    def row(self) -> pd.Series:
        return self.table.iloc[0]

    def tables(self) -> list:
        return []

    def finding(self) -> str:
        """Rate on the chosen base, its interval and the rate on the other base.

        Examples
        --------
        >>> table = ch.churn_by_segment(pd.DataFrame({"left": [1, 0, 0, 0]}), "left")
        >>> OverallSection(table=table).finding()[:75]
        'Of 4 customers, 1 churned: a churn rate of **25.0%** of customers at the st'
        """
        row = self.row
        other = row.rate_end if row.base == "start" else row.rate_start
        other_base = "end" if row.base == "start" else "start"
        counts = "weighted counts; " if self.weighted else ""
        return (f"Of {int(row.n):,} customers, {row.churned:,.0f} churned: a churn rate of **{_pct(row.rate)}** "
                f"of {BASE_LABELS[row.base]} ({counts}95% interval {_pct(row.low)} to {_pct(row.high)}); "
                f"on the {other_base} count it is {_pct(other)}.")

    def results(self) -> dict:
        row = self.row
        return {"n_customers": int(row.n), "churn_rate": float(row.rate), "churn_rate_low": float(row.low),
                "churn_rate_high": float(row.high), "churn_base": str(row.base)}


def overall_section(chosen: ChurnSettings) -> OverallSection:
    """Churn among all customers on the chosen base, with a Wilson interval."""
    table = ch.churn_by_segment(chosen.data, chosen.churn, tenure=TENURE, base=chosen.churn_base,
                                weights=chosen.weights)
    return OverallSection(title="Churn", table=table, source=chosen.source, weighted=chosen.weights is not None)


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
    """Churn per level of each segment column (:func:`csat_analysis.churn.churn_by_segments`)."""

    base: str = "start"

    def plot(self, ax=None):
        """One bar panel per segment column with 95% Wilson intervals; returns the axes."""
        from .. import plots

        groups = list(self.table.groupby("segment", sort=False))
        axes = _panel_axes(ax, len(groups), width=4.2, height=4.0)
        for panel, (name, rows) in zip(axes, groups):
            plots.interval_plot(rows, x="level", y="rate", low="low", high="high", ax=panel, kind="bar")
            panel.set_title(str(name))
            panel.set(xlabel="", ylabel="")
            panel.set_xticks(panel.get_xticks(), [textwrap.fill(str(v), 12) for v in rows["level"]], fontsize=9)
        axes[0].set_ylabel(f"churn rate ({self.base} base)")
        _percent_axis(axes[0].yaxis)
        axes[0].figure.suptitle("Churn rate by segment, with 95% Wilson intervals")
        plots.source_note(axes[0], self.source)
        return axes

    def tables(self) -> list:
        shown = self.table[["segment", "level", "n", "start", "new", "churned", "rate_start", "rate_end", "low", "high"]]
        return [styled_table(shown, f"Churn by segment (95% interval for the {self.base}-based rate)", self.source,
                             labels=LABELS, percent=["rate_start", "rate_end", "low", "high"], digits=1)]

    def finding(self) -> str:
        """The segmentation with the widest spread of churn rates.

        Examples
        --------
        >>> table = pd.DataFrame({"segment": ["a", "a", "b", "b"], "level": ["x", "y", "u", "v"],
        ...                       "rate": [0.1, 0.2, 0.05, 0.5]})
        >>> SegmentChurnSection(table=table).finding()
        'Churn differs most by `b`: 50.0% for v against 5.0% for u.'
        """
        top, bottom = widest_segment(self.table)
        return (f"Churn differs most by `{top.segment}`: {_pct(top.rate)} for {top.level} against "
                f"{_pct(bottom.rate)} for {bottom.level}.")

    def results(self) -> dict:
        return {"churn_by_segment": self.table[["segment", "level", "n", "churned", "rate", "low", "high"]]}


def segment_section(chosen: ChurnSettings) -> SegmentChurnSection:
    """Churn by level of each segment column."""
    table = ch.churn_by_segments(chosen.data, chosen.churn, chosen.segments, tenure=TENURE, base=chosen.churn_base,
                                 weights=chosen.weights)
    return SegmentChurnSection(title="Churn by segment", table=table, source=chosen.source, base=chosen.churn_base)


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
    """

    curves: pd.DataFrame | None = field(default=None, repr=False)
    overall: pd.Series | None = field(default=None, repr=False)
    tests: pd.DataFrame | None = field(default=None, repr=False)
    weighted_data: bool = False

    def plot(self, ax=None):
        """One panel of retention curves per segment column; returns the axes."""
        from .. import plots

        groups = list(self.curves.groupby("segment", sort=False))
        axes = _panel_axes(ax, len(groups), width=4.6, height=4.0)
        for panel, (name, curves) in zip(axes, groups):
            plots.retention_plot(curves, hue="level", ax=panel)
            panel.legend(title=str(name), fontsize=8, title_fontsize=9)
            panel.set_title(str(name))
            panel.set(xlabel="tenure (months)", ylabel="")
        axes[0].set_ylabel("share still a customer")
        axes[0].figure.suptitle("Kaplan-Meier retention curves (unweighted, 95% bands)")
        plots.source_note(axes[0], self.source)
        return axes

    def tables(self) -> list:
        return [styled_table(self.table.drop(columns="reached"), "Median customer lifetime in months", self.source,
                             labels=LABELS, digits=1, missing_labels={"median": "not reached"}),
                styled_table(self.tests, "Log-rank tests: do the retention curves differ between a segment's levels?",
                             self.source, labels=LABELS, digits=2)]

    def shortest(self) -> pd.Series | None:
        """The segment level with the shortest reached median (None without segments or reached medians)."""
        if self.tests.empty:  # no segments: the only row is all customers, said by the overall sentence
            return None
        reached = self.table[self.table.reached]
        return reached.sort_values("median").iloc[0] if len(reached) else None

    def finding(self) -> str:
        """The overall median, the shortest segment median and how many log-rank tests reject."""
        parts = [f"Half of all customers have left after {self.overall['median']:.0f} months." if self.overall.reached
                 else "Fewer than half of all customers have left within the observed tenure, so the overall "
                      "median lifetime is not reached."]
        shortest = self.shortest()
        if shortest is not None:
            parts.append(f"The shortest median lifetime is {shortest['median']:.1f} months "
                         f"(`{shortest.segment}` = {shortest.level}).")
        if len(self.tests):
            differ = int((self.tests.p_value < 0.05).sum())
            parts.append(f"{differ} of {len(self.tests)} segmentations have retention curves that differ at the 5% level.")
        if self.weighted_data:
            parts.append("These curves are unweighted (every customer counts once), unlike the weighted churn rates above.")
        return " ".join(parts)

    def results(self) -> dict:
        """``median_lifetime_months`` (table) and ``median_lifetime_months_overall`` (None if not reached)."""
        columns = ["segment", "level", "n", "churned", "median", "low", "high", "reached"]
        overall = float(self.overall["median"]) if self.overall.reached else None
        return {"median_lifetime_months": self.table[columns], "median_lifetime_months_overall": overall}


def retention_section(chosen: ChurnSettings) -> RetentionSection:
    """Retention curves, median lifetimes and log-rank tests for the segments other than tenure band.

    Examples
    --------
    >>> frame = pd.DataFrame({"months": [1, 2, 3, 4, 5, 6], "left": [1, 1, 0, 0, 0, 0], "plan": list("aaabbb")})
    >>> chosen = ChurnSettings(frame.assign(tenure_months=frame.months), "x", "user", "Hand data", "months", "left",
    ...                        "months", ["plan"], [], None, None, None)
    >>> section = retention_section(chosen)  # plan a: S = 2/3, 1/3 at months 1, 2
    >>> section.finding()
    'Fewer than half of all customers have left within the observed tenure, so the overall median lifetime is not reached. The shortest median lifetime is 2.0 months (`plan` = a). 0 of 1 segmentations have retention curves that differ at the 5% level.'
    """
    data, segments = chosen.data, chosen.time_segments
    overall = ch.median_lifetime(data, TENURE, chosen.churn).iloc[0]
    if segments:
        medians = ch.for_each_segment(ch.median_lifetime, data, segments, tenure=TENURE, churn=chosen.churn)
    else:
        medians = ch.median_lifetime(data, TENURE, chosen.churn).assign(segment="all", level="all")
    return RetentionSection(
        title="Retention curves", table=medians, source=chosen.source,
        curves=ch.retention_curves_by_segment(data, TENURE, chosen.churn, segments), overall=overall,
        tests=ch.logrank_by_segment(data, TENURE, chosen.churn, segments), weighted_data=chosen.weights is not None)


@dataclass
class SimulationCheckSection(Section):
    """Kaplan-Meier estimates against the simulator's geometric truth (:func:`csat_analysis.churn.simulation_check`)."""

    def tables(self) -> list:
        return [styled_table(self.table, "Simulated data: Kaplan-Meier against the known geometric churn", self.source,
                             labels=LABELS, digits=2, percent=["monthly_hazard"])]

    def finding(self) -> str:
        """Whether the Kaplan-Meier medians cover the true medians, and how far the restricted means are off.

        A true median beyond the horizon (the longest observed tenure) cannot be
        estimated; such groups are named instead of being counted as misses.

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
        note = (f" ({beyond} true median{' lies' if beyond == 1 else 's lie'} beyond the {check.horizon.iloc[0]:.0f}-month "
                f"horizon, so {'it' if beyond == 1 else 'they'} cannot be estimated)") if beyond else ""
        worst = float((check.km_rmst / check.true_rmst - 1).abs().max())
        return (f"The 95% intervals of the Kaplan-Meier medians contain the true median in {covered} of "
                f"{len(estimable)} groups{note}; the restricted means are within {_pct(worst)} of the truth.")


def simulation_section(chosen: ChurnSettings) -> SimulationCheckSection | Skipped:
    """The known-truth check on simulated data; skipped on other data."""
    title = "Check against the known truth"
    if not chosen.is_simulated or not chosen.truth or "monthly_churn_hazard" not in chosen.truth:
        return Skipped(title, f"{chosen.name} is real data with no known truth" if chosen.kind == "real"
                       else f"{chosen.name} has no known truth", fix='run it with dataset="simulated"')
    table = ch.simulation_check(chosen.data, TENURE, chosen.churn, chosen.truth["monthly_churn_hazard"])
    return SimulationCheckSection(title=title, table=table, source=chosen.source)


# --- 4. drivers -----------------------------------------------------------------------------------


@dataclass
class DriversSection(Section):
    """Odds ratios of a logistic model of churn (:func:`csat_analysis.churn.churn_drivers`)."""

    n: int = 0
    pseudo_r2: float = float("nan")
    alpha: float = 0.05

    def plot(self, ax=None):
        """Forest plot of the odds ratios on a log axis; returns the axes."""
        import matplotlib.ticker as mticker

        from .. import plots

        ax = _single_axes(ax, (7, 0.4 * len(self.table) + 1.5))
        plots.odds_ratio_plot(self.table, ax=ax)
        ax.xaxis.set_major_locator(mticker.LogLocator(base=10, subs=(1, 2, 5)))
        ax.xaxis.set_major_formatter(mticker.FuncFormatter(lambda value, _: f"{value:g}"))
        ax.xaxis.set_minor_formatter(mticker.NullFormatter())
        ax.set(xlabel="odds ratio (log scale)", title="Odds ratios of churning (95% intervals)")
        plots.source_note(ax, self.source)
        return ax

    def tables(self) -> list:
        return [styled_table(self.table.drop(columns=["variable", "level"], errors="ignore"),
                             f"Logistic model of churn, n = {self.n:,}, McFadden pseudo R² = {self.pseudo_r2:.3f}",
                             self.source, labels=LABELS, digits=3)]

    def finding(self) -> str:
        """Strongest significant risk factor and protection.

        Examples
        --------
        >>> table = pd.DataFrame({"term": ["a", "b", "c"], "odds_ratio": [2.0, 0.5, 3.0], "p_value": [0.01, 0.02, 0.4]})
        >>> DriversSection(table=table).finding()
        'The strongest risk factor is a (odds ratio 2.00). The strongest protection is b (odds ratio 0.50). 2 of 3 terms are significant at the 5% level.'
        >>> DriversSection(table=table.assign(p_value=0.5)).finding()
        'No term is significant at the 5% level (0 of 3).'
        """
        table, alpha = self.table, self.alpha
        significant = table[table.p_value < alpha]
        if significant.empty:
            return f"No term is significant at the {alpha:.0%} level (0 of {len(table)})."
        parts = []
        up = significant[significant.odds_ratio > 1]
        down = significant[significant.odds_ratio < 1]
        if len(up):
            row = up.sort_values("odds_ratio").iloc[-1]
            parts.append(f"The strongest risk factor is {row.term} (odds ratio {row.odds_ratio:.2f}).")
        if len(down):
            row = down.sort_values("odds_ratio").iloc[0]
            parts.append(f"The strongest protection is {row.term} (odds ratio {row.odds_ratio:.2f}).")
        parts.append(f"{len(significant)} of {len(table)} terms are significant at the {alpha:.0%} level.")
        return " ".join(parts)

    def strongest_risk(self) -> pd.Series | None:
        """The significant term with the largest odds ratio above 1 (None if there is none)."""
        risks = self.table[(self.table.p_value < self.alpha) & (self.table.odds_ratio > 1)]
        return risks.sort_values("odds_ratio").iloc[-1] if len(risks) else None

    def results(self) -> dict:
        return {"churn_drivers": self.table[["term", "odds_ratio", "low", "high", "p_value"]]}


def drivers_section(chosen: ChurnSettings) -> DriversSection:
    """A logistic model of churn on the driver columns and tenure."""
    drivers = ch.churn_drivers(chosen.data, chosen.churn, chosen.drivers)
    return DriversSection(title="Drivers of churn", table=drivers.table, source=chosen.source, n=drivers.n,
                          pseudo_r2=drivers.pseudo_r2)


# --- 5. lifetime value ---------------------------------------------------------------------------


@dataclass
class ValueSection(Section):
    """Lifetime value per segment under stated assumptions (:func:`csat_analysis.churn.lifetime_value`)."""

    margin: float = 0.3
    acquisition_cost: float = 100.0
    retention_cost: float = 2.0
    monthly_revenue: str | None = None

    def assumptions(self) -> dict:
        return {"margin": self.margin, "acquisition_cost": self.acquisition_cost,
                "retention_cost_per_month": self.retention_cost, "monthly_revenue_column": self.monthly_revenue}

    def assumptions_note(self) -> str:
        """The assumptions in words, labelled as assumptions (parameters), not data.

        Examples
        --------
        >>> ValueSection(margin=0.3, acquisition_cost=100, retention_cost=2, monthly_revenue="charges").assumptions_note()[:60]
        '**Assumptions (notebook parameters, not data):** profit marg'
        """
        revenue = (f" Revenue per customer-month comes from the data (`{self.monthly_revenue}`)."
                   if self.monthly_revenue else "")
        return (f"**Assumptions (notebook parameters, not data):** profit margin {self.margin:.0%} of revenue; "
                f"acquisition cost {self.acquisition_cost:,.2f} per customer, paid once; retention cost "
                f"{self.retention_cost:,.2f} per customer per month.{revenue} Change the parameters and the "
                "values change with them.")

    def first_segment(self) -> pd.DataFrame:
        """Rows of the first segmentation, the one the figure and the finding use."""
        return self.table[self.table.segment == self.table.segment.iloc[0]]

    def plot(self, ax=None):
        """Expected lifetime value per level of the first segmentation; returns the axes."""
        from .. import plots

        first = self.first_segment()
        ax = _single_axes(ax, (6, 4))
        ax.bar(first.level.map(str), first.clv_expected, color="C0")
        ax.axhline(0, color="0.3", linewidth=1)
        ax.set(xlabel="", ylabel="expected lifetime value per customer",
               title=f"Expected lifetime value by {first.segment.iloc[0]}\n(assumed margin {self.margin:.0%}, "
                     f"horizon {first.horizon.iloc[0]:.0f} months)")
        plots.source_note(ax, self.source)
        return ax

    def tables(self) -> list:
        return [styled_table(self.table, "Lifetime value per customer under the assumptions stated below "
                             f"(revenue column: {self.monthly_revenue})", self.source, labels=LABELS, digits=1)]

    def finding(self) -> str:
        """The assumptions, then the best and worst expected value in the first segmentation."""
        rows = self.first_segment().sort_values("clv_expected")
        best, worst = rows.iloc[-1], rows.iloc[0]
        sentence = (f"Under these assumptions, a customer with `{best.segment}` = {best.level} is expected to be "
                    f"worth {best.clv_expected:,.0f} over {best.expected_lifetime:.1f} months, against "
                    f"{worst.clv_expected:,.0f} over {worst.expected_lifetime:.1f} months for {worst.level}.")
        if best.clv_expected < 0:
            sentence += (f" No level earns back the assumed acquisition cost within the {best.horizon:.0f}-month "
                         "horizon the data covers; longer follow-up or other cost assumptions may change that.")
        return f"{self.assumptions_note()}\n\n{sentence}"

    def results(self) -> dict:
        return {"clv_by_segment": self.table, "clv_assumptions": self.assumptions()}


def value_section(chosen: ChurnSettings) -> ValueSection | Skipped:
    """Lifetime value per segment (segments other than tenure band), or why it cannot be computed."""
    title = "Lifetime value"
    if chosen.monthly_revenue is None:
        return Skipped(title, "the data have no revenue column",
                       fix="the restricted mean lifetimes of the retention curves still compare segments")
    if not chosen.time_segments:
        return Skipped(title, "lifetime value needs a segment other than tenure band (bands compare customers by "
                              "how long they have already stayed)", fix="choose one in `segments`")
    table = ch.for_each_segment(ch.lifetime_value, chosen.data, chosen.time_segments, tenure=TENURE,
                                churn=chosen.churn, monthly_revenue=chosen.monthly_revenue, margin=chosen.margin,
                                acquisition_cost=chosen.acquisition_cost, retention_cost=chosen.retention_cost)
    return ValueSection(title=title, table=table, source=chosen.source, margin=chosen.margin,
                        acquisition_cost=chosen.acquisition_cost, retention_cost=chosen.retention_cost,
                        monthly_revenue=chosen.monthly_revenue)


# --- 6. causes ---------------------------------------------------------------------------------


@dataclass
class CausesSection(Section):
    """Churn causes with the quoted Rockefeller shares (:func:`csat_analysis.churn.churn_causes`)."""

    @property
    def controllable_share(self) -> float:
        return float(self.table.loc[self.table.controllable, "n"].sum() / self.table.n.sum())

    def plot(self, ax=None):
        """Shares of causes with Wilson intervals, the quoted shares as dashes; returns the axes."""
        from .. import plots

        ax = _single_axes(ax, (7, 4))
        plots.interval_plot(self.table, x="cause", y="share", low="low", high="high", ax=ax, kind="bar")
        ax.scatter(range(len(self.table)), self.table.quoted_share, marker="_", s=400, color="black", zorder=3,
                   label="quoted share (Rockefeller figures)")
        _percent_axis(ax.yaxis)
        ax.legend()
        ax.set(xlabel="", ylabel="share of churned customers", title="Churn causes")
        plots.source_note(ax, self.source)
        return ax

    def tables(self) -> list:
        return [styled_table(self.table, "Churn causes among churned customers (Wilson 95% intervals) against the "
                             "widely quoted Rockefeller Corporation shares", self.source, labels=LABELS,
                             percent=["share", "low", "high", "quoted_share"], digits=2)]

    def finding(self) -> str:
        """The controllable share against the quoted 91%.

        Examples
        --------
        >>> table = pd.DataFrame({"n": [3, 1], "controllable": [True, False]})
        >>> CausesSection(table=table).finding()[:60]
        '75.0% of churned customers left for reasons the company cont'
        """
        quoted = sum(CAUSE_SHARES[c] for c in CONTROLLABLE_CAUSES)
        return (f"{_pct(self.controllable_share)} of churned customers left for reasons the company controls "
                f"({', '.join(CONTROLLABLE_CAUSES)}); {CAUSES_REFERENCE} put this at {quoted:.0%}.")

    def results(self) -> dict:
        return {"churn_causes": self.table, "controllable_share": self.controllable_share}


def causes_section(chosen: ChurnSettings) -> CausesSection | Skipped:
    """Why churned customers left, when the data record it."""
    title = "Why customers leave"
    if chosen.cause is None:
        return Skipped(title, f"this data set ({chosen.name}) records no churn causes",
                       fix='the simulator does: dataset="simulated"')
    return CausesSection(title=title, table=ch.churn_causes(chosen.data, chosen.cause, churn=chosen.churn),
                         source=chosen.source)


# --- 7. findings -------------------------------------------------------------------------------


@dataclass
class KeyFindings(Section):
    """The closing list of findings, one Markdown bullet per section that has something to say."""

    lines: list[str] = field(default_factory=list)

    def tables(self) -> list:
        return []

    def finding(self) -> str:
        return "\n".join(self.lines)


def key_findings(*, overall: OverallSection, by_segment: SegmentChurnSection, retention: RetentionSection,
                 drivers: DriversSection, value: ValueSection | Skipped, causes: CausesSection | Skipped,
                 examples: ExamplesSection) -> KeyFindings:
    """The closing findings from the sections shown before (skipped sections are left out).

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
    top, bottom = widest_segment(by_segment.table)
    lines = [f"- **Churn:** {_pct(row.rate)} of {BASE_LABELS[row.base]} churned (95% interval "
             f"{_pct(row.low)}-{_pct(row.high)}), {int(row.n):,} customers; {overall.source}.",
             f"- **Who leaves:** churn varies most by `{top.segment}`, from {_pct(bottom.rate)} ({bottom.level}) "
             f"to {_pct(top.rate)} ({top.level})."]
    shortest = retention.shortest()
    if shortest is not None:
        lines.append(f"- **How long they stay:** the shortest median lifetime is {shortest['median']:.1f} months "
                     f"(`{shortest.segment}` = {shortest.level}).")
    risk = drivers.strongest_risk()
    if risk is not None:
        lines.append(f"- **Drivers:** holding the rest fixed, {risk.term} multiplies the odds of churning by "
                     f"{risk.odds_ratio:.2f}.")
    if isinstance(value, ValueSection):
        rows = value.first_segment().sort_values("clv_expected")
        lines.append(f"- **Value:** by `{rows.segment.iloc[0]}`, expected lifetime value per customer ranges from "
                     f"{rows.clv_expected.iloc[0]:,.0f} ({rows.level.iloc[0]}) to {rows.clv_expected.iloc[-1]:,.0f} "
                     f"({rows.level.iloc[-1]}), assuming a {value.margin:.0%} margin, {value.acquisition_cost:,.2f} "
                     f"to acquire and {value.retention_cost:,.2f} a month to retain a customer.")
    if isinstance(causes, CausesSection):
        lines.append(f"- **Causes:** {_pct(causes.controllable_share)} of churn is controllable.")
    a, b = (examples.table.set_index("example").loc[key] for key in ("A", "B"))
    lines.append(f"- **Arithmetic:** the worked examples reproduce: A {_pct(a.rate_start)} ({_pct(a.rate_end)} on "
                 f"the end count), B {_pct(b.rate_start)} ({_pct(b.rate_end)}).")
    return KeyFindings(title="Findings", source=overall.source, lines=lines)
