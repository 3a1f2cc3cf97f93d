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
dataset = "mobi"      # a bundled name, simulated, or a CSV, Parquet or Excel path with a schema
schema = None         # schema of a user file, see csat_analysis.io.read_survey
n = 5000              # simulated respondents, used when dataset is simulated
seed = 0
results_path = None

# %% [markdown]
# ## Set-up
# The `dataset` name is checked here: a wrong name fails at once with the valid choices.

# %%
import matplotlib.pyplot as plt
from IPython.display import Markdown, display

from csat_analysis import io, plots, report
from csat_analysis.datasets import open_study_data

report.set_results_path(results_path)
plots.set_theme()

study = open_study_data(dataset, schema=schema, n=n, seed=seed)
data = study.data

# %% [markdown]
# ## Source and size

# %%
size = io.size_summary(data)
report.record("dataset", dataset)
report.record("source", study.source)
report.record("n_rows", size["n_rows"])
report.record("n_columns", size["n_columns"])
report.record("n_missing_cells", size["n_missing_cells"])
display(Markdown(f"**Data:** {study.source}.\n\n{io.size_finding(size)}"))

# %% [markdown]
# ## Columns: types and ranges
#
# One row per column: how it is stored, what kind of answer it holds (`rating`: whole
# numbers with at most 11 levels; `numeric`; `identifier`: unique whole numbers; `boolean`:
# yes/no; `category`; `text`), the smallest and largest value, and the observed levels.

# %%
overview = io.column_overview(data)
display(io.styled_table(overview, f"Columns of {study.name}: type, kind, range and observed levels", study.source))
display(Markdown(io.kinds_finding(overview)))

# %% [markdown]
# ## Missing values
#
# The columns with missing answers, most missing first (a column missing for most rows
# may simply not apply to them, such as a resolution time without a complaint).

# %%
missing = io.missing_overview(data, only_missing=True)
if len(missing):
    display(io.styled_table(missing, f"Columns of {study.name} with missing values", study.source))
    fig, ax = plt.subplots(figsize=(6, 1.3 + 0.3 * len(missing)))
    plots.missingness_bar(missing, ax=ax).set_title(f"Missing values per column: {study.name}")
    plots.source_note(ax, study.source)
    plt.show()
display(Markdown(io.missing_finding(io.missing_overview(data), study.name)))

# %% [markdown]
# ## Rating items
#
# How the answers to every rating-like column are spread: one row per column, one cell
# per answer, in percent of that column's answers.

# %%
ratings = io.columns_of_kind(overview, "rating")
if ratings:
    fig, ax = plt.subplots(figsize=(8, 1.5 + 0.3 * len(ratings)))
    plots.answer_share_heatmap(io.answer_shares(data, ratings), ax=ax)
    ax.set_title(f"Answers per rating column: {study.name}")
    plots.source_note(ax, study.source)
    plt.show()
display(Markdown(io.rating_finding(data, ratings, study.name)))

# %% [markdown]
# ## Categories and yes/no columns
# Share of rows per level of every categorical and yes/no column.

# %%
categorical = io.columns_of_kind(overview, "category", "boolean")
if categorical:
    plots.category_bars(data, categorical, source=study.source)
    plt.show()
display(Markdown(io.category_finding(data, categorical, study.name)))

# %% [markdown]
# ## Other numeric columns
# Histograms of the continuous columns (amounts, durations, weights), in percent of rows.

# %%
numeric = io.columns_of_kind(overview, "numeric")
if numeric:
    plots.histogram_grid(data, numeric, source=study.source)
    plt.show()
display(Markdown(io.numeric_finding(data, numeric, study.name)))
