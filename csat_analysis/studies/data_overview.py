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
from ..i18n import N_, _, current_language, ngettext, pgettext
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
    # the simulator's generating values come from these published figures and models
    "simulated": ("tenenhaus2005", "tarp1986", "toyota_dealer_study", "leboeuf1987"),
}


def dataset_references(name: str) -> tuple[str, ...]:
    """The reference keys of a bundled data set's source (for the simulator: of its generating figures).

    Parameters
    ----------
    name : str
        A bundled data set, ``"simulated"``, or any other name or path.

    Returns
    -------
    tuple of str
        Keys of :data:`csat_analysis.references.REFERENCES`; empty for other data.

    Examples
    --------
    >>> dataset_references("mobi"), dataset_references("my_survey.csv")
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

    Parameters
    ----------
    data : DataFrame
        The data set.

    Returns
    -------
    DataFrame
        ``column``, ``dtype``, ``kind``, ``min``, ``max`` (numeric columns), ``n_levels``,
        ``levels``, ``n_missing``.

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
            levels = ", ".join(shown)
            if len(observed) > 12:
                levels = _("{levels}, ... ({n} levels)").format(levels=levels, n=len(observed))
        rows.append(
            {
                "column": str(column),
                "dtype": str(series.dtype),
                "kind": kind,
                "min": float(series.min()) if numeric and series.notna().any() else np.nan,
                "max": float(series.max()) if numeric and series.notna().any() else np.nan,
                "n_levels": int(series.nunique()),
                "levels": levels,
                "n_missing": int(series.isna().sum()),
            }
        )
    return pd.DataFrame(rows, columns=["column", "dtype", "kind", "min", "max", "n_levels", "levels", "n_missing"])


def missing_overview(data: pd.DataFrame, *, only_missing: bool = False) -> pd.DataFrame:
    """Missing values per column: ``column``, ``n_missing``, ``share_missing``.

    With ``only_missing=True`` only the columns that have missing values are listed,
    the most missing first.

    Parameters
    ----------
    data : DataFrame
        The data set.
    only_missing : bool
        List only the columns with missing values, the most missing first.

    Returns
    -------
    DataFrame
        ``column``, ``n_missing``, ``share_missing``.

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
    table = pd.DataFrame(
        {
            "column": [str(c) for c in data.columns],
            "n_missing": counts.to_numpy(dtype=int),
            "share_missing": share.to_numpy(dtype=float),
        }
    )
    if only_missing:
        table = table[table["n_missing"] > 0].sort_values("n_missing", ascending=False, kind="stable")
        table = table.reset_index(drop=True)
    return table


def missing_finding(missing: pd.DataFrame, name: str) -> str:
    """One sentence on missing values from a full :func:`missing_overview` table.

    Parameters
    ----------
    missing : DataFrame
        :func:`missing_overview` of every column (``only_missing=False``).
    name : str
        Name of the data set, as the sentence calls it.

    Returns
    -------
    str
        The sentence, in the report's language.

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
        return _("No column of {name} has missing values.").format(name=name)
    worst = with_missing.loc[with_missing["n_missing"].idxmax()]
    return ngettext(
        "{count} of {total} columns of {name} has missing values; the most is `{column}` with {missing} "
        "missing ({share}).",
        "{count} of {total} columns of {name} have missing values; the most is `{column}` with {missing} "
        "missing ({share}).",
        len(with_missing),
    ).format(
        count=_count(len(with_missing)),
        total=_count(len(missing)),
        name=name,
        column=worst["column"],
        missing=_count(int(worst["n_missing"])),
        share=formatting.percent(worst["share_missing"]),
    )


def columns_of_kind(overview: pd.DataFrame, *kinds: str) -> list[str]:
    """Names of the columns whose ``kind`` in a :func:`column_overview` table is one of ``kinds``.

    Parameters
    ----------
    overview : DataFrame
        A :func:`column_overview` table.
    *kinds : str
        Kinds of columns, from :data:`KINDS`.

    Returns
    -------
    list of str
        The columns, in the order of the table.

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

    Parameters
    ----------
    data : DataFrame
        The data set.

    Returns
    -------
    dict
        ``n_rows``, ``n_columns``, ``n_cells``, ``n_missing_cells`` and
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
    return {
        "n_rows": int(n_rows),
        "n_columns": int(n_columns),
        "n_cells": int(n_cells),
        "n_missing_cells": n_missing,
        "share_missing_cells": n_missing / n_cells if n_cells else 0.0,
    }


def size_finding(summary: Mapping) -> str:
    """One sentence on the size of a data set from :func:`size_summary`.

    Parameters
    ----------
    summary : mapping
        The :func:`size_summary` of the data.

    Returns
    -------
    str
        The sentence, in the report's language.

    Examples
    --------
    >>> size_finding({"n_rows": 250, "n_columns": 24, "n_cells": 6000, "n_missing_cells": 0,
    ...               "share_missing_cells": 0.0})
    'The data hold 250 rows and 24 columns; no cell is missing.'
    """
    rows, columns = _count(summary["n_rows"]), _count(summary["n_columns"])
    if summary["n_missing_cells"] == 0:
        return _("The data hold {rows} rows and {columns} columns; no cell is missing.").format(
            rows=rows, columns=columns
        )
    share = summary["share_missing_cells"]
    # never "0.0%" for cells that are missing
    share_text = (
        _("under {share}").format(share=formatting.percent(0.001)) if share < 0.0005 else formatting.percent(share)
    )
    text = _("The data hold {rows} rows and {columns} columns; {missing} of {cells} cells ({share}) are missing.")
    return text.format(
        rows=rows,
        columns=columns,
        missing=_count(summary["n_missing_cells"]),
        cells=_count(summary["n_cells"]),
        share=share_text,
    )


#: every ``kind`` of :func:`column_overview`
KINDS = ["rating", "numeric", "identifier", "boolean", "category", "text"]


def _kind_noun(kind: str, number: int) -> str:
    """How a finding names ``number`` columns of ``kind``, in the report's language."""
    # Translators: the kinds of columns a finding counts, "1 is rating" / "2 are ratings"
    nouns = {
        "rating": (pgettext("one column of this kind", "rating"), pgettext("columns of this kind", "ratings")),
        "numeric": (pgettext("one column of this kind", "numeric"), pgettext("columns of this kind", "numeric")),
        "identifier": (
            pgettext("one column of this kind", "identifier"),
            pgettext("columns of this kind", "identifiers"),
        ),
        "boolean": (pgettext("one column of this kind", "yes/no"), pgettext("columns of this kind", "yes/no")),
        "category": (
            pgettext("one column of this kind", "categorical"),
            pgettext("columns of this kind", "categorical"),
        ),
        "text": (pgettext("one column of this kind", "text"), pgettext("columns of this kind", "text")),
    }
    singular, plural = nouns[kind]
    return singular if number == 1 else plural


def _count(number) -> str:
    """A whole number with thousands separators, in the report's language."""
    return formatting.number(number, 0)


def _join(parts: list[str]) -> str:
    if len(parts) == 1:
        return parts[0]
    # Translators: joins the last count of columns of a list, e.g. "2 are ratings, 1 numeric and 1 yes/no"
    return pgettext("a list of column counts", "{first} and {last}").format(
        first=_(", ").join(parts[:-1]), last=parts[-1]
    )


def _full_stop() -> str:
    return "。" if current_language() == "zh" else "."


def kinds_finding(overview: pd.DataFrame) -> str:
    """One sentence on what kinds of columns a :func:`column_overview` table lists.

    Parameters
    ----------
    overview : DataFrame
        A :func:`column_overview` table.

    Returns
    -------
    str
        The sentence, in the report's language, with the range of the rating answers.

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
        return _("The data have no columns.")
    if len(overview) == 1:
        sentence = _("The one column is {kind}").format(kind=_kind_noun(counts[0][0], 1))
    elif len(counts) == 1:
        sentence = _("All {n} columns are {kinds}").format(
            n=_count(len(overview)), kinds=_kind_noun(counts[0][0], len(overview))
        )
    else:
        (first_kind, first_n), rest = counts[0], counts[1:]
        first = ngettext("{n} is {kind}", "{n} are {kind}", first_n).format(
            n=_count(first_n), kind=_kind_noun(first_kind, first_n)
        )
        # Translators: a count of columns of one kind in a list, e.g. "1 yes/no" in "2 are ratings and 1 yes/no"
        others = [_("{n} {kind}").format(n=_count(n), kind=_kind_noun(kind, n)) for kind, n in rest]
        sentence = _("Of the {n} columns, {kinds}").format(n=_count(len(overview)), kinds=_join([first, *others]))
    ratings = overview[overview["kind"] == "rating"]
    if len(ratings):
        return _("{kinds}; rating answers run from {low} to {high}.").format(
            kinds=sentence, low=f"{ratings['min'].min():g}", high=f"{ratings['max'].max():g}"
        )
    return sentence + _full_stop()


def answer_shares(data: pd.DataFrame, columns) -> pd.DataFrame:
    """Answer distribution of rating columns as a tidy table.

    Parameters
    ----------
    data : DataFrame
        The data set.
    columns : list of str
        The rating columns.

    Returns
    -------
    DataFrame
        One row per column and observed answer: ``column``, ``answer``, ``n`` and
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

    Parameters
    ----------
    data : DataFrame
        The data set.
    columns : list of str
        Its rating columns (may be empty).
    name : str
        Name of the data set, as the sentence calls it.

    Returns
    -------
    str
        The sentence, in the report's language.

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
        return _("{name} has no rating-like columns (whole numbers with at most {levels} levels).").format(
            name=name, levels=MAX_RATING_LEVELS
        )
    means = data[columns].astype(float).mean()
    if len(columns) == 1:
        return _("1 rating column, `{column}`, with a mean answer of {mean}.").format(
            column=columns[0], mean=formatting.number(means.iloc[0], 2)
        )
    return _("{n} rating columns; mean answers range from {low} (`{low_column}`) to {high} (`{high_column}`).").format(
        n=_count(len(columns)),
        low=formatting.number(means.min(), 2),
        low_column=means.idxmin(),
        high=formatting.number(means.max(), 2),
        high_column=means.idxmax(),
    )


def category_finding(data: pd.DataFrame, columns, name: str) -> str:
    """One sentence on categorical and yes/no columns: the most lopsided one and its commonest level.

    Shares count every row, missing values included (as the bar charts show them).

    Parameters
    ----------
    data : DataFrame
        The data set.
    columns : list of str
        Its categorical and yes/no columns (may be empty).
    name : str
        Name of the data set, as the sentence calls it.

    Returns
    -------
    str
        The sentence, in the report's language.

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
        return _("{name} has no categorical or yes/no columns.").format(name=name)
    top = {c: data[c].astype(object).value_counts(normalize=True, dropna=False) for c in columns}
    lopsided = max(columns, key=lambda c: top[c].iloc[0])
    level = top[lopsided].index[0]
    level = _("(missing)") if pd.isna(level) else level
    return _(
        "{n} categorical or yes/no columns; the most lopsided is `{column}`, where `{level}` covers {share} of "
        "the rows."
    ).format(n=_count(len(columns)), column=lopsided, level=level, share=formatting.percent(top[lopsided].iloc[0]))


def numeric_finding(data: pd.DataFrame, columns, name: str) -> str:
    """One sentence on continuous columns: how many, and the most skewed one.

    Parameters
    ----------
    data : DataFrame
        The data set.
    columns : list of str
        Its continuous numeric columns (may be empty).
    name : str
        Name of the data set, as the sentence calls it.

    Returns
    -------
    str
        The sentence, in the report's language.

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
        return _("{name} has no continuous numeric columns.").format(name=name)
    skew = data[columns].astype(float).skew()
    most = skew.abs().idxmax()
    return ngettext(
        "{n} continuous column; the most skewed is `{column}` (skewness {skewness}).",
        "{n} continuous columns; the most skewed is `{column}` (skewness {skewness}).",
        len(columns),
    ).format(n=_count(len(columns)), column=most, skewness=formatting.number(skew[most], 2))


#: reader-facing headers of the overview tables (:func:`styled_table`; English messages, shown translated)
DISPLAY_LABELS = {
    "column": N_("Column"),
    "dtype": N_("Stored as"),
    "kind": N_("Kind"),
    "min": N_("Smallest"),
    "max": N_("Largest"),
    "n_levels": N_("Distinct values"),
    "levels": N_("Observed levels"),
    "n_missing": N_("Missing"),
    "share_missing": N_("Share missing"),
}


def styled_table(table: pd.DataFrame, caption: str, source: str):
    """A table for a report: readable headers, plain numbers, a caption and the data source.

    Counts (``n_*``) get thousands separators, shares (``share_*``) become percentages,
    other numbers lose trailing zeros (a rating range reads ``1`` to ``10``), missing
    values are blank, and the headers in :data:`DISPLAY_LABELS` are replaced by their
    labels (in the report's language).

    Parameters
    ----------
    table : DataFrame
        A tidy table of this module.
    caption : str
        The table's caption.
    source : str
        The data-source line printed under it.

    Returns
    -------
    pandas.io.formats.style.Styler
        The styled table, without the index.

    Examples
    --------
    >>> import pandas as pd
    >>> styler = styled_table(missing_overview(pd.DataFrame({"a": [1, None]})), "Missing", "Real data: demo")
    >>> list(styler.data.columns), "50.0%" in styler.to_html()
    (['Column', 'Missing', 'Share missing'], True)
    """
    shares = [column for column in table.columns if str(column).startswith("share_")]
    labels = {column: _(header) for column, header in DISPLAY_LABELS.items()}
    return report.styled_table(table, caption, source, labels=labels, percent=shares, na_rep="")


# --- the study: settings and sections ---------------------------------------------------


@dataclass
class OverviewSettings:
    """What every section of the overview needs: the data, their name and source line.

    Attributes
    ----------
    dataset : str
        The notebook's ``dataset`` parameter as given.
    data : DataFrame
        The data described (only the segment's rows when one is chosen).
    name, source : str
        As in :class:`~csat_analysis.datasets.StudyData`.
    overview : DataFrame
        :func:`column_overview` of the data (computed once, used by several sections).
    segment : str or None
        The column whose level ``segment_value`` the data are restricted to.
    segment_value : object
        The level kept (``None``: every row).
    recorded_source : str or None
        The source line as recorded in the results (in English whatever the report's
        language; ``None``: ``source``).
    """

    dataset: str
    data: pd.DataFrame = field(repr=False)
    name: str
    source: str
    overview: pd.DataFrame = field(repr=False)
    segment: str | None = None
    segment_value: Any = None
    #: the source line as recorded in the results (in English whatever the report's language; default: ``source``)
    recorded_source: str | None = None


def _without_count(source: str) -> str:
    """A source line without its closing respondent count (``", n = 250"``, in either language).

    Examples
    --------
    >>> _without_count("Real data: mobi (Tenenhaus et al. 2005), n = 250")
    'Real data: mobi (Tenenhaus et al. 2005)'
    """
    return re.sub(r"\s*[,，]\s*n\s*=\s*[\d,]+\s*$", "", source)


def resolve_settings(run: StudyRun, *, segment: str | None = None, segment_value: Any = None) -> OverviewSettings:
    """The settings of an overview run: the run's data with its column overview.

    Parameters
    ----------
    run : StudyRun
        The study run, with its data.
    segment, segment_value : optional
        Describe only the rows whose ``segment`` column equals ``segment_value``
        (compared as text, so ``2`` matches ``"2"``).

    Returns
    -------
    OverviewSettings
        The data (restricted to the segment when one is chosen), their name, source line
        and column overview.

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
    recorded = run.study_data.recorded_source
    if segment_value is not None and segment is None:
        raise StudyError("segment_value needs a segment column: set segment")
    if segment is not None:
        check_columns(data, segment, parameter="segment", error=StudyError)
        if segment_value is not None:
            text = data[segment].astype(str).where(data[segment].notna())
            check_choice("segment_value", str(segment_value), sorted(text.dropna().unique()), error=StudyError)
            data = data[(text == str(segment_value)).to_numpy()].reset_index(drop=True)
            source = _("{source}; only {segment} = {value} (n = {n})").format(
                source=_without_count(source), segment=segment, value=segment_value, n=_count(len(data))
            )
            # results.json does not depend on the report's language
            recorded = f"{_without_count(recorded)}; only {segment} = {segment_value} (n = {len(data):,})"
            if hasattr(run, "study_data"):  # the summary box names the filtered data it reports on
                import dataclasses

                run.study_data = dataclasses.replace(run.study_data, source=source)
    return OverviewSettings(
        dataset=run.name,
        data=data,
        name=run.name,
        source=source,
        overview=column_overview(data),
        segment=segment,
        segment_value=segment_value,
        recorded_source=recorded,
    )


@dataclass
class SizeSection(Section):
    """Source and size: rows, columns and missing cells (no table or figure).

    Attributes
    ----------
    title, table, source
        As in :class:`~csat_analysis.studies.core.Section`; ``table`` is ``None``.
    dataset : str
        The data set's name (a bundled data set's source is cited).
    size : dict
        :func:`size_summary` of the data.
    recorded_source : str or None
        The source line as recorded in the results (``None``: ``source``).
    """

    dataset: str = ""
    size: dict = field(default_factory=dict)
    recorded_source: str | None = None

    @property
    def references(self) -> tuple[str, ...]:
        """The published source of a bundled data set."""
        return dataset_references(self.dataset)

    def tables(self) -> list:
        """No table: the finding states the size.

        Returns
        -------
        list
            Empty.
        """
        return []

    def finding(self) -> str:
        """The size of the data, their published source and the data-source line.

        Returns
        -------
        str
            Markdown in the report's language.
        """
        from ..references import cite

        keys = self.references
        parts = [size_finding(self.size)]
        if keys:
            parts.append(_("Source: {citation}.").format(citation=cite(*keys)))
        joined = ("" if current_language() == "zh" else " ").join(parts)
        return f"{joined}\n\n" + _("**Data:** {source}.").format(source=self.source)

    def results(self) -> dict[str, Any]:
        """Recorded results: ``dataset``, ``source``, ``n_rows``, ``n_columns``, ``n_missing_cells``.

        Returns
        -------
        dict
            The named results.
        """
        source = self.recorded_source if self.recorded_source is not None else self.source
        return {
            "dataset": self.dataset,
            "source": source,
            "n_rows": self.size["n_rows"],
            "n_columns": self.size["n_columns"],
            "n_missing_cells": self.size["n_missing_cells"],
        }


def size_section(settings: OverviewSettings) -> SizeSection:
    """Source and size of the data (:func:`size_summary`).

    Parameters
    ----------
    settings : OverviewSettings
        The overview's settings (:func:`resolve_settings`).

    Returns
    -------
    SizeSection
        States the size of the data and cites their published source.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"a": [1, None]})
    >>> settings = OverviewSettings("demo", frame, "demo", "Real data: demo", column_overview(frame))
    >>> size_section(settings).results()["n_missing_cells"]
    1
    """
    return SizeSection(
        title=_("Source and size"),
        source=settings.source,
        dataset=settings.dataset,
        size=size_summary(settings.data),
        recorded_source=settings.recorded_source,
    )


@dataclass
class ColumnsSection(Section):
    """One row per column: type, kind, range and observed levels.

    Attributes
    ----------
    title, table, source
        As in :class:`~csat_analysis.studies.core.Section`; ``table`` is the :func:`column_overview`.
    """

    def tables(self) -> list:
        """The column overview.

        Returns
        -------
        list
            One styled table (:func:`styled_table`).
        """
        return [styled_table(self.table, self.title, self.source)]

    def finding(self) -> str:
        """What kinds of columns the data have (:func:`kinds_finding`).

        Returns
        -------
        str
            One sentence in the report's language.
        """
        return kinds_finding(self.table)


def columns_section(settings: OverviewSettings) -> ColumnsSection:
    """The column overview table (:func:`column_overview`) and what kinds of columns it lists.

    Parameters
    ----------
    settings : OverviewSettings
        The overview's settings (:func:`resolve_settings`).

    Returns
    -------
    ColumnsSection
        Shows one row per column and states what kinds of columns there are.
    """
    return ColumnsSection(
        title=_("Columns of {name}: type, kind, range and observed levels").format(name=settings.name),
        table=settings.overview,
        source=settings.source,
    )


@dataclass
class MissingSection(Section):
    """The columns with missing answers, most missing first, as a table and a bar chart.

    Attributes
    ----------
    title, table, source
        As in :class:`~csat_analysis.studies.core.Section`; ``table`` is the columns with missing
        values (:func:`missing_overview` with ``only_missing=True``).
    name : str
        Name of the data set (in the finding).
    full : DataFrame
        :func:`missing_overview` of every column.
    """

    name: str = ""
    full: pd.DataFrame | None = field(default=None, repr=False)

    def plot(self, ax=None):
        """Bar chart of the share missing in each column that has missing values.

        Parameters
        ----------
        ax : matplotlib Axes, optional
            Where to draw; ``None``: a new figure.

        Returns
        -------
        matplotlib Axes or None
            The chart; ``None`` when no value is missing.
        """
        if self.table is None or not len(self.table):
            return None
        from .. import plots

        if ax is None:
            import matplotlib.pyplot as plt

            ax = plt.subplots(figsize=(6, 1.3 + 0.3 * len(self.table)))[1]
        plots.missingness_bar(self.table, ax=ax).set_title(
            _("Missing values per column: {name}").format(name=self.name)
        )
        plots.source_note(ax, self.source)
        return ax

    def tables(self) -> list:
        """The columns with missing values.

        Returns
        -------
        list
            One styled table; empty when no value is missing.
        """
        if self.table is None or not len(self.table):
            return []
        return [styled_table(self.table, self.title, self.source)]

    def finding(self) -> str:
        """How many columns have missing values, and which has most (:func:`missing_finding`).

        Returns
        -------
        str
            One sentence in the report's language.
        """
        return missing_finding(self.full, self.name)


def missing_section(settings: OverviewSettings) -> MissingSection:
    """Missing values per column (:func:`missing_overview`) and the column missing most.

    Parameters
    ----------
    settings : OverviewSettings
        The overview's settings (:func:`resolve_settings`).

    Returns
    -------
    MissingSection
        Shows the columns with missing values (table and bar chart) and the column missing most.
    """
    return MissingSection(
        title=_("Columns of {name} with missing values").format(name=settings.name),
        table=missing_overview(settings.data, only_missing=True),
        source=settings.source,
        name=settings.name,
        full=missing_overview(settings.data),
    )


@dataclass
class _ColumnFigureSection(Section):
    """A figure of the data's columns of one kind and no table (the ratings, categories and numeric sections)."""

    name: str = ""
    data: pd.DataFrame | None = field(default=None, repr=False)
    columns: list = field(default_factory=list)

    def tables(self) -> list:
        """No table: the figure shows the answers.

        Returns
        -------
        list
            Empty.
        """
        return []


@dataclass
class RatingsSection(_ColumnFigureSection):
    """How the answers of every rating-like column are spread, in percent of its answers.

    Attributes
    ----------
    title, table, source
        As in :class:`~csat_analysis.studies.core.Section`; ``table`` is :func:`answer_shares` of the
        rating columns.
    name : str
        Name of the data set (in the finding).
    data : DataFrame
        The data.
    columns : list of str
        The columns shown.
    """

    def plot(self, ax=None):
        """Heat map of the answer shares: one row per rating column, one column per answer.

        Parameters
        ----------
        ax : matplotlib Axes, optional
            Where to draw; ``None``: a new figure.

        Returns
        -------
        matplotlib Axes or None
            The chart; ``None`` when the data have no rating columns.
        """
        if not self.columns:
            return None
        from .. import plots

        if ax is None:
            import matplotlib.pyplot as plt

            ax = plt.subplots(figsize=(8, 1.5 + 0.3 * len(self.columns)))[1]
        plots.answer_share_heatmap(self.table, ax=ax)
        ax.set_title(_("Answers per rating column: {name}").format(name=self.name))
        ax.set_xlabel(_("answer"))
        plots.source_note(ax, self.source)
        return ax

    def finding(self) -> str:
        """How many rating columns, and the lowest and highest mean answer (:func:`rating_finding`).

        Returns
        -------
        str
            One sentence in the report's language.
        """
        return rating_finding(self.data, self.columns, self.name)


def ratings_section(settings: OverviewSettings) -> RatingsSection:
    """Answer shares of the rating columns (:func:`answer_shares`).

    Parameters
    ----------
    settings : OverviewSettings
        The overview's settings (:func:`resolve_settings`).

    Returns
    -------
    RatingsSection
        Shows how the answers of each rating column are spread.
    """
    columns = columns_of_kind(settings.overview, "rating")
    return RatingsSection(
        title=_("Answers per rating column: {name}").format(name=settings.name),
        table=answer_shares(settings.data, columns),
        source=settings.source,
        name=settings.name,
        data=settings.data,
        columns=columns,
    )


@dataclass
class CategoriesSection(_ColumnFigureSection):
    """Share of rows per level of every categorical and yes/no column (one bar chart each).

    Attributes
    ----------
    title, table, source
        As in :class:`~csat_analysis.studies.core.Section`; ``table`` is ``None``.
    name : str
        Name of the data set (in the finding).
    data : DataFrame
        The data.
    columns : list of str
        The columns shown.
    """

    def plot(self, ax=None):
        """Bar charts of the share of rows per level, one panel per categorical or yes/no column.

        Parameters
        ----------
        ax : matplotlib Axes, optional
            Not used: the chart has one panel per column and draws its own figure.

        Returns
        -------
        ndarray of matplotlib Axes or None
            The panels; ``None`` when there are no such columns.
        """
        # one panel per column: a figure-level chart, drawn on its own figure
        if not self.columns:
            return None
        from .. import plots

        return plots.category_bars(self.data, self.columns, source=self.source)

    def finding(self) -> str:
        """The most lopsided column and its commonest level (:func:`category_finding`).

        Returns
        -------
        str
            One sentence in the report's language.
        """
        return category_finding(self.data, self.columns, self.name)


def categories_section(settings: OverviewSettings) -> CategoriesSection:
    """The categorical and yes/no columns of the data.

    Parameters
    ----------
    settings : OverviewSettings
        The overview's settings (:func:`resolve_settings`).

    Returns
    -------
    CategoriesSection
        Shows the share of rows per level of each categorical and yes/no column
        (the segment column left out when the data are restricted to one of its levels).
    """
    columns = columns_of_kind(settings.overview, "category", "boolean")
    if settings.segment_value is not None:  # the filter column holds one level by construction
        columns = [c for c in columns if c != settings.segment]
    return CategoriesSection(
        title=_("Categories and yes/no columns: {name}").format(name=settings.name),
        source=settings.source,
        name=settings.name,
        data=settings.data,
        columns=columns,
    )


@dataclass
class NumericSection(_ColumnFigureSection):
    """Histograms of the continuous columns (amounts, durations, weights), in percent of rows.

    Attributes
    ----------
    title, table, source
        As in :class:`~csat_analysis.studies.core.Section`; ``table`` is ``None``.
    name : str
        Name of the data set (in the finding).
    data : DataFrame
        The data.
    columns : list of str
        The columns shown.
    """

    def plot(self, ax=None):
        """Histograms in percent of rows, one panel per continuous column.

        Parameters
        ----------
        ax : matplotlib Axes, optional
            Not used: the chart has one panel per column and draws its own figure.

        Returns
        -------
        ndarray of matplotlib Axes or None
            The panels; ``None`` when there are no such columns.
        """
        # one panel per column: a figure-level chart, drawn on its own figure
        if not self.columns:
            return None
        from .. import plots

        return plots.histogram_grid(self.data, self.columns, source=self.source)

    def finding(self) -> str:
        """How many continuous columns, and the most skewed one (:func:`numeric_finding`).

        Returns
        -------
        str
            One sentence in the report's language.
        """
        return numeric_finding(self.data, self.columns, self.name)


def numeric_section(settings: OverviewSettings) -> NumericSection:
    """The continuous numeric columns of the data.

    Parameters
    ----------
    settings : OverviewSettings
        The overview's settings (:func:`resolve_settings`).

    Returns
    -------
    NumericSection
        Shows a histogram of each continuous numeric column and names the most skewed.
    """
    return NumericSection(
        title=_("Other numeric columns: {name}").format(name=settings.name),
        source=settings.source,
        name=settings.name,
        data=settings.data,
        columns=columns_of_kind(settings.overview, "numeric"),
    )
