# ---
# jupyter:
#   jupytext:
#     cell_metadata_filter: tags,-all
#     formats: ipynb,py:percent
#     notebook_metadata_filter: kernelspec,jupytext,-jupytext.text_representation.jupytext_version
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Complaint resolution study
#
# What happens to customers who have a problem: whether they complain, how the complaint
# is handled, and what that does to repurchase and churn. The seed figures (brief,
# section 4) are the TARP table of repurchase by complaint status and problem severity,
# the 4% voice rate, the escalation pyramid and the word-of-mouth multipliers.
#
# The study runs on the simulator (default: known truth, **not a real survey**), on the
# real `service_calls_churn` data (customer-service calls as a proxy for unresolved
# problems), on the real `mobi` data (satisfaction with complaint handling, CUSCO, against
# loyalty), or on a user's complaint log (`dataset` = file path, with a `schema`).
# Every table and figure names its data source.

# %% tags=["parameters"]
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

# %%
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import Markdown, display

from csat_analysis import complaints, datasets, plots, report

report.set_results_path(results_path)
plots.set_theme()
pd.set_option("display.precision", 3)
complaints.check_parameters(n=n, bootstrap=bootstrap, fast_hours=fast_hours, retell_share=retell_share,
                            tell_dissatisfied=tell_dissatisfied, retell_count=retell_count, tell_satisfied=tell_satisfied)
study = datasets.open_study_data(dataset, schema=schema, n=n, seed=seed)
columns = complaints.study_columns(study, outcome=outcome, status=status, severity=severity, fast_hours=fast_hours)
data, source, findings = columns.data, study.source, []


def show(table, title):
    """Display a table under a title that names the data source."""
    display(report.styled_table(table, title, source))


def say(sentence):
    """Display a one-sentence finding and keep it for the summary."""
    findings.append(sentence)
    display(Markdown(sentence))


report.record("n_respondents", len(data))
display(Markdown(f"*{source}*  \n{columns.describe()}"))

# %% [markdown]
# ## 1. The complaint funnel
#
# Problems -> complaints (the voice rate) -> resolved at first contact -> escalated to
# middle management -> reached top management, each as a share of the stage it is taken
# of, with 95% Wilson intervals, beside the seed's escalation pyramid (500 -> 200 -> 50 ->
# 10 -> 2 -> 1) and its 4% voice rate. The pyramid's own complaint share (200 of 500)
# contradicts the 4% voice rate of seed 003; the comparison uses the 4%.

# %%
if columns.has_funnel:
    funnel = complaints.complaint_funnel(data, weights=columns.weights)
    fig, axes = plt.subplots(1, 2, figsize=(12, 4))
    plots.funnel_plot(funnel, ax=axes[0]).set_title("Observed funnel")
    plots.funnel_plot(complaints.seed_escalation_pyramid(), ax=axes[1]).set_title("Seed 001 pyramid (seed figures, not data)")
    plots.source_note(axes[0], source), plots.source_note(axes[1], "Seed 001 figures for 500 dissatisfied customers")
    plt.tight_layout(), plt.show()
    show(funnel, "Complaint funnel (share: of the stage named in of_stage)")
    show(complaints.compare_funnel_to_seed(funnel), "Observed shares beside the seed's")
    for name, value in complaints.funnel_record(funnel).items():
        report.record(name, value)  # voice_rate, funnel
    say(complaints.funnel_finding(funnel))
elif columns.has_status:
    show(complaints.status_counts(data, columns.status), "Customers by complaint status")
    display(Markdown(columns.missing("problem, complaint and escalation columns, so the full funnel cannot be drawn")))
else:
    display(Markdown(columns.missing("complaint statuses, so the funnel cannot be drawn")))

# %% [markdown]
# ## 2. The TARP table rebuilt from the data
#
# Outcome rate by complaint status x problem severity, with 95% Wilson intervals (survey
# weights, when the data have them, enter through the Kish effective size), beside the
# seed's TARP rates (crosses; they are repurchase rates, so a churn outcome has none);
# chi-square tests of status against the outcome within each severity; and a logistic
# regression giving odds ratios against customers with no problem.

# %%
if columns.has_status:
    by_status = complaints.with_seed_rates(complaints.repurchase_table(
        data, columns.outcome, columns.status, columns.severity, weights=columns.weights), columns.higher_is_better)
    fig, ax = plt.subplots(figsize=(9, 4.5))
    plots.tarp_plot(by_status, ax=ax).set(ylabel=f"{columns.outcome} rate", title=f"{columns.outcome} by complaint status")
    plots.source_note(ax, source), plt.show()
    show(by_status, f"{columns.outcome} rate by complaint status and severity")
    report.record("repurchase_by_status", complaints.tarp_record(by_status))
    truth = study.truth["repurchase_rates"] if study.truth is not None and columns.outcome == "repurchase" else None
    for sentence in complaints.tarp_findings(by_status, columns.outcome, truth):
        say(sentence)
else:
    display(Markdown(columns.missing("complaint statuses, so the TARP table cannot be rebuilt")))

# %%
if columns.has_status and columns.severity is not None:
    tests = complaints.chi_square_tests(data, columns.outcome, columns.status, columns.severity)
    show(tests, f"Chi-square tests: complaint status x {columns.outcome}, within each severity")
    say(complaints.chi_square_finding(tests, columns.outcome))

# %%
if columns.has_status:
    odds = complaints.outcome_model(data, columns.outcome, columns.status, columns.severity,
                                    [c for c in ("segment",) if c in data.columns])
    fig, ax = plt.subplots(figsize=(8, 0.5 * len(odds) + 1.5))
    plots.odds_ratio_plot(odds, ax=ax).set_title(f"Odds ratios for {columns.outcome} (reference: no problem, minor problem)")
    plots.source_note(ax, source), plt.show()
    show(odds, f"Logistic regression of {columns.outcome}: odds ratios")

# %% [markdown]
# ## 3. The service-recovery paradox
#
# Are complainants whose problem was resolved quickly more loyal than customers who had
# no problem at all? Difference in rates with a Newcombe (Wilson-based) interval, a
# two-proportion z-test and, as a cross-check, a bootstrap interval. The verdict is read
# from the interval only: "supported" if it lies wholly on the loyal side of zero,
# "contradicted" if wholly on the other side, otherwise "inconclusive".

# %%
if columns.has_status:
    paradox = complaints.recovery_paradox(data, columns.outcome, columns.status, higher_is_better=columns.higher_is_better,
                                          weights=columns.weights, bootstrap=int(bootstrap), seed=seed)
    show(complaints.paradox_table(paradox), "Quickly resolved complainants minus customers with no problem")
    report.record("recovery_paradox", complaints.paradox_record(paradox))
    say(complaints.paradox_finding(paradox, columns.outcome, int(bootstrap)))
    if columns.severity is not None:
        show(complaints.paradox_by_severity(data, columns.outcome, columns.status, columns.severity,
                                            higher_is_better=columns.higher_is_better, weights=columns.weights),
             "Recovery paradox within each problem severity (quickly resolved vs no problem)")
else:
    display(Markdown(columns.missing("complaint statuses, so the recovery paradox cannot be tested")))

# %% [markdown]
# ## 4. Resolution time
#
# How long complaints take to resolve: a Kaplan-Meier curve (statsmodels), where
# complaints still open are censored at the hours they have been open so far; then the
# outcome of resolved complainants against time to resolution, in quantile bins with
# Wilson intervals and a logistic fit on log2(hours).

# %%
if columns.has_times:
    curve = complaints.resolution_times(data, "resolution_hours", columns.open_hours)
    summary = complaints.resolution_summary(data, "resolution_hours", columns.open_hours, fast_hours=fast_hours)
    binned = complaints.outcome_by_resolution_time(data, "resolution_hours", columns.outcome, bins=6, weights=columns.weights)
    effect = complaints.resolution_time_effect(data, "resolution_hours", columns.outcome)
    fig, axes = plt.subplots(1, 2, figsize=(12, 4))
    plots.retention_plot(curve, time="hours", survival="unresolved_share", ax=axes[0]).set(
        xscale="log", xlabel="hours since the complaint (log scale)", ylabel="share still unresolved",
        title=f"Complaints still unresolved (dashed: {fast_hours:g} hours)")
    axes[0].axvline(fast_hours, color="0.4", linestyle="--", linewidth=1)
    plots.loyalty_curve_plot(binned, x="median_hours", y="rate", low="low", high="high", fit=effect.curve, fit_x="hours",
                             fit_y="fitted", ax=axes[1]).set(xscale="log", xlabel="hours to resolution (bin median, log scale)",
                                                             ylabel=f"{columns.outcome} rate", title=f"{columns.outcome} by time to resolution")
    plots.source_note(axes[0], source), plt.tight_layout(), plt.show()
    show(summary, "Resolution times (Kaplan-Meier)")
    show(binned, f"{columns.outcome} rate of resolved complainants by time to resolution")
    for sentence in complaints.resolution_findings(summary, effect, columns.outcome, fast_hours):
        say(sentence)
else:
    display(Markdown(columns.missing("complaint resolution times")))

# %% [markdown]
# ## 5. Service calls and churn
#
# Churn rate by number of customer-service calls (contacts as a proxy for unresolved
# problems), with Wilson intervals. The threshold where churn jumps is the first call
# count whose churn is significantly above the pooled churn of all lower counts
# (one-sided two-proportion z-test, Bonferroni over the levels tested). A logistic model
# adds the plan covariates. On simulated data the analogue is churn by escalation level.

# %%
if columns.has_calls:
    by_calls = complaints.churn_by_calls(data, columns.calls, columns.churn)
    jumps = complaints.call_threshold(by_calls)
    plan_covariates = [c for c in ("international_plan", "voice_mail_plan", "account_length", "segment") if c in data.columns]
    calls_odds = complaints.calls_model(data, columns.churn, columns.calls, plan_covariates, threshold=complaints.threshold_level(jumps))
    fig, ax = plt.subplots(figsize=(9, 4))
    plots.interval_plot(by_calls, x="calls", y="rate", low="low", high="high", ax=ax).set(
        xlabel=columns.calls.replace("_", " "), ylabel="churn rate", title=f"Churn by {columns.calls.replace('_', ' ')}")
    plots.source_note(ax, source), plt.show()
    show(by_calls, f"Churn ({columns.churn}) by {columns.calls}")
    show(jumps, "Where churn jumps: each level against all lower levels")
    show(calls_odds, "Logistic model of churn: odds ratios")
    if columns.calls == "number_customer_service_calls":
        report.record("churn_by_service_calls", dict(zip(by_calls["calls"], by_calls["rate"])))
    say(complaints.calls_finding(jumps, calls_odds, columns.calls, plan_covariates))
else:
    display(Markdown(columns.missing("service-call counts with churn")))

# %% [markdown]
# ## 6. Complaint handling and loyalty
#
# Loyalty (mean of CUSL1-3) and the share of top-box loyal customers (mean loyalty at
# least 9 of 10) by satisfaction with complaint handling (CUSCO), with intervals, and the
# Spearman correlation between them.

# %%
if columns.has_cusco:
    by_cusco = complaints.loyalty_by_rating(data, "CUSCO", ["CUSL1", "CUSL2", "CUSL3"], top_box=9, scale=(1, 10))
    correlation = complaints.rank_correlation(data, "CUSCO", ["CUSL1", "CUSL2", "CUSL3"])
    fig, axes = plt.subplots(1, 2, figsize=(12, 4))
    for ax, (y, low, high, title) in zip(axes, [("mean_loyalty", "mean_low", "mean_high", "Mean loyalty (1-10)"),
                                                ("top_box", "top_low", "top_high", "Top-box loyal share (mean loyalty >= 9)")]):
        plots.loyalty_curve_plot(by_cusco, x="rating", y=y, low=low, high=high, ax=ax).set(
            title=title, xlabel="CUSCO (satisfaction with complaint handling)", ylabel=title.split(" (")[0])
    plots.source_note(axes[0], source), plt.tight_layout(), plt.show()
    show(by_cusco, "Loyalty by satisfaction with complaint handling (CUSCO)")
    show(correlation, "Spearman correlation of CUSCO with mean loyalty")
    say(complaints.correlation_finding(correlation))
else:
    display(Markdown(columns.missing("CUSCO and loyalty items CUSL1-3")))

# %% [markdown]
# ## 7. Word of mouth
#
# People reached by negative and positive stories. Counts of dissatisfied customers
# (a problem that was not complained about or not resolved) and satisfied customers
# (no problem, or a resolved complaint) come from the data; the multipliers are **seed
# 003 assumptions**, not estimates. Seed 003's "20% of them tell 20" is read as 20% of
# the dissatisfied *customers* telling 20 people instead of 10 (the seed counts
# customers, 客户, not people told); the cascade reading (20% of the people told retell
# to 20 each) is shown beside it.

# %%
if columns.has_status:
    mouth = complaints.word_of_mouth_by_status(data, columns.status, tell_dissatisfied=tell_dissatisfied,
                                               retell_share=retell_share, retell_count=retell_count, tell_satisfied=tell_satisfied)
    show(mouth, "Word of mouth: customers from the data x seed 003 multipliers (assumptions)")
    say(complaints.word_of_mouth_finding(mouth))
else:
    display(Markdown(columns.missing("complaint statuses to count dissatisfied and satisfied customers")))

# %% [markdown]
# ## 8. Findings
#
# In plain language, from the numbers above.

# %%
display(Markdown(f"*{source}*\n\n" + "\n".join(f"- {sentence}" for sentence in findings)))
