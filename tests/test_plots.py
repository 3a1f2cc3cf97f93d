"""The words the plot helpers draw themselves come out in the report's language.

Every helper is drawn under ``use_language("en")`` and ``use_language("zh")``; the
texts of the figure (titles, axis labels, tick labels, legend entries and titles,
colour-bar labels, figure notes) are collected and checked: in English the fixed
words are there, in Chinese none of them is left and their Chinese wording (the
catalog's, as the studies' tables and findings use it) is there instead.
"""

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from csat_analysis import plots
from csat_analysis.i18n import use_language

#: every fixed English word a helper draws (column names passed in are the caller's and not listed)
ENGLISH_WORDS = [
    "fitted curve",
    "observed",
    "short stave",
    "(log scale)",
    "% of answers",
    "% of rows",
    "% missing",
    "(missing)",
    "(other)",
    "satisfaction (scale point)",
    "share loyal",
    "Top-box loyalty",
    "mean loyalty score",
    "Mean loyalty",
]


@pytest.fixture(autouse=True)
def theme():
    """The project theme (with its CJK font, so Chinese labels draw); rcParams restored afterwards."""
    with mpl.rc_context():
        plots.set_theme()
        yield


def _curve():
    return pd.DataFrame(
        {
            "satisfaction": [1, 2, 3],
            "share": [0.1, 0.4, 0.8],
            "share_low": [0.0, 0.3, 0.7],
            "share_high": [0.2, 0.5, 0.9],
            "mean": [2.0, 3.0, 4.5],
            "mean_low": [1.5, 2.5, 4.0],
            "mean_high": [2.5, 3.5, 5.0],
        }
    )


def _fit():
    return pd.DataFrame(
        {"satisfaction": [1.0, 2.0, 3.0], "predicted": [0.1, 0.4, 0.8], "low": [0.0, 0.3, 0.7], "high": [0.2, 0.5, 0.9]}
    )


def _categories():
    # 4 levels of which 2 are shown (max_levels=2): the rest pooled as "(other)"; one missing value
    return pd.DataFrame({"plan": ["a", "a", "a", "b", "b", "c", "d", None]})


def _tarp():
    return pd.DataFrame(
        {
            "status": ["q1", "q2", "q2"],
            "severity": ["s1", "s2", "s3"],
            "rate": [0.9, 0.5, 0.7],
            "low": [0.8, 0.4, 0.6],
            "high": [0.95, 0.6, 0.8],
            "tarp_rate": [None, 0.54, 0.74],
        }
    )


def _intervals():
    return pd.DataFrame(
        {
            "segment": ["p", "p", "r"],
            "level": ["x", "y", "z"],
            "rate": [0.1, 0.2, 0.3],
            "low": [0.05, 0.1, 0.2],
            "high": [0.2, 0.3, 0.4],
        }
    )


def _curves():
    return pd.DataFrame(
        {
            "segment": "p",
            "level": ["a", "a", "b", "b"],
            "time": [0, 1, 0, 2],
            "survival": [1, 0.5, 1, 0.8],
            "low": [1, 0.3, 1, 0.6],
            "high": [1, 0.7, 1, 0.9],
        }
    )


#: name -> (drawing function returning anything with a figure, English words it draws, their Chinese wording)
DRAWINGS = {
    "loyalty_curve_plot": (
        lambda: plots.loyalty_curve_plot(_curve(), fit=_fit()),
        ["fitted curve", "observed"],
        ["拟合曲线", "观测值"],
    ),
    "loyalty_curve_panels": (
        lambda: plots.loyalty_curve_panels(_curve(), fit=_fit(), top_box=3),
        [
            "satisfaction (scale point)",
            "share loyal (top 3 box)",
            "Top-box loyalty",
            "mean loyalty score",
            "Mean loyalty",
        ],
        ["满意度（量表分值）", "忠诚客户占比（前 3 格）", "高分段忠诚度", "平均忠诚度得分", "平均忠诚度"],
    ),
    "importance_performance_plot": (
        lambda: plots.importance_performance_plot(
            pd.DataFrame(
                {
                    "driver": ["q1", "q2"],
                    "performance": [60, 80],
                    "share": [0.7, 0.3],
                    "weakest_high_importance": [True, False],
                }
            )
        ),
        ["short stave"],
        ["短板"],
    ),
    "odds_ratio_plot": (
        lambda: plots.odds_ratio_plot(
            pd.DataFrame({"term": ["q1", "q2"], "odds_ratio": [0.5, 2.0], "low": [0.3, 1.2], "high": [0.8, 3.1]})
        ),
        ["odds_ratio (log scale)"],
        ["odds_ratio（对数刻度）"],
    ),
    "funnel_plot": (
        lambda: plots.funnel_plot(pd.DataFrame({"stage": ["q1", "q2"], "count": [500, 20]})),
        ["count (log scale)"],
        ["count（对数刻度）"],
    ),
    "distribution_grid": (
        lambda: plots.distribution_grid(pd.DataFrame({"q1": [1, 2, 2], "q2": [3, 3, 1]}), ["q1", "q2"]),
        ["% of answers"],
        ["占答案的百分比（%）"],
    ),
    "histogram_grid": (
        lambda: plots.histogram_grid(pd.DataFrame({"q1": [1.5, 2.5, 9.0]}), ["q1"]),
        ["% of rows"],
        ["占行数的百分比（%）"],
    ),
    "category_bars": (
        lambda: plots.category_bars(_categories(), ["plan"], max_levels=2),
        ["% of rows", "(other)"],
        ["占行数的百分比（%）", "（其他）"],
    ),
    "category_bars_missing": (
        lambda: plots.category_bars(_categories(), ["plan"]),
        ["(missing)"],
        ["（缺失）"],
    ),
    "missingness_bar": (
        lambda: plots.missingness_bar(pd.DataFrame({"column": ["q1", "q2"], "share_missing": [0.0, 0.25]})),
        ["% missing"],
        ["缺失比例（%）"],
    ),
    "answer_share_heatmap": (
        lambda: plots.answer_share_heatmap(
            pd.DataFrame({"column": ["q1", "q1", "q2"], "answer": [1.0, 2.0, 2.0], "percent": [25.0, 75.0, 100.0]})
        ),
        ["% of answers"],
        ["占答案的百分比（%）"],
    ),
    "tarp_plot": (lambda: plots.tarp_plot(_tarp()), ["TARP (1986)"], ["TARP (1986)"]),
    "interval_plot": (
        lambda: plots.interval_plot(_intervals(), x="level", y="rate", low="low", high="high", hue="segment"),
        [],
        [],
    ),
    "interval_panels": (
        lambda: plots.interval_panels(_intervals(), panel="segment", x="level", y="rate", low="low", high="high"),
        [],
        [],
    ),
    "retention_plot": (lambda: plots.retention_plot(_curves(), hue="level"), [], []),
    "retention_panels": (lambda: plots.retention_panels(_curves(), panel="segment", hue="level"), [], []),
}


def _figure(drawn):
    first = np.ravel(drawn)[0] if isinstance(drawn, np.ndarray) else drawn
    return first.figure


def _texts(figure) -> list[str]:
    """Every text of the figure a reader sees: titles, labels, tick labels, legends, colour bars, notes."""
    figure.canvas.draw()  # tick labels are filled in at draw time
    texts = [text.get_text() for text in figure.texts]
    for ax in figure.axes:  # a colour bar is an axes of the figure too
        texts += [ax.get_title(), ax.get_xlabel(), ax.get_ylabel()]
        texts += [label.get_text() for label in ax.get_xticklabels() + ax.get_yticklabels()]
        texts += [text.get_text() for text in ax.texts]
        legend = ax.get_legend()
        if legend is not None:
            texts += [legend.get_title().get_text()] + [text.get_text() for text in legend.get_texts()]
    return [text for text in texts if text]


def _drawn_texts(name: str, language: str) -> list[str]:
    draw = DRAWINGS[name][0]
    with use_language(language):
        figure = _figure(draw())
    try:
        return _texts(figure)
    finally:
        plt.close(figure)


@pytest.mark.parametrize("name", sorted(DRAWINGS))
def test_english_figures_draw_the_english_words(name):
    texts = _drawn_texts(name, "en")
    for word in DRAWINGS[name][1]:
        assert word in texts, (name, word, texts)


@pytest.mark.parametrize("name", sorted(DRAWINGS))
def test_chinese_figures_keep_no_english_word(name):
    texts = _drawn_texts(name, "zh")
    left = [(word, text) for text in texts for word in ENGLISH_WORDS if word in text]
    assert not left, (name, left)
    for word in DRAWINGS[name][2]:
        assert word in texts, (name, word, texts)


def test_words_are_looked_up_when_drawn_not_when_imported():
    # the same helper, drawn in one language and then in the other, follows the current language each time
    assert "拟合曲线" in _drawn_texts("loyalty_curve_plot", "zh")
    assert "fitted curve" in _drawn_texts("loyalty_curve_plot", "en")
    assert "拟合曲线" in _drawn_texts("loyalty_curve_plot", "zh")


def test_caller_column_names_and_labels_are_drawn_as_given():
    with use_language("zh"):
        ax = plots.odds_ratio_plot(
            pd.DataFrame({"term": ["q1"], "hazard ratio": [2.0], "low": [1.2], "high": [3.1]}),
            odds_ratio="hazard ratio",
        )
        label = ax.get_xlabel()
        tarp = plots.tarp_plot(_tarp(), published_label="Goodman (1999)", ax=plt.figure().gca())
        legend = [text.get_text() for text in tarp.get_legend().get_texts()]
    plt.close("all")
    assert label == "hazard ratio（对数刻度）"
    assert "Goodman (1999)" in legend and "TARP (1986)" not in legend
