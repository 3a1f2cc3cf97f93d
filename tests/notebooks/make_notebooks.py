"""Write the tiny notebooks the runner tests execute (run this after editing it).

``record_and_plot.ipynb`` records a few results, draws a matplotlib figure and raises
when asked to, so one notebook covers success, failure and the HTML export. It records
results through the runner's display contract directly (a display output whose data
is ``{RESULTS_MIME: {name: value}}``), so the runner tests do not depend on
``csat_analysis.report``. Given a ``dataset`` file it counts the rows and shows the
file and column names in Markdown and HTML outputs without escaping them, on purpose:
the runner's export has to make such outputs inert.
"""

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent

PARAMETERS = """\
label = "a"
value = 1.0
fail = False
busy_seconds = 0.0
options = None
seed = 0
dataset = None
schema = None"""

SETUP = '''\
import csv
import time
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
from IPython.display import HTML, Markdown, display

RESULTS_MIME = "application/vnd.csat-analysis.results+json"


def record(name, value):
    """What csat_analysis.report.record emits: one display output the runner collects."""
    display({RESULTS_MIME: {name: value}, "text/plain": ""}, raw=True)


if fail:
    raise RuntimeError(f"asked to fail for label {label!r}")'''

DATA = """\
notes = []
if dataset is not None and Path(dataset).is_file():
    with open(dataset, newline="", encoding="utf-8") as handle:
        header, *rows = list(csv.reader(handle))
    # Deliberately unescaped (a careless notebook): the runner's export must neutralise it.
    display(Markdown(f"Data file **{Path(dataset).name}**: {len(rows)} rows; columns "
                     + ", ".join(f"`{column}`" for column in header)))
    display(HTML(f"<p>First column: {header[0]}</p>"))
    record("n_rows", len(rows))
    record("first_cell", rows[0][0] if rows else None)
else:
    notes.append(f"no data file given (dataset={dataset!r}): the row count is skipped")
if schema is not None:
    record("schema_lines", len(Path(schema).read_text(encoding="utf-8").splitlines()))"""

WORK = """\
# A stand-in workload for the benchmark: busy CPU for busy_seconds.
rng = np.random.default_rng(seed)
deadline = time.perf_counter() + busy_seconds
while time.perf_counter() < deadline:
    np.linalg.eigvalsh(rng.normal(size=(120, 120)))
display(Markdown(f"Label: {label}"))
record("label", label)
record("doubled", 2 * value)
record("interval", {"value": value, "low": value - 1, "high": value + 1})
record("options", options)
record("notes", notes)"""

FIGURE = """\
fig, ax = plt.subplots(figsize=(4, 3))
ax.plot([0, 1, 2], [0, value, 2 * value], marker="o")
ax.set_title(f"label {label}")
plt.show()"""


def main() -> None:
    notebook = new_notebook(
        cells=[
            new_markdown_cell("# Tiny test report\n\nRecords results and draws one figure."),
            new_code_cell(PARAMETERS, metadata={"tags": ["parameters"]}),
            new_code_cell(SETUP),
            new_markdown_cell("## Data"),
            new_code_cell(DATA),
            new_markdown_cell("## Results"),
            new_code_cell(WORK),
            new_markdown_cell("## Figure"),
            new_code_cell(FIGURE),
        ],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    )
    nbformat.validate(notebook)
    nbformat.write(notebook, HERE / "record_and_plot.ipynb")


if __name__ == "__main__":
    main()
