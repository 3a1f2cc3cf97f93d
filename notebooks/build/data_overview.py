"""Write notebooks/data_overview.ipynb (no outputs).

Run: ``.venv/bin/python notebooks/build/data_overview.py [output.ipynb]``. Cell ids are
fixed, so rebuilding an unchanged script gives an identical file. The logic lives in
``csat_analysis.io`` (size_summary, column_overview, missing_overview, answer_shares and
the ``*_finding`` sentences) and ``csat_analysis.plots`` (answer_share_heatmap,
category_bars, histogram_grid, missingness_bar) and is tested there.
"""

from pathlib import Path

from _nbbuild import NotebookBuilder

nb = NotebookBuilder(Path(__file__).resolve().parents[1] / "data_overview.ipynb", id_prefix="overview")

nb.md("""
# Data overview

What a data set holds before any study uses it: where it comes from, its size, the type
and range of every column, where answers are missing, and how the answers are
distributed. Run it on a bundled real data set (`mobi`, `corp_rep`, `telco_churn`,
`service_calls_churn`), on `"simulated"` (the known-truth simulator) or on your own file.
Every table and figure names the data it comes from.
""")

nb.code('''
dataset = "mobi"      # a bundled name, simulated, or a CSV, Parquet or Excel path with a schema
schema = None         # schema of a user file, see csat_analysis.io.read_survey
n = 5000              # simulated respondents, used when dataset is simulated
seed = 0
results_path = None
''', tags=["parameters"])

nb.md("## Set-up\nThe `dataset` name is checked here: a wrong name fails at once with the valid choices.")

nb.code('''
import matplotlib.pyplot as plt
from IPython.display import Markdown, display

from csat_analysis import io, plots, report
from csat_analysis.datasets import open_study_data

report.set_results_path(results_path)
plots.set_theme()

study = open_study_data(dataset, schema=schema, n=n, seed=seed)
data = study.data
''')

nb.md("## Source and size")

nb.code('''
size = io.size_summary(data)
report.record("dataset", dataset)
report.record("source", study.source)
report.record("n_rows", size["n_rows"])
report.record("n_columns", size["n_columns"])
report.record("n_missing_cells", size["n_missing_cells"])
display(Markdown(f"**Data:** {study.source}.\\n\\n{io.size_finding(size)}"))
''')

nb.md("""
## Columns: types and ranges

One row per column: how it is stored, what kind of answer it holds (`rating`: whole
numbers with at most 11 levels; `numeric`; `identifier`: unique whole numbers; `boolean`:
yes/no; `category`; `text`), the smallest and largest value, and the observed levels.
""")

nb.code('''
overview = io.column_overview(data)
display(io.styled_table(overview, f"Columns of {study.name}: type, kind, range and observed levels", study.source))
display(Markdown(io.kinds_finding(overview)))
''')

nb.md("""
## Missing values

The columns with missing answers, most missing first (a column missing for most rows
may simply not apply to them, such as a resolution time without a complaint).
""")

nb.code('''
missing = io.missing_overview(data, only_missing=True)
if len(missing):
    display(io.styled_table(missing, f"Columns of {study.name} with missing values", study.source))
    fig, ax = plt.subplots(figsize=(6, 1.3 + 0.3 * len(missing)))
    plots.missingness_bar(missing, ax=ax).set_title(f"Missing values per column: {study.name}")
    plots.source_note(ax, study.source)
    plt.show()
display(Markdown(io.missing_finding(io.missing_overview(data), study.name)))
''')

nb.md("""
## Rating items

How the answers to every rating-like column are spread: one row per column, one cell
per answer, in percent of that column's answers.
""")

nb.code('''
ratings = io.columns_of_kind(overview, "rating")
if ratings:
    fig, ax = plt.subplots(figsize=(8, 1.5 + 0.3 * len(ratings)))
    plots.answer_share_heatmap(io.answer_shares(data, ratings), ax=ax)
    ax.set_title(f"Answers per rating column: {study.name}")
    plots.source_note(ax, study.source)
    plt.show()
display(Markdown(io.rating_finding(data, ratings, study.name)))
''')

nb.md("## Categories and yes/no columns\nShare of rows per level of every categorical and yes/no column.")

nb.code('''
categorical = io.columns_of_kind(overview, "category", "boolean")
if categorical:
    plots.category_bars(data, categorical, source=study.source)
    plt.show()
display(Markdown(io.category_finding(data, categorical, study.name)))
''')

nb.md("## Other numeric columns\nHistograms of the continuous columns (amounts, durations, weights), in percent of rows.")

nb.code('''
numeric = io.columns_of_kind(overview, "numeric")
if numeric:
    plots.histogram_grid(data, numeric, source=study.source)
    plt.show()
display(Markdown(io.numeric_finding(data, numeric, study.name)))
''')

nb.write()
