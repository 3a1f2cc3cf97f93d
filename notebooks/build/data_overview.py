"""Write notebooks/data_overview.ipynb (no outputs).

Run: ``.venv/bin/python notebooks/build/data_overview.py [output.ipynb]``. Cell ids are
fixed, so rebuilding an unchanged script gives an identical file. The logic lives in
``csat_analysis.io`` (column_overview, missing_overview) and ``csat_analysis.plots``
(distribution_grid, category_bars, missingness_bar) and is tested there.
"""

import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

NOTEBOOK = Path(__file__).resolve().parents[1] / "data_overview.ipynb"

cells = []


def md(text):
    cells.append(new_markdown_cell(text.strip()))


def code(text, **metadata):
    cells.append(new_code_cell(text.strip(), metadata=metadata))


md("""
# Data overview

What a data set holds before any study uses it: where it comes from, its size, the type
and range of every column, where answers are missing, and how the answers are
distributed. Run it on a bundled real data set (`mobi`, `corp_rep`, `telco_churn`,
`service_calls_churn`), on `"simulated"` (the known-truth simulator) or on your own file.
Every table and figure names the data it comes from.
""")

code('''
dataset = "mobi"      # a bundled name, simulated, or a CSV, Parquet or Excel path with a schema
schema = None         # schema of a user file, see csat_analysis.io.read_survey
n = 5000              # simulated respondents, used when dataset is simulated
seed = 0
results_path = None
''', tags=["parameters"])

md("## Set-up\nThe `dataset` name is checked here: a wrong name fails at once with the valid choices.")

code('''
import matplotlib.pyplot as plt
from IPython.display import Markdown, display

from csat_analysis import io, plots, report
from csat_analysis.datasets import open_study_data

report.set_results_path(results_path)
plots.set_theme()

study = open_study_data(dataset, schema=schema, n=n, seed=seed)
data = study.data


def show(table, caption, digits=2):
    """Display a table with its caption and data source."""
    display(table.style.format(precision=digits, thousands=",", na_rep="").hide(axis="index")
            .set_caption(f"{caption}<br><small>{study.source}</small>"))
''')

md("## Source and size")

code('''
n_rows, n_columns = data.shape
n_cells = n_rows * n_columns
n_missing_cells = int(data.isna().to_numpy().sum())
report.record("dataset", dataset)
report.record("source", study.source)
report.record("n_rows", n_rows)
report.record("n_columns", n_columns)
report.record("n_missing_cells", n_missing_cells)
display(Markdown(
    f"**Data:** {study.source}.\\n\\n"
    f"The data hold {n_rows:,} rows and {n_columns} columns; {n_missing_cells:,} of {n_cells:,} cells "
    f"({n_missing_cells / n_cells:.1%}) are missing."
))
''')

md("""
## Columns: types and ranges

One row per column: its dtype, what kind of answer it holds (`rating`: whole numbers
with at most 11 levels; `numeric`; `identifier`; `boolean`; `category`; `text`), the
smallest and largest value, and the observed levels.
""")

code('''
overview = io.column_overview(data)
show(overview, f"Columns of {study.name}: dtype, kind, range, observed levels")
kinds = overview["kind"].value_counts()
display(Markdown(
    "The columns are " + ", ".join(f"{count} {kind}" for kind, count in kinds.items()) + "."
    + ("" if "rating" not in kinds else
       " Rating columns run from " + f"{overview.loc[overview.kind == 'rating', 'min'].min():g} to "
       f"{overview.loc[overview.kind == 'rating', 'max'].max():g}.")
))
''')

md("## Missing values")

code('''
missing = io.missing_overview(data)
with_missing = missing[missing["n_missing"] > 0].sort_values("n_missing", ascending=False)
if len(with_missing):
    show(with_missing, f"Columns of {study.name} with missing values", digits=3)
fig, ax = plt.subplots(figsize=(6, max(2.5, 0.18 * len(missing))))
plots.missingness_bar(missing, ax=ax)
ax.set_title(f"Missing values per column: {study.name}")
plots.source_note(ax, study.source)
plt.show()
if len(with_missing):
    worst = with_missing.iloc[0]
    finding = (f"{len(with_missing)} of {n_columns} columns have missing values; the most is `{worst.column}` "
               f"with {worst.n_missing:,} missing ({worst.share_missing:.1%}).")
else:
    finding = f"No column of {study.name} has missing values."
display(Markdown(finding))
''')

md("""
## Rating items

The answer distribution of every rating-like column, in percent of answers (small
multiples).
""")

code('''
ratings = overview.loc[overview["kind"] == "rating", "column"].tolist()
if ratings:
    plots.distribution_grid(data, ratings, source=study.source)
    plt.show()
    means = data[ratings].mean()
    display(Markdown(
        f"{len(ratings)} rating columns; mean answers range from {means.min():.2f} (`{means.idxmin()}`) "
        f"to {means.max():.2f} (`{means.idxmax()}`)."
    ))
else:
    display(Markdown(f"{study.name} has no rating-like columns."))
''')

md("## Categories and yes/no columns\nShare of rows per level of every categorical and boolean column.")

code('''
categorical = overview.loc[overview["kind"].isin(["category", "boolean"]), "column"].tolist()
if categorical:
    plots.category_bars(data, categorical, source=study.source)
    plt.show()
    top = {c: data[c].astype(object).value_counts(normalize=True) for c in categorical}
    most_skewed = max(top, key=lambda c: top[c].iloc[0])
    display(Markdown(
        f"{len(categorical)} categorical or yes/no columns; the most lopsided is `{most_skewed}`, where "
        f"`{top[most_skewed].index[0]}` covers {top[most_skewed].iloc[0]:.1%} of the rows."
    ))
else:
    display(Markdown(f"{study.name} has no categorical or yes/no columns."))
''')

md("## Other numeric columns\nHistograms of the continuous columns (amounts, durations, counts).")

code('''
numeric = overview.loc[overview["kind"] == "numeric", "column"].tolist()
if numeric:
    plots.distribution_grid(data, numeric, discrete=False, col_wrap=4, height=2.0, source=study.source)
    plt.show()
    skew = data[numeric].skew().abs()
    display(Markdown(
        f"{len(numeric)} continuous columns; the most skewed is `{skew.idxmax()}` (skewness {data[skew.idxmax()].skew():.2f})."
    ))
else:
    display(Markdown(f"{study.name} has no continuous numeric columns."))
''')

notebook = new_notebook(cells=cells, metadata={
    "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
    "language_info": {"name": "python"},
})
for number, cell in enumerate(notebook.cells):
    cell.id = f"overview-{number:02d}"
nbformat.validate(notebook)
target = Path(sys.argv[1]) if len(sys.argv) > 1 else NOTEBOOK
target.write_text(nbformat.writes(notebook), encoding="utf-8")
print(f"wrote {target}")
