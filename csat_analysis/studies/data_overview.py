"""The data-overview study: what a data set holds before any study uses it.

Its source and size, the type and range of every column, where answers are missing,
and how the answers are distributed, as the sections of
``notebooks/data_overview.ipynb``. Each section is a :class:`~csat_analysis.studies.core.Section`
with its table, figure, finding and recorded results; the notebook shows them with
:meth:`~csat_analysis.studies.core.StudyRun.show`::

    run = StudyRun("mobi", study="data_overview")
    settings = data_overview.resolve_settings(run)
    run.show(data_overview.size_section(settings))

The describing functions (:func:`column_overview`, :func:`missing_overview`,
:func:`size_summary`, :func:`answer_shares`) return tidy tables; the ``*_finding``
functions state them in one sentence.

Examples
--------
>>> import pandas as pd
>>> column_overview(pd.DataFrame({"q1": [1, 5, None]}))[["column", "kind", "n_missing"]]
  column    kind  n_missing
0     q1  rating          1
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .. import formatting, report
from .._validation import check_choice, check_columns
from .core import Section, StudyRun

__all__ = [
    "DATASET_REFERENCES",
    "DISPLAY_LABELS",
    "KINDS",
    "MAX_RATING_LEVELS",
    "PARAMETERS",
    "CategoriesSection",
    "ColumnsSection",
    "MissingSection",
    "NumericSection",
    "OverviewSettings",
    "RatingsSection",
    "SizeSection",
    "answer_shares",
    "categories_section",
    "category_finding",
    "column_overview",
    "columns_of_kind",
    "columns_section",
    "dataset_references",
    "kinds_finding",
    "missing_finding",
    "missing_overview",
    "missing_section",
    "numeric_finding",
    "numeric_section",
    "rating_finding",
    "ratings_section",
    "resolve_settings",
    "size_finding",
    "size_section",
    "size_summary",
    "styled_table",
]

#: the notebook's parameters and their defaults (the parameters cell declares exactly these)
PARAMETERS: dict[str, Any] = {
    "dataset": "mobi",  # a bundled name, "simulated", or a survey file (with a schema)
    "schema": None,  # schema of a user file, see csat_analysis.io.read_survey
    "survey": None,  # survey description (path or dict); None: the data set's own
    "n": 5000,  # simulated respondents, used when dataset is "simulated"
    "seed": 0,  # random seed of the simulator
    "segment": None,  # keep only rows with segment == segment_value
    "segment_value": None,
    "language": "en",  # report language: "en" or "zh" (simplified Chinese)
}

#: the published source of each bundled data set (keys of :data:`csat_analysis.references.REFERENCES`)
DATASET_REFERENCES: dict[str, tuple[str, ...]] = {
    "mobi": ("tenenhaus2005",),
    "corp_rep": ("hair2017",),
    "telco_churn": ("ibm_telco_churn",),
    "service_calls_churn": ("mlc_churn",),
}


def dataset_references(name: str) -> tuple[str, ...]:
    """The reference keys of a bundled data set's source (empty for the simulator and user files).

    Examples
    --------
    >>> dataset_references("mobi"), dataset_references("simulated")
    (('tenenhaus2005',), ())
    """
    return DATASET_REFERENCES.get(str(name), ())


# --- describing a data set ----------------------------------------------------------

#: numeric columns with at most this many distinct whole-number levels count as ratings
MAX_RATING_LEVELS = 11


def _kind(series: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(series):
        return "boolean"
    if isinstance(series.dtype, pd.CategoricalDtype):
        return "category"
    if pd.api.types.is_numeric_dtype(series):
        values = series.dropna()
        whole = bool((values == np.round(values)).all()) if len(values) else False
        if whole and values.nunique() <= MAX_RATING_LEVELS:
            return "rating"
        if whole and len(values) == len(series) and values.is_unique and len(values) > MAX_RATING_LEVELS:
            return "identifier"
        return "numeric"
    return "text"


def column_overview(data: pd.DataFrame) -> pd.DataFrame:
    """One row per column: dtype, kind, range and observed levels, missing values.

    ``kind`` is ``rating`` (whole numbers with at most ``MAX_RATING_LEVELS`` distinct
    values), ``numeric``, ``identifier`` (unique whole numbers), ``boolean``,
    ``category`` or ``text``. ``levels`` lists the observed values of ratings,
    booleans and categories (the first 12 for long lists).

    Examples
    --------
    >>> import pandas as pd
    >>> table = column_overview(pd.DataFrame({"q1": [1, 5, None], "flag": [True, False, True]}))
    >>> table[["column", "kind", "min", "max", "n_missing"]].to_dict("records")[0]
    {'column': 'q1', 'kind': 'rating', 'min': 1.0, 'max': 5.0, 'n_missing': 1}
    """
    rows = []
    for column in data.columns:
        series = data[column]
        kind = _kind(series)
        numeric = pd.api.types.is_numeric_dtype(series) and kind != "boolean"
        levels = ""
        if kind in ("rating", "boolean", "category"):
            if kind == "category":
                present = set(series.dropna().unique().tolist())
                observed = [c for c in series.cat.categories if c in present]
            else:
                observed = sorted(series.dropna().unique().tolist(), key=lambda v: (str(type(v)), v))
            shown = [f"{v:g}" if isinstance(v, float) else str(v) for v in observed[:12]]
            levels = ", ".join(shown) + (f", ... ({len(observed)} levels)" if len(observed) > 12 else "")
        rows.append({
            "column": str(column),
            "dtype": str(series.dtype),
            "kind": kind,
            "min": float(series.min()) if numeric and series.notna().any() else np.nan,
            "max": float(series.max()) if numeric and series.notna().any() else np.nan,
            "n_levels": int(series.nunique()),
            "levels": levels,
            "n_missing": int(series.isna().sum()),
        })
    return pd.DataFrame(rows, columns=["column", "dtype", "kind", "min", "max", "n_levels", "levels", "n_missing"])


def missing_overview(data: pd.DataFrame, *, only_missing: bool = False) -> pd.DataFrame:
    """Missing values per column: ``column``, ``n_missing``, ``share_missing``.

    With ``only_missing=True`` only the columns that have missing values are listed,
    the most missing first.

    Examples
    --------
    >>> import pandas as pd
    >>> missing_overview(pd.DataFrame({"a": [1, None], "b": [1, 2]})).to_dict("records")
    [{'column': 'a', 'n_missing': 1, 'share_missing': 0.5}, {'column': 'b', 'n_missing': 0, 'share_missing': 0.0}]
    >>> missing_overview(pd.DataFrame({"a": [1, None], "b": [1, 2]}), only_missing=True)["column"].tolist()
    ['a']
    """
    counts = data.isna().sum()
    share = counts / len(data) if len(data) else counts.astype(float)
    table = pd.DataFrame({
        "column": [str(c) for c in data.columns],
        "n_missing": counts.to_numpy(dtype=int),
        "share_missing": share.to_numpy(dtype=float),
    })
    if only_missing:
        table = table[table["n_missing"] > 0].sort_values("n_missing", ascending=False, kind="stable")
        table = table.reset_index(drop=True)
    return table


def missing_finding(missing: pd.DataFrame, name: str) -> str:
    """One sentence on missing values from a full :func:`missing_overview` table.

    Examples
    --------
    >>> import pandas as pd
    >>> missing_finding(missing_overview(pd.DataFrame({"a": [1, None], "b": [1, 2]})), "demo")
    '1 of 2 columns of demo has missing values; the most is `a` with 1 missing (50.0%).'
    >>> missing_finding(missing_overview(pd.DataFrame({"b": [1, 2]})), "demo")
    'No column of demo has missing values.'
    """
    with_missing = missing[missing["n_missing"] > 0]
    if with_missing.empty:
        return f"No column of {name} has missing values."
    worst = with_missing.loc[with_missing["n_missing"].idxmax()]
    verb = "has" if len(with_missing) == 1 else "have"
    return (f"{len(with_missing):,} of {len(missing):,} columns of {name} {verb} missing values; the most is "
            f"`{worst['column']}` with {int(worst['n_missing']):,} missing ({formatting.percent(worst['share_missing'])}).")


def columns_of_kind(overview: pd.DataFrame, *kinds: str) -> list[str]:
    """Names of the columns whose ``kind`` in a :func:`column_overview` table is one of ``kinds``.

    Examples
    --------
    >>> import pandas as pd
    >>> overview = column_overview(pd.DataFrame({"q1": [1, 2], "flag": [True, False], "x": [0.5, 1.5]}))
    >>> columns_of_kind(overview, "rating", "boolean")
    ['q1', 'flag']
    """
    for kind in kinds:
        check_choice("kind", kind, KINDS)
    return overview.loc[overview["kind"].isin(kinds), "column"].tolist()


def size_summary(data: pd.DataFrame) -> dict:
    """Rows, columns, cells and missing cells of a data set.

    Returns a dict with ``n_rows``, ``n_columns``, ``n_cells``, ``n_missing_cells`` and
    ``share_missing_cells`` (0 for an empty table).

    Examples
    --------
    >>> import pandas as pd
    >>> size_summary(pd.DataFrame({"a": [1, None], "b": [1, 2]}))
    {'n_rows': 2, 'n_columns': 2, 'n_cells': 4, 'n_missing_cells': 1, 'share_missing_cells': 0.25}
    """
    n_rows, n_columns = data.shape
    n_cells = n_rows * n_columns
    n_missing = int(data.isna().to_numpy().sum())
    return {"n_rows": int(n_rows), "n_columns": int(n_columns), "n_cells": int(n_cells),
            "n_missing_cells": n_missing, "share_missing_cells": n_missing / n_cells if n_cells else 0.0}


def size_finding(summary: Mapping) -> str:
    """One sentence on the size of a data set from :func:`size_summary`.

    Examples
    --------
    >>> size_finding({"n_rows": 250, "n_columns": 24, "n_cells": 6000, "n_missing_cells": 0,
    ...               "share_missing_cells": 0.0})
    'The data hold 250 rows and 24 columns; no cell is missing.'
    """
    sentence = f"The data hold {summary['n_rows']:,} rows and {summary['n_columns']:,} columns; "
    if summary["n_missing_cells"] == 0:
        return sentence + "no cell is missing."
    share = summary["share_missing_cells"]
    share_text = "under 0.1%" if share < 0.0005 else formatting.percent(share)  # never "0.0%" for cells that are missing
    return sentence + f"{summary['n_missing_cells']:,} of {summary['n_cells']:,} cells ({share_text}) are missing."


#: every ``kind`` of :func:`column_overview`, and how findings name a count of them
KINDS = ["rating", "numeric", "identifier", "boolean", "category", "text"]
_KIND_NOUNS = {"rating": ("rating", "ratings"), "numeric": ("numeric", "numeric"),
               "identifier": ("identifier", "identifiers"), "boolean": ("yes/no", "yes/no"),
               "category": ("categorical", "categorical"), "text": ("text", "text")}


def _count(number: int, kind: str) -> str:
    singular, plural = _KIND_NOUNS[kind]
    return f"{number:,} {singular if number == 1 else plural}"


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def kinds_finding(overview: pd.DataFrame) -> str:
    """One sentence on what kinds of columns a :func:`column_overview` table lists.

    Examples
    --------
    >>> import pandas as pd
    >>> kinds_finding(column_overview(pd.DataFrame({"q1": [1, 5], "q2": [2, 4], "flag": [True, False]})))
    'Of the 3 columns, 2 are ratings and 1 yes/no; rating answers run from 1 to 5.'
    >>> kinds_finding(column_overview(pd.DataFrame({"q1": [1, 5], "q2": [2, 4]})))
    'All 2 columns are ratings; rating answers run from 1 to 5.'
    """
    counts = overview["kind"].value_counts()
    # most common kind first; ties in the order of KINDS
    counts = sorted(((kind, int(counts[kind])) for kind in KINDS if kind in counts.index), key=lambda kc: -kc[1])
    if not counts:
        return "The data have no columns."
    if len(overview) == 1:
        sentence = f"The one column is {_KIND_NOUNS[counts[0][0]][0]}"
    elif len(counts) == 1:
        sentence = f"All {len(overview):,} columns are {_KIND_NOUNS[counts[0][0]][1]}"
    else:
        (first_kind, first_n), rest = counts[0], counts[1:]
        first = f"{first_n:,} {'is' if first_n == 1 else 'are'} {_count(first_n, first_kind).split(' ', 1)[1]}"
        sentence = f"Of the {len(overview):,} columns, " + _join([first, *(_count(n, kind) for kind, n in rest)])
    ratings = overview[overview["kind"] == "rating"]
    if len(ratings):
        sentence += f"; rating answers run from {ratings['min'].min():g} to {ratings['max'].max():g}"
    return sentence + "."


def answer_shares(data: pd.DataFrame, columns) -> pd.DataFrame:
    """Answer distribution of rating columns as a tidy table.

    Returns one row per column and observed answer: ``column``, ``answer``, ``n`` and
    ``percent`` (of the column's non-missing answers), in the order of ``columns``
    and then of the answers.

    Examples
    --------
    >>> import pandas as pd
    >>> answer_shares(pd.DataFrame({"q1": [2, 1, 2, 2, None]}), ["q1"]).to_dict("records")
    [{'column': 'q1', 'answer': 1.0, 'n': 1, 'percent': 25.0}, {'column': 'q1', 'answer': 2.0, 'n': 3, 'percent': 75.0}]
    """
    columns = check_columns(data, columns, parameter="columns")
    long = data[columns].melt(var_name="column", value_name="answer").dropna(subset=["answer"])
    long["answer"] = long["answer"].astype(float)
    counts = long.groupby(["column", "answer"], sort=False).size().rename("n").reset_index()
    counts["percent"] = 100 * counts["n"] / counts.groupby("column")["n"].transform("sum")
    counts["column"] = pd.Categorical(counts["column"], categories=columns)
    counts = counts.sort_values(["column", "answer"], kind="stable").reset_index(drop=True)
    counts["column"] = counts["column"].astype(str)
    counts["n"] = counts["n"].astype(int)
    return counts[["column", "answer", "n", "percent"]]


def rating_finding(data: pd.DataFrame, columns, name: str) -> str:
    """One sentence on the rating columns: how many, and the lowest and highest mean answer.

    Examples
    --------
    >>> import pandas as pd
    >>> rating_finding(pd.DataFrame({"q1": [1, 3], "q2": [4, 5]}), ["q1", "q2"], "demo")
    '2 rating columns; mean answers range from 2.00 (`q1`) to 4.50 (`q2`).'
    >>> rating_finding(pd.DataFrame({"x": [0.5]}), [], "demo")
    'demo has no rating-like columns (whole numbers with at most 11 levels).'
    """
    columns = check_columns(data, columns, parameter="columns")
    if not columns:
        return f"{name} has no rating-like columns (whole numbers with at most {MAX_RATING_LEVELS} levels)."
    means = data[columns].astype(float).mean()
    if len(columns) == 1:
        return f"1 rating column, `{columns[0]}`, with a mean answer of {means.iloc[0]:.2f}."
    return (f"{len(columns):,} rating columns; mean answers range from {means.min():.2f} (`{means.idxmin()}`) "
            f"to {means.max():.2f} (`{means.idxmax()}`).")


def category_finding(data: pd.DataFrame, columns, name: str) -> str:
    """One sentence on categorical and yes/no columns: the most lopsided one and its commonest level.

    Shares count every row, missing values included (as the bar charts show them).

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"churn": [True, False, False, False], "plan": ["a", "b", "a", "b"]})
    >>> category_finding(frame, ["churn", "plan"], "demo")
    '2 categorical or yes/no columns; the most lopsided is `churn`, where `False` covers 75.0% of the rows.'
    >>> category_finding(frame, [], "demo")
    'demo has no categorical or yes/no columns.'
    """
    columns = check_columns(data, columns, parameter="columns")
    if not columns:
        return f"{name} has no categorical or yes/no columns."
    top = {c: data[c].astype(object).value_counts(normalize=True, dropna=False) for c in columns}
    lopsided = max(columns, key=lambda c: top[c].iloc[0])
    level = top[lopsided].index[0]
    level = "(missing)" if pd.isna(level) else level
    return (f"{len(columns):,} categorical or yes/no columns; the most lopsided is `{lopsided}`, where "
            f"`{level}` covers {formatting.percent(top[lopsided].iloc[0])} of the rows.")


def numeric_finding(data: pd.DataFrame, columns, name: str) -> str:
    """One sentence on continuous columns: how many, and the most skewed one.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"spend": [1.0, 1.0, 1.0, 10.0], "age": [20.5, 30.5, 40.5, 50.5]})
    >>> numeric_finding(frame, ["spend", "age"], "demo")
    '2 continuous columns; the most skewed is `spend` (skewness 2.00).'
    >>> numeric_finding(frame, [], "demo")
    'demo has no continuous numeric columns.'
    """
    columns = check_columns(data, columns, parameter="columns")
    if not columns:
        return f"{name} has no continuous numeric columns."
    skew = data[columns].astype(float).skew()
    most = skew.abs().idxmax()
    return (f"{len(columns):,} continuous column{'s' if len(columns) > 1 else ''}; the most skewed is "
            f"`{most}` (skewness {skew[most]:.2f}).")


#: reader-facing headers of the overview tables (:func:`styled_table`)
DISPLAY_LABELS = {"column": "Column", "dtype": "Stored as", "kind": "Kind", "min": "Smallest", "max": "Largest",
                  "n_levels": "Distinct values", "levels": "Observed levels", "n_missing": "Missing",
                  "share_missing": "Share missing"}


def styled_table(table: pd.DataFrame, caption: str, source: str):
    """A table for a report: readable headers, plain numbers, a caption and the data source.

    Counts (``n_*``) get thousands separators, shares (``share_*``) become percentages,
    other numbers lose trailing zeros (a rating range reads ``1`` to ``10``), missing
    values are blank, and the headers in :data:`DISPLAY_LABELS` are replaced by their
    labels. Returns a pandas ``Styler`` without the index.

    Examples
    --------
    >>> import pandas as pd
    >>> styler = styled_table(missing_overview(pd.DataFrame({"a": [1, None]})), "Missing", "Real data: demo")
    >>> list(styler.data.columns), "50.0%" in styler.to_html()
    (['Column', 'Missing', 'Share missing'], True)
    """
    shares = [column for column in table.columns if str(column).startswith("share_")]
    return report.styled_table(table, caption, source, labels=DISPLAY_LABELS, percent=shares, na_rep="")


# --- the study: settings and sections ---------------------------------------------------


@dataclass
class OverviewSettings:
    """What every section of the overview needs: the data, their name and source line.

    Attributes
    ----------
    dataset : str
        The notebook's ``dataset`` parameter as given.
    data : DataFrame
    name, source : str
        As in :class:`~csat_analysis.datasets.StudyData`.
    overview : DataFrame
        :func:`column_overview` of the data (computed once, used by several sections).
    """

    dataset: str
    data: pd.DataFrame = field(repr=False)
    name: str
    source: str
    overview: pd.DataFrame = field(repr=False)
    segment: str | None = None
    segment_value: Any = None


def resolve_settings(run: StudyRun, *, segment: str | None = None, segment_value: Any = None) -> OverviewSettings:
    """The settings of an overview run: the run's data with its column overview.

    Parameters
    ----------
    run : StudyRun
    segment, segment_value : optional
        Describe only the rows whose ``segment`` column equals ``segment_value``
        (compared as text, so ``2`` matches ``"2"``).

    Raises
    ------
    StudyError
        ``segment`` is not a column, ``segment_value`` is not one of its levels (the
        message lists them), or ``segment_value`` is given without ``segment``.

    Examples
    --------
    >>> settings = resolve_settings(StudyRun("mobi", study="data_overview", emit=False))
    >>> settings.name, len(settings.overview)
    ('mobi', 24)
    >>> settings = resolve_settings(StudyRun("corp_rep", study="data_overview", emit=False),
    ...                             segment="serviceprovider", segment_value=2)
    >>> settings.data["serviceprovider"].unique().tolist(), settings.source.endswith(f"(n = {len(settings.data)})")
    ([2], True)
    """
    from ..errors import StudyError

    data, source = run.data, run.source
    if segment_value is not None and segment is None:
        raise StudyError("segment_value needs a segment column: set segment")
    if segment is not None:
        check_columns(data, segment, parameter="segment", error=StudyError)
        if segment_value is not None:
            text = data[segment].astype(str).where(data[segment].notna())
            check_choice("segment_value", str(segment_value), sorted(text.dropna().unique()), error=StudyError)
            data = data[(text == str(segment_value)).to_numpy()].reset_index(drop=True)
            source = re.sub(r", n = [\d,]+$", "", source) + f"; only {segment} = {segment_value} (n = {len(data):,})"
            if hasattr(run, "study_data"):  # the summary box names the filtered data it reports on
                import dataclasses

                run.study_data = dataclasses.replace(run.study_data, source=source)
    return OverviewSettings(dataset=run.name, data=data, name=run.name, source=source,
                            overview=column_overview(data), segment=segment, segment_value=segment_value)


@dataclass
class SizeSection(Section):
    """Source and size: rows, columns and missing cells (no table or figure)."""

    dataset: str = ""
    size: dict = field(default_factory=dict)

    @property
    def references(self) -> tuple[str, ...]:
        """The published source of a bundled data set."""
        return dataset_references(self.dataset)

    def tables(self) -> list:
        return []

    def finding(self) -> str:
        from ..references import cite

        keys = self.references
        cited = f" Source: {cite(*keys)}." if keys else ""
        return f"{size_finding(self.size)}{cited}\n\n**Data:** {self.source}."

    def results(self) -> dict[str, Any]:
        return {"dataset": self.dataset, "source": self.source, "n_rows": self.size["n_rows"],
                "n_columns": self.size["n_columns"], "n_missing_cells": self.size["n_missing_cells"]}


def size_section(settings: OverviewSettings) -> SizeSection:
    """Source and size of the data (:func:`size_summary`).

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"a": [1, None]})
    >>> settings = OverviewSettings("demo", frame, "demo", "Real data: demo", column_overview(frame))
    >>> size_section(settings).results()["n_missing_cells"]
    1
    """
    return SizeSection(title="Source and size", source=settings.source, dataset=settings.dataset,
                       size=size_summary(settings.data))


@dataclass
class ColumnsSection(Section):
    """One row per column: type, kind, range and observed levels."""

    def tables(self) -> list:
        return [styled_table(self.table, self.title, self.source)]

    def finding(self) -> str:
        return kinds_finding(self.table)


def columns_section(settings: OverviewSettings) -> ColumnsSection:
    """The column overview table (:func:`column_overview`) and what kinds of columns it lists."""
    return ColumnsSection(title=f"Columns of {settings.name}: type, kind, range and observed levels",
                          table=settings.overview, source=settings.source)


@dataclass
class MissingSection(Section):
    """The columns with missing answers, most missing first, as a table and a bar chart."""

    name: str = ""
    full: pd.DataFrame | None = field(default=None, repr=False)

    def plot(self, ax=None):
        if self.table is None or not len(self.table):
            return None
        from .. import plots

        if ax is None:
            import matplotlib.pyplot as plt

            _, ax = plt.subplots(figsize=(6, 1.3 + 0.3 * len(self.table)))
        plots.missingness_bar(self.table, ax=ax).set_title(f"Missing values per column: {self.name}")
        plots.source_note(ax, self.source)
        return ax

    def tables(self) -> list:
        if self.table is None or not len(self.table):
            return []
        return [styled_table(self.table, self.title, self.source)]

    def finding(self) -> str:
        return missing_finding(self.full, self.name)


def missing_section(settings: OverviewSettings) -> MissingSection:
    """Missing values per column (:func:`missing_overview`) and the column missing most."""
    return MissingSection(title=f"Columns of {settings.name} with missing values",
                          table=missing_overview(settings.data, only_missing=True), source=settings.source,
                          name=settings.name, full=missing_overview(settings.data))


@dataclass
class RatingsSection(Section):
    """How the answers of every rating-like column are spread, in percent of its answers."""

    name: str = ""
    data: pd.DataFrame | None = field(default=None, repr=False)
    columns: list = field(default_factory=list)

    def plot(self, ax=None):
        if not self.columns:
            return None
        from .. import plots

        if ax is None:
            import matplotlib.pyplot as plt

            _, ax = plt.subplots(figsize=(8, 1.5 + 0.3 * len(self.columns)))
        plots.answer_share_heatmap(self.table, ax=ax)
        ax.set_title(f"Answers per rating column: {self.name}")
        plots.source_note(ax, self.source)
        return ax

    def tables(self) -> list:
        return []

    def finding(self) -> str:
        return rating_finding(self.data, self.columns, self.name)


def ratings_section(settings: OverviewSettings) -> RatingsSection:
    """Answer shares of the rating columns (:func:`answer_shares`)."""
    columns = columns_of_kind(settings.overview, "rating")
    return RatingsSection(title=f"Answers per rating column: {settings.name}", table=answer_shares(settings.data, columns),
                          source=settings.source, name=settings.name, data=settings.data, columns=columns)


@dataclass
class CategoriesSection(Section):
    """Share of rows per level of every categorical and yes/no column (one bar chart each)."""

    name: str = ""
    data: pd.DataFrame | None = field(default=None, repr=False)
    columns: list = field(default_factory=list)

    def plot(self, ax=None):
        # one panel per column: a figure-level chart, drawn on its own figure
        if not self.columns:
            return None
        from .. import plots

        return plots.category_bars(self.data, self.columns, source=self.source)

    def tables(self) -> list:
        return []

    def finding(self) -> str:
        return category_finding(self.data, self.columns, self.name)


def categories_section(settings: OverviewSettings) -> CategoriesSection:
    """The categorical and yes/no columns of the data."""
    columns = columns_of_kind(settings.overview, "category", "boolean")
    if settings.segment_value is not None:  # the filter column holds one level by construction
        columns = [c for c in columns if c != settings.segment]
    return CategoriesSection(title=f"Categories and yes/no columns: {settings.name}", source=settings.source,
                             name=settings.name, data=settings.data, columns=columns)


@dataclass
class NumericSection(Section):
    """Histograms of the continuous columns (amounts, durations, weights), in percent of rows."""

    name: str = ""
    data: pd.DataFrame | None = field(default=None, repr=False)
    columns: list = field(default_factory=list)

    def plot(self, ax=None):
        # one panel per column: a figure-level chart, drawn on its own figure
        if not self.columns:
            return None
        from .. import plots

        return plots.histogram_grid(self.data, self.columns, source=self.source)

    def tables(self) -> list:
        return []

    def finding(self) -> str:
        return numeric_finding(self.data, self.columns, self.name)


def numeric_section(settings: OverviewSettings) -> NumericSection:
    """The continuous numeric columns of the data."""
    return NumericSection(title=f"Other numeric columns: {settings.name}", source=settings.source,
                          name=settings.name, data=settings.data,
                          columns=columns_of_kind(settings.overview, "numeric"))
