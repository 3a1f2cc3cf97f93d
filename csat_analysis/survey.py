"""Survey descriptions: what each column of a survey means, on which scale, under which name.

A survey description extends the :func:`csat_analysis.io.read_survey` schema with
meaning: per column its ``scale``, display ``label`` and whether it is ``reverse``-keyed,
and ``roles`` naming the columns behind each concept a study uses (satisfaction and
loyalty items, the recommend item, drivers, segments, weights, complaint and churn
columns). Every study reads its columns and scales from the description, so items on
different scales are each read on their own scale.

Examples
--------
>>> description = SurveyDescription.for_dataset("mobi")
>>> description.roles["satisfaction"]
['CUSA1', 'CUSA2', 'CUSA3']
>>> description.scale("CUSA1")
Scale(low=1, high=10, labels=None)
>>> description.label("CUSA1")
'CUSA1'
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .scaling import Scale
from .studies.roles import dataset_roles

__all__ = ["SurveyDescription"]


@dataclass
class SurveyDescription:
    """What the columns of one survey mean.

    Attributes
    ----------
    roles : dict
        Concept -> column(s), in the shape of
        :data:`csat_analysis.studies.roles.DATASET_ROLES` entries.
    columns : dict
        Column -> its schema entry (``scale``, ``label``, ``reverse``, ``labels``, ...).
    default_scale : Scale or None
        The scale of rating items that do not declare their own.
    """

    roles: dict[str, Any] = field(default_factory=dict)
    columns: dict[str, dict[str, Any]] = field(default_factory=dict)
    default_scale: Scale | None = None

    @classmethod
    def for_dataset(cls, name: str) -> SurveyDescription:
        """The description of a bundled data set or the simulator (empty for other data)."""
        roles = dataset_roles(name)
        scale = roles.get("scale")
        return cls(roles=roles, default_scale=Scale.coerce(scale) if scale is not None else None)

    def scale(self, column: str) -> Scale | None:
        """The rating scale of ``column``: its own, else the survey's default (``None``: unknown)."""
        own = self.columns.get(column, {}).get("scale")
        if own is not None:
            return Scale.coerce(own)
        return self.default_scale

    def label(self, column: str, language: str = "en") -> str:
        """The display name of ``column`` (its ``label``; the column name when it has none)."""
        label = self.columns.get(column, {}).get("label")
        if isinstance(label, Mapping):
            return str(label.get(language) or label.get("en") or next(iter(label.values()), column))
        return str(label) if label else str(column)

    def labels(self, columns, language: str = "en") -> dict[str, str]:
        """``{column: display name}`` for several columns (for table headers and axes)."""
        return {column: self.label(column, language) for column in columns}

    def copy(self) -> SurveyDescription:
        return copy.deepcopy(self)
