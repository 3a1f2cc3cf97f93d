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
# seed 001's churn arithmetic (brief section 5) and then applies it to customer-level
# data: the IBM telco customers (`telco_churn`), the MLC++ telecom accounts
# (`service_calls_churn`), the simulator (known truth) or your own customer table.
# Every table and figure names the data it comes from.

# %% tags=["parameters"]
dataset = "telco_churn"   # "telco_churn", "service_calls_churn", "simulated" or a file path (with schema)
schema = None             # schema of a user file (see csat_analysis.io.read_survey)
n = 20000                 # customers to simulate (simulated data only)
segments = None           # segment columns; None: the data set's defaults
tenure = None             # tenure column in months (service_calls_churn: days); None: default
churn = None              # churn column, true when the customer left; None: default
margin = 0.3              # ASSUMPTION: profit margin on revenue
acquisition_cost = 100.0  # ASSUMPTION: one-off cost of winning one customer, in the data's currency
retention_cost = 2.0      # ASSUMPTION: cost of keeping one customer for one month
churn_base = "start"      # denominator of the churn rate: "start" (conventional) or "end" (seed 001)
seed = 0
results_path = None

# %% [markdown]
# ## Set-up
# Parameters are checked here, so a wrong name fails before any analysis runs. Margin and
# costs are **assumptions** set as parameters, not read from the data.

# %%
import matplotlib.pyplot as plt
import matplotlib.ticker as mticker
from IPython.display import Markdown, display

from csat_analysis import churn as ch
from csat_analysis import plots, report
from csat_analysis._validation import check_choice
from csat_analysis.datasets import open_study_data
from csat_analysis.errors import StudyError

report.set_results_path(results_path)
plots.set_theme()
check_choice("churn_base", churn_base, ["start", "end"], error=StudyError)
ch.check_assumptions(margin, acquisition_cost, retention_cost)
study = open_study_data(dataset, schema=schema, n=n, seed=seed)
setup = ch.setup_study(study.data, ch.dataset_key(study), segments=segments, tenure=tenure, churn=churn)
customers, TENURE, source = setup.data, "tenure_months", study.source
display(Markdown(setup.describe(source)))

# %% [markdown]
# ## 1. The seed's churn arithmetic
#
# Seed 001 counts churned customers as `start - (end - new)` and divides by the **end**
# count; the conventional rate divides by the **start** count. This project's default is
# the start count; both are shown. Churn loss is the revenue lost through churned
# customers times the profit margin. The table reproduces worked examples A and B of the
# brief with `csat_analysis.metrics` (example A's money is in thousands).

# %%
examples = ch.worked_examples()
display(ch.styled(examples.drop(columns="description"), "Seed 001 worked examples A and B (money in the seed's units)",
                  "Seed 001, cases 02 and 03 (worked examples, not the study data)", percent=["rate_start", "rate_end", "retention", "margin"]))
for name, value in ch.examples_results(examples).items():
    report.record(name, value)
display(Markdown(ch.examples_finding(examples)))

# %% [markdown]
# The same arithmetic works per tier. Seed 001's case 01 (an industrial parts maker)
# reports A-tier dealer churn of 42% and B-tier churn of 23% in half a year after a
# harsh policy change; the seed gives only the rates, so the counts below are
# **illustrative**, chosen to give exactly those rates.

# %%
tiers = ch.tier_example()
display(ch.styled(tiers, "Seed 001 case 01: churn per dealer tier (illustrative counts)",
                  "Seed 001, case 01 (rates from the seed, counts illustrative)", percent=["rate_start", "rate_end", "retention"]))
display(Markdown(ch.tier_finding(tiers)))

# %% [markdown]
# ## 2. Churn on the data
#
# A customer table is one period: customers who joined less than a month ago are the
# period's *new* customers, the rest were there at its *start*, and the *end* count is
# everyone who has not churned. The rate uses the base chosen in the parameters, with a
# Wilson 95% interval. The end-based rate can exceed 100% where more customers left than
# remain, as among the newest customers.

# %%
overall = ch.churn_by_segment(customers, setup.churn, tenure=TENURE, base=churn_base, weights=setup.weights).iloc[0]
for name, value in ch.overall_results(overall).items():
    report.record(name, value)
display(Markdown(ch.overall_finding(overall, weighted=setup.weights is not None)))

# %%
by_segment = ch.churn_by_segments(customers, setup.churn, setup.segments, tenure=TENURE, base=churn_base,
                                  weights=setup.weights)
report.record("churn_by_segment", by_segment[["segment", "level", "n", "churned", "rate", "low", "high"]])
display(ch.styled(by_segment[["segment", "level", "n", "start", "new", "churned", "rate_start", "rate_end", "low", "high"]],
                  f"Churn by segment (95% interval for the {churn_base}-based rate)", source,
                  percent=["rate_start", "rate_end", "low", "high"], digits=1))
axes = plots.interval_panels(by_segment, panel="segment", x="level", y="rate", low="low", high="high",
                             ylabel=f"churn rate ({churn_base} base)", source=source, wrap=12)
axes[0].yaxis.set_major_formatter(mticker.PercentFormatter(1.0))
axes[0].figure.suptitle("Churn rate by segment, with 95% Wilson intervals")
plt.show()
display(Markdown(ch.segment_finding(by_segment)))

# %% [markdown]
# ## 3. Retention curves
#
# Kaplan-Meier curves (statsmodels `SurvfuncRight`) give the share of customers still
# active after each month of tenure; active customers count until their current tenure
# (right-censored). The bands are log-log 95% intervals. The median lifetime is the
# tenure at which half the customers have left; where a segment never falls below half,
# the median is *not reached* within the observed tenure. Log-rank tests ask whether a
# segment's curves differ. Tenure bands are left out here: they are cut from the tenure
# itself, so their curves would only restate the banding. The curves count every
# customer once (unweighted): `csat_analysis.survival` takes no survey weights.

# %%
time_segments = ch.time_segments(setup.segments)
curves = ch.retention_curves_by_segment(customers, TENURE, setup.churn, time_segments)
axes = plots.retention_panels(curves, panel="segment", hue="level", xlabel="tenure (months)",
                              ylabel="share still a customer", source=source)
axes[0].figure.suptitle("Kaplan-Meier retention curves (unweighted, 95% bands)")
plt.show()
lifetimes = ch.lifetimes(customers, TENURE, setup.churn, time_segments, weighted_data=setup.weights is not None)
for name, value in lifetimes.to_results().items():
    report.record(name, value)
display(ch.styled(lifetimes.medians.drop(columns="reached"), "Median customer lifetime in months", source,
                  digits=1, missing_labels={"median": "not reached"}))
display(ch.styled(lifetimes.tests, "Log-rank tests: do the retention curves differ between a segment's levels?", source))
display(Markdown(lifetimes.finding()))

# %% [markdown]
# On simulated data the truth is known: the simulator draws a geometric time to churn
# with a monthly hazard that depends on repurchase intent. The Kaplan-Meier medians and
# restricted means should sit close to the true values (other data sets skip this check).

# %%
if study.is_simulated:
    check = ch.simulation_check(customers, TENURE, setup.churn, study.truth["monthly_churn_hazard"])
    display(ch.styled(check, "Simulated data: Kaplan-Meier against the known geometric churn", source, digits=2,
                      percent=["monthly_hazard"]))
    display(Markdown(ch.simulation_finding(check)))
else:
    display(Markdown(f"{study.name} is real data with no known truth; this check runs on `dataset=\"simulated\"`."))

# %% [markdown]
# ## 4. Drivers of churn
#
# A logistic regression (statsmodels formula API) of churn on the segment variables and
# tenure, reported as odds ratios with 95% intervals: an odds ratio above 1 raises the
# odds of churning relative to the reference level, holding the other variables fixed.
# Numeric terms (tenure, charges) are per unit: one month, one unit of currency.

# %%
drivers = ch.churn_drivers(customers, setup.churn, setup.drivers)
report.record("churn_drivers", drivers.table[["term", "odds_ratio", "low", "high", "pvalue"]])
display(ch.styled(drivers.table.drop(columns=["variable", "level"]),
                  f"Logistic model of churn, n = {drivers.n:,}, McFadden pseudo R² = {drivers.pseudo_r2:.3f}", source, digits=3))
fig, ax = plt.subplots(figsize=(7, 0.4 * len(drivers.table) + 1.5))
plots.odds_ratio_plot(drivers.table, ax=ax)
ax.xaxis.set_major_locator(mticker.LogLocator(base=10, subs=(1, 2, 5)))
ax.xaxis.set_major_formatter(mticker.FuncFormatter(lambda value, _: f"{value:g}"))
ax.xaxis.set_minor_formatter(mticker.NullFormatter())
ax.set(xlabel="odds ratio (log scale)", title="Odds ratios of churning (95% intervals)")
plots.source_note(ax, source)
plt.show()
display(Markdown(ch.drivers_finding(drivers.table)))

# %% [markdown]
# ## 5. Lifetime value per segment
#
# Two views, both resting on the **assumed** margin, acquisition cost and retention cost
# (notebook parameters, stated again with the numbers below); revenue and lifetimes come
# from the data:
#
# * **seed formula** (seed 004): `(revenue - acquisition cost - retention cost) / customers`
#   on what the segment has earned so far (monthly revenue x tenure);
# * **expected**: margin x monthly revenue x expected lifetime, minus the acquisition
#   cost and the retention cost over that lifetime, where the expected lifetime is the
#   area under the segment's (unweighted) retention curve up to a common horizon
#   (restricted mean lifetime). Customers who stay past the horizon are undercounted,
#   so this is a conservative value.

# %%
values = ch.lifetime_values(customers, TENURE, setup.churn, time_segments, monthly_revenue=setup.monthly_revenue,
                            margin=margin, acquisition_cost=acquisition_cost, retention_cost=retention_cost)
for name, value in values.to_results().items():
    report.record(name, value)
display(Markdown(values.assumptions_note()))
if values.available:
    display(ch.styled(values.table, f"Lifetime value per customer under the assumptions above (revenue column: {setup.monthly_revenue})",
                      source, digits=1))
    first = values.first_segment()
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.bar(first.level.map(str), first.clv_expected, color="C0")
    ax.axhline(0, color="0.3", linewidth=1)
    ax.set(xlabel="", ylabel="expected lifetime value per customer",
           title=f"Expected lifetime value by {first.segment.iloc[0]}\n(assumed margin {margin:.0%}, horizon {first.horizon.iloc[0]:.0f} months)")
    plots.source_note(ax, source)
    plt.show()
display(Markdown(values.finding()))

# %% [markdown]
# ## 6. Why customers leave
#
# Seeds 000 and 001: 1% of churned customers die, 3% move away, 5% change habits, 9%
# leave for a competitor's price or benefits, 14% over product or service quality and
# 68% because of the company's indifference. The last three are controllable.

# %%
causes = ch.causes(customers, setup.cause, setup.churn, study.name)
for name, value in causes.to_results().items():
    report.record(name, value)
if causes.available:
    display(ch.styled(causes.table, "Churn causes among churned customers (Wilson 95% intervals) against the seeds' shares",
                      source, percent=["share", "low", "high", "seed_share"]))
    fig, ax = plt.subplots(figsize=(7, 4))
    plots.interval_plot(causes.table, x="cause", y="share", low="low", high="high", ax=ax, kind="bar")
    ax.scatter(range(len(causes.table)), causes.table.seed_share, marker="_", s=400, color="black", zorder=3, label="seeds' share")
    ax.yaxis.set_major_formatter(mticker.PercentFormatter(1.0))
    ax.legend()
    ax.set(xlabel="", ylabel="share of churned customers", title="Churn causes")
    plots.source_note(ax, source)
    plt.show()
display(Markdown(causes.finding()))

# %% [markdown]
# ## 7. Findings

# %%
display(Markdown(ch.key_findings(overall=overall, by_segment=by_segment, lifetimes=lifetimes, drivers=drivers,
                                 values=values, causes=causes, examples=examples, source=source)))
