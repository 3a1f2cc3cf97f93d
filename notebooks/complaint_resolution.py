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
# is handled, and what that does to repurchase and churn. The benchmarks are the figures
# commonly quoted from Technical Assistance Research Programs (TARP), *Consumer Complaint
# Handling in America: An Update Study* (U.S. Office of Consumer Affairs, 1986):
# repurchase by complaint status and problem severity, the 4% voice rate, the escalation
# pyramid and the word-of-mouth multipliers.
#
# The study runs on the simulator (default: known truth, **not a real survey**), on the
# real `service_calls_churn` data (customer-service calls as a proxy for unresolved
# problems), on the real `mobi` data (satisfaction with complaint handling against
# loyalty), or on your own survey (`dataset` = file path, `survey` = its description).
# The survey description says which columns hold the complaint answers: a complaint
# status, or "had a problem" / "complained" / "resolved" (and "resolved quickly" or the
# hours to resolution, read against `fast_hours`), severity, escalation level,
# satisfaction with complaint handling and the loyalty items. Each section runs on what
# the data support; the others are listed in the summary with what would make them run.

# %% tags=["parameters"]
dataset = "simulated"  # "simulated", a bundled name ("service_calls_churn", "mobi"), or a file path
schema = None  # schema for a user file (see csat_analysis.io.read_survey)
survey = None           # survey description (YAML path or dict): what each column means; None: the data set's own
n = 20000  # simulated respondents
segment = None  # segment column (None: the survey's first segment when segment_value is set)
segment_value = None  # keep only this segment's respondents (None: everyone)
outcome = None  # yes/no outcome column; None: the survey's complaint outcome, behaviour or churn flag
status = None  # complaint status column; None: the survey's, or derived from the problem/complaint answers
severity = None  # problem severity column; None: the survey's (if any); "": none
fast_hours = 24.0  # a resolved complaint counts as quick at or below this many hours (when times are known)
bootstrap = 1000  # bootstrap resamples for the recovery-paradox interval (0: none)
seed = 0
language = "en"  # report language: "en" (English) or "zh" (simplified Chinese)
tell_dissatisfied = 10  # TARP (1986): people a dissatisfied customer tells
retell_share = 0.2  # TARP (1986): share of dissatisfied customers who tell retell_count people
retell_count = 20
tell_satisfied = 5  # TARP (1986): people a satisfied customer tells

# %%
import pandas as pd

from csat_analysis import plots
from csat_analysis.studies import StudyRun, complaint_resolution

plots.set_theme()
pd.set_option("display.precision", 3)
run = StudyRun(dataset, study="complaint_resolution", schema=schema, survey=survey, n=n, seed=seed, language=language)
settings = complaint_resolution.settings(
    run, segment=segment, segment_value=segment_value, outcome=outcome, status=status, severity=severity,
    fast_hours=fast_hours, bootstrap=bootstrap, seed=seed, tell_dissatisfied=tell_dissatisfied,
    retell_share=retell_share, retell_count=retell_count, tell_satisfied=tell_satisfied)
run.show_summary()
run.show(complaint_resolution.data_section(settings))

# %% [markdown]
# ## 1. The complaint funnel
#
# Problems -> complaints (the voice rate) -> resolved (at first contact) -> escalated to
# middle management -> reached top management, as far as the data have these stages,
# each as a share of the stage it is taken of, with 95% Wilson intervals (with survey
# weights: design-based standard errors), beside the escalation pyramid quoted from TARP
# (1986) (500 -> 200 -> 50 -> 10 -> 2 -> 1) and its 4% voice rate. The pyramid's own
# complaint share (200 of 500) contradicts the 4% voice rate quoted from the same study;
# the comparison uses the 4%.

# %%
section = complaint_resolution.funnel_section(settings)
run.show(section)

# %% [markdown]
# ## 2. The TARP table rebuilt from the data
#
# Outcome rate by complaint status x problem severity, with 95% Wilson intervals (with
# survey weights, on the effective size of design-based standard errors), beside the
# TARP (1986) repurchase rates (crosses; they are repurchase rates, so a churn outcome
# has none).

# %%
section = complaint_resolution.tarp_section(settings)
run.show(section)

# %% [markdown]
# Chi-square tests of complaint status against the outcome within each severity, with
# Cramér's V and its interval as the effect size.

# %%
section = complaint_resolution.chi_square_section(settings)
run.show(section)

# %% [markdown]
# A logistic regression giving odds ratios against customers with no problem (and, for
# severity, against a minor problem).

# %%
section = complaint_resolution.odds_section(settings)
run.show(section)

# %% [markdown]
# ## 3. The service-recovery paradox
#
# Are complainants whose problem was resolved quickly more loyal than customers who had
# no problem at all (McCollough and Bharadwaj 1992; meta-analysis: de Matos, Henrique and
# Rossi 2007)? Difference in rates with a Newcombe (Wilson-based) interval, a
# two-proportion z-test, Cohen's h as the effect size and, as a cross-check, a bootstrap
# interval. The verdict is read from the interval only: "supported" if it lies wholly on
# the loyal side of zero, "contradicted" if wholly on the other side, otherwise
# "inconclusive".

# %%
section = complaint_resolution.paradox_section(settings)
run.show(section)

# %% [markdown]
# ## 4. Resolution time
#
# How long complaints take to resolve: a Kaplan-Meier curve, where complaints still open
# are censored at the hours they have been open so far; then the outcome of resolved
# complainants against time to resolution, in quantile bins with Wilson intervals and a
# logistic fit on log2(hours).

# %%
section = complaint_resolution.resolution_section(settings)
run.show(section)

# %% [markdown]
# ## 5. Service calls and churn
#
# Churn rate by number of customer-service calls (contacts as a proxy for unresolved
# problems), with Wilson intervals. The threshold where churn jumps is the first call
# count whose churn is significantly above the pooled churn of all lower counts
# (one-sided two-proportion z-test, Bonferroni over the levels tested). A logistic model
# adds the plan covariates. On simulated data the analogue is churn by escalation level.

# %%
section = complaint_resolution.calls_section(settings)
run.show(section)

# %% [markdown]
# ## 6. Complaint handling and loyalty
#
# Loyalty (the mean of the loyalty items, each read on its own scale) and the share of
# top-two-box loyal customers by satisfaction with complaint handling, with intervals,
# and the Spearman correlation between them.

# %%
section = complaint_resolution.handling_section(settings)
run.show(section)

# %% [markdown]
# ## 7. Word of mouth
#
# People reached by negative and positive stories. Counts of dissatisfied customers
# (a problem that was not complained about or not resolved) and satisfied customers
# (no problem, or a resolved complaint) come from the data; the multipliers are the
# figures commonly quoted from TARP (1986), **assumptions**, not estimates. "20% of them
# tell 20" is read as 20% of the dissatisfied *customers* telling 20 people instead of 10;
# the cascade reading (20% of the people told retell to 20 each) is shown beside it.

# %%
section = complaint_resolution.word_of_mouth_section(settings)
run.show(section)

# %%
run.show_references()
