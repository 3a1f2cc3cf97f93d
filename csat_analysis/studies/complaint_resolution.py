"""The complaint resolution study: settings, sections and findings of its notebook.

``notebooks/complaint_resolution.ipynb`` follows customers who had a problem: whether
they complain, how the complaint is handled, and what that does to repurchase and
churn. Each section below turns the analysis of :mod:`csat_analysis.complaints` into
a :class:`~csat_analysis.studies.core.Section` (figure, tables, finding, recorded
results). The published benchmarks are those of Technical Assistance Research
Programs (TARP), *Consumer Complaint Handling in America: An Update Study*, U.S.
Office of Consumer Affairs, 1986 (figures as commonly quoted); the service-recovery
paradox is that of McCollough and Bharadwaj (1992), meta-analysed by de Matos,
Henrique and Rossi (2007).

Examples
--------
>>> from csat_analysis.studies import StudyRun
>>> run = StudyRun("service_calls_churn", study="complaint_resolution", emit=False)
>>> study = settings(run)
>>> study.outcome, study.status, study.calls
('churn', None, 'number_customer_service_calls')
>>> section = calls_section(study)
>>> section.threshold
4
>>> type(funnel_section(study)).__name__
'Skipped'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .. import complaints
from .._validation import check_columns
from ..errors import ModelSpecError, StudyError
from ..report import styled_table
from .core import Section, Skipped, StudyRun

__all__ = [
    "PARAMETERS",
    "REFERENCES",
    "CallsSection",
    "ChiSquareSection",
    "ComplaintSettings",
    "DataSection",
    "FunnelSection",
    "HandlingSection",
    "OddsSection",
    "ParadoxSection",
    "ResolutionSection",
    "StatusCountsSection",
    "TarpSection",
    "WordOfMouthSection",
    "calls_finding",
    "calls_section",
    "check_parameters",
    "chi_square_finding",
    "chi_square_section",
    "correlation_finding",
    "data_section",
    "funnel_finding",
    "funnel_record",
    "funnel_section",
    "handling_section",
    "odds_section",
    "paradox_finding",
    "paradox_record",
    "paradox_section",
    "paradox_table",
    "resolution_findings",
    "resolution_section",
    "settings",
    "summary",
    "tarp_findings",
    "tarp_record",
    "tarp_section",
    "with_tarp_rates",
    "word_of_mouth_finding",
    "word_of_mouth_section",
]

#: the notebook's parameters and their defaults (its parameters cell declares exactly these)
PARAMETERS: dict[str, Any] = {
    "dataset": "simulated",
    "schema": None,
    "survey": None,  # survey description (path or dict); None: the data set's own
    "n": 20000,
    "outcome": None,
    "status": "complaint_status",
    "severity": "severity",
    "fast_hours": 24.0,
    "bootstrap": 1000,
    "seed": 0,
    "language": "en",  # report language: "en" or "zh" (simplified Chinese)
    "tell_dissatisfied": 10,
    "retell_share": 0.2,
    "retell_count": 20,
    "tell_satisfied": 5,
}

#: works the study cites, for the References list of its summary
REFERENCES = (
    "Technical Assistance Research Programs (TARP), *Consumer Complaint Handling in America: An Update Study*, "
    "U.S. Office of Consumer Affairs, 1986 (figures as commonly quoted).",
    "McCollough, M. A. and Bharadwaj, S. G. (1992), \"The recovery paradox: an examination of consumer satisfaction "
    "in relation to disconfirmation, service quality, and attribution based theories\", *Marketing Theory and "
    "Applications* 3, American Marketing Association.",
    "de Matos, C. A., Henrique, J. L. and Rossi, C. A. V. (2007), \"Service recovery paradox: a meta-analysis\", "
    "*Journal of Service Research* 10(1).",
    "Wilson, E. B. (1927), \"Probable inference, the law of succession, and statistical inference\", *JASA* 22.",
    "Newcombe, R. G. (1998), \"Interval estimation for the difference between independent proportions: "
    "comparison of eleven methods\", *Statistics in Medicine* 17.",
    "Kish, L. (1965), *Survey Sampling*, Wiley.",
)

#: a researcher's own complaint log uses the simulator's column names where it has them
_USER_LOG_COLUMNS = {
    "problem": "problem", "complained": "complained", "resolved_first_contact": "resolved_first_contact",
    "escalation_level": "escalation_level", "resolution_hours": "resolution_hours", "open_hours": "hours_open",
    "handling_satisfaction": "CUSCO",
}
#: (calls, churn flag) pairs looked for in a researcher's own data, in order
_USER_CALL_COLUMNS = (("number_customer_service_calls", "churn"), ("escalation_level", "churned"))
_USER_COVARIATES = ("segment",)
_USER_CALL_COVARIATES = ("international_plan", "voice_mail_plan", "account_length", "segment")
_FUNNEL_ROLES = ("problem", "complained", "resolved_first_contact", "escalation_level")


# --- settings ----------------------------------------------------------------------------


def check_parameters(*, bootstrap: float, fast_hours: float, retell_share: float, tell_dissatisfied: float,
                     retell_count: float, tell_satisfied: float) -> None:
    """Fail early, naming the parameter, when a notebook parameter is out of range.

    Examples
    --------
    >>> check_parameters(bootstrap=0, fast_hours=24, retell_share=0.2, tell_dissatisfied=10, retell_count=20,
    ...                  tell_satisfied=5)
    >>> check_parameters(bootstrap=0, fast_hours=24, retell_share=2, tell_dissatisfied=10, retell_count=20,
    ...                  tell_satisfied=5)
    Traceback (most recent call last):
    ...
    csat_analysis.errors.StudyError: retell_share=2 must be a share between 0 and 1
    """
    counts = {"bootstrap": bootstrap, "tell_dissatisfied": tell_dissatisfied, "retell_count": retell_count,
              "tell_satisfied": tell_satisfied}
    for name, value in counts.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not value >= 0:
            raise StudyError(f"{name}={value!r} must be a non-negative number")
    if isinstance(retell_share, bool) or not isinstance(retell_share, (int, float)) or not 0 <= retell_share <= 1:
        raise StudyError(f"retell_share={retell_share!r} must be a share between 0 and 1")
    if isinstance(fast_hours, bool) or not isinstance(fast_hours, (int, float)) or not fast_hours > 0:
        raise StudyError(f"fast_hours={fast_hours!r} must be a positive number of hours")


@dataclass
class ComplaintSettings:
    """Which columns of the study's data each section uses, and the study's options.

    Built by :func:`settings`. ``None`` means the data set lacks that column; the
    ``has_*`` properties say which sections can run.
    """

    data: pd.DataFrame = field(repr=False)
    name: str
    kind: str
    source: str
    outcome: str | None
    status: str | None
    severity: str | None
    weights: str | None
    calls: str | None
    churn: str | None
    funnel: dict[str, str] | None = None
    resolution_hours: str | None = None
    open_hours: str | None = None
    handling: str | None = None
    loyalty: list[str] = field(default_factory=list)
    scale: tuple[float, float] = (1, 10)
    covariates: list[str] = field(default_factory=list)
    call_covariates: list[str] = field(default_factory=list)
    fast_hours: float = 24.0
    bootstrap: int = 1000
    seed: int = 0
    word_of_mouth: dict[str, float] = field(default_factory=lambda: dict(complaints.TARP_WORD_OF_MOUTH))
    truth: dict | None = field(default=None, repr=False)

    @property
    def higher_is_better(self) -> bool:
        """True unless the outcome is a churn flag (then a lower rate is more loyal)."""
        return self.outcome is not None and not self.outcome.lower().startswith("churn")

    @property
    def has_status(self) -> bool:
        return self.status is not None and self.outcome is not None

    @property
    def has_funnel(self) -> bool:
        return self.funnel is not None

    @property
    def has_times(self) -> bool:
        return self.has_status and self.resolution_hours is not None

    @property
    def has_calls(self) -> bool:
        return self.calls is not None

    @property
    def has_handling(self) -> bool:
        return self.handling is not None and bool(self.loyalty)

    @property
    def calls_are_service_calls(self) -> bool:
        """The call counts are customer-service calls, not the escalation level standing in for them."""
        return self.calls is not None and (self.funnel is None or self.calls != self.funnel["escalation_level"])

    def lacks(self, what: str) -> str:
        """The reason a section gives when the data set lacks its columns."""
        return f"the {self.kind} data set `{self.name}` has no {what}"

    def describe(self) -> str:
        """One line naming the columns in use and those the data set lacks.

        Examples
        --------
        >>> ComplaintSettings(pd.DataFrame(), "accounts", "real", "", "churn", None, None, None, None, None).describe()
        'Columns used: outcome `churn` (lower is more loyal). Not in this data set: complaint status, severity, survey weights.'
        """
        used = {"outcome": self.outcome, "complaint status": self.status, "severity": self.severity,
                "survey weights": self.weights}
        present = [f"{label} `{column}`" for label, column in used.items() if column is not None]
        if self.outcome is not None:
            present[0] += f" ({'higher' if self.higher_is_better else 'lower'} is more loyal)"
        absent = [label for label, column in used.items() if column is None]
        return (f"Columns used: {', '.join(present)}." if present else "No outcome or complaint columns.") + (
            f" Not in this data set: {', '.join(absent)}." if absent else "")


def _present(data: pd.DataFrame, column: str | None) -> str | None:
    return column if column is not None and column in data.columns else None


def settings(run: StudyRun, *, outcome: str | None = PARAMETERS["outcome"], status: str | None = PARAMETERS["status"],
             severity: str | None = PARAMETERS["severity"], fast_hours: float = PARAMETERS["fast_hours"],
             bootstrap: int = PARAMETERS["bootstrap"], seed: int = PARAMETERS["seed"],
             tell_dissatisfied: float = PARAMETERS["tell_dissatisfied"], retell_share: float = PARAMETERS["retell_share"],
             retell_count: float = PARAMETERS["retell_count"],
             tell_satisfied: float = PARAMETERS["tell_satisfied"]) -> ComplaintSettings:
    """Resolve the notebook's parameters against the run's data: checked columns and options.

    Defaults come from the data set's roles (:mod:`csat_analysis.studies.roles`); a
    researcher's own log is read with the simulator's column names. A column the user
    named (or any column on simulated or user data) must exist: a wrong name is a
    :class:`~csat_analysis.errors.StudyError` listing the available columns. A real
    data set that simply lacks the default status or severity column gets ``None``
    there, and the sections that need it are skipped. ``outcome=None`` picks the
    data set's outcome (repurchase on the simulator, churn on churn data). A status
    column without ``resolved_quickly`` but with resolution times gets the quick
    status derived by :func:`csat_analysis.complaints.derive_fast_status`
    (``fast_hours``).

    Examples
    --------
    >>> run = StudyRun("simulated", study="complaint_resolution", n=2000, emit=False)
    >>> study = settings(run, bootstrap=0)
    >>> study.outcome, study.status, study.weights, study.has_funnel, study.calls_are_service_calls
    ('repurchase', 'complaint_status', 'weight', True, False)
    >>> settings(run, status="complaint_stat")
    Traceback (most recent call last):
    ...
    csat_analysis.errors.StudyError: status: column(s) 'complaint_stat' not in the data; available columns: ...
    """
    check_parameters(bootstrap=bootstrap, fast_hours=fast_hours, retell_share=retell_share,
                     tell_dissatisfied=tell_dissatisfied, retell_count=retell_count, tell_satisfied=tell_satisfied)
    data, roles = run.data, run.roles
    bundled = bool(roles)
    role = roles.get("complaint", {}) if bundled else dict(_USER_LOG_COLUMNS)

    def resolve(parameter: str, value: str | None) -> str | None:
        if value is None or value in data.columns:
            return value
        if run.kind == "real" and value == PARAMETERS.get(parameter):
            return None  # a bundled data set without the default column: the section is skipped
        check_columns(data, value, parameter=parameter, error=StudyError)

    if outcome is None:
        candidates = [role.get("outcome"), role.get("churned")] if bundled else ["repurchase", "churn"]
        outcome = next((c for c in candidates if _present(data, c)), None)
    outcome, status, severity = resolve("outcome", outcome), resolve("status", status), resolve("severity", severity)
    hours = _present(data, role.get("resolution_hours"))
    if status is not None and hours is not None and "resolved_quickly" not in set(data[status].astype("object")):
        data = data.assign(**{status: complaints.derive_fast_status(data, status, hours, fast_hours)})
    pairs = [(role.get("calls"), role.get("churned"))] if bundled else _USER_CALL_COLUMNS
    calls, churn = next(((c, y) for c, y in pairs if _present(data, c) and _present(data, y)), (None, None))
    funnel = {key: role.get(key) for key in _FUNNEL_ROLES}
    funnel = funnel if all(_present(data, c) for c in funnel.values()) else None
    loyalty = roles.get("loyalty", []) if bundled else ["CUSL1", "CUSL2", "CUSL3"]
    weights = roles.get("weight") if bundled else "weight"
    covariates = role.get("covariates", []) if bundled else _USER_COVARIATES
    call_covariates = role.get("call_covariates", []) if bundled else _USER_CALL_COVARIATES
    truth = run.truth.get("repurchase_rates") if run.truth is not None and outcome == "repurchase" else None
    return ComplaintSettings(
        data=data, name=run.name, kind=run.kind, source=run.source, outcome=outcome, status=status, severity=severity,
        weights=_present(data, weights), calls=calls, churn=churn, funnel=funnel, resolution_hours=hours,
        open_hours=_present(data, role.get("open_hours")), handling=_present(data, role.get("handling_satisfaction")),
        loyalty=list(loyalty) if all(c in data.columns for c in loyalty) else [], scale=tuple(roles.get("scale", (1, 10))),
        covariates=[c for c in covariates if c in data.columns],
        call_covariates=[c for c in call_covariates if c in data.columns], fast_hours=float(fast_hours),
        bootstrap=int(bootstrap), seed=seed,
        word_of_mouth={"tell_dissatisfied": tell_dissatisfied, "retell_share": retell_share,
                       "retell_count": retell_count, "tell_satisfied": tell_satisfied},
        truth=truth,
    )


# --- shared helpers ----------------------------------------------------------------------


def _pct(value: float, digits: int = 1) -> str:
    return f"{value:.{digits}%}"


def _new_axes(ax, panels: int, figsize: tuple[float, float]):
    """``panels`` axes: the ones given, or a new figure's."""
    import matplotlib.pyplot as plt

    if ax is None:
        fig, axes = plt.subplots(1, panels, figsize=figsize, squeeze=False)
        return fig, list(axes[0])
    axes = list(np.atleast_1d(ax))
    return axes[0].figure, axes


# --- the data ----------------------------------------------------------------------------


@dataclass
class DataSection(Section):
    """The data source and the columns in use; records ``n_respondents``."""

    settings: ComplaintSettings | None = field(default=None, repr=False)

    def tables(self) -> list:
        from IPython.display import Markdown

        return [Markdown(f"*{self.source}*  \n{self.settings.describe()}")]

    def results(self) -> dict[str, Any]:
        return {"n_respondents": len(self.settings.data)}


def data_section(study: ComplaintSettings) -> DataSection:
    """The data source line, the columns in use and the number of respondents."""
    return DataSection(title="Data", source=study.source, settings=study)


# --- 1. the complaint funnel -------------------------------------------------------------

_FUNNEL_LABELS = {"of_stage": "share of stage", "published_share": "TARP (1986) share",
                  "published_in_interval": "TARP share inside the interval"}


def funnel_finding(funnel: pd.DataFrame, published_voice_rate: float = complaints.TARP_VOICE_RATE) -> str:
    """One sentence: the voice rate with its interval, against TARP's 4%.

    Examples
    --------
    >>> funnel = pd.DataFrame({"stage": ["complained"], "share": [0.05], "low": [0.045], "high": [0.055]})
    >>> funnel_finding(funnel)
    'Of customers with a problem, 5.0% complained (95% CI 4.5% to 5.5%); the 4% voice rate quoted from TARP (1986) lies outside the interval.'
    """
    voice = funnel.set_index("stage").loc["complained"]
    inside = voice["low"] <= published_voice_rate <= voice["high"]
    return (f"Of customers with a problem, {_pct(voice['share'])} complained (95% CI {_pct(voice['low'])} to "
            f"{_pct(voice['high'])}); the {published_voice_rate:.0%} voice rate quoted from TARP (1986) "
            f"{'lies inside' if inside else 'lies outside'} the interval.")


def funnel_record(funnel: pd.DataFrame) -> dict:
    """``{"voice_rate": share, "funnel": {stage: count}}``: the funnel's recorded results.

    Examples
    --------
    >>> funnel = pd.DataFrame({"stage": ["problem", "complained"], "count": [50, 2], "share": [0.5, 0.04]})
    >>> funnel_record(funnel)
    {'voice_rate': 0.04, 'funnel': {'problem': 50, 'complained': 2}}
    """
    return {"voice_rate": float(funnel.set_index("stage").loc["complained", "share"]),
            "funnel": {str(s): int(c) for s, c in zip(funnel["stage"], funnel["count"])}}


@dataclass
class FunnelSection(Section):
    """The complaint funnel beside TARP's escalation pyramid and voice rate."""

    comparison: pd.DataFrame | None = field(default=None, repr=False)
    pyramid: pd.DataFrame | None = field(default=None, repr=False)

    def plot(self, ax=None):
        """Observed funnel (left) and TARP's pyramid (right); ``ax``: one or two axes."""
        from .. import plots

        fig, axes = _new_axes(ax, 2, (12, 4))
        plots.funnel_plot(self.table, ax=axes[0]).set_title("Observed funnel")
        plots.source_note(axes[0], self.source)
        if len(axes) > 1:
            plots.funnel_plot(self.pyramid, ax=axes[1]).set_title("Escalation pyramid, TARP (1986): published figures")
            plots.source_note(axes[1], "TARP (1986) figures for 500 dissatisfied customers")
        if ax is None:  # axes handed in belong to the caller's layout
            fig.tight_layout()
        return fig

    def tables(self) -> list:
        return [styled_table(self.table, "Complaint funnel (share: of the stage named in of_stage)", self.source,
                             labels=_FUNNEL_LABELS, percent=["share", "low", "high"]),
                styled_table(self.comparison, "Observed shares beside TARP (1986)", self.source, labels=_FUNNEL_LABELS,
                             percent=["share", "low", "high", "published_share"])]

    def finding(self) -> str:
        return funnel_finding(self.table)

    def results(self) -> dict[str, Any]:
        return funnel_record(self.table)


@dataclass
class StatusCountsSection(Section):
    """Customers by complaint status, for data with statuses but no funnel columns."""

    def tables(self) -> list:
        return [styled_table(self.table, "Customers by complaint status", self.source, labels={"n": "customers"})]

    def finding(self) -> str:
        return ("The data have complaint statuses but no problem, complaint and escalation columns, so only the "
                "customers by status are shown, not the funnel.")


def funnel_section(study: ComplaintSettings) -> Section:
    """The complaint funnel (or, without funnel columns, the customers by status)."""
    if study.has_funnel:
        columns = study.funnel
        funnel = complaints.complaint_funnel(study.data, problem=columns["problem"], complained=columns["complained"],
                                             first_contact=columns["resolved_first_contact"],
                                             escalation=columns["escalation_level"], weights=study.weights)
        return FunnelSection(title="Complaint funnel", table=funnel, source=study.source,
                             comparison=complaints.compare_funnel(funnel), pyramid=complaints.escalation_pyramid())
    if study.status is not None:
        return StatusCountsSection(title="Customers by complaint status", source=study.source,
                                   table=complaints.status_counts(study.data, study.status))
    return Skipped("Complaint funnel", study.lacks("complaint statuses"),
                   fix="use the simulator or a complaint log with a status column")


# --- 2. the TARP table -------------------------------------------------------------------


def with_tarp_rates(table: pd.DataFrame, higher_is_better: bool) -> pd.DataFrame:
    """A :func:`~csat_analysis.complaints.repurchase_table` with TARP's rate as ``tarp_rate`` beside each cell.

    TARP's (1986) rates are repurchase rates, so a churn-type outcome
    (``higher_is_better=False``) gets no ``tarp_rate`` column.

    Examples
    --------
    >>> table = pd.DataFrame({"status": ["resolved", "no_problem"], "severity": ["minor", "none"], "rate": [0.7, 0.9]})
    >>> with_tarp_rates(table, True)["tarp_rate"].tolist()
    [0.74, nan]
    >>> "tarp_rate" in with_tarp_rates(table, False)
    False
    """
    if not higher_is_better:
        return table
    published = complaints.tarp_table().rename(columns={"rate": "tarp_rate"})
    return table.merge(published, on=["status", "severity"], how="left")


def tarp_record(table: pd.DataFrame) -> dict:
    """``{status: {severity: rate}}`` of a repurchase table: its recorded result.

    Examples
    --------
    >>> table = pd.DataFrame({"status": ["no_problem", "resolved", "resolved"], "severity": ["none", "major", "minor"],
    ...                       "rate": [0.9, 0.5, 0.7]})
    >>> tarp_record(table)
    {'no_problem': {'none': 0.9}, 'resolved': {'major': 0.5, 'minor': 0.7}}
    """
    return {str(s): {str(k): float(v) for k, v in zip(g["severity"], g["rate"])}
            for s, g in table.groupby("status", sort=False)}


def tarp_findings(table: pd.DataFrame, outcome: str, truth: dict | None = None) -> list[str]:
    """Sentences on a repurchase table: its range and, with the simulator's truth, coverage.

    ``truth`` is the simulator's ``repurchase_rates`` (``{"no_problem": rate, status:
    {severity: rate}}``); the coverage sentence says in how many cells the generating
    rate lies inside the 95% interval.

    Examples
    --------
    >>> table = pd.DataFrame({"status": ["no_problem", "resolved"], "severity": ["none", "minor"],
    ...                       "rate": [0.9, 0.7], "low": [0.85, 0.6], "high": [0.95, 0.8]})
    >>> for sentence in tarp_findings(table, "repurchase", {"no_problem": 0.9, "resolved": {"minor": 0.5}}):
    ...     print(sentence)
    The simulator's generating rates lie inside 50% of the 95% intervals of the rebuilt table (about 95% expected by chance alone).
    The repurchase rate ranges from 70% (resolved, minor) to 90% (no_problem, none).
    """
    sentences = []
    if truth is not None:
        expected = np.array([truth[s] if s == "no_problem" else truth[s][sev]
                             for s, sev in zip(table["status"], table["severity"])], dtype=float)
        covered = ((table["low"] <= expected) & (expected <= table["high"])).mean()
        sentences.append(f"The simulator's generating rates lie inside {covered:.0%} of the 95% intervals of the "
                         "rebuilt table (about 95% expected by chance alone).")
    best, worst = table.loc[table["rate"].idxmax()], table.loc[table["rate"].idxmin()]
    sentences.append(f"The {outcome} rate ranges from {worst['rate']:.0%} ({worst['status']}, {worst['severity']}) to "
                     f"{best['rate']:.0%} ({best['status']}, {best['severity']}).")
    return sentences


@dataclass
class TarpSection(Section):
    """Outcome rate by complaint status and severity beside TARP's rates."""

    outcome: str = ""
    truth: dict | None = field(default=None, repr=False)

    def plot(self, ax=None):
        from .. import plots

        fig, (ax,) = _new_axes(ax, 1, (9, 4.5))
        plots.tarp_plot(self.table, ax=ax).set(ylabel=f"{self.outcome} rate",
                                                                  title=f"{self.outcome} by complaint status")
        plots.source_note(ax, self.source)
        return ax

    def tables(self) -> list:
        return [styled_table(self.table, f"{self.outcome} rate by complaint status and severity", self.source,
                             labels={"tarp_rate": "TARP (1986) rate", "n_eff": "effective n"},
                             percent=["rate", "low", "high", "tarp_rate"])]

    def finding(self) -> str:
        return " ".join(tarp_findings(self.table, self.outcome, self.truth))

    def results(self) -> dict[str, Any]:
        return {"repurchase_by_status": tarp_record(self.table)}


def _no_status(study: ComplaintSettings, title: str) -> Skipped:
    what = "outcome column" if study.status is not None else "complaint statuses"
    return Skipped(title, study.lacks(what), fix="use the simulator or a complaint log with status and outcome columns")


def tarp_section(study: ComplaintSettings) -> Section:
    """The TARP table rebuilt from the data (outcome rate by status x severity, Wilson intervals)."""
    if not study.has_status:
        return _no_status(study, "TARP table")
    table = complaints.repurchase_table(study.data, study.outcome, study.status, study.severity, weights=study.weights)
    return TarpSection(title="TARP table", table=with_tarp_rates(table, study.higher_is_better), source=study.source,
                       outcome=study.outcome, truth=study.truth)


def chi_square_finding(tests: pd.DataFrame, outcome: str, alpha: float = 0.05) -> str:
    """One sentence: the severities where status and outcome are associated.

    Examples
    --------
    >>> chi_square_finding(pd.DataFrame({"severity": ["major", "minor"], "p_value": [0.001, 0.4]}), "repurchase")
    'Complaint status is associated with repurchase (chi-square p < 0.05) for severity: major.'
    >>> chi_square_finding(pd.DataFrame({"severity": ["major"], "p_value": [0.4]}), "repurchase")
    'Complaint status is associated with repurchase (chi-square p < 0.05) for severity: none.'
    """
    significant = tests.loc[tests["p_value"] < alpha, "severity"].astype(str).tolist()
    return (f"Complaint status is associated with {outcome} (chi-square p < {alpha:g}) for severity: "
            f"{', '.join(significant) if significant else 'none'}.")


@dataclass
class ChiSquareSection(Section):
    """Chi-square tests of complaint status against the outcome within each severity."""

    outcome: str = ""

    def tables(self) -> list:
        return [styled_table(self.table, f"Chi-square tests: complaint status x {self.outcome}, within each severity",
                             self.source, labels={"statistic": "chi-square", "dof": "degrees of freedom"})]

    def finding(self) -> str:
        return chi_square_finding(self.table, self.outcome)


def chi_square_section(study: ComplaintSettings) -> Section:
    """Chi-square tests of status x outcome per severity."""
    if not study.has_status:
        return _no_status(study, "Chi-square tests")
    if study.severity is None:
        return Skipped("Chi-square tests", study.lacks("problem severity column"), fix="name it with `severity`")
    tests = complaints.chi_square_tests(study.data, study.outcome, study.status, study.severity)
    return ChiSquareSection(title="Chi-square tests", table=tests, source=study.source, outcome=study.outcome)


@dataclass
class OddsSection(Section):
    """Logistic regression of the outcome on complaint status and severity, as odds ratios."""

    outcome: str = ""

    def plot(self, ax=None):
        from .. import plots

        fig, (ax,) = _new_axes(ax, 1, (8, 0.5 * len(self.table) + 1.5))
        plots.odds_ratio_plot(self.table, ax=ax).set_title(
            f"Odds ratios for {self.outcome} (reference: no problem, minor problem)")
        plots.source_note(ax, self.source)
        return ax

    def tables(self) -> list:
        return [styled_table(self.table, f"Logistic regression of {self.outcome}: odds ratios", self.source,
                             labels={"coef": "coefficient", "odds_ratio": "odds ratio"})]


def _not_estimable(title: str, error: ModelSpecError) -> Skipped:
    return Skipped(title, f"the logistic model cannot be estimated on these data: {error}",
                   fix="use more respondents (a larger `n` on the simulator) or fewer covariates")


def odds_section(study: ComplaintSettings) -> Section:
    """Odds ratios of the outcome against customers with no problem."""
    if not study.has_status:
        return _no_status(study, "Odds ratios")
    try:
        odds = complaints.outcome_model(study.data, study.outcome, study.status, study.severity, study.covariates)
    except ModelSpecError as error:  # small samples: a status x severity cell where everyone repurchased
        return _not_estimable("Odds ratios", error)
    return OddsSection(title="Odds ratios", table=odds, source=study.source, outcome=study.outcome)


# --- 3. the service-recovery paradox -----------------------------------------------------

_PARADOX_LABELS = {"fast_rate": "quick rate", "baseline_rate": "no-problem rate", "n_fast": "n quick",
                   "n_baseline": "n no problem", "bootstrap_low": "bootstrap low", "bootstrap_high": "bootstrap high"}
_PARADOX_PERCENT = ["fast_rate", "baseline_rate", "difference", "low", "high", "bootstrap_low", "bootstrap_high"]


def paradox_table(result: complaints.RecoveryParadox) -> pd.DataFrame:
    """A :class:`~csat_analysis.complaints.RecoveryParadox` as a one-row tidy table.

    Examples
    --------
    >>> result = complaints.RecoveryParadox(0.8, 0.6, 70, 80, 0.2, 0.05, 0.33, 0.01, "supported")
    >>> list(paradox_table(result).columns)
    ['fast_rate', 'baseline_rate', 'n_fast', 'n_baseline', 'difference', 'low', 'high', 'p_value', 'verdict']
    """
    columns = ["fast_rate", "baseline_rate", "n_fast", "n_baseline", "difference", "low", "high", "p_value", "verdict"]
    if np.isfinite(result.bootstrap_low):
        columns += ["bootstrap_low", "bootstrap_high"]
    return pd.DataFrame([{c: getattr(result, c) for c in columns}])


def paradox_finding(result: complaints.RecoveryParadox, outcome: str, bootstrap: int = 0) -> str:
    """One sentence on the service-recovery paradox, with the verdict and the bootstrap check.

    Examples
    --------
    >>> result = complaints.RecoveryParadox(0.8, 0.6, 70, 80, 0.2, 0.05, 0.33, 0.01, "supported",
    ...                                     bootstrap_low=0.06, bootstrap_high=0.34)
    >>> paradox_finding(result, "repurchase", bootstrap=500)
    'Quickly resolved complainants: repurchase 80.0% (n = 70); no problem: 60.0% (n = 80); difference +20.0% (95% CI +5.0% to +33.0%, p = 0.01). Service-recovery paradox: **supported**. The bootstrap interval (+6.0% to +34.0%, 500 resamples) agrees.'
    """
    sentence = (f"Quickly resolved complainants: {outcome} {_pct(result.fast_rate)} (n = {result.n_fast:,}); "
                f"no problem: {_pct(result.baseline_rate)} (n = {result.n_baseline:,}); difference "
                f"{result.difference:+.1%} (95% CI {result.low:+.1%} to {result.high:+.1%}, p = {result.p_value:.3g}). "
                f"Service-recovery paradox: **{result.verdict}**.")
    if bootstrap > 0 and np.isfinite(result.bootstrap_low):
        agrees = ((result.bootstrap_low > 0) == (result.low > 0)) and ((result.bootstrap_high < 0) == (result.high < 0))
        sentence += (f" The bootstrap interval ({result.bootstrap_low:+.1%} to {result.bootstrap_high:+.1%}, "
                     f"{int(bootstrap)} resamples) {'agrees' if agrees else 'does not agree, so the verdict is fragile'}.")
    return sentence


def paradox_record(result: complaints.RecoveryParadox) -> dict:
    """``difference``, ``low``, ``high``, ``p_value`` of a recovery-paradox test: its recorded result."""
    return {k: float(getattr(result, k)) for k in ("difference", "low", "high", "p_value")}


@dataclass
class ParadoxSection(Section):
    """Quickly resolved complainants against customers with no problem, pooled and per severity."""

    result: complaints.RecoveryParadox | None = None
    by_severity: pd.DataFrame | None = field(default=None, repr=False)
    outcome: str = ""
    bootstrap: int = 0

    def tables(self) -> list:
        shown = [styled_table(self.table, "Quickly resolved complainants minus customers with no problem", self.source,
                              labels=_PARADOX_LABELS, percent=_PARADOX_PERCENT)]
        if self.by_severity is not None:
            shown.append(styled_table(self.by_severity, "Recovery paradox within each problem severity "
                                      "(quickly resolved vs no problem)", self.source, labels=_PARADOX_LABELS,
                                      percent=_PARADOX_PERCENT))
        return shown

    def finding(self) -> str:
        return paradox_finding(self.result, self.outcome, self.bootstrap)

    def results(self) -> dict[str, Any]:
        return {"recovery_paradox": paradox_record(self.result)}


def paradox_section(study: ComplaintSettings) -> Section:
    """The service-recovery paradox test (Newcombe interval, z-test, optional bootstrap)."""
    title = "Service-recovery paradox"
    if not study.has_status:
        return _no_status(study, title)
    statuses = set(study.data[study.status].astype("object"))
    absent = [s for s in ("resolved_quickly", "no_problem") if s not in statuses]
    if absent:
        return Skipped(title, f"no customer has the status {', '.join(absent)}",
                       fix="lower `fast_hours` or use data with quickly resolved complaints and customers without a problem")
    result = complaints.recovery_paradox(study.data, study.outcome, study.status, higher_is_better=study.higher_is_better,
                                         weights=study.weights, bootstrap=study.bootstrap, seed=study.seed)
    by_severity = None
    if study.severity is not None:
        by_severity = complaints.paradox_by_severity(study.data, study.outcome, study.status, study.severity,
                                                     higher_is_better=study.higher_is_better, weights=study.weights)
    return ParadoxSection(title=title, table=paradox_table(result), source=study.source, result=result,
                          by_severity=by_severity, outcome=study.outcome, bootstrap=study.bootstrap)


# --- 4. resolution time ------------------------------------------------------------------


def resolution_findings(summary: pd.DataFrame, effect: complaints.TimeEffect, outcome: str, fast_hours: float) -> list[str]:
    """Sentences on resolution times: the Kaplan-Meier median, the fast share and the time effect.

    Examples
    --------
    >>> summary = pd.DataFrame({"median_hours": [30.2], "resolved_within_fast": [0.41]})
    >>> effect = complaints.TimeEffect(0.8, 0.7, 0.9, 0.001, 100, pd.DataFrame())
    >>> resolution_findings(summary, effect, "repurchase", 24)
    ['Half of the complaints are resolved within 30 hours (Kaplan-Meier median); 41% within 24 hours.', 'Each doubling of the resolution time multiplies the odds of repurchase by 0.80 (95% CI 0.70 to 0.90, p = 0.001): slower resolution, less repurchase.']
    """
    row = summary.iloc[0]
    if np.isfinite(row["median_hours"]):
        median = f"Half of the complaints are resolved within {row['median_hours']:.0f} hours (Kaplan-Meier median)"
    else:
        median = "Fewer than half of the complaints are resolved in the observed time, so there is no median"
    if effect.low > 1:
        reading = f"slower resolution, more {outcome}"
    elif effect.high < 1:
        reading = f"slower resolution, less {outcome}"
    else:
        reading = "no clear effect of the resolution time"
    return [f"{median}; {row['resolved_within_fast']:.0%} within {fast_hours:g} hours.",
            f"Each doubling of the resolution time multiplies the odds of {outcome} by {effect.odds_ratio:.2f} "
            f"(95% CI {effect.low:.2f} to {effect.high:.2f}, p = {effect.p_value:.3g}): {reading}."]


@dataclass
class ResolutionSection(Section):
    """Kaplan-Meier curve of resolution times and the outcome by time to resolution."""

    curve: pd.DataFrame | None = field(default=None, repr=False)
    binned: pd.DataFrame | None = field(default=None, repr=False)
    effect: complaints.TimeEffect | None = field(default=None, repr=False)
    outcome: str = ""
    fast_hours: float = 24.0

    def plot(self, ax=None):
        """Share still unresolved over time (left) and outcome by time to resolution (right)."""
        from .. import plots

        fig, axes = _new_axes(ax, 2, (12, 4))
        plots.retention_plot(self.curve, time="hours", survival="unresolved_share", ax=axes[0]).set(
            xscale="log", xlabel="hours since the complaint (log scale)", ylabel="share still unresolved",
            title=f"Complaints still unresolved (dashed: {self.fast_hours:g} hours)")
        axes[0].axvline(self.fast_hours, color="0.4", linestyle="--", linewidth=1)
        plots.source_note(axes[0], self.source)
        if len(axes) > 1:
            plots.loyalty_curve_plot(self.binned, x="median_hours", y="rate", low="low", high="high", fit=self.effect.curve,
                                     fit_x="hours", fit_y="fitted", ax=axes[1]).set(
                xscale="log", xlabel="hours to resolution (bin median, log scale)", ylabel=f"{self.outcome} rate",
                title=f"{self.outcome} by time to resolution")
        if ax is None:  # axes handed in belong to the caller's layout
            fig.tight_layout()
        return fig

    def tables(self) -> list:
        return [styled_table(self.table, "Resolution times (Kaplan-Meier)", self.source,
                             labels={"resolved_within_fast": f"resolved within {self.fast_hours:g} hours"},
                             percent=["resolved_within_fast"], missing_labels={"median_hours": "not reached"}),
                styled_table(self.binned, f"{self.outcome} rate of resolved complainants by time to resolution",
                             self.source, labels={"n_eff": "effective n"}, percent=["rate", "low", "high"])]

    def finding(self) -> str:
        return " ".join(resolution_findings(self.table, self.effect, self.outcome, self.fast_hours))


def resolution_section(study: ComplaintSettings) -> Section:
    """Resolution times (Kaplan-Meier, open complaints censored) and their effect on the outcome."""
    if not study.has_times:
        return Skipped("Resolution time", study.lacks("complaint resolution times") if study.has_status
                       else study.lacks("complaint statuses"), fix="use data with a `resolution_hours` column")
    hours = study.resolution_hours
    try:
        effect = complaints.resolution_time_effect(study.data, hours, study.outcome)
    except ModelSpecError as error:
        return _not_estimable("Resolution time", error)
    return ResolutionSection(
        title="Resolution time", source=study.source,
        table=complaints.resolution_summary(study.data, hours, study.open_hours, fast_hours=study.fast_hours),
        curve=complaints.resolution_times(study.data, hours, study.open_hours),
        binned=complaints.outcome_by_resolution_time(study.data, hours, study.outcome, bins=6, weights=study.weights),
        effect=effect, outcome=study.outcome, fast_hours=study.fast_hours)


# --- 5. service calls and churn ----------------------------------------------------------


def calls_finding(jumps: pd.DataFrame, odds: pd.DataFrame, calls: str, covariates: Sequence[str] = ()) -> str:
    """One sentence: where churn jumps with service calls and the adjusted odds ratio there.

    ``odds`` is :func:`~csat_analysis.complaints.calls_model` fitted with the threshold.

    Examples
    --------
    >>> jumps = pd.DataFrame({"calls": [1, 2], "rate": [0.1, 0.45], "rate_below": [0.1, 0.1],
    ...                       "p_value": [0.9, 1e-9], "threshold": [False, True]})
    >>> odds = pd.DataFrame({"term": ["calls_at_or_above_threshold"], "odds_ratio": [7.1], "low": [5.0], "high": [9.9]})
    >>> calls_finding(jumps, odds, "calls", ["plan"])
    'Churn jumps at 2 calls: 45% against 10% below (p = 1e-09); adjusted for plan, the odds ratio is 7.1 (95% CI 5.0 to 9.9).'
    >>> calls_finding(jumps.assign(threshold=False), odds, "calls")
    'No call count shows churn significantly above the levels below it.'
    """
    threshold = complaints.threshold_level(jumps)
    if threshold is None:
        return "No call count shows churn significantly above the levels below it."
    at = jumps.loc[jumps["threshold"]].iloc[0]
    term = odds.set_index("term").loc["calls_at_or_above_threshold"]
    return (f"Churn jumps at {threshold} {calls}: {at['rate']:.0%} against {at['rate_below']:.0%} below "
            f"(p = {at['p_value']:.2g}); adjusted for {', '.join(covariates) or 'nothing'}, the odds ratio is "
            f"{term['odds_ratio']:.1f} (95% CI {term['low']:.1f} to {term['high']:.1f}).")


@dataclass
class CallsSection(Section):
    """Churn by number of customer-service calls, where it jumps, and a logistic model."""

    jumps: pd.DataFrame | None = field(default=None, repr=False)
    odds: pd.DataFrame | None = field(default=None, repr=False)
    calls: str = ""
    churn: str = ""
    covariates: list[str] = field(default_factory=list)
    record_rates: bool = True

    @property
    def threshold(self) -> int | None:
        """The call count where churn jumps, or None."""
        return complaints.threshold_level(self.jumps)

    def plot(self, ax=None):
        from .. import plots

        label = self.calls.replace("_", " ")
        fig, (ax,) = _new_axes(ax, 1, (9, 4))
        plots.interval_plot(self.table, x="calls", y="rate", low="low", high="high", ax=ax).set(
            xlabel=label, ylabel="churn rate", title=f"Churn by {label}")
        plots.source_note(ax, self.source)
        return ax

    def tables(self) -> list:
        return [styled_table(self.table, f"Churn ({self.churn}) by {self.calls}", self.source,
                             labels={"n_eff": "effective n"}, percent=["rate", "low", "high"]),
                styled_table(self.jumps, "Where churn jumps: each level against all lower levels", self.source,
                             labels={"rate_below": "rate below"}, percent=["rate", "rate_below"]),
                styled_table(self.odds, "Logistic model of churn: odds ratios", self.source,
                             labels={"coef": "coefficient", "odds_ratio": "odds ratio"})]

    def finding(self) -> str:
        return calls_finding(self.jumps, self.odds, self.calls, self.covariates)

    def results(self) -> dict[str, Any]:
        if not self.record_rates:
            return {}
        return {"churn_by_service_calls": dict(zip(self.table["calls"], self.table["rate"]))}


def calls_section(study: ComplaintSettings) -> Section:
    """Churn by service calls (on the simulator, by escalation level) with the jump threshold."""
    if not study.has_calls:
        return Skipped("Service calls and churn", study.lacks("service-call counts with churn"),
                       fix="use `service_calls_churn` or data with call counts and a churn flag")
    by_calls = complaints.churn_by_calls(study.data, study.calls, study.churn)
    jumps = complaints.call_threshold(by_calls)
    try:
        odds = complaints.calls_model(study.data, study.churn, study.calls, study.call_covariates,
                                      threshold=complaints.threshold_level(jumps))
    except ModelSpecError as error:
        return _not_estimable("Service calls and churn", error)
    return CallsSection(title="Service calls and churn", table=by_calls, source=study.source, jumps=jumps, odds=odds,
                        calls=study.calls, churn=study.churn, covariates=list(study.call_covariates),
                        record_rates=study.calls_are_service_calls)


# --- 6. complaint handling and loyalty ---------------------------------------------------


def correlation_finding(correlation: pd.DataFrame, x: str = "satisfaction with complaint handling",
                        y: str = "loyalty") -> str:
    """One sentence on a :func:`~csat_analysis.complaints.rank_correlation` row, direction read from the interval.

    Examples
    --------
    >>> correlation_finding(pd.DataFrame({"n": [250], "rho": [0.41], "low": [0.3], "high": [0.51]}))
    'Satisfaction with complaint handling and loyalty move together: Spearman rho = 0.41 (95% CI 0.30 to 0.51, n = 250).'
    >>> correlation_finding(pd.DataFrame({"n": [30], "rho": [0.1], "low": [-0.2], "high": [0.4]}))
    'Satisfaction with complaint handling and loyalty show no clear association: Spearman rho = 0.10 (95% CI -0.20 to 0.40, n = 30).'
    """
    row = correlation.iloc[0]
    verb = ("move together" if row["low"] > 0 else "move in opposite directions" if row["high"] < 0
            else "show no clear association")
    return (f"{x[0].upper() + x[1:]} and {y} {verb}: Spearman rho = {row['rho']:.2f} "
            f"(95% CI {row['low']:.2f} to {row['high']:.2f}, n = {int(row['n']):,}).")


@dataclass
class HandlingSection(Section):
    """Loyalty by satisfaction with complaint handling, and their rank correlation."""

    correlation: pd.DataFrame | None = field(default=None, repr=False)
    rating: str = "CUSCO"
    scale: tuple[float, float] = (1, 10)

    def plot(self, ax=None):
        from .. import plots

        fig, axes = _new_axes(ax, 2, (12, 4))
        top = self.scale[1] - 1
        panels = [("mean_loyalty", "mean_low", "mean_high", f"Mean loyalty ({self.scale[0]:g}-{self.scale[1]:g})"),
                  ("top_box", "top_low", "top_high", f"Top-box loyal share (mean loyalty >= {top:g})")]
        for panel, (y, low, high, title) in zip(axes, panels):
            plots.loyalty_curve_plot(self.table, x="rating", y=y, low=low, high=high, ax=panel).set(
                title=title, xlabel=f"{self.rating} (satisfaction with complaint handling)", ylabel=title.split(" (")[0])
        plots.source_note(axes[0], self.source)
        if ax is None:  # axes handed in belong to the caller's layout
            fig.tight_layout()
        return fig

    def tables(self) -> list:
        return [styled_table(self.table, f"Loyalty by satisfaction with complaint handling ({self.rating})", self.source,
                             labels={"rating": self.rating, "top_box": "top-box share"},
                             percent=["top_box", "top_low", "top_high"]),
                styled_table(self.correlation, f"Spearman correlation of {self.rating} with mean loyalty", self.source,
                             labels={"rho": "Spearman rho"})]

    def finding(self) -> str:
        return correlation_finding(self.correlation)


def handling_section(study: ComplaintSettings) -> Section:
    """Loyalty by satisfaction with complaint handling (e.g. the ECSI item CUSCO)."""
    if not study.has_handling:
        return Skipped("Complaint handling and loyalty",
                       study.lacks("rating of complaint handling with loyalty items"),
                       fix="use `mobi` or the simulator, which have CUSCO and CUSL1-3")
    by_rating = complaints.loyalty_by_rating(study.data, study.handling, study.loyalty, scale=study.scale, k=2)
    correlation = complaints.rank_correlation(study.data, study.handling, study.loyalty)
    return HandlingSection(title="Complaint handling and loyalty", table=by_rating, source=study.source,
                           correlation=correlation, rating=study.handling, scale=study.scale)


# --- 7. word of mouth --------------------------------------------------------------------


def word_of_mouth_finding(table: pd.DataFrame) -> str:
    """One sentence on the ``share`` reading of :func:`~csat_analysis.complaints.word_of_mouth_by_status`.

    Examples
    --------
    >>> table = complaints.word_of_mouth_by_status(pd.DataFrame({"s": ["no_complaint", "resolved"]}), "s")
    >>> word_of_mouth_finding(table)
    'Under the TARP (1986) multipliers, 1 dissatisfied customers reach about 12 people with a negative story and 1 satisfied customers about 5 with a positive one (assumed multipliers, not measured).'
    """
    share = table[table["reading"] == "share"].set_index("story")
    return (f"Under the TARP (1986) multipliers, {share.loc['negative', 'customers']:,.0f} dissatisfied customers "
            f"reach about {share.loc['negative', 'people_reached']:,.0f} people with a negative story and "
            f"{share.loc['positive', 'customers']:,.0f} satisfied customers about "
            f"{share.loc['positive', 'people_reached']:,.0f} with a positive one (assumed multipliers, not measured).")


@dataclass
class WordOfMouthSection(Section):
    """People reached by negative and positive stories under TARP's multipliers."""

    def tables(self) -> list:
        return [styled_table(self.table, "Word of mouth: customers from the data x TARP (1986) multipliers (assumptions)",
                             self.source)]

    def finding(self) -> str:
        return word_of_mouth_finding(self.table)


def word_of_mouth_section(study: ComplaintSettings) -> Section:
    """Word of mouth: dissatisfied and satisfied customers counted from the statuses, times the multipliers."""
    if study.status is None:
        return Skipped("Word of mouth", study.lacks("complaint statuses to count dissatisfied and satisfied customers"),
                       fix="use the simulator or a complaint log with a status column")
    table = complaints.word_of_mouth_by_status(study.data, study.status, **study.word_of_mouth)
    return WordOfMouthSection(title="Word of mouth", table=table, source=study.source)


# --- summary -----------------------------------------------------------------------------


def summary(run: StudyRun, references: Sequence[str] = REFERENCES) -> str:
    """The findings stated so far as a Markdown list, the sections not run, and the references.

    Examples
    --------
    >>> run = StudyRun("mobi", study="complaint_resolution", emit=False)
    >>> run.findings.append("One finding.")
    >>> print(summary(run, references=["A book."]))
    *Real data: mobi (Tenenhaus et al. 2005), n = 250*
    <BLANKLINE>
    - One finding.
    <BLANKLINE>
    **References**
    <BLANKLINE>
    - A book.
    """
    parts = [f"*{run.source}*", "\n".join(f"- {sentence}" for sentence in run.findings)]
    if run.notes:
        parts.append("**Not run on these data**\n\n" + "\n".join(f"- {note}" for note in run.notes))
    parts.append("**References**\n\n" + "\n".join(f"- {reference}" for reference in references))
    return "\n\n".join(part for part in parts if part)
