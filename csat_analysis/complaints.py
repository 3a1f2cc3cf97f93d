"""Complaints and their resolution: funnel, TARP table, recovery paradox, churn by calls.

Every function takes a DataFrame plus column names and returns a tidy DataFrame (or a
small result object for a single test). Rates carry Wilson (1927) intervals from
:mod:`csat_analysis.metrics`; regressions use :mod:`csat_analysis.regression`. The
published benchmarks are those of Technical Assistance Research Programs (TARP),
*Consumer Complaint Handling in America: An Update Study*, U.S. Office of Consumer
Affairs, 1986, as commonly quoted: repurchase by complaint status and problem
severity (:data:`TARP_REPURCHASE_RATES`), the 4% voice rate, the escalation pyramid
and the word-of-mouth multipliers. The service-recovery paradox is that of
McCollough and Bharadwaj (1992); see the meta-analysis of de Matos, Henrique and
Rossi (2007), *Journal of Service Research* 10(1).

Complaint statuses follow the TARP study, plus customers who had no problem at all:
``no_problem``, ``no_complaint`` (had a problem, stayed silent), ``unresolved``,
``resolved``, ``resolved_quickly``. A survey that asks yes/no questions instead gets
them from :func:`derive_status`. With survey weights, rates use design-based
(Taylor-linearised) standard errors from :class:`csat_analysis.design.SurveyDesign`
and Wilson intervals on the effective size they imply (Korn and Graubard 1998),
and chi-square tests become Rao-Scott F tests (R ``survey::svychisq``); chi-square
tests report Cramér's V and the recovery paradox Cohen's h
(:mod:`csat_analysis.effsize`).

Examples
--------
>>> import pandas as pd
>>> from csat_analysis import complaints
>>> log = pd.DataFrame({
...     "complaint_status": ["no_problem", "no_complaint", "resolved", "resolved"],
...     "severity": [None, "minor", "major", "minor"],
...     "repurchase": [True, False, True, True],
... })
>>> table = complaints.repurchase_table(log, "repurchase", "complaint_status", "severity")
>>> table[["status", "severity", "n", "rate"]].to_string(index=False)
'      status severity  n  rate\\n  no_problem     none  1   1.0\\nno_complaint    minor  1   0.0\\n    resolved    major  1   1.0\\n    resolved    minor  1   1.0'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from ._validation import (
    check_choice,
    check_columns,
    critical_z,
    describe_offenders,
    read_flags,
    read_weights,
)
from .errors import ParameterError, SurveyDataError
from .metrics import proportion, rates, wilson_interval
from .regression import fit_logit, logistic
from .scaling import top_box as top_box_flags
from .survival import kaplan_meier, median_survival

__all__ = [
    "DISSATISFIED_STATUSES",
    "NO_SEVERITY",
    "SATISFIED_STATUSES",
    "SEVERITIES",
    "STATUSES",
    "TARP_FUNNEL_SHARES",
    "TARP_REPURCHASE_RATES",
    "TARP_VOICE_RATE",
    "TARP_WORD_OF_MOUTH",
    "RecoveryParadox",
    "TimeEffect",
    "call_threshold",
    "calls_model",
    "chi_square_tests",
    "churn_by_calls",
    "compare_funnel",
    "complaint_funnel",
    "derive_fast_status",
    "derive_status",
    "escalation_pyramid",
    "loyalty_by_rating",
    "outcome_by_resolution_time",
    "outcome_model",
    "paradox_by_severity",
    "rank_correlation",
    "recovery_paradox",
    "repurchase_table",
    "resolution_summary",
    "resolution_time_effect",
    "resolution_times",
    "status_counts",
    "tarp_table",
    "threshold_level",
    "word_of_mouth",
    "word_of_mouth_by_status",
]

#: complaint statuses in their natural order (the simulator's categories)
STATUSES = ("no_problem", "no_complaint", "unresolved", "resolved", "resolved_quickly")
#: problem severities of the TARP study: larger loss ("major"), smaller loss ("minor")
SEVERITIES = ("major", "minor")
#: severity label given to customers without a problem (they have no severity)
NO_SEVERITY = "none"

#: repurchase intentions of customers with a problem, by complaint status and problem
#: severity: TARP (1986), as commonly quoted
TARP_REPURCHASE_RATES = {
    "no_complaint": {"major": 0.09, "minor": 0.37},
    "unresolved": {"major": 0.19, "minor": 0.46},
    "resolved": {"major": 0.54, "minor": 0.74},
    "resolved_quickly": {"major": 0.82, "minor": 0.95},
}
#: share of customers with a problem who complain to the company: TARP (1986)
TARP_VOICE_RATE = 0.04
#: word-of-mouth multipliers, TARP (1986) as commonly quoted: a dissatisfied customer
#: tells 10 people, a minority of them (20%) tell 20, a satisfied customer tells 5
TARP_WORD_OF_MOUTH = {"tell_dissatisfied": 10, "retell_share": 0.2, "retell_count": 20, "tell_satisfied": 5}

_FUNNEL_STAGES = (
    "respondents",
    "problem",
    "complained",
    "resolved",
    "resolved_first_contact",
    "escalated",
    "top_management",
)


# --- input checks ----------------------------------------------------------------------


def _statuses(data: pd.DataFrame, status: str) -> pd.Categorical:
    values = data[status]
    bad = values.notna() & ~values.astype("object").isin(STATUSES)
    if bad.any():
        listed = ", ".join(map(repr, STATUSES))
        raise SurveyDataError(
            f"column {status!r}: unknown complaint status {describe_offenders(values, bad)}; valid: {listed}"
        )
    if values.isna().any():
        raise SurveyDataError(
            f"column {status!r}: missing complaint status {describe_offenders(values, values.isna())}"
        )
    return pd.Categorical(values.astype("object"), categories=STATUSES)


def _severities(data: pd.DataFrame, severity: str, statuses: pd.Categorical) -> pd.Series:
    """Severity labels; customers without a problem get :data:`NO_SEVERITY`."""
    values = data[severity].astype("object")
    no_problem = np.asarray(statuses == "no_problem")
    missing = values.isna() & ~no_problem
    if missing.any():
        raise SurveyDataError(
            f"column {severity!r}: severity is missing for customers who had a problem: "
            f"{describe_offenders(data[severity], missing)}"
        )
    return values.where(~no_problem, NO_SEVERITY).astype(str)


def _weights(data: pd.DataFrame, weights) -> np.ndarray:
    """Survey weights from a column name or a vector of one weight per row (ones when None)."""
    if weights is None or isinstance(weights, str):
        return read_weights(data, weights)
    values = pd.Series(
        np.asarray(weights, dtype=float).ravel(), index=data.index if len(weights) == len(data) else None
    )
    if len(values) != len(data):
        raise ParameterError(
            f"weights: {len(values)} values given for {len(data)} rows; give one weight per row or a column name"
        )
    bad = ~(values > 0)
    if bad.any():
        raise SurveyDataError(f"weights: weights must be positive numbers; got {describe_offenders(values, bad)}")
    return values.to_numpy(dtype=float)


def _is_weighted(w: np.ndarray) -> bool:
    return bool(len(w)) and not np.allclose(w, w[0])


def _design_n_eff(rate: np.ndarray, se: np.ndarray, fallback: np.ndarray) -> np.ndarray:
    """Effective sizes ``p (1 - p) / se²`` of design-based (Taylor-linearised) standard errors.

    Where the rate is 0 or 1 the standard error vanishes and the Kish size stands in.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        n_eff = rate * (1 - rate) / se**2
    return np.where(np.isfinite(n_eff) & (n_eff > 0), n_eff, fallback)


def _rates(frame: pd.DataFrame, keys: list[str], ci: float) -> pd.DataFrame:
    """:func:`csat_analysis.metrics.rates` of ``frame``'s ``y`` (0/1) weighted by ``w``, per ``keys``.

    With survey weights the standard errors are design-based (Taylor linearisation of
    :class:`csat_analysis.design.SurveyDesign`, as R ``survey::svyby``), and the Wilson
    interval uses the effective size they imply, ``p (1 - p) / se²`` (Korn and
    Graubard 1998), so it stays inside [0, 1].
    """
    table = rates(frame, "y", keys, weights=frame["w"].to_numpy(), ci=ci)
    table = table[[*keys, "n", "events", "rate", "n_eff", "low", "high"]]
    w = frame["w"].to_numpy(dtype=float)
    if _is_weighted(w) and len(table):
        from .design import SurveyDesign

        design = SurveyDesign(frame.assign(**{key: frame[key].astype(str) for key in keys}), weights=w, ci=ci)
        by = design.mean("y", by=keys).set_index(keys)["se"]
        lookup = pd.MultiIndex.from_frame(table[keys].astype(str)) if len(keys) > 1 else table[keys[0]].astype(str)
        se = by.reindex(lookup).to_numpy(dtype=float)
        n_eff = _design_n_eff(table["rate"].to_numpy(dtype=float), se, table["n_eff"].to_numpy(dtype=float))
        low, high = wilson_interval(table["rate"].to_numpy(dtype=float), n_eff, ci)
        table = table.assign(n_eff=n_eff, low=low, high=high)
    return table


def _outcome_frame(data: pd.DataFrame, outcome: str, weights) -> pd.DataFrame:
    check_columns(data, outcome, parameter="outcome")
    return pd.DataFrame({"y": read_flags(data, outcome), "w": _weights(data, weights)}, index=data.index)


# --- published benchmarks --------------------------------------------------------------


def tarp_table() -> pd.DataFrame:
    """:data:`TARP_REPURCHASE_RATES` as tidy rows: ``status``, ``severity``, ``rate``.

    Repurchase intentions by complaint status and problem severity from Technical
    Assistance Research Programs (TARP), *Consumer Complaint Handling in America: An
    Update Study*, U.S. Office of Consumer Affairs, 1986 (figures as commonly quoted).

    Returns
    -------
    DataFrame
        ``status``, ``severity``, ``rate``: the share intending to repurchase.

    Examples
    --------
    >>> tarp_table().query("status == 'resolved_quickly' and severity == 'minor'")["rate"].item()
    0.95
    """
    rows = [(s, sev, rate) for s, by_severity in TARP_REPURCHASE_RATES.items() for sev, rate in by_severity.items()]
    return pd.DataFrame(rows, columns=["status", "severity", "rate"])


def escalation_pyramid() -> pd.DataFrame:
    """The escalation pyramid for 500 dissatisfied customers quoted from TARP (1986), as a table.

    Returns
    -------
    DataFrame
        ``stage``, ``count``, ``share_of_previous``.

    Examples
    --------
    >>> escalation_pyramid()["count"].tolist()
    [500, 200, 50, 10, 2, 1]
    """
    stages = [
        ("dissatisfied customers", 500),
        ("complain to the front line", 200),
        ("still dissatisfied after the front line", 50),
        ("complain to middle management", 10),
        ("still dissatisfied after middle management", 2),
        ("complaint reaches top management", 1),
    ]
    table = pd.DataFrame(stages, columns=["stage", "count"])
    table["share_of_previous"] = table["count"] / table["count"].shift()
    return table


#: the published share for each funnel stage, on the same base as :func:`complaint_funnel`
#: (resolved at first contact = 1 - 50/200; escalated = 10 of 200 complainants; top
#: management = 1 of the 10 escalated). The pyramid's complain share (200/500 = 40%)
#: contradicts the 4% voice rate quoted from the same study; the voice rate is used here.
TARP_FUNNEL_SHARES = {
    "complained": TARP_VOICE_RATE,
    "resolved_first_contact": 1 - 50 / 200,
    "escalated": 10 / 200,
    "top_management": 1 / 10,
}


# --- 1. the complaint funnel ----------------------------------------------------------


def complaint_funnel(
    data: pd.DataFrame,
    *,
    problem: str = "problem",
    complained: str = "complained",
    first_contact: str | None = "resolved_first_contact",
    escalation: str | None = "escalation_level",
    resolved: str | None = None,
    weights=None,
    ci: float = 0.95,
) -> pd.DataFrame:
    """Problems -> complaints -> resolved (at first contact) -> escalated, with shares.

    The funnel has the stages the data support: ``problem`` and ``complained`` are
    needed (the voice rate); ``resolved``, ``first_contact`` and ``escalation`` add
    their stages when given (``None`` leaves a stage out).

    Parameters
    ----------
    data : DataFrame
        One row per customer.
    problem, complained : str
        Yes/no columns (True/False or 0/1; a survey description's ``labels`` recode text
        answers). ``complained`` may be missing where there was no problem (the question
        is usually asked only after one).
    first_contact : str, optional
        Yes/no column: resolved at first contact; may be missing for customers who did
        not complain.
    escalation : str, optional
        Integer column: 0 did not complain, 1 front line only, 2 reached middle
        management, 3 reached top management.
    resolved : str, optional
        Yes/no column: resolved at all; may be missing for customers who did not
        complain.
    weights : str or array-like, optional
        Survey weights: a column name or one weight per row; shares are weighted,
        counts are not.
    ci : float
        Confidence level of the Wilson intervals.

    Returns
    -------
    DataFrame
        One row per stage: ``stage``, ``of_stage`` (the stage the share is taken of),
        ``count``, ``share``, ``low``, ``high``. Stages: ``respondents``, ``problem``
        (of respondents), ``complained`` (of problem: the voice rate), ``resolved``
        (of complained), ``resolved_first_contact`` (of complained), ``escalated``
        (reached middle management or higher, of complained), ``top_management``
        (of escalated); those whose column is not given are left out.

    Examples
    --------
    >>> import pandas as pd
    >>> panel = pd.DataFrame({"problem": [False, True, True, True],
    ...                       "complained": [False, False, True, True],
    ...                       "resolved_first_contact": [None, None, True, False],
    ...                       "escalation_level": [0, 0, 1, 3]})
    >>> complaint_funnel(panel)[["stage", "count", "share"]].round(2).to_string(index=False)
    '                 stage  count  share\\n           respondents      4    NaN\\n               problem      3   0.75\\n            complained      2   0.67\\nresolved_first_contact      1   0.50\\n             escalated      1   0.50\\n        top_management      1   1.00'
    """
    optional = {"resolved": resolved, "resolved_first_contact": first_contact}
    check_columns(
        data,
        [c for c in (problem, complained, first_contact, escalation, resolved) if c is not None],
        parameter="complaint_funnel",
    )
    w = _weights(data, weights)
    has_problem = read_flags(data, problem).fillna(0).astype(bool).to_numpy()
    did_complain = read_flags(data, complained).fillna(0).astype(bool).to_numpy()
    inconsistent = did_complain & ~has_problem
    if inconsistent.any():
        raise SurveyDataError(
            f"column {complained!r} is true where {problem!r} is false: "
            f"{describe_offenders(data[complained], pd.Series(inconsistent, index=data.index))}"
        )
    members = {
        "respondents": np.ones(len(data), dtype=bool),
        "problem": has_problem,
        "complained": did_complain,
    }
    for stage, column in optional.items():
        if column is None:
            continue
        answer = read_flags(data, column)
        missing = did_complain & answer.isna().to_numpy()
        if missing.any():
            raise SurveyDataError(
                f"column {column!r} is missing for complainants: "
                f"{describe_offenders(data[column], pd.Series(missing, index=data.index))}"
            )
        members[stage] = did_complain & (answer.fillna(0).to_numpy() == 1)
    if escalation is not None:
        level = pd.to_numeric(data[escalation], errors="coerce")
        bad_level = ~level.isin([0, 1, 2, 3])
        if bad_level.any():
            raise SurveyDataError(
                f"column {escalation!r} must be 0, 1, 2 or 3; got {describe_offenders(data[escalation], bad_level)}"
            )
        level = level.to_numpy()
        members["escalated"] = did_complain & (level >= 2)
        members["top_management"] = did_complain & (level >= 3)
    bases = {
        "problem": "respondents",
        "complained": "problem",
        "resolved": "complained",
        "resolved_first_contact": "complained",
        "escalated": "complained",
        "top_management": "escalated",
    }
    rows = []
    for stage in (stage for stage in _FUNNEL_STAGES if stage in members):  # a few stages, not respondents
        base = bases.get(stage)
        if base is None:
            rows.append((stage, None, int(members[stage].sum()), np.nan, np.nan, np.nan))
            continue
        share, low, high = _domain_share(members[stage], members[base], w, ci)
        rows.append((stage, base, int(members[stage].sum()), share, low, high))
    return pd.DataFrame(rows, columns=["stage", "of_stage", "count", "share", "low", "high"])


def _domain_share(flags: np.ndarray, domain: np.ndarray, w: np.ndarray, ci: float) -> tuple[float, float, float]:
    """Share of ``flags`` within ``domain`` with a Wilson interval (weighted: design-based effective size)."""
    if not domain.any():
        return np.nan, np.nan, np.nan
    share = proportion(flags[domain], weights=w[domain], ci=ci)
    if not _is_weighted(w):
        return share.value, share.low, share.high
    from .design import SurveyDesign

    frame = pd.DataFrame({"y": flags.astype(float), "domain": domain})
    row = SurveyDesign(frame, weights=w, ci=ci).mean("y", by="domain").set_index("domain").loc[True]
    n_eff = float(_design_n_eff(np.array([row["value"]]), np.array([row["se"]]), np.array([share.n_eff]))[0])
    low, high = wilson_interval(row["value"], n_eff, ci)
    return float(row["value"]), low, high


def compare_funnel(funnel: pd.DataFrame, published: dict[str, float] | None = None) -> pd.DataFrame:
    """Put published shares (default: :data:`TARP_FUNNEL_SHARES`) beside an observed :func:`complaint_funnel`.

    Returns the funnel's stages that ``published`` quantifies, with
    ``published_share`` and ``published_in_interval`` (whether the published share
    lies inside the observed interval).

    Parameters
    ----------
    funnel : DataFrame
        A :func:`complaint_funnel` table.
    published : dict of str to float, optional
        Published share per stage (default: :data:`TARP_FUNNEL_SHARES`).

    Returns
    -------
    DataFrame
        The stages that ``published`` quantifies, with ``published_share`` and
        ``published_in_interval`` (whether the published share lies inside the observed interval).

    Examples
    --------
    >>> import pandas as pd
    >>> funnel = pd.DataFrame({"stage": ["complained"], "of_stage": ["problem"], "count": [40],
    ...                        "share": [0.04], "low": [0.03], "high": [0.05]})
    >>> bool(compare_funnel(funnel)["published_in_interval"].item())
    True
    """
    published = TARP_FUNNEL_SHARES if published is None else published
    table = funnel[funnel["stage"].isin(list(published))].copy()
    table["published_share"] = table["stage"].map(published)
    inside = (table["low"] <= table["published_share"]) & (table["published_share"] <= table["high"])
    table["published_in_interval"] = inside
    return table.reset_index(drop=True)


# --- 2. the TARP table -----------------------------------------------------------------


def derive_status(
    data: pd.DataFrame,
    *,
    problem: str,
    complained: str,
    resolved: str | None = None,
    resolved_quickly: str | None = None,
    resolution_hours: str | None = None,
    fast_hours: float = 24.0,
) -> pd.Series:
    """The complaint status of each customer, derived from yes/no answers (and times).

    For surveys that ask "did you have a problem?", "did you complain?" and "was it
    resolved?" instead of coding a status: no problem gives ``no_problem``; a problem
    without a complaint ``no_complaint``; a complaint not resolved ``unresolved``; a
    resolved complaint ``resolved_quickly`` when ``resolved_quickly`` is true (or its
    ``resolution_hours`` are at most ``fast_hours``), else ``resolved``. Without a
    ``resolved`` column a complaint with a resolution time counts as resolved and one
    without as unresolved.

    Parameters
    ----------
    data : DataFrame
    problem, complained : str
        Yes/no columns (True/False or 0/1; a survey description's ``labels`` recode text
        answers). ``complained`` may be missing where there was no problem.
    resolved, resolved_quickly : str, optional
        Yes/no columns, needed for complainants only.
    resolution_hours : str, optional
        Hours to resolution (quick when at most ``fast_hours``).
    fast_hours : float

    Returns
    -------
    Series
        Categorical statuses (categories :data:`STATUSES`), named ``complaint_status``.

    Raises
    ------
    SurveyDataError
        A complaint where no problem is recorded, a missing problem or complaint
        answer, or a complainant without the resolution answer the derivation needs.

    Examples
    --------
    >>> import pandas as pd
    >>> survey = pd.DataFrame({"problem": [0, 1, 1, 1, 1], "complained": [0, 0, 1, 1, 1],
    ...                        "resolved": [None, None, 0, 1, 1],
    ...                        "hours": [None, None, None, 60, 5]})
    >>> derive_status(survey, problem="problem", complained="complained", resolved="resolved",
    ...               resolution_hours="hours").tolist()
    ['no_problem', 'no_complaint', 'unresolved', 'resolved', 'resolved_quickly']
    """
    named = {
        "problem": problem,
        "complained": complained,
        "resolved": resolved,
        "resolved_quickly": resolved_quickly,
        "resolution_hours": resolution_hours,
    }
    check_columns(data, [c for c in named.values() if c is not None], parameter="derive_status")
    if resolved is None and resolution_hours is None:
        raise ParameterError("derive_status: give `resolved` or `resolution_hours` to tell resolved complaints apart")
    if not (isinstance(fast_hours, (int, float)) and fast_hours > 0):
        raise ParameterError(f"fast_hours={fast_hours!r} must be a positive number of hours")
    problem_answer = read_flags(data, problem, parameter="problem")
    if problem_answer.isna().any():
        raise SurveyDataError(
            f"column {problem!r} (problem): missing answers {describe_offenders(data[problem], problem_answer.isna())}"
        )
    has_problem = problem_answer.to_numpy() == 1
    # the complaint question is usually asked only after a problem: missing means no for the others
    complaint_answer = read_flags(data, complained, parameter="complained")
    missing = has_problem & complaint_answer.isna().to_numpy()
    if missing.any():
        raise SurveyDataError(
            f"column {complained!r} (complained): missing for customers with a problem "
            f"{describe_offenders(data[complained], pd.Series(missing, index=data.index))}"
        )
    did_complain = complaint_answer.fillna(0).to_numpy() == 1
    inconsistent = did_complain & ~has_problem
    if inconsistent.any():
        raise SurveyDataError(
            f"column {complained!r} is yes where {problem!r} is no: "
            f"{describe_offenders(data[complained], pd.Series(inconsistent, index=data.index))}"
        )
    hours = pd.to_numeric(data[resolution_hours], errors="coerce").to_numpy(dtype=float) if resolution_hours else None
    if resolved is not None:
        answer = read_flags(data, resolved, parameter="resolved")
        missing = did_complain & answer.isna().to_numpy()
        if missing.any():
            raise SurveyDataError(
                f"column {resolved!r}: missing for complainants "
                f"{describe_offenders(data[resolved], pd.Series(missing, index=data.index))}"
            )
        is_resolved = did_complain & (answer.fillna(0).to_numpy() == 1)
    else:
        is_resolved = did_complain & ~np.isnan(hours)
    if resolved_quickly is not None:
        answer = read_flags(data, resolved_quickly, parameter="resolved_quickly")
        missing = is_resolved & answer.isna().to_numpy()
        if missing.any():
            raise SurveyDataError(
                f"column {resolved_quickly!r}: missing for resolved complaints "
                f"{describe_offenders(data[resolved_quickly], pd.Series(missing, index=data.index))}"
            )
        quick = is_resolved & (answer.fillna(0).to_numpy() == 1)
    elif hours is not None:
        missing = is_resolved & np.isnan(hours)
        if missing.any():
            raise SurveyDataError(
                f"column {resolution_hours!r}: resolved complaints without a resolution time: "
                f"{describe_offenders(data[resolution_hours], pd.Series(missing, index=data.index))}"
            )
        with np.errstate(invalid="ignore"):
            quick = is_resolved & (hours <= fast_hours)
    else:
        quick = np.zeros(len(data), dtype=bool)
    statuses = np.select(
        [~has_problem, ~did_complain, ~is_resolved, quick],
        ["no_problem", "no_complaint", "unresolved", "resolved_quickly"],
        "resolved",
    )
    return pd.Series(pd.Categorical(statuses, categories=STATUSES), index=data.index, name="complaint_status")


def derive_fast_status(data: pd.DataFrame, status: str, hours: str, fast_hours: float) -> pd.Series:
    """Split ``resolved`` into ``resolved`` and ``resolved_quickly`` by resolution time.

    For a complaint log whose status column has no ``resolved_quickly``: a resolved
    complaint counts as quick when ``hours <= fast_hours``.

    Parameters
    ----------
    data : DataFrame
        One row per customer (or per complaint).
    status : str
        Complaint status column (values from :data:`STATUSES`).
    hours : str
        Hours from complaint to resolution (missing while open).
    fast_hours : float
        Resolution time (hours) at or below which a resolution counts as quick.

    Returns
    -------
    Series
        The statuses, categorical over :data:`STATUSES`, with quick resolutions as ``resolved_quickly``.

    Raises
    ------
    SurveyDataError
        If a resolved complaint has no resolution time.

    Examples
    --------
    >>> import pandas as pd
    >>> log = pd.DataFrame({"status": ["resolved", "resolved", "unresolved"], "hours": [3.0, 48.0, None]})
    >>> derive_fast_status(log, "status", "hours", 24).tolist()
    ['resolved_quickly', 'resolved', 'unresolved']
    """
    check_columns(data, [status, hours], parameter="derive_fast_status")
    statuses = pd.Series(np.asarray(_statuses(data, status), dtype=object), index=data.index)
    if not fast_hours > 0:
        raise ParameterError(f"fast_hours={fast_hours!r} must be a positive number of hours")
    resolved = statuses.isin(["resolved", "resolved_quickly"])
    time = pd.to_numeric(data[hours], errors="coerce")
    missing = resolved & time.isna()
    if missing.any():
        raise SurveyDataError(
            f"column {hours!r}: resolved complaints without a resolution time: {describe_offenders(data[hours], missing)}"
        )
    quick = resolved & (time <= fast_hours)
    statuses = statuses.where(~resolved, "resolved").where(~quick, "resolved_quickly")
    return pd.Series(pd.Categorical(statuses, categories=STATUSES), index=data.index, name=status)


def repurchase_table(
    data: pd.DataFrame,
    outcome: str,
    status: str,
    severity: str | None,
    *,
    weights=None,
    ci: float = 0.95,
) -> pd.DataFrame:
    """Outcome rate by complaint status x severity: the TARP table rebuilt from data.

    Parameters
    ----------
    data : DataFrame
    outcome : str
        Boolean (or 0/1) outcome, e.g. ``repurchase`` or ``churned``. Rows where it is
        missing are left out.
    status : str
        Complaint status column; values from :data:`STATUSES`.
    severity : str or None
        Problem severity column (missing allowed only for ``no_problem``, which gets
        the severity ``"none"``). ``None``: one row per status (severity ``"all"``).
    weights : str or array-like, optional
        Survey weights (a column name or one weight per row); intervals then use the
        effective size of the design-based standard error (``n_eff``).
    ci : float

    Returns
    -------
    DataFrame
        ``status``, ``severity``, ``n``, ``events``, ``rate``, ``n_eff``, ``low``,
        ``high``, in status order.

    Examples
    --------
    >>> import pandas as pd
    >>> log = pd.DataFrame({"status": ["resolved"] * 4, "sev": ["minor"] * 4, "rep": [1, 1, 1, 0]})
    >>> row = repurchase_table(log, "rep", "status", "sev").iloc[0]
    >>> float(row["rate"]), round(float(row["low"]), 3)
    (0.75, 0.301)
    """
    check_columns(data, [c for c in (outcome, status, severity) if c is not None], parameter="repurchase_table")
    frame = _outcome_frame(data, outcome, weights)
    statuses = _statuses(data, status)
    frame["status"] = statuses
    frame["severity"] = _severities(data, severity, statuses).to_numpy() if severity is not None else "all"
    frame = frame[frame["y"].notna()]
    table = _rates(frame, ["status", "severity"], ci)
    table["status"] = table["status"].astype(str)
    return table


def chi_square_tests(
    data: pd.DataFrame, outcome: str, status: str, severity: str | None = None, *, weights=None
) -> pd.DataFrame:
    """Chi-square test of independence of outcome and complaint status, per severity, with Cramér's V.

    Within each severity, a status x outcome contingency table over the statuses
    present (customers without a problem have no severity and are left out) is tested
    with Pearson's statistic (no continuity correction); the p-value is the upper tail
    ``chi2.sf``, exact far below 1e-16. Cramér's V and its interval come from
    :func:`csat_analysis.effsize.cramers_v_table`. ``severity=None``: one test over all
    customers (severity ``"all"``, customers without a problem included).

    With ``weights`` the test is design-based: the Rao-Scott (1984) second-order
    corrected F test of R ``survey::svychisq`` (:meth:`csat_analysis.design.SurveyDesign.chisq`),
    each severity's customers taken as a weighted sample of their own (R:
    ``svychisq(~status + outcome, svydesign(ids=~1, weights=~w, data=those rows))``).
    Pearson's X² of counts ignores the weights, and treating weighted counts as
    counts overstates the evidence. Cramér's V is then that of the weighted table
    scaled to the ``n`` customers tested, with its noncentral chi-square interval on
    that table (the interval does not reflect the design).

    Parameters
    ----------
    data : DataFrame
        One row per customer (or per complaint).
    outcome : str
        Yes/no outcome column (True/False or 0/1), e.g. repurchase intention.
    status : str
        Complaint status column (values from :data:`STATUSES`).
    severity : str, optional
        Problem severity column; one test per severity. None: one test over all customers.
    weights : str or array-like, optional
        Survey weights: a column name or one weight per row. Given, the tests are
        Rao-Scott F tests.

    Returns
    -------
    DataFrame
        ``severity``, ``n``, ``statuses`` (how many), ``statistic`` (Pearson's
        chi-square), ``dof``, ``p_value``, ``cramers_v``, ``low``, ``high`` (its
        interval). A severity with fewer than two statuses or one outcome has NaN.
        With ``weights``: ``severity``, ``n``, ``statuses``, ``test`` ("Rao-Scott F"),
        ``statistic`` (the F), ``dof`` and ``dof_denominator`` (the F's degrees of
        freedom, not integers), ``p_value``, ``cramers_v``, ``low``, ``high``.

    Examples
    --------
    >>> import pandas as pd
    >>> log = pd.DataFrame({"s": ["resolved"] * 20 + ["unresolved"] * 20, "sev": ["major"] * 40,
    ...                     "rep": [1] * 15 + [0] * 5 + [1] * 5 + [0] * 15})
    >>> row = chi_square_tests(log, "rep", "s", "sev").iloc[0]
    >>> round(float(row["statistic"]), 4), round(float(row["p_value"]), 4), round(float(row["cramers_v"]), 4)
    (10.0, 0.0016, 0.5)
    >>> weighted = chi_square_tests(log, "rep", "s", "sev", weights=[1.0, 3.0] * 20).iloc[0]
    >>> weighted["test"], round(float(weighted["statistic"]), 3), round(float(weighted["dof_denominator"]), 1)
    ('Rao-Scott F', 7.894, 39.0)
    """
    from .effsize import cramers_v_table

    check_columns(data, [c for c in (outcome, status, severity) if c is not None], parameter="chi_square_tests")
    y = read_flags(data, outcome)
    statuses = _statuses(data, status)
    if severity is None:
        severities = pd.Series("all", index=data.index)
    else:
        severities = _severities(data, severity, statuses)
    weighted = weights is not None
    frame = pd.DataFrame(
        {"y": y, "status": np.asarray(statuses, dtype=object), "severity": severities, "w": _weights(data, weights)}
    )
    frame = frame[frame["y"].notna() & (frame["severity"] != NO_SEVERITY)]
    rows = []
    for level, group in frame.groupby("severity", sort=True):  # a few severities, not respondents
        counts = pd.crosstab(group["status"], group["y"])
        row = {"severity": level, "n": len(group), "statuses": counts.shape[0]}
        if counts.shape[0] < 2 or counts.shape[1] < 2:
            rows.append(row)
            continue
        if weighted:
            from .design import SurveyDesign

            design = SurveyDesign(group[["status", "y"]], weights=group["w"].to_numpy())
            test = design.chisq("status", "y", statistic="F")
            effect = cramers_v_table(test.table.to_numpy()).iloc[0]
            row.update(statistic=test.statistic, dof=test.dof, dof_denominator=test.dof_denominator)
            row["p_value"] = test.p_value
        else:
            effect = cramers_v_table(counts.to_numpy()).iloc[0]
            row.update(statistic=float(effect["statistic"]), dof=int(effect["dof"]), p_value=float(effect["p_value"]))
        row.update(cramers_v=float(effect["value"]), low=float(effect["low"]), high=float(effect["high"]))
        rows.append(row)
    columns = ["severity", "n", "statuses", "statistic", "dof", "p_value", "cramers_v", "low", "high"]
    if weighted:
        columns = [*columns[:3], "test", *columns[3:5], "dof_denominator", *columns[5:]]
    table = pd.DataFrame(rows, columns=columns)
    if weighted:
        table["test"] = "Rao-Scott F"
    return table


def _odds_ratio_columns(result) -> pd.DataFrame:
    return result.odds_ratios[["term", "coef", "odds_ratio", "low", "high", "p_value"]]


def _known_outcome(data: pd.DataFrame, outcome: str) -> pd.Series:
    """Rows whose outcome is known (a missing outcome leaves the row out, as in the rate tables)."""
    return read_flags(data, outcome, parameter="outcome").notna()


def outcome_model(
    data: pd.DataFrame,
    outcome: str,
    status: str,
    severity: str | None = None,
    covariates: Sequence[str] = (),
    *,
    reference: str = "no_problem",
    ci: float = 0.95,
) -> pd.DataFrame:
    """Logistic regression of the outcome on complaint status, severity and covariates.

    Fitted with :func:`csat_analysis.regression.logistic`, which names the terms.
    Status enters as treatment dummies against ``reference`` (terms ``status: resolved``
    and so on). Severity enters as one indicator per non-``minor`` level (term
    ``severity: major``):
    customers without a problem have no severity, so their indicator is 0 and the
    status dummies absorb them; the severity odds ratio therefore compares a major
    with a minor problem at the same status. Covariates are named as they are
    (``segment: b`` for a level, the column name for a number). Rows with a missing
    outcome are left out; a missing covariate is a :class:`SurveyDataError`. The model
    is unweighted.

    Parameters
    ----------
    data : DataFrame
        One row per customer (or per complaint).
    outcome : str
        Yes/no outcome column (True/False or 0/1), e.g. repurchase intention.
    status : str
        Complaint status column (values from :data:`STATUSES`).
    severity : str, optional
        Problem severity column.
    covariates : sequence of str
        Further columns entering the model.
    reference : str
        The status the others are compared with.
    ci : float
        Confidence level.

    Returns
    -------
    DataFrame
        ``term``, ``coef``, ``odds_ratio``, ``low``, ``high``, ``p_value`` (no intercept).

    Examples
    --------
    >>> import pandas as pd
    >>> log = pd.DataFrame({"s": ["no_problem"] * 4 + ["resolved"] * 4, "rep": [1, 1, 1, 0, 1, 0, 0, 0]})
    >>> round(outcome_model(log, "rep", "s")["odds_ratio"].item(), 4)  # (1/3) / (3/1)
    0.1111
    """
    check_columns(data, [c for c in (outcome, status, severity) if c is not None], parameter="outcome_model")
    covariates = check_columns(data, list(covariates), parameter="covariates")
    statuses = _statuses(data, status)
    present = [s for s in STATUSES if (statuses == s).any()]
    check_choice("reference", reference, present, error=ParameterError)
    frame = data[covariates].copy()
    frame[outcome] = data[outcome]
    frame["status"] = pd.Categorical(np.asarray(statuses, dtype=object), categories=present)
    terms = ["status"]
    if severity is not None:
        severities = _severities(data, severity, statuses)
        for level in sorted(set(severities) - {NO_SEVERITY, "minor"}):
            frame[f"severity: {level}"] = (severities == level).astype(int).to_numpy()
            terms.append(f"severity: {level}")
    frame = frame[_known_outcome(data, outcome).to_numpy()]
    result = logistic(frame, outcome, terms + covariates, reference={"status": reference}, ci=ci)
    return _odds_ratio_columns(result)


# --- 3. the service-recovery paradox ----------------------------------------------------


@dataclass(frozen=True)
class RecoveryParadox:
    """Outcome rate of quickly resolved complainants against customers with no problem.

    ``difference = fast_rate - baseline_rate`` with a Newcombe hybrid score interval
    (built from the two Wilson intervals) and a two-sided two-proportion z-test.
    ``verdict`` reads the interval: ``"supported"`` when it lies wholly on the loyal
    side of zero, ``"contradicted"`` when wholly on the other side, otherwise
    ``"inconclusive"``. With survey weights the interval and test are design-based
    (Taylor-linearised standard errors of the two domain shares, as R ``survey``).
    ``cohens_h`` is the effect size ``2 asin(sqrt(fast_rate)) - 2 asin(sqrt(baseline_rate))``
    (Cohen 1988) with its normal interval (variance ``1/n`` per group, effective sizes
    with weights).

    Attributes
    ----------
    fast_rate, baseline_rate : float
        Outcome rates of the quickly resolved complainants and of the baseline group.
    n_fast, n_baseline : int
        Customers in each group (with a known outcome).
    difference : float
        ``fast_rate - baseline_rate``.
    low, high : float
        Newcombe hybrid score interval of the difference.
    p_value : float
        Two-sided two-proportion z-test.
    verdict : str
        ``"supported"``, ``"contradicted"`` or ``"inconclusive"``.
    higher_is_better : bool
        Whether a higher outcome rate means more loyal.
    bootstrap_low, bootstrap_high : float
        Percentile bootstrap interval of the difference (missing without a bootstrap).
    extra : dict
        Further details kept for the notebooks (left out of :meth:`to_dict`).
    cohens_h, cohens_h_low, cohens_h_high : float
        Cohen's h and its interval.
    """

    fast_rate: float
    baseline_rate: float
    n_fast: int
    n_baseline: int
    difference: float
    low: float
    high: float
    p_value: float
    verdict: str
    higher_is_better: bool = True
    bootstrap_low: float = float("nan")
    bootstrap_high: float = float("nan")
    extra: dict = field(default_factory=dict, repr=False)
    cohens_h: float = float("nan")
    cohens_h_low: float = float("nan")
    cohens_h_high: float = float("nan")

    def to_dict(self) -> dict:
        """The fields as a plain dict (for ``report.record``).

        Returns
        -------
        dict
            Every field except ``extra``.
        """
        out = asdict(self)
        out.pop("extra")
        return out


def _newcombe(p1: float, n1: float, p2: float, n2: float, ci: float) -> tuple[float, float]:
    l1, u1 = wilson_interval(p1, n1, ci)
    l2, u2 = wilson_interval(p2, n2, ci)
    d = p1 - p2
    return (d - np.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2), d + np.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2))


def recovery_paradox(
    data: pd.DataFrame,
    outcome: str,
    status: str,
    *,
    fast: str = "resolved_quickly",
    baseline: str = "no_problem",
    higher_is_better: bool = True,
    weights=None,
    bootstrap: int = 0,
    seed: int = 0,
    ci: float = 0.95,
) -> RecoveryParadox:
    """Test whether quickly resolved complainants are more loyal than customers with no problem.

    Parameters
    ----------
    data : DataFrame
        One row per customer (or per complaint).
    outcome : str
        Boolean outcome. ``higher_is_better=False`` for churn-type outcomes, so that
        "more loyal" means a lower rate.
    status : str
        Complaint status column.
    fast, baseline : str
        The two statuses compared.
    higher_is_better : bool
        False for churn-type outcomes, so that "more loyal" means a lower rate.
    weights : str or array-like, optional
        Survey weights (a column name or one weight per row); rates are weighted and the
        effective sizes of their design-based standard errors replace the counts in the
        interval, the test and Cohen's h.
    bootstrap : int
        If positive, also a percentile bootstrap interval for the difference from this
        many resamples (for a binary outcome, resampling a group amounts to a binomial
        draw at its observed rate; vectorised).
    seed : int
        Seed of the bootstrap.
    ci : float
        Confidence level.

    Returns
    -------
    RecoveryParadox
        The two rates, their difference with its interval, the test and the verdict.

    References
    ----------
    Wilson, E. B. (1927). Probable inference, the law of succession, and statistical
    inference. *Journal of the American Statistical Association*, 22(158), 209-212.

    Newcombe, R. G. (1998). Interval estimation for the difference between independent
    proportions: comparison of eleven methods. *Statistics in Medicine*, 17(8), 873-890.

    Examples
    --------
    >>> import pandas as pd
    >>> log = pd.DataFrame({"s": ["resolved_quickly"] * 70 + ["no_problem"] * 80,
    ...                     "rep": [1] * 56 + [0] * 14 + [1] * 48 + [0] * 32})
    >>> result = recovery_paradox(log, "rep", "s")
    >>> round(result.difference, 2), round(result.low, 4), round(result.high, 4), result.verdict
    (0.2, 0.0524, 0.3339, 'supported')
    """
    from statsmodels.stats.proportion import proportions_ztest

    check_columns(data, [outcome, status], parameter="recovery_paradox")
    statuses = _statuses(data, status)
    check_choice("fast", fast, STATUSES, error=ParameterError)
    check_choice("baseline", baseline, STATUSES, error=ParameterError)
    frame = _outcome_frame(data, outcome, weights)
    frame["status"] = np.asarray(statuses, dtype=object)
    frame = frame[frame["y"].notna()]
    groups = {}
    for name in (fast, baseline):
        group = frame[frame["status"] == name]
        if group.empty:
            raise SurveyDataError(f"recovery_paradox: no customers with status {name!r} and a known {outcome!r}")
        rate = proportion(group["y"], weights=group["w"].to_numpy(), ci=ci)
        groups[name] = (rate.value, rate.n_eff, rate.n)
    (p1, m1, n1), (p2, m2, n2) = groups[fast], groups[baseline]
    w = frame["w"].to_numpy(dtype=float)
    if _is_weighted(w):
        from .design import SurveyDesign

        # domain shares of one design: each respondent is its own unit, so the two domains' errors are independent
        by = SurveyDesign(frame, weights=w, ci=ci).mean("y", by="status").set_index("status")["se"]
        m1, m2 = (
            float(_design_n_eff(np.array([p]), np.array([by[name]]), np.array([m]))[0])
            for p, name, m in ((p1, fast, m1), (p2, baseline, m2))
        )
    low, high = _newcombe(p1, m1, p2, m2, ci)
    if p1 == p2 and p1 in (0.0, 1.0):
        p_value = 1.0
    else:
        p_value = float(proportions_ztest([p1 * m1, p2 * m2], [m1, m2])[1])
    h = float(2 * np.arcsin(np.sqrt(p1)) - 2 * np.arcsin(np.sqrt(p2)))
    h_half = critical_z(ci) * float(np.sqrt(1 / m1 + 1 / m2))
    loyal_low, loyal_high = (low, high) if higher_is_better else (-high, -low)
    verdict = "supported" if loyal_low > 0 else "contradicted" if loyal_high < 0 else "inconclusive"
    boot = (np.nan, np.nan)
    if bootstrap > 0:
        rng = np.random.default_rng(seed)
        draws = rng.binomial(n1, p1, bootstrap) / n1 - rng.binomial(n2, p2, bootstrap) / n2
        boot = tuple(np.quantile(draws, [(1 - ci) / 2, (1 + ci) / 2]))
    return RecoveryParadox(
        p1,
        p2,
        n1,
        n2,
        p1 - p2,
        float(low),
        float(high),
        p_value,
        verdict,
        higher_is_better,
        float(boot[0]),
        float(boot[1]),
        {"n_eff_fast": m1, "n_eff_baseline": m2},
        h,
        h - h_half,
        h + h_half,
    )


def paradox_by_severity(
    data: pd.DataFrame,
    outcome: str,
    status: str,
    severity: str,
    *,
    higher_is_better: bool = True,
    weights=None,
    ci: float = 0.95,
) -> pd.DataFrame:
    """:func:`recovery_paradox` within each problem severity (quick complainants of that severity vs no problem).

    The pooled comparison mixes major and minor problems; this splits it. A severity
    without quickly resolved complainants is left out.

    Parameters
    ----------
    data : DataFrame
        One row per customer (or per complaint).
    outcome : str
        Yes/no outcome column (True/False or 0/1), e.g. repurchase intention.
    status : str
        Complaint status column (values from :data:`STATUSES`).
    severity : str
        Problem severity column.
    higher_is_better : bool
        False for churn-type outcomes (a lower rate is more loyal).
    weights : str or array-like, optional
        Survey weights: a column name or one weight per row.
    ci : float
        Confidence level.

    Returns
    -------
    DataFrame
        ``severity``, ``fast_rate``, ``baseline_rate``, ``n_fast``, ``n_baseline``,
        ``difference``, ``low``, ``high``, ``p_value``, ``verdict``.

    See Also
    --------
    recovery_paradox : The pooled comparison.

    Examples
    --------
    >>> import pandas as pd
    >>> log = pd.DataFrame({"s": ["no_problem"] * 4 + ["resolved_quickly"] * 4,
    ...                     "sev": [None] * 4 + ["major", "major", "minor", "minor"], "rep": [1, 0, 1, 0, 1, 1, 1, 0]})
    >>> paradox_by_severity(log, "rep", "s", "sev")[["severity", "difference"]].values.tolist()
    [['major', 0.5], ['minor', 0.0]]
    """
    check_columns(data, [outcome, status, severity], parameter="paradox_by_severity")
    statuses = np.asarray(_statuses(data, status), dtype=object)
    severities = _severities(data, severity, pd.Categorical(statuses, categories=STATUSES)).to_numpy()
    w = _weights(data, weights)
    columns = ["fast_rate", "baseline_rate", "n_fast", "n_baseline", "difference", "low", "high", "p_value", "verdict"]
    rows = []
    for level in SEVERITIES:  # two severities: a loop over groups, not respondents
        keep = (statuses == "no_problem") | (severities == level)
        if (statuses[keep] == "resolved_quickly").any():
            result = recovery_paradox(
                data[keep], outcome, status, higher_is_better=higher_is_better, weights=w[keep], ci=ci
            )
            rows.append({"severity": level, **{c: getattr(result, c) for c in columns}})
    return pd.DataFrame(rows, columns=["severity", *columns])


# --- 4. resolution time ----------------------------------------------------------------


def _durations(data: pd.DataFrame, hours: str, open_hours: str | None) -> pd.DataFrame:
    check_columns(data, [c for c in (hours, open_hours) if c is not None], parameter="resolution_times")
    resolved_after = pd.to_numeric(data[hours], errors="coerce")
    still_open = pd.to_numeric(data[open_hours], errors="coerce") if open_hours else pd.Series(np.nan, index=data.index)
    both = resolved_after.notna() & still_open.notna()
    if both.any():
        raise SurveyDataError(
            f"columns {hours!r} and {open_hours!r} are both set (a complaint is either resolved or open): "
            f"{describe_offenders(data[hours], both)}"
        )
    time = resolved_after.fillna(still_open)
    negative = time < 0
    if negative.any():
        raise SurveyDataError(f"negative durations in {hours!r}/{open_hours!r}: {describe_offenders(time, negative)}")
    keep = time.notna()
    return pd.DataFrame({"time": time[keep], "resolved": resolved_after[keep].notna().astype(int)})


def resolution_times(
    data: pd.DataFrame, hours: str = "resolution_hours", open_hours: str | None = "hours_open", *, ci: float = 0.95
) -> pd.DataFrame:
    """Kaplan-Meier curve of the time to resolve a complaint.

    Resolved complaints are events at ``hours``; complaints still open are censored at
    ``open_hours`` (hours open so far). Rows with neither (customers who did not
    complain) are left out. Estimated with statsmodels' ``SurvfuncRight``; pointwise
    intervals use the log(-log) transform (they stay inside [0, 1]).

    Parameters
    ----------
    data : DataFrame
        One row per customer (or per complaint).
    hours : str
        Hours from complaint to resolution (missing while open).
    open_hours : str, optional
        Hours open so far, for complaints not yet resolved (censored).
    ci : float
        Confidence level.

    Returns
    -------
    DataFrame
        One row per distinct resolution time: ``hours``, ``at_risk``, ``resolved``,
        ``unresolved_share`` (the Kaplan-Meier survival: share still unresolved),
        ``low``, ``high``.

    Examples
    --------
    >>> import pandas as pd
    >>> log = pd.DataFrame({"h": [1.0, 2.0, None, 4.0], "open": [None, None, 3.0, None]})
    >>> resolution_times(log, "h", "open")["unresolved_share"].round(3).tolist()
    [0.75, 0.5, 0.0]
    """
    frame = _durations(data, hours, open_hours)
    if frame["resolved"].sum() == 0:
        raise SurveyDataError("resolution_times: no resolved complaint, so there is no curve to estimate")
    curve = kaplan_meier(frame, "time", "resolved", ci=ci).iloc[1:]  # without the start row at time 0
    curve = curve.rename(columns={"time": "hours", "events": "resolved", "survival": "unresolved_share"})
    return curve[["hours", "at_risk", "resolved", "unresolved_share", "low", "high"]].reset_index(drop=True)


def resolution_summary(
    data: pd.DataFrame,
    hours: str = "resolution_hours",
    open_hours: str | None = "hours_open",
    *,
    fast_hours: float = 24.0,
    ci: float = 0.95,
) -> pd.DataFrame:
    """One-row summary of resolution times: counts, Kaplan-Meier median and fast share.

    Parameters
    ----------
    data : DataFrame
        One row per customer (or per complaint).
    hours : str
        Hours from complaint to resolution (missing while open).
    open_hours : str, optional
        Hours open so far, for complaints not yet resolved (censored).
    fast_hours : float
        The time limit of a quick resolution, in hours.
    ci : float
        Confidence level.

    Returns
    -------
    DataFrame
        ``complaints``, ``resolved``, ``still_open``, ``median_hours`` (Kaplan-Meier
        median, statsmodels' convention: the first time the curve falls below 0.5,
        with its ``median_low``/``median_high`` interval),
        ``resolved_within_fast`` (Kaplan-Meier share resolved by ``fast_hours``).

    See Also
    --------
    resolution_times : The whole Kaplan-Meier curve.

    Examples
    --------
    >>> import pandas as pd
    >>> log = pd.DataFrame({"h": [1.0, 2.0, None, 4.0, 5.0], "open": [None, None, 3.0, None, None]})
    >>> resolution_summary(log, "h", "open", fast_hours=2)[["complaints", "median_hours", "resolved_within_fast"]].round(6).values.tolist()
    [[5.0, 4.0, 0.4]]
    """
    frame = _durations(data, hours, open_hours)
    median = median_survival(frame, "time", "resolved", ci=ci).iloc[0]
    curve = kaplan_meier(frame, "time", "resolved", ci=ci)
    unresolved = curve.loc[curve["time"] <= fast_hours, "survival"].iloc[-1]
    return pd.DataFrame(
        [
            {
                "complaints": len(frame),
                "resolved": int(frame["resolved"].sum()),
                "still_open": int((1 - frame["resolved"]).sum()),
                "median_hours": float(median["median"]),
                "median_low": float(median["low"]),
                "median_high": float(median["high"]),
                "resolved_within_fast": float(1 - unresolved),
            }
        ]
    )


def outcome_by_resolution_time(
    data: pd.DataFrame, hours: str, outcome: str, *, bins: int | Sequence[float] = 6, weights=None, ci: float = 0.95
) -> pd.DataFrame:
    """Outcome rate of resolved complainants by time to resolution, in bins.

    Parameters
    ----------
    data : DataFrame
        One row per customer (or per complaint).
    hours : str
        Hours from complaint to resolution (missing while open).
    outcome : str
        Yes/no outcome column (True/False or 0/1), e.g. repurchase intention.
    bins : int or sequence of float
        Number of quantile bins, or bin edges in hours (right-closed).
    weights : str or array-like, optional
        Survey weights: a column name or one weight per row.
    ci : float
        Confidence level.

    Returns
    -------
    DataFrame
        ``bin`` (interval label), ``median_hours``, ``n``, ``events``, ``rate``,
        ``n_eff``, ``low``, ``high``.

    Examples
    --------
    >>> import pandas as pd
    >>> log = pd.DataFrame({"h": [1, 2, 30, 40], "rep": [1, 1, 0, 1]})
    >>> outcome_by_resolution_time(log, "h", "rep", bins=[0, 24, 100])["rate"].tolist()
    [1.0, 0.5]
    """
    check_columns(data, [hours], parameter="hours")
    frame = _outcome_frame(data, outcome, weights)
    frame["hours"] = pd.to_numeric(data[hours], errors="coerce")
    frame = frame.dropna()
    if frame.empty:
        raise SurveyDataError(f"outcome_by_resolution_time: no rows with both {hours!r} and {outcome!r}")
    if isinstance(bins, int):
        frame["bin"] = pd.qcut(frame["hours"], bins, duplicates="drop")
    else:
        frame["bin"] = pd.cut(frame["hours"], list(bins), include_lowest=True)
    table = _rates(frame, ["bin"], ci)
    table.insert(1, "median_hours", frame.groupby("bin", observed=True)["hours"].median().to_numpy())
    table["bin"] = table["bin"].astype(str)
    return table


@dataclass(frozen=True)
class TimeEffect:
    """Logistic fit of an outcome on log2(hours to resolution).

    ``odds_ratio`` is per doubling of the resolution time; ``curve`` holds ``hours``,
    ``fitted``, ``low``, ``high`` over a grid.

    Attributes
    ----------
    odds_ratio : float
        Odds ratio per doubling of the resolution time.
    low, high : float
        Its confidence interval.
    p_value : float
        Wald test of no effect.
    n : int
        Resolved complaints in the fit.
    curve : DataFrame
        ``hours``, ``fitted``, ``low``, ``high`` over a grid of resolution times.
    """

    odds_ratio: float
    low: float
    high: float
    p_value: float
    n: int
    curve: pd.DataFrame = field(repr=False)


def resolution_time_effect(
    data: pd.DataFrame, hours: str, outcome: str, *, grid: int = 60, ci: float = 0.95
) -> TimeEffect:
    """Fit ``logit P(outcome) = a + b log2(hours)`` on resolved complaints.

    Hours are floored at one minute (1/60 h) before the log, so a zero time does not
    break the fit.

    Parameters
    ----------
    data : DataFrame
        One row per customer (or per complaint).
    hours : str
        Hours from complaint to resolution (missing while open).
    outcome : str
        Yes/no outcome column (True/False or 0/1), e.g. repurchase intention.
    grid : int
        Number of resolution times in the fitted curve.
    ci : float
        Confidence level.

    Returns
    -------
    TimeEffect
        Odds ratio per doubling of the resolution time, its interval and the fitted curve.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> h = rng.uniform(1, 200, 2000)
    >>> rep = rng.random(2000) < 1 / (1 + np.exp(-(2 - 0.5 * np.log2(h))))
    >>> effect = resolution_time_effect(pd.DataFrame({"h": h, "rep": rep}), "h", "rep")
    >>> bool(effect.low < np.exp(-0.5) < effect.high)
    True
    """
    check_columns(data, [hours], parameter="hours")
    frame = pd.DataFrame(
        {"y": read_flags(data, outcome), "hours": pd.to_numeric(data[hours], errors="coerce")}
    ).dropna()
    if frame["y"].nunique() < 2:
        raise SurveyDataError(f"resolution_time_effect: {outcome!r} does not vary among resolved complaints")
    frame["log2_hours"] = np.log2(frame["hours"].clip(lower=1 / 60))
    fit = fit_logit("y ~ log2_hours", frame)
    bounds = fit.conf_int(alpha=1 - ci).loc["log2_hours"]
    grid_hours = np.geomspace(max(frame["hours"].min(), 1 / 60), frame["hours"].max(), grid)
    predicted = fit.get_prediction(pd.DataFrame({"log2_hours": np.log2(grid_hours)})).summary_frame(alpha=1 - ci)
    curve = pd.DataFrame(
        {
            "hours": grid_hours,
            "fitted": predicted["predicted"].to_numpy(),
            "low": predicted["ci_lower"].to_numpy(),
            "high": predicted["ci_upper"].to_numpy(),
        }
    )
    return TimeEffect(
        float(np.exp(fit.params["log2_hours"])),
        float(np.exp(bounds.iloc[0])),
        float(np.exp(bounds.iloc[1])),
        float(fit.pvalues["log2_hours"]),
        len(frame),
        curve,
    )


# --- 5. service calls and churn ------------------------------------------------------


def churn_by_calls(data: pd.DataFrame, calls: str, churn: str, *, weights=None, ci: float = 0.95) -> pd.DataFrame:
    """Churn rate by number of customer-service calls, with Wilson intervals.

    Parameters
    ----------
    data : DataFrame
        One row per customer (or per complaint).
    calls : str
        Number of customer-service calls.
    churn : str
        Yes/no churn column.
    weights : str or array-like, optional
        Survey weights: a column name or one weight per row.
    ci : float
        Confidence level.

    Returns
    -------
    DataFrame
        ``calls``, ``n``, ``events`` (churned), ``rate``, ``n_eff``, ``low``, ``high``.

    Examples
    --------
    >>> import pandas as pd
    >>> accounts = pd.DataFrame({"calls": [0, 0, 1, 1, 1], "churn": [False, True, True, True, False]})
    >>> churn_by_calls(accounts, "calls", "churn")[["calls", "n", "rate"]].values.tolist()
    [[0.0, 2.0, 0.5], [1.0, 3.0, 0.6666666666666666]]
    """
    check_columns(data, [calls], parameter="calls")
    frame = _outcome_frame(data, churn, weights)
    counts = pd.to_numeric(data[calls], errors="coerce")
    bad = counts.isna() | (counts < 0) | (counts % 1 != 0)
    if bad.any():
        raise SurveyDataError(
            f"column {calls!r} must hold non-negative whole numbers; got {describe_offenders(data[calls], bad)}"
        )
    frame["calls"] = counts.astype(int)
    return _rates(frame[frame["y"].notna()], ["calls"], ci)


def call_threshold(table: pd.DataFrame, *, alpha: float = 0.05) -> pd.DataFrame:
    """The smallest call count where churn jumps.

    Rule: walk up the call counts of a :func:`churn_by_calls` table; at each level
    (from the second on) compare its churn with the pooled churn of all lower levels
    by a one-sided two-proportion z-test (statsmodels ``proportions_ztest``,
    alternative "larger"). The threshold is the first level whose p-value is below
    ``alpha`` divided by the number of levels tested (Bonferroni, so that scanning many
    levels does not manufacture a jump). Unweighted counts are used.

    Parameters
    ----------
    table : DataFrame
        A :func:`churn_by_calls` table.
    alpha : float
        Family-wise significance level (Bonferroni-divided over the levels tested).

    Returns
    -------
    DataFrame
        One row per tested level: ``calls``, ``rate``, ``rate_below``, ``p_value``,
        ``significant``, ``threshold`` (true on the first significant level only).

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"calls": [0, 1, 2], "n": [500, 500, 100], "events": [50, 55, 45]})
    >>> rows = call_threshold(table)
    >>> int(rows.loc[rows["threshold"], "calls"].item())
    2
    """
    from statsmodels.stats.proportion import proportions_ztest

    table = table.sort_values("calls").reset_index(drop=True)
    n = table["n"].to_numpy(dtype=float)
    events = table["events"].to_numpy(dtype=float)
    n_below, events_below = np.cumsum(n)[:-1], np.cumsum(events)[:-1]
    rows = []
    tested = len(table) - 1
    for i in range(1, len(table)):  # one test per call level, not per customer
        counts, nobs = [events[i], events_below[i - 1]], [n[i], n_below[i - 1]]
        pooled = sum(counts) / sum(nobs)
        p_value = 1.0 if pooled in (0.0, 1.0) else float(proportions_ztest(counts, nobs, alternative="larger")[1])
        rows.append((table["calls"].iloc[i], events[i] / n[i], events_below[i - 1] / n_below[i - 1], p_value))
    result = pd.DataFrame(rows, columns=["calls", "rate", "rate_below", "p_value"])
    result["significant"] = result["p_value"] < alpha / max(tested, 1)
    result["threshold"] = result["significant"] & ~result["significant"].shift(fill_value=False).cummax()
    return result


def calls_model(
    data: pd.DataFrame,
    churn: str,
    calls: str,
    covariates: Sequence[str] = (),
    *,
    threshold: int | None = None,
    ci: float = 0.95,
) -> pd.DataFrame:
    """Logistic model of churn on service calls (and covariates), as odds ratios.

    Calls enter linearly (term ``calls``: odds ratio per extra call); with
    ``threshold`` they enter as an indicator ``calls_at_or_above_threshold`` instead,
    matching a jump. Fitted with :func:`csat_analysis.regression.logistic` (covariate
    terms such as ``international_plan: True``); rows with a missing churn flag are
    left out.

    Parameters
    ----------
    data : DataFrame
        One row per customer (or per complaint).
    churn : str
        Yes/no churn column.
    calls : str
        Number of customer-service calls.
    covariates : sequence of str
        Further columns entering the model.
    threshold : int, optional
        Call count from which the indicator is 1 (see :func:`call_threshold`).
    ci : float
        Confidence level.

    Returns
    -------
    DataFrame
        ``term``, ``coef``, ``odds_ratio``, ``low``, ``high``, ``p_value`` (no intercept).

    Examples
    --------
    >>> import pandas as pd
    >>> accounts = pd.DataFrame({"calls": [0, 0, 0, 0, 5, 5, 5, 5], "churn": [1, 0, 0, 0, 1, 1, 1, 0]})
    >>> round(calls_model(accounts, "churn", "calls", threshold=4)["odds_ratio"].item(), 4)  # (3/1) / (1/3)
    9.0
    """
    check_columns(data, [calls], parameter="calls")
    covariates = check_columns(data, list(covariates), parameter="covariates")
    frame = data[covariates].copy()
    frame[churn] = data[churn]
    counts = pd.to_numeric(data[calls], errors="coerce")
    term = "calls" if threshold is None else "calls_at_or_above_threshold"
    frame[term] = counts if threshold is None else (counts >= threshold).astype(int).where(counts.notna())
    frame = frame[_known_outcome(data, churn).to_numpy()]
    return _odds_ratio_columns(logistic(frame, churn, [term, *covariates], ci=ci))


# --- 6. complaint handling and loyalty --------------------------------------------------


def loyalty_by_rating(
    data: pd.DataFrame,
    rating: str,
    loyalty: str | Sequence[str],
    *,
    scale: tuple[float, float],
    k: int = 2,
    ci: float = 0.95,
) -> pd.DataFrame:
    """Mean loyalty and top-box loyalty share per level of a rating (e.g. CUSCO).

    Parameters
    ----------
    data : DataFrame
        One row per customer (or per complaint).
    rating : str
        The rating whose levels form the rows (e.g. satisfaction with complaint
        handling, ``CUSCO``).
    loyalty : str or list of str
        Loyalty item(s); several items are averaged per respondent.
    scale : (low, high)
        The loyalty items' scale. The mean's interval is cut to it (a mean of 1-10
        answers cannot lie outside 1-10, though a t interval from a handful of answers
        can).
    k : int
        A respondent is "top-box loyal" when the loyalty score lies in the top ``k``
        boxes of ``scale`` (:func:`csat_analysis.scaling.top_box`: on 1-10 with
        ``k=2``, a mean of at least 9).
    ci : float
        Confidence level.

    Returns
    -------
    DataFrame
        ``rating``, ``n``, ``mean_loyalty`` with a t interval ``mean_low``/``mean_high``,
        ``top_box`` share with a Wilson interval ``top_low``/``top_high``.

    Examples
    --------
    >>> import pandas as pd
    >>> survey = pd.DataFrame({"CUSCO": [1, 1, 10, 10], "L1": [2, 4, 9, 10], "L2": [2, 4, 8, 10]})
    >>> loyalty_by_rating(survey, "CUSCO", ["L1", "L2"], scale=(1, 10))[["rating", "mean_loyalty", "top_box"]].values.tolist()
    [[1.0, 3.0, 0.0], [10.0, 9.25, 0.5]]
    """
    items = check_columns(
        data, [rating, *([loyalty] if isinstance(loyalty, str) else loyalty)], parameter="loyalty_by_rating"
    )[1:]
    score = data[items].apply(pd.to_numeric, errors="coerce").mean(axis=1)
    frame = pd.DataFrame({"rating": pd.to_numeric(data[rating], errors="coerce"), "score": score}).dropna()
    frame["top"] = top_box_flags(frame["score"], scale, k, name="loyalty").astype(float).to_numpy()
    grouped = frame.groupby("rating", sort=True)
    table = grouped["score"].agg(n="size", mean_loyalty="mean", sd="std").reset_index()
    t = stats.t.ppf(0.5 + ci / 2, (table["n"] - 1).clip(lower=1))
    half = t * table["sd"] / np.sqrt(table["n"])
    table["mean_low"] = (table["mean_loyalty"] - half).clip(lower=scale[0])
    table["mean_high"] = (table["mean_loyalty"] + half).clip(upper=scale[1])
    table["top_box"] = grouped["top"].mean().to_numpy()
    table["top_low"], table["top_high"] = wilson_interval(table["top_box"].to_numpy(), table["n"].to_numpy(), ci)
    return table.drop(columns="sd")


def rank_correlation(data: pd.DataFrame, x: str, y: str | Sequence[str], *, ci: float = 0.95) -> pd.DataFrame:
    """Spearman correlation with a Fisher-z interval (Bonett-Wright standard error).

    ``y`` may be several items, averaged per respondent.

    Parameters
    ----------
    data : DataFrame
        One row per customer (or per complaint).
    x : str
        First column (e.g. a rating).
    y : str or list of str
        Second column, or items averaged per respondent.
    ci : float
        Confidence level.

    Returns
    -------
    DataFrame
        One row: ``n``, ``rho``, ``low``, ``high``, ``p_value``.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"a": [1, 2, 3, 4, 5], "b": [2, 1, 4, 3, 5]})
    >>> round(rank_correlation(frame, "a", "b")["rho"].item(), 6)
    0.8
    """
    items = check_columns(data, [x, *([y] if isinstance(y, str) else y)], parameter="rank_correlation")
    frame = pd.DataFrame(
        {
            "x": pd.to_numeric(data[x], errors="coerce"),
            "y": data[items[1:]].apply(pd.to_numeric, errors="coerce").mean(axis=1),
        }
    ).dropna()
    n = len(frame)
    if n < 4:
        raise SurveyDataError(f"rank_correlation: {n} complete rows; need at least 4")
    result = stats.spearmanr(frame["x"], frame["y"])
    rho = float(result.statistic)
    se = np.sqrt((1 + rho**2 / 2) / (n - 3))
    z = stats.norm.ppf(0.5 + ci / 2)
    low, high = np.tanh(np.arctanh(rho) - z * se), np.tanh(np.arctanh(rho) + z * se)
    return pd.DataFrame([{"n": n, "rho": rho, "low": float(low), "high": float(high), "p_value": float(result.pvalue)}])


# --- 7. word of mouth --------------------------------------------------------------------


def word_of_mouth(
    n_dissatisfied: float,
    n_satisfied: float,
    *,
    tell_dissatisfied: float = 10,
    retell_share: float = 0.2,
    retell_count: float = 20,
    tell_satisfied: float = 5,
    reading: str = "share",
) -> pd.DataFrame:
    """People reached by negative and positive stories, under TARP's word-of-mouth multipliers.

    The multipliers commonly quoted from TARP (1986) (:data:`TARP_WORD_OF_MOUTH`): a
    dissatisfied customer tells 10 people, 20% of dissatisfied customers tell 20, a
    satisfied customer tells 5. "20% of them" counts customers, not the people told,
    which matches TARP's figure that a minority of dissatisfied customers tell 20 or
    more. Two readings:

    ``reading="share"`` (default): a share ``retell_share`` of dissatisfied customers
        tell ``retell_count`` people, the rest tell ``tell_dissatisfied``:
        ``(1 - 0.2) * 10 + 0.2 * 20 = 12`` people per dissatisfied customer.
    ``reading="cascade"``: every dissatisfied customer tells ``tell_dissatisfied``
        people and ``retell_share`` of those people retell it to ``retell_count``
        more: ``10 + 0.2 * 10 * 20 = 50`` per dissatisfied customer.

    The multipliers are assumptions carried over from the published figures, not
    estimates from the data.

    Parameters
    ----------
    n_dissatisfied : float
        Dissatisfied customers.
    n_satisfied : float
        Satisfied customers.
    tell_dissatisfied : float
        People a dissatisfied customer tells.
    retell_share : float
        Share (of customers or of the people told, by ``reading``) who retell.
    retell_count : float
        People each of those tells.
    tell_satisfied : float
        People a satisfied customer tells.
    reading : {"share", "cascade"}
        How the 20% figure is read (see above).

    Returns
    -------
    DataFrame
        Rows ``negative`` and ``positive``: ``story``, ``customers``,
        ``people_per_customer``, ``people_reached``, ``assumption``.

    Examples
    --------
    >>> table = word_of_mouth(100, 300)
    >>> table["people_reached"].tolist()
    [1200.0, 1500.0]
    >>> float(word_of_mouth(1, 0, reading="cascade")["people_per_customer"].iloc[0])
    50.0
    """
    check_choice("reading", reading, ["share", "cascade"], error=ParameterError)
    for name, value in {
        "n_dissatisfied": n_dissatisfied,
        "n_satisfied": n_satisfied,
        "tell_dissatisfied": tell_dissatisfied,
        "retell_count": retell_count,
        "tell_satisfied": tell_satisfied,
    }.items():
        if not value >= 0:
            raise ParameterError(f"{name}={value!r} must be a non-negative number")
    if not 0 <= retell_share <= 1:
        raise ParameterError(f"retell_share={retell_share!r} must be a share between 0 and 1")
    if reading == "share":
        per_negative = (1 - retell_share) * tell_dissatisfied + retell_share * retell_count
        text = f"{1 - retell_share:.0%} of dissatisfied customers tell {tell_dissatisfied:g}, {retell_share:.0%} tell {retell_count:g}"
    else:
        per_negative = tell_dissatisfied + retell_share * tell_dissatisfied * retell_count
        text = f"each dissatisfied customer tells {tell_dissatisfied:g}; {retell_share:.0%} of those retell to {retell_count:g}"
    table = pd.DataFrame(
        {
            "story": ["negative", "positive"],
            "customers": [float(n_dissatisfied), float(n_satisfied)],
            "people_per_customer": [float(per_negative), float(tell_satisfied)],
            "assumption": [
                f"assumed (TARP 1986 multipliers): {text}",
                f"assumed (TARP 1986 multipliers): a satisfied customer tells {tell_satisfied:g}",
            ],
        }
    )
    table.insert(3, "people_reached", table["customers"] * table["people_per_customer"])
    return table


# --- counts by status ---------------------------------------------------------------


def status_counts(data: pd.DataFrame, status: str) -> pd.DataFrame:
    """Customers per complaint status (``status``, ``n``), in :data:`STATUSES` order (zero for absent ones).

    Parameters
    ----------
    data : DataFrame
        One row per customer (or per complaint).
    status : str
        Complaint status column (values from :data:`STATUSES`).

    Returns
    -------
    DataFrame
        ``status``, ``n``: one row per status of :data:`STATUSES`.

    Examples
    --------
    >>> import pandas as pd
    >>> status_counts(pd.DataFrame({"s": ["resolved", "no_problem", "resolved"]}), "s")["n"].tolist()
    [1, 0, 0, 2, 0]
    """
    statuses = _statuses(data, status)
    counts = pd.Series(statuses).value_counts().reindex(STATUSES, fill_value=0)
    return pd.DataFrame({"status": list(STATUSES), "n": counts.to_numpy(dtype=int)})


def threshold_level(jumps: pd.DataFrame) -> int | None:
    """The call count flagged as the threshold by :func:`call_threshold`, or None.

    Parameters
    ----------
    jumps : DataFrame
        A :func:`call_threshold` table.

    Returns
    -------
    int or None
        The flagged call count, or None when no level is flagged.

    Examples
    --------
    >>> import pandas as pd
    >>> threshold_level(pd.DataFrame({"calls": [1, 2, 3], "threshold": [False, True, False]}))
    2
    """
    flagged = jumps.loc[jumps["threshold"], "calls"]
    return int(flagged.iloc[0]) if len(flagged) else None


# --- word of mouth by status ---------------------------------------------------------

#: statuses whose customers end dissatisfied (a problem not complained about or not resolved)
DISSATISFIED_STATUSES = ("no_complaint", "unresolved")
#: statuses whose customers end satisfied (no problem, or a resolved complaint)
SATISFIED_STATUSES = ("no_problem", "resolved", "resolved_quickly")


def word_of_mouth_by_status(data: pd.DataFrame, status: str, **multipliers) -> pd.DataFrame:
    """:func:`word_of_mouth` under both readings, counting customers from a status column.

    Dissatisfied: :data:`DISSATISFIED_STATUSES`; satisfied: :data:`SATISFIED_STATUSES`.
    ``multipliers`` go to :func:`word_of_mouth`.

    Parameters
    ----------
    data : DataFrame
        One row per customer (or per complaint).
    status : str
        Complaint status column (values from :data:`STATUSES`).
    **multipliers
        Keyword arguments of :func:`word_of_mouth`.

    Returns
    -------
    DataFrame
        ``reading`` and the columns of :func:`word_of_mouth`, both readings stacked.

    Examples
    --------
    >>> import pandas as pd
    >>> log = pd.DataFrame({"s": ["no_complaint", "resolved", "no_problem"]})
    >>> word_of_mouth_by_status(log, "s")[["reading", "story", "customers", "people_reached"]].values.tolist()
    [['share', 'negative', 1.0, 12.0], ['share', 'positive', 2.0, 10.0], ['cascade', 'negative', 1.0, 50.0], ['cascade', 'positive', 2.0, 10.0]]
    """
    statuses = pd.Series(np.asarray(_statuses(data, status), dtype=object))
    n_dissatisfied = int(statuses.isin(DISSATISFIED_STATUSES).sum())
    n_satisfied = int(statuses.isin(SATISFIED_STATUSES).sum())
    tables = [
        word_of_mouth(n_dissatisfied, n_satisfied, reading=r, **multipliers).assign(reading=r)
        for r in ("share", "cascade")
    ]
    table = pd.concat(tables, ignore_index=True)
    return table[["reading", *[c for c in table.columns if c != "reading"]]]
