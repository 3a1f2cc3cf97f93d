"""The complaint resolution study: settings, sections and findings of its notebook.

``notebooks/complaint_resolution.ipynb`` follows customers who had a problem: whether
they complain, how the complaint is handled, and what that does to repurchase and
churn. Each section below turns the analysis of :mod:`csat_analysis.complaints` into
a :class:`~csat_analysis.studies.core.Section` (figure, tables, finding, recorded
results). The columns come from the survey description's ``complaint`` roles
(``problem``, ``complained``, ``status`` or ``resolved`` + ``resolved_quickly`` or
``resolution_hours``, ``severity``, ``escalation_level``, ``handling_satisfaction``,
``outcome``): the complaint status is derived from whichever of them exist and each
section runs on what the data support; the others become one-line notes. The
published benchmarks are those of Technical Assistance Research Programs (TARP),
*Consumer Complaint Handling in America: An Update Study*, U.S. Office of Consumer
Affairs, 1986 (figures as commonly quoted); the service-recovery paradox is that of
McCollough and Bharadwaj (1992), meta-analysed by de Matos, Henrique and Rossi (2007).

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

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .. import complaints, formatting
from .._validation import check_choice, check_columns, read_flags
from ..errors import ModelSpecError, StudyError, SurveyDataError
from ..report import styled_table
from ..scaling import Scale
from .core import Section, Skipped, StudyRun

__all__ = [
    "PARAMETERS",
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
    "segment": None,
    "segment_value": None,
    "outcome": None,
    "status": None,
    "severity": None,
    "fast_hours": 24.0,
    "bootstrap": 1000,
    "seed": 0,
    "language": "en",  # report language: "en" or "zh" (simplified Chinese)
    "tell_dissatisfied": 10,
    "retell_share": 0.2,
    "retell_count": 20,
    "tell_satisfied": 5,
}

#: what a status code means, for tables and figures
STATUS_LABELS = {"no_problem": "no problem", "no_complaint": "problem, no complaint", "unresolved": "unresolved",
                 "resolved": "resolved", "resolved_quickly": "resolved quickly"}
#: fewest resolved complaints with a resolution time before the time analysis is attempted
MIN_RESOLVED_WITH_TIME = 12
#: fewest complete answers before the handling-versus-loyalty correlation is attempted
MIN_HANDLING_ANSWERS = 10
_OFF = ("", "none", False)  # a parameter set to one of these turns the role off


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

    Built by :func:`settings`. ``None`` means the data lack that role; the ``has_*``
    properties say which sections can run.
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
    status_from: str = ""
    segment: str | None = None
    segment_value: Any = None
    labels: dict[str, str] = field(default_factory=dict, repr=False)
    handling_scale: tuple[float, float] | None = None
    loyalty_score: str | None = None
    #: the data say which complaints were resolved quickly (a status code, a yes/no answer or resolution times)
    knows_speed: bool = True
    #: fixes already given in a note: later notes with the same fix say only why (the summary stays short)
    explained: set = field(default_factory=set, repr=False)

    def once(self, fix: str) -> str:
        """``fix`` the first time it is given, then empty."""
        if fix in self.explained:
            return ""
        self.explained.add(fix)
        return fix

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
        return self.handling is not None and self.loyalty_score is not None

    @property
    def calls_are_service_calls(self) -> bool:
        """The call counts are customer-service calls, not the escalation level standing in for them."""
        return self.calls is not None and (self.funnel is None or self.calls != self.funnel.get("escalation_level"))

    def label(self, column: str | None) -> str:
        """The display name of a column (the survey description's ``label``; else the name, spaced)."""
        if column is None:
            return ""
        own = self.labels.get(column)
        return own if own and own != column else str(column).replace("_", " ")

    def lacks(self, what: str) -> str:
        """The reason a section gives when the data lack its columns."""
        return f"`{Path(str(self.name)).name}` has no {what}"

    def describe(self) -> str:
        """One line naming the columns in use and those the data lack.

        Examples
        --------
        >>> ComplaintSettings(pd.DataFrame(), "accounts", "real", "", "churn", None, None, None, None, None).describe()
        'Columns used: outcome `churn` (lower is more loyal). Not in these data: complaint status, severity, survey weights.'
        """
        used = {"outcome": self.outcome, "complaint status": self.status, "severity": self.severity,
                "survey weights": self.weights}
        present = []
        for label, column in used.items():
            if column is None:
                continue
            note = f" ({self.status_from})" if column == self.status and self.status_from else ""
            if column == self.outcome:
                note = f" ({'higher' if self.higher_is_better else 'lower'} is more loyal)"
            present.append(f"{label} `{self.label(column)}`{note}")
        if self.handling is not None:
            present.append(f"complaint handling `{self.label(self.handling)}`")
        if self.loyalty:
            present.append(f"loyalty {', '.join(f'`{self.label(c)}`' for c in self.loyalty)}")
        absent = [label for label, column in used.items() if column is None]
        return (f"Columns used: {', '.join(present)}." if present else "No outcome or complaint columns.") + (
            f" Not in these data: {', '.join(absent)}." if absent else "")


def _present(data: pd.DataFrame, column: str | None) -> str | None:
    return column if isinstance(column, str) and column in data.columns else None


def _is_flag(data: pd.DataFrame, column: str) -> bool:
    try:
        read_flags(data, column)
    except SurveyDataError:
        return False
    return True


def _filter_segment(data: pd.DataFrame, roles: dict, segment, segment_value) -> tuple[pd.DataFrame, str | None]:
    if segment in _OFF:
        segment = None
    if segment is None and segment_value is not None:
        segment = (roles.get("segments") or [None])[0]
        if segment is None:
            raise StudyError("segment_value needs a segment column: set segment")
    if segment is not None:
        check_columns(data, segment, parameter="segment", error=StudyError)
    if segment_value is not None:
        text = data[segment].astype(str)
        check_choice("segment_value", str(segment_value), sorted(text.dropna().unique()), error=StudyError)
        data = data[text == str(segment_value)]
    return data, segment


def _scale_of(run, column: str) -> Scale | None:
    survey = getattr(run, "survey", None)
    if survey is not None:
        return survey.scale(column)
    scale = run.roles.get("scale")
    return Scale.coerce(scale) if scale is not None else None


def _loyalty_score(run, data: pd.DataFrame, items: list[str]) -> tuple[pd.Series | None, tuple[float, float] | None]:
    """Mean of the loyalty items, each on its own scale (rescaled to 0-100 when the scales differ)."""
    from ..scaling import composite_score, rescale

    scales = {item: _scale_of(run, item) for item in items}
    if any(scale is None for scale in scales.values()):
        return None, None
    bounds = {(scale.low, scale.high) for scale in scales.values()}
    if len(bounds) == 1:
        score = composite_score(data, items, scale=scales, parameter="loyalty")
        return score, next(iter(bounds))
    rescaled = pd.DataFrame({item: rescale(composite_score(data, item, scale=scales[item], parameter="loyalty"),
                                           scales[item]) for item in items}, index=data.index)
    return rescaled.mean(axis=1, skipna=True), (0.0, 100.0)


def settings(run: StudyRun, *, segment: str | None = PARAMETERS["segment"],
             segment_value: Any = PARAMETERS["segment_value"], outcome: str | None = PARAMETERS["outcome"],
             status: str | None = PARAMETERS["status"], severity: str | None = PARAMETERS["severity"],
             fast_hours: float = PARAMETERS["fast_hours"], bootstrap: int = PARAMETERS["bootstrap"],
             seed: int = PARAMETERS["seed"], tell_dissatisfied: float = PARAMETERS["tell_dissatisfied"],
             retell_share: float = PARAMETERS["retell_share"], retell_count: float = PARAMETERS["retell_count"],
             tell_satisfied: float = PARAMETERS["tell_satisfied"]) -> ComplaintSettings:
    """Resolve the notebook's parameters against the run's data and survey description.

    Columns come from the description's roles (``run.roles``): ``complaint.problem``,
    ``complaint.complained``, ``complaint.status``, ``complaint.resolved``,
    ``complaint.resolved_quickly``, ``complaint.resolution_hours``,
    ``complaint.severity``, ``complaint.escalation_level``,
    ``complaint.handling_satisfaction``, ``complaint.outcome`` (else ``behaviour`` or
    the churn flag), ``loyalty`` (else ``recommend``) and ``weight``. A column
    parameter (``outcome``, ``status``, ``severity``) overrides its role and must
    exist (a :class:`~csat_analysis.errors.StudyError` lists the columns); ``""``
    turns a role off (``severity=""``: no severity). The complaint status is the
    status column when there is one (its quick status derived from resolution times
    and ``fast_hours`` when it has none), else it is derived from the yes/no answers
    by :func:`csat_analysis.complaints.derive_status`. ``segment`` and
    ``segment_value`` keep one segment's respondents.

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
    roles = run.roles
    role = dict(roles.get("complaint") or {})
    data, segment = _filter_segment(run.data, roles, segment, segment_value)

    def chosen(parameter: str, value, default):
        """A parameter's column (checked), the role's default when unset, None when turned off."""
        if value in _OFF:
            return None
        if value is None:
            return _present(data, default)
        check_columns(data, value, parameter=parameter, error=StudyError)
        return value

    churn_role = roles.get("churn") or {}
    if outcome is None:
        candidates = [role.get("outcome"), role.get("churned"), roles.get("behaviour"), churn_role.get("churned")]
        outcome = next((c for c in candidates if _present(data, c) and _is_flag(data, c)), None)
    else:
        outcome = chosen("outcome", outcome, None)
    status = chosen("status", status, role.get("status"))
    severity = chosen("severity", severity, role.get("severity"))
    hours = _present(data, role.get("resolution_hours"))
    problem, complained = _present(data, role.get("problem")), _present(data, role.get("complained"))
    resolved, quickly = _present(data, role.get("resolved")), _present(data, role.get("resolved_quickly"))
    status_from = ""
    knows_speed = True
    if status is not None:
        if hours is not None and "resolved_quickly" not in set(data[status].astype("object")):
            data = data.assign(**{status: complaints.derive_fast_status(data, status, hours, fast_hours)})
            status_from = f"quick: resolved within {fast_hours:g} hours"
    elif problem and complained and (resolved or hours):
        status = "complaint_status" if "complaint_status" not in data.columns else "complaint_status_derived"
        data = data.assign(**{status: complaints.derive_status(
            data, problem=problem, complained=complained, resolved=resolved, resolved_quickly=quickly,
            resolution_hours=hours, fast_hours=fast_hours)})
        parts = ["problem", "complaint", "resolved" if resolved else "resolution time"]
        status_from = f"derived from the {', '.join(parts)} answers" + (
            "" if quickly else f"; quick: resolved within {fast_hours:g} hours" if hours else "")
        knows_speed = bool(quickly or hours)
    funnel = None
    if problem and complained:
        funnel = {"problem": problem, "complained": complained}
        for key in ("resolved", "resolved_first_contact", "escalation_level"):
            if _present(data, role.get(key)):
                funnel[key] = role[key]
    calls, churn = role.get("calls"), role.get("churned")
    calls, churn = (calls, churn) if _present(data, calls) and _present(data, churn) else (None, None)
    loyalty = [c for c in (roles.get("loyalty") or []) if c in data.columns]
    if not loyalty and _present(data, roles.get("recommend")):
        loyalty = [roles["recommend"]]
    handling = _present(data, role.get("handling_satisfaction"))
    score, loyalty_scale = (None, None)
    if handling is not None and loyalty:
        score, loyalty_scale = _loyalty_score(run, data, loyalty)
    loyalty_score = None
    if score is not None:
        loyalty_score = "loyalty_score"
        data = data.assign(loyalty_score=score)
    handling_scale = _scale_of(run, handling) if handling is not None else None
    weights = _present(data, roles.get("weight"))
    covariates = [c for c in role.get("covariates", []) if c in data.columns and c != segment]
    call_covariates = [c for c in role.get("call_covariates", []) if c in data.columns and c != segment]
    truth = run.truth.get("repurchase_rates") if run.truth is not None and outcome == "repurchase" else None
    survey = getattr(run, "survey", None)
    columns = [c for c in (outcome, status, severity, handling, calls, churn, weights, segment, *loyalty) if c]
    labels = survey.labels(columns) if survey is not None else {}
    if loyalty_score is not None:
        labels[loyalty_score] = "loyalty" if len(loyalty) > 1 else str(labels.get(loyalty[0], loyalty[0])).replace("_", " ")
    source = run.source
    if segment_value is not None:
        source += f"; only {labels.get(segment, segment)} = {segment_value} (n = {len(data):,})"
    if weights is not None:
        source += f"; rates weighted by `{weights}`"
    return ComplaintSettings(
        data=data, name=run.name, kind=run.kind, source=source, outcome=outcome, status=status, severity=severity,
        weights=weights, calls=calls, churn=churn, funnel=funnel, resolution_hours=hours if status else None,
        open_hours=_present(data, role.get("open_hours")), handling=handling, loyalty=loyalty,
        scale=tuple(loyalty_scale) if loyalty_scale is not None else (1, 10), covariates=covariates,
        call_covariates=call_covariates, fast_hours=float(fast_hours), bootstrap=int(bootstrap), seed=seed,
        word_of_mouth={"tell_dissatisfied": tell_dissatisfied, "retell_share": retell_share,
                       "retell_count": retell_count, "tell_satisfied": tell_satisfied},
        truth=truth, status_from=status_from, segment=segment, segment_value=segment_value, labels=labels,
        handling_scale=(handling_scale.low, handling_scale.high) if handling_scale is not None else None,
        loyalty_score=loyalty_score, knows_speed=knows_speed,
    )


# --- shared helpers ----------------------------------------------------------------------


def _pct(value: float, digits: int = 1) -> str:
    return formatting.percent(value, digits)


def _new_axes(ax, panels: int, figsize: tuple[float, float]):
    """``panels`` axes: the ones given, or a new figure's."""
    import matplotlib.pyplot as plt

    if ax is None:
        fig, axes = plt.subplots(1, panels, figsize=figsize, squeeze=False)
        return fig, list(axes[0])
    axes = list(np.atleast_1d(ax))
    return axes[0].figure, axes


def _not_estimable(title: str, error: Exception) -> Skipped:
    return Skipped(title, f"the model cannot be estimated on these data: {error}",
                   fix="use more respondents (a larger `n` on the simulator, or a larger segment) or fewer covariates")


def _estimable(title: str) -> Callable:
    """A section builder whose model failures (separation, no convergence, singular design) become a note."""

    def wrap(build: Callable[[ComplaintSettings], Section]) -> Callable[[ComplaintSettings], Section]:
        @functools.wraps(build)
        def guarded(study: ComplaintSettings) -> Section:
            try:
                return build(study)
            except (ModelSpecError, np.linalg.LinAlgError) as error:
                return _not_estimable(title, error)

        return guarded

    return wrap


def _with_design(section: Section, study: ComplaintSettings) -> Section:
    """The section, citing the design-based (weighted) intervals when the data carry survey weights."""
    if study.weights is not None:
        section.references = (*type(section).references, "lumley2004", "korn_graubard1998")
    return section


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _term_labels(table: pd.DataFrame) -> pd.DataFrame:
    """Odds-ratio terms with status codes as words (``status: resolved quickly``)."""
    def label(term: str) -> str:
        for code in sorted(STATUS_LABELS, key=len, reverse=True):
            term = term.replace(f": {code}", f": {STATUS_LABELS[code]}")
        return term.replace("_", " ")

    return table.assign(term=table["term"].map(label))


def _status_labels(table: pd.DataFrame) -> pd.DataFrame:
    """The table with status codes as words (the recorded results keep the codes)."""
    if "status" not in table:
        return table
    return table.assign(status=table["status"].map(lambda code: STATUS_LABELS.get(code, code)))


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
    >>> funnel = pd.DataFrame({"stage": ["problem", "complained"], "count": [400, 20], "share": [0.4, 0.05],
    ...                        "low": [0.37, 0.045], "high": [0.43, 0.055]})
    >>> funnel_finding(funnel)
    'Of 400 customers with a problem, 5.0% complained (95% CI 4.5% to 5.5%); the 4% voice rate quoted from TARP (1986) lies outside the interval.'
    """
    stages = funnel.set_index("stage")
    voice = stages.loc["complained"]
    inside = voice["low"] <= published_voice_rate <= voice["high"]
    with_problem = f"{int(stages.loc['problem', 'count']):,} " if "count" in stages else ""
    return (f"Of {with_problem}customers with a problem, {_pct(voice['share'])} complained (95% CI "
            f"{formatting.interval(voice['low'], voice['high']).strip('[]').replace(', ', ' to ')}); the "
            f"{published_voice_rate:.0%} voice rate quoted from TARP (1986) "
            f"{'lies inside' if inside else 'lies outside'} the interval.")


def funnel_record(funnel: pd.DataFrame) -> dict:
    """``{"voice_rate": {value, low, high}, "funnel": {stage: count}}``: the funnel's recorded results.

    Examples
    --------
    >>> funnel = pd.DataFrame({"stage": ["problem", "complained"], "count": [50, 2], "share": [0.5, 0.04],
    ...                        "low": [0.36, 0.011], "high": [0.64, 0.135]})
    >>> funnel_record(funnel)
    {'voice_rate': {'value': 0.04, 'low': 0.011, 'high': 0.135}, 'funnel': {'problem': 50, 'complained': 2}}
    """
    voice = funnel.set_index("stage").loc["complained"]
    return {"voice_rate": {key: float(voice[column]) for key, column in
                           (("value", "share"), ("low", "low"), ("high", "high"))},
            "funnel": {str(s): int(c) for s, c in zip(funnel["stage"], funnel["count"])}}


@dataclass
class FunnelSection(Section):
    """The complaint funnel beside TARP's escalation pyramid and voice rate."""

    comparison: pd.DataFrame | None = field(default=None, repr=False)
    pyramid: pd.DataFrame | None = field(default=None, repr=False)

    references = ("tarp1986", "wilson1927")

    def plot(self, ax=None):
        """Observed funnel (left) and TARP's pyramid (right); ``ax``: one or two axes."""
        from .. import plots

        fig, axes = _new_axes(ax, 2, (12, 4))
        plots.funnel_plot(self.table.assign(stage=self.table["stage"].map(formatting.display_name)),
                          ax=axes[0]).set_title("Observed funnel")
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

    def headline(self) -> str:
        voice = self.table.set_index("stage").loc["complained"]
        return (f"Voice rate: {formatting.estimate(voice['share'], voice['low'], voice['high'])} of customers with "
                f"a problem complained (TARP 1986: 4%).")

    def results(self) -> dict[str, Any]:
        return funnel_record(self.table)


@dataclass
class StatusCountsSection(Section):
    """Customers by complaint status, for data with statuses but no problem and complaint answers."""

    def tables(self) -> list:
        return [styled_table(_status_labels(self.table), "Customers by complaint status", self.source,
                             labels={"n": "customers"})]

    def finding(self) -> str:
        return ("The data have complaint statuses but no separate problem and complaint answers, so only the "
                "customers by status are shown, not the funnel.")


def funnel_section(study: ComplaintSettings) -> Section:
    """The complaint funnel with the stages the data support (or, without them, customers by status)."""
    if study.has_funnel:
        columns = study.funnel
        problems = int(read_flags(study.data, columns["problem"]).fillna(0).sum())
        if problems == 0:
            return Skipped("Complaint funnel", "no respondent in these data had a problem",
                           fix="use more respondents or a larger segment")
        funnel = complaints.complaint_funnel(study.data, problem=columns["problem"], complained=columns["complained"],
                                             first_contact=columns.get("resolved_first_contact"),
                                             escalation=columns.get("escalation_level"),
                                             resolved=columns.get("resolved"), weights=study.weights)
        return _with_design(FunnelSection(title="Complaint funnel", table=funnel, source=study.source,
                                          comparison=complaints.compare_funnel(funnel),
                                          pyramid=complaints.escalation_pyramid()), study)
    if study.status is not None:
        return StatusCountsSection(title="Customers by complaint status", source=study.source,
                                   table=complaints.status_counts(study.data, study.status))
    return Skipped("Complaint funnel", study.lacks("problem and complaint answers"),
                   fix="name the `complaint.problem` and `complaint.complained` roles")


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
    The repurchase rate ranges from 70.0% [60.0%, 80.0%] (resolved, minor) to 90.0% [85.0%, 95.0%] (no problem).
    The simulator's generating rates lie inside 50.0% of the 95% intervals of the rebuilt table (about 95% expected by chance alone).
    """
    sentences = []
    best, worst = table.loc[table["rate"].idxmax()], table.loc[table["rate"].idxmin()]

    def cell(row) -> str:
        where = STATUS_LABELS.get(row["status"], row["status"])
        where += "" if row["severity"] in (complaints.NO_SEVERITY, "all") else f", {row['severity']}"
        return f"{formatting.estimate(row['rate'], row['low'], row['high'])} ({where})"

    sentences.append(f"The {outcome} rate ranges from {cell(worst)} to {cell(best)}.")
    if truth is not None:
        expected = np.array([truth[s] if s == "no_problem" else truth[s][sev] if isinstance(truth[s], dict) else np.nan
                             for s, sev in zip(table["status"], table["severity"])], dtype=float)
        known = np.isfinite(expected)
        covered = ((table["low"] <= expected) & (expected <= table["high"]))[known].mean()
        sentences.append(f"The simulator's generating rates lie inside {_pct(covered)} of the 95% intervals of the "
                         "rebuilt table (about 95% expected by chance alone).")
    return sentences


@dataclass
class TarpSection(Section):
    """Outcome rate by complaint status and severity beside TARP's rates."""

    outcome: str = ""
    truth: dict | None = field(default=None, repr=False)

    references = ("tarp1986", "wilson1927")

    def plot(self, ax=None):
        from .. import plots

        fig, (ax,) = _new_axes(ax, 1, (9, 4.5))
        plots.tarp_plot(_status_labels(self.table), ax=ax).set(
            ylabel=f"{self.outcome} rate", xlabel="", title=_capital(f"{self.outcome} by complaint status"))
        formatting.wrap_labels(ax, "x", width=12)
        plots.source_note(ax, self.source)
        return ax

    def tables(self) -> list:
        return [styled_table(_status_labels(self.table), f"{self.outcome} rate by complaint status and severity",
                             self.source, labels={"tarp_rate": "TARP (1986) rate", "n_eff": "effective n"},
                             percent=["rate", "low", "high", "tarp_rate"])]

    def finding(self) -> str:
        return " ".join(tarp_findings(self.table, self.outcome, self.truth))

    def results(self) -> dict[str, Any]:
        return {"repurchase_by_status": tarp_record(self.table)}


def _no_status(study: ComplaintSettings, title: str) -> Skipped:
    if study.status is not None:
        return Skipped(title, study.lacks("yes/no outcome (repurchase or churn)"),
                       fix=study.once("name the `complaint.outcome` role or set the `outcome` parameter"))
    return Skipped(title, study.lacks("complaint statuses"),
                   fix=study.once("name the `complaint.status` role, or `problem`, `complained` and `resolved`"))


def tarp_section(study: ComplaintSettings) -> Section:
    """The TARP table rebuilt from the data (outcome rate by status x severity, Wilson intervals)."""
    if not study.has_status:
        return _no_status(study, "TARP table")
    table = complaints.repurchase_table(study.data, study.outcome, study.status, study.severity, weights=study.weights)
    if table.empty:
        return Skipped("TARP table", f"no respondent has a known {study.label(study.outcome)}",
                       fix="use data where the outcome is answered")
    return _with_design(TarpSection(title="TARP table", table=with_tarp_rates(table, study.higher_is_better),
                                    source=study.source, outcome=study.label(study.outcome), truth=study.truth), study)


def chi_square_finding(tests: pd.DataFrame, outcome: str, alpha: float = 0.05) -> str:
    """One sentence: the association of status and outcome (Cramér's V), by severity.

    Examples
    --------
    >>> tests = pd.DataFrame({"severity": ["major", "minor"], "p_value": [0.0001, 0.4], "cramers_v": [0.31, 0.05],
    ...                       "low": [0.2, 0.0], "high": [0.4, 0.12]})
    >>> chi_square_finding(tests, "repurchase")
    "Complaint status is associated with repurchase for major problems (Cramér's V 0.31 [0.20, 0.40], p < 0.001); not for minor problems (V 0.05 [0.00, 0.12], p = 0.400)."
    """
    tests = tests[tests["p_value"].notna()]
    significant = tests[tests["p_value"] < alpha]
    other = tests[tests["p_value"] >= alpha]

    def where(row) -> str:
        return "all customers" if row["severity"] == "all" else f"{row['severity']} problems"

    def effect(row, name: str = "Cramér's V ") -> str:
        return (f"{name}{formatting.estimate(row['cramers_v'], row['low'], row['high'], kind='number')}, "
                f"{formatting.p_value(row['p_value'], label=True)}")

    parts = [f"{where(row)} ({effect(row)})" for _, row in significant.iterrows()]
    rest = [f"{where(row)} ({effect(row, 'V ')})" for _, row in other.iterrows()]
    if not parts:
        return (f"Complaint status shows no significant association with {outcome} (chi-square at {alpha:g}): "
                + "; ".join(f"{where(row)} ({effect(row)})" for _, row in other.iterrows()) + ".")
    return (f"Complaint status is associated with {outcome} for {' and '.join(parts)}"
            + (f"; not for {' and '.join(rest)}" if rest else "") + ".")


@dataclass
class ChiSquareSection(Section):
    """Chi-square tests of complaint status against the outcome within each severity, with Cramér's V."""

    outcome: str = ""

    references = ("cramer1946",)

    def tables(self) -> list:
        return [styled_table(self.table, f"Chi-square tests: complaint status x {self.outcome}, within each severity "
                             "(unweighted counts)", self.source,
                             labels={"statistic": "chi-square", "dof": "degrees of freedom", "cramers_v": "Cramér's V",
                                     "low": "V low", "high": "V high"})]

    def finding(self) -> str:
        return chi_square_finding(self.table, self.outcome)


def chi_square_section(study: ComplaintSettings) -> Section:
    """Chi-square tests of status x outcome per severity (or over all customers without severity)."""
    title = "Chi-square tests"
    if not study.has_status:
        return _no_status(study, title)
    tests = complaints.chi_square_tests(study.data, study.outcome, study.status, study.severity)
    if tests["p_value"].isna().all():
        return Skipped(title, "no severity has two complaint statuses with both outcomes",
                       fix="use more respondents or a larger segment")
    return ChiSquareSection(title=title, table=tests, source=study.source, outcome=study.label(study.outcome))


@dataclass
class OddsSection(Section):
    """Logistic regression of the outcome on complaint status and severity, as odds ratios."""

    outcome: str = ""

    references = ("tarp1986",)

    def plot(self, ax=None):
        from .. import plots

        fig, (ax,) = _new_axes(ax, 1, (8, 0.5 * len(self.table) + 1.5))
        plots.odds_ratio_plot(_term_labels(self.table), ax=ax).set(
            title=f"Odds ratios for {self.outcome} (reference: no problem, minor problem)",
            xlabel="odds ratio (log scale)")
        plots.source_note(ax, self.source)
        return ax

    def tables(self) -> list:
        return [styled_table(_term_labels(self.table), f"Logistic regression of {self.outcome}: odds ratios", self.source,
                             labels={"coef": "coefficient", "odds_ratio": "odds ratio"})]


@_estimable("Odds ratios")
def odds_section(study: ComplaintSettings) -> Section:
    """Odds ratios of the outcome against customers with no problem."""
    if not study.has_status:
        return _no_status(study, "Odds ratios")
    odds = complaints.outcome_model(study.data, study.outcome, study.status, study.severity, study.covariates)
    return OddsSection(title="Odds ratios", table=odds, source=study.source, outcome=study.label(study.outcome))


# --- 3. the service-recovery paradox -----------------------------------------------------

_PARADOX_LABELS = {"fast_rate": "quick rate", "baseline_rate": "no-problem rate", "n_fast": "n quick",
                   "n_baseline": "n no problem", "bootstrap_low": "bootstrap low", "bootstrap_high": "bootstrap high",
                   "cohens_h": "Cohen's h", "cohens_h_low": "h low", "cohens_h_high": "h high"}
_PARADOX_PERCENT = ["fast_rate", "baseline_rate", "difference", "low", "high", "bootstrap_low", "bootstrap_high"]


def paradox_table(result: complaints.RecoveryParadox) -> pd.DataFrame:
    """A :class:`~csat_analysis.complaints.RecoveryParadox` as a one-row tidy table.

    Examples
    --------
    >>> result = complaints.RecoveryParadox(0.8, 0.6, 70, 80, 0.2, 0.05, 0.33, 0.01, "supported")
    >>> list(paradox_table(result).columns)
    ['fast_rate', 'baseline_rate', 'n_fast', 'n_baseline', 'difference', 'low', 'high', 'p_value', 'cohens_h', 'cohens_h_low', 'cohens_h_high', 'verdict']
    """
    columns = ["fast_rate", "baseline_rate", "n_fast", "n_baseline", "difference", "low", "high", "p_value", "cohens_h",
               "cohens_h_low", "cohens_h_high", "verdict"]
    if np.isfinite(result.bootstrap_low):
        columns += ["bootstrap_low", "bootstrap_high"]
    return pd.DataFrame([{c: getattr(result, c) for c in columns}])


def paradox_finding(result: complaints.RecoveryParadox, outcome: str, bootstrap: int = 0) -> str:
    """Sentences on the service-recovery paradox: verdict, difference with interval, Cohen's h, bootstrap check.

    Examples
    --------
    >>> result = complaints.RecoveryParadox(0.8, 0.6, 70, 80, 0.2, 0.05, 0.33, 0.01, "supported",
    ...                                     bootstrap_low=0.06, bootstrap_high=0.34, cohens_h=0.44,
    ...                                     cohens_h_low=0.12, cohens_h_high=0.76)
    >>> print(paradox_finding(result, "repurchase", bootstrap=500))
    Service-recovery paradox: **supported**: quickly resolved complainants' repurchase minus that of customers with no problem is +20.0 pp [+5.0 pp, +33.0 pp] (p = 0.010). Quickly resolved: 80.0% (n = 70); no problem: 60.0% (n = 80); Cohen's h = 0.44 [0.12, 0.76]. The bootstrap interval (+6.0 pp to +34.0 pp, 500 resamples) agrees.
    """
    sentence = (f"Service-recovery paradox: **{result.verdict}**: quickly resolved complainants' {outcome} minus that "
                f"of customers with no problem is "
                f"{formatting.estimate(result.difference, result.low, result.high, kind='points')} "
                f"({formatting.p_value(result.p_value, label=True)}). Quickly resolved: {_pct(result.fast_rate)} "
                f"(n = {result.n_fast:,}); no problem: {_pct(result.baseline_rate)} (n = {result.n_baseline:,})")
    if np.isfinite(result.cohens_h):
        sentence += (f"; Cohen's h = "
                     f"{formatting.estimate(result.cohens_h, result.cohens_h_low, result.cohens_h_high, kind='number')}")
    sentence += "."
    if bootstrap > 0 and np.isfinite(result.bootstrap_low):
        agrees = ((result.bootstrap_low > 0) == (result.low > 0)) and ((result.bootstrap_high < 0) == (result.high < 0))
        sentence += (f" The bootstrap interval ({formatting.percentage_points(result.bootstrap_low)} to "
                     f"{formatting.percentage_points(result.bootstrap_high)}, {int(bootstrap)} resamples) "
                     f"{'agrees' if agrees else 'does not agree, so the verdict is fragile'}.")
    return sentence


def paradox_record(result: complaints.RecoveryParadox) -> dict:
    """The recorded result: ``{value, low, high, verdict}`` (difference in rates) with ``kind`` and ``p_value``.

    Examples
    --------
    >>> result = complaints.RecoveryParadox(0.8, 0.6, 70, 80, 0.2, 0.05, 0.33, 0.01, "supported")
    >>> paradox_record(result)
    {'value': 0.2, 'low': 0.05, 'high': 0.33, 'verdict': 'supported', 'kind': 'points', 'p_value': 0.01}
    """
    return {"value": float(result.difference), "low": float(result.low), "high": float(result.high),
            "verdict": result.verdict, "kind": "points", "p_value": float(result.p_value)}


@dataclass
class ParadoxSection(Section):
    """Quickly resolved complainants against customers with no problem, pooled and per severity."""

    result: complaints.RecoveryParadox | None = None
    by_severity: pd.DataFrame | None = field(default=None, repr=False)
    outcome: str = ""
    bootstrap: int = 0

    references = ("mccollough_bharadwaj1992", "de_matos2007", "newcombe1998", "cohen1988")

    def tables(self) -> list:
        shown = [styled_table(self.table, "Quickly resolved complainants minus customers with no problem", self.source,
                              labels=_PARADOX_LABELS, percent=_PARADOX_PERCENT)]
        if self.by_severity is not None and not self.by_severity.empty:
            shown.append(styled_table(self.by_severity, "Recovery paradox within each problem severity "
                                      "(quickly resolved vs no problem)", self.source, labels=_PARADOX_LABELS,
                                      percent=_PARADOX_PERCENT))
        return shown

    def finding(self) -> str:
        return paradox_finding(self.result, self.outcome, self.bootstrap)

    def headline(self) -> str:
        result = self.result
        return (f"Service-recovery paradox {result.verdict}: quickly resolved complainants minus no problem, "
                f"{formatting.estimate(result.difference, result.low, result.high, kind='points')} in {self.outcome}.")

    def results(self) -> dict[str, Any]:
        return {"recovery_paradox": paradox_record(self.result)}


def paradox_section(study: ComplaintSettings) -> Section:
    """The service-recovery paradox test (Newcombe interval, z-test, Cohen's h, optional bootstrap)."""
    title = "Service-recovery paradox"
    if not study.has_status:
        return _no_status(study, title)
    if not study.knows_speed:
        return Skipped(title, "the survey does not say which complaints were resolved quickly",
                       fix="name the `complaint.resolved_quickly` or `complaint.resolution_hours` role")
    known = read_flags(study.data, study.outcome).notna()
    statuses = set(study.data.loc[known, study.status].astype("object"))
    absent = [STATUS_LABELS[s] for s in ("resolved_quickly", "no_problem") if s not in statuses]
    if absent:
        return Skipped(title, f"no customer with a known outcome is in the group {' or '.join(absent)}",
                       fix="raise `fast_hours`, or use data with quickly resolved complaints and customers "
                           "without a problem")
    result = complaints.recovery_paradox(study.data, study.outcome, study.status, higher_is_better=study.higher_is_better,
                                         weights=study.weights, bootstrap=study.bootstrap, seed=study.seed)
    by_severity = None
    if study.severity is not None:
        by_severity = complaints.paradox_by_severity(study.data, study.outcome, study.status, study.severity,
                                                     higher_is_better=study.higher_is_better, weights=study.weights)
    section = ParadoxSection(title=title, table=paradox_table(result), source=study.source, result=result,
                             by_severity=by_severity, outcome=study.label(study.outcome), bootstrap=study.bootstrap)
    _with_design(section, study)
    if study.bootstrap > 0:
        section.references = (*section.references, "efron_tibshirani1993")
    return section


# --- 4. resolution time ------------------------------------------------------------------


def resolution_findings(summary: pd.DataFrame, effect: complaints.TimeEffect, outcome: str, fast_hours: float) -> list[str]:
    """Sentences on resolution times: the Kaplan-Meier median, the fast share and the time effect.

    Examples
    --------
    >>> summary = pd.DataFrame({"median_hours": [30.2], "resolved_within_fast": [0.41]})
    >>> effect = complaints.TimeEffect(0.8, 0.7, 0.9, 0.001, 100, pd.DataFrame())
    >>> resolution_findings(summary, effect, "repurchase", 24)
    ['Half of the complaints are resolved within 30 hours (Kaplan-Meier median); 41.0% within 24 hours.', 'Each doubling of the resolution time multiplies the odds of repurchase by 0.80 [0.70, 0.90] (p = 0.001): slower resolution, less repurchase.']
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
    return [f"{median}; {_pct(row['resolved_within_fast'])} within {fast_hours:g} hours.",
            (f"Each doubling of the resolution time multiplies the odds of {outcome} by "
             f"{formatting.estimate(effect.odds_ratio, effect.low, effect.high, kind='number')} "
             f"({formatting.p_value(effect.p_value, label=True)}): {reading}.")]


@dataclass
class ResolutionSection(Section):
    """Kaplan-Meier curve of resolution times and the outcome by time to resolution."""

    curve: pd.DataFrame | None = field(default=None, repr=False)
    binned: pd.DataFrame | None = field(default=None, repr=False)
    effect: complaints.TimeEffect | None = field(default=None, repr=False)
    outcome: str = ""
    fast_hours: float = 24.0

    references = ("kaplan_meier1958", "wilson1927")

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
                title=_capital(f"{self.outcome} by time to resolution"))
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


@_estimable("Resolution time")
def resolution_section(study: ComplaintSettings) -> Section:
    """Resolution times (Kaplan-Meier, open complaints censored) and their effect on the outcome."""
    title = "Resolution time"
    if not study.has_status:
        return _no_status(study, title)
    if not study.has_times:
        return Skipped(title, study.lacks("complaint resolution times"),
                       fix="name the hours to resolution with the `complaint.resolution_hours` role")
    hours = study.resolution_hours
    timed = study.data[hours].notna() & read_flags(study.data, study.outcome).notna()
    if timed.sum() < MIN_RESOLVED_WITH_TIME:
        return Skipped(title, f"only {int(timed.sum())} resolved complaints have a resolution time and a known outcome "
                              f"(at least {MIN_RESOLVED_WITH_TIME} are needed)",
                       fix="use more respondents or a larger segment")
    effect = complaints.resolution_time_effect(study.data, hours, study.outcome)
    return ResolutionSection(
        title=title, source=study.source,
        table=complaints.resolution_summary(study.data, hours, study.open_hours, fast_hours=study.fast_hours),
        curve=complaints.resolution_times(study.data, hours, study.open_hours),
        binned=complaints.outcome_by_resolution_time(study.data, hours, study.outcome, bins=6, weights=study.weights),
        effect=effect, outcome=study.label(study.outcome), fast_hours=study.fast_hours)


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
    'Churn jumps at 2 (calls): 45.0% against 10.0% below (p < 0.001); adjusted for plan, the odds ratio is 7.1 [5.0, 9.9].'
    >>> calls_finding(jumps.assign(threshold=False), odds, "calls")
    'No call count shows churn significantly above the levels below it.'
    """
    threshold = complaints.threshold_level(jumps)
    if threshold is None:
        return "No call count shows churn significantly above the levels below it."
    at = jumps.loc[jumps["threshold"]].iloc[0]
    term = odds.set_index("term").loc["calls_at_or_above_threshold"]
    return (f"Churn jumps at {threshold} ({calls}): {_pct(at['rate'])} against {_pct(at['rate_below'])} below "
            f"({formatting.p_value(at['p_value'], label=True)}); adjusted for {', '.join(covariates) or 'nothing'}, "
            f"the odds ratio is {formatting.estimate(term['odds_ratio'], term['low'], term['high'], kind='number', decimals=1)}.")


@dataclass
class CallsSection(Section):
    """Churn by number of customer-service calls, where it jumps, and a logistic model."""

    jumps: pd.DataFrame | None = field(default=None, repr=False)
    odds: pd.DataFrame | None = field(default=None, repr=False)
    calls: str = ""
    churn: str = ""
    covariates: list[str] = field(default_factory=list)
    record_rates: bool = True

    references = ("wilson1927",)

    @property
    def threshold(self) -> int | None:
        """The call count where churn jumps, or None."""
        return complaints.threshold_level(self.jumps)

    def plot(self, ax=None):
        from .. import plots

        fig, (ax,) = _new_axes(ax, 1, (9, 4))
        plots.interval_plot(self.table, x="calls", y="rate", low="low", high="high", ax=ax).set(
            xlabel=self.calls, ylabel="churn rate", title=f"Churn by {self.calls}")
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


@_estimable("Service calls and churn")
def calls_section(study: ComplaintSettings) -> Section:
    """Churn by service calls (on the simulator, by escalation level) with the jump threshold."""
    if not study.has_calls:
        return Skipped("Service calls and churn", study.lacks("service-call counts with churn"),
                       fix="name the `complaint.calls` and `complaint.churned` roles")
    by_calls = complaints.churn_by_calls(study.data, study.calls, study.churn)
    jumps = complaints.call_threshold(by_calls)
    odds = complaints.calls_model(study.data, study.churn, study.calls, study.call_covariates,
                                  threshold=complaints.threshold_level(jumps))
    return CallsSection(title="Service calls and churn", table=by_calls, source=study.source, jumps=jumps, odds=odds,
                        calls=study.label(study.calls), churn=study.label(study.churn),
                        covariates=[study.label(c) for c in study.call_covariates],
                        record_rates=study.calls_are_service_calls)


# --- 6. complaint handling and loyalty ---------------------------------------------------


def correlation_finding(correlation: pd.DataFrame, x: str = "satisfaction with complaint handling",
                        y: str = "loyalty") -> str:
    """One sentence on a :func:`~csat_analysis.complaints.rank_correlation` row, direction read from the interval.

    Examples
    --------
    >>> correlation_finding(pd.DataFrame({"n": [250], "rho": [0.41], "low": [0.3], "high": [0.51]}))
    'Satisfaction with complaint handling and loyalty move together: Spearman rho = 0.41 [0.30, 0.51] (n = 250).'
    >>> correlation_finding(pd.DataFrame({"n": [30], "rho": [0.1], "low": [-0.2], "high": [0.4]}))
    'Satisfaction with complaint handling and loyalty show no clear association: Spearman rho = 0.10 [-0.20, 0.40] (n = 30).'
    """
    row = correlation.iloc[0]
    verb = ("move together" if row["low"] > 0 else "move in opposite directions" if row["high"] < 0
            else "show no clear association")
    return (f"{x[0].upper() + x[1:]} and {y} {verb}: Spearman rho = "
            f"{formatting.estimate(row['rho'], row['low'], row['high'], kind='number', bounds=(-1, 1))} "
            f"(n = {int(row['n']):,}).")


@dataclass
class HandlingSection(Section):
    """Loyalty by satisfaction with complaint handling, and their rank correlation."""

    correlation: pd.DataFrame | None = field(default=None, repr=False)
    rating: str = "satisfaction with complaint handling"
    loyalty: str = "loyalty"
    scale: tuple[float, float] = (1, 10)
    integer_rating: bool = True

    references = ("fornell1996", "wilson1927")

    def plot(self, ax=None):
        from .. import plots

        fig, axes = _new_axes(ax, 2, (12, 4))
        low, high = self.scale
        panels = [("mean_loyalty", "mean_low", "mean_high", f"Mean {self.loyalty} ({low:g}-{high:g})"),
                  ("top_box", "top_low", "top_high", f"Top-two-box share of {self.loyalty}")]
        for panel, (y, lo, hi, title) in zip(axes, panels):
            plots.loyalty_curve_plot(self.table, x="rating", y=y, low=lo, high=hi, ax=panel).set(
                title=title, xlabel=self.rating, ylabel=title.split(" (")[0])
            if self.integer_rating:
                formatting.integer_ticks(panel, "x")
        axes[0].set_ylim(low, high)
        plots.source_note(axes[0], self.source)
        if ax is None:  # axes handed in belong to the caller's layout
            fig.tight_layout()
        return fig

    def tables(self) -> list:
        return [styled_table(self.table, f"{self.loyalty} by {self.rating}", self.source,
                             labels={"rating": self.rating, "mean_loyalty": f"mean {self.loyalty}",
                                     "top_box": "top-two-box share"},
                             percent=["top_box", "top_low", "top_high"]),
                styled_table(self.correlation, f"Spearman correlation of {self.rating} with {self.loyalty}",
                             self.source, labels={"rho": "Spearman rho"})]

    def finding(self) -> str:
        return correlation_finding(self.correlation, self.rating, self.loyalty)


def handling_section(study: ComplaintSettings) -> Section:
    """Loyalty by satisfaction with complaint handling (the ``complaint.handling_satisfaction`` role)."""
    title = "Complaint handling and loyalty"
    if study.handling is None:
        return Skipped(title, study.lacks("rating of complaint handling"),
                       fix="name it with the `complaint.handling_satisfaction` role")
    if not study.loyalty:
        return Skipped(title, study.lacks("loyalty items"), fix="name them with the `loyalty` or `recommend` role")
    if study.loyalty_score is None:
        return Skipped(title, "the loyalty items have no rating scale",
                       fix="declare each loyalty item's `scale` in the survey description")
    complete = study.data[[study.handling, study.loyalty_score]].apply(pd.to_numeric, errors="coerce").dropna()
    if len(complete) < MIN_HANDLING_ANSWERS:
        return Skipped(title, f"only {len(complete)} respondents rated the complaint handling and answered the loyalty "
                              f"items (at least {MIN_HANDLING_ANSWERS} are needed)",
                       fix="use more respondents or a larger segment")
    by_rating = complaints.loyalty_by_rating(study.data, study.handling, study.loyalty_score, scale=study.scale, k=2)
    correlation = complaints.rank_correlation(study.data, study.handling, study.loyalty_score)
    ratings = pd.to_numeric(study.data[study.handling], errors="coerce").dropna()
    # a column without a display name is named by its role, not by its code (e.g. CUSCO)
    rating = study.labels.get(study.handling)
    rating = rating if rating and rating != study.handling else "satisfaction with complaint handling"
    return HandlingSection(title=title, table=by_rating, source=study.source, correlation=correlation,
                           rating=rating, loyalty=study.label(study.loyalty_score),
                           scale=study.scale, integer_rating=bool((ratings == ratings.round()).all()))


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

    references = ("tarp1986",)

    def tables(self) -> list:
        return [styled_table(self.table, "Word of mouth: customers from the data x TARP (1986) multipliers (assumptions)",
                             self.source)]

    def finding(self) -> str:
        return word_of_mouth_finding(self.table)


def word_of_mouth_section(study: ComplaintSettings) -> Section:
    """Word of mouth: dissatisfied and satisfied customers counted from the statuses, times the multipliers."""
    if study.status is None:
        return _no_status(study, "Word of mouth")
    table = complaints.word_of_mouth_by_status(study.data, study.status, **study.word_of_mouth)
    return WordOfMouthSection(title="Word of mouth", table=table, source=study.source)
