"""csat-analysis: customer satisfaction, loyalty, complaint and churn research toolkit.

Modules, one per topic: ``datasets`` (bundled real data), ``io`` (reading and
validating surveys), ``simulate`` (known-truth survey panels), ``metrics`` (CSAT,
NPS, CES, churn, CLV), ``scaling`` (recoding, reliability), ``weighting`` (raking),
``pls`` (PLS path models for ACSI/ECSI indices), ``loyalty``, ``drivers``,
``complaints``, ``churn`` (study logic), ``plots``, ``report`` and ``runner`` (batch
execution of the study notebooks).
"""

from .errors import CsatError, CsatWarning, ConvergenceWarning, ModelSpecError, ParameterError, StudyError, SurveyDataError

__version__ = "0.1.0"

__all__ = [
    "ConvergenceWarning",
    "CsatError",
    "CsatWarning",
    "ModelSpecError",
    "ParameterError",
    "StudyError",
    "SurveyDataError",
    "__version__",
]
