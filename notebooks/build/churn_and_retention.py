"""Write notebooks/churn_and_retention.ipynb (no outputs).

Run: ``.venv/bin/python notebooks/build/churn_and_retention.py [output.ipynb]``. Cell ids
are fixed, so rebuilding an unchanged script gives an identical file.
"""

import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

NOTEBOOK = Path(__file__).resolve().parents[1] / "churn_and_retention.ipynb"

cells = []


def md(text):
    cells.append(new_markdown_cell(text.strip()))


def code(text, **metadata):
    cells.append(new_code_cell(text.strip(), metadata=metadata))


md("""
# Churn and retention

How many customers leave, who leaves, how long customers stay, what drives leaving,
what a customer is worth over a lifetime and why customers go. The study starts from
seed 001's churn arithmetic (brief section 5) and then applies it to customer-level
data: the IBM telco customers (`telco_churn`), the MLC++ telecom accounts
(`service_calls_churn`), the simulator (known truth) or your own customer table.
Every table and figure names the data it comes from.
""")

code('''
dataset = "telco_churn"   # "telco_churn", "service_calls_churn", "simulated" or a file path (with schema)
schema = None             # schema of a user file (see csat_analysis.io.read_survey)
n = 20_000                # simulated customers (dataset="simulated")
segments = None           # segment columns; None: the data set's defaults
tenure = None             # tenure column (months; service_calls_churn: days); None: default
churn = None              # churn column (True = left); None: default
margin = 0.3              # profit margin on revenue (assumption)
acquisition_cost = 100.0  # cost of winning one customer, in the data's currency (assumption)
retention_cost = 2.0      # cost of keeping one customer for one month (assumption)
churn_base = "start"      # denominator of the churn rate: "start" (conventional) or "end" (seed 001)
seed = 0
results_path = None
''', tags=["parameters"])

md("## Set-up\nParameters are checked here, so a wrong name fails before any analysis runs.")

code('''
import textwrap

import matplotlib.pyplot as plt
import matplotlib.ticker as mticker
import numpy as np
import pandas as pd
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
customers = setup.data
TENURE = "tenure_months"
BASE_LABEL = {"start": "customers at the start", "end": "customers at the end (seed 001)"}[churn_base]


def show(table, caption, digits=3):
    """Display a table with its caption and data source."""
    display(table.style.format(precision=digits, thousands=",").hide(axis="index")
            .set_caption(f"{caption}<br><small>{study.source}</small>"))


def pct(x):
    return f"{100 * x:.1f}%"


display(Markdown(
    f"**Data:** {study.source}. Churn column `{setup.churn}`, tenure column `{setup.tenure}` "
    f"({setup.tenure_unit}{', converted to months at 30.4 days a month' if setup.tenure_unit == 'days' else ''}), "
    f"segments: {', '.join(f'`{s}`' for s in setup.segments)}."
    + (" Churn rates use the survey weights (`weight`)." if setup.weights else "")
))
''')

md("""
## 1. The seed's churn arithmetic

Seed 001 counts churned customers as `start - (end - new)` and divides by the **end**
count; the conventional rate divides by the **start** count. This project's default is
the start count; both are shown. Churn loss is the revenue lost through churned
customers times the profit margin. The table reproduces worked examples A and B of the
brief with `csat_analysis.metrics`.
""")

code('''
examples = ch.worked_examples()
show(examples.drop(columns="description"), "Seed 001 worked examples A and B (money in the seed's units)", digits=4)
a, b, b_last = (examples.iloc[i] for i in range(3))
report.record("example_a", a.drop("description"))
report.record("example_b", pd.concat([b.drop("description"), pd.Series({"churn_loss_last_year_revenue": b_last.churn_loss})]))
display(Markdown(
    f"Example A loses {a.churned:,.0f} of {a.start:,.0f} outlets: {pct(a.rate_start)} of the start count "
    f"({pct(a.rate_end)} by the seed's end count), and {a.churn_loss:,.0f}k of profit. Example B loses "
    f"{b.churned:,.0f} subscribers, {pct(b.rate_start)} ({pct(b.rate_end)} by the end count), costing "
    f"{b.churn_loss:,.0f} at this year's revenue ({b_last.churn_loss:,.0f} at last year's)."
))
''')

md("""
The same arithmetic works per tier. Seed 001's case 01 (an industrial parts maker)
reports A-tier dealer churn of 42% and B-tier churn of 23% in half a year after a
harsh policy change; the seed gives only the rates, so the counts below are
**illustrative**, chosen to give exactly those rates.
""")

code('''
tiers = ch.tier_example()
show(tiers, "Seed 001 case 01: churn per dealer tier (illustrative counts)")
display(Markdown(
    f"Tier A loses {pct(tiers.rate_start[0])} of its dealers against {pct(tiers.rate_start[1])} in tier B: "
    "the policy change hit the most valuable dealers hardest. On the end count the rates would read "
    f"{pct(tiers.rate_end[0])} and {pct(tiers.rate_end[1])}, so the base must always be stated."
))
''')

md("""
## 2. Churn on the data

A customer table is one period: customers who joined less than a month ago are the
period's *new* customers, the rest were there at its *start*, and the *end* count is
everyone who has not churned. The rate uses the base chosen in the parameters, with a
Wilson 95% interval.
""")

code('''
overall = ch.churn_by_segment(customers, setup.churn, tenure=TENURE, base=churn_base, weights=setup.weights).iloc[0]
report.record("n_customers", int(overall.n))
report.record("churn_rate", float(overall.rate))
report.record("churn_rate_low", float(overall.low))
report.record("churn_rate_high", float(overall.high))
report.record("churn_base", churn_base)
display(Markdown(
    f"Of {int(overall.n):,} customers, {overall.churned:,.0f} churned: a churn rate of **{pct(overall.rate)}** of "
    f"{BASE_LABEL} (95% interval {pct(overall.low)} to {pct(overall.high)}); "
    f"by the other base it is {pct(overall.rate_end if churn_base == 'start' else overall.rate_start)}."
))
''')

code('''
by_segment = ch.churn_by_segments(customers, setup.churn, setup.segments, tenure=TENURE, base=churn_base,
                                  weights=setup.weights)
report.record("churn_by_segment", by_segment[["segment", "level", "n", "churned", "rate", "low", "high"]])
show(by_segment[["segment", "level", "n", "start", "new", "churned", "rate_start", "rate_end", "low", "high"]],
     f"Churn by segment (interval for the {churn_base}-based rate)")

fig, axes = plt.subplots(1, len(setup.segments), figsize=(4.2 * len(setup.segments), 4), sharey=True, squeeze=False)
for ax, (segment, table) in zip(axes[0], by_segment.groupby("segment", sort=False)):
    plots.interval_plot(table, x="level", y="rate", low="low", high="high", ax=ax, kind="bar")
    ax.set_title(segment)
    ax.set_xlabel("")
    ax.set_ylabel("")
    # wrapped, unrotated labels stay clear of the source note under the axes
    ax.set_xticks(ax.get_xticks(), [textwrap.fill(str(level), 10) for level in table.level], fontsize=9)
axes[0][0].set_ylabel(f"churn rate ({churn_base} base)")
plots.source_note(axes[0][0], study.source)
fig.suptitle("Churn rate by segment, with 95% Wilson intervals")
plt.show()

widest = by_segment.assign(spread=by_segment.groupby("segment")["rate"].transform(lambda r: r.max() - r.min()))
top = widest.sort_values(["spread", "rate"], ascending=False).iloc[0]
low_row = by_segment[by_segment.segment == top.segment].sort_values("rate").iloc[0]
display(Markdown(
    f"Churn differs most by `{top.segment}`: {pct(top.rate)} for {top.level} against {pct(low_row.rate)} for "
    f"{low_row.level}."
))
''')

md("""
## 3. Retention curves

Kaplan-Meier curves (statsmodels `SurvfuncRight`) give the share of customers still
active after each month of tenure; active customers count until their current tenure
(right-censored). The bands are log-log 95% intervals. The median lifetime is the
tenure at which half the customers have left; where a segment never falls below half,
the median is *not reached* within the observed tenure. Log-rank tests ask whether a
segment's curves differ. Tenure bands are left out here: they are cut from the tenure
itself, so their curves would only restate the banding.
""")

code('''
time_segments = [s for s in setup.segments if s != "tenure_band"] or [None]
fig, axes = plt.subplots(1, len(time_segments), figsize=(4.6 * len(time_segments), 4), sharey=True, squeeze=False)
for ax, segment in zip(axes[0], time_segments):
    curves = ch.retention_curves(customers, TENURE, setup.churn, by=segment)
    plots.retention_plot(curves, hue=segment, ax=ax)
    ax.set_xlabel("tenure (months)")
    ax.set_ylabel("")
    ax.set_title(segment or "all customers")
axes[0][0].set_ylabel("share still a customer")
plots.source_note(axes[0][0], study.source)
fig.suptitle("Kaplan-Meier retention curves")
plt.show()

time_segments = [s for s in time_segments if s is not None]
medians = (ch.for_each_segment(ch.median_lifetime, customers, time_segments, tenure=TENURE, churn=setup.churn)
           if time_segments else ch.median_lifetime(customers, TENURE, setup.churn).assign(segment="all", level="all"))
overall_median = ch.median_lifetime(customers, TENURE, setup.churn).iloc[0]
report.record("median_lifetime_months", medians[["segment", "level", "n", "churned", "median", "low", "high", "reached"]])
report.record("median_lifetime_months_overall", overall_median["median"])
show(medians, "Median customer lifetime in months (missing: not reached)", digits=1)
tests = pd.concat([ch.logrank(customers, TENURE, setup.churn, segment) for segment in time_segments]
                  or [pd.DataFrame(columns=["segment", "groups", "chisq", "df", "pvalue"])], ignore_index=True)
if len(tests):
    show(tests, "Log-rank tests: do the retention curves differ between a segment's levels?", digits=4)
reached = medians[medians.reached]
shortest = reached.sort_values("median").iloc[0] if len(reached) else None
display(Markdown(
    (f"Half of all customers have left after {overall_median['median']:.0f} months. " if overall_median.reached
     else "Fewer than half of all customers have left within the observed tenure. ")
    + (f"The shortest median lifetime is {shortest['median']:.1f} months (`{shortest.segment}` = {shortest.level}). "
       if shortest is not None else "")
    + (f"{int((tests.pvalue < 0.05).sum())} of {len(tests)} segmentations have retention curves that differ at the 5% level."
       if len(tests) else "")
))
''')

code('''
if study.is_simulated:
    hazards = study.truth["monthly_churn_hazard"]
    horizon = float(customers[TENURE].max())
    truth = pd.DataFrame([{"repurchase": name == "repurchase", "monthly_hazard": h, **ch.geometric_lifetime(h, horizon)}
                          for name, h in hazards.items()])
    estimated = ch.median_lifetime(customers, TENURE, setup.churn, by="repurchase")
    rmst = ch.restricted_mean_lifetime(customers, TENURE, setup.churn, by="repurchase", horizon=horizon)
    check = truth.merge(estimated[["repurchase", "median", "low", "high"]].rename(columns={"median": "km_median"}), on="repurchase")
    check = check.merge(rmst[["repurchase", "rmst"]].rename(columns={"rmst": "km_rmst"}), on="repurchase")
    show(check, f"Simulated data: Kaplan-Meier against the known geometric churn (restricted mean to {horizon:.0f} months)", digits=3)
    display(Markdown(
        "The simulator draws a geometric time to churn with a monthly hazard that depends on repurchase intent; "
        "the Kaplan-Meier medians and restricted means above should sit close to the true values."
    ))
''')

md("""
## 4. Drivers of churn

A logistic regression (statsmodels formula API) of churn on the segment variables and
tenure, reported as odds ratios with 95% intervals: an odds ratio above 1 raises the
odds of churning relative to the reference level, holding the other variables fixed.
""")

code('''
drivers = ch.churn_drivers(customers, setup.churn, setup.drivers)
report.record("churn_drivers", drivers.table[["term", "odds_ratio", "low", "high", "pvalue"]])
show(drivers.table.drop(columns=["variable", "level"]),
     f"Logistic model of churn, n = {drivers.n:,}, McFadden pseudo R² = {drivers.pseudo_r2:.3f}", digits=3)
fig, ax = plt.subplots(figsize=(7, 0.4 * len(drivers.table) + 1.5))
plots.odds_ratio_plot(drivers.table, ax=ax)
ax.xaxis.set_major_locator(mticker.LogLocator(base=10, subs=(1, 2, 5)))
ax.xaxis.set_major_formatter(mticker.FuncFormatter(lambda value, _: f"{value:g}"))
ax.xaxis.set_minor_formatter(mticker.NullFormatter())
ax.set_xlabel("")
ax.set_title("Odds ratios of churning (95% intervals, log scale)")
plots.source_note(ax, study.source)
plt.show()
significant = drivers.table[drivers.table.pvalue < 0.05]
up = significant.sort_values("odds_ratio", ascending=False).iloc[0] if (significant.odds_ratio > 1).any() else None
down = significant.sort_values("odds_ratio").iloc[0] if (significant.odds_ratio < 1).any() else None
display(Markdown(
    (f"The strongest risk factor is {up.term} (odds ratio {up.odds_ratio:.2f}). " if up is not None else "")
    + (f"The strongest protection is {down.term} (odds ratio {down.odds_ratio:.2f}). " if down is not None else "")
    + f"{len(significant)} of {len(drivers.table)} terms are significant at the 5% level."
))
''')

md("""
## 5. Lifetime value per segment

Two views, with the assumptions as parameters (margin, acquisition cost per customer,
retention cost per customer-month):

* **seed formula** (seed 004): `(revenue - acquisition cost - retention cost) / customers`
  on what the segment has earned so far (monthly revenue x tenure);
* **expected**: margin x monthly revenue x expected lifetime, minus the acquisition
  cost and the retention cost over that lifetime, where the expected lifetime is the
  area under the segment's retention curve up to a common horizon (restricted mean
  lifetime). Customers who stay past the horizon are undercounted, so this is a
  conservative value.
""")

code('''
value_segments = [s for s in time_segments]
if setup.monthly_revenue is None:
    clv = None
    display(Markdown("The data has no revenue column, so lifetime value is not computed; "
                     "see the expected lifetimes (restricted means) instead."))
elif not value_segments:
    clv = None
    display(Markdown("Lifetime value by tenure band would compare customers by how long they have already stayed; "
                     "choose another segment to compute it."))
else:
    clv = ch.for_each_segment(ch.lifetime_value, customers, value_segments, tenure=TENURE, churn=setup.churn,
                              monthly_revenue=setup.monthly_revenue, margin=margin,
                              acquisition_cost=acquisition_cost, retention_cost=retention_cost)
    report.record("clv_by_segment", clv)
    report.record("clv_assumptions", {"margin": margin, "acquisition_cost": acquisition_cost,
                                      "retention_cost_per_month": retention_cost,
                                      "monthly_revenue_column": setup.monthly_revenue})
    show(clv, f"Lifetime value per customer (margin {margin:.0%}, acquisition {acquisition_cost:,.0f}, "
              f"retention {retention_cost:,.2f} a month; revenue column `{setup.monthly_revenue}`)", digits=1)
    first = clv[clv.segment == value_segments[0]]
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.bar(first.level, first.clv_expected, color="C0")
    ax.axhline(0, color="0.3", linewidth=1)
    ax.set_xlabel("")
    ax.set_ylabel("expected lifetime value per customer")
    ax.set_title(f"Expected lifetime value by {value_segments[0]} (horizon {first.horizon.iloc[0]:.0f} months)")
    plots.source_note(ax, study.source)
    plt.show()
    best, worst = first.sort_values("clv_expected").iloc[-1], first.sort_values("clv_expected").iloc[0]
    display(Markdown(
        f"Under the stated assumptions, a customer with `{value_segments[0]}` = {best.level} is expected to be worth "
        f"{best.clv_expected:,.0f} over {best.expected_lifetime:.1f} months, against {worst.clv_expected:,.0f} over "
        f"{worst.expected_lifetime:.1f} months for {worst.level}."
    ))
''')

md("""
## 6. Why customers leave

Seeds 000 and 001: 1% of churned customers die, 3% move away, 5% change habits, 9%
leave for a competitor's price or benefits, 14% over product or service quality and
68% because of the company's indifference. The last three are controllable.
""")

code('''
if setup.cause is None:
    causes = None
    display(Markdown(f"This data set ({study.name}) records no churn causes, so this section is skipped."))
else:
    causes = ch.churn_causes(customers, setup.cause, churn=setup.churn)
    report.record("churn_causes", causes)
    show(causes, "Churn causes among churned customers (Wilson 95% intervals) against the seeds' shares")
    fig, ax = plt.subplots(figsize=(7, 4))
    plots.interval_plot(causes, x="cause", y="share", low="low", high="high", ax=ax, kind="bar")
    ax.scatter(range(len(causes)), causes.seed_share, marker="_", s=400, color="black", zorder=3, label="seed share")
    ax.legend()
    ax.set_xlabel("")
    ax.set_ylabel("share of churned customers")
    ax.set_title("Churn causes")
    plots.source_note(ax, study.source)
    plt.show()
    controllable = causes.loc[causes.controllable, "n"].sum() / causes.n.sum()
    report.record("controllable_share", float(controllable))
    display(Markdown(
        f"{pct(controllable)} of churned customers left for reasons the company controls "
        f"(competitor, quality, indifference); the seeds put this at 91%."
    ))
''')

md("## 7. Findings")

code('''
lines = [
    f"- **Churn:** {pct(overall.rate)} of {BASE_LABEL} churned (95% interval {pct(overall.low)}-{pct(overall.high)}), "
    f"{int(overall.n):,} customers; {study.source}.",
    f"- **Who leaves:** churn varies most by `{top.segment}`, from {pct(low_row.rate)} ({low_row.level}) "
    f"to {pct(top.rate)} ({top.level}).",
]
if shortest is not None:
    lines.append(f"- **How long they stay:** the shortest median lifetime is {shortest['median']:.1f} months "
                 f"(`{shortest.segment}` = {shortest.level}).")
if up is not None:
    lines.append(f"- **Drivers:** holding the rest fixed, {up.term} multiplies the odds of churning by {up.odds_ratio:.2f}.")
if clv is not None:
    lines.append(f"- **Value:** by `{value_segments[0]}`, expected lifetime value per customer ranges from "
                 f"{worst.clv_expected:,.0f} ({worst.level}) to {best.clv_expected:,.0f} ({best.level}) "
                 "under the stated margin and costs.")
if causes is not None:
    lines.append(f"- **Causes:** {pct(controllable)} of churn is controllable.")
lines.append(f"- **Arithmetic:** the seed's examples reproduce: A {pct(a.rate_start)} ({pct(a.rate_end)} on the end count), "
             f"B {pct(b.rate_start)} ({pct(b.rate_end)}).")
display(Markdown("\\n".join(lines)))
''')

notebook = new_notebook(cells=cells, metadata={
    "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
    "language_info": {"name": "python"},
})
for number, cell in enumerate(notebook.cells):
    cell.id = f"churn-{number:02d}"
nbformat.validate(notebook)
target = Path(sys.argv[1]) if len(sys.argv) > 1 else NOTEBOOK
target.write_text(nbformat.writes(notebook), encoding="utf-8")
print(f"wrote {target}")
