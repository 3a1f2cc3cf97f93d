"""The one formatter for report numbers: hand-worked cases and properties over many values."""

import math

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.path import Path

from csat_analysis import formatting as fmt
from csat_analysis.errors import ParameterError


@pytest.fixture(autouse=True)
def default_rc():
    """Axes tests measure text: each starts from matplotlib's defaults, whatever ran before."""
    with mpl.rc_context():
        mpl.rcdefaults()
        yield


# --- p-values -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "p, expected",
    [
        (0.0421, "0.042"),
        (0.0425, "0.043"),  # half away from zero on the decimal value a reader sees
        (0.05, "0.050"),
        (0.001, "0.001"),
        (0.0014, "0.001"),
        (0.0009999, "< 0.001"),
        (1e-300, "< 0.001"),
        (5e-324, "< 0.001"),  # the smallest subnormal float
        (0.0, "< 0.001"),
        (0.9996, "1.000"),
        (1.0, "1.000"),
        (np.float64(0.2), "0.200"),
    ],
)
def test_p_value_cases(p, expected):
    assert fmt.p_value(p) == expected


def test_p_value_never_prints_zero_and_is_close_to_the_value():
    rng = np.random.default_rng(14)
    values = np.concatenate([np.geomspace(1e-300, 1, 3000), rng.uniform(0, 1, 3000), [0.0005, 0.00099999999]])
    for p in values:
        text = fmt.p_value(p)
        assert text != "0.000"
        if p < 0.001:
            assert text == "< 0.001"
        else:
            assert abs(float(text) - p) <= 0.0005 + 1e-12


def test_p_value_label_and_missing():
    assert fmt.p_value(0.0421, label=True) == "p = 0.042"
    assert fmt.p_value(1e-20, label=True) == "p < 0.001"
    assert fmt.p_value(float("nan")) == fmt.MISSING
    assert fmt.p_value(None, missing="-") == "-"
    assert fmt.p_value(pd.NA) == fmt.MISSING


@pytest.mark.parametrize("bad", [-0.01, 1.2, "0.05", True, float("inf")])
def test_p_value_rejects_what_is_not_a_probability(bad):
    with pytest.raises(ParameterError, match="p"):
        fmt.p_value(bad)


# --- numbers, signed values, percentages ------------------------------------------------------


@pytest.mark.parametrize(
    "x, decimals, expected",
    [
        (1234567.891, 2, "1,234,567.89"),
        (-0.004, 2, "0.00"),
        (-0.005, 2, "-0.01"),
        (0.005, 2, "0.01"),
        (2.675, 2, "2.68"),  # its binary value is 2.67499...: a reader expects 2.68
        (-0.0, 2, "0.00"),
        (-1e-12, 3, "0.000"),
        (12, 0, "12"),
        (-1500.4, 0, "-1,500"),
        (np.int64(7), 1, "7.0"),
    ],
)
def test_number_cases(x, decimals, expected):
    assert fmt.number(x, decimals) == expected


def test_number_never_prints_negative_zero():
    rng = np.random.default_rng(3)
    for x in np.concatenate([rng.normal(0, 0.01, 5000), -np.geomspace(1e-300, 0.0049, 500)]):
        text = fmt.number(x, 2)
        assert text not in ("-0.00",)
        assert abs(float(text.replace(",", "")) - x) <= 0.005 + 1e-12


@pytest.mark.parametrize(
    "x, expected",
    [
        (0.305, "+0.31"),
        (-0.12, "-0.12"),
        (0.0, "0.00"),
        (-0.0004, "0.00"),
        (0.0049, "0.00"),
        (1234.5, "+1,234.50"),
    ],
)
def test_signed_cases(x, expected):
    assert fmt.signed(x) == expected


@pytest.mark.parametrize(
    "share, decimals, expected",
    [
        (0.72, 1, "72.0%"),
        (0.1471, 1, "14.7%"),
        (2 / 3, 1, "66.7%"),
        (2 / 3, 2, "66.67%"),
        (0.00145, 2, "0.15%"),
        (1.0, 0, "100%"),
        (-0.00001, 1, "0.0%"),
        (0.0005, 1, "0.1%"),
        (1.25, 1, "125.0%"),
    ],
)
def test_percent_cases(share, decimals, expected):
    assert fmt.percent(share, decimals) == expected


def test_percent_decimals_are_fixed():
    # the same number of decimals whatever the value: "72.0%", never "72%" beside "72.5%"
    for share in np.linspace(0, 1, 201):
        assert fmt.percent(share).split(".")[1] in {f"{d}%" for d in range(10)}


def test_percentage_points():
    assert fmt.percentage_points(0.052) == "+5.2 pp"
    assert fmt.percentage_points(-0.1) == "-10.0 pp"
    assert fmt.percentage_points(-0.0001) == "0.0 pp"


@pytest.mark.parametrize("function", [fmt.number, fmt.signed, fmt.percent, fmt.percentage_points])
def test_formatters_reject_text_and_booleans_and_pass_missing(function):
    with pytest.raises(ParameterError):
        function("12")
    with pytest.raises(ParameterError):
        function(True)
    assert function(float("nan")) == fmt.MISSING
    assert function(None) == fmt.MISSING


def test_decimals_must_be_a_whole_number():
    with pytest.raises(ParameterError, match="decimals"):
        fmt.number(1.0, decimals=-1)
    with pytest.raises(ParameterError, match="decimals"):
        fmt.percent(0.5, decimals=1.5)


# --- intervals and estimates -----------------------------------------------------------------


def test_interval_of_a_share():
    assert fmt.interval(0.621, 0.703) == "[62.1%, 70.3%]"


def test_interval_is_clipped_to_the_scale():
    # a mean on a 1-7 scale whose normal interval runs below the floor
    assert fmt.interval(-0.6, 2.4, kind="number", decimals=1, bounds=(1, 7)) == "[1.0, 2.4]"
    assert fmt.interval(6.1, 7.8, kind="number", decimals=1, bounds=(1, 7)) == "[6.1, 7.0]"
    assert fmt.interval(-0.04, 0.12, bounds=fmt.SHARE_BOUNDS) == "[0.0%, 12.0%]"
    assert fmt.interval(0.93, 1.04, bounds=(None, 1)) == "[93.0%, 100.0%]"


def test_interval_is_not_clipped_without_bounds():
    # a difference of shares may be negative: no bounds, no clipping
    assert fmt.interval(-0.04, 0.12) == "[-4.0%, 12.0%]"


def test_interval_kinds():
    assert fmt.interval(-0.12, 0.3, kind="signed") == "[-0.12, +0.30]"
    assert fmt.interval(-0.02, 0.082, kind="points") == "[-2.0 pp, +8.2 pp]"
    assert fmt.interval(12, 15000, kind="integer") == "[12, 15,000]"
    assert fmt.interval(0.2, 0.4, kind="share", decimals=0) == "[20%, 40%]"


def test_interval_errors():
    with pytest.raises(ParameterError, match="low <= high"):
        fmt.interval(0.7, 0.6)
    with pytest.raises(ParameterError, match="kind"):
        fmt.interval(0.1, 0.2, kind="fraction")
    with pytest.raises(ParameterError, match="bounds"):
        fmt.interval(0.1, 0.2, bounds=(1, 0))
    with pytest.raises(ParameterError, match="bounds"):
        fmt.interval(0.1, 0.2, bounds=(0, 1, 2))
    assert fmt.interval(float("nan"), 0.2) == fmt.MISSING


def test_estimate():
    assert fmt.estimate(0.662, 0.621, 0.703) == "66.2% [62.1%, 70.3%]"
    assert fmt.estimate(4.1, -0.6, 8.8, kind="number", bounds=(1, 7)) == "4.10 [1.00, 7.00]"
    assert fmt.estimate(0.25) == "25.0%"
    assert fmt.estimate(0.25, float("nan"), float("nan")) == "25.0%"
    assert fmt.estimate(float("nan"), 0.1, 0.3) == fmt.MISSING
    assert fmt.estimate(-0.0001, -0.2, 0.19, kind="signed") == "0.00 [-0.20, +0.19]"


def test_estimate_outside_its_bounds_is_an_error_not_a_display_matter():
    with pytest.raises(ParameterError, match="outside its bounds"):
        fmt.estimate(7.5, 6.0, 8.0, kind="number", bounds=(1, 7))
    # rounding noise at the edge is not an error
    assert fmt.estimate(1 + 1e-12, 0.9, 1.0, bounds=fmt.SHARE_BOUNDS) == "100.0% [90.0%, 100.0%]"


# --- index headlines ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, value, kwargs, expected",
    [
        ("churn_rate", 0.1471, {}, "14.7%"),
        ("complaint_share", 0.04, {}, "4.0%"),
        ("loyal", 0.42, {"kind": "share"}, "42.0%"),
        ("nps", 31.5, {}, "31.50"),
        ("nps", 31.5, {"decimals": 1}, "31.5"),
        ("respondents", 1200, {}, "1,200"),
        ("respondents", np.int64(250), {}, "250"),
        ("converged", True, {}, "yes"),
        ("short_stave", [], {}, "none"),
        ("short_stave", "", {}, "none"),
        ("short_stave", ["Quality", "Price"], {}, "Quality, Price"),
        ("best_segment", "华北", {}, "华北"),
        ("log_rank_p_value", 2e-9, {}, "< 0.001"),
        ("p_value", 0.0312, {}, "0.031"),
        ("missing_value", None, {}, "n/a"),
        ("mean_loyalty", (5.83, 5.21, 7.4), {"kind": "number", "decimals": 1}, "5.8 [5.2, 7.4]"),
        ("retention_rate", (0.61, 0.74), {}, "[61.0%, 74.0%]"),
        ("churn_rate", {"value": 0.147, "low": 0.139, "high": 0.156}, {}, "14.7% [13.9%, 15.6%]"),
        ("mean_loyalty", {"value": 1.3, "low": -0.6, "high": 3.2, "bounds": [1, 7]}, {"decimals": 1}, "1.3 [1.0, 3.2]"),
        (
            "recovery_paradox",
            {"value": 0.031, "low": -0.02, "high": 0.082, "kind": "points", "verdict": "no paradox"},
            {},
            "+3.1 pp [-2.0 pp, +8.2 pp] (no paradox)",
        ),
        ("recovery_paradox", {"value": 0.031, "verdict": ""}, {"kind": "points"}, "+3.1 pp"),
        ("churn_rate", {"monthly": 0.02, "annual": 0.215}, {}, "monthly: 2.0%; annual: 21.5%"),
        ("segments", {}, {}, "none"),
        ("short_stave", {"value": [], "verdict": "no important driver lags"}, {}, "none (no important driver lags)"),
        ("best_driver", {"value": "Quality"}, {}, "Quality"),
        ("converged", np.bool_(False), {}, "no"),
        ("flags", [True, False], {}, "yes, no"),
    ],
)
def test_format_result(name, value, kwargs, expected):
    assert fmt.format_result(name, value, **kwargs) == expected


def test_format_result_never_prints_raw_floats():
    # the example: churn_rate = 0.1471 printed as it was recorded
    assert "0.1471" not in fmt.format_result("churn_rate", 0.1471)


@pytest.mark.parametrize(
    "name, expected",
    [
        ("churn_rate", "Churn rate"),
        ("nps", "NPS"),
        ("short_stave", "Short stave"),
        ("mean_ces", "Mean CES"),
        ("recovery_paradox", "Recovery paradox"),
    ],
)
def test_display_name(name, expected):
    assert fmt.display_name(name) == expected


# --- axes --------------------------------------------------------------------------------------


def test_integer_ticks_on_a_five_point_scale():
    # answers 4 and 5 of a 5-point scale: the default locator puts half points between them
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.bar([4, 5], [30, 45])
    fig.canvas.draw()
    low, high = ax.get_xlim()
    visible = [tick for tick in ax.get_xticks() if low <= tick <= high]
    assert not all(float(tick).is_integer() for tick in visible), "the control: half points by default"
    fmt.integer_ticks(ax, "x")
    fig.canvas.draw()
    visible = [tick for tick in ax.get_xticks() if low <= tick <= high]
    assert visible == [4.0, 5.0]


def test_integer_ticks_both_axes_and_bad_axis():
    fig, ax = plt.subplots()
    ax.plot([0, 2], [0, 3])
    fmt.integer_ticks(ax, "both")
    fig.canvas.draw()
    assert all(float(t).is_integer() for t in ax.get_xticks()) and all(float(t).is_integer() for t in ax.get_yticks())
    with pytest.raises(ParameterError, match="axis"):
        fmt.integer_ticks(ax, "z")


def _label_boxes(ax):
    ax.figure.canvas.draw()
    return sorted(
        (label.get_window_extent() for label in ax.get_xticklabels() if label.get_text()), key=lambda box: box.x0
    )


def _overlap(boxes):
    return any(left.x1 > right.x0 for left, right in zip(boxes, boxes[1:]))


PAYMENT_METHODS = ["Bank transfer (automatic)", "Credit card (automatic)", "Electronic check", "Mailed check"]


def test_wrap_labels_removes_overlap_by_wrapping():
    fig, ax = plt.subplots(figsize=(5, 3))
    ax.bar(PAYMENT_METHODS, [1, 2, 3, 4])
    assert _overlap(_label_boxes(ax)), "the control: unwrapped labels overlap at this width"
    fmt.wrap_labels(ax, "x", width=12)
    assert not _overlap(_label_boxes(ax))
    texts = [label.get_text() for label in ax.get_xticklabels()]
    # words are wrapped, never cut or lost
    assert [text.replace("\n", " ") for text in texts] == PAYMENT_METHODS
    assert all(label.get_rotation() == 0 for label in ax.get_xticklabels())


def _rotated_outlines(ax):
    """Each x label's outline as drawn: its upright box turned about its anchor (an independent geometry check)."""
    ax.figure.canvas.draw()
    outlines = []
    for label in ax.get_xticklabels():
        if not label.get_text():
            continue
        angle = label.get_rotation()
        label.set_rotation(0)
        box = label.get_window_extent()
        label.set_rotation(angle)
        anchor = np.array([box.x1, (box.y0 + box.y1) / 2])  # right end, vertical centre
        corners = np.array([[box.x0, box.y0], [box.x1, box.y0], [box.x1, box.y1], [box.x0, box.y1]]) - anchor
        turn = np.radians(angle)
        rotation = np.array([[np.cos(turn), -np.sin(turn)], [np.sin(turn), np.cos(turn)]])
        outlines.append(
            Path(np.vstack([corners @ rotation.T + anchor, corners[:1] @ rotation.T + anchor]), closed=True)
        )
    return outlines


def _outlines_cross(outlines):
    return any(first.intersects_path(second, filled=True) for first, second in zip(outlines, outlines[1:]))


def test_wrap_labels_rotates_when_wrapping_is_not_enough():
    labels = [f"PerformanceCompetence{i}" for i in range(8)]
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.bar(labels, range(8))
    assert _outlines_cross(_rotated_outlines(ax)), "the control: upright labels cross"
    fmt.wrap_labels(ax, "x", width=10)
    rotated = ax.get_xticklabels()
    # one line each (wrapping a single long word helps nothing), turned about the right end at the tick
    assert [label.get_text() for label in rotated] == labels
    assert {label.get_rotation() for label in rotated} <= set(fmt.ROTATIONS)
    assert all(label.get_horizontalalignment() == "right" for label in rotated)
    assert not _outlines_cross(_rotated_outlines(ax))


def test_wrap_labels_too_dense_even_upright_get_a_smaller_font():
    labels = [f"Item number {i}" for i in range(30)]
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.bar(labels, range(30))
    size = ax.get_xticklabels()[0].get_fontsize()
    fmt.wrap_labels(ax, "x", width=10)
    assert {label.get_rotation() for label in ax.get_xticklabels()} == {90.0}
    assert all(fmt.MIN_LABEL_SIZE <= label.get_fontsize() < size for label in ax.get_xticklabels())
    assert not _outlines_cross(_rotated_outlines(ax))


def test_wrap_labels_explicit_rotation():
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.bar([f"PerformanceCompetence{i}" for i in range(8)], range(8))
    fmt.wrap_labels(ax, "x", rotation=90)
    assert {label.get_rotation() for label in ax.get_xticklabels()} == {90.0}


def test_wrap_labels_on_the_y_axis():
    fig, ax = plt.subplots()
    ax.barh(["Customer service representative", "Network quality"], [3, 4])
    fmt.wrap_labels(ax, "y", width=16)
    texts = [label.get_text() for label in ax.get_yticklabels()]
    assert texts == ["Customer service\nrepresentative", "Network quality"]


def test_wrap_labels_arguments():
    fig, ax = plt.subplots()
    with pytest.raises(ParameterError, match="axis"):
        fmt.wrap_labels(ax, "both")
    with pytest.raises(ParameterError, match="width"):
        fmt.wrap_labels(ax, "x", width=0)


def test_missing_is_a_constant_reports_can_rely_on():
    assert fmt.number(math.nan) == fmt.MISSING == "n/a"
