"""Write notebooks/complaint_resolution.ipynb (run this after editing it).

The notebook is committed without outputs; the logic lives in
``csat_analysis.complaints`` and is tested there.

    .venv/bin/python notebooks/build/complaint_resolution.py
"""

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

NOTEBOOK = Path(__file__).resolve().parents[1] / "complaint_resolution.ipynb"

cells = []


def md(text: str) -> None:
    cells.append(new_markdown_cell(text.strip("\n")))


def code(text: str, tags: list[str] | None = None) -> None:
    cell = new_code_cell(text.strip("\n"))
    if tags:
        cell.metadata["tags"] = tags
    cells.append(cell)


md("""
# Complaint resolution study

What happens to customers who have a problem: whether they complain, how the complaint
is handled, and what that does to repurchase and churn. The seed figures (brief,
section 4) are the TARP table of repurchase by complaint status and problem severity,
the 4% voice rate, the escalation pyramid and the word-of-mouth multipliers.

The study runs on the simulator (default: known truth, **not a real survey**), on the
real `service_calls_churn` data (customer-service calls as a proxy for unresolved
problems), on the real `mobi` data (satisfaction with complaint handling, CUSCO, against
loyalty), or on a user's complaint log (`dataset` = file path, with a `schema`).
Every table and figure names its data source.
""")

code('''
dataset = "simulated"  # "simulated", a bundled name ("service_calls_churn", "mobi"), or a file path
schema = None  # schema for a user file (see csat_analysis.io.read_survey)
n = 20000  # simulated respondents
outcome = None  # outcome column; None: "repurchase" (simulated/user log) or "churn" (service_calls_churn)
status = "complaint_status"  # complaint status column
severity = "severity"  # problem severity column
fast_hours = 24.0  # a resolved complaint counts as quick at or below this many hours (user logs)
bootstrap = 1000  # bootstrap resamples for the recovery-paradox interval (0: none)
seed = 0
tell_dissatisfied = 10  # seed 003: people a dissatisfied customer tells
retell_share = 0.2  # seed 003: share of dissatisfied customers who tell retell_count people
retell_count = 20
tell_satisfied = 5  # seed 003: people a satisfied customer tells
results_path = None
''', tags=["parameters"])

code('''
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import Markdown, display

from csat_analysis import complaints, datasets, plots, report
from csat_analysis._validation import check_columns
from csat_analysis.errors import StudyError

report.set_results_path(results_path)
plots.set_theme()
pd.set_option("display.precision", 3)
warnings.filterwarnings("ignore", category=RuntimeWarning, module="statsmodels")

for name, value in {"n": n, "bootstrap": bootstrap, "tell_dissatisfied": tell_dissatisfied,
                    "retell_count": retell_count, "tell_satisfied": tell_satisfied}.items():
    if not isinstance(value, (int, float)) or value < 0:
        raise StudyError(f"{name}={value!r} must be a non-negative number")
if not 0 <= retell_share <= 1:
    raise StudyError(f"retell_share={retell_share!r} must be a share between 0 and 1")
if not (isinstance(fast_hours, (int, float)) and fast_hours > 0):
    raise StudyError(f"fast_hours={fast_hours!r} must be a positive number of hours")

study = datasets.open_study_data(dataset, schema=schema, n=n, seed=seed)
data, source = study.data, study.source
DEFAULTS = {"status": "complaint_status", "severity": "severity", "outcome": None}


def column_parameter(parameter, value):
    """The column named by a parameter, or None when a real data set simply lacks it.

    A name the user chose, or any name on simulated or user data, must exist: a wrong
    one fails here with the available columns listed.
    """
    if value is None or value in data.columns:
        return value
    if study.kind == "real" and value == DEFAULTS[parameter]:
        return None
    check_columns(data, value, parameter=parameter, error=StudyError)


if outcome is None:
    outcome = next((c for c in ("repurchase", "churn") if c in data.columns), None)
outcome = column_parameter("outcome", outcome)
status = column_parameter("status", status)
severity = column_parameter("severity", severity)
weights = "weight" if "weight" in data.columns else None
higher_is_better = outcome is not None and not outcome.lower().startswith("churn")

if status is not None and "resolved_quickly" not in set(data[status].astype("object")) and "resolution_hours" in data.columns:
    # a user log without the quick status: derive it from resolution times
    data = data.assign(**{status: complaints.derive_fast_status(data, status, "resolution_hours", fast_hours)})

has_status = status is not None and outcome is not None
has_funnel = all(c in data.columns for c in ("problem", "complained", "resolved_first_contact", "escalation_level"))
has_times = has_status and "resolution_hours" in data.columns
calls_columns = next(((c, y) for c, y in [("number_customer_service_calls", "churn"), ("escalation_level", "churned")]
                      if c in data.columns and y in data.columns), None)
has_cusco = all(c in data.columns for c in ("CUSCO", "CUSL1", "CUSL2", "CUSL3"))
findings = []


def show(table, title):
    """Display a table under a title that names the data source."""
    display(Markdown(f"**{title}**  \\n*{source}*"))
    display(table)


def say(sentence):
    """Display a one-sentence finding and keep it for the summary."""
    findings.append(sentence)
    display(Markdown(sentence))


def missing_note(what):
    display(Markdown(f"*Not available: the {study.kind} data set `{study.name}` has no {what}.*"))


report.record("n_respondents", len(data))
print(source)
direction = "" if outcome is None else f" ({'higher' if higher_is_better else 'lower'} is more loyal)"
print(f"outcome = {outcome!r}{direction}, status = {status!r}, "
      f"severity = {severity!r}, survey weights = {weights!r}")
''')

md("""
## 1. The complaint funnel

Problems -> complaints (the voice rate) -> resolved at first contact -> escalated to
middle management -> reached top management, each as a share of the stage it is taken
of, with 95% Wilson intervals, beside the seed's escalation pyramid (500 -> 200 -> 50 ->
10 -> 2 -> 1) and its 4% voice rate. The pyramid's own complaint share (200 of 500)
contradicts the 4% voice rate of seed 003; the comparison uses the 4%.
""")

code('''
if has_funnel:
    funnel = complaints.complaint_funnel(data, weights=weights)
    show(funnel, "Complaint funnel (shares of the stage named in of_stage)")
    show(complaints.seed_escalation_pyramid(), "Seed 001 escalation pyramid (seed figures, not data)")
    compared = complaints.compare_funnel_to_seed(funnel)
    show(compared, "Observed shares beside the seed's")
    fig, axes = plt.subplots(1, 2, figsize=(12, 4))
    plots.funnel_plot(funnel, ax=axes[0])
    axes[0].set_title("Observed funnel")
    plots.funnel_plot(complaints.seed_escalation_pyramid(), ax=axes[1])
    axes[1].set_title("Seed 001 pyramid (seed figures)")
    plots.source_note(axes[0], source)
    plots.source_note(axes[1], "Seed 001 figures for 500 dissatisfied customers")
    plt.tight_layout()
    plt.show()
    voice = funnel.set_index("stage").loc["complained"]
    report.record("voice_rate", voice["share"])
    report.record("funnel", dict(zip(funnel["stage"], funnel["count"])))
    say(f"Of customers with a problem, {voice['share']:.1%} complained (95% CI {voice['low']:.1%} to "
        f"{voice['high']:.1%}); the seed's voice rate is {complaints.SEED_VOICE_RATE:.0%}, which "
        f"{'lies inside' if voice['low'] <= complaints.SEED_VOICE_RATE <= voice['high'] else 'lies outside'} the interval.")
elif has_status:
    counts = data[status].value_counts().reindex(complaints.STATUSES, fill_value=0)
    show(counts.rename("count").to_frame(), "Customers by complaint status")
    missing_note("problem/complaint/escalation columns for a full funnel")
else:
    missing_note("complaint statuses, so the funnel cannot be drawn")
''')

md("""
## 2. The TARP table rebuilt from the data

Outcome rate by complaint status x problem severity, with 95% Wilson intervals (survey
weights, when the data have them, enter through the Kish effective size), beside the
seed's TARP rates; chi-square tests of status against the outcome within each
severity; and a logistic regression giving odds ratios against customers with no
problem.
""")

code('''
if has_status:
    by_status = complaints.repurchase_table(data, outcome, status, severity, weights=weights)
    if higher_is_better:  # the seed's TARP rates are repurchase rates: no match for a churn outcome
        seed_rates = complaints.seed_tarp_table().rename(columns={"rate": "seed_rate"})
        by_status = by_status.merge(seed_rates, on=["status", "severity"], how="left")
    show(by_status, f"{outcome} rate by complaint status and severity")
    fig, ax = plt.subplots(figsize=(9, 4.5))
    plots.interval_plot(by_status, x="status", y="rate", low="low", high="high", hue="severity", ax=ax)
    if higher_is_better:
        ax.scatter(by_status["status"].map({s: i for i, s in enumerate(pd.unique(by_status["status"]))})
                   + by_status["severity"].map({"major": -0.2, "minor": 0.2}).fillna(0),
                   by_status["seed_rate"], marker="x", color="0.2", zorder=4, label="seed (TARP)")
        ax.legend()
    ax.set_ylabel(f"{outcome} rate")
    ax.set_title(f"{outcome} by complaint status" + (" (x: seed 001 TARP rate)" if higher_is_better else ""))
    plots.source_note(ax, source)
    plt.show()
    report.record("repurchase_by_status", {s: dict(zip(g["severity"], g["rate"])) for s, g in by_status.groupby("status", sort=False)})
    if study.truth is not None and outcome == "repurchase":
        truth = study.truth["repurchase_rates"]
        expected = by_status.apply(lambda r: truth[r["status"]] if r["status"] == "no_problem" else truth[r["status"]][r["severity"]], axis=1)
        covered = ((by_status["low"] <= expected) & (expected <= by_status["high"])).mean()
        say(f"The simulator's generating rates lie inside {covered:.0%} of the 95% intervals of the rebuilt table "
            f"(about 95% expected by chance alone).")
    best = by_status.loc[by_status["rate"].idxmax()]
    worst = by_status.loc[by_status["rate"].idxmin()]
    say(f"The {outcome} rate ranges from {worst['rate']:.0%} ({worst['status']}, {worst['severity']}) to "
        f"{best['rate']:.0%} ({best['status']}, {best['severity']}).")
else:
    missing_note("complaint statuses, so the TARP table cannot be rebuilt")
''')

code('''
if has_status and severity is not None:
    tests = complaints.chi_square_tests(data, outcome, status, severity)
    show(tests, f"Chi-square tests: complaint status x {outcome}, within each severity")
    significant = tests.loc[tests["p_value"] < 0.05, "severity"].tolist()
    say(f"Complaint status is associated with {outcome} (chi-square p < 0.05) for severity: "
        f"{', '.join(significant) if significant else 'none'}.")
''')

code('''
if has_status:
    covariates = [c for c in ("segment",) if c in data.columns]
    odds = complaints.outcome_model(data, outcome, status, severity, covariates)
    show(odds, f"Logistic regression of {outcome}: odds ratios (reference: no_problem, minor problem)")
    fig, ax = plt.subplots(figsize=(8, 0.5 * len(odds) + 1.5))
    plots.odds_ratio_plot(odds, ax=ax)
    ax.set_title(f"Odds ratios for {outcome}")
    plots.source_note(ax, source)
    plt.show()
''')

md("""
## 3. The service-recovery paradox

Are complainants whose problem was resolved quickly more loyal than customers who had
no problem at all? Difference in rates with a Newcombe (Wilson-based) interval, a
two-proportion z-test and, as a cross-check, a bootstrap interval. The verdict is read
from the interval only: "supported" if it lies wholly on the loyal side of zero,
"contradicted" if wholly on the other side, otherwise "inconclusive".
""")

code('''
if has_status:
    paradox = complaints.recovery_paradox(data, outcome, status, higher_is_better=higher_is_better,
                                          weights=weights, bootstrap=int(bootstrap), seed=seed)
    show(pd.DataFrame([paradox.to_dict()]), "Quickly resolved complainants minus customers with no problem")
    report.record("recovery_paradox", {k: getattr(paradox, k) for k in ("difference", "low", "high", "p_value")})
    say(f"Quickly resolved complainants: {outcome} {paradox.fast_rate:.1%} (n = {paradox.n_fast:,}); "
        f"no problem: {paradox.baseline_rate:.1%} (n = {paradox.n_baseline:,}); difference "
        f"{paradox.difference:+.1%} (95% CI {paradox.low:+.1%} to {paradox.high:+.1%}, p = {paradox.p_value:.3g}). "
        f"Service-recovery paradox: **{paradox.verdict}**."
        + (f" The bootstrap interval ({paradox.bootstrap_low:+.1%} to {paradox.bootstrap_high:+.1%}, {int(bootstrap)} resamples) "
           f"{'agrees' if (paradox.bootstrap_low > 0) == (paradox.low > 0) and (paradox.bootstrap_high < 0) == (paradox.high < 0) else 'does not agree, so the verdict is fragile'}."
           if bootstrap > 0 else ""))
    if severity is not None:
        # the pooled comparison mixes major and minor problems; show each severity too
        by_severity = []
        for level in ("major", "minor"):
            subset = data[(data[status].astype("object") == "no_problem") | (data[severity].astype("object") == level)]
            if (subset[status].astype("object") == "resolved_quickly").any():
                result = complaints.recovery_paradox(subset, outcome, status, higher_is_better=higher_is_better, weights=weights)
                by_severity.append({"severity": level, **{k: getattr(result, k) for k in
                                    ("fast_rate", "baseline_rate", "n_fast", "difference", "low", "high", "p_value", "verdict")}})
        show(pd.DataFrame(by_severity), "Recovery paradox by problem severity (quickly resolved vs no problem)")
else:
    missing_note("complaint statuses, so the recovery paradox cannot be tested")
''')

md("""
## 4. Resolution time

How long complaints take to resolve: a Kaplan-Meier curve (statsmodels), where
complaints still open are censored at the hours they have been open so far; then the
outcome of resolved complainants against time to resolution, in quantile bins with
Wilson intervals and a logistic fit on log2(hours).
""")

code('''
if has_times:
    open_column = "hours_open" if "hours_open" in data.columns else None
    curve = complaints.resolution_times(data, "resolution_hours", open_column)
    summary = complaints.resolution_summary(data, "resolution_hours", open_column, fast_hours=fast_hours)
    show(summary, "Resolution times (Kaplan-Meier)")
    fig, axes = plt.subplots(1, 2, figsize=(12, 4))
    plots.retention_plot(curve, time="hours", survival="unresolved_share", ax=axes[0])
    axes[0].set_xscale("log")
    axes[0].axvline(fast_hours, color="0.4", linestyle="--", linewidth=1)
    axes[0].set_title("Share of complaints still unresolved")
    plots.source_note(axes[0], source)
    binned = complaints.outcome_by_resolution_time(data, "resolution_hours", outcome, bins=6, weights=weights)
    effect = complaints.resolution_time_effect(data, "resolution_hours", outcome)
    plots.loyalty_curve_plot(binned, x="median_hours", y="rate", low="low", high="high", fit=effect.curve,
                             fit_x="hours", fit_y="fitted", ax=axes[1])
    axes[1].set_xscale("log")
    axes[1].set_xlabel("hours to resolution (bin median, log scale)")
    axes[1].set_ylabel(f"{outcome} rate")
    axes[1].set_title(f"{outcome} by time to resolution")
    plt.tight_layout()
    plt.show()
    show(binned, f"{outcome} rate of resolved complainants by time to resolution")
    row = summary.iloc[0]
    say(f"Half of the complaints are resolved within {row['median_hours']:.0f} hours (Kaplan-Meier median); "
        f"{row['resolved_within_fast']:.0%} within {fast_hours:g} hours.")
    say(f"Each doubling of the resolution time multiplies the odds of {outcome} by {effect.odds_ratio:.2f} "
        f"(95% CI {effect.low:.2f} to {effect.high:.2f}, p = {effect.p_value:.3g}).")
else:
    missing_note("complaint resolution times")
''')

md("""
## 5. Service calls and churn

Churn rate by number of customer-service calls (contacts as a proxy for unresolved
problems), with Wilson intervals. The threshold where churn jumps is the first call
count whose churn is significantly above the pooled churn of all lower counts
(one-sided two-proportion z-test, Bonferroni over the levels tested). A logistic model
adds the plan covariates. On simulated data the analogue is churn by escalation level.
""")

code('''
if calls_columns is not None:
    calls, churn = calls_columns
    by_calls = complaints.churn_by_calls(data, calls, churn)
    show(by_calls, f"Churn ({churn}) by {calls}")
    jumps = complaints.call_threshold(by_calls)
    show(jumps, "Where churn jumps: each level against all lower levels")
    threshold = jumps.loc[jumps["threshold"], "calls"]
    threshold = int(threshold.iloc[0]) if len(threshold) else None
    fig, ax = plt.subplots(figsize=(9, 4))
    plots.interval_plot(by_calls, x="calls", y="rate", low="low", high="high", ax=ax)
    ax.set_xlabel(calls)
    ax.set_ylabel("churn rate")
    ax.set_title(f"Churn by {calls}")
    plots.source_note(ax, source)
    plt.show()
    plan_covariates = [c for c in ("international_plan", "voice_mail_plan", "account_length", "segment") if c in data.columns]
    calls_odds = complaints.calls_model(data, churn, calls, plan_covariates, threshold=threshold)
    show(calls_odds, "Logistic model of churn: odds ratios")
    if calls == "number_customer_service_calls":
        report.record("churn_by_service_calls", dict(zip(by_calls["calls"], by_calls["rate"])))
    if threshold is None:
        say("No call count shows churn significantly above the levels below it.")
    else:
        at = jumps.loc[jumps["threshold"]].iloc[0]
        term = calls_odds.set_index("term").loc["calls_at_or_above_threshold"]
        say(f"Churn jumps at {threshold} {calls}: {at['rate']:.0%} against {at['rate_below']:.0%} below "
            f"(p = {at['p_value']:.2g}); adjusted for {', '.join(plan_covariates) or 'nothing'}, the odds ratio is "
            f"{term['odds_ratio']:.1f} (95% CI {term['low']:.1f} to {term['high']:.1f}).")
else:
    missing_note("service-call counts with churn")
''')

md("""
## 6. Complaint handling and loyalty

Loyalty (mean of CUSL1-3) and the share of top-box loyal customers (mean loyalty at
least 9 of 10) by satisfaction with complaint handling (CUSCO), with intervals, and the
Spearman correlation between them.
""")

code('''
if has_cusco:
    loyalty_items = ["CUSL1", "CUSL2", "CUSL3"]
    by_cusco = complaints.loyalty_by_rating(data, "CUSCO", loyalty_items, top_box=9, scale=(1, 10))
    show(by_cusco, "Loyalty by satisfaction with complaint handling (CUSCO)")
    correlation = complaints.rank_correlation(data, "CUSCO", loyalty_items)
    show(correlation, "Spearman correlation of CUSCO with mean loyalty")
    fig, axes = plt.subplots(1, 2, figsize=(12, 4))
    plots.loyalty_curve_plot(by_cusco, x="rating", y="mean_loyalty", low="mean_low", high="mean_high", ax=axes[0])
    axes[0].set_title("Mean loyalty (1-10)")
    plots.loyalty_curve_plot(by_cusco, x="rating", y="top_box", low="top_low", high="top_high", ax=axes[1])
    axes[1].set_title("Top-box loyal share")
    for ax in axes:
        ax.set_xlabel("CUSCO (satisfaction with complaint handling)")
    plots.source_note(axes[0], source)  # one note for both panels: same data
    plt.tight_layout()
    plt.show()
    rho = correlation.iloc[0]
    say(f"Satisfaction with complaint handling and loyalty move together: Spearman rho = {rho['rho']:.2f} "
        f"(95% CI {rho['low']:.2f} to {rho['high']:.2f}, n = {int(rho['n']):,}).")
else:
    missing_note("CUSCO and loyalty items CUSL1-3")
''')

md("""
## 7. Word of mouth

People reached by negative and positive stories. Counts of dissatisfied customers
(a problem that was not complained about or not resolved) and satisfied customers
(no problem, or a resolved complaint) come from the data; the multipliers are **seed
003 assumptions**, not estimates. Seed 003's "20% of them tell 20" is read as 20% of
the dissatisfied *customers* telling 20 people instead of 10 (the seed counts
customers, 客户, not people told); the cascade reading (20% of the people told retell
to 20 each) is shown beside it.
""")

code('''
if has_status:
    statuses = data[status].astype("object")
    n_dissatisfied = int(statuses.isin(["no_complaint", "unresolved"]).sum())
    n_satisfied = int(statuses.isin(["no_problem", "resolved", "resolved_quickly"]).sum())
    multipliers = dict(tell_dissatisfied=tell_dissatisfied, retell_share=retell_share, retell_count=retell_count,
                       tell_satisfied=tell_satisfied)
    mouth = pd.concat([complaints.word_of_mouth(n_dissatisfied, n_satisfied, reading=r, **multipliers).assign(reading=r)
                       for r in ("share", "cascade")], ignore_index=True)
    show(mouth, "Word of mouth: customers from the data x seed 003 multipliers (assumptions)")
    share_reading = mouth[mouth["reading"] == "share"].set_index("story")
    say(f"Under seed 003's multipliers, {n_dissatisfied:,} dissatisfied customers reach about "
        f"{share_reading.loc['negative', 'people_reached']:,.0f} people with a negative story and {n_satisfied:,} "
        f"satisfied customers about {share_reading.loc['positive', 'people_reached']:,.0f} with a positive one "
        f"(assumed multipliers, not measured).")
else:
    missing_note("complaint statuses to count dissatisfied and satisfied customers")
''')

md("""
## 8. Findings

In plain language, from the numbers above.
""")

code('''
display(Markdown(f"*{source}*\\n\\n" + "\\n".join(f"- {sentence}" for sentence in findings)))
''')

notebook = new_notebook(cells=cells, metadata={
    "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
    "language_info": {"name": "python"},
})
nbformat.validate(notebook)
nbformat.write(notebook, NOTEBOOK)
print(f"wrote {NOTEBOOK}")
