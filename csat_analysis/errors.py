"""Exceptions and warnings raised by csat-analysis: all of them live here.

Every error the package raises on purpose derives from :class:`CsatError`, which is
also a :class:`ValueError`, so ``except ValueError`` in user code keeps working.
Bad data raise :class:`SurveyDataError`; a wrong argument (an unknown option, a value
out of its range) raises :class:`ParameterError`. Every warning derives from
:class:`CsatWarning`, so ``warnings.simplefilter("ignore", CsatWarning)`` silences
exactly this package's warnings.
"""

from __future__ import annotations

__all__ = [
    "ConvergenceWarning",
    "CsatError",
    "CsatWarning",
    "ModelSpecError",
    "ParameterError",
    "StudyError",
    "SurveyDataError",
]


class CsatError(ValueError):
    """Base class of every error csat-analysis raises on purpose."""


class SurveyDataError(CsatError):
    """The data are not what the analysis needs: wrong values, types, columns or rows.

    The message names the column, the first offending values and their row labels.
    """


class ParameterError(CsatError):
    """An argument is invalid: an unknown choice, a value outside its range, a wrong type.

    The message names the argument, the value given and what is accepted.
    """


class ModelSpecError(CsatError):
    """A model specification cannot be estimated (cycles, unknown items, singular system...)."""


class StudyError(CsatError):
    """A study specification or study parameter is invalid."""


class CsatWarning(UserWarning):
    """Base class of every warning csat-analysis issues."""


class ConvergenceWarning(CsatWarning):
    """An iterative fit (PLS, logistic regression, a survey calibration) did not converge.

    The result is returned flagged (``converged=False``) so a report can say so
    instead of losing the whole analysis.
    """
