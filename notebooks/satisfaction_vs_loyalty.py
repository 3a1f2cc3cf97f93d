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
# # Satisfaction versus loyalty
#
# Satisfaction is necessary but not sufficient for loyalty (brief section 3, seed 001).
# This study asks, on one survey: how does loyalty rise with satisfaction, and where is
# the curve steep? Which customers are loyal for the wrong reasons? Which attributes
# drive satisfaction, and which is the "short stave" (seed 002)? What are the
# satisfaction and loyalty indices (0-100, brief section 2) and how certain are they?
# It runs on the real ECSI survey `mobi`, the corporate-reputation survey `corp_rep`
# (all four providers or one), the simulator (known truth, including seed 004's dealer
# table) or your own survey. Every table and figure names the data it comes from.

# %% tags=["parameters"]
dataset = "mobi"        # "mobi", "corp_rep", "simulated" or a file path (with schema)
schema = None           # schema of a user file (see csat_analysis.io.read_survey)
satisfaction = None     # satisfaction items; None: the data set's default (mobi CUSA1-3, corp_rep cusa)
loyalty = None          # loyalty items; None: default (mobi CUSL1-3, corp_rep cusl_1-3)
drivers = None          # driver items, or {construct: [items]}; None: default
segment = None          # segment column; None: default (corp_rep serviceprovider); "none": no segments
segment_value = None    # keep only this segment (e.g. 2 for corp_rep provider 2)
top_box = 2             # loyal or satisfied: a mean score in the top 2 (top_box) points of the scale
model = None            # "ecsi", "simple" (drivers -> satisfaction -> loyalty) or "none"; None: default
bootstrap = 1000        # bootstrap resamples for the PLS model
seed = 0
n = 5000                # simulated respondents (only for the simulated data set)
results_path = None

# %% [markdown]
# ## Set-up
# Parameters are checked here, so a wrong name fails before any analysis runs.

# %%
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import Markdown, display

from csat_analysis import drivers as drv
from csat_analysis import loyalty as loy
from csat_analysis import plots, report
from csat_analysis.datasets import open_study_data

report.set_results_path(results_path)
plots.set_theme()

study = open_study_data(dataset, schema=schema, n=n, seed=seed)
settings = loy.resolve_settings(study, satisfaction=satisfaction, loyalty=loyalty, drivers=drivers, segment=segment,
                                segment_value=segment_value, top_box=top_box, model=model)
data, source = settings.data, loy.study_source(study, settings)
report.record("n_respondents", len(data))
display(Markdown(loy.settings_note(settings, source)))

# %% [markdown]
# ## 1. Sample, scales, missingness and reliability
#
# Each multi-item measure should hang together (Cronbach's alpha, with Feldt's 95%
# interval; 0.7 is the usual floor) before its mean is read as one score. The index
# column is the measure's mean item score rescaled to 0-100.

# %%
measure_table = loy.describe_measures(data, loy.study_measures(settings), settings.scale, weights=settings.weights)
display(loy.styled_table(measure_table, source))
display(Markdown(loy.measures_finding(measure_table, len(data))))

# %% [markdown]
# ## 2. The satisfaction-loyalty curve
#
# Loyalty at each satisfaction level (the mean of the satisfaction items, rounded to the
# nearest scale point): the share of top-box loyal customers with Wilson intervals, and
# the mean loyalty score with t intervals (both weighted when the data carry survey
# weights). The fitted line is an unweighted logistic regression of top-box loyalty on
# satisfaction with a quadratic term; a likelihood-ratio test against the straight
# logistic asks whether the curve bends, and the share of the rise in the top third of
# the satisfaction range says whether the payoff is concentrated at the top of the scale.
# Spearman's rho (unweighted) measures how closely the two scores move together.

# %%
curve = loy.curve_study(settings)
axes = plots.loyalty_curve_panels(curve.curve, fit=curve.fit.grid, top_box=top_box, source=source)
plt.show()
display(loy.styled_table(curve.curve, source))
for name, value in curve.to_results().items():
    report.record(name, value)
display(Markdown(curve.finding()))

# %% [markdown]
# ## 3. Loyalty types: attitude against behaviour
#
# Crossing attitude (satisfied: top box) with behaviour (repurchasing) gives true
# loyalty, latent loyalty (satisfied, not repurchasing), spurious loyalty (repurchasing
# without being satisfied, e.g. for lack of choice) and no loyalty (seed 001).

# %%
loyalty_types = loy.study_loyalty_types(settings)
if loyalty_types is None:
    display(Markdown("This data set has no behaviour measure, so the loyalty types are skipped."))
else:
    ax = plots.interval_plot(loyalty_types, x="segment", y="share", low="low", high="high", kind="bar")
    ax.set(ylabel="share of customers", xlabel="loyalty type", title="Loyalty types")
    plots.source_note(ax, source)
    plt.show()
    display(loy.styled_table(loyalty_types, source))
    report.record("segments", dict(zip(loyalty_types["segment"], loyalty_types["share"])))
    display(Markdown(loy.loyalty_types_finding(loyalty_types, settings.behaviour, settings.behaviour_is_proxy)))

# %% [markdown]
# ### The dealer table (seed 004, TMS-USA)
#
# Loyalty to the dealer and to the brand for each combination of satisfaction with the
# sale (O satisfied, X not) and with the service, next to the seed's published rates.

# %%
dealer = loy.study_dealer_table(settings)
if dealer is None:
    display(Markdown("The dealer table needs sales and service satisfaction and loyalty flags "
                     f"({', '.join(loy.DEALER_COLUMNS)}); only the simulator provides them, so it is skipped here."))
else:
    fig, ax = plt.subplots(figsize=(9, 4))
    plots.interval_plot(dealer, x="cell", y="rate", low="low", high="high", hue="outcome", kind="bar", ax=ax)
    ax.set(ylabel="share loyal", xlabel="", title="Loyalty by sales x service satisfaction")
    plots.source_note(ax, source)
    plt.show()
    display(loy.styled_table(dealer.drop(columns="cell"), source))
    report.record("dealer_table", loy.dealer_records(dealer)["dealer_table"])
    display(Markdown(loy.dealer_finding(dealer)))

# %% [markdown]
# ## 4. Key drivers of satisfaction
#
# Relative importance: each driver's share of the explained variance (R²) of
# satisfaction, from an exact Shapley decomposition (every order of entry), set against
# its performance (mean score, 0-100; correlations and means weighted when the data carry
# survey weights). The cross-hairs are the averages; the short stave is the
# high-importance driver that performs worst (seed 002).

# %%
key = drv.key_drivers(data, settings.satisfaction, settings.drivers, settings.scale, weights=settings.weights)
fig, ax = plt.subplots(figsize=(7, 5))
plots.importance_performance_plot(key.table, ax=ax)
ax.set(xlabel="performance (0-100)", ylabel="share of R² (Shapley)", title="Importance-performance matrix")
plots.source_note(ax, source)
plt.show()
display(loy.styled_table(key.table, source))
for name, value in key.to_results().items():
    report.record(name, value)
display(Markdown(key.finding()))

# %% [markdown]
# ## 5. The satisfaction index model
#
# A PLS path model (ECSI, or drivers -> satisfaction -> loyalty where the data lack the
# ECSI constructs), estimated unweighted (PLS has no survey weights), with percentile
# bootstrap intervals. The satisfaction and loyalty indices are ACSI-style 0-100 scores
# (weighted means of the rescaled items, the weights coming from the model). With
# `model="none"` the indices are plain item means rescaled to 0-100 (t intervals).

# %%
index_result = loy.index_model(settings, bootstrap=bootstrap, seed=seed)
if index_result.pls_fit is None:
    display(Markdown("No PLS model in this run (`model='none'`): the indices below are item means."))
else:
    fig, ax = plt.subplots(figsize=(10, 6))
    index_result.pls_fit.plot(ax=ax)
    ax.set_title("PLS path model: standardised paths, R² in the boxes")
    plots.source_note(ax, source)
    plt.show()
    display(loy.styled_table(index_result.paths, source))
    display(loy.styled_table(index_result.constructs(), source))
    display(Markdown(index_result.paths_finding() + " " + loy.negative_weights_finding(index_result.negative_weights)))
    if len(index_result.negative_weights):
        display(loy.styled_table(index_result.negative_weights, source))

# %%
display(loy.styled_table(index_result.indices, source))
for name, value in index_result.to_results().items():
    report.record(name, value)
display(Markdown(index_result.index_finding(source)))

# %% [markdown]
# ### Importance-performance map of the PLS model
#
# SmartPLS-style map: each construct's unstandardised total effect on the satisfaction
# index (points of index per point of the construct's 0-100 score) against its
# performance.

# %%
if index_result.pls_fit is None:
    display(Markdown("The map needs the PLS model; this run has `model='none'`."))
else:
    ipma = drv.ipma(index_result.pls_fit, "Satisfaction", scale=(settings.scale.low, settings.scale.high))
    fig, ax = plt.subplots(figsize=(7, 5))
    plots.importance_performance_plot(ipma, y="importance", label="construct", ax=ax)
    ax.set(xlabel="performance (0-100 index)", ylabel="total effect on Satisfaction (unstandardised)",
           title="Importance-performance map (PLS)")
    plots.source_note(ax, source)
    plt.show()
    display(loy.styled_table(ipma, source))
    display(Markdown(drv.ipma_finding(ipma)))

# %% [markdown]
# ## 6. Segments
#
# Where the data carry a segment column (corp_rep: `serviceprovider`; the simulator:
# `segment`), indices (item means rescaled to 0-100) and the loyal share per segment
# (weighted when the data carry survey weights), with unweighted Kruskal-Wallis tests on
# the scores and a chi-square test on the loyal share.

# %%
segments = loy.segment_study(settings)
if segments is None:
    display(Markdown(loy.no_segment_reason(settings)))
else:
    fig, ax = plt.subplots(figsize=(8, 4))
    plots.interval_plot(segments.long(), x="segment", y="value", low="low", high="high", hue="measure", ax=ax)
    ax.set(xlabel=settings.segment, ylabel="index (0-100)", title=f"Indices by {settings.segment}")
    plots.source_note(ax, source)
    plt.show()
    display(loy.styled_table(segments.table, source))
    display(loy.styled_table(segments.tests, source))
    for name, value in segments.to_results().items():
        report.record(name, value)
    display(Markdown(segments.finding()))

# %% [markdown]
# ## 7. Findings

# %%
display(Markdown("\n".join(f"- {line}" for line in loy.summarize_findings(report.read_results()))
                 + f"\n\n*{source}.*"))
