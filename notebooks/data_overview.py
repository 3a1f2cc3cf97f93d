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
# # Data overview
#
# What a data set holds before any study uses it: where it comes from, its size, the type
# and range of every column, where answers are missing, and how the answers are
# distributed. Run it on a bundled real data set (`mobi`, `corp_rep`, `telco_churn`,
# `service_calls_churn`), on `"simulated"` (the known-truth simulator) or on your own file.
# Every table and figure names the data it comes from.

# %% tags=["parameters"]
dataset = "mobi"  # a bundled name, "simulated", or a CSV, Parquet or Excel path with a schema
schema = None  # schema of a user file, see csat_analysis.io.read_survey
survey = None           # survey description (YAML path or dict): what each column means; None: the data set's own
n = 5000  # simulated respondents, used when dataset is "simulated"
seed = 0  # random seed of the simulator
segment = None  # a column to filter on, e.g. "serviceprovider"; None: all rows
segment_value = None  # the level of that column to keep, e.g. 2
language = "en"  # report language: "en" (English) or "zh" (simplified Chinese)

# %% [markdown] tags=["analyst-only"]
# ## Set-up
# The `dataset` name is checked here: a wrong name fails at once with the valid choices.

# %%
from csat_analysis import plots
from csat_analysis.studies import StudyRun, data_overview

plots.set_theme()
run = StudyRun(dataset, study="data_overview", schema=schema, survey=survey, n=n, seed=seed, language=language)
settings = data_overview.resolve_settings(run, segment=segment, segment_value=segment_value)
run.show_summary()

# %% [markdown]
# ## Source and size

# %%
section = data_overview.size_section(settings)
run.show(section)

# %% [markdown]
# ## Columns: types and ranges
#
# One row per column: how it is stored, what kind of answer it holds (`rating`: whole
# numbers with at most 11 levels; `numeric`; `identifier`: unique whole numbers; `boolean`:
# yes/no; `category`; `text`), the smallest and largest value, and the observed levels.

# %%
section = data_overview.columns_section(settings)
run.show(section)

# %% [markdown]
# ## Missing values
#
# The columns with missing answers, most missing first (a column missing for most rows
# may simply not apply to them, such as a resolution time without a complaint).

# %%
section = data_overview.missing_section(settings)
run.show(section)

# %% [markdown]
# ## Rating items
#
# How the answers to every rating-like column are spread: one row per column, one cell
# per answer, in percent of that column's answers.

# %%
section = data_overview.ratings_section(settings)
run.show(section)

# %% [markdown]
# ## Categories and yes/no columns
# Share of rows per level of every categorical and yes/no column.

# %%
section = data_overview.categories_section(settings)
run.show(section)

# %% [markdown]
# ## Other numeric columns
# Histograms of the continuous columns (amounts, durations, weights), in percent of rows.

# %%
section = data_overview.numeric_section(settings)
run.show(section)

# %%
run.show_references()
