"""Plot helpers in seaborn's style, with one theme for every figure.

Every helper takes ``data=`` plus column names, draws on the given ``ax`` (or the
current axes) and returns it. :func:`source_note` writes under a figure which data it
comes from, as every figure in a study must say.

The words a helper draws itself (legend entries such as "observed", axis labels such
as "% of answers") are in the current report language (:func:`csat_analysis.i18n.use_language`),
looked up when the figure is drawn; column names passed in are drawn as given (the
caller passes display names).
"""

from __future__ import annotations

import logging

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from .i18n import _

__all__ = [
    "PALETTE",
    "answer_share_heatmap",
    "category_bars",
    "cjk_font",
    "distribution_grid",
    "funnel_plot",
    "histogram_grid",
    "importance_performance_plot",
    "interval_panels",
    "interval_plot",
    "loyalty_curve_panels",
    "loyalty_curve_plot",
    "missingness_bar",
    "odds_ratio_plot",
    "retention_panels",
    "retention_plot",
    "set_theme",
    "source_note",
    "tarp_plot",
]

#: qualitative palette used for every figure (colour-blind safe)
PALETTE = "colorblind"


#: the package that ships the CJK fallback font (Noto Sans CJK, SIL Open Font License 1.1), and the file in it
CJK_FONT_PACKAGE = "notojp_matplotlib"
CJK_FONT_FILE = "fonts/NotoSansCJKjp-Regular.otf"
# the font settings a user may have configured; set_theme keeps those that differ from matplotlib's defaults
_FONT_KEYS = ("font.family", "font.sans-serif", "font.serif", "font.monospace", "font.cursive", "font.fantasy")


def cjk_font() -> str | None:
    """Register the bundled CJK font with matplotlib and return its family name.

    The font (Noto Sans CJK, which covers Chinese, Japanese and Korean) comes with
    the ``notojp-matplotlib`` package. Its file is located without importing that
    package, whose import would replace the user's font family. Registering twice
    is harmless. Returns None, with a :class:`~csat_analysis.errors.CsatWarning`,
    when the package is not installed.

    Returns
    -------
    str or None
        The font's family name, or ``None`` when the font cannot be loaded.

    Examples
    --------
    >>> cjk_font()
    'Noto Sans CJK JP'
    """
    import importlib.util
    import warnings
    from pathlib import Path

    from matplotlib import font_manager

    from .errors import CsatWarning

    spec = importlib.util.find_spec(CJK_FONT_PACKAGE)
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    paths = [Path(location, CJK_FONT_FILE) for location in locations if Path(location, CJK_FONT_FILE).is_file()]
    if not paths:
        warnings.warn(
            f"no CJK font found (package {CJK_FONT_PACKAGE.replace('_', '-')} is not installed): Chinese, "
            "Japanese and Korean labels will render as empty boxes",
            CsatWarning,
            stacklevel=2,
        )
        return None
    path = str(paths[0])
    if not any(entry.fname == path for entry in font_manager.fontManager.ttflist):
        font_manager.fontManager.addfont(path)
    family = font_manager.get_font(path).family_name
    font_logger = logging.getLogger(font_manager.__name__)
    if not any(isinstance(known, _SingleWeightNote) and known.family == family for known in font_logger.filters):
        font_logger.addFilter(_SingleWeightNote(family))
    return family


class _SingleWeightNote(logging.Filter):
    """Drops matplotlib's note that the CJK fallback has no bold face.

    The font ships one weight, which bold CJK text (titles) then uses; the note
    would otherwise print into every report whose titles contain CJK text.
    """

    def __init__(self, family: str):
        super().__init__()
        self.family = family

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args if isinstance(record.args, tuple) else ()
        return not (str(record.msg).startswith("findfont: Failed to find font weight") and self.family in args)


def set_theme(context: str = "notebook") -> None:
    """Apply the project theme (seaborn ``whitegrid``, colour-blind palette) with a CJK font fallback.

    Fonts the user configured (any of matplotlib's font family settings that differ
    from matplotlib's defaults) are kept first; the bundled CJK font (:func:`cjk_font`)
    is appended to the family list as a fallback, so Chinese, Japanese or Korean
    labels render in every figure while Latin text keeps its font.

    Parameters
    ----------
    context : str
        Seaborn plotting context (``"notebook"``, ``"paper"``, ``"talk"``, ``"poster"``).

    Examples
    --------
    >>> import matplotlib as mpl
    >>> with mpl.rc_context({"font.family": ["DejaVu Serif"]}):
    ...     set_theme()
    ...     mpl.rcParams["font.family"]
    ['DejaVu Serif', 'Noto Sans CJK JP']
    """
    import matplotlib as mpl

    configured = {key: mpl.rcParams[key] for key in _FONT_KEYS if mpl.rcParams[key] != mpl.rcParamsDefault[key]}
    sns.set_theme(
        context=context, style="whitegrid", palette=PALETTE, rc={"figure.dpi": 110, "axes.titleweight": "bold"}
    )
    mpl.rcParams.update(configured)
    family = cjk_font()
    families = list(mpl.rcParams["font.family"])
    if family is not None and family not in families:
        mpl.rcParams["font.family"] = families + [family]


def source_note(ax: plt.Axes, text: str) -> plt.Axes:
    """Write ``text`` (e.g. ``StudyData.source``) under the axes, in small grey type.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Axes the note goes under.
    text : str
        The source, e.g. ``StudyData.source``.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.
    """
    ax.annotate(
        text,
        xy=(0, 0),
        xycoords="axes fraction",
        xytext=(0, -36),
        textcoords="offset points",
        ha="left",
        va="top",
        fontsize=8,
        color="0.35",
    )
    return ax


def interval_plot(
    data: pd.DataFrame,
    *,
    x: str,
    y: str,
    low: str,
    high: str,
    hue: str | None = None,
    ax: plt.Axes | None = None,
    kind: str = "point",
    **kwargs,
) -> plt.Axes:
    """Estimates with their confidence intervals, one point (or bar) per ``x`` level.

    Parameters
    ----------
    data : DataFrame
        One row per estimate, e.g. the output of :func:`csat_analysis.metrics.summarize`.
    x, y, low, high : str
        Category column, estimate column and interval-bound columns.
    hue : str, optional
        Column whose levels are drawn side by side in different colours.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; the current axes when omitted.
    kind : {"point", "bar"}
        Points with error bars, or bars with error bars.
    **kwargs
        Passed to the matplotlib drawing call.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

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


# --- loyalty study ------------------------------------------------------------


def loyalty_curve_plot(
    data: pd.DataFrame,
    *,
    x: str = "satisfaction",
    y: str = "share",
    low: str = "share_low",
    high: str = "share_high",
    fit: pd.DataFrame | None = None,
    fit_x: str = "satisfaction",
    fit_y: str = "predicted",
    fit_low: str = "low",
    fit_high: str = "high",
    ax: plt.Axes | None = None,
) -> plt.Axes:
    """Observed loyalty per satisfaction level with intervals, and optionally a fitted curve.

    Parameters
    ----------
    data : DataFrame
        One row per satisfaction level, e.g. :func:`csat_analysis.loyalty.loyalty_curve`.
    x, y, low, high : str
        Level, estimate and interval columns of ``data``.
    fit : DataFrame, optional
        A prediction grid (e.g. ``fit_loyalty_curve(...).grid``) drawn as a line with
        its interval band; ``fit_x``, ``fit_y``, ``fit_low``, ``fit_high`` name its columns.
    fit_x, fit_y, fit_low, fit_high : str
        Level, prediction and interval columns of ``fit``.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; the current axes when omitted.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"satisfaction": [1, 2], "share": [0.1, 0.5], "share_low": [0.0, 0.3], "share_high": [0.2, 0.7]})
    >>> ax = loyalty_curve_plot(table)
    """
    ax = ax if ax is not None else plt.gca()
    colours = sns.color_palette(PALETTE, 2)
    if fit is not None:
        ax.plot(fit[fit_x], fit[fit_y], color=colours[1], label=_("fitted curve"))
        ax.fill_between(fit[fit_x], fit[fit_low], fit[fit_high], color=colours[1], alpha=0.2, linewidth=0)
    values = data[y].to_numpy(dtype=float)
    errors = np.vstack([values - data[low].to_numpy(dtype=float), data[high].to_numpy(dtype=float) - values])
    ax.errorbar(data[x], values, yerr=errors, fmt="o", color=colours[0], capsize=3, label=_("observed"))
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    ax.legend(loc="upper left")
    return ax


def importance_performance_plot(
    data: pd.DataFrame,
    *,
    x: str = "performance",
    y: str = "share",
    label: str = "driver",
    highlight: str | None = "weakest_high_importance",
    ax: plt.Axes | None = None,
) -> plt.Axes:
    """Importance-performance matrix: one labelled point per driver, cross-hairs at the means.

    Parameters
    ----------
    data : DataFrame
        E.g. :func:`csat_analysis.drivers.importance_performance` or ``drivers.ipma``.
    x, y, label : str
        Performance, importance and name columns.
    highlight : str, optional
        Boolean column whose true rows are drawn in the accent colour (the short stave).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; the current axes when omitted.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"driver": ["a", "b"], "performance": [60, 80], "share": [0.7, 0.3],
    ...                       "weakest_high_importance": [True, False]})
    >>> ax = importance_performance_plot(table)
    """
    ax = ax if ax is not None else plt.gca()
    colours = sns.color_palette(PALETTE, 4)
    flagged = data[highlight].astype(bool).to_numpy() if highlight is not None else np.zeros(len(data), bool)
    ax.scatter(data[x][~flagged], data[y][~flagged], color=colours[0], s=50, zorder=3)
    ax.scatter(data[x][flagged], data[y][flagged], color=colours[3], s=90, zorder=3, label=_("short stave"))
    for _index, row in data.iterrows():
        ax.annotate(str(row[label]), (row[x], row[y]), xytext=(5, 4), textcoords="offset points", fontsize=9)
    ax.axvline(data[x].mean(), color="0.5", linestyle="--", linewidth=1)
    ax.axhline(data[y].mean(), color="0.5", linestyle="--", linewidth=1)
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    if flagged.any():
        ax.legend(loc="best")
    return ax


def retention_plot(
    data: pd.DataFrame,
    *,
    time: str = "time",
    survival: str = "survival",
    low: str | None = "low",
    high: str | None = "high",
    hue: str | None = None,
    ax: plt.Axes | None = None,
    **kwargs,
) -> plt.Axes:
    """Step retention (survival) curves with shaded confidence bands, one per ``hue`` level.

    Parameters
    ----------
    data : DataFrame
        Tidy curve table, e.g. :func:`csat_analysis.churn.retention_curves`.
    time, survival : str
        Time and survival columns.
    low, high : str or None
        Band columns (``None``: no band).
    hue : str, optional
        Column whose levels get one curve each.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; the current axes when omitted.
    **kwargs
        Passed to the matplotlib drawing call.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Examples
    --------
    >>> import pandas as pd
    >>> curve = pd.DataFrame({"time": [0, 1, 2], "survival": [1, 0.8, 0.5], "low": [1, 0.6, 0.3], "high": [1, 0.9, 0.7]})
    >>> ax = retention_plot(curve)
    """
    ax = ax if ax is not None else plt.gca()
    groups = [(None, data)] if hue is None else list(data.groupby(hue, observed=True, sort=False))
    colours = sns.color_palette(PALETTE, len(groups))
    for colour, (label, frame) in zip(colours, groups):
        frame = frame.sort_values(time)
        ax.step(
            frame[time],
            frame[survival],
            where="post",
            color=colour,
            label=None if label is None else str(label),
            **kwargs,
        )
        if low is not None and high is not None:
            ax.fill_between(frame[time], frame[low], frame[high], step="post", color=colour, alpha=0.2, linewidth=0)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel(time)
    ax.set_ylabel(survival)
    if hue is not None:
        ax.legend(title=hue)
    return ax


def odds_ratio_plot(
    data: pd.DataFrame,
    *,
    term: str = "term",
    odds_ratio: str = "odds_ratio",
    low: str = "low",
    high: str = "high",
    ax: plt.Axes | None = None,
    **kwargs,
) -> plt.Axes:
    """Forest plot of odds ratios with confidence intervals on a log axis, 1 marked.

    Parameters
    ----------
    data : DataFrame
        One row per term, e.g. :attr:`csat_analysis.churn.ChurnDrivers.table`.
    term, odds_ratio, low, high : str
        Label, estimate and interval-bound columns.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; the current axes when omitted.
    **kwargs
        Passed to the matplotlib drawing call.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"term": ["a", "b"], "odds_ratio": [0.5, 2.0], "low": [0.3, 1.2], "high": [0.8, 3.1]})
    >>> ax = odds_ratio_plot(table)
    """
    ax = ax if ax is not None else plt.gca()
    positions = np.arange(len(data))[::-1]
    values = data[odds_ratio].to_numpy(dtype=float)
    errors = np.vstack([values - data[low].to_numpy(dtype=float), data[high].to_numpy(dtype=float) - values])
    ax.errorbar(values, positions, xerr=errors, fmt="o", color=sns.color_palette(PALETTE)[0], capsize=3, **kwargs)
    ax.axvline(1, color="0.4", linestyle="--", linewidth=1)
    ax.set_xscale("log")
    ax.set_yticks(positions, [str(t) for t in data[term]])
    ax.set_xlabel(_("{column} (log scale)").format(column=odds_ratio))
    return ax


# --- complaint study ----------------------------------------------------------


def funnel_plot(
    data: pd.DataFrame,
    *,
    stage: str = "stage",
    count: str = "count",
    log: bool = True,
    ax: plt.Axes | None = None,
    **kwargs,
) -> plt.Axes:
    """Horizontal bars of a funnel or pyramid, first stage on top, counts written at the bars.

    Parameters
    ----------
    data : DataFrame
        One row per stage, in order, e.g. :func:`csat_analysis.complaints.complaint_funnel`.
    stage, count : str
        Label and count columns.
    log : bool
        Log-scaled counts, so that 1 and 20,000 both stay visible.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; the current axes when omitted.
    **kwargs
        Passed to the matplotlib drawing call.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Examples
    --------
    >>> import pandas as pd
    >>> ax = funnel_plot(pd.DataFrame({"stage": ["problem", "complained"], "count": [500, 20]}))
    """
    ax = ax if ax is not None else plt.gca()
    positions = np.arange(len(data))[::-1]
    counts = data[count].to_numpy(dtype=float)
    ax.barh(positions, counts, color=sns.color_palette(PALETTE)[0], **kwargs)
    for y_position, value in zip(positions, counts):
        ax.annotate(
            f"{value:,.0f}", (value, y_position), xytext=(4, 0), textcoords="offset points", va="center", fontsize=9
        )
    if log:
        ax.set_xscale("log")
    ax.set_yticks(positions, [str(s) for s in data[stage]])
    ax.set_xlabel(_("{column} (log scale)").format(column=count) if log else count)
    return ax


# --- data overview ------------------------------------------------------------


def _grid(n_panels: int, col_wrap: int, height: float, aspect: float):
    n_cols = max(1, min(col_wrap, n_panels))
    n_rows = max(1, -(-n_panels // n_cols))
    fig, axes = plt.subplots(n_rows, n_cols, figsize=(n_cols * height * aspect, n_rows * height), squeeze=False)
    axes = axes.ravel()
    for ax in axes[n_panels:]:
        ax.set_visible(False)
    return fig, axes


def _figure_source(fig, source: str | None) -> None:
    if source:
        fig.text(0.01, 0.0, source, ha="left", va="top", fontsize=8, color="0.35")


def distribution_grid(
    data: pd.DataFrame,
    columns,
    *,
    discrete: bool = True,
    col_wrap: int = 6,
    height: float = 1.9,
    aspect: float = 1.2,
    source: str | None = None,
) -> np.ndarray:
    """Small multiples of the answer distribution of each column (percent of answers).

    Parameters
    ----------
    data : DataFrame
    columns : list of str
        Numeric columns, e.g. rating items; one panel each.
    discrete : bool
        One bar per observed value (ratings) or a histogram (continuous columns).
    col_wrap, height, aspect
        Panels per row and panel size in inches.
    source : str, optional
        Data source line written under the figure (``StudyData.source``).

    Returns
    -------
    numpy.ndarray
        The Axes, one per column (``axes[0].figure`` is the figure).

    Examples
    --------
    >>> import pandas as pd
    >>> axes = distribution_grid(pd.DataFrame({"q1": [1, 2, 2], "q2": [3, 3, 1]}), ["q1", "q2"])
    >>> [ax.get_title() for ax in axes]
    ['q1', 'q2']
    """
    columns = list(columns)
    fig, axes = _grid(len(columns), col_wrap, height, aspect)
    for ax, column in zip(axes, columns):
        values = pd.to_numeric(data[column], errors="coerce").dropna()
        sns.histplot(x=values, discrete=discrete, stat="percent", ax=ax, color=sns.color_palette(PALETTE)[0])
        ax.set_title(str(column), fontsize=9)
        ax.set_xlabel("")
        ax.set_ylabel(_("% of answers") if ax.get_subplotspec().is_first_col() else "")
        ax.tick_params(labelsize=7)
    fig.tight_layout()
    _figure_source(fig, source)
    return axes[: len(columns)]


def category_bars(
    data: pd.DataFrame,
    columns,
    *,
    max_levels: int = 15,
    col_wrap: int = 4,
    height: float = 2.2,
    aspect: float = 1.4,
    source: str | None = None,
) -> np.ndarray:
    """One bar chart per categorical or boolean column: share of rows per level.

    Levels beyond the ``max_levels`` most frequent are pooled into ``"(other)"``;
    missing values are shown as ``"(missing)"``.

    Parameters
    ----------
    data : DataFrame
        The data whose columns are drawn.
    columns : list of str
        Categorical or boolean columns, one panel each.
    max_levels : int
        Levels shown per column before the rest are pooled.
    col_wrap : int
        Panels per row.
    height : float
        Height of one panel, in inches.
    aspect : float
        Width of a panel relative to its height.
    source : str, optional
        Source note under the figure.

    Returns
    -------
    numpy.ndarray
        The axes of the panels.

    Examples
    --------
    >>> import pandas as pd
    >>> axes = category_bars(pd.DataFrame({"churn": [True, False, True], "plan": ["a", "b", None]}), ["churn", "plan"])
    >>> len(axes)
    2
    """
    columns = list(columns)
    missing, other = _("(missing)"), _("(other)")
    fig, axes = _grid(len(columns), col_wrap, height, aspect)
    for ax, column in zip(axes, columns):
        series = data[column]
        labels = series.astype(object).where(series.notna(), missing).astype(str)
        shares = labels.value_counts(normalize=True)
        if isinstance(series.dtype, pd.CategoricalDtype) and len(series.cat.categories) <= max_levels:
            # keep the declared order (e.g. contract length, complaint status)
            order = [str(c) for c in series.cat.categories] + [missing]
            shares = shares.reindex([level for level in order if level in shares.index])
        if len(shares) > max_levels:
            shares = pd.concat([shares.iloc[:max_levels], pd.Series({other: shares.iloc[max_levels:].sum()})])
        table = pd.DataFrame({"level": shares.index, "percent": 100 * shares.to_numpy()})
        sns.barplot(data=table, y="level", x="percent", ax=ax, color=sns.color_palette(PALETTE)[1])
        ax.set_title(str(column), fontsize=9)
        ax.set_ylabel("")
        ax.set_xlabel(_("% of rows"))
        ax.tick_params(labelsize=7)
    fig.tight_layout()
    _figure_source(fig, source)
    return axes[: len(columns)]


def missingness_bar(
    data: pd.DataFrame, *, column: str = "column", share: str = "share_missing", ax: plt.Axes | None = None
) -> plt.Axes:
    """Horizontal bars of the share of missing values per column.

    ``data`` is a table like :func:`csat_analysis.studies.data_overview.missing_overview`'s.

    Parameters
    ----------
    data : DataFrame
        One row per column of the surveyed data.
    column, share : str
        Column-name and missing-share columns of ``data``.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; the current axes when omitted.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Examples
    --------
    >>> import pandas as pd
    >>> ax = missingness_bar(pd.DataFrame({"column": ["a", "b"], "share_missing": [0.0, 0.25]}))
    >>> ax.get_xlabel()
    '% missing'
    """
    ax = ax if ax is not None else plt.gca()
    table = pd.DataFrame({"column": data[column].astype(str), "percent": 100 * data[share].to_numpy(dtype=float)})
    sns.barplot(data=table, y="column", x="percent", ax=ax, color=sns.color_palette(PALETTE)[3])
    ax.set_xlim(0, max(5.0, float(table["percent"].max()) * 1.1))
    ax.set_xlabel(_("% missing"))
    ax.set_ylabel("")
    ax.tick_params(axis="y", labelsize=7 if len(table) > 20 else 9)
    return ax


def loyalty_curve_panels(
    data: pd.DataFrame, *, fit: pd.DataFrame | None = None, top_box: int = 2, source: str | None = None, axes=None
):
    """Two panels side by side: top-box loyal share (with a fitted curve) and mean loyalty per satisfaction level.

    Parameters
    ----------
    data : DataFrame
        :func:`csat_analysis.loyalty.loyalty_curve` output (``share``/``share_low``/
        ``share_high`` and ``mean``/``mean_low``/``mean_high`` per ``satisfaction``).
    fit : DataFrame, optional
        ``LoyaltyCurveFit.grid``, drawn on the share panel.
    top_box : int
        For the axis label.
    source : str, optional
        Data source written once under the figure.
    axes : pair of Axes, optional

    Returns
    -------
    numpy.ndarray
        The two Axes.
    """
    if axes is None:
        axes = plt.subplots(1, 2, figsize=(12, 4.2))[1]
    loyalty_curve_plot(data, fit=fit, ax=axes[0])
    axes[0].set(
        xlabel=_("satisfaction (scale point)"),
        ylabel=_("share loyal (top {top_box} box)").format(top_box=top_box),
        title=_("Top-box loyalty"),
    )
    loyalty_curve_plot(data, y="mean", low="mean_low", high="mean_high", ax=axes[1])
    axes[1].set(xlabel=_("satisfaction (scale point)"), ylabel=_("mean loyalty score"), title=_("Mean loyalty"))
    axes[0].figure.tight_layout()
    _figure_source(axes[0].figure, source)  # one note under both panels
    return axes


# --- churn study --------------------------------------------------------------


def interval_panels(
    data: pd.DataFrame,
    *,
    panel: str,
    x: str,
    y: str,
    low: str,
    high: str,
    ylabel: str = "",
    source: str | None = None,
    wrap: int = 10,
    height: float = 4.0,
    width: float = 4.2,
) -> np.ndarray:
    """One bar-with-interval panel per ``panel`` value (e.g. churn rate per level of each segment).

    Panels share the y axis, which gets ``ylabel`` on the first panel; long ``x``
    labels are wrapped to ``wrap`` characters (unrotated, so they stay clear of the
    source line under the figure). Returns the axes.

    Parameters
    ----------
    data : DataFrame
        One row per estimate.
    panel : str
        Column whose values get one panel each.
    x, y, low, high : str
        Category, estimate and interval-bound columns.
    ylabel : str
        Label of the shared y axis.
    source : str, optional
        Source note under the figure.
    wrap : int
        Characters per line of the ``x`` labels.
    height, width : float
        Size of one panel, in inches.

    Returns
    -------
    numpy.ndarray
        The axes of the panels.

    Examples
    --------
    >>> table = pd.DataFrame({"segment": ["a", "a", "b"], "level": ["x", "y", "z"], "rate": [0.1, 0.2, 0.3],
    ...                       "low": [0.05, 0.1, 0.2], "high": [0.2, 0.3, 0.4]})
    >>> axes = interval_panels(table, panel="segment", x="level", y="rate", low="low", high="high")
    >>> len(axes), axes[0].get_title()
    (2, 'a')
    """
    import textwrap

    groups = list(data.groupby(panel, sort=False))
    fig, axes = plt.subplots(1, len(groups), figsize=(width * len(groups), height), sharey=True, squeeze=False)
    axes = axes[0]
    for ax, (name, table) in zip(axes, groups):
        interval_plot(table, x=x, y=y, low=low, high=high, ax=ax, kind="bar")
        ax.set_title(str(name))
        ax.set_xlabel("")
        ax.set_ylabel("")
        ax.set_xticks(ax.get_xticks(), [textwrap.fill(str(v), wrap) for v in table[x]], fontsize=9)
    axes[0].set_ylabel(ylabel)
    if source:
        source_note(axes[0], source)
    return axes


def retention_panels(
    data: pd.DataFrame,
    *,
    panel: str,
    hue: str,
    time: str = "time",
    survival: str = "survival",
    xlabel: str = "",
    ylabel: str = "",
    source: str | None = None,
    height: float = 4.0,
    width: float = 4.6,
) -> np.ndarray:
    """Retention curves (:func:`retention_plot`), one panel per ``panel`` value, coloured by ``hue``.

    ``data`` is a long curve table such as ``for_each_segment(retention_curves, ...)``
    (``segment``, ``level``, ``time``, ``survival``, ``low``, ``high``). Returns the axes.

    Parameters
    ----------
    data : DataFrame
        A long curve table.
    panel : str
        Column whose values get one panel each.
    hue : str
        Column whose levels get one curve each.
    time, survival : str
        Time and survival columns.
    xlabel, ylabel : str
        Axis labels.
    source : str, optional
        Source note under the figure.
    height, width : float
        Size of one panel, in inches.

    Returns
    -------
    numpy.ndarray
        The axes of the panels.

    Examples
    --------
    >>> curves = pd.DataFrame({"segment": "plan", "level": ["a", "a", "b", "b"], "time": [0, 1, 0, 2],
    ...                        "survival": [1, 0.5, 1, 0.8], "low": [1, 0.3, 1, 0.6], "high": [1, 0.7, 1, 0.9]})
    >>> axes = retention_panels(curves, panel="segment", hue="level", xlabel="months")
    >>> axes[0].get_xlabel(), axes[0].get_legend().get_title().get_text()
    ('months', 'plan')
    """
    groups = list(data.groupby(panel, sort=False))
    fig, axes = plt.subplots(1, len(groups), figsize=(width * len(groups), height), sharey=True, squeeze=False)
    axes = axes[0]
    for ax, (name, curves) in zip(axes, groups):
        retention_plot(curves, time=time, survival=survival, hue=hue, ax=ax)
        ax.legend(title=str(name), fontsize=8, title_fontsize=9)
        ax.set_title(str(name))
        ax.set_xlabel(xlabel)
        ax.set_ylabel("")
    axes[0].set_ylabel(ylabel)
    if source:
        source_note(axes[0], source)
    return axes


# --- complaint study, continued ---------------------------------------------


def tarp_plot(
    data: pd.DataFrame,
    *,
    x: str = "status",
    y: str = "rate",
    low: str = "low",
    high: str = "high",
    hue: str = "severity",
    published: str | None = "tarp_rate",
    published_label: str | None = None,
    ax: plt.Axes | None = None,
) -> plt.Axes:
    """Rates by complaint status and severity (:func:`interval_plot`) with published rates as crosses.

    ``published`` names a column of reference rates (by default the TARP (1986)
    repurchase rates, labelled ``published_label`` in the legend); each cross sits on
    its estimate's dodged position. Rows without a published rate get no cross; with
    ``published=None`` or no such column, none are drawn.

    Parameters
    ----------
    data : DataFrame
        One row per status and severity, e.g. the TARP repurchase table.
    x, y, low, high : str
        Status, rate and interval-bound columns.
    hue : str
        Column drawn side by side (severity).
    published : str, optional
        Column of published reference rates drawn as crosses.
    published_label : str, optional
        Legend label of the crosses; ``"TARP (1986)"`` (in the current language) when omitted.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; the current axes when omitted.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Examples
    --------
    >>> table = pd.DataFrame({"status": ["a", "b", "b"], "severity": ["none", "major", "minor"],
    ...                       "rate": [0.9, 0.5, 0.7], "low": [0.8, 0.4, 0.6], "high": [0.95, 0.6, 0.8],
    ...                       "tarp_rate": [None, 0.54, 0.74]})
    >>> ax = tarp_plot(table)
    >>> 'TARP (1986)' in [text.get_text() for text in ax.get_legend().get_texts()]
    True
    """
    ax = ax if ax is not None else plt.gca()
    interval_plot(data, x=x, y=y, low=low, high=high, hue=hue, ax=ax)
    if published is not None and published in data.columns and data[published].notna().any():
        # the same dodging as interval_plot: hue levels in order of appearance, 0.8 wide in all
        positions = {c: i for i, c in enumerate(pd.unique(data[x]))}
        levels = list(pd.unique(data[hue]))
        width = 0.8 / len(levels)
        offsets = {
            level: (g - (len(levels) - 1) / 2) * width if len(levels) > 1 else 0.0 for g, level in enumerate(levels)
        }
        xs = data[x].map(positions).to_numpy(dtype=float) + data[hue].map(offsets).to_numpy(dtype=float)
        ax.scatter(
            xs,
            data[published].to_numpy(dtype=float),
            marker="x",
            color="0.2",
            zorder=4,
            label=_("TARP (1986)") if published_label is None else published_label,
        )
        ax.legend(title=hue)
    ax.set_xlabel(x.replace("_", " "))
    ax.set_ylabel(y.replace("_", " "))
    return ax


def answer_share_heatmap(
    data: pd.DataFrame,
    *,
    column: str = "column",
    answer: str = "answer",
    percent: str = "percent",
    ax: plt.Axes | None = None,
) -> plt.Axes:
    """One row per rating item, one cell per answer: the percent of answers, annotated.

    ``data`` is a tidy table like :func:`csat_analysis.studies.data_overview.answer_shares`'s. A single
    heatmap shows dozens of items at once (and draws far faster than one panel per
    item); answers an item never received stay blank.

    Parameters
    ----------
    data : DataFrame
        One row per item and answer.
    column, answer, percent : str
        Item, answer and percent columns of ``data``.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; the current axes when omitted.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"column": ["q1", "q1", "q2"], "answer": [1.0, 2.0, 2.0], "percent": [25.0, 75.0, 100.0]})
    >>> ax = answer_share_heatmap(table)
    >>> ax.get_xlabel(), [t.get_text() for t in ax.get_yticklabels()]
    ('answer', ['q1', 'q2'])
    """
    ax = ax if ax is not None else plt.gca()
    order = list(dict.fromkeys(data[column].astype(str)))
    grid = (
        data.assign(**{column: data[column].astype(str)})
        .pivot(index=column, columns=answer, values=percent)
        .reindex(order)
        .sort_index(axis=1)
    )
    grid.columns = [f"{value:g}" for value in grid.columns]
    sns.heatmap(
        grid,
        annot=True,
        fmt=".0f",
        annot_kws={"fontsize": 7},
        cmap="Blues",
        vmin=0,
        linewidths=0.5,
        linecolor="white",
        cbar_kws={"label": _("% of answers")},
        ax=ax,
    )
    ax.set_xlabel(answer.replace("_", " "))
    ax.set_ylabel("")
    ax.tick_params(axis="y", labelsize=7 if len(order) > 20 else 9, rotation=0)
    ax.grid(False)  # blank cells (answers never given) must not show the theme's grid
    return ax


def histogram_grid(
    data: pd.DataFrame, columns, *, col_wrap: int = 4, height: float = 2.0, source: str | None = None
) -> np.ndarray:
    """Small multiples of histograms of continuous columns, in percent of rows.

    :func:`distribution_grid` with ``discrete=False``, labelled for columns that are
    not survey answers (amounts, durations, weights).

    Parameters
    ----------
    data : DataFrame
        The data whose columns are drawn.
    columns : list of str
        Numeric columns, one panel each.
    col_wrap : int
        Panels per row.
    height : float
        Height of one panel, in inches.
    source : str, optional
        Source note under the figure.

    Returns
    -------
    numpy.ndarray
        The axes of the panels.

    Examples
    --------
    >>> import pandas as pd
    >>> axes = histogram_grid(pd.DataFrame({"spend": [1.5, 2.5, 9.0]}), ["spend"])
    >>> axes[0].get_ylabel()
    '% of rows'
    """
    axes = distribution_grid(data, columns, discrete=False, col_wrap=col_wrap, height=height, source=source)
    for ax in axes:
        ax.set_ylabel(_("% of rows") if ax.get_ylabel() else "")
    return axes


# --- label placement -------------------------------------------------------------


def separate_point_labels(ax: plt.Axes, *, pad: float = 2.0, max_passes: int = 50) -> plt.Axes:
    """Move the labels of nearby points apart so none overlaps another (e.g. two drivers of equal importance).

    Works on the data-anchored annotations of ``ax`` (as drawn by
    :func:`importance_performance_plot`): labels whose boxes overlap are pushed apart
    vertically, in offset points, until every pair clears by ``pad`` points; each
    label keeps pointing at its own point. Call it once the figure's size is set.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"driver": ["Performance", "Competence"], "performance": [60.0, 60.5],
    ...                       "share": [0.104, 0.1041], "weakest_high_importance": [False, False]})
    >>> ax = separate_point_labels(importance_performance_plot(table))
    >>> a, b = [t.get_window_extent() for t in ax.texts]
    >>> bool(a.overlaps(b))
    False
    """
    from matplotlib.text import Annotation

    labels = [text for text in ax.texts if isinstance(text, Annotation) and text.xycoords == "data" and text.get_text()]
    if len(labels) < 2:
        return ax
    figure = ax.figure
    renderer = figure.canvas.get_renderer()
    to_points = 72 / figure.dpi
    for _pass in range(max_passes):
        boxes = [label.get_window_extent(renderer) for label in labels]
        order = sorted(range(len(labels)), key=lambda i: (boxes[i].y0, boxes[i].x0))
        moved = False
        for position, i in enumerate(order):
            for j in order[position + 1 :]:
                a, b = boxes[i], boxes[j]
                if a.x1 + pad / to_points <= b.x0 or b.x1 + pad / to_points <= a.x0:
                    continue
                overlap = a.y1 + pad / to_points - b.y0
                if overlap > 0:
                    x, y = labels[j].xyann
                    labels[j].xyann = (x, y + overlap * to_points)
                    boxes[j] = labels[j].get_window_extent(renderer)
                    moved = True
        if not moved:
            break
    return ax
