"""Small checks shared by every module: choices, columns and offending values.

They build the messages the project promises: name the parameter or column, list the
valid choices, and show the first offending values with their row labels.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

from .errors import CsatError, SurveyDataError

#: how many offending values an error message shows before it says "and N more"
MAX_SHOWN = 5


def check_choice(
    name: str, value: Any, choices: Iterable[Any], *, error: type[CsatError] = CsatError
) -> Any:
    """Return ``value`` if it is one of ``choices``, else raise ``error`` listing them.

    Examples
    --------
    >>> check_choice("base", "start", ["start", "end"])
    'start'
    """
    choices = list(choices)
    if value not in choices:
        listed = ", ".join(repr(c) for c in choices)
        raise error(f"{name}={value!r} is not valid; choose one of: {listed}")
    return value


def check_columns(
    data: pd.DataFrame,
    columns: str | Sequence[str] | None,
    *,
    parameter: str = "columns",
    error: type[CsatError] = SurveyDataError,
) -> list[str]:
    """Return ``columns`` as a list after checking that each is in ``data``.

    A missing column raises ``error`` naming the parameter, the missing names and the
    columns that do exist.
    """
    if columns is None:
        return []
    wanted = [columns] if isinstance(columns, str) else list(columns)
    missing = [c for c in wanted if c not in data.columns]
    if missing:
        available = ", ".join(map(str, data.columns))
        raise error(
            f"{parameter}: column(s) {', '.join(map(repr, missing))} not in the data; "
            f"available columns: {available}"
        )
    return wanted


def describe_offenders(values: pd.Series, mask: pd.Series | Any) -> str:
    """Describe the first offending values of ``values`` where ``mask`` is true.

    Returns text such as ``"11 (row 3), 'x' (row 7) and 2 more"``; row labels are the
    Series index, so they match what the user sees in the DataFrame.
    """
    mask = pd.Series(mask, index=values.index).fillna(False).astype(bool)
    bad = values[mask]
    shown = ", ".join(f"{v!r} (row {i})" for i, v in list(bad.items())[:MAX_SHOWN])
    extra = len(bad) - MAX_SHOWN
    return shown + (f" and {extra} more" if extra > 0 else "")
