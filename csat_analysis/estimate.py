"""The result of every single-number estimator: a value with its standard error and interval.

It lives in its own module so that the modules producing estimates (``metrics``,
``scaling``, ``loyalty``...) import it without importing each other.

Examples
--------
>>> est = Estimate(value=0.5, se=0.1, low=0.3, high=0.7, n=25, n_eff=25.0)
>>> float(est), est.to_dict()["high"]
(0.5, 0.7)
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

__all__ = ["Estimate"]


@dataclass(frozen=True)
class Estimate:
    """A point estimate with its standard error and confidence interval.

    Attributes
    ----------
    value, se, low, high : float
        Estimate, standard error and interval bounds (``nan`` when ``n == 0``).
    n : int
        Non-missing observations used.
    n_eff : float
        Kish effective sample size (equals ``n`` without weights).
    n_dropped : int
        Missing observations dropped.

    Examples
    --------
    >>> est = Estimate(value=0.5, se=0.1, low=0.3, high=0.7, n=25, n_eff=25.0)
    >>> float(est)
    0.5
    >>> Estimate.empty(n_dropped=3).n
    0
    """

    value: float
    se: float
    low: float
    high: float
    n: int
    n_eff: float
    n_dropped: int = 0

    def __float__(self) -> float:
        return float(self.value)

    def to_dict(self) -> dict[str, float]:
        """The fields as a plain dict (for tables and recorded results).

        Returns
        -------
        dict
            Field name -> value.
        """
        return asdict(self)

    @classmethod
    def empty(cls, n_dropped: int = 0) -> Estimate:
        """The estimate of an empty or all-missing group: n = 0 and missing values."""
        nan = float("nan")
        return cls(nan, nan, nan, nan, 0, 0.0, n_dropped)
