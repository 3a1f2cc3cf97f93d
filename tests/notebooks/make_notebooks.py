"""Write the tiny notebooks the runner tests execute (run this after editing it).

``record_and_plot.ipynb`` records a few results, draws a matplotlib figure and raises
when asked to, so one notebook covers success, failure and the HTML export.
"""

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent

PARAMETERS = '''\
label = "a"
value = 1.0
fail = False
busy_seconds = 0.0
options = None
seed = 0
results_path = None'''

SETUP = '''\
import time

import matplotlib.pyplot as plt
import numpy as np

from csat_analysis import report

report.set_results_path(results_path)
if fail:
    raise RuntimeError(f"asked to fail for label {label!r}")'''

WORK = '''\
# A stand-in workload for the benchmark: busy CPU for busy_seconds.
rng = np.random.default_rng(seed)
deadline = time.perf_counter() + busy_seconds
while time.perf_counter() < deadline:
    np.linalg.eigvalsh(rng.normal(size=(120, 120)))
report.record("label", label)
report.record("doubled", 2 * value)
report.record("interval", {"value": value, "low": value - 1, "high": value + 1})
report.record("options", options)'''

FIGURE = '''\
fig, ax = plt.subplots(figsize=(4, 3))
ax.plot([0, 1, 2], [0, value, 2 * value], marker="o")
ax.set_title(f"label {label}")
plt.show()'''


def main() -> None:
    notebook = new_notebook(
        cells=[
            new_markdown_cell("# Tiny test report\n\nRecords results and draws one figure."),
            new_code_cell(PARAMETERS, metadata={"tags": ["parameters"]}),
            new_code_cell(SETUP),
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
