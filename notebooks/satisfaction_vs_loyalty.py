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
# Satisfaction is necessary but not sufficient for loyalty. This study asks, on one
# survey: how does loyalty rise with satisfaction, and where is the curve steep? Which
# customers are loyal for the wrong reasons (Dick and Basu 1994)? How do promoters,
# passives and detractors split (Reichheld 2003)? Which attributes drive satisfaction,
# and which is the "short stave" (Martilla and James 1977)? What are the satisfaction
# and loyalty indices (0-100, Fornell et al. 1996), does the PLS model behind them pass
# the checks a reviewer asks for, and do its paths differ between segments? It runs on
# the real ECSI survey `mobi` (Tenenhaus et al. 2005), the corporate-reputation survey
# `corp_rep` (Hair et al. 2017, all four providers or one), the simulator (known truth,
# including the Toyota Motor Sales U.S.A. dealer table) or your own survey with its
# survey description. Every item is read on its own scale; every table and figure names
# the data it comes from.

# %% tags=["parameters"]
dataset = "mobi"        # "mobi", "corp_rep", "simulated" or a file path (with schema and survey)
schema = None           # schema of a user file (see csat_analysis.io.read_survey)
survey = None           # survey description (YAML path or dict): what each column means; None: the data set's own
satisfaction = None     # satisfaction items; None: the survey's satisfaction role (mobi CUSA1-3, corp_rep cusa)
loyalty = None          # loyalty items; None: the loyalty role (mobi CUSL1-3), else the recommend item
recommend = None        # 0-10 recommend item (NPS groups); None: the recommend role
behaviour = None        # observed repurchase or retention (loyalty types); None: the behaviour role
drivers = None          # driver items, or {construct: [items]}; None: the drivers role
segment = None          # segment column; None: the first segments role (corp_rep serviceprovider); "none": none
segment_value = None    # keep only this segment (e.g. 2 for corp_rep provider 2)
weights = None          # survey weight column; None: the weight role (the simulator's weight); "none": unweighted
top_box = 2             # satisfied / loyal: a score in the top 2 (top_box) points of the item's own scale
model = None            # "ecsi", "simple" (drivers -> satisfaction -> loyalty) or "none"; None: default
bootstrap = 1000        # bootstrap resamples for the PLS model
permutations = 1000     # permutations of the multi-group analysis across segments
seed = 0
language = "en"  # report language: "en" (English) or "zh" (simplified Chinese)
n = 5000                # simulated respondents (only for the simulated data set)

# %% [markdown] tags=["analyst-only"]
# ## Set-up
# Parameters are checked here, so a wrong name fails before any analysis runs. The
# summary of findings below fills in as the sections run.

# %%
from csat_analysis import plots
from csat_analysis.studies import StudyRun
from csat_analysis.studies import satisfaction_vs_loyalty as svl

plots.set_theme()
run = StudyRun(dataset, study="satisfaction_vs_loyalty", schema=schema, survey=survey, n=n, seed=seed,
               language=language)
settings = svl.resolve_settings(run, satisfaction=satisfaction, loyalty=loyalty, recommend=recommend,
                                behaviour=behaviour, drivers=drivers, segment=segment, segment_value=segment_value,
                                weights=weights, top_box=top_box, model=model)
run.show_summary()
run.show(svl.setup_section(settings))

# %% [markdown]
# ## 1. Sample, scales, missingness and reliability
#
# Each multi-item measure should hang together (Cronbach's alpha, with Feldt's 95%
# interval; 0.7 is the usual floor) before its mean is read as one score. The index
# column is the measure's mean item score rescaled to 0-100 from its own scale.

# %%
run.show(svl.measures_section(settings))

# %% [markdown]
# ## 2. The satisfaction-loyalty curve
#
# Loyalty at each satisfaction level (the mean of the satisfaction items, rounded to the
# nearest scale point): the share of top-box loyal customers with Wilson intervals, and
# the mean loyalty score with t intervals clipped to the scale (design-based intervals
# when the data carry survey weights). The fitted line is an unweighted logistic
# regression of top-box loyalty on satisfaction with a quadratic term; a
# likelihood-ratio test against the straight logistic asks whether the curve bends, and
# the share of the rise in the top third of the satisfaction range says whether the
# payoff is concentrated at the top of the scale. Spearman's rho (unweighted) measures
# how closely the two scores move together.

# %%
for section in svl.curve_sections(settings):
    run.show(section)

# %% [markdown]
# ## 3. Loyalty types: attitude against behaviour
#
# Crossing attitude (satisfied: top box) with behaviour (repurchasing) gives true
# loyalty, latent loyalty (satisfied, not repurchasing), spurious loyalty (repurchasing
# without being satisfied, e.g. for lack of choice) and no loyalty (Dick and Basu 1994).

# %%
run.show(svl.loyalty_types_section(settings))

# %% [markdown]
# ### The dealer table
#
# Loyalty to the dealer and to the brand for each combination of satisfaction with the
# sale (O satisfied, X not) and with the service, next to the rates of the Toyota Motor
# Sales U.S.A. dealer study.

# %%
run.show(svl.dealer_section(settings))

# %% [markdown]
# ### Promoters, passives and detractors
#
# Where the survey has a 0-10 likelihood-to-recommend item: the shares answering 9-10
# (promoters), 7-8 (passives) and 0-6 (detractors), and the Net Promoter Score, the
# share of promoters minus that of detractors (Reichheld 2003).

# %%
run.show(svl.recommend_section(settings))

# %% [markdown]
# ## 4. Key drivers of satisfaction
#
# Relative importance: each driver's share of the explained variance (R²) of
# satisfaction, from an exact Shapley decomposition (every order of entry; Lindeman,
# Merenda and Gold 1980), set against its performance (mean score, 0-100; correlations
# and means weighted when the data carry survey weights). The cross-hairs are the
# averages; the short stave is the driver of above-average importance that performs
# worst, when it performs below average.

# %%
run.show(svl.drivers_section(settings))

# %% [markdown]
# ## 5. The satisfaction index model
#
# A PLS path model (ECSI, or drivers -> satisfaction -> loyalty where the data lack the
# ECSI constructs), estimated unweighted (PLS has no survey weights), with percentile
# bootstrap intervals. The satisfaction and loyalty indices are ACSI-style 0-100 scores
# (weighted means of the items, each rescaled from its own scale, the weights coming
# from the model). With `model="none"` the indices are plain item means rescaled to
# 0-100.

# %%
index_model = svl.index_model(settings, bootstrap=bootstrap, seed=seed)
run.show(svl.paths_section(index_model))

# %%
run.show(svl.indices_section(index_model))

# %% [markdown]
# ### Importance-performance map of the PLS model
#
# SmartPLS-style map (Ringle and Sarstedt 2016): each construct's unstandardised total
# effect on the satisfaction index (points of index per point of the construct's 0-100
# score) against its performance.

# %%
run.show(svl.ipma_section(index_model))

# %% [markdown]
# ### Assessing the model
#
# What a reviewer asks of a PLS model (Hair et al. 2017): discriminant validity by the
# heterotrait-monotrait ratio with bootstrap intervals (below 0.85, or 0.90 for
# conceptually close constructs; Henseler et al. 2015), collinearity (VIF of the items
# and of each construct's antecedents; above 5 is critical), effect sizes f² (0.02
# small, 0.15 medium, 0.35 large; Cohen 1988) and the specific indirect effects with
# bootstrap intervals (Zhao et al. 2010).

# %%
run.show(svl.assessment_section(index_model))

# %% [markdown]
# Out-of-sample prediction (PLSpredict; Shmueli et al. 2019): ten times ten-fold
# cross-validation predicts each item of the endogenous constructs from a model that did
# not see it. Q²predict above 0 beats the training mean; the RMSE is set against a
# linear-model benchmark.

# %%
run.show(svl.prediction_section(index_model))

# %% [markdown]
# ## 6. Segments
#
# Where the data carry a segment column (corp_rep: `serviceprovider`; the simulator:
# `segment`), indices (item means rescaled to 0-100) and the loyal share per segment
# (weighted when the data carry survey weights), with unweighted Kruskal-Wallis tests on
# the scores (effect size epsilon²) and a chi-square test on the loyal share (Cramér's V).
# A permutation multi-group analysis (Chin and Dibbern 2010) then asks, path by path,
# whether the PLS model differs between each pair of segments.

# %%
run.show(svl.segments_section(settings, seed=seed))

# %%
run.show(svl.multigroup_section(settings, index_model, permutations=permutations, seed=seed))

# %%
run.show_references()
