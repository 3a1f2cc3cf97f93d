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
from ..i18n import N_, Message, N_plural, _, current_language, ngettext, pgettext
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

#: what a status code means, for tables and figures (in English; shown through the catalog)
STATUS_LABELS = {
    "no_problem": N_("no problem"),
    "no_complaint": N_("problem, no complaint"),
    "unresolved": N_("unresolved"),
    "resolved": N_("resolved"),
    "resolved_quickly": N_("resolved quickly"),
}
#: fewest resolved complaints with a resolution time before the time analysis is attempted
MIN_RESOLVED_WITH_TIME = 12
#: fewest complete answers before the handling-versus-loyalty correlation is attempted
MIN_HANDLING_ANSWERS = 10
_OFF = ("", "none", False)  # a parameter set to one of these turns the role off


# --- settings ----------------------------------------------------------------------------


def check_parameters(
    *,
    bootstrap: float,
    fast_hours: float,
    retell_share: float,
    tell_dissatisfied: float,
    retell_count: float,
    tell_satisfied: float,
) -> None:
    """Fail early, naming the parameter, when a notebook parameter is out of range.

    Parameters
    ----------
    bootstrap : float
        Bootstrap resamples of the recovery-paradox check (0: none); a whole number >= 0.
    fast_hours : float
        Hours within which a resolution counts as quick; positive.
    retell_share : float
        Share of people told who retell the story, between 0 and 1.
    tell_dissatisfied, retell_count, tell_satisfied : float
        People a dissatisfied customer tells, people each retelling reaches, and people
        a satisfied customer tells; not negative.

    Raises
    ------
    StudyError
        A parameter out of range, named with its value.

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
    counts = {
        "bootstrap": bootstrap,
        "tell_dissatisfied": tell_dissatisfied,
        "retell_count": retell_count,
        "tell_satisfied": tell_satisfied,
    }
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

    Attributes
    ----------
    data : DataFrame
        The study data (one segment's when filtered), with the derived complaint status
        and loyalty score where the study builds them.
    name, kind, source : str
        The data set, its kind ("real", "simulated" or "user") and its source line.
    outcome : str or None
        The 0/1 loyalty outcome column (repurchase, or a churn flag).
    status : str or None
        The complaint-status column (``no_problem``, ``no_complaint``, ``unresolved``,
        ``resolved``, ``resolved_quickly``).
    severity : str or None
        The problem-severity column.
    weights : str or None
        The survey-weight column.
    calls, churn : str or None
        The customer-service calls and churn columns of the calls section.
    funnel : dict of str to str or None
        Funnel stage to column (``problem``, ``complained`` and, where present,
        ``resolved``, ``resolved_first_contact``, ``escalation_level``).
    resolution_hours, open_hours : str or None
        Hours to resolution, and hours open so far for unresolved complaints.
    handling : str or None
        The satisfaction-with-complaint-handling column.
    loyalty : list of str
        The loyalty items the handling section scores.
    scale : tuple of float
        Range of the loyalty score.
    covariates, call_covariates : list of str
        Adjustment columns of the odds and calls models.
    fast_hours : float
        Hours within which a resolution counts as quick.
    bootstrap : int
        Bootstrap resamples of the recovery-paradox check (0: none).
    seed : int
        Random seed of the bootstrap.
    word_of_mouth : dict of str to float
        The word-of-mouth multipliers (TARP 1986 by default).
    truth : dict or None
        The simulator's generating repurchase rates, for the coverage check.
    status_from : str
        How the status was derived, when it was ("" when read from a column).
    segment, segment_value : optional
        The filter applied to the data.
    labels : dict of str to str
        Display names of columns.
    handling_scale : tuple of float or None
        Range of the handling rating.
    loyalty_score : str or None
        The column of the loyalty score (mean of the loyalty items).
    knows_speed : bool
        The data tell quick from slow resolutions.
    explained : set
        Fixes already shown, so each is suggested once.
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
        """``fix`` the first time it is given, then empty.

        Parameters
        ----------
        fix : str
            A suggested fix, as a reader-facing sentence.

        Returns
        -------
        str
            The ``fix``, or an empty string when it was already given.
        """
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
        """Whether the data have a complaint status and an outcome (the TARP sections can run)."""
        return self.status is not None and self.outcome is not None

    @property
    def has_funnel(self) -> bool:
        """Whether the data have the problem and complaint answers of the funnel."""
        return self.funnel is not None

    @property
    def has_times(self) -> bool:
        """Whether the data have a status, an outcome and resolution times."""
        return self.has_status and self.resolution_hours is not None

    @property
    def has_calls(self) -> bool:
        """Whether the data have customer-service calls and churn."""
        return self.calls is not None

    @property
    def has_handling(self) -> bool:
        """Whether the data have a handling rating and a loyalty score."""
        return self.handling is not None and self.loyalty_score is not None

    @property
    def calls_are_service_calls(self) -> bool:
        """The call counts are customer-service calls, not the escalation level standing in for them."""
        return self.calls is not None and (self.funnel is None or self.calls != self.funnel.get("escalation_level"))

    def label(self, column: str | None) -> str:
        """The display name of a column (the survey description's ``label``; else the name, spaced).

        Parameters
        ----------
        column : str or None
            A column of :attr:`data`.

        Returns
        -------
        str
            The display name in the report's language (empty for ``None``).
        """
        if column is None:
            return ""
        own = self.labels.get(column)
        if own and own != column:
            return own
        # a column without a display name is named by its role (in the report's language), else by its code
        if column == self.status:
            return pgettext("complaint role", "complaint status")
        if column == self.severity:
            return pgettext("complaint role", "severity")
        if self.funnel is not None and column == self.funnel.get("escalation_level"):
            return pgettext("complaint role", "escalation level")
        return str(column).replace("_", " ")

    def lacks(self, what: str) -> Message:
        """The reason a section gives when the data lack its columns (``what``, a translatable message).

        Parameters
        ----------
        what : str
            What is missing, in words (a :class:`~csat_analysis.i18n.Message` to stay translatable).

        Returns
        -------
        Message
            The reason, e.g. "`accounts.csv` has no complaint status".
        """
        data = Path(str(self.name)).name
        return Message(N_("`{data}` has no {what}"), data=data, what=what)

    def describe(self) -> str:
        """One line naming the columns in use and those the data lack.

        Returns
        -------
        str
            Markdown text in the report's language.

        Examples
        --------
        >>> ComplaintSettings(pd.DataFrame(), "accounts", "real", "", "churn", None, None, None, None, None).describe()
        'Columns used: outcome `churn` (lower is more loyal). Not in these data: complaint status, severity, survey weights.'
        """
        # Translators: the roles of the columns a report lists as used or missing
        used = {
            pgettext("complaint role", "outcome"): self.outcome,
            pgettext("complaint role", "complaint status"): self.status,
            pgettext("complaint role", "severity"): self.severity,
            pgettext("complaint role", "survey weights"): self.weights,
        }
        separator = _(", ")
        present = []
        for role, column in used.items():
            if column is None:
                continue
            note = self.status_from if column == self.status and self.status_from else ""
            if column == self.outcome:
                note = _("higher is more loyal") if self.higher_is_better else _("lower is more loyal")
            present.append(
                (_("{role} `{column}` ({note})") if note else _("{role} `{column}`")).format(
                    role=role, column=self.label(column), note=note
                )
            )
        if self.handling is not None:
            present.append(
                _("{role} `{column}`").format(
                    role=pgettext("complaint role", "complaint handling"), column=self.label(self.handling)
                )
            )
        if self.loyalty:
            present.append(
                _("loyalty {columns}").format(columns=separator.join(f"`{self.label(c)}`" for c in self.loyalty))
            )
        absent = [role for role, column in used.items() if column is None]
        used_line = (
            _("Columns used: {columns}.").format(columns=separator.join(present))
            if present
            else _("No outcome or complaint columns.")
        )
        if not absent:
            return used_line
        return _("{used} Not in these data: {columns}.").format(used=used_line, columns=separator.join(absent))


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
    rescaled = pd.DataFrame(
        {
            item: rescale(composite_score(data, item, scale=scales[item], parameter="loyalty"), scales[item])
            for item in items
        },
        index=data.index,
    )
    return rescaled.mean(axis=1, skipna=True), (0.0, 100.0)


def settings(
    run: StudyRun,
    *,
    segment: str | None = PARAMETERS["segment"],
    segment_value: Any = PARAMETERS["segment_value"],
    outcome: str | None = PARAMETERS["outcome"],
    status: str | None = PARAMETERS["status"],
    severity: str | None = PARAMETERS["severity"],
    fast_hours: float = PARAMETERS["fast_hours"],
    bootstrap: int = PARAMETERS["bootstrap"],
    seed: int = PARAMETERS["seed"],
    tell_dissatisfied: float = PARAMETERS["tell_dissatisfied"],
    retell_share: float = PARAMETERS["retell_share"],
    retell_count: float = PARAMETERS["retell_count"],
    tell_satisfied: float = PARAMETERS["tell_satisfied"],
) -> ComplaintSettings:
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

    Parameters
    ----------
    run : StudyRun
        The notebook's run: data, survey description and roles.
    segment, segment_value : optional
        Keep only the respondents whose ``segment`` column equals ``segment_value``.
    outcome : str, optional
        The 0/1 loyalty outcome column; ``None``: from the roles.
    status : str, optional
        The complaint-status column; ``None``: from the roles, ``""``: derive it.
    severity : str, optional
        The problem-severity column; ``None``: from the roles, ``""``: no severity.
    fast_hours : float
        Hours within which a resolution counts as quick.
    bootstrap : int
        Bootstrap resamples of the recovery-paradox check (0: none).
    seed : int
        Random seed of the bootstrap.
    tell_dissatisfied, retell_share, retell_count, tell_satisfied : float
        The word-of-mouth multipliers (TARP 1986 by default): people a dissatisfied
        customer tells, the share of them who retell, people each retelling reaches,
        and people a satisfied customer tells.

    Returns
    -------
    ComplaintSettings
        The columns each section uses and the study's options.

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
    check_parameters(
        bootstrap=bootstrap,
        fast_hours=fast_hours,
        retell_share=retell_share,
        tell_dissatisfied=tell_dissatisfied,
        retell_count=retell_count,
        tell_satisfied=tell_satisfied,
    )
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
            status_from = Message(N_("quick: resolved within {hours} hours"), hours=f"{fast_hours:g}")
    elif problem and complained and (resolved or hours):
        status = "complaint_status" if "complaint_status" not in data.columns else "complaint_status_derived"
        data = data.assign(
            **{
                status: complaints.derive_status(
                    data,
                    problem=problem,
                    complained=complained,
                    resolved=resolved,
                    resolved_quickly=quickly,
                    resolution_hours=hours,
                    fast_hours=fast_hours,
                )
            }
        )
        derived = (
            Message(N_("derived from the problem, complaint, resolved answers"))
            if resolved
            else Message(N_("derived from the problem, complaint, resolution time answers"))
        )
        status_from = (
            derived
            if quickly or not hours
            else Message(
                N_("{derived}; quick: resolved within {hours} hours"), derived=derived, hours=f"{fast_hours:g}"
            )
        )
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
    language = getattr(run, "language", None) or current_language()
    labels = survey.labels(columns, language=language) if survey is not None else {}
    if loyalty_score is not None:
        labels[loyalty_score] = (
            pgettext("complaint role", "loyalty")
            if len(loyalty) > 1
            else str(labels.get(loyalty[0], loyalty[0])).replace("_", " ")
        )
    source = run.source
    if segment_value is not None:
        source = _("{source}; only {segment} = {value} (n = {n})").format(
            source=source, segment=labels.get(segment, segment), value=segment_value, n=formatting.number(len(data), 0)
        )
    if weights is not None:
        source = _("{source}; rates weighted by `{weights}`").format(source=source, weights=weights)
    return ComplaintSettings(
        data=data,
        name=run.name,
        kind=run.kind,
        source=source,
        outcome=outcome,
        status=status,
        severity=severity,
        weights=weights,
        calls=calls,
        churn=churn,
        funnel=funnel,
        resolution_hours=hours if status else None,
        open_hours=_present(data, role.get("open_hours")),
        handling=handling,
        loyalty=loyalty,
        scale=tuple(loyalty_scale) if loyalty_scale is not None else (1, 10),
        covariates=covariates,
        call_covariates=call_covariates,
        fast_hours=float(fast_hours),
        bootstrap=int(bootstrap),
        seed=seed,
        word_of_mouth={
            "tell_dissatisfied": tell_dissatisfied,
            "retell_share": retell_share,
            "retell_count": retell_count,
            "tell_satisfied": tell_satisfied,
        },
        truth=truth,
        status_from=status_from,
        segment=segment,
        segment_value=segment_value,
        labels=labels,
        handling_scale=(handling_scale.low, handling_scale.high) if handling_scale is not None else None,
        loyalty_score=loyalty_score,
        knows_speed=knows_speed,
    )


# --- shared helpers ----------------------------------------------------------------------


def _pct(value: float, digits: int = 1) -> str:
    return formatting.percent(value, digits)


def _sentences(sentences: Sequence[str]) -> str:
    """Sentences one after the other, as the current language writes them (Chinese: without spaces)."""
    text = ""
    for sentence in sentences:
        # Translators: two sentences of a finding, one after the other (in Chinese without a space)
        text = _("{first} {second}").format(first=text, second=sentence) if text else sentence
    return text


def _new_axes(ax, panels: int, figsize: tuple[float, float]):
    """``panels`` axes: the ones given, or a new figure's."""
    import matplotlib.pyplot as plt

    if ax is None:
        fig, axes = plt.subplots(1, panels, figsize=figsize, squeeze=False)
        return fig, list(axes[0])
    axes = list(np.atleast_1d(ax))
    return axes[0].figure, axes


def _not_estimable(title: Message, error: Exception) -> Skipped:
    # the error names columns and values for the analyst: it stays as raised
    reason = Message(N_("the model cannot be estimated on these data: {error}"), error=error)
    return Skipped(
        title,
        reason,
        fix=Message(
            N_("use more respondents (a larger `n` on the simulator, or a larger segment) or fewer covariates")
        ),
    )


def _more_respondents() -> Message:
    return Message(N_("use more respondents or a larger segment"))


def _estimable(title: str) -> Callable:
    """A section builder whose model failures (separation, no convergence, singular design) become a note."""

    def wrap(build: Callable[[ComplaintSettings], Section]) -> Callable[[ComplaintSettings], Section]:
        @functools.wraps(build)
        def guarded(study: ComplaintSettings) -> Section:
            try:
                return build(study)
            except (ModelSpecError, np.linalg.LinAlgError) as error:
                return _not_estimable(Message(title), error)

        return guarded

    return wrap


def _with_design(section: Section, study: ComplaintSettings) -> Section:
    """The section, citing the design-based (weighted) intervals when the data carry survey weights."""
    if study.weights is not None:
        section.references = (*type(section).references, "lumley2004", "korn_graubard1998")
    return section


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _status(code: Any) -> str:
    """A status code as words in the current language."""
    return _(STATUS_LABELS[code]) if code in STATUS_LABELS else code


def _severity(value: Any) -> Any:
    """The severity words of the simulator and of TARP (others are the data's own) in the current language."""
    words = {
        "none": pgettext("complaint severity", "none"),
        "minor": pgettext("complaint severity", "minor"),
        "major": pgettext("complaint severity", "major"),
        "all": pgettext("complaint severity", "all"),
    }
    return words.get(value, value) if isinstance(value, str) else value


def _stage(code: Any) -> Any:
    """A funnel stage (of :func:`~csat_analysis.complaints.complaint_funnel` or the TARP pyramid) as words."""
    words = {
        "respondents": _("Respondents"),
        "problem": _("Problem"),
        "complained": _("Complained"),
        "resolved": _("Resolved"),
        "resolved_first_contact": _("Resolved first contact"),
        "escalated": _("Escalated"),
        "top_management": _("Top management"),
        "dissatisfied customers": _("dissatisfied customers"),
        "complain to the front line": _("complain to the front line"),
        "still dissatisfied after the front line": _("still dissatisfied after the front line"),
        "complain to middle management": _("complain to middle management"),
        "still dissatisfied after middle management": _("still dissatisfied after middle management"),
        "complaint reaches top management": _("complaint reaches top management"),
    }
    return words.get(code, code) if isinstance(code, str) else code


def _verdict(verdict: str) -> str:
    """A recovery-paradox verdict (recorded in English) in the current language."""
    words = {
        "supported": pgettext("paradox verdict", "supported"),
        "contradicted": pgettext("paradox verdict", "contradicted"),
        "inconclusive": pgettext("paradox verdict", "inconclusive"),
    }
    return words.get(verdict, verdict)


def _term_labels(table: pd.DataFrame, labels: dict[str, str] | None = None) -> pd.DataFrame:
    """Odds-ratio terms in words (``complaint status: resolved quickly``), columns by their display names."""
    labels = labels or {}

    def label(term: str) -> str:
        if term == "calls_at_or_above_threshold":
            return _("calls at or above the threshold")
        column, _separator, level = str(term).partition(": ")
        name = labels.get(column) or {
            "status": pgettext("complaint role", "complaint status"),
            "severity": pgettext("complaint role", "severity"),
        }.get(column, column)
        name = name if name != column else column.replace("_", " ")
        if not level:
            return name
        level = {"True": _("yes"), "False": _("no")}.get(level, _severity(_status(level)))
        return _("{column}: {level}").format(column=name, level=level)

    return table.assign(term=table["term"].map(label))


def _status_labels(table: pd.DataFrame) -> pd.DataFrame:
    """The table with status codes and severities as words (the recorded results keep the codes)."""
    shown = table
    if "status" in shown:
        shown = shown.assign(status=shown["status"].map(_status))
    if "severity" in shown:
        shown = shown.assign(severity=shown["severity"].map(_severity))
    return shown


def _headers() -> dict[str, str]:
    """Table headers of the study's columns in the current language (a section adds its own)."""
    return {
        "stage": pgettext("complaint table", "stage"),
        "of_stage": pgettext("complaint table", "share of stage"),
        "count": pgettext("complaint table", "count"),
        "share": pgettext("complaint table", "share"),
        "low": pgettext("complaint table", "low"),
        "high": pgettext("complaint table", "high"),
        "published_share": pgettext("complaint table", "TARP (1986) share"),
        "published_in_interval": pgettext("complaint table", "TARP share inside the interval"),
        "share_of_previous": pgettext("complaint table", "share of previous stage"),
        "status": pgettext("complaint table", "complaint status"),
        "severity": pgettext("complaint table", "severity"),
        "n": pgettext("complaint table", "n"),
        "events": pgettext("complaint table", "events"),
        "rate": pgettext("complaint table", "rate"),
        "n_eff": pgettext("complaint table", "effective n"),
        "tarp_rate": pgettext("complaint table", "TARP (1986) rate"),
        "statuses": pgettext("complaint table", "statuses"),
        "statistic": pgettext("complaint table", "chi-square"),
        "dof": pgettext("complaint table", "degrees of freedom"),
        "p_value": pgettext("complaint table", "p value"),
        "cramers_v": pgettext("complaint table", "Cramér's V"),
        "term": pgettext("complaint table", "term"),
        "coef": pgettext("complaint table", "coefficient"),
        "odds_ratio": pgettext("complaint table", "odds ratio"),
        "fast_rate": pgettext("complaint table", "quick rate"),
        "baseline_rate": pgettext("complaint table", "no-problem rate"),
        "n_fast": pgettext("complaint table", "n quick"),
        "n_baseline": pgettext("complaint table", "n no problem"),
        "difference": pgettext("complaint table", "difference"),
        "bootstrap_low": pgettext("complaint table", "bootstrap low"),
        "bootstrap_high": pgettext("complaint table", "bootstrap high"),
        "cohens_h": pgettext("complaint table", "Cohen's h"),
        "cohens_h_low": pgettext("complaint table", "h low"),
        "cohens_h_high": pgettext("complaint table", "h high"),
        "verdict": pgettext("complaint table", "verdict"),
        "complaints": pgettext("complaint table", "complaints"),
        "resolved": pgettext("complaint table", "resolved"),
        "still_open": pgettext("complaint table", "still open"),
        "median_hours": pgettext("complaint table", "median hours"),
        "median_low": pgettext("complaint table", "median low"),
        "median_high": pgettext("complaint table", "median high"),
        "bin": pgettext("complaint table", "bin"),
        "calls": pgettext("complaint table", "calls"),
        "rate_below": pgettext("complaint table", "rate below"),
        "significant": pgettext("complaint table", "significant"),
        "threshold": pgettext("complaint table", "threshold"),
        "rating": pgettext("complaint table", "rating"),
        "mean_loyalty": pgettext("complaint table", "mean loyalty"),
        "mean_low": pgettext("complaint table", "mean low"),
        "mean_high": pgettext("complaint table", "mean high"),
        "top_box": pgettext("complaint table", "top-two-box share"),
        "top_low": pgettext("complaint table", "top low"),
        "top_high": pgettext("complaint table", "top high"),
        "rho": pgettext("complaint table", "Spearman rho"),
        "reading": pgettext("complaint table", "reading"),
        "story": pgettext("complaint table", "story"),
        "customers": pgettext("complaint table", "customers"),
        "people_per_customer": pgettext("complaint table", "people per customer"),
        "people_reached": pgettext("complaint table", "people reached"),
        "assumption": pgettext("complaint table", "assumption"),
    }


def _table(table: pd.DataFrame, caption: str, source: str, labels: dict[str, str] | None = None, **options):
    """:func:`~csat_analysis.report.styled_table` with every header in the current language."""
    known = _headers()
    headers = {column: known.get(column, str(column).replace("_", " ")) for column in table.columns}
    headers.update(labels or {})
    # yes/no columns in the report's language (the table styler writes them in English)
    flags = [column for column in table.columns if pd.api.types.is_bool_dtype(table[column])]
    if flags:
        table = table.assign(**{column: table[column].map({True: _("yes"), False: _("no")}) for column in flags})
    return styled_table(table, caption, source, labels=headers, **options)


def _legend(ax) -> None:
    """The severity words of a legend in the current language (the plots draw their own words translated)."""
    legend = ax.get_legend()
    if legend is None:
        return
    for text in legend.get_texts():
        text.set_text(_severity(text.get_text()))


# --- the data ----------------------------------------------------------------------------


@dataclass
class DataSection(Section):
    """The data source and the columns in use; records ``n_respondents``.

    Attributes
    ----------
    title : str
        Heading of the section in the report.
    table : None
        Unused: the section is a note.
    source : str
        The data-source line printed under the section's table and figure.
    settings : ComplaintSettings
        The resolved settings the note describes.
    """

    settings: ComplaintSettings | None = field(default=None, repr=False)

    def tables(self) -> list:
        from IPython.display import Markdown

        return [Markdown(f"*{self.source}*  \n{self.settings.describe()}")]

    def results(self) -> dict[str, Any]:
        """Named results for the batch runner (``results.json``).

        Returns
        -------
        dict
            ``n_respondents``.
        """
        return {"n_respondents": len(self.settings.data)}


def data_section(study: ComplaintSettings) -> DataSection:
    """The data source line, the columns in use and the number of respondents.

    Parameters
    ----------
    study : ComplaintSettings
        The resolved notebook parameters and data (from :func:`settings`).

    Returns
    -------
    DataSection
        The data note; it records ``n_respondents``.
    """
    return DataSection(title=Message(N_("Data")), source=study.source, settings=study)


# --- 1. the complaint funnel -------------------------------------------------------------


def funnel_finding(funnel: pd.DataFrame, published_voice_rate: float = complaints.TARP_VOICE_RATE) -> str:
    """One sentence: the voice rate with its interval, against TARP's 4%.

    Parameters
    ----------
    funnel : DataFrame
        A :func:`~csat_analysis.complaints.complaint_funnel` table (``stage``, ``count``,
        ``share``, ``low``, ``high``).
    published_voice_rate : float
        The published share of customers with a problem who complain (TARP 1986: 4%).

    Returns
    -------
    str
        One Markdown sentence in the report's language.

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
    fields = {
        "share": _pct(voice["share"]),
        "low": _pct(voice["low"]),
        "high": _pct(voice["high"]),
        "published": formatting.percent(published_voice_rate, 0),
    }
    if "count" in stages:
        problems = int(stages.loc["problem", "count"])
        template = (
            ngettext(
                "Of {n} customer with a problem, {share} complained (95% CI {low} to {high}); the "
                "{published} voice rate quoted from TARP (1986) lies inside the interval.",
                "Of {n} customers with a problem, {share} complained (95% CI {low} to {high}); the "
                "{published} voice rate quoted from TARP (1986) lies inside the interval.",
                problems,
            )
            if inside
            else ngettext(
                "Of {n} customer with a problem, {share} complained (95% CI {low} to {high}); the "
                "{published} voice rate quoted from TARP (1986) lies outside the interval.",
                "Of {n} customers with a problem, {share} complained (95% CI {low} to {high}); the "
                "{published} voice rate quoted from TARP (1986) lies outside the interval.",
                problems,
            )
        )
        return template.format(n=formatting.number(problems, 0), **fields)
    template = (
        _(
            "Of customers with a problem, {share} complained (95% CI {low} to {high}); the {published} voice "
            "rate quoted from TARP (1986) lies inside the interval."
        )
        if inside
        else _(
            "Of customers with a problem, {share} complained (95% CI {low} to {high}); the {published} voice "
            "rate quoted from TARP (1986) lies outside the interval."
        )
    )
    return template.format(**fields)


def funnel_record(funnel: pd.DataFrame) -> dict:
    """``{"voice_rate": {value, low, high}, "funnel": {stage: count}}``: the funnel's recorded results.

    Parameters
    ----------
    funnel : DataFrame
        A :func:`~csat_analysis.complaints.complaint_funnel` table.

    Returns
    -------
    dict
        The voice rate with its interval and the count per stage.

    Examples
    --------
    >>> funnel = pd.DataFrame({"stage": ["problem", "complained"], "count": [50, 2], "share": [0.5, 0.04],
    ...                        "low": [0.36, 0.011], "high": [0.64, 0.135]})
    >>> funnel_record(funnel)
    {'voice_rate': {'value': 0.04, 'low': 0.011, 'high': 0.135}, 'funnel': {'problem': 50, 'complained': 2}}
    """
    voice = funnel.set_index("stage").loc["complained"]
    return {
        "voice_rate": {
            key: float(voice[column]) for key, column in (("value", "share"), ("low", "low"), ("high", "high"))
        },
        "funnel": {str(s): int(c) for s, c in zip(funnel["stage"], funnel["count"])},
    }


@dataclass
class FunnelSection(Section):
    """The complaint funnel beside TARP's escalation pyramid and voice rate.

    Attributes
    ----------
    title : str
        Heading of the section in the report.
    table : DataFrame
        The observed funnel: ``stage``, ``count``, ``share``, ``low``, ``high``.
    source : str
        The data-source line printed under the section's table and figure.
    comparison : DataFrame or None
        The observed stage shares against TARP's published ones
        (:func:`csat_analysis.complaints.compare_funnel`).
    pyramid : DataFrame or None
        TARP's (1986) published escalation pyramid.
    """

    comparison: pd.DataFrame | None = field(default=None, repr=False)
    pyramid: pd.DataFrame | None = field(default=None, repr=False)

    references = ("tarp1986", "wilson1927")

    def plot(self, ax=None):
        """Observed funnel (left) and TARP's pyramid (right); ``ax``: one or two axes.

        Parameters
        ----------
        ax : matplotlib.axes.Axes or sequence of Axes, optional
            One or two axes to draw on (with one, only the first panel); a new figure when omitted.

        Returns
        -------
        matplotlib.figure.Figure
            The figure holding the panels.
        """
        from .. import plots

        fig, axes = _new_axes(ax, 2, (12, 4))
        count_axis = _("customers (log scale)")
        plots.funnel_plot(self.table.assign(stage=self.table["stage"].map(_stage)), ax=axes[0]).set(
            title=_("Observed funnel"), xlabel=count_axis
        )
        plots.source_note(axes[0], self.source)
        if len(axes) > 1:
            plots.funnel_plot(self.pyramid.assign(stage=self.pyramid["stage"].map(_stage)), ax=axes[1]).set(
                title=_("Escalation pyramid, TARP (1986): published figures"), xlabel=count_axis
            )
            plots.source_note(
                axes[1],
                _("TARP (1986) figures for {n} dissatisfied customers").format(
                    n=formatting.number(int(self.pyramid["count"].iloc[0]), 0)
                ),
            )
        if ax is None:  # axes handed in belong to the caller's layout
            fig.tight_layout()
        return fig

    def tables(self) -> list:

        def stages(table: pd.DataFrame) -> pd.DataFrame:
            return table.assign(**{c: table[c].map(_stage) for c in ("stage", "of_stage") if c in table})

        return [
            _table(
                stages(self.table),
                _("Complaint funnel (share: of the stage named in the share-of-stage column)"),
                self.source,
                percent=["share", "low", "high"],
            ),
            _table(
                stages(self.comparison),
                _("Observed shares beside TARP (1986)"),
                self.source,
                percent=["share", "low", "high", "published_share"],
            ),
        ]

    def finding(self) -> str:
        return funnel_finding(self.table)

    def headline(self) -> str:
        voice = self.table.set_index("stage").loc["complained"]
        return _("Voice rate: {estimate} of customers with a problem complained (TARP 1986: {published}).").format(
            estimate=formatting.estimate(voice["share"], voice["low"], voice["high"]),
            published=formatting.percent(complaints.TARP_VOICE_RATE, 0),
        )

    def results(self) -> dict[str, Any]:
        """Named results for the batch runner (``results.json``).

        Returns
        -------
        dict
            ``voice_rate`` and ``funnel`` (:func:`funnel_record`).
        """
        return funnel_record(self.table)


@dataclass
class StatusCountsSection(Section):
    """Customers by complaint status, for data with statuses but no problem and complaint answers.

    Attributes
    ----------
    title : str
        Heading of the section in the report.
    table : DataFrame
        Customers per complaint status: ``status``, ``n``
        (:func:`csat_analysis.complaints.status_counts`).
    source : str
        The data-source line printed under the section's table and figure.
    """

    def tables(self) -> list:
        return [
            _table(
                _status_labels(self.table),
                _("Customers by complaint status"),
                self.source,
                labels={"n": pgettext("complaint table", "customers")},
            )
        ]

    def finding(self) -> str:
        return _(
            "The data have complaint statuses but no separate problem and complaint answers, so only the "
            "customers by status are shown, not the funnel."
        )


def funnel_section(study: ComplaintSettings) -> Section:
    """The complaint funnel with the stages the data support (or, without them, customers by status).

    Parameters
    ----------
    study : ComplaintSettings
        The resolved notebook parameters and data (from :func:`settings`).

    Returns
    -------
    FunnelSection or StatusCountsSection or Skipped
        The complaint funnel, or customers by status when the data lack the
        problem and complaint answers.
        A :class:`~csat_analysis.studies.core.Skipped` note says why the section
        could not run on these data (e.g. a missing role) and what would fix it.
    """
    if study.has_funnel:
        columns = study.funnel
        problems = int(read_flags(study.data, columns["problem"]).fillna(0).sum())
        if problems == 0:
            return Skipped(
                Message(N_("Complaint funnel")),
                Message(N_("no respondent in these data had a problem")),
                fix=_more_respondents(),
            )
        funnel = complaints.complaint_funnel(
            study.data,
            problem=columns["problem"],
            complained=columns["complained"],
            first_contact=columns.get("resolved_first_contact"),
            escalation=columns.get("escalation_level"),
            resolved=columns.get("resolved"),
            weights=study.weights,
        )
        return _with_design(
            FunnelSection(
                title=_("Complaint funnel"),
                table=funnel,
                source=study.source,
                comparison=complaints.compare_funnel(funnel),
                pyramid=complaints.escalation_pyramid(),
            ),
            study,
        )
    if study.status is not None:
        return StatusCountsSection(
            title=_("Customers by complaint status"),
            source=study.source,
            table=complaints.status_counts(study.data, study.status),
        )
    return Skipped(
        Message(N_("Complaint funnel")),
        study.lacks(Message(N_("problem and complaint answers"))),
        fix=Message(N_("name the `complaint.problem` and `complaint.complained` roles")),
    )


# --- 2. the TARP table -------------------------------------------------------------------


def with_tarp_rates(table: pd.DataFrame, higher_is_better: bool) -> pd.DataFrame:
    """A :func:`~csat_analysis.complaints.repurchase_table` with TARP's rate as ``tarp_rate`` beside each cell.

    TARP's (1986) rates are repurchase rates, so a churn-type outcome
    (``higher_is_better=False``) gets no ``tarp_rate`` column.

    Parameters
    ----------
    table : DataFrame
        A repurchase table (``status``, ``severity``, ``rate``, ...).
    higher_is_better : bool
        The outcome is a repurchase-type rate (``False``: a churn flag).

    Returns
    -------
    DataFrame
        The table, with ``tarp_rate`` when ``higher_is_better``.

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

    Parameters
    ----------
    table : DataFrame
        A repurchase table (``status``, ``severity``, ``rate``).

    Returns
    -------
    dict
        Rate per status and severity.

    Examples
    --------
    >>> table = pd.DataFrame({"status": ["no_problem", "resolved", "resolved"], "severity": ["none", "major", "minor"],
    ...                       "rate": [0.9, 0.5, 0.7]})
    >>> tarp_record(table)
    {'no_problem': {'none': 0.9}, 'resolved': {'major': 0.5, 'minor': 0.7}}
    """
    return {
        str(s): {str(k): float(v) for k, v in zip(g["severity"], g["rate"])}
        for s, g in table.groupby("status", sort=False)
    }


def tarp_findings(table: pd.DataFrame, outcome: str, truth: dict | None = None) -> list[str]:
    """Sentences on a repurchase table: its range and, with the simulator's truth, coverage.

    ``truth`` is the simulator's ``repurchase_rates`` (``{"no_problem": rate, status:
    {severity: rate}}``); the coverage sentence says in how many cells the generating
    rate lies inside the 95% interval.

    Parameters
    ----------
    table : DataFrame
        A repurchase table with ``rate``, ``low`` and ``high``.
    outcome : str
        Display name of the loyalty outcome (e.g. repurchase).
    truth : dict, optional
        The simulator's generating repurchase rates.

    Returns
    -------
    list of str
        Markdown sentences in the report's language.

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
        rate = formatting.estimate(row["rate"], row["low"], row["high"])
        if row["severity"] in (complaints.NO_SEVERITY, "all"):
            return _("{rate} ({status})").format(rate=rate, status=_status(row["status"]))
        return _("{rate} ({status}, {severity})").format(
            rate=rate, status=_status(row["status"]), severity=_severity(row["severity"])
        )

    sentences.append(
        _("The {outcome} rate ranges from {lowest} to {highest}.").format(
            outcome=outcome, lowest=cell(worst), highest=cell(best)
        )
    )
    if truth is not None:
        expected = np.array(
            [
                truth[s] if s == "no_problem" else truth[s][sev] if isinstance(truth[s], dict) else np.nan
                for s, sev in zip(table["status"], table["severity"])
            ],
            dtype=float,
        )
        known = np.isfinite(expected)
        covered = ((table["low"] <= expected) & (expected <= table["high"]))[known].mean()
        sentences.append(
            _(
                "The simulator's generating rates lie inside {share} of the 95% intervals of the "
                "rebuilt table (about 95% expected by chance alone)."
            ).format(share=_pct(covered))
        )
    return sentences


@dataclass
class TarpSection(Section):
    """Outcome rate by complaint status and severity beside TARP's rates.

    Attributes
    ----------
    title : str
        Heading of the section in the report.
    table : DataFrame
        Outcome rate per status and severity (``n``, ``rate``, ``low``, ``high``)
        with TARP's rate as ``tarp_rate`` (:func:`with_tarp_rates`).
    source : str
        The data-source line printed under the section's table and figure.
    outcome : str
        Display name of the loyalty outcome (e.g. repurchase).
    truth : dict or None
        The simulator's generating rates, for the coverage sentence.
    """

    outcome: str = ""
    truth: dict | None = field(default=None, repr=False)

    references = ("tarp1986", "wilson1927")

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
        from .. import plots

        fig, (ax,) = _new_axes(ax, 1, (9, 4.5))
        plots.tarp_plot(_status_labels(self.table), ax=ax).set(
            ylabel=_("{outcome} rate").format(outcome=self.outcome),
            xlabel="",
            title=_capital(_("{outcome} by complaint status").format(outcome=self.outcome)),
        )
        _legend(ax)
        if ax.get_legend() is not None:
            ax.get_legend().set_title(pgettext("complaint role", "severity"))
        formatting.wrap_labels(ax, "x", width=12)
        plots.source_note(ax, self.source)
        return ax

    def tables(self) -> list:
        return [
            _table(
                _status_labels(self.table),
                _("{outcome} rate by complaint status and severity").format(outcome=self.outcome),
                self.source,
                percent=["rate", "low", "high", "tarp_rate"],
            )
        ]

    def finding(self) -> str:
        return _sentences(tarp_findings(self.table, self.outcome, self.truth))

    def results(self) -> dict[str, Any]:
        """Named results for the batch runner (``results.json``).

        Returns
        -------
        dict
            ``repurchase_by_status``: rate per status and severity.
        """
        return {"repurchase_by_status": tarp_record(self.table)}


def _no_status(study: ComplaintSettings, title: Message) -> Skipped:
    if study.status is not None:
        return Skipped(
            title,
            study.lacks(Message(N_("yes/no outcome (repurchase or churn)"))),
            fix=study.once(Message(N_("name the `complaint.outcome` role or set the `outcome` parameter"))),
        )
    return Skipped(
        title,
        study.lacks(Message(N_("complaint statuses"))),
        fix=study.once(Message(N_("name the `complaint.status` role, or `problem`, `complained` and `resolved`"))),
    )


def tarp_section(study: ComplaintSettings) -> Section:
    """The TARP table rebuilt from the data (outcome rate by status x severity, Wilson intervals).

    Parameters
    ----------
    study : ComplaintSettings
        The resolved notebook parameters and data (from :func:`settings`).

    Returns
    -------
    TarpSection or Skipped
        The outcome rate by status and severity beside TARP's rates.
        A :class:`~csat_analysis.studies.core.Skipped` note says why the section
        could not run on these data (e.g. a missing role) and what would fix it.
    """
    title = Message(N_("TARP table"))
    if not study.has_status:
        return _no_status(study, title)
    table = complaints.repurchase_table(study.data, study.outcome, study.status, study.severity, weights=study.weights)
    if table.empty:
        outcome = study.label(study.outcome)
        return Skipped(
            title,
            Message(N_("no respondent has a known {outcome}"), outcome=outcome),
            fix=Message(N_("use data where the outcome is answered")),
        )
    return _with_design(
        TarpSection(
            title=title,
            table=with_tarp_rates(table, study.higher_is_better),
            source=study.source,
            outcome=study.label(study.outcome),
            truth=study.truth,
        ),
        study,
    )


def chi_square_finding(tests: pd.DataFrame, outcome: str, alpha: float = 0.05) -> str:
    """One sentence: the association of status and outcome (Cramér's V), by severity.

    Parameters
    ----------
    tests : DataFrame
        One test per severity: ``p_value``, ``cramers_v``, ``low``, ``high``.
    outcome : str
        Display name of the loyalty outcome (e.g. repurchase).
    alpha : float
        Significance level.

    Returns
    -------
    str
        One Markdown sentence in the report's language.

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
        if row["severity"] == "all":
            return _("all customers")
        return _("{severity} problems").format(severity=_severity(row["severity"]))

    def effect(row, full: bool = True) -> str:
        fields = {
            "where": where(row),
            "p": formatting.p_value(row["p_value"], label=True),
            "v": formatting.estimate(row["cramers_v"], row["low"], row["high"], kind="number"),
        }
        return (_("{where} (Cramér's V {v}, {p})") if full else _("{where} (V {v}, {p})")).format(**fields)

    # Translators: joins the groups of a finding, e.g. "major problems (...) and minor problems (...)"
    joined = _(" and ")
    parts = [effect(row) for _, row in significant.iterrows()]
    rest = [effect(row, full=False) for _, row in other.iterrows()]
    if not parts:
        return _(
            "Complaint status shows no significant association with {outcome} (chi-square at {alpha}): {groups}."
        ).format(outcome=outcome, alpha=f"{alpha:g}", groups=_("; ").join(effect(row) for _, row in other.iterrows()))
    if rest:
        return _("Complaint status is associated with {outcome} for {groups}; not for {others}.").format(
            outcome=outcome, groups=joined.join(parts), others=joined.join(rest)
        )
    return _("Complaint status is associated with {outcome} for {groups}.").format(
        outcome=outcome, groups=joined.join(parts)
    )


@dataclass
class ChiSquareSection(Section):
    """Chi-square tests of complaint status against the outcome within each severity, with Cramér's V.

    Attributes
    ----------
    title : str
        Heading of the section in the report.
    table : DataFrame
        One test per severity: ``severity``, ``n``, ``statistic``, ``dof``,
        ``p_value`` and ``cramers_v`` with its ``low`` and ``high``.
    source : str
        The data-source line printed under the section's table and figure.
    outcome : str
        Display name of the loyalty outcome (e.g. repurchase).
    weights : str or None
        The survey-weight column; with weights the tests are design-based Rao-Scott F
        tests (``test``, ``dof_denominator`` columns) instead of Pearson's chi-square.
    """

    outcome: str = ""
    weights: str | None = None

    references = ("cramer1946",)

    def tables(self) -> list:
        labels = {"low": pgettext("complaint table", "V low"), "high": pgettext("complaint table", "V high")}
        table = _status_labels(self.table)
        if self.weights is None:
            caption = _("Chi-square tests: complaint status x {outcome}, within each severity (unweighted counts)")
        else:
            caption = _(
                "Rao-Scott F tests: complaint status x {outcome}, within each severity (design-based, weighted by "
                "`{weights}`)"
            )
            labels.update(
                statistic=pgettext("complaint table", "F"),
                dof=pgettext("complaint table", "numerator degrees of freedom"),
                dof_denominator=pgettext("complaint table", "denominator degrees of freedom"),
            )
            table = table.drop(columns="test")  # the caption names the test
        return [_table(table, caption.format(outcome=self.outcome, weights=self.weights), self.source, labels=labels)]

    def finding(self) -> str:
        return chi_square_finding(self.table, self.outcome)


def chi_square_section(study: ComplaintSettings) -> Section:
    """Chi-square tests of status x outcome per severity (or over all customers without severity).

    Parameters
    ----------
    study : ComplaintSettings
        The resolved notebook parameters and data (from :func:`settings`).

    Returns
    -------
    ChiSquareSection or Skipped
        The tests of status against the outcome.
        A :class:`~csat_analysis.studies.core.Skipped` note says why the section
        could not run on these data (e.g. a missing role) and what would fix it.
    """
    title = Message(N_("Chi-square tests"))
    if not study.has_status:
        return _no_status(study, title)
    tests = complaints.chi_square_tests(study.data, study.outcome, study.status, study.severity, weights=study.weights)
    if tests["p_value"].isna().all():
        return Skipped(
            title,
            Message(N_("no severity has two complaint statuses with both outcomes")),
            fix=_more_respondents(),
        )
    section = ChiSquareSection(
        title=title, table=tests, source=study.source, outcome=study.label(study.outcome), weights=study.weights
    )
    if study.weights is not None:  # design-based: the Rao-Scott F test
        section.references = (*type(section).references, "rao_scott1984", "lumley2010")
    return section


@dataclass
class OddsSection(Section):
    """Logistic regression of the outcome on complaint status and severity, as odds ratios.

    Attributes
    ----------
    title : str
        Heading of the section in the report.
    table : DataFrame
        Odds ratios against customers with no problem: ``term``, ``odds_ratio``,
        ``low``, ``high``, ``p_value``.
    source : str
        The data-source line printed under the section's table and figure.
    outcome : str
        Display name of the loyalty outcome (e.g. repurchase).
    labels : dict of str to str
        Display names of columns and model terms.
    """

    outcome: str = ""
    labels: dict[str, str] = field(default_factory=dict, repr=False)

    references = ("tarp1986",)

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
        from .. import plots

        fig, (ax,) = _new_axes(ax, 1, (8, 0.5 * len(self.table) + 1.5))
        plots.odds_ratio_plot(_term_labels(self.table, self.labels), ax=ax).set(
            title=_("Odds ratios for {outcome} (reference: no problem, minor problem)").format(outcome=self.outcome),
            xlabel=_("odds ratio (log scale)"),
        )
        plots.source_note(ax, self.source)
        return ax

    def tables(self) -> list:
        return [
            _table(
                _term_labels(self.table, self.labels),
                _("Logistic regression of {outcome}: odds ratios").format(outcome=self.outcome),
                self.source,
            )
        ]


@_estimable(N_("Odds ratios"))
def odds_section(study: ComplaintSettings) -> Section:
    """Odds ratios of the outcome against customers with no problem.

    Parameters
    ----------
    study : ComplaintSettings
        The resolved notebook parameters and data (from :func:`settings`).

    Returns
    -------
    OddsSection or Skipped
        The odds ratios of the logistic model.
        A :class:`~csat_analysis.studies.core.Skipped` note says why the section
        could not run on these data (e.g. a missing role) and what would fix it.
    """
    title = Message(N_("Odds ratios"))
    if not study.has_status:
        return _no_status(study, title)
    odds = complaints.outcome_model(study.data, study.outcome, study.status, study.severity, study.covariates)
    return OddsSection(
        title=title, table=odds, source=study.source, outcome=study.label(study.outcome), labels=dict(study.labels)
    )


# --- 3. the service-recovery paradox -----------------------------------------------------

_PARADOX_PERCENT = ["fast_rate", "baseline_rate", "difference", "low", "high", "bootstrap_low", "bootstrap_high"]


def paradox_table(result: complaints.RecoveryParadox) -> pd.DataFrame:
    """A :class:`~csat_analysis.complaints.RecoveryParadox` as a one-row tidy table.

    Parameters
    ----------
    result : RecoveryParadox
        From :func:`csat_analysis.complaints.recovery_paradox`.

    Returns
    -------
    DataFrame
        One row with the result's fields as columns.

    Examples
    --------
    >>> result = complaints.RecoveryParadox(0.8, 0.6, 70, 80, 0.2, 0.05, 0.33, 0.01, "supported")
    >>> list(paradox_table(result).columns)
    ['fast_rate', 'baseline_rate', 'n_fast', 'n_baseline', 'difference', 'low', 'high', 'p_value', 'cohens_h', 'cohens_h_low', 'cohens_h_high', 'verdict']
    """
    columns = [
        "fast_rate",
        "baseline_rate",
        "n_fast",
        "n_baseline",
        "difference",
        "low",
        "high",
        "p_value",
        "cohens_h",
        "cohens_h_low",
        "cohens_h_high",
        "verdict",
    ]
    if np.isfinite(result.bootstrap_low):
        columns += ["bootstrap_low", "bootstrap_high"]
    return pd.DataFrame([{c: getattr(result, c) for c in columns}])


def paradox_finding(result: complaints.RecoveryParadox, outcome: str, bootstrap: int = 0) -> str:
    """Sentences on the service-recovery paradox: verdict, difference with interval, Cohen's h, bootstrap check.

    Parameters
    ----------
    result : RecoveryParadox
        From :func:`csat_analysis.complaints.recovery_paradox`.
    outcome : str
        Display name of the loyalty outcome (e.g. repurchase).
    bootstrap : int
        Resamples of the bootstrap check (0: not run, not mentioned).

    Returns
    -------
    str
        Markdown sentences in the report's language.

    Examples
    --------
    >>> result = complaints.RecoveryParadox(0.8, 0.6, 70, 80, 0.2, 0.05, 0.33, 0.01, "supported",
    ...                                     bootstrap_low=0.06, bootstrap_high=0.34, cohens_h=0.44,
    ...                                     cohens_h_low=0.12, cohens_h_high=0.76)
    >>> print(paradox_finding(result, "repurchase", bootstrap=500))
    Service-recovery paradox: **supported**: quickly resolved complainants' repurchase minus that of customers with no problem is +20.0 pp [+5.0 pp, +33.0 pp] (p = 0.010). Quickly resolved: 80.0% (n = 70); no problem: 60.0% (n = 80); Cohen's h = 0.44 [0.12, 0.76]. The bootstrap interval (+6.0 pp to +34.0 pp, 500 resamples) agrees.
    """
    fields = {
        "verdict": _verdict(result.verdict),
        "outcome": outcome,
        "difference": formatting.estimate(result.difference, result.low, result.high, kind="points"),
        "p": formatting.p_value(result.p_value, label=True),
        "fast": _pct(result.fast_rate),
        "n_fast": formatting.number(result.n_fast, 0),
        "baseline": _pct(result.baseline_rate),
        "n_baseline": formatting.number(result.n_baseline, 0),
    }
    if np.isfinite(result.cohens_h):
        fields["h"] = formatting.estimate(result.cohens_h, result.cohens_h_low, result.cohens_h_high, kind="number")
        sentence = _(
            "Service-recovery paradox: **{verdict}**: quickly resolved complainants' {outcome} minus that of "
            "customers with no problem is {difference} ({p}). Quickly resolved: {fast} (n = {n_fast}); no "
            "problem: {baseline} (n = {n_baseline}); Cohen's h = {h}."
        ).format(**fields)
    else:
        sentence = _(
            "Service-recovery paradox: **{verdict}**: quickly resolved complainants' {outcome} minus that of "
            "customers with no problem is {difference} ({p}). Quickly resolved: {fast} (n = {n_fast}); no "
            "problem: {baseline} (n = {n_baseline})."
        ).format(**fields)
    if bootstrap > 0 and np.isfinite(result.bootstrap_low):
        agrees = ((result.bootstrap_low > 0) == (result.low > 0)) and ((result.bootstrap_high < 0) == (result.high < 0))
        check = {
            "low": formatting.percentage_points(result.bootstrap_low),
            "high": formatting.percentage_points(result.bootstrap_high),
            "resamples": int(bootstrap),
        }
        template = (
            ngettext(
                "The bootstrap interval ({low} to {high}, {resamples} resample) agrees.",
                "The bootstrap interval ({low} to {high}, {resamples} resamples) agrees.",
                int(bootstrap),
            )
            if agrees
            else ngettext(
                "The bootstrap interval ({low} to {high}, {resamples} resample) does not agree, so the "
                "verdict is fragile.",
                "The bootstrap interval ({low} to {high}, {resamples} resamples) does not agree, so the "
                "verdict is fragile.",
                int(bootstrap),
            )
        )
        sentence = _sentences([sentence, template.format(**check)])
    return sentence


def paradox_record(result: complaints.RecoveryParadox) -> dict:
    """The recorded result: ``{value, low, high, verdict}`` (difference in rates) with ``kind`` and ``p_value``.

    Parameters
    ----------
    result : RecoveryParadox
        From :func:`csat_analysis.complaints.recovery_paradox`.

    Returns
    -------
    dict
        The difference with ``low``, ``high``, ``verdict``, ``kind`` and ``p_value``.

    Examples
    --------
    >>> result = complaints.RecoveryParadox(0.8, 0.6, 70, 80, 0.2, 0.05, 0.33, 0.01, "supported")
    >>> paradox_record(result)
    {'value': 0.2, 'low': 0.05, 'high': 0.33, 'verdict': 'supported', 'kind': 'points', 'p_value': 0.01}
    """
    return {
        "value": float(result.difference),
        "low": float(result.low),
        "high": float(result.high),
        "verdict": result.verdict,
        "kind": "points",
        "p_value": float(result.p_value),
    }


@dataclass
class ParadoxSection(Section):
    """Quickly resolved complainants against customers with no problem, pooled and per severity.

    Attributes
    ----------
    title : str
        Heading of the section in the report.
    table : DataFrame
        The pooled result as one row (:func:`paradox_table`).
    source : str
        The data-source line printed under the section's table and figure.
    result : RecoveryParadox or None
        The pooled test.
    by_severity : DataFrame or None
        The test per severity.
    outcome : str
        Display name of the loyalty outcome (e.g. repurchase).
    bootstrap : int
        Resamples of the bootstrap check (0: none).
    """

    result: complaints.RecoveryParadox | None = None
    by_severity: pd.DataFrame | None = field(default=None, repr=False)
    outcome: str = ""
    bootstrap: int = 0

    references = ("mccollough_bharadwaj1992", "de_matos2007", "newcombe1998", "cohen1988")

    def tables(self) -> list:

        def verdicts(table: pd.DataFrame) -> pd.DataFrame:
            return _status_labels(table.assign(verdict=table["verdict"].map(_verdict)) if "verdict" in table else table)

        shown = [
            _table(
                verdicts(self.table),
                _("Quickly resolved complainants minus customers with no problem"),
                self.source,
                percent=_PARADOX_PERCENT,
            )
        ]
        if self.by_severity is not None and not self.by_severity.empty:
            shown.append(
                _table(
                    verdicts(self.by_severity),
                    _("Recovery paradox within each problem severity (quickly resolved vs no problem)"),
                    self.source,
                    percent=_PARADOX_PERCENT,
                )
            )
        return shown

    def finding(self) -> str:
        return paradox_finding(self.result, self.outcome, self.bootstrap)

    def headline(self) -> str:
        result = self.result
        return _(
            "Service-recovery paradox {verdict}: quickly resolved complainants minus no problem, {difference} in "
            "{outcome}."
        ).format(
            verdict=_verdict(result.verdict),
            outcome=self.outcome,
            difference=formatting.estimate(result.difference, result.low, result.high, kind="points"),
        )

    def results(self) -> dict[str, Any]:
        """Named results for the batch runner (``results.json``).

        Returns
        -------
        dict
            ``recovery_paradox``: the pooled test (:func:`paradox_record`).
        """
        return {"recovery_paradox": paradox_record(self.result)}


def paradox_section(study: ComplaintSettings) -> Section:
    """The service-recovery paradox test (Newcombe interval, z-test, Cohen's h, optional bootstrap).

    Parameters
    ----------
    study : ComplaintSettings
        The resolved notebook parameters and data (from :func:`settings`).

    Returns
    -------
    ParadoxSection or Skipped
        The service-recovery paradox test.
        A :class:`~csat_analysis.studies.core.Skipped` note says why the section
        could not run on these data (e.g. a missing role) and what would fix it.
    """
    title = Message(N_("Service-recovery paradox"))
    if not study.has_status:
        return _no_status(study, title)
    if not study.knows_speed:
        return Skipped(
            title,
            Message(N_("the survey does not say which complaints were resolved quickly")),
            fix=Message(N_("name the `complaint.resolved_quickly` or `complaint.resolution_hours` role")),
        )
    known = read_flags(study.data, study.outcome).notna()
    statuses = set(study.data.loc[known, study.status].astype("object"))
    absent = [s for s in ("resolved_quickly", "no_problem") if s not in statuses]
    if absent:

        def groups() -> str:
            # Translators: joins the names of two groups: "resolved quickly or no problem"
            return _(" or ").join(_status(s) for s in absent)

        return Skipped(
            title,
            Message(N_("no customer with a known outcome is in the group {groups}"), groups=groups),
            fix=Message(
                N_("raise `fast_hours`, or use data with quickly resolved complaints and customers without a problem")
            ),
        )
    result = complaints.recovery_paradox(
        study.data,
        study.outcome,
        study.status,
        higher_is_better=study.higher_is_better,
        weights=study.weights,
        bootstrap=study.bootstrap,
        seed=study.seed,
    )
    by_severity = None
    if study.severity is not None:
        by_severity = complaints.paradox_by_severity(
            study.data,
            study.outcome,
            study.status,
            study.severity,
            higher_is_better=study.higher_is_better,
            weights=study.weights,
        )
    section = ParadoxSection(
        title=title,
        table=paradox_table(result),
        source=study.source,
        result=result,
        by_severity=by_severity,
        outcome=study.label(study.outcome),
        bootstrap=study.bootstrap,
    )
    _with_design(section, study)
    if study.bootstrap > 0:
        section.references = (*section.references, "efron_tibshirani1993")
    return section


# --- 4. resolution time ------------------------------------------------------------------


def resolution_findings(
    summary: pd.DataFrame, effect: complaints.TimeEffect, outcome: str, fast_hours: float
) -> list[str]:
    """Sentences on resolution times: the Kaplan-Meier median, the fast share and the time effect.

    Parameters
    ----------
    summary : DataFrame
        One row with ``median_hours`` and ``resolved_within_fast``.
    effect : TimeEffect
        The odds ratio of the outcome per doubling of the resolution time.
    outcome : str
        Display name of the loyalty outcome (e.g. repurchase).
    fast_hours : float
        Hours within which a resolution counts as quick.

    Returns
    -------
    list of str
        Markdown sentences in the report's language.

    Examples
    --------
    >>> summary = pd.DataFrame({"median_hours": [30.2], "resolved_within_fast": [0.41]})
    >>> effect = complaints.TimeEffect(0.8, 0.7, 0.9, 0.001, 100, pd.DataFrame())
    >>> resolution_findings(summary, effect, "repurchase", 24)
    ['Half of the complaints are resolved within 30 hours (Kaplan-Meier median); 41.0% within 24 hours.', 'Each doubling of the resolution time multiplies the odds of repurchase by 0.80 [0.70, 0.90] (p = 0.001): slower resolution, less repurchase.']
    """
    row = summary.iloc[0]
    fields = {"share": _pct(row["resolved_within_fast"]), "hours": f"{fast_hours:g}"}
    if np.isfinite(row["median_hours"]):
        median = _(
            "Half of the complaints are resolved within {median} hours (Kaplan-Meier median); {share} within "
            "{hours} hours."
        ).format(median=formatting.number(row["median_hours"], 0), **fields)
    else:
        median = _(
            "Fewer than half of the complaints are resolved in the observed time, so there is no median; "
            "{share} within {hours} hours."
        ).format(**fields)
    if effect.low > 1:
        reading = _("slower resolution, more {outcome}").format(outcome=outcome)
    elif effect.high < 1:
        reading = _("slower resolution, less {outcome}").format(outcome=outcome)
    else:
        reading = _("no clear effect of the resolution time")
    return [
        median,
        _(
            "Each doubling of the resolution time multiplies the odds of {outcome} by {odds_ratio} ({p}): {reading}."
        ).format(
            outcome=outcome,
            reading=reading,
            odds_ratio=formatting.estimate(effect.odds_ratio, effect.low, effect.high, kind="number"),
            p=formatting.p_value(effect.p_value, label=True),
        ),
    ]


@dataclass
class ResolutionSection(Section):
    """Kaplan-Meier curve of resolution times and the outcome by time to resolution.

    Attributes
    ----------
    title : str
        Heading of the section in the report.
    table : DataFrame
        Resolution times in one row: complaints, resolved, still open, the
        Kaplan-Meier ``median_hours`` and the share ``resolved_within_fast``.
    source : str
        The data-source line printed under the section's table and figure.
    curve : DataFrame or None
        Share still unresolved over time.
    binned : DataFrame or None
        Outcome rate by binned time to resolution.
    effect : TimeEffect or None
        The outcome's odds ratio per doubling of the resolution time.
    outcome : str
        Display name of the loyalty outcome (e.g. repurchase).
    fast_hours : float
        Hours within which a resolution counts as quick.
    """

    curve: pd.DataFrame | None = field(default=None, repr=False)
    binned: pd.DataFrame | None = field(default=None, repr=False)
    effect: complaints.TimeEffect | None = field(default=None, repr=False)
    outcome: str = ""
    fast_hours: float = 24.0

    references = ("kaplan_meier1958", "wilson1927")

    def plot(self, ax=None):
        """Share still unresolved over time (left) and outcome by time to resolution (right).

        Parameters
        ----------
        ax : matplotlib.axes.Axes or sequence of Axes, optional
            One or two axes to draw on (with one, only the first panel); a new figure when omitted.

        Returns
        -------
        matplotlib.figure.Figure
            The figure holding the panels.
        """
        from .. import plots

        fig, axes = _new_axes(ax, 2, (12, 4))
        plots.retention_plot(self.curve, time="hours", survival="unresolved_share", ax=axes[0]).set(
            xscale="log",
            xlabel=_("hours since the complaint (log scale)"),
            ylabel=_("share still unresolved"),
            title=_("Complaints still unresolved (dashed: {hours} hours)").format(hours=f"{self.fast_hours:g}"),
        )
        axes[0].axvline(self.fast_hours, color="0.4", linestyle="--", linewidth=1)
        plots.source_note(axes[0], self.source)
        if len(axes) > 1:
            plots.loyalty_curve_plot(
                self.binned,
                x="median_hours",
                y="rate",
                low="low",
                high="high",
                fit=self.effect.curve,
                fit_x="hours",
                fit_y="fitted",
                ax=axes[1],
            ).set(
                xscale="log",
                xlabel=_("hours to resolution (bin median, log scale)"),
                ylabel=_("{outcome} rate").format(outcome=self.outcome),
                title=_capital(_("{outcome} by time to resolution").format(outcome=self.outcome)),
            )
            _legend(axes[1])
        if ax is None:  # axes handed in belong to the caller's layout
            fig.tight_layout()
        return fig

    def tables(self) -> list:
        within = pgettext("complaint table", "resolved within {hours} hours").format(hours=f"{self.fast_hours:g}")
        return [
            _table(
                self.table,
                _("Resolution times (Kaplan-Meier)"),
                self.source,
                labels={"resolved_within_fast": within},
                percent=["resolved_within_fast"],
                missing_labels={"median_hours": _("not reached")},
            ),
            _table(
                self.binned,
                _("{outcome} rate of resolved complainants by time to resolution").format(outcome=self.outcome),
                self.source,
                percent=["rate", "low", "high"],
            ),
        ]

    def finding(self) -> str:
        return _sentences(resolution_findings(self.table, self.effect, self.outcome, self.fast_hours))


@_estimable(N_("Resolution time"))
def resolution_section(study: ComplaintSettings) -> Section:
    """Resolution times (Kaplan-Meier, open complaints censored) and their effect on the outcome.

    Parameters
    ----------
    study : ComplaintSettings
        The resolved notebook parameters and data (from :func:`settings`).

    Returns
    -------
    ResolutionSection or Skipped
        Resolution times and their effect on the outcome.
        A :class:`~csat_analysis.studies.core.Skipped` note says why the section
        could not run on these data (e.g. a missing role) and what would fix it.
    """
    title = Message(N_("Resolution time"))
    if not study.has_status:
        return _no_status(study, title)
    if not study.has_times:
        return Skipped(
            title,
            study.lacks(Message(N_("complaint resolution times"))),
            fix=Message(N_("name the hours to resolution with the `complaint.resolution_hours` role")),
        )
    hours = study.resolution_hours
    timed = study.data[hours].notna() & read_flags(study.data, study.outcome).notna()
    if timed.sum() < MIN_RESOLVED_WITH_TIME:
        count = int(timed.sum())
        return Skipped(
            title,
            Message(
                N_plural(
                    "only {n} resolved complaint has a resolution time and a known outcome (at least {minimum} are needed)",
                    "only {n} resolved complaints have a resolution time and a known outcome (at least {minimum} are needed)",
                ),
                n=count,
                minimum=MIN_RESOLVED_WITH_TIME,
            ),
            fix=_more_respondents(),
        )
    effect = complaints.resolution_time_effect(study.data, hours, study.outcome)
    return ResolutionSection(
        title=title,
        source=study.source,
        table=complaints.resolution_summary(study.data, hours, study.open_hours, fast_hours=study.fast_hours),
        curve=complaints.resolution_times(study.data, hours, study.open_hours),
        binned=complaints.outcome_by_resolution_time(study.data, hours, study.outcome, bins=6, weights=study.weights),
        effect=effect,
        outcome=study.label(study.outcome),
        fast_hours=study.fast_hours,
    )


# --- 5. service calls and churn ----------------------------------------------------------


def calls_finding(jumps: pd.DataFrame, odds: pd.DataFrame, calls: str, covariates: Sequence[str] = ()) -> str:
    """One sentence: where churn jumps with service calls and the adjusted odds ratio there.

    ``odds`` is :func:`~csat_analysis.complaints.calls_model` fitted with the threshold.

    Parameters
    ----------
    jumps : DataFrame
        From :func:`csat_analysis.complaints.call_threshold` (``threshold`` marks the jump).
    odds : DataFrame
        The odds ratios of :func:`~csat_analysis.complaints.calls_model`.
    calls : str
        Display name of the calls column.
    covariates : sequence of str
        Display names of the model's adjustment columns.

    Returns
    -------
    str
        One Markdown sentence in the report's language.

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
        return _("No call count shows churn significantly above the levels below it.")
    at = jumps.loc[jumps["threshold"]].iloc[0]
    term = odds.set_index("term").loc["calls_at_or_above_threshold"]
    fields = {
        "threshold": threshold,
        "calls": calls,
        "rate": _pct(at["rate"]),
        "below": _pct(at["rate_below"]),
        "p": formatting.p_value(at["p_value"], label=True),
        "odds_ratio": formatting.estimate(term["odds_ratio"], term["low"], term["high"], kind="number", decimals=1),
    }
    if covariates:
        return _(
            "Churn jumps at {threshold} ({calls}): {rate} against {below} below ({p}); adjusted for "
            "{covariates}, the odds ratio is {odds_ratio}."
        ).format(covariates=_(", ").join(covariates), **fields)
    return _(
        "Churn jumps at {threshold} ({calls}): {rate} against {below} below ({p}); adjusted for nothing, the "
        "odds ratio is {odds_ratio}."
    ).format(**fields)


@dataclass
class CallsSection(Section):
    """Churn by number of customer-service calls, where it jumps, and a logistic model.

    Attributes
    ----------
    title : str
        Heading of the section in the report.
    table : DataFrame
        Churn per number of calls: ``calls``, ``n``, ``events``, ``rate``, ``low``,
        ``high``.
    source : str
        The data-source line printed under the section's table and figure.
    jumps : DataFrame or None
        Churn at each call count against below it, with the threshold marked.
    odds : DataFrame or None
        Odds ratios of the calls model.
    calls, churn : str
        The calls and churn columns.
    covariates : list of str
        The model's adjustment columns.
    record_rates : bool
        Record the churn rates per call count.
    labels : dict of str to str
        Display names of columns and model terms.
    """

    jumps: pd.DataFrame | None = field(default=None, repr=False)
    odds: pd.DataFrame | None = field(default=None, repr=False)
    calls: str = ""
    churn: str = ""
    covariates: list[str] = field(default_factory=list)
    record_rates: bool = True
    labels: dict[str, str] = field(default_factory=dict, repr=False)

    references = ("wilson1927",)

    @property
    def threshold(self) -> int | None:
        """The call count where churn jumps, or None."""
        return complaints.threshold_level(self.jumps)

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
        from .. import plots

        fig, (ax,) = _new_axes(ax, 1, (9, 4))
        plots.interval_plot(self.table, x="calls", y="rate", low="low", high="high", ax=ax).set(
            xlabel=self.calls, ylabel=_("churn rate"), title=_("Churn by {calls}").format(calls=self.calls)
        )
        plots.source_note(ax, self.source)
        return ax

    def tables(self) -> list:
        return [
            _table(
                self.table,
                _("Churn ({churn}) by {calls}").format(churn=self.churn, calls=self.calls),
                self.source,
                labels={"calls": self.calls},
                percent=["rate", "low", "high"],
            ),
            _table(
                self.jumps,
                _("Where churn jumps: each level against all lower levels"),
                self.source,
                labels={"calls": self.calls},
                percent=["rate", "rate_below"],
            ),
            _table(_term_labels(self.odds, self.labels), _("Logistic model of churn: odds ratios"), self.source),
        ]

    def finding(self) -> str:
        return calls_finding(self.jumps, self.odds, self.calls, self.covariates)

    def results(self) -> dict[str, Any]:
        """Named results for the batch runner (``results.json``).

        Returns
        -------
        dict
            ``churn_by_service_calls``: churn rate per call count (empty when the counts
            stand in for escalation levels).
        """
        if not self.record_rates:
            return {}
        return {"churn_by_service_calls": dict(zip(self.table["calls"], self.table["rate"]))}


@_estimable(N_("Service calls and churn"))
def calls_section(study: ComplaintSettings) -> Section:
    """Churn by service calls (on the simulator, by escalation level) with the jump threshold.

    Parameters
    ----------
    study : ComplaintSettings
        The resolved notebook parameters and data (from :func:`settings`).

    Returns
    -------
    CallsSection or Skipped
        Churn by service calls and where it jumps.
        A :class:`~csat_analysis.studies.core.Skipped` note says why the section
        could not run on these data (e.g. a missing role) and what would fix it.
    """
    title = Message(N_("Service calls and churn"))
    if not study.has_calls:
        return Skipped(
            title,
            study.lacks(Message(N_("service-call counts with churn"))),
            fix=Message(N_("name the `complaint.calls` and `complaint.churned` roles")),
        )
    by_calls = complaints.churn_by_calls(study.data, study.calls, study.churn)
    jumps = complaints.call_threshold(by_calls)
    odds = complaints.calls_model(
        study.data, study.churn, study.calls, study.call_covariates, threshold=complaints.threshold_level(jumps)
    )
    labels = {**study.labels, "calls": study.label(study.calls)}
    return CallsSection(
        title=title,
        table=by_calls,
        source=study.source,
        jumps=jumps,
        odds=odds,
        calls=study.label(study.calls),
        churn=study.label(study.churn),
        covariates=[study.label(c) for c in study.call_covariates],
        record_rates=study.calls_are_service_calls,
        labels=labels,
    )


# --- 6. complaint handling and loyalty ---------------------------------------------------


def correlation_finding(correlation: pd.DataFrame, x: str | None = None, y: str | None = None) -> str:
    """One sentence on a :func:`~csat_analysis.complaints.rank_correlation` row, direction read from the interval.

    Parameters
    ----------
    correlation : DataFrame
        One row with ``n``, ``rho``, ``low``, ``high``.
    x, y : str, optional
        Display names of the two variables (default: handling satisfaction and loyalty).

    Returns
    -------
    str
        One Markdown sentence in the report's language.

    Examples
    --------
    >>> correlation_finding(pd.DataFrame({"n": [250], "rho": [0.41], "low": [0.3], "high": [0.51]}))
    'Satisfaction with complaint handling and loyalty move together: Spearman rho = 0.41 [0.30, 0.51] (n = 250).'
    >>> correlation_finding(pd.DataFrame({"n": [30], "rho": [0.1], "low": [-0.2], "high": [0.4]}))
    'Satisfaction with complaint handling and loyalty show no clear association: Spearman rho = 0.10 [-0.20, 0.40] (n = 30).'
    """
    x = x if x is not None else _("satisfaction with complaint handling")
    y = y if y is not None else pgettext("complaint role", "loyalty")
    row = correlation.iloc[0]
    fields = {
        "x": _capital(x),
        "y": y,
        "n": formatting.number(int(row["n"]), 0),
        "rho": formatting.estimate(row["rho"], row["low"], row["high"], kind="number", bounds=(-1, 1)),
    }
    if row["low"] > 0:
        template = _("{x} and {y} move together: Spearman rho = {rho} (n = {n}).")
    elif row["high"] < 0:
        template = _("{x} and {y} move in opposite directions: Spearman rho = {rho} (n = {n}).")
    else:
        template = _("{x} and {y} show no clear association: Spearman rho = {rho} (n = {n}).")
    return template.format(**fields)


@dataclass
class HandlingSection(Section):
    """Loyalty by satisfaction with complaint handling, and their rank correlation.

    Attributes
    ----------
    title : str
        Heading of the section in the report.
    table : DataFrame
        Loyalty per handling rating: ``rating``, ``n``, ``mean_loyalty`` and the
        ``top_box`` share, each with its interval.
    source : str
        The data-source line printed under the section's table and figure.
    correlation : DataFrame or None
        The rank correlation of rating and loyalty.
    rating, loyalty : str
        Display names of the rating and the loyalty score.
    scale : tuple of float
        Range of the loyalty score.
    integer_rating : bool
        The rating takes whole numbers only (ticks at integers).
    """

    correlation: pd.DataFrame | None = field(default=None, repr=False)
    rating: str = N_("satisfaction with complaint handling")
    loyalty: str = "loyalty"
    scale: tuple[float, float] = (1, 10)
    integer_rating: bool = True

    references = ("fornell1996", "wilson1927")

    def plot(self, ax=None):
        """Draw the section's figure.

        Parameters
        ----------
        ax : matplotlib.axes.Axes or sequence of Axes, optional
            One or two axes to draw on (with one, only the first panel); a new figure when omitted.

        Returns
        -------
        matplotlib.figure.Figure
            The figure holding the panels.
        """
        from .. import plots

        fig, axes = _new_axes(ax, 2, (12, 4))
        low, high = self.scale
        mean = _("Mean {loyalty}").format(loyalty=self.loyalty)
        panels = [
            (
                "mean_loyalty",
                "mean_low",
                "mean_high",
                mean,
                _("{mean} ({low}-{high})").format(mean=mean, low=f"{low:g}", high=f"{high:g}"),
            ),
            ("top_box", "top_low", "top_high", *[_("Top-two-box share of {loyalty}").format(loyalty=self.loyalty)] * 2),
        ]
        for panel, (y, lo, hi, axis, title) in zip(axes, panels):
            plots.loyalty_curve_plot(self.table, x="rating", y=y, low=lo, high=hi, ax=panel).set(
                title=title, xlabel=self.rating, ylabel=axis
            )
            _legend(panel)
            if self.integer_rating:
                formatting.integer_ticks(panel, "x")
        axes[0].set_ylim(low, high)
        plots.source_note(axes[0], self.source)
        if ax is None:  # axes handed in belong to the caller's layout
            fig.tight_layout()
        return fig

    def tables(self) -> list:
        return [
            _table(
                self.table,
                _("{loyalty} by {rating}").format(loyalty=self.loyalty, rating=self.rating),
                self.source,
                labels={
                    "rating": self.rating,
                    "mean_loyalty": pgettext("table header", "mean {loyalty}").format(loyalty=self.loyalty),
                },
                percent=["top_box", "top_low", "top_high"],
            ),
            _table(
                self.correlation,
                _("Spearman correlation of {rating} with {loyalty}").format(rating=self.rating, loyalty=self.loyalty),
                self.source,
            ),
        ]

    def finding(self) -> str:
        return correlation_finding(self.correlation, self.rating, self.loyalty)


def handling_section(study: ComplaintSettings) -> Section:
    """Loyalty by satisfaction with complaint handling (the ``complaint.handling_satisfaction`` role).

    Parameters
    ----------
    study : ComplaintSettings
        The resolved notebook parameters and data (from :func:`settings`).

    Returns
    -------
    HandlingSection or Skipped
        Loyalty by handling rating and their correlation.
        A :class:`~csat_analysis.studies.core.Skipped` note says why the section
        could not run on these data (e.g. a missing role) and what would fix it.
    """
    title = Message(N_("Complaint handling and loyalty"))
    if study.handling is None:
        return Skipped(
            title,
            study.lacks(Message(N_("rating of complaint handling"))),
            fix=Message(N_("name it with the `complaint.handling_satisfaction` role")),
        )
    if not study.loyalty:
        return Skipped(
            title,
            study.lacks(Message(N_("loyalty items"))),
            fix=Message(N_("name them with the `loyalty` or `recommend` role")),
        )
    if study.loyalty_score is None:
        return Skipped(
            title,
            Message(N_("the loyalty items have no rating scale")),
            fix=Message(N_("declare each loyalty item's `scale` in the survey description")),
        )
    complete = study.data[[study.handling, study.loyalty_score]].apply(pd.to_numeric, errors="coerce").dropna()
    if len(complete) < MIN_HANDLING_ANSWERS:
        count = len(complete)
        return Skipped(
            title,
            Message(
                N_plural(
                    "only {n} respondent rated the complaint handling and answered the loyalty items (at least {minimum} are "
                    "needed)",
                    "only {n} respondents rated the complaint handling and answered the loyalty items (at least {minimum} are "
                    "needed)",
                ),
                n=count,
                minimum=MIN_HANDLING_ANSWERS,
            ),
            fix=_more_respondents(),
        )
    by_rating = complaints.loyalty_by_rating(study.data, study.handling, study.loyalty_score, scale=study.scale, k=2)
    correlation = complaints.rank_correlation(study.data, study.handling, study.loyalty_score)
    ratings = pd.to_numeric(study.data[study.handling], errors="coerce").dropna()
    # a column without a display name is named by its role, not by its code (e.g. CUSCO)
    rating = study.labels.get(study.handling)
    rating = rating if rating and rating != study.handling else _("satisfaction with complaint handling")
    return HandlingSection(
        title=title,
        table=by_rating,
        source=study.source,
        correlation=correlation,
        rating=rating,
        loyalty=study.label(study.loyalty_score),
        scale=study.scale,
        integer_rating=bool((ratings == ratings.round()).all()),
    )


# --- 7. word of mouth --------------------------------------------------------------------


def word_of_mouth_finding(table: pd.DataFrame) -> str:
    """One sentence on the ``share`` reading of :func:`~csat_analysis.complaints.word_of_mouth_by_status`.

    Parameters
    ----------
    table : DataFrame
        From :func:`~csat_analysis.complaints.word_of_mouth_by_status`.

    Returns
    -------
    str
        One Markdown sentence in the report's language.

    Examples
    --------
    >>> table = complaints.word_of_mouth_by_status(pd.DataFrame({"s": ["no_complaint", "resolved"]}), "s")
    >>> import textwrap
    >>> print(textwrap.fill(word_of_mouth_finding(table), 100))
    Under the TARP (1986) multipliers, 1 dissatisfied customer reaches about 12 people with a negative
    story and 1 satisfied customer about 5 with a positive one (assumed multipliers, not measured).
    """
    share = table[table["reading"] == "share"].set_index("story")
    dissatisfied, satisfied = (int(round(share.loc[story, "customers"])) for story in ("negative", "positive"))
    negative = ngettext(
        "{n} dissatisfied customer reaches about {people} people with a negative story",
        "{n} dissatisfied customers reach about {people} people with a negative story",
        dissatisfied,
    ).format(n=formatting.number(dissatisfied, 0), people=formatting.number(share.loc["negative", "people_reached"], 0))
    positive = ngettext(
        "{n} satisfied customer about {people} with a positive one",
        "{n} satisfied customers about {people} with a positive one",
        satisfied,
    ).format(n=formatting.number(satisfied, 0), people=formatting.number(share.loc["positive", "people_reached"], 0))
    return _(
        "Under the TARP (1986) multipliers, {negative} and {positive} (assumed multipliers, not measured)."
    ).format(negative=negative, positive=positive)


@dataclass
class WordOfMouthSection(Section):
    """People reached by negative and positive stories under TARP's multipliers.

    Attributes
    ----------
    title : str
        Heading of the section in the report.
    table : DataFrame
        People reached by negative and positive stories, for both readings of the
        multipliers (:func:`csat_analysis.complaints.word_of_mouth_by_status`).
    source : str
        The data-source line printed under the section's table and figure.
    multipliers : dict of str to float
        The word-of-mouth multipliers used.
    """

    multipliers: dict[str, float] = field(default_factory=lambda: dict(complaints.TARP_WORD_OF_MOUTH))

    references = ("tarp1986",)

    def _assumption(self, row) -> str:
        """The row's assumption in words (:func:`~csat_analysis.complaints.word_of_mouth` writes it in English)."""
        values = {**complaints.TARP_WORD_OF_MOUTH, **self.multipliers}
        share = values["retell_share"]
        fields = {
            "tell": f"{values['tell_dissatisfied']:g}",
            "retell": f"{values['retell_count']:g}",
            "share": formatting.percent(share, 0),
            "rest": formatting.percent(1 - share, 0),
            "satisfied": f"{values['tell_satisfied']:g}",
        }
        if row["story"] == "positive":
            return _("assumed (TARP 1986 multipliers): a satisfied customer tells {satisfied}").format(**fields)
        if row["reading"] == "cascade":
            return _(
                "assumed (TARP 1986 multipliers): each dissatisfied customer tells {tell}; {share} of those "
                "retell to {retell}"
            ).format(**fields)
        return _(
            "assumed (TARP 1986 multipliers): {rest} of dissatisfied customers tell {tell}, {share} tell {retell}"
        ).format(**fields)

    def tables(self) -> list:
        words = {
            "share": pgettext("word-of-mouth reading", "share"),
            "cascade": pgettext("word-of-mouth reading", "cascade"),
            "negative": pgettext("word-of-mouth story", "negative"),
            "positive": pgettext("word-of-mouth story", "positive"),
        }
        shown = self.table.assign(assumption=[self._assumption(row) for _index, row in self.table.iterrows()])
        shown = shown.assign(**{c: shown[c].map(lambda v: words.get(v, v)) for c in ("reading", "story")})
        return [
            _table(
                shown, _("Word of mouth: customers from the data x TARP (1986) multipliers (assumptions)"), self.source
            )
        ]

    def finding(self) -> str:
        return word_of_mouth_finding(self.table)


def word_of_mouth_section(study: ComplaintSettings) -> Section:
    """Word of mouth: dissatisfied and satisfied customers counted from the statuses, times the multipliers.

    Parameters
    ----------
    study : ComplaintSettings
        The resolved notebook parameters and data (from :func:`settings`).

    Returns
    -------
    WordOfMouthSection or Skipped
        People reached by stories under the multipliers.
        A :class:`~csat_analysis.studies.core.Skipped` note says why the section
        could not run on these data (e.g. a missing role) and what would fix it.
    """
    title = Message(N_("Word of mouth"))
    if study.status is None:
        return _no_status(study, title)
    table = complaints.word_of_mouth_by_status(study.data, study.status, **study.word_of_mouth)
    return WordOfMouthSection(title=title, table=table, source=study.source, multipliers=dict(study.word_of_mouth))
