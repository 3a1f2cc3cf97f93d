"""Rating scales: recoding text labels, reversing, rescaling, top and bottom boxes.

Examples
--------
>>> satisfaction = Scale(1, 5, labels={"Very dissatisfied": 1, "Dissatisfied": 2,
...     "Neutral": 3, "Satisfied": 4, "Very satisfied": 5})
>>> recode(["Satisfied", "Very satisfied"], satisfaction).tolist()
[4.0, 5.0]
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ._validation import describe_offenders
from .errors import SurveyDataError

__all__ = ["Scale", "recode"]


@dataclass(frozen=True)
class Scale:
    """A closed rating scale ``low..high`` with optional text labels.

    Parameters
    ----------
    low, high : int or float
        Scale end points (``low < high``).
    labels : mapping, optional
        Text label -> scale value, e.g. ``{"非常满意": 5, "Very satisfied": 5}``.
        Several labels may map to the same value (English and Chinese wording).

    Examples
    --------
    >>> Scale(0, 10).width
    10
    """

    low: float
    high: float
    labels: Mapping[str, float] | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if not self.low < self.high:
            raise SurveyDataError(f"Scale: low={self.low!r} must be below high={self.high!r}")
        if self.labels:
            outside = {k: v for k, v in self.labels.items() if not self.low <= v <= self.high}
            if outside:
                raise SurveyDataError(f"Scale: labels map outside {self.low}..{self.high}: {outside}")

    @property
    def width(self) -> float:
        return self.high - self.low

    @classmethod
    def coerce(cls, scale: Scale | tuple | Mapping) -> Scale:
        """Accept a Scale, a ``(low, high)`` tuple or a label mapping."""
        if isinstance(scale, Scale):
            return scale
        if isinstance(scale, Mapping):
            values = list(scale.values())
            return cls(min(values), max(values), labels=dict(scale))
        low, high = scale
        return cls(low, high)


def recode(values, scale_or_labels: Scale | Mapping, *, name: str = "values") -> pd.Series:
    """Map text labels to scale values; numbers already on the scale pass through.

    Parameters
    ----------
    values : array-like or Series
        Labels (and/or numbers). Missing values stay missing.
    scale_or_labels : Scale or mapping
        A :class:`Scale` with ``labels``, or the label -> value mapping itself.
        Labels match after stripping surrounding white space; case matters.
    name : str
        Column name used in error messages.

    Returns
    -------
    pandas.Series of float

    Raises
    ------
    SurveyDataError
        Listing every unknown label (and the rows of the first ones), or numbers
        outside the scale.

    Examples
    --------
    >>> recode(["非常满意", "不满意"], {"非常满意": 5, "满意": 4, "不满意": 2}).tolist()
    [5.0, 2.0]
    """
    scale = Scale.coerce(scale_or_labels)
    series = values.copy() if isinstance(values, pd.Series) else pd.Series(list(values) if not np.isscalar(values) else [values])
    labels = {str(k).strip(): float(v) for k, v in (scale.labels or {}).items()}
    as_text = series.map(lambda v: v.strip() if isinstance(v, str) else v)
    mapped = as_text.map(lambda v: labels.get(v, np.nan) if isinstance(v, str) else v)
    numeric = pd.to_numeric(mapped, errors="coerce")
    unknown = numeric.isna() & series.notna()
    if unknown.any():
        distinct = sorted({str(v) for v in as_text[unknown]})
        known = ", ".join(repr(k) for k in labels) or "none (numbers only)"
        raise SurveyDataError(
            f"{name}: unknown labels {distinct} at {describe_offenders(series, unknown)}; known labels: {known}"
        )
    outside = (numeric < scale.low) | (numeric > scale.high)
    if outside.any():
        raise SurveyDataError(
            f"{name}: values outside the scale {scale.low:g}..{scale.high:g}: {describe_offenders(series, outside)}"
        )
    return numeric.astype(float)
