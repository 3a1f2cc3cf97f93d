"""What exists only for the study notebooks: settings, sections, findings, recorded results.

The library modules (``metrics``, ``scaling``, ``pls``, ``loyalty``, ``churn``,
``complaints``, ...) return numbers and tidy tables. The modules here turn them into
a report: :mod:`~csat_analysis.studies.core` holds the shape every study shares
(:class:`~csat_analysis.studies.core.StudyRun`, :class:`~csat_analysis.studies.core.Section`),
:mod:`~csat_analysis.studies.roles` what the columns of each bundled data set mean,
and one module per study notebook its settings and sections.
"""

from .core import Section, Skipped, StudyRun
from .roles import DATASET_ROLES, dataset_roles

__all__ = ["DATASET_ROLES", "Section", "Skipped", "StudyRun", "dataset_roles"]
