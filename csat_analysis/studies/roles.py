"""What each column of a bundled data set means: read from its survey description.

The descriptions ship as YAML files in ``data/surveys/<name>.yaml`` (one per bundled
data set and the simulator; see :mod:`csat_analysis.survey`). Their ``roles`` name the
columns behind each concept (satisfaction and loyalty items, drivers, segments,
weights, complaint and churn columns); ``scale`` is the default rating scale and
``studies`` holds study options that are not column roles (the default PLS model).
This module keeps the dict view of those roles for callers that want it.

Examples
--------
>>> dataset_roles("mobi")["satisfaction"]
['CUSA1', 'CUSA2', 'CUSA3']
>>> dataset_roles("telco_churn")["churn"]["tenure"]
'tenure'
>>> dataset_roles("my_survey.csv")
{}
"""

from __future__ import annotations

from typing import Any

from ..survey import SurveyDescription, bundled_surveys

__all__ = ["DATASET_ROLES", "dataset_roles"]


def dataset_roles(name: str) -> dict[str, Any]:
    """A copy of the roles of a bundled data set or the simulator (empty for other data).

    Parameters
    ----------
    name : str
        A bundled data set, ``"simulated"``, or any other name or path.

    Returns
    -------
    dict
        Role name to column (or list of columns, or dict of columns for grouped roles).
    """
    return SurveyDescription.for_dataset(name).roles


def _in_listing_order() -> list[str]:
    """The described names: the bundled data sets in their listing order, then the simulator and any others."""
    from ..datasets import SIMULATED, list_datasets
    from ..errors import SurveyDataError

    described = bundled_surveys()
    try:
        listed = [*list_datasets()["name"], SIMULATED]
    except SurveyDataError:  # no data manifest (CSAT_DATA_DIR elsewhere): the descriptions still load
        listed = []
    return [name for name in listed if name in described] + [name for name in described if name not in listed]


#: per data set (and the simulator): the roles of its shipped survey description
DATASET_ROLES: dict[str, dict[str, Any]] = {name: dataset_roles(name) for name in _in_listing_order()}
