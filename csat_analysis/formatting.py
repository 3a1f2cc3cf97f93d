"""One formatter for every number a report shows.

Reports, findings, tables and the index format their numbers here and nowhere else,
so that the same quantity reads the same in every study: p-values as ``"< 0.001"``
or three decimals (never ``"0.000"``), shares as percentages with a fixed number of
decimals, signed effects without ``"-0.00"``, intervals clipped to the range of a
bounded quantity, and axes of integer scales with whole-number ticks only.

A missing value (``None``, ``NaN``, ``pandas.NA``) prints as :data:`MISSING`.

Every formatter takes ``language=`` (``"en"`` or ``"zh"``; default: the current
language of :mod:`csat_analysis.i18n`, which ``StudyRun(language=...)`` sets). The
decimal and group separators, signs and the percent pattern come from Babel's locale
data (``en_US``, ``zh_Hans_CN``); the words (``"n/a"``, ``"pp"``, ``"yes"``) come from
the message catalog. Only the display changes: the numbers are the same.

Examples
--------
>>> p_value(0.0421), p_value(3e-12)
('0.042', '< 0.001')
>>> percent(0.72), number(-0.001), signed(0.305)
('72.0%', '0.00', '+0.31')
>>> estimate(0.662, 0.621, 0.703)
'66.2% [62.1%, 70.3%]'
>>> estimate(4.1, -0.6, 8.8, kind="number", bounds=(1, 7))
'4.10 [1.00, 7.00]'
>>> percentage_points(0.052, language="zh"), number(float("nan"), language="zh")
('+5.2 个百分点', '无数据')
"""

from __future__ import annotations

import functools
import math
import numbers
import re
import textwrap
from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np

from .errors import ParameterError
from .i18n import BABEL_LOCALES, _, current_language, use_language

__all__ = [
    "MISSING",
    "SHARE_BOUNDS",
    "display_name",
    "estimate",
    "format_result",
    "integer_ticks",
    "interval",
    "number",
    "p_value",
    "percent",
    "percentage_points",
    "signed",
    "wrap_labels",
]

#: what a missing value prints as
MISSING = "n/a"
#: the range of a share (a proportion): intervals of shares are clipped to it
SHARE_BOUNDS = (0.0, 1.0)
#: below this a p-value prints as "< 0.001"
P_VALUE_FLOOR = 0.001

#: the kinds of quantity :func:`interval`, :func:`estimate` and :func:`format_result` know
KINDS = ("percent", "number", "signed", "points", "p_value", "integer")
_KIND_ALIASES = {"share": "percent", "rate": "percent", "pp": "points"}
#: name endings that mark a share, shown as a percentage by :func:`format_result`
SHARE_SUFFIXES = ("_rate", "_share")

# a value this close outside a bounded range is rounding noise, not an error
_TOLERANCE = 1e-9


def _in_language(function):
    """Give ``function`` a keyword ``language=`` (None: the current language)."""

    @functools.wraps(function)
    def localized(*args, language: str | None = None, **kwargs):
        if language is None:
            return function(*args, **kwargs)
        with use_language(language):
            return function(*args, **kwargs)

    return localized


@functools.cache
def _conventions(language: str) -> dict[str, str]:
    """Separators, signs and the percent pattern of ``language`` from Babel's locale data."""
    from babel import Locale
    from babel import numbers as babel_numbers

    locale = Locale.parse(BABEL_LOCALES[language])
    pattern = locale.percent_formats[None].pattern
    symbols = locale.number_symbols
    symbols = symbols.get("latn", symbols) if hasattr(symbols, "get") else symbols
    percent_sign = symbols.get("percentSign", "%") if hasattr(symbols, "get") else "%"
    template = re.sub(r"[#0,.]+", "{}", pattern.split(";")[0], count=1).replace("%", percent_sign)
    return {
        "decimal": babel_numbers.get_decimal_symbol(locale),
        "group": babel_numbers.get_group_symbol(locale),
        "plus": babel_numbers.get_plus_sign_symbol(locale),
        "minus": babel_numbers.get_minus_sign_symbol(locale),
        "percent": template.replace("'", ""),
    }


def _localize(text: str) -> str:
    """An English-formatted number in the separators and signs of the current language."""
    language = current_language()
    if language == "en":
        return text
    rules = _conventions(language)
    swapped = {",": rules["group"], ".": rules["decimal"], "+": rules["plus"], "-": rules["minus"]}
    return "".join(swapped.get(ch, ch) for ch in text)


def _missing(missing: str) -> str:
    # the default placeholder is a word, in the report's language; one given by the caller is kept
    # Translators: what a table or sentence shows for a missing value
    return _("n/a") if missing is MISSING else missing


def _is_missing(x: Any) -> bool:
    if x is None:
        return True
    try:
        import pandas as pd

        if x is pd.NA or x is pd.NaT:
            return True
    except ImportError:  # pragma: no cover - pandas is a dependency
        pass
    return isinstance(x, numbers.Real) and not isinstance(x, numbers.Integral) and math.isnan(float(x))


def _real(x: Any, argument: str) -> float:
    """``x`` as a float; strings, booleans and other objects are a ParameterError."""
    if isinstance(x, (bool, str, bytes)) or not isinstance(x, numbers.Real):
        raise ParameterError(f"{argument} must be a real number, got {x!r} ({type(x).__name__})")
    return float(x)


def _check_decimals(decimals: int) -> int:
    if isinstance(decimals, bool) or not isinstance(decimals, numbers.Integral) or decimals < 0:
        raise ParameterError(f"decimals must be a whole number >= 0, got {decimals!r}")
    return int(decimals)


def _fixed(x: float, decimals: int, shift: int = 0) -> str:
    """``x * 10**shift`` rounded half away from zero, with thousands separators.

    Rounding works on the shortest decimal form of the float (its ``repr``), so
    0.305 rounds to 0.31 as a reader expects, not to 0.30 as its binary value
    would, and a share times 100 gains no binary noise. A value that rounds to
    zero prints without a sign: never "-0.00".
    """
    if not math.isfinite(x):
        return "inf" if x > 0 else ("-inf" if x < 0 else "nan")
    exact = Decimal(repr(x)).scaleb(shift)
    rounded = exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if rounded.is_zero():
        rounded = abs(rounded)
    return _localize(f"{rounded:,.{decimals}f}")


@_in_language
def number(x: Any, decimals: int = 2, *, missing: str = MISSING) -> str:
    """A number with thousands separators and a fixed number of decimals.

    A value that rounds to zero prints without a sign: never ``"-0.00"``.

    Parameters
    ----------
    x : float
        The value.
    decimals : int, default 2
        Digits after the decimal point.
    missing : str, default :data:`MISSING`
        Printed for a missing value.

    Returns
    -------
    str
        The number as text (``missing`` for a missing value).

    Examples
    --------
    >>> number(1234.5678), number(-0.004), number(12, decimals=0), number(float("nan"))
    ('1,234.57', '0.00', '12', 'n/a')
    """
    decimals = _check_decimals(decimals)
    if _is_missing(x):
        return _missing(missing)
    return _fixed(_real(x, "x"), decimals)


@_in_language
def signed(x: Any, decimals: int = 2, *, missing: str = MISSING) -> str:
    """A number with an explicit sign: ``"+0.31"``, ``"-0.12"``; zero prints as ``"0.00"``.

    Parameters
    ----------
    x : float
        The value (an effect, a difference, a path coefficient).
    decimals : int, default 2
        Digits after the decimal point.
    missing : str, default :data:`MISSING`
        Printed for a missing value.

    Returns
    -------
    str
        The number with its sign as text (``missing`` for a missing value).

    Examples
    --------
    >>> signed(0.305), signed(-0.12), signed(-0.0004), signed(1500, decimals=0)
    ('+0.31', '-0.12', '0.00', '+1,500')
    """
    missing = _missing(missing)
    text = number(x, decimals, missing=missing)
    return text if text == missing else _with_sign(text)


def _with_sign(text: str) -> str:
    """Prefix "+" to a positive formatted number; zero and negatives stay as they are."""
    if text.startswith(("-", "\u2212")) or not any(ch in "123456789" for ch in text) or text == "nan":
        return text
    plus = _conventions(current_language())["plus"] if current_language() != "en" else "+"
    return plus + text


@_in_language
def percent(share: Any, decimals: int = 1, *, missing: str = MISSING) -> str:
    """A share (a proportion, 0.72) as a percentage with fixed decimals (``"72.0%"``).

    Parameters
    ----------
    share : float
        The proportion; 1 is 100%. Values outside [0, 1] (a growth, a difference)
        print as they are.
    decimals : int, default 1
        Digits after the decimal point, the same in every report.
    missing : str, default :data:`MISSING`
        Printed for a missing value.

    Returns
    -------
    str
        The percentage as text (``missing`` for a missing value).

    Examples
    --------
    >>> percent(0.72), percent(0.0004), percent(-0.00001), percent(1.0, decimals=0)
    ('72.0%', '0.0%', '0.0%', '100%')
    """
    decimals = _check_decimals(decimals)
    if _is_missing(share):
        return _missing(missing)
    text = _fixed(_real(share, "share"), decimals, shift=2)
    return text + "%" if current_language() == "en" else _conventions(current_language())["percent"].format(text)


@_in_language
def percentage_points(difference: Any, decimals: int = 1, *, missing: str = MISSING) -> str:
    """A difference of two shares in signed percentage points (``"+5.2 pp"``).

    Parameters
    ----------
    difference : float
        Difference of two shares, as a fraction (0.052 is 5.2 points).
    decimals : int
        Decimals shown.
    missing : str
        Text shown for a missing difference.

    Returns
    -------
    str
        The signed difference with ``pp``, or ``missing``.

    Examples
    --------
    >>> percentage_points(0.052), percentage_points(-0.1), percentage_points(0.00001)
    ('+5.2 pp', '-10.0 pp', '0.0 pp')
    """
    decimals = _check_decimals(decimals)
    if _is_missing(difference):
        return _missing(missing)
    # Translators: "pp" is percentage points, the difference of two percentages
    return _("{value} pp").format(value=_with_sign(_fixed(_real(difference, "difference"), decimals, shift=2)))


@_in_language
def p_value(p: Any, *, label: bool = False, missing: str = MISSING) -> str:
    """A p-value: ``"< 0.001"`` below 0.001, otherwise three decimals; never ``"0.000"``.

    Parameters
    ----------
    p : float
        The p-value, in [0, 1]. Tails as small as 1e-300 (or an underflow to 0)
        print as ``"< 0.001"``.
    label : bool, default False
        Prefix ``"p = "`` or ``"p "`` for running text: ``"p = 0.042"``, ``"p < 0.001"``.
    missing : str, default :data:`MISSING`
        Printed for a missing value.

    Returns
    -------
    str
        The p-value as text, with ``p = `` or ``p < `` in front when ``label`` is true.

    Raises
    ------
    ParameterError
        ``p`` is not a number in [0, 1].

    Examples
    --------
    >>> p_value(0.0421), p_value(1e-300), p_value(0.001), p_value(0.00095, label=True), p_value(0.5, label=True)
    ('0.042', '< 0.001', '0.001', 'p < 0.001', 'p = 0.500')
    """
    if _is_missing(p):
        return _missing(missing)
    value = _real(p, "p")
    if not -_TOLERANCE <= value <= 1 + _TOLERANCE:
        raise ParameterError(f"a p-value must lie in [0, 1], got {p!r}")
    if value < P_VALUE_FLOOR:
        return "p < 0.001" if label else "< 0.001"
    text = _fixed(min(value, 1.0), 3)
    return f"p = {text}" if label else text


def _kind(kind: str) -> str:
    resolved = _KIND_ALIASES.get(kind, kind)
    if resolved not in KINDS:
        raise ParameterError(f"kind must be one of {', '.join(KINDS + tuple(_KIND_ALIASES))}; got {kind!r}")
    return resolved


def _default_decimals(kind: str) -> int:
    return {"percent": 1, "points": 1, "integer": 0}.get(kind, 2)


def _format(x: Any, kind: str, decimals: int, missing: str) -> str:
    if kind == "percent":
        return percent(x, decimals, missing=missing)
    if kind == "points":
        return percentage_points(x, decimals, missing=missing)
    if kind == "signed":
        return signed(x, decimals, missing=missing)
    if kind == "p_value":
        return p_value(x, missing=missing)
    return number(x, decimals, missing=missing)


def _check_bounds(bounds: Sequence[float | None] | None) -> tuple[float, float]:
    if bounds is None:
        return -math.inf, math.inf
    if isinstance(bounds, (str, bytes)) or len(bounds) != 2:
        raise ParameterError(f"bounds must be a pair (lowest, highest), got {bounds!r}")
    floor = -math.inf if _is_missing(bounds[0]) else _real(bounds[0], "bounds[0]")
    ceiling = math.inf if _is_missing(bounds[1]) else _real(bounds[1], "bounds[1]")
    if floor > ceiling:
        raise ParameterError(f"bounds must be ordered (lowest, highest), got {bounds!r}")
    return floor, ceiling


@_in_language
def interval(
    low: Any,
    high: Any,
    kind: str = "percent",
    decimals: int | None = None,
    bounds: Sequence[float | None] | None = None,
    *,
    missing: str = MISSING,
) -> str:
    """A confidence interval ``"[62.1%, 70.3%]"``, clipped to the range of a bounded quantity.

    Parameters
    ----------
    low, high : float
        The interval's ends.
    kind : {"percent", "number", "signed", "points", "integer"}, default "percent"
        How each end prints: a share as a percentage (alias ``"share"``), a plain
        number, a signed number, a difference of shares in percentage points.
    decimals : int, optional
        Digits after the decimal point; 1 for percentages and points, 0 for
        integers, else 2.
    bounds : (float, float), optional
        The range the quantity cannot leave: :data:`SHARE_BOUNDS` for a share,
        ``(1, 7)`` for the mean of a 7-point scale. An approximate interval that
        crosses it is clipped to it. Either end may be None (unbounded).
    missing : str, default :data:`MISSING`
        Printed when an end is missing.

    Returns
    -------
    str
        The interval in brackets, each bound clipped to ``bounds``.

    Raises
    ------
    ParameterError
        ``low`` is above ``high``, or an unknown ``kind``.

    Examples
    --------
    >>> interval(0.621, 0.703)
    '[62.1%, 70.3%]'
    >>> interval(-0.6, 2.4, kind="number", decimals=1, bounds=(1, 7))
    '[1.0, 2.4]'
    >>> interval(0.93, 1.04, bounds=SHARE_BOUNDS)
    '[93.0%, 100.0%]'
    >>> interval(-0.12, 0.3, kind="signed")
    '[-0.12, +0.30]'
    """
    kind = _kind(kind)
    decimals = _default_decimals(kind) if decimals is None else _check_decimals(decimals)
    floor, ceiling = _check_bounds(bounds)
    missing = _missing(missing)
    if _is_missing(low) or _is_missing(high):
        return missing
    low_value, high_value = _real(low, "low"), _real(high, "high")
    if low_value > high_value:
        raise ParameterError(f"an interval needs low <= high, got low={low!r}, high={high!r}")
    low_value = min(max(low_value, floor), ceiling)
    high_value = min(max(high_value, floor), ceiling)
    return f"[{_format(low_value, kind, decimals, missing)}, {_format(high_value, kind, decimals, missing)}]"


@_in_language
def estimate(
    value: Any,
    low: Any = None,
    high: Any = None,
    kind: str = "percent",
    decimals: int | None = None,
    bounds: Sequence[float | None] | None = None,
    *,
    missing: str = MISSING,
) -> str:
    """An estimate with its interval: ``"66.2% [62.1%, 70.3%]"``.

    Parameters
    ----------
    value : float
        The point estimate. It must lie within ``bounds``.
    low, high : float, optional
        The interval; when either is missing only the estimate prints.
    kind, decimals, bounds, missing
        As in :func:`interval`.

    Returns
    -------
    str
        The value and its bracketed interval as a report shows them.

    Raises
    ------
    ParameterError
        The estimate lies outside ``bounds`` (a bounded quantity cannot: the
        estimate is wrong, not the display), or as :func:`interval`.

    Examples
    --------
    >>> estimate(0.662, 0.621, 0.703)
    '66.2% [62.1%, 70.3%]'
    >>> estimate(0.031, -0.02, 0.082, kind="points")
    '+3.1 pp [-2.0 pp, +8.2 pp]'
    >>> estimate(5.83, 5.21, 7.4, kind="number", decimals=1, bounds=(1, 7))
    '5.8 [5.2, 7.0]'
    >>> estimate(0.25)
    '25.0%'
    """
    kind = _kind(kind)
    decimals = _default_decimals(kind) if decimals is None else _check_decimals(decimals)
    floor, ceiling = _check_bounds(bounds)
    missing = _missing(missing)
    if not _is_missing(value):
        point = _real(value, "value")
        scale = max(1.0, abs(floor) if math.isfinite(floor) else 1.0, abs(ceiling) if math.isfinite(ceiling) else 1.0)
        if not floor - _TOLERANCE * scale <= point <= ceiling + _TOLERANCE * scale:
            raise ParameterError(f"estimate {value!r} lies outside its bounds {tuple(bounds)!r}")
        value = min(max(point, floor), ceiling)
    shown = _format(value, kind, decimals, missing)
    if _is_missing(low) or _is_missing(high) or shown == missing:
        return shown
    return f"{shown} {interval(low, high, kind, decimals, bounds, missing=missing)}"


def display_name(name: str) -> str:
    """A recorded result's name as a reader reads it: ``"churn_rate"`` -> ``"Churn rate"``.

    Parameters
    ----------
    name : str
        The result's name, in snake case.

    Returns
    -------
    str
        The name in sentence case, with known abbreviations kept.

    Examples
    --------
    >>> display_name("churn_rate"), display_name("nps"), display_name("short_stave")
    ('Churn rate', 'NPS', 'Short stave')
    """
    acronyms = {
        "nps": "NPS",
        "ces": "CES",
        "csat": "CSAT",
        "clv": "CLV",
        "acsi": "ACSI",
        "ecsi": "ECSI",
        "pls": "PLS",
        "htmt": "HTMT",
        "ipma": "IPMA",
        "ave": "AVE",
        "ci": "CI",
    }
    words = [word for word in re.split(r"[_\s]+", str(name).strip()) if word]
    if not words:
        return str(name)
    shown = [acronyms.get(word.lower(), word) for word in words]
    first = shown[0]
    shown[0] = first if first in acronyms.values() else first[:1].upper() + first[1:]
    return " ".join(shown)


def _result_kind(name: str, kind: str | None) -> str | None:
    if kind is not None:
        return _kind(kind)
    lowered = str(name).lower()
    if lowered == "p_value" or lowered.endswith("_p_value"):
        return "p_value"
    if lowered.endswith(SHARE_SUFFIXES):
        return "percent"
    return None


@_in_language
def format_result(
    name: str,
    value: Any,
    kind: str | None = None,
    decimals: int | None = None,
    *,
    missing: str = MISSING,
    empty: str = "none",
) -> str:
    """A recorded result as an index headline shows it.

    Parameters
    ----------
    name : str
        The result's name. A name ending in ``_rate`` or ``_share`` marks a share,
        shown as a percentage; ``p_value`` (or ``..._p_value``) a p-value.
    value : object
        The recorded value: a number; a dict with ``value`` and optionally ``low``,
        ``high``, ``kind``, ``bounds`` and ``verdict`` (shown as an estimate with its
        interval and the verdict); a 3-sequence ``(value, low, high)``; a 2-sequence
        ``(low, high)`` (an interval); a list of labels; any other dict (each entry
        formatted under the same kind); a string; a bool (``"yes"``/``"no"``).
    kind : str, optional
        Force the kind (see :func:`interval`): ``"share"`` flags a value in [0, 1]
        whose name does not say so.
    decimals : int, optional
        Digits after the decimal point (kind's default; integers print without).
    missing : str, default :data:`MISSING`
        Printed for a missing value.
    empty : str, default "none"
        Printed for an empty list, dict or string (a finding that found nothing).

    Returns
    -------
    str
        The value as text: a number, percentage, estimate with interval or list, shortened as the index needs.

    Examples
    --------
    >>> format_result("churn_rate", 0.1471)
    '14.7%'
    >>> format_result("loyal_customers", 0.42, kind="share")
    '42.0%'
    >>> format_result("recovery_paradox", {"value": 0.031, "low": -0.02, "high": 0.082, "kind": "points",
    ...                                    "verdict": "no paradox"})
    '+3.1 pp [-2.0 pp, +8.2 pp] (no paradox)'
    >>> format_result("mean_loyalty", (5.83, 5.21, 7.4), decimals=1, kind="number")
    '5.8 [5.2, 7.4]'
    >>> format_result("short_stave", []), format_result("respondents", 1200), format_result("converged", True)
    ('none', '1,200', 'yes')
    >>> format_result("churn_rate", {"monthly": 0.02, "annual": 0.215})
    'monthly: 2.0%; annual: 21.5%'
    >>> format_result("log_rank_p_value", 2e-9), format_result("nps", 31.5)
    ('< 0.001', '31.50')
    """
    resolved = _result_kind(name, kind)
    missing = _missing(missing)
    empty = _("none") if empty == "none" else empty
    if isinstance(value, Mapping):
        if not value:
            return empty
        if "value" in value:
            entry_kind = _kind(value["kind"]) if value.get("kind") is not None else (resolved or "number")
            point = value["value"]
            if _is_missing(point) or (isinstance(point, numbers.Real) and not isinstance(point, (bool, np.bool_))):
                shown = estimate(
                    point,
                    value.get("low"),
                    value.get("high"),
                    kind=entry_kind,
                    decimals=decimals,
                    bounds=value.get("bounds"),
                    missing=missing,
                )
            else:  # a label or a list recorded as the value
                shown = format_result(name, point, kind, decimals, missing=missing, empty=empty)
            verdict = value.get("verdict")
            return f"{shown} ({verdict})" if verdict not in (None, "") else shown
        return "; ".join(
            f"{key}: {format_result(str(key), entry, resolved, decimals, missing=missing, empty=empty)}"
            for key, entry in value.items()
        )
    if isinstance(value, str):
        return value if value else empty
    if isinstance(value, (bool, np.bool_)):
        return _("yes") if value else _("no")
    if _is_missing(value):
        return missing
    if isinstance(value, Sequence) or (hasattr(value, "__len__") and hasattr(value, "__iter__")):
        items = list(value)
        if not items:
            return empty
        if all(
            isinstance(item, numbers.Real) and not isinstance(item, (bool, np.bool_)) or _is_missing(item)
            for item in items
        ):
            numeric_kind = resolved or "number"
            if len(items) == 3:
                return estimate(*items, kind=numeric_kind, decimals=decimals, missing=missing)
            if len(items) == 2:
                return interval(*items, kind=numeric_kind, decimals=decimals, missing=missing)
        return ", ".join(format_result(name, item, kind, decimals, missing=missing, empty=empty) for item in items)
    if isinstance(value, numbers.Integral) and resolved in (None, "integer", "number") and decimals is None:
        return number(value, 0, missing=missing)
    if isinstance(value, numbers.Real):
        real_kind = resolved or "number"
        return _format(value, real_kind, _default_decimals(real_kind) if decimals is None else decimals, missing)
    return str(value)


def integer_ticks(ax, axis: str = "x"):
    """Only whole-number ticks on an axis of an integer scale (no half points on a 1-5 scale).

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    axis : {"x", "y", "both"}, default "x"

    Returns
    -------
    matplotlib.axes.Axes
        ``ax``, its ticks on whole numbers.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.plot([1, 2, 3, 4, 5], [0.1, 0.3, 0.2, 0.5, 0.4])
    >>> _ = integer_ticks(ax, "x")
    >>> all(float(t).is_integer() for t in ax.get_xticks())
    True
    """
    from matplotlib.ticker import MaxNLocator

    if axis not in ("x", "y", "both"):
        raise ParameterError(f"axis must be 'x', 'y' or 'both', got {axis!r}")
    for name in ("x", "y") if axis == "both" else (axis,):
        getattr(ax, f"{name}axis").set_major_locator(MaxNLocator(integer=True))
    return ax


def _overlapping(labels, pad: float) -> bool:
    """Do neighbouring (unrotated) x tick labels come closer than ``pad`` display pixels?"""
    boxes = [label.get_window_extent() for label in labels if label.get_visible() and label.get_text()]
    boxes.sort(key=lambda box: box.x0)
    return any(left.x1 + pad > right.x0 for left, right in zip(boxes, boxes[1:]))


#: angles tried, in order, when wrapped x labels still overlap
ROTATIONS = (30, 45, 60, 90)


#: the smallest font size, in points, to which labels too dense even upright are shrunk
MIN_LABEL_SIZE = 5.0
# the air between rotated neighbours, as a share of a line's height
_AIR = 0.15


def _clearing_angle(ax, labels) -> tuple[float, float]:
    """The smallest of :data:`ROTATIONS` at which one-line labels rotated about their ends clear each other.

    Rotated by ``a``, parallel labels whose anchors are ``d`` pixels apart stand
    ``d * sin(a)`` apart across their baselines; they clear each other when that
    exceeds a line's height (with a little air). Returns the angle and the factor
    by which the font must shrink for labels too dense even upright (else 1).
    """
    low, high = sorted(ax.get_xlim())
    ticks = sorted(x for x in ax.get_xticks() if low <= x <= high)
    if len(ticks) < 2:
        return ROTATIONS[0], 1.0
    positions = ax.transData.transform([(x, 0) for x in ticks])[:, 0]
    spacing = float(min(b - a for a, b in zip(positions, positions[1:])))
    height = max((label.get_window_extent().height for label in labels if label.get_text()), default=0.0)
    needed = (1 + _AIR) * height
    for angle in ROTATIONS:
        if spacing * math.sin(math.radians(angle)) >= needed:
            return angle, 1.0
    return ROTATIONS[-1], spacing / needed


def wrap_labels(ax, axis: str = "x", width: int = 12, *, rotation: float | None = None):
    """Wrap long tick labels over several lines; rotate x labels when wrapping is not enough.

    Words are never cut: a word longer than ``width`` stays whole on its line. If
    the wrapped x labels still come closer than a third of their font size, they go
    back to one line each and are rotated about their right ends, which sit at the
    ticks, by the smallest angle at which neighbours clear each other (30, 45, 60 or
    90 degrees); labels too dense even upright also get a smaller font (down to
    :data:`MIN_LABEL_SIZE` points). Call it once the figure's size is set; a later
    layout change (``tight_layout``) shrinks the axes only slightly.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    axis : {"x", "y"}, default "x"
        Labels of the y axis are wrapped only (they do not overlap sideways).
    width : int, default 12
        The longest line, in characters.
    rotation : float, optional
        The angle to use when wrapping is not enough, instead of the automatic one.

    Returns
    -------
    matplotlib.axes.Axes
        ``ax``, its tick labels wrapped (and rotated where needed).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots(figsize=(5, 3))
    >>> _ = ax.bar(["credit card (automatic)", "bank transfer (automatic)", "electronic check"], [3, 2, 4])
    >>> _ = wrap_labels(ax, "x", width=12)
    >>> [label.get_text() for label in ax.get_xticklabels()]
    ['credit card\\n(automatic)', 'bank\\ntransfer\\n(automatic)', 'electronic\\ncheck']
    >>> ax.get_xticklabels()[0].get_rotation()
    0.0
    """
    if axis not in ("x", "y"):
        raise ParameterError(f"axis must be 'x' or 'y', got {axis!r}")
    if isinstance(width, bool) or not isinstance(width, numbers.Integral) or width < 1:
        raise ParameterError(f"width must be a whole number >= 1, got {width!r}")
    target = getattr(ax, f"{axis}axis")
    ticks = target.get_ticklocs()
    texts = [label.get_text() for label in target.get_ticklabels()]
    wrapped = [
        textwrap.fill(text, width=width, break_long_words=False, break_on_hyphens=True) if text else text
        for text in texts
    ]
    target.set_ticks(ticks, labels=wrapped)
    if axis == "y":
        return ax
    labels = target.get_ticklabels()
    pad = max((label.get_fontsize() for label in labels), default=0.0) / 3 * ax.figure.dpi / 72
    if not _overlapping(labels, pad):
        return ax
    target.set_ticks(ticks, labels=texts)
    labels = target.get_ticklabels()
    angle, shrink = _clearing_angle(ax, labels)
    angle = angle if rotation is None else rotation
    for label in labels:
        if shrink < 1:
            label.set_fontsize(max(MIN_LABEL_SIZE, label.get_fontsize() * shrink))
        label.set_rotation(angle)
        label.set_rotation_mode("anchor")
        label.set_horizontalalignment("right")
        label.set_verticalalignment("center")
    return ax
