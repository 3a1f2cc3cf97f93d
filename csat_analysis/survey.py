"""Survey descriptions: what each column of a survey means, on which scale, under which name.

A survey description is one YAML file (or a dict of the same content) that extends the
:func:`csat_analysis.io.read_survey` schema with what the columns *mean*. Every study
reads its columns and scales from it, so a researcher's own survey runs the same
studies as the bundled data sets, whose descriptions ship in ``data/surveys/``::

    title: Customer survey 2026
    id: respondent_id
    scale: [1, 5]                          # default scale of rating items
    columns:                               # as in read_survey, plus label and reverse
      sat_staff: {labels: {Very satisfied: 5, Satisfied: 4, Neutral: 3,
                           Dissatisfied: 2, Very dissatisfied: 1}, missing: [99],
                  label: Staff}
      recommend: {scale: [0, 10], label: Likelihood to recommend}
      region:    {type: category, label: Region}
      comment:   {type: text}
    roles:
      segments: [region]
      satisfaction: [sat_staff, sat_price]
      overall_satisfaction: sat_overall
      loyalty: [repurchase_intent]
      recommend: recommend
      behaviour: bought_again              # observed repurchase or retention
      drivers: [sat_staff, sat_price]      # or construct -> items
      complaint: {problem: had_problem, complained: complained, resolved: resolved}
      churn: {churned: left, tenure: months, revenue: monthly_spend}
    studies: {model: none}                 # study options that are not column roles

Top-level keys: those of the read_survey schema (``id``, ``columns``, ``encoding``,
``delimiter``, ``decimal``, ``sheet``, ``header_row``) and :data:`DESCRIPTION_KEYS`
(``title``, ``scale``, ``roles``, ``studies``, ``derived``). The role keys are
:data:`ROLE_KEYS`, those under ``complaint`` :data:`COMPLAINT_ROLE_KEYS`, under
``churn`` :data:`CHURN_ROLE_KEYS`, under ``dealer`` :data:`DEALER_ROLE_KEYS` and under
``comments`` :data:`COMMENTS_ROLE_KEYS`.
A column entry with only a ``label`` (and ``required``) describes a column without
typing it: it is read as the file has it.

Every key is checked on load, table-driven as the schema is (the schema part by
:func:`csat_analysis.io.read_schema` itself): a wrong key or form raises
:class:`~csat_analysis.errors.SurveyDataError` naming it. With the data at hand
(:meth:`SurveyDescription.check_data`, done whenever a study opens data) every column a
role names must be in the data; ``derived`` lists the columns the studies compute
themselves (such as ``tenure_band``), which need not be.

Scales are per item: :meth:`SurveyDescription.scale` gives an item's own scale, else
0-10 for the ``recommend`` item, else the survey's default ``scale``; columns that
are not ratings (declared as another type, or in a role such as ``weight`` or
``churn``) have none. A YAML file is read with the safe loader, bounded in size and
in how far its aliases may expand. The shipped descriptions live in :data:`SURVEYS_DIR`
(``data/surveys/`` of the repository; the environment variable ``CSAT_SURVEYS_DIR``
moves it).

Examples
--------
>>> description = SurveyDescription.for_dataset("mobi")
>>> description.roles["satisfaction"]
['CUSA1', 'CUSA2', 'CUSA3']
>>> description.scale("CUSA1")
Scale(low=1, high=10, labels=None)
>>> description.label("CUSA1")
'CUSA1'
>>> own = SurveyDescription.load({"scale": [1, 5], "columns": {"nps": {"scale": [0, 10], "label": "Recommend"}},
...                               "roles": {"satisfaction": ["q1", "q2"], "recommend": "nps"}})
>>> own.scale("q1"), own.scale("nps"), own.label("nps")
(Scale(low=1, high=5, labels=None), Scale(low=0, high=10, labels=None), 'Recommend')
>>> SurveyDescription.load({"roles": {"loyalty": 3}})
Traceback (most recent call last):
...
csat_analysis.errors.SurveyDataError: survey description: roles, key 'loyalty': expected a column name or a list of column names; got 3
"""

from __future__ import annotations

import copy
import functools
import math
import os
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import CsatError, SurveyDataError
from .io import COLUMN_KEYS, SCHEMA_KEYS, check_keys, read_schema
from .scaling import Scale

__all__ = [
    "CHURN_ROLE_KEYS",
    "COMMENTS_ROLE_KEYS",
    "COMPLAINT_ROLE_KEYS",
    "DEALER_ROLE_KEYS",
    "DESCRIPTION_KEYS",
    "ROLE_KEYS",
    "SURVEYS_DIR",
    "SurveyDescription",
    "bundled_surveys",
]

#: where the descriptions of the bundled data sets and the simulator live (``<name>.yaml``)
SURVEYS_DIR = Path(os.environ.get("CSAT_SURVEYS_DIR", Path(__file__).resolve().parents[1] / "data" / "surveys"))

#: the scale of a ``recommend`` item that declares none (the 0-10 likelihood-to-recommend question)
RECOMMEND_SCALE = Scale(0, 10)

Check = Callable[[Any], "str | None"]


# --- checks: None when the value fits, else a note ("" when the expected form says it all) ---


def _is_name(value) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _check_column(value) -> str | None:
    return None if _is_name(value) else ""


def _check_columns(value) -> str | None:
    if _is_name(value):
        return None
    if not isinstance(value, (list, tuple)):
        return ""
    bad = [v for v in value if not _is_name(v)]
    return None if not bad else f" ({bad[0]!r} is not a column name)"


def _check_item_groups(value) -> str | None:
    if not isinstance(value, Mapping) or not value:
        return ""
    for name, items in value.items():
        if not _is_name(name):
            return f" (construct {name!r} is not a name)"
        if not items or _check_columns(items) is not None:
            return f" (construct {name!r}: {items!r} is not a column name or a list of them)"
    return None


def _check_drivers(value) -> str | None:
    if isinstance(value, Mapping):
        return _check_item_groups(value)
    return _check_columns(value)


def _check_flag(value) -> str | None:
    return None if isinstance(value, bool) else ""


def _check_mapping(value) -> str | None:
    return None if isinstance(value, Mapping) else ""


def _check_positive(value) -> str | None:
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) and value > 0
    return None if ok else ""


def _check_text(value) -> str | None:
    return None if isinstance(value, str) else ""


TENURE_UNITS = ["days", "weeks", "months", "years"]

_COLUMN = (_check_column, "a column name")
_COLUMNS = (_check_columns, "a column name or a list of column names")

#: the ``complaint`` roles: yes/no answers (or a status column, or resolution times) and what follows
COMPLAINT_ROLE_KEYS: dict[str, tuple[Check, str]] = {
    "problem": _COLUMN,  # had a problem (yes/no)
    "complained": _COLUMN,  # complained about it (yes/no)
    "status": _COLUMN,  # one column of codes: no_problem ... resolved_quickly
    "resolved": _COLUMN,  # the complaint was resolved (yes/no)
    "resolved_quickly": _COLUMN,  # ... and quickly (yes/no)
    "resolved_first_contact": _COLUMN,  # resolved at the first contact (yes/no)
    "resolution_hours": _COLUMN,  # hours until resolved (empty: not resolved)
    "fast_hours": (_check_positive, "a number of hours above 0 (a resolution this fast is quick)"),
    "open_hours": _COLUMN,  # hours an unresolved complaint has been open
    "severity": _COLUMN,
    "escalation_level": _COLUMN,
    "handling_satisfaction": _COLUMN,  # satisfaction with how the complaint was handled
    "outcome": _COLUMN,  # repurchase or retention after the complaint (yes/no)
    "calls": _COLUMN,  # number of customer-service calls
    "churned": _COLUMN,
    "covariates": _COLUMNS,
    "call_covariates": _COLUMNS,
}
#: the ``churn`` roles
CHURN_ROLE_KEYS: dict[str, tuple[Check, str]] = {
    "churned": _COLUMN,
    "tenure": _COLUMN,
    "tenure_unit": (lambda v: None if v in TENURE_UNITS else "", f"one of {TENURE_UNITS}"),
    "revenue": _COLUMN,
    "segments": _COLUMNS,
    "drivers": _COLUMNS,
    "cause": _COLUMN,
}
#: the ``dealer`` roles (the dealer loyalty table)
DEALER_ROLE_KEYS: dict[str, tuple[Check, str]] = {
    "sales": _COLUMN,  # satisfied with the sale (yes/no)
    "service": _COLUMN,  # satisfied with the service (yes/no)
    "loyal": _COLUMNS,  # loyal to the dealer, to the brand (yes/no)
}
#: the ``comments`` roles (the customer-comments study)
COMMENTS_ROLE_KEYS: dict[str, tuple[Check, str]] = {
    "text": _COLUMN,  # the open-text answer
    "score": _COLUMN,  # the rating or label the comment explains
    "split": _COLUMN,  # train/test split of a labelled corpus
    "language": (lambda v: None if v in ("auto", "en", "zh") else "", "one of 'auto', 'en', 'zh'"),
    "segment": _COLUMN,
    "low_scores": (lambda v: None if isinstance(v, list) else "", "a list of the score values that count as low"),
}
#: the keys under ``roles``: which columns stand for each concept a study uses
ROLE_KEYS: dict[str, tuple[Check, str]] = {
    "id": _COLUMN,
    "segments": _COLUMNS,
    "weight": _COLUMN,
    "wave": (_check_column, "a column name (date or wave label)"),
    "satisfaction": _COLUMNS,
    "overall_satisfaction": _COLUMN,
    "loyalty": _COLUMNS,  # attitudinal loyalty items
    "recommend": (_check_column, "a column name (the 0-10 likelihood-to-recommend item)"),
    "behaviour": (_check_column, "a column name (observed repurchase or retention)"),
    "behaviour_is_proxy": (_check_flag, "true or false (true: the behaviour column is a stated intention)"),
    "drivers": (_check_drivers, "a list of item columns, or a mapping of construct names to item columns"),
    "constructs": (_check_item_groups, "a mapping of construct names to item columns"),
    "complaint": (_check_mapping, f"a mapping with keys among {list(COMPLAINT_ROLE_KEYS)}"),
    "churn": (_check_mapping, f"a mapping with keys among {list(CHURN_ROLE_KEYS)}"),
    "dealer": (_check_mapping, f"a mapping with keys among {list(DEALER_ROLE_KEYS)}"),
    "comments": (_check_mapping, f"a mapping with keys among {list(COMMENTS_ROLE_KEYS)}"),
}
_NESTED_ROLES = {
    "complaint": COMPLAINT_ROLE_KEYS,
    "churn": CHURN_ROLE_KEYS,
    "dealer": DEALER_ROLE_KEYS,
    "comments": COMMENTS_ROLE_KEYS,
}

#: top-level keys a survey description adds to the read_survey schema (:data:`csat_analysis.io.SCHEMA_KEYS`)
DESCRIPTION_KEYS: dict[str, tuple[Check, str]] = {
    "title": (_check_text, "text"),
    "scale": (COLUMN_KEYS["scale"][0], "[low, high]: the default scale of rating items"),
    "roles": (_check_mapping, f"a mapping with keys among {list(ROLE_KEYS)}"),
    "studies": (_check_mapping, "a mapping of study options, such as {model: ecsi}"),
    "derived": (_check_columns, "a list of the columns the studies derive (such as tenure_band)"),
}
_ALL_KEYS = {**SCHEMA_KEYS, **DESCRIPTION_KEYS}

#: roles whose columns are ratings (a column declared as another type is refused there)
_RATING_ROLES = {
    "satisfaction",
    "overall_satisfaction",
    "loyalty",
    "recommend",
    "drivers",
    "constructs",
    "complaint.handling_satisfaction",
}
#: roles whose columns are never ratings (they have no scale unless the column declares one)
_NOT_RATING_ROLES = {"id", "segments", "weight", "wave", "churn", "dealer"} | {
    f"complaint.{key}" for key in COMPLAINT_ROLE_KEYS if key != "handling_satisfaction"
}
#: column keys of an entry that describes a column without typing it
_DESCRIBING_KEYS = {"label", "required"}


@dataclass
class SurveyDescription:
    """What the columns of one survey mean.

    Build one with :meth:`load` (a YAML path or a dict) or :meth:`for_dataset` (the
    description shipped for a bundled data set or the simulator).

    Attributes
    ----------
    roles : dict
        Concept -> column(s): ``satisfaction``, ``loyalty``, ``recommend``, ``drivers``,
        ``complaint`` ... (see :data:`ROLE_KEYS`), plus ``scale`` (the default scale as
        ``(low, high)``) and ``studies`` (study options) when the description has them.
    columns : dict
        Column -> its checked schema entry (``type``, ``scale``, ``label``, ``reverse``,
        ``labels``, ...).
    default_scale : Scale or None
        The scale of rating items that do not declare their own.
    title : str or None
    derived : list of str
        Columns the studies derive from others (exempt from the data check).
    schema : dict
        The read_survey schema of the description (what :meth:`read` reads a file with).
    source : str
        Where the description came from (a file path, ``"dict"`` or ``""``).
    """

    roles: dict[str, Any] = field(default_factory=dict)
    columns: dict[str, dict[str, Any]] = field(default_factory=dict)
    default_scale: Scale | None = None
    title: str | None = None
    derived: list[str] = field(default_factory=list)
    schema: dict[str, Any] = field(default_factory=lambda: {"columns": {}}, repr=False)
    source: str = ""

    # --- building ------------------------------------------------------------------------

    @classmethod
    def load(cls, survey: SurveyDescription | Mapping | str | os.PathLike) -> SurveyDescription:
        """Read and check a survey description: a YAML file, a dict, or a description (copied).

        A read_survey schema alone is a description without roles.

        Raises
        ------
        SurveyDataError
            A missing or unreadable file, invalid or oversized YAML, or any key of the
            wrong name or form (the message names the key and the expected form).

        Examples
        --------
        >>> description = SurveyDescription.load({"id": "rid", "columns": {"q1": {"scale": [1, 5]}},
        ...                                       "roles": {"satisfaction": "q1", "segments": "region"}})
        >>> description.roles
        {'satisfaction': ['q1'], 'segments': ['region'], 'id': 'rid'}
        """
        if isinstance(survey, SurveyDescription):
            return survey.copy()
        if isinstance(survey, (str, os.PathLike)):
            return _load_file(Path(survey))
        return _parse(survey, "survey description")

    @classmethod
    def for_dataset(cls, name: str) -> SurveyDescription:
        """The description of a bundled data set or the simulator (``data/surveys/<name>.yaml``); empty for other data.

        Examples
        --------
        >>> SurveyDescription.for_dataset("simulated").scale("nps_score")
        Scale(low=0, high=10, labels=None)
        >>> SurveyDescription.for_dataset("my_survey.csv").roles
        {}
        """
        if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z0-9_\-]+", name):
            return cls()
        path = SURVEYS_DIR / f"{name}.yaml"
        if not path.is_file():
            return cls()
        return _load_bundled(str(path)).copy()

    # --- reading the description -------------------------------------------------------------

    def scale(self, column: str) -> Scale | None:
        """The rating scale of ``column``: its own, else 0-10 for the recommend item, else the survey's default.

        ``None`` when the column is not a rating (declared as another type, or named by
        a role such as ``weight``, ``segments``, ``churn`` or a complaint flag) or no
        scale is known.

        Parameters
        ----------
        column : str
            A column name.

        Returns
        -------
        Scale or None
            The column's rating scale, or None.

        Examples
        --------
        >>> description = SurveyDescription.load({"scale": [1, 7], "columns": {"q5": {"scale": [1, 5]}},
        ...                                       "roles": {"recommend": "nps", "weight": "w"}})
        >>> description.scale("q5"), description.scale("q7"), description.scale("nps"), description.scale("w")
        (Scale(low=1, high=5, labels=None), Scale(low=1, high=7, labels=None), Scale(low=0, high=10, labels=None), None)
        """
        spec = self.columns.get(column, {})
        own = spec.get("scale_object")
        if own is None and spec.get("scale") is not None:
            own = Scale.coerce(tuple(spec["scale"]))
        if own is not None:
            return own
        if spec.get("type") not in (None, "rating"):
            return None
        if column == self.roles.get("recommend"):
            return RECOMMEND_SCALE
        if any(
            role.split(".")[0] in _NOT_RATING_ROLES or role in _NOT_RATING_ROLES
            for role, named in self.role_columns()
            if named == column
        ):
            return None
        return self.default_scale

    def label(self, column: str, language: str = "en") -> str:
        """The display name of ``column`` (its ``label``; the column name when it has none).

        A label given per language falls back to English, then to its first language.

        Parameters
        ----------
        column : str
            A column name.
        language : str
            Language of the label (``"en"``, ``"zh"``).

        Returns
        -------
        str
            The display name.

        Examples
        --------
        >>> description = SurveyDescription.load({"columns": {"q1": {"label": {"en": "price", "zh": "价格"}}}})
        >>> description.label("q1"), description.label("q1", language="zh"), description.label("q2")
        ('price', '价格', 'q2')
        """
        label = self.columns.get(column, {}).get("label")
        if isinstance(label, Mapping):
            return str(label.get(language) or label.get("en") or next(iter(label.values()), column))
        return str(label) if label else str(column)

    def labels(self, columns, language: str = "en") -> dict[str, str]:
        """``{column: display name}`` for several columns (for table headers and axes).

        Parameters
        ----------
        columns : iterable of str
            Column names.
        language : str
            Language of the label (``"en"``, ``"zh"``).

        Returns
        -------
        dict
            Column -> display name.
        """
        return {column: self.label(column, language) for column in columns}

    def role_columns(self) -> list[tuple[str, str]]:
        """Every ``(role, column)`` pair the roles name, e.g. ``("complaint.status", "status")``.

        Returns
        -------
        list of (str, str)
            Role path and column, in the order of the description.

        Examples
        --------
        >>> SurveyDescription.load({"roles": {"drivers": {"Staff": ["q1"]}, "churn": {"churned": "left"}}}).role_columns()
        [('drivers.Staff', 'q1'), ('churn.churned', 'left')]
        """
        return list(_walk_roles(self.roles))

    def items(self, role: str) -> list[str]:
        """The columns of one role as a list (``drivers`` and ``constructs`` flattened); ``[]`` when absent.

        Parameters
        ----------
        role : str
            A role name (a key of :data:`ROLE_KEYS`).

        Returns
        -------
        list of str
            The role's columns.
        """
        value = self.roles.get(role)
        if value is None:
            return []
        if isinstance(value, Mapping):
            return [c for items in value.values() for c in ([items] if isinstance(items, str) else items)]
        return [value] if isinstance(value, str) else list(value)

    def score(self, data: pd.DataFrame, items: str | list[str], *, parameter: str = "items") -> pd.Series:
        """Per respondent, the mean of ``items`` each rescaled to 0-100 on its own scale.

        Items on different scales weigh alike: a 1-5 item's 4 and a 0-10 item's 7.5 are
        both 75. Missing answers are skipped; a respondent with none gets NaN.

        Parameters
        ----------
        data : DataFrame
            The survey data.
        items : str or list of str
            Item columns.
        parameter : str
            The name used for ``items`` in error messages.

        Returns
        -------
        Series
            The 0-100 score per respondent.

        Raises
        ------
        SurveyDataError
            An item without a known scale (declare its ``scale``), or answers off it.

        Examples
        --------
        >>> description = SurveyDescription.load({"columns": {"q5": {"scale": [1, 5]}, "nps": {"scale": [0, 10]}}})
        >>> description.score(pd.DataFrame({"q5": [4, 1], "nps": [5, None]}), ["q5", "nps"]).tolist()
        [62.5, 0.0]
        """
        from .scaling import composite_score, rescale

        columns = [items] if isinstance(items, str) else list(items)
        unscaled = [column for column in columns if self.scale(column) is None]
        if unscaled:
            raise SurveyDataError(
                f"{parameter}: no scale is known for {', '.join(map(repr, unscaled))}; declare "
                "each item's `scale` (or the survey's) in the survey description"
            )
        rescaled = pd.DataFrame(
            {
                column: rescale(
                    composite_score(data, column, scale=self.scale(column), parameter=parameter), self.scale(column)
                )
                for column in columns
            },
            index=data.index,
        )
        return rescaled.mean(axis=1, skipna=True).rename("+".join(columns))

    def check_data(self, data: pd.DataFrame, where: str = "the data") -> None:
        """Check that every column a role names (and every required column) is in ``data``.

        Columns listed under ``derived`` are exempt: the studies compute them.

        Parameters
        ----------
        data : DataFrame
            The survey data.
        where : str
            What the data are called in the error message.

        Raises
        ------
        SurveyDataError
            Naming each role whose column is missing, and the columns the data have.

        Examples
        --------
        >>> description = SurveyDescription.load({"roles": {"satisfaction": ["q1", "q9"], "recommend": "nps"}})
        >>> description.check_data(pd.DataFrame({"q1": [1], "nps": [9]}))
        Traceback (most recent call last):
        ...
        csat_analysis.errors.SurveyDataError: survey description: roles.satisfaction names 'q9', which is not in the data; columns in the data: q1, nps
        """
        present = set(map(str, data.columns)) | set(self.derived)
        absent = [(f"roles.{role}", column) for role, column in self.role_columns() if column not in present]
        absent += [
            (f"columns.{column} (required: true)", column)
            for column, spec in self.columns.items()
            if spec.get("required") and column not in present
        ]
        if absent:
            named = "; ".join(f"{role} names {column!r}" for role, column in absent)
            which = "which is" if len(absent) == 1 else "which are"
            listed = ", ".join(map(str, data.columns[:60])) + (" ..." if len(data.columns) > 60 else "")
            raise SurveyDataError(f"{self._where()}: {named}, {which} not in {where}; columns in the data: {listed}")

    def read(self, path: str | os.PathLike, **options) -> pd.DataFrame:
        """Read a survey file with the description's columns (:func:`~csat_analysis.io.read_survey`) and check its roles.

        ``options`` (``encoding``, ``delimiter``, ...) are passed to read_survey.

        Parameters
        ----------
        path : str or path
            A CSV, Parquet or Excel file.
        **options
            Passed to :func:`~csat_analysis.io.read_survey`.

        Returns
        -------
        DataFrame
            The validated data.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "answers.csv"
        >>> _ = path.write_text("q1,nps\\nGood,9\\nBad,3\\n", encoding="utf-8")
        >>> description = SurveyDescription.load({"columns": {"q1": {"labels": {"Good": 5, "Bad": 1}}},
        ...                                       "roles": {"satisfaction": ["q1"], "recommend": "nps"}})
        >>> description.read(path)["q1"].tolist()
        [5.0, 1.0]
        """
        from .io import read_survey

        frame = read_survey(path, self.schema, **options)
        self.check_data(frame, Path(path).name)
        return frame

    def copy(self) -> SurveyDescription:
        """A deep copy, safe to change without touching the original.

        Returns
        -------
        SurveyDescription
            The copy.
        """
        return copy.deepcopy(self)

    def _where(self) -> str:
        return f"survey description {self.source!r}" if self.source not in ("", "dict") else "survey description"


# --- loading ----------------------------------------------------------------------------


def bundled_surveys() -> list[str]:
    """The names that have a shipped description (bundled data sets and ``simulated``).

    Returns
    -------
    list of str
        The names, sorted.

    Examples
    --------
    >>> "mobi" in bundled_surveys() and "simulated" in bundled_surveys()
    True
    """
    return sorted(path.stem for path in SURVEYS_DIR.glob("*.yaml"))


@functools.lru_cache(maxsize=32)
def _load_bundled(path: str) -> SurveyDescription:
    return _load_file(Path(path))


def _load_file(path: Path) -> SurveyDescription:
    from ._safety import safe_yaml_load

    if not path.is_file():
        raise SurveyDataError(f"survey description file {str(path)!r} does not exist")
    try:
        loaded = safe_yaml_load(path)
    except CsatError as error:
        raise SurveyDataError(f"survey description file {str(path)!r}: {error}") from error
    return _parse({} if loaded is None else loaded, f"survey description {str(path)!r}", source=str(path))


def _parse(raw: Any, where: str, source: str = "dict") -> SurveyDescription:
    if not isinstance(raw, Mapping):
        raise SurveyDataError(
            f"{where}: expected a mapping with keys among {list(_ALL_KEYS)}; got {type(raw).__name__}"
        )
    check_keys(where, raw, _ALL_KEYS)
    raw = {key: value for key, value in raw.items() if value is not None}
    columns_in = dict(raw.get("columns") or {})
    # Entries with only a label (and required) describe a column without typing it: the
    # file's values pass through; the rest is a read_survey schema, checked by read_schema.
    described = {}
    typed = {}
    for name, spec in columns_in.items():
        if isinstance(name, str) and isinstance(spec, Mapping) and spec and set(spec) <= _DESCRIBING_KEYS:
            check_keys(f"{where}, column {name!r}", spec, COLUMN_KEYS)
            described[name] = {key: value for key, value in spec.items() if value is not None}
        else:
            typed[name] = spec
    schema_in = {key: raw[key] for key in SCHEMA_KEYS if key in raw and key != "columns"}
    schema_in["columns"] = typed
    try:
        checked = read_schema(schema_in)
    except SurveyDataError as error:
        raise SurveyDataError(f"{where}: {error}") from error
    columns = {name: described.get(name) or checked["columns"].get(name) for name in columns_in}

    roles = _check_roles(raw.get("roles") or {}, where)
    if checked["id"] is not None:
        if roles.get("id") not in (None, checked["id"]):
            raise SurveyDataError(f"{where}: id {checked['id']!r} and roles.id {roles['id']!r} differ; give one")
        roles["id"] = checked["id"]
    schema = {key: value for key, value in schema_in.items() if key != "columns"}
    if roles.get("id") is not None:
        schema["id"] = roles["id"]
    schema["columns"] = typed
    _check_rating_roles(roles, columns, where)

    default_scale = None
    if raw.get("scale") is not None:
        try:
            default_scale = Scale(raw["scale"][0], raw["scale"][1])
        except SurveyDataError as error:
            raise SurveyDataError(f"{where}, key 'scale': {error}") from error
        roles["scale"] = (raw["scale"][0], raw["scale"][1])
    if raw.get("studies"):
        roles["studies"] = copy.deepcopy(dict(raw["studies"]))
    derived = raw.get("derived") or []
    return SurveyDescription(
        roles=roles,
        columns=columns,
        default_scale=default_scale,
        title=raw.get("title"),
        derived=[derived] if isinstance(derived, str) else list(derived),
        schema=schema,
        source=source,
    )


def _as_list(value) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


#: roles given as one column or a list that the studies read as lists
_LIST_ROLES = {"segments", "satisfaction", "loyalty"}
_LIST_SUBROLES = {"covariates", "call_covariates", "segments", "drivers", "loyal"}


def _check_roles(roles: Any, where: str) -> dict[str, Any]:
    if not isinstance(roles, Mapping):
        raise SurveyDataError(
            f"{where}, key 'roles': expected a mapping with keys among {list(ROLE_KEYS)}; got {roles!r}"
        )
    check_keys(f"{where}: roles", roles, ROLE_KEYS)
    result: dict[str, Any] = {}
    for key, value in roles.items():
        if value is None:
            continue
        if key in _NESTED_ROLES:
            rules = _NESTED_ROLES[key]
            check_keys(f"{where}: roles.{key}", value, rules)
            nested = {k: (_as_list(v) if k in _LIST_SUBROLES else v) for k, v in value.items() if v is not None}
            result[key] = nested
        elif key in ("drivers", "constructs") and isinstance(value, Mapping):
            result[key] = {str(name): _as_list(items) for name, items in value.items()}
        elif key in _LIST_ROLES or key == "drivers":
            result[key] = _as_list(value)
        else:
            result[key] = value
    complaint = result.get("complaint", {})
    for needs, given in (("resolved", "resolved_quickly"), ("resolution_hours", "fast_hours")):
        if given in complaint and needs not in complaint:
            raise SurveyDataError(f"{where}: roles.complaint.{given} needs roles.complaint.{needs} too")
    return result


#: role keys whose values are settings, not column names
_SETTING_ROLES = {
    "scale",
    "studies",
    "behaviour_is_proxy",
    "fast_hours",
    "tenure_unit",
    "comments.language",
    "comments.low_scores",
}


def _walk_roles(roles: Mapping, prefix: str = "") -> Iterator[tuple[str, str]]:
    for key, value in roles.items():
        role = f"{prefix}{key}"
        if key in _SETTING_ROLES or role in _SETTING_ROLES or value is None:
            continue
        if isinstance(value, Mapping):
            if key in ("drivers", "constructs"):
                for name, items in value.items():
                    for column in _as_list(items):
                        yield f"{role}.{name}", column
            else:
                yield from _walk_roles(value, f"{role}.")
        elif isinstance(value, str):
            yield role, value
        elif isinstance(value, (list, tuple)):
            for column in value:
                yield role, column


def _check_rating_roles(roles: dict, columns: dict, where: str) -> None:
    for role, column in _walk_roles(roles):
        kind = columns.get(column, {}).get("type")
        if kind in ("category", "bool", "text") and (role in _RATING_ROLES or role.split(".")[0] in _RATING_ROLES):
            raise SurveyDataError(
                f"{where}: roles.{role} names {column!r}, declared as type {kind!r}; "
                "items in this role are ratings (give the column a scale)"
            )


# --- what each study will do with a survey ---------------------------------------------

#: per study, the sections that need something the data may lack: (section, settings attribute
#: that must be set, settings attributes naming the columns it uses, why it is skipped otherwise, the fix)
_STUDY_NEEDS = {
    "satisfaction_vs_loyalty": [
        (
            "Loyalty types (Dick and Basu)",
            "behaviour",
            ("satisfaction", "behaviour"),
            "no behaviour column (observed repurchase or retention)",
            "name one with roles.behaviour",
        ),
        ("Dealer table", "dealer", ("dealer",), "no dealer columns", "name them with roles.dealer"),
        ("Net Promoter Score", "recommend", ("recommend",), "no 0-10 recommend item", "name it with roles.recommend"),
        (
            "Key drivers of satisfaction",
            "drivers",
            ("drivers", "satisfaction"),
            "no driver items",
            "name them with roles.drivers",
        ),
        (
            "PLS path model, IPMA, model assessment and prediction",
            "pls_model",
            ("drivers", "satisfaction", "loyalty"),
            "the model is 'none'",
            "set studies.model (or the model parameter) to 'simple' or 'ecsi'",
        ),
        (
            "Segment comparison and multigroup analysis",
            "compare_segments",
            ("segment",),
            "no segment column, or one segment value is selected",
            "name one with roles.segments",
        ),
    ],
    "complaint_resolution": [
        (
            "Complaint funnel and voice rate",
            "has_funnel",
            ("funnel",),
            "no had-a-problem and complained columns",
            "name them with roles.complaint.problem and roles.complaint.complained",
        ),
        (
            "Outcome by complaint status (TARP), tests, odds and the recovery paradox",
            "has_status",
            ("status", "outcome", "severity"),
            "no complaint status (nor problem/complained/resolved answers to derive it) or no outcome column",
            "name roles.complaint.status, or problem + complained + resolved, and roles.complaint.outcome",
        ),
        (
            "Resolution times",
            "has_times",
            ("resolution_hours",),
            "no resolution times",
            "name roles.complaint.resolution_hours",
        ),
        (
            "Customer-service calls and churn",
            "has_calls",
            ("calls", "churn"),
            "no call counts with a churn flag",
            "name roles.complaint.calls and roles.complaint.churned",
        ),
        (
            "Complaint handling and loyalty",
            "has_handling",
            ("handling", "loyalty"),
            "no complaint-handling satisfaction, or no loyalty items with a known scale",
            "name roles.complaint.handling_satisfaction and roles.loyalty (each with its scale)",
        ),
    ],
}
_STUDY_RESOLVERS = {
    "satisfaction_vs_loyalty": "resolve_settings",
    "complaint_resolution": "settings",
    "churn_and_retention": "settings",
    "data_overview": "resolve_settings",
}


def _named_columns(value) -> list[str]:
    """The column names in a settings value: a name, a list of names, or a mapping of them."""
    if value is None or isinstance(value, bool):
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, Mapping):
        return [c for item in value.values() for c in _named_columns(item)]
    if isinstance(value, (list, tuple)):
        return [c for item in value for c in _named_columns(item)]
    return []


def _plain(markdown: str) -> str:
    return " ".join(markdown.replace("**", "").replace("  \n", " ").split())


def _scale_words(scale: Scale | None) -> str:
    return "scale unknown" if scale is None else f"{scale.low:g}-{scale.high:g}"


def _roles_lines(description: SurveyDescription, data: pd.DataFrame | None) -> list[str]:
    lines = []
    grouped: dict[str, list[str]] = {}
    for role, column in description.role_columns():
        grouped.setdefault(role, []).append(column)
    width = max((len(role) for role in grouped), default=0)
    for role, columns in grouped.items():
        shown = []
        for column in columns:
            label = description.label(column)
            text = column if label == column else f"{column} ({label})"
            rating = role in _RATING_ROLES or role.split(".")[0] in _RATING_ROLES
            if rating:
                text += f" [{_scale_words(description.scale(column))}]"
            if data is not None and column not in data.columns and column not in description.derived:
                text += " - NOT IN THE DATA"
            elif column in description.derived:
                text += " (derived by the studies)"
            shown.append(text)
        lines.append(f"  {role:<{width}}  {', '.join(shown)}")
    unscaled = sorted(
        {
            column
            for role, column in description.role_columns()
            if (role in _RATING_ROLES or role.split(".")[0] in _RATING_ROLES) and description.scale(column) is None
        }
    )
    if unscaled:
        lines.append(
            f"  note: no scale for {', '.join(unscaled)}: the studies read it from the answers' span; "
            "declare `scale` (per column or for the survey)"
        )
    return lines or ["  (no roles: the studies need at least satisfaction and loyalty items)"]


def describe(
    survey: SurveyDescription | Mapping | str | os.PathLike,
    dataset: str | None = None,
    *,
    n: int = 1000,
    studies: tuple[str, ...] = (
        "data_overview",
        "satisfaction_vs_loyalty",
        "complaint_resolution",
        "churn_and_retention",
    ),
) -> str:
    """What each study will use of a survey, and which sections it will skip and why (``csat describe``).

    Parameters
    ----------
    survey : SurveyDescription, dict or path
        The survey description.
    dataset : str, optional
        The data: a file path, a bundled name or ``"simulated"``. Without it only the
        description is checked and its roles listed.
    n : int
        Respondents of a simulated panel.
    studies : tuple of str
        The studies to describe.

    Returns
    -------
    str
        Plain text: the roles with each item's scale, then per study the columns its
        settings resolver chose, the columns of each section that depends on the data,
        and the sections the data cannot support (with the reason and the fix).

    Examples
    --------
    >>> text = describe(SURVEYS_DIR / "mobi.yaml", "mobi", studies=("complaint_resolution",))
    >>> "complaint_resolution" in text and "skips Complaint funnel and voice rate" in text
    True
    """
    import importlib

    from .errors import CsatError
    from .studies.core import StudyRun

    description = SurveyDescription.load(survey)
    head = f"Survey description: {description.source if description.source not in ('', 'dict') else 'given'}"
    lines = [head + (f" - {description.title}" if description.title else "")]
    data = None
    run = None
    if dataset is not None:
        run = StudyRun(dataset, study="describe", survey=description, n=n, emit=False)
        data = run.data
        lines.append(f"Data: {run.source}")
    lines += ["", "Roles (column [scale]):", *_roles_lines(description, data)]
    if run is None:
        return "\n".join(lines)
    for study in studies:
        module = importlib.import_module(f".studies.{study}", __package__)
        resolver = getattr(module, _STUDY_RESOLVERS[study])
        lines += ["", study]
        if study == "churn_and_retention" and "churn" not in description.roles:
            lines.append(
                "  will not run: the survey description has no churn roles (name the churn flag and "
                "the tenure with roles.churn.churned and roles.churn.tenure)"
            )
            continue
        try:
            chosen = resolver(run)
        except CsatError as error:
            lines.append(f"  will not run: {error}")
            continue
        note = None
        if hasattr(module, "settings_note"):
            note = module.settings_note(chosen)
        elif hasattr(chosen, "describe"):
            note = chosen.describe()
        if note:
            lines.append(f"  uses: {_plain(note)}")
        elif study == "data_overview":
            lines.append(f"  uses: every column ({len(data.columns)} columns, {len(data):,} rows)")
        for title, attribute, used, why, fix in _STUDY_NEEDS.get(study, []):
            if attribute == "pls_model":
                present = getattr(chosen, "model", "none") != "none"
            else:
                present = getattr(chosen, attribute, None)
            if present:
                columns = [c for name in used for c in _named_columns(getattr(chosen, name, None))]
                shown = ", ".join(dict.fromkeys(columns))
                lines.append(f"  runs  {title}" + (f": {shown}" if shown else ""))
            else:
                lines.append(f"  skips {title}: {why} ({fix})")
    return "\n".join(lines)
