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
# # Churn and retention
#
# How many customers leave, who leaves, how long customers stay, what drives leaving,
# what a customer is worth over a lifetime and why customers go. The study starts from
# the churn arithmetic of worked examples from churn-management training material and
# then applies it to customer-level data: the IBM telco customers (`telco_churn`), the
# MLC++ telecom accounts (`service_calls_churn`), the simulator (known truth) or your
# own customer table. Every table and figure names the data it comes from.

# %% tags=["parameters"]
dataset = "telco_churn"   # "telco_churn", "service_calls_churn", "simulated" or a file path (with schema)
schema = None             # schema of a user file (see csat_analysis.io.read_survey)
survey = None           # survey description (YAML path or dict): what each column means; None: the data set's own
n = 20000                 # customers to simulate (simulated data only)
segments = None           # segment columns; None: the survey's churn roles
segment = None            # a column to filter on, e.g. "contract"; None: all customers
segment_value = None      # the level of that column to keep, e.g. "Month-to-month"
tenure = None             # tenure column in months (service_calls_churn: days); None: default
churn = None              # churn column, true when the customer left; None: default
margin = 0.3              # ASSUMPTION: profit margin on revenue
acquisition_cost = 100.0  # ASSUMPTION: one-off cost of winning one customer, in the data's currency
retention_cost = 2.0      # ASSUMPTION: cost of keeping one customer for one month
churn_base = "start"      # denominator of the churn rate: "start" (conventional) or "end"
seed = 0                  # random seed of the simulator
language = "en"  # report language: "en" (English) or "zh" (simplified Chinese)

# %% [markdown] tags=["analyst-only"]
# ## Set-up
# Parameters are checked here, so a wrong name fails before any analysis runs. Margin and
# costs are **assumptions** set as parameters, not read from the data.

# %%
from csat_analysis import plots
from csat_analysis.studies import StudyRun
from csat_analysis.studies import churn_and_retention as study

plots.set_theme()
run = StudyRun(dataset, study="churn_and_retention", schema=schema, survey=survey, n=n, seed=seed, language=language)
settings = study.settings(run, segments=segments, tenure=tenure, churn=churn, churn_base=churn_base,
                          margin=margin, acquisition_cost=acquisition_cost, retention_cost=retention_cost,
                          segment=segment, segment_value=segment_value)
run.show_summary()
settings

# %% [markdown]
# ## 1. The churn arithmetic
#
# Worked examples from churn-management training material count churned customers as
# `start - (end - new)` and divide by the **end** count; the conventional rate divides by
# the **start** count. This project's default is the start count; both are shown. Churn
# loss is the revenue lost through churned customers times the profit margin. The table
# reproduces worked examples A (small appliances, money in thousands) and B (telecom)
# with `csat_analysis.metrics`.

# %%
examples = study.examples_section()
run.show(examples)

# %% [markdown]
# The same arithmetic works per tier. In a third worked example an industrial parts maker
# reports A-tier dealer churn of 42% and B-tier churn of 23% in half a year after a harsh
# policy change; the example gives only the rates, so the counts below are
# **illustrative**, chosen to give exactly those rates.

# %%
tiers = study.tiers_section()
run.show(tiers)

# %% [markdown]
# ## 2. Churn on the data
#
# A customer table is one period: customers who joined less than a month ago are the
# period's *new* customers, the rest were there at its *start*, and the *end* count is
# everyone who has not churned. The rate uses the base chosen in the parameters, with a
# Wilson 95% interval (on weighted data, such as the simulator's, a design-based interval
# from Taylor linearisation, as R's `survey` package computes it). The end-based rate can
# exceed 100% where more customers left than remain, as among the newest customers. Beside
# the rates, a chi-square test per segment asks whether churn differs between its levels,
# with Cramér's V as the size of the difference (0: none, 1: complete).

# %%
overall = study.overall_section(settings)
run.show(overall)

# %%
by_segment = study.segment_section(settings)
run.show(by_segment)

# %% [markdown]
# ## 3. Retention curves
#
# Kaplan-Meier curves (statsmodels `SurvfuncRight`) give the share of customers still
# active after each month of tenure; active customers count until their current tenure
# (right-censored). The bands are log-log 95% intervals; where that interval is undefined
# (before a segment's first churn, while the curve is still 1) no band is drawn, as in R's
# `survival` package. The median lifetime is the
# tenure at which half the customers have left; where a segment never falls below half,
# the median is *not reached* within the observed tenure. Log-rank tests ask whether a
# segment's curves differ. Tenure bands are left out here: they are cut from the tenure
# itself, so their curves would only restate the banding. The curves count every
# customer once (unweighted): `csat_analysis.survival` takes no survey weights.

# %%
retention = study.retention_section(settings)
run.show(retention)

# %% [markdown]
# On simulated data the truth is known: the simulator draws a geometric time to churn
# with a monthly hazard that depends on repurchase intent. The Kaplan-Meier medians and
# restricted means should sit close to the true values (other data sets skip this check).

# %%
check = study.simulation_section(settings)
run.show(check)

# %% [markdown]
# ## 4. Drivers of churn
#
# A logistic regression (statsmodels formula API) of churn on the segment variables and
# tenure, reported as odds ratios with 95% intervals: an odds ratio above 1 raises the
# odds of churning relative to the reference level, holding the other variables fixed.
# Numeric terms (tenure, charges) are per unit: one month, one unit of currency.

# %%
drivers = study.drivers_section(settings)
run.show(drivers)

# %% [markdown]
# The logistic model asks *whether* a customer has churned by now; a Cox
# proportional-hazards model asks *how soon*: a hazard ratio above 1 means customers with
# that trait leave sooner at any tenure. Tenure is the model's time axis, so it is not a
# covariate here. The concordance says how well the model ranks who leaves first (0.5:
# chance), and the proportional-hazards check flags covariates whose effect changes with
# tenure, for which the hazard ratio is an average.

# %%
cox = study.cox_section(settings)
run.show(cox)

# %% [markdown]
# ## 5. Lifetime value per segment
#
# Two views, both resting on the **assumed** margin, acquisition cost and retention cost
# (notebook parameters, stated again with the numbers below); revenue and lifetimes come
# from the data:
#
# * **to date**: `(revenue - acquisition cost - retention cost) / customers`, the
#   formula of churn-management training material, on what the segment has earned so
#   far (monthly revenue x tenure);
# * **expected**: margin x monthly revenue x expected lifetime, minus the acquisition
#   cost and the retention cost over that lifetime, where the expected lifetime is the
#   area under the segment's (unweighted) retention curve up to a common horizon
#   (restricted mean lifetime). Customers who stay past the horizon are undercounted,
#   so this is a conservative value.

# %%
value = study.value_section(settings)
run.show(value)

# %% [markdown]
# ## 6. Why customers leave
#
# Widely quoted figures attributed to a Rockefeller Corporation study (e.g. M. LeBoeuf,
# *How to Win Customers and Keep Them for Life*, 1987): 1% of churned customers die, 3%
# move away, 5% change habits, 9% leave for a competitor's price or benefits, 14% over
# product or service quality and 68% because of the company's indifference. The last
# three are controllable.

# %%
causes = study.causes_section(settings)
run.show(causes)

# %%
run.show_references()
