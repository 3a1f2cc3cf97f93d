"""Plot helpers in seaborn's style, with one theme for every figure.

Every helper takes ``data=`` plus column names, draws on the given ``ax`` (or the
current axes) and returns it. :func:`source_note` writes under a figure which data it
comes from, as every figure in a study must say.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

__all__ = ["PALETTE", "interval_plot", "set_theme", "source_note"]

#: qualitative palette used for every figure (colour-blind safe)
PALETTE = "colorblind"


def set_theme(context: str = "notebook") -> None:
    """Apply the project theme (seaborn ``whitegrid``, colour-blind palette)."""
    sns.set_theme(context=context, style="whitegrid", palette=PALETTE, rc={"figure.dpi": 110, "axes.titleweight": "bold"})


def source_note(ax: plt.Axes, text: str) -> plt.Axes:
    """Write ``text`` (e.g. ``StudyData.source``) under the axes, in small grey type."""
    ax.annotate(text, xy=(0, 0), xycoords="axes fraction", xytext=(0, -36), textcoords="offset points",
                ha="left", va="top", fontsize=8, color="0.35")
    return ax


def interval_plot(data: pd.DataFrame, *, x: str, y: str, low: str, high: str, hue: str | None = None,
                  ax: plt.Axes | None = None, kind: str = "point", **kwargs) -> plt.Axes:
    """Estimates with their confidence intervals, one point (or bar) per ``x`` level.

    Parameters
    ----------
    data : DataFrame
        One row per estimate, e.g. the output of :func:`csat_analysis.metrics.summarize`.
    x, y, low, high : str
        Category column, estimate column and interval-bound columns.
    hue : str, optional
        Column whose levels are drawn side by side in different colours.
    kind : {"point", "bar"}

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"plan": ["a", "b"], "rate": [0.2, 0.3], "lo": [0.1, 0.2], "hi": [0.3, 0.4]})
    >>> ax = interval_plot(table, x="plan", y="rate", low="lo", high="hi")
    """
    ax = ax if ax is not None else plt.gca()
    groups = [(None, data)] if hue is None else list(data.groupby(hue, observed=True, sort=False))
    categories = list(pd.unique(data[x]))
    positions = {category: i for i, category in enumerate(categories)}
    width = 0.8 / len(groups)
    colours = sns.color_palette(PALETTE, len(groups))
    for g, (label, frame) in enumerate(groups):
        offset = (g - (len(groups) - 1) / 2) * width
        xs = np.array([positions[c] for c in frame[x]], dtype=float) + (offset if len(groups) > 1 else 0)
        values = frame[y].to_numpy(dtype=float)
        errors = np.vstack([values - frame[low].to_numpy(dtype=float), frame[high].to_numpy(dtype=float) - values])
        if kind == "bar":
            ax.bar(xs, values, width=width * 0.9, color=colours[g], label=label, **kwargs)
            ax.errorbar(xs, values, yerr=errors, fmt="none", ecolor="0.2", capsize=3)
        else:
            ax.errorbar(xs, values, yerr=errors, fmt="o", color=colours[g], capsize=3, label=label, **kwargs)
    ax.set_xticks(range(len(categories)), [str(c) for c in categories])
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    if hue is not None:
        ax.legend(title=hue)
    return ax
