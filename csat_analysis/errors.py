"""Exceptions raised by csat-analysis.

Every error the package raises on purpose derives from :class:`CsatError`, which is
also a :class:`ValueError`, so ``except ValueError`` in user code keeps working.
"""

from __future__ import annotations

__all__ = ["CsatError", "SurveyDataError", "ModelSpecError", "StudyError"]


class CsatError(ValueError):
    """Base class of every error csat-analysis raises on purpose."""


class SurveyDataError(CsatError):
    """The data are not what the analysis needs: wrong values, types, columns or rows.

    The message names the column, the first offending values and their row labels.
    """


class ModelSpecError(CsatError):
    """A model specification cannot be estimated (cycles, unknown items, singular system...)."""


class StudyError(CsatError):
    """A study specification or study parameter is invalid."""
